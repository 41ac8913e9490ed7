//! The annual review on the web and in the API (issue 4, R23–R31): periods, a cell's review
//! sheet, a member's review with its steps, decisions, locking, corrections, commendations and
//! the classification report (page, SVG chart, printable A4, Excel, JSON).

use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dangvu_app::AppError;
use dangvu_app::review::{ClassificationReport, MemberDecision, ReportQuery};
use dangvu_app::review_flow::{MemberReview, ReviewSheet, StepInput, StepKind, Subject};
use dangvu_domain::date::parse_date;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::review::{Level, Period};
use dangvu_store::reviews::{ReviewPeriod, Step};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::AppState;
use crate::error::{ApiError, PageError, finish};
use crate::i18n;
use crate::input::Fields;
use crate::report;
use crate::session::actor;
use crate::view::{Opt, render, vn};

type PageResult = Result<Response, PageError>;
type ApiResult = Result<Response, ApiError>;

// ---------------------------------------------------------------- input, shared by forms and API

fn level_field(f: &Fields, name: &'static str) -> Result<Option<Level>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => Level::from_code(&v.to_lowercase())
            .map(Some)
            .ok_or(FieldError::new(name, "invalid")),
    }
}

fn small_number(f: &Fields, name: &'static str, max: u8) -> Result<Option<u8>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => v
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= max)
            .map(Some)
            .ok_or(FieldError::new(name, "invalid")),
    }
}

fn invalid(errors: Vec<FieldError>) -> AppError {
    AppError::Domain(DomainError::Invalid(errors))
}

/// A step's kind and content from a form or a JSON body.
pub fn step_input(f: &Fields) -> Result<(StepKind, StepInput), AppError> {
    let kind = StepKind::parse(&f.get("step"), &f.get("body"));
    let level = level_field(f, "level");
    let points = small_number(f, "points", 100);
    let sick = small_number(f, "sick_leave_months", 12);
    let errors: Vec<FieldError> = [
        kind.as_ref().err(),
        level.as_ref().err(),
        points.as_ref().err(),
        sick.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let (Ok(kind), Ok(level), Ok(points), Ok(sick)) = (kind, level, points, sick) else {
        return Err(invalid(Vec::new()));
    };
    Ok((
        kind,
        StepInput {
            level,
            points,
            content: f.get("content"),
            strengths: f.get("strengths"),
            weaknesses: f.get("weaknesses"),
            remedies: f.get("remedies"),
            remedies_done: f.get("remedies_done"),
            sick_leave_months: sick,
        },
    ))
}

/// The subject of a step or decision: `subject_kind` (member, org, collective) and `subject`.
fn subject_of(f: &Fields) -> Result<Subject, AppError> {
    let id = f
        .get("subject")
        .trim()
        .parse::<i64>()
        .map_err(|_| invalid(vec![FieldError::new("subject", "invalid")]))?;
    match f.get("subject_kind").trim() {
        "member" => Ok(Subject::Member(MemberId(id))),
        "org" => Ok(Subject::Org(OrgId(id))),
        "collective" => Ok(Subject::Collective(OrgId(id))),
        _ => Err(invalid(vec![FieldError::new("subject_kind", "invalid")])),
    }
}

async fn open_from(state: &AppState, f: &Fields) -> Result<i64, AppError> {
    let org = crate::input::org_ref(f, "org");
    let (start, end) = match f.opt("year") {
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => {
                let p = Period::year(y);
                (Ok(p.start), Ok(p.end))
            }
            _ => (
                Err(FieldError::new("year", "invalid")),
                Err(FieldError::new("year", "invalid")),
            ),
        },
        None => (
            parse_date("period_start", &f.get("period_start")),
            parse_date("period_end", &f.get("period_end")),
        ),
    };
    let errors: Vec<FieldError> = [org.as_ref().err(), start.as_ref().err(), end.as_ref().err()]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>();
    let mut errors = errors;
    errors.dedup();
    let (Ok(org), Ok(start), Ok(end)) = (org, start, end) else {
        return Err(invalid(errors));
    };
    let label = f
        .opt("label")
        .unwrap_or_else(|| format!("Đánh giá, xếp loại chất lượng năm {}", start.format("%Y")));
    state
        .app
        .open_review(&actor(), org, &label, Period { start, end })
        .await
}

