//! The rows of Chapter 5's claims table, checked against real RabbitMQ.
//!
//! A RabbitMQ node costs ~4 CPU-seconds to start, and cargo-nextest runs
//! every test in its own process, so a node cannot be shared between test
//! functions. Hence two tests: one private node for every claim that only
//! declares, publishes and consumes (each claim an `async fn` below, named
//! for it, called in turn), and one private node that is restarted and
//! crashed for the durability claims. Every check asserts the claim itself:
//! which queue got which message, counts, flags, headers.

use labkit::broker::{self, Broker, Kind, Options};
use labkit::wire::Direction;

use lab_amqp::{
    consumers, dead_letters, durability, frames, levelling, queue_props, routing, security,
    streams, support, tls,
};

async fn private_node() -> Broker {
    broker::private(Kind::RabbitMq, Options::new())
        .await
        .unwrap_or_else(|e| panic!("a private RabbitMQ is needed for these tests: {e}"))
}

fn bodies(routed: &routing::Routed, queue: &str) -> Vec<String> {
    routed
        .iter()
        .find(|(q, _)| q == queue)
        .map(|(_, b)| b.clone())
        .unwrap_or_else(|| panic!("no queue {queue}"))
}

async fn a_message_is_three_frames_and_channels_share_one_connection(b: &Broker) {
    let c = frames::capture(b.url(), b.addr()).await.unwrap();
    assert_eq!(c.connections, 1, "one TCP connection carries both channels");
    assert_ne!(c.publish_channel, c.consume_channel);
    let publish = frames::message_frames(&c, Direction::ToServer, "basic.publish");
    let names: Vec<&str> = publish.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["basic.publish", "content-header", "content-body"]);
    assert!(
        publish.iter().all(|f| f.channel == c.publish_channel),
        "{publish:?}"
    );
    let deliver = frames::message_frames(&c, Direction::ToClient, "basic.deliver");
    let names: Vec<&str> = deliver.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["basic.deliver", "content-header", "content-body"]);
    assert!(
        deliver.iter().all(|f| f.channel == c.consume_channel),
        "{deliver:?}"
    );
    // The body frame is the 16-byte body plus 8 bytes of framing.
    assert_eq!(publish[2].wire_len, c.body.len() + 8);
    // The method frame: 8 of framing, 9 of class, method, exchange "" and
    // flags, and the queue name with its length octet — named by the
    // broker, always 30 characters, so always 47 bytes.
    assert_eq!(c.queue.len(), 30, "a server-named queue: {}", c.queue);
    assert_eq!(publish[0].wire_len, 17 + c.queue.len());
    assert_eq!(c.body, "order 42 shipped");
    tshark_agrees(&c);
}

/// Our decoder against Wireshark's AMQP dissector on the same capture.
fn tshark_agrees(c: &frames::Capture) {
    let dir = tempfile::tempdir().unwrap(); // removed when the test ends
    let pcap = dir.path().join("frames.pcap");
    c.proxy.write_pcap(&pcap).unwrap();
    let port = c.proxy.upstream().port();
    let out = std::process::Command::new("tshark")
        .args([
            "-r",
            pcap.to_str().unwrap(),
            "-d",
            &format!("tcp.port=={port},amqp"),
            "-T",
            "fields",
            "-e",
            "amqp.method.class",
            "-e",
            "amqp.method.method",
        ])
        .output()
        .expect("tshark is needed to check the AMQP decoder: apt-get install tshark");
    let text = String::from_utf8_lossy(&out.stdout);
    let theirs = text
        .lines()
        .flat_map(|l| l.split('\t').next().unwrap_or("").split(','))
        .filter(|s| !s.is_empty())
        .count();
    let ours = c.frames.iter().filter(|f| f.name.contains('.')).count();
    assert_eq!(
        theirs, ours,
        "tshark's method frames vs ours; tshark said:\n{text}"
    );
    assert!(
        ours > 10,
        "the handshake alone is more than ten methods: {ours}"
    );
}

async fn exchanges_route_by_key_pattern_and_headers(b: &Broker) {
    let conn = support::connect(b.url()).await.unwrap();
    let ch = support::confirmed_channel(&conn).await.unwrap();
    let d = routing::direct(&ch).await.unwrap();
    assert_eq!(
        bodies(&d, "bound to 'invoice'"),
        ["invoice"],
        "exact match only: not invoice.eu"
    );
    assert_eq!(bodies(&d, "bound to 'refund'"), ["refund"]);
    let f = routing::fanout(&ch).await.unwrap();
    assert!(
        f.iter().all(|(_, b)| b == &["a", "b"]),
        "every queue gets every message: {f:?}"
    );
    let t = routing::topic(&ch).await.unwrap();
    assert_eq!(
        bodies(&t, "sensor.*.temp"),
        ["sensor.k1.temp"],
        "* is exactly one word"
    );
    assert_eq!(
        bodies(&t, "sensor.#"),
        [
            "sensor.k1.temp",
            "sensor.k1.room.temp",
            "sensor",
            "sensor.k1.alarm"
        ],
        "# is zero or more words"
    );
    assert_eq!(bodies(&t, "#.alarm"), ["door.alarm", "sensor.k1.alarm"]);
    let h = routing::headers(&ch).await.unwrap();
    assert_eq!(bodies(&h, "all: pdf+report"), ["pdf report"]);
    assert_eq!(
        bodies(&h, "any: pdf|log"),
        ["pdf report", "pdf invoice", "csv log"]
    );
}

