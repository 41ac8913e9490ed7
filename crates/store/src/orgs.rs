//! Organisations: dated periods (name, kind, parent) and committee positions.

use chrono::NaiveDate;
use dangvu_domain::date::{from_iso, iso};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::org::{OrgKind, Position};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};

/// One period of an organisation: its name, kind and parent between two dates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgPeriod {
    pub org: OrgId,
    pub parent: Option<OrgId>,
    pub name: String,
    pub kind: OrgKind,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// What opened this period: founded, renamed, moved, …
    pub change: String,
}

/// An organisation's own dates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgDates {
    pub founded_on: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
}

pub(crate) fn date(row: &AnyRow, col: &str) -> Result<NaiveDate> {
    let s: String = row.try_get(col)?;
    from_iso(&s).ok_or_else(|| StoreError::Config(format!("bad date in column {col}: {s}")))
}

/// A nullable date column: none when NULL, an error when the stored text is not a date.
pub(crate) fn opt_date(row: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| {
        from_iso(&s).ok_or_else(|| StoreError::Config(format!("bad date in column {col}: {s}")))
    })
    .transpose()
}

fn period(row: &AnyRow) -> Result<OrgPeriod> {
    let kind: String = row.try_get("kind")?;
    Ok(OrgPeriod {
        org: OrgId(row.try_get("org_id")?),
        parent: row.try_get::<Option<i64>, _>("parent_id")?.map(OrgId),
        name: row.try_get("name")?,
        kind: OrgKind::from_code(&kind)
            .ok_or_else(|| StoreError::Config(format!("bad org kind {kind}")))?,
        valid_from: date(row, "valid_from")?,
        valid_to: opt_date(row, "valid_to")?,
        change: row.try_get("change")?,
    })
}

const PERIOD_COLS: &str = "org_id, parent_id, name, kind, valid_from, valid_to, change";

pub async fn insert_org(conn: &mut Conn, founded_on: NaiveDate, now: &str) -> Result<OrgId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (founded_on, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(iso(founded_on))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(OrgId(id))
}

pub async fn org_dates(conn: &mut Conn, org: OrgId) -> Result<OrgDates> {
    let row = sqlx::query("SELECT founded_on, dissolved_on FROM orgs WHERE id = $1")
        .bind(org.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(OrgDates {
        founded_on: date(&row, "founded_on")?,
        dissolved_on: opt_date(&row, "dissolved_on")?,
    })
}

pub async fn set_dissolved(conn: &mut Conn, org: OrgId, on: NaiveDate) -> Result<()> {
    sqlx::query("UPDATE orgs SET dissolved_on = $1 WHERE id = $2")
        .bind(iso(on))
        .bind(org.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Opens a period from `p.valid_from` (open-ended).
pub async fn insert_period(conn: &mut Conn, p: &OrgPeriod) -> Result<()> {
    sqlx::query(
        "INSERT INTO org_periods (org_id, parent_id, name, kind, valid_from, valid_to, change) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.org.0)
    .bind(p.parent.map(|o| o.0))
    .bind(&p.name)
    .bind(p.kind.code())
    .bind(iso(p.valid_from))
    .bind(p.valid_to.map(iso))
    .bind(&p.change)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// Closes the open period of `org` on `on` (exclusive end).
pub async fn close_open_period(conn: &mut Conn, org: OrgId, on: NaiveDate) -> Result<()> {
    sqlx::query("UPDATE org_periods SET valid_to = $1 WHERE org_id = $2 AND valid_to IS NULL")
        .bind(iso(on))
        .bind(org.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The open (latest) period of an organisation, if it is not dissolved.
pub async fn open_period(conn: &mut Conn, org: OrgId) -> Result<Option<OrgPeriod>> {
    let sql =
        format!("SELECT {PERIOD_COLS} FROM org_periods WHERE org_id = $1 AND valid_to IS NULL");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0);
    crate::db::optional(conn, q, period).await
}

/// The period of `org` in force on `on`.
pub async fn period_on(conn: &mut Conn, org: OrgId, on: NaiveDate) -> Result<Option<OrgPeriod>> {
    let sql = format!(
        "SELECT {PERIOD_COLS} FROM org_periods WHERE org_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org.0)
        .bind(iso(on));
    crate::db::optional(conn, q, period).await
}

/// Every period of an organisation, oldest first.
pub async fn history(conn: &mut Conn, org: OrgId) -> Result<Vec<OrgPeriod>> {
    let sql =
        format!("SELECT {PERIOD_COLS} FROM org_periods WHERE org_id = $1 ORDER BY valid_from, id");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0);
    crate::db::all(conn, q, period).await
}

/// The whole tree as it was on `on`: every organisation alive then, with its period.
pub async fn tree_on(conn: &mut Conn, on: NaiveDate) -> Result<Vec<OrgPeriod>> {
    let sql = format!(
        "SELECT {PERIOD_COLS} FROM org_periods WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY org_id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(iso(on));
    crate::db::all(conn, q, period).await
}

/// Every period of every organisation, by organisation then date: the whole tree's history,
/// for the in-memory timeline.
pub async fn all_periods(conn: &mut Conn) -> Result<Vec<OrgPeriod>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PERIOD_COLS} FROM org_periods ORDER BY org_id, valid_from"
    )));
    crate::db::all(conn, q, period).await
}

/// Ids of `root` and its descendants on `on`.
pub async fn subtree_ids(conn: &mut Conn, root: OrgId, on: NaiveDate) -> Result<Vec<OrgId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "WITH RECURSIVE sub(id) AS (
            SELECT CAST($1 AS BIGINT)
            UNION ALL
            SELECT p.org_id FROM org_periods p JOIN sub ON p.parent_id = sub.id
            WHERE p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2)
        ) SELECT id FROM sub",
    )
    .bind(root.0)
    .bind(iso(on))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(OrgId).collect())
}

