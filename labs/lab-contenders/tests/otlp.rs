//! OTLP/gRPC, from opentelemetry-otlp's real exporter to a tonic receiver
//! built on opentelemetry-proto: what the chapter's OTLP page says about the
//! wire, the decoded spans and what a span weighs.

use lab_contenders::otlp::{self, BATCHES, EXPORT_PATH};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;

#[tokio::test]
async fn an_export_is_a_grpc_call_on_one_http2_connection() {
    let run = otlp::export().await.unwrap();
    assert_eq!(run.received.len(), BATCHES.len(), "one export per flush");
    assert_eq!(
        run.on_wire.len(),
        BATCHES.len(),
        "one HTTP/2 stream per export"
    );
    assert_eq!(run.connections, 1);
    for call in &run.on_wire {
        assert_eq!(call.path, EXPORT_PATH);
        assert_eq!(call.content_type, "application/grpc");
        assert_eq!(call.te, "trailers");
        assert_eq!(call.grpc_status, "0");
    }
}

#[tokio::test]
async fn the_grpc_message_is_the_protobuf_request_the_receiver_decoded() {
    let run = otlp::export().await.unwrap();
    for (call, request) in run.on_wire.iter().zip(&run.received) {
        let (prefix, protobuf) = call.message.split_at(5);
        assert_eq!(prefix[0], 0, "not compressed");
        let length = u32::from_be_bytes([prefix[1], prefix[2], prefix[3], prefix[4]]);
        assert_eq!(length as usize, protobuf.len());
        assert_eq!(protobuf.len(), request.encoded_len());
        let decoded = ExportTraceServiceRequest::decode(protobuf).unwrap();
        assert_eq!(&decoded, request);
    }
}

#[tokio::test]
async fn the_receiver_sees_names_attributes_and_the_parent_id() {
    let run = otlp::export().await.unwrap();
    let first = &run.received[0];
    let resource: Vec<String> = first.resource_spans[0]
        .resource
        .as_ref()
        .unwrap()
        .attributes
        .iter()
        .map(otlp::attribute)
        .collect();
    assert!(resource.contains(&"service.name=lab-contenders".to_string()));
    let spans = otlp::spans(first);
    let names: Vec<&str> = spans.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ledger.insert", "charge"], "the child ends first");
    let (child, parent) = (spans[0], spans[1]);
    assert_eq!(child.parent_span_id, parent.span_id);
    assert!(
        parent.parent_span_id.is_empty(),
        "the charge is a root span"
    );
    assert_eq!(child.trace_id, parent.trace_id);
    assert_eq!((child.trace_id.len(), child.span_id.len()), (16, 8));
    let attributes: Vec<String> = parent.attributes.iter().map(otlp::attribute).collect();
    assert_eq!(
        attributes,
        ["payment.amount_cents=1250", "payment.currency=EUR"]
    );
    assert_eq!(
        child
            .attributes
            .iter()
            .map(otlp::attribute)
            .collect::<Vec<_>>(),
        ["charge.id=ch_0000000001"]
    );
    // Every later export holds two spans per charge.
    for (request, charges) in run.received.iter().zip(BATCHES) {
        assert_eq!(otlp::spans(request).len(), 2 * charges);
    }
}

#[tokio::test]
async fn the_request_costs_less_per_span_as_the_batch_grows() {
    let run = otlp::export().await.unwrap();
    let per_span: Vec<f64> = run
        .received
        .iter()
        .map(|r| r.encoded_len() as f64 / otlp::spans(r).len() as f64)
        .collect();
    for pair in per_span.windows(2) {
        assert!(pair[1] < pair[0], "{per_span:?}");
    }
    // What is left per span in the biggest batch is the spans themselves.
    let last = run.received.last().unwrap();
    let spans: usize = otlp::spans(last)
        .iter()
        .map(|s| s.encoded_len())
        .sum::<usize>();
    assert!(last.encoded_len() > spans);
    assert!(
        (last.encoded_len() - spans) as f64 / (otlp::spans(last).len() as f64) < 5.0,
        "envelope per span: {} bytes for {} spans of {spans} bytes",
        last.encoded_len() - spans,
        otlp::spans(last).len()
    );
}