async fn step_from(
    state: &AppState,
    period: i64,
    subject: Subject,
    f: &Fields,
) -> Result<(), AppError> {
    let (kind, input) = step_input(f)?;
    state
        .app
        .record_step(&actor(), period, subject, kind, input)
        .await
}

async fn decide_from(
    state: &AppState,
    period: i64,
    subject: Subject,
    f: &Fields,
) -> Result<(), AppError> {
    let level = level_field(f, "level").map_err(|e| invalid(vec![e]))?;
    let points = small_number(f, "points", 100).map_err(|e| invalid(vec![e]))?;
    let decision_ref = f.opt("decision_ref");
    match subject {
        Subject::Member(m) => {
            state
                .app
                .decide_member(
                    &actor(),
                    period,
                    m,
                    MemberDecision {
                        level,
                        points,
                        decision_ref,
                    },
                )
                .await
        }
        Subject::Org(o) => {
            state
                .app
                .decide_org(&actor(), period, o, level, decision_ref.as_deref())
                .await
        }
        Subject::Collective(o) => {
            let level = level.ok_or_else(|| invalid(vec![FieldError::new("level", "required")]))?;
            state
                .app
                .decide_collective(&actor(), period, o, level, decision_ref.as_deref())
                .await
        }
    }
}

async fn lock_from(state: &AppState, period: i64, f: &Fields) -> Result<(), AppError> {
    // Overrides arrive as `override_<grassroots id>` = reason.
    let overrides: Vec<(OrgId, String)> =
        f.0.iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("override_")?.parse::<i64>().ok()?;
                Some((OrgId(id), v.first().cloned().unwrap_or_default()))
            })
            .collect();
    state.app.lock_review(&actor(), period, &overrides).await
}

async fn correct_from(
    state: &AppState,
    period: i64,
    subject: Subject,
    f: &Fields,
) -> Result<(), AppError> {
    let level = level_field(f, "level")
        .map_err(|e| invalid(vec![e]))?
        .ok_or_else(|| invalid(vec![FieldError::new("level", "required")]))?;
    state
        .app
        .correct_decision(
            &actor(),
            period,
            subject,
            level,
            &f.get("reason"),
            &f.get("decision_ref"),
        )
        .await
}

fn report_query(org: Option<&str>, on: Option<&str>) -> Result<ReportQuery, AppError> {
    let org = match org.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            Some(OrgId(s.parse().map_err(|_| {
                invalid(vec![FieldError::new("org", "invalid")])
            })?))
        }
    };
    let as_of = match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_date("as_of", s).map_err(|e| invalid(vec![e]))?),
    };
    Ok(ReportQuery { org, as_of })
}

// ---------------------------------------------------------------- views

pub struct PeriodView {
    pub id: i64,
    pub label: String,
    pub org: i64,
    pub org_name: String,
    pub start: String,
    pub end: String,
    pub rule_set: String,
    pub regulation: &'static str,
    pub guidance: &'static str,
    pub method: &'static str,
    pub locked: bool,
}

async fn period_view(state: &AppState, p: &ReviewPeriod) -> PeriodView {
    let rs = dangvu_domain::review::RULE_SETS
        .iter()
        .find(|r| r.id == p.rule_set);
    PeriodView {
        id: p.id,
        label: p.label.clone(),
        org: p.org.0,
        org_name: state
            .app
            .org_name(p.org, p.period.end)
            .await
            .unwrap_or_default(),
        start: vn(p.period.start),
        end: vn(p.period.end),
        rule_set: p.rule_set.clone(),
        regulation: rs.map_or("", |r| r.regulation),
        guidance: rs.map_or("", |r| r.guidance),
        method: match rs.map(|r| r.method) {
            Some(dangvu_domain::review::Method::Points { .. }) => {
                "chấm điểm 100, mức theo ngưỡng 90 / 70 / 50"
            }
            _ => "theo tiêu chí, không chấm điểm",
        },
        locked: p.status == "locked",
    }
}

pub struct StepView {
    pub name: &'static str,
    pub level: &'static str,
    pub points: String,
    pub content: String,
    pub strengths: String,
    pub weaknesses: String,
    pub remedies: String,
    pub remedies_done: String,
    pub by: String,
}