/// The organisations at the top of the tree on `on`.
pub async fn roots_on(conn: &mut Conn, on: NaiveDate) -> Result<Vec<OrgId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT org_id FROM org_periods WHERE parent_id IS NULL AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY org_id",
    )
    .bind(iso(on))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(OrgId).collect())
}

/// The periods on `on` of `root` and its descendants.
pub async fn subtree_periods(
    conn: &mut Conn,
    root: OrgId,
    on: NaiveDate,
) -> Result<Vec<OrgPeriod>> {
    let sql = format!(
        "WITH RECURSIVE sub(id) AS (
            SELECT CAST($1 AS BIGINT)
            UNION ALL
            SELECT p.org_id FROM org_periods p JOIN sub ON p.parent_id = sub.id
            WHERE p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2)
        ) SELECT {PERIOD_COLS} FROM org_periods WHERE org_id IN (SELECT id FROM sub)
          AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) ORDER BY org_id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(root.0)
        .bind(iso(on));
    crate::db::all(conn, q, period).await
}

/// A committee position held by a member for a dated span (R4).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Holder {
    pub id: i64,
    pub org: OrgId,
    pub member: MemberId,
    pub member_name: String,
    pub position: Position,
    pub term_label: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub decision_ref: Option<String>,
}

fn holder(r: &AnyRow) -> Result<Holder> {
    let p: String = r.try_get("position")?;
    Ok(Holder {
        id: r.try_get("id")?,
        org: OrgId(r.try_get("org_id")?),
        member: MemberId(r.try_get("member_id")?),
        member_name: r.try_get("full_name")?,
        position: Position::from_code(&p)
            .ok_or_else(|| StoreError::Config(format!("bad position {p}")))?,
        term_label: r.try_get("term_label")?,
        valid_from: date(r, "valid_from")?,
        valid_to: opt_date(r, "valid_to")?,
        decision_ref: r.try_get("decision_ref")?,
    })
}

pub async fn insert_position(conn: &mut Conn, h: &Holder) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO committee_positions (org_id, member_id, position, term_label, valid_from, valid_to, decision_ref)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(h.org.0)
    .bind(h.member.0)
    .bind(h.position.code())
    .bind(&h.term_label)
    .bind(iso(h.valid_from))
    .bind(h.valid_to.map(iso))
    .bind(&h.decision_ref)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

pub async fn end_position(conn: &mut Conn, id: i64, on: NaiveDate) -> Result<()> {
    let q = sqlx::query(
        "UPDATE committee_positions SET valid_to = $1 WHERE id = $2 AND valid_to IS NULL",
    )
    .bind(iso(on))
    .bind(id);
    crate::db::update_one(conn, q).await
}

