//! One test per row of the chapter's "Claims checked by the lab" table.
//! Each runs the scenario's own code on the real libzmq and asserts the
//! claim in counts: messages answered, lost, received, bytes on the wire.
//! No timing is asserted; timeouts only stop a test from hanging.

use std::time::Duration;

use lab_zeromq::{curve, heal, loss, pair, pipeline, pubsub, reliable, reqrep, router, transports};

fn ctx() -> zmq::Context {
    zmq::Context::new()
}

#[test]
fn a_req_socket_whose_reply_is_lost_refuses_to_send_again() {
    let s = reqrep::stuck(&ctx()).unwrap();
    assert!(s.recv_timed_out, "the receive gives up with EAGAIN");
    assert!(
        s.refused_by_state,
        "the second send fails with EFSM: {:?}",
        s.second_send
    );
}

#[test]
fn the_lazy_pirate_gets_every_request_answered_by_retrying() {
    let p = reqrep::pirate_against_flaky_server(&ctx(), 12, 3).unwrap();
    assert_eq!(p.answered, p.requests, "{p:?}");
    assert!(
        p.dropped_by_server >= 4,
        "the server dropped every third: {p:?}"
    );
    assert!(
        p.retries >= p.dropped_by_server,
        "one retry per dropped reply: {p:?}"
    );
    assert_eq!(
        p.sockets_opened,
        p.retries + 1,
        "each retry opens a new REQ socket"
    );
}

#[test]
fn a_router_routes_every_reply_back_to_its_own_dealer() {
    let s = router::async_server(&ctx(), 5).unwrap();
    // Whichever client's request came first, it came as [identity, body].
    let [identity, body] = <[String; 2]>::try_from(s.first_frames.clone()).unwrap();
    assert!(
        ["client-a", "client-b", "client-c"].contains(&identity.as_str()),
        "the first frame is the sender's chosen identity: {identity}"
    );
    assert!(body.starts_with(&identity), "then its body: {body}");
    assert_eq!(s.clients.len(), 3);
    for (name, &(sent, got, wrong)) in &s.clients {
        assert_eq!((sent, got, wrong), (5, 5, 0), "{name}");
    }
}

#[test]
fn the_lru_broker_gives_a_slow_worker_fewer_tasks_than_round_robin() {
    let costs = [1, 1, 30];
    let rr = router::round_robin(&ctx(), 60, &costs).unwrap();
    let lb = router::load_balanced(&ctx(), 60, 6, &costs).unwrap();
    assert_eq!((rr.answered, lb.answered), (60, 60));
    let tasks = |b: &router::Balance| b.workers.iter().map(|w| w.tasks).collect::<Vec<_>>();
    assert_eq!(tasks(&rr), [20, 20, 20], "round robin deals blindly");
    assert_eq!(tasks(&lb).iter().sum::<u32>(), 60);
    assert!(
        lb.workers[2].tasks < 20,
        "the slow worker did fewer: {:?}",
        tasks(&lb)
    );
}

#[tokio::test]
async fn unsubscribed_topics_never_cross_the_wire() {
    let f = pubsub::filtered(&ctx(), 100).await.unwrap();
    assert_eq!(f.received, (100, 0), "the subscriber got only prices");
    assert_eq!(f.on_wire, (100, 0), "no news message crossed the wire");
    assert!(
        f.subscription.starts_with("SUBSCRIBE command \"price.\""),
        "{}",
        f.subscription
    );
}

#[test]
fn push_deals_tasks_round_robin_to_connected_workers() {
    let run = pipeline::ventilate(&ctx(), 3, 90).unwrap();
    assert_eq!(run.collected, 90);
    assert_eq!(
        run.per_worker.values().copied().collect::<Vec<_>>(),
        [30, 30, 30]
    );
}

#[test]
fn pair_over_inproc_relays_in_order_between_threads() {
    let r = pair::relay(&ctx(), 1_000).unwrap();
    assert_eq!(r.steps, ["step 1 done", "step 2 done"]);
    assert_eq!(r.answered, 1_000);
}

#[test]
fn a_slow_joiner_misses_what_was_published_before_its_subscription_arrived() {
    let j = loss::slow_joiner(&ctx(), 500).unwrap();
    assert!(j.received_at_once < j.sent, "some were lost: {j:?}");
    assert_eq!(j.received_after_probe, j.sent, "none once it had joined");
}

