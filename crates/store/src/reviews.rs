//! Review periods and the levels decided in them (R23–R31).

use dangvu_domain::ids::OrgId;
use dangvu_domain::review::{Level, Period};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::date;

/// A review period of an organisation's subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPeriod {
    pub id: i64,
    pub org: OrgId,
    pub label: String,
    pub period: Period,
    pub rule_set: String,
    /// `open` or `locked`.
    pub status: String,
}

pub async fn insert_period(
    conn: &mut Conn,
    org: OrgId,
    label: &str,
    period: Period,
    rule_set: &str,
    now: &str,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO review_periods (org_id, label, period_start, period_end, rule_set, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id",
    )
    .bind(org.0)
    .bind(label)
    .bind(period.start.to_string())
    .bind(period.end.to_string())
    .bind(rule_set)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

fn period_row(r: &AnyRow) -> Result<ReviewPeriod> {
    Ok(ReviewPeriod {
        id: r.try_get("id")?,
        org: OrgId(r.try_get("org_id")?),
        label: r.try_get("label")?,
        period: Period {
            start: date(r, "period_start")?,
            end: date(r, "period_end")?,
        },
        rule_set: r.try_get("rule_set")?,
        status: r.try_get("status")?,
    })
}

pub async fn period(conn: &mut Conn, id: i64) -> Result<ReviewPeriod> {
    let r = sqlx::query(
        "SELECT id, org_id, label, period_start, period_end, rule_set, status FROM review_periods WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    r.as_ref()
        .map(period_row)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

/// The review periods of an organisation, oldest first.
pub async fn periods_of(conn: &mut Conn, org: OrgId) -> Result<Vec<ReviewPeriod>> {
    let q = sqlx::query(
        "SELECT id, org_id, label, period_start, period_end, rule_set, status FROM review_periods WHERE org_id = $1 ORDER BY period_start, id",
    )
    .bind(org.0);
    crate::db::all(conn, q, period_row).await
}

pub async fn set_status(conn: &mut Conn, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE review_periods SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One decided subject: a level, or the reason it is not classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub period_id: i64,
    /// `member`, `subordinate_org`, `grassroots`, `collective`.
    pub subject_kind: String,
    pub subject_id: i64,
    /// The grassroots organisation it belongs to (the quota's scope).
    pub grassroots: Option<OrgId>,
    /// The unit it sat in at the end of the period: a member's cell, an organisation itself.
    pub unit: Option<OrgId>,
    pub level: Option<Level>,
    pub not_classified: Option<String>,
    pub points: Option<i64>,
    pub decision_ref: Option<String>,
    pub decided_at: String,
    pub decided_by: String,
}

fn decision_row(r: &AnyRow) -> Result<Decision> {
    let level: Option<String> = r.try_get("level")?;
    Ok(Decision {
        period_id: r.try_get("period_id")?,
        subject_kind: r.try_get("subject_kind")?,
        subject_id: r.try_get("subject_id")?,
        grassroots: r.try_get::<Option<i64>, _>("grassroots_id")?.map(OrgId),
        unit: r.try_get::<Option<i64>, _>("unit_id")?.map(OrgId),
        level: match level {
            Some(l) => Some(
                Level::from_code(&l)
                    .ok_or_else(|| StoreError::Config(format!("bad stored level {l}")))?,
            ),
            None => None,
        },
        not_classified: r.try_get("not_classified")?,
        points: r.try_get("points")?,
        decision_ref: r.try_get("decision_ref")?,
        decided_at: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
    })
}

const DECISION_COLS: &str = "period_id, subject_kind, subject_id, grassroots_id, unit_id, level, not_classified, points, decision_ref, decided_at, decided_by";

/// The decision on a subject, if any.
pub async fn decision(
    conn: &mut Conn,
    period_id: i64,
    kind: &str,
    subject: i64,
) -> Result<Option<Decision>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLS} FROM review_decisions WHERE period_id = $1 AND subject_kind = $2 AND subject_id = $3"
    )))
    .bind(period_id)
    .bind(kind)
    .bind(subject);
    crate::db::optional(conn, q, decision_row).await
}

/// Binds a review subject's key, `$1`…`$3`: the period, the kind of subject and its id.
fn subject_key<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    period: i64,
    kind: &'q str,
    id: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(period).bind(kind).bind(id)
}

