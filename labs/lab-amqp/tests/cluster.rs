//! The rows of Chapter 5's replication claims, checked against a real
//! three-node RabbitMQ cluster.
//!
//! Three nodes take 10–20 s to boot on two cores, and cargo-nextest runs
//! each test function in its own process, so ONE test starts the cluster
//! and calls every claim (an `async fn` named for it) in turn. Each claim
//! leaves all three nodes running for the next. Every check asserts counts
//! and orderings: which node, how many messages, confirmed or not — never
//! how long something took.

use labkit::broker::{self, Cluster, Kind, Options};

use lab_amqp::{classic_down, failover, minority, placement};

async fn a_classic_queue_has_one_node_a_quorum_queue_a_leader_and_followers(c: &Cluster) {
    let (classic, quorum) = placement::both(c).await.unwrap();
    // Declared through rabbit2: the classic queue lives there, alone.
    assert_eq!(classic.kind, "classic");
    assert_eq!(classic.leader, "rabbit2@localhost");
    assert_eq!(classic.members, ["rabbit2@localhost"]);
    // The quorum queue has a member on every node, one of them its leader.
    assert_eq!(quorum.kind, "quorum");
    let all: Vec<&str> = c.nodes().iter().map(|n| n.name()).collect();
    assert_eq!(quorum.members, all);
    assert!(all.contains(&quorum.leader.as_str()), "{quorum:?}");
    assert_eq!(quorum.online, all);
}

async fn a_killed_leader_is_replaced_and_no_confirmed_message_is_lost(c: &mut Cluster) {
    let n = 1500;
    let f = failover::leader_killed(c, n).await.unwrap();
    println!("failover: {f:?}");
    assert_ne!(f.new_leader, f.old_leader, "a new leader was elected");
    assert_eq!(f.confirmed, n, "every message was confirmed in the end");
    assert_eq!((f.kept, f.lost), (n, 0), "every confirmed message is there");
    // Copies beyond one come only from resends.
    assert!(f.duplicated <= f.resent, "{f:?}");
}

async fn a_classic_queue_is_gone_with_its_node_and_only_persistent_messages_return(
    c: &mut Cluster,
) {
    let d = classic_down::home_node_killed(c, 2, 200).await.unwrap();
    println!("classic-down: {d:?}");
    assert_eq!(d.home, "rabbit3@localhost");
    assert!(
        !d.available_while_down,
        "declared while down: {}",
        d.while_down
    );
    assert!(d.while_down.contains("NOT_FOUND"), "{}", d.while_down);
    assert!(d.while_down.contains("is down"), "{}", d.while_down);
    assert_eq!(d.persistent_back, 200);
    assert_eq!(d.transient_back, 0);
}

async fn one_node_of_three_confirms_nothing_until_a_second_returns(c: &mut Cluster) {
    let m = minority::two_of_three_stopped(c).await.unwrap();
    println!("minority: {m:?}");
    assert!(!m.confirmed_alone, "a lone node confirmed a quorum write");
    assert!(m.channel_open, "the client got no error, only silence");
    assert!(m.confirmed_after, "the same publish was confirmed later");
    assert_eq!(m.in_queue, 2, "the message sent while alone was kept once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replication_claims_on_one_three_node_cluster() {
    let mut c = broker::cluster(Kind::RabbitMq, 3, Options::new())
        .await
        .unwrap_or_else(|e| panic!("a private RabbitMQ cluster is needed: {e}"));
    println!("cluster formed in {:?}", c.started_in());
    a_classic_queue_has_one_node_a_quorum_queue_a_leader_and_followers(&c).await;
    a_killed_leader_is_replaced_and_no_confirmed_message_is_lost(&mut c).await;
    a_classic_queue_is_gone_with_its_node_and_only_persistent_messages_return(&mut c).await;
    one_node_of_three_confirms_nothing_until_a_second_returns(&mut c).await;
}
