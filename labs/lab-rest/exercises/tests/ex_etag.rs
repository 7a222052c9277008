//! Grading tests for `rest-etag`.

use lab_rest_exercises::support;
use labkit::grade::expect;
use labkit::wire::{Direction, Proxy, http1};
use reqwest::StatusCode;

async fn get(
    http: &reqwest::Client,
    url: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, Option<String>, usize) {
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
    let body = answer.bytes().await.expect("a readable body").len();
    (status, etag, body)
}

#[tokio::test]
async fn revalidation_is_answered_304_without_a_body() {
    let server = support::serve(support::etag_app()).await;
    let proxy = Proxy::start(server).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("http://{}/article", proxy.addr());

    let (status, etag, body) = get(&http, &url, None).await;
    expect(
        status == StatusCode::OK,
        "the first GET is answered 200 with the article",
        status,
    );
    expect(
        body > 1_000,
        "the first GET carries the whole article",
        body,
    );
    let Some(etag) = etag else {
        expect(
            false,
            "the 200 answer carries an ETag header",
            "no ETag header",
        );
        return;
    };
    expect(
        etag.starts_with('"') && etag.ends_with('"'),
        "the ETag is a quoted string",
        &etag,
    );

    let (status, _, body) = get(&http, &url, Some(&etag)).await;
    expect(
        status == StatusCode::NOT_MODIFIED,
        "a GET with If-None-Match: <current ETag> is answered 304 Not Modified",
        status,
    );
    expect(body == 0, "the 304 answer has no body", body);

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
    let (_, before, _) = get(&http, &url, None).await;
    http.post(format!("http://{server}/article/edit"))
        .send()
        .await
        .unwrap();
    let (status, after, body) = get(&http, &url, before.as_deref()).await;
    expect(
        status == StatusCode::OK,
        "after an edit, revalidating with the old ETag gets 200 and the new article",
        status,
    );
    expect(body > 1_000, "the new article comes whole", body);
    expect(
        before.is_some() && after.is_some() && before != after,
        "the edited article has a different ETag",
        (before, after),
    );
}

#[tokio::test]
async fn if_none_match_lists_weak_tags_and_star() {
    let server = support::serve(support::etag_app()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{server}/article");
    let (_, etag, _) = get(&http, &url, None).await;
    let etag = etag.unwrap_or_default();

    let list = format!("\"something-else\", {etag}");
    let (status, _, _) = get(&http, &url, Some(&list)).await;
    expect(
        status == StatusCode::NOT_MODIFIED,
        "If-None-Match may list several tags; any match gives 304",
        (list, status),
    );

    let weak = format!("W/{etag}");
    let (status, _, _) = get(&http, &url, Some(&weak)).await;
    expect(
        status == StatusCode::NOT_MODIFIED,
        "If-None-Match compares weakly: W/<tag> matches <tag>",
        (weak, status),
    );

    let (status, _, _) = get(&http, &url, Some("*")).await;
    expect(
        status == StatusCode::NOT_MODIFIED,
        "If-None-Match: * matches any current article",
        status,
    );

    let (status, _, _) = get(&http, &url, Some("\"stale\"")).await;
    expect(
        status == StatusCode::OK,
        "a tag that does not match gets the article",
        status,
    );
}