async fn unroutable_messages_are_returned_dropped_or_caught(b: &Broker) {
    let conn = support::connect(b.url()).await.unwrap();
    let ch = support::confirmed_channel(&conn).await.unwrap();
    let u = routing::unroutable(&ch).await.unwrap();
    assert!(u.mandatory_returned, "mandatory + no binding: basic.return");
    assert!(
        u.plain_confirmed,
        "without mandatory the broker confirms and drops it"
    );
    assert_eq!(u.caught_by_alternate, ["m3"]);
}

async fn competing_consumers_take_turns(b: &Broker) {
    let got = consumers::round_robin(b.url(), 3, 9).await.unwrap();
    assert_eq!(got, [vec![0, 3, 6], vec![1, 4, 7], vec![2, 5, 8]]);
}

async fn prefetch_one_sends_work_to_the_free_consumer(b: &Broker) {
    let one = consumers::prefetch_split(b.url(), 1, 40, 100)
        .await
        .unwrap();
    let hundred = consumers::prefetch_split(b.url(), 100, 40, 100)
        .await
        .unwrap();
    assert_eq!(
        (hundred.fast, hundred.slow),
        (20, 20),
        "prefetch 100: pushed out evenly, slow or not"
    );
    assert!(
        one.slow < 10 && one.fast > 30,
        "prefetch 1: the fast consumer does most: {one:?}"
    );
}

async fn only_a_requeued_message_comes_back(b: &Broker) {
    let f = consumers::answers(b.url()).await.unwrap();
    assert_eq!(f.came_back, [("nack-requeue".to_string(), true)]);
    assert_eq!(
        f.left, 0,
        "ack, nack without requeue and reject all removed theirs"
    );
}

async fn a_dead_consumers_messages_are_all_redelivered(b: &Broker) {
    let c = consumers::consumer_crash(b.url(), b.addr(), 20)
        .await
        .unwrap();
    assert_eq!(c.held_unacked, 20);
    assert_eq!(c.redelivered, 20, "none lost");
    assert_eq!(c.flagged, 20, "every one flagged redelivered");
}

