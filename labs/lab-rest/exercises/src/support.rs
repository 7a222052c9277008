//! The plumbing around the exercises — routers and stores — so that your
//! files hold only the part the exercise is about. You don't need to edit it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

/// An article whose text changes when it is edited (for `rest-etag`).
#[derive(Default)]
pub struct Articles {
    pub revision: Mutex<u64>,
}

impl Articles {
    /// The article's current body.
    pub fn body(&self) -> String {
        let revision = *self.revision.lock().unwrap_or_else(|p| p.into_inner());
        format!(
            "{{\"title\":\"Greenhouse report\",\"revision\":{revision},\"text\":\"{}\"}}",
            "All sensors nominal. ".repeat(60)
        )
    }

    /// Edits the article.
    pub fn edit(&self) {
        *self.revision.lock().unwrap_or_else(|p| p.into_inner()) += 1;
    }
}

/// `GET /article` (your handler in `etag.rs`) and `POST /article/edit`.
pub fn etag_app() -> Router {
    Router::new()
        .route("/article", get(crate::etag::get_article))
        .route(
            "/article/edit",
            post(|axum::extract::State(a): axum::extract::State<Arc<Articles>>| async move { a.edit() }),
        )
        .with_state(Arc::new(Articles::default()))
}

/// `POST /charges` (your ledger in `idempotency.rs`) and `GET /charges/count`.
pub fn idempotency_app() -> Router {
    Router::new()
        .route("/charges", post(crate::idempotency::create_charge))
        .route("/charges/count", get(crate::idempotency::count))
        .with_state(Arc::new(crate::idempotency::Ledger::default()))
}

/// `GET /events/wait` (your handler in `longpoll.rs`) and `POST /events`.
pub fn longpoll_app() -> (Router, Arc<crate::longpoll::Events>) {
    let events = Arc::new(crate::longpoll::Events::default());
    let router =
        Router::new()
            .route("/events/wait", get(crate::longpoll::wait))
            .route(
                "/events",
                post(
                    |axum::extract::State(e): axum::extract::State<
                        Arc<crate::longpoll::Events>,
                    >| async move {
                        e.publish();
                    },
                ),
            )
            .with_state(events.clone());
    (router, events)
}

/// Serves `router` on a free port of 127.0.0.1 in the background.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}
