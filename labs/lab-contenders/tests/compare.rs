//! The claims of Chapter 8's comparison ("All of them on one charge"):
//! bytes, connections and round trips of the same charge over every
//! protocol, each counted by labkit's proxy. Counts and orderings only,
//! never timings.

use std::sync::OnceLock;

use lab_contenders::compare::{self, CALLS, Contender, Row, Thrift};
use lab_contenders::thrift_service::{self, Protocol};
use lab_contenders::xmlrpc::JSON_CALL;
use lab_contenders::{Lab, avro_rpc, jsonrpc_service, ledger::Ledger};
use labkit::wire::{Direction, Proxy};

/// One run of the whole comparison, shared by the tests that read it.
fn comparison() -> &'static [Row] {
    static RUN: OnceLock<Vec<Row>> = OnceLock::new();
    RUN.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let lab = Lab::new();
            compare::rows(&lab).await.unwrap().rows
        })
    })
}

fn row(name: &str) -> &'static Row {
    comparison()
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn every_row_is_what_the_proxy_counted_on_one_connection_with_one_round_trip_per_warm_call() {
    let rows = comparison();
    assert_eq!(rows.len(), 13, "REST, gRPC and eleven contender rows");
    for r in rows {
        for dir in Direction::BOTH {
            let recorded: u64 = r.warm_recording.iter().map(|c| c.bytes(dir)).sum();
            let counted = match dir {
                Direction::ToServer => r.warm.to_server,
                Direction::ToClient => r.warm.to_client,
            };
            assert_eq!(counted, recorded, "{}: {dir:?}", r.name);
        }
        assert_eq!(
            r.cold.connections, 1,
            "{}: one call, one connection",
            r.name
        );
        assert_eq!(r.warm.connections, 0, "{}: warm calls open none", r.name);
        assert_eq!(
            r.warm.round_trips, CALLS,
            "{}: one round trip a call",
            r.name
        );
    }
}

#[test]
fn over_http_1_1_and_framed_tcp_a_first_call_costs_what_every_later_call_costs() {
    for name in [
        "REST + JSON (ch. 1)",
        "Thrift binary, framed",
        "Thrift compact, framed",
        "Avro RPC",
        "Twirp, protobuf",
        "Twirp, JSON",
        "JSON-RPC over HTTP",
        "GraphQL over HTTP",
        "XML-RPC",
    ] {
        let r = row(name);
        assert_eq!(r.cold.round_trips, 1, "{name}");
        assert_eq!(
            r.cold.bytes() * CALLS as u64,
            r.warm.bytes(),
            "{name}: no handshake above TCP, nothing sent at close"
        );
    }
}

#[test]
fn the_websocket_pays_its_upgrade_and_close_once_then_frames_cost_a_few_bytes() {
    let ws = row("JSON-RPC over WebSocket");
    let http = row("JSON-RPC over HTTP");
    assert_eq!(ws.cold.round_trips, 3, "upgrade, the call, the close");
    let answer = jsonrpc_service::handle(&Ledger::new(), JSON_CALL).unwrap();
    // A client frame: 2 header bytes and a 4-byte mask; a server frame: 2.
    assert_eq!(
        ws.warm.to_server,
        CALLS as u64 * (JSON_CALL.len() as u64 + 6)
    );
    assert_eq!(ws.warm.to_client, CALLS as u64 * (answer.len() as u64 + 2));
    assert!(ws.warm.bytes() < http.warm.bytes());
    assert!(ws.cold.bytes() > http.cold.bytes());
    let graphql = row("GraphQL over WebSocket");
    assert_eq!(
        graphql.cold.round_trips, 4,
        "upgrade, init and ack, the call, the close"
    );
    assert!(graphql.warm.bytes() < row("GraphQL over HTTP").warm.bytes());
}

#[test]
fn orderings_on_a_warm_connection() {
    let per_call = |name| row(name).warm.bytes_per_call();
    assert!(per_call("gRPC (ch. 2)") < per_call("REST + JSON (ch. 1)"));
    assert!(per_call("Twirp, protobuf") < per_call("Twirp, JSON"));
    assert!(per_call("Thrift compact, framed") < per_call("Thrift binary, framed"));
    let xml = per_call("XML-RPC");
    for r in comparison().iter().filter(|r| r.name != "XML-RPC") {
        assert!(r.warm.bytes_per_call() < xml, "{} vs XML-RPC", r.name);
    }
    let least = comparison().iter().min_by_key(|r| r.warm.bytes()).unwrap();
    assert_eq!(least.name, "Thrift compact, framed");
}

/// Bytes of one framed Thrift call and its reply: a 4-byte frame length,
/// the message header, the args (or result) struct around the payload.
fn thrift_call_bytes(protocol: Protocol) -> (u64, u64) {
    let request = thrift_service::encode(&thrift_service::request(), protocol).unwrap();
    let charge = lab_contenders::thrift_gen::Charge::new(
        "ch_0000000003".to_string(),
        1_250,
        "EUR".to_string(),
    );
    let reply = thrift_service::encode(&charge, protocol).unwrap();
    let name = "charge".len();
    match protocol {
        // version and type (4), name length (4), name, sequence id (4);
        // the field header (type 1, id 2) and the args' stop byte.
        Protocol::Binary => {
            let header = 4 + 4 + name + 4;
            (
                (4 + header + 3 + request.len() + 1) as u64,
                (4 + header + 3 + reply.len() + 1) as u64,
            )
        }
        // protocol id, version and type, varint sequence id, varint name
        // length, name; field 1 as one byte (delta), field 0 as two.
        Protocol::Compact => {
            let header = 1 + 1 + 1 + 1 + name;
            (
                (4 + header + 1 + request.len() + 1) as u64,
                (4 + header + 2 + reply.len() + 1) as u64,
            )
        }
    }
}

