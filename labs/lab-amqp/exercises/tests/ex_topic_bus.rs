//! Grading test for `amqp-topic-bus`: three services subscribe with
//! different interests; four order events are published, with an invoice
//! event and two four-word replay keys around them; each service must get
//! exactly its own order events.

use lab_amqp_exercises::{support, topic_bus};
use labkit::grade::expect_eq;
use lapin::options::{ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, ExchangeKind};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_service_gets_exactly_the_events_it_asked_for() {
    let broker = labkit::broker::rabbitmq()
        .await
        .expect("a RabbitMQ to grade against");
    let conn = support::connect(broker.url()).await.unwrap();
    let ch = conn.create_channel().await.unwrap();
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .unwrap();
    let exchange = support::unique("orders");
    ch.exchange_declare(
        &exchange,
        ExchangeKind::Topic,
        ExchangeDeclareOptions::default(),
        FieldTable::default(),
    )
    .await
    .unwrap();
    let (eu, refunds, audit) = (
        support::unique("eu-shop"),
        support::unique("refunds"),
        support::unique("audit"),
    );
    topic_bus::subscribe(&ch, &exchange, &eu, Some("eu"), None)
        .await
        .unwrap();
    topic_bus::subscribe(&ch, &exchange, &refunds, None, Some("refunded"))
        .await
        .unwrap();
    topic_bus::subscribe(&ch, &exchange, &audit, None, None)
        .await
        .unwrap();
    for key in [
        "order.eu.created",
        "order.us.refunded",
        "order.eu.refunded",
        "order.us.created",
        "invoice.eu.created",
        "order.eu.created.replay",
        "order.us.refunded.replay",
    ] {
        ch.basic_publish(
            &exchange,
            key,
            Default::default(),
            key.as_bytes(),
            BasicProperties::default(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    }
    let got = |q: String| {
        let ch = ch.clone();
        async move { support::drain(&ch, &q).await.unwrap() }
    };
    expect_eq(
        got(eu).await,
        vec!["order.eu.created".to_string(), "order.eu.refunded".into()],
        "the EU shop gets every EU order event and nothing else (no replays)",
    );
    expect_eq(
        got(refunds).await,
        vec!["order.us.refunded".to_string(), "order.eu.refunded".into()],
        "the refund service gets refunds from every region (no replays)",
    );
    expect_eq(
        got(audit).await,
        vec![
            "order.eu.created".to_string(),
            "order.us.refunded".into(),
            "order.eu.refunded".into(),
            "order.us.created".into(),
        ],
        "the audit service gets every order event, but no invoice events and no replays",
    );
}
