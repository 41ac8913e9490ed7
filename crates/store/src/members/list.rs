//! The member list: members on an organisation's rolls on a date, in Vietnamese name order,
//! searched by name tokens, one page at a time.

use super::*;
use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::date;
use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Sex, Status};
use dangvu_domain::text::fold;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Every member's sort key, handed to `each` row by row: for lists counted from the in-memory
/// history.
pub async fn all_sort_keys(conn: &mut Conn, mut each: impl FnMut(MemberId, Vec<u8>)) -> Result<()> {
    use futures_util::TryStreamExt;
    let mut rows =
        sqlx::query_as::<_, (i64, Vec<u8>)>("SELECT id, sort_key FROM members").fetch(&mut *conn);
    while let Some((id, key)) = rows.try_next().await? {
        each(MemberId(id), key);
    }
    Ok(())
}

/// Names of members, by id.
pub async fn names_of(conn: &mut Conn, ids: &[MemberId]) -> Result<Vec<(MemberId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, full_name FROM members WHERE id IN ({})",
        id_list(ids.iter().map(|m| m.0))
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql));
    crate::db::all(conn, q, |r| {
        Ok((MemberId(r.try_get("id")?), r.try_get("full_name")?))
    })
    .await
}

/// A member's sort key as it is now.
pub async fn sort_key_of(conn: &mut Conn, member: MemberId) -> Result<Vec<u8>> {
    sqlx::query_scalar("SELECT sort_key FROM members WHERE id = $1")
        .bind(member.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A page of the member list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListRow {
    pub id: MemberId,
    pub full_name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub org: OrgId,
    pub status: Status,
    pub official: bool,
}

/// What to list: the members on the rolls of `orgs` on `on`, optionally matching a folded
/// search, in Vietnamese name order (given, middle, family), a page at a time.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// The organisations whose rolls to list; `None` for the whole register.
    pub orgs: Option<Vec<OrgId>>,
    pub on: NaiveDate,
    pub search: Option<String>,
    pub offset: i64,
    pub limit: i64,
    /// The length of the whole list when the caller already knows it (paging on).
    pub known_total: Option<i64>,
}

fn next_prefix(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if let Some(last) = chars.pop() {
        let next = char::from_u32(last as u32 + 1).unwrap_or(char::MAX);
        chars.push(next);
    }
    chars.into_iter().collect()
}

/// One row of a list before its names are read: what the order and the filter need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    pub id: MemberId,
    pub org: OrgId,
    pub status: Status,
    pub official: bool,
    /// The name's sort key: the list is in (key, id) order.
    pub key: Vec<u8>,
}

/// The FROM clause and the bound values of a list query.
fn list_from(q: &ListQuery) -> Option<(String, Vec<String>, bool)> {
    let scope = match &q.orgs {
        Some(v) if v.is_empty() => return None,
        Some(v) => format!("ms.org_id IN ({}) AND ", id_list(v.iter().map(|o| o.0))),
        None => String::new(),
    };
    let tokens: Vec<String> = q
        .search
        .as_deref()
        .map(fold)
        .unwrap_or_default()
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let mut filter = String::new();
    let mut binds: Vec<String> = vec![iso(q.on)];
    for (i, t) in tokens.iter().enumerate() {
        binds.push(t.clone());
        binds.push(next_prefix(t));
        let (a, b) = (binds.len() - 1, binds.len());
        // Every word typed must begin a word of the name. Inside a subtree a correlated EXISTS
        // keeps the plan driven by the subtree's memberships; over the whole register the last
        // word (usually the given name, which few share) drives through the tokens index.
        if q.orgs.is_none() && i + 1 == tokens.len() {
            filter.push_str(&format!(" AND ms.member_id IN (SELECT member_id FROM member_tokens WHERE token >= ${a} AND token < ${b})"));
        } else {
            filter.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM member_tokens t WHERE t.member_id = ms.member_id AND t.token >= ${a} AND t.token < ${b})"
            ));
        }
    }
    let from = format!(
        "FROM memberships ms WHERE {scope}ms.valid_from <= $1 AND (ms.valid_to IS NULL OR ms.valid_to > $1){filter}"
    );
    Some((from, binds, !tokens.is_empty()))
}

async fn entries(conn: &mut Conn, sql: String, binds: &[String]) -> Result<Vec<ListEntry>> {
    let mut pq = sqlx::query_as::<_, (i64, i64, String, i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
    for b in binds {
        pq = pq.bind(b.clone());
    }
    pq.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, org, st, official, key)| {
            Ok(ListEntry {
                id: MemberId(id),
                org: OrgId(org),
                status: Status::from_code(&st).ok_or_else(|| bad("status"))?,
                official: official != 0,
                key,
            })
        })
        .collect()
}

/// The whole list in order (without names): for paging through it from a cache.
pub async fn list_order(conn: &mut Conn, q: &ListQuery) -> Result<Vec<ListEntry>> {
    let Some((from, binds, _)) = list_from(q) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT ms.member_id, ms.org_id, ms.status, ms.official, ms.sort_key {from} ORDER BY ms.sort_key, ms.member_id"
    );
    entries(conn, sql, &binds).await
}

/// Lists a page and counts the whole list. The order and the filter come from the
/// memberships index alone; only the page's rows are read from `members`.
pub async fn list_members(conn: &mut Conn, q: &ListQuery) -> Result<(Vec<ListRow>, i64)> {
    let Some((from, binds, searching)) = list_from(q) else {
        return Ok((Vec::new(), 0));
    };
    // A search matches few members: read them all in order, count them, keep the page.
    // A plain list counts with the index and lets the database sort and skip.
    let (page, total) = if !searching {
        let total = match q.known_total {
            Some(t) => t,
            None => {
                let mut cq = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) {from}"
                )));
                for b in &binds {
                    cq = cq.bind(b.clone());
                }
                cq.fetch_one(&mut *conn).await?
            }
        };
        let sql = format!(
            "SELECT ms.member_id, ms.org_id, ms.status, ms.official, ms.sort_key {from} ORDER BY ms.sort_key, ms.member_id LIMIT {} OFFSET {}",
            q.limit.max(0),
            q.offset.max(0)
        );
        (entries(conn, sql, &binds).await?, total)
    } else {
        let all = list_order(conn, q).await?;
        let total = all.len() as i64;
        let page = all
            .into_iter()
            .skip(q.offset.max(0) as usize)
            .take(q.limit.max(0) as usize)
            .collect();
        (page, total)
    };
    Ok((list_rows(conn, &page).await?, total))
}

/// The rows of a page of entries, with names, sexes and birth dates, in the entries' order.
pub async fn list_rows(conn: &mut Conn, page: &[ListEntry]) -> Result<Vec<ListRow>> {
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let ids = id_list(page.iter().map(|p| p.id.0));
    let sql = format!("SELECT id, full_name, sex, birth_date FROM members WHERE id IN ({ids})");
    let details: std::collections::HashMap<i64, AnyRow> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get::<i64, _>("id")?, r)))
        .collect::<Result<_>>()?;
    page.iter()
        .map(|e| {
            let r = details.get(&e.id.0).ok_or(StoreError::NotFound)?;
            let sex: String = r.try_get("sex")?;
            Ok(ListRow {
                id: e.id,
                full_name: r.try_get("full_name")?,
                sex: Sex::from_code(&sex).ok_or_else(|| bad("sex"))?,
                birth_date: date(r, "birth_date")?,
                org: e.org,
                status: e.status,
                official: e.official,
            })
        })
        .collect()
}
