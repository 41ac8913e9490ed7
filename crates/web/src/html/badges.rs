//! Huy hiệu Đảng on the pages (R13): a subtree's list for a presentation day with the forms
//! to propose (the whole list, or one member with an exception), record the decision, record
//! each badge presented with its number, withdraw or take back a badge; the list in print and
//! in Excel.

use askama::Template;
use axum::extract::Path;
use chrono::{Datelike, NaiveDate};
use dangvu_app::AppError;
use dangvu_app::badges::{BadgeLine, BadgeList, Proposal};
use dangvu_domain::badge::{BadgeException, days_of};
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::badges::BadgeStatus;

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::html::{PageResult, shown};
use crate::input::Fields;
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

pub fn exception_label(e: BadgeException) -> &'static str {
    match e {
        BadgeException::None => "",
        BadgeException::SeriouslyIll => "Ốm nặng (tặng sớm)",
        BadgeException::Posthumous => "Truy tặng",
        BadgeException::Missed => "Bổ sung (đợt trước chưa đề nghị)",
    }
}

pub fn status_label(s: Option<BadgeStatus>) -> &'static str {
    match s {
        None => "Đủ điều kiện, chưa đề nghị",
        Some(BadgeStatus::Proposed) => "Đã đề nghị",
        Some(BadgeStatus::Approved) => "Đã có quyết định",
        Some(BadgeStatus::Presented) => "Đã trao",
        Some(BadgeStatus::Cancelled) => "Đã rút đề nghị",
    }
}

/// "Huy hiệu 30 năm tuổi Đảng".
pub fn badge_name(years: u32) -> String {
    format!("Huy hiệu {years} năm tuổi Đảng")
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DayQuery {
    /// dd/mm/yyyy: a presentation day.
    pub ngay: Option<String>,
    pub ok: Option<String>,
}

/// The presentation day asked for, or the next one from today.
pub fn day_of(q: Option<&str>, today: NaiveDate) -> Result<NaiveDate, AppError> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_date("ngay", s).map_err(|e| crate::input::invalid(vec![e])),
        None => Ok(days_of(today.year())
            .into_iter()
            .chain(days_of(today.year() + 1))
            .find(|d| *d >= today)
            .unwrap_or(today)),
    }
}

pub struct LineView {
    pub member: i64,
    pub name: String,
    pub birth_year: i32,
    pub home_town: String,
    pub cell: String,
    pub badge: String,
    pub admitted: String,
    pub reach: String,
    pub seniority: String,
    pub exception: &'static str,
    pub reason: String,
    pub status: &'static str,
    pub number: String,
    pub id: Option<i64>,
    pub can_present: bool,
    pub can_withdraw: bool,
}

pub fn line_view(l: &BadgeLine) -> LineView {
    let b = l.badge.as_ref();
    LineView {
        member: l.member.0,
        name: l.name.clone(),
        birth_year: l.birth.year(),
        home_town: l.home_town.clone().unwrap_or_default(),
        cell: l.cell_name.clone(),
        badge: badge_name(l.years),
        admitted: l.admitted_on.map(vn).unwrap_or_default(),
        reach: l.reach_on.map(vn).unwrap_or_default(),
        seniority: crate::i18n::seniority(l.seniority),
        exception: exception_label(l.exception),
        reason: l.reason.clone().unwrap_or_default(),
        status: status_label(b.map(|b| b.status)),
        number: b.and_then(|b| b.number.clone()).unwrap_or_default(),
        id: b.map(|b| b.id),
        can_present: b.is_some_and(|b| b.status == BadgeStatus::Approved),
        can_withdraw: b
            .is_some_and(|b| matches!(b.status, BadgeStatus::Proposed | BadgeStatus::Approved)),
    }
}

#[derive(Template)]
#[template(path = "badges/list.html")]
pub struct ListPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub day: String,
    pub day_query: String,
    pub days: Vec<String>,
    pub lines: Vec<LineView>,
    pub counts: String,
    pub eligible: usize,
    pub proposed: usize,
    pub to_return: Vec<LineView>,
    pub exceptions: Vec<Opt>,
    pub milestones: Vec<u32>,
    pub rules: &'static str,
    pub today: String,
    pub feedback: Feedback,
    pub head: crate::view::Letterhead,
}

