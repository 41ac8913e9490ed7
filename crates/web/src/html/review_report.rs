//! The classification report page and its workbook (R31).

use crate::extract::Cx;
use crate::html::PageResult;
use crate::html::review::PeriodView;
use crate::html::review::ReviewQuery;
use crate::html::review::period_view;
use crate::html::show;
use crate::input::review::report_query;
use crate::render::classification as report;
use crate::session::CurrentActor;
use crate::view::vn;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use dangvu_app::AppError;
use dangvu_app::review::ClassificationReport;
use dangvu_domain::review::Level;

pub struct ReportLineView {
    pub label: &'static str,
    pub total: String,
    pub cells: Vec<String>,
    pub better: String,
}

pub struct ReportRowView {
    pub org: i64,
    pub name: String,
    pub grassroots: [u32; 4],
    pub cells: [u32; 4],
    pub members: [u32; 4],
    pub not_classified: u32,
}

#[derive(Template)]
#[template(path = "review_report/review_report.html")]
pub struct ReportPage {
    pub me: CurrentActor,
    pub p: PeriodView,
    pub org: i64,
    pub org_name: String,
    pub as_of: String,
    pub query: String,
    pub lines: Vec<ReportLineView>,
    pub not_classified: Vec<(String, String)>,
    pub rows: Vec<ReportRowView>,
    pub chart: String,
    pub paragraph: String,
    pub head: crate::view::Letterhead,
}

pub(crate) fn report_rows(r: &ClassificationReport) -> (Vec<ReportLineView>, Vec<ReportRowView>) {
    let lines = report::lines(&report::total(r))
        .into_iter()
        .map(|l| ReportLineView {
            label: l.label,
            total: i18n::number(i64::from(l.counts.total())),
            cells: Level::ALL
                .iter()
                .map(|x| report::cell(&l.counts, *x))
                .collect(),
            better: report::htt_or_better(&l.counts),
        })
        .collect();
    let rows = r
        .rows
        .iter()
        .map(|x| ReportRowView {
            org: x.org.0,
            name: x.name.clone(),
            grassroots: x.counts.grassroots().0,
            cells: x.counts.cells.0,
            members: x.counts.members.levels.0,
            not_classified: x.counts.members.not_classified.values().sum(),
        })
        .collect();
    (lines, rows)
}

pub async fn report_page(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state
        .app
        .classification_report(&me.actor(), id, query)
        .await?;
    let (lines, rows) = report_rows(&r);
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), r.org, r.as_of).await?;
    let page = ReportPage {
        head,
        me: me.clone(),
        p: period_view(&state, &r.period).await,
        org: r.org.0,
        org_name: r.org_name.clone(),
        as_of: vn(r.as_of),
        query: format!("to-chuc={}&ngay={}", r.org.0, r.as_of.format("%d/%m/%Y")),
        lines,
        not_classified: r
            .members
            .not_classified
            .iter()
            .map(|(k, n)| {
                (
                    i18n::not_classified(k).to_owned(),
                    i18n::number(i64::from(*n)),
                )
            })
            .collect(),
        rows,
        chart: report::svg(&report::total(&r)),
        paragraph: r.paragraph.clone(),
    };
    show(&page)
}

pub(crate) fn xlsx_response(r: &ClassificationReport) -> Result<Response, AppError> {
    let bytes = report::xlsx(r).map_err(crate::render::xlsx_failed)?;
    let name = format!(
        "xep-loai-{}-{}.xlsx",
        r.period.period.start.format("%Y"),
        r.org.0
    );
    Ok(report::xlsx_attachment(&name, bytes))
}

/// The classification report's workbook of a period, for the page's link and the API alike.
pub(crate) async fn workbook(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    q: &ReviewQuery,
) -> Result<Response, AppError> {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state
        .app
        .classification_report(&me.actor(), id, query)
        .await?;
    xlsx_response(&r)
}

pub async fn report_xlsx(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    Ok(workbook(&me, &state, id, &q).await?)
}
