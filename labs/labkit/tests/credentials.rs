//! Credentials in a broker URL reach the broker, and never the screen.
//!
//! For each kind, a private instance that requires a login (Mosquitto with
//! `allow_anonymous false` and a `mosquitto_passwd` file, RabbitMQ with its
//! only user set by `default_user`, NATS with an `authorization` block,
//! Redis with `requirepass` or an ACL user) is reached through the reader's
//! variable (`MQTT_URL`, ...) three ways: the right login connects (labkit's
//! probe, then the client library a lab uses, fed from `broker.url()` or
//! `broker.endpoint()`), a wrong password and no login are refused — said
//! once, with the URL masked, without "is it running?" — and the secret's
//! text appears in no message, `Debug` or `Display`.

use std::time::Duration;

use labkit::broker::{self, Broker, BrokerError, Finder, Kind, Lookup, Options, Place};

/// The right password; never printed, so easy to look for.
const SECRET: &str = "s3cret-Pw-7731";
/// A wrong one, just as easy to look for.
const WRONG: &str = "wr0ng-Pw-4490";

/// A private broker that admits only `alice` with [`SECRET`] (Redis: the
/// default user with `requirepass`, when `requirepass` is true).
async fn guarded(kind: Kind, user: &str) -> Broker {
    broker::private(kind, Options::new().user(user, SECRET))
        .await
        .unwrap_or_else(|e| panic!("a private {kind} with a user: {e}"))
}

/// Resolve `kind` as a reader with `var=value` would.
async fn from_env(kind: Kind, value: &str) -> Result<Broker, BrokerError> {
    Finder::new(kind)
        .places(&[Place::Env])
        .lookup(Lookup::from_process().var(kind.env_var(), value))
        .find()
        .await
}

/// `scheme://login@127.0.0.1:port/path`.
fn url(scheme: &str, login: &str, b: &Broker, path: &str) -> String {
    let at = if login.is_empty() { "" } else { "@" };
    format!("{scheme}://{login}{at}127.0.0.1:{}{path}", b.port())
}

/// A refusal, said once, with the masked URL, and no secret in it.
fn assert_refused(kind: Kind, result: Result<Broker, BrokerError>, given: &str) -> String {
    let err = result.expect_err("a wrong login must not be accepted");
    let msg = err.to_string();
    assert!(matches!(err, BrokerError::Refused { .. }), "{kind}: {msg}");
    assert!(
        !msg.contains(SECRET) && !msg.contains(WRONG),
        "{kind} leaks: {msg}"
    );
    assert!(
        !format!("{err:?}").contains(WRONG),
        "{kind} Debug leaks: {err:?}"
    );
    let shown = broker::mask(given);
    assert_eq!(
        msg.matches(&shown).count(),
        1,
        "{kind}: the URL once: {msg}"
    );
    assert_eq!(msg.matches("it refused").count(), 1, "{kind}: once: {msg}");
    assert!(!msg.contains('\n'), "{kind}: one line: {msg}");
    assert!(!msg.to_lowercase().contains("running"), "{kind}: {msg}");
    assert!(
        msg.contains(kind.env_var()),
        "{kind}: names the variable: {msg}"
    );
    println!("{msg}");
    msg
}

/// Nothing a reader can print shows the password.
fn assert_nothing_leaks(b: &Broker) {
    for shown in [format!("{b:?}"), b.to_string(), b.masked_url()] {
        assert!(!shown.contains(SECRET), "leaks: {shown}");
    }
    assert!(format!("{:?}", b.credentials()).contains("***"));
    assert!(
        b.url().contains(SECRET),
        "the client's URL keeps the password"
    );
}

