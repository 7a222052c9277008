//! Core NATS, on a real nats-server: what the chapter's NATS section says
//! about subjects, request/reply, queue groups and at-most-once delivery.

use lab_contenders::{Lab, nats_away, nats_queue, nats_request, nats_subjects};
use labkit::wire::Unit;
use labkit::wire::nats::Verb;

#[tokio::test]
async fn a_star_matches_one_token_and_a_chevron_one_or_more() {
    let lab = Lab::new();
    let got = nats_subjects::matches(lab.nats().await.unwrap().url())
        .await
        .unwrap();
    assert_eq!(got["charge.EUR"], ["charge.EUR"]);
    assert_eq!(
        got["charge.*"],
        ["charge.EUR", "charge.USD"],
        "`*` is one token"
    );
    assert_eq!(
        got["charge.>"],
        ["charge.EUR", "charge.USD", "charge.EUR.refund"],
        "`>` is one or more tokens"
    );
    assert_eq!(got["*.EUR"], ["charge.EUR", "refund.EUR"]);
}

#[tokio::test]
async fn a_request_carries_its_reply_inbox_on_the_wire() {
    let lab = Lab::new();
    let c = nats_request::converse(lab.nats().await.unwrap().addr())
        .await
        .unwrap();
    assert_eq!(c.answer, "ch_0000000001 for 1250 EUR");
    // The requester publishes the request with an inbox as its reply subject...
    let request = c
        .requester_sent
        .iter()
        .find(|o| {
            o.verb == Verb::Pub && o.subject.as_deref().is_some_and(|s| s.ends_with(".charge"))
        })
        .expect("the requester's PUB");
    let inbox = request
        .reply_to
        .clone()
        .expect("a reply subject on the PUB");
    assert!(inbox.starts_with("_INBOX."), "{inbox}");
    // ...having subscribed to a wildcard that covers it,
    let sub = c
        .requester_sent
        .iter()
        .find(|o| o.verb == Verb::Sub)
        .expect("the requester's SUB");
    let pattern = sub.subject.clone().unwrap();
    assert!(
        inbox.starts_with(pattern.trim_end_matches('*')),
        "{pattern} covers {inbox}"
    );
    // the responder receives it with that same inbox,
    let delivered = nats_request::carrying(&c.responder_got)
        .find(|o| o.verb == Verb::Msg)
        .unwrap();
    assert_eq!(delivered.reply_to.as_deref(), Some(inbox.as_str()));
    assert_eq!(delivered.payload, b"1250 EUR");
    // answers with a plain PUB to it, and the requester gets a MSG on it.
    let answer = nats_request::carrying(&c.responder_sent)
        .find(|o| o.verb == Verb::Pub)
        .unwrap();
    assert_eq!(answer.subject.as_deref(), Some(inbox.as_str()));
    assert!(
        c.requester_got
            .iter()
            .any(|o| o.verb == Verb::Msg && o.subject.as_deref() == Some(inbox.as_str()))
    );
}

#[tokio::test]
async fn a_request_nobody_serves_comes_back_as_a_503_status() {
    let lab = Lab::new();
    let c = nats_request::converse(lab.nats().await.unwrap().addr())
        .await
        .unwrap();
    let status = c
        .requester_got
        .iter()
        .find(|o| o.verb == Verb::Hmsg)
        .expect("an HMSG to the requester's inbox");
    assert_eq!(status.status(), Some(503), "no responders");
    assert_eq!(status.body_len(), 0, "the status carries no payload");
    assert!(
        c.no_responders.contains("no responders"),
        "{}",
        c.no_responders
    );
}

#[tokio::test]
async fn a_queue_group_hands_each_message_to_one_member() {
    let lab = Lab::new();
    let s = nats_queue::spread(lab.nats().await.unwrap().url(), 3)
        .await
        .unwrap();
    assert_eq!(s.per_worker.iter().sum::<usize>(), nats_queue::CHARGES);
    assert_eq!(s.handled_twice, 0, "no charge went to two members");
    assert!(
        s.per_worker.iter().all(|&n| n > 0),
        "every member got work: {:?}",
        s.per_worker
    );
    assert_eq!(
        s.monitor,
        nats_queue::CHARGES,
        "a plain subscriber gets all"
    );
}

#[tokio::test]
async fn a_subscriber_that_is_away_misses_what_was_published() {
    let lab = Lab::new();
    let a = nats_away::absence(lab.nats().await.unwrap().url())
        .await
        .unwrap();
    let all = nats_away::PER_PHASE;
    assert_eq!(
        a,
        nats_away::Absence {
            before: all,
            while_away: 0,
            after: all,
            publish_errors: 0
        }
    );
}
