// The chapters' payment, as Thrift's interface definition language says it.
// Every field carries a number (its tag on the wire) and a requiredness.

// ANCHOR: idl
namespace rs payments

struct ChargeRequest {
  1: required i64 amount_cents,
  2: required string currency,
}

struct Charge {
  1: required string charge_id,
  2: required i64 amount_cents,
  3: required string currency,
}

// An error the service declares, so a client can tell it from a broken wire.
exception Refused {
  1: required string reason,
}

service Payments {
  Charge charge(1: ChargeRequest request) throws (1: Refused refused),
}
// ANCHOR_END: idl
