//! The GraphQL server of the `graphql` scenario: the payment ledger behind
//! a schema with a query, a mutation and a subscription, served by
//! async-graphql through axum (`POST /graphql`, and `GET /ws` upgraded to a
//! WebSocket speaking graphql-transport-ws).
//!
//! The schema gives every charge a customer and every customer its charges,
//! which is ordinary (a client shows a customer's history next to a charge)
//! and is also what lets a query nest as deep as it likes. A [`Meter`]
//! counts what each query costs the server: how many resolvers it ran,
//! and the depth and complexity async-graphql's validation computed.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, NextValidation, ResolveInfo,
};
use async_graphql::{Context, Object, Schema, ServerError, ServerResult, ValidationResult, Value};
use async_graphql_axum::{GraphQL, GraphQLSubscription};
use domain::Charge;
use futures::Stream;
use tokio::sync::broadcast;

use crate::ledger::{self, Ledger};

/// The customer a charge belongs to when the mutation names none.
pub const DEFAULT_CUSTOMER: &str = "cus_1";

/// A charge as the schema shows it: the ledger's charge and its customer.
#[derive(Debug, Clone)]
pub struct Taken {
    pub charge: Charge,
    pub customer: String,
}

/// The ledger, the charges taken through GraphQL, and the channel the
/// subscription listens on.
pub struct Payments {
    ledger: Ledger,
    taken: Mutex<Vec<Taken>>,
    events: broadcast::Sender<Taken>,
}

impl Payments {
    /// An empty ledger nobody listens to yet.
    pub fn new() -> Payments {
        Payments {
            ledger: Ledger::new(),
            taken: Mutex::new(Vec::new()),
            events: broadcast::channel(1024).0,
        }
    }

    /// Takes a charge and tells every subscription about it.
    pub fn charge(
        &self,
        amount_cents: i64,
        currency: String,
        customer: String,
    ) -> Result<Taken, ledger::Refusal> {
        let charge = self.ledger.charge(&domain::ChargeRequest {
            amount_cents,
            currency,
        })?;
        let taken = Taken { charge, customer };
        self.taken
            .lock()
            .expect("payments lock")
            .push(taken.clone());
        // No subscriber is not an error: the charge is taken all the same.
        let _ = self.events.send(taken.clone());
        Ok(taken)
    }

    /// The first `first` charges, optionally only one customer's.
    pub fn list(&self, customer: Option<&str>, first: usize) -> Vec<Taken> {
        let taken = self.taken.lock().expect("payments lock");
        taken
            .iter()
            .filter(|t| customer.is_none_or(|c| t.customer == c))
            .take(first)
            .cloned()
            .collect()
    }

    /// Subscriptions listening right now: a scenario waits for its own
    /// before charging, since graphql-transport-ws has no "subscribed" answer.
    pub fn subscribers(&self) -> usize {
        self.events.receiver_count()
    }
}

impl Default for Payments {
    fn default() -> Self {
        Payments::new()
    }
}

// ANCHOR: schema
/// `type Charge { id amountCents currency customer }`
pub struct ChargeObject(Taken);

#[Object(name = "Charge")]
impl ChargeObject {
    async fn id(&self) -> &str {
        &self.0.charge.charge_id
    }
    async fn amount_cents(&self) -> i64 {
        self.0.charge.amount_cents
    }
    async fn currency(&self) -> &str {
        &self.0.charge.currency
    }
    async fn customer(&self) -> Customer {
        Customer(self.0.customer.clone())
    }
}

/// `type Customer { id charges(first: Int = 10) }`: the edge back to charges.
pub struct Customer(String);

#[Object]
impl Customer {
    async fn id(&self) -> &str {
        &self.0
    }
    /// Up to `first` of this customer's charges. The complexity says a list
    /// costs `first` times what is asked of each element.
    #[graphql(complexity = "first * child_complexity")]
    async fn charges(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: usize,
    ) -> Vec<ChargeObject> {
        let payments = ctx.data_unchecked::<Arc<Payments>>();
        payments
            .list(Some(&self.0), first)
            .into_iter()
            .map(ChargeObject)
            .collect()
    }
}

pub struct Query;