#[tokio::test]
async fn mqtt_login_reaches_mosquitto_and_a_wrong_one_is_refused() {
    let b = guarded(Kind::Mosquitto, "alice").await;
    assert_nothing_leaks(&b);
    let right = url("mqtt", &format!("alice:{SECRET}"), &b, "");
    let ours = from_env(Kind::Mosquitto, &right)
        .await
        .expect("right login");
    assert_eq!(ours.url(), right);
    let e = ours.endpoint();
    assert_eq!(e.credentials.user.as_deref(), Some("alice"));
    assert_eq!(e.credentials.password.as_deref(), Some(SECRET));
    assert_nothing_leaks(&ours);

    // rumqttc, fed as lab-mqtt should feed it: CONNACK Success.
    let mut options = rumqttc::MqttOptions::new("credentials-test", &e.host, e.port);
    options.set_credentials(
        e.credentials.user.clone().unwrap(),
        e.credentials.password.clone().unwrap(),
    );
    let (_client, mut events) = rumqttc::AsyncClient::new(options, 4);
    let first = tokio::time::timeout(Duration::from_secs(10), events.poll())
        .await
        .expect("rumqttc answers")
        .expect("rumqttc connects with the URL's login");
    assert!(
        matches!(first, rumqttc::Event::Incoming(rumqttc::Packet::ConnAck(ref c)) if c.code == rumqttc::ConnectReturnCode::Success),
        "{first:?}"
    );

    let wrong = url("mqtt", &format!("alice:{WRONG}"), &b, "");
    let msg = assert_refused(
        Kind::Mosquitto,
        from_env(Kind::Mosquitto, &wrong).await,
        &wrong,
    );
    assert!(msg.contains("\"alice\""), "{msg}");
    let anonymous = url("mqtt", "", &b, "");
    assert_refused(
        Kind::Mosquitto,
        from_env(Kind::Mosquitto, &anonymous).await,
        &anonymous,
    );
}

#[tokio::test]
async fn nats_user_password_and_token_reach_the_server() {
    let b = guarded(Kind::Nats, "alice").await;
    assert_nothing_leaks(&b);
    let right = url("nats", &format!("alice:{SECRET}"), &b, "");
    from_env(Kind::Nats, &right).await.expect("right login");
    let wrong = url("nats", &format!("alice:{WRONG}"), &b, "");
    assert_refused(Kind::Nats, from_env(Kind::Nats, &wrong).await, &wrong);
    let anonymous = url("nats", "", &b, "");
    assert_refused(
        Kind::Nats,
        from_env(Kind::Nats, &anonymous).await,
        &anonymous,
    );

    // A token instead of a user: `authorization { token: ... }`.
    let t = broker::private(
        Kind::Nats,
        Options::new().config_line(format!("authorization {{ token: \"{SECRET}\" }}")),
    )
    .await
    .unwrap();
    let right = url("nats", SECRET, &t, "");
    let ours = from_env(Kind::Nats, &right).await.expect("right token");
    assert_eq!(ours.credentials().token.as_deref(), Some(SECRET));
    assert!(!ours.to_string().contains(SECRET), "{ours}");
    let wrong = url("nats", WRONG, &t, "");
    assert_refused(Kind::Nats, from_env(Kind::Nats, &wrong).await, &wrong);
}

