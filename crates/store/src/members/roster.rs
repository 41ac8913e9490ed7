//! A subtree's roll on a date with the whole records, and the events and cards of many members
//! at once: what exports, the register of members and the statistics read.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{MemberRecord, Status};
use sqlx::Row;

use super::{EVENT_COLS, EventRow, RECORD_COLS, bad, event_row, id_list, record};
use crate::db::Conn;
use crate::error::Result;

/// Ids read per query.
const BATCH: usize = 500;

/// A member on a roll: where, with what status, and her record.
#[derive(Debug, Clone)]
pub struct RosterRow {
    pub id: MemberId,
    pub org: OrgId,
    pub status: Status,
    pub official: bool,
    pub record: MemberRecord,
}

/// The members on the rolls of `orgs` (the whole register for `None`) on a day, in
/// Vietnamese name order.
pub async fn roster(
    conn: &mut Conn,
    orgs: Option<&[OrgId]>,
    on: NaiveDate,
) -> Result<Vec<RosterRow>> {
    let scope = match orgs {
        Some([]) => return Ok(Vec::new()),
        Some(v) => format!("ms.org_id IN ({}) AND ", id_list(v.iter().map(|o| o.0))),
        None => String::new(),
    };
    let cols: String = RECORD_COLS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {cols}, ms.org_id, ms.status, ms.official FROM memberships ms JOIN members m ON m.id = ms.member_id
         WHERE {scope}ms.valid_from <= $1 AND (ms.valid_to IS NULL OR ms.valid_to > $1)
         ORDER BY ms.sort_key, ms.member_id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(iso(on))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let (id, rec) = record(r)?;
            let st: String = r.try_get("status")?;
            Ok(RosterRow {
                id,
                org: OrgId(r.try_get("org_id")?),
                status: Status::from_code(&st).ok_or_else(|| bad("status"))?,
                official: r.try_get::<i64, _>("official")? != 0,
                record: rec,
            })
        })
        .collect()
}

/// The members whose time on the rolls of `orgs` ended after `from` and by `to` (they left
/// the subtree, died or left the Party then).
pub async fn left_between(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<MemberId>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT member_id FROM memberships WHERE org_id IN ({}) AND valid_to > $1 AND valid_to <= $2 ORDER BY member_id",
        id_list(orgs.iter().map(|o| o.0))
    );
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(iso(from))
        .bind(iso(to))
        .fetch_all(&mut *conn)
        .await?;
    Ok(ids.into_iter().map(MemberId).collect())
}

/// The records of members by id.
pub async fn records_of(
    conn: &mut Conn,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, MemberRecord>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let sql = format!(
            "SELECT {RECORD_COLS} FROM members WHERE id IN ({})",
            id_list(chunk.iter().map(|m| m.0))
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?
        {
            let (id, rec) = record(&r)?;
            out.insert(id, rec);
        }
    }
    Ok(out)
}

/// The events in force of many members, each member's in order.
pub async fn events_of_many(
    conn: &mut Conn,
    ids: &[MemberId],
) -> Result<HashMap<MemberId, Vec<EventRow>>> {
    let mut out: HashMap<MemberId, Vec<EventRow>> = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let sql = format!(
            "SELECT {EVENT_COLS} FROM member_events WHERE member_id IN ({}) AND voided = 0 ORDER BY member_id, occurred_on, id",
            id_list(chunk.iter().map(|m| m.0))
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?
        {
            let e = event_row(&r)?;
            out.entry(e.member).or_default().push(e);
        }
    }
    Ok(out)
}

/// The number of the card each of many members holds now.
pub async fn cards_in_use(conn: &mut Conn, ids: &[MemberId]) -> Result<HashMap<MemberId, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let sql = format!(
            "SELECT member_id, card_number FROM member_cards WHERE member_id IN ({}) AND status = 'in_use' ORDER BY id",
            id_list(chunk.iter().map(|m| m.0))
        );
        let rows: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?;
        for (m, n) in rows {
            out.insert(MemberId(m), n);
        }
    }
    Ok(out)
}

/// The spans of the rolls of `orgs` that overlap the days from `from` to `to`, with the day
/// before `from` (for the opening count): (member, from, to exclusive).
pub async fn spans_overlapping(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(MemberId, NaiveDate, Option<NaiveDate>)>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let before = from.pred_opt().unwrap_or(from);
    let sql = format!(
        "SELECT member_id, valid_from, valid_to FROM memberships WHERE org_id IN ({}) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $1) ORDER BY member_id, valid_from",
        id_list(orgs.iter().map(|o| o.0))
    );
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(iso(before))
        .bind(iso(to))
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter()
        .map(|(m, f, t)| {
            let day = |s: &str| dangvu_domain::date::from_iso(s).ok_or_else(|| bad("date"));
            Ok((MemberId(m), day(&f)?, t.as_deref().map(day).transpose()?))
        })
        .collect()
}
