//! Thống kê on the pages: the structure of a subtree's roll on any day with an age pyramid and
//! bars, the movements of a period, the statistical report's tables, each also in Excel.

use askama::Template;
use chrono::{Datelike, NaiveDate};
use dangvu_app::AppError;
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::OrgId;
use dangvu_domain::text::{number, percent};
use serde::Deserialize;

use crate::extract::{Cx, Page};
use crate::html::{PageResult, show};
use crate::render::stats as draw;
use crate::session::CurrentActor;
use crate::view::vn;

/// `?ngay=dd/mm/yyyy&tu=dd/mm/yyyy&bieu=ID`: the day (today by default), the first day of the
/// movements' period (the first of that year by default), a report table.
#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    pub ngay: Option<String>,
    pub tu: Option<String>,
    pub bieu: Option<String>,
}

impl StatsQuery {
    /// The day and the period's first day; a bad date is refused on its field.
    pub fn dates(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
        let read =
            |field: &'static str, v: &Option<String>| -> Result<Option<NaiveDate>, AppError> {
                match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(s) => parse_date(field, s)
                        .map(Some)
                        .map_err(|e| crate::input::invalid(vec![e])),
                }
            };
        let on = read("ngay", &self.ngay)?.unwrap_or(today);
        let from = read("tu", &self.tu)?
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on));
        Ok((on, from))
    }
}

pub struct BreakdownView {
    pub label: &'static str,
    pub chart: String,
    pub rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "stats/stats.html")]
pub struct StatsPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub on: String,
    pub from: String,
    pub query: String,
    pub total: String,
    pub pyramid: String,
    pub breakdowns: Vec<BreakdownView>,
    pub movements: Vec<(String, String)>,
    pub reconciles: bool,
    pub tables: Vec<(String, String)>,
}

fn query_of(on: NaiveDate, from: NaiveDate) -> String {
    format!(
        "ngay={}&tu={}",
        crate::html::url_escape(&vn(on)),
        crate::html::url_escape(&vn(from))
    )
}

/// What the statistics page and its workbook show: the statistics and the movements of a
/// query, the organisation's name, the day and the period's first day.
async fn read(
    state: &crate::AppState,
    me: &CurrentActor,
    id: i64,
    q: &StatsQuery,
) -> Result<
    (
        dangvu_app::stats::Statistics,
        dangvu_domain::stats::Movements,
        String,
        NaiveDate,
        NaiveDate,
    ),
    AppError,
> {
    let (on, from) = q.dates(state.app.clock.today())?;
    let actor = me.actor();
    let s = state.app.member_statistics(&actor, OrgId(id), on).await?;
    let m = state
        .app
        .member_movements(&actor, OrgId(id), from.min(on), on)
        .await?;
    let name = state.app.org_name(OrgId(id), on).await.unwrap_or_default();
    Ok((s, m, name, on, from))
}

/// The statistics page.
pub async fn page(Cx(me, state): Cx, Page(id, q): Page<StatsQuery>) -> PageResult {
    let (s, m, name, on, from) = read(&state, &me, id, &q).await?;
    let total = s.tally.total;
    let page = StatsPage {
        me: me.clone(),
        org: id,
        name,
        on: vn(on),
        from: vn(from.min(on)),
        query: query_of(on, from.min(on)),
        total: number(i64::from(total)),
        pyramid: draw::pyramid_svg(&s.tally.pyramid),
        breakdowns: s
            .tally
            .breakdowns
            .iter()
            .map(|b| BreakdownView {
                label: b.label,
                chart: draw::bars_svg(b, total),
                rows: b
                    .groups
                    .iter()
                    .map(|(l, n)| (l.clone(), number(i64::from(*n)), percent(*n, total)))
                    .collect(),
            })
            .collect(),
        reconciles: m.reconciles(),
        movements: draw::movement_lines(&m)
            .into_iter()
            .map(|(l, n)| (l, number(i64::from(n))))
            .collect(),
        tables: dangvu_app::stats::report_tables()
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.id, t.title))
            .collect(),
    };
    show(&page)
}

/// The statistics and movements as a workbook.
pub async fn page_xlsx(Cx(me, state): Cx, Page(id, q): Page<StatsQuery>) -> PageResult {
    let (s, m, name, on, _) = read(&state, &me, id, &q).await?;
    let bytes = draw::xlsx(&name, &s, &m).map_err(crate::render::xlsx_failed)?;
    Ok(crate::render::classification::xlsx_attachment(
        &format!("thong-ke-{id}-{}.xlsx", on.format("%Y-%m-%d")),
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "stats/table.html")]
pub struct TablePage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub title: String,
    pub form: String,
    pub when: String,
    pub id: String,
    pub query: String,
    pub heads: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
    pub head: crate::view::Letterhead,
}

async fn filled(
    state: &crate::AppState,
    me: &CurrentActor,
    id: i64,
    q: &StatsQuery,
) -> Result<(dangvu_app::stats::FilledTable, String, NaiveDate, NaiveDate), AppError> {
    let (on, from) = q.dates(state.app.clock.today())?;
    let table_id = q.bieu.clone().unwrap_or_else(|| "bieu-1-co-cau".into());
    let t = state
        .app
        .statistical_table(&me.actor(), OrgId(id), &table_id, on, Some(from.min(on)))
        .await?;
    let name = state.app.org_name(OrgId(id), on).await.unwrap_or_default();
    Ok((t, name, on, from.min(on)))
}

/// A table of the statistical report, printable.
pub async fn table(Cx(me, state): Cx, Page(id, q): Page<StatsQuery>) -> PageResult {
    let (t, name, on, from) = filled(&state, &me, id, &q).await?;
    let when = match t.from {
        Some(f) => format!("Từ ngày {} đến ngày {}", vn(f), vn(on)),
        None => format!("Ngày {}", vn(on)),
    };
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), OrgId(id), on).await?;
    let page = TablePage {
        head,
        me: me.clone(),
        org: id,
        name,
        title: t.table.title.clone(),
        form: t.table.form.clone(),
        when,
        id: t.table.id.clone(),
        query: query_of(on, from),
        heads: t.table.columns.iter().map(|c| c.label.clone()).collect(),
        rows: t
            .table
            .rows
            .iter()
            .zip(&t.cells)
            .map(|(r, c)| {
                (
                    r.label.clone(),
                    c.iter().map(|n| number(i64::from(*n))).collect(),
                )
            })
            .collect(),
    };
    show(&page)
}

/// A table of the statistical report as a workbook.
pub async fn table_xlsx(Cx(me, state): Cx, Page(id, q): Page<StatsQuery>) -> PageResult {
    let (t, name, on, _) = filled(&state, &me, id, &q).await?;
    let bytes = draw::table_xlsx(&name, &t).map_err(crate::render::xlsx_failed)?;
    let safe: String = t
        .table
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok(crate::render::classification::xlsx_attachment(
        &format!("{safe}-{id}-{}.xlsx", on.format("%Y-%m-%d")),
        bytes,
    ))
}
