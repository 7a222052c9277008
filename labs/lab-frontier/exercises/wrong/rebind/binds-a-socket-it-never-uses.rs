//! The mistake: binds a new socket but never hands it to the endpoint, so the client never moves.

use quinn::{Connection, Endpoint};

pub async fn send_across_move(
    _endpoint: &Endpoint,
    conn: &Connection,
    requests: &[&str],
) -> anyhow::Result<Vec<String>> {
    let mut answers = Vec::new();
    let mut _spare = None;
    for (i, request) in requests.iter().enumerate() {
        if i == requests.len() / 2 {
            _spare = Some(std::net::UdpSocket::bind("127.0.0.1:0")?);
        }
        answers.push(lab_frontier::served::ask(conn, request).await?);
    }
    Ok(answers)
}
