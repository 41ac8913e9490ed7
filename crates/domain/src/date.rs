//! Dates as a Vietnamese office writes them (dd/mm/yyyy) and as storage keeps them (ISO-8601).

use chrono::{Datelike, NaiveDate};

use crate::error::FieldError;

/// Parses a date typed by a user: `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`) or ISO `yyyy-mm-dd`.
/// Impossible dates such as 31/02 are refused with the field named.
pub fn parse_date(field: &'static str, input: &str) -> Result<NaiveDate, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(FieldError::new(field, "date_format"));
    }
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if nums.len() != 3 {
        return Err(FieldError::new(field, "date_format"));
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (nums[0], nums[1], nums[2])
    } else if parts[2].len() == 4 {
        (nums[2], nums[1], nums[0])
    } else {
        return Err(FieldError::new(field, "date_format"));
    };
    let y = i32::try_from(y).map_err(|_| FieldError::new(field, "date_format"))?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| FieldError::new(field, "date_impossible"))
}

/// Parses an optional date: empty input gives `None`.
pub fn parse_opt_date(field: &'static str, input: &str) -> Result<Option<NaiveDate>, FieldError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(field, input).map(Some)
    }
}

/// The first day any record of the Party's organisation can carry (the Party was founded on
/// 3/2/1930).
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1930, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Checks a period asked of a report or opened for a review: not reversed, within real years
/// (from 1930 to a year after `today`), and at most `max_months` long (a term is 60). The
/// errors name the field `to_field` (or `from_field` for a start before 1930).
pub fn check_range(
    from: NaiveDate,
    to: NaiveDate,
    max_months: u32,
    today: NaiveDate,
    (from_field, to_field): (&'static str, &'static str),
) -> Result<(), FieldError> {
    if to < from {
        return Err(FieldError::new(to_field, "date_before_start"));
    }
    if from < EARLIEST {
        return Err(FieldError::new(from_field, "date_too_early"));
    }
    let latest = today
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(today);
    if to > latest {
        return Err(FieldError::new(to_field, "date_too_late"));
    }
    let longest = from
        .checked_add_months(chrono::Months::new(max_months))
        .unwrap_or(NaiveDate::MAX);
    if to >= longest {
        return Err(FieldError::new(to_field, "period_too_long"));
    }
    Ok(())
}

/// Checks a day something happened: not after `today`, not before 1930.
pub fn check_past(field: &'static str, d: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if d > today {
        Err(FieldError::new(field, "date_in_future"))
    } else if d < EARLIEST {
        Err(FieldError::new(field, "date_too_early"))
    } else {
        Ok(())
    }
}

/// Checks a day something is due or planned: from 1930 to a year after `today`.
pub fn check_near(field: &'static str, d: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    let latest = today
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(today);
    if d > latest {
        Err(FieldError::new(field, "date_too_late"))
    } else if d < EARLIEST {
        Err(FieldError::new(field, "date_too_early"))
    } else {
        Ok(())
    }
}

/// `dd/mm/yyyy`, as shown on every page.
pub fn format_vn(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// ISO-8601, as stored. Written by hand for the years 0–9999 (chrono's formatter costs ten
/// times more, and a bulk import writes several dates per member).
pub fn iso(d: NaiveDate) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let Ok(y) = u32::try_from(y) else {
        return d.format("%Y-%m-%d").to_string();
    };
    if y > 9999 {
        return d.format("%Y-%m-%d").to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let mut s = String::with_capacity(10);
    s.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y)]);
    s.push('-');
    s.extend([digit(m / 10), digit(m)]);
    s.push('-');
    s.extend([digit(day / 10), digit(day)]);
    s
}

/// Reads an ISO date from storage.
pub fn from_iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Parses a month, `mm/yyyy` (or `yyyy-mm`), kept as its first day: the month of a
/// programme item, "đã đóng đảng phí hết tháng …" of a transfer letter.
pub fn parse_month(field: &'static str, input: &str) -> Result<NaiveDate, FieldError> {
    let bad = || FieldError::new(field, "month_format");
    let parts: Vec<&str> = input.trim().split(['/', '-', '.']).map(str::trim).collect();
    let (m, y) = match parts.as_slice() {
        [a, b] if a.len() == 4 => (*b, *a),
        [a, b] => (*a, *b),
        _ => return Err(bad()),
    };
    let month: u32 = m.parse().map_err(|_| bad())?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    if !(1930..=2100).contains(&year) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)
}

/// Whole months from `from` to `to` (negative if `to` is earlier). Age and seniority are counted in months (R7).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m
}

/// Age in whole years on `on`.
pub fn age_years(born: NaiveDate, on: NaiveDate) -> i32 {
    months_between(born, on).div_euclid(12)
}

/// A date from its parts, for tests.
#[cfg(test)]
pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

#[cfg(test)]
mod tests;
