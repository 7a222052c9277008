//! Wrong: subscribes without a queue group, so every instance answers every request and charges it.
//!
//! A known-wrong answer to `contenders-nats-service`, which the grading
//! tests must refuse (`cargo exercises verify` checks that they do).

use async_nats::{Client, Message, Subscriber};
use domain::{Charge, ChargeRequest};
use lab_contenders::ledger::Ledger;

/// The subject requesters send charges to.
pub const SUBJECT: &str = "payments.charge";
/// The queue group the instances of the service share.
pub const GROUP: &str = "charge-service";

/// Takes the charge a request's payload (a JSON `ChargeRequest`) asks for.
pub fn take_charge(ledger: &Ledger, payload: &[u8]) -> anyhow::Result<Charge> {
    let request: ChargeRequest = serde_json::from_slice(payload)?;
    ledger
        .charge(&request)
        .map_err(|why| anyhow::anyhow!("{why}"))
}

/// An answer's payload: `{"by":…,"charge":{…}}`, or `{"by":…,"error":"…"}`
/// when the charge was refused.
pub fn answer_body(instance: &str, outcome: &anyhow::Result<Charge>) -> Vec<u8> {
    let json = match outcome {
        Ok(charge) => serde_json::json!({ "by": instance, "charge": charge }),
        Err(why) => serde_json::json!({ "by": instance, "error": why.to_string() }),
    };
    json.to_string().into_bytes()
}

// ANCHOR: starter
/// Subscribes this instance (`instance` is its name) to the requests.
pub async fn join(client: &Client, instance: &str) -> anyhow::Result<Subscriber> {
    let _ = instance;
    Ok(client.subscribe(SUBJECT).await?)
}

/// Answers one request: takes the charge and sends the answer (the charge,
/// or why it was refused) back to whoever asked.
pub async fn answer(
    client: &Client,
    ledger: &Ledger,
    instance: &str,
    request: &Message,
) -> anyhow::Result<()> {
    let outcome = take_charge(ledger, &request.payload);
    let body = answer_body(instance, &outcome);
    // The requester listens on the inbox it named, not on the subject.
    let Some(inbox) = request.reply.clone() else {
        anyhow::bail!("a request with no reply inbox: nobody to answer");
    };
    client.publish(inbox, body.into()).await?;
    Ok(())
}
// ANCHOR_END: starter
