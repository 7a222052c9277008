//! Private Mosquitto, NATS and Redis instances: each starts, answers its
//! protocol with a real round trip over raw TCP, restarts in place keeping
//! its port and data, crashes on SIGKILL, freezes on SIGSTOP.
//!
//! Raw bytes on purpose: these tests check labkit's brokers, not a client
//! library, and the bytes are short enough to read.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use labkit::broker::{self, Broker, Kind, Options, Source};

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect to the broker");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

fn read_exact(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    s.read_exact(&mut buf).expect("read from the broker");
    buf
}

// ---- MQTT 3.1.1, by hand ------------------------------------------------

/// CONNECT with an optional user/password; returns the CONNACK return code.
fn mqtt_connect(s: &mut TcpStream, client_id: &str, login: Option<(&str, &str)>) -> u8 {
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4];
    body.push(0x02 | if login.is_some() { 0xC0 } else { 0 }); // clean session (+ user, password)
    body.extend_from_slice(&[0, 60]);
    let mut field = |f: &str| {
        body.extend_from_slice(&(f.len() as u16).to_be_bytes());
        body.extend_from_slice(f.as_bytes());
    };
    field(client_id);
    if let Some((u, p)) = login {
        field(u);
        field(p);
    }
    let mut packet = vec![0x10, body.len() as u8];
    packet.extend_from_slice(&body);
    s.write_all(&packet).unwrap();
    let connack = read_exact(s, 4);
    assert_eq!(connack[..2], [0x20, 0x02], "CONNACK header");
    connack[3]
}

/// PUBLISH at QoS 0, retained.
fn mqtt_publish_retained(s: &mut TcpStream, topic: &str, payload: &[u8]) {
    let mut packet = vec![0x31, (2 + topic.len() + payload.len()) as u8];
    packet.extend_from_slice(&(topic.len() as u16).to_be_bytes());
    packet.extend_from_slice(topic.as_bytes());
    packet.extend_from_slice(payload);
    s.write_all(&packet).unwrap();
}

/// SUBSCRIBE at QoS 0 and wait for the SUBACK.
fn mqtt_subscribe(s: &mut TcpStream, filter: &str) {
    let mut packet = vec![0x82, (2 + 2 + filter.len() + 1) as u8, 0, 1];
    packet.extend_from_slice(&(filter.len() as u16).to_be_bytes());
    packet.extend_from_slice(filter.as_bytes());
    packet.push(0);
    s.write_all(&packet).unwrap();
    assert_eq!(
        read_exact(s, 5),
        [0x90, 3, 0, 1, 0],
        "SUBACK granting QoS 0"
    );
}

/// Read one PUBLISH: (retain flag, topic, payload).
fn mqtt_read_publish(s: &mut TcpStream) -> (bool, String, Vec<u8>) {
    let head = read_exact(s, 2);
    assert_eq!(head[0] & 0xF0, 0x30, "a PUBLISH packet");
    let body = read_exact(s, head[1] as usize);
    let topic_len = u16::from_be_bytes([body[0], body[1]]) as usize;
    let topic = String::from_utf8(body[2..2 + topic_len].to_vec()).unwrap();
    (head[0] & 1 == 1, topic, body[2 + topic_len..].to_vec())
}

fn mqtt_retained(addr: SocketAddr, topic: &str) -> (bool, String, Vec<u8>) {
    let mut s = connect(addr);
    assert_eq!(mqtt_connect(&mut s, "reader", None), 0);
    mqtt_subscribe(&mut s, topic);
    mqtt_read_publish(&mut s)
}

#[tokio::test]
async fn mosquitto_answers_mqtt_and_delivers_a_retained_message() {
    let b = broker::private(Kind::Mosquitto, Options::new())
        .await
        .unwrap();
    assert_eq!(b.source(), &Source::Private);
    assert_eq!(b.url(), format!("mqtt://127.0.0.1:{}", b.port()));
    b.probe().await.unwrap();

    let mut publisher = connect(b.addr());
    assert_eq!(mqtt_connect(&mut publisher, "writer", None), 0);
    mqtt_publish_retained(&mut publisher, "lab/greeting", b"hello");
    publisher.write_all(&[0xE0, 0]).unwrap(); // DISCONNECT: the publish is processed first

    let got = mqtt_retained(b.addr(), "lab/greeting");
    assert_eq!(got, (true, "lab/greeting".into(), b"hello".to_vec()));
}

