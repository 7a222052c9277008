//! The acknowledge-and-resend layer (being written).
