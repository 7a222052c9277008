//! Exercise `amqp-failover`: a publisher that survives its broker dying
//! mid-publish, and a consumer that keeps each message once.
//!
//! `publish_all` takes messages from `messages` as the application hands
//! them over and publishes each to `queue` (a durable quorum queue, already
//! declared) through the broker at `url`. It returns, once `messages` is
//! closed and empty, how many messages the broker confirmed. While it runs,
//! the grading test freezes the broker, kills it (SIGKILL) and starts it
//! again: the connection closes under you with confirms still outstanding,
//! exactly as when your node of a cluster dies. Every message must end up
//! in the queue; a message may end up there twice.
//!
//! `Inbox` is the consumer's side: `is_new` is asked about every delivery
//! and says whether to process it — true once per message, false for a
//! second copy.
//!
//! Today the publisher sends each message once, transient and without an
//! id, counts what it sent, and gives up when the connection dies; the
//! inbox processes everything.
//!
//! Grade it: `cargo exercises grade amqp-failover`.

use lapin::BasicProperties;
use lapin::message::Delivery;
use lapin::options::BasicPublishOptions;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::support::{self, Message};

// ANCHOR: starter
pub async fn publish_all(
    url: &str,
    queue: &str,
    mut messages: UnboundedReceiver<Message>,
) -> anyhow::Result<usize> {
    let conn = support::connect(url).await?;
    let ch = conn.create_channel().await?;
    // TODO: persistent messages carrying their id (`message_id`), publisher
    // confirms, and a message counts only once the broker has acked it.
    // When the connection dies: connect again (the broker needs a few
    // seconds to come back) and send every message not yet acked.
    let mut sent = 0;
    while let Some(m) = messages.recv().await {
        ch.basic_publish(
            "",
            queue,
            BasicPublishOptions::default(),
            m.body.as_bytes(),
            BasicProperties::default(),
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}

/// What the consumer has processed.
#[derive(Default)]
pub struct Inbox {
    // TODO: remember what you have seen.
}

impl Inbox {
    /// Whether to process `delivery`: true the first time, false for a
    /// second copy of a message already processed.
    pub fn is_new(&mut self, delivery: &Delivery) -> bool {
        // TODO: decide by the message's id.
        let _ = delivery;
        true
    }
}
// ANCHOR_END: starter
