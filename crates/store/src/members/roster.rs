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
    orgs: Option<&[OrgId]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(MemberId, NaiveDate, Option<NaiveDate>)>> {
    let scope = match orgs {
        Some([]) => return Ok(Vec::new()),
        Some(v) => format!("org_id IN ({}) AND ", id_list(v.iter().map(|o| o.0))),
        None => String::new(),
    };
    let before = from.pred_opt().unwrap_or(from);
    let sql = format!(
        "SELECT member_id, valid_from, valid_to FROM memberships WHERE {scope}valid_from <= $2 AND (valid_to IS NULL OR valid_to > $1) ORDER BY member_id, valid_from"
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

/// What the statistics read of one member on a roll: the coded fields, age and seniority in
/// whole months on the day (seniority from the first admission; the caller corrects it for the
/// few readmitted members), status.
#[derive(Debug, Clone)]
pub struct FactRow {
    pub member: MemberId,
    pub sex: String,
    pub age_months: i64,
    pub ethnicity: String,
    pub religion: Option<String>,
    pub education: Option<String>,
    pub political_theory: Option<String>,
    pub professional: Option<String>,
    pub occupation: Option<String>,
    pub seniority_months: Option<i64>,
    pub status: String,
    pub official: bool,
}

/// Whole months from the ISO date in column `col` to the ISO day bound as `$1`, in SQL both
/// backends run (the rule of `dangvu_domain::date::months_between`).
fn months_sql(col: &str) -> String {
    format!(
        "CAST((CAST(substr($1, 1, 4) AS INTEGER) - CAST(substr({col}, 1, 4) AS INTEGER)) * 12 \
         + CAST(substr($1, 6, 2) AS INTEGER) - CAST(substr({col}, 6, 2) AS INTEGER) \
         - CASE WHEN CAST(substr($1, 9, 2) AS INTEGER) < CAST(substr({col}, 9, 2) AS INTEGER) THEN 1 ELSE 0 END AS BIGINT)"
    )
}

/// The facts of every member on the rolls of `orgs` (the whole register for `None`) on a day,
/// read lean: eleven small columns a member, age and seniority computed by the database. The
/// whole register is read in the members' order (sequential), a subtree through its rolls.
pub async fn facts_on(
    conn: &mut Conn,
    orgs: Option<&[OrgId]>,
    on: NaiveDate,
) -> Result<Vec<FactRow>> {
    let (from, scope) = match orgs {
        Some([]) => return Ok(Vec::new()),
        Some(v) => (
            "memberships ms JOIN members m ON m.id = ms.member_id",
            format!("ms.org_id IN ({}) AND ", id_list(v.iter().map(|o| o.0))),
        ),
        // CROSS JOIN keeps SQLite to the members' order; the join's condition is in WHERE, as
        // PostgreSQL wants for a cross join.
        None => (
            "members m CROSS JOIN memberships ms",
            "ms.member_id = m.id AND ".to_owned(),
        ),
    };
    let sql = format!(
        "SELECT m.id, m.sex, {age} AS age_months, m.ethnicity, m.religion, m.education, m.political_theory, m.professional, m.occupation,
            (SELECT {sen} FROM member_events e WHERE e.member_id = m.id AND e.kind = 'admitted' AND e.voided = 0) AS seniority_months,
            ms.status, ms.official
         FROM {from}
         WHERE {scope}ms.valid_from <= $1 AND (ms.valid_to IS NULL OR ms.valid_to > $1)",
        age = months_sql("m.birth_date"),
        sen = months_sql("MIN(e.occurred_on)"),
    );
    // Streamed: a row is turned into its facts as it comes, never all rows at once.
    use futures_util::TryStreamExt;
    let mut out = Vec::new();
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(iso(on))
        .fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        out.push(FactRow {
            member: MemberId(r.try_get(0)?),
            sex: r.try_get(1)?,
            age_months: r.try_get(2)?,
            ethnicity: r.try_get(3)?,
            religion: r.try_get(4)?,
            education: r.try_get(5)?,
            political_theory: r.try_get(6)?,
            professional: r.try_get(7)?,
            occupation: r.try_get(8)?,
            seniority_months: r.try_get(9)?,
            status: r.try_get(10)?,
            official: r.try_get::<i64, _>(11)? != 0,
        });
    }
    Ok(out)
}

/// The members of `orgs` (all for `None`) on the rolls on a day who were ever readmitted: their
/// seniority leaves out the time out of the Party (R9) and is computed from their events.
pub async fn readmitted_on(
    conn: &mut Conn,
    orgs: Option<&[OrgId]>,
    on: NaiveDate,
) -> Result<Vec<MemberId>> {
    let scope = match orgs {
        Some([]) => return Ok(Vec::new()),
        Some(v) => format!("ms.org_id IN ({}) AND ", id_list(v.iter().map(|o| o.0))),
        None => String::new(),
    };
    let sql = format!(
        "SELECT DISTINCT e.member_id FROM member_events e JOIN memberships ms ON ms.member_id = e.member_id
         WHERE {scope}e.kind = 'readmitted' AND e.voided = 0 AND ms.valid_from <= $1 AND (ms.valid_to IS NULL OR ms.valid_to > $1)"
    );
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(iso(on))
        .fetch_all(&mut *conn)
        .await?;
    Ok(ids.into_iter().map(MemberId).collect())
}

/// How many organisations exist on a day.
pub async fn count_orgs_on(conn: &mut Conn, on: NaiveDate) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM org_periods WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)",
    )
    .bind(iso(on))
    .fetch_one(&mut *conn)
    .await?)
}

/// An event as the movements read it: member, kind, day, organisation, discipline.
type EventLine = (i64, String, String, Option<i64>, Option<String>);

/// The events in force from `from` to `to` (both included) of the members with time on the
/// rolls of `orgs` (the whole register for `None`) in that period, each member's in order:
/// kind, day, organisation, discipline only.
pub async fn events_in_period(
    conn: &mut Conn,
    orgs: Option<&[OrgId]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<MemberId, Vec<dangvu_domain::member::Event>>> {
    use dangvu_domain::member::{DisciplineForm, Event, EventKind};
    let scope = match orgs {
        Some([]) => return Ok(HashMap::new()),
        Some(v) => format!(
            " AND e.member_id IN (SELECT member_id FROM memberships WHERE org_id IN ({}) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $1))",
            id_list(v.iter().map(|o| o.0))
        ),
        None => String::new(),
    };
    let sql = format!(
        "SELECT e.member_id, e.kind, e.occurred_on, e.org_id, e.discipline FROM member_events e
         WHERE e.voided = 0 AND e.occurred_on >= $1 AND e.occurred_on <= $2{scope} ORDER BY e.member_id, e.occurred_on, e.id"
    );
    let rows: Vec<EventLine> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(iso(from))
        .bind(iso(to))
        .fetch_all(&mut *conn)
        .await?;
    let mut out: HashMap<MemberId, Vec<Event>> = HashMap::new();
    for (m, kind, on, org, disc) in rows {
        out.entry(MemberId(m)).or_default().push(Event {
            kind: EventKind::from_code(&kind).ok_or_else(|| bad("event kind"))?,
            on: dangvu_domain::date::from_iso(&on).ok_or_else(|| bad("date"))?,
            org: org.map(OrgId),
            discipline: disc
                .map(|d| DisciplineForm::from_code(&d).ok_or_else(|| bad("discipline")))
                .transpose()?,
        });
    }
    Ok(out)
}
