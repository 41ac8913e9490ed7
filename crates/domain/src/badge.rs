//! Huy hiệu Đảng (R13): the milestones of seniority, the presentation days, when a member
//! reaches a milestone (R9 seniority, periods out of the Party not counted), who is on a day's
//! list, the exceptions (seriously ill: early; deceased: posthumous) and the badge's number.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::error::FieldError;
use crate::member::{Event, EventKind, party_periods};

/// The rules of badges from a day: the milestones in years, how many months early a seriously
/// ill member may receive each, how early a posthumous badge may be, the presentation days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadgeRules {
    pub id: &'static str,
    pub title: &'static str,
    pub from: NaiveDate,
    pub milestones: &'static [u32],
    /// Months early for a seriously ill member: below `ill_long_from` years, and from it.
    pub ill_early_months: u32,
    pub ill_long_from: u32,
    pub ill_long_early_months: u32,
    pub posthumous_months: u32,
    /// (month, day) of the presentation days of each year.
    pub days: &'static [(u32, u32)],
}

static RULES: [BadgeRules; 1] = [BadgeRules {
    id: "hd01-2021",
    title: "Hướng dẫn 01-HD/TW ngày 28/9/2021, mục 18 (huy hiệu Đảng)",
    from: match NaiveDate::from_ymd_opt(2021, 9, 28) {
        Some(d) => d,
        None => NaiveDate::MIN,
    },
    milestones: &[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
    ill_early_months: 12,
    ill_long_from: 70,
    ill_long_early_months: 24,
    posthumous_months: 12,
    days: &[(2, 3), (5, 19), (9, 2), (11, 7)],
}];

/// The rules in force on a day; the first version also governs the days before it (the
/// milestones and days have not changed since the badge's 30-year level).
pub fn rules_for(on: NaiveDate) -> &'static BadgeRules {
    RULES
        .iter()
        .rev()
        .find(|r| r.from <= on)
        .unwrap_or(&RULES[0])
}

/// The presentation days of a year, in order.
pub fn days_of(year: i32) -> Vec<NaiveDate> {
    let r = rules_for(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MIN));
    r.days
        .iter()
        .filter_map(|(m, d)| NaiveDate::from_ymd_opt(year, *m, *d))
        .collect()
}

/// Whether a day is a presentation day.
pub fn is_day(d: NaiveDate) -> bool {
    days_of(d.year()).contains(&d)
}

/// The presentation day before `day` (the last of the year before for the first).
pub fn previous_day(day: NaiveDate) -> NaiveDate {
    days_of(day.year())
        .into_iter()
        .rev()
        .find(|x| *x < day)
        .or_else(|| days_of(day.year() - 1).last().copied())
        .unwrap_or(NaiveDate::MIN)
}

/// The day a member's seniority reaches `months` (R9): counting from each admission to her
/// leaving, periods out of the Party not counted, nothing after death. None if it never does
/// by her timeline (she left, or died, before).
pub fn reach_date(events: &[Event], months: u32) -> Option<NaiveDate> {
    let mut total: u32 = 0;
    // The first day whose whole months since `s` (R7's count) make up the rest: a day of the
    // month that the target month lacks (31/1 + 1 month) is reached on the next month's first.
    let reached = |s: NaiveDate, total: u32| {
        let r = s.checked_add_months(Months::new(months - total))?;
        if r.day() < s.day() {
            r.succ_opt()
        } else {
            Some(r)
        }
    };
    for (from, to) in party_periods(events) {
        let day = reached(from, total)?;
        match to {
            Some(end) if day > end => {
                total += u32::try_from(crate::date::months_between(from, end).max(0)).ok()?;
            }
            _ => return Some(day),
        }
    }
    None
}

/// The day a member who died would have reached `months`, had she lived: for a posthumous
/// badge (her seniority counted on to that day).
pub fn reach_date_had_she_lived(events: &[Event], months: u32) -> Option<NaiveDate> {
    let alive: Vec<Event> = events
        .iter()
        .filter(|e| e.kind != EventKind::Died)
        .cloned()
        .collect();
    reach_date(&alive, months)
}

