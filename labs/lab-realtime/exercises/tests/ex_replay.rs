//! Grading tests for `realtime-replay`. The stream is read back with the
//! lab's own SSE parser, the one its browser-checked tests use.

use lab_realtime_exercises::replay::{Event, stream_text};
use lab_realtime_exercises::support::parse_sse;
use labkit::grade::expect;

fn log() -> Vec<Event> {
    (1..=6)
        .map(|id| Event {
            id,
            kind: "door-opened".into(),
            data: format!("{{\"door\":{id}}}"),
        })
        .collect()
}

#[test]
fn a_first_visit_gets_every_event() {
    let events = parse_sse(&stream_text(&log(), None));
    let ids: Vec<String> = events.iter().filter_map(|e| e.id.clone()).collect();
    expect(
        ids == ["1", "2", "3", "4", "5", "6"],
        "without Last-Event-ID, events 1 to 6",
        ids,
    );
}

#[test]
fn a_reconnect_gets_only_what_it_missed() {
    let events = parse_sse(&stream_text(&log(), Some("4")));
    let ids: Vec<String> = events.iter().filter_map(|e| e.id.clone()).collect();
    expect(
        ids == ["5", "6"],
        "with Last-Event-ID: 4, only events 5 and 6",
        ids,
    );
    expect(
        events
            .iter()
            .all(|e| e.event.as_deref() == Some("door-opened")),
        "each event keeps its kind in an event: line",
        &events,
    );
}

#[test]
fn a_client_that_saw_everything_gets_nothing() {
    let body = stream_text(&log(), Some("6"));
    expect(
        body.is_empty(),
        "with Last-Event-ID: 6, an empty body",
        body,
    );
}

/// A log whose oldest events were trimmed away: ids 8 to 13, so an id is
/// not a position, and the ids cross from one digit to two.
fn trimmed_log() -> Vec<Event> {
    (8..=13)
        .map(|id| Event {
            id,
            kind: "door-opened".into(),
            data: format!("{{\"door\":{id}}}"),
        })
        .collect()
}

fn ids_after(log: &[Event], last_event_id: &str) -> Vec<String> {
    parse_sse(&stream_text(log, Some(last_event_id)))
        .iter()
        .filter_map(|e| e.id.clone())
        .collect()
}

#[test]
fn a_reconnect_resumes_by_id_not_by_position_in_the_log() {
    for (header, want) in [
        ("9", vec!["10", "11", "12", "13"]),
        ("11", vec!["12", "13"]),
    ] {
        let ids = ids_after(&trimmed_log(), header);
        expect(
            ids == want,
            &format!(
                "with the log trimmed to ids 8..=13, Last-Event-ID: {header} gets {want:?} \
                 (the events with greater ids, compared as numbers)"
            ),
            ids,
        );
    }
}

#[test]
fn a_client_older_than_the_log_gets_the_whole_log() {
    let ids = ids_after(&trimmed_log(), "5");
    expect(
        ids == ["8", "9", "10", "11", "12", "13"],
        "Last-Event-ID: 5, older than anything left in the log, gets every event it holds",
        ids,
    );
}

#[test]
fn multi_line_data_survives_the_trip() {
    let log = vec![Event {
        id: 1,
        kind: "note".into(),
        data: "line one\nline two".into(),
    }];
    let events = parse_sse(&stream_text(&log, None));
    let data: Vec<String> = events.iter().map(|e| e.data.clone()).collect();
    expect(
        data == ["line one\nline two"],
        "data with a newline arrives whole (one data: line per line)",
        data,
    );
}
