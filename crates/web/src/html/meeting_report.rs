//! The meetings report of a subtree (R16–R19): regularity, attendance, quality, residence
//! contact, and the assignments of the committee above.

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::html::PageResult;
use crate::html::meetings::committee_opts;
use crate::html::shown;
use crate::input::Fields;
use crate::input::invalid;
use crate::render::meeting_report::{halves, months, quarters, xlsx};
use crate::session::CurrentActor;
use crate::view::Feedback;
use crate::view::{ANY, notice};
use crate::view::{Opt, vn};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use dangvu_app::AppError;
use dangvu_app::meeting_report::{CellLine, MeetingsReport};
use dangvu_domain::date::parse_date;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::text::percent;
use serde::Deserialize;

// ---------------------------------------------------------------- the report

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct ReportQuery {
    /// First day, dd/mm/yyyy or yyyy-mm-dd (default 1 January of this year).
    pub tu: Option<String>,
    /// Last day (default today).
    pub den: Option<String>,
    pub ok: Option<String>,
}

/// The period asked for: both ends checked, defaulting to this year so far.
pub(crate) fn period(
    state: &AppState,
    q: &ReportQuery,
) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = state.app.clock.today();
    let mut errors = Vec::new();
    let from = match q.tu.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => parse_date("from", s).map_err(|e| errors.push(e)).ok(),
        None => NaiveDate::from_ymd_opt(today.year(), 1, 1),
    };
    let to = match q.den.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => parse_date("to", s).map_err(|e| errors.push(e)).ok(),
        None => Some(today),
    };
    match (from, to) {
        (Some(f), Some(t)) if errors.is_empty() => Ok((f, t)),
        _ => Err(invalid(errors)),
    }
}

pub(crate) fn rate(part: i64, whole: i64) -> String {
    percent(
        u32::try_from(part).unwrap_or(0),
        u32::try_from(whole).unwrap_or(0),
    )
}

/// One line of the report's table, as shown and as exported.
pub struct Row {
    pub org: i64,
    pub name: String,
    pub grassroots: String,
    pub months: String,
    pub missing: String,
    pub quarters: String,
    pub quarters_missing: String,
    pub meetings: usize,
    pub short: usize,
    pub avg_minutes: String,
    pub attendance: String,
    pub with_superior: usize,
    pub assigned: String,
    pub score: String,
    pub topics: String,
    /// Members flagged under R11.
    pub flagged: String,
    pub warn: bool,
}

