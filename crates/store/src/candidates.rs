//! People on the way to admission (R7) and the stages they passed.

use chrono::NaiveDate;
use dangvu_domain::admission::Stage;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::date;

/// A person on the way to admission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub cell: OrgId,
    pub full_name: String,
    /// Her record (`dangvu_domain::member::MemberRecord` as JSON).
    pub record: String,
    pub stage: Stage,
    pub stage_on: NaiveDate,
    /// The member she became at her ceremony.
    pub member: Option<MemberId>,
    pub created_at: String,
    pub created_by: String,
}

/// A stage she passed, with its details as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    pub done_on: NaiveDate,
    pub details: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

const COLS: &str =
    "id, cell_id, full_name, record, stage, stage_on, member_id, created_at, created_by";

fn stage_of(r: &AnyRow) -> Result<Stage> {
    let s: String = r.try_get("stage")?;
    Stage::from_code(&s).ok_or_else(|| StoreError::bad_stored("admission stage"))
}

fn row(r: &AnyRow) -> Result<Candidate> {
    Ok(Candidate {
        id: r.try_get("id")?,
        cell: OrgId(r.try_get("cell_id")?),
        full_name: r.try_get("full_name")?,
        record: r.try_get("record")?,
        stage: stage_of(r)?,
        stage_on: date(r, "stage_on")?,
        member: r.try_get::<Option<i64>, _>("member_id")?.map(MemberId),
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

pub async fn insert(conn: &mut Conn, c: &Candidate) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO candidates (cell_id, full_name, record, stage, stage_on, member_id, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.cell.0)
    .bind(&c.full_name)
    .bind(&c.record)
    .bind(c.stage.code())
    .bind(iso(c.stage_on))
    .bind(c.member.map(|m| m.0))
    .bind(&c.created_at)
    .bind(&c.created_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Candidate>> {
    let sql = format!("SELECT {COLS} FROM candidates WHERE id = $1");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
    crate::db::optional(conn, q, row).await
}

/// The people on the way to admission in these cells, oldest first.
pub async fn of_cells(conn: &mut Conn, cells: &[OrgId]) -> Result<Vec<Candidate>> {
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::members::id_list(cells.iter().map(|o| o.0));
    let sql = format!("SELECT {COLS} FROM candidates WHERE cell_id IN ({list}) ORDER BY id");
    crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), row).await
}

/// Records a stage she passed and moves her to it; the member she became, at the ceremony.
pub async fn add_step(
    conn: &mut Conn,
    candidate: i64,
    step: &Step,
    member: Option<MemberId>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO candidate_steps (candidate_id, stage, done_on, details, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(candidate)
    .bind(step.stage.code())
    .bind(iso(step.done_on))
    .bind(&step.details)
    .bind(&step.recorded_at)
    .bind(&step.recorded_by)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    let q = sqlx::query(
        "UPDATE candidates SET stage = $2, stage_on = $3, member_id = COALESCE($4, member_id) WHERE id = $1",
    )
    .bind(candidate)
    .bind(step.stage.code())
    .bind(iso(step.done_on))
    .bind(member.map(|m| m.0));
    crate::db::update_one(conn, q).await
}

/// The stages she passed, in order.
pub async fn steps(conn: &mut Conn, candidate: i64) -> Result<Vec<Step>> {
    let q = sqlx::query(
        "SELECT stage, done_on, details, recorded_at, recorded_by FROM candidate_steps WHERE candidate_id = $1 ORDER BY id",
    )
    .bind(candidate);
    crate::db::all(conn, q, |r| {
        Ok(Step {
            stage: stage_of(r)?,
            done_on: date(r, "done_on")?,
            details: r.try_get("details")?,
            recorded_at: r.try_get("recorded_at")?,
            recorded_by: r.try_get("recorded_by")?,
        })
    })
    .await
}
