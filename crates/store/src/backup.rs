//! Online backup and restore: every table, read in one snapshot transaction while the server
//! keeps writing, into one portable file (JSON lines) that restores into an empty database of
//! either backend. A SQLite backup can therefore also move a committee onto PostgreSQL.
//!
//! Format: a header line, then per table a line naming its columns and row count followed by
//! one JSON array per row, then an end line. Integers are numbers, text is text, blobs are hex.
//! A file without its end line, or with a row count that does not match, is refused whole.

use std::io::{BufRead, Write};

use dangvu_domain::audit_chain::hex;
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};

/// The tables, parents before children, with the key that orders their rows.
pub const TABLES: &[(&str, &str)] = &[
    ("orgs", "id"),
    ("org_periods", "id"),
    ("members", "id"),
    ("member_tokens", "member_id, token"),
    ("member_cards", "id"),
    ("member_events", "id"),
    ("member_event_corrections", "id"),
    ("member_education", "id"),
    ("transfers", "id"),
    ("memberships", "id"),
    ("member_corrections", "id"),
    ("committee_positions", "id"),
    ("users", "id"),
    ("role_grants", "id"),
    ("sessions", "token_hash"),
    ("login_throttle", "key"),
    ("review_periods", "id"),
    ("review_decisions", "id"),
    ("review_decision_corrections", "id"),
    ("review_steps", "id"),
    ("meetings", "id"),
    ("meeting_attendance", "id"),
    ("programme_pushes", "id"),
    ("programme_items", "id"),
    ("meeting_items", "id"),
    ("residence_links", "id"),
    ("residence_meetings", "id"),
    ("residence_attendance", "id"),
    ("residence_comments", "id"),
    ("meeting_assignments", "id"),
    ("meeting_guests", "id"),
    ("meeting_tasks", "id"),
    ("scoring_templates", "id"),
    ("meeting_scores", "id"),
    ("meeting_corrections", "id"),
    ("audit_log", "id"),
    ("audit_head", "id"),
    ("data_version", "id"),
    ("data_changes", "version"),
    ("calendar_days", "day"),
    ("decisions", "id"),
    ("candidates", "id"),
    ("candidate_steps", "id"),
    ("org_disciplines", "id"),
    ("dues_bases", "id"),
    ("dues_payments", "id"),
    ("dues_cell_months", "cell_id, month"),
    ("badges", "id"),
    ("import_layouts", "kind, layout_key"),
    ("asset_cadres", "id"),
    ("asset_declarations", "id"),
    ("asset_supervisions", "id"),
    ("opinions", "id"),
    ("commitments", "id"),
    ("regulations", "id"),
    ("regulation_versions", "id"),
    ("regulation_provisions", "id"),
    ("contest_questions", "id"),
    ("contest_rounds", "id"),
    ("contest_entries", "id"),
];

/// The tables a backup leaves out: the migrations' own record, the counts that triggers keep
/// from the rows restored (`review_counts`, rebuilt as the decisions come back), and the keys of
/// forms already sent (`sent_keys`: they only guard against a device sending a form twice).
pub const NOT_BACKED_UP: &[&str] = &["dangvu_migrations", "review_counts", "sent_keys"];

const FORMAT: &str = "dangvu-backup";
const FORMAT_VERSION: i64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    Blob,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::Text => "text",
            Kind::Blob => "blob",
        }
    }
    fn of_declared(t: &str) -> Kind {
        let t = t.to_ascii_lowercase();
        if t.contains("int") {
            Kind::Int
        } else if t.contains("blob") || t.contains("bytea") {
            Kind::Blob
        } else {
            Kind::Text
        }
    }
    fn parse(s: &str) -> Option<Kind> {
        [Kind::Int, Kind::Text, Kind::Blob]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::Config(msg.into())
}

