//! The lab's server keeps HTTP's rules over both versions: things a reader
//! would not see in the chapter's tables, but a real client relies on.

use lab_rest::baseline;
use reqwest::header::{CONTENT_LENGTH, ETAG, IF_NONE_MATCH};

/// GET then conditional GET and conditional HEAD of product 42 with `http`.
async fn revalidations(http: &reqwest::Client, base: &str) -> (usize, Vec<(u16, Option<String>)>) {
    let url = format!("{base}/products/42");
    let first = http.get(&url).send().await.unwrap();
    let etag = first.headers()[ETAG].clone();
    let full_length = first.bytes().await.unwrap().len();
    assert!(full_length > 1_000, "the page itself: {full_length} bytes");
    let mut seen = Vec::new();
    for request in [http.get(&url), http.head(&url)] {
        let answer = request
            .header(IF_NONE_MATCH, etag.clone())
            .send()
            .await
            .unwrap();
        let length = answer
            .headers()
            .get(CONTENT_LENGTH)
            .map(|v| v.to_str().unwrap().to_string());
        seen.push((answer.status().as_u16(), length));
    }
    (full_length, seen)
}

#[tokio::test]
async fn a_304_never_states_a_length_other_than_the_pages() {
    let server = baseline::start().await.unwrap();
    let base = format!("http://{}", server.addr());
    let h1 = reqwest::Client::builder().http1_only().build().unwrap();
    let h2 = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    for (version, http) in [("HTTP/1.1", h1), ("HTTP/2", h2)] {
        let (full_length, seen) = revalidations(&http, &base).await;
        assert_eq!(seen.len(), 2);
        for (status, length) in seen {
            assert_eq!(status, 304, "{version}: the revalidation is answered 304");
            // RFC 9110 §8.6: a 304's content-length, if sent, must be the
            // length of the 200 answer, never the 0 of its empty body.
            if let Some(length) = length {
                assert_eq!(
                    length,
                    full_length.to_string(),
                    "{version}: a 304's content-length states the page's length"
                );
            }
        }
    }
}
