# Later versions of `Charge` (schema/payments.capnp), for the `evolution`
# scenario. Each struct stands for the same message as another program's
# build would declare it; the ordinals (@N) are what must agree.
@0xbe007c2b4f71c748;

# ANCHOR: versions
# Version 2: two fields added at the end, as the rules allow.
struct ChargeV2 {
  chargeId @0 :Text;
  amountCents @1 :Int64;
  currency @2 :Text;
  note @3 :Text;
  feeCents @4 :Int64 = 25;
}

# A mistake: `amountCents` changed from Int64 to Float64 at the same ordinal.
struct ChargeRetyped {
  chargeId @0 :Text;
  amountCents @1 :Float64;
  currency @2 :Text;
}

# A mistake: the two text fields renumbered, so each takes the other's slot.
struct ChargeRenumbered {
  chargeId @2 :Text;
  amountCents @1 :Int64;
  currency @0 :Text;
}
# ANCHOR_END: versions
