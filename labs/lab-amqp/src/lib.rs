//! lab-amqp: Chapter 5's lab, "AMQP and message brokers".
//!
//! Every scenario talks AMQP 0-9-1 with lapin to a real RabbitMQ (3.10.8
//! here): the reader's (`AMQP_URL`), the one on port 5672, or a private one
//! labkit starts. Scenarios that restart a broker or change its users
//! always start a private one. [`Lab`] hands each scenario its broker.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`frames`] | `frames` | "One publish, frame by frame" |
//! | [`routing`] | `routing` | "Exchanges decide where messages go" |
//! | [`consumers`] | `consumers` | "Consumers, prefetch and acknowledgements" |
//! | [`durability`] | `durability` | "What survives a restart" |
//! | [`dead_letters`] | `dead-letters` | "Dead letters and poison messages" |
//! | [`queue_props`] | `queue-props` | "Queue properties" |
//! | [`levelling`] | `levelling` | "Load levelling" |
//! | [`streams`] | `streams` | "A queue against a log" |
//! | [`security`] | `security` | "Virtual hosts and permissions" |
//! | [`tls`] | `tls` | "Virtual hosts and permissions" (TLS) |
//! | [`throughput`] | `throughput` | "What safety costs" (a benchmark) |
//! | [`placement`] | `placement` | "When one broker is not enough" |
//! | [`failover`] | `failover` | "When one broker is not enough" |
//! | [`classic_down`] | `classic-down` | "When one broker is not enough" |
//! | [`minority`] | `minority` | "When one broker is not enough" |
//! | [`replication`] | `replication` | "When one broker is not enough" (a benchmark) |
//!
//! Each scenario is one file named as you type it, declaring its
//! `SCENARIO` and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call with a broker's URL); the binary,
//! the tests and the book all use the same code. [`support`] holds the
//! shared plumbing, [`admin`] runs `rabbitmqctl` against a private node.
//! The last five share one private three-node cluster (labkit's
//! `broker::cluster`), started the first time one of them runs.

pub mod admin;
pub mod classic_down;
pub mod consumers;
pub mod dead_letters;
pub mod durability;
pub mod failover;
pub mod frames;
mod lab;
pub mod levelling;
pub mod minority;
pub mod placement;
pub mod queue_props;
pub mod replication;
pub mod routing;
pub mod security;
pub mod streams;
pub mod support;
pub mod throughput;
pub mod tls;

pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-amqp";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    frames::SCENARIO,
    routing::SCENARIO,
    consumers::SCENARIO,
    durability::SCENARIO,
    dead_letters::SCENARIO,
    queue_props::SCENARIO,
    levelling::SCENARIO,
    streams::SCENARIO,
    security::SCENARIO,
    tls::SCENARIO,
    throughput::SCENARIO,
    placement::SCENARIO,
    failover::SCENARIO,
    classic_down::SCENARIO,
    minority::SCENARIO,
    replication::SCENARIO,
];

/// `url` with its host and port replaced by `proxy`'s: the same broker,
/// credentials and virtual host, reached through labkit's proxy.
pub fn via(url: &str, proxy: std::net::SocketAddr) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("amqp", url));
    let (creds, hostpart) = match rest.rsplit_once('@') {
        Some((c, h)) => (format!("{c}@"), h),
        None => (String::new(), rest),
    };
    let path = hostpart.find('/').map(|i| &hostpart[i..]).unwrap_or("/%2f");
    format!("{scheme}://{creds}{proxy}{path}")
}
