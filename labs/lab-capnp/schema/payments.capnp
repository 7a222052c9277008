# The book's payment messages in Cap'n Proto, the same shapes the `domain`
# crate gives every chapter as serde types.
@0xadbdc41679ce48bf;

struct Reading {
  sensorId @0 :Text;
  celsius @1 :Float64;
  humidityPercent @2 :UInt8;
  takenAtMs @3 :UInt64;
}

struct Charge {
  chargeId @0 :Text;
  amountCents @1 :Int64;
  currency @2 :Text;
}

struct Ledger {
  charges @0 :List(Charge);
}