#[Object]
impl Query {
    /// Up to `first` charges, oldest first.
    #[graphql(complexity = "first * child_complexity")]
    async fn charges(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: usize,
    ) -> Vec<ChargeObject> {
        let payments = ctx.data_unchecked::<Arc<Payments>>();
        payments
            .list(None, first)
            .into_iter()
            .map(ChargeObject)
            .collect()
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    /// Takes a charge; the ledger's refusal becomes a GraphQL error.
    async fn charge(
        &self,
        ctx: &Context<'_>,
        amount_cents: i64,
        currency: String,
        #[graphql(default_with = "DEFAULT_CUSTOMER.to_string()")] customer: String,
    ) -> async_graphql::Result<ChargeObject> {
        let payments = ctx.data_unchecked::<Arc<Payments>>();
        Ok(ChargeObject(payments.charge(
            amount_cents,
            currency,
            customer,
        )?))
    }
}

pub struct Subscription;

#[async_graphql::Subscription]
impl Subscription {
    /// Every charge taken from now on, as it is taken.
    async fn charges(&self, ctx: &Context<'_>) -> impl Stream<Item = ChargeObject> {
        let events = ctx.data_unchecked::<Arc<Payments>>().events.subscribe();
        futures::stream::unfold(events, |mut events| async move {
            loop {
                match events.recv().await {
                    Ok(taken) => return Some((ChargeObject(taken), events)),
                    // A subscriber that fell 1024 charges behind skips them.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
    }
}
// ANCHOR_END: schema

/// What the server spends on queries, counted by an async-graphql extension.
#[derive(Debug, Default)]
pub struct Meter {
    resolved: AtomicU64,
    refused: AtomicU64,
    depth: AtomicUsize,
    complexity: AtomicUsize,
}

/// What one query cost, read off the [`Meter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Resolver calls the server made: one per field of every object, and
    /// one per element of every list.
    pub resolved: u64,
    /// Queries validation refused (limits included).
    pub refused: u64,
    /// The last accepted query's depth and complexity, as validation
    /// computed them.
    pub depth: usize,
    pub complexity: usize,
}

impl Meter {
    /// What was spent since the last call, and starts again from zero.
    pub fn take(&self) -> Cost {
        Cost {
            resolved: self.resolved.swap(0, Ordering::SeqCst),
            refused: self.refused.swap(0, Ordering::SeqCst),
            depth: self.depth.swap(0, Ordering::SeqCst),
            complexity: self.complexity.swap(0, Ordering::SeqCst),
        }
    }
}

struct MeterFactory(Arc<Meter>);

impl ExtensionFactory for MeterFactory {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MeterExtension(self.0.clone()))
    }
}

struct MeterExtension(Arc<Meter>);

#[async_trait::async_trait]
impl Extension for MeterExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await;
        match &result {
            Ok(v) => {
                self.0.depth.store(v.depth, Ordering::SeqCst);
                self.0.complexity.store(v.complexity, Ordering::SeqCst);
            }
            Err(_) => {
                self.0.refused.fetch_add(1, Ordering::SeqCst);
            }
        }
        result
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        self.0.resolved.fetch_add(1, Ordering::SeqCst);
        next.run(ctx, info).await
    }
}

/// The limits a server refuses queries beyond; `None` for none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
}

/// The limits the lab's guarded server applies.
pub const LIMITS: Limits = Limits {
    depth: 6,
    complexity: 500,
};

/// A running server: where it listens, its payments and its meter.
pub struct Server {
    pub addr: SocketAddr,
    pub payments: Arc<Payments>,
    pub meter: Arc<Meter>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ANCHOR: serve
/// Starts a server on a free port of 127.0.0.1, with `limits` if any.
pub async fn spawn(limits: Option<Limits>) -> anyhow::Result<Server> {
    let payments = Arc::new(Payments::new());
    let meter = Arc::new(Meter::default());
    let mut builder = Schema::build(Query, Mutation, Subscription)
        .data(payments.clone())
        .extension(MeterFactory(meter.clone()));
    if let Some(limits) = limits {
        builder = builder
            .limit_depth(limits.depth)
            .limit_complexity(limits.complexity);
    }
    let schema = builder.finish();
    let app = axum::Router::new()
        .route_service("/graphql", GraphQL::new(schema.clone()))
        .route_service("/ws", GraphQLSubscription::new(schema));
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Server {
        addr,
        payments,
        meter,
        task,
    })
}
// ANCHOR_END: serve

/// POSTs one GraphQL request (`{"query": ...}`) and returns the answer,
/// parsed, and the length of its body in bytes.
pub async fn post(addr: SocketAddr, query: &str) -> anyhow::Result<(serde_json::Value, usize)> {
    let body = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await?
        .bytes()
        .await?;
    Ok((serde_json::from_slice(&body)?, body.len()))
}
