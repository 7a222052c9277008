//! Wrong: gives the long field a default written as a string, "0", which is not a long.
//!
//! A known-wrong answer to `contenders-avro-evolve`, which the grading tests
//! must refuse (`cargo exercises verify` checks that they do).

pub fn v3_schema() -> &'static str {
    r#"{
      "type": "record",
      "name": "Charge",
      "namespace": "payments",
      "fields": [
        {"name": "charge_id", "type": "string"},
        {"name": "amount_cents", "type": "long", "doc": "in cents, or the currency's smallest unit"},
        {"name": "currency", "type": "string"},
        {"name": "refunded_cents", "type": "long", "default": "0"}
      ]
    }"#
}
