//! Grading tests for `contenders-nats-service`.
//!
//! Three instances of your service, each on a connection of its own, serve
//! one private nats-server; a requester sends 60 charges, three of them
//! invalid, each with a reply inbox of its own, and counts the answers
//! that arrive on each inbox.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use lab_contenders::ledger::Ledger;
use lab_contenders::nats_client::{connect, round_trip};
use lab_contenders_exercises::nats_service::{SUBJECT, answer, join};
use labkit::broker::{self, Kind, Options};
use labkit::grade::{expect_eq, expect_ok};
use serde_json::Value;

const INSTANCES: [&str; 3] = ["svc-1", "svc-2", "svc-3"];
const REQUESTS: usize = 60;

/// Requests 7, 27 and 47 ask for 0 cents, which the ledger refuses.
fn invalid(i: usize) -> bool {
    i % 20 == 7
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_is_answered_once_on_its_inbox() {
    let server = expect_ok(
        broker::private(Kind::Nats, Options::new()).await,
        "a private nats-server starts (is the nats-server package installed?)",
    );
    let ledger = Arc::new(Ledger::new());
    let mut instances = Vec::new();
    for name in INSTANCES {
        let client = connect(server.url()).await.unwrap();
        let mut requests = expect_ok(join(&client, name).await, "join subscribes");
        round_trip(&client).await.unwrap(); // the subscription is in place
        let ledger = ledger.clone();
        instances.push(tokio::spawn(async move {
            while let Some(request) = requests.next().await {
                if request.reply.is_none() {
                    continue; // not a request: somebody published to the subject
                }
                let _ = answer(&client, &ledger, name, &request).await;
            }
        }));
    }

    let requester = connect(server.url()).await.unwrap();
    let inbox = requester.new_inbox();
    let mut answers = requester.subscribe(format!("{inbox}.*")).await.unwrap();
    round_trip(&requester).await.unwrap();
    for i in 0..REQUESTS {
        let cents = if invalid(i) { 0 } else { 100 + i };
        let body = format!(r#"{{"amount_cents":{cents},"currency":"EUR"}}"#);
        requester
            .publish_with_reply(SUBJECT, format!("{inbox}.{i}"), body.into())
            .await
            .unwrap();
    }
    requester.flush().await.unwrap();

    // Every answer, by request number; wait at most 5 s for the 60, then
    // half a second more for any late second answer.
    let mut got: BTreeMap<usize, Vec<Value>> = BTreeMap::new();
    let take = |m: async_nats::Message, got: &mut BTreeMap<usize, Vec<Value>>| {
        let i = m.subject.rsplit('.').next().and_then(|t| t.parse().ok());
        let v = serde_json::from_slice(&m.payload).unwrap_or(Value::Null);
        got.entry(i.unwrap_or(usize::MAX)).or_default().push(v);
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while got.len() < REQUESTS {
        match tokio::time::timeout_at(deadline, answers.next()).await {
            Ok(Some(m)) => take(m, &mut got),
            _ => break,
        }
    }
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_millis(500), answers.next()).await {
        take(m, &mut got);
    }
    for i in instances {
        i.abort();
    }

    let unanswered: Vec<usize> = (0..REQUESTS).filter(|i| !got.contains_key(i)).collect();
    expect_eq(
        unanswered,
        vec![],
        "every one of the 60 requests gets an answer on its reply inbox",
    );
    let twice: Vec<usize> = got
        .iter()
        .filter(|(_, a)| a.len() > 1)
        .map(|(i, _)| *i)
        .collect();
    expect_eq(twice, vec![], "no request is answered more than once");
    expect_eq(
        ledger.count(),
        REQUESTS - 3,
        "each of the 57 valid charges is taken once",
    );
    let refused: Vec<usize> = got
        .iter()
        .filter(|(_, a)| a[0].get("error").is_some())
        .map(|(i, _)| *i)
        .collect();
    expect_eq(
        refused,
        vec![7, 27, 47],
        "the three requests for 0 cents, and only they, are answered with an error",
    );
    let by: BTreeSet<&str> = got.values().filter_map(|a| a[0]["by"].as_str()).collect();
    expect_eq(
        by.into_iter().collect::<Vec<_>>(),
        INSTANCES.to_vec(),
        "the requests are spread over all three instances",
    );
}