/// Writes a decision, replacing an earlier one on the same subject in the same period.
pub async fn put_decision(conn: &mut Conn, d: &Decision) -> Result<()> {
    // One row per subject, kept under its id: its corrections refer to it.
    let insert = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO review_decisions ({DECISION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (period_id, subject_kind, subject_id) DO UPDATE SET grassroots_id = excluded.grassroots_id,
         unit_id = excluded.unit_id, level = excluded.level, not_classified = excluded.not_classified,
         points = excluded.points, decision_ref = excluded.decision_ref, decided_at = excluded.decided_at,
         decided_by = excluded.decided_by"
    )));
    subject_key(insert, d.period_id, &d.subject_kind, d.subject_id)
        .bind(d.grassroots.map(|o| o.0))
        .bind(d.unit.map(|o| o.0))
        .bind(d.level.map(Level::code))
        .bind(&d.not_classified)
        .bind(d.points)
        .bind(&d.decision_ref)
        .bind(&d.decided_at)
        .bind(&d.decided_by)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// The id of a subject's decision in a period.
pub async fn decision_id(
    conn: &mut Conn,
    period_id: i64,
    kind: &str,
    subject: i64,
) -> Result<Option<i64>> {
    let q = sqlx::query(
        "SELECT id FROM review_decisions WHERE period_id = $1 AND subject_kind = $2 AND subject_id = $3",
    );
    crate::db::optional(conn, subject_key(q, period_id, kind, subject), |r| {
        Ok(r.try_get("id")?)
    })
    .await
}

crate::corrections::corrected_register!(
    /// A review's decision on a subject as the subject of a correction.
    OfDecision { decision: i64 },
    "review_decision_corrections",
    "decision_id"
);

/// Every decision of a period on one kind of subject.
pub async fn decisions(conn: &mut Conn, period_id: i64, kind: &str) -> Result<Vec<Decision>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLS} FROM review_decisions WHERE period_id = $1 AND subject_kind = $2 ORDER BY subject_id"
    )))
    .bind(period_id)
    .bind(kind);
    crate::db::all(conn, q, decision_row).await
}

/// How many subjects of one kind sat in one unit with one outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCount {
    pub unit: Option<OrgId>,
    pub subject_kind: String,
    pub level: Option<Level>,
    pub not_classified: Option<String>,
    pub count: i64,
}

/// The decisions of a period counted per unit, kind and outcome, as `review_counts` keeps
/// them; `units` limits the count to those units (None: every unit).
pub async fn counts_by_unit(
    conn: &mut Conn,
    period_id: i64,
    units: Option<&[OrgId]>,
) -> Result<Vec<UnitCount>> {
    let lists: Vec<String> = match units {
        None => vec![String::new()],
        Some(u) => u
            .chunks(500)
            .map(|c| {
                let ids: Vec<String> = c.iter().map(|o| o.0.to_string()).collect();
                format!(" AND org_id IN ({})", ids.join(","))
            })
            .collect(),
    };
    let mut out = Vec::new();
    for filter in lists {
        let sql = format!("{KEPT} AND grouped_by = 0{filter}");
        let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(period_id);
        out.extend(crate::db::all(conn, q, unit_count).await?);
    }
    Ok(out)
}

/// The counts of a period as `review_counts` keeps them.
const KEPT: &str = "SELECT org_id, subject_kind, level, not_classified, n FROM review_counts
     WHERE period_id = $1 AND n <> 0";

/// The decisions of a whole period counted per grassroots organisation (members and cells) and
/// per organisation (grassroots organisations and collectives, whose grassroots is empty): the
/// whole-tree report's rows, a few per grassroots organisation instead of a few per cell.
pub async fn counts_by_grassroots(conn: &mut Conn, period_id: i64) -> Result<Vec<UnitCount>> {
    let sql = format!("{KEPT} AND grouped_by IN (1, 2)");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(period_id);
    crate::db::all(conn, q, unit_count).await
}

/// The plain `GROUP BY subject_kind, level` over every decision of a period: what a report
/// would cost without the kept counts (`dangvu bench` measures the report against it).
pub async fn plain_group_by(
    conn: &mut Conn,
    period_id: i64,
) -> Result<Vec<(String, Option<String>, i64)>> {
    let q = sqlx::query(
        "SELECT subject_kind, level, COUNT(*) AS n FROM review_decisions WHERE period_id = $1 GROUP BY subject_kind, level",
    )
    .bind(period_id);
    crate::db::all(conn, q, |r| {
        Ok((
            r.try_get("subject_kind")?,
            r.try_get("level")?,
            r.try_get("n")?,
        ))
    })
    .await
}

