//! The mistake: moves only once every request has been answered, so nothing travels from the new port.

use quinn::{Connection, Endpoint};

pub async fn send_across_move(
    endpoint: &Endpoint,
    conn: &Connection,
    requests: &[&str],
) -> anyhow::Result<Vec<String>> {
    let mut answers = Vec::new();
    for request in requests {
        answers.push(lab_frontier::served::ask(conn, request).await?);
    }
    endpoint.rebind(std::net::UdpSocket::bind("127.0.0.1:0")?)?;
    Ok(answers)
}
