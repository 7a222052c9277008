//! JetStream on a private nats-server 2.9: a stream across a restart,
//! replay from a sequence number, de-duplication by `Nats-Msg-Id`,
//! redelivery of what was not acknowledged, and the key-value store.

use lab_contenders::{nats_ack, nats_dedup, nats_kv, nats_stream};

#[tokio::test]
async fn a_stream_keeps_acknowledged_messages_across_a_restart() {
    let s = nats_stream::survive_restart().await.unwrap();
    assert_eq!(s.acked, (1..=nats_stream::CHARGES).collect::<Vec<_>>());
    assert_eq!(s.after_restart, nats_stream::CHARGES);
}

#[tokio::test]
async fn a_consumer_replays_from_a_sequence_number() {
    let s = nats_stream::survive_restart().await.unwrap();
    assert_eq!(
        s.replayed,
        (nats_stream::START_AT..=nats_stream::CHARGES).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_repeated_msg_id_is_dropped_within_the_window_and_stored_past_it() {
    let a = nats_dedup::attempts().await.unwrap();
    let seen: Vec<(bool, u64)> = a.iter().map(|a| (a.duplicate, a.stored)).collect();
    assert_eq!(
        seen,
        [(false, 1), (true, 1), (false, 2), (false, 3)],
        "(duplicate, stored) after: ch-1, ch-1 at once, ch-2, ch-1 past the window"
    );
    assert_eq!(
        a[1].sequence, a[0].sequence,
        "a duplicate's ack names the first copy"
    );
}

#[tokio::test]
async fn an_unacknowledged_message_is_delivered_again_after_the_ack_wait() {
    let d = nats_ack::deliveries().await.unwrap();
    let round = |r: u8| -> Vec<(u64, i64)> {
        d.iter()
            .filter(|x| x.round == r)
            .map(|x| (x.sequence, x.delivered))
            .collect()
    };
    assert_eq!(round(1), [(1, 1), (2, 1), (3, 1)]);
    assert_eq!(
        round(2),
        [(2, 2)],
        "only #2 comes back, delivered a second time"
    );
}

#[tokio::test]
async fn a_kv_watcher_sees_every_put_and_delete_in_order() {
    let r = nats_kv::watch_changes().await.unwrap();
    let seen: Vec<(&str, &str, &str)> = r
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.operation.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("acct-1", "Put", "1250"),
            ("acct-2", "Put", "300"),
            ("acct-1", "Put", "2500"),
            ("acct-2", "Delete", ""),
        ]
    );
    assert_eq!(
        r.changes.iter().map(|c| c.revision).collect::<Vec<_>>(),
        [1, 2, 3, 4],
        "revisions are the stream's sequence numbers"
    );
    assert_eq!(r.last.as_deref(), Some("2500"));
}