async fn dead_letters_carry_their_reason(b: &Broker) {
    let (dead, [rejecting, expiring, short]) = dead_letters::three_ways(b.url()).await.unwrap();
    let got: Vec<(&str, &str, &str, i64)> = dead
        .iter()
        .map(|d| {
            (
                d.body.as_str(),
                d.reason.as_str(),
                d.queue.as_str(),
                d.count,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("stale quote", "expired", expiring.as_str(), 1),
            ("oldest reading", "maxlen", short.as_str(), 1),
            ("bad order", "rejected", rejecting.as_str(), 1),
        ]
    );
}

async fn a_poison_message_loops_with_requeue_and_parks_without(b: &Broker) {
    let p = dead_letters::poison(b.url(), 200).await.unwrap();
    assert_eq!(
        p.requeue_deliveries, 200,
        "requeued, it came back until we stopped watching"
    );
    assert_eq!(p.park_deliveries, 1);
    assert_eq!(p.parked, 1);
}

async fn queue_properties_do_what_they_say(b: &Broker) {
    let p = queue_props::measure(b.url()).await.unwrap();
    assert_eq!(p.after_message_ttl, ["no expiration"]);
    assert!(
        !p.expired_queue_exists,
        "x-expires deleted the unused queue"
    );
    assert_eq!(p.drop_head, ["m3", "m4", "m5"]);
    assert_eq!(
        p.reject_publish,
        (3, 2, vec!["m1".into(), "m2".into(), "m3".into()])
    );
    assert_eq!(
        p.priority_order,
        ["priority 9", "priority 5", "priority 1", "priority 0"]
    );
    assert_eq!(p.quorum_roundtrip, ["replicated"]);
    assert!(p.quorum_transient_refused, "a quorum queue must be durable");
}

async fn a_queue_absorbs_a_burst_and_drains_it(b: &Broker) {
    let l = levelling::level(b.url(), 200, 10).await.unwrap();
    assert_eq!(l.consumed, 200, "every message processed");
    assert!(
        l.peak() >= 100,
        "most of the burst waited in the queue: peak {}",
        l.peak()
    );
    assert_eq!(l.depth.last().map(|d| d.1), Some(0), "drained to empty");
    // Once the whole burst was confirmed nothing more comes in, so every
    // depth asked for after that is no higher than the one before it.
    let after_burst: Vec<u32> = l
        .depth
        .iter()
        .filter(|d| d.0 >= l.publish_time.as_secs_f64())
        .map(|d| d.1)
        .collect();
    assert!(
        after_burst.len() >= 2,
        "sampled while draining: {after_burst:?}"
    );
    assert!(
        after_burst.windows(2).all(|w| w[1] <= w[0]),
        "the depth never rises once the burst is published: {after_burst:?}"
    );
    let peak_at = l.depth.iter().position(|d| d.1 == l.peak()).unwrap();
    // The consumer sleeps 10 ms per message, so draining the peak cannot
    // take less than peak × 10 ms: the queue empties at the consumer's pace.
    let drained_in = l.depth.last().unwrap().0 - l.depth[peak_at].0;
    assert!(
        drained_in >= f64::from(l.peak() - 1) * 0.010,
        "{} messages drained in {drained_in:.2} s",
        l.peak()
    );
    assert!(lab_amqp::levelling::chart(&l).starts_with("<svg"));
}

async fn a_stream_replays_where_a_queue_forgets(b: &Broker) {
    let r = streams::replay(b.url()).await.unwrap();
    let all: Vec<String> = (0..10).map(|i| format!("event {i}")).collect();
    assert_eq!(r.stream_reader_a, all);
    assert_eq!(
        r.stream_reader_b, all,
        "a second reader gets everything again"
    );
    assert_eq!(r.from_offset_5, all[5..]);
    assert_eq!(r.queue_reader_a, all);
    assert!(
        r.queue_reader_b.is_empty(),
        "acknowledged queue messages are gone"
    );
}

async fn a_limited_user_is_refused_elsewhere(b: &Broker) {
    security::setup(b).unwrap();
    let a = security::probe(b).await.unwrap();
    assert!(
        a.other_vhost.as_ref().unwrap_err().contains("NOT_ALLOWED"),
        "{:?}",
        a.other_vhost
    );
    assert_eq!(a.own_vhost, Ok(()));
    assert_eq!(a.matching_queue, Ok(()));
    assert!(
        a.other_queue
            .as_ref()
            .unwrap_err()
            .contains("ACCESS_REFUSED"),
        "{:?}",
        a.other_queue
    );
}

async fn tls_hides_the_login_that_plain_amqp_shows(b: &Broker, ca_pem: &str) {
    let (plain, tls) = tls::compare(b, ca_pem).await.unwrap();
    assert!(
        plain.password_visible,
        "PLAIN over amqp:// carries the password as is"
    );
    assert!(plain.frames_readable >= 5, "{plain:?}");
    assert!(!tls.password_visible, "{tls:?}");
    assert_eq!(
        tls.frames_readable, 0,
        "no AMQP frame is readable inside TLS"
    );
    assert!(tls.bytes > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_one_private_broker() {
    // One node for every claim below; it also has a TLS listener.
    let certs = tls::make_certs().unwrap();
    let b = broker::private(Kind::RabbitMq, tls::options(&certs))
        .await
        .unwrap_or_else(|e| panic!("a private RabbitMQ is needed for these tests: {e}"));
    a_message_is_three_frames_and_channels_share_one_connection(&b).await;
    exchanges_route_by_key_pattern_and_headers(&b).await;
    unroutable_messages_are_returned_dropped_or_caught(&b).await;
    competing_consumers_take_turns(&b).await;
    prefetch_one_sends_work_to_the_free_consumer(&b).await;
    only_a_requeued_message_comes_back(&b).await;
    a_dead_consumers_messages_are_all_redelivered(&b).await;
    dead_letters_carry_their_reason(&b).await;
    a_poison_message_loops_with_requeue_and_parks_without(&b).await;
    queue_properties_do_what_they_say(&b).await;
    a_queue_absorbs_a_burst_and_drains_it(&b).await;
    a_stream_replays_where_a_queue_forgets(&b).await;
    a_limited_user_is_refused_elsewhere(&b).await;
    tls_hides_the_login_that_plain_amqp_shows(&b, certs.ca_pem()).await;
    assert!(
        b.probe().await.is_ok(),
        "the broker is still up after every check"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durability_across_a_restart_and_a_crash() {
    let mut b = private_node().await;
    let combos = durability::across_restart(&mut b).await.unwrap();
    assert_eq!(combos.len(), 8);
    for c in &combos {
        let what = format!("{c:?}");
        assert_eq!(
            c.exchange_back, c.durable_exchange,
            "exchange survives iff durable: {what}"
        );
        assert_eq!(
            c.queue_back, c.durable_queue,
            "queue survives iff durable: {what}"
        );
        assert_eq!(
            c.binding_back,
            c.durable_exchange && c.durable_queue,
            "a binding survives iff both ends do: {what}"
        );
        assert_eq!(
            c.message_back,
            c.durable_queue && c.persistent_message,
            "a message survives iff persistent in a durable queue, whatever the exchange: {what}"
        );
    }
    let crash = durability::confirms_across_crash(&mut b, 3000)
        .await
        .unwrap();
    assert_eq!(crash.confirmed, 3000);
    assert!(
        crash.confirmed_survived >= crash.confirmed,
        "every confirmed message survived SIGKILL: {crash:?}"
    );
    assert!(
        crash.unconfirmed_survived < crash.unconfirmed_sent,
        "fire-and-forget lost some: {crash:?}"
    );
}
