//! The term programme (R17): items per organisation and month, items pushed by a
//! superior committee, and the items a meeting took up.

use dangvu_domain::ids::OrgId;
use dangvu_domain::meeting::ItemKind;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};

/// A programme item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub org: OrgId,
    /// "YYYY-MM".
    pub month: String,
    pub kind: ItemKind,
    pub title: String,
    pub reference: Option<String>,
    pub push: Option<i64>,
    /// Taken up at a meeting.
    pub held: bool,
}

/// A pushed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub id: i64,
    pub org: OrgId,
    pub month: String,
    pub kind: ItemKind,
    pub title: String,
    pub reference: Option<String>,
}

fn kind(r: &AnyRow) -> Result<ItemKind> {
    let k: String = r.try_get("kind")?;
    ItemKind::from_code(&k).ok_or_else(|| StoreError::Config(format!("bad stored item kind {k}")))
}

fn push_row(r: &AnyRow) -> Result<Push> {
    Ok(Push {
        id: r.try_get("id")?,
        org: OrgId(r.try_get("org_id")?),
        month: r.try_get("month")?,
        kind: kind(r)?,
        title: r.try_get("title")?,
        reference: r.try_get("reference")?,
    })
}

fn item_row(r: &AnyRow) -> Result<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        org: OrgId(r.try_get("org_id")?),
        month: r.try_get("month")?,
        kind: kind(r)?,
        title: r.try_get("title")?,
        reference: r.try_get("reference")?,
        push: r.try_get("push_id")?,
        held: r.try_get::<i64, _>("held")? != 0,
    })
}

const ITEM_SELECT: &str = "SELECT i.id, i.org_id, i.month, i.kind, i.title, i.reference, i.push_id,
    CASE WHEN EXISTS (SELECT 1 FROM meeting_items mi WHERE mi.item_id = i.id) THEN 1 ELSE 0 END AS held
    FROM programme_items i";

#[allow(clippy::too_many_arguments)]
pub async fn insert_item(
    conn: &mut Conn,
    org: OrgId,
    month: &str,
    kind: ItemKind,
    title: &str,
    reference: Option<&str>,
    push: Option<i64>,
    now: &str,
    by: &str,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO programme_items (org_id, month, kind, title, reference, push_id, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(month)
    .bind(kind.code())
    .bind(title)
    .bind(reference)
    .bind(push)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn insert_push(
    conn: &mut Conn,
    org: OrgId,
    month: &str,
    kind: ItemKind,
    title: &str,
    reference: Option<&str>,
    now: &str,
    by: &str,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO programme_pushes (org_id, month, kind, title, reference, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(month)
    .bind(kind.code())
    .bind(title)
    .bind(reference)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

/// An organisation's items between two months ("YYYY-MM", inclusive), in month order.
pub async fn items_of(conn: &mut Conn, org: OrgId, from: &str, to: &str) -> Result<Vec<Item>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.org_id = $1 AND i.month >= $2 AND i.month <= $3 ORDER BY i.month, i.id"
    )))
    .bind(org.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_row).collect()
}

/// The items made from one push, one per cell that received it.
pub async fn items_of_push(conn: &mut Conn, push: i64) -> Result<Vec<Item>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.push_id = $1 ORDER BY i.org_id"
    )))
    .bind(push)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_row).collect()
}

/// The pushes an organisation made, newest month first.
pub async fn pushes_of(conn: &mut Conn, org: OrgId) -> Result<Vec<Push>> {
    let rows = sqlx::query(
        "SELECT id, org_id, month, kind, title, reference FROM programme_pushes WHERE org_id = $1 ORDER BY month DESC, id DESC",
    )
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(push_row).collect()
}

/// A push, or None.
pub async fn push(conn: &mut Conn, id: i64) -> Result<Option<Push>> {
    let r = sqlx::query(
        "SELECT id, org_id, month, kind, title, reference FROM programme_pushes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    r.as_ref().map(push_row).transpose()
}

/// One item, or None.
pub async fn item(conn: &mut Conn, id: i64) -> Result<Option<Item>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    r.as_ref().map(item_row).transpose()
}

/// Records that a meeting took up these items.
pub async fn link(conn: &mut Conn, meeting: i64, items: &[i64]) -> Result<()> {
    for i in items {
        sqlx::query("INSERT INTO meeting_items (meeting_id, item_id) VALUES ($1, $2)")
            .bind(meeting)
            .bind(*i)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_sqlx)?;
    }
    Ok(())
}

/// The items a meeting took up.
pub async fn items_of_meeting(conn: &mut Conn, meeting: i64) -> Result<Vec<Item>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.id IN (SELECT item_id FROM meeting_items WHERE meeting_id = $1) ORDER BY i.month, i.id"
    )))
    .bind(meeting)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_row).collect()
}
