//! The payment service keeps Chapter 1's idempotency rule over gRPC: a key
//! makes a retry a replay; no key means every request charges.

use lab_grpc::{client, server, wire};

#[tokio::test]
async fn a_charge_without_a_key_is_never_answered_as_a_replay() {
    let running = server::spawn(server::Options::default()).await.unwrap();
    let mut payments = client::payments(running.addr).await.unwrap();
    let mut ids = Vec::new();
    for amount in [1_250, 1_250, 990] {
        let mut request = wire::sample_charge(1);
        request.idempotency_key.clear();
        request.amount_cents = amount;
        let answer = payments
            .charge(request)
            .await
            .expect("a keyless charge succeeds");
        ids.push(answer.into_inner().transaction_id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        3,
        "three keyless charges, three transactions: {ids:?}"
    );

    // With a key, the same request twice is one transaction.
    let keyed = wire::sample_charge(7);
    let first = payments.charge(keyed.clone()).await.unwrap().into_inner();
    let again = payments.charge(keyed).await.unwrap().into_inner();
    assert_eq!(
        first.transaction_id, again.transaction_id,
        "the retry is a replay"
    );
    assert!(
        !ids.contains(&first.transaction_id),
        "a new transaction: {first:?}"
    );
}
