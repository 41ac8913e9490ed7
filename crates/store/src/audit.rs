//! The audit trail: one row per change, written in the change's transaction, chained by hash.
//!
//! Every insert takes the chain head (`audit_head`, one row) with an UPDATE, which serialises
//! writers on both backends, seals the entry over the previous seal and its fields with the
//! key (HMAC-SHA-256; the key lives outside the database), and moves the head. Entries are
//! sealed only when written. Triggers refuse UPDATE and DELETE of a sealed entry.

use dangvu_domain::audit_chain::{
    ChainBreak, ChainFields, Sealer, StoredEntry, Verifier, entry_hash,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Backend, Conn, Store};
use crate::error::{Result, StoreError};

/// One audit entry to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    /// The account that acted (None: the system, the command line).
    pub actor_id: Option<i64>,
    /// Where from: the client address.
    pub address: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    /// The organisation the change belongs to, for filtering by scope.
    pub org_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
    pub decision_ref: Option<String>,
}

/// An entry as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAudit {
    pub id: i64,
    pub seq: i64,
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The fields the seal covers, at sequence number `seq`.
    pub fn chain_fields(&self, seq: i64) -> ChainFields<'_> {
        ChainFields {
            seq,
            at: &self.at,
            actor: &self.actor,
            actor_id: self.actor_id,
            address: self.address.as_deref(),
            action: &self.action,
            entity: &self.entity,
            entity_id: self.entity_id,
            org_id: self.org_id,
            old_value: self.old_value.as_deref(),
            new_value: self.new_value.as_deref(),
            reason: self.reason.as_deref(),
            decision_ref: self.decision_ref.as_deref(),
        }
    }
}

/// Takes the head for the next entry: (its sequence number, the previous hash).
async fn take_head(conn: &mut Conn) -> Result<(i64, String)> {
    let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *conn)
        .await?;
    Ok((row.try_get("seq")?, row.try_get("hash")?))
}

