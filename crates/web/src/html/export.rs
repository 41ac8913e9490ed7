//! Taking member lists out (R5): the form to pick a filter and the columns, the workbook, and
//! the register of members (Mẫu 7-HSĐV) as an A4 page to print and as a workbook.

use askama::Template;
use axum::extract::{Path, RawQuery};
use chrono::NaiveDate;
use dangvu_app::AppError;
use dangvu_app::export::{Export, ExportQuery};
use dangvu_domain::date::parse_date;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::OrgId;

use crate::extract::Cx;
use crate::html::{PageResult, show};
use crate::render::export as out;
use crate::session::CurrentActor;
use crate::view::{Opt, vn};

/// A query string's pairs, a key possibly repeated (`cot=a&cot=b`).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .take(200)
        .collect()
}

fn get<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
    p.iter()
        .find(|(x, v)| x == k && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

fn number<T: std::str::FromStr>(
    p: &[(String, String)],
    k: &'static str,
) -> Result<Option<T>, AppError> {
    get(p, k)
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| crate::input::invalid(vec![FieldError::new(k, "number_format")]))
        })
        .transpose()
}

/// The export's filter from a query string (the page's Vietnamese names or the API's).
pub fn query_of(
    org: i64,
    p: &[(String, String)],
    today: NaiveDate,
    register: bool,
) -> Result<ExportQuery, AppError> {
    let on = match get(p, "ngay").or_else(|| get(p, "on")) {
        Some(s) => parse_date("ngay", s).map_err(|e| crate::input::invalid(vec![e]))?,
        None => today,
    };
    Ok(ExportQuery {
        org: Some(OrgId(org)),
        on: Some(on),
        search: get(p, "q").map(str::to_owned),
        status: get(p, "tinh_trang")
            .or_else(|| get(p, "status"))
            .map(str::to_owned),
        cell: number::<i64>(p, "chi_bo")?
            .or(number::<i64>(p, "cell")?)
            .map(OrgId),
        age_min: number(p, "tuoi_tu")?.or(number(p, "age_min")?),
        age_max: number(p, "tuoi_den")?.or(number(p, "age_max")?),
        register,
    })
}

/// The filter in words, for the workbook's heading.
pub fn filter_words(q: &ExportQuery) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &q.search {
        parts.push(format!("họ tên có “{s}”"));
    }
    match q.status.as_deref() {
        Some("official") => parts.push("đảng viên chính thức".into()),
        Some("probationary") => parts.push("đảng viên dự bị".into()),
        Some("exempt") => parts.push("được miễn công tác và sinh hoạt đảng".into()),
        _ => {}
    }
    match (q.age_min, q.age_max) {
        (Some(a), Some(b)) => parts.push(format!("tuổi từ {a} đến {b}")),
        (Some(a), None) => parts.push(format!("từ {a} tuổi")),
        (None, Some(b)) => parts.push(format!("đến {b} tuổi")),
        _ => {}
    }
    if parts.is_empty() {
        "tất cả đảng viên".into()
    } else {
        parts.join(", ")
    }
}

#[derive(Template)]
#[template(path = "export/form.html")]
pub struct FormPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub on: String,
    pub cells: Vec<Opt>,
    pub columns: Vec<(&'static str, &'static str, bool)>,
}

/// The export form.
pub async fn form(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let today = state.app.clock.today();
    let ids = state.app.subtree_ids(&me.actor(), OrgId(id), today).await?;
    let (name, _) = crate::html::org_today(&state, OrgId(id)).await;
    let mut cells: Vec<Opt> = state
        .app
        .orgs_on(&me.actor(), today)
        .await?
        .into_iter()
        .filter(|p| p.kind.is_cell() && ids.contains(&p.org))
        .map(|p| Opt::id(p.org.0, p.name))
        .collect();
    cells.sort_by(|a, b| dangvu_domain::text::compare(&a.label, &b.label));
    let page = FormPage {
        me: me.clone(),
        org: id,
        name,
        on: vn(today),
        cells,
        columns: out::COLUMNS
            .iter()
            .map(|(k, h)| (*k, *h, out::DEFAULT_COLUMNS.contains(k)))
            .collect(),
    };
    show(&page)
}

fn file_name(prefix: &str, e: &Export) -> String {
    format!("{prefix}-{}-{}.xlsx", e.org.0, e.on.format("%Y-%m-%d"))
}

/// The list as a workbook with the picked columns.
pub async fn list_xlsx(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = pairs(raw.as_deref());
    let q = query_of(id, &p, state.app.clock.today(), false)?;
    let keys: Vec<String> = p
        .iter()
        .filter(|(k, _)| k == "cot" || k == "columns")
        .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let words = filter_words(&q);
    let e = state.app.export_members(&me.actor(), q).await?;
    let bytes =
        out::list_xlsx(&e, &out::picked(&keys), &words).map_err(crate::render::xlsx_failed)?;
    Ok(crate::render::classification::xlsx_attachment(
        &file_name("danh-sach-dang-vien", &e),
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "export/register.html")]
pub struct RegisterPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub on: String,
    pub on_q: String,
    pub count: usize,
    pub left: usize,
    pub heads: [&'static str; 14],
    pub numbers: Vec<String>,
    pub rows: Vec<[String; 14]>,
    pub head: crate::view::Letterhead,
}

/// The register of members (audited as an export) for a query string.
async fn register_of(
    state: &crate::AppState,
    me: &CurrentActor,
    id: i64,
    raw: Option<&str>,
) -> Result<Export, AppError> {
    let q = query_of(id, &pairs(raw), state.app.clock.today(), true)?;
    state.app.export_members(&me.actor(), q).await
}

/// The register of members to print.
pub async fn register(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let e = register_of(&state, &me, id, raw.as_deref()).await?;
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), OrgId(id), e.on).await?;
    let page = RegisterPage {
        head,
        me: me.clone(),
        org: id,
        name: e.org_name.clone(),
        on: vn(e.on),
        on_q: crate::html::url_escape(&vn(e.on)),
        count: e.rows.iter().filter(|r| r.on_roll).count(),
        left: e.rows.iter().filter(|r| !r.on_roll).count(),
        heads: out::REGISTER_HEADS,
        numbers: (1..=14).map(|n| format!("({n})")).collect(),
        rows: e
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| out::register_cells(i, r))
            .collect(),
    };
    show(&page)
}

/// The register of members as a workbook.
pub async fn register_xlsx(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let e = register_of(&state, &me, id, raw.as_deref()).await?;
    let bytes = out::register_xlsx(&e).map_err(crate::render::xlsx_failed)?;
    Ok(crate::render::classification::xlsx_attachment(
        &file_name("so-danh-sach-dang-vien", &e),
        bytes,
    ))
}