/// A period's counts per grouping (0: by unit, 1: by grassroots organisation, 2: by unit of
/// the decisions without one), kept and recounted from the decisions, in the same order: the
/// two are equal unless the triggers that keep them are wrong.
pub async fn kept_and_recounted(
    conn: &mut Conn,
    period_id: i64,
) -> Result<(Vec<(i64, UnitCount)>, Vec<(i64, UnitCount)>)> {
    let order = " ORDER BY 1, 2, 3, 4, 5";
    let kept = format!(
        "SELECT grouped_by AS g, org_id, subject_kind, level, not_classified, n FROM review_counts
         WHERE period_id = $1 AND n <> 0{order}"
    );
    let recount = format!(
        "SELECT CAST(0 AS BIGINT) AS g, COALESCE(unit_id, 0) AS org_id, subject_kind, COALESCE(level, '') AS level,
                COALESCE(not_classified, '') AS not_classified, COUNT(*) AS n
         FROM review_decisions WHERE period_id = $1 GROUP BY 1, 2, 3, 4, 5
         UNION ALL
         SELECT CAST(CASE WHEN grassroots_id IS NULL THEN 2 ELSE 1 END AS BIGINT), COALESCE(grassroots_id, unit_id, 0),
                subject_kind, COALESCE(level, ''), COALESCE(not_classified, ''), COUNT(*)
         FROM review_decisions WHERE period_id = $1 GROUP BY 1, 2, 3, 4, 5{order}"
    );
    let mut out = Vec::new();
    for sql in [kept, recount] {
        let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(period_id);
        out.push(
            crate::db::all(conn, q, |r| Ok((r.try_get::<i64, _>("g")?, unit_count(r)?))).await?,
        );
    }
    let recounted = out.pop().unwrap_or_default();
    let kept = out.pop().unwrap_or_default();
    Ok((kept, recounted))
}

fn unit_count(r: &AnyRow) -> Result<UnitCount> {
    let level: String = r.try_get("level")?;
    let not_classified: String = r.try_get("not_classified")?;
    let org: i64 = r.try_get("org_id")?;
    Ok(UnitCount {
        unit: (org != 0).then_some(OrgId(org)),
        subject_kind: r.try_get("subject_kind")?,
        level: Level::from_code(&level),
        not_classified: (!not_classified.is_empty()).then_some(not_classified),
        count: r.try_get("n")?,
    })
}

/// One step of the workflow before a decision (R28, R29): a self-assessment, a participating
/// body's comment, the proposal, or the written conclusion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    pub period_id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    /// `self`, `comment`, `proposal`, `conclusion`.
    pub step: String,
    /// For a comment, the body that wrote it; empty otherwise.
    pub body: String,
    /// The level self-assessed, proposed, or (from the head of agency) the civil-service rating.
    pub level: Option<Level>,
    pub points: Option<i64>,
    pub content: String,
    pub strengths: Option<String>,
    pub weaknesses: Option<String>,
    pub remedies: Option<String>,
    /// The answer to "were last period's remedies carried out?".
    pub remedies_done: Option<String>,
    pub sick_leave_months: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: String,
}

const STEP_COLS: &str = "period_id, subject_kind, subject_id, step, body, level, points, content, strengths, weaknesses, remedies, remedies_done, sick_leave_months, recorded_by, recorded_at";

fn step_row(r: &AnyRow) -> Result<Step> {
    let level: Option<String> = r.try_get("level")?;
    Ok(Step {
        period_id: r.try_get("period_id")?,
        subject_kind: r.try_get("subject_kind")?,
        subject_id: r.try_get("subject_id")?,
        step: r.try_get("step")?,
        body: r.try_get("body")?,
        level: level.as_deref().and_then(Level::from_code),
        points: r.try_get("points")?,
        content: r.try_get("content")?,
        strengths: r.try_get("strengths")?,
        weaknesses: r.try_get("weaknesses")?,
        remedies: r.try_get("remedies")?,
        remedies_done: r.try_get("remedies_done")?,
        sick_leave_months: r.try_get("sick_leave_months")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

/// Writes a step, replacing the same step of the same body on the same subject.
pub async fn put_step(conn: &mut Conn, s: &Step) -> Result<()> {
    let delete = sqlx::query(
        "DELETE FROM review_steps WHERE period_id = $1 AND subject_kind = $2 AND subject_id = $3 AND step = $4 AND body = $5",
    );
    subject_key(delete, s.period_id, &s.subject_kind, s.subject_id)
        .bind(&s.step)
        .bind(&s.body)
        .execute(&mut *conn)
        .await?;
    let insert = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO review_steps ({STEP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    )));
    subject_key(insert, s.period_id, &s.subject_kind, s.subject_id)
        .bind(&s.step)
        .bind(&s.body)
        .bind(s.level.map(Level::code))
        .bind(s.points)
        .bind(&s.content)
        .bind(&s.strengths)
        .bind(&s.weaknesses)
        .bind(&s.remedies)
        .bind(&s.remedies_done)
        .bind(s.sick_leave_months)
        .bind(&s.recorded_by)
        .bind(&s.recorded_at)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// Rows of a period's table on some subjects of one kind, 500 ids a statement.
async fn by_subjects<T>(
    conn: &mut Conn,
    select: &str,
    period_id: i64,
    kind: &str,
    subjects: &[i64],
    row: fn(&AnyRow) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for c in subjects.chunks(500) {
        let ids: Vec<String> = c.iter().map(i64::to_string).collect();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{select} WHERE period_id = $1 AND subject_kind = $2 AND subject_id IN ({}) ORDER BY subject_id, id",
            ids.join(",")
        )))
        .bind(period_id)
        .bind(kind)
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            out.push(row(r)?);
        }
    }
    Ok(out)
}

