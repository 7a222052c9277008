//! Where a broker comes from: the reader's URL first, then (for `cargo
//! run`) the standard port, then a private instance, then Docker, then a
//! one-line error naming the fix.
//!
//! Every test hands the finder its own [`Lookup`], so none of them changes
//! the process environment and all can run in parallel.

use std::net::{SocketAddr, TcpListener};

use labkit::broker::{self, BrokerError, Finder, Kind, Lookup, Options, Place, Source};

/// A lookup that finds the installed programs but no Docker engine: its
/// `DOCKER_HOST` names a socket that does not exist.
fn no_docker(dir: &tempfile::TempDir) -> Lookup {
    let socket = dir.path().join("no-docker.sock");
    Lookup::from_process()
        .without("MQTT_URL")
        .without("AMQP_URL")
        .without("NATS_URL")
        .without("REDIS_URL")
        .var("DOCKER_HOST", &format!("unix://{}", socket.display()))
}

#[tokio::test]
async fn the_env_url_wins_when_set() {
    let theirs = broker::private(Kind::Redis, Options::new()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut b = Finder::new(Kind::Redis)
        .lookup(no_docker(&dir).var("REDIS_URL", theirs.url()))
        .find()
        .await
        .unwrap();
    assert_eq!(b.source(), &Source::Env { var: "REDIS_URL" });
    assert_eq!((b.url(), b.port()), (theirs.url(), theirs.port()));
    assert!(b.data_dir().is_none() && b.pid().is_none(), "not ours");
    b.probe().await.unwrap();
    let err = b.stop().await.unwrap_err().to_string();
    assert!(
        err.contains("cannot stop a broker that came from REDIS_URL"),
        "{err}"
    );
    theirs.probe().await.unwrap();
}

#[tokio::test]
async fn a_malformed_env_url_names_the_variable_and_a_correct_value() {
    for (kind, var, bad, example) in [
        (
            Kind::Mosquitto,
            "MQTT_URL",
            "127.0.0.1:1883",
            "mqtt://127.0.0.1:1883",
        ),
        (
            Kind::RabbitMq,
            "AMQP_URL",
            "http://localhost",
            "amqp://guest:guest@127.0.0.1:5672/%2f",
        ),
        (
            Kind::Nats,
            "NATS_URL",
            "nats://:4222",
            "nats://127.0.0.1:4222",
        ),
        (
            Kind::Redis,
            "REDIS_URL",
            "redis://127.0.0.1:six",
            "redis://127.0.0.1:6379",
        ),
    ] {
        let err = Finder::new(kind)
            .lookup(Lookup::empty().var(var, bad))
            .find()
            .await
            .unwrap_err();
        assert!(matches!(err, BrokerError::BadEnvUrl { .. }), "{err}");
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!("{var}={bad:?} is not a valid")),
            "{msg}"
        );
        assert!(
            msg.ends_with(&format!("set it like {var}={example}")),
            "{msg}"
        );
        assert!(!msg.contains('\n'), "one line: {msg}");
    }
}

#[tokio::test]
async fn an_env_url_where_nothing_listens_is_an_error_not_a_fall_through() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("mqtt://{closed}");
    let err = Finder::new(Kind::Mosquitto)
        .lookup(Lookup::from_process().var("MQTT_URL", &url))
        .find()
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, BrokerError::EnvNotAnswering { .. }), "{msg}");
    assert!(msg.contains(&format!("MQTT_URL={url} is set")), "{msg}");
    assert!(msg.contains("unset MQTT_URL"), "{msg}");
}

/// What the error says about Docker: (what was tried, the fix).
fn docker_clauses(docker_host: &str) -> (String, &'static str) {
    if cfg!(feature = "docker") {
        (
            format!("no Docker engine answered ({docker_host}: no such socket)"),
            "start Docker",
        )
    } else {
        (
            "labkit was built without its `docker` feature, so no container was tried".into(),
            "build labkit with its default features and start Docker",
        )
    }
}

#[tokio::test]
async fn with_nothing_installed_and_no_docker_the_error_names_every_fix() {
    let dir = tempfile::tempdir().unwrap();
    let docker = format!("unix://{}", dir.path().join("docker.sock").display());
    for kind in Kind::ALL {
        let err = Finder::new(kind)
            .lookup(Lookup::empty().var("DOCKER_HOST", &docker))
            .find()
            .await
            .unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, BrokerError::NotFound { .. }), "{msg}");
        let (docker_tried, docker_fix) = docker_clauses(&docker);
        let expected = format!(
            "no {protocol} broker: {var} is not set, `{program}` is not on PATH, and {docker_tried}. \
             Fix: `sudo apt-get install {package}`, or set {var}={example}, or {docker_fix}.",
            protocol = kind.protocol(),
            var = kind.env_var(),
            program = kind.program(),
            package = kind.apt_package(),
            example = kind.example_url(),
        );
        assert_eq!(msg, expected);
    }
}

