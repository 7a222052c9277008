//! Grading tests for `rest-etag`.

use lab_rest_exercises::support;
use labkit::grade::{expect, expect_eq, expect_ok};
use labkit::wire::{Direction, Proxy, http1};
use reqwest::StatusCode;

/// One answer to `GET /article`: its status, its ETag and its body.
struct Answer {
    status: StatusCode,
    etag: Option<String>,
    body: Vec<u8>,
}

async fn get(http: &reqwest::Client, url: &str, if_none_match: Option<&str>) -> Answer {
    let mut request = http.get(url);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let answer = request.send().await.expect("the exercise server answers");
    let status = answer.status();
    let etag = answer
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap_or("").to_string());
    let body = answer.bytes().await.expect("a readable body").to_vec();
    Answer { status, etag, body }
}

/// The article's revision, read from a 200's body: the body must be the
/// article itself, not just some bytes.
fn revision(body: &[u8], when: &str) -> u64 {
    let article: serde_json::Value = expect_ok(
        serde_json::from_slice(body),
        &format!("{when}, the body is the article as JSON"),
    );
    expect_eq(
        article["title"].as_str(),
        Some("Greenhouse report"),
        &format!("{when}, the body is the article (its title)"),
    );
    article["revision"].as_u64().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn revalidation_is_answered_304_without_a_body() {
    let server = support::serve(support::etag_app()).await;
    let proxy = Proxy::start(server).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("http://{}/article", proxy.addr());

    let first = get(&http, &url, None).await;
    expect_eq(
        first.status,
        StatusCode::OK,
        "the first GET is answered 200 with the article",
    );
    expect_eq(
        revision(&first.body, "on the first GET"),
        0,
        "the first GET carries the article as it is (revision 0)",
    );
    let Some(etag) = first.etag else {
        expect(
            false,
            "the 200 answer carries an ETag header",
            "no ETag header",
        );
        return;
    };
    expect(
        etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'),
        "the ETag is a quoted string",
        &etag,
    );

    let again = get(&http, &url, Some(&etag)).await;
    expect_eq(
        again.status,
        StatusCode::NOT_MODIFIED,
        "a GET with If-None-Match: <current ETag> is answered 304 Not Modified",
    );
    expect_eq(again.body.len(), 0, "the 304 answer has no body");
    expect_eq(
        again.etag.as_deref(),
        Some(etag.as_str()),
        "the 304 carries the same ETag as the 200 (RFC 9110 §15.4.5), so the client's copy stays valid",
    );

    // On the wire, too: the second response carries zero body bytes.
    let conn = &proxy.recording()[0];
    let responses = http1::parse_responses(&conn.stream(Direction::ToClient))
        .complete()
        .unwrap();
    expect(
        responses.len() == 2 && responses[1].body_len == 0,
        "the proxy saw a bodiless second response",
        responses.len(),
    );
}

#[tokio::test]
async fn an_edit_changes_the_etag() {
    let server = support::serve(support::etag_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/article");
    let before = get(&http, &url, None).await.etag;
    http.post(format!("http://{server}/article/edit"))
        .send()
        .await
        .unwrap();
    let after = get(&http, &url, before.as_deref()).await;
    expect_eq(
        after.status,
        StatusCode::OK,
        "after an edit, revalidating with the old ETag gets 200 and the new article",
    );
    expect_eq(
        revision(&after.body, "after an edit"),
        1,
        "after an edit, the body is the edited article (revision 1)",
    );
    expect(
        before.is_some() && after.etag.is_some() && before != after.etag,
        "the edited article has a different ETag",
        (before, after.etag),
    );
}

#[tokio::test]
async fn if_none_match_lists_weak_tags_and_star() {
    let server = support::serve(support::etag_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/article");
    let etag = get(&http, &url, None).await.etag.unwrap_or_default();

    let list = format!("\"something-else\", {etag}");
    let status = get(&http, &url, Some(&list)).await.status;
    expect(
        status == StatusCode::NOT_MODIFIED,
        "If-None-Match may list several tags; any match gives 304",
        (list, status),
    );

    let weak = format!("W/{etag}");
    let status = get(&http, &url, Some(&weak)).await.status;
    expect(
        status == StatusCode::NOT_MODIFIED,
        "If-None-Match compares weakly: W/<tag> matches <tag>",
        (weak, status),
    );

    let status = get(&http, &url, Some("*")).await.status;
    expect_eq(
        status,
        StatusCode::NOT_MODIFIED,
        "If-None-Match: * matches any current article",
    );

    let stale = get(&http, &url, Some("\"stale\"")).await;
    expect_eq(
        stale.status,
        StatusCode::OK,
        "a tag that does not match gets the article",
    );
    expect_eq(
        revision(&stale.body, "for a tag that does not match"),
        0,
        "a tag that does not match gets the whole article",
    );
}
