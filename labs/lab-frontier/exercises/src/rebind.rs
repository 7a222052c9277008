//! Exercise `frontier-rebind`: keep one QUIC connection through a move.
//!
//! A phone that walks out of Wi-Fi gets a new address; a TCP connection
//! dies with the old one, a QUIC connection need not: the connection is
//! named by its connection IDs, not by addresses (RFC 9000 §9). Send the
//! requests one by one; after the first half, move the client to a new
//! local UDP port on 127.0.0.1 and carry on over the same connection.

use quinn::{Connection, Endpoint};

// ANCHOR: starter
/// Sends each of `requests` on its own stream of `conn`, in order, and
/// returns the answers; halfway through, `endpoint` moves to a new port.
pub async fn send_across_move(
    endpoint: &Endpoint,
    conn: &Connection,
    requests: &[&str],
) -> anyhow::Result<Vec<String>> {
    let mut answers = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        if i == requests.len() / 2 {
            // TODO: move `endpoint` to a new UDP socket on 127.0.0.1 (any
            // free port), keeping `conn`. Nothing happens here yet.
            let _ = endpoint;
        }
        answers.push(lab_frontier::served::ask(conn, request).await?);
    }
    Ok(answers)
}
// ANCHOR_END: starter
