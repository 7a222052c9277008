//! Claims of "Peer to peer": two libp2p nodes dialled by address on
//! 127.0.0.1 answer each other over one connection, the PeerId a node
//! proves is the one its key gives, and a different key at the address
//! fails the dial. One run of the scenario is shared by every test.

use lab_frontier::p2p::{self, ADA, BOB, MALLORY, Outcome};
use lab_frontier::p2p_node::keypair;
use lab_frontier::p2p_wire::What;
use labkit::wire::Direction;
use tokio::sync::OnceCell;

static OUTCOME: OnceCell<Outcome> = OnceCell::const_new();

async fn outcome() -> &'static Outcome {
    OUTCOME
        .get_or_init(|| async { p2p::measure().await.expect("the p2p scenario runs") })
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_node_answers_the_other_on_one_connection() {
    let o = outcome().await;
    let pairs: Vec<(&str, &str, &str)> = o
        .calls
        .iter()
        .map(|c| (c.caller, c.callee, c.found.by.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("ada", "bob", "bob"), ("bob", "ada", "ada")],
        "each call answered by its callee"
    );
    assert!(o.calls.iter().all(|c| c.found.value.is_some()));
    assert_eq!(o.tcp_connections, 1, "one TCP connection through the proxy");
    assert_eq!(o.established, [1, 1], "one libp2p connection on each side");
    assert!(o.ada_dialled && o.bob_accepted);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_peer_dialled_proves_the_peer_id_its_key_gives() {
    let o = outcome().await;
    let bob = keypair(BOB).public().to_peer_id();
    assert_eq!(o.proved, bob);
    let ids: Vec<_> = o.nodes.iter().map(|(_, id, _)| *id).collect();
    let from_keys: Vec<_> = [ADA, BOB, MALLORY]
        .into_iter()
        .map(|k| keypair(k).public().to_peer_id())
        .collect();
    assert_eq!(ids, from_keys);
    // An ed25519 key encodes to 36 bytes (<= 42), so the PeerId is the
    // identity multihash of it: code 0x00, length 0x24, the key itself.
    let encoded = keypair(BOB).public().encode_protobuf();
    assert_eq!(encoded.len(), 36);
    assert_eq!(bob.to_bytes(), [&[0x00, 0x24][..], &encoded].concat());
    assert!(bob.to_string().starts_with("12D3KooW"), "{bob}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_different_key_at_the_address_fails_the_dial() {
    let o = outcome().await;
    let bob = keypair(BOB).public().to_peer_id();
    let mallory = keypair(MALLORY).public().to_peer_id();
    assert_ne!(mallory, bob);
    let failed = o.spoof.as_ref().expect_err("the dial must fail");
    assert_eq!(failed.wrong_peer, Some(mallory), "{failed}");
    assert!(failed.message.contains("Unexpected peer ID"), "{failed}");
    assert_eq!(o.established, [1, 1], "no connection to mallory stood");
}

#[tokio::test(flavor = "multi_thread")]
async fn noise_is_agreed_in_clear_then_three_handshake_messages_and_two_round_trips() {
    let o = outcome().await;
    let clear = |dir: Direction| -> Vec<String> {
        o.upgrade
            .iter()
            .filter_map(|u| match &u.what {
                What::Multistream(m) if u.dir == dir => Some(m.clone()),
                _ => None,
            })
            .collect()
    };
    for dir in Direction::BOTH {
        assert_eq!(clear(dir), ["/multistream/1.0.0", "/noise"], "{dir}");
    }
    let handshake: Vec<(u8, Direction, usize)> = o
        .upgrade
        .iter()
        .filter_map(|u| match u.what {
            What::Handshake(n) => Some((n, u.dir, u.bytes)),
            _ => None,
        })
        .collect();
    let order: Vec<(u8, Direction)> = handshake.iter().map(|h| (h.0, h.1)).collect();
    assert_eq!(
        order,
        [
            (1, Direction::ToServer),
            (2, Direction::ToClient),
            (3, Direction::ToServer)
        ]
    );
    assert_eq!(
        handshake[0].2,
        2 + 32,
        "message 1: a length and a 32-byte key"
    );
    assert_eq!(o.round_trips, 2, "TCP's, then noise's first two messages");
}
