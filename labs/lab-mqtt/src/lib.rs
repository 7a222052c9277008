//! lab-mqtt: Chapter 4's lab, "MQTT and the world of devices".
//!
//! MQTT was made for devices on poor, expensive links: small packets, a
//! broker in the middle, delivery guarantees chosen per message, and a will
//! the broker publishes when a device vanishes. This lab shows each of
//! those against a real Mosquitto, with labkit's proxy in the path to count
//! the bytes and packets and to cut or silence the connection on purpose.
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`bytes`] | `bytes` | "What one reading weighs" |
//! | [`topics`] | `topics` | "Brokers, topics and subscriptions" |
//! | [`qos`] | `qos` | "Three promises, counted in packets" |
//! | [`cuts`] | `cuts` | "Cutting the wire at every byte" |
//! | [`retained`] | `retained` | "The last known value" |
//! | [`session`] | `session` | "While you were away" |
//! | [`will`] | `will` | "The last will" |
//! | [`mqtt5`] | `mqtt5` | "What MQTT 5 added" |
//! | [`tls`] | `tls` | "What TLS adds" |
//! | [`acl`] | `acl` | "Who may publish where" |
//! | [`scale`] | `scale` | "A thousand devices" (a benchmark) |
//!
//! Each scenario is one file named as you type it, declaring its
//! `SCENARIO` and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`
//! (plus smaller functions the tests call); the binary, the tests and the
//! book all use the same code. [`Lab`] hands the scenarios their
//! [`Broker`] on first use, and private Mosquittos to the scenarios that
//! configure their own; [`client`] wraps the rumqttc client; [`embedded`]
//! is the last resort for `cargo run`.

pub mod acl;
mod broker;
pub mod bytes;
pub mod client;
pub mod cuts;
pub mod embedded;
mod lab;
pub mod mqtt5;
pub mod qos;
pub mod retained;
pub mod scale;
pub mod session;
pub mod tls;
pub mod topics;
pub mod will;

pub use broker::Broker;
pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-mqtt";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    bytes::SCENARIO,
    topics::SCENARIO,
    qos::SCENARIO,
    cuts::SCENARIO,
    retained::SCENARIO,
    session::SCENARIO,
    will::SCENARIO,
    mqtt5::SCENARIO,
    tls::SCENARIO,
    acl::SCENARIO,
    scale::SCENARIO,
];