fn step_view(s: &Step) -> StepView {
    StepView {
        name: i18n::step(&s.step, &s.body),
        level: s.level.map_or("", |l| l.phrase()),
        points: s.points.map(|p| p.to_string()).unwrap_or_default(),
        content: s.content.clone(),
        strengths: s.strengths.clone().unwrap_or_default(),
        weaknesses: s.weaknesses.clone().unwrap_or_default(),
        remedies: s.remedies.clone().unwrap_or_default(),
        remedies_done: s.remedies_done.clone().unwrap_or_default(),
        by: s.recorded_by.clone(),
    }
}

pub struct LineView {
    pub member: i64,
    pub name: String,
    pub self_done: bool,
    pub comments: usize,
    pub proposal: &'static str,
    pub decision: &'static str,
    pub not_classified: &'static str,
    pub bounds: Vec<String>,
    pub missing: Vec<&'static str>,
    /// The levels the rules allow, best first, for the decision picker.
    pub allowed: Vec<Opt>,
    pub proposed_code: String,
}

fn level_opts(best: Level) -> Vec<Opt> {
    Level::ALL
        .iter()
        .filter(|l| best.at_least(**l))
        .map(|l| Opt::code(l.code(), l.phrase()))
        .collect()
}

fn line_view(l: &dangvu_app::review_flow::SheetLine) -> LineView {
    let proposal = l.step(StepKind::Proposal).and_then(|s| s.level);
    LineView {
        member: l.member.0,
        name: l.name.clone(),
        self_done: l.step(StepKind::SelfAssessment).is_some(),
        comments: l.steps.iter().filter(|s| s.step == "comment").count(),
        proposal: proposal.map_or("", |l| l.phrase()),
        decision: match &l.decision {
            Some(d) => match d.level {
                Some(x) => x.phrase(),
                None => "không xếp loại",
            },
            None => "",
        },
        not_classified: l
            .not_classified
            .map_or("", |r| i18n::not_classified(r.code())),
        bounds: l
            .bounds
            .iter()
            .map(|b| format!("{} ({})", i18n::message(b.code), b.rule))
            .collect(),
        missing: l
            .missing()
            .into_iter()
            .map(|m| match m {
                "comment" => i18n::step(m, "cell_committee"),
                "residence" => i18n::step("comment", "residence"),
                _ => i18n::step(m, ""),
            })
            .collect(),
        allowed: level_opts(l.best),
        proposed_code: proposal.map(|p| p.code().to_owned()).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "reviews.html")]