#[tokio::test]
async fn redis_password_user_and_database_reach_the_server() {
    use redis::AsyncCommands;
    // `requirepass`: the default user, a password only.
    let b = guarded(Kind::Redis, "default").await;
    assert_nothing_leaks(&b);
    let right = url("redis", &format!(":{SECRET}"), &b, "/3");
    let ours = from_env(Kind::Redis, &right).await.expect("right password");
    assert_eq!(ours.credentials().database, Some(3));
    // redis-rs, fed the URL as lab-realtime should: lands in database 3.
    let client = redis::Client::open(ours.url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = conn.set("where", "db3").await.unwrap();
    let mut raw = redis::Client::open(url("redis", &format!(":{SECRET}"), &b, "/0"))
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let in_db0: Option<String> = raw.get("where").await.unwrap();
    assert_eq!(in_db0, None, "the URL's database number was used");

    let wrong = url("redis", &format!(":{WRONG}"), &b, "");
    assert_refused(Kind::Redis, from_env(Kind::Redis, &wrong).await, &wrong);
    let anonymous = url("redis", "", &b, "");
    assert_refused(
        Kind::Redis,
        from_env(Kind::Redis, &anonymous).await,
        &anonymous,
    );

    // An ACL user.
    let acl = guarded(Kind::Redis, "alice").await;
    let right = url("redis", &format!("alice:{SECRET}"), &acl, "");
    from_env(Kind::Redis, &right)
        .await
        .expect("right ACL login");
    let wrong = url("redis", &format!("alice:{WRONG}"), &acl, "");
    assert_refused(Kind::Redis, from_env(Kind::Redis, &wrong).await, &wrong);
}

/// One RabbitMQ for every AMQP case: a fresh node costs ~5 CPU-seconds.
#[tokio::test]
async fn amqp_user_password_and_vhost_reach_rabbitmq() {
    let b = guarded(Kind::RabbitMq, "alice").await;
    assert_nothing_leaks(&b);
    let right = url("amqp", &format!("alice:{SECRET}"), &b, "/%2f");
    let ours = from_env(Kind::RabbitMq, &right).await.expect("right login");
    assert_eq!(ours.credentials().vhost.as_deref(), Some("/"));
    // lapin, fed the URL as lab-amqp should.
    let conn = lapin::Connection::connect(ours.url(), lapin::ConnectionProperties::default())
        .await
        .expect("lapin logs in with the URL's user, password and vhost");
    conn.close(200, "bye").await.unwrap();

    let wrong = url("amqp", &format!("alice:{WRONG}"), &b, "/%2f");
    assert_refused(
        Kind::RabbitMq,
        from_env(Kind::RabbitMq, &wrong).await,
        &wrong,
    );
    // No user in the URL means guest, and this node has no guest.
    let anonymous = url("amqp", "", &b, "");
    assert_refused(
        Kind::RabbitMq,
        from_env(Kind::RabbitMq, &anonymous).await,
        &anonymous,
    );
    // A vhost that does not exist: 530 NOT_ALLOWED.
    let vhost = url("amqp", &format!("alice:{SECRET}"), &b, "/nowhere");
    let msg = assert_refused(
        Kind::RabbitMq,
        from_env(Kind::RabbitMq, &vhost).await,
        &vhost,
    );
    assert!(msg.contains("530"), "{msg}");
}

/// Every error a bad or unanswered URL can give, for every kind, with the
/// password (or token) in it: the message and `Debug` never show it.
#[tokio::test]
async fn no_error_path_prints_the_secret() {
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // released at once: nothing listens there
    let odd = "s3/cr:et@Pw-7731"; // unencoded `/`, `:` and `@` in a password
    for kind in Kind::ALL {
        let scheme = kind.example_url().split("://").next().unwrap().to_owned();
        let mut values = vec![
            format!("{scheme}://alice:{SECRET}@127.0.0.1:{free}/"), // nothing answers
            format!("{scheme}://alice:{SECRET}@:1883"),             // no host
            format!("{scheme}://alice:{SECRET}@h:99999"),           // bad port
            format!("ftp://alice:{SECRET}@h:1"),                    // wrong scheme
            format!("alice:{SECRET}@h:1"),                          // no scheme
            format!("{scheme}://alice:{odd}@127.0.0.1:{free}"),
            format!("{scheme}://:{SECRET}@[::1"), // broken IPv6
            format!("{scheme}://:{SECRET}@127.0.0.1:{free}/x"), // Redis: bad database
        ];
        if kind == Kind::Nats {
            // A lone user part is a NATS token (elsewhere, a user name).
            values.push(format!("{scheme}://{SECRET}@127.0.0.1:{free}"));
            values.push(format!("{scheme}://{SECRET}@:1"));
        }
        for value in values {
            let err = from_env(kind, &value)
                .await
                .expect_err(&broker::mask(&value));
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(
                    !shown.contains(SECRET) && !shown.contains("s3/cr"),
                    "{kind} {:?} leaks: {shown}",
                    broker::mask(&value)
                );
            }
        }
        let finder = Finder::new(kind)
            .lookup(Lookup::empty().var(kind.env_var(), &format!("{scheme}://u:{SECRET}@h")));
        assert!(
            !format!("{finder:?}").contains(SECRET),
            "Finder Debug leaks"
        );
    }
    let options = Options::new().user("alice", SECRET);
    assert!(
        !format!("{options:?}").contains(SECRET),
        "Options Debug leaks"
    );
}
