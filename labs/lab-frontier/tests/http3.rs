//! Claims of "HTTP/3 and WebTransport", checked against h3, wtransport,
//! labkit's UDP proxy and a headless Chromium, all on loopback.

use lab_frontier::{http3, webtransport};
use labkit::browser::Browser;
use labkit::tls::Throwaway;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn certs() -> Throwaway {
    Throwaway::new("lab-frontier test CA", &["localhost", "127.0.0.1"]).expect("certificates")
}

/// The h3 server is handed the three requests of one QUIC connection on
/// client-initiated bidirectional streams 0, 4 and 8, with ALPN "h3", and
/// every answer is a 200.
#[tokio::test]
async fn each_request_is_its_own_stream() {
    let run = http3::exchange(&certs()).await.expect("an HTTP/3 run");
    let ids: Vec<u64> = run.served.iter().map(|s| s.stream_id).collect();
    assert_eq!(ids, [0, 4, 8], "{run:?}");
    assert!(
        run.served
            .iter()
            .all(|s| s.alpn == "h3" && s.connection == 1),
        "{run:?}"
    );
    let paths: Vec<&str> = run.served.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["/charges/ch_1", "/charges/ch_2", "/charges"]);
    assert_eq!(run.served[2].body, http3::REQUESTS[2].2.len());
    assert!(
        run.answers.iter().all(|(status, _)| *status == 200),
        "{run:?}"
    );
}

/// On the wire (through the tap), each request stream carries HEADERS
/// (then DATA for the POST) up and HEADERS then DATA down; each side's
/// first unidirectional stream is a control stream opening with SETTINGS.
#[tokio::test]
async fn requests_and_answers_are_headers_and_data_frames() {
    let run = http3::exchange(&certs()).await.expect("an HTTP/3 run");
    let requests = run.requests();
    assert_eq!(requests.iter().map(|s| s.id).collect::<Vec<_>>(), [0, 4, 8]);
    for (s, (_, _, body)) in requests.iter().zip(http3::REQUESTS) {
        // h3 also sends reserved ("grease") frames, which a peer must ignore
        let named = |frames: &[http3::Frame]| -> Vec<String> {
            frames
                .iter()
                .map(|f| f.name())
                .filter(|n| n != "reserved")
                .collect()
        };
        let (up, down) = (named(&s.up), named(&s.down));
        let expected_up = if body.is_empty() {
            vec!["HEADERS"]
        } else {
            vec!["HEADERS", "DATA"]
        };
        assert_eq!(up, expected_up, "stream {}", s.id);
        assert_eq!(down, ["HEADERS", "DATA"], "stream {}", s.id);
    }
    for client in [true, false] {
        let control = run.uni(0, client).expect("a control stream");
        let frames = if client { &control.up } else { &control.down };
        assert_eq!(frames.first().map(|f| f.name()), Some("SETTINGS".into()));
    }
}

/// Every header block h3 sends has a Required Insert Count of 0 (no
/// dynamic table), uses no post-base line, and is smaller than the plain
/// names and values it encodes.
#[tokio::test]
async fn header_blocks_use_the_static_table_only_and_are_smaller() {
    let run = http3::exchange(&certs()).await.expect("an HTTP/3 run");
    for (s, (method, path, _)) in run.requests().iter().zip(http3::REQUESTS) {
        for (frames, fields) in [
            (&s.up, http3::request_fields(method, path)),
            (&s.down, http3::response_fields(s.id)),
        ] {
            let headers = frames.iter().find(|f| f.kind == 0x01).expect("HEADERS");
            let block = http3::qpack_block(&headers.payload).expect("a QPACK block");
            assert_eq!(block.required_insert_count, 0, "{block:?}");
            assert_eq!(block.lines.len(), fields.len(), "{block:?} for {fields:?}");
            assert!(block.lines.iter().all(|l| match l {
                http3::FieldLine::Indexed { is_static, .. }
                | http3::FieldLine::NameRef { is_static, .. } => *is_static,
                http3::FieldLine::Literal { .. } => true,
                http3::FieldLine::PostBase => false,
            }));
            assert!(
                block.size < http3::plain_size(&fields),
                "{} B of QPACK for {} B of {fields:?}",
                block.size,
                http3::plain_size(&fields)
            );
        }
    }
}

/// Through a proxy dropping a fifth of the UDP datagrams each way, every
/// stream message arrives (20 echoed, 20 one-way) while some of the 200
/// datagrams do not; no more echoes come back than the server received.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_deliver_everything_datagrams_do_not() {
    let run = webtransport::exchange(webtransport::LOSS)
        .await
        .expect("a WebTransport run");
    let seen = &run.seen;
    assert_eq!(seen.sessions.len(), 1, "{seen:?}");
    assert_eq!(seen.bidi.len(), webtransport::ECHOES);
    assert_eq!(run.client.echoes.len(), webtransport::ECHOES);
    for (i, echo) in run.client.echoes.iter().enumerate() {
        assert_eq!(echo, &format!("echo: bidi {i}"));
    }
    let mut uni = seen.uni.clone();
    uni.sort_by_key(|m| m[4..].parse::<usize>().unwrap_or(usize::MAX));
    let expected: Vec<String> = (0..webtransport::UNI).map(|i| format!("uni {i}")).collect();
    assert_eq!(uni, expected);
    assert_eq!(run.client.datagrams_sent, webtransport::DATAGRAMS);
    assert!(
        !seen.datagrams.is_empty() && seen.datagrams.len() < webtransport::DATAGRAMS,
        "{} of {} datagrams arrived",
        seen.datagrams.len(),
        webtransport::DATAGRAMS
    );
    assert!(run.client.datagram_echoes <= seen.datagrams.len());
    assert!(run.dropped_to_server > 0);
}

