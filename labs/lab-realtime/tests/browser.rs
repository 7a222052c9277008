//! The browser row of the claims table: headless Chromium (Debian's
//! chromium and chromium-driver packages) reconnects an EventSource by
//! itself and the server replays exactly what it missed. Fails, saying what
//! to install, when Chromium is missing.

use lab_realtime::{browser, server};

#[tokio::test]
async fn chromium_reconnects_with_last_event_id_and_loses_nothing() {
    let s = server::spawn_local().await.unwrap();
    let r = browser::reconnect(s.addr, &s.hub, 5, 3, 2)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        r.received,
        (1..=10).collect::<Vec<u64>>(),
        "every event once, in order"
    );
    assert_eq!(r.published_while_away, [6, 7, 8]);
    assert!(
        r.away_when_published,
        "6, 7 and 8 were published before the browser came back"
    );
    assert_eq!(r.opens, 2, "the browser reconnected once, by itself");
    assert_eq!(
        r.last_event_ids,
        [None, Some(5)],
        "it sent the last id it had seen"
    );
}
