//! One test per row of Chapter 4's claims table: each asserts the claim
//! itself — bytes and packets counted by labkit's proxy and MQTT decoder,
//! copies counted by a real subscriber — against a private Mosquitto.

use std::time::Duration;

use lab_mqtt::{Broker, Lab, bytes, cuts, qos, retained, session, tls, will};
use labkit::broker::Options;
use labkit::wire::mqtt;

/// The broker the lab hands its scenarios in a test: `MQTT_URL`, else a
/// private Mosquitto (never a reader's shared one).
async fn broker(lab: &Lab) -> &Broker {
    lab.broker()
        .await
        .expect("an MQTT broker (install mosquitto)")
}

#[tokio::test]
async fn a_publish_costs_its_fixed_header_topic_and_packet_id() {
    let lab = Lab::for_tests();
    let publishes = bytes::publishes(broker(&lab).await).await.unwrap();
    assert_eq!(publishes.len(), 3);
    let topic = bytes::TOPIC.len();
    for (qos, (publish, _)) in publishes.iter().enumerate() {
        // Fixed header (2) + topic length (2) + topic + packet id at QoS > 0 (2).
        let want = 2 + 2 + topic + if qos > 0 { 2 } else { 0 };
        assert_eq!(publish.header_len, want, "QoS {qos}");
        assert_eq!(
            publish.header_len,
            mqtt::publish_header_len(bytes::TOPIC, publish.payload_len, qos as u8, false)
        );
    }
    // What answers each: nothing, a 4-byte PUBACK, PUBREC + PUBREL + PUBCOMP.
    let answers: Vec<usize> = publishes
        .iter()
        .map(|(_, a)| a.iter().map(mqtt::Packet::len).sum())
        .collect();
    assert_eq!(answers, [0, 4, 12]);
}

#[tokio::test]
async fn the_http_post_of_the_same_reading_weighs_more_than_any_publish() {
    let lab = Lab::for_tests();
    let costs = bytes::compare(broker(&lab).await).await.unwrap();
    let http = costs.last().unwrap();
    assert!(http.what.contains("HTTP"));
    for mqtt in &costs[..3] {
        assert_eq!(
            mqtt.payload, http.payload,
            "the same reading, the same JSON"
        );
        assert!(
            http.overhead_up > 3 * mqtt.overhead_up,
            "HTTP head {} vs {} before the reading in {}",
            http.overhead_up,
            mqtt.overhead_up,
            mqtt.what
        );
        assert!(http.total() > 2 * (mqtt.total() - mqtt.payload) + mqtt.payload);
    }
}

#[tokio::test]
async fn each_qos_level_costs_its_packets_on_each_hop() {
    let lab = Lab::for_tests();
    let all = qos::matrix(broker(&lab).await).await.unwrap();
    let packets = |level: u8| match level {
        0 => vec!["PUBLISH"],
        1 => vec!["PUBLISH", "PUBACK"],
        _ => vec!["PUBLISH", "PUBREC", "PUBREL", "PUBCOMP"],
    };
    assert_eq!(all.len(), 9);
    for h in &all {
        let delivered = h.publish_qos.min(h.subscribe_qos);
        assert_eq!(h.publisher_hop, packets(h.publish_qos), "{h:?}");
        assert_eq!(h.delivered_qos, delivered, "the lower of the two: {h:?}");
        assert_eq!(h.subscriber_hop, packets(delivered), "{h:?}");
    }
}

#[tokio::test]
async fn qos0_loses_and_never_duplicates_when_cut() {
    let lab = Lab::for_tests();
    let o = cuts::sweep(broker(&lab).await, 0, false).await.unwrap();
    assert!(o.cuts > 10, "{o:?}");
    // Every cut falls inside the one PUBLISH, which is never sent again.
    assert_eq!(o.lost, o.cuts, "{o:?}");
    assert_eq!(o.duplicated, 0, "{o:?}");
}

#[tokio::test]
async fn qos1_never_loses_but_duplicates_when_the_puback_is_cut() {
    let lab = Lab::for_tests();
    let o = cuts::sweep(broker(&lab).await, 1, false).await.unwrap();
    assert_eq!(o.lost, 0, "{o:?}");
    assert!(o.duplicated > 0, "{o:?}");
    // The duplicates are exactly the cuts that fell in the PUBACK.
    assert_eq!(o.duplicated as u64, o.exchange_bytes.1, "{o:?}");
}

#[tokio::test]
async fn qos2_with_a_kept_session_delivers_exactly_once_at_every_cut() {
    let lab = Lab::for_tests();
    let o = cuts::sweep(broker(&lab).await, 2, false).await.unwrap();
    assert_eq!(o.cuts as u64, o.exchange_bytes.0 + o.exchange_bytes.1);
    assert_eq!(o.once, o.cuts, "{o:?}");
}

