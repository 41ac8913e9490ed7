//! The administrator's changes to the working-day calendar (see `dangvu_domain::calendar`).

use chrono::NaiveDate;
use dangvu_domain::calendar::DayKind;
use dangvu_domain::date::iso;
use sqlx::Row;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::date;

/// A day an administrator set: its kind (`None`: back to the week's rule) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayChange {
    pub day: NaiveDate,
    pub kind: Option<DayKind>,
    pub note: String,
    pub changed_at: String,
    pub changed_by: String,
}

/// Every day an administrator set, in order.
pub async fn changes(conn: &mut Conn) -> Result<Vec<DayChange>> {
    let q = sqlx::query(
        "SELECT day, kind, note, changed_at, changed_by FROM calendar_days ORDER BY day",
    );
    crate::db::all(conn, q, |r| {
        let kind: Option<String> = r.try_get("kind")?;
        Ok(DayChange {
            day: date(r, "day")?,
            kind: match kind {
                Some(k) => Some(
                    DayKind::from_code(&k)
                        .ok_or_else(|| StoreError::bad_stored("calendar day kind"))?,
                ),
                None => None,
            },
            note: r.try_get("note")?,
            changed_at: r.try_get("changed_at")?,
            changed_by: r.try_get("changed_by")?,
        })
    })
    .await
}

/// Sets a day, replacing an earlier change of it.
pub async fn put(conn: &mut Conn, c: &DayChange) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, note, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (day) DO UPDATE SET kind = $2, note = $3, changed_at = $4, changed_by = $5",
    )
    .bind(iso(c.day))
    .bind(c.kind.map(DayKind::code))
    .bind(&c.note)
    .bind(&c.changed_at)
    .bind(&c.changed_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
