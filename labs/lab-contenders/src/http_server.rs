//! An axum router served in the background on a free port of 127.0.0.1,
//! with the ledger it charges: the one shape of the chapter's HTTP servers
//! (Twirp, JSON-RPC, Avro RPC), so each of those files holds only what its
//! contender puts on the wire.
//!
//! Dropping the handle stops the server at once. A real service would shut
//! down gracefully instead (stop accepting, finish the requests in flight);
//! the lab's servers live only as long as one scenario or test.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::ledger::Ledger;

/// A server running in the background until dropped.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub ledger: Arc<Ledger>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `router`, which charges `ledger`, on a free port of 127.0.0.1.
pub async fn serve(router: axum::Router, ledger: Arc<Ledger>) -> anyhow::Result<RunningServer> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(RunningServer { addr, ledger, task })
}
