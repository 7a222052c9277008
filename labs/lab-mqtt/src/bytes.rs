//! Scenario `bytes`: what one reading weighs as an MQTT PUBLISH, next to
//! the HTTP POST that carries the same reading in Chapter 1.
//!
//! The publisher sends Chapter 1's `Reading`, as the same JSON, through
//! labkit's proxy; labkit's MQTT decoder splits the PUBLISH into what comes
//! before the payload (fixed header, topic, packet id) and the payload.
//! The HTTP side is measured again in the same run with Chapter 1's own
//! code (`lab_rest::baseline::measure_exchanges`), against Chapter 1's own server.

use anyhow::Context;
use domain::Reading;
use labkit::cli::Scenario;
use labkit::report::{BarChart, Report, Table};
use labkit::wire::mqtt::{Kind, Packet, Packets};
use labkit::wire::{Decoder, Direction, Proxy};

use crate::client;
use crate::{Broker, Lab};

/// The scenario, as `cargo run -p lab-mqtt -- bytes` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "bytes",
    "one reading as an MQTT PUBLISH (QoS 0, 1, 2) and as Chapter 1's HTTP POST",
    "the bytes before the reading: the topic travels in every PUBLISH, headers in every POST",
);

/// The topic a greenhouse sensor publishes its readings on.
pub const TOPIC: &str = "greenhouse/7/readings";

/// One way of sending a reading, and the bytes it took each way.
#[derive(Debug, Clone)]
pub struct Cost {
    pub what: String,
    /// Bytes before the reading, client → server.
    pub overhead_up: usize,
    /// The reading itself.
    pub payload: usize,
    /// Bytes server → client that answer it.
    pub answer: usize,
}

impl Cost {
    /// Every byte of the exchange, both ways.
    pub fn total(&self) -> usize {
        self.overhead_up + self.payload + self.answer
    }
}

// ANCHOR: measure
/// Publishes one reading at each QoS level on one connection through a
/// recording proxy, and returns the PUBLISH packets and the packets that
/// answered them, as the decoder read them off the wire.
pub async fn publishes(broker: &Broker) -> anyhow::Result<Vec<(Packet, Vec<Packet>)>> {
    let proxy = Proxy::start(broker.addr()).await?;
    let (client, mut events, _) =
        client::connect(client::options("sensor-7", proxy.addr())).await?;
    let reading = serde_json::to_vec(&Reading::sample(7))?;
    for qos in 0..=2 {
        client::publish_and_wait(&client, &mut events, TOPIC, qos, false, reading.clone()).await?;
    }
    client.disconnect().await?;
    let _ = client::poll_until(&mut events, "the end of the connection", |_| false).await;
    proxy.wait_closed(client::PATIENCE).await;

    let conn = proxy
        .recording()
        .into_iter()
        .next()
        .context("the proxy saw no connection")?;
    let up = Packets::auto()
        .decode_conn(&conn, Direction::ToServer)
        .complete()?;
    let down = Packets::auto()
        .decode_conn(&conn, Direction::ToClient)
        .complete()?;
    let publishes: Vec<Packet> = up
        .iter()
        .filter(|p| p.kind == Kind::Publish)
        .cloned()
        .collect();
    Ok(publishes
        .into_iter()
        .map(|publish| {
            // The answers are the packets carrying its packet id, both ways.
            let answers = up
                .iter()
                .chain(&down)
                .filter(|p| p.kind != Kind::Publish && p.packet_id.is_some())
                .filter(|p| publish.packet_id == p.packet_id)
                .cloned()
                .collect();
            (publish, answers)
        })
        .collect())
}
// ANCHOR_END: measure

/// The MQTT costs (QoS 0, 1, 2) and Chapter 1's HTTP POST, side by side.
pub async fn compare(broker: &Broker) -> anyhow::Result<Vec<Cost>> {
    let mut costs = Vec::new();
    for (publish, answers) in publishes(broker).await? {
        let qos = publish.qos().unwrap_or(0);
        // PUBREL travels client → server but answers nothing new: count it
        // with the answers, as the price of the guarantee.
        costs.push(Cost {
            what: format!("MQTT PUBLISH, QoS {qos}"),
            overhead_up: publish.header_len,
            payload: publish.payload_len,
            answer: answers.iter().map(Packet::len).sum(),
        });
    }
    let rest = lab_rest::baseline::start().await?;
    let http = lab_rest::baseline::measure_exchanges(&rest).await?;
    let post = http
        .first()
        .context("Chapter 1's measurement returned nothing")?;
    costs.push(Cost {
        what: "HTTP/1.1 POST (Chapter 1)".into(),
        overhead_up: post.request_head,
        payload: post.request_body,
        answer: post.response_head + post.response_body,
    });
    Ok(costs)
}

/// The `bytes` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let costs = compare(broker).await?;
    let mut table = Table::new(
        format!(
            "One reading ({} bytes of JSON) sent to a broker or a server",
            costs[0].payload
        ),
        &["how", "before the reading", "reading", "answers", "total"],
    );
    for c in &costs {
        table.row([
            c.what.clone(),
            c.overhead_up.to_string(),
            c.payload.to_string(),
            c.answer.to_string(),
            c.total().to_string(),
        ]);
    }
    table.note("in bytes; answers: the acknowledgements, or HTTP's response, both ways");
    let http = costs.last().map_or(1, Cost::total);
    table.note(format!(
        "topic \"{TOPIC}\" ({} bytes) travels in every PUBLISH; the HTTP exchange is {:.1}x the QoS 1 exchange",
        TOPIC.len(),
        http as f64 / costs[1].total() as f64
    ));
    let chart = BarChart::new("Bytes on the wire for one reading", "bytes")
        .categories(costs.iter().map(|c| c.what.clone()))
        .series(
            "before the reading",
            costs.iter().map(|c| c.overhead_up as f64),
        )
        .series("reading", costs.iter().map(|c| c.payload as f64))
        .series("answer", costs.iter().map(|c| c.answer as f64));
    let mut report = Report::new(crate::LAB, "bytes");
    report.table(table);
    report.chart("bytes", chart.to_svg());
    for c in &costs {
        report.value(
            &c.what.to_lowercase().replace([' ', ',', '/', '(', ')', '.'], "_"),
            serde_json::json!({"overhead_up": c.overhead_up, "payload": c.payload, "answer": c.answer}),
        );
    }
    Ok(report)
}
