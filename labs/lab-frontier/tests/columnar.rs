//! Claims of "Columnar compression": bytes of the same payments, row-wise
//! protobuf + zstd against Arrow IPC + zstd, and that nothing is lost.

use lab_frontier::columnar::{columns, payments, read_columns, sizes};

#[test]
fn for_one_payment_arrow_ipc_costs_more_than_protobuf() {
    let s = sizes(1).unwrap();
    assert!(s.arrow_zstd > 5 * s.protobuf, "{s:?}");
}

#[test]
fn for_ten_thousand_payments_typed_columns_plus_zstd_are_under_half_of_rows_plus_zstd() {
    let s = sizes(10_000).unwrap();
    assert!(2 * s.typed_zstd < s.protobuf_zstd, "{s:?}");
    assert!(s.protobuf_zstd < s.protobuf, "{s:?}");
}

#[test]
fn arrow_ipc_with_zstd_alone_does_not_beat_protobuf_with_zstd_on_these_payments() {
    let s = sizes(10_000).unwrap();
    assert!(s.arrow_zstd > s.protobuf_zstd, "{s:?}");
    assert!(s.arrow_then_zstd > s.protobuf_zstd, "{s:?}");
}

#[test]
fn the_columnar_batch_reads_back_to_the_same_payments() {
    let batch = payments(1_000);
    let bytes = columns(&batch, true).unwrap();
    assert_eq!(read_columns(&bytes).unwrap(), batch);
}
