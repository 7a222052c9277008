# A bank as Cap'n Proto interfaces: each call hands back the next object, so
# reading a balance is a chain of three dependent calls.
@0x80790328e7c9e8c3;

interface Bank {
  customer @0 (id :UInt64) -> (customer :Customer);
}

interface Customer {
  account @0 () -> (account :Account);
  # The same account, through an object that refuses deposits.
  readOnly @1 () -> (account :Account);
  # The same account, lent: it works until someone calls the lease's revoke.
  lend @2 () -> (account :Account, lease :Lease);
}

interface Lease {
  revoke @0 () -> ();
}

interface Account {
  balance @0 () -> (cents :Int64);
  deposit @1 (cents :Int64) -> (cents :Int64);
}
