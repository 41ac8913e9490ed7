//! Members' contact with their place of residence (R20–R22).

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::Attendance;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// A member's link with the committee of her place of residence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: i64,
    pub member: MemberId,
    pub workplace: OrgId,
    pub residence: OrgId,
    pub cell: Option<OrgId>,
    pub introduced_on: NaiveDate,
    pub attached_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    /// The category exempting her from residence activities (HD 33), if any.
    pub exempt_category: Option<String>,
}

impl Link {
    /// In force on a date.
    pub fn on(&self, d: NaiveDate) -> bool {
        self.introduced_on <= d && self.ended_on.is_none_or(|e| d < e)
    }
}

/// A residence comment (phiếu nhận xét) of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub member: MemberId,
    pub year: i32,
    pub cell: OrgId,
    pub content: String,
    pub certified_on: Option<NaiveDate>,
    pub certified_by: Option<String>,
}

fn link_row(r: &AnyRow) -> Result<Link> {
    Ok(Link {
        id: r.try_get("id")?,
        member: MemberId(r.try_get("member_id")?),
        workplace: OrgId(r.try_get("workplace_org_id")?),
        residence: OrgId(r.try_get("residence_org_id")?),
        cell: r.try_get::<Option<i64>, _>("cell_id")?.map(OrgId),
        introduced_on: date(r, "introduced_on")?,
        attached_on: opt_date(r, "attached_on")?,
        ended_on: opt_date(r, "ended_on")?,
        exempt_category: r.try_get("exempt_category")?,
    })
}

const LINK_COLS: &str = "id, member_id, workplace_org_id, residence_org_id, cell_id, introduced_on, attached_on, ended_on, exempt_category";

pub async fn insert_link(conn: &mut Conn, l: &Link, now: &str, by: &str) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO residence_links (member_id, workplace_org_id, residence_org_id, cell_id, introduced_on, attached_on, ended_on, exempt_category, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(l.member.0)
    .bind(l.workplace.0)
    .bind(l.residence.0)
    .bind(l.cell.map(|c| c.0))
    .bind(iso(l.introduced_on))
    .bind(l.attached_on.map(iso))
    .bind(l.ended_on.map(iso))
    .bind(&l.exempt_category)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn end_link(conn: &mut Conn, id: i64, on: NaiveDate) -> Result<()> {
    sqlx::query("UPDATE residence_links SET ended_on = $1 WHERE id = $2")
        .bind(iso(on))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn attach(conn: &mut Conn, id: i64, cell: OrgId, on: NaiveDate) -> Result<()> {
    sqlx::query("UPDATE residence_links SET cell_id = $1, attached_on = $2 WHERE id = $3")
        .bind(cell.0)
        .bind(iso(on))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn link(conn: &mut Conn, id: i64) -> Result<Option<Link>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLS} FROM residence_links WHERE id = $1"
    )))
    .bind(id);
    crate::db::optional(conn, q, link_row).await
}

/// A member's links, oldest first.
pub async fn links_of_member(conn: &mut Conn, member: MemberId) -> Result<Vec<Link>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLS} FROM residence_links WHERE member_id = $1 ORDER BY introduced_on, id"
    )))
    .bind(member.0);
    crate::db::all(conn, q, link_row).await
}

/// The links with a residence committee, oldest first.
pub async fn links_of_residence(conn: &mut Conn, residence: OrgId) -> Result<Vec<Link>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLS} FROM residence_links WHERE residence_org_id = $1 ORDER BY introduced_on, id"
    )))
    .bind(residence.0);
    crate::db::all(conn, q, link_row).await
}

/// Records a half-yearly meeting of the attached members and their attendance.
pub async fn insert_meeting(
    conn: &mut Conn,
    residence: OrgId,
    held_on: NaiveDate,
    place: &str,
    seats: &[(MemberId, Attendance, Option<String>)],
    now: &str,
    by: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO residence_meetings (residence_org_id, held_on, place, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(residence.0)
    .bind(iso(held_on))
    .bind(place)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    for (m, a, reason) in seats {
        sqlx::query(
            "INSERT INTO residence_attendance (meeting_id, member_id, attendance, reason) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(m.0)
        .bind(a.code())
        .bind(reason)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    }
    Ok(id)
}

/// The days of a residence committee's meetings between two dates.
pub async fn meeting_days(
    conn: &mut Conn,
    residence: OrgId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<NaiveDate>> {
    let q = sqlx::query(
        "SELECT held_on FROM residence_meetings WHERE residence_org_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on",
    )
    .bind(residence.0)
    .bind(iso(from))
    .bind(iso(to));
    crate::db::all(conn, q, |r| date(r, "held_on")).await
}

/// Writes (or rewrites, before certification) a member's comment of a year.
pub async fn put_comment(conn: &mut Conn, c: &Comment, now: &str, by: &str) -> Result<()> {
    sqlx::query("DELETE FROM residence_comments WHERE member_id = $1 AND year = $2")
        .bind(c.member.0)
        .bind(i64::from(c.year))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO residence_comments (member_id, year, cell_id, content, certified_on, certified_by, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.member.0)
    .bind(i64::from(c.year))
    .bind(c.cell.0)
    .bind(&c.content)
    .bind(c.certified_on.map(iso))
    .bind(&c.certified_by)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// The comments of some members for a year.
pub async fn comments(conn: &mut Conn, members: &[i64], year: i32) -> Result<Vec<Comment>> {
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT member_id, year, cell_id, content, certified_on, certified_by FROM residence_comments WHERE year = $1 AND member_id IN ({})",
            ids.join(",")
        )))
        .bind(i64::from(year))
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            out.push(Comment {
                member: MemberId(r.try_get("member_id")?),
                year: i32::try_from(r.try_get::<i64, _>("year")?).unwrap_or_default(),
                cell: OrgId(r.try_get("cell_id")?),
                content: r.try_get("content")?,
                certified_on: opt_date(r, "certified_on")?,
                certified_by: r.try_get("certified_by")?,
            });
        }
    }
    Ok(out)
}

/// The links whose residence committee or workplace committee is one of these organisations.
pub async fn links_touching(conn: &mut Conn, orgs: &[OrgId]) -> Result<Vec<Link>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::members::id_list(orgs.iter().map(|o| o.0));
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLS} FROM residence_links WHERE residence_org_id IN ({list}) OR workplace_org_id IN ({list}) ORDER BY introduced_on, id"
    )));
    crate::db::all(conn, q, link_row).await
}

/// The residence meetings of these organisations between two dates: the committee and the day.
pub async fn meeting_days_of(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(OrgId, NaiveDate)>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::members::id_list(orgs.iter().map(|o| o.0));
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT residence_org_id, held_on FROM residence_meetings WHERE residence_org_id IN ({list}) AND held_on >= $1 AND held_on <= $2 ORDER BY held_on"
    )))
    .bind(iso(from))
    .bind(iso(to));
    crate::db::all(conn, q, |r| {
        Ok((OrgId(r.try_get("residence_org_id")?), date(r, "held_on")?))
    })
    .await
}
