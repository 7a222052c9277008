//! labkit's UDP proxy: it relays datagrams both ways, drops exactly what it
//! is told to, and the same seed drops the same datagrams.

use std::time::Duration;

use labkit::wire::{Direction, UdpProxy};
use tokio::net::UdpSocket;

/// An echo server on loopback.
async fn echo() -> std::net::SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = [0; 2048];
        while let Ok((n, from)) = socket.recv_from(&mut buf).await {
            let _ = socket.send_to(&buf[..n], from).await;
        }
    });
    addr
}

/// Sends `n` numbered datagrams through the proxy, one at a time, and
/// returns which numbers came back.
async fn round(proxy: &UdpProxy, n: u8) -> Vec<u8> {
    let client = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    client.connect(proxy.addr()).await.unwrap();
    let mut back = Vec::new();
    for i in 0..n {
        client.send(&[i]).await.unwrap();
        let mut buf = [0; 16];
        if let Ok(Ok(_)) =
            tokio::time::timeout(Duration::from_millis(50), client.recv(&mut buf)).await
        {
            back.push(buf[0]);
        }
    }
    back
}

#[tokio::test]
async fn drop_next_drops_exactly_that_many() {
    let proxy = UdpProxy::start(echo().await).await.unwrap();
    proxy.drop_next(Direction::ToServer, 2);
    let back = round(&proxy, 5).await;
    assert_eq!(back, [2, 3, 4]);
    assert_eq!(proxy.dropped(Direction::ToServer), 2);
    assert_eq!(proxy.forwarded(Direction::ToServer), 3);
    assert_eq!(proxy.forwarded(Direction::ToClient), 3);
    assert_eq!(proxy.recording().len(), 8, "5 in, 3 back, all recorded");
}

#[tokio::test]
async fn a_seeded_share_is_dropped_the_same_way_twice() {
    let server = echo().await;
    let mut runs = Vec::new();
    for _ in 0..2 {
        let proxy = UdpProxy::start(server).await.unwrap();
        proxy.set_loss(Direction::ToClient, 0.3, 42);
        let back = round(&proxy, 40).await;
        assert_eq!(
            proxy.dropped(Direction::ToClient) + proxy.forwarded(Direction::ToClient),
            40
        );
        assert_eq!(back.len() as u64, proxy.forwarded(Direction::ToClient));
        runs.push(back);
    }
    assert_eq!(runs[0], runs[1], "the same seed drops the same datagrams");
    let lost = 40 - runs[0].len();
    assert!(
        (4..=20).contains(&lost),
        "about 30 % of 40 lost, got {lost}"
    );
}

#[tokio::test]
async fn a_new_client_port_is_a_new_address_for_the_server() {
    let proxy = UdpProxy::start(echo().await).await.unwrap();
    round(&proxy, 1).await;
    round(&proxy, 1).await;
    assert_eq!(proxy.client_addresses(), 2);
}
