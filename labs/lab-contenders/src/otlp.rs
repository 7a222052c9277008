//! Scenario `otlp`: the lab traces its own charges with the OpenTelemetry
//! SDK and exports the spans over OTLP/gRPC to a small receiver it runs,
//! through labkit's proxy, so the reader sees that OTLP is a gRPC call
//! carrying protobuf, what the spans say once decoded, and what one weighs.
//!
//! The exporter is `opentelemetry-otlp` with its tonic client, as an
//! application would configure it; the receiver is a tonic server for
//! `opentelemetry.proto.collector.trace.v1.TraceService`, built from the
//! `opentelemetry-proto` crate's generated code, so both ends share the
//! OTLP `.proto` files without a protoc step. A real deployment points the
//! exporter at an OpenTelemetry Collector or a tracing backend on port 4317.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use labkit::wire::http2::{self, FrameType};
use labkit::wire::{Direction, Proxy, Unit};
use opentelemetry::trace::{
    Span as _, SpanKind, TraceContextExt, Tracer as _, TracerProvider as _,
};
use opentelemetry::{Context, KeyValue};
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue as ProtoKeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{BatchConfigBuilder, BatchSpanProcessor, SdkTracerProvider};
use prost::Message;

use crate::ledger::{self, Ledger};
use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- otlp` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "otlp",
    "OTLP: the lab's own traces exported over gRPC to a receiver, decoded, and weighed",
    "an export is one gRPC call carrying protobuf; the envelope is shared by the batch",
);

/// The gRPC method every OTLP/gRPC trace export calls.
pub const EXPORT_PATH: &str = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

/// Charges traced in each export, in order: each charge makes two spans.
pub const BATCHES: [usize; 4] = [1, 10, 50, 200];

// ANCHOR: receiver
/// The receiver's whole service: keep what arrives, answer "accepted".
#[derive(Clone, Default)]
struct Collector(Arc<Mutex<Vec<ExportTraceServiceRequest>>>);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        self.0
            .lock()
            .expect("collector lock")
            .push(request.into_inner());
        // No partial_success: every span was accepted.
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}
// ANCHOR_END: receiver

/// A running receiver on a free port of 127.0.0.1.
struct Receiver {
    addr: SocketAddr,
    received: Collector,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receiver() -> anyhow::Result<Receiver> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let received = Collector::default();
    let service = TraceServiceServer::new(received.clone());
    let task = tokio::spawn(async move {
        let _ = tonic::transport::Server::builder()
            .add_service(service)
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener))
            .await;
    });
    Ok(Receiver {
        addr,
        received,
        task,
    })
}

// ANCHOR: exporter
/// A tracer provider exporting to `endpoint` over OTLP/gRPC, in batches
/// that leave only when flushed (the timer is set past any run's length).
fn provider(endpoint: String) -> anyhow::Result<SdkTracerProvider> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_tonic()
        .with_endpoint(endpoint)
        .build()?;
    let batches = BatchConfigBuilder::default()
        .with_scheduled_delay(Duration::from_secs(3600))
        .with_max_export_batch_size(512)
        .build();
    Ok(SdkTracerProvider::builder()
        .with_span_processor(
            BatchSpanProcessor::builder(exporter)
                .with_batch_config(batches)
                .build(),
        )
        .with_resource(
            Resource::builder_empty()
                .with_service_name("lab-contenders")
                .build(),
        )
        .build())
}

/// Takes one charge from the ledger inside a `charge` span, with the
/// ledger's write as a child span.
fn traced_charge(tracer: &opentelemetry_sdk::trace::SdkTracer, ledger: &Ledger) {
    let request = ledger::request();
    let parent = tracer
        .span_builder("charge")
        .with_kind(SpanKind::Server)
        .with_attributes([
            KeyValue::new("payment.amount_cents", request.amount_cents),
            KeyValue::new("payment.currency", request.currency.clone()),
        ])
        .start(tracer);
    let cx = Context::current_with_span(parent);
    let mut child = tracer
        .span_builder("ledger.insert")
        .with_kind(SpanKind::Internal)
        .start_with_context(tracer, &cx);
    match ledger.charge(&request) {
        Ok(charge) => child.set_attribute(KeyValue::new("charge.id", charge.charge_id)),
        Err(refusal) => child.set_attribute(KeyValue::new("error", refusal.to_string())),
    }
    child.end();
    cx.span().end();
}
// ANCHOR_END: exporter

/// One export as it crossed the wire.
#[derive(Debug, Clone)]
pub struct ExportOnWire {
    /// `:path`, `content-type` and `te` of the request's HEADERS.
    pub path: String,
    pub content_type: String,
    pub te: String,
    /// `grpc-status` in the response's trailers.
    pub grpc_status: String,
    /// The gRPC message in the request's DATA frames: 5-byte prefix
    /// (compression flag, length) and the protobuf.
    pub message: Vec<u8>,
    /// HTTP/2 frames of this call, both ways.
    pub frames: Vec<WireFrame>,
}

/// One HTTP/2 frame of a call.
#[derive(Debug, Clone)]
pub struct WireFrame {
    pub dir: Direction,
    /// `HEADERS`, `DATA`, ...
    pub kind: String,
    /// Header and payload.
    pub bytes: usize,
    /// What it carries, in a few words.
    pub carries: String,
}

impl ExportOnWire {
    /// Bytes of every frame of the call, both ways.
    pub fn wire_bytes(&self) -> usize {
        self.frames.iter().map(|f| f.bytes).sum()
    }
}

/// What the run exported and what the receiver and the wire saw.
#[derive(Debug, Clone)]
pub struct Run {
    /// Spans traced before each flush.
    pub spans: Vec<usize>,
    /// What the receiver decoded, one request per export.
    pub received: Vec<ExportTraceServiceRequest>,
    /// The same exports read off the wire, by HTTP/2 stream.
    pub on_wire: Vec<ExportOnWire>,
    /// TCP connections the exporter opened.
    pub connections: usize,
}

// ANCHOR: run
/// Traces [`BATCHES`] charges, flushing after each batch, and returns what
/// crossed the proxy between the exporter and the receiver.
pub async fn export() -> anyhow::Result<Run> {
    let receiver = receiver().await?;
    let proxy = Proxy::start(receiver.addr).await?;
    // Built inside the runtime: tonic's channel runs on it.
    let provider = provider(format!("http://{}", proxy.addr()))?;
    let tracer = provider.tracer("lab-contenders");
    let ledger = Arc::new(Ledger::new());
    let mut spans = Vec::new();
    for charges in BATCHES {
        let (tracer, ledger, flushing) = (tracer.clone(), ledger.clone(), provider.clone());
        // The SDK's batch processor has a thread of its own and flushes
        // synchronously: call it off the runtime that drives the channel.
        tokio::task::spawn_blocking(move || {
            for _ in 0..charges {
                traced_charge(&tracer, &ledger);
            }
            flushing.force_flush()
        })
        .await??;
        spans.push(charges * 2);
    }
    tokio::task::spawn_blocking(move || provider.shutdown()).await??;
    proxy.wait_closed(Duration::from_secs(10)).await;
    let received = receiver.received.0.lock().expect("collector lock").clone();
    let recording = proxy.recording();
    let on_wire = match recording.first() {
        Some(conn) => calls(
            &http2::parse(&conn.stream(Direction::ToServer)).units,
            &http2::parse(&conn.stream(Direction::ToClient)).units,
        ),
        None => Vec::new(),
    };
    Ok(Run {
        spans,
        received,
        on_wire,
        connections: proxy.connections_opened(),
    })
}
// ANCHOR_END: run

/// The gRPC calls in a connection's frames, one per client stream.
fn calls(to_server: &[http2::Frame], to_client: &[http2::Frame]) -> Vec<ExportOnWire> {
    http2::streams(to_server)
        .into_iter()
        .filter(|id| *id != 0)
        .map(|id| {
            let sent = http2::on_stream(to_server, id);
            let got = http2::on_stream(to_client, id);
            let request = sent.iter().find_map(|f| f.headers.as_ref().map(|_| *f));
            let trailers = got.iter().rev().find(|f| f.kind == FrameType::Headers);
            let header = |f: Option<&&http2::Frame>, name: &str| {
                f.and_then(|f| f.header(name)).unwrap_or("").to_string()
            };
            let mut frames = Vec::new();
            for (dir, list) in [(Direction::ToServer, &sent), (Direction::ToClient, &got)] {
                for f in list {
                    frames.push(WireFrame {
                        dir,
                        kind: f.kind.name(),
                        bytes: f.header_len() + f.body_len(),
                        carries: carries(f),
                    });
                }
            }
            ExportOnWire {
                path: header(request.as_ref(), ":path"),
                content_type: header(request.as_ref(), "content-type"),
                te: header(request.as_ref(), "te"),
                grpc_status: header(trailers, "grpc-status"),
                message: sent.iter().flat_map(|f| f.data().to_vec()).collect(),
                frames,
            }
        })
        .collect()
}

/// What a frame of a gRPC call carries, in a few words.
fn carries(frame: &http2::Frame) -> String {
    let end = if frame.ends_stream() {
        ", END_STREAM"
    } else {
        ""
    };
    match (
        &frame.kind,
        frame.header(":status"),
        frame.header("grpc-status"),
    ) {
        (FrameType::Headers, _, Some(status)) => format!("trailers: grpc-status {status}{end}"),
        (FrameType::Headers, Some(status), _) => format!(
            ":status {status}, {}",
            frame.header("content-type").unwrap_or("")
        ),
        (FrameType::Headers, None, None) => format!(
            "{} {}, te: {}",
            frame.header(":method").unwrap_or(""),
            frame.header("content-type").unwrap_or(""),
            frame.header("te").unwrap_or("")
        ),
        (FrameType::Data, _, _) if frame.data().is_empty() => format!("nothing{end}"),
        (FrameType::Data, _, _) => format!(
            "5-byte prefix + {} bytes of protobuf{end}",
            frame.data().len().saturating_sub(5)
        ),
        (other, _, _) => other.name(),
    }
}

/// Every span of a request, in the order they were sent.
pub fn spans(request: &ExportTraceServiceRequest) -> Vec<&Span> {
    request
        .resource_spans
        .iter()
        .flat_map(|r| &r.scope_spans)
        .flat_map(|s| &s.spans)
        .collect()
}

/// The first 4 bytes of an id, in hex, `-` for none.
pub fn short_id(id: &[u8]) -> String {
    if id.is_empty() {
        "-".into()
    } else {
        let hex: String = id.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("{hex}…")
    }
}

/// The name of a span kind (the protobuf enum's number).
pub fn kind(kind: i32) -> &'static str {
    match kind {
        1 => "INTERNAL",
        2 => "SERVER",
        3 => "CLIENT",
        4 => "PRODUCER",
        5 => "CONSUMER",
        _ => "UNSPECIFIED",
    }
}

/// `key=value` for a protobuf attribute.
pub fn attribute(kv: &ProtoKeyValue) -> String {
    let value = match kv.value.as_ref().and_then(|v: &AnyValue| v.value.as_ref()) {
        Some(any_value::Value::StringValue(s)) => s.clone(),
        Some(any_value::Value::IntValue(i)) => i.to_string(),
        Some(any_value::Value::BoolValue(b)) => b.to_string(),
        Some(any_value::Value::DoubleValue(d)) => d.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    };
    format!("{}={value}", kv.key)
}

/// The `otlp` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let run = export().await?;
    let first = run
        .on_wire
        .first()
        .ok_or_else(|| anyhow::anyhow!("no export crossed the proxy"))?;
    let mut t = Table::new(
        "The first export on the wire: one HTTP/2 stream",
        &["way", "frame", "bytes", "what it carries"],
    );
    for f in &first.frames {
        t.row([
            match f.dir {
                Direction::ToServer => "→",
                Direction::ToClient => "←",
            }
            .to_string(),
            f.kind.clone(),
            f.bytes.to_string(),
            f.carries.clone(),
        ]);
    }
    t.note(format!(":path {}", first.path));
    t.note(format!(
        "TCP connections for {} exports: {}",
        run.on_wire.len(),
        run.connections
    ));
    report.table(t);

    let request = run
        .received
        .first()
        .ok_or_else(|| anyhow::anyhow!("the receiver got nothing"))?;
    let resource: Vec<String> = request
        .resource_spans
        .iter()
        .filter_map(|r| r.resource.as_ref())
        .flat_map(|r| r.attributes.iter().map(attribute))
        .collect();
    let mut t = Table::new(
        "What the receiver decoded from the first export",
        &[
            "span",
            "kind",
            "span id",
            "parent id",
            "bytes",
            "attributes",
        ],
    );
    for span in spans(request) {
        for (i, kv) in span.attributes.iter().enumerate() {
            let first_line = i == 0;
            let cell = |text: String| if first_line { text } else { String::new() };
            t.row([
                cell(span.name.clone()),
                cell(kind(span.kind).to_string()),
                cell(short_id(&span.span_id)),
                cell(short_id(&span.parent_span_id)),
                cell(span.encoded_len().to_string()),
                attribute(kv),
            ]);
        }
    }
    t.note(format!(
        "resource: {}; both spans share trace id {}",
        resource.join(", "),
        short_id(&spans(request)[0].trace_id)
    ));
    t.note("bytes: the span's own protobuf encoding; ids are 8 bytes, trace ids 16");
    report.table(t);

    let mut t = Table::new(
        "What a span weighs as the batch grows",
        &[
            "spans",
            "protobuf bytes",
            "per span",
            "HTTP/2 bytes, both ways",
            "per span",
        ],
    );
    let mut per_span = Vec::new();
    for ((n, request), wire) in run.spans.iter().zip(&run.received).zip(&run.on_wire) {
        let bytes = request.encoded_len();
        per_span.push(bytes as f64 / *n as f64);
        t.row([
            n.to_string(),
            bytes.to_string(),
            format!("{:.1}", bytes as f64 / *n as f64),
            wire.wire_bytes().to_string(),
            format!("{:.1}", wire.wire_bytes() as f64 / *n as f64),
        ]);
    }
    t.note("protobuf bytes: ExportTraceServiceRequest; the resource and scope are sent once");
    report.table(t);
    report.value("spans", &run.spans);
    report.value("request_bytes_per_span", per_span);
    Ok(report)
}