pub(crate) fn row(l: &CellLine) -> Row {
    Row {
        org: l.org.0,
        name: l.name.clone(),
        grassroots: l.grassroots.clone(),
        months: format!("{}/{}", l.months_held, l.months_due),
        missing: months(&l.months_missing),
        quarters: format!(
            "{}/{}",
            l.quarters_due - l.quarters_missing.len(),
            l.quarters_due
        ),
        quarters_missing: quarters(&l.quarters_missing),
        meetings: l.meetings,
        short: l.short,
        avg_minutes: l.avg_minutes.map(|m| m.to_string()).unwrap_or_default(),
        attendance: rate(l.present, l.expected),
        with_superior: l.with_superior,
        assigned: if l.assigned.is_empty() {
            String::new()
        } else {
            format!(
                "{} (dự {}/{})",
                l.assigned.join(", "),
                l.assigned_attended,
                l.assigned_meetings
            )
        },
        score: match l.avg_score {
            Some(s) => format!(
                "{s} ({} buổi: {})",
                l.scored,
                l.bands
                    .iter()
                    .map(|(b, n)| format!("{b} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => String::new(),
        },
        topics: l.topics.join("; "),
        flagged: l.flagged.join(", "),
        warn: !l.months_missing.is_empty() || !l.quarters_missing.is_empty(),
    }
}

pub struct ResidenceRow {
    pub org: i64,
    pub name: String,
    pub attached: usize,
    pub exempt: usize,
    pub meetings: usize,
    pub missing: String,
    pub comments: String,
}

#[derive(Template)]
#[template(path = "meeting_report/meetings_report.html")]
pub struct ReportPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub from: String,
    pub to: String,
    pub as_of: String,
    pub rows: Vec<Row>,
    pub total: Row,
    pub total_months_missing: usize,
    pub total_quarters_missing: usize,
    pub total_flagged: usize,
    pub assemblies: Vec<(i64, String, usize, String)>,
    pub residence: Vec<ResidenceRow>,
    pub introduced: usize,
    pub introduced_commented: usize,
    pub comment_year: i32,
    pub query: String,
    /// For the assignment form: the cells and the committee members above them.
    pub cells: Vec<Opt>,
    pub committee: Vec<Opt>,
    pub today: String,
    pub feedback: Feedback,
    pub head: crate::view::Letterhead,
}

pub(crate) async fn report_page(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    q: &ReportQuery,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let (from, to) = period(state, q)?;
    let r = state.app.meetings_report(&a, org, from, to).await?;
    let today = state.app.clock.today();
    // Who can be assigned: this organisation's committee and those above it.
    let mut holders = state.app.org(&a, org, today).await?.committee;
    if let Some(c) = r.cells.iter().find(|c| c.org != org) {
        holders.extend(
            state
                .app
                .superior_committee(&a, c.org, today)
                .await
                .unwrap_or_default(),
        );
    }
    let committee = committee_opts(&holders);
    let head = crate::view::Letterhead::of(&state.app, &a, org, r.to.min(today)).await?;
    let page = ReportPage {
        head,
        me: me.clone(),
        org: org.0,
        name: r.name.clone(),
        from: vn(r.from),
        to: vn(r.to),
        as_of: vn(r.as_of),
        rows: r.cells.iter().map(row).collect(),
        total: row(&r.total),
        total_months_missing: r.total.months_missing.len(),
        total_quarters_missing: r.total.quarters_missing.len(),
        total_flagged: r.total.flagged.len(),
        assemblies: r
            .assemblies
            .iter()
            .map(|x| (x.org.0, x.name.clone(), x.held, halves(&x.halves_missing)))
            .collect(),
        residence: residence_rows(&r),
        introduced: r.introduced,
        introduced_commented: r.introduced_commented,
        comment_year: r.comment_year,
        query: format!("tu={}&den={}", vn(r.from), vn(r.to)),
        cells: r
            .cells
            .iter()
            .filter(|c| c.org != org)
            .map(|c| Opt::id(c.org.0, format!("{} — {}", c.name, c.grassroots)))
            .collect(),
        committee,
        today: vn(today),
        feedback: Feedback {
            ok: notice(q.ok.as_deref(), &[(ANY, "Đã phân công.")]),
            ..fb
        },
    };
    shown(page.feedback.status, &page)
}

pub(crate) fn residence_rows(r: &MeetingsReport) -> Vec<ResidenceRow> {
    r.residence
        .iter()
        .map(|x| ResidenceRow {
            org: x.org.0,
            name: x.name.clone(),
            attached: x.attached,
            exempt: x.exempt,
            meetings: x.meetings,
            missing: halves(&x.halves_missing),
            comments: format!(
                "{} viết, {} đã xác nhận / {}",
                x.comments_written, x.comments_certified, x.attached
            ),
        })
        .collect()
}

/// The meetings report (the superior's dashboard) of an organisation's subtree.
pub async fn report(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    report_page(&me, &state, OrgId(id), &q, Feedback::default()).await
}

/// Assigns a superior committee member to attend a cell's meetings (`cell`, `member`, `from`).
pub async fn assign(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = assign_from(&me, &state, &f)
        .await
        .map(|_| format!("/to-chuc/{id}/bao-cao-sinh-hoat?ok=assigned"));
    finish(r, Fields::default(), async |fb| {
        report_page(&me, &state, OrgId(id), &ReportQuery::default(), fb).await
    })
    .await
}

pub(crate) async fn assign_from(
    me: &CurrentActor,
    state: &AppState,
    f: &Fields,
) -> Result<i64, AppError> {
    let cell = crate::input::org_ref(f, "cell");
    let member = f
        .get("member")
        .trim()
        .parse::<i64>()
        .map(MemberId)
        .map_err(|_| FieldError::new("member", "required"));
    let from = parse_date("from", &f.get("from"));
    match (cell, member, from) {
        (Ok(c), Ok(m), Ok(d)) => state.app.assign_attendee(&me.actor(), c, m, d).await,
        (c, m, d) => Err(invalid(
            [c.err(), m.err(), d.err()].into_iter().flatten().collect(),
        )),
    }
}

/// The report's workbook, from the page's link.
pub async fn report_xlsx(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    Ok(xlsx_of(&me, &state, OrgId(id), &q).await?)
}

pub(crate) async fn xlsx_of(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    q: &ReportQuery,
) -> Result<Response, AppError> {
    let (from, to) = period(state, q)?;
    let r = state
        .app
        .meetings_report(&me.actor(), org, from, to)
        .await?;
    let bytes = xlsx(&r).map_err(crate::render::xlsx_failed)?;
    let name = format!(
        "sinh-hoat-{}-{}-{}.xlsx",
        r.org.0,
        r.from.format("%Y%m%d"),
        r.to.format("%Y%m%d")
    );
    Ok(crate::render::classification::xlsx_attachment(&name, bytes))
}
