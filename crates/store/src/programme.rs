//! The term programme (R17): items per organisation and month, items pushed by a
//! superior committee, and the items a meeting took up.

use dangvu_domain::ids::OrgId;
use dangvu_domain::meeting::ItemKind;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};

/// What an item and a push both say: which organisation, which month, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub id: i64,
    pub org: OrgId,
    /// "YYYY-MM".
    pub month: String,
    pub kind: ItemKind,
    pub title: String,
    pub reference: Option<String>,
}

/// A pushed item: what a superior committee sent to the programmes of its cells.
pub type Push = Planned;

/// A programme item: what is planned, the push it came from, whether a meeting took it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub planned: Planned,
    pub push: Option<i64>,
    /// Taken up at a meeting.
    pub held: bool,
}

impl std::ops::Deref for Item {
    type Target = Planned;

    fn deref(&self) -> &Planned {
        &self.planned
    }
}

fn kind(r: &AnyRow) -> Result<ItemKind> {
    let k: String = r.try_get("kind")?;
    ItemKind::from_code(&k).ok_or_else(|| StoreError::Config(format!("bad stored item kind {k}")))
}

fn planned_row(r: &AnyRow) -> Result<Planned> {
    let (org, kind) = (OrgId(r.try_get("org_id")?), kind(r)?);
    Ok(from_columns![r; Planned { id, month, title, reference } org: org, kind: kind])
}

fn item_row(r: &AnyRow) -> Result<Item> {
    Ok(Item {
        planned: planned_row(r)?,
        push: r.try_get("push_id")?,
        held: r.try_get::<i64, _>("held")? != 0,
    })
}

const ITEM_SELECT: &str = "SELECT i.id, i.org_id, i.month, i.kind, i.title, i.reference, i.push_id,
    CASE WHEN EXISTS (SELECT 1 FROM meeting_items mi WHERE mi.item_id = i.id) THEN 1 ELSE 0 END AS held
    FROM programme_items i";

/// An item as it is written: into one programme, or as a push to many.
#[derive(Debug, Clone, Copy)]
pub struct NewItem<'a> {
    /// "YYYY-MM".
    pub month: &'a str,
    pub kind: ItemKind,
    pub title: &'a str,
    pub reference: Option<&'a str>,
    pub created_at: &'a str,
    pub created_by: &'a str,
}

/// The columns an item and a push share.
const ITEM_COLS: &str = "org_id, month, kind, title, reference";

/// Adds an item to an organisation's programme, made from a push when `push` says which.
pub async fn insert_item(
    conn: &mut Conn,
    org: OrgId,
    i: &NewItem<'_>,
    push: Option<i64>,
) -> Result<i64> {
    insert_planned(conn, "programme_items", org, i, Some(push)).await
}

/// Records a superior committee's push of an item to its cells.
pub async fn insert_push(conn: &mut Conn, org: OrgId, i: &NewItem<'_>) -> Result<i64> {
    insert_planned(conn, "programme_pushes", org, i, None).await
}

/// Writes an item or a push: the organisation, what is planned, the push it came from when
/// the table keeps one (`Some`), and who wrote it when.
async fn insert_planned(
    conn: &mut Conn,
    table: &str,
    org: OrgId,
    i: &NewItem<'_>,
    push: Option<Option<i64>>,
) -> Result<i64> {
    let (push_col, rest) = match push {
        Some(_) => (", push_id", "$6, $7, $8"),
        None => ("", "$6, $7"),
    };
    let sql = format!(
        "INSERT INTO {table} ({ITEM_COLS}{push_col}, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, {rest}) RETURNING id"
    );
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(org.0)
        .bind(i.month)
        .bind(i.kind.code())
        .bind(i.title)
        .bind(i.reference);
    if let Some(p) = push {
        q = q.bind(p);
    }
    let q = q.bind(i.created_at).bind(i.created_by);
    q.fetch_one(&mut *conn).await.map_err(StoreError::from_sqlx)
}

/// An organisation's items between two months ("YYYY-MM", inclusive), in month order.
pub async fn items_of(conn: &mut Conn, org: OrgId, from: &str, to: &str) -> Result<Vec<Item>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.org_id = $1 AND i.month >= $2 AND i.month <= $3 ORDER BY i.month, i.id"
    )))
    .bind(org.0)
    .bind(from)
    .bind(to);
    crate::db::all(conn, q, item_row).await
}

/// The items made from one push, one per cell that received it.
pub async fn items_of_push(conn: &mut Conn, push: i64) -> Result<Vec<Item>> {
    items_where(conn, "i.push_id = $1 ORDER BY i.org_id", push).await
}

/// The items that meet a condition on one id, `$1`.
async fn items_where(conn: &mut Conn, condition: &str, id: i64) -> Result<Vec<Item>> {
    let sql = format!("{ITEM_SELECT} WHERE {condition}");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
    crate::db::all(conn, q, item_row).await
}

/// The pushes an organisation made, newest month first.
pub async fn pushes_of(conn: &mut Conn, org: OrgId) -> Result<Vec<Push>> {
    let q = sqlx::query(
        "SELECT id, org_id, month, kind, title, reference FROM programme_pushes WHERE org_id = $1 ORDER BY month DESC, id DESC",
    )
    .bind(org.0);
    crate::db::all(conn, q, planned_row).await
}

/// A push, or None.
pub async fn push(conn: &mut Conn, id: i64) -> Result<Option<Push>> {
    let q = sqlx::query(
        "SELECT id, org_id, month, kind, title, reference FROM programme_pushes WHERE id = $1",
    )
    .bind(id);
    crate::db::optional(conn, q, planned_row).await
}

/// One item, or None.
pub async fn item(conn: &mut Conn, id: i64) -> Result<Option<Item>> {
    Ok(items_where(conn, "i.id = $1", id).await?.pop())
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
    let within = "i.id IN (SELECT item_id FROM meeting_items WHERE meeting_id = $1)";
    items_where(conn, &format!("{within} ORDER BY i.month, i.id"), meeting).await
}