pub struct ReviewsPage {
    pub periods: Vec<PeriodView>,
    pub can_open: bool,
    pub errors: Vec<String>,
    pub ok: Option<String>,
    pub echo: Fields,
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub p: PeriodView,
    pub quotas: Vec<QuotaView>,
    pub commendations: Vec<CommendationView>,
    pub units: Vec<Opt>,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

pub struct ChildView {
    pub org: i64,
    pub name: String,
    pub decision: &'static str,
    pub members: usize,
    pub undecided: usize,
}

pub struct QuotaView {
    pub org: i64,
    pub name: String,
    pub htxs: u32,
    pub cap: u32,
    pub exceeded: bool,
}

pub struct CommendationView {
    pub kind: &'static str,
    pub name: String,
    pub link: String,
    pub years: u32,
}

#[derive(Template)]
#[template(path = "review_sheet.html")]
pub struct SheetPage {
    pub p: PeriodView,
    pub org: i64,
    pub org_name: String,
    pub grassroots: Option<i64>,
    pub collective: Vec<StepView>,
    pub lines: Vec<LineView>,
    pub missing_total: usize,
    pub org_steps: Vec<StepView>,
    pub org_decision: &'static str,
    pub collective_decision: &'static str,
    pub children: Vec<ChildView>,
    /// May the actor decide the members here (the grassroots committee, R28)?
    pub can_decide: bool,
    /// The grassroots organisation's HTXS count against its cap (R27), as levels are given.
    pub quota: Option<QuotaView>,
    pub org_levels: Vec<Opt>,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

#[derive(Template)]
#[template(path = "review_member.html")]
pub struct MemberReviewPage {
    pub p: PeriodView,
    pub member: i64,
    pub name: String,
    pub cell: Option<i64>,
    pub line: LineView,
    pub steps: Vec<StepView>,
    pub collective: Vec<StepView>,
    pub previous_remedies: String,
    pub levels: Vec<Opt>,
    pub all_levels: Vec<Opt>,
    pub errors: Vec<String>,
    pub ok: Option<String>,
    pub echo: Fields,
    pub is_own: bool,
}

impl MemberReviewPage {
    pub fn v(&self, k: &str) -> String {
        self.echo.get(k)
    }
}

impl ReviewsPage {
    pub fn v(&self, k: &str) -> String {
        self.echo.get(k)
    }
}

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
#[template(path = "review_report.html")]
pub struct ReportPage {
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
}

fn ok_message(code: Option<&str>) -> Option<String> {
    Some(
        match code? {
            "opened" => "Đã mở kỳ đánh giá.",
            "step" => "Đã ghi.",
            "decided" => "Đã ghi quyết định xếp loại.",
            "decided_all" => "Đã xếp loại theo đề xuất.",
            "locked" => "Đã khóa kỳ đánh giá.",
            "corrected" => "Đã ghi đính chính; mức cũ được giữ trong nhật ký.",
            _ => return None,
        }
        .to_owned(),
    )
}

#[derive(Debug, Deserialize, Default, IntoParams)]
pub struct ReviewQuery {
    /// The organisation whose subtree is reported (default: the period's).
    #[serde(alias = "to-chuc", alias = "org")]
    pub to_chuc: Option<String>,
    /// The tree as of this date (default: the period's end).
    #[serde(alias = "as_of")]
    pub ngay: Option<String>,
    #[serde(default)]
    #[param(ignore)]
    pub ok: Option<String>,
}

// ---------------------------------------------------------------- pages

pub async fn list(State(state): State<AppState>, Query(q): Query<ReviewQuery>) -> PageResult {
    reviews_page(
        &state,
        Vec::new(),
        ok_message(q.ok.as_deref()),
        Fields::default(),
        StatusCode::OK,
    )
    .await
}

async fn reviews_page(
    state: &AppState,
    errors: Vec<String>,
    ok: Option<String>,
    echo: Fields,
    status: StatusCode,
) -> PageResult {
    let a = actor();
    let mut periods = Vec::new();
    for p in state.app.reviews_visible(&a).await? {
        periods.push(period_view(state, &p).await);
    }
    let page = ReviewsPage {
        periods,
        can_open: a.access.writes(),
        errors,
        ok,
        echo,
    };
    Ok((status, Html(render(&page))).into_response())
}

pub async fn open(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = open_from(&state, &f)
        .await
        .map(|id| format!("/danh-gia/{id}?ok=opened"));
    finish(r, async |errors, status| {
        reviews_page(&state, errors, None, f, status).await
    })
    .await
}

pub async fn overview(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    overview_page(
        &state,
        id,
        Vec::new(),
        ok_message(q.ok.as_deref()),
        StatusCode::OK,
    )
    .await
}

async fn overview_page(
    state: &AppState,
    id: i64,
    errors: Vec<String>,
    ok: Option<String>,
    status: StatusCode,
) -> PageResult {
    let a = actor();
    let p = state.app.review_period(&a, id).await?;
    let pv = period_view(state, &p).await;
    let mut quotas = Vec::new();
    let mut commendations = Vec::new();
    if a.access.org_in_scope(p.org) {
        for (g, c) in state.app.quota_status(&a, id).await? {
            quotas.push(QuotaView {
                org: g.0,
                name: state
                    .app
                    .org_name(g, p.period.end)
                    .await
                    .unwrap_or_default(),
                htxs: c.htxs,
                cap: c.cap,
                exceeded: c.exceeded,
            });
        }
        for c in state.app.commendations(&a, id).await?.into_iter().take(200) {
            commendations.push(CommendationView {
                kind: if c.subject_kind == "member" {
                    "Đảng viên"
                } else {
                    "Tổ chức"
                },
                link: if c.subject_kind == "member" {
                    format!("/danh-gia/{id}/dang-vien/{}", c.subject_id)
                } else {
                    format!("/danh-gia/{id}/to-chuc/{}", c.subject_id)
                },
                name: c.name,
                years: c.years,
            });
        }
    }
    // The units of the actor's scope under the period's organisation, to open their sheets.
    let mut units = Vec::new();
    for o in state.app.orgs_on(&a, p.period.end).await? {
        if (o.kind.is_cell() || o.kind.is_grassroots()) && units.len() < 3000 {
            units.push(Opt::id(o.org.0, o.name));
        }
    }
    units.sort_by_cached_key(|o| dangvu_domain::text::collation_key(&o.label));
    let page = ReviewPage {
        p: pv,
        quotas,
        commendations,
        units,
        errors,
        ok,
    };
    Ok((status, Html(render(&page))).into_response())
}

/// The overview's picker: to the chosen organisation's sheet.
pub async fn pick_sheet(Path(id): Path<i64>, Query(q): Query<ReviewQuery>) -> Response {
    match q
        .to_chuc
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        Some(org) => Redirect::to(&format!("/danh-gia/{id}/to-chuc/{org}")).into_response(),
        None => Redirect::to(&format!("/danh-gia/{id}")).into_response(),
    }
}

pub async fn sheet(
    State(state): State<AppState>,
    Path((id, org)): Path<(i64, i64)>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    sheet_page(
        &state,
        id,
        OrgId(org),
        Vec::new(),
        ok_message(q.ok.as_deref()),
        StatusCode::OK,
    )
    .await
}

async fn sheet_page(
    state: &AppState,
    id: i64,
    org: OrgId,
    errors: Vec<String>,
    ok: Option<String>,
    status: StatusCode,
) -> PageResult {
    let s: ReviewSheet = state.app.review_sheet(&actor(), id, org).await?;
    let quota = match s.grassroots {
        Some(g) => state
            .app
            .quota_of(&actor(), id, Some(g))
            .await?
            .into_iter()
            .next()
            .map(|(g, c)| QuotaView {
                org: g.0,
                name: String::new(),
                htxs: c.htxs,
                cap: c.cap,
                exceeded: c.exceeded,
            }),
        None => None,
    };
    let lines: Vec<LineView> = s.lines.iter().map(line_view).collect();
    let page = SheetPage {
        p: period_view(state, &s.period).await,
        org: org.0,
        org_name: s.org_name.clone(),
        grassroots: s.grassroots.map(|g| g.0),
        collective: s.collective.iter().map(step_view).collect(),
        missing_total: lines.iter().filter(|l| !l.missing.is_empty()).count(),
        lines,
        org_steps: s.org_steps.iter().map(step_view).collect(),
        org_decision: s
            .org_decision
            .as_ref()
            .and_then(|d| d.level)
            .map_or("", |l| l.phrase()),
        collective_decision: s
            .collective_decision
            .as_ref()
            .and_then(|d| d.level)
            .map_or("", |l| l.phrase()),
        quota,
        can_decide: state.app.decides_for(&actor(), s.grassroots),
        children: s
            .children
            .iter()
            .map(|c| ChildView {
                org: c.org.0,
                name: c.name.clone(),
                decision: c
                    .decision
                    .as_ref()
                    .and_then(|d| d.level)
                    .map_or("", |l| l.phrase()),
                members: c.members,
                undecided: c.members_undecided,
            })
            .collect(),
        org_levels: level_opts(Level::Htxs),
        errors,
        ok,
    };
    Ok((status, Html(render(&page))).into_response())
}

pub async fn member(
    State(state): State<AppState>,
    Path((id, m)): Path<(i64, i64)>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    member_page(
        &state,
        id,
        MemberId(m),
        Vec::new(),
        ok_message(q.ok.as_deref()),
        Fields::default(),
        StatusCode::OK,
    )
    .await
}

async fn member_page(
    state: &AppState,
    id: i64,
    m: MemberId,
    errors: Vec<String>,
    ok: Option<String>,
    echo: Fields,
    status: StatusCode,
) -> PageResult {
    let a = actor();
    let r: MemberReview = state.app.member_review(&a, id, m).await?;
    let page = MemberReviewPage {
        p: period_view(state, &r.period).await,
        member: m.0,
        name: r.name.clone(),
        cell: r.cell.map(|c| c.0),
        steps: r.line.steps.iter().map(step_view).collect(),
        line: line_view(&r.line),
        collective: r.collective.iter().map(step_view).collect(),
        previous_remedies: r.previous_remedies.clone().unwrap_or_default(),
        levels: level_opts(r.line.best),
        all_levels: level_opts(Level::Htxs),
        errors,
        ok,
        echo,
        is_own: a.access.own_member == Some(m),
    };
    Ok((status, Html(render(&page))).into_response())
}

pub async fn member_step(
    State(state): State<AppState>,
    Path((id, m)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = match f.get("action").as_str() {
        "decide" => decide_from(&state, id, Subject::Member(MemberId(m)), &f)
            .await
            .map(|_| "decided"),
        "correct" => correct_from(&state, id, Subject::Member(MemberId(m)), &f)
            .await
            .map(|_| "corrected"),
        _ => step_from(&state, id, Subject::Member(MemberId(m)), &f)
            .await
            .map(|_| "step"),
    };
    let r = r.map(|ok| format!("/danh-gia/{id}/dang-vien/{m}?ok={ok}"));
    finish(r, async |errors, status| {
        member_page(&state, id, MemberId(m), errors, None, f, status).await
    })
    .await
}

/// The sheet's forms: a member's decision, "decide all as proposed", the organisation's and
/// its collective's steps and decision.
pub async fn sheet_action(
    State(state): State<AppState>,
    Path((id, org)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let a = actor();
    let r: Result<&str, AppError> = match f.get("action").as_str() {
        "decide_member" => match f.get("member").parse::<i64>() {
            Ok(m) => decide_from(&state, id, Subject::Member(MemberId(m)), &f)
                .await
                .map(|_| "decided"),
            Err(_) => Err(invalid(vec![FieldError::new("member", "invalid")])),
        },
        "decide_all" => state
            .app
            .decide_as_proposed(&a, id, OrgId(org), f.opt("decision_ref").as_deref())
            .await
            .map(|_| "decided_all"),
        "decide_org" => decide_from(&state, id, Subject::Org(OrgId(org)), &f)
            .await
            .map(|_| "decided"),
        "decide_collective" => decide_from(&state, id, Subject::Collective(OrgId(org)), &f)
            .await
            .map(|_| "decided"),
        "collective_step" => step_from(&state, id, Subject::Collective(OrgId(org)), &f)
            .await
            .map(|_| "step"),
        _ => step_from(&state, id, Subject::Org(OrgId(org)), &f)
            .await
            .map(|_| "step"),
    };
    let r = r.map(|ok| format!("/danh-gia/{id}/to-chuc/{org}?ok={ok}"));
    finish(r, async |errors, status| {
        sheet_page(&state, id, OrgId(org), errors, None, status).await
    })
    .await
}

pub async fn lock(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = lock_from(&state, id, &f)
        .await
        .map(|()| format!("/danh-gia/{id}?ok=locked"));
    finish(r, async |errors, status| {
        overview_page(&state, id, errors, None, status).await
    })
    .await
}

fn report_rows(r: &ClassificationReport) -> (Vec<ReportLineView>, Vec<ReportRowView>) {
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
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state.app.classification_report(&actor(), id, query).await?;
    let (lines, rows) = report_rows(&r);
    let page = ReportPage {
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
    Ok(Html(render(&page)).into_response())
}

fn xlsx_response(r: &ClassificationReport) -> Result<Response, AppError> {
    let bytes = report::xlsx(r).map_err(|e| {
        AppError::Store(dangvu_store::error::StoreError::Config(format!(
            "xlsx: {e}"
        )))
    })?;
    let name = format!(
        "xep-loai-{}-{}.xlsx",
        r.period.period.start.format("%Y"),
        r.org.0
    );
    Ok(report::xlsx_attachment(&name, bytes))
}

pub async fn report_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state.app.classification_report(&actor(), id, query).await?;
    Ok(xlsx_response(&r)?)
}

// ---------------------------------------------------------------- API

fn period_json(p: &ReviewPeriod) -> Value {
    json!({"id": p.id, "org": p.org.0, "label": p.label, "start": p.period.start, "end": p.period.end, "rule_set": p.rule_set, "status": p.status})
}

fn step_json(s: &Step) -> Value {
    json!({"step": s.step, "body": s.body, "level": s.level.map(Level::code), "points": s.points, "content": s.content, "strengths": s.strengths, "weaknesses": s.weaknesses, "remedies": s.remedies, "remedies_done": s.remedies_done, "sick_leave_months": s.sick_leave_months, "recorded_by": s.recorded_by, "recorded_at": s.recorded_at})
}

fn counts_json(c: &dangvu_app::review::ReportCounts) -> Value {
    let lv = |l: &dangvu_domain::review::LevelCounts| json!({"htxs": l.get(Level::Htxs), "htt": l.get(Level::Htt), "ht": l.get(Level::Ht), "kht": l.get(Level::Kht), "total": l.total(), "htt_or_better": l.htt_or_better()});
    json!({
        "grassroots": lv(&c.grassroots()),
        "grassroots_dang_bo": lv(&c.grassroots_dang_bo),
        "grassroots_chi_bo": lv(&c.grassroots_cells),
        "cells": lv(&c.cells),
        "members": lv(&c.members.levels),
        "members_not_classified": c.members.not_classified,
    })
}

/// Runs a use case on the subject a JSON body names; 201 when it is done.
async fn on_subject(
    state: &AppState,
    id: i64,
    body: &Value,
    op: impl AsyncFn(&AppState, i64, Subject, &Fields) -> Result<(), AppError>,
) -> ApiResult {
    let f = Fields::from_json(body);
    op(state, id, subject_of(&f)?, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))).into_response())
}

