//! Bulk loading for imports and `dangvu gen`: many members in few statements.

use chrono::NaiveDate;
use dangvu_domain::card::CardStatus;
use dangvu_domain::date::iso;
use dangvu_domain::ids::OrgId;
use dangvu_domain::member::{CardGeneration, Event, MemberRecord, Span};
use dangvu_domain::text::{name_sort_key, search_tokens};
use sqlx::Any;
use sqlx::query::Query;

use crate::db::{Backend, Conn};
use crate::error::{Result, StoreError};
use crate::members::{RECORD_COLUMNS, bind_record_keyed};

/// One member to load: her record, her (validated) timeline and her cell placement.
pub struct BulkMember {
    pub record: MemberRecord,
    pub events: Vec<Event>,
    /// The read model of the timeline (`dangvu_domain::member::spans`).
    pub spans: Vec<Span>,
    pub card: Option<BulkCard>,
    /// Her name's keys when the caller made them already.
    pub keys: Option<NameKeys>,
}

/// What a name is sorted and searched by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    pub sort_key: Vec<u8>,
    pub tokens: Vec<String>,
}

impl NameKeys {
    pub fn of(name: &str) -> NameKeys {
        NameKeys {
            sort_key: name_sort_key(name),
            tokens: search_tokens(name),
        }
    }
}

/// A member's card in use, as a bulk load writes it.
pub struct BulkCard {
    pub number: String,
    pub generation: CardGeneration,
    pub issued_on: NaiveDate,
    /// The committee that issued it, when known.
    pub issuer: Option<OrgId>,
}

/// The start of a multi-row insert. On SQLite `OR FAIL`: a statement that may stop half-way
/// on a constraint otherwise copies every page it changes into a statement journal first,
/// so that it can undo itself (a third of a bulk write's work); every bulk write runs in a
/// transaction that fails whole on any error, so nothing needs undoing statement by
/// statement. (Foreign keys go unchecked for the same reason: `Store::begin_bulk`.)
pub(crate) fn insert_into(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "INSERT OR FAIL INTO",
        Backend::Postgres => "INSERT INTO",
    }
}

/// `(…),(…)` placeholders. SQLite gets anonymous `?` (its lookup of numbered names is linear
/// in the number of parameters, which makes big statements quadratic); PostgreSQL `$n`.
pub(crate) fn values(backend: Backend, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            if backend == Backend::Sqlite {
                s.push('?');
            } else {
                s.push('$');
                s.push_str(&n.to_string());
            }
            n += 1;
        }
        s.push(')');
    }
    s
}

