//! A private RabbitMQ: one test only, because a fresh node costs ~5
//! CPU-seconds. It boots, answers AMQP, restarts in place, and its whole
//! process tree (script, Erlang VM, epmd) goes when the handle drops.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use labkit::broker::{self, Kind, Options};

/// Gone, or a zombie: either way it runs no more.
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

/// The AMQP header, then the Connection.Start frame's first bytes.
fn connection_start(port: u16) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"AMQP\x00\x00\x09\x01").unwrap();
    let mut head = [0u8; 11];
    s.read_exact(&mut head).unwrap();
    head.to_vec()
}

#[tokio::test]
async fn rabbitmq_boots_answers_amqp_restarts_in_place_and_leaves_nothing() {
    let mut b = broker::private(Kind::RabbitMq, Options::new())
        .await
        .unwrap();
    assert_eq!(
        b.url(),
        format!("amqp://guest:guest@127.0.0.1:{}/%2f", b.port())
    );
    assert_ne!(b.port(), 5672, "never the machine's own RabbitMQ");
    let head = connection_start(b.port());
    assert_eq!(head[0], 1, "a method frame");
    assert_eq!(head[7..11], [0, 10, 0, 10], "Connection.Start");

    let vm = b.pid().unwrap();
    let comm = std::fs::read_to_string(format!("/proc/{vm}/comm")).unwrap();
    assert!(
        comm.starts_with("beam"),
        "pid() is the Erlang VM, not the script: {comm}"
    );

    let (port, dir) = (b.port(), b.data_dir().unwrap().to_path_buf());
    b.restart().await.unwrap();
    assert!(!runs(vm), "the old VM {vm} is gone");
    assert_eq!((b.port(), b.data_dir().unwrap()), (port, dir.as_path()));
    assert_eq!(connection_start(b.port())[7..11], [0, 10, 0, 10]);
    assert!(
        dir.join("mnesia").is_dir(),
        "its database lives in the data dir"
    );

    let vm = b.pid().unwrap();
    drop(b);
    let deadline = Instant::now() + Duration::from_secs(10);
    while runs(vm) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!runs(vm), "dropping the handle ends the VM {vm}");
    assert!(!dir.exists(), "and removes the data dir");
}
