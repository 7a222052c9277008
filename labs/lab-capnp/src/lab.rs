//! The one value every lab-capnp scenario is handed.

/// What lab-capnp's scenarios share. Each scenario starts what it needs (a
/// Cap'n Proto RPC server, a proxy) itself, so there is nothing to hold yet.
pub struct Lab;

impl Lab {
    /// The lab, ready to run scenarios.
    pub fn new() -> Lab {
        Lab
    }
}

impl Default for Lab {
    fn default() -> Self {
        Lab::new()
    }
}

/// lab-capnp needs nothing a machine may lack once it has built: the
/// `capnp` compiler is needed at build time only.
impl labkit::cli::Lab for Lab {}