/// The steps recorded on some subjects of one kind in a period.
pub async fn steps_of(
    conn: &mut Conn,
    period_id: i64,
    kind: &str,
    subjects: &[i64],
) -> Result<Vec<Step>> {
    let select = format!("SELECT {STEP_COLS} FROM review_steps");
    by_subjects(conn, &select, period_id, kind, subjects, step_row).await
}

/// The decisions of a period on some subjects of one kind.
pub async fn decisions_of(
    conn: &mut Conn,
    period_id: i64,
    kind: &str,
    subjects: &[i64],
) -> Result<Vec<Decision>> {
    let select = format!("SELECT {DECISION_COLS} FROM review_decisions");
    by_subjects(conn, &select, period_id, kind, subjects, decision_row).await
}

/// Every review period, newest first (the periods an organisation's reviews fall under are
/// those of its ancestors too).
pub async fn all_periods(conn: &mut Conn) -> Result<Vec<ReviewPeriod>> {
    let q = sqlx::query(
        "SELECT id, org_id, label, period_start, period_end, rule_set, status FROM review_periods ORDER BY period_start DESC, id DESC",
    );
    crate::db::all(conn, q, period_row).await
}

/// Members rated HTXS and HTT per grassroots organisation in a period (the quota's counts,
/// R27), as `review_counts` keeps them; `only` limits it to one grassroots organisation.
pub async fn quota_counts(
    conn: &mut Conn,
    period_id: i64,
    only: Option<OrgId>,
) -> Result<Vec<(OrgId, u32, u32)>> {
    let filter = if only.is_some() {
        " AND org_id = $2"
    } else {
        ""
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT org_id AS grassroots_id, level, n FROM review_counts
         WHERE period_id = $1 AND grouped_by = 1{filter} AND subject_kind = 'member'
           AND level IN ('htxs', 'htt') AND n <> 0
         ORDER BY org_id"
    )))
    .bind(period_id);
    if let Some(g) = only {
        q = q.bind(g.0);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out: Vec<(OrgId, u32, u32)> = Vec::new();
    for r in &rows {
        let g = OrgId(r.try_get("grassroots_id")?);
        let level: String = r.try_get("level")?;
        let n = u32::try_from(r.try_get::<i64, _>("n")?).unwrap_or(u32::MAX);
        if out.last().is_none_or(|(x, _, _)| *x != g) {
            out.push((g, 0, 0));
        }
        if let Some(last) = out.last_mut() {
            if level == "htxs" {
                last.1 += n;
            } else {
                last.2 += n;
            }
        }
    }
    Ok(out)
}

/// A member's decided levels, each with the last day of its period.
pub async fn member_levels(
    conn: &mut Conn,
    member: i64,
) -> Result<Vec<(chrono::NaiveDate, Level)>> {
    let q = sqlx::query(
        "SELECT p.period_end, d.level FROM review_decisions d JOIN review_periods p ON p.id = d.period_id
         WHERE d.subject_kind = 'member' AND d.subject_id = $1 AND d.level IS NOT NULL ORDER BY p.period_end",
    )
    .bind(member);
    let rows = crate::db::all(conn, q, |r| {
        let level: String = r.try_get("level")?;
        Ok((date(r, "period_end")?, Level::from_code(&level)))
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, l)| l.map(|l| (d, l)))
        .collect())
}
