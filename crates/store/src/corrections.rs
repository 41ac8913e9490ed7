//! Corrections (đính chính) of a record after the fact (R15), for every register that keeps
//! them: which record, the field, its old and new value, the reason and the document that
//! decided it, who recorded it and when. One type and one pair of queries serve them all; each
//! register names its table and the column of the corrected record.

use serde::Serialize;
use sqlx::Row;

use crate::db::Conn;
use crate::error::{Result, StoreError};

/// A register whose records are corrected: its table of corrections, and the column and
/// JSON key naming the corrected record.
pub trait Corrected: Serialize + Copy {
    const TABLE: &'static str;
    const COLUMN: &'static str;
    fn id(self) -> i64;
    fn of(id: i64) -> Self;
}

/// A recorded correction of one field of a record (R15); `record` serialises as the register's
/// own key (`member`, `meeting`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction<R: Corrected> {
    #[serde(flatten)]
    pub record: R,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: String,
    pub decision_ref: Option<String>,
    pub decided_on: Option<chrono::NaiveDate>,
    pub decided_by: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl<R: Corrected> Correction<R> {
    /// A correction of `record` with nothing said yet: the fields to fill in, and who records
    /// it when (the app stamps those as it writes it).
    pub fn blank(record: R) -> Self {
        Correction {
            record,
            field: String::new(),
            old_value: None,
            new_value: None,
            reason: String::new(),
            decision_ref: None,
            decided_on: None,
            decided_by: None,
            recorded_at: String::new(),
            recorded_by: String::new(),
        }
    }

    /// This correction approved by a decision (R15).
    pub fn decided(self, d: &dangvu_domain::decision::Decision) -> Self {
        Correction {
            decision_ref: d.reference.clone(),
            decided_on: d.date,
            decided_by: d.body.clone(),
            ..self
        }
    }
}

/// Declares a register whose records are corrected: the record's key with its JSON name, the
/// table of corrections and its column, and the register's `Correction` and `corrections_of`.
macro_rules! corrected_register {
    ($(#[$doc:meta])* $name:ident { $key:ident: $ty:ty }, $table:literal, $column:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        pub struct $name {
            pub $key: $ty,
        }

        impl $crate::corrections::Corrected for $name {
            const TABLE: &'static str = $table;
            const COLUMN: &'static str = $column;
            fn id(self) -> i64 {
                i64::from(self.$key)
            }
            fn of(id: i64) -> Self {
                $name { $key: <$ty>::from(id) }
            }
        }

        /// A recorded correction of this register (R15).
        pub type Correction = $crate::corrections::Correction<$name>;

        /// The corrections of one record, oldest first.
        pub async fn corrections_of(
            conn: &mut $crate::db::Conn,
            $key: $ty,
        ) -> $crate::error::Result<Vec<Correction>> {
            $crate::corrections::of(conn, $name { $key }).await
        }
    };
}
pub(crate) use corrected_register;

pub async fn insert<R: Corrected>(conn: &mut Conn, c: &Correction<R>) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO {} ({}, field, old_value, new_value, reason, decision_ref, decided_on, decided_by, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        R::TABLE,
        R::COLUMN
    )))
    .bind(c.record.id())
    .bind(&c.field)
    .bind(&c.old_value)
    .bind(&c.new_value)
    .bind(&c.reason)
    .bind(&c.decision_ref)
    .bind(c.decided_on.map(dangvu_domain::date::iso))
    .bind(&c.decided_by)
    .bind(&c.recorded_at)
    .bind(&c.recorded_by)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(())
}

/// The corrections of one record, oldest first.
pub async fn of<R: Corrected>(conn: &mut Conn, record: R) -> Result<Vec<Correction<R>>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {col}, field, old_value, new_value, reason, decision_ref, decided_on, decided_by, recorded_at, recorded_by
         FROM {table} WHERE {col} = $1 ORDER BY id",
        col = R::COLUMN,
        table = R::TABLE
    )))
    .bind(record.id());
    crate::db::all(conn, q, |r| {
        Ok(Correction {
            record: R::of(r.try_get(R::COLUMN)?),
            field: r.try_get("field")?,
            old_value: r.try_get("old_value")?,
            new_value: r.try_get("new_value")?,
            reason: r.try_get("reason")?,
            decision_ref: r.try_get("decision_ref")?,
            decided_on: crate::orgs::opt_date(r, "decided_on")?,
            decided_by: r.try_get("decided_by")?,
            recorded_at: r.try_get("recorded_at")?,
            recorded_by: r.try_get("recorded_by")?,
        })
    })
    .await
}
