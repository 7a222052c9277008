//! One publish and one delivery, frame by frame. lapin talks to RabbitMQ
//! through labkit's recording proxy; labkit's AMQP decoder cuts both
//! directions into frames. Two channels share the one TCP connection: the
//! publish goes out on one, the delivery comes back on the other.

use anyhow::Context;
use futures::StreamExt;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::amqp::Frames;
use labkit::wire::{Decoder, Direction, Proxy, Unit};
use lapin::options::{BasicAckOptions, BasicConsumeOptions, QueueDeclareOptions};
use lapin::types::FieldTable;

use crate::{Lab, support};

/// The scenario, as `cargo run -p lab-amqp -- frames` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "frames",
    "one publish and one delivery, frame by frame, two channels on one connection",
    "a message is three frames: method, content header, content body",
);

/// One frame as the lab shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub direction: Direction,
    pub channel: u16,
    pub name: String,
    pub wire_len: usize,
}

/// What the capture holds.
pub struct Capture {
    pub frames: Vec<Seen>,
    pub connections: usize,
    pub publish_channel: u16,
    pub consume_channel: u16,
    pub body: String,
    /// The queue's name, which travels in `basic.publish` and `basic.deliver`.
    pub queue: String,
    pub proxy: Proxy,
}

// ANCHOR: capture
/// Declares a queue, consumes it on one channel, publishes one message on
/// another, receives and acks it — all through the proxy.
pub async fn capture(url: &str, broker: std::net::SocketAddr) -> anyhow::Result<Capture> {
    let proxy = Proxy::start(broker)
        .await
        .context("starting the recording proxy")?;
    let conn = support::connect(&crate::via(url, proxy.addr())).await?;
    let consume = conn.create_channel().await?;
    let publish = conn.create_channel().await?;
    // The broker names the queue (`amq.gen-` and 22 characters, always 30):
    // the name travels in the publish and the delivery, so a name of fixed
    // length keeps their byte counts the same from run to run.
    let q = consume
        .queue_declare(
            "",
            QueueDeclareOptions {
                exclusive: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await?
        .name()
        .to_string();
    let mut deliveries = consume
        .basic_consume(
            &q,
            "",
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    // ANCHOR: one_message
    let body = "order 42 shipped";
    publish
        .basic_publish(
            "",
            &q,
            Default::default(),
            body.as_bytes(),
            support::persistent(),
        )
        .await?;
    let d = deliveries.next().await.context("no delivery")??;
    d.acker.ack(BasicAckOptions::default()).await?;
    // ANCHOR_END: one_message
    conn.close(200, "done").await.ok();
    proxy.wait_closed(std::time::Duration::from_secs(10)).await;

    let mut frames = Vec::new();
    for conn in proxy.recording() {
        for dir in Direction::BOTH {
            for f in Frames.decode_conn(&conn, dir).units {
                frames.push(Seen {
                    direction: dir,
                    channel: f.channel,
                    name: f.name(),
                    wire_len: f.wire_len(),
                });
            }
        }
    }
    Ok(Capture {
        frames,
        connections: proxy.connections_opened(),
        publish_channel: publish.id(),
        consume_channel: consume.id(),
        body: String::from_utf8_lossy(&d.data).into_owned(),
        queue: q,
        proxy,
    })
}
// ANCHOR_END: capture

/// The frames from the first `name` on `channel` in `dir`, and the two after it.
pub fn message_frames(c: &Capture, dir: Direction, name: &str) -> Vec<Seen> {
    let in_dir: Vec<&Seen> = c.frames.iter().filter(|f| f.direction == dir).collect();
    let Some(i) = in_dir.iter().position(|f| f.name == name) else {
        return Vec::new();
    };
    in_dir[i..].iter().take(3).map(|s| (*s).clone()).collect()
}

/// The scenario, on the lab's shared broker.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = lab.broker().await?;
    let c = capture(broker.url(), broker.addr()).await?;
    let mut t = Table::new(
        "One publish and its delivery, as frames",
        &["direction", "channel", "frame", "bytes"],
    );
    for f in message_frames(&c, Direction::ToServer, "basic.publish")
        .into_iter()
        .chain(message_frames(&c, Direction::ToClient, "basic.deliver"))
    {
        t.row([
            f.direction.to_string(),
            f.channel.to_string(),
            f.name,
            f.wire_len.to_string(),
        ]);
    }
    let mut all = Table::new(
        "Every frame on the connection, client → server",
        &["channel", "frame"],
    );
    for f in c
        .frames
        .iter()
        .filter(|f| f.direction == Direction::ToServer)
    {
        all.row([f.channel.to_string(), f.name.clone()]);
    }
    let mut report = Report::new(crate::LAB, "frames");
    report.table(t).table(all);
    report.value("tcp_connections", c.connections);
    Ok(report)
}
