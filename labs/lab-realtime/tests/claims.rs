//! One test per row of Chapter 3's claims table (the browser, nginx and
//! memory rows have files of their own): each asserts the claim itself —
//! bytes, frames, ids, close codes — against the lab's real axum server,
//! real WebSocket and HTTP clients, and a private Redis.

use std::time::Duration;

use lab_realtime::handshake::{self, SAMPLE_KEY};
use lab_realtime::push::{self, Way};
use lab_realtime::server::{self, RunningServer};
use lab_realtime::{drain, frames, scaleout, sse_client};
use lab_rest::baseline;
use labkit::broker::{self, Kind, Options};

async fn server() -> RunningServer {
    server::spawn_local()
        .await
        .expect("the lab's server starts on a free port")
}

#[tokio::test]
async fn the_accept_header_is_sha1_of_the_key_and_the_guid() {
    let s = server().await;
    let ok = handshake::upgrade(s.addr).await.unwrap();
    assert_eq!(ok.answer.status, 101);
    assert_eq!(
        ok.answer
            .upgrade
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("websocket")
    );
    // RFC 6455 section 1.3 gives this key and this answer.
    assert_eq!(
        handshake::accept_for(SAMPLE_KEY),
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    );
    assert_eq!(
        ok.answer.accept.as_deref(),
        Some(ok.expected_accept.as_str())
    );
    // Without the version header it is not a WebSocket handshake.
    let bad = handshake::without_version(s.addr).await.unwrap();
    assert_ne!(bad.answer.status, 101);
    assert!(bad.answer.accept.is_none());
}

#[tokio::test]
async fn frame_headers_are_2_4_or_10_bytes_and_clients_add_a_4_byte_mask() {
    let s = server().await;
    let talk = frames::converse(s.addr).await.unwrap();
    let headers: Vec<(usize, usize, usize)> = talk
        .sizes
        .iter()
        .map(|x| (x.payload, x.client_header, x.server_header))
        .collect();
    assert_eq!(headers, [(100, 6, 2), (1_000, 8, 4), (70_000, 14, 10)]);
    assert!(
        talk.client_frames.iter().all(|f| f.is_masked()),
        "every client frame is masked"
    );
    assert!(
        talk.server_frames.iter().all(|f| !f.is_masked()),
        "no server frame is masked"
    );
}

#[tokio::test]
async fn a_ping_gets_a_pong_with_the_same_bytes_and_a_close_gets_a_close() {
    let s = server().await;
    let talk = frames::converse(s.addr).await.unwrap();
    assert_eq!(talk.ping, b"are you there?");
    assert_eq!(talk.pong, talk.ping);
    assert_eq!(talk.close_sent, Some(1000));
    assert_eq!(
        talk.close_back,
        Some(1000),
        "the server echoes the close code"
    );
}

#[tokio::test]
async fn a_message_sent_in_three_fragments_comes_back_whole() {
    let s = server().await;
    let f = frames::fragmented(s.addr).await.unwrap();
    assert_eq!(f.fragments_sent, 3);
    assert_eq!(f.text_back, "hello, fragmented world");
    assert_eq!(
        f.frames_back, 1,
        "the server saw one message and echoed it in one frame"
    );
}

#[tokio::test]
async fn the_server_drops_a_client_that_does_not_mask() {
    let s = server().await;
    let u = frames::unmasked(s.addr).await.unwrap();
    assert!(!u.echoed, "an unmasked frame is not processed");
    assert!(u.connection_ended, "the server closed the connection");
}

