//! The `Payments` service as Twirp serves it: a trait implementation over
//! the ledger, mounted under `/twirp` on an ordinary axum router.
//!
//! Twirp is HTTP/1.1 POST with a protobuf or JSON body, so the server is
//! any web server and the route is just a path:
//! `/twirp/payments.v1.Payments/Charge`.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::ledger::{Ledger, Refusal};
use crate::twirp_gen::{self, Charge, ChargeRequest};

pub use crate::http_server::RunningServer;

/// The path of the one method: prefix, package.Service, Method.
pub const CHARGE_PATH: &str = "/twirp/payments.v1.Payments/Charge";

// ANCHOR: service
/// The service over the ledger. A refusal becomes one of Twirp's error
/// codes, which the library sends as a JSON body with an HTTP status.
pub struct Service(pub Arc<Ledger>);

#[twirp::async_trait::async_trait]
impl twirp_gen::Payments for Service {
    async fn charge(
        &self,
        request: twirp::Request<ChargeRequest>,
    ) -> twirp::Result<twirp::Response<Charge>> {
        let asked = request.into_body();
        let asked = domain::ChargeRequest {
            amount_cents: asked.amount_cents,
            currency: asked.currency,
        };
        match self.0.charge(&asked) {
            Ok(c) => Ok(twirp::Response::new(Charge {
                charge_id: c.charge_id,
                amount_cents: c.amount_cents,
                currency: c.currency,
            })),
            Err(Refusal::Invalid(why)) => Err(twirp::invalid_argument(why)),
            Err(down) => Err(twirp::internal(down.to_string())),
        }
    }
}

/// The service's routes under `/twirp`, and Twirp's own 404 elsewhere.
pub fn app(ledger: Arc<Ledger>) -> axum::Router {
    axum::Router::new()
        .nest("/twirp", twirp_gen::router(Arc::new(Service(ledger))))
        .fallback(twirp::server::not_found_handler)
}
// ANCHOR_END: service

/// Starts the service on a free port of 127.0.0.1.
pub async fn spawn() -> anyhow::Result<RunningServer> {
    let ledger = Arc::new(Ledger::new());
    crate::http_server::serve(app(ledger.clone()), ledger).await
}

// ANCHOR: client
/// The generated client for the server at `addr`: it sends protobuf bodies
/// and keeps one HTTP/1.1 connection alive between sequential calls.
pub fn client(addr: SocketAddr) -> anyhow::Result<twirp::Client> {
    let base = twirp::url::Url::parse(&format!("http://{addr}/twirp/"))?;
    Ok(twirp::Client::from_base_url(base))
}

/// One charge of `amount_cents` EUR through `client`.
pub async fn charge(client: &twirp::Client, amount_cents: i64) -> twirp::Result<Charge> {
    use twirp_gen::Payments as _;
    let request = ChargeRequest {
        amount_cents,
        currency: "EUR".into(),
    };
    Ok(client
        .charge(twirp::Request::new(request))
        .await?
        .into_body())
}
// ANCHOR_END: client
