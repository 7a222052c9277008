//! Just enough of PostgreSQL's frontend/backend protocol (version 3.0) for
//! the reactive-query scenario: log in, run a simple query and read its
//! rows, and open a logical replication stream.
//!
//! Writing it out shows what a replication client really does — one
//! startup message with `replication=database`, a plain-text command that
//! switches the connection into a two-way copy, then a stream of `XLogData`
//! frames the client acknowledges — and lets the lab count every byte.
//! A real application would use a maintained driver (tokio-postgres, sqlx)
//! with TLS, passwords and prepared statements; none of that is here.

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One backend message: its type byte and body.
#[derive(Debug)]
pub struct Message {
    pub tag: u8,
    pub body: Vec<u8>,
}

/// A logged-in connection.
pub struct Conn {
    stream: TcpStream,
}

/// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01.
const PG_EPOCH_OFFSET_US: i64 = 946_684_800_000_000;

impl Conn {
    /// Connect to `addr` as `postgres` (the lab's private server trusts
    /// local logins). `replication` asks for a walsender connection that
    /// also takes replication commands.
    pub async fn connect(addr: std::net::SocketAddr, replication: bool) -> anyhow::Result<Conn> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connecting to PostgreSQL at {addr}"))?;
        stream.set_nodelay(true)?;
        let mut conn = Conn { stream };
        let mut params = vec![("user", "postgres"), ("database", "postgres")];
        if replication {
            params.push(("replication", "database"));
        }
        conn.stream.write_all(&startup_message(&params)).await?;
        loop {
            let m = conn.read().await?;
            match m.tag {
                b'R' if m.body.starts_with(&[0, 0, 0, 0]) => {}
                b'R' => bail!("PostgreSQL at {addr} asks for a password; the lab expects trust"),
                b'Z' => return Ok(conn),
                b'E' => bail!("PostgreSQL refused the login: {}", error_text(&m.body)),
                _ => {} // ParameterStatus, BackendKeyData
            }
        }
    }

    /// Read one message.
    pub async fn read(&mut self) -> anyhow::Result<Message> {
        let tag = self.stream.read_u8().await.context("PostgreSQL hung up")?;
        let len = self.stream.read_u32().await? as usize;
        anyhow::ensure!(len >= 4, "a message claims {len} bytes");
        let mut body = vec![0; len - 4];
        self.stream.read_exact(&mut body).await?;
        Ok(Message { tag, body })
    }

    // ANCHOR: query
    /// Run `sql` as a simple query; the rows of its (last) result, each
    /// column as text (`None` for NULL).
    pub async fn query(&mut self, sql: &str) -> anyhow::Result<Vec<Vec<Option<String>>>> {
        self.send(b'Q', &cstring(sql)).await?;
        let mut rows = Vec::new();
        loop {
            let m = self.read().await?;
            match m.tag {
                b'T' => rows.clear(), // RowDescription: a new result begins
                b'D' => rows.push(data_row(&m.body)?),
                b'E' => bail!("{sql}: {}", error_text(&m.body)),
                b'Z' => return Ok(rows), // ReadyForQuery
                _ => {}                  // CommandComplete, notices
            }
        }
    }
    // ANCHOR_END: query

    /// Send one frontend message.
    pub async fn send(&mut self, tag: u8, body: &[u8]) -> anyhow::Result<()> {
        let mut out = Vec::with_capacity(body.len() + 5);
        out.push(tag);
        out.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
        out.extend_from_slice(body);
        self.stream.write_all(&out).await?;
        Ok(())
    }

    /// Standby status update: everything up to `lsn` is written, flushed
    /// and applied, so the server may recycle that WAL.
    async fn acknowledge(&mut self, lsn: u64) -> anyhow::Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_micros() as i64
            - PG_EPOCH_OFFSET_US;
        let mut body = vec![b'r'];
        for _ in 0..3 {
            body.extend_from_slice(&lsn.to_be_bytes());
        }
        body.extend_from_slice(&now.to_be_bytes());
        body.push(0);
        self.send(b'd', &body).await
    }
}

