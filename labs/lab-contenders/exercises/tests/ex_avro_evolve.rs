//! Grading tests for `contenders-avro-evolve`.

use apache_avro::Schema;
use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::types::Value;
use lab_contenders::avro::{V1, charge_record, datum};
use lab_contenders_exercises::avro_evolve::v3_schema;
use labkit::grade::{expect, expect_eq, expect_ok};

fn read(writer: &Schema, reader: &Schema, bytes: &[u8]) -> Result<Value, String> {
    GenericDatumReader::builder(writer)
        .reader_schema(reader)
        .build()
        .and_then(|r| r.read_value(&mut &bytes[..]))
        .map_err(|e| e.to_string())
}

fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    match value {
        Value::Record(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
        _ => None,
    }
}

#[test]
fn a_v3_reader_reads_what_v1_wrote() {
    let v1 = Schema::parse_str(V1).unwrap();
    let v3 = expect_ok(
        Schema::parse_str(v3_schema()),
        "your v3 schema parses as an Avro schema",
    );
    let bytes = datum(&v1, charge_record(7)).unwrap();
    let read = expect_ok(
        read(&v1, &v3, &bytes),
        "a v3 reader reads a charge written with v1",
    );
    expect_eq(
        field(&read, "refunded_cents"),
        Some(&Value::Long(0)),
        "a v1 charge reads with refunded_cents 0",
    );
    expect_eq(
        field(&read, "currency"),
        Some(&Value::String("EUR".into())),
        "the v1 charge's currency survives the reading",
    );
    expect_eq(
        field(&read, "amount_cents"),
        Some(&Value::Long(1_250)),
        "the v1 charge's amount survives the reading",
    );
}

#[test]
fn a_v1_reader_reads_what_v3_writes() {
    let v1 = Schema::parse_str(V1).unwrap();
    let v3 = expect_ok(
        Schema::parse_str(v3_schema()),
        "your v3 schema parses as an Avro schema",
    );
    let record = Value::Record(vec![
        ("charge_id".into(), Value::String("ch_0000000009".into())),
        ("amount_cents".into(), Value::Long(900)),
        ("currency".into(), Value::String("EUR".into())),
        ("refunded_cents".into(), Value::Long(100)),
    ]);
    let bytes = datum(&v3, record);
    expect(
        bytes.is_ok(),
        "a v3 charge with all four fields can be written with your schema",
        &bytes,
    );
    let read = expect_ok(
        read(&v3, &v1, &bytes.unwrap()),
        "a v1 reader reads a charge written with v3",
    );
    expect_eq(
        field(&read, "amount_cents"),
        Some(&Value::Long(900)),
        "the v1 reader sees v3's amount",
    );
}
