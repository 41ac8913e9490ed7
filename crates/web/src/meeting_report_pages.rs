//! Issue 5, second slice on the web and in the API: changes to recorded minutes (an edit before
//! adoption, a correction with its reason after, R15), a meeting's quality score, the
//! assignment of superior committee members to cells, and the meetings report of an
//! organisation for a period — the superior's dashboard — as a page, a printable A4 page, an
//! Excel workbook and JSON.

use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use dangvu_app::AppError;
use dangvu_app::meeting_report::{CellLine, MeetingsReport};
use dangvu_app::meetings::{MeetingChange, SeatInput};
use dangvu_domain::date::parse_date;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::Attendance;
use dangvu_domain::text::{number, percent};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::{ApiError, PageError, finish};
use crate::input::Fields;
use crate::meeting_pages::{
    committee_opts, half_year, invalid, json_extras, minutes_page, score_fields,
};
use crate::session::actor;
use crate::view::{Opt, render, vn};

type PageResult = Result<Response, PageError>;
type ApiResult = Result<Response, ApiError>;

fn truthy(v: &str) -> bool {
    matches!(v.trim(), "1" | "true" | "on" | "yes")
}

/// A change from a form's or a JSON body's fields: `field` (`resolution`, `place`, `topic`,
/// `superior_guests`, `starts_at`, `ends_at`, `dues_collected`, `attendance`) and `value`; for
/// `attendance`, `member`, `attendance` (the code), `absence` (its reason) and `dues_paid`.
fn change_of(f: &Fields) -> Result<MeetingChange, AppError> {
    match f.get("field").trim() {
        "" => Err(invalid(vec![FieldError::new("field", "required")])),
        "dues_collected" => f
            .get("value")
            .trim()
            .replace('.', "")
            .parse::<i64>()
            .map(MeetingChange::Dues)
            .map_err(|_| invalid(vec![FieldError::new("dues_collected", "invalid")])),
        "attendance" => {
            let member = f
                .get("member")
                .trim()
                .parse::<i64>()
                .map(MemberId)
                .map_err(|_| invalid(vec![FieldError::new("member", "required")]))?;
            let attendance = Attendance::from_code(f.get("attendance").trim())
                .ok_or_else(|| invalid(vec![FieldError::new("attendance", "invalid")]))?;
            Ok(MeetingChange::Seat(SeatInput {
                member,
                attendance,
                reason: f.get("absence"),
                dues_paid: truthy(&f.get("dues_paid")),
            }))
        }
        other => Ok(MeetingChange::Text {
            field: other.to_owned(),
            value: f.get("value"),
        }),
    }
}

/// The change the fields describe, with its reason and document, applied.
async fn apply_change(state: &AppState, id: i64, f: &Fields) -> Result<(), AppError> {
    state
        .app
        .change_meeting(
            &actor(),
            id,
            change_of(f)?,
            &f.get("reason"),
            &f.get("decision_ref"),
        )
        .await
}

/// Edits or corrects the minutes, from the minutes page.
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = async {
        let adopted = state.app.meeting(&actor(), id).await?.meeting.status == "adopted";
        apply_change(&state, id, &f).await?;
        Ok::<_, AppError>(format!(
            "/sinh-hoat/{id}?ok={}",
            if adopted { "corrected" } else { "edited" }
        ))
    }
    .await;
    finish(r, async |errors, status| {
        minutes_page(&state, id, None, errors, status).await
    })
    .await
}

/// Scores the meeting, from the minutes page.
pub async fn score(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = async {
        let points = score_fields(&f).map_err(|e| invalid(vec![e]))?;
        state.app.score_meeting(&actor(), id, &points).await?;
        Ok::<_, AppError>(format!("/sinh-hoat/{id}?ok=scored"))
    }
    .await;
    finish(r, async |errors, status| {
        minutes_page(&state, id, None, errors, status).await
    })
    .await
}

/// Changes recorded minutes: before adoption an edit, after it a correction that needs
/// `reason` (and may cite `decision_ref`). Body: `field` (`resolution`, `place`, `topic`,
/// `superior_guests`, `starts_at`, `ends_at`, `dues_collected`, `attendance`), `value`; for
/// `attendance`: `member`, `attendance`, `absence`, `dues_paid`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/corrections", params(("id" = i64, Path)), responses((status = 200), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    apply_change(&state, id, &Fields::from_json(&body)).await?;
    let v = state.app.meeting(&actor(), id).await?;
    Ok(Json(crate::meeting_pages::meeting_json(&v)).into_response())
}

