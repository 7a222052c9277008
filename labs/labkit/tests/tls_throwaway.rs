//! Throwaway certificates: a chain that an independent checker (the
//! `openssl` command) accepts for the names asked for, files that are gone
//! after the value drops — and gone too when the process holding them is
//! SIGKILLed and no Rust code runs.
//!
//! The SIGKILL test runs this test binary again as a child ("the holder",
//! chosen by an environment variable set only on the child's command),
//! which makes certificates, prints their folder and sleeps.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use labkit::tls::Throwaway;

const HOLDER: &str = "LABKIT_TLS_HOLDER";

/// `openssl verify` with `args`, or `None` when openssl is not installed.
fn openssl_verify(args: &[&str], ca: &Path, cert: &Path) -> Option<(bool, String)> {
    let out = Command::new("openssl")
        .arg("verify")
        .args(args)
        .arg("-CAfile")
        .arg(ca)
        .arg(cert)
        .output()
        .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.success(), text))
}

#[test]
fn the_chain_verifies_for_the_names_asked_for_and_no_other() {
    let certs = Throwaway::new("labkit test CA", &["127.0.0.1", "localhost"]).unwrap();
    for (file, pem) in [
        (certs.ca_file(), certs.ca_pem()),
        (certs.cert_file(), certs.cert_pem()),
        (certs.key_file(), certs.key_pem()),
    ] {
        assert_eq!(std::fs::read_to_string(file).unwrap(), pem);
        assert_eq!(file.parent(), Some(certs.dir()));
    }
    assert!(certs.key_pem().starts_with("-----BEGIN PRIVATE KEY-----"));
    let Some((ok, text)) = openssl_verify(&[], certs.ca_file(), certs.cert_file()) else {
        eprintln!("openssl is not installed; checked the files only");
        return;
    };
    assert!(ok, "openssl rejects the chain: {text}");
    let by_name = openssl_verify(
        &["-verify_hostname", "localhost"],
        certs.ca_file(),
        certs.cert_file(),
    );
    assert!(by_name.unwrap().0, "valid for localhost");
    let by_ip = openssl_verify(
        &["-verify_ip", "127.0.0.1"],
        certs.ca_file(),
        certs.cert_file(),
    );
    assert!(by_ip.unwrap().0, "valid for 127.0.0.1");
    let (ok, text) = openssl_verify(
        &["-verify_hostname", "example.com"],
        certs.ca_file(),
        certs.cert_file(),
    )
    .unwrap();
    assert!(!ok, "a name not asked for must fail: {text}");
}

#[test]
fn the_folder_goes_when_the_value_drops() {
    let certs = Throwaway::new("labkit test CA", &["localhost"]).unwrap();
    let dir = certs.dir().to_path_buf();
    assert!(dir.join("key.pem").is_file());
    drop(certs);
    assert!(!dir.exists(), "{} is still there", dir.display());
}

#[test]
fn no_names_is_one_clear_error() {
    let err = Throwaway::new("labkit test CA", &[]).unwrap_err();
    assert!(err.to_string().contains("at least one name"), "{err}");
}

/// Not a test on its own: the child half of the SIGKILL test below.
#[test]
fn holder() {
    if std::env::var_os(HOLDER).is_none() {
        return; // an ordinary run: nothing to do
    }
    let certs = Throwaway::new("labkit test CA", &["localhost"]).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "HOLDING {}", certs.dir().display()).unwrap();
    out.flush().unwrap();
    std::thread::sleep(Duration::from_secs(120)); // until killed
}

#[test]
fn the_folder_goes_when_its_owner_is_killed() {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["holder", "--exact", "--nocapture", "--test-threads=1"])
        .env(HOLDER, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    // libtest may print "test holder ... " on the same line first.
    let dir = loop {
        line.clear();
        assert_ne!(reader.read_line(&mut line).unwrap(), 0, "the holder exited");
        if let Some((_, path)) = line.split_once("HOLDING ") {
            break PathBuf::from(path.trim());
        }
    };
    assert!(dir.join("key.pem").is_file());
    child.kill().unwrap(); // SIGKILL: no Drop runs in the child
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while dir.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!dir.exists(), "{} outlived its owner", dir.display());
}
