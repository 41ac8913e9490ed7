//! What imports keep: the column mapping confirmed for each workbook layout, and the look-up
//! of a member by name and date of birth.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::MemberId;
use dangvu_domain::text::fold;

use crate::db::Conn;
use crate::error::Result;

/// The mapping saved for a layout of a kind of import (`members`, `orgs`), as JSON.
pub async fn layout(conn: &mut Conn, kind: &str, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar(
            "SELECT mapping FROM import_layouts WHERE kind = $1 AND layout_key = $2",
        )
        .bind(kind)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?,
    )
}

/// Saves (or replaces) the mapping of a layout.
pub async fn save_layout(
    conn: &mut Conn,
    kind: &str,
    key: &str,
    mapping: &str,
    by: &str,
    at: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM import_layouts WHERE kind = $1 AND layout_key = $2")
        .bind(kind)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO import_layouts (layout_key, kind, mapping, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(key)
    .bind(kind)
    .bind(mapping)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The members with this name (compared folded) and date of birth.
pub async fn members_named(
    conn: &mut Conn,
    full_name: &str,
    birth_date: NaiveDate,
) -> Result<Vec<MemberId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM members WHERE folded_name = $1 AND birth_date = $2 ORDER BY id",
    )
    .bind(fold(full_name))
    .bind(iso(birth_date))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(MemberId).collect())
}
