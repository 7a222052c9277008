//! The HTTP clients the scenarios use, configured the ways the chapter compares.
//!
//! All of them are reqwest clients — the most used HTTP client in Rust —
//! differing only in how they treat connections.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::anyhow;

// ANCHOR: clients
/// Opens a new TCP connection for every request (no idle connection is kept).
pub fn fresh_connections() -> reqwest::Client {
    builder().pool_max_idle_per_host(0).build().expect("a valid client")
}

/// Keeps connections open and reuses them (HTTP/1.1 keep-alive, the default).
pub fn kept_alive() -> reqwest::Client {
    builder().http1_only().build().expect("a valid client")
}

/// Speaks HTTP/2 without TLS from the first byte ("prior knowledge" h2c).
pub fn http2() -> reqwest::Client {
    builder().http2_prior_knowledge().build().expect("a valid client")
}
// ANCHOR_END: clients

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
}

/// `http://ADDR` for a socket address (the labkit proxy's, usually).
pub fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// The innermost cause of a reqwest error, which is the readable one
/// ("Connection refused (os error 111)") rather than reqwest's wrapper.
pub fn why(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// Turns a reqwest error into an anyhow error that says what was attempted.
pub fn failed(what: &str, error: reqwest::Error) -> anyhow::Error {
    anyhow!("{what} failed: {}", why(&error))
}
