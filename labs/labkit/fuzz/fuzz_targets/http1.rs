//! HTTP/1.1 requests and responses (also after a HEAD), and a lone response head.
#![no_main]
use labkit::wire::{Decoder, http1};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    labkit_fuzz::check(&http1::Requests.decode(data), data.len());
    labkit_fuzz::check(&http1::Responses.decode(data), data.len());
    labkit_fuzz::check(
        &http1::parse_responses_to(data, &["HEAD", "GET", "CONNECT"]),
        data.len(),
    );
    let _ = http1::response_head(data);
});
