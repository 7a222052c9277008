//! lab-contenders: Chapter 8's lab, "Lesser-known contenders".
//!
//! | module | scenario | section of the chapter |
//! |---|---|---|
//! | [`thrift`] | `thrift` | "Thrift" |
//! | [`avro`] | `avro` | "Avro" |
//! | [`nats_subjects`] | `nats-subjects` | "NATS: subjects" |
//! | [`nats_request`] | `nats-request` | "NATS: request and reply" |
//! | [`nats_queue`] | `nats-queue` | "NATS: queue groups" |
//! | [`nats_away`] | `nats-away` | "NATS: at most once" |
//! | [`nats_stream`] | `nats-stream` | "JetStream: streams" |
//! | [`nats_dedup`] | `nats-dedup` | "JetStream: de-duplication" |
//! | [`nats_ack`] | `nats-ack` | "JetStream: acknowledgements" |
//! | [`nats_kv`] | `nats-kv` | "JetStream: key-value" |
//! | [`nats_cluster`] | `nats-cluster` | "JetStream: a cluster loses its leader" |
//! | [`twirp`] | `twirp` | "Twirp" |
//! | [`jsonrpc`] | `jsonrpc` | "JSON-RPC 2.0" |
//! | [`xmlrpc`] | `xmlrpc` | "XML-RPC, before it" |
//! | [`graphql`] | `graphql` | "GraphQL over WebSocket" |
//! | [`otlp`] | `otlp` | "OTLP" |
//! | [`compare`] | `compare` | "All of them on one charge" |
//!
//! Each scenario is one file named as you type it, declaring its `SCENARIO`
//! and a `pub async fn run(lab: &Lab) -> anyhow::Result<Report>`; the tests
//! and the book call the same functions. [`ledger`] is the one payment
//! service every contender serves, so each of them carries the same charge.

pub mod avro;
pub mod avro_rpc;
pub mod compare;
pub mod graphql;
pub mod graphql_server;
pub mod http_server;
pub mod jsonrpc;
pub mod jsonrpc_server;
pub mod jsonrpc_service;
mod lab;
pub mod ledger;
pub mod nats_ack;
pub mod nats_away;
pub mod nats_client;
pub mod nats_cluster;
pub mod nats_dedup;
pub mod nats_kv;
pub mod nats_queue;
pub mod nats_request;
pub mod nats_stream;
pub mod nats_subjects;
pub mod otlp;
pub mod pb;
pub mod thrift;
pub mod thrift_gen;
pub mod thrift_service;
pub mod twirp;
pub mod twirp_gen;
pub mod twirp_service;
pub mod xmlrpc;

pub use lab::Lab;

use labkit::cli::Scenario;

/// The lab's name, as reports and headings show it.
pub const LAB: &str = "lab-contenders";

/// Every scenario, in the order of the tour and the chapter.
pub const SCENARIOS: &[Scenario] = &[
    thrift::SCENARIO,
    avro::SCENARIO,
    nats_subjects::SCENARIO,
    nats_request::SCENARIO,
    nats_queue::SCENARIO,
    nats_away::SCENARIO,
    nats_stream::SCENARIO,
    nats_dedup::SCENARIO,
    nats_ack::SCENARIO,
    nats_kv::SCENARIO,
    nats_cluster::SCENARIO,
    twirp::SCENARIO,
    jsonrpc::SCENARIO,
    xmlrpc::SCENARIO,
    graphql::SCENARIO,
    otlp::SCENARIO,
    compare::SCENARIO,
];
