//! The mistake: moves, then opens a new connection for the rest, paying a second handshake.

use quinn::{Connection, Endpoint};

pub async fn send_across_move(
    endpoint: &Endpoint,
    conn: &Connection,
    requests: &[&str],
) -> anyhow::Result<Vec<String>> {
    let mut answers = Vec::new();
    let mut current = conn.clone();
    for (i, request) in requests.iter().enumerate() {
        if i == requests.len() / 2 {
            endpoint.rebind(std::net::UdpSocket::bind("127.0.0.1:0")?)?;
            current = endpoint
                .connect(conn.remote_address(), "localhost")?
                .await?;
        }
        answers.push(lab_frontier::served::ask(&current, request).await?);
    }
    Ok(answers)
}
