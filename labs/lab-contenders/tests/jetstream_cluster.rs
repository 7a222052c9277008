//! A three-node JetStream cluster (private nats-server processes): the
//! leader of an R3 stream is SIGKILLed mid-publish. One cluster, one test.

use lab_contenders::nats_cluster;

#[tokio::test]
async fn every_acknowledged_publish_survives_the_leader_being_killed() {
    let f = nats_cluster::failover().await.unwrap();
    assert_ne!(f.new_leader, f.old_leader, "a new leader was elected");
    assert_eq!(f.acknowledged, nats_cluster::CHARGES);
    assert_eq!(f.lost, 0, "no acknowledged charge is missing: {f:?}");
    assert_eq!(
        f.stored, f.distinct as u64,
        "retries with the same Nats-Msg-Id stored nothing twice: {f:?}"
    );
}