async fn set_head_hash(conn: &mut Conn, hash: &str) -> Result<()> {
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Appends an entry to the chain, inside the caller's transaction.
pub async fn insert(conn: &mut Conn, sealer: &Sealer, e: &AuditEntry) -> Result<i64> {
    let (seq, prev) = take_head(conn).await?;
    let hash = sealer.seal(&prev, &e.chain_fields(seq));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor, actor_id, address, action, entity, entity_id, org_id,
                                old_value, new_value, reason, decision_ref, seq, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(&e.at)
    .bind(&e.actor)
    .bind(e.actor_id)
    .bind(&e.address)
    .bind(&e.action)
    .bind(&e.entity)
    .bind(e.entity_id)
    .bind(e.org_id)
    .bind(&e.old_value)
    .bind(&e.new_value)
    .bind(&e.reason)
    .bind(&e.decision_ref)
    .bind(seq)
    .bind(&prev)
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await?;
    set_head_hash(conn, &hash).await?;
    Ok(id)
}

/// Appends entries to the chain in their order, inside the caller's transaction: one turn of
/// the head and multi-row inserts, for changes of many records at once (an import).
pub async fn insert_many(
    conn: &mut Conn,
    backend: Backend,
    sealer: &Sealer,
    entries: &[AuditEntry],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let n =
        i64::try_from(entries.len()).map_err(|_| StoreError::Config("too many entries".into()))?;
    let row = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(n)
        .fetch_one(&mut *conn)
        .await?;
    let last: i64 = row.try_get("seq")?;
    let mut prev: String = row.try_get("hash")?;
    let mut sealed = Vec::with_capacity(entries.len());
    for (i, e) in (last - n + 1..).zip(entries) {
        let hash = sealer.seal(&prev, &e.chain_fields(i));
        sealed.push((i, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    for (chunk, seals) in entries.chunks(200).zip(sealed.chunks(200)) {
        let sql = format!(
            "{} audit_log (at, actor, actor_id, address, action, entity, entity_id, org_id,
                                    old_value, new_value, reason, decision_ref, seq, prev_hash, hash) VALUES {}",
            crate::bulk::insert_into(backend),
            crate::bulk::values(backend, chunk.len(), 15)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (e, (seq, prev, hash)) in chunk.iter().zip(seals) {
            q = q
                .bind(e.at.clone())
                .bind(e.actor.clone())
                .bind(e.actor_id)
                .bind(e.address.clone())
                .bind(e.action.clone())
                .bind(e.entity.clone())
                .bind(e.entity_id)
                .bind(e.org_id)
                .bind(e.old_value.clone())
                .bind(e.new_value.clone())
                .bind(e.reason.clone())
                .bind(e.decision_ref.clone())
                .bind(*seq)
                .bind(prev.clone())
                .bind(hash.clone());
        }
        q.execute(&mut *conn).await?;
    }
    set_head_hash(conn, &prev).await
}

const COLUMNS: &str = "id, seq, at, actor, actor_id, address, action, entity, entity_id, org_id,
    old_value, new_value, reason, decision_ref, prev_hash, hash";

fn stored(r: &AnyRow) -> Result<StoredAudit> {
    Ok(StoredAudit {
        id: r.try_get("id")?,
        seq: r.try_get::<Option<i64>, _>("seq")?.unwrap_or(0),
        entry: from_columns![r; AuditEntry {
            at, actor, actor_id, address, action, entity, entity_id, org_id, old_value,
            new_value, reason, decision_ref
        }],
        prev_hash: r
            .try_get::<Option<String>, _>("prev_hash")?
            .unwrap_or_default(),
        hash: r.try_get::<Option<String>, _>("hash")?.unwrap_or_default(),
    })
}

/// Adds entries written before the chain existed (hash NULL) to the chain, oldest first, with
/// the unkeyed hash: run once, by the migration that creates the chain, never afterwards (a row
/// slipped into the table later stays unsealed and verification names it). Returns how many
/// were sealed.
pub(crate) async fn seal_unsealed(store: &Store) -> Result<usize> {
    let mut tx = store.begin().await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_log WHERE hash IS NULL ORDER BY id"
    )))
    .fetch_all(&mut *tx)
    .await?;
    let n = rows.len();
    for r in rows {
        let s = stored(&r)?;
        let (seq, prev) = take_head(&mut tx).await?;
        let hash = entry_hash(&prev, &s.entry.chain_fields(seq));
        sqlx::query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(seq)
            .bind(&prev)
            .bind(&hash)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
        set_head_hash(&mut tx, &hash).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// The outcome of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub checked: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub broken: Option<ChainBreak>,
    /// Entries sealed without the key (written before the installation had one).
    pub unkeyed: i64,
    /// The database's guards of the table (its triggers) that are missing.
    pub missing_guards: Vec<String>,
}

/// The chain's head: the last sequence number and seal.
pub async fn head(conn: &mut Conn) -> Result<(i64, String)> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok((head.try_get("seq")?, head.try_get("hash")?))
}

/// The seal of entry `seq`, if there is one.
pub async fn seal_of(conn: &mut Conn, seq: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

/// The triggers that refuse changes of sealed entries, by backend.
fn guards(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &["audit_log_no_delete", "audit_log_no_update"],
        Backend::Postgres => &["audit_log_no_change"],
    }
}

async fn missing_guards(conn: &mut Conn, backend: Backend) -> Result<Vec<String>> {
    let present: Vec<String> =
        match backend {
            Backend::Sqlite => sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
            )
            .fetch_all(&mut *conn)
            .await?,
            Backend::Postgres => {
                sqlx::query_scalar(
                    "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                 WHERE c.relname = 'audit_log' AND c.relnamespace = current_schema()::regnamespace
                   AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
                )
                .fetch_all(&mut *conn)
                .await?
            }
        };
    Ok(guards(backend)
        .iter()
        .filter(|g| !present.iter().any(|p| p == *g))
        .map(|g| (*g).to_owned())
        .collect())
}

/// Verifies the whole chain with the store's key, in one read snapshot; writes nothing.
pub async fn verify(store: &Store) -> Result<Verification> {
    let sealer = store.audit_key()?;
    let mut tx = store.read().await?;
    let v = verify_in(&mut tx, store.backend, sealer).await?;
    tx.commit().await?;
    Ok(v)
}

