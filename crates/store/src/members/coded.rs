//! The stored values of the coded record fields, for moving free text to codes.

use crate::db::Conn;
use crate::error::Result;

/// The coded columns of `members` (a fixed set: the column name is never from outside).
const CODED: [&str; 5] = [
    "ethnicity",
    "religion",
    "education",
    "political_theory",
    "professional",
];

fn column(field: &str) -> Option<&'static str> {
    CODED.iter().copied().find(|c| *c == field)
}

/// The distinct values of a coded column with how many members hold each.
pub async fn distinct_values(conn: &mut Conn, field: &str) -> Result<Vec<(String, i64)>> {
    let Some(col) = column(field) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {col}, COUNT(*) FROM members WHERE {col} IS NOT NULL GROUP BY {col} ORDER BY {col}"
    );
    Ok(sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?)
}

/// Replaces one stored value of a coded column by another for every member holding it;
/// answers how many rows changed.
pub async fn recode(conn: &mut Conn, field: &str, from: &str, to: &str) -> Result<u64> {
    let Some(col) = column(field) else {
        return Ok(0);
    };
    let sql = format!("UPDATE members SET {col} = $1 WHERE {col} = $2");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to)
        .bind(from)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}
