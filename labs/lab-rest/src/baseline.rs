//! Chapter 1 as the yardstick: what later chapters compare themselves with.
//!
//! Chapters 2–5 put their protocol beside plain HTTP/1.1 + JSON: gRPC's
//! bytes per charge against a JSON POST, MQTT's PUBLISH against the same
//! reading POSTed, SSE and WebSockets against polling and long-polling. They
//! reach Chapter 1 through this module and nothing else, so that what they
//! depend on is listed in one place.
//!
//! **Changing anything re-exported here changes the numbers other chapters
//! print** (and the book records): the server's routes and headers, the
//! hand-made HTTP/1.1 connection, the exchange measurement, the polling
//! clients. Regenerate the recorded runs of every chapter after such a
//! change.
//!
//! | item | what a later chapter uses it for |
//! |---|---|
//! | [`start`], [`at`], [`Target`] | Chapter 1's server, in-process or at an address |
//! | [`measure_exchanges`], [`Exchange`] | the bytes of one POST and one GET of a reading |
//! | [`Http1Conn`], [`request`] | one HTTP/1.1 connection made by hand, so it is counted |
//! | [`State`], [`routes`] | Chapter 1's routes and event log, served inside another server |
//! | [`receive`], [`Waiting`], [`Delivery`], [`irregular_gaps`] | polling and long-polling clients |

use std::net::SocketAddr;

pub use crate::bytes::{Exchange, measure as measure_exchanges};
pub use crate::client::{Http1Conn, request};
pub use crate::polling::{Delivery, Waiting, irregular_gaps, receive};
pub use crate::server::{AppState as State, app as routes};
pub use crate::target::Target;

/// Starts Chapter 1's server in this process, on 127.0.0.1 and a free port.
pub async fn start() -> anyhow::Result<Target> {
    Target::local().await
}

/// Chapter 1's routes, served at `addr` by someone else (another process,
/// or another lab's server that mounts [`routes`]).
pub fn at(addr: SocketAddr) -> Target {
    Target::Remote { addr }
}