#[cfg(feature = "docker")]
#[tokio::test]
async fn a_docker_socket_that_never_answers_is_given_up_on_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hung.sock");
    // Accepts connections (the kernel does that) but never reads or answers.
    let _hung = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let err = Finder::new(Kind::Nats)
        .places(&[Place::Container])
        .lookup(Lookup::empty().var("DOCKER_HOST", &format!("unix://{}", path.display())))
        .find()
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "no NATS broker: no Docker engine answered (unix://{}: no answer within 1.5s). Fix: start Docker.",
            path.display()
        )
    );
}

#[tokio::test]
async fn without_docker_the_private_instance_is_used_and_the_order_is_respected() {
    let dir = tempfile::tempdir().unwrap();
    // Container first: it fails (no engine) and the finder falls through.
    let b = Finder::new(Kind::Mosquitto)
        .places(&[Place::Container, Place::Env, Place::Private])
        .lookup(no_docker(&dir))
        .find()
        .await
        .unwrap();
    assert_eq!(b.source(), &Source::Private);
    b.probe().await.unwrap();
}

#[tokio::test]
async fn private_only_reports_the_install_fix_alone() {
    let err = Finder::new(Kind::Redis)
        .places(&[Place::Private])
        .lookup(Lookup::empty())
        .find()
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "no Redis broker: `redis-server` is not on PATH. Fix: `sudo apt-get install redis-server`."
    );
}

#[tokio::test]
async fn a_program_that_fails_to_start_is_reported_with_its_log() {
    // A "redis-server" that prints a complaint and exits 1.
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("redis-server");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'FATAL: this is not a real redis' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let lookup = Lookup::empty().search_path([bin.path()]);

    let err = Finder::new(Kind::Redis)
        .places(&[Place::Private])
        .lookup(lookup.clone())
        .find()
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, BrokerError::Exited { .. }), "{msg}");
    assert!(msg.contains("exited (exit status: 1)"), "{msg}");
    assert!(
        msg.contains("FATAL: this is not a real redis"),
        "the log tail: {msg}"
    );
    // The data dir of a failed start is kept, so the log the error names can be read.
    let BrokerError::Exited { log, .. } = err else {
        unreachable!()
    };
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(log_text.contains("FATAL"), "{log_text}");
    std::fs::remove_dir_all(log.parent().unwrap()).unwrap();

    // Among other places, the same failure becomes one clause of the one-line error.
    let dir = tempfile::tempdir().unwrap();
    let docker = format!("unix://{}", dir.path().join("none.sock").display());
    let msg = Finder::new(Kind::Redis)
        .places(&[Place::Private, Place::Container])
        .lookup(lookup.var("DOCKER_HOST", &docker))
        .find()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with("no Redis broker: `redis-server` failed to start (exited (exit status: 1): FATAL: this is not a real redis; see /"),
        "{msg}"
    );
    let (docker_tried, docker_fix) = docker_clauses(&docker);
    assert!(
        msg.contains(&format!(") and {docker_tried}. Fix:")),
        "{msg}"
    );
    assert!(
        msg.ends_with(&format!(
            "Fix: read in its log why `redis-server` stopped, or {docker_fix}."
        )),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
    let log = msg
        .split("; see ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap();
    assert!(log.ends_with("/redis-server.log"), "{msg}");
    std::fs::remove_dir_all(std::path::Path::new(log).parent().unwrap()).unwrap();
}

#[tokio::test]
async fn cargo_run_borrows_the_standard_port_only_for_default_options() {
    let dir = tempfile::tempdir().unwrap();
    let finder = Finder::for_cargo_run(Kind::Mosquitto).lookup(no_docker(&dir));
    let standard = SocketAddr::from(([127, 0, 0, 1], 1883));
    let mut b = finder.clone().find().await.unwrap();
    // This only reads: a probe connects and disconnects. Machines with a
    // Mosquitto on 1883 get it borrowed; others get a private one.
    if b.source() == &Source::Standard {
        assert_eq!((b.addr(), b.url()), (standard, "mqtt://127.0.0.1:1883"));
        let err = b.restart().await.unwrap_err().to_string();
        assert!(
            err.contains(
                "cannot stop a broker that came from the shared service on 127.0.0.1:1883"
            ),
            "{err}"
        );
    } else {
        assert_eq!(b.source(), &Source::Private);
    }
    // A lab that needs its own configuration never borrows.
    let own = finder
        .options(Options::new().config_line("max_keepalive 120"))
        .find()
        .await
        .unwrap();
    assert_eq!(own.source(), &Source::Private);
    assert_ne!(own.port(), 1883);
}

#[tokio::test]
async fn the_test_constructor_gives_a_broker_that_answers() {
    // Whatever this machine offers (NATS_URL, or a private nats-server, or
    // a container), the handle answers the NATS protocol.
    let b = broker::nats().await.unwrap();
    assert!(
        matches!(
            b.source(),
            Source::Env { var: "NATS_URL" } | Source::Private | Source::Container { .. }
        ),
        "never the shared standard port in tests: {:?}",
        b.source()
    );
    b.probe().await.unwrap();
}

#[test]
fn a_broker_handle_can_move_between_tasks() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<broker::Broker>();
    send_and_sync::<BrokerError>();
}
