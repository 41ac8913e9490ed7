//! Periods of education and help of a member (R11).

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::MemberId;
use dangvu_domain::member::{Education, EducationOutcome};
use sqlx::Row;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// A period of education as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EducationRow {
    pub id: i64,
    pub member: MemberId,
    pub case: Education,
    pub reason: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

pub async fn insert(conn: &mut Conn, e: &EducationRow) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO member_education (member_id, started_on, reason, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(e.member.0)
    .bind(iso(e.case.started_on))
    .bind(&e.reason)
    .bind(&e.recorded_at)
    .bind(&e.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

/// Concludes an open period of education of the member.
pub async fn conclude(
    conn: &mut Conn,
    member: MemberId,
    id: i64,
    on: NaiveDate,
    outcome: EducationOutcome,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE member_education SET ended_on = $3, outcome = $4 WHERE id = $1 AND member_id = $2 AND ended_on IS NULL",
    )
    .bind(id)
    .bind(member.0)
    .bind(iso(on))
    .bind(outcome.code());
    crate::db::update_one(conn, q).await
}

/// The member's periods of education, oldest first.
pub async fn of_member(conn: &mut Conn, member: MemberId) -> Result<Vec<EducationRow>> {
    let q = sqlx::query(
        "SELECT id, member_id, started_on, reason, ended_on, outcome, recorded_at, recorded_by
         FROM member_education WHERE member_id = $1 ORDER BY started_on, id",
    )
    .bind(member.0);
    crate::db::all(conn, q, |r| {
        let outcome: Option<String> = r.try_get("outcome")?;
        let outcome = outcome
            .map(|o| {
                EducationOutcome::from_code(&o)
                    .ok_or_else(|| StoreError::bad_stored("education outcome"))
            })
            .transpose()?;
        Ok(EducationRow {
            id: r.try_get("id")?,
            member: MemberId(r.try_get("member_id")?),
            case: Education {
                started_on: date(r, "started_on")?,
                ended: opt_date(r, "ended_on")?.zip(outcome),
            },
            reason: r.try_get("reason")?,
            recorded_at: r.try_get("recorded_at")?,
            recorded_by: r.try_get("recorded_by")?,
        })
    })
    .await
}
