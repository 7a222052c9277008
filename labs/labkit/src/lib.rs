//! labkit: the parts every lab of the book shares.
//!
//! Each chapter's lab is a small program about one protocol family. What they
//! all need — a real broker to talk to, a way to see the bytes on the wire, a
//! way to break the network on purpose, numbers measured honestly and printed
//! the same way, one command-line convention and one exercise mechanism —
//! lives here, so a chapter's lab can stay about its protocol.
//!
//! | module | what it gives a lab | book section |
//! |---|---|---|
//! | [`broker`] | a running Mosquitto, RabbitMQ, NATS or Redis, from wherever one can be had | "Where brokers come from" |
//! | [`wire`] | a recording TCP proxy, protocol decoders, a pcap writer | "Watching the wire" |
//! | [`fault`] | delay, bandwidth caps, cuts and black holes on that proxy | "Breaking things on purpose" |
//! | [`measure`] | latency histograms, throughput, bytes per message | "Measuring honestly" |
//! | [`report`] | terminal tables, JSON, SVG charts | "Reading a lab's output" |
//! | [`cli`] | the `cargo run -p lab-X [scenario]` convention and clear errors | "Running a lab" |
//! | [`grade`] | sentences a grading test fails with | "Doing the exercises" |
//! | `browser` (feature) | a headless Chromium driven over WebDriver | Chapters 2 and 3 |

pub mod broker;
#[cfg(feature = "browser")]
pub mod browser;
pub mod cli;
pub mod fault;
pub mod grade;
pub mod layout;
pub mod measure;
pub mod nginx;
pub mod report;
#[cfg(feature = "tls")]
pub mod tls;
pub mod wire;
