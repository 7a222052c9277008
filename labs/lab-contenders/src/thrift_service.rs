//! The `Payments` Thrift service: the handler over the ledger, a server
//! loop over TCP with the framed transport, and the bytes of a struct in
//! each protocol.
//!
//! Thrift's Rust library is synchronous (std sockets, one thread per
//! connection), so the scenario runs client and server on blocking threads.
//! The library's own `TServer` listens forever; this lab's loop serves a
//! given number of connections and returns, so a run leaves no thread
//! behind. A production server would use `TServer` with a worker pool.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol, TCompactOutputProtocol,
    TOutputProtocol, TSerializable,
};
use thrift::server::TProcessor;
use thrift::transport::{TFramedReadTransport, TFramedWriteTransport, TIoChannel, TTcpChannel};

use crate::ledger::{Ledger, Refusal};
use crate::thrift_gen::{
    Charge, ChargeRequest, PaymentsSyncClient, PaymentsSyncHandler, PaymentsSyncProcessor, Refused,
    TPaymentsSyncClient,
};

/// The charge of every chapter, as the generated struct.
pub fn request() -> ChargeRequest {
    let r = crate::ledger::request();
    ChargeRequest::new(r.amount_cents, r.currency)
}

/// The two protocols Thrift's Rust library ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Binary,
    Compact,
}

// ANCHOR: encode
/// `value` as `protocol` writes it: the bytes a Thrift peer would send.
pub fn encode(value: &impl TSerializable, protocol: Protocol) -> thrift::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match protocol {
        Protocol::Binary => {
            let mut out = TBinaryOutputProtocol::new(&mut bytes, true);
            value.write_to_out_protocol(&mut out)?;
            out.flush()?;
        }
        Protocol::Compact => {
            let mut out = TCompactOutputProtocol::new(&mut bytes);
            value.write_to_out_protocol(&mut out)?;
            out.flush()?;
        }
    }
    Ok(bytes)
}

/// Reads a `T` from `bytes` written by `protocol`.
pub fn decode<T: TSerializable>(bytes: &[u8], protocol: Protocol) -> thrift::Result<T> {
    let mut input = bytes;
    match protocol {
        Protocol::Binary => {
            T::read_from_in_protocol(&mut TBinaryInputProtocol::new(&mut input, true))
        }
        Protocol::Compact => T::read_from_in_protocol(&mut TCompactInputProtocol::new(&mut input)),
    }
}
// ANCHOR_END: encode

/// A `ChargeRequest` from an older or careless writer: field 1 only. The
/// compact protocol writes what it is given; only the reader checks.
pub fn request_without_currency() -> thrift::Result<Vec<u8>> {
    use thrift::protocol::{TFieldIdentifier, TStructIdentifier, TType};
    let mut bytes = Vec::new();
    let mut out = TCompactOutputProtocol::new(&mut bytes);
    out.write_struct_begin(&TStructIdentifier::new("ChargeRequest"))?;
    out.write_field_begin(&TFieldIdentifier::new("amount_cents", TType::I64, 1))?;
    out.write_i64(1_250)?;
    out.write_field_end()?;
    out.write_field_stop()?;
    out.write_struct_end()?;
    out.flush()?;
    Ok(bytes)
}

// ANCHOR: handler
/// The service's one method, over the ledger. A refusal is the IDL's
/// declared exception, so the client receives a `Refused`, not a crash.
pub struct Handler(pub Arc<Ledger>);

impl PaymentsSyncHandler for Handler {
    fn handle_charge(&self, request: ChargeRequest) -> thrift::Result<Charge> {
        let asked = domain::ChargeRequest {
            amount_cents: request.amount_cents,
            currency: request.currency,
        };
        match self.0.charge(&asked) {
            Ok(c) => Ok(Charge::new(c.charge_id, c.amount_cents, c.currency)),
            Err(refusal @ Refusal::Invalid(_)) => Err(thrift::Error::User(Box::new(Refused::new(
                refusal.to_string(),
            )))),
            Err(down) => Err(thrift::Error::Application(thrift::ApplicationError::new(
                thrift::ApplicationErrorKind::InternalError,
                down.to_string(),
            ))),
        }
    }
}
// ANCHOR_END: handler

// ANCHOR: serve
/// Serves `connections` connections one after the other, each with the
/// framed transport and the binary protocol, then returns.
pub fn serve(listener: TcpListener, ledger: Arc<Ledger>, connections: usize) -> thrift::Result<()> {
    let processor = PaymentsSyncProcessor::new(Handler(ledger));
    for stream in listener.incoming().take(connections) {
        let (read, write) = TTcpChannel::with_stream(stream?).split()?;
        let mut input = TBinaryInputProtocol::new(TFramedReadTransport::new(read), true);
        let mut output = TBinaryOutputProtocol::new(TFramedWriteTransport::new(write), true);
        // One call per loop; the client hanging up ends the connection.
        while processor.process(&mut input, &mut output).is_ok() {}
    }
    Ok(())
}

/// A client over the same framed transport and binary protocol.
pub fn client(addr: SocketAddr) -> thrift::Result<impl TPaymentsSyncClient> {
    let (read, write) = TTcpChannel::with_stream(TcpStream::connect(addr)?).split()?;
    Ok(PaymentsSyncClient::new(
        TBinaryInputProtocol::new(TFramedReadTransport::new(read), true),
        TBinaryOutputProtocol::new(TFramedWriteTransport::new(write), true),
    ))
}
// ANCHOR_END: serve
