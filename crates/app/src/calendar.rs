//! The working-day calendar as the committee keeps it: the built-in days of
//! `dangvu_domain::calendar` with the administrator's changes laid over them.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar::{DayKind, MAX_WORKING_DAYS, WorkCalendar};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::calendar::{self as store, DayChange};
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// The longest note of a day ("Tết Nguyên đán", "làm bù cho thứ Sáu 2/1").
const NOTE_MAX: usize = 200;

/// A day of a year that differs from the week's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub note: String,
    /// Who set it, when an administrator did; `None` for a built-in day.
    pub changed_by: Option<String>,
}

/// The days of a year that differ from the week's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    pub year: i32,
    pub days: Vec<CalendarDay>,
    /// Whether the built-in data holds the year's holidays; otherwise only the administrator's
    /// days and the weekends count.
    pub known: bool,
}

impl App {
    /// The calendar in force.
    pub async fn calendar(&self) -> AppResult<WorkCalendar> {
        let mut conn = self.store.read().await?;
        let changes = store::changes(&mut conn).await?;
        conn.commit().await?;
        Ok(laid_over(&changes))
    }

    /// A year's days that differ from the week's rule (anyone signed in may read them).
    pub async fn calendar_year(&self, year: i32) -> AppResult<CalendarYear> {
        self.calendar_year_bound(year)?;
        let mut conn = self.store.read().await?;
        let changes = store::changes(&mut conn).await?;
        conn.commit().await?;
        let days = laid_over(&changes)
            .special_days(year)
            .into_iter()
            .map(|s| CalendarDay {
                changed_by: changes
                    .iter()
                    .find(|c| c.day == s.day)
                    .map(|c| c.changed_by.clone()),
                day: s.day,
                kind: s.kind,
                note: s.note,
            })
            .collect();
        Ok(CalendarYear {
            year,
            days,
            known: WorkCalendar::knows(year),
        })
    }

    /// Sets what a day is (administrators only): a day off, a make-up working day, or back to
    /// the week's rule (`None`), with a note that says why ("Thông báo số … về nghỉ Tết").
    pub async fn set_calendar_day(
        &self,
        actor: &Actor,
        day: NaiveDate,
        kind: Option<DayKind>,
        note: &str,
    ) -> AppResult<()> {
        if !actor.access.admin {
            return Err(AppError::Forbidden);
        }
        self.calendar_year_bound(day.year())
            .map_err(|_| AppError::Domain(FieldError::new("day", "invalid").into()))?;
        let note = clean(note);
        if note.is_empty() {
            return Err(FieldError::new("note", "required").into());
        }
        if note.chars().count() > NOTE_MAX {
            return Err(FieldError::new("note", "too_long").into());
        }
        let mut tx = self.store.begin().await?;
        let before = laid_over(&store::changes(&mut tx).await?);
        let after = before.clone().with([(day, kind, note.clone())]);
        let entry_of = |c: &WorkCalendar| {
            c.special_days(day.year())
                .into_iter()
                .find(|s| s.day == day)
        };
        if entry_of(&before) == entry_of(&after) {
            return Err(DomainError::rule_on("unchanged", "kind").into());
        }
        let was = before.is_working(day);
        store::put(
            &mut tx,
            &DayChange {
                day,
                kind,
                note: note.clone(),
                changed_at: self.now_text(),
                changed_by: actor.name.clone(),
            },
        )
        .await?;
        let entry = Action::CalendarDay
            .on("calendar", i64::from(day.year()))
            .before(Some(json!({"day": day.to_string(), "working": was})))
            .after(Some(json!({"day": day.to_string(), "kind": kind.map(DayKind::code), "working": after.is_working(day)})))
            .reason(Some(&note));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// The day `days` working days after `from` under the calendar in force (R7, R8, R10).
    pub async fn deadline(&self, from: NaiveDate, days: u32) -> AppResult<NaiveDate> {
        if days > MAX_WORKING_DAYS {
            return Err(FieldError::new("days", "too_large").into());
        }
        Ok(self.calendar().await?.add_working_days(from, days))
    }

    /// The years the calendar may be read and set for: from 2000 to five years ahead.
    fn calendar_year_bound(&self, year: i32) -> AppResult<()> {
        if (2000..=self.clock.today().year() + 5).contains(&year) {
            Ok(())
        } else {
            Err(FieldError::new("year", "invalid").into())
        }
    }
}

fn laid_over(changes: &[DayChange]) -> WorkCalendar {
    WorkCalendar::vietnam().with(changes.iter().map(|c| (c.day, c.kind, c.note.clone())))
}
