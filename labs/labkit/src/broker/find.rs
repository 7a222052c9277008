//! The order in which places are tried for a broker, and the one-line error
//! when none gives one.
//!
//! [`Finder`] reads only the [`Lookup`] it is given, never the process
//! environment, so tests can ask "what if `MQTT_URL` were set?" or "what if
//! nothing were installed?" in parallel and without side effects.

use std::net::SocketAddr;

use super::credentials::{Credentials, mask};
use super::handle::{Backend, Broker, Source};
use super::private::Private;
use super::ready::{connect_once, probe_once};
use super::recipe::{Recipe, Tls};
use super::{BrokerError, Kind, Lookup, Options, url};

/// A place a broker can come from, for [`Finder::places`].
///
/// Public, like [`Finder`], for labkit's own tests (`tests/broker_resolve.rs`
/// checks the order place by place); labs call [`super::for_cargo_run`],
/// [`super::private`] or [`super::mosquitto`] and friends instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The reader's URL in `MQTT_URL`, `AMQP_URL`, `NATS_URL` or `REDIS_URL`.
    Env,
    /// The service already on the standard port (never in tests).
    Standard,
    /// A private instance of the installed program.
    Private,
    /// A container, if a Docker engine answers.
    Container,
}

/// Which places to try, in what order, with which options and environment.
///
/// The functions labs call ([`super::for_cargo_run`], [`super::private`],
/// [`super::mosquitto`], ...) are one-line uses of it. It is public so that
/// labkit's own tests can feed it a made-up environment ([`Lookup`]) and a
/// place order, and for the rare lab that needs an order of its own.
#[derive(Clone, Debug)]
pub struct Finder {
    kind: Kind,
    places: Vec<Place>,
    options: Options,
    lookup: Lookup,
}

impl Finder {
    /// For tests: the reader's URL, a private instance, a container.
    pub fn new(kind: Kind) -> Self {
        Finder {
            kind,
            places: vec![Place::Env, Place::Private, Place::Container],
            options: Options::default(),
            lookup: Lookup::from_process(),
        }
    }

    /// For a lab's `cargo run`: the reader's URL, the standard port, a
    /// private instance, a container.
    pub fn for_cargo_run(kind: Kind) -> Self {
        Finder::new(kind).places(&[
            Place::Env,
            Place::Standard,
            Place::Private,
            Place::Container,
        ])
    }

    /// Try exactly these places, in this order.
    #[must_use]
    pub fn places(mut self, places: &[Place]) -> Self {
        self.places = places.to_vec();
        self
    }

    /// Configure a private instance or container this way. (A reader's
    /// URL is used as it is; the standard port is skipped.)
    #[must_use]
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Read variables and find programs here instead of in this process's
    /// environment.
    #[must_use]
    pub fn lookup(mut self, lookup: Lookup) -> Self {
        self.lookup = lookup;
        self
    }

    /// Try each place in turn; the first broker that answers wins.
    pub async fn find(self) -> Result<Broker, BrokerError> {
        let recipe = self.kind.recipe();
        let facts = recipe.facts();
        let mut tried = Vec::new();
        let mut fixes = Fixes::default();
        for place in &self.places {
            match place {
                Place::Env => match self.lookup.get(facts.env_var) {
                    Some(value) => return from_env(self.kind, value).await,
                    None => {
                        tried.push(format!("{} is not set", facts.env_var));
                        fixes.env = Some(format!("set {}={}", facts.env_var, facts.example_url));
                    }
                },
                Place::Standard => {
                    let addr = SocketAddr::from(([127, 0, 0, 1], facts.standard_port));
                    if !self.options.is_default() {
                        tried.push(format!(
                            "the shared service on {addr} was not used because this lab needs its own configuration"
                        ));
                    } else {
                        match answers(recipe, addr, false, &Credentials::default()).await {
                            Ok(()) => {
                                return Ok(borrowed(self.kind, recipe, addr, Source::Standard));
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                                tried.push(format!(
                                    "the shared service on {addr} refused a login without user name or password ({e})"
                                ));
                                fixes.env = Some(format!(
                                    "set {}={} with its user and password",
                                    facts.env_var, facts.example_url
                                ));
                            }
                            Err(_) => {
                                tried.push(format!("nothing answers {} on {addr}", facts.protocol))
                            }
                        }
                    }
                }
                Place::Private => match self.lookup.find_program(facts.program).or_else(|| {
                    if self.lookup.only_listed_folders() {
                        None
                    } else {
                        recipe.installed_elsewhere()
                    }
                }) {
                    None => {
                        tried.push(format!("`{}` is not on PATH", facts.program));
                        fixes.install =
                            Some(format!("`sudo apt-get install {}`", facts.apt_package));
                    }
                    Some(program) => {
                        match Private::start_new(recipe, program, &self.options, &self.lookup).await
                        {
                            Ok(private) => {
                                return Ok(private_broker(self.kind, &self.options, private));
                            }
                            // Asked for a private instance only: the full story, log tail included.
                            Err(e) if self.places.len() == 1 => return Err(e),
                            Err(e) => {
                                tried.push(format!(
                                    "`{}` failed to start ({})",
                                    facts.program,
                                    e.one_line()
                                ));
                                fixes.install = Some(format!(
                                    "read in its log why `{}` stopped",
                                    facts.program
                                ));
                            }
                        }
                    }
                },
                Place::Container => match self.container().await {
                    Ok(broker) => return Ok(broker),
                    Err((why, fix)) => {
                        tried.push(why);
                        fixes.docker = fix;
                    }
                },
            }
        }
        Err(BrokerError::NotFound {
            protocol: facts.protocol,
            tried: join(&tried),
            fix: fixes.sentence(),
        })
    }