#[test]
fn a_burst_past_the_high_water_mark_is_dropped_silently() {
    let o = loss::overflow(&ctx(), 20_000, 100, 1024, false).unwrap();
    assert!(
        o.received < o.sent,
        "sends all succeeded, yet {} of {} arrived",
        o.received,
        o.sent
    );
}

#[test]
fn a_paced_publisher_loses_only_past_both_queues_and_the_kernel_buffers() {
    let o = loss::overflow(&ctx(), 20_000, 100, 1024, true).unwrap();
    assert!(
        o.received > (o.sndhwm + o.rcvhwm) as u32,
        "the kernel buffers held more: {o:?}"
    );
    assert!(o.kernel_bytes() > 0);
    assert!(o.received < o.sent, "and the rest was dropped: {o:?}");
}

#[test]
fn a_dead_pull_worker_loses_the_tasks_dealt_to_it() {
    let d = loss::dead_worker(&ctx(), 100, 5).unwrap();
    assert!(!d.lost.is_empty(), "{d:?}");
    assert_eq!(d.collected + d.lost.len() as u32, d.sent);
    assert!(
        d.lost_were_dealt_to_the_dead,
        "every lost task was the dead worker's: {d:?}"
    );
}

#[test]
fn acknowledge_and_resend_loses_no_task_over_many_runs() {
    let ctx = ctx();
    let mut resent = 0;
    for run in 0..8 {
        let o = reliable::deliver(&ctx, 100, 5, Duration::from_millis(200)).unwrap();
        assert_eq!(o.completed, o.tasks, "run {run}: {o:?}");
        resent += o.resent;
    }
    assert!(resent > 0, "the dead worker's tasks were sent again");
}

#[test]
fn a_client_with_the_wrong_server_key_gets_no_answer() {
    let k = curve::server_key(&ctx()).unwrap();
    assert!(k.right_key_answered);
    assert!(!k.wrong_key_answered);
}

#[tokio::test]
async fn curve_hides_the_message_that_null_shows_on_the_wire() {
    let ctx = ctx();
    let plain = curve::on_the_wire(&ctx, false).await.unwrap();
    let secure = curve::on_the_wire(&ctx, true).await.unwrap();
    assert_eq!(
        (plain.mechanism.as_str(), secure.mechanism.as_str()),
        ("NULL", "CURVE")
    );
    assert!(plain.plaintext_seen, "NULL: the card number is on the wire");
    assert!(
        !secure.plaintext_seen,
        "CURVE: it is nowhere in the recording"
    );
}

#[test]
fn zap_refuses_a_client_key_it_does_not_know() {
    let z = curve::zap(&ctx()).unwrap();
    assert!(z.known_answered && !z.unknown_answered, "{z:?}");
    assert!(z.refused >= 1 && z.approved >= 1, "{z:?}");
}

#[test]
fn a_returning_subscriber_has_missed_what_was_published_while_away() {
    let r = heal::rejoin(&ctx(), 400, 100, 250).unwrap();
    assert!(
        r.published - r.received >= 149,
        "at least #101..#249 missed: {r:?}"
    );
    assert!(r.back_at >= 249, "{r:?}");
    assert!(!r.disordered, "no number twice or out of order");
}

#[test]
fn a_worker_joining_a_running_pipeline_gets_only_later_tasks_and_none_is_lost() {
    let w = heal::late_worker(&ctx(), 200, 100).unwrap();
    assert_eq!(w.distinct_done, 200, "{w:?}");
    assert!(w.late_did > 0, "{w:?}");
    assert!(w.late_first_task.is_some_and(|t| t >= 100), "{w:?}");
}

#[test]
fn a_restarted_server_answers_what_waited_and_loses_what_it_had_read() {
    let s = heal::restart(&ctx(), 300, 100).unwrap();
    assert!(
        s.answered_by_second > 0,
        "the client reconnected by itself: {s:?}"
    );
    assert!(s.sent_while_down > 0, "{s:?}");
    assert_eq!(
        s.answered_of_those, s.sent_while_down,
        "the outage's requests waited: {s:?}"
    );
    assert!(
        s.answered < s.sent,
        "what the dead server had read is gone: {s:?}"
    );
}

#[test]
fn every_transport_delivers_every_message_of_the_stream() {
    let dir = tempfile::tempdir().unwrap();
    let paths = transports::measure(&ctx(), dir.path(), 200, 5_000).unwrap();
    assert_eq!(paths.len(), 5);
    for p in &paths {
        assert_eq!(p.received, 5_000, "{}", p.name);
        assert!(p.round_trip_us.is_finite(), "{}", p.name);
    }
}