/// A milestone a member reaches on a day's list: reached after the previous presentation day
/// and by this one.
pub fn due_on(events: &[Event], day: NaiveDate) -> Option<(u32, NaiveDate)> {
    let prev = previous_day(day);
    rules_for(day).milestones.iter().find_map(|y| {
        reach_date(events, y * 12)
            .filter(|r| *r > prev && *r <= day)
            .map(|r| (*y, r))
    })
}

/// Why a badge is proposed outside the day's regular list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeException {
    /// Reached on the day's list.
    None,
    /// Ốm nặng: up to 12 months early (24 from 70 years).
    SeriouslyIll,
    /// Truy tặng: she died within 12 months of the milestone.
    Posthumous,
    /// Bổ sung: reached before the previous day and never proposed.
    Missed,
}

impl BadgeException {
    pub const ALL: [BadgeException; 4] = [
        BadgeException::None,
        BadgeException::SeriouslyIll,
        BadgeException::Posthumous,
        BadgeException::Missed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            BadgeException::None => "none",
            BadgeException::SeriouslyIll => "seriously_ill",
            BadgeException::Posthumous => "posthumous",
            BadgeException::Missed => "missed",
        }
    }
    pub fn from_code(s: &str) -> Option<BadgeException> {
        BadgeException::ALL.into_iter().find(|c| c.code() == s)
    }
}

/// Checks a proposal of the `years` badge on `day` against her timeline: the milestone exists;
/// on the regular list she reaches it in the day's window; seriously ill, she reaches it within
/// the months early the rules allow; posthumous, she died and would have reached it within 12
/// months of her death; missed, she reached it by the previous day. The stable code of what is
/// wrong.
pub fn check_proposal(
    events: &[Event],
    years: u32,
    day: NaiveDate,
    exception: BadgeException,
) -> Result<(), &'static str> {
    let rules = rules_for(day);
    if !rules.milestones.contains(&years) {
        return Err("badge_milestone");
    }
    let months = years * 12;
    let died = events
        .iter()
        .find(|e| e.kind == EventKind::Died)
        .map(|e| e.on);
    let early = |max: u32| -> Result<(), &'static str> {
        match reach_date(events, months) {
            Some(r) if r <= day => Err("badge_not_early"),
            Some(r)
                if day
                    .checked_add_months(Months::new(max))
                    .is_some_and(|l| r <= l) =>
            {
                Ok(())
            }
            _ => Err("badge_too_early"),
        }
    };
    match exception {
        BadgeException::None => match reach_date(events, months) {
            Some(r) if r > previous_day(day) && r <= day => Ok(()),
            Some(r) if r <= day => Err("badge_missed"),
            _ => Err("badge_not_reached"),
        },
        BadgeException::Missed => match reach_date(events, months) {
            Some(r) if r <= previous_day(day) => Ok(()),
            _ => Err("badge_not_missed"),
        },
        BadgeException::SeriouslyIll => {
            if died.is_some() {
                return Err("badge_member_died");
            }
            let max = if years >= rules.ill_long_from {
                rules.ill_long_early_months
            } else {
                rules.ill_early_months
            };
            early(max)
        }
        BadgeException::Posthumous => {
            let Some(death) = died else {
                return Err("badge_not_died");
            };
            match reach_date_had_she_lived(events, months) {
                Some(r) if r <= death => Err("badge_not_early"),
                Some(r)
                    if death
                        .checked_add_months(Months::new(rules.posthumous_months))
                        .is_some_and(|l| r <= l) =>
                {
                    Ok(())
                }
                _ => Err("badge_too_early"),
            }
        }
    }
}

/// Số huy hiệu: the province's code (letters or digits, 1–3), then six digits; the 45-year
/// badge has the letter E before the digits. Kept upper case without spaces: `QN123456`,
/// `QNE123456`.
pub fn parse_number(years: u32, input: &str) -> Result<String, FieldError> {
    let bad = || FieldError::new("badge_number", "badge_number_format");
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
        .collect::<String>()
        .to_uppercase();
    let digits = s.len().checked_sub(6).ok_or_else(bad)?;
    let (head, tail) = s.split_at(digits);
    if !tail.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    // The E marks the 45-year badge alone: no other badge's number carries it.
    let code = match (years == 45, head.strip_suffix('E')) {
        (true, Some(code)) => code,
        (false, None) => head,
        _ => return Err(bad()),
    };
    if !(1..=3).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    Ok(s)
}

#[cfg(test)]
mod tests;
