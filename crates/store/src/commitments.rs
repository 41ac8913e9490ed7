//! Cam kết học tập và làm theo Bác (R35): the commitments of members and leadership collectives.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Conn, all, optional, update_one};
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// A commitment of a year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Commitment {
    pub id: i64,
    /// `member` or `collective`.
    pub subject_kind: String,
    pub subject_id: i64,
    pub year: i32,
    pub items: Vec<String>,
    pub registered_on: NaiveDate,
    /// The cell's (or the superior committee's) comment mid-year.
    pub mid_comment: Option<String>,
    pub mid_comment_on: Option<NaiveDate>,
    /// The year-end assessment of how it was kept.
    pub assessment: Option<String>,
    pub assessed_on: Option<NaiveDate>,
    pub recorded_at: String,
    pub recorded_by: String,
}

const COLS: &str = "id, subject_kind, subject_id, year, items, registered_on, mid_comment, mid_comment_on, assessment, assessed_on, recorded_at, recorded_by";

fn row(r: &AnyRow) -> Result<Commitment> {
    let items: String = r.try_get("items")?;
    Ok(from_columns!(r; Commitment {
            id, subject_kind, subject_id, mid_comment, assessment, recorded_at, recorded_by
        }
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::bad_stored("commitment year"))?,
        items: serde_json::from_str(&items).map_err(|_| StoreError::bad_stored("commitment items"))?,
        registered_on: date(r, "registered_on")?,
        mid_comment_on: opt_date(r, "mid_comment_on")?,
        assessed_on: opt_date(r, "assessed_on")?,
    ))
}

fn items_text(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

/// Registers a commitment; a second one of the same subject and year is a
/// [`StoreError::Conflict`].
pub async fn insert(conn: &mut Conn, c: &Commitment) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO commitments (subject_kind, subject_id, year, items, registered_on, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&c.subject_kind)
    .bind(c.subject_id)
    .bind(i64::from(c.year))
    .bind(items_text(&c.items))
    .bind(iso(c.registered_on))
    .bind(&c.recorded_at)
    .bind(&c.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

/// Writes what changes after registration: the items, the comment and the assessment.
pub async fn update(conn: &mut Conn, c: &Commitment) -> Result<()> {
    let q = sqlx::query(
        "UPDATE commitments SET items = $1, mid_comment = $2, mid_comment_on = $3, assessment = $4, assessed_on = $5 WHERE id = $6",
    )
    .bind(items_text(&c.items))
    .bind(&c.mid_comment)
    .bind(c.mid_comment_on.map(iso))
    .bind(&c.assessment)
    .bind(c.assessed_on.map(iso))
    .bind(c.id);
    update_one(conn, q).await
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<Commitment>> {
    let sql = format!("SELECT {COLS} FROM commitments WHERE id = $1");
    optional(conn, sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id), row).await
}

/// The commitment of one subject and year.
pub async fn of_subject(
    conn: &mut Conn,
    kind: &str,
    id: i64,
    year: i32,
) -> Result<Option<Commitment>> {
    let sql = format!(
        "SELECT {COLS} FROM commitments WHERE subject_kind = $1 AND subject_id = $2 AND year = $3"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(kind.to_owned())
        .bind(id)
        .bind(i64::from(year));
    optional(conn, q, row).await
}

/// The commitments of a year of many subjects of a kind.
pub async fn of_subjects(
    conn: &mut Conn,
    kind: &str,
    ids: &[i64],
    year: i32,
) -> Result<Vec<Commitment>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(2_000) {
        let sql = format!(
            "SELECT {COLS} FROM commitments WHERE subject_kind = $1 AND year = $2 AND subject_id IN ({}) ORDER BY subject_id",
            crate::members::id_list(chunk.iter().copied())
        );
        let q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(kind.to_owned())
            .bind(i64::from(year));
        out.extend(all(conn, q, row).await?);
    }
    Ok(out)
}
