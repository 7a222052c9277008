//! Terminal tables line up, and a report survives a trip through JSON.

use labkit::measure::{Latencies, LatencySummary};
use labkit::report::{BarChart, Report, Table};

fn sample() -> Table {
    let mut t = Table::new(
        "Round trip over loopback",
        &["transport", "p50 (us)", "p99 (us)", "vs TCP"],
    );
    t.row(["raw TCP", "4.1", "6.0", "1.0x"])
        .row(["HTTP/1.1 keep-alive", "41.0", "60.2", "10.0x"])
        .row(["HTTP/1.1 new conn", "312.5", "1204.9", "76.2x"])
        .note("client and server pinned to one CPU");
    t
}

#[test]
fn columns_line_up() {
    let text = sample().to_string();
    print!("{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Round trip over loopback");
    assert_eq!(
        lines.len(),
        1 + 2 + 3 + 1,
        "title, header, rule, 3 rows, 1 note"
    );
    assert_eq!(lines[6], "  note: client and server pinned to one CPU");

    // The rule under the header shows each column's extent.
    let rule = lines[2];
    let spans: Vec<(usize, usize)> = {
        let mut spans = vec![];
        let mut start = None;
        for (i, c) in rule.char_indices().chain([(rule.len(), ' ')]) {
            match (c, start) {
                ('-', None) => start = Some(i),
                (' ', Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        spans
    };
    assert_eq!(spans.len(), 4);
    assert_eq!(
        spans[0],
        (2, 2 + "HTTP/1.1 keep-alive".len()),
        "first column as wide as its widest cell"
    );

    for line in &lines[3..6] {
        // Text column: left-aligned, starts at the column start.
        assert_eq!(&line[spans[0].0..spans[0].0 + 4], &line[2..6]);
        assert_ne!(line.as_bytes()[spans[0].0], b' ');
        // Number columns: right-aligned, every cell ends at the column end.
        for &(start, end) in &spans[1..] {
            assert_ne!(
                line.as_bytes()[end - 1],
                b' ',
                "{line:?} ends a number at {end}"
            );
            assert_eq!(line.as_bytes()[start - 1], b' ');
        }
    }
    // Headers follow their column's alignment.
    assert!(lines[1].starts_with("  transport "));
    assert_eq!(&lines[1][spans[3].0..spans[3].1], "vs TCP");
}

#[test]
fn short_rows_are_padded_and_long_rows_widen_the_table() {
    let mut t = Table::new("t", &["a", "b"]);
    t.row(["x"]).row(["1", "2", "3"]);
    let text = t.to_string();
    print!("{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], "  -   -   -");
    assert_eq!(lines[3], "  x");
    assert_eq!(lines[4], "  1   2   3");
}

#[test]
fn json_round_trip_keeps_tables_and_values() {
    let lat: Latencies = (1..=100).map(std::time::Duration::from_millis).collect();
    let mut report = Report::new("lab-rest", "keep-alive");
    report
        .table(sample())
        .value("requests", 10_000)
        .value("latency", lat.summary())
        .value("pinned", true)
        .chart(
            "p50",
            BarChart::new("p50", "us")
                .categories(["a"])
                .series("s", [1.0])
                .to_svg(),
        );

    let json = report.to_json();
    let back = Report::from_json(&json).expect("reads back");
    assert_eq!(back.lab, "lab-rest");
    assert_eq!(back.scenario, "keep-alive");
    assert_eq!(back.tables, report.tables);
    assert_eq!(back.values, report.values);
    assert_eq!(back.values["requests"], 10_000);
    let summary: LatencySummary = serde_json::from_value(back.values["latency"].clone()).unwrap();
    assert_eq!(summary, lat.summary());

    let raw: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(raw["charts"], serde_json::json!(["keep-alive-p50.svg"]));
}

#[test]
fn write_puts_json_and_svgs_under_the_lab() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = Report::new("lab-rest", "new conn/req");
    report.value("x", 1.5);
    let svg = BarChart::new("t", "")
        .categories(["a"])
        .series("s", [1.0])
        .to_svg();
    report.chart("p50", svg.clone()).chart("p99", svg.clone());

    let written = report.write(dir.path()).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "lab-rest/new-conn-req.json",
            "lab-rest/new-conn-req-p50.svg",
            "lab-rest/new-conn-req-p99.svg"
        ]
    );
    assert_eq!(std::fs::read_to_string(&written[1]).unwrap(), svg);
    let back = Report::from_json(&std::fs::read_to_string(&written[0]).unwrap()).unwrap();
    assert_eq!(back.values["x"], 1.5);
}

#[test]
fn long_notes_wrap_within_the_books_column() {
    let mut t = Table::new("t", &["a"]);
    t.row(["1"]).note(
        "the server's timer fires at about the moment the client's does: whether its \
         trailers get onto the wire, and whether the client still resets the stream, \
         varies from run to run",
    );
    let text = t.to_string();
    let notes: Vec<&str> = text.lines().skip(4).collect();
    assert!(notes.len() > 1, "a long note takes several lines:\n{text}");
    for line in &notes {
        assert!(line.chars().count() <= 88, "{line:?} is wider than 88");
    }
    assert!(notes[0].starts_with("  note: the server's"));
    assert!(notes[1].starts_with("        ") && !notes[1].starts_with("         "));
    let words: Vec<&str> = notes.iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(words[0], "note:");
    assert_eq!(words.last(), Some(&"run"), "no word is lost");
}

#[test]
fn a_table_wider_than_the_books_column_is_wrapped_or_split_and_loses_nothing() {
    // Two long text columns: the widest wraps.
    let mut t = Table::new(
        "Deadline",
        &["what", "with the lab's wrapper", "tonic alone"],
    );
    t.row([
        "status at the client",
        "DeadlineExceeded (no answer within the 100 ms deadline)",
        "Cancelled (Timeout expired)",
    ])
    .row(["grpc-timeout header sent", "100000u", "100000u"]);
    // Many numeric columns: split into parts that repeat the first column.
    let mut wide = Table::new("Wide", &["scenario"]);
    wide.columns
        .extend((0..12).map(|i| format!("column number {i}")));
    wide.row(std::iter::once("first row".to_string()).chain((0..12).map(|i| i.to_string())));

    for table in [&t, &wide] {
        let text = table.to_string();
        print!("{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 88, "{line:?} is wider than 88");
        }
        let words = |s: &str| {
            let mut w: Vec<String> = s.split_whitespace().map(String::from).collect();
            w.sort();
            w
        };
        for cell in table.rows.iter().flatten().chain(&table.columns) {
            for word in words(cell) {
                assert!(text.contains(&word), "{word:?} is missing:\n{text}");
            }
        }
    }
    let wide_text = wide.to_string();
    assert!(
        wide_text.matches("first row").count() >= 2,
        "each part repeats the first column:\n{wide_text}"
    );
    assert!(
        t.to_string()
            .lines()
            .any(|l| l.contains("DeadlineExceeded"))
    );
}
