//! A cluster of private RabbitMQ nodes: three nodes on their own ports and
//! data directories, joined into one cluster (labkit checks membership
//! before it returns), each node killable, pausable and restartable on its
//! own, and nothing left once the handle drops.
//!
//! One cluster for the whole file: three nodes boot in about 10 s on two
//! cores.

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use labkit::broker::{self, Kind, Options};

fn runs(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !matches!(
            stat.rsplit_once(')')
                .and_then(|(_, r)| r.split_whitespace().next()),
            Some("Z" | "X")
        ),
        Err(_) => false,
    }
}

fn gone_within(pid: u32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while runs(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    !runs(pid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_join_fail_one_by_one_and_leave_nothing() {
    let mut cluster = broker::cluster(Kind::RabbitMq, 3, Options::new())
        .await
        .unwrap();
    println!("3 nodes started and joined in {:?}", cluster.started_in());
    assert_eq!(cluster.len(), 3);
    let names: Vec<&str> = cluster.nodes().iter().map(|n| n.name()).collect();
    assert_eq!(
        names,
        [
            "rabbit1@localhost",
            "rabbit2@localhost",
            "rabbit3@localhost"
        ]
    );
    let ports: BTreeSet<u16> = cluster.nodes().iter().map(|n| n.broker().port()).collect();
    let dirs: BTreeSet<_> = cluster
        .nodes()
        .iter()
        .map(|n| n.broker().data_dir().unwrap().to_path_buf())
        .collect();
    assert_eq!((ports.len(), dirs.len()), (3, 3), "one port and dir each");
    let shared = cluster.shared_dir().unwrap().to_path_buf();

    // SIGKILL node 2: its VM goes, the others keep answering.
    let pid = cluster.node(1).broker().pid().unwrap();
    cluster.kill(1).await.unwrap();
    assert!(
        gone_within(pid, Duration::from_secs(5)),
        "node 2 outlived SIGKILL"
    );
    for i in [0, 2] {
        cluster.node(i).broker().probe().await.unwrap();
    }
    // Back on the same data: it rejoins as itself.
    cluster.start(1).await.unwrap();
    cluster.node(1).broker().probe().await.unwrap();

    // SIGSTOP node 3: its port still accepts, AMQP gets no answer.
    cluster.pause(2).await.unwrap();
    let frozen = cluster.node(2).broker().addr();
    let stream = TcpStream::connect_timeout(&frozen, Duration::from_secs(1));
    assert!(stream.is_ok(), "the kernel still accepts for a paused node");
    assert!(cluster.node(2).broker().probe().await.is_err());
    cluster.resume(2).await.unwrap();
    cluster.node(2).broker().probe().await.unwrap();

    let pids: Vec<u32> = cluster
        .nodes()
        .iter()
        .map(|n| n.broker().pid().unwrap())
        .collect();
    drop(cluster);
    for pid in pids {
        assert!(
            gone_within(pid, Duration::from_secs(10)),
            "pid {pid} outlived the cluster"
        );
    }
    for dir in dirs.iter().chain([&shared]) {
        assert!(!dir.exists(), "{} outlived the cluster", dir.display());
    }
}
