//! `contenders-avro-evolve`: version 3 of the charge's Avro schema.

// ANCHOR: starter
/// Version 3 of the charge: version 1's three fields and `refunded_cents`,
/// a long, so that a v3 reader reads every record v1 ever wrote (they hold
/// no refund: read it as 0) and a v1 reader still reads v3's records.
pub fn v3_schema() -> &'static str {
    r#"{
      "type": "record",
      "name": "Charge",
      "namespace": "payments",
      "fields": [
        {"name": "charge_id", "type": "string"},
        {"name": "amount_cents", "type": "long", "doc": "in cents, or the currency's smallest unit"},
        {"name": "currency", "type": "string"},
        {"name": "refunded_cents", "type": "long", "default": 0}
      ]
    }"#
}
// ANCHOR_END: starter