/// The review periods the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/reviews", responses((status = 200, description = "Các kỳ đánh giá")))]
pub async fn api_list(State(state): State<AppState>) -> ApiResult {
    let v: Vec<Value> = state
        .app
        .reviews_visible(&actor())
        .await?
        .iter()
        .map(period_json)
        .collect();
    Ok(Json(json!({"items": v})).into_response())
}

/// Opens a review period (R23). Body: org, and year or period_start + period_end, label.
#[utoipa::path(post, path = "/api/v1/reviews", responses((status = 201, body = crate::api::Created), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_open(State(state): State<AppState>, Json(body): Json<Value>) -> ApiResult {
    let id = open_from(&state, &Fields::from_json(&body)).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// A period with the quota of each grassroots organisation (R27).
#[utoipa::path(get, path = "/api/v1/reviews/{id}", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_period(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let a = actor();
    let p = state.app.review_period(&a, id).await?;
    let quotas: Vec<Value> = if a.access.org_in_scope(p.org) {
        state
            .app
            .quota_status(&a, id)
            .await?
            .iter()
            .map(|(g, c)| json!({"grassroots": g.0, "htxs": c.htxs, "cap": c.cap, "exceeded": c.exceeded}))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(json!({"period": period_json(&p), "quotas": quotas})).into_response())
}