#[tokio::test]
async fn sse_and_websocket_use_one_request_where_polling_uses_one_per_answer() {
    // The chapter's run: 12 events at irregular moments, polling every 250 ms.
    let s = server().await;
    let ways = [
        Way::Poll(Duration::from_millis(250)),
        Way::LongPoll,
        Way::Sse,
        Way::WebSocket,
    ];
    let gaps = baseline::irregular_gaps(12);
    let d = push::race(&baseline::at(s.addr), s.addr, &s.hub, &ways, &gaps)
        .await
        .unwrap();
    let (poll, long, sse, ws) = (&d[0], &d[1], &d[2], &d[3]);
    for x in &d {
        assert_eq!(
            x.received.len(),
            12,
            "{} got every event once, in order",
            x.way.label()
        );
    }
    assert_eq!(sse.requests, 1, "one SSE request for every event");
    assert_eq!(ws.requests, 1, "one handshake for every event");
    assert_eq!(
        long.answers_with_events(),
        12,
        "each long-poll answer carried one event, so one request per event"
    );
    // 12 events over 2.3 s: a poll every 250 ms or more can make at most
    // about 11 answers with news, so some answer carries two events.
    assert!(
        poll.answers_with_events() < 12,
        "a poll answer carried several events: polling's requests follow its clock, \
         not the events ({} answers with events)",
        poll.answers_with_events()
    );
    for pushed in [sse, ws] {
        for pulled in [poll, long] {
            assert!(
                pushed.bytes_per_event() < pulled.bytes_per_event(),
                "{} ({:.0} B/event) should cost less than {} ({:.0})",
                pushed.way.label(),
                pushed.bytes_per_event(),
                pulled.way.label(),
                pulled.bytes_per_event()
            );
        }
    }
}

#[tokio::test]
async fn an_sse_stream_carries_retry_id_event_and_data_and_resumes_after_last_event_id() {
    let s = server().await;
    for _ in 0..5 {
        s.hub.publish("door-opened");
    }
    let url = format!("http://{}/sse?limit=5", s.addr);
    let all = sse_client::read(&url, None, 5).await.unwrap();
    assert_eq!(
        all[0].event.retry,
        Some(1000),
        "the stream opens with retry:"
    );
    let events: Vec<_> = all.iter().filter(|a| !a.event.data.is_empty()).collect();
    assert_eq!(events.len(), 5);
    for (i, a) in events.iter().enumerate() {
        assert_eq!(a.event.id.as_deref(), Some((i + 1).to_string().as_str()));
        assert_eq!(a.event.event.as_deref(), Some("door-opened"));
        let data: serde_json::Value = serde_json::from_str(&a.event.data).unwrap();
        assert_eq!(data["id"], i as u64 + 1);
    }
    // Reconnecting with Last-Event-ID: 3 starts at 4.
    let url = format!("http://{}/sse?limit=2", s.addr);
    let resumed = sse_client::read(&url, Some(3), 2).await.unwrap();
    let ids: Vec<_> = resumed.iter().filter_map(|a| a.event.id.clone()).collect();
    assert_eq!(ids, ["4", "5"]);
    assert_eq!(s.hub.last_event_ids(), [None, Some(3)]);
}

#[tokio::test]
async fn a_chat_message_reaches_the_other_server_only_through_redis() {
    let alone = scaleout::hello(None).await.unwrap();
    assert_eq!(alone.same_server, ["hello from A"]);
    assert!(
        alone.other_server.is_empty(),
        "without a relay B heard {:?}",
        alone.other_server
    );

    let redis = broker::private(Kind::Redis, Options::new())
        .await
        .expect("a private Redis (install redis-server)");
    let relayed = scaleout::hello(Some(redis.url())).await.unwrap();
    assert_eq!(relayed.same_server, ["hello from A"]);
    assert_eq!(
        relayed.other_server,
        ["hello from A"],
        "through Redis, B's client heard it once"
    );
}

#[tokio::test]
async fn a_draining_server_says_1001_and_its_client_resumes_elsewhere_without_loss() {
    let h = drain::handover(10).await.unwrap();
    assert_eq!(h.close_code, Some(1001), "going away");
    assert!(
        !h.from_first.is_empty() && !h.from_second.is_empty(),
        "both servers delivered"
    );
    let all: Vec<u64> = h.from_first.iter().chain(&h.from_second).copied().collect();
    assert_eq!(all, h.published, "every event once, in order");
}

#[tokio::test]
async fn a_plain_websocket_client_is_not_a_socket_io_client() {
    let server = lab_realtime::socketio::spawn().await.unwrap();
    let c = lab_realtime::socketio::plain_client(server.addr)
        .await
        .unwrap();
    let refused = c
        .without_query
        .expect_err("without ?EIO=4 the upgrade is refused");
    assert!(refused.contains("400"), "{refused}");
    let first = c.first_message.unwrap_or_default();
    assert!(
        first.starts_with("0{\"sid\":"),
        "an Engine.IO open packet first: {first}"
    );
    assert!(
        c.closed_after_hello,
        "plain text that is not a packet ends the session"
    );
}
