//! A live query kept up to date from a stream of row changes: the
//! subscriber holds the query's current result and turns each committed
//! change into `+row` / `−row` deltas.
//!
//! The query is one table and a filter, so a change decides by itself
//! whether a row enters, leaves or changes in the result. Joins and
//! aggregates need the other rows too: that is incremental view
//! maintenance, what Materialize, Electric or DBSP-based systems do, and
//! far beyond this file.

use std::collections::BTreeMap;

/// The query the client subscribes to:
/// `SELECT id, amount FROM payments WHERE customer = $1 AND amount >= $2`.
#[derive(Debug, Clone)]
pub struct Query {
    pub customer: &'static str,
    pub min_amount: i64,
}

/// One row of `payments`, as the change stream describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub customer: String,
    pub amount: i64,
}

/// A row of the result entering (`+`) or leaving (`−`) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Delta {
    Plus { id: i64, amount: i64 },
    Minus { id: i64, amount: i64 },
}

impl std::fmt::Display for Delta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Delta::Plus { id, amount } => write!(f, "+({id}, {amount})"),
            Delta::Minus { id, amount } => write!(f, "-({id}, {amount})"),
        }
    }
}

/// One decoded change: what `test_decoding` writes for a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Begin,
    Commit,
    Upsert(Row),
    /// A delete names the key only (the table's default replica identity).
    Delete {
        id: i64,
    },
}

impl Query {
    /// The query as SQL.
    pub fn sql(&self) -> String {
        format!(
            "SELECT id, amount FROM payments WHERE customer = '{}' AND amount >= {} ORDER BY id",
            self.customer, self.min_amount
        )
    }

    fn matches(&self, row: &Row) -> bool {
        row.customer == self.customer && row.amount >= self.min_amount
    }
}

/// The query's result, kept current by changes.
#[derive(Debug, Clone)]
pub struct LiveResult {
    query: Query,
    rows: BTreeMap<i64, i64>,
    pending: Vec<Delta>,
}

impl LiveResult {
    /// Start from the result as a first query read it: `(id, amount)`.
    pub fn new(query: Query, rows: impl IntoIterator<Item = (i64, i64)>) -> LiveResult {
        LiveResult {
            query,
            rows: rows.into_iter().collect(),
            pending: Vec::new(),
        }
    }

    /// The result as it stands.
    pub fn rows(&self) -> &BTreeMap<i64, i64> {
        &self.rows
    }
}

// ANCHOR: apply
impl LiveResult {
    /// Apply one change; at each commit, the deltas of that transaction.
    pub fn apply(&mut self, change: Change) -> Option<Vec<Delta>> {
        let (id, now) = match change {
            Change::Begin => return None,
            Change::Commit => return Some(std::mem::take(&mut self.pending)),
            Change::Upsert(row) => (row.id, self.query.matches(&row).then_some(row.amount)),
            Change::Delete { id } => (id, None),
        };
        let before = self.rows.get(&id).copied();
        if before == now {
            return None; // not in the result before or after, or unchanged
        }
        if let Some(amount) = before {
            self.rows.remove(&id);
            self.pending.push(Delta::Minus { id, amount });
        }
        if let Some(amount) = now {
            self.rows.insert(id, amount);
            self.pending.push(Delta::Plus { id, amount });
        }
        None
    }
}
// ANCHOR_END: apply

/// What polling can do: compare two whole results.
pub fn diff(before: &BTreeMap<i64, i64>, after: &BTreeMap<i64, i64>) -> Vec<Delta> {
    let mut out = Vec::new();
    for (&id, &amount) in before {
        if after.get(&id) != Some(&amount) {
            out.push(Delta::Minus { id, amount });
        }
    }
    for (&id, &amount) in after {
        if before.get(&id) != Some(&amount) {
            out.push(Delta::Plus { id, amount });
        }
    }
    out
}

/// Parse one line of `test_decoding` output, for table `payments`:
/// `table public.payments: INSERT: id[integer]:1 customer[text]:'ada' amount[integer]:1500`.
pub fn parse(line: &str) -> anyhow::Result<Change> {
    if line.starts_with("BEGIN") {
        return Ok(Change::Begin);
    }
    if line.starts_with("COMMIT") {
        return Ok(Change::Commit);
    }
    let rest = line
        .strip_prefix("table public.payments: ")
        .ok_or_else(|| anyhow::anyhow!("not a payments change: {line}"))?;
    let (action, columns) = rest
        .split_once(": ")
        .ok_or_else(|| anyhow::anyhow!("no columns in {line}"))?;
    let columns = columns_of(columns)?;
    let get = |name: &str| {
        columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| anyhow::anyhow!("no column {name} in {line}"))
    };
    let id = get("id")?.parse()?;
    match action {
        "INSERT" | "UPDATE" => Ok(Change::Upsert(Row {
            id,
            customer: get("customer")?,
            amount: get("amount")?.parse()?,
        })),
        "DELETE" => Ok(Change::Delete { id }),
        other => anyhow::bail!("unexpected action {other} in {line}"),
    }
}

/// `name[type]:value` pairs; a text value is in single quotes, a quote
/// inside it doubled.
fn columns_of(mut s: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    while !s.is_empty() {
        let open = s
            .find('[')
            .ok_or_else(|| anyhow::anyhow!("no type in {s}"))?;
        let name = s[..open].to_owned();
        let colon = s[open..]
            .find("]:")
            .ok_or_else(|| anyhow::anyhow!("no value in {s}"))?;
        s = &s[open + colon + 2..];
        let value = if let Some(quoted) = s.strip_prefix('\'') {
            let mut value = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().map(|(_, c)| *c) == Some('\'') {
                        chars.next();
                        value.push('\'');
                        continue;
                    }
                    end = i + 1;
                    break;
                }
                value.push(c);
            }
            s = &quoted[end..];
            value
        } else {
            let end = s.find(' ').unwrap_or(s.len());
            let value = s[..end].to_owned();
            s = &s[end..];
            value
        };
        s = s.trim_start();
        out.push((name, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_test_decoding_lines() {
        let line = "table public.payments: INSERT: id[integer]:7 customer[text]:'o''brien' amount[bigint]:1500";
        assert_eq!(
            parse(line).unwrap(),
            Change::Upsert(Row {
                id: 7,
                customer: "o'brien".into(),
                amount: 1500
            })
        );
        assert_eq!(
            parse("table public.payments: DELETE: id[integer]:7").unwrap(),
            Change::Delete { id: 7 }
        );
    }
}
