//! The QUIC and TLS set-up every QUIC scenario shares: a server and a client
//! that trust the lab's throwaway CA, over quinn 0.11 with rustls and aws-lc-rs.
//!
//! Two knobs matter to the chapter and are spelled out here rather than
//! left to defaults:
//!
//! - 0-RTT needs both ends to agree: the server announces how much early
//!   data it takes (`max_early_data_size`, which QUIC requires to be either 0
//!   or `u32::MAX`, RFC 9001 §4.6.1) and the client must enable it.
//! - [`Tickets`] says how the server remembers sessions, which decides
//!   whether replayed early data is accepted (RFC 8446 §8).
//!
//! A real deployment would use a certificate from a CA its clients trust and
//! would think hard before turning early data on for anything but requests
//! that are safe to run twice.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use quinn::crypto::rustls::{QuicClientConfig, QuicServerConfig};
use quinn::{ClientConfig, Endpoint, ServerConfig};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use labkit::tls::Throwaway;

/// The application protocol both ends name in the TLS handshake (ALPN).
pub const ALPN: &[u8] = b"lab-frontier";

/// How the server keeps the sessions it lets clients resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tickets {
    /// The server stores each session and hands out its id; a ticket used
    /// for early data is taken out of the store, so it works once
    /// (RFC 8446 §8.1, "single-use tickets"). rustls' default.
    SingleUse,
    /// The server stores sessions but never deletes one when it is used, as
    /// a cache shared by many servers that cannot delete atomically might:
    /// any copy of the ticket resumes, with early data, as often as it is
    /// sent. (rustls refuses early data with fully stateless tickets.)
    Reusable,
}

/// A session store whose `take` only reads: no protection from replay.
#[derive(Debug)]
struct ReusableStore(Arc<rustls::server::ServerSessionMemoryCache>);

// ANCHOR: reusable_take
impl rustls::server::StoresServerSessions for ReusableStore {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        self.0.put(key, value)
    }
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key)
    }
    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key) // a single-use store would remove the session here
    }
    fn can_cache(&self) -> bool {
        true
    }
}
// ANCHOR_END: reusable_take

/// The crypto provider of every TLS config in the lab: aws-lc-rs, the one
/// rustls picks by default and the other chapters' TLS already builds (a
/// second provider in the same build would leave rustls unable to choose).
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A TLS 1.3 server config presenting the lab's certificate, with early
/// data allowed and sessions kept as `tickets` says.
pub fn tls_server(certs: &Throwaway, tickets: Tickets) -> anyhow::Result<rustls::ServerConfig> {
    let chain = vec![CertificateDer::from_pem_slice(certs.cert_pem().as_bytes())?];
    let key = PrivateKeyDer::from_pem_slice(certs.key_pem().as_bytes())?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.max_early_data_size = u32::MAX;
    if tickets == Tickets::Reusable {
        let memory = rustls::server::ServerSessionMemoryCache::new(256);
        config.session_storage = Arc::new(ReusableStore(memory));
    }
    config.alpn_protocols = vec![ALPN.to_vec()];
    Ok(config)
}

/// A TLS 1.3 client config that trusts only the lab's CA and sends early
/// data when it holds a ticket.
pub fn tls_client(certs: &Throwaway) -> anyhow::Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(certs.ca_pem().as_bytes())?)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.enable_early_data = true;
    config.alpn_protocols = vec![ALPN.to_vec()];
    Ok(config)
}

/// A QUIC server on a free loopback port.
pub fn server(certs: &Throwaway, tickets: Tickets) -> anyhow::Result<Endpoint> {
    let crypto = QuicServerConfig::try_from(tls_server(certs, tickets)?)?;
    let config = ServerConfig::with_crypto(Arc::new(crypto));
    let endpoint =
        Endpoint::server(config, loopback()).context("could not open a UDP socket on 127.0.0.1")?;
    Ok(endpoint)
}

/// A QUIC client config that trusts the lab's CA. The session tickets a
/// client receives live in its config: share it to resume.
pub fn client_config(certs: &Throwaway) -> anyhow::Result<ClientConfig> {
    let crypto = QuicClientConfig::try_from(tls_client(certs)?)?;
    Ok(ClientConfig::new(Arc::new(crypto)))
}

/// A QUIC client endpoint on a free loopback port.
pub fn client(certs: &Throwaway) -> anyhow::Result<Endpoint> {
    client_with(client_config(certs)?)
}

/// A QUIC client endpoint on a free loopback port using `config`.
pub fn client_with(config: ClientConfig) -> anyhow::Result<Endpoint> {
    let mut endpoint =
        Endpoint::client(loopback()).context("could not open a UDP socket on 127.0.0.1")?;
    endpoint.set_default_client_config(config);
    Ok(endpoint)
}

/// `127.0.0.1:0`: every socket of the lab is on loopback.
pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}