/// The classification report (R31) of a subtree as of a date: totals, not classified with
/// reasons, a line per subordinate organisation, the paragraph.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/report", params(("id" = i64, Path), ReviewQuery), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> ApiResult {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state.app.classification_report(&actor(), id, query).await?;
    let rows: Vec<Value> = r
        .rows
        .iter()
        .map(|x| json!({"org": x.org.0, "name": x.name, "counts": counts_json(&x.counts)}))
        .collect();
    Ok(Json(json!({
        "period": period_json(&r.period),
        "org": r.org.0,
        "org_name": r.org_name,
        "as_of": r.as_of,
        "counts": counts_json(&report::total(&r)),
        "rows": rows,
        "paragraph": r.paragraph,
    }))
    .into_response())
}

/// The review sheet of an organisation's own members: steps, decisions, forced levels, what is
/// missing (R24, R25, R28).
#[utoipa::path(get, path = "/api/v1/reviews/{id}/orgs/{org}", params(("id" = i64, Path), ("org" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_sheet(
    State(state): State<AppState>,
    Path((id, org)): Path<(i64, i64)>,
) -> ApiResult {
    let s = state.app.review_sheet(&actor(), id, OrgId(org)).await?;
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            json!({
                "member": l.member.0, "name": l.name,
                "steps": l.steps.iter().map(step_json).collect::<Vec<_>>(),
                "decision": l.decision.as_ref().map(|d| json!({"level": d.level.map(Level::code), "not_classified": d.not_classified, "points": d.points, "decision_ref": d.decision_ref})),
                "not_classified": l.not_classified.map(|r| r.code()),
                "bounds": l.bounds.iter().map(|b| json!({"best": b.best.code(), "rule": b.rule, "code": b.code})).collect::<Vec<_>>(),
                "best_allowed": l.best.code(),
                "missing": l.missing(),
            })
        })
        .collect();
    Ok(Json(json!({
        "period": period_json(&s.period), "org": org, "name": s.org_name,
        "collective": s.collective.iter().map(step_json).collect::<Vec<_>>(),
        "org_steps": s.org_steps.iter().map(step_json).collect::<Vec<_>>(),
        "org_decision": s.org_decision.as_ref().and_then(|d| d.level).map(Level::code),
        "members": lines,
    }))
    .into_response())
}

