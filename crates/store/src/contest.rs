//! Hội thi Bí thư chi bộ giỏi (R36): the question bank, rounds and entries.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Conn, all, optional};
use crate::error::{Result, StoreError};
use crate::orgs::date;

/// A question of the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub committee: OrgId,
    pub topic: String,
    pub question: String,
    pub options: Vec<String>,
    /// The index of the right option.
    pub answer: usize,
    pub source: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A round of the contest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    /// The committee that organises it; its subtree's members take part.
    pub committee: OrgId,
    pub name: String,
    pub held_on: NaiveDate,
    /// Its questions, in order.
    pub questions: Vec<i64>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A participant's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub round: i64,
    pub member: MemberId,
    pub score_tenths: u32,
    /// The option chosen for each question, when the score was computed from them.
    pub answers: Option<Vec<Option<usize>>>,
    pub recorded_at: String,
    pub recorded_by: String,
}

fn json<T: serde::de::DeserializeOwned>(s: &str, what: &'static str) -> Result<T> {
    serde_json::from_str(s).map_err(|_| StoreError::bad_stored(what))
}

const Q_COLS: &str =
    "id, committee_id, topic, question, options, answer, source, recorded_at, recorded_by";

fn question(r: &AnyRow) -> Result<Question> {
    let options: String = r.try_get("options")?;
    Ok(
        from_columns!(r; Question { id, topic, question, source, recorded_at, recorded_by }
            committee: OrgId(r.try_get("committee_id")?),
            options: json(&options, "question options")?,
            answer: usize::try_from(r.try_get::<i64, _>("answer")?)
                .map_err(|_| StoreError::bad_stored("question answer"))?,
        ),
    )
}

const R_COLS: &str = "id, committee_id, name, held_on, questions, recorded_at, recorded_by";

fn round(r: &AnyRow) -> Result<Round> {
    let questions: String = r.try_get("questions")?;
    Ok(
        from_columns!(r; Round { id, name, recorded_at, recorded_by }
            committee: OrgId(r.try_get("committee_id")?),
            held_on: date(r, "held_on")?,
            questions: json(&questions, "round questions")?,
        ),
    )
}

const E_COLS: &str = "id, round_id, member_id, score_tenths, answers, recorded_at, recorded_by";

fn entry(r: &AnyRow) -> Result<Entry> {
    let answers: Option<String> = r.try_get("answers")?;
    Ok(from_columns!(r; Entry { id, recorded_at, recorded_by }
        round: r.try_get("round_id")?,
        member: MemberId(r.try_get("member_id")?),
        score_tenths: u32::try_from(r.try_get::<i64, _>("score_tenths")?)
            .map_err(|_| StoreError::bad_stored("contest score"))?,
        answers: answers.map(|a| json(&a, "contest answers")).transpose()?,
    ))
}

pub async fn insert_question(conn: &mut Conn, q: &Question) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO contest_questions (committee_id, topic, question, options, answer, source, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(q.committee.0)
    .bind(&q.topic)
    .bind(&q.question)
    .bind(serde_json::Value::from(q.options.clone()).to_string())
    .bind(i64::try_from(q.answer).unwrap_or(0))
    .bind(&q.source)
    .bind(&q.recorded_at)
    .bind(&q.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

/// A committee's questions, by topic, at most `limit`.
pub async fn questions_of(conn: &mut Conn, committee: OrgId, limit: i64) -> Result<Vec<Question>> {
    let sql = format!(
        "SELECT {Q_COLS} FROM contest_questions WHERE committee_id = $1 ORDER BY topic, id LIMIT $2"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(committee.0)
        .bind(limit);
    all(conn, q, question).await
}

/// Questions by id (those that exist).
pub async fn questions_by_id(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Question>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {Q_COLS} FROM contest_questions WHERE id IN ({})",
        crate::members::id_list(ids.iter().copied())
    );
    all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), question).await
}

pub async fn insert_round(conn: &mut Conn, r: &Round) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO contest_rounds (committee_id, name, held_on, questions, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(r.committee.0)
    .bind(&r.name)
    .bind(iso(r.held_on))
    .bind(serde_json::Value::from(r.questions.clone()).to_string())
    .bind(&r.recorded_at)
    .bind(&r.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn round_by_id(conn: &mut Conn, id: i64) -> Result<Option<Round>> {
    let sql = format!("SELECT {R_COLS} FROM contest_rounds WHERE id = $1");
    optional(conn, sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id), round).await
}

/// A committee's rounds, newest first.
pub async fn rounds_of(conn: &mut Conn, committee: OrgId) -> Result<Vec<Round>> {
    let sql = format!(
        "SELECT {R_COLS} FROM contest_rounds WHERE committee_id = $1 ORDER BY held_on DESC, id DESC LIMIT 200"
    );
    all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(committee.0),
        round,
    )
    .await
}

/// Writes a participant's result; a second one of the same member in a round replaces the
/// first (returns the old one, if any).
pub async fn put_entry(conn: &mut Conn, e: &Entry) -> Result<Option<Entry>> {
    let sql =
        format!("SELECT {E_COLS} FROM contest_entries WHERE round_id = $1 AND member_id = $2");
    let old = optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(e.round)
            .bind(e.member.0),
        entry,
    )
    .await?;
    let answers = e
        .answers
        .as_ref()
        .map(|a| serde_json::to_string(a).unwrap_or_default());
    if old.is_some() {
        sqlx::query(
            "UPDATE contest_entries SET score_tenths = $1, answers = $2, recorded_at = $3, recorded_by = $4 WHERE round_id = $5 AND member_id = $6",
        )
        .bind(i64::from(e.score_tenths))
        .bind(answers)
        .bind(&e.recorded_at)
        .bind(&e.recorded_by)
        .bind(e.round)
        .bind(e.member.0)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO contest_entries (round_id, member_id, score_tenths, answers, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.round)
        .bind(e.member.0)
        .bind(i64::from(e.score_tenths))
        .bind(answers)
        .bind(&e.recorded_at)
        .bind(&e.recorded_by)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    }
    Ok(old)
}

/// A round's entries.
pub async fn entries_of(conn: &mut Conn, round: i64) -> Result<Vec<Entry>> {
    let sql = format!("SELECT {E_COLS} FROM contest_entries WHERE round_id = $1 ORDER BY id");
    all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(round),
        entry,
    )
    .await
}
