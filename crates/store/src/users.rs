//! Accounts, role grants, sessions and sign-in throttling.

use chrono::NaiveDate;
use dangvu_domain::access::{Grant, NewGrant, Role};
use dangvu_domain::ids::{MemberId, OrgId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    /// The member this account belongs to (for the member role).
    pub member_id: Option<MemberId>,
    pub disabled: bool,
    pub created_at: String,
}

fn user(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        member_id: r.try_get::<Option<i64>, _>("member_id")?.map(MemberId),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

const USER_COLS: &str =
    "id, username, display_name, password_hash, member_id, disabled, created_at";

pub async fn insert_user(
    conn: &mut Conn,
    username: &str,
    display_name: &str,
    password_hash: &str,
    member_id: Option<MemberId>,
    now: &str,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, member_id, disabled, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(member_id.map(|m| m.0))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn user_by_name(conn: &mut Conn, username: &str) -> Result<Option<User>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLS} FROM users WHERE username = $1"
    )))
    .bind(username);
    crate::db::optional(conn, q, user).await
}

pub async fn user_by_id(conn: &mut Conn, id: i64) -> Result<User> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLS} FROM users WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    r.as_ref()
        .map(user)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

pub async fn list_users(conn: &mut Conn) -> Result<Vec<User>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLS} FROM users ORDER BY username"
    )));
    crate::db::all(conn, q, user).await
}

pub async fn set_password(conn: &mut Conn, id: i64, hash: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_disabled(conn: &mut Conn, id: i64, disabled: bool) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_grant(conn: &mut Conn, user_id: i64, g: &NewGrant) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO role_grants (user_id, role, org_id, valid_from, valid_to, decision_ref)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(g.role.code())
    .bind(g.org.map(|o| o.0))
    .bind(g.valid_from.to_string())
    .bind(g.valid_to.map(|t| t.to_string()))
    .bind(&g.decision_ref)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

/// Ends a grant on a date.
pub async fn end_grant(conn: &mut Conn, grant_id: i64, on: NaiveDate) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE role_grants SET valid_to = $1 WHERE id = $2 AND (valid_to IS NULL OR valid_to > $1)")
            .bind(on.to_string())
            .bind(grant_id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

pub async fn grants_of(conn: &mut Conn, user_id: i64) -> Result<Vec<Grant>> {
    let q = sqlx::query(
        "SELECT id, role, org_id, valid_from, valid_to FROM role_grants WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id);
    crate::db::all(conn, q, |r| {
        let role: String = r.try_get("role")?;
        Ok(Grant {
            id: r.try_get("id")?,
            role: Role::parse(&role)
                .map_err(|_| StoreError::Config(format!("unknown role {role}")))?,
            org: r.try_get::<Option<i64>, _>("org_id")?.map(OrgId),
            valid_from: date(r, "valid_from")?,
            valid_to: opt_date(r, "valid_to")?,
        })
    })
    .await
}

/// A session as stored: the token itself is never stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub ended_at: Option<String>,
}

pub async fn insert_session(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: &str,
    address: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, address)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(now)
    .bind(address)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn session(conn: &mut Conn, token_hash: &str) -> Result<Option<Session>> {
    let r = sqlx::query(
        "SELECT token_hash, user_id, csrf, created_at, last_seen_at, ended_at FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    r.map(|r| {
        Ok(Session {
            token_hash: r.try_get("token_hash")?,
            user_id: r.try_get("user_id")?,
            csrf: r.try_get("csrf")?,
            created_at: r.try_get("created_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
            ended_at: r.try_get("ended_at")?,
        })
    })
    .transpose()
}

pub async fn touch_session(conn: &mut Conn, token_hash: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn end_session(conn: &mut Conn, token_hash: &str, now: &str) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

/// Ends every open session of a user ("sign out everywhere"), but the one of `keep_hash`
/// (the session just opened, when signing in ends the others); returns how many.
pub async fn end_sessions_of(
    conn: &mut Conn,
    user_id: i64,
    keep_hash: Option<&str>,
    now: &str,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL AND token_hash <> $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(keep_hash.unwrap_or(""))
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Failed sign-ins counted under a key (an account name or an address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i64,
    pub window_start: String,
    pub locked_until: Option<String>,
}

/// Counts one sign-in attempt under a key, in one statement, before the password is checked:
/// parallel attempts each take their own step. A window that began before `window_open` starts
/// again at `now` (a lock in force stays). Returns the count as it now stands.
pub async fn count_attempt(
    conn: &mut Conn,
    key: &str,
    now: &str,
    window_open: &str,
) -> Result<Throttle> {
    let r = sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, NULL)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END,
           window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END
         RETURNING failures, window_start, locked_until",
    )
    .bind(key)
    .bind(now)
    .bind(window_open)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Throttle {
        failures: r.try_get("failures")?,
        window_start: r.try_get("window_start")?,
        locked_until: r.try_get("locked_until")?,
    })
}

/// Takes back one counted attempt (it was a good one).
pub async fn uncount_attempt(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query(
        "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0",
    )
    .bind(key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Locks a key until a time.
pub async fn lock_until(conn: &mut Conn, key: &str, until: &str) -> Result<()> {
    sqlx::query("UPDATE login_throttle SET locked_until = $2 WHERE key = $1")
        .bind(key)
        .bind(until)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn clear_throttle(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
