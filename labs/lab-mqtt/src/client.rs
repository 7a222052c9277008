//! Small helpers around rumqttc, the MQTT client library every scenario
//! uses: connect and wait for the CONNACK, subscribe and wait for the
//! SUBACK, and collect what a subscriber receives.
//!
//! rumqttc splits a client in two: an `AsyncClient` handle that queues
//! requests, and an `EventLoop` that must be polled for anything to move.
//! Scenarios that break connections on purpose poll the loop themselves;
//! the others hand it to a task here.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use rumqttc::{AsyncClient, Event, EventLoop, Incoming, MqttOptions, Publish, QoS};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How long any single wait may take before the lab calls it a hang.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Options for a client called `id` at `addr`: keep-alive 30 s, clean session.
pub fn options(id: &str, addr: SocketAddr) -> MqttOptions {
    let mut o = MqttOptions::new(id, addr.ip().to_string(), addr.port());
    o.set_keep_alive(Duration::from_secs(30));
    if let Some((user, password)) = crate::broker::login() {
        o.set_credentials(user, password);
    }
    o
}

/// The QoS level numbered 0, 1 or 2.
pub fn qos(level: u8) -> QoS {
    match level {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

/// Polls `events` until `wanted` says yes, returning that event. A
/// connection error ends the wait with the error and what to check.
pub async fn poll_until(
    events: &mut EventLoop,
    what: &str,
    mut wanted: impl FnMut(&Event) -> bool,
) -> anyhow::Result<Event> {
    let wait = async {
        loop {
            let event = events.poll().await.with_context(|| {
                format!(
                    "the MQTT connection failed while waiting for {what}; is the broker still up?"
                )
            })?;
            if wanted(&event) {
                return Ok::<_, anyhow::Error>(event);
            }
        }
    };
    match tokio::time::timeout(PATIENCE, wait).await {
        Ok(result) => result,
        Err(_) => bail!("no {what} within {PATIENCE:?}; is the broker overloaded or stopped?"),
    }
}

/// Connects and waits for the CONNACK; returns the handle, the loop and
/// whether the broker said it still had a session for this client.
pub async fn connect(options: MqttOptions) -> anyhow::Result<(AsyncClient, EventLoop, bool)> {
    let (client, mut events) = AsyncClient::new(options, 100);
    let event = poll_until(&mut events, "CONNACK", |e| {
        matches!(e, Event::Incoming(Incoming::ConnAck(_)))
    })
    .await?;
    let present = matches!(event, Event::Incoming(Incoming::ConnAck(ack)) if ack.session_present);
    Ok((client, events, present))
}

/// A connected subscriber whose deliveries arrive on a channel.
pub struct Subscriber {
    pub client: AsyncClient,
    /// The broker told us it kept our session (CONNACK's session-present flag).
    pub session_present: bool,
    received: mpsc::UnboundedReceiver<Publish>,
    task: JoinHandle<()>,
}

impl Subscriber {
    /// Connects with `options`, subscribes to `filter` at `level` and waits
    /// for the SUBACK. Deliveries queued for a kept session may arrive at
    /// once; they are on the channel too.
    pub async fn start(
        options: MqttOptions,
        filter: &str,
        level: u8,
    ) -> anyhow::Result<Subscriber> {
        let (client, mut events, session_present) = connect(options).await?;
        client.subscribe(filter, qos(level)).await?;
        let (tx, received) = mpsc::unbounded_channel();
        let mut early = Vec::new();
        poll_until(&mut events, "SUBACK", |e| match e {
            Event::Incoming(Incoming::SubAck(_)) => true,
            Event::Incoming(Incoming::Publish(p)) => {
                early.push(p.clone());
                false
            }
            _ => false,
        })
        .await?;
        for p in early {
            let _ = tx.send(p);
        }
        let task = tokio::spawn(forward(events, tx));
        Ok(Subscriber {
            client,
            session_present,
            received,
            task,
        })
    }

    /// Like [`Subscriber::start`] without subscribing: for a kept session,
    /// whose subscription the broker remembers.
    pub async fn resume(options: MqttOptions) -> anyhow::Result<Subscriber> {
        let (client, events, session_present) = connect(options).await?;
        let (tx, received) = mpsc::unbounded_channel();
        let task = tokio::spawn(forward(events, tx));
        Ok(Subscriber {
            client,
            session_present,
            received,
            task,
        })
    }

    /// The next delivery, or `None` if none comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Publish> {
        tokio::time::timeout(wait, self.received.recv())
            .await
            .ok()
            .flatten()
    }

    /// Deliveries up to and including the first whose payload is `fence`.
    pub async fn until(&mut self, fence: &[u8]) -> anyhow::Result<Vec<Publish>> {
        let mut got = Vec::new();
        loop {
            let p = self.next(PATIENCE).await.with_context(|| {
                format!(
                    "the fence message {:?} never arrived",
                    String::from_utf8_lossy(fence)
                )
            })?;
            let done = p.payload.as_ref() == fence;
            got.push(p);
            if done {
                return Ok(got);
            }
        }
    }

    /// Disconnects cleanly (a DISCONNECT packet) and stops the loop.
    pub async fn disconnect(self) {
        let _ = self.client.disconnect().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.task.abort();
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Polls a loop forever, passing deliveries on; ends when the connection does.
async fn forward(mut events: EventLoop, tx: mpsc::UnboundedSender<Publish>) {
    while let Ok(event) = events.poll().await {
        if let Event::Incoming(Incoming::Publish(p)) = event
            && tx.send(p).is_err()
        {
            return;
        }
    }
}

/// Connects once more as `id` with a clean session and leaves: the broker
/// drops the session it kept for `id`, so a lab run does not leave
/// sessions behind on a broker that outlives it.
pub async fn forget(addr: SocketAddr, id: &str) -> anyhow::Result<()> {
    let (client, mut events, _) = connect(options(id, addr)).await?;
    client.disconnect().await?;
    let _ = poll_until(&mut events, "the end of the connection", |_| false).await;
    Ok(())
}

/// Publishes one message and polls until the broker has taken it: the
/// PUBACK (QoS 1), the PUBCOMP (QoS 2) or, for QoS 0, the packet written.
pub async fn publish_and_wait(
    client: &AsyncClient,
    events: &mut EventLoop,
    topic: &str,
    level: u8,
    retain: bool,
    payload: Vec<u8>,
) -> anyhow::Result<()> {
    client.publish(topic, qos(level), retain, payload).await?;
    poll_until(events, "the broker's acknowledgement", |e| match level {
        0 => matches!(e, Event::Outgoing(rumqttc::Outgoing::Publish(_))),
        1 => matches!(e, Event::Incoming(Incoming::PubAck(_))),
        _ => matches!(e, Event::Incoming(Incoming::PubComp(_))),
    })
    .await?;
    Ok(())
}
