//! The working-day calendar in the API: a year's special days, a deadline, and the
//! administrator's change of a day.

use crate::api::{ApiResult, ok};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::calendar::{set_day, working_days};
use axum::extract::Query;
use chrono::Datelike;
use dangvu_domain::date::parse_date;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

/// Query of a year's calendar.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct CalendarParams {
    /// The year (default this year).
    pub year: Option<i32>,
}

/// Query of a deadline.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct DeadlineParams {
    /// The day the count starts after (YYYY-MM-DD or dd/mm/yyyy).
    pub from: Option<String>,
    /// How many working days (1–2000).
    pub days: Option<String>,
}

/// Body of "set a day of the calendar" (administrator).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarDayBody {
    pub day: String,
    /// `off` (a day off), `work` (a make-up working day), `default` (back to the week's rule).
    pub day_kind: String,
    /// What the day is and the notice that set it.
    pub note: String,
}

/// A year's days that differ from the week's rule (Monday–Friday): holidays, days in lieu and
/// exchanged days off, make-up working Saturdays. `known` is false for a year whose holidays
/// the system does not hold.
#[utoipa::path(get, path = "/api/v1/calendar", params(CalendarParams), responses((status = 200, description = "Lịch làm việc của năm"), (status = 400, body = ApiErrorBody)))]
pub async fn year(Cx(_me, state): Cx, Query(q): Query<CalendarParams>) -> ApiResult {
    let year = q.year.unwrap_or_else(|| state.app.clock.today().year());
    let y = state.app.calendar_year(year).await?;
    ok(json!({
        "year": y.year,
        "known": y.known,
        "days": y.days.iter().map(|d| json!({
            "day": d.day, "kind": d.kind.code(), "note": d.note, "changed_by": d.changed_by,
        })).collect::<Vec<_>>(),
    }))
}

/// Sets what a day is (administrator): a day off, a make-up working day, or back to the week's
/// rule; audited with its note.
#[utoipa::path(post, path = "/api/v1/calendar", request_body = CalendarDayBody, responses((status = 200, description = "Đã cập nhật"), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn set(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let day = set_day(&me, &state, &f).await?;
    let working = state.app.calendar().await?.is_working(day);
    ok(json!({ "day": day, "working": working }))
}

/// The day a number of working days after a date (R7, R8, R10 deadlines), under the calendar
/// in force.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", params(DeadlineParams), responses((status = 200, description = "Hạn cuối"), (status = 400, body = ApiErrorBody)))]
pub async fn deadline(Cx(_me, state): Cx, Query(q): Query<DeadlineParams>) -> ApiResult {
    let from = parse_date("from", q.from.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::from(dangvu_domain::DomainError::from(e)))?;
    let days = working_days("days", q.days.as_deref().unwrap_or_default())
        .map_err(|e| ApiError::from(dangvu_domain::DomainError::from(e)))?;
    let due = state.app.deadline(from, days).await?;
    ok(json!({
        "from": from, "days": days, "deadline": due,
        "known": dangvu_domain::calendar::WorkCalendar::knows(due.year()),
    }))
}
