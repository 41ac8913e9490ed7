//! Sổ quyết định: a committee's numbered decisions.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::decision::DecisionKind;
use dangvu_domain::ids::{MemberId, OrgId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::date;

/// A decision of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: i64,
    pub issuer: OrgId,
    pub year: i32,
    pub number: i64,
    /// The issuing body's abbreviation (ĐU, TU, …).
    pub abbreviation: String,
    pub kind: DecisionKind,
    pub signed_on: NaiveDate,
    /// Trích yếu: what it decides.
    pub subject: String,
    pub member: Option<MemberId>,
    pub signer: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl Registered {
    /// Its number in the Party's form: `45-QĐ/ĐU`.
    pub fn reference(&self) -> String {
        dangvu_domain::decision::numbered(
            u32::try_from(self.number).unwrap_or(0),
            &self.abbreviation,
        )
    }
}

const COLS: &str = "id, issuer_id, year, number, abbreviation, kind, signed_on, subject, member_id, signer, recorded_at, recorded_by";

fn row(r: &AnyRow) -> Result<Registered> {
    let kind: String = r.try_get("kind")?;
    Ok(Registered {
        id: r.try_get("id")?,
        issuer: OrgId(r.try_get("issuer_id")?),
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::bad_stored("decision year"))?,
        number: r.try_get("number")?,
        abbreviation: r.try_get("abbreviation")?,
        kind: DecisionKind::from_code(&kind)
            .ok_or_else(|| StoreError::bad_stored("decision kind"))?,
        signed_on: date(r, "signed_on")?,
        subject: r.try_get("subject")?,
        member: r.try_get::<Option<i64>, _>("member_id")?.map(MemberId),
        signer: r.try_get("signer")?,
        recorded_at: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

/// The next free number of a committee's year.
pub async fn next_number(conn: &mut Conn, issuer: OrgId, year: i32) -> Result<i64> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM decisions WHERE issuer_id = $1 AND year = $2")
            .bind(issuer.0)
            .bind(i64::from(year))
            .fetch_one(&mut *conn)
            .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Writes a decision; a number already given is a [`StoreError::Conflict`].
pub async fn insert(conn: &mut Conn, d: &Registered) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO decisions (issuer_id, year, number, abbreviation, kind, signed_on, subject, member_id, signer, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(d.issuer.0)
    .bind(i64::from(d.year))
    .bind(d.number)
    .bind(&d.abbreviation)
    .bind(d.kind.code())
    .bind(iso(d.signed_on))
    .bind(&d.subject)
    .bind(d.member.map(|m| m.0))
    .bind(&d.signer)
    .bind(&d.recorded_at)
    .bind(&d.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

/// A committee's decisions of a year, by number.
pub async fn of_year(conn: &mut Conn, issuer: OrgId, year: i32) -> Result<Vec<Registered>> {
    let sql =
        format!("SELECT {COLS} FROM decisions WHERE issuer_id = $1 AND year = $2 ORDER BY number");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(issuer.0)
        .bind(i64::from(year));
    crate::db::all(conn, q, row).await
}

/// The decisions about a member, oldest first.
pub async fn of_member(conn: &mut Conn, member: MemberId) -> Result<Vec<Registered>> {
    let sql = format!("SELECT {COLS} FROM decisions WHERE member_id = $1 ORDER BY signed_on, id");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0);
    crate::db::all(conn, q, row).await
}
