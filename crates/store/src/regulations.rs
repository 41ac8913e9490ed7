//! Quy chế, quy định của cấp ủy (R32): regulations, their versions and provisions.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::OrgId;
use dangvu_domain::regulation::{FileKind, RegulationKind};
use dangvu_domain::text::fold;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Conn, all, all_of_orgs, optional, update_one};
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// A regulation of a committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regulation {
    pub id: i64,
    pub committee: OrgId,
    pub kind: RegulationKind,
    pub title: String,
    pub issuing_body: String,
    /// Months between reviews, when the regulation sets them.
    pub review_months: Option<u32>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// One version of a regulation: the first issue, or a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: i64,
    pub regulation: i64,
    pub version: u32,
    /// Số ký hiệu: "05-QC/ĐU".
    pub number: String,
    pub signed_on: NaiveDate,
    pub effective_on: NaiveDate,
    /// What this revision changed (none for the first issue).
    pub changes: Option<String>,
    pub body: String,
    pub review_due: Option<NaiveDate>,
    /// The attached file's name, kind and SHA-256 checksum (its bytes are read apart).
    pub file: Option<(String, FileKind, String)>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A provision of a version and who answers for its task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provision {
    pub article: String,
    pub task: String,
    pub responsible: String,
}

const REG_COLS: &str =
    "id, committee_id, kind, title, issuing_body, review_months, recorded_at, recorded_by";

fn regulation(r: &AnyRow) -> Result<Regulation> {
    let kind: String = r.try_get("kind")?;
    Ok(
        from_columns!(r; Regulation { id, title, issuing_body, recorded_at, recorded_by }
            committee: OrgId(r.try_get("committee_id")?),
            kind: RegulationKind::from_code(&kind)
                .ok_or_else(|| StoreError::bad_stored("regulation kind"))?,
            review_months: r
                .try_get::<Option<i64>, _>("review_months")?
                .and_then(|m| u32::try_from(m).ok()),
        ),
    )
}

const VERSION_COLS: &str = "id, regulation_id, version, number, signed_on, effective_on, changes, body, review_due, file_name, file_kind, file_sha256, recorded_at, recorded_by";

fn version(r: &AnyRow) -> Result<Version> {
    let name: Option<String> = r.try_get("file_name")?;
    let kind: Option<String> = r.try_get("file_kind")?;
    let sum: Option<String> = r.try_get("file_sha256")?;
    Ok(
        from_columns!(r; Version { id, number, changes, body, recorded_at, recorded_by }
            regulation: r.try_get("regulation_id")?,
            version: u32::try_from(r.try_get::<i64, _>("version")?)
                .map_err(|_| StoreError::bad_stored("regulation version"))?,
            signed_on: date(r, "signed_on")?,
            effective_on: date(r, "effective_on")?,
            review_due: opt_date(r, "review_due")?,
            file: match (name, kind.as_deref().and_then(FileKind::from_code), sum) {
                (Some(n), Some(k), Some(s)) => Some((n, k, s)),
                _ => None,
            },
        ),
    )
}

pub async fn insert(conn: &mut Conn, g: &Regulation) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO regulations (committee_id, kind, title, folded_title, issuing_body, review_months, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(g.committee.0)
    .bind(g.kind.code())
    .bind(&g.title)
    .bind(fold(&g.title))
    .bind(&g.issuing_body)
    .bind(g.review_months.map(i64::from))
    .bind(&g.recorded_at)
    .bind(&g.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<Regulation>> {
    let sql = format!("SELECT {REG_COLS} FROM regulations WHERE id = $1");
    optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id),
        regulation,
    )
    .await
}

/// Writes a version with its provisions; a version number taken is a
/// [`StoreError::Conflict`].
pub async fn insert_version(conn: &mut Conn, v: &Version, provisions: &[Provision]) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO regulation_versions (regulation_id, version, number, signed_on, effective_on, changes, body, folded_body, review_due, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(v.regulation)
    .bind(i64::from(v.version))
    .bind(&v.number)
    .bind(iso(v.signed_on))
    .bind(iso(v.effective_on))
    .bind(&v.changes)
    .bind(&v.body)
    .bind(fold(&v.body))
    .bind(v.review_due.map(iso))
    .bind(&v.recorded_at)
    .bind(&v.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    for p in provisions {
        sqlx::query(
            "INSERT INTO regulation_provisions (version_id, article, task, responsible) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&p.article)
        .bind(&p.task)
        .bind(&p.responsible)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn version_by_id(conn: &mut Conn, id: i64) -> Result<Option<Version>> {
    let sql = format!("SELECT {VERSION_COLS} FROM regulation_versions WHERE id = $1");
    optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id),
        version,
    )
    .await
}

/// A regulation's versions, oldest first.
pub async fn versions_of(conn: &mut Conn, regulation: i64) -> Result<Vec<Version>> {
    let sql = format!(
        "SELECT {VERSION_COLS} FROM regulation_versions WHERE regulation_id = $1 ORDER BY version"
    );
    all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(regulation),
        version,
    )
    .await
}

pub async fn provisions_of(conn: &mut Conn, version: i64) -> Result<Vec<Provision>> {
    let q = sqlx::query(
        "SELECT article, task, responsible FROM regulation_provisions WHERE version_id = $1 ORDER BY id",
    )
    .bind(version);
    all(conn, q, |r| {
        Ok(from_columns!(r; Provision { article, task, responsible }))
    })
    .await
}

/// Attaches a file to a version (replacing one attached before).
pub async fn attach_file(
    conn: &mut Conn,
    version: i64,
    name: &str,
    kind: FileKind,
    bytes: &[u8],
    sha256: &str,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE regulation_versions SET file_name = $1, file_kind = $2, file_bytes = $3, file_sha256 = $4 WHERE id = $5",
    )
    .bind(name.to_owned())
    .bind(kind.code())
    .bind(bytes.to_vec())
    .bind(sha256.to_owned())
    .bind(version);
    update_one(conn, q).await
}

/// The bytes of a version's attached file.
pub async fn file_bytes(conn: &mut Conn, version: i64) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT file_bytes FROM regulation_versions WHERE id = $1")
            .bind(version)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

/// The regulations of these committees whose title or any version's text holds every word of
/// `words` (folded), by title; all of them without words.
pub async fn search(
    conn: &mut Conn,
    committees: &[OrgId],
    words: &[String],
    limit: i64,
) -> Result<Vec<Regulation>> {
    let mut sql = format!("SELECT {REG_COLS} FROM regulations g WHERE committee_id IN ({{orgs}})");
    for i in 0..words.len() {
        let n = i + 1;
        sql.push_str(&format!(
            " AND (g.folded_title LIKE ${n} OR EXISTS (SELECT 1 FROM regulation_versions v WHERE v.regulation_id = g.id AND v.folded_body LIKE ${n}))"
        ));
    }
    sql.push_str(&format!(
        " ORDER BY folded_title, id LIMIT ${}",
        words.len() + 1
    ));
    let patterns: Vec<String> = words
        .iter()
        .map(|w| format!("%{}%", w.replace(['%', '_'], "")))
        .collect();
    all_of_orgs(
        conn,
        committees,
        &sql,
        |mut q| {
            for p in patterns {
                q = q.bind(p);
            }
            q.bind(limit)
        },
        regulation,
    )
    .await
}
