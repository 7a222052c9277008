//! Scenario `protobuf`: the same messages as protobuf and as JSON — bytes,
//! encode time, decode time (a benchmark, reported as ratios).
//!
//! Sizes are exact and tested. Times vary with the machine, so they are
//! measured side by side in one run and reported as ratios, never asserted.
//! The JSON side uses serde with the same field names as the .proto, the
//! way a REST service would write these messages.

use std::hint::black_box;
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::measure::{duration_ratio, fmt_ratio, median_of, time_per_op};
use labkit::report::{BarChart, Report, Table};
use prost::Message;
use serde::{Deserialize, Serialize};

use crate::Lab;
use crate::proto::v1::{ChargeRequest, Event};
use crate::wire::sample_charge;

/// The JSON twin of `ChargeRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeJson {
    pub idempotency_key: String,
    pub amount_cents: i64,
    pub currency: String,
    pub source_token: String,
}

/// The JSON twin of `Event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventJson {
    pub id: u64,
    pub kind: String,
}

/// A batch of events, the protobuf way (a repeated field needs a message).
#[derive(Clone, PartialEq, prost::Message)]
pub struct EventBatch {
    #[prost(message, repeated, tag = "1")]
    pub events: Vec<Event>,
}

pub fn charge_json(c: &ChargeRequest) -> ChargeJson {
    ChargeJson {
        idempotency_key: c.idempotency_key.clone(),
        amount_cents: c.amount_cents,
        currency: c.currency.clone(),
        source_token: c.source_token.clone(),
    }
}

pub fn events(n: u64) -> Vec<Event> {
    (1..=n)
        .map(|id| Event {
            id: 1_000_000 + id,
            kind: "charge.succeeded".into(),
        })
        .collect()
}

// ANCHOR: sizes
/// Encoded sizes of the sample charge: (protobuf, JSON).
pub fn charge_sizes() -> (usize, usize) {
    let charge = sample_charge(1);
    let json = serde_json::to_vec(&charge_json(&charge)).expect("plain structs encode");
    (charge.encode_to_vec().len(), json.len())
}

/// Encoded sizes of a batch of `n` events: (protobuf, JSON).
pub fn batch_sizes(n: u64) -> (usize, usize) {
    let list = events(n);
    let json: Vec<EventJson> = list
        .iter()
        .map(|e| EventJson {
            id: e.id,
            kind: e.kind.clone(),
        })
        .collect();
    let proto = EventBatch { events: list }.encode_to_vec();
    (
        proto.len(),
        serde_json::to_vec(&json)
            .expect("plain structs encode")
            .len(),
    )
}
// ANCHOR_END: sizes

/// The median time of `f`, run `reps` times per round over 7 rounds.
fn median_per_op(reps: u32, mut f: impl FnMut()) -> Duration {
    median_of(7, || time_per_op(reps, &mut f))
}

/// One row of the benchmark: per-operation times for both formats.
#[derive(Debug, Clone)]
pub struct Timing {
    pub what: String,
    pub proto_bytes: usize,
    pub json_bytes: usize,
    pub proto_encode: Duration,
    pub json_encode: Duration,
    pub proto_decode: Duration,
    pub json_decode: Duration,
}

/// Measures encode and decode times of the sample charge and a 1000-event batch.
pub fn bench() -> anyhow::Result<Vec<Timing>> {
    let charge = sample_charge(1);
    let cj = charge_json(&charge);
    let cp = charge.encode_to_vec();
    let cjb = serde_json::to_vec(&cj)?;
    let one = Timing {
        what: "one ChargeRequest".into(),
        proto_bytes: cp.len(),
        json_bytes: cjb.len(),
        proto_encode: median_per_op(20_000, || {
            drop(black_box(black_box(&charge).encode_to_vec()))
        }),
        json_encode: median_per_op(20_000, || {
            drop(black_box(serde_json::to_vec(black_box(&cj))))
        }),
        proto_decode: median_per_op(20_000, || {
            drop(black_box(ChargeRequest::decode(black_box(&cp[..]))))
        }),
        json_decode: median_per_op(20_000, || {
            drop(black_box(serde_json::from_slice::<ChargeJson>(black_box(
                &cjb,
            ))))
        }),
    };
    let batch = EventBatch {
        events: events(1000),
    };
    let bj: Vec<EventJson> = batch
        .events
        .iter()
        .map(|e| EventJson {
            id: e.id,
            kind: e.kind.clone(),
        })
        .collect();
    let bp = batch.encode_to_vec();
    let bjb = serde_json::to_vec(&bj)?;
    let many = Timing {
        what: "1000 Events".into(),
        proto_bytes: bp.len(),
        json_bytes: bjb.len(),
        proto_encode: median_per_op(50, || drop(black_box(black_box(&batch).encode_to_vec()))),
        json_encode: median_per_op(50, || drop(black_box(serde_json::to_vec(black_box(&bj))))),
        proto_decode: median_per_op(50, || {
            drop(black_box(EventBatch::decode(black_box(&bp[..]))))
        }),
        json_decode: median_per_op(50, || {
            drop(black_box(serde_json::from_slice::<Vec<EventJson>>(
                black_box(&bjb),
            )))
        }),
    };
    Ok(vec![one, many])
}

/// The scenario, as `cargo run -p lab-grpc -- protobuf` runs it.
pub const SCENARIO: Scenario = Scenario::benchmark(
    "protobuf",
    "protobuf against JSON: sizes, encode and decode times",
    "the size ratio is exact; the time ratios depend on your machine",
);

/// The `protobuf` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let rows = bench()?;
    let mut table = Table::new(
        "Protobuf against JSON (serde_json) for the same messages; ratios are JSON ÷ protobuf",
        &[
            "message",
            "bytes pb / json",
            "size ratio",
            "encode pb / json",
            "encode ratio",
            "decode pb / json",
            "decode ratio",
        ],
    );
    let ratio = |pb: Duration, json: Duration| fmt_ratio(duration_ratio(json, pb));
    for t in &rows {
        table.row([
            t.what.clone(),
            format!("{} / {}", t.proto_bytes, t.json_bytes),
            fmt_ratio(labkit::measure::ratio(
                t.json_bytes as f64,
                t.proto_bytes as f64,
            )),
            format!(
                "{} / {}",
                labkit::measure::human_duration(t.proto_encode),
                labkit::measure::human_duration(t.json_encode)
            ),
            ratio(t.proto_encode, t.json_encode),
            format!(
                "{} / {}",
                labkit::measure::human_duration(t.proto_decode),
                labkit::measure::human_duration(t.json_decode)
            ),
            ratio(t.proto_decode, t.json_decode),
        ]);
    }
    table.note("a benchmark: medians of 7 rounds on this machine; build with --release for numbers worth quoting");
    let mut report = Report::new(crate::LAB, "protobuf");
    report.table(table);
    let ratios = |f: &dyn Fn(&Timing) -> f64| rows.iter().map(f).collect::<Vec<_>>();
    let chart = BarChart::new(
        "JSON ÷ protobuf for the same messages (higher: protobuf wins by more)",
        "x",
    )
    .categories(rows.iter().map(|t| t.what.clone()))
    .series(
        "bytes",
        ratios(&|t| t.json_bytes as f64 / t.proto_bytes as f64),
    )
    .series(
        "encode time",
        ratios(&|t| t.json_encode.as_secs_f64() / t.proto_encode.as_secs_f64()),
    )
    .series(
        "decode time",
        ratios(&|t| t.json_decode.as_secs_f64() / t.proto_decode.as_secs_f64()),
    );
    report.chart("ratios", chart.to_svg());
    Ok(report)
}
