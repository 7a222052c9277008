//! A private nginx: it serves the lesson's `location` blocks on a free
//! port, reports a config it rejects with nginx's own words, and is gone —
//! processes and directory — once its handle drops.

use std::io::{Read, Write};
use std::net::TcpStream;

use labkit::nginx;

fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[tokio::test]
async fn a_private_nginx_serves_its_locations_and_is_gone_after_drop() {
    let n = nginx::start("location /hello { return 200 \"hi from nginx\"; }")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = get(n.addr(), "/hello");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("hi from nginx"), "{answer}");
    assert!(answer.contains("Server: nginx"), "{answer}");
    let pid = n.pid().expect("nginx runs");
    let dir = n.config_file().parent().unwrap().to_path_buf();
    let addr = n.addr();
    drop(n);
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "the master process is gone"
    );
    assert!(!dir.exists(), "its directory is removed");
    assert!(
        TcpStream::connect(addr).is_err(),
        "nothing listens any more"
    );
}

#[tokio::test]
async fn a_config_nginx_rejects_is_reported_with_its_log() {
    let err = nginx::start("this is not a directive;").await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("nginx exited"), "{text}");
    assert!(text.contains("unknown directive"), "{text}");
}

#[tokio::test]
async fn a_missing_nginx_is_one_line_naming_the_package() {
    let lookup = labkit::broker::Lookup::empty();
    let err = nginx::start_with("", lookup).await.unwrap_err().to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("apt-get install nginx-light"), "{err}");
}
