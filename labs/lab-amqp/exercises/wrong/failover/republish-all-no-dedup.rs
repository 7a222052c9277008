//! Wrong: after the connection dies it sends every message again from the first, and the consumer processes every copy it gets.

use std::time::Duration;

use anyhow::bail;
use lapin::message::Delivery;
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::publisher_confirm::Confirmation;
use lapin::{BasicProperties, Channel, Connection};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::support::{self, Message};

/// How long to wait for a batch's confirms on a connection that looks alive.
const PATIENCE: Duration = Duration::from_secs(5);

pub async fn publish_all(
    url: &str,
    queue: &str,
    mut messages: UnboundedReceiver<Message>,
) -> anyhow::Result<usize> {
    let (mut conn, mut ch) = connect_again(url).await?;
    let mut all = Vec::new(); // every message so far, to start over with
    let mut batch = Vec::new();
    while messages.recv_many(&mut batch, 100).await > 0 {
        all.extend(batch.iter().cloned());
        let mut to_send = std::mem::take(&mut batch);
        while !to_send.is_empty() {
            to_send = send(&ch, queue, &to_send).await;
            if !to_send.is_empty() && !conn.status().connected() {
                (conn, ch) = connect_again(url).await?;
                to_send = all.clone(); // from the start, to be safe
            }
        }
    }
    conn.close(200, "done").await.ok();
    Ok(all.len())
}

/// Publishes `batch` and waits for every answer; returns the messages the
/// broker did not confirm: nacked, unanswered, or cut off with the connection.
async fn send(ch: &Channel, queue: &str, batch: &[Message]) -> Vec<Message> {
    let mut unconfirmed = Vec::new();
    let mut waiting = Vec::new();
    for m in batch {
        let props = BasicProperties::default()
            .with_delivery_mode(2) // persistent
            .with_message_id(m.id.as_str().into());
        let options = BasicPublishOptions::default();
        match ch
            .basic_publish("", queue, options, m.body.as_bytes(), props)
            .await
        {
            Ok(confirm) => waiting.push((m, confirm)),
            Err(_) => unconfirmed.push(m.clone()),
        }
    }
    let deadline = tokio::time::Instant::now() + PATIENCE;
    for (m, confirm) in waiting {
        match tokio::time::timeout_at(deadline, confirm).await {
            Ok(Ok(Confirmation::Ack(_))) => {}
            _ => unconfirmed.push(m.clone()),
        }
    }
    unconfirmed
}

/// A connection and a confirm-mode channel, retried for up to a minute
/// while the broker is down.
async fn connect_again(url: &str) -> anyhow::Result<(Connection, Channel)> {
    for _ in 0..120 {
        let attempt = tokio::time::timeout(PATIENCE, support::connect(url)).await;
        if let Ok(Ok(conn)) = attempt {
            let ch = conn.create_channel().await?;
            ch.confirm_select(ConfirmSelectOptions::default()).await?;
            return Ok((conn, ch));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    bail!(
        "the broker at {} did not come back in a minute",
        labkit::broker::mask(url)
    )
}

/// What the consumer has processed: a count, no ids.
#[derive(Default)]
pub struct Inbox {
    processed: usize,
}

impl Inbox {
    /// Every delivery is processed, copies included.
    pub fn is_new(&mut self, _delivery: &Delivery) -> bool {
        self.processed += 1;
        true
    }
}
