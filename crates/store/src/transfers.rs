//! Transfers of party activity (R10) and their letters.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{EventId, MemberId, OrgId};
use dangvu_domain::transfer::{TransferKind, TransferReason, TransferStatus};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// A transfer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: i64,
    pub member: MemberId,
    pub kind: TransferKind,
    /// Missing when the transfer was recorded as a bare event, without its letter.
    pub reason: Option<TransferReason>,
    /// The cell she leaves (for a temporary stay: her home cell).
    pub from_org: Option<OrgId>,
    /// The receiving organisation (or host cell) in this system …
    pub to_org: Option<OrgId>,
    /// … or its name outside it.
    pub to_name: Option<String>,
    /// The committee whose register numbers the letter, and the year and order there.
    pub issuer: Option<OrgId>,
    pub year: i32,
    pub seq: Option<i64>,
    pub letter_number: Option<String>,
    /// The letter's date, the day she leaves.
    pub sent_on: NaiveDate,
    /// The decision that caused the transfer (a new job, retirement, …).
    pub trigger_on: Option<NaiveDate>,
    /// Đã đóng đảng phí hết tháng: the first day of that month.
    pub dues_paid_to: Option<NaiveDate>,
    pub planned_return: Option<NaiveDate>,
    pub status: TransferStatus,
    pub out_event: EventId,
    pub in_event: Option<EventId>,
    /// The day it was accepted, returned, cancelled or ended.
    pub closed_on: Option<NaiveDate>,
    /// The cell that accepted her.
    pub closed_cell: Option<OrgId>,
    /// Why the receiving side returned it, or why it was cancelled.
    pub close_reason: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

const COLS: &str = "id, member_id, kind, reason, from_org, to_org, to_name, issuer_id, year, seq, letter_number, sent_on, trigger_on, dues_paid_to, planned_return, status, out_event, in_event, closed_on, closed_cell, close_reason, recorded_at, recorded_by";

