//! GraphQL over WebSocket, against async-graphql's real server: what the
//! chapter's GraphQL page says about graphql-transport-ws on the wire and
//! about what a query that asks for too much costs.

use lab_contenders::graphql::{self, WireMessage};
use lab_contenders::graphql_server::LIMITS;
use labkit::wire::Direction;

/// `type` (and `id` when there is one) of each message, `>` for the
/// client's and `<` for the server's.
fn sequence(messages: &[WireMessage]) -> Vec<String> {
    messages
        .iter()
        .map(|m| {
            let way = match m.dir {
                Direction::ToServer => ">",
                Direction::ToClient => "<",
            };
            match &m.id {
                Some(id) => format!("{way} {} {id}", m.kind),
                None => format!("{way} {}", m.kind),
            }
        })
        .collect()
}

#[tokio::test]
async fn the_subscription_speaks_graphql_transport_ws_in_order() {
    let c = graphql::conversation(3).await.unwrap();
    assert_eq!(
        sequence(&c.messages),
        [
            "> connection_init",
            "< connection_ack",
            "> subscribe 1",
            "< next 1",
            "< next 1",
            "< next 1",
            "> ping",
            "< pong",
            "> subscribe 2",
            "< next 2",
            "< complete 2",
            "> complete 1",
            "< complete 1",
            "> CLOSE",
            "< CLOSE",
        ],
        "{:#?}",
        c.messages
    );
    let close = &c.messages[13];
    assert_eq!(
        close.text, "code 1000",
        "the client closes with Normal Closure"
    );
}

#[tokio::test]
async fn each_charge_is_pushed_as_one_next_message() {
    for charges in [1, 5] {
        let c = graphql::conversation(charges).await.unwrap();
        let nexts = c
            .messages
            .iter()
            .filter(|m| m.kind == "next" && m.id.as_deref() == Some("1"))
            .count();
        assert_eq!(nexts, charges, "one next per charge");
        assert_eq!(c.pushed, c.charged, "the pushed ids are the charged ones");
    }
}

#[tokio::test]
async fn a_query_too_deep_is_refused_on_the_websocket_as_a_next_with_errors() {
    let c = graphql::conversation(1).await.unwrap();
    assert_eq!(c.refusal, "Query is nested too deep.");
    let answer = c
        .messages
        .iter()
        .find(|m| m.id.as_deref() == Some("2") && m.dir == Direction::ToClient)
        .expect("an answer to subscribe 2");
    assert_eq!(
        answer.kind, "next",
        "async-graphql answers with next, not error"
    );
    assert!(answer.text.contains("\"errors\""), "{}", answer.text);
}

#[tokio::test]
async fn nesting_multiplies_the_work_and_the_limits_refuse_it_before_any_resolver_runs() {
    let costs = graphql::costs().await.unwrap();
    let levels = &costs[..4];
    // Each level asks for 8 charges of the customer of each charge above it.
    for pair in levels.windows(2) {
        assert!(
            pair[1].resolved > 7 * pair[0].resolved,
            "{} resolved {} after {}",
            pair[1].label,
            pair[1].resolved,
            pair[0].resolved
        );
        assert!(pair[1].response_bytes > 7 * pair[0].response_bytes);
    }
    // The guarded server answers the two shallow queries...
    assert_eq!(levels[0].guarded_error, None);
    assert_eq!(levels[1].guarded_error, None);
    // ...refuses the two costly ones for complexity,
    for q in &levels[2..] {
        assert!(q.complexity > LIMITS.complexity, "{}", q.label);
        assert_eq!(q.guarded_error.as_deref(), Some("Query is too complex."));
        assert_eq!(q.guarded_resolved, 0, "refused before execution");
    }
    // and the cheap but deep one for depth.
    let deep = &costs[4];
    assert!(deep.complexity <= LIMITS.complexity && deep.depth > LIMITS.depth);
    assert_eq!(
        deep.guarded_error.as_deref(),
        Some("Query is nested too deep.")
    );
    assert_eq!(deep.guarded_resolved, 0);
}
