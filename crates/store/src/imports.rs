//! What imports keep: the column mapping confirmed for each workbook layout, and the look-up
//! of a member by name and date of birth.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::MemberId;
use dangvu_domain::text::fold;

use std::collections::{HashMap, HashSet};

use crate::db::{Backend, Conn};
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

/// What identifies a member to an import: a number of the register, or her name (folded) and
/// date of birth.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RegisterKey {
    Cccd(String),
    History(String),
    Card(String),
    NameBirth(String, NaiveDate),
}

/// The values of one kind of number asked about, the query finding their holders, and the key
/// a value makes.
type NumberAsk = (Vec<String>, &'static str, fn(String) -> RegisterKey);

/// Those of `keys` that some member of the register holds (a card number held once counts),
/// with the members holding them.
pub async fn keys_held(
    conn: &mut Conn,
    backend: Backend,
    keys: &[RegisterKey],
) -> Result<HashMap<RegisterKey, Vec<MemberId>>> {
    let mut held: HashMap<RegisterKey, Vec<MemberId>> = HashMap::new();
    let pick = |f: fn(&RegisterKey) -> Option<&String>| -> Vec<String> {
        let mut v: Vec<String> = keys.iter().filter_map(f).cloned().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let asks: [NumberAsk; 3] = [
        (
            pick(|k| match k {
                RegisterKey::Cccd(s) => Some(s),
                _ => None,
            }),
            "SELECT cccd, id FROM members WHERE cccd IN",
            RegisterKey::Cccd,
        ),
        (
            pick(|k| match k {
                RegisterKey::History(s) => Some(s),
                _ => None,
            }),
            "SELECT history_number, id FROM members WHERE history_number IN",
            RegisterKey::History,
        ),
        (
            pick(|k| match k {
                RegisterKey::Card(s) => Some(s),
                _ => None,
            }),
            "SELECT card_number, member_id FROM member_cards WHERE card_number IN",
            RegisterKey::Card,
        ),
    ];
    for (values, sql, key) in asks {
        for chunk in values.chunks(500) {
            let sql = format!("{sql} {}", in_list(backend, chunk.len()));
            let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
            for v in chunk {
                q = q.bind(v.clone());
            }
            for (v, m) in q.fetch_all(&mut *conn).await? {
                held.entry(key(v)).or_default().push(MemberId(m));
            }
        }
    }
    // Name and birth in pairs, each an index look-up (a common name alone would match
    // thousands).
    let mut pairs: Vec<(&String, NaiveDate)> = keys
        .iter()
        .filter_map(|k| match k {
            RegisterKey::NameBirth(n, b) => Some((n, *b)),
            _ => None,
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    for chunk in pairs.chunks(100) {
        let terms: Vec<String> = (0..chunk.len())
            .map(|i| match backend {
                Backend::Sqlite => "(folded_name = ? AND birth_date = ?)".to_owned(),
                Backend::Postgres => {
                    format!(
                        "(folded_name = ${} AND birth_date = ${})",
                        2 * i + 1,
                        2 * i + 2
                    )
                }
            })
            .collect();
        let sql = format!(
            "SELECT folded_name, birth_date, id FROM members WHERE {}",
            terms.join(" OR ")
        );
        let mut q = sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(sql));
        for (n, b) in chunk {
            q = q.bind((*n).clone()).bind(iso(*b));
        }
        for (name, birth, m) in q.fetch_all(&mut *conn).await? {
            if let Some(b) = crate::members::day(&birth) {
                held.entry(RegisterKey::NameBirth(name, b))
                    .or_default()
                    .push(MemberId(m));
            }
        }
    }
    let asked: HashSet<&RegisterKey> = keys.iter().collect();
    held.retain(|k, _| asked.contains(k));
    for v in held.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(held)
}

/// `(?, ?, …)` for an `IN` of `n` values.
fn in_list(backend: Backend, n: usize) -> String {
    crate::bulk::values(backend, 1, n)
}