async fn run(conn: &mut Conn, q: Query<'_, Any, sqlx::any::AnyArguments>) -> Result<()> {
    q.execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// The next free member id.
pub async fn next_member_id(conn: &mut Conn) -> Result<i64> {
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM members")
        .fetch_one(&mut *conn)
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Inserts members with the given ids (fresh ones: `reserve_ids`, or from `next_member_id` on
/// into an empty register), with their tokens, events, memberships and cards.
pub async fn insert_members(
    conn: &mut Conn,
    backend: Backend,
    ids: &[i64],
    batch: &[impl std::borrow::Borrow<BulkMember>],
    now: &str,
    actor: &str,
) -> Result<()> {
    if ids.len() != batch.len() {
        return Err(StoreError::Config(
            "bulk ids and members differ in number".into(),
        ));
    }
    for (chunk, idc) in batch.chunks(100).zip(ids.chunks(100)) {
        let chunk: Vec<&BulkMember> = chunk.iter().map(std::borrow::Borrow::borrow).collect();
        // A name's keys are made once: the record and every membership carry its sort key.
        let made: Vec<Option<NameKeys>> = chunk
            .iter()
            .map(|m| m.keys.is_none().then(|| NameKeys::of(&m.record.full_name)))
            .collect();
        let keys: Vec<&NameKeys> = chunk
            .iter()
            .zip(&made)
            .filter_map(|(m, k)| m.keys.as_ref().or(k.as_ref()))
            .collect();
        let sql = format!(
            "{} members (id, {RECORD_COLUMNS}, created_at) VALUES {}",
            insert_into(backend),
            values(backend, chunk.len(), 25)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((m, id), key) in chunk.iter().zip(idc).zip(&keys) {
            q = bind_record_keyed(q.bind(*id), &m.record, key.sort_key.clone())
                .bind(now.to_owned());
        }
        run(conn, q).await?;

        let tokens: Vec<(&String, i64)> = keys
            .iter()
            .zip(idc)
            .flat_map(|(k, id)| k.tokens.iter().map(move |t| (t, *id)))
            .collect();
        for t in tokens.chunks(300) {
            let sql = format!(
                "{} member_tokens (token, member_id) VALUES {}",
                insert_into(backend),
                values(backend, t.len(), 2)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (tok, id) in t {
                q = q.bind((*tok).clone()).bind(*id);
            }
            run(conn, q).await?;
        }

        let events: Vec<(&Event, i64)> = chunk
            .iter()
            .zip(idc)
            .flat_map(|(m, id)| m.events.iter().map(move |e| (e, *id)))
            .collect();
        for e in events.chunks(200) {
            let sql = format!(
                "{} member_events (member_id, kind, occurred_on, org_id, discipline, recorded_at, recorded_by) VALUES {}",
                insert_into(backend),
                values(backend, e.len(), 7)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (ev, id) in e {
                q = q
                    .bind(*id)
                    .bind(ev.kind.code())
                    .bind(iso(ev.on))
                    .bind(ev.org.map(|o| o.0))
                    .bind(ev.discipline.map(|d| d.code()))
                    .bind(now.to_owned())
                    .bind(actor.to_owned());
            }
            run(conn, q).await?;
        }

        let spans: Vec<(&Span, i64, &&NameKeys)> = chunk
            .iter()
            .zip(idc)
            .zip(&keys)
            .flat_map(|((m, id), key)| m.spans.iter().map(move |s| (s, *id, key)))
            .collect();
        for sp in spans.chunks(100) {
            let sql = format!(
                "{} memberships (member_id, org_id, status, official, valid_from, valid_to, sort_key) VALUES {}",
                insert_into(backend),
                values(backend, sp.len(), 7)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (s, id, key) in sp {
                q = q
                    .bind(*id)
                    .bind(s.cell.0)
                    .bind(s.status.code())
                    .bind(i64::from(s.official))
                    .bind(iso(s.from))
                    .bind(s.to.map(iso))
                    .bind(key.sort_key.clone());
            }
            run(conn, q).await?;
        }

        let cards: Vec<(&BulkCard, i64)> = chunk
            .iter()
            .zip(idc)
            .filter_map(|(m, id)| m.card.as_ref().map(|c| (c, *id)))
            .collect();
        if !cards.is_empty() {
            let sql = format!(
                "{} member_cards (member_id, card_number, generation, issued_on, issuer_id, status) VALUES {}",
                insert_into(backend),
                values(backend, cards.len(), 6)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (c, id) in cards {
                q = q
                    .bind(id)
                    .bind(c.number.clone())
                    .bind(c.generation.code())
                    .bind(iso(c.issued_on))
                    .bind(c.issuer.map(|o| o.0))
                    .bind(CardStatus::InUse.code());
            }
            run(conn, q).await?;
        }
    }
    Ok(())
}

/// `n` fresh ids of a table for rows written with explicit ids: from the table's sequence on
/// PostgreSQL (so that concurrent inserts never take them), past the largest id ever given on
/// SQLite (whose writer holds the database for the transaction).
pub async fn reserve_ids(
    conn: &mut Conn,
    backend: Backend,
    table: Table,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let name = table.name();
    let count = i64::try_from(n).map_err(|_| StoreError::Config("too many ids".into()))?;
    if backend == Backend::Postgres {
        let sql = format!(
            "SELECT nextval(pg_get_serial_sequence('{name}', 'id')) FROM generate_series(1, CAST($1 AS BIGINT))"
        );
        return Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(count)
            .fetch_all(&mut *conn)
            .await?);
    }
    let sql = format!(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM {name}), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{name}'), 0))"
    );
    let last: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await?;
    Ok((1..=count).map(|i| last + i).collect())
}

/// A table whose ids `reserve_ids` hands out.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Members,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Members => "members",
        }
    }
}

/// After loading explicit ids on PostgreSQL, moves the id sequence past them.
pub async fn sync_sequences(conn: &mut Conn, backend: Backend) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT setval(pg_get_serial_sequence('members', 'id'), COALESCE((SELECT MAX(id) FROM members), 1))")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load.
pub async fn analyze(conn: &mut Conn) -> Result<()> {
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    Ok(())
}

/// The non-unique indexes of the member tables, as the migrations create them: (name, statement).
fn secondary_indexes(backend: Backend) -> Vec<(String, String)> {
    let tables = [
        "members",
        "member_tokens",
        "member_events",
        "memberships",
        "member_cards",
    ];
    crate::db::migrations(backend)
        .iter()
        .flat_map(|(_, _, sql)| crate::db::statements(sql))
        .filter(|stmt| stmt.starts_with("CREATE INDEX "))
        .filter_map(|stmt| {
            let mut words = stmt.split_whitespace();
            let name = words.nth(2)?.to_owned();
            let table = words.nth(1)?.split('(').next()?.to_owned();
            tables.contains(&table.as_str()).then_some((name, stmt))
        })
        .collect()
}

/// Drops the non-unique indexes of the member tables before a bulk load into an empty
/// database (building them once afterwards is several times faster than keeping them up).
pub async fn drop_secondary_indexes(conn: &mut Conn, backend: Backend) -> Result<usize> {
    let list = secondary_indexes(backend);
    for (name, _) in &list {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX IF EXISTS {name}")))
            .execute(&mut *conn)
            .await?;
    }
    Ok(list.len())
}

/// Builds the indexes `drop_secondary_indexes` dropped.
pub async fn create_secondary_indexes(conn: &mut Conn, backend: Backend) -> Result<()> {
    for (name, stmt) in secondary_indexes(backend) {
        sqlx::query(sqlx::AssertSqlSafe(stmt.replacen(
            &format!("INDEX {name}"),
            &format!("INDEX IF NOT EXISTS {name}"),
            1,
        )))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Decides a synthetic review period for `dangvu gen --review`: every member on the rolls at
/// the period's end gets a level spread like a real year (about 15 % HTXS, 75 % HTT, 8 % HT,
/// 2 % KHT; exempt and suspended members not classified), then every cell and grassroots
/// organisation. Written by three `INSERT … SELECT` statements, for benchmarks of the report;
/// the rules are the use cases' business, not this loader's. Returns how many decisions.
pub async fn synthetic_review(
    conn: &mut Conn,
    period_id: i64,
    end: NaiveDate,
    now: &str,
) -> Result<u64> {
    let level = |id: &str| {
        format!(
            "CASE WHEN {id} % 100 < 15 THEN 'htxs' WHEN {id} % 100 < 90 THEN 'htt' WHEN {id} % 100 < 98 THEN 'ht' ELSE 'kht' END"
        )
    };
    let alive =
        |t: &str| format!("{t}.valid_from <= $2 AND ({t}.valid_to IS NULL OR {t}.valid_to > $2)");
    let members = format!(
        "INSERT INTO review_decisions (period_id, subject_kind, subject_id, grassroots_id, unit_id, level, not_classified, points, decision_ref, decided_at, decided_by)
         SELECT $1, 'member', ms.member_id, cp.parent_id, ms.org_id,
                CASE WHEN ms.status IN ('exempt', 'suspended') THEN NULL ELSE {lv} END,
                CASE WHEN ms.status = 'exempt' THEN 'exempt' WHEN ms.status = 'suspended' THEN 'suspended' ELSE NULL END,
                NULL, NULL, $3, 'dangvu gen'
         FROM memberships ms JOIN org_periods cp ON cp.org_id = ms.org_id AND {cp}
         WHERE {ms} AND ms.status IN ('probationary', 'official', 'exempt', 'suspended', 'temporarily_away')",
        lv = level("ms.member_id"),
        cp = alive("cp"),
        ms = alive("ms"),
    );
    let cells = format!(
        "INSERT INTO review_decisions (period_id, subject_kind, subject_id, grassroots_id, unit_id, level, not_classified, points, decision_ref, decided_at, decided_by)
         SELECT $1, CASE WHEN op.kind IN ('dang_bo_co_so', 'chi_bo_co_so') THEN 'grassroots' ELSE 'subordinate_org' END,
                op.org_id, CASE WHEN op.kind IN ('dang_bo_co_so', 'chi_bo_co_so') THEN NULL ELSE op.parent_id END, op.org_id,
                {lv}, NULL, NULL, NULL, $3, 'dangvu gen'
         FROM org_periods op
         WHERE {op} AND op.kind IN ('chi_bo_truc_thuoc', 'dang_bo_bo_phan', 'dang_bo_co_so', 'chi_bo_co_so')",
        lv = level("(op.org_id * 7)"),
        op = alive("op"),
    );
    let mut n = 0;
    for sql in [members, cells] {
        n += sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(period_id)
            .bind(iso(end))
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_sqlx)?
            .rows_affected();
    }
    Ok(n)
}

/// A synthetic year of dues for `dangvu gen --dues`: every member on the rolls on the first of
/// January gets a flat basis (5,000 to 20,000 đồng) from that month, and pays every month of the
/// year she is on a cell's rolls at the month's end, at that cell, except about one month in
/// thirty. Written by one `INSERT … SELECT` per month, for benchmarks of the dues reports.
/// Returns how many payments.
pub async fn synthetic_dues(conn: &mut Conn, year: i32, now: &str) -> Result<u64> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)?;
    let on_rolls = "ms.valid_from <= $1 AND (ms.valid_to IS NULL OR ms.valid_to > $1) AND ms.status IN ('probationary', 'official', 'exempt', 'suspended', 'temporarily_away')";
    let flat = "5000 + (ms.member_id % 4) * 5000";
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO dues_bases (member_id, valid_from, category, income, flat, note, recorded_at, recorded_by)
         SELECT ms.member_id, $2, 'other', NULL, {flat}, NULL, $3, 'dangvu gen' FROM memberships ms WHERE {on_rolls}"
    )))
    .bind(iso(first))
    .bind(iso(first))
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    let mut n = 0;
    for m in 1..=12u32 {
        let month = NaiveDate::from_ymd_opt(year, m, 1).ok_or(StoreError::NotFound)?;
        let end = month
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .ok_or(StoreError::NotFound)?;
        n += sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO dues_payments (member_id, month, cell_id, due, amount, paid_on, received_by, receipt, meeting_id, recorded_at, recorded_by)
             SELECT ms.member_id, $2, ms.org_id, {flat}, {flat}, $1, NULL, NULL, NULL, $3, 'dangvu gen'
             FROM memberships ms JOIN dues_bases b ON b.member_id = ms.member_id AND b.valid_from = $4
             WHERE {on_rolls} AND (ms.member_id + {m}) % 30 <> 0"
        )))
        .bind(iso(end))
        .bind(iso(month))
        .bind(now)
        .bind(iso(first))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?
        .rows_affected();
    }
    sqlx::query("DELETE FROM dues_cell_months")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO dues_cell_months (cell_id, month, payers, amount)
         SELECT cell_id, month, COUNT(*), SUM(amount) FROM dues_payments WHERE cancelled_on IS NULL GROUP BY cell_id, month",
    )
    .execute(&mut *conn)
    .await?;
    Ok(n)
}

/// The page cache of a SQLite connection while it writes many rows at once, in KiB: the
/// indexes a bulk write touches at random stay in memory instead of spilling to the log and
/// being read back.
const BULK_CACHE_KIB: i64 = 262_144;

/// Gives this connection the bulk writer's page cache (`on`), or its usual one back.
pub async fn bulk_cache(conn: &mut Conn, backend: Backend, on: bool) -> Result<()> {
    if backend == Backend::Sqlite {
        let kib = if on {
            BULK_CACHE_KIB
        } else {
            crate::db::CACHE_KIB
        };
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size=-{kib}")))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secondary_indexes_come_from_the_migrations() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let names: Vec<String> = secondary_indexes(backend)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            for expected in [
                "members_sort",
                "member_tokens_member",
                "member_events_member",
                "memberships_org",
                "memberships_member",
                "memberships_dates",
                "member_cards_member",
            ] {
                assert!(
                    names.iter().any(|n| n == expected),
                    "{expected} on {backend:?}: {names:?}"
                );
            }
            assert!(
                !names.iter().any(|n| n == "members_cccd"),
                "unique indexes stay"
            );
        }
    }
}