async fn columns(
    conn: &mut crate::Conn,
    backend: Backend,
    table: &str,
) -> Result<Vec<(String, Kind)>> {
    let rows = match backend {
        Backend::Sqlite => {
            sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(&mut *conn)
                .await?
        }
        Backend::Postgres => {
            sqlx::query(
                "SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.iter()
        .map(|r| {
            let name: String = r.try_get("name")?;
            let t: String = r.try_get("type")?;
            Ok((name, Kind::of_declared(&t)))
        })
        .collect()
}

fn value_of(r: &AnyRow, i: usize, k: Kind) -> Result<Value> {
    Ok(match k {
        Kind::Int => r
            .try_get::<Option<i64>, _>(i)?
            .map_or(Value::Null, Value::from),
        Kind::Text => r
            .try_get::<Option<String>, _>(i)?
            .map_or(Value::Null, Value::from),
        Kind::Blob => r
            .try_get::<Option<Vec<u8>>, _>(i)?
            .map_or(Value::Null, |b| Value::from(hex(&b))),
    })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// What a backup or a restore did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub tables: usize,
    pub rows: u64,
}

/// The schema version: the highest migration applied.
async fn schema_version(conn: &mut crate::Conn) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM dangvu_migrations")
        .fetch_one(&mut *conn)
        .await?;
    Ok(v.unwrap_or(0))
}

/// Writes a consistent backup of every table to `out`, in one read snapshot.
pub async fn backup(store: &Store, taken_at: &str, out: &mut dyn Write) -> Result<Summary> {
    use futures_util::TryStreamExt;
    let io = |e: std::io::Error| bad(format!("cannot write the backup: {e}"));
    let mut tx = store.pool.begin().await?;
    if store.backend == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    // The first read fixes the snapshot (SQLite in WAL mode; PostgreSQL repeatable read).
    let schema = schema_version(&mut tx).await?;
    let header = json!({
        "format": FORMAT, "version": FORMAT_VERSION, "schema": schema,
        "taken_at": taken_at, "backend": format!("{:?}", store.backend),
    });
    writeln!(out, "{header}").map_err(io)?;
    let mut summary = Summary::default();
    for (table, key) in TABLES {
        let cols = columns(&mut tx, store.backend, table).await?;
        let count: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut *tx)
                .await?;
        let head = json!({
            "table": table,
            "columns": cols.iter().map(|(n, k)| json!([n, k.code()])).collect::<Vec<_>>(),
            "rows": count,
        });
        writeln!(out, "{head}").map_err(io)?;
        let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
        let sql = format!("SELECT {} FROM {table} ORDER BY {key}", names.join(", "));
        let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *tx);
        let mut n = 0i64;
        while let Some(r) = stream.try_next().await? {
            let vals = cols
                .iter()
                .enumerate()
                .map(|(i, (_, k))| value_of(&r, i, *k))
                .collect::<Result<Vec<_>>>()?;
            writeln!(out, "{}", Value::Array(vals)).map_err(io)?;
            n += 1;
        }
        drop(stream);
        if n != count {
            return Err(bad(format!("{table}: {n} rows read, {count} counted")));
        }
        summary.tables += 1;
        summary.rows += n as u64;
    }
    writeln!(
        out,
        "{}",
        json!({"end": true, "tables": summary.tables, "rows": summary.rows})
    )
    .map_err(io)?;
    tx.commit().await?;
    Ok(summary)
}

