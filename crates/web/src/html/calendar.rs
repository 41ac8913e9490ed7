//! The working-day calendar: a year's days off and make-up working days, a deadline counted in
//! working days, and the administrator's form to set a day.

use askama::Template;
use chrono::{Datelike, NaiveDate, Weekday};
use dangvu_domain::calendar::DayKind;
use dangvu_domain::date::parse_date;
use serde::Deserialize;

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::html::{PageResult, shown};
use crate::input::Fields;
use crate::input::calendar::{set_day, working_days};
use crate::session::CurrentActor;
use crate::view::{Feedback, vn};
use axum::extract::Query;

/// Query of the calendar page: `?nam=2026&tu=02/02/2026&so-ngay=60`.
#[derive(Debug, Deserialize, Default)]
pub struct CalendarQuery {
    pub nam: Option<i32>,
    /// The day a deadline counts from.
    pub tu: Option<String>,
    /// How many working days.
    #[serde(rename = "so-ngay")]
    pub so_ngay: Option<String>,
    pub ok: Option<String>,
}

/// Thứ: the Vietnamese name of a weekday.
pub fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

pub struct DayLine {
    pub date: String,
    pub weekday: &'static str,
    pub off: bool,
    pub note: String,
    pub changed_by: String,
}

/// A deadline the page computed.
pub struct DeadlineLine {
    pub from: String,
    pub days: u32,
    pub due: String,
    pub weekday: &'static str,
}

#[derive(Template)]
#[template(path = "calendar/year.html")]
pub struct CalendarPage {
    pub me: CurrentActor,
    pub year: i32,
    pub known: bool,
    pub days: Vec<DayLine>,
    pub from: String,
    pub count: String,
    pub deadline: Option<DeadlineLine>,
    pub feedback: Feedback,
}

async fn calendar_page(
    me: &CurrentActor,
    state: &AppState,
    q: &CalendarQuery,
    mut fb: Feedback,
) -> PageResult {
    let year = q.nam.unwrap_or_else(|| state.app.clock.today().year());
    let y = state.app.calendar_year(year).await?;
    let days = y
        .days
        .iter()
        .map(|d| DayLine {
            date: vn(d.day),
            weekday: weekday(d.day),
            off: d.kind == DayKind::Off,
            note: d.note.clone(),
            changed_by: d.changed_by.clone().unwrap_or_default(),
        })
        .collect();
    let from = q.tu.clone().unwrap_or_default();
    let count = q.so_ngay.clone().unwrap_or_default();
    let mut deadline = None;
    if !from.trim().is_empty() || !count.trim().is_empty() {
        let asked =
            parse_date("from", &from).and_then(|f| working_days("days", &count).map(|n| (f, n)));
        match asked {
            Ok((f, n)) => {
                let due = state.app.deadline(f, n).await?;
                deadline = Some(DeadlineLine {
                    from: vn(f),
                    days: n,
                    due: vn(due),
                    weekday: weekday(due),
                });
            }
            Err(e) => {
                fb.errors.push(crate::i18n::field_message(e.field, e.code));
                fb.status = axum::http::StatusCode::BAD_REQUEST;
            }
        }
    }
    let page = CalendarPage {
        me: me.clone(),
        year,
        known: y.known,
        days,
        from,
        count,
        deadline,
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

/// The calendar of a year, with a deadline when one was asked.
pub async fn calendar(Cx(me, state): Cx, Query(q): Query<CalendarQuery>) -> PageResult {
    let fb = Feedback::after(q.ok.as_deref(), &[("set", "Đã cập nhật lịch làm việc.")]);
    calendar_page(&me, &state, &q, fb).await
}

/// The administrator sets a day.
pub async fn set(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = set_day(&me, &state, &f)
        .await
        .map(|d| format!("/lich-lam-viec?nam={}&ok=set", d.year()));
    let q = CalendarQuery {
        nam: parse_date("day", &f.get("day")).ok().map(|d| d.year()),
        ..CalendarQuery::default()
    };
    finish(r, f, async |fb| calendar_page(&me, &state, &q, fb).await).await
}