/// Records a step: `subject_kind` (member, org, collective), `subject`, `step` (self, comment,
/// proposal, conclusion), `body` for a comment (cell_committee, residence, mass_org, agency),
/// `level`, `points`, `content`, `strengths`, `weaknesses`, `remedies`, `remedies_done`,
/// `sick_leave_months`.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/steps", params(("id" = i64, Path)), responses((status = 201), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    on_subject(&state, id, &body, step_from).await
}

/// Decides a subject's level: `subject_kind`, `subject`, `level` (none: not classified, when
/// the register says so), `points`, `decision_ref`. Bottom-up (R28); bounds (R25, R26).
#[utoipa::path(post, path = "/api/v1/reviews/{id}/decisions", params(("id" = i64, Path)), responses((status = 201), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    on_subject(&state, id, &body, decide_from).await
}

/// Locks a period; a grassroots organisation over its quota needs `override_<id>`: reason.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/lock", params(("id" = i64, Path)), responses((status = 200), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_lock(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    lock_from(&state, id, &Fields::from_json(&body)).await?;
    Ok(Json(json!({"ok": true})).into_response())
}

/// Corrects a decision of a locked period (R15): `subject_kind`, `subject`, `level`,
/// `reason`, `decision_ref`.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/corrections", params(("id" = i64, Path)), responses((status = 201), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    on_subject(&state, id, &body, correct_from).await
}

