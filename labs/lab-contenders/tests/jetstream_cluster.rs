//! The rows of Chapter 8's JetStream cluster claims, checked against three
//! private nats-server 2.9 processes joined into one JetStream cluster.
//!
//! cargo-nextest runs each test function in its own process, so ONE test
//! starts the cluster and checks every claim (an `async fn` named for it)
//! on the one failover run. Every check asserts names and counts: which
//! server leads, how many charges were acknowledged and kept — never how
//! long something took.

use lab_contenders::nats_cluster::{self, Failover, PER_PUBLISHER, PUBLISHERS};

fn a_replicated_stream_has_a_leader_and_two_followers(f: &Failover) {
    let mut all = f.before.followers.clone();
    all.push(f.before.leader.clone());
    all.sort();
    assert_eq!(all, ["n1", "n2", "n3"], "one replica on each server: {f:?}");
    assert_eq!(
        f.before.current, f.before.followers,
        "both followers current: {f:?}"
    );
}

fn a_killed_leader_is_replaced_and_no_acknowledged_charge_is_lost(f: &Failover) {
    let charges = PUBLISHERS * PER_PUBLISHER;
    assert_ne!(f.new_leader, f.before.leader, "a new leader was elected");
    assert!(
        f.before.followers.contains(&f.new_leader),
        "the new leader was a follower: {f:?}"
    );
    assert_eq!(
        f.acknowledged, charges,
        "every charge was acknowledged in the end"
    );
    assert_eq!(
        (f.kept, f.lost),
        (charges, 0),
        "every acknowledged charge is there"
    );
}

fn a_retry_with_the_same_msg_id_is_not_stored_twice(f: &Failover) {
    let charges = PUBLISHERS * PER_PUBLISHER;
    assert_eq!(f.duplicates, 0, "no Nats-Msg-Id twice in the stream: {f:?}");
    assert_eq!(f.stored, u64::from(charges), "one message per charge");
}

fn the_restarted_server_rejoins_as_a_current_follower(f: &Failover) {
    let back = &f.after_restart;
    assert_eq!(back.leader, f.new_leader, "the leader did not change back");
    assert!(
        back.current.contains(&f.before.leader),
        "the killed server is a current follower again: {back:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jetstream_cluster_claims_on_one_three_node_cluster() {
    let mut cluster = nats_cluster::three_nodes()
        .await
        .unwrap_or_else(|e| panic!("a private NATS cluster is needed: {e}"));
    println!("cluster formed in {:?}", cluster.started_in());
    let began = std::time::Instant::now();
    let f = nats_cluster::leader_killed(&mut cluster).await.unwrap();
    println!("failover run took {:?}", began.elapsed());
    println!("failover: {f:?}");
    a_replicated_stream_has_a_leader_and_two_followers(&f);
    a_killed_leader_is_replaced_and_no_acknowledged_charge_is_lost(&f);
    a_retry_with_the_same_msg_id_is_not_stored_twice(&f);
    the_restarted_server_rejoins_as_a_current_follower(&f);
    let ending = std::time::Instant::now();
    drop(cluster);
    println!("cluster stopped in {:?}", ending.elapsed());
}
