//! Keys of forms sent from a device that may send them again: the first sending claims the
//! key, then records where it went; a second sending finds that place.

use crate::db::Conn;
use crate::error::Result;

/// What a key's claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this sending does the work.
    New,
    /// The key was sent before by the same user, and went there.
    Done(String),
    /// The key's first sending is still in progress, or the key is someone else's.
    Taken,
}

/// Claims a key for a user.
pub async fn claim(conn: &mut Conn, key: &str, user: &str, at: &str) -> Result<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO sent_keys (sent_key, user_name, location, sent_at) VALUES ($1, $2, '', $3) ON CONFLICT (sent_key) DO NOTHING",
    )
    .bind(key)
    .bind(user)
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT user_name, location FROM sent_keys WHERE sent_key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        Some((u, location)) if u == user && !location.is_empty() => Claim::Done(location),
        _ => Claim::Taken,
    })
}

/// Records where a claimed key's sending went.
pub async fn done(conn: &mut Conn, key: &str, user: &str, location: &str) -> Result<()> {
    sqlx::query("UPDATE sent_keys SET location = $1 WHERE sent_key = $2 AND user_name = $3")
        .bind(location)
        .bind(key)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Gives a claimed key back after its sending was refused, so it can be sent again corrected.
pub async fn release(conn: &mut Conn, key: &str, user: &str) -> Result<()> {
    sqlx::query("DELETE FROM sent_keys WHERE sent_key = $1 AND user_name = $2 AND location = ''")
        .bind(key)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