/// Commendation suggestions (R30): HTXS this year, and the run of consecutive years.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/commendations", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_commendations(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let v: Vec<Value> = state
        .app
        .commendations(&actor(), id)
        .await?
        .iter()
        .map(|c| json!({"subject_kind": c.subject_kind, "subject": c.subject_id, "name": c.name, "years_htxs": c.years, "five_years": c.years >= 5}))
        .collect();
    Ok(Json(json!({"items": v})).into_response())
}

/// The report as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/report.xlsx", params(("id" = i64, Path), ReviewQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_report_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> ApiResult {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state.app.classification_report(&actor(), id, query).await?;
    Ok(xlsx_response(&r)?)
}

/// A member's review: steps, decision, bounds, the collective's conclusions, last period's
/// remedies.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/members/{member}", params(("id" = i64, Path), ("member" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_member(
    State(state): State<AppState>,
    Path((id, m)): Path<(i64, i64)>,
) -> ApiResult {
    let r = state.app.member_review(&actor(), id, MemberId(m)).await?;
    Ok(Json(json!({
        "period": period_json(&r.period), "member": m, "name": r.name,
        "cell": r.cell.map(|c| c.0),
        "steps": r.line.steps.iter().map(step_json).collect::<Vec<_>>(),
        "decision": r.line.decision.as_ref().map(|d| json!({"level": d.level.map(Level::code), "not_classified": d.not_classified, "points": d.points, "decision_ref": d.decision_ref})),
        "not_classified": r.line.not_classified.map(|x| x.code()),
        "best_allowed": r.line.best.code(),
        "missing": r.line.missing(),
        "collective": r.collective.iter().map(step_json).collect::<Vec<_>>(),
        "previous_remedies": r.previous_remedies,
    }))
    .into_response())
}