fn row(r: &AnyRow) -> Result<Transfer> {
    let kind: String = r.try_get("kind")?;
    let reason: Option<String> = r.try_get("reason")?;
    let status: String = r.try_get("status")?;
    let org = |c: &str| -> Result<Option<OrgId>> { Ok(r.try_get::<Option<i64>, _>(c)?.map(OrgId)) };
    Ok(Transfer {
        id: r.try_get("id")?,
        member: MemberId(r.try_get("member_id")?),
        kind: TransferKind::from_code(&kind)
            .ok_or_else(|| StoreError::bad_stored("transfer kind"))?,
        reason: reason
            .map(|s| {
                TransferReason::from_code(&s)
                    .ok_or_else(|| StoreError::bad_stored("transfer reason"))
            })
            .transpose()?,
        from_org: org("from_org")?,
        to_org: org("to_org")?,
        to_name: r.try_get("to_name")?,
        issuer: org("issuer_id")?,
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::bad_stored("transfer year"))?,
        seq: r.try_get("seq")?,
        letter_number: r.try_get("letter_number")?,
        sent_on: date(r, "sent_on")?,
        trigger_on: opt_date(r, "trigger_on")?,
        dues_paid_to: opt_date(r, "dues_paid_to")?,
        planned_return: opt_date(r, "planned_return")?,
        status: TransferStatus::from_code(&status)
            .ok_or_else(|| StoreError::bad_stored("transfer status"))?,
        out_event: EventId(r.try_get("out_event")?),
        in_event: r.try_get::<Option<i64>, _>("in_event")?.map(EventId),
        closed_on: opt_date(r, "closed_on")?,
        closed_cell: org("closed_cell")?,
        close_reason: r.try_get("close_reason")?,
        recorded_at: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

/// The next free order in a committee's register of letters for a year.
pub async fn next_seq(conn: &mut Conn, issuer: OrgId, year: i32) -> Result<i64> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT MAX(seq) FROM transfers WHERE issuer_id = $1 AND year = $2")
            .bind(issuer.0)
            .bind(i64::from(year))
            .fetch_one(&mut *conn)
            .await?;
    Ok(max.unwrap_or(0) + 1)
}

pub async fn insert(conn: &mut Conn, t: &Transfer) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO transfers (member_id, kind, reason, from_org, to_org, to_name, issuer_id, year, seq, letter_number, sent_on, trigger_on, dues_paid_to, planned_return, status, out_event, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(t.member.0)
    .bind(t.kind.code())
    .bind(t.reason.map(|r| r.code()))
    .bind(t.from_org.map(|o| o.0))
    .bind(t.to_org.map(|o| o.0))
    .bind(&t.to_name)
    .bind(t.issuer.map(|o| o.0))
    .bind(i64::from(t.year))
    .bind(t.seq)
    .bind(&t.letter_number)
    .bind(iso(t.sent_on))
    .bind(t.trigger_on.map(iso))
    .bind(t.dues_paid_to.map(iso))
    .bind(t.planned_return.map(iso))
    .bind(t.status.code())
    .bind(t.out_event.0)
    .bind(&t.recorded_at)
    .bind(&t.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Transfer>> {
    let sql = format!("SELECT {COLS} FROM transfers WHERE id = $1");
    crate::db::optional(conn, sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id), row).await
}

/// A member's transfers, oldest first.
pub async fn of_member(conn: &mut Conn, member: MemberId) -> Result<Vec<Transfer>> {
    let sql = format!("SELECT {COLS} FROM transfers WHERE member_id = $1 ORDER BY sent_on, id");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0);
    crate::db::all(conn, q, row).await
}

/// The member's open transfer of a kind (pending or away), the latest.
pub async fn open_of(
    conn: &mut Conn,
    member: MemberId,
    kind: TransferKind,
) -> Result<Option<Transfer>> {
    let sql = format!(
        "SELECT {COLS} FROM transfers WHERE member_id = $1 AND kind = $2 AND status IN ('pending', 'away') ORDER BY id DESC LIMIT 1"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(member.0)
        .bind(kind.code());
    crate::db::optional(conn, q, row).await
}

/// The transfers that leave or reach these organisations and are open, or were sent or
/// closed on or after `since`; at most `limit`, the latest first.
pub async fn touching(
    conn: &mut Conn,
    orgs: &[OrgId],
    since: NaiveDate,
    limit: i64,
) -> Result<Vec<Transfer>> {
    let sql = format!(
        "SELECT {COLS} FROM transfers WHERE (from_org IN ({{orgs}}) OR to_org IN ({{orgs}}) OR closed_cell IN ({{orgs}}))
         AND (status IN ('pending', 'away') OR sent_on >= $1 OR closed_on >= $1)
         ORDER BY sent_on DESC, id DESC LIMIT $2"
    );
    crate::db::all_of_orgs(conn, orgs, &sql, |q| q.bind(iso(since)).bind(limit), row).await
}

/// Closes a transfer: accepted, returned, cancelled or ended, on a day.
pub async fn close(
    conn: &mut Conn,
    id: i64,
    status: TransferStatus,
    on: NaiveDate,
    in_event: Option<EventId>,
    cell: Option<OrgId>,
    reason: Option<&str>,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE transfers SET status = $2, closed_on = $3, in_event = $4, closed_cell = $5, close_reason = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(status.code())
    .bind(iso(on))
    .bind(in_event.map(|e| e.0))
    .bind(cell.map(|o| o.0))
    .bind(reason);
    crate::db::update_one(conn, q).await
}

/// Opens again the transfer an event closed, when that event is cancelled.
pub async fn reopen_closed_by(conn: &mut Conn, event: EventId) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE transfers SET status = CASE WHEN kind = 'temporary' THEN 'away' ELSE 'pending' END,
         closed_on = NULL, in_event = NULL, closed_cell = NULL, close_reason = NULL
         WHERE in_event = $1",
    )
    .bind(event.0)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// The transfer an event opened, if any.
pub async fn opened_by(conn: &mut Conn, event: EventId) -> Result<Option<Transfer>> {
    let sql = format!("SELECT {COLS} FROM transfers WHERE out_event = $1");
    crate::db::optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(event.0),
        row,
    )
    .await
}
