//! Claims of "Columnar compression": bytes of the same payments, row-wise
//! protobuf + zstd against Arrow IPC + zstd, and that nothing is lost.

use lab_frontier::columnar::{columns, payments, read_columns, sizes};

#[test]
fn for_one_payment_arrow_ipc_costs_more_than_protobuf() {
    let s = sizes(1).unwrap();
    assert!(s.arrow_zstd > 5 * s.protobuf, "{s:?}");
}

#[test]
fn print_sizes() {
    for n in [1, 10, 100, 1000, 10_000] {
        eprintln!("{:?}", sizes(n).unwrap());
    }
    panic!();
}

#[test]
fn the_columnar_batch_reads_back_to_the_same_payments() {
    let batch = payments(1_000);
    let bytes = columns(&batch, true).unwrap();
    assert_eq!(read_columns(&bytes).unwrap(), batch);
}
