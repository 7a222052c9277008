//! Virtual hosts and permissions: a user allowed into one virtual host, and
//! there only to configure, write and read resources whose names match a
//! regular expression, is refused everywhere else — by the broker, with
//! AMQP's `ACCESS_REFUSED` (403).

use labkit::broker::{Broker, Options};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

use crate::Lab;
use crate::admin;

/// The scenario, as `cargo run -p lab-amqp -- security` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "security",
    "a user limited to one virtual host and a name pattern (private broker)",
    "the broker answers ACCESS_REFUSED, not the client",
);

/// What the limited user could and could not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Connecting to the default virtual host `/`: the error, if refused.
    pub other_vhost: Result<(), String>,
    /// Connecting to its own virtual host.
    pub own_vhost: Result<(), String>,
    /// Declaring `orders.jobs` (matches `^orders\.`).
    pub matching_queue: Result<(), String>,
    /// Declaring `billing.jobs` (does not match).
    pub other_queue: Result<(), String>,
}

fn url_for(broker: &Broker, user: &str, pass: &str, vhost: &str) -> String {
    format!(
        "amqp://{user}:{pass}@{}/{}",
        broker.addr(),
        vhost.replace('/', "%2f")
    )
}

// ANCHOR: setup
/// Creates virtual host `shop` and user `orders` with rights only on names
/// starting `orders.` there.
pub fn setup(broker: &Broker) -> anyhow::Result<()> {
    admin::rabbitmqctl(broker, &["add_vhost", "shop"])?;
    // A real deployment would take the password from a secret store, not
    // from the source code.
    admin::rabbitmqctl(broker, &["add_user", "orders", "s3cret"])?;
    let only = r"^orders\.";
    admin::rabbitmqctl(
        broker,
        &["set_permissions", "-p", "shop", "orders", only, only, only],
    )?;
    Ok(())
}
// ANCHOR_END: setup

/// Tries each door as the limited user.
pub async fn probe(broker: &Broker) -> anyhow::Result<Access> {
    let err = |e: lapin::Error| e.to_string();
    let other_vhost = lapin::Connection::connect(
        &url_for(broker, "orders", "s3cret", "/"),
        Default::default(),
    )
    .await
    .map(|_| ())
    .map_err(err);
    let conn = lapin::Connection::connect(
        &url_for(broker, "orders", "s3cret", "shop"),
        Default::default(),
    )
    .await;
    let own_vhost = conn.as_ref().map(|_| ()).map_err(|e| e.to_string());
    let (mut matching_queue, mut other_queue) =
        (Err("no connection".into()), Err("no connection".into()));
    if let Ok(conn) = conn {
        let ch = conn.create_channel().await?;
        matching_queue = ch
            .queue_declare(
                "orders.jobs",
                QueueDeclareOptions::default(),
                FieldTable::default(),
            )
            .await
            .map(|_| ())
            .map_err(err);
        let ch = conn.create_channel().await?;
        other_queue = ch
            .queue_declare(
                "billing.jobs",
                QueueDeclareOptions::default(),
                FieldTable::default(),
            )
            .await
            .map(|_| ())
            .map_err(err);
        conn.close(200, "done").await.ok();
    }
    Ok(Access {
        other_vhost,
        own_vhost,
        matching_queue,
        other_queue,
    })
}

fn outcome(r: &Result<(), String>) -> String {
    match r {
        Ok(()) => "allowed".into(),
        Err(e) => format!("refused: {e}"),
    }
}

/// The scenario, on a private broker of its own: it adds users and a
/// virtual host, which a shared broker should not be left holding.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let broker = &lab.private_broker(Options::new()).await?;
    setup(broker)?;
    let a = probe(broker).await?;
    let mut t = Table::new(
        "User 'orders': vhost 'shop', names matching ^orders\\.",
        &["attempt", "outcome"],
    );
    t.row(["connect to vhost /".to_string(), outcome(&a.other_vhost)]);
    t.row(["connect to vhost shop".to_string(), outcome(&a.own_vhost)]);
    t.row([
        "declare queue orders.jobs".to_string(),
        outcome(&a.matching_queue),
    ]);
    t.row([
        "declare queue billing.jobs".to_string(),
        outcome(&a.other_queue),
    ]);
    let mut report = Report::new(crate::LAB, "security");
    report.table(t);
    Ok(report)
}