/// Scores a meeting under the template of its date: `scores: {criterion: points}`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/score", params(("id" = i64, Path)), responses((status = 200), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_score(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let mut f = Fields::default();
    json_extras(&body, &mut f);
    let points = score_fields(&f).map_err(|e| invalid(vec![e]))?;
    let s = state.app.score_meeting(&actor(), id, &points).await?;
    Ok(Json(json!(s)).into_response())
}

/// The scoring templates (data): criteria with their maxima, bands.
#[utoipa::path(get, path = "/api/v1/scoring-templates", responses((status = 200)))]
pub async fn api_templates(State(state): State<AppState>) -> ApiResult {
    let t = state.app.scoring_templates().await?;
    Ok(Json(json!(t)).into_response())
}

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
fn period(state: &AppState, q: &ReportQuery) -> Result<(NaiveDate, NaiveDate), AppError> {
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

fn months(v: &[(i32, u32)]) -> String {
    v.iter()
        .map(|(y, m)| format!("{m:02}/{y}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quarters(v: &[(i32, u32)]) -> String {
    v.iter()
        .map(|(y, q)| format!("quý {q}/{y}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn halves(v: &[(i32, u32)]) -> String {
    v.iter().map(half_year).collect::<Vec<_>>().join(", ")
}

fn rate(part: i64, whole: i64) -> String {
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

fn row(l: &CellLine) -> Row {
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
#[template(path = "meetings_report.html")]
pub struct ReportPage {
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
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

async fn report_page(
    state: &AppState,
    org: OrgId,
    q: &ReportQuery,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let a = actor();
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
    let page = ReportPage {
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
        errors,
        ok: q.ok.as_deref().map(|_| "Đã phân công.".to_owned()),
    };
    Ok((status, Html(render(&page))).into_response())
}

fn residence_rows(r: &MeetingsReport) -> Vec<ResidenceRow> {
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
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    report_page(&state, OrgId(id), &q, Vec::new(), StatusCode::OK).await
}

/// Assigns a superior committee member to attend a cell's meetings (`cell`, `member`, `from`).
pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = assign_from(&state, &f)
        .await
        .map(|_| format!("/to-chuc/{id}/bao-cao-sinh-hoat?ok=assigned"));
    finish(r, async |errors, status| {
        report_page(&state, OrgId(id), &ReportQuery::default(), errors, status).await
    })
    .await
}

async fn assign_from(state: &AppState, f: &Fields) -> Result<i64, AppError> {
    let cell = crate::input::org_ref(f, "cell");
    let member = f
        .get("member")
        .trim()
        .parse::<i64>()
        .map(MemberId)
        .map_err(|_| FieldError::new("member", "required"));
    let from = parse_date("from", &f.get("from"));
    match (cell, member, from) {
        (Ok(c), Ok(m), Ok(d)) => state.app.assign_attendee(&actor(), c, m, d).await,
        (c, m, d) => Err(invalid(
            [c.err(), m.err(), d.err()].into_iter().flatten().collect(),
        )),
    }
}

/// Assigns a superior committee member to attend a cell's meetings: `cell`, `member`, `from`.
#[utoipa::path(post, path = "/api/v1/meetings/assignments", responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_assign(State(state): State<AppState>, Json(body): Json<Value>) -> ApiResult {
    let id = assign_from(&state, &Fields::from_json(&body)).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// The meetings report of an organisation's subtree for a period (`tu`, `den`).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings/report", params(("id" = i64, Path), ReportQuery), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult {
    let (from, to) = period(&state, &q)?;
    let r = state
        .app
        .meetings_report(&actor(), OrgId(id), from, to)
        .await?;
    Ok(Json(json!(r)).into_response())
}

/// The same as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings/report.xlsx", params(("id" = i64, Path), ReportQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_report_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult {
    Ok(xlsx_of(&state, OrgId(id), &q).await?)
}

/// The report's workbook, from the page's link.
pub async fn report_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    Ok(xlsx_of(&state, OrgId(id), &q).await?)
}

async fn xlsx_of(state: &AppState, org: OrgId, q: &ReportQuery) -> Result<Response, AppError> {
    let (from, to) = period(state, q)?;
    let r = state.app.meetings_report(&actor(), org, from, to).await?;
    let bytes = xlsx(&r).map_err(|e| {
        AppError::Store(dangvu_store::error::StoreError::Config(format!(
            "xlsx: {e}"
        )))
    })?;
    let name = format!(
        "sinh-hoat-{}-{}-{}.xlsx",
        r.org.0,
        r.from.format("%Y%m%d"),
        r.to.format("%Y%m%d")
    );
    Ok(crate::report::xlsx_attachment(&name, bytes))
}

/// The report as a workbook: a sheet of cells (with the total), one of the grassroots đảng
/// bộ's meetings, one of the residence side; A4 landscape.
pub fn xlsx(r: &MeetingsReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let boxed = Format::new().set_border(FormatBorder::Thin);
    let bold_box = Format::new().set_bold().set_border(FormatBorder::Thin);
    let pct = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0%");
    let subtitle = format!(
        "{}; từ {} đến {}; cây tổ chức ngày {}",
        r.name,
        vn(r.from),
        vn(r.to),
        vn(r.as_of)
    );
    let ws = wb.add_worksheet();
    ws.set_name("Theo chi bộ")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, "Tình hình sinh hoạt chi bộ", &title)?;
    ws.write_string(1, 0, &subtitle)?;
    let heads = [
        "Chi bộ",
        "Tổ chức cơ sở đảng",
        "Tháng phải sinh hoạt",
        "Tháng đã sinh hoạt",
        "Tháng chưa sinh hoạt (R16)",
        "Quý phải sinh hoạt chuyên đề",
        "Quý chưa sinh hoạt chuyên đề (R16)",
        "Số buổi",
        "Dưới thời lượng (R18)",
        "Thời lượng bình quân (phút)",
        "Tỷ lệ dự họp",
        "Buổi có cấp ủy cấp trên dự",
        "Cấp ủy viên phụ trách",
        "Cấp ủy viên phụ trách đã dự",
        "Số buổi chấm điểm",
        "Điểm bình quân",
        "Chuyên đề",
        "Đảng viên cần xem xét (R11)",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head)?;
    }
    ws.set_column_width(17, 36)?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(16, 48)?;
    let share = |p: i64, w: i64| if w == 0 { 0.0 } else { p as f64 / w as f64 };
    let line = |ws: &mut rust_xlsxwriter::Worksheet,
                row: u32,
                l: &CellLine,
                f: &Format|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, &l.name, f)?;
        ws.write_string_with_format(row, 1, &l.grassroots, f)?;
        ws.write_number_with_format(row, 2, l.months_due as f64, f)?;
        ws.write_number_with_format(row, 3, l.months_held as f64, f)?;
        ws.write_string_with_format(row, 4, months(&l.months_missing), f)?;
        ws.write_number_with_format(row, 5, l.quarters_due as f64, f)?;
        ws.write_string_with_format(row, 6, quarters(&l.quarters_missing), f)?;
        ws.write_number_with_format(row, 7, l.meetings as f64, f)?;
        ws.write_number_with_format(row, 8, l.short as f64, f)?;
        match l.avg_minutes {
            Some(m) => ws.write_number_with_format(row, 9, m, f)?,
            None => ws.write_string_with_format(row, 9, "", f)?,
        };
        ws.write_number_with_format(row, 10, share(l.present, l.expected), &pct)?;
        ws.write_number_with_format(row, 11, l.with_superior as f64, f)?;
        ws.write_string_with_format(row, 12, l.assigned.join(", "), f)?;
        ws.write_string_with_format(
            row,
            13,
            format!("{}/{}", l.assigned_attended, l.assigned_meetings),
            f,
        )?;
        ws.write_number_with_format(row, 14, l.scored as f64, f)?;
        match l.avg_score {
            Some(s) => ws.write_number_with_format(row, 15, s, f)?,
            None => ws.write_string_with_format(row, 15, "", f)?,
        };
        ws.write_string_with_format(row, 16, l.topics.join("; "), f)?;
        ws.write_string_with_format(row, 17, l.flagged.join(", "), f)?;
        Ok(())
    };
    let mut row = 4;
    for l in &r.cells {
        line(ws, row, l, &boxed)?;
        row += 1;
    }
    let mut total = r.total.clone();
    total.name = "Tổng cộng".into();
    total.months_missing.clear();
    total.quarters_missing.clear();
    total.flagged.clear();
    line(ws, row, &total, &bold_box)?;
    ws.write_number_with_format(row, 17, r.total.flagged.len() as f64, &bold_box)?;
    ws.write_number_with_format(row, 4, r.total.months_missing.len() as f64, &bold_box)?;
    ws.write_number_with_format(row, 6, r.total.quarters_missing.len() as f64, &bold_box)?;

    let ws = wb.add_worksheet();
    ws.set_name("Hội nghị đảng bộ")?;
    ws.set_paper_size(9).set_landscape();
    ws.write_string_with_format(0, 0, "Hội nghị đảng bộ cơ sở (2 lần/năm, R16)", &title)?;
    ws.write_string(1, 0, &subtitle)?;
    ws.set_column_width(0, 48)?;
    ws.set_column_width(2, 40)?;
    for (c, h) in ["Đảng bộ cơ sở", "Số hội nghị", "Sáu tháng chưa họp"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(3, c as u16, *h, &head)?;
    }
    for (i, a) in r.assemblies.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string_with_format(row, 0, &a.name, &boxed)?;
        ws.write_number_with_format(row, 1, a.held as f64, &boxed)?;
        ws.write_string_with_format(row, 2, halves(&a.halves_missing), &boxed)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("Nơi cư trú")?;
    ws.set_paper_size(9).set_landscape();
    ws.write_string_with_format(
        0,
        0,
        "Đảng viên đang công tác sinh hoạt nơi cư trú (R20–R22)",
        &title,
    )?;
    ws.write_string(1, 0, &subtitle)?;
    ws.set_column_width(0, 48)?;
    let heads = [
        "Đảng ủy nơi cư trú",
        "Đảng viên được giới thiệu",
        "Diện miễn",
        "Số buổi họp 6 tháng",
        "Sáu tháng chưa họp (R21)",
        "Phiếu nhận xét đã viết",
        "Phiếu nhận xét đã xác nhận",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head)?;
    }
    let mut row = 4;
    for x in &r.residence {
        ws.write_string_with_format(row, 0, &x.name, &boxed)?;
        ws.write_number_with_format(row, 1, x.attached as f64, &boxed)?;
        ws.write_number_with_format(row, 2, x.exempt as f64, &boxed)?;
        ws.write_number_with_format(row, 3, x.meetings as f64, &boxed)?;
        ws.write_string_with_format(row, 4, halves(&x.halves_missing), &boxed)?;
        ws.write_number_with_format(row, 5, x.comments_written as f64, &boxed)?;
        ws.write_number_with_format(row, 6, x.comments_certified as f64, &boxed)?;
        row += 1;
    }
    row += 1;
    ws.write_string(
        row,
        0,
        format!(
            "Đảng viên của {} được giới thiệu về nơi cư trú: {}; đã có phiếu nhận xét năm {} được xác nhận: {}.",
            r.name,
            number(r.introduced as i64),
            r.comment_year,
            number(r.introduced_commented as i64)
        ),
    )?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Read;

    use dangvu_app::meeting_report::{AssemblyLine, ResidenceLine};

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn the_workbook_holds_every_cell_the_total_and_the_residence_side() {
        let cell = CellLine {
            org: OrgId(5),
            name: "Chi bộ Khu 3".into(),
            grassroots: "Đảng bộ phường Nam Khê".into(),
            months_due: 12,
            months_held: 11,
            months_missing: vec![(2019, 4)],
            quarters_due: 4,
            meetings: 11,
            short: 1,
            avg_minutes: Some(104),
            expected: 200,
            present: 180,
            with_superior: 3,
            assigned: vec!["Trần Văn An".into()],
            assigned_meetings: 11,
            assigned_attended: 3,
            scored: 6,
            avg_score: Some(87),
            topics: vec!["Học tập tư tưởng Hồ Chí Minh".into()],
            ..CellLine::default()
        };
        let r = MeetingsReport {
            org: OrgId(3),
            name: "Đảng bộ phường Nam Khê".into(),
            from: d(2019, 1, 1),
            to: d(2019, 12, 31),
            as_of: d(2019, 12, 31),
            total: cell.clone(),
            cells: vec![cell],
            assemblies: vec![AssemblyLine {
                org: OrgId(3),
                name: "Đảng bộ phường Nam Khê".into(),
                held: 1,
                halves_missing: vec![(2019, 2)],
            }],
            residence: vec![ResidenceLine {
                org: OrgId(3),
                name: "Đảng bộ phường Nam Khê".into(),
                attached: 40,
                exempt: 2,
                meetings: 2,
                halves_missing: Vec::new(),
                comments_written: 38,
                comments_certified: 35,
            }],
            introduced: 12,
            introduced_commented: 10,
            comment_year: 2019,
        };
        let b = xlsx(&r).unwrap();
        let strings = part(&b, "xl/sharedStrings.xml");
        for s in [
            "Chi bộ Khu 3",
            "04/2019",
            "Trần Văn An",
            "Học tập tư tưởng Hồ Chí Minh",
            "Tổng cộng",
            "6 tháng cuối năm 2019",
            "Phiếu nhận xét đã xác nhận",
        ] {
            assert!(strings.contains(s), "{s}: {strings}");
        }
        let sheet = part(&b, "xl/worksheets/sheet1.xml");
        // 180 of 200 present, as a share; 104 minutes on average; 3 of 11 attended.
        assert!(sheet.contains("<v>0.9</v>"), "{sheet}");
        assert!(sheet.contains("<v>104</v>"));
        let res = part(&b, "xl/worksheets/sheet3.xml");
        assert!(
            res.contains("<v>35</v>") && res.contains("<v>40</v>"),
            "{res}"
        );
        assert!(strings.contains("3/11"));
    }
}
