//! The claims of Chapter 8's Thrift, Avro, Twirp, JSON-RPC and XML-RPC
//! pages, each checked against the real library or server, in one binary.

use lab_contenders::thrift_service::{self, Protocol};
use lab_contenders::{avro, jsonrpc, thrift, twirp, xmlrpc};

#[test]
fn thrift_compact_is_smaller_than_binary_for_the_same_struct() {
    let request = thrift_service::request();
    let binary = thrift_service::encode(&request, Protocol::Binary).unwrap();
    let compact = thrift_service::encode(&request, Protocol::Compact).unwrap();
    assert_eq!(binary.len(), 22, "binary: {}", thrift::hex(&binary));
    assert_eq!(compact.len(), 9, "compact: {}", thrift::hex(&compact));
    let back: lab_contenders::thrift_gen::ChargeRequest =
        thrift_service::decode(&compact, Protocol::Compact).unwrap();
    assert_eq!(back, request, "compact decodes to the same struct");
}

#[tokio::test]
async fn thrift_framed_transport_sends_each_call_as_one_length_prefixed_frame() {
    let run = thrift::service().await.unwrap();
    assert_eq!(run.connections, 1);
    assert_eq!(run.charged.len(), 3);
    assert_eq!(run.frames.len(), 4, "three charges and one refused call");
    for (len, body) in &run.frames {
        assert_eq!(*len as usize, *body, "the prefix is the frame's length");
    }
    let framed: u64 = run.frames.iter().map(|(l, _)| 4 + u64::from(*l)).sum();
    assert_eq!(
        framed, run.bytes_to_server,
        "nothing but frames on the wire"
    );
    assert!(
        run.refused.contains("amount_cents must be positive"),
        "{}",
        run.refused
    );
}

#[test]
fn thrift_missing_required_field_is_a_decode_error() {
    let error = thrift::missing_field_error().unwrap();
    assert!(
        error.contains("missing required field ChargeRequest.currency"),
        "{error}"
    );
}

#[test]
fn avro_newer_reader_fills_an_added_field_from_its_default() {
    let read = avro::read_v1_with(avro::V2).unwrap().unwrap();
    assert!(avro::fields(&read).contains(&"method=card".to_string()));
}

#[test]
fn avro_reader_without_a_field_skips_the_writers_value() {
    let read = avro::read_v1_with(avro::WITHOUT_CURRENCY).unwrap().unwrap();
    let fields = avro::fields(&read);
    assert_eq!(fields, ["charge_id=ch_0000000007", "amount_cents=1250"]);
}

#[test]
fn avro_refuses_an_added_field_without_default_and_a_retyped_field() {
    let missing = avro::read_v1_with(avro::ADDED_WITHOUT_DEFAULT).unwrap();
    assert!(
        missing.as_ref().is_err_and(|e| e.contains("customer")),
        "{missing:?}"
    );
    let retyped = avro::read_v1_with(avro::RETYPED).unwrap();
    assert!(retyped.is_err(), "long read as string: {retyped:?}");
}

#[test]
fn avro_container_file_carries_its_schema() {
    let file = avro::container_file(100).unwrap();
    assert_eq!(&file.bytes[..4], b"Obj\x01");
    assert_eq!(file.records_read, 100, "read back with no schema given");
    assert!(file.embedded_schema.contains("amount_cents"));
}

#[test]
fn avro_record_is_smaller_than_protobuf_without_field_tags() {
    let (avro, pb) = avro::sizes().unwrap();
    assert_eq!((avro.len(), pb.len()), (20, 23));
}

#[tokio::test]
async fn twirp_serves_protobuf_and_json_on_the_same_route() {
    let pb = twirp::protobuf_call().await.unwrap();
    assert_eq!(
        (pb.status, pb.content_type.as_str()),
        (200, "application/protobuf")
    );
    let (json, _) = twirp::json_call(r#"{"amount_cents":1250,"currency":"EUR"}"#)
        .await
        .unwrap();
    assert_eq!(
        (json.status, json.content_type.as_str()),
        (200, "application/json")
    );
    assert!(
        json.body.contains(r#""charge_id":"ch_0000000001""#),
        "{}",
        json.body
    );
}

#[tokio::test]
async fn twirp_error_is_a_json_body_with_a_code() {
    let (refused, _) = twirp::json_call(r#"{"amount_cents":-5,"currency":"EUR"}"#)
        .await
        .unwrap();
    assert_eq!(refused.status, 400);
    let body: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(body["code"], "invalid_argument");
}

#[tokio::test]
async fn twirp_calls_spread_over_backends_behind_a_tcp_balancer() {
    let spread = twirp::through_balancer(4, 5).await.unwrap();
    assert_eq!(spread.per_backend.iter().sum::<usize>(), 20);
    assert!(spread.per_backend.iter().all(|&n| n > 0), "{spread:?}");
}

#[tokio::test]
async fn jsonrpc_produces_each_standard_error_code() {
    let (exchanges, _) = jsonrpc::exchanges().await.unwrap();
    let codes: Vec<i64> = exchanges.iter().flat_map(|e| e.error_codes()).collect();
    for code in [-32700, -32600, -32601, -32602, -32603] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[tokio::test]
async fn jsonrpc_notification_is_done_but_never_answered() {
    let (exchanges, charges) = jsonrpc::exchanges().await.unwrap();
    let notification = &exchanges[1];
    assert_eq!(
        (notification.status, &notification.response),
        (204, &serde_json::Value::Null)
    );
    assert_eq!(
        charges, 4,
        "the call, the notification and two charges in the batch"
    );
}

#[tokio::test]
async fn jsonrpc_batch_answers_each_call_but_the_notification() {
    let (exchanges, _) = jsonrpc::exchanges().await.unwrap();
    let batch = exchanges[2].response.as_array().unwrap();
    assert_eq!(batch.len(), 4, "five calls, one of them a notification");
    assert!(batch[0]["result"]["charge_id"].is_string());
    assert_eq!(exchanges[2].error_codes(), [-32601, -32602, -32600]);
}

#[tokio::test]
async fn jsonrpc_over_one_websocket_costs_fewer_bytes_per_call_than_http() {
    let ws = jsonrpc::over_websocket(20).await.unwrap();
    assert_eq!((ws.answers, ws.ws_connections), (20, 1));
    assert!(ws.ws_bytes_per_call < ws.http_bytes_per_call, "{ws:?}");
}

#[tokio::test]
async fn xmlrpc_call_costs_more_bytes_than_jsonrpc() {
    let (xml, json, answer) = xmlrpc::both().await.unwrap();
    assert!(answer.contains("<name>charge_id</name>"), "{answer}");
    assert!(xml.request > json.request && xml.response > json.response);
    assert!(xmlrpc::CALL.len() > 3 * xmlrpc::JSON_CALL.len());
}
