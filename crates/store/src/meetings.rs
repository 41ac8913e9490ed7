//! Cell meetings and the attendance of every member (issue 5, R16–R19).

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, MeetingKind};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::date;

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub org: OrgId,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    /// "HH:MM".
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub chair: Option<MemberId>,
    pub minute_taker: Option<MemberId>,
    pub superior_guests: Option<String>,
    pub topic: Option<String>,
    /// Đảng phí thu được, in đồng.
    pub dues_collected: i64,
    pub resolution: Option<String>,
    pub votes: Option<(i64, i64, i64)>,
    /// `draft` or `adopted`.
    pub status: String,
}

/// A member's line of a meeting's attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub member: MemberId,
    pub attendance: Attendance,
    pub reason: Option<String>,
    /// Official on the day (may vote).
    pub official: bool,
    pub dues_paid: bool,
}

const COLS: &str = "id, org_id, kind, held_on, starts_at, ends_at, place, chair_id, minute_taker_id, superior_guests, topic, dues_collected, resolution, votes_yes, votes_no, votes_abstain, status";

fn bad(what: &str) -> StoreError {
    StoreError::Config(format!("bad stored {what}"))
}

fn meeting_row(r: &AnyRow) -> Result<Meeting> {
    let kind: String = r.try_get("kind")?;
    let yes: Option<i64> = r.try_get("votes_yes")?;
    let no: Option<i64> = r.try_get("votes_no")?;
    let abstain: Option<i64> = r.try_get("votes_abstain")?;
    Ok(Meeting {
        id: r.try_get("id")?,
        org: OrgId(r.try_get("org_id")?),
        kind: MeetingKind::from_code(&kind).ok_or_else(|| bad("meeting kind"))?,
        held_on: date(r, "held_on")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        place: r.try_get("place")?,
        chair: r.try_get::<Option<i64>, _>("chair_id")?.map(MemberId),
        minute_taker: r
            .try_get::<Option<i64>, _>("minute_taker_id")?
            .map(MemberId),
        superior_guests: r.try_get("superior_guests")?,
        topic: r.try_get("topic")?,
        dues_collected: r.try_get("dues_collected")?,
        resolution: r.try_get("resolution")?,
        votes: match (yes, no, abstain) {
            (Some(y), Some(n), Some(a)) => Some((y, n, a)),
            _ => None,
        },
        status: r.try_get("status")?,
    })
}

/// Writes a meeting and its attendance; the caller holds the transaction.
pub async fn insert_meeting(
    conn: &mut Conn,
    m: &Meeting,
    seats: &[Seat],
    now: &str,
    by: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (org_id, kind, held_on, starts_at, ends_at, place, chair_id, minute_taker_id, superior_guests, topic, dues_collected, resolution, votes_yes, votes_no, votes_abstain, status, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(m.org.0)
    .bind(m.kind.code())
    .bind(iso(m.held_on))
    .bind(&m.starts_at)
    .bind(&m.ends_at)
    .bind(&m.place)
    .bind(m.chair.map(|x| x.0))
    .bind(m.minute_taker.map(|x| x.0))
    .bind(&m.superior_guests)
    .bind(&m.topic)
    .bind(m.dues_collected)
    .bind(&m.resolution)
    .bind(m.votes.map(|v| v.0))
    .bind(m.votes.map(|v| v.1))
    .bind(m.votes.map(|v| v.2))
    .bind(&m.status)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    for s in seats {
        sqlx::query(
            "INSERT INTO meeting_attendance (meeting_id, member_id, attendance, reason, official, dues_paid) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(s.member.0)
        .bind(s.attendance.code())
        .bind(&s.reason)
        .bind(i64::from(s.official))
        .bind(i64::from(s.dues_paid))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    }
    Ok(id)
}

/// A meeting and its attendance.
pub async fn meeting(conn: &mut Conn, id: i64) -> Result<(Meeting, Vec<Seat>)> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM meetings WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let m = meeting_row(&r)?;
    let rows = sqlx::query(
        "SELECT member_id, attendance, reason, official, dues_paid FROM meeting_attendance WHERE meeting_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let seats = rows
        .iter()
        .map(|r| {
            let a: String = r.try_get("attendance")?;
            Ok(Seat {
                member: MemberId(r.try_get("member_id")?),
                attendance: Attendance::from_code(&a).ok_or_else(|| bad("attendance"))?,
                reason: r.try_get("reason")?,
                official: r.try_get::<i64, _>("official")? != 0,
                dues_paid: r.try_get::<i64, _>("dues_paid")? != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((m, seats))
}

/// The meetings of an organisation between two dates (inclusive), oldest first.
pub async fn meetings_of(
    conn: &mut Conn,
    org: OrgId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Meeting>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM meetings WHERE org_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on, id"
    )))
    .bind(org.0)
    .bind(iso(from))
    .bind(iso(to))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(meeting_row).collect()
}

/// A member's seats at meetings between two dates: the day, the kind, and her line.
pub async fn seats_of(
    conn: &mut Conn,
    member: MemberId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, MeetingKind, Seat)>> {
    let rows = sqlx::query(
        "SELECT m.held_on, m.kind, a.member_id, a.attendance, a.reason, a.official, a.dues_paid
         FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
         WHERE a.member_id = $1 AND m.held_on >= $2 AND m.held_on <= $3 ORDER BY m.held_on, m.id",
    )
    .bind(member.0)
    .bind(iso(from))
    .bind(iso(to))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let a: String = r.try_get("attendance")?;
            Ok((
                date(r, "held_on")?,
                MeetingKind::from_code(&kind).ok_or_else(|| bad("meeting kind"))?,
                Seat {
                    member: MemberId(r.try_get("member_id")?),
                    attendance: Attendance::from_code(&a).ok_or_else(|| bad("attendance"))?,
                    reason: r.try_get("reason")?,
                    official: r.try_get::<i64, _>("official")? != 0,
                    dues_paid: r.try_get::<i64, _>("dues_paid")? != 0,
                },
            ))
        })
        .collect()
}

/// Marks a meeting's minutes adopted (then locked).
pub async fn set_status(conn: &mut Conn, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE meetings SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