/// Verifies the chain inside the caller's transaction (a restore checks what it wrote before
/// committing), reading it in pages of 5,000 entries.
pub async fn verify_in(conn: &mut Conn, backend: Backend, sealer: &Sealer) -> Result<Verification> {
    let (head_seq, head_hash) = head(conn).await?;
    let mut v = Verifier::new(sealer.clone());
    let mut after = -1i64;
    let mut broken = None;
    // A row nobody sealed (written behind the application's back) is named first.
    let unsealed: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, seq FROM audit_log WHERE hash IS NULL OR seq IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, seq)) = unsealed {
        broken = Some(ChainBreak::Altered {
            seq: seq.unwrap_or(0),
            id,
        });
    }
    'pages: while broken.is_none() {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000"
        )))
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let s = stored(r)?;
            let e = StoredEntry {
                id: s.id,
                prev_hash: s.prev_hash.clone(),
                hash: s.hash.clone(),
            };
            if let Err(b) = v.next(&e, &s.entry.chain_fields(s.seq)) {
                broken = Some(b);
                break 'pages;
            }
            after = s.seq;
        }
    }
    if broken.is_none() {
        broken = v.finish(head_seq, &head_hash).err();
    }
    Ok(Verification {
        checked: v.checked,
        head_seq,
        head_hash,
        broken,
        unkeyed: (sealer.keyed_from - 1).min(head_seq).max(0),
        missing_guards: missing_guards(conn, backend).await?,
    })
}

/// A filter of the audit trail page.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only entries of these organisations (None: all).
    pub orgs: Option<Vec<i64>>,
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub action: Option<String>,
    /// RFC 3339 bounds on `at`, [from, to).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
    /// Entries with a sequence number below this (paging backwards).
    pub before_seq: Option<i64>,
    /// Leaves out the entries of the asset-declaration supervision register (`asset.*`).
    pub hide_assets: bool,
}

/// Entries matching a filter, newest first.
pub async fn search(conn: &mut Conn, q: &AuditQuery) -> Result<Vec<StoredAudit>> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1");
    if q.hide_assets {
        sql.push_str(" AND action NOT LIKE 'asset.%'");
    }
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let mut texts: Vec<String> = Vec::new();
    let mut ints: Vec<i64> = Vec::new();
    // Parameters are bound in order: texts and ints interleave, so record the order.
    let mut order: Vec<bool> = Vec::new();
    if let Some(a) = &q.actor {
        sql.push_str(&format!(" AND actor = {}", next()));
        texts.push(a.clone());
        order.push(true);
    }
    if let Some(e) = &q.entity {
        sql.push_str(&format!(" AND entity = {}", next()));
        texts.push(e.clone());
        order.push(true);
    }
    if let Some(i) = q.entity_id {
        sql.push_str(&format!(" AND entity_id = {}", next()));
        ints.push(i);
        order.push(false);
    }
    if let Some(a) = &q.action {
        sql.push_str(&format!(" AND action = {}", next()));
        texts.push(a.clone());
        order.push(true);
    }
    if let Some(f) = &q.from {
        sql.push_str(&format!(" AND at >= {}", next()));
        texts.push(f.clone());
        order.push(true);
    }
    if let Some(t) = &q.to {
        sql.push_str(&format!(" AND at < {}", next()));
        texts.push(t.clone());
        order.push(true);
    }
    if let Some(b) = q.before_seq {
        sql.push_str(&format!(" AND seq < {}", next()));
        ints.push(b);
        order.push(false);
    }
    if let Some(orgs) = &q.orgs {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = orgs.iter().map(i64::to_string).collect();
        sql.push_str(&format!(" AND org_id IN ({})", list.join(",")));
    }
    sql.push_str(&format!(
        " ORDER BY seq DESC LIMIT {}",
        q.limit.clamp(1, 1000)
    ));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    let (mut ti, mut ii) = (texts.into_iter(), ints.into_iter());
    for is_text in order {
        query = if is_text {
            query.bind(ti.next())
        } else {
            query.bind(ii.next())
        };
    }
    let q = query;
    crate::db::all(conn, q, stored).await
}

