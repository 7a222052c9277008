//! labkit: the parts every lab of the book shares.
//!
//! Each chapter's lab is a small program about one protocol family. What they
//! all need — a real broker to talk to, a way to see the bytes on the wire, a
//! way to break the network on purpose, numbers measured honestly and printed
//! the same way, one command-line convention and one exercise mechanism —
//! lives here, so a chapter's lab can stay about its protocol.
//!
//! The whole surface a lab author needs, on one page (the book section is in
//! `book/how-to-use.md`, for readers):
//!
//! | module | what it gives a lab | the entry points | book section |
//! |---|---|---|---|
//! | [`broker`] | a running Mosquitto, RabbitMQ, NATS or Redis, from wherever one can be had | [`broker::for_cargo_run`], [`broker::mosquitto`] (and `rabbitmq`, `nats`, `redis`), [`broker::private`] with [`broker::Options`]; on the [`broker::Broker`]: `addr`, `url`, `restart`, `kill`, `pause` | "Where brokers come from" |
//! | [`wire`] | a recording TCP proxy, protocol decoders, pcap files | [`wire::Proxy::start`], `proxy.recording()`, `proxy.bytes(dir)`, [`wire::Decoder::decode`] (decoders: [`wire::http1`], [`wire::http2`], [`wire::websocket`], [`wire::mqtt`], [`wire::amqp`]), [`wire::count`], [`wire::tshark::fields`] | "Watching the wire" |
//! | [`fault`] | delay, bandwidth caps, cuts and black holes on that proxy | `proxy.faults()`, then [`fault::Faults::set_delay`], [`cut_on_next`](fault::Faults::cut_on_next), [`cut_after_bytes`](fault::Faults::cut_after_bytes), [`set_black_hole`](fault::Faults::set_black_hole), [`clear`](fault::Faults::clear) | "Breaking things on purpose" |
//! | [`measure`] | latency histograms, throughput, medians of rounds, one way to print numbers | [`measure::Latencies`], [`measure::Throughput`], [`measure::median_of`] with [`measure::time_per_op`], [`measure::Rounds`], [`measure::human_duration`], [`measure::fmt_ratio`] | "Measuring honestly" |
//! | [`report`] | terminal tables, JSON, SVG charts | [`report::Report::new`] then `table`, `value`, `chart`; [`report::Table`] (`new`, `row`, `note`); [`report::BarChart`], [`report::LineChart`] | "Reading a lab's output" |
//! | [`cli`] | the `cargo run -p lab-X [scenario]` convention and clear errors | [`cli::Scenario`], [`cli::Lab`], [`cli::run`], [`cli::Progress`] | "Running a lab" |
//! | [`layout`] | a test that the scenario list, the files and the tables agree | [`layout::assert_agrees`] | — (for lab authors) |
//! | [`badinput`] | the bad-input table each lab's `tests/bad_input.rs` runs | [`badinput::Table`], [`badinput::Case`], [`badinput::Bad`] | — (for lab authors) |
//! | [`interrupt`] | a lab interrupted at chosen moments, and what it left behind counted | [`interrupt::assert_leaves_nothing`], [`interrupt::Moment`] | — (for lab authors) |
//! | [`grade`] | sentences a grading test fails with | [`grade::expect`], [`grade::expect_eq`], [`grade::expect_ok`] | "Doing the exercises" |
//! | [`nginx`] | a private nginx in front of a lab's server | [`nginx::start`], `nginx.addr()` | Chapter 3 |
//! | `tls` (feature) | throwaway certificates in a folder that goes away | `tls::Throwaway::new`, `ca_pem`, `ca_file`, `cert_file`, `key_file` | Chapters 4 and 5 |
//! | `browser` (feature) | a headless Chromium driven over WebDriver | `browser::Browser::launch`, `open`, `wait_for`, `run` | Chapters 2 and 3 |
//!
//! Everything else that is public is there for these (the types they
//! return) or for labkit's own tests, and says so.

pub mod badinput;
pub mod broker;
#[cfg(feature = "browser")]
pub mod browser;
pub mod cli;
pub mod fault;
pub mod grade;
pub mod interrupt;
pub mod layout;
pub mod measure;
pub mod nginx;
pub mod report;
#[cfg(feature = "tls")]
pub mod tls;
pub mod wire;
