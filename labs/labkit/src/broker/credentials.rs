//! Who a lab logs in as: the user, password, token, virtual host or
//! database number a broker URL carries — kept whole for the client, and
//! masked whenever labkit prints anything.
//!
//! A reader's `MQTT_URL=mqtt://alice:secret@host:1883` must reach the
//! broker as user `alice` with password `secret`: labkit's readiness probe
//! logs in with them, and [`Broker::url`](super::Broker::url) and
//! [`Broker::endpoint`](super::Broker::endpoint) hand them to the lab's
//! client. The same URL in a message, an error or a `Debug` print reads
//! `mqtt://alice:***@host:1883` ([`mask`]): a secret in a log is a secret
//! leaked.
//!
//! How each client library takes them (all from `broker.endpoint()` or
//! `broker.url()`):
//!
//! | library | what to pass |
//! |---|---|
//! | rumqttc | `MqttOptions::new(id, &e.host, e.port)` then, when `e.credentials.user` is `Some(u)`, `options.set_credentials(u, e.credentials.password.clone().unwrap_or_default())` |
//! | lapin | `Connection::connect(broker.url(), ..)`: the URL keeps user, password and vhost (`%2f` is `/`) |
//! | async-nats | `async_nats::connect(broker.url())`: it reads `user:pass@` and `token@` from the URL |
//! | redis | `redis::Client::open(broker.url())`: it reads `user:pass@` and the `/N` database from the URL |

use std::fmt;

/// What a broker URL says about logging in. Every part is optional: a URL
/// without them connects anonymously (or as AMQP's `guest`).
///
/// `Debug` shows `***` for the password and token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The user name, percent-decoded (`alice` in `mqtt://alice:secret@h`).
    pub user: Option<String>,
    /// The password, percent-decoded.
    pub password: Option<String>,
    /// A NATS token: `nats://TOKEN@host` (a user part with no password).
    pub token: Option<String>,
    /// The AMQP virtual host, percent-decoded (`/` for `amqp://h/%2f`);
    /// `None` means the default, `/`.
    pub vhost: Option<String>,
    /// The Redis database number (`3` for `redis://h/3`); `None` means 0.
    pub database: Option<u32>,
}

impl Credentials {
    /// Whether the URL names anyone to log in as.
    pub fn is_anonymous(&self) -> bool {
        self.user.is_none() && self.password.is_none() && self.token.is_none()
    }

    /// "user \"alice\"", "a token", "no user name": who was refused, for messages.
    pub(crate) fn who(&self) -> String {
        match (&self.user, &self.password, &self.token) {
            (Some(u), _, _) => format!("user {u:?} with the password given"),
            (None, Some(_), _) => "the password given (no user name)".into(),
            (None, None, Some(_)) => "the token given".into(),
            (None, None, None) => "a login without user name or password".into(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |s: &Option<String>| s.as_ref().map(|_| "***");
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &hidden(&self.password))
            .field("token", &hidden(&self.token))
            .field("vhost", &self.vhost)
            .field("database", &self.database)
            .finish()
    }
}

/// Where to connect and as whom: everything a client library needs, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The host name or address, as written in the URL (IPv6 without brackets).
    pub host: String,
    /// The port (the scheme's default when the URL names none).
    pub port: u16,
    /// Whether the scheme asks for TLS (`mqtts`, `amqps`, `tls`, `rediss`).
    pub tls: bool,
    /// User, password, token, vhost, database.
    pub credentials: Credentials,
}

/// `value` with its password (or NATS token) replaced by `***`, for
/// printing: `amqp://guest:***@127.0.0.1:5672/%2f`. Works on malformed
/// values too, hiding everything before the last `@` but the user name.
pub fn mask(value: &str) -> String {
    let (scheme, rest) = match value.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, value),
    };
    let Some((userinfo, after)) = rest.rsplit_once('@') else {
        return value.to_owned();
    };
    let hidden = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        // A lone user part is a NATS token, or perhaps a password typed
        // without its user: hide it unless the scheme says it is a user name.
        None if matches!(scheme, Some(s) if ["mqtt", "mqtts", "tcp", "ssl", "amqp", "amqps", "redis", "rediss"]
            .iter().any(|k| k.eq_ignore_ascii_case(s))) =>
        {
            userinfo.to_owned()
        }
        None => "***".to_owned(),
    };
    match scheme {
        Some(s) => format!("{s}://{hidden}@{after}"),
        None => format!("{hidden}@{after}"),
    }
}

/// Percent-decode one URL component (`%2f` → `/`); a `%` not followed by
/// two hex digits stays as it is.
pub(crate) fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encode one URL component so that `:`, `@`, `/` and friends in a
/// user name or password cannot break the URL labkit writes.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords_and_tokens() {
        assert_eq!(
            mask("amqp://guest:guest@127.0.0.1:5672/%2f"),
            "amqp://guest:***@127.0.0.1:5672/%2f"
        );
        assert_eq!(mask("redis://:s3cret@h:1/2"), "redis://:***@h:1/2");
        assert_eq!(mask("nats://tok3n@h:4222"), "nats://***@h:4222");
        assert_eq!(mask("mqtt://alice@h"), "mqtt://alice@h");
        assert_eq!(mask("alice:pw@h:1883"), "alice:***@h:1883");
        assert_eq!(mask("redis://:a@b@h"), "redis://:***@h");
        assert_eq!(mask("mqtt://h:1883"), "mqtt://h:1883");
    }

    #[test]
    fn decodes_and_encodes() {
        assert_eq!(decode("%2f"), "/");
        assert_eq!(decode("a%zzb%4"), "a%zzb%4");
        assert_eq!(decode(&encode("p@ss:w/rd %")), "p@ss:w/rd %");
        assert_eq!(encode("a@b"), "a%40b");
    }
}
