//! The calendar's inputs, read the same from the page's form and the API's body.

use chrono::NaiveDate;
use dangvu_app::AppError;
use dangvu_domain::FieldError;
use dangvu_domain::calendar::DayKind;
use dangvu_domain::date::parse_date;

use crate::AppState;
use crate::input::Fields;
use crate::session::CurrentActor;

/// `day_kind`: `off` (a day off), `work` (a make-up working day), or empty / `default` (back to
/// the week's rule).
pub fn day_kind(f: &Fields) -> Result<Option<DayKind>, FieldError> {
    match f.get("day_kind").trim() {
        "" | "default" => Ok(None),
        k => DayKind::from_code(k)
            .map(Some)
            .ok_or_else(|| FieldError::new("day_kind", "invalid")),
    }
}

/// Sets a day of the calendar from `day`, `day_kind` and `note`.
pub async fn set_day(
    me: &CurrentActor,
    state: &AppState,
    f: &Fields,
) -> Result<NaiveDate, AppError> {
    let day = parse_date("day", &f.get("day"))?;
    let kind = day_kind(f)?;
    state
        .app
        .set_calendar_day(&me.actor(), day, kind, &f.get("note"))
        .await?;
    Ok(day)
}

/// A count of working days typed by a user: 1 to 2,000.
pub fn working_days(field: &'static str, s: &str) -> Result<u32, FieldError> {
    let n: u32 = s
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, "number_format"))?;
    if (1..=dangvu_domain::calendar::MAX_WORKING_DAYS).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(field, "working_days_range"))
    }
}
