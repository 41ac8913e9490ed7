//! The audit trail: one row per change, written in the change's transaction.

use sqlx::Row;

use crate::db::Conn;
use crate::error::Result;

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
    pub decision_ref: Option<String>,
}

pub async fn insert(conn: &mut Conn, e: &AuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, old_value, new_value, reason, decision_ref)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&e.at)
    .bind(&e.actor)
    .bind(&e.action)
    .bind(&e.entity)
    .bind(e.entity_id)
    .bind(&e.old_value)
    .bind(&e.new_value)
    .bind(&e.reason)
    .bind(&e.decision_ref)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The entries about one entity, oldest first.
pub async fn for_entity(conn: &mut Conn, entity: &str, id: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT at, actor, action, entity, entity_id, old_value, new_value, reason, decision_ref
         FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                old_value: r.try_get("old_value")?,
                new_value: r.try_get("new_value")?,
                reason: r.try_get("reason")?,
                decision_ref: r.try_get("decision_ref")?,
            })
        })
        .collect()
}

/// Number of audit entries.
pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut *conn)
        .await?)
}

/// The id of the latest audit entry: it changes with every change of data, so it versions
/// caches of derived figures, across processes too.
pub async fn last_id(conn: &mut Conn) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_log")
        .fetch_one(&mut *conn)
        .await?;
    Ok(v.unwrap_or(0))
}