    /// A container, or (what happened, what to do about it).
    #[cfg(feature = "docker")]
    async fn container(&self) -> Result<Broker, (String, Option<String>)> {
        let recipe = self.kind.recipe();
        let engine = match super::docker::engine(&self.lookup).await {
            Ok(engine) => engine,
            Err(why) => {
                return Err((
                    format!("no Docker engine answered ({why})"),
                    Some("start Docker".into()),
                ));
            }
        };
        match super::docker::Container::start(recipe, &self.options, &engine, &self.lookup).await {
            Ok(c) => Ok(container_broker(self.kind, &self.options, c)),
            Err(e) => Err((
                format!(
                    "Docker could not run {} ({})",
                    self.kind.image(),
                    e.one_line()
                ),
                Some(format!(
                    "check that `docker run {}` works",
                    self.kind.image()
                )),
            )),
        }
    }

    #[cfg(not(feature = "docker"))]
    async fn container(&self) -> Result<Broker, (String, Option<String>)> {
        Err((
            "labkit was built without its `docker` feature, so no container was tried".into(),
            Some("build labkit with its default features and start Docker".into()),
        ))
    }
}

/// The fixes to suggest, in the order a reader should consider them.
#[derive(Default)]
struct Fixes {
    install: Option<String>,
    env: Option<String>,
    docker: Option<String>,
}

impl Fixes {
    fn sentence(self) -> String {
        let all: Vec<String> = [self.install, self.env, self.docker]
            .into_iter()
            .flatten()
            .collect();
        if all.is_empty() {
            "see above".into()
        } else {
            all.join(", or ")
        }
    }
}

/// "a", "a and b", "a, b, and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// Check a broker answers and takes the login: its protocol, or only TCP
/// for a TLS URL.
pub(crate) async fn answers(
    recipe: &'static dyn Recipe,
    addr: SocketAddr,
    tls: bool,
    login: &Credentials,
) -> std::io::Result<()> {
    let login = login.clone();
    tokio::task::spawn_blocking(move || {
        if tls {
            connect_once(addr)
        } else {
            probe_once(recipe, addr, &login)
        }
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())))
}

/// The reader's broker: parse, resolve, check it answers.
async fn from_env(kind: Kind, value: &str) -> Result<Broker, BrokerError> {
    let recipe = kind.recipe();
    let facts = recipe.facts();
    let parsed = url::parse(value, facts).map_err(|reason| BrokerError::BadEnvUrl {
        var: facts.env_var,
        value: mask(value),
        protocol: facts.protocol,
        reason,
        example: facts.example_url,
    })?;
    let not_answering = |cause: String| BrokerError::EnvNotAnswering {
        var: facts.env_var,
        value: mask(value),
        protocol: facts.protocol,
        address: format!("{}:{}", parsed.host, parsed.port),
        cause,
    };
    let addr = tokio::net::lookup_host((parsed.host.as_str(), parsed.port))
        .await
        .map_err(|e| not_answering(format!("cannot resolve {}: {e}", parsed.host)))?
        .next()
        .ok_or_else(|| not_answering(format!("{} has no address", parsed.host)))?;
    let tls = parsed.tls == Tls::Tls;
    let origin = format!("{}={}", facts.env_var, mask(value));
    answers(recipe, addr, tls, &parsed.credentials)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => {
                refused(kind, origin, addr, &parsed.credentials, e)
            }
            _ => not_answering(e.to_string()),
        })?;
    Ok(Broker {
        kind,
        url: value.to_owned(),
        host: parsed.host,
        addr,
        tls,
        credentials: parsed.credentials,
        source: Source::Env { var: facts.env_var },
        backend: Backend::Borrowed,
    })
}

/// The one message for a login the broker said no to.
pub(crate) fn refused(
    kind: Kind,
    origin: String,
    addr: SocketAddr,
    login: &Credentials,
    cause: std::io::Error,
) -> BrokerError {
    BrokerError::Refused {
        origin,
        protocol: kind.protocol(),
        address: addr.to_string(),
        who: login.who(),
        reason: cause.to_string(),
    }
}

fn borrowed(kind: Kind, recipe: &dyn Recipe, addr: SocketAddr, source: Source) -> Broker {
    let host = addr.ip().to_string();
    let url = recipe.url(&host, addr.port(), &Options::default());
    Broker {
        kind,
        credentials: url::login_of(kind, &url),
        url,
        host,
        addr,
        tls: false,
        source,
        backend: Backend::Borrowed,
    }
}

fn private_broker(kind: Kind, options: &Options, private: Private) -> Broker {
    let addr = SocketAddr::from(([127, 0, 0, 1], private.port()));
    let host = addr.ip().to_string();
    let url = kind.recipe().url(&host, addr.port(), options);
    Broker {
        kind,
        credentials: url::login_of(kind, &url),
        url,
        host,
        addr,
        tls: false,
        source: Source::Private,
        backend: Backend::Private(Box::new(private)),
    }
}

#[cfg(feature = "docker")]
fn container_broker(kind: Kind, options: &Options, c: super::docker::Container) -> Broker {
    let addr = std::net::ToSocketAddrs::to_socket_addrs(&(c.host.as_str(), c.port))
        .ok()
        .and_then(|mut a| a.next())
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], c.port)));
    let url = kind.recipe().url(&c.host, c.port, options);
    Broker {
        kind,
        credentials: url::login_of(kind, &url),
        url,
        host: c.host.clone(),
        addr,
        tls: false,
        source: Source::Container {
            image: kind.image(),
        },
        backend: Backend::Container(Box::new(c)),
    }
}