#[tokio::test]
async fn mosquitto_keeps_a_retained_message_across_a_clean_restart() {
    let mut b = broker::private(Kind::Mosquitto, Options::new())
        .await
        .unwrap();
    let (port, dir) = (b.port(), b.data_dir().unwrap().to_path_buf());
    let first_pid = b.pid().unwrap();

    let mut publisher = connect(b.addr());
    assert_eq!(mqtt_connect(&mut publisher, "writer", None), 0);
    mqtt_publish_retained(&mut publisher, "lab/durable", b"survives");
    publisher.write_all(&[0xE0, 0]).unwrap();
    // Seeing it delivered proves the broker has it before we stop it.
    assert_eq!(mqtt_retained(b.addr(), "lab/durable").2, b"survives");

    b.stop().await.unwrap();
    assert!(b.pid().is_none(), "no process while stopped");
    assert!(
        TcpStream::connect(b.addr()).is_err(),
        "nothing listens while stopped"
    );
    assert!(
        dir.join("mosquitto.db").exists(),
        "the store was written on SIGTERM"
    );

    b.start().await.unwrap();
    assert_eq!((b.port(), b.data_dir().unwrap()), (port, dir.as_path()));
    assert_ne!(b.pid().unwrap(), first_pid, "a new process");
    assert_eq!(
        mqtt_retained(b.addr(), "lab/durable"),
        (true, "lab/durable".into(), b"survives".to_vec())
    );
}

#[tokio::test]
async fn mosquitto_options_add_a_listener_and_a_password() {
    let options = Options::new()
        .port("second")
        .config_line("listener {port:second} 127.0.0.1")
        .user("alice", "s3cret");
    let b = broker::private(Kind::Mosquitto, options).await.unwrap();
    assert_eq!(
        b.url(),
        format!("mqtt://alice:s3cret@127.0.0.1:{}", b.port())
    );

    let mut anonymous = connect(b.addr());
    assert_eq!(
        mqtt_connect(&mut anonymous, "anon", None),
        5,
        "not authorised"
    );
    let mut wrong = connect(b.addr());
    assert_eq!(mqtt_connect(&mut wrong, "w", Some(("alice", "guess"))), 5);
    let mut alice = connect(b.addr());
    assert_eq!(mqtt_connect(&mut alice, "a", Some(("alice", "s3cret"))), 0);

    let second = b.extra_port("second").expect("the named port");
    assert_ne!(second, b.port());
    let mut other = connect(SocketAddr::from(([127, 0, 0, 1], second)));
    assert_eq!(mqtt_connect(&mut other, "b", Some(("alice", "s3cret"))), 0);
}

#[tokio::test]
async fn a_config_line_naming_an_unknown_port_is_a_clear_error() {
    let options = Options::new().config_line("listener {port:tls} 127.0.0.1");
    let err = broker::private(Kind::Mosquitto, options).await.unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("{port:tls}") && msg.contains(".port(\"tls\")"),
        "{msg}"
    );
}

// ---- NATS -----------------------------------------------------------------

/// Read protocol lines until one starts with `prefix`; return it and the next.
fn nats_until(s: &mut TcpStream, prefix: &str) -> (String, String) {
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        s.read_exact(&mut byte).expect("read from NATS");
        buf.push(byte[0]);
        if buf.ends_with(b"\r\n") {
            let line = String::from_utf8_lossy(&buf[..buf.len() - 2]).into_owned();
            buf.clear();
            lines.push(line);
            let n = lines.len();
            if n >= 2 && lines[n - 2].starts_with(prefix) {
                return (lines[n - 2].clone(), lines[n - 1].clone());
            }
        }
    }
}

fn nats_connect(addr: SocketAddr) -> (TcpStream, String) {
    let mut s = connect(addr);
    let mut info = Vec::new();
    let mut byte = [0u8; 1];
    while !info.ends_with(b"\r\n") {
        s.read_exact(&mut byte).unwrap();
        info.push(byte[0]);
    }
    s.write_all(b"CONNECT {\"verbose\":false,\"pedantic\":false}\r\n")
        .unwrap();
    (s, String::from_utf8_lossy(&info).into_owned())
}

/// A JetStream API request; returns the JSON reply.
fn jetstream(s: &mut TcpStream, subject: &str, body: &str) -> String {
    let msg = format!(
        "SUB _INBOX.lab 9\r\nPUB {subject} _INBOX.lab {}\r\n{body}\r\nUNSUB 9 1\r\n",
        body.len()
    );
    s.write_all(msg.as_bytes()).unwrap();
    nats_until(s, "MSG _INBOX.lab 9").1
}