/// The entries about one entity, oldest first.
pub async fn for_entity(conn: &mut Conn, entity: &str, id: i64) -> Result<Vec<AuditEntry>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY seq"
    )))
    .bind(entity)
    .bind(id);
    crate::db::all(conn, q, |r| Ok(stored(r)?.entry)).await
}

/// Number of audit entries.
pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut *conn)
        .await?)
}

/// The data version: bumped by every change of organisations or members (sign-ins and account
/// changes leave it alone), so it versions caches of derived figures, across processes too.
pub async fn last_id(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT v FROM data_version WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// What one step of the data version changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataChange {
    /// A member's name, nothing else.
    Rename(i64),
    /// One member's record or memberships.
    Member(i64),
    /// Organisations (and possibly the members they moved).
    Org(i64),
}

/// Notes what the data version's last step changed.
pub async fn record_change(conn: &mut Conn, c: DataChange) -> Result<()> {
    let (kind, member, org) = match c {
        DataChange::Rename(m) => ("rename", Some(m), None),
        DataChange::Member(m) => ("member", Some(m), None),
        DataChange::Org(o) => ("org", None, Some(o)),
    };
    sqlx::query(
        "INSERT INTO data_changes (version, kind, member_id, org_id) SELECT v, $1, $2, $3 FROM data_version WHERE id = 1",
    )
    .bind(kind)
    .bind(member)
    .bind(org)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the data version one step for each of these members (their records or memberships
/// changed), noting each step, as `bump_data_version` and `record_change` do one at a time.
pub async fn record_member_changes(
    conn: &mut Conn,
    backend: Backend,
    members: &[i64],
) -> Result<()> {
    if members.is_empty() {
        return Ok(());
    }
    let n =
        i64::try_from(members.len()).map_err(|_| StoreError::Config("too many changes".into()))?;
    let last: i64 =
        sqlx::query_scalar("UPDATE data_version SET v = v + $1 WHERE id = 1 RETURNING v")
            .bind(n)
            .fetch_one(&mut *conn)
            .await?;
    let steps: Vec<(i64, i64)> = (last - n + 1..).zip(members.iter().copied()).collect();
    for chunk in steps.chunks(500) {
        let sql = format!(
            "{} data_changes (version, kind, member_id) VALUES {}",
            crate::bulk::insert_into(backend),
            crate::bulk::values(backend, chunk.len(), 3)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (v, m) in chunk {
            q = q.bind(*v).bind("member").bind(*m);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The changes between two data versions (after `from`, up to `to`), oldest first; `None`
/// when some step is not recorded (or the gap is large: then read everything again).
pub async fn changes_between(
    conn: &mut Conn,
    from: i64,
    to: i64,
) -> Result<Option<Vec<DataChange>>> {
    if to < from || to - from > 1000 {
        return Ok(None);
    }
    let rows: Vec<(i64, String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT version, kind, member_id, org_id FROM data_changes WHERE version > $1 AND version <= $2 ORDER BY version",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    if rows.len() as i64 != to - from {
        return Ok(None);
    }
    Ok(rows
        .into_iter()
        .map(|(_, kind, m, o)| match (kind.as_str(), m, o) {
            ("rename", Some(m), _) => Some(DataChange::Rename(m)),
            ("member", Some(m), _) => Some(DataChange::Member(m)),
            ("org", _, Some(o)) => Some(DataChange::Org(o)),
            _ => None,
        })
        .collect())
}

/// The members renamed between two data versions, when every step between them was a
/// rename; `None` when any step changed something else.
pub async fn renames_between(conn: &mut Conn, from: i64, to: i64) -> Result<Option<Vec<i64>>> {
    Ok(changes_between(conn, from, to).await?.and_then(|v| {
        v.into_iter()
            .map(|c| match c {
                DataChange::Rename(m) => Some(m),
                _ => None,
            })
            .collect()
    }))
}

/// Bumps the data version, inside the change's transaction.
pub async fn bump_data_version(conn: &mut Conn) -> Result<()> {
    sqlx::query("UPDATE data_version SET v = v + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