async fn list_page(
    me: &CurrentActor,
    state: &AppState,
    l: &BadgeList,
    feedback: Feedback,
) -> PageResult {
    let today = state.app.clock.today();
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), l.org.org, l.day).await?;
    let page = ListPage {
        head,
        me: me.clone(),
        org: l.org.org.0,
        name: l.org.name.clone(),
        day: vn(l.day),
        day_query: crate::html::url_escape(&vn(l.day)),
        days: days_of(l.day.year()).into_iter().map(vn).collect(),
        lines: l.lines.iter().map(line_view).collect(),
        counts: l
            .counts()
            .iter()
            .map(|(y, n)| format!("{n} huy hiệu {y} năm"))
            .collect::<Vec<_>>()
            .join(", "),
        eligible: l.lines.iter().filter(|x| x.badge.is_none()).count(),
        proposed: l
            .lines
            .iter()
            .filter(|x| {
                x.badge
                    .as_ref()
                    .is_some_and(|b| b.status == BadgeStatus::Proposed)
            })
            .count(),
        to_return: l.to_return.iter().map(line_view).collect(),
        exceptions: BadgeException::ALL
            .into_iter()
            .filter(|e| *e != BadgeException::None)
            .map(|e| Opt::code(e.code(), exception_label(e)))
            .collect(),
        milestones: l.rules.milestones.to_vec(),
        rules: l.rules.title,
        today: vn(today),
        feedback,
    };
    shown(page.feedback.status, &page)
}

async fn page_of(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    day: NaiveDate,
    fb: Feedback,
) -> PageResult {
    let l = state.app.badge_list(&me.actor(), org, day).await?;
    list_page(me, state, &l, fb).await
}

/// The list of a presentation day (`?ngay=02/09/2026`; the next day by default).
pub async fn list(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<DayQuery>,
) -> PageResult {
    let day = day_of(q.ngay.as_deref(), state.app.clock.today())?;
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("proposed", "Đã ghi danh sách đề nghị."),
            ("approved", "Đã ghi quyết định tặng huy hiệu."),
            ("presented", "Đã ghi trao huy hiệu."),
            ("returned", "Đã ghi."),
        ],
    );
    page_of(&me, &state, OrgId(id), day, fb).await
}

/// The list as an Excel workbook, in the layout sent upward.
pub async fn list_xlsx(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<DayQuery>,
) -> PageResult {
    let day = day_of(q.ngay.as_deref(), state.app.clock.today())?;
    let l = state.app.badge_list(&me.actor(), OrgId(id), day).await?;
    let bytes = crate::render::badges::xlsx(&l).map_err(crate::render::xlsx_failed)?;
    let name = format!("huy-hieu-{}-{}.xlsx", id, day.format("%Y-%m-%d"));
    Ok(crate::render::classification::xlsx_attachment(&name, bytes))
}

fn day_field(f: &Fields) -> Result<NaiveDate, AppError> {
    parse_date("day", &f.get("day")).map_err(|e| crate::input::invalid(vec![e]))
}

/// The list's forms: `action` = `propose_all`, `propose` (`member`, `years`, `exception`,
/// `reason`), `approve` (`decision_ref`, `decided_on`, `decided_by`), `present` (`badge`,
/// `number`, `presented_on`), `return` (`badge`, `on`, `reason`).
pub async fn action(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let org = OrgId(id);
    let day = day_field(&f).ok();
    let r = async {
        let day = match day {
            Some(d) => d,
            None => day_field(&f)?,
        };
        let ok = crate::input::badges::apply(&me, &state, org, day, &f).await?;
        Ok(format!(
            "/to-chuc/{id}/huy-hieu?ngay={}&ok={ok}",
            crate::html::url_escape(&vn(day))
        ))
    }
    .await;
    let day = day.unwrap_or_else(|| state.app.clock.today());
    finish(r, f, async |fb| page_of(&me, &state, org, day, fb).await).await
}

/// A member's badges, for her page.
pub(crate) async fn member_badges(state: &AppState, me: &CurrentActor, m: MemberId) -> Vec<String> {
    state
        .app
        .badges_of(&me.actor(), m)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|b| b.status != BadgeStatus::Cancelled)
        .map(|b| {
            let mut s = format!("{} — {}", badge_name(b.years), status_label(Some(b.status)));
            if let (Some(n), Some(on)) = (&b.number, b.presented_on) {
                s.push_str(&format!(", số {n}, trao ngày {}", vn(on)));
            }
            if let Some(r) = b.returned_on {
                s.push_str(&format!("; đã thu hồi ngày {}", vn(r)));
            }
            s
        })
        .collect()
}

/// A proposal typed on the page or in the API.
pub(crate) fn proposal(f: &Fields) -> Result<Proposal, AppError> {
    let mut e = dangvu_domain::error::Errors::default();
    let member = e.take(
        f.get("member")
            .trim()
            .parse::<i64>()
            .map(MemberId)
            .map_err(|_| dangvu_domain::FieldError::new("member", "required")),
    );
    let years = e.take(
        f.get("years")
            .trim()
            .parse::<u32>()
            .map_err(|_| dangvu_domain::FieldError::new("years", "required")),
    );
    let exception = e.take(
        BadgeException::from_code(f.get("exception").trim())
            .ok_or(dangvu_domain::FieldError::new("exception", "required")),
    );
    e.finish()?;
    let (Some(member), Some(years), Some(exception)) = (member, years, exception) else {
        return Err(dangvu_domain::DomainError::rule("invalid_input").into());
    };
    Ok(Proposal {
        member,
        years,
        exception,
        reason: f.opt("reason"),
    })
}
