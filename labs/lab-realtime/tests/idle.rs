//! The memory rows of the claims table: idle WebSocket connections measured
//! through this process's VmRSS. In a file of its own so no other test
//! shares the process. Orderings only: the numbers are reported, not
//! asserted.

use lab_realtime::idle::{self, Step};
use lab_realtime::server;

#[tokio::test]
async fn more_idle_connections_hold_more_memory_and_default_buffers_cost_most() {
    let lean = server::spawn_local().await.unwrap();
    let small = idle::hold(lean.addr, "/ws/lean", &[1_000, 2_000])
        .await
        .unwrap();
    drop(lean);
    let fat = server::spawn_local().await.unwrap();
    let default = idle::hold(fat.addr, "/ws/echo", &[500, 1_000])
        .await
        .unwrap();
    let rss = |s: &[Step]| s.iter().map(|x| x.rss_bytes).collect::<Vec<_>>();
    println!("lean: {:?}\ndefault: {:?}", rss(&small), rss(&default));
    for steps in [&small, &default] {
        assert!(
            steps.windows(2).all(|w| w[1].rss_bytes > w[0].rss_bytes),
            "more connections, more memory: {:?}",
            rss(steps)
        );
    }
    let (per_small, per_default) = (idle::per_connection(&small), idle::per_connection(&default));
    println!(
        "per connection: {per_small:.0} B with 4 KiB buffers, {per_default:.0} B with the defaults"
    );
    assert!(
        per_default > 4.0 * per_small,
        "the default 128 KiB read buffer dominates: {per_default:.0} vs {per_small:.0}"
    );
}
