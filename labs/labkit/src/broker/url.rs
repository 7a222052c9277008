//! Reading the URL a reader put in `MQTT_URL`, `AMQP_URL`, `NATS_URL` or
//! `REDIS_URL`: `scheme://[user[:password]@]host[:port][/path]`.
//!
//! Only what labkit needs is checked — a scheme the kind accepts, a host, a
//! port that is a number, a Redis database that is a number — and each
//! failure says which part is wrong, so the error can show the reader a
//! correct value next to theirs. The user, password, NATS token, AMQP vhost
//! and Redis database are kept ([`Credentials`]): the probe logs in with
//! them and the lab's client gets them.

use super::Kind;
use super::credentials::{Credentials, decode};
use super::recipe::{Facts, Tls};

/// The parts of a broker URL labkit uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BrokerUrl {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub credentials: Credentials,
}

/// Parse `value` as a URL for the kind described by `facts`; the error is
/// the reason, in a few words.
pub(crate) fn parse(value: &str, facts: &Facts) -> Result<BrokerUrl, String> {
    let (scheme, rest) = value
        .split_once("://")
        .ok_or_else(|| "no \"://\" after the scheme".to_owned())?;
    let &(_, default_port, tls) = facts
        .schemes
        .iter()
        .find(|(s, _, _)| s.eq_ignore_ascii_case(scheme))
        .ok_or_else(|| {
            let known: Vec<&str> = facts.schemes.iter().map(|(s, _, _)| *s).collect();
            format!("scheme {scheme:?} is not one of {}", known.join(", "))
        })?;
    // The user part ends at the last `@`, so a password with an unencoded
    // `/` or `:` is never mistaken for a host or port (and never echoed).
    let (userinfo, after) = match rest.rsplit_once('@') {
        Some((u, a)) => (Some(u), a),
        None => (None, rest),
    };
    let host_port = after.split(['/', '?', '#']).next().unwrap_or("");
    let path = after[host_port.len()..]
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let credentials = credentials(facts.kind, userinfo, path)?;
    let (host, port) = split_host_port(host_port)?;
    if host.is_empty() {
        return Err("no host".to_owned());
    }
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("port {p:?} is not a number from 1 to 65535"))?,
    };
    Ok(BrokerUrl {
        host: host.to_owned(),
        port,
        tls,
        credentials,
    })
}

/// The login parts of the URL: `user:password` (or a NATS token) before
/// the `@`, the AMQP vhost or Redis database in the path.
fn credentials(kind: Kind, userinfo: Option<&str>, path: &str) -> Result<Credentials, String> {
    let mut c = Credentials::default();
    match userinfo.map(|u| u.split_once(':')) {
        None => {}
        Some(Some((user, password))) => {
            c.user = Some(decode(user)).filter(|u| !u.is_empty());
            c.password = Some(decode(password));
        }
        Some(None) if kind == Kind::Nats => c.token = Some(decode(userinfo.unwrap_or(""))),
        Some(None) => c.user = userinfo.map(decode).filter(|u| !u.is_empty()),
    }
    let path = path.strip_prefix('/').unwrap_or(path);
    match kind {
        Kind::RabbitMq if !path.is_empty() => c.vhost = Some(decode(path)),
        Kind::Redis if !path.is_empty() => {
            let db = path.trim_end_matches('/');
            c.database =
                Some(db.parse::<u32>().map_err(|_| {
                    format!("database {db:?} is not a number (redis://host:port/0)")
                })?);
        }
        _ => {}
    }
    Ok(c)
}

/// The login parts of a URL labkit wrote itself (always well formed).
pub(crate) fn login_of(kind: Kind, url: &str) -> Credentials {
    parse(url, kind.recipe().facts())
        .map(|u| u.credentials)
        .unwrap_or_default()
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(s: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "an IPv6 address without its closing \"]\"".to_owned())?;
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(format!("unexpected {after:?} after the IPv6 address")),
        };
    }
    Ok(match s.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (s, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::Kind;

    fn mqtt(v: &str) -> Result<BrokerUrl, String> {
        parse(v, Kind::Mosquitto.recipe().facts())
    }

    #[test]
    fn reads_host_port_and_credentials() {
        let u = mqtt("mqtt://user:pw@broker.example:1884").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.tls),
            ("broker.example", 1884, Tls::Plain)
        );
        let u = mqtt("mqtts://[::1]").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.tls), ("::1", 8883, Tls::Tls));
        let u = parse(
            "amqp://guest:guest@127.0.0.1:5672/%2f",
            Kind::RabbitMq.recipe().facts(),
        )
        .unwrap();
        assert_eq!((u.host.as_str(), u.port), ("127.0.0.1", 5672));
        assert_eq!(u.credentials.vhost.as_deref(), Some("/"));
        assert_eq!(u.credentials.user.as_deref(), Some("guest"));
    }

    #[test]
    fn keeps_every_login_part() {
        let u = mqtt("mqtt://al%40ice:p%3Aw@h:1884").unwrap();
        assert_eq!(u.credentials.user.as_deref(), Some("al@ice"));
        assert_eq!(u.credentials.password.as_deref(), Some("p:w"));
        let nats = |v| parse(v, Kind::Nats.recipe().facts()).unwrap().credentials;
        assert_eq!(nats("nats://t0k@h").token.as_deref(), Some("t0k"));
        assert_eq!(nats("nats://u:p@h").user.as_deref(), Some("u"));
        let redis = |v| parse(v, Kind::Redis.recipe().facts());
        let c = redis("redis://:pw@h:6380/3").unwrap().credentials;
        assert_eq!(
            (c.user, c.password.as_deref(), c.database),
            (None, Some("pw"), Some(3))
        );
        assert!(redis("redis://h/x").unwrap_err().contains("\"x\""));
        let amqp = parse("amqp://u:p@h/shop", Kind::RabbitMq.recipe().facts()).unwrap();
        assert_eq!(amqp.credentials.vhost.as_deref(), Some("shop"));
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(mqtt("127.0.0.1:1883").unwrap_err().contains("://"));
        assert!(mqtt("http://127.0.0.1").unwrap_err().contains("\"http\""));
        assert!(mqtt("mqtt://:1883").unwrap_err().contains("no host"));
        assert!(mqtt("mqtt://h:99999").unwrap_err().contains("\"99999\""));
    }
}
