//! The one value every lab-zeromq scenario is handed: a ZeroMQ context and
//! a private folder for `ipc://` endpoints.

use anyhow::Context as _;

/// What lab-zeromq's scenarios share. There is no broker to find: ZeroMQ is
/// a library, so the lab needs only libzmq itself (linked at build time).
pub struct Lab {
    ctx: zmq::Context,
    dir: tempfile::TempDir,
}

impl Lab {
    /// A fresh context, and a temporary folder for IPC socket files that is
    /// removed when the lab is dropped.
    pub fn new() -> anyhow::Result<Lab> {
        let dir = tempfile::Builder::new()
            .prefix("lab-zeromq-")
            .tempdir()
            .context("cannot create a temporary folder for the ipc:// endpoints")?;
        Ok(Lab {
            ctx: zmq::Context::new(),
            dir,
        })
    }

    /// The context every socket of a scenario is made from (one per
    /// process is the rule; `inproc://` works only within one context).
    pub fn ctx(&self) -> &zmq::Context {
        &self.ctx
    }

    /// The lab's private folder, where `ipc://` socket files go.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// lab-zeromq needs nothing a machine may lack once it builds.
impl labkit::cli::Lab for Lab {}
