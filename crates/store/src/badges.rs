//! Huy hiệu Đảng (R13): the badges register, and the events seniority reads, in bulk.

use chrono::NaiveDate;
use dangvu_domain::badge::BadgeException;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{DisciplineForm, Event, EventKind};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::members::id_list;
use crate::orgs::{date, opt_date};

/// A badge's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeStatus {
    /// Đề nghị: on the list sent upward.
    Proposed,
    /// Đã có quyết định tặng.
    Approved,
    /// Đã trao, with its number.
    Presented,
    /// Withdrawn: kept.
    Cancelled,
}

impl BadgeStatus {
    pub fn code(self) -> &'static str {
        match self {
            BadgeStatus::Proposed => "proposed",
            BadgeStatus::Approved => "approved",
            BadgeStatus::Presented => "presented",
            BadgeStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_code(s: &str) -> Option<BadgeStatus> {
        [
            BadgeStatus::Proposed,
            BadgeStatus::Approved,
            BadgeStatus::Presented,
            BadgeStatus::Cancelled,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

/// A badge in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub id: i64,
    pub member: MemberId,
    pub years: u32,
    /// The presentation day it was proposed for.
    pub day: NaiveDate,
    /// Her cell on that day (her last one, for a posthumous badge).
    pub cell: Option<OrgId>,
    pub exception: BadgeException,
    pub reason: Option<String>,
    /// The day her seniority reaches (or would reach) the milestone.
    pub reach_on: Option<NaiveDate>,
    pub status: BadgeStatus,
    pub proposed_on: NaiveDate,
    pub approved_on: Option<NaiveDate>,
    pub approval_ref: Option<String>,
    pub approval_body: Option<String>,
    pub presented_on: Option<NaiveDate>,
    pub number: Option<String>,
    pub returned_on: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

const COLS: &str = "id, member_id, years, day, cell_id, exception, reason, reach_on, status, proposed_on, approved_on, approval_ref, approval_body, presented_on, number, returned_on, return_reason, recorded_at, recorded_by";

fn row(r: &AnyRow) -> Result<Badge> {
    let ex: String = r.try_get("exception")?;
    let st: String = r.try_get("status")?;
    Ok(Badge {
        id: r.try_get("id")?,
        member: MemberId(r.try_get("member_id")?),
        years: u32::try_from(r.try_get::<i64, _>("years")?)
            .map_err(|_| StoreError::bad_stored("badge years"))?,
        day: date(r, "day")?,
        cell: r.try_get::<Option<i64>, _>("cell_id")?.map(OrgId),
        exception: BadgeException::from_code(&ex)
            .ok_or_else(|| StoreError::bad_stored("badge exception"))?,
        reason: r.try_get("reason")?,
        reach_on: opt_date(r, "reach_on")?,
        status: BadgeStatus::from_code(&st)
            .ok_or_else(|| StoreError::bad_stored("badge status"))?,
        proposed_on: date(r, "proposed_on")?,
        approved_on: opt_date(r, "approved_on")?,
        approval_ref: r.try_get("approval_ref")?,
        approval_body: r.try_get("approval_body")?,
        presented_on: opt_date(r, "presented_on")?,
        number: r.try_get("number")?,
        returned_on: opt_date(r, "returned_on")?,
        return_reason: r.try_get("return_reason")?,
        recorded_at: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

pub async fn insert(conn: &mut Conn, b: &Badge) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO badges (member_id, years, day, cell_id, exception, reason, reach_on, status, proposed_on, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(b.member.0)
    .bind(i64::from(b.years))
    .bind(iso(b.day))
    .bind(b.cell.map(|o| o.0))
    .bind(b.exception.code())
    .bind(&b.reason)
    .bind(b.reach_on.map(iso))
    .bind(b.status.code())
    .bind(iso(b.proposed_on))
    .bind(&b.recorded_at)
    .bind(&b.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Badge>> {
    let sql = format!("SELECT {COLS} FROM badges WHERE id = $1");
    crate::db::optional(conn, sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id), row).await
}

/// The badges proposed for a presentation day, in cells among these organisations.
pub async fn of_day(conn: &mut Conn, orgs: &[OrgId], day: NaiveDate) -> Result<Vec<Badge>> {
    let sql =
        format!("SELECT {COLS} FROM badges WHERE cell_id IN ({{orgs}}) AND day = $1 ORDER BY id");
    crate::db::all_of_orgs(conn, orgs, &sql, |q| q.bind(iso(day)), row).await
}

/// The badges of many members (cancelled ones too).
pub async fn of_members(conn: &mut Conn, members: &[MemberId]) -> Result<Vec<Badge>> {
    let mut out = Vec::new();
    for chunk in members.chunks(2_000) {
        let sql = format!(
            "SELECT {COLS} FROM badges WHERE member_id IN ({}) ORDER BY member_id, years",
            id_list(chunk.iter().map(|m| m.0))
        );
        out.extend(crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), row).await?);
    }
    Ok(out)
}

/// The badges presented and not returned, whose cell is among these organisations, of members
/// with an expulsion on their timeline (not cancelled): those that may have to be taken back.
pub async fn presented_to_expelled(conn: &mut Conn, orgs: &[OrgId]) -> Result<Vec<Badge>> {
    let sql = format!(
        "SELECT {COLS} FROM badges b WHERE cell_id IN ({{orgs}}) AND status = 'presented' AND returned_on IS NULL
           AND EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = b.member_id AND e.voided = 0
                       AND e.kind = 'disciplined' AND e.discipline = 'khai_tru')
         ORDER BY id"
    );
    crate::db::all_of_orgs(conn, orgs, &sql, |q| q, row).await
}

/// Approves the proposed badges among `ids` with the decision.
pub async fn approve(
    conn: &mut Conn,
    ids: &[i64],
    on: NaiveDate,
    reference: &str,
    body: &str,
) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE badges SET status = 'approved', approved_on = $1, approval_ref = $2, approval_body = $3 WHERE status = 'proposed' AND id IN ({})",
        id_list(ids.iter().copied())
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(iso(on))
        .bind(reference.to_owned())
        .bind(body.to_owned())
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Records an approved badge presented, with its number.
pub async fn present(conn: &mut Conn, id: i64, on: NaiveDate, number: &str) -> Result<()> {
    let q = sqlx::query(
        "UPDATE badges SET status = 'presented', presented_on = $1, number = $2 WHERE id = $3 AND status = 'approved'",
    )
    .bind(iso(on))
    .bind(number.to_owned())
    .bind(id);
    match q.execute(&mut *conn).await {
        Ok(r) if r.rows_affected() == 0 => Err(StoreError::NotFound),
        Ok(_) => Ok(()),
        Err(e) => Err(StoreError::from_sqlx(e)),
    }
}

/// Records a badge returned (an expelled member's), or a proposal withdrawn.
pub async fn close(
    conn: &mut Conn,
    id: i64,
    status: BadgeStatus,
    on: NaiveDate,
    reason: &str,
) -> Result<()> {
    let q = if status == BadgeStatus::Cancelled {
        sqlx::query(
            "UPDATE badges SET status = 'cancelled', returned_on = $1, return_reason = $2 WHERE id = $3 AND status IN ('proposed', 'approved')",
        )
    } else {
        sqlx::query(
            "UPDATE badges SET returned_on = $1, return_reason = $2 WHERE id = $3 AND status = 'presented' AND returned_on IS NULL",
        )
    };
    crate::db::update_one(conn, q.bind(iso(on)).bind(reason.to_owned()).bind(id)).await
}

/// The events seniority reads (admissions, leavings, deaths, expulsions) of many members, each
/// member's in the timeline's order; cancelled events left out.
pub async fn seniority_events(
    conn: &mut Conn,
    members: &[MemberId],
) -> Result<Vec<(MemberId, Event)>> {
    let mut out = Vec::new();
    for chunk in members.chunks(2_000) {
        let sql = format!(
            "SELECT member_id, kind, occurred_on, discipline FROM member_events
             WHERE member_id IN ({}) AND voided = 0
               AND kind IN ('admitted', 'readmitted', 'removed_from_rolls', 'resigned', 'died', 'disciplined')
             ORDER BY member_id, occurred_on, id",
            id_list(chunk.iter().map(|m| m.0))
        );
        let rows = crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), |r| {
            let kind: String = r.try_get("kind")?;
            let discipline: Option<String> = r.try_get("discipline")?;
            Ok((
                MemberId(r.try_get("member_id")?),
                Event {
                    kind: EventKind::from_code(&kind)
                        .ok_or_else(|| StoreError::bad_stored("event kind"))?,
                    on: date(r, "occurred_on")?,
                    org: None,
                    discipline: discipline.as_deref().and_then(DisciplineForm::from_code),
                },
            ))
        })
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The members on the rolls of these organisations on `day` who may receive a badge (official,
/// exempt, temporarily away; not suspended), with their cells — only those admitted within one
/// of the `windows` (first day excluded, last included) or ever readmitted: the others cannot
/// reach a milestone on the day.
pub async fn candidates(
    conn: &mut Conn,
    orgs: &[OrgId],
    day: NaiveDate,
    windows: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<(MemberId, OrgId)>> {
    // The windows are dates this program computed, written as ISO literals.
    let admitted: Vec<String> = windows
        .iter()
        .map(|(a, b)| {
            format!(
                "(e.occurred_on > '{}' AND e.occurred_on <= '{}')",
                iso(*a),
                iso(*b)
            )
        })
        .collect();
    let admitted = if admitted.is_empty() {
        "1 = 0".to_owned()
    } else {
        admitted.join(" OR ")
    };
    let sql = format!(
        "SELECT ms.member_id, ms.org_id FROM memberships ms
         WHERE ms.org_id IN ({{orgs}}) AND ms.valid_from <= $1 AND (ms.valid_to IS NULL OR ms.valid_to > $1)
           AND ms.status IN ('official', 'exempt', 'temporarily_away')
           AND EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = ms.member_id AND e.voided = 0
                       AND ((e.kind = 'admitted' AND ({admitted})) OR e.kind = 'readmitted'))"
    );
    crate::db::all_of_orgs(
        conn,
        orgs,
        &sql,
        |q| q.bind(iso(day)),
        |r| {
            Ok((
                MemberId(r.try_get("member_id")?),
                OrgId(r.try_get("org_id")?),
            ))
        },
    )
    .await
}

/// What a badge list shows of a member: her name, its sort key, birth date and home town.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub member: MemberId,
    pub name: String,
    pub sort_key: Vec<u8>,
    pub birth: NaiveDate,
    pub home_town: Option<String>,
}

pub async fn holders(conn: &mut Conn, members: &[MemberId]) -> Result<Vec<Holder>> {
    let mut out = Vec::new();
    for chunk in members.chunks(2_000) {
        let sql = format!(
            "SELECT id, full_name, sort_key, birth_date, home_town FROM members WHERE id IN ({})",
            id_list(chunk.iter().map(|m| m.0))
        );
        out.extend(
            crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), |r| {
                Ok(Holder {
                    member: MemberId(r.try_get("id")?),
                    name: r.try_get("full_name")?,
                    sort_key: r.try_get("sort_key")?,
                    birth: date(r, "birth_date")?,
                    home_town: r.try_get("home_town")?,
                })
            })
            .await?,
        );
    }
    Ok(out)
}