/// The committee of `org` on `on`, by position.
pub async fn committee_on(conn: &mut Conn, org: OrgId, on: NaiveDate) -> Result<Vec<Holder>> {
    let rows = sqlx::query(
        "SELECT c.id, c.org_id, c.member_id, m.full_name, c.position, c.term_label, c.valid_from, c.valid_to, c.decision_ref
         FROM committee_positions c JOIN members m ON m.id = c.member_id
         WHERE c.org_id = $1 AND c.valid_from <= $2 AND (c.valid_to IS NULL OR c.valid_to > $2)
         ORDER BY c.id",
    )
    .bind(org.0)
    .bind(iso(on))
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<Holder> = rows.iter().map(holder).collect::<Result<_>>()?;
    out.sort_by_key(|h| (h.position.rank(), h.id));
    Ok(out)
}

/// Positions held by one member, all dates.
pub async fn positions_of(conn: &mut Conn, member: MemberId) -> Result<Vec<Holder>> {
    let q = sqlx::query(
        "SELECT c.id, c.org_id, c.member_id, m.full_name, c.position, c.term_label, c.valid_from, c.valid_to, c.decision_ref
         FROM committee_positions c JOIN members m ON m.id = c.member_id WHERE c.member_id = $1 ORDER BY c.valid_from, c.id",
    )
    .bind(member.0);
    crate::db::all(conn, q, holder).await
}

/// Deletes the open period of an organisation (it is being replaced on the same day).
pub async fn delete_open_period(conn: &mut Conn, org: OrgId) -> Result<()> {
    sqlx::query("DELETE FROM org_periods WHERE org_id = $1 AND valid_to IS NULL")
        .bind(org.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The dates after `on` on which some organisation's period starts or ends.
pub async fn change_dates_after(conn: &mut Conn, on: NaiveDate) -> Result<Vec<NaiveDate>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT valid_from FROM org_periods WHERE valid_from > $1 UNION SELECT valid_to FROM org_periods WHERE valid_to > $1",
    )
    .bind(iso(on))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(|s| from_iso(s)).collect())
}

/// The organisation a committee position belongs to.
pub async fn position_org(conn: &mut Conn, id: i64) -> Result<Option<OrgId>> {
    let v: Option<i64> = sqlx::query_scalar("SELECT org_id FROM committee_positions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(v.map(OrgId))
}

/// A discipline of an organisation (R12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDisciplineRow {
    pub id: i64,
    pub org: OrgId,
    pub form: dangvu_domain::org::OrgDiscipline,
    pub decision: dangvu_domain::decision::Decision,
    pub reason: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

pub async fn insert_discipline(conn: &mut Conn, d: &OrgDisciplineRow) -> Result<i64> {
    let q = sqlx::query_scalar(
        "INSERT INTO org_disciplines (org_id, form, decision_ref, decided_on, decided_by, reason, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(d.org.0)
    .bind(d.form.code());
    let (at, by) = (&d.recorded_at, &d.recorded_by);
    let id: i64 = crate::db::bind_decided(q, &d.decision, &d.reason, at, by)
        .fetch_one(&mut *conn)
        .await
        .map_err(crate::error::StoreError::from_sqlx)?;
    Ok(id)
}

/// The disciplines of these organisations decided between two dates (inclusive), oldest first.
pub async fn disciplines_between(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OrgDisciplineRow>> {
    let sql = "SELECT id, org_id, form, decided_on, decision_ref, decided_by, reason, recorded_at, recorded_by
         FROM org_disciplines WHERE org_id IN ({orgs}) AND decided_on >= $1 AND decided_on <= $2 ORDER BY decided_on, id";
    crate::db::all_of_orgs(
        conn,
        orgs,
        sql,
        |q| q.bind(iso(from)).bind(iso(to)),
        |r| {
            let form: String = r.try_get("form")?;
            Ok(OrgDisciplineRow {
                id: r.try_get("id")?,
                org: OrgId(r.try_get("org_id")?),
                form: dangvu_domain::org::OrgDiscipline::from_code(&form).ok_or_else(|| {
                    crate::error::StoreError::bad_stored("organisation discipline")
                })?,
                decision: crate::db::decision_in(r, "decision_ref", "decided_on", "decided_by")?,
                reason: r.try_get("reason")?,
                recorded_at: r.try_get("recorded_at")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        },
    )
    .await
}
