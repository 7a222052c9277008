//! Scenario `avro`: records written with one schema and read with another
//! (a field added with a default, a field removed, changes refused), the
//! object container file that carries its schema, and a record's size with
//! no field tags against protobuf's.

use apache_avro::reader::datum::GenericDatumReader;
use apache_avro::types::Value;
use apache_avro::writer::datum::GenericDatumWriter;
use apache_avro::{Reader, Schema, Writer};
use labkit::cli::Scenario;
use labkit::report::{Report, Table};

use crate::{LAB, Lab};

/// The scenario, as `cargo run -p lab-contenders -- avro` runs it.
pub const SCENARIO: Scenario = Scenario::tour(
    "avro",
    "Avro: old records read with a newer schema, changes refused, a file that carries its schema",
    "the bytes hold no field names or tags: the reader needs the writer's schema to read them",
);

// ANCHOR: schemas
/// The charge as version 1 of the service writes it.
pub const V1: &str = include_str!("../schema/charge-v1.avsc");
/// Version 2 adds `method`, with a default for records that lack it.
pub const V2: &str = include_str!("../schema/charge-v2.avsc");
// ANCHOR_END: schemas

/// A reader that dropped `currency`: the writer's value is skipped.
pub const WITHOUT_CURRENCY: &str = r#"{"type":"record","name":"Charge","namespace":"payments",
  "fields":[{"name":"charge_id","type":"string"},{"name":"amount_cents","type":"long"}]}"#;

/// A reader that added `customer` with no default: nothing to fill it with.
pub const ADDED_WITHOUT_DEFAULT: &str = r#"{"type":"record","name":"Charge","namespace":"payments",
  "fields":[{"name":"customer","type":"string"},{"name":"currency","type":"string"},
  {"name":"amount_cents","type":"long"},{"name":"charge_id","type":"string"}]}"#;

/// A reader that made `amount_cents` a string: no promotion leads there.
pub const RETYPED: &str = r#"{"type":"record","name":"Charge","namespace":"payments",
  "fields":[{"name":"currency","type":"string"},{"name":"charge_id","type":"string"},
  {"name":"amount_cents","type":"string"}]}"#;

/// The chapters' charge `n` as an Avro record of schema [`V1`].
pub fn charge_record(n: u64) -> Value {
    let c = domain::Charge {
        charge_id: format!("ch_{n:010}"),
        amount_cents: 1_250,
        currency: "EUR".into(),
    };
    Value::Record(vec![
        ("charge_id".into(), Value::String(c.charge_id)),
        ("amount_cents".into(), Value::Long(c.amount_cents)),
        ("currency".into(), Value::String(c.currency)),
    ])
}

/// `value` alone, as `schema` encodes it: no header, no schema, no tags.
pub fn datum(schema: &Schema, value: Value) -> anyhow::Result<Vec<u8>> {
    Ok(GenericDatumWriter::builder(schema)
        .build()?
        .write_value_to_vec(value)?)
}

// ANCHOR: resolve
/// Writes charge 7 with [`V1`] and reads it back with `reader`: the
/// record as the reader sees it, or the library's refusal.
pub fn read_v1_with(reader: &str) -> anyhow::Result<Result<Value, String>> {
    let writer_schema = Schema::parse_str(V1)?;
    let reader_schema = Schema::parse_str(reader)?;
    let bytes = datum(&writer_schema, charge_record(7))?;
    let read = GenericDatumReader::builder(&writer_schema)
        .reader_schema(&reader_schema)
        .build()
        .and_then(|reader| reader.read_value(&mut &bytes[..]));
    Ok(read.map_err(|e| e.to_string()))
}
// ANCHOR_END: resolve

/// The field names and values of a record, as `name=value` pairs.
pub fn fields(value: &Value) -> Vec<String> {
    match value {
        Value::Record(fields) => fields
            .iter()
            .map(|(name, v)| match v {
                Value::String(s) => format!("{name}={s}"),
                Value::Long(n) => format!("{name}={n}"),
                other => format!("{name}={other:?}"),
            })
            .collect(),
        other => vec![format!("{other:?}")],
    }
}

