//! Ý kiến góp ý xây dựng Đảng (R34): the register of opinions of the Fatherland Front, the mass
//! organisations and the people.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::opinion::OpinionSource;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Conn, all, all_of_orgs, optional, update_one};
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// An opinion in a committee's register.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Opinion {
    pub id: i64,
    /// The committee whose register holds it and who answers for it.
    pub committee: OrgId,
    pub source: OpinionSource,
    /// Who gave it: the Front's committee, the mass organisation, the citizen, the meeting.
    pub source_name: Option<String>,
    pub received_on: NaiveDate,
    pub subject_org: Option<OrgId>,
    pub subject_member: Option<MemberId>,
    pub content: String,
    /// The body and the person given it to answer, when, and by when.
    pub assigned_body: Option<String>,
    pub assigned_person: Option<String>,
    pub assigned_on: Option<NaiveDate>,
    pub due_by: Option<NaiveDate>,
    pub response: Option<String>,
    pub answered_on: Option<NaiveDate>,
    /// The review period whose comments it is part of (R28).
    pub review_period: Option<i64>,
    pub recorded_at: String,
    pub recorded_by: String,
}

const COLS: &str = "id, committee_id, source, source_name, received_on, subject_org_id, subject_member_id, content, assigned_body, assigned_person, assigned_on, due_by, response, answered_on, review_period_id, recorded_at, recorded_by";

fn row(r: &AnyRow) -> Result<Opinion> {
    let source: String = r.try_get("source")?;
    Ok(from_columns!(r; Opinion {
            id, source_name, content, assigned_body, assigned_person, response, recorded_at,
            recorded_by
        }
        committee: OrgId(r.try_get("committee_id")?),
        source: OpinionSource::from_code(&source)
            .ok_or_else(|| StoreError::bad_stored("opinion source"))?,
        received_on: date(r, "received_on")?,
        subject_org: r.try_get::<Option<i64>, _>("subject_org_id")?.map(OrgId),
        subject_member: r.try_get::<Option<i64>, _>("subject_member_id")?.map(MemberId),
        assigned_on: opt_date(r, "assigned_on")?,
        due_by: opt_date(r, "due_by")?,
        answered_on: opt_date(r, "answered_on")?,
        review_period: r.try_get("review_period_id")?,
    ))
}

/// Takes an opinion into the register.
pub async fn insert(conn: &mut Conn, o: &Opinion) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO opinions (committee_id, source, source_name, received_on, subject_org_id, subject_member_id, content, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(o.committee.0)
    .bind(o.source.code())
    .bind(&o.source_name)
    .bind(iso(o.received_on))
    .bind(o.subject_org.map(|x| x.0))
    .bind(o.subject_member.map(|x| x.0))
    .bind(&o.content)
    .bind(&o.recorded_at)
    .bind(&o.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<Opinion>> {
    let sql = format!("SELECT {COLS} FROM opinions WHERE id = $1");
    optional(conn, sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id), row).await
}

/// Writes what may change after intake: the assignment, the answer and the review it feeds.
pub async fn update(conn: &mut Conn, o: &Opinion) -> Result<()> {
    let q = sqlx::query(
        "UPDATE opinions SET assigned_body = $1, assigned_person = $2, assigned_on = $3, due_by = $4,
         response = $5, answered_on = $6, review_period_id = $7 WHERE id = $8",
    )
    .bind(&o.assigned_body)
    .bind(&o.assigned_person)
    .bind(o.assigned_on.map(iso))
    .bind(o.due_by.map(iso))
    .bind(&o.response)
    .bind(o.answered_on.map(iso))
    .bind(o.review_period)
    .bind(o.id);
    update_one(conn, q).await
}

/// The opinions in the registers of these committees received in `[from, to]`, newest first,
/// at most `limit`.
pub async fn of_committees(
    conn: &mut Conn,
    committees: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<Opinion>> {
    let sql = format!(
        "SELECT {COLS} FROM opinions WHERE committee_id IN ({{orgs}})
         AND received_on >= $1 AND received_on <= $2 ORDER BY received_on DESC, id DESC LIMIT $3"
    );
    all_of_orgs(
        conn,
        committees,
        &sql,
        |q| q.bind(iso(from)).bind(iso(to)).bind(limit),
        row,
    )
    .await
}

/// The opinions of these committees given to answer and not answered, oldest deadline first,
/// at most `limit`.
pub async fn unanswered_assigned(
    conn: &mut Conn,
    committees: &[OrgId],
    limit: i64,
) -> Result<Vec<Opinion>> {
    let sql = format!(
        "SELECT {COLS} FROM opinions WHERE committee_id IN ({{orgs}})
         AND answered_on IS NULL AND due_by IS NOT NULL ORDER BY due_by, id LIMIT $1"
    );
    all_of_orgs(conn, committees, &sql, |q| q.bind(limit), row).await
}

/// The opinions attached to a review period about a member or an organisation.
pub async fn of_review_subject(
    conn: &mut Conn,
    period: i64,
    member: Option<MemberId>,
    org: Option<OrgId>,
) -> Result<Vec<Opinion>> {
    let sql = format!(
        "SELECT {COLS} FROM opinions WHERE review_period_id = $1
         AND (subject_member_id = $2 OR subject_org_id = $3) ORDER BY received_on, id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(period)
        .bind(member.map(|m| m.0).unwrap_or(-1))
        .bind(org.map(|o| o.0).unwrap_or(-1));
    all(conn, q, row).await
}
