//! Plumbing the exercises and their grading tests share. Connecting, fresh
//! names, reading a queue empty and a queue's depth are the lab's own helpers
//! ([`lab_amqp::support`]), so the exercises and Chapter 5's lab behave
//! alike. Nothing to edit here.

pub use lab_amqp::support::{connect, drain, queue_depth as depth, unique};

/// One message for the `amqp-failover` publisher: an id that stays the same
/// however often it is sent, and a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub body: String,
}
