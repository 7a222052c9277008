//! domain: the book's running example, the few types every chapter sends.
//!
//! They are deliberately ordinary: a sensor reading, an event, a payment
//! charge, a product page. Chapter 1 sends them as JSON over HTTP/1.1; later
//! chapters send the same shapes over gRPC, WebSockets, MQTT, AMQP and the
//! rest, so their sizes and costs can be compared with Chapter 1's.
//!
//! This crate depends on serde alone, so any lab can use it without pulling
//! in a web server. Changing a type here changes the bytes every chapter
//! measures: the book's recorded numbers would have to be regenerated.

use serde::{Deserialize, Serialize};

/// One temperature reading from a sensor: the running example of the book.
// ANCHOR: reading
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub sensor_id: String,
    pub celsius: f64,
    pub humidity_percent: u8,
    pub taken_at_ms: u64,
}
// ANCHOR_END: reading

impl Reading {
    /// A reading with realistic values, different for each `n`.
    pub fn sample(n: u64) -> Reading {
        Reading {
            sensor_id: format!("greenhouse-{}", n % 16),
            celsius: 18.0 + (n % 70) as f64 / 10.0,
            humidity_percent: (40 + n % 50) as u8,
            taken_at_ms: 1_764_000_000_000 + n * 1_000,
        }
    }
}

/// Something that happened on the server, which clients want to hear about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Increasing from 1; a client asks for the events after the last id it saw.
    pub id: u64,
    pub kind: String,
    /// When the server published it, in microseconds since the Unix epoch,
    /// so a client on the same machine can compute the delivery delay.
    pub published_at_us: u64,
}

/// The body of `POST /charges`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeRequest {
    pub amount_cents: i64,
    pub currency: String,
}

/// What `POST /charges` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charge {
    pub charge_id: String,
    pub amount_cents: i64,
    pub currency: String,
}

/// A product page: large enough that re-sending it unchanged is a waste.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: u64,
    pub name: String,
    pub price_cents: i64,
    pub description: String,
    pub revision: u64,
}

impl Product {
    /// The lab's product 42, with a description of about 2 KB.
    pub fn sample(id: u64, revision: u64) -> Product {
        Product {
            id,
            name: format!("Soil moisture probe, model {id}"),
            price_cents: 2_499,
            description: "A stainless probe that reports volumetric water content every minute. "
                .repeat(30),
            revision,
        }
    }
}

/// Microseconds since the Unix epoch, for delivery-delay measurements.
pub fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}