#[tokio::test]
async fn thrift_compact_costs_fewer_bytes_than_binary_each_exactly_its_frames() {
    let mut per_call = Vec::new();
    for protocol in [Protocol::Binary, Protocol::Compact] {
        let server = compare::thrift_server(protocol, 2).unwrap();
        let r = compare::measure("thrift", "TCP", &Thrift(protocol), server)
            .await
            .unwrap();
        let (up, down) = thrift_call_bytes(protocol);
        assert_eq!(r.warm.to_server, CALLS as u64 * up, "{protocol:?}");
        assert_eq!(r.warm.to_client, CALLS as u64 * down, "{protocol:?}");
        per_call.push(up + down);
    }
    assert_eq!(per_call, [116, 66]);
}

#[tokio::test]
async fn grpc_calls_on_a_warm_connection_cost_124_bytes_each_after_the_first() {
    let server = lab_grpc::server::spawn(Default::default()).await.unwrap();
    let proxy = Proxy::start(server.addr).await.unwrap();
    let grpc = compare::Grpc;
    let mut client = grpc.open(proxy.addr()).await.unwrap();
    for _ in 0..=CALLS {
        grpc.charge(&mut client).await.unwrap();
    }
    compare::quiet(&proxy).await;
    let recording = proxy.recording();
    assert_eq!(recording.len(), 1);
    // HPACK's table is per connection: decode the connection from its start.
    let calls = lab_grpc::calls::calls(&recording[0]).unwrap();
    assert_eq!(calls.len(), 1 + CALLS);
    assert!(
        calls[0].wire_bytes() > 124,
        "the first call sends its headers in full"
    );
    // The server puts a `date` header on every response. While the second
    // stays the same, HPACK sends it as one byte from its table; the first
    // response after the clock ticks carries the new date in full.
    let date = |call: &lab_grpc::calls::Call| {
        call.response_headers
            .iter()
            .find(|(name, _)| name == "date")
            .map(|(_, value)| value.clone())
    };
    let mut same_second = 0;
    for pair in calls.windows(2) {
        let (before, call) = (&pair[0], &pair[1]);
        assert!(date(call).is_some(), "every response carries a date");
        if date(call) == date(before) {
            assert_eq!(
                call.wire_bytes(),
                124,
                "HEADERS, DATA and trailers of one call"
            );
            same_second += 1;
        } else {
            assert!(call.wire_bytes() > 124, "a new date costs bytes");
        }
    }
    assert!(
        same_second > 0,
        "at least one call is answered in the same second as the one before"
    );
    // The comparison's row counts whatever crossed during its warm calls: the
    // calls, and now and then a connection-level frame late from the setup.
    // (The shared run starts its own runtime: read it off this one's thread.)
    let warm = tokio::task::spawn_blocking(|| row("gRPC (ch. 2)").warm.bytes())
        .await
        .unwrap();
    assert!(warm >= 124 * CALLS as u64);
}

#[tokio::test]
async fn an_avro_rpc_call_carries_its_short_handshake_in_every_request() {
    let server = avro_rpc::spawn().await.unwrap();
    let proxy = Proxy::start(server.addr).await.unwrap();
    let body = avro_rpc::request(1_250, "EUR").unwrap();
    // 4 + (16 + 1 + 16 + 1 handshake, 1 metadata, 7 name, 2 + 4 params) + 4
    assert_eq!(body.len(), 56);
    let post = compare::Post {
        path: avro_rpc::PATH,
        content_type: "avro/binary",
        body,
    };
    let mut client = post.open(proxy.addr()).await.unwrap();
    post.charge(&mut client).await.unwrap();
    let answer = reqwest::Client::new()
        .post(format!("http://{}{}", proxy.addr(), avro_rpc::PATH))
        .body(avro_rpc::request(1_250, "EUR").unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let charge = avro_rpc::read_response(&answer).unwrap();
    assert_eq!(
        lab_contenders::avro::fields(&charge),
        [
            "charge_id=ch_0000000002",
            "amount_cents=1250",
            "currency=EUR"
        ]
    );
    // 4 + (4 handshake, 1 metadata, 1 flag, 14 + 2 + 4 charge) + 4
    assert_eq!(answer.len(), 34);
    assert_eq!(server.ledger.count(), 2);
}

#[test]
fn the_avro_protocol_hash_is_the_md5_of_its_text() {
    let Ok(out) = std::process::Command::new("md5sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(avro_rpc::PROTOCOL.as_bytes())?;
            child.wait_with_output()
        })
    else {
        eprintln!("md5sum is not installed; skipping");
        return;
    };
    let hex: String = avro_rpc::PROTOCOL_MD5
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&hex));
}
