//! `--pcap DIR`: save what every proxy of a lab run saw, for Wireshark.
//!
//! A lab creates its proxies deep inside its scenarios, so passing a path to
//! each would clutter every scenario. Instead the command line switches
//! capturing on once ([`capture_to`]), the tour names the scenario that is
//! running ([`set_label`]), and each [`super::Proxy`] writes its recording
//! when it is dropped: `DIR/<scenario>-<n>.pcap`.
//!
//! Crate-private: only [`crate::cli`] switches it on, from `--pcap DIR`; a
//! lab that wants one file calls [`Proxy::write_pcap`](super::Proxy::write_pcap).

use std::path::PathBuf;
use std::sync::Mutex;

struct Capture {
    dir: PathBuf,
    label: String,
    written: usize,
}

static CAPTURE: Mutex<Option<Capture>> = Mutex::new(None);

/// Makes every proxy dropped from now on write a pcap file under `dir`.
pub(crate) fn capture_to(dir: PathBuf) -> std::io::Result<()> {
    std::fs::create_dir_all(&dir)?;
    *CAPTURE.lock().unwrap_or_else(|p| p.into_inner()) = Some(Capture {
        dir,
        label: "lab".into(),
        written: 0,
    });
    Ok(())
}

/// Names the files written from now on (the scenario's name).
pub(crate) fn set_label(label: &str) {
    if let Some(capture) = CAPTURE.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
        capture.label = label.to_string();
    }
}

/// The path the next dropped proxy writes to, when capturing is on.
pub(crate) fn next_path() -> Option<PathBuf> {
    let mut guard = CAPTURE.lock().unwrap_or_else(|p| p.into_inner());
    let capture = guard.as_mut()?;
    capture.written += 1;
    Some(
        capture
            .dir
            .join(format!("{}-{}.pcap", capture.label, capture.written)),
    )
}