#[tokio::test]
async fn qos2_without_a_kept_session_can_lose_the_message() {
    let lab = Lab::for_tests();
    let o = cuts::sweep(broker(&lab).await, 2, true).await.unwrap();
    assert!(o.lost > 0, "{o:?}");
    assert_eq!(o.duplicated, 0, "{o:?}");
}

#[tokio::test]
async fn a_new_subscriber_gets_only_the_last_retained_value() {
    let lab = Lab::for_tests();
    let v = retained::last_value(broker(&lab).await).await.unwrap();
    assert_eq!(v.after_three, [("19.0".to_string(), true)]);
    assert!(v.after_clear.is_empty(), "{:?}", v.after_clear);
}

#[tokio::test]
async fn a_kept_session_queues_messages_and_a_clean_one_does_not() {
    let lab = Lab::for_tests();
    let t = broker(&lab).await;
    assert_eq!(
        session::away(t, true, session::Meanwhile::Nothing)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        session::away(t, false, session::Meanwhile::Nothing)
            .await
            .unwrap(),
        5
    );
}

#[tokio::test]
async fn queued_messages_survive_a_clean_restart_but_not_a_crash() {
    let t = Lab::for_tests()
        .private_broker(Options::new())
        .await
        .unwrap();
    let restarted = session::away(&t, false, session::Meanwhile::CleanRestart)
        .await
        .unwrap();
    assert_eq!(restarted, 5, "Mosquitto saved its store at SIGTERM");
    let crashed = session::away(&t, false, session::Meanwhile::Crash)
        .await
        .unwrap();
    assert_eq!(crashed, 0, "nothing was saved since the last clean stop");
}

#[tokio::test]
async fn a_silent_device_gets_its_will_published_after_the_keep_alive() {
    let lab = Lab::for_tests();
    let keep_alive = Duration::from_secs(2);
    let s = will::silent(broker(&lab).await, keep_alive).await.unwrap();
    let after = s.will_after.expect("the will arrived");
    assert!(
        after >= keep_alive * 3 / 2,
        "the will came {after:?} after the last packet"
    );
}

#[tokio::test]
async fn a_device_that_disconnects_cleanly_leaves_no_will() {
    let lab = Lab::for_tests();
    let seen = will::goodbye(broker(&lab).await).await.unwrap();
    assert_eq!(seen, ["online", "fence"]);
}

#[tokio::test]
async fn tls_costs_a_handshake_per_connection_and_22_bytes_per_publish() {
    let lab = Lab::for_tests();
    let (plain, tls) = tls::compare(&lab).await.unwrap();
    assert!(
        tls.connect_bytes > plain.connect_bytes + 1_000,
        "the handshake, certificate included: {} vs {} bytes",
        tls.connect_bytes,
        plain.connect_bytes
    );
    // A TLS 1.3 record: 5-byte header + 1-byte inner content type + 16-byte tag.
    assert_eq!(tls.publish_bytes, plain.publish_bytes + 22);
}

#[tokio::test]
async fn the_embedded_fallback_broker_routes_every_qos_level() {
    // What `cargo run` uses when no Mosquitto can be found anywhere.
    let embedded = Broker::embedded().unwrap();
    for level in 0..=2 {
        let h = qos::hops(&embedded, level, level).await.unwrap();
        assert_eq!(h.delivered_qos, level, "{h:?}");
        assert_eq!(h.publisher_hop.len(), [1, 2, 4][level as usize], "{h:?}");
    }
}

#[tokio::test]
async fn a_forbidden_publish_is_acknowledged_silently_in_311_and_refused_with_a_reason_in_5() {
    let lab = Lab::for_tests();
    let d = lab_mqtt::acl::denied(&lab).await.unwrap();
    assert!(d.v311_acknowledged, "MQTT 3.1.1's PUBACK cannot say no");
    assert_eq!(d.v5_reason, "Not authorized (0x87)");
    assert_eq!(d.delivered, 0, "the broker dropped both");
    assert!(
        d.wrong_password.contains("NotAuthorized"),
        "{}",
        d.wrong_password
    );
}

#[tokio::test]
async fn a_shared_subscription_gives_each_message_to_one_member() {
    let lab = Lab::for_tests();
    let counts = lab_mqtt::mqtt5::shared(broker(&lab).await, 3, 30)
        .await
        .unwrap();
    // `shared` fails if any job reached two members; none may be missing.
    assert_eq!(counts.iter().sum::<usize>(), 30, "{counts:?}");
    assert_eq!(counts.len(), 3);
}