/// Restores a backup into this (migrated, empty) database, in one transaction: either every
/// row lands or none does.
pub async fn restore(store: &Store, input: &mut dyn BufRead) -> Result<Summary> {
    let mut lines = input.lines();
    let mut next_line = || -> Result<Value> {
        let l = lines
            .next()
            .ok_or_else(|| bad("the backup file ends too early (incomplete copy?)"))?
            .map_err(|e| bad(format!("cannot read the backup: {e}")))?;
        serde_json::from_str(&l).map_err(|e| bad(format!("the backup file is damaged: {e}")))
    };
    let header = next_line()?;
    if header["format"] != FORMAT || header["version"] != FORMAT_VERSION {
        return Err(bad("this file is not a Đảng vụ backup"));
    }
    let mut tx = store.begin().await?;
    let schema = schema_version(&mut tx).await?;
    if header["schema"].as_i64() != Some(schema) {
        return Err(bad(format!(
            "the backup is of schema version {} and this database of version {schema}: use the same version of dangvu",
            header["schema"]
        )));
    }
    let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
        .fetch_one(&mut *tx)
        .await?;
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    let audits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut *tx)
        .await?;
    if orgs + users + audits > 0 {
        return Err(bad(
            "the database is not empty: restore only into a new, empty database",
        ));
    }
    // The one-row tables, and the templates the migrations ship, come from the backup.
    for t in ["audit_head", "data_version", "scoring_templates"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {t}")))
            .execute(&mut *tx)
            .await?;
    }
    let mut summary = Summary::default();
    for (table, _) in TABLES {
        let head = next_line()?;
        if head["table"] != *table {
            return Err(bad(format!(
                "the backup lacks table {table} where expected"
            )));
        }
        let cols: Vec<(String, Kind)> = head["columns"]
            .as_array()
            .ok_or_else(|| bad("damaged table header"))?
            .iter()
            .map(|c| {
                Some((
                    c.get(0)?.as_str()?.to_owned(),
                    Kind::parse(c.get(1)?.as_str()?)?,
                ))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("damaged table header"))?;
        let here = columns(&mut tx, store.backend, table).await?;
        let mut here_names: Vec<&str> = here.iter().map(|(n, _)| n.as_str()).collect();
        let mut file_names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
        here_names.sort_unstable();
        file_names.sort_unstable();
        if here_names != file_names {
            return Err(bad(format!(
                "table {table}: the columns differ from this database's"
            )));
        }
        let count = head["rows"]
            .as_i64()
            .ok_or_else(|| bad("damaged table header"))?;
        let per_stmt = (30_000 / cols.len().max(1)).clamp(1, 500);
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_stmt);
        for i in 0..count {
            let row = next_line()?;
            let vals = row
                .as_array()
                .filter(|a| a.len() == cols.len())
                .ok_or_else(|| bad(format!("table {table}: row {} is damaged", i + 1)))?;
            batch.push(vals.clone());
            if batch.len() == per_stmt || i + 1 == count {
                insert_batch(&mut tx, table, &cols, &batch).await?;
                batch.clear();
            }
        }
        summary.tables += 1;
        summary.rows += count as u64;
    }
    let end = next_line()?;
    if end["end"] != true || end["rows"].as_u64() != Some(summary.rows) {
        return Err(bad("the backup file's end does not match its content"));
    }
    if store.backend == Backend::Postgres {
        for (table, key) in TABLES {
            if *key == "id" && !["audit_head", "data_version"].contains(table) {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )))
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    // The audit chain of what was restored must verify under this installation's key: a
    // backup edited on its way, or taken under another key, is refused whole.
    let v = crate::audit::verify_in(&mut tx, store.backend, store.audit_key()?).await?;
    if let Some(b) = v.broken {
        return Err(bad(format!(
            "the audit chain of the backup does not verify under this installation's audit key after {} good entries ({b}): nothing was restored; restore with the audit key of the installation that took it",
            v.checked
        )));
    }
    tx.commit().await?;
    Ok(summary)
}

async fn insert_batch(
    tx: &mut crate::Conn,
    table: &str,
    cols: &[(String, Kind)],
    rows: &[Vec<Value>],
) -> Result<()> {
    let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", names.join(", "));
    let mut p = 0;
    for (ri, _) in rows.iter().enumerate() {
        if ri > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for ci in 0..cols.len() {
            if ci > 0 {
                sql.push_str(", ");
            }
            p += 1;
            sql.push_str(&format!("${p}"));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for ((name, k), v) in cols.iter().zip(row) {
            let damaged = || bad(format!("table {table}: a value of {name} is damaged"));
            q = match (k, v) {
                (Kind::Int, Value::Null) => q.bind(None::<i64>),
                (Kind::Text, Value::Null) => q.bind(None::<String>),
                (Kind::Blob, Value::Null) => q.bind(None::<Vec<u8>>),
                (Kind::Int, v) => q.bind(v.as_i64().ok_or_else(damaged)?),
                (Kind::Text, v) => q.bind(v.as_str().ok_or_else(damaged)?.to_owned()),
                (Kind::Blob, v) => {
                    q.bind(unhex(v.as_str().ok_or_else(damaged)?).ok_or_else(damaged)?)
                }
            };
        }
    }
    q.execute(&mut *tx).await.map_err(StoreError::from_sqlx)?;
    Ok(())
}
