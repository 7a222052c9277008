//! A private broker never outlives the process that started it: not when
//! the handle drops, and not when that process is SIGKILLed and no Rust
//! code runs at all.
//!
//! The SIGKILL test runs this same test binary again as a child ("the
//! starter", chosen by an environment variable set only on the child's
//! command), which starts a private broker, prints its pid and port, and
//! sleeps. The parent kills the child with SIGKILL and watches the broker go.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use labkit::broker::{self, Kind, Options};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const STARTER: &str = "LABKIT_BROKER_STARTER";

/// Whether `pid` still runs. A zombie does not: it holds no port and no
/// memory, and where PID 1 does not reap orphans it stays forever.
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

fn wait_until_gone(pid: u32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while runs(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    !runs(pid)
}

/// Not a test on its own: the child half of the SIGKILL test below.
#[test]
fn starter() {
    let Ok(kind) = std::env::var(STARTER) else {
        return; // an ordinary run: nothing to do
    };
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.program().starts_with(kind.as_str()))
        .expect("a kind: mosquitto, rabbitmq, nats or redis");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let b = rt.block_on(broker::private(kind, Options::new())).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "STARTED {} {} {}",
        b.pid().unwrap(),
        b.port(),
        b.data_dir().unwrap().display()
    )
    .unwrap();
    out.flush().unwrap();
    std::thread::sleep(Duration::from_secs(120)); // until killed
}

fn broker_survives_sigkill_of_its_parent(kind: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["starter", "--exact", "--nocapture", "--test-threads=1"])
        .env(STARTER, kind)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    // libtest prints "test starter ... " on the same line first.
    let started = loop {
        line.clear();
        assert_ne!(
            reader.read_line(&mut line).unwrap(),
            0,
            "the starter died early"
        );
        if let Some(at) = line.find("STARTED ") {
            break line[at..].to_owned();
        }
    };
    let mut fields = started.split_whitespace().skip(1);
    let pid: u32 = fields.next().unwrap().parse().unwrap();
    let port: u16 = fields.next().unwrap().parse().unwrap();
    let dir = std::path::PathBuf::from(fields.next().unwrap());
    assert!(runs(pid), "the broker {pid} runs");
    assert!(dir.is_dir(), "its data dir {} exists", dir.display());
    TcpStream::connect(("127.0.0.1", port)).expect("the broker listens");

    kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
    child.wait().unwrap();

    assert!(
        wait_until_gone(pid),
        "the broker {pid} outlived its SIGKILLed parent"
    );
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens on {port} any more"
    );
    // The watchdog removes the data dir after its SIGKILL, about 2 s later.
    let deadline = Instant::now() + Duration::from_secs(10);
    while dir.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!dir.exists(), "the data dir {} is removed", dir.display());
}

#[test]
fn a_private_redis_dies_with_its_sigkilled_parent() {
    broker_survives_sigkill_of_its_parent("redis");
}

#[test]
fn a_private_mosquitto_dies_with_its_sigkilled_parent() {
    broker_survives_sigkill_of_its_parent("mosquitto");
}

#[tokio::test]
async fn dropping_the_handle_ends_the_broker_and_removes_its_data_dir() {
    let mut b = broker::private(Kind::Nats, Options::new()).await.unwrap();
    let (pid, dir) = (b.pid().unwrap(), b.data_dir().unwrap().to_path_buf());
    assert!(dir.join("nats.conf").exists() && dir.join("nats-server.log").exists());
    b.pause().await.unwrap(); // even a frozen broker goes
    drop(b);
    assert!(!runs(pid), "the broker {pid} is gone once drop returns");
    assert!(!dir.exists(), "{} is removed", dir.display());
}
