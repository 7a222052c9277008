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
//! | [`anatomy`] | `bytes` | "What one reading weighs" |
//! | [`topics`] | `topics` | "Brokers, topics and subscriptions" |
//! | [`qos`] | `qos` | "Three promises, counted in packets" |
//! | [`cuts`] | `cuts` | "Cutting the wire at every byte" |
//! | [`retained`] | `retained` | "The last known value" |
//! | [`session`] | `session` | "While you were away" |
//! | [`will`] | `will` | "The last will" |
//! | [`tls`] | `tls` | "What TLS adds" |
//! | [`acl`] | `acl` | "Who may publish where" |
//! | [`mqtt5`] | `mqtt5` | "What MQTT 5 added" |
//! | [`scale`] | `scale` | "A thousand devices" (a benchmark) |
//!
//! [`client`] wraps the rumqttc client; [`target`] finds the broker
//! ([`embedded`] is the last resort for `cargo run`).

pub mod acl;
pub mod anatomy;
pub mod client;
pub mod cuts;
pub mod embedded;
pub mod mqtt5;
pub mod qos;
pub mod retained;
pub mod scale;
pub mod session;
pub mod target;
pub mod tls;
pub mod topics;
pub mod will;

pub use target::Target;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-mqtt";
