//! Ctrl-C or SIGKILL at any moment of a run that starts nginx or headless
//! Chromium leaves no nginx, chromedriver or Chromium process and nothing
//! in the temporary folder (`labkit::interrupt` says how it counts).
//! `LABKIT_INTERRUPT_RUN=<n>` alternates which signal lands at which moment.

use labkit::interrupt::{Moment, assert_leaves_nothing};

const LAB: &str = env!("CARGO_BIN_EXE_lab-realtime");

#[test]
fn interrupted_proxies_leave_no_nginx_and_no_temporary_file() {
    let begun = "━━ lab-realtime · proxies ━━";
    assert_leaves_nothing(
        LAB,
        &["proxies"],
        &[
            Moment::at_start("just spawned"),
            Moment::after("scenario begun", begun, 0),
            Moment::after("nginx starting", begun, 100),
            Moment::after("events through nginx", begun, 1200),
            Moment::after("report printed", "8 SSE events published", 0),
        ],
    );
}

#[test]
fn interrupted_browser_leaves_no_chromium_and_no_temporary_file() {
    if let Some(why) = labkit::cli::Need::Browser.missing_here() {
        // The bad-input table checks the one-line refusal; nothing to count.
        eprintln!("skipped: {why}");
        return;
    }
    let begun = "━━ lab-realtime · browser ━━";
    assert_leaves_nothing(
        LAB,
        &["browser"],
        &[
            Moment::at_start("just spawned"),
            Moment::after("chromedriver starting", begun, 20),
            Moment::after("Chromium starting", begun, 600),
            Moment::after("page running", begun, 2500),
            Moment::after("report printed", "Headless Chromium's EventSource", 0),
        ],
    );
}
