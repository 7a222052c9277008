//! Grading test for `frontier-rebind`.

use std::collections::HashSet;

use lab_frontier::quic::{self, Tickets};
use lab_frontier::served::{self, Log, lock};
use lab_frontier_exercises::rebind::send_across_move;
use labkit::grade::{expect, expect_eq, expect_ok};
use labkit::tls::Throwaway;
use labkit::wire::UdpProxy;

#[tokio::test]
async fn the_connection_survives_the_move() {
    let certs = Throwaway::new("frontier-rebind CA", &["localhost"]).expect("certificates");
    let server = quic::server(&certs, Tickets::SingleUse).expect("a QUIC server");
    let log = Log::default();
    let serving = tokio::spawn(served::serve(server.clone(), log.clone()));
    let proxy = UdpProxy::start(server.local_addr().unwrap())
        .await
        .expect("a UDP proxy");
    let client = quic::client(&certs).expect("a QUIC client");
    let conn = client
        .connect(proxy.addr(), "localhost")
        .unwrap()
        .await
        .expect("the first connection");

    let requests = ["one", "two", "three", "four"];
    let answers = expect_ok(
        send_across_move(&client, &conn, &requests).await,
        "every request is answered",
    );
    expect_eq(
        answers,
        requests.iter().map(|r| format!("done: {r}")).collect(),
        "each request gets its own answer, in order",
    );
    let done = lock(&log).clone();
    serving.abort();
    let connections: HashSet<_> = done.iter().map(|d| d.connection).collect();
    expect_eq(
        connections.len(),
        1,
        "all requests arrive on one connection (a second connection means a second handshake)",
    );
    let from = |r: &str| done.iter().find(|d| d.request == r).map(|d| d.from);
    expect(
        from("one") == from("two") && from("three") == from("four"),
        "the client moves once, between the second and the third request",
        done.iter()
            .map(|d| (&d.request, d.from))
            .collect::<Vec<_>>(),
    );
    expect(
        from("two") != from("three"),
        "the server sees the last requests come from a new address",
        done.iter()
            .map(|d| (&d.request, d.from))
            .collect::<Vec<_>>(),
    );
}
