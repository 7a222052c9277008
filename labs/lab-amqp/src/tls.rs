//! TLS to the broker: a private RabbitMQ with a second, TLS-only listener,
//! and a certificate authority made for this run. The same client logs in
//! through labkit's proxy once over `amqp://` and once over `amqps://`; the
//! proxy shows what an eavesdropper sees — the `PLAIN` password in the clear
//! on the first, no AMQP frame at all on the second.

use anyhow::Context;
use labkit::broker::{Broker, Options};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::tls::Throwaway;
use labkit::wire::amqp::Frames;
use labkit::wire::{Decoder, Direction, Proxy};
use lapin::tcp::OwnedTLSConfig;
use lapin::{Connection, ConnectionProperties};

use crate::Lab;

/// The scenario, as `cargo run -p lab-amqp -- tls` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "tls",
    "one login over amqp:// and over amqps://, seen by a proxy (private broker)",
    "with PLAIN over amqp:// the password crosses the wire as it is",
);

// ANCHOR: options
/// A throwaway CA and a certificate for `localhost`, made now (so none can
/// expire in the repository), in files removed when it drops. A real broker
/// would hold a certificate from its organisation's CA, renewed in time.
pub fn make_certs() -> anyhow::Result<Throwaway> {
    Throwaway::new("lab-amqp test CA", &["localhost"])
}

/// Broker options for a TLS listener on the port named `amqps`, reading
/// the certificate files of `certs`.
pub fn options(certs: &Throwaway) -> Options {
    Options::new()
        .port("amqps")
        .config_line("listeners.ssl.default = 127.0.0.1:{port:amqps}")
        .config_line(format!(
            "ssl_options.cacertfile = {}",
            certs.ca_file().display()
        ))
        .config_line(format!(
            "ssl_options.certfile = {}",
            certs.cert_file().display()
        ))
        .config_line(format!(
            "ssl_options.keyfile = {}",
            certs.key_file().display()
        ))
        .config_line("ssl_options.verify = verify_none")
        .config_line("ssl_options.fail_if_no_peer_cert = false")
}
// ANCHOR_END: options

/// What the proxy saw of one login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The password's bytes appear in the client's stream.
    pub password_visible: bool,
    /// AMQP frames the decoder could read from the client's stream.
    pub frames_readable: usize,
    /// Bytes the client sent.
    pub bytes: u64,
}

async fn login_through(proxy: &Proxy, url: &str, tls: OwnedTLSConfig) -> anyhow::Result<Seen> {
    let conn = Connection::connect_with_config(url, ConnectionProperties::default(), tls)
        .await
        .with_context(|| format!("connecting to {}", labkit::broker::mask(url)))?;
    conn.create_channel().await?;
    conn.close(200, "done").await.ok();
    proxy.wait_closed(std::time::Duration::from_secs(10)).await;
    let stream: Vec<u8> = proxy
        .recording()
        .iter()
        .flat_map(|c| c.stream(Direction::ToServer))
        .collect();
    Ok(Seen {
        password_visible: stream.windows(5).any(|w| w == b"guest"),
        frames_readable: Frames.decode(&stream).units.len(),
        bytes: stream.len() as u64,
    })
}

// ANCHOR: compare
/// Logs in as guest/guest over the plain port and over the TLS port, each
/// through its own recording proxy.
pub async fn compare(broker: &Broker, ca_pem: &str) -> anyhow::Result<(Seen, Seen)> {
    let tls_port = broker
        .extra_port("amqps")
        .context("the broker was started without a TLS port")?;
    let plain_proxy = Proxy::start(broker.addr()).await?;
    let tls_proxy = Proxy::start(([127, 0, 0, 1], tls_port).into()).await?;
    let plain_url = format!("amqp://guest:guest@{}/%2f", plain_proxy.addr());
    // The certificate names `localhost`, so the client must ask for that name.
    let tls_url = format!(
        "amqps://guest:guest@localhost:{}/%2f",
        tls_proxy.addr().port()
    );
    let trust_our_ca = OwnedTLSConfig {
        identity: None,
        cert_chain: Some(ca_pem.to_string()),
    };
    let plain = login_through(&plain_proxy, &plain_url, OwnedTLSConfig::default()).await?;
    let tls = login_through(&tls_proxy, &tls_url, trust_our_ca).await?;
    Ok((plain, tls))
}
// ANCHOR_END: compare

/// The scenario's table.
pub fn table(plain: &Seen, tls: &Seen) -> Table {
    let mut t = Table::new(
        "What the proxy sees of one login (guest/guest)",
        &[
            "URL",
            "client bytes",
            "AMQP frames readable",
            "password visible",
        ],
    );
    t.row([
        "amqp://".to_string(),
        plain.bytes.to_string(),
        plain.frames_readable.to_string(),
        plain.password_visible.to_string(),
    ]);
    t.row([
        "amqps://".to_string(),
        tls.bytes.to_string(),
        tls.frames_readable.to_string(),
        tls.password_visible.to_string(),
    ]);
    t
}

/// The scenario: its own private broker with a TLS listener.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let certs = make_certs()?;
    let broker = lab.private_broker(options(&certs)).await?;
    let (plain, tls) = compare(&broker, certs.ca_pem()).await?;
    let mut report = Report::new(crate::LAB, "tls");
    report.table(table(&plain, &tls));
    Ok(report)
}
