//! Scenario `browser`: gRPC-Web from a page in a real, headless Chromium.
//!
//! A page cannot speak gRPC itself: no browser API lets it read HTTP/2
//! trailers (where gRPC puts the status) or keep a request body open while
//! the response streams. gRPC-Web moves the trailers into the response body
//! and needs no more than `fetch`. tonic-web translates it on the server, so
//! the page (served by the same server, [`page.html`]) encodes its protobuf
//! bytes by hand and calls the same service as every other scenario.
//!
//! The lab ([`crate::Lab::browser`]) starts `chromedriver`, which starts
//! Chromium; the scenario opens the page in it and runs the page's functions through WebDriver (the fantoccini crate): a unary
//! call, a server-streaming call, and an attempt at a client stream, which
//! Chromium refuses over HTTP/1.1.

use anyhow::Context;
use axum::response::Html;
use labkit::report::{Report, Table};
use serde::Deserialize;
use tower::Layer;

use crate::proto::v1::payment_service_server::PaymentServiceServer;
use crate::server::{Payments, Stats};

pub use labkit::browser::Browser;
use labkit::cli::{Need, Scenario};

use crate::Lab;

/// The page, built into the binary.
pub const PAGE: &str = include_str!("page.html");

/// One call's result as the page reported it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageCall {
    pub http: u16,
    /// How many `read()`s of the response body returned data.
    pub chunks: u32,
    pub messages: u32,
    pub trailers: String,
}

/// What the client-stream attempt gave.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StreamAttempt {
    pub ok: bool,
    #[serde(default)]
    pub error: String,
}

/// Everything the page did.
#[derive(Debug, Clone)]
pub struct FromThePage {
    pub unary: PageCall,
    pub server_streaming: PageCall,
    pub client_streaming: StreamAttempt,
    /// Calls the server's handlers received.
    pub server_calls: u64,
}

// ANCHOR: serve_page
/// Serves the page at `/` and the service, gRPC-Web enabled, on one port.
async fn serve_page() -> anyhow::Result<(
    std::net::SocketAddr,
    std::sync::Arc<Stats>,
    tokio::task::JoinHandle<()>,
)> {
    let stats = std::sync::Arc::new(Stats::default());
    let service = PaymentServiceServer::new(Payments::new("web", stats.clone()));
    let app = tonic::service::Routes::new(tonic_web::GrpcWebLayer::new().layer(service))
        .prepare()
        .into_axum_router()
        .route("/", axum::routing::get(|| async { Html(PAGE) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, stats, task))
}
// ANCHOR_END: serve_page

/// Opens the page in `browser` (from [`Lab::browser`]) and runs its three
/// calls.
pub async fn from_the_page(browser: &Browser) -> anyhow::Result<FromThePage> {
    let (addr, stats, server) = serve_page().await?;
    let result = async {
        browser.open(&format!("http://{addr}/")).await?;
        let unary: PageCall = browser
            .run("unary()")
            .await
            .context("unary call from the page")?;
        let server_streaming: PageCall = browser
            .run("serverStreaming(5)")
            .await
            .context("server-streaming call from the page")?;
        let client_streaming: StreamAttempt = browser
            .run("clientStreaming()")
            .await
            .context("client-streaming attempt from the page")?;
        Ok(FromThePage {
            unary,
            server_streaming,
            client_streaming,
            server_calls: Stats::get(&stats.calls),
        })
    }
    .await;
    server.abort();
    result
}

/// The scenario, as `cargo run -p lab-grpc -- browser` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "browser",
    "gRPC-Web from a page in headless Chromium",
    "unary and server streaming work; a client stream is refused by the browser",
)
.needs(&[Need::Browser]);

/// The `browser` scenario.
pub async fn run(lab: &Lab) -> anyhow::Result<Report> {
    let page = from_the_page(lab.browser().await?).await?;
    let mut table = Table::new(
        "gRPC-Web calls made by a page in headless Chromium (fetch, HTTP/1.1)",
        &["call", "HTTP", "msgs", "trailers in the body", "reads"],
    );
    for (what, c) in [
        ("unary", &page.unary),
        ("server stream", &page.server_streaming),
    ] {
        table.row([
            what.to_string(),
            c.http.to_string(),
            c.messages.to_string(),
            c.trailers.replace("\r\n", " "),
            c.chunks.to_string(),
        ]);
    }
    table.row([
        "client stream".to_string(),
        "-".into(),
        "-".into(),
        if page.client_streaming.ok {
            "sent (unexpected)".into()
        } else {
            format!("refused: {}", page.client_streaming.error)
        },
        "-".into(),
    ]);
    table.note("unary: Charge; server stream: WatchEvents(5); client stream: BatchImport, its body a ReadableStream");
    table.note("HTTP: the response's status; msgs: gRPC messages received; reads: reads of the body that returned data");
    table.note(format!(
        "the server's handlers saw {} calls",
        page.server_calls
    ));
    let mut report = Report::new(crate::LAB, "browser");
    report.table(table);
    Ok(report)
}
