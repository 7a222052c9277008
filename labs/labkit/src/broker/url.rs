//! Reading the URL a reader put in `MQTT_URL`, `AMQP_URL`, `NATS_URL` or
//! `REDIS_URL`: `scheme://[user[:password]@]host[:port][/path]`.
//!
//! Only what labkit needs is checked — a scheme the kind accepts, a host, a
//! port that is a number — and each failure says which part is wrong, so
//! the error can show the reader a correct value next to theirs.

use super::recipe::{Facts, Tls};

/// The parts of a broker URL labkit uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BrokerUrl {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
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
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
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
    })
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
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(mqtt("127.0.0.1:1883").unwrap_err().contains("://"));
        assert!(mqtt("http://127.0.0.1").unwrap_err().contains("\"http\""));
        assert!(mqtt("mqtt://:1883").unwrap_err().contains("no host"));
        assert!(mqtt("mqtt://h:99999").unwrap_err().contains("\"99999\""));
    }
}
