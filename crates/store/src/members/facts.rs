//! What a statistic needs of each member that does not depend on the day: sex, date of
//! birth, the coded fields, the first admission and whether she was ever readmitted. Read
//! for the whole register (streamed, a few columns a member) or for a few members.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use dangvu_domain::ids::MemberId;
use futures_util::TryStreamExt;

use super::{bad, day, id_list};
use crate::db::Conn;
use crate::error::Result;

/// One member's lasting facts; `codes` in the order of `CODED`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastingFacts {
    pub member: MemberId,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub codes: [Option<String>; 6],
    /// The first admission that stands (none for a record without one).
    pub admitted_on: Option<NaiveDate>,
    pub readmitted: bool,
}

/// The fields `LastingFacts::codes` holds, in order.
pub const CODED: [&str; 6] = dangvu_domain::stats::RECORD_FACTS;

type FactRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Calls `each` with the lasting facts of every member (`None`) or of these members.
pub async fn lasting_facts(
    conn: &mut Conn,
    members: Option<&[MemberId]>,
    mut each: impl FnMut(LastingFacts),
) -> Result<()> {
    let filter = |col: &str| match members {
        Some(m) => format!(" AND {col} IN ({})", id_list(m.iter().map(|m| m.0))),
        None => String::new(),
    };
    if members.is_some_and(<[MemberId]>::is_empty) {
        return Ok(());
    }
    // The admissions and readmissions first: one grouped pass over the events.
    let mut admitted: HashMap<i64, NaiveDate> = HashMap::new();
    let sql = format!(
        "SELECT member_id, MIN(occurred_on) FROM member_events WHERE kind = 'admitted' AND voided = 0{} GROUP BY member_id",
        filter("member_id")
    );
    let mut rows = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
    while let Some((m, d)) = rows.try_next().await? {
        admitted.insert(m, day(&d).ok_or_else(|| bad("occurred_on"))?);
    }
    drop(rows);
    let sql = format!(
        "SELECT DISTINCT member_id FROM member_events WHERE kind = 'readmitted' AND voided = 0{}",
        filter("member_id")
    );
    let readmitted: HashSet<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let sql = format!(
        "SELECT id, sex, birth_date, {} FROM members WHERE 1 = 1{}",
        CODED.join(", "),
        filter("id")
    );
    let mut rows = sqlx::query_as::<_, FactRow>(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
    while let Some((id, sex, birth, a, b, c, d, e, f)) = rows.try_next().await? {
        each(LastingFacts {
            member: MemberId(id),
            sex,
            birth_date: day(&birth).ok_or_else(|| bad("birth_date"))?,
            codes: [a, b, c, d, e, f],
            admitted_on: admitted.get(&id).copied(),
            readmitted: readmitted.contains(&id),
        });
    }
    Ok(())
}
