//! Ngày làm việc: the working-day calendar. The deadlines of admission, probation and transfer
//! (R7, R8, R10) are counted in working days: Monday to Friday, except the public holidays and
//! the days off the government moves each year, plus the Saturdays it makes working days in
//! exchange.
//!
//! The calendar is dated data: [`vn::DAYS`] holds the days that differ from the week's rule for
//! the years the government has set (and the coming year as the Labour Code sets it, until its
//! decision is known); an administrator's changes are laid over it with [`WorkCalendar::with`].

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub mod vn;

/// What a day is where it differs from the week's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Ngày nghỉ: a holiday, a day off in lieu or a day off moved by the government.
    Off,
    /// Ngày làm bù: a Saturday or Sunday made a working day.
    Work,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Off => "off",
            DayKind::Work => "work",
        }
    }
    pub fn from_code(s: &str) -> Option<DayKind> {
        match s {
            "off" => Some(DayKind::Off),
            "work" => Some(DayKind::Work),
            _ => None,
        }
    }
}

/// One day that differs from the week's rule, with what it is ("Tết Nguyên đán").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecialDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub note: String,
}

/// The most working days a deadline may count: far beyond any rule's (60 + 30), so that a
/// mistaken count cannot walk the calendar for ever.
pub const MAX_WORKING_DAYS: u32 = 2_000;

/// The working-day calendar: the week's rule and the days that differ from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, (DayKind, String)>,
}

impl WorkCalendar {
    /// Vietnam's calendar for state bodies as the government set it (see [`vn::DAYS`]).
    pub fn vietnam() -> WorkCalendar {
        let mut c = WorkCalendar::default();
        for (y, m, d, kind, note) in vn::DAYS {
            if let Some(day) = NaiveDate::from_ymd_opt(*y, *m, *d) {
                c.days.insert(day, (*kind, (*note).to_owned()));
            }
        }
        c
    }

    /// This calendar with an administrator's changes laid over it: a kind sets the day, `None`
    /// gives the day back to the week's rule.
    pub fn with(
        mut self,
        changes: impl IntoIterator<Item = (NaiveDate, Option<DayKind>, String)>,
    ) -> WorkCalendar {
        for (day, kind, note) in changes {
            match kind {
                Some(k) => {
                    self.days.insert(day, (k, note));
                }
                None => {
                    self.days.remove(&day);
                }
            }
        }
        self
    }

    /// Whether a day is a working day.
    pub fn is_working(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some((DayKind::Off, _)) => false,
            Some((DayKind::Work, _)) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `from`: a deadline "within `n` working days of `from`"
    /// ends at the close of that day. `from` itself is not counted; with `n` = 0 the answer is
    /// `from`. `n` is capped at [`MAX_WORKING_DAYS`].
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n.min(MAX_WORKING_DAYS);
        while left > 0 {
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working(day) {
                left -= 1;
            }
        }
        day
    }

    /// How many working days lie after `from` up to and including `to` (0 when `to` is not
    /// after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut day = from;
        while day < to {
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => break,
            }
            if self.is_working(day) {
                n += 1;
            }
        }
        n
    }

    /// The days of a year that differ from the week's rule, in order.
    pub fn special_days(&self, year: i32) -> Vec<SpecialDay> {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Vec::new();
        };
        self.days
            .range(from..=to)
            .map(|(day, (kind, note))| SpecialDay {
                day: *day,
                kind: *kind,
                note: note.clone(),
            })
            .collect()
    }

    /// Whether the built-in data holds the year's holidays (a deadline in a later year is
    /// counted with weekends only, and says so).
    pub fn knows(year: i32) -> bool {
        vn::YEARS.contains(&year)
    }
}

/// Where a step stands against its deadline on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Its time has not come (the step may not be taken yet).
    NotYet,
    /// It may be taken, and its deadline has not passed.
    Due,
    /// Its deadline has passed.
    Overdue,
}

impl DueState {
    pub fn code(self) -> &'static str {
        match self {
            DueState::NotYet => "not_yet",
            DueState::Due => "due",
            DueState::Overdue => "overdue",
        }
    }
}

/// A step that may be taken from `opens` and must be within `days` working days after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub opens: NaiveDate,
    pub due_by: NaiveDate,
}

impl WorkCalendar {
    /// The deadline of a step that opens on `opens` and has `days` working days after it.
    pub fn deadline(&self, opens: NaiveDate, days: u32) -> Deadline {
        Deadline {
            opens,
            due_by: self.add_working_days(opens, days),
        }
    }
}

impl Deadline {
    /// Where the step stands on `today`.
    pub fn state(&self, today: NaiveDate) -> DueState {
        if today < self.opens {
            DueState::NotYet
        } else if today <= self.due_by {
            DueState::Due
        } else {
            DueState::Overdue
        }
    }
}

/// R8: the cell considers a probationary member's official membership within 30 working days
/// after her 12 months of probation end.
pub const PROBATION_CONSIDERATION_DAYS: u32 = 30;

#[cfg(test)]
mod tests;
