//! The one value every lab-rest scenario is handed: the server to talk to.

use crate::target::Target;

/// What lab-rest's scenarios share: the lab's server, started in-process or
/// found at `--server URL`.
pub struct Lab {
    server: Target,
}

impl Lab {
    /// A lab whose server runs in this process on a free port.
    pub async fn local() -> anyhow::Result<Lab> {
        Ok(Lab {
            server: Target::local().await?,
        })
    }

    /// A lab whose scenarios talk to a server already running at `url`
    /// (`cargo run -p lab-rest -- serve`), checked to be the lab's server.
    pub async fn remote(url: &str) -> anyhow::Result<Lab> {
        Ok(Lab {
            server: Target::remote(url).await?,
        })
    }

    /// The server the scenarios talk to.
    pub fn server(&self) -> &Target {
        &self.server
    }
}

/// lab-rest needs nothing a machine may lack: Rust is enough.
impl labkit::cli::Lab for Lab {}