/// An object container file of `records` charges, and what a reader with
/// no schema of its own finds in it.
#[derive(Debug, Clone)]
pub struct ContainerFile {
    pub bytes: Vec<u8>,
    pub records_read: usize,
    /// The schema the file carries, as the reader parsed it.
    pub embedded_schema: String,
    /// The bytes of one record alone, for comparison.
    pub one_record: usize,
}

// ANCHOR: container
/// Writes `records` charges into an object container file in memory, then
/// reads it back with no schema but the one the file carries.
pub fn container_file(records: u64) -> anyhow::Result<ContainerFile> {
    let schema = Schema::parse_str(V1)?;
    let mut writer = Writer::new(&schema, Vec::new())?;
    for n in 0..records {
        writer.append_value(charge_record(n))?;
    }
    let bytes = writer.into_inner()?;
    let reader = Reader::new(&bytes[..])?;
    let embedded_schema = reader.writer_schema().canonical_form();
    let records_read = reader.filter(Result::is_ok).count();
    let one_record = datum(&schema, charge_record(7))?.len();
    Ok(ContainerFile {
        bytes,
        records_read,
        embedded_schema,
        one_record,
    })
}
// ANCHOR_END: container

/// The bytes of charge 7 in Avro and in protobuf (`crate::pb::Charge`).
pub fn sizes() -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let avro = datum(&Schema::parse_str(V1)?, charge_record(7))?;
    let pb = prost::Message::encode_to_vec(&crate::pb::Charge {
        charge_id: "ch_0000000007".into(),
        amount_cents: 1_250,
        currency: "EUR".into(),
    });
    Ok((avro, pb))
}

/// The `avro` scenario.
pub async fn run(_lab: &Lab) -> anyhow::Result<Report> {
    let mut report = Report::new(LAB, SCENARIO.name);
    let mut t = Table::new(
        "A charge written with v1, read with another schema",
        &["reader's schema", "what the reader gets"],
    );
    for (label, reader) in [
        ("v1 (the writer's own)", V1),
        ("v2: adds method, default \"card\"", V2),
        ("drops currency", WITHOUT_CURRENCY),
        ("adds customer, no default", ADDED_WITHOUT_DEFAULT),
        ("amount_cents long -> string", RETYPED),
    ] {
        let shown = match read_v1_with(reader)? {
            Ok(v) => fields(&v).join(" "),
            Err(e) => format!("refused: {e}"),
        };
        t.row([label.to_string(), shown]);
    }
    report.table(t);

    let file = container_file(100)?;
    let mut t = Table::new(
        "An object container file of 100 charges",
        &["what", "value"],
    );
    t.row([
        "first four bytes",
        &format!("{:?}", String::from_utf8_lossy(&file.bytes[..4])),
    ]);
    t.row(["file size, bytes", &file.bytes.len().to_string()]);
    t.row(["one record alone, bytes", &file.one_record.to_string()]);
    t.row([
        "records read with no schema given",
        &file.records_read.to_string(),
    ]);
    t.row(["schema found in the file", &file.embedded_schema]);
    report.table(t);

    let (avro, pb) = sizes()?;
    let mut t = Table::new("Charge 7, one record", &["encoding", "bytes", "hex"]);
    t.row(["Avro", &avro.len().to_string(), &crate::thrift::hex(&avro)]);
    t.row(["protobuf", &pb.len().to_string(), &crate::thrift::hex(&pb)]);
    t.note(
        "protobuf spends one tag byte per field; Avro writes the fields in schema order, untagged",
    );
    report.table(t);
    report.value("avro_bytes", avro.len());
    report.value("protobuf_bytes", pb.len());
    report.value("container_bytes", file.bytes.len());
    Ok(report)
}