/// With no loss, all 200 datagrams reach the server: the gap above is the
/// proxy's doing, not the sender's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_loss_every_datagram_arrives() {
    let run = webtransport::exchange(0.0)
        .await
        .expect("a WebTransport run");
    assert_eq!(run.seen.datagrams.len(), webtransport::DATAGRAMS);
    assert_eq!(run.seen.uni.len(), webtransport::UNI);
}

/// wtransport's client, given the certificate's hash, accepts a self-signed
/// ECDSA P-256 certificate valid for 14 days and refuses one valid for 15.
#[tokio::test]
async fn a_certificate_trusted_by_hash_lives_two_weeks_at_most() {
    assert_eq!(
        webtransport::trusted_by_hash(14).await.expect("a run"),
        Ok(())
    );
    let refused = webtransport::trusted_by_hash(15).await.expect("a run");
    assert!(refused.is_err(), "a 15-day certificate was accepted");
}

/// Serves `html` to every GET on a loopback port (the page's origin).
async fn page(html: String) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let html = html.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = tcp.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    html.len()
                );
                let _ = tcp.write_all(head.as_bytes()).await;
                let _ = tcp.write_all(html.as_bytes()).await;
            });
        }
    });
    addr
}

/// Runs [`webtransport::browser_script`] in a page of headless Chromium
/// served from 127.0.0.1, against the lab's wtransport server presenting a
/// certificate valid for `days`: the page's answer, its origin and what
/// the server saw.
async fn chromium_session(days: i64) -> (serde_json::Value, String, webtransport::Seen) {
    let cert = webtransport::short_lived(days).expect("a certificate");
    let endpoint = webtransport::server(cert.identity.clone_identity()).expect("a server");
    let port = endpoint.local_addr().unwrap().port();
    let log = webtransport::Log::default();
    let serving = tokio::spawn(webtransport::serve(endpoint, log.clone()));
    let page_addr = page("<!doctype html><title>lab-frontier</title>".into()).await;
    // labkit's usual flags, `--disable-quic` included: that flag stops
    // Chromium using QUIC for ordinary HTTP, and WebTransport works regardless.
    let browser = Browser::launch().await.expect("Chromium");
    browser
        .open(&format!("http://{page_addr}/"))
        .await
        .expect("the page");
    let script = webtransport::browser_script(port, &cert.hash);
    let answer: serde_json::Value = browser.run(&script).await.expect("an answer");
    browser.close().await;
    // The one-way stream may still be on its way when the page returns.
    for _ in 0..100 {
        if answer.get("error").is_some() || !log.lock().unwrap().uni.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    serving.abort();
    let seen = log.lock().unwrap().clone();
    (answer, format!("http://{page_addr}"), seen)
}

/// A page in headless Chromium opens a WebTransport session to the lab's
/// wtransport server on 127.0.0.1, trusting its 14-day certificate by
/// hash: the server sees the session (with the page's Origin), the
/// bidirectional stream's message (and the page reads the echo), the
/// unidirectional stream's message and at least one datagram (and the
/// page reads an echo of one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_opens_a_session_trusting_the_certificate_by_hash() {
    let (answer, origin, seen) = chromium_session(webtransport::MAX_DAYS).await;
    assert_eq!(
        answer.get("error"),
        None,
        "Chromium: {answer}; server saw {seen:?}"
    );
    assert_eq!(answer["echo"], "echo: hello from chromium", "{answer}");
    assert_eq!(
        answer["datagram"], "echo: datagram from chromium",
        "{answer}"
    );
    assert_eq!(seen.sessions, [("/browser".to_string(), Some(origin))]);
    assert_eq!(seen.bidi, ["hello from chromium"]);
    assert_eq!(seen.uni, ["uni from chromium"]);
    assert!(
        !seen.datagrams.is_empty() && seen.datagrams.iter().all(|d| d == "datagram from chromium"),
        "{seen:?}"
    );
}

/// The same page and server, with a certificate valid for 15 days: the
/// page's `ready` rejects, and the server sees no session and no message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_refuses_a_certificate_valid_for_fifteen_days() {
    let (answer, _, seen) = chromium_session(webtransport::MAX_DAYS + 1).await;
    eprintln!("Chromium said: {answer}");
    assert!(answer.get("error").is_some(), "{answer}");
    assert!(
        seen.sessions.is_empty()
            && seen.bidi.is_empty()
            && seen.uni.is_empty()
            && seen.datagrams.is_empty(),
        "{seen:?}"
    );
}