// ANCHOR: start_replication
impl Conn {
    /// Turn this (replication) connection into a stream of logical changes
    /// from a new temporary slot decoded by `test_decoding`. Returns once
    /// the server has switched to copy-both mode.
    pub async fn start_replication(&mut self, slot: &str) -> anyhow::Result<()> {
        self.query(&format!(
            "CREATE_REPLICATION_SLOT {slot} TEMPORARY LOGICAL test_decoding"
        ))
        .await?;
        let start = format!(
            "START_REPLICATION SLOT {slot} LOGICAL 0/0 \
             (\"include-xids\" '0', \"skip-empty-xacts\" '1')"
        );
        self.send(b'Q', &cstring(&start)).await?;
        let m = self.read().await?;
        match m.tag {
            b'W' => Ok(()), // CopyBothResponse
            b'E' => bail!("START_REPLICATION: {}", error_text(&m.body)),
            other => bail!("START_REPLICATION answered {:?}", other as char),
        }
    }
}
// ANCHOR_END: start_replication

// ANCHOR: next_change
impl Conn {
    /// The next line of decoded change text from the stream, answering the
    /// server's keepalives on the way (it drops a silent client).
    pub async fn next_change(&mut self) -> anyhow::Result<String> {
        loop {
            let m = self.read().await?;
            anyhow::ensure!(m.tag == b'd', "expected CopyData, got {:?}", m.tag as char);
            match m.body.first() {
                // XLogData: start LSN, end LSN, send time, then the change.
                Some(b'w') if m.body.len() >= 25 => {
                    let end = u64::from_be_bytes(m.body[9..17].try_into()?);
                    self.acknowledge(end).await?;
                    return Ok(String::from_utf8_lossy(&m.body[25..]).into_owned());
                }
                // Primary keepalive: end LSN, time, "reply now" flag.
                Some(b'k') if m.body.len() >= 18 => {
                    if m.body[17] == 1 {
                        let end = u64::from_be_bytes(m.body[1..9].try_into()?);
                        self.acknowledge(end).await?;
                    }
                }
                _ => bail!("an unknown replication message"),
            }
        }
    }
}
// ANCHOR_END: next_change

/// The first message: length, protocol 3.0, `name\0value\0` pairs, `\0`.
fn startup_message(params: &[(&str, &str)]) -> Vec<u8> {
    let mut body = (3u32 << 16).to_be_bytes().to_vec();
    for (name, value) in params {
        body.extend_from_slice(&cstring(name));
        body.extend_from_slice(&cstring(value));
    }
    body.push(0);
    let mut m = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    m.extend_from_slice(&body);
    m
}

fn cstring(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

/// A `DataRow`: a column count, then each column's length (-1 for NULL)
/// and bytes.
fn data_row(body: &[u8]) -> anyhow::Result<Vec<Option<String>>> {
    let count = u16::from_be_bytes(body.get(0..2).context("short DataRow")?.try_into()?);
    let mut at = 2;
    let mut row = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = i32::from_be_bytes(body.get(at..at + 4).context("short DataRow")?.try_into()?);
        at += 4;
        if len < 0 {
            row.push(None);
        } else {
            let bytes = body.get(at..at + len as usize).context("short DataRow")?;
            row.push(Some(String::from_utf8_lossy(bytes).into_owned()));
            at += len as usize;
        }
    }
    Ok(row)
}

/// The `M` (message) field of an `ErrorResponse`.
fn error_text(body: &[u8]) -> String {
    body.split(|b| *b == 0)
        .find(|f| f.first() == Some(&b'M'))
        .map(|f| String::from_utf8_lossy(&f[1..]).into_owned())
        .unwrap_or_else(|| "an error without a message".into())
}
