//! labkit's ZMTP decoder on real libzmq traffic (a peer we did not write):
//! a DEALER talks to a ROUTER through the recording proxy, and every byte
//! both ways decodes into greeting, READY and message frames.

use std::time::Duration;

use lab_zeromq::zsock::{bind_tcp, port, recv_within, socket};
use labkit::wire::zmtp::{self, Frames, Kind};
use labkit::wire::{Decoder, Direction, Proxy, Unit};

#[tokio::test]
async fn the_decoder_reads_libzmq_s_handshake_and_multipart_messages() {
    let ctx = zmq::Context::new();
    let router = socket(&ctx, zmq::ROUTER).unwrap();
    let endpoint = bind_tcp(&router).unwrap();
    let proxy = Proxy::start(([127, 0, 0, 1], port(&endpoint).unwrap()).into())
        .await
        .unwrap();
    let via = format!("tcp://{}", proxy.addr());
    tokio::task::spawn_blocking(move || {
        let dealer = socket(&ctx, zmq::DEALER).unwrap();
        dealer.set_identity(b"till-7").unwrap();
        dealer.connect(&via).unwrap();
        let big = vec![b'x'; 300];
        dealer
            .send_multipart([&b"pay"[..], b"42.00", &big], 0)
            .unwrap();
        let got = recv_within(&router, Duration::from_secs(10))
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), 4, "identity + three frames");
        router.send_multipart(&got, 0).unwrap();
        assert!(
            recv_within(&dealer, Duration::from_secs(10))
                .unwrap()
                .is_some()
        );
    })
    .await
    .unwrap();
    assert!(proxy.wait_closed(Duration::from_secs(10)).await);
    let conn = proxy.recording().into_iter().next().unwrap();

    let up = conn.stream(Direction::ToServer);
    let units = Frames.decode(&up).complete().expect("every byte decodes");
    let used: usize = units.iter().map(Unit::wire_len).sum();
    assert_eq!(used, up.len());
    assert_eq!(
        units[0].kind,
        Kind::Greeting {
            version: (3, 1),
            mechanism: "NULL".into(),
            as_server: false
        }
    );
    assert_eq!(units[1].name(), "READY");
    let props = units[1].properties();
    assert!(
        props.contains(&("Socket-Type".into(), b"DEALER".to_vec())),
        "{props:?}"
    );
    assert!(
        props.contains(&("Identity".into(), b"till-7".to_vec())),
        "{props:?}"
    );
    let names: Vec<String> = units[2..].iter().map(Unit::name).collect();
    assert_eq!(names, ["frame+more", "frame+more", "frame"]);
    assert!(units[4].long(), "a 300-byte frame needs the 8-byte size");
    assert_eq!(units[4].header_len(), 9);
    let messages = zmtp::messages(&units);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0][..2], [b"pay".to_vec(), b"42.00".to_vec()]);

    let down = Frames
        .decode(&conn.stream(Direction::ToClient))
        .complete()
        .unwrap();
    let props = down[1].properties();
    assert!(
        props.contains(&("Socket-Type".into(), b"ROUTER".to_vec())),
        "{props:?}"
    );
    assert_eq!(
        zmtp::messages(&down).len(),
        1,
        "the reply, without the identity"
    );
}