#[tokio::test]
async fn an_expired_message_is_never_delivered() {
    let lab = Lab::for_tests();
    let got = lab_mqtt::mqtt5::expiry(broker(&lab).await).await.unwrap();
    assert_eq!(got, ["daily report (no expiry)"]);
}

#[tokio::test]
async fn request_response_carries_the_correlation_data_back() {
    let lab = Lab::for_tests();
    let a = lab_mqtt::mqtt5::request_response(broker(&lab).await)
        .await
        .unwrap();
    assert_eq!(a.reply, "opened");
    assert!(a.correlation_matched);
    assert_eq!(
        a.responder_saw,
        [("schema".to_string(), "valve-command/v1".to_string())]
    );
}

#[tokio::test]
async fn a_topic_alias_saves_the_topic_in_every_publish_but_the_first() {
    let lab = Lab::for_tests();
    let (plain, aliased) = lab_mqtt::mqtt5::topic_alias(broker(&lab).await, 10)
        .await
        .unwrap();
    // 9 topics not sent, less the 3-byte alias property in all 10 packets.
    assert_eq!(plain - aliased, 9 * bytes::TOPIC.len() - 10 * 3);
}

#[tokio::test]
async fn a_cut_connection_gets_its_will_published_without_waiting_for_the_keep_alive() {
    let lab = Lab::for_tests();
    // Keep-alive 60 s, and the test's own guard is 20 s: only the closed
    // connection itself can have set off the will.
    let seen = will::cut(broker(&lab).await).await.unwrap();
    assert_eq!(seen, ["online", "offline"]);
}

#[tokio::test]
async fn rumqttc_resends_after_a_cut_without_the_dup_flag_and_qos2_still_holds() {
    let lab = Lab::for_tests();
    let q1 = cuts::sweep(broker(&lab).await, 1, false).await.unwrap();
    assert!(q1.resent.publishes > 0, "{q1:?}");
    // MQTT 3.1.1 §3.3.1.1 asks for DUP on a redelivery; rumqttc 0.25 never sets it.
    assert_eq!(q1.resent.with_dup, 0, "{q1:?}");
    let q2 = cuts::sweep(broker(&lab).await, 2, false).await.unwrap();
    assert!(q2.resent.publishes > 0 && q2.resent.with_dup == 0, "{q2:?}");
    assert_eq!(
        q2.once, q2.cuts,
        "the packet id alone lets the broker spot the copy"
    );
}

#[tokio::test]
async fn wildcards_reach_every_level_below_but_never_a_dollar_topic() {
    let lab = Lab::for_tests();
    let reach = lab_mqtt::topics::reach(broker(&lab).await).await.unwrap();
    let got = |filter: &str| reach.iter().find(|(f, _)| *f == filter).unwrap().1.clone();
    assert_eq!(
        got("greenhouse/+/temperature"),
        ["greenhouse/7/temperature"]
    );
    assert_eq!(
        got("greenhouse/#"),
        [
            "greenhouse/7/temperature",
            "greenhouse/7/humidity",
            "greenhouse/7/commands/valve",
            "greenhouse"
        ],
        "the parent level and the commands too"
    );
    assert!(
        !got("#").iter().any(|t| t.starts_with('$')),
        "{:?}",
        got("#")
    );
    assert_eq!(got("#").len(), 4);
    assert_eq!(got("$lab/#"), ["$lab/uptime"]);
}

#[tokio::test]
async fn the_embedded_rumqttd_delivers_above_the_publishers_qos() {
    let lab = Lab::for_tests();
    // Why the chapter's claims are checked on Mosquitto: rumqttd 0.20 hands
    // a QoS 1 publish to a QoS 2 subscriber at QoS 2, where MQTT 3.1.1 asks
    // for the lower of the two [MQTT-3.8.4-6]. Mosquitto does not.
    let h = qos::hops(&Broker::embedded().unwrap(), 1, 2).await.unwrap();
    assert_eq!(h.delivered_qos, 2, "{h:?}");
    let h = qos::hops(broker(&lab).await, 1, 2).await.unwrap();
    assert_eq!(h.delivered_qos, 1, "{h:?}");
}

#[tokio::test]
async fn subscription_identifiers_name_the_subscriptions_a_message_matched() {
    let lab = Lab::for_tests();
    let copies = lab_mqtt::mqtt5::subscription_ids(broker(&lab).await)
        .await
        .unwrap();
    let mut ids: Vec<usize> = copies.iter().flatten().copied().collect();
    ids.sort();
    assert_eq!(ids, [7, 9], "{copies:?}");
    // Mosquitto 2.0.11 sends one copy per matching subscription.
    assert_eq!(copies.len(), 2, "{copies:?}");
}
