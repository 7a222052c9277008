//! Scenario `reflection`: a generic client that knows nothing of the schema.
//!
//! The server runs tonic-reflection (the `grpc.reflection.v1` service). This
//! client asks it which services exist, fetches the file that defines one,
//! builds a descriptor pool from it (prost-reflect), fills a request by field
//! *name* and calls the method with a codec for dynamic messages — what
//! grpcurl does, in about a hundred lines. Debian 12 does not package
//! grpcurl; the lab's own client stands in for it.

use std::str::FromStr;

use anyhow::{Context, anyhow, bail};
use futures::StreamExt;
use http::uri::PathAndQuery;
use labkit::cli::Scenario;
use labkit::report::{Report, Table};
use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, Value};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

use crate::Lab;
use crate::client;
use crate::server::{self, Options};

/// Asks the reflection service one question and returns its one answer.
async fn ask(channel: &Channel, request: MessageRequest) -> anyhow::Result<MessageResponse> {
    let mut client = ServerReflectionClient::new(channel.clone());
    let question = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    };
    let mut answers = client
        .server_reflection_info(futures::stream::iter([question]))
        .await
        .context("the server does not answer reflection requests; is reflection on?")?
        .into_inner();
    let answer = answers.next().await.context("no reflection answer")??;
    match answer.message_response {
        Some(MessageResponse::ErrorResponse(e)) => {
            bail!("reflection error {}: {}", e.error_code, e.error_message)
        }
        Some(other) => Ok(other),
        None => bail!("an empty reflection answer"),
    }
}

// ANCHOR: list
/// The services the server says it has.
pub async fn list_services(channel: &Channel) -> anyhow::Result<Vec<String>> {
    match ask(channel, MessageRequest::ListServices(String::new())).await? {
        MessageResponse::ListServicesResponse(list) => {
            Ok(list.service.into_iter().map(|s| s.name).collect())
        }
        _ => bail!("the answer to ListServices was not a service list"),
    }
}

/// A descriptor pool built from the file that defines `symbol`.
pub async fn pool_for(channel: &Channel, symbol: &str) -> anyhow::Result<DescriptorPool> {
    let files = match ask(channel, MessageRequest::FileContainingSymbol(symbol.into())).await? {
        MessageResponse::FileDescriptorResponse(f) => f.file_descriptor_proto,
        _ => bail!("the answer to FileContainingSymbol was not a file"),
    };
    let mut pool = DescriptorPool::new();
    for bytes in files {
        let file = prost_types::FileDescriptorProto::decode(&bytes[..])?;
        pool.add_file_descriptor_proto(file)?;
    }
    Ok(pool)
}
// ANCHOR_END: list

/// A codec for messages known only at run time.
#[derive(Clone)]
struct DynamicCodec(MessageDescriptor);

struct DynamicEncoder;
struct DynamicDecoder(MessageDescriptor);

impl Codec for DynamicCodec {
    type Encode = DynamicMessage;
    type Decode = DynamicMessage;
    type Encoder = DynamicEncoder;
    type Decoder = DynamicDecoder;
    fn encoder(&mut self) -> DynamicEncoder {
        DynamicEncoder
    }
    fn decoder(&mut self) -> DynamicDecoder {
        DynamicDecoder(self.0.clone())
    }
}

impl Encoder for DynamicEncoder {
    type Item = DynamicMessage;
    type Error = tonic::Status;
    fn encode(
        &mut self,
        item: DynamicMessage,
        dst: &mut EncodeBuf<'_>,
    ) -> Result<(), tonic::Status> {
        item.encode(dst)
            .map_err(|e| tonic::Status::internal(e.to_string()))
    }
}

impl Decoder for DynamicDecoder {
    type Item = DynamicMessage;
    type Error = tonic::Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<DynamicMessage>, tonic::Status> {
        DynamicMessage::decode(self.0.clone(), src)
            .map(Some)
            .map_err(|e| tonic::Status::internal(e.to_string()))
    }
}

// ANCHOR: call
/// Calls unary method `service/method` with fields set by name, using only
/// what reflection told us; returns the answer's fields as `name = value`.
pub async fn call(
    channel: &Channel,
    service: &str,
    method: &str,
    fields: &[(&str, Value)],
) -> anyhow::Result<Vec<(String, String)>> {
    let pool = pool_for(channel, service).await?;
    let svc = pool
        .get_service_by_name(service)
        .ok_or_else(|| anyhow!("no service {service}"))?;
    let m = svc
        .methods()
        .find(|m| m.name() == method)
        .ok_or_else(|| anyhow!("{service} has no method {method}"))?;
    // ANCHOR: dynamic_call
    let mut request = DynamicMessage::new(m.input());
    for (name, value) in fields {
        request
            .try_set_field_by_name(name, value.clone())
            .map_err(|e| anyhow!("field {name}: {e}"))?;
    }
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await?;
    let path = PathAndQuery::from_str(&format!("/{service}/{method}"))?;
    let answer = grpc
        .unary(tonic::Request::new(request), path, DynamicCodec(m.output()))
        .await?
        .into_inner();
    // ANCHOR_END: dynamic_call
    Ok(answer
        .fields()
        .map(|(f, v)| (f.name().to_string(), format!("{v:?}")))
        .collect())
}
// ANCHOR_END: call

/// What the generic client found and got back.
#[derive(Debug, Clone)]
pub struct Found {
    pub services: Vec<String>,
    pub methods: Vec<String>,
    pub answer: Vec<(String, String)>,
}

/// Lists, describes and calls the lab's service by reflection only.
pub async fn explore() -> anyhow::Result<Found> {
    let server = server::spawn(Options {
        reflection: true,
        ..Options::default()
    })
    .await?;
    let channel = client::channel(server.addr).await?;
    let services = list_services(&channel).await?;
    let pool = pool_for(&channel, "payments.PaymentService").await?;
    let methods = pool
        .get_service_by_name("payments.PaymentService")
        .map(|s| s.methods().map(|m| m.name().to_string()).collect())
        .unwrap_or_default();
    let answer = call(
        &channel,
        "payments.PaymentService",
        "Charge",
        &[
            ("idempotency_key", Value::String("reflected-1".into())),
            ("amount_cents", Value::I64(4200)),
            ("currency", Value::String("EUR".into())),
        ],
    )
    .await?;
    Ok(Found {
        services,
        methods,
        answer,
    })
}

/// The scenario, as `cargo run -p lab-grpc -- reflection` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "reflection",
    "a generic client that learns the schema from the server and calls it",
    "the call is made without any generated code",
);

/// The `reflection` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let found = explore().await?;
    let mut table = Table::new(
        "What a client with no generated code learned by reflection",
        &["question", "answer"],
    );
    table.row(["services".to_string(), found.services.join(", ")]);
    table.row(["methods".to_string(), found.methods.join(", ")]);
    table.row([
        "Charge answered".to_string(),
        found
            .answer
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", "),
    ]);
    table.note("methods: those of payments.PaymentService; Charge was called with {amount_cents: 4200, currency: EUR}, a message built from the descriptor alone");
    let mut report = Report::new(crate::LAB, "reflection");
    report.table(table);
    Ok(report)
}