#[tokio::test]
async fn nats_delivers_a_message_and_keeps_a_jetstream_stream_across_a_restart() {
    let mut b = broker::private(Kind::Nats, Options::new()).await.unwrap();
    assert_eq!(b.url(), format!("nats://127.0.0.1:{}", b.port()));

    let (mut s, info) = nats_connect(b.addr());
    assert!(
        info.contains("\"jetstream\":true"),
        "JetStream is on: {info}"
    );
    s.write_all(b"SUB greet 1\r\nPUB greet 5\r\nhello\r\n")
        .unwrap();
    assert_eq!(
        nats_until(&mut s, "MSG greet 1"),
        ("MSG greet 1 5".into(), "hello".into())
    );

    let created = jetstream(
        &mut s,
        "$JS.API.STREAM.CREATE.ORDERS",
        r#"{"name":"ORDERS","subjects":["orders.>"],"storage":"file"}"#,
    );
    assert!(
        created.contains("\"type\":\"io.nats.jetstream.api.v1.stream_create_response\""),
        "{created}"
    );
    assert!(!created.contains("\"error\""), "{created}");
    drop(s);

    let port = b.port();
    b.restart().await.unwrap();
    assert_eq!(b.port(), port);
    let (mut s, _) = nats_connect(b.addr());
    let info = jetstream(&mut s, "$JS.API.STREAM.INFO.ORDERS", "");
    assert!(
        info.contains("\"name\":\"ORDERS\"") && !info.contains("\"error\""),
        "{info}"
    );
}

// ---- Redis ----------------------------------------------------------------

fn redis_command(s: &mut TcpStream, args: &[&str]) -> String {
    let mut out = format!("*{}\r\n", args.len());
    for a in args {
        out.push_str(&format!("${}\r\n{a}\r\n", a.len()));
    }
    s.write_all(out.as_bytes()).unwrap();
    let mut reply = Vec::new();
    let mut byte = [0u8; 1];
    // A simple or error reply is one line; a bulk reply is a length line and a data line.
    let mut lines_left = 1;
    while lines_left > 0 {
        s.read_exact(&mut byte).unwrap();
        reply.push(byte[0]);
        if reply.ends_with(b"\r\n") {
            if reply.starts_with(b"$")
                && lines_left == 1
                && !reply.starts_with(b"$-1")
                && reply.iter().filter(|&&b| b == b'\n').count() == 1
            {
                lines_left = 2;
            }
            lines_left -= 1;
        }
    }
    String::from_utf8_lossy(&reply).into_owned()
}

#[tokio::test]
async fn redis_sets_and_gets() {
    let b = broker::private(Kind::Redis, Options::new()).await.unwrap();
    assert_eq!(b.url(), format!("redis://127.0.0.1:{}", b.port()));
    let mut s = connect(b.addr());
    assert_eq!(redis_command(&mut s, &["SET", "lab", "hello"]), "+OK\r\n");
    assert_eq!(redis_command(&mut s, &["GET", "lab"]), "$5\r\nhello\r\n");
}

#[tokio::test]
async fn redis_with_appendonly_keeps_data_across_a_restart_but_not_a_fresh_start() {
    let options = Options::new().config_line("appendonly yes");
    let mut b = broker::private(Kind::Redis, options).await.unwrap();
    let dir = b.data_dir().unwrap().to_path_buf();
    let mut s = connect(b.addr());
    assert_eq!(redis_command(&mut s, &["SET", "durable", "yes"]), "+OK\r\n");
    drop(s);

    b.restart().await.unwrap();
    assert_eq!(b.data_dir().unwrap(), dir);
    let mut s = connect(b.addr());
    assert_eq!(redis_command(&mut s, &["GET", "durable"]), "$3\r\nyes\r\n");

    // A second private instance is a different broker: empty.
    let other = broker::private(Kind::Redis, Options::new()).await.unwrap();
    assert_ne!(other.port(), b.port());
    let mut s = connect(other.addr());
    assert_eq!(redis_command(&mut s, &["GET", "durable"]), "$-1\r\n");
}

#[tokio::test]
async fn kill_is_a_crash_and_start_recovers_on_the_same_port() {
    let mut b: Broker = broker::private(Kind::Redis, Options::new()).await.unwrap();
    let (port, pid) = (b.port(), b.pid().unwrap());
    b.kill().await.unwrap();
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "the killed process {pid} is gone (and reaped)"
    );
    assert!(b.probe().await.is_err(), "nothing answers after a crash");
    assert!(
        b.kill().await.is_err(),
        "killing a stopped broker is an error"
    );
    b.start().await.unwrap();
    assert_eq!(b.port(), port);
    b.probe().await.unwrap();
}

#[tokio::test]
async fn pause_freezes_the_broker_and_resume_thaws_it() {
    let mut b = broker::private(Kind::Redis, Options::new()).await.unwrap();
    let mut held = connect(b.addr());
    b.pause().await.unwrap();
    // The kernel still accepts connections, but nobody answers.
    let err = b.probe().await.unwrap_err().to_string();
    assert!(err.contains("no Redis answer"), "{err}");
    b.resume().await.unwrap();
    b.probe().await.unwrap();
    assert_eq!(redis_command(&mut held, &["PING"]), "+PONG\r\n");
}
