//! The annual review and quality classification (R23–R30): the periods, an organisation's
//! sheet, a member's steps and decision, the lock.

use crate::error::finish;
use crate::extract::Cx;
use crate::html::PageResult;
use crate::html::shown;
use crate::input::Fields;
use crate::input::invalid;
use crate::input::review::Act;
use crate::input::review::act_on;
use crate::input::review::lock_from;
use crate::input::review::open_from;
use crate::session::CurrentActor;
use crate::view::Feedback;
use crate::view::{Opt, vn};
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangvu_app::review_flow::{MemberReview, ReviewSheet, StepKind, Subject};
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::review::Level;
use dangvu_store::reviews::{ReviewPeriod, Step};
use serde::Deserialize;
use utoipa::IntoParams;

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

pub(crate) async fn period_view(state: &AppState, p: &ReviewPeriod) -> PeriodView {
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

pub(crate) fn step_view(s: &Step) -> StepView {
    StepView {
        name: i18n::step(&s.step, &s.body),
        level: s.level.map_or("", dangvu_app::wording::level_phrase),
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

pub(crate) fn level_opts(best: Level) -> Vec<Opt> {
    Level::ALL
        .iter()
        .filter(|l| best.at_least(**l))
        .map(|l| Opt::code(l.code(), dangvu_app::wording::level_phrase(*l)))
        .collect()
}

pub(crate) fn line_view(l: &dangvu_app::review_flow::SheetLine) -> LineView {
    let proposal = l.step(StepKind::Proposal).and_then(|s| s.level);
    LineView {
        member: l.member.0,
        name: l.name.clone(),
        self_done: l.step(StepKind::SelfAssessment).is_some(),
        comments: l.steps.iter().filter(|s| s.step == "comment").count(),
        proposal: proposal.map_or("", dangvu_app::wording::level_phrase),
        decision: match &l.decision {
            Some(d) => match d.level {
                Some(x) => dangvu_app::wording::level_phrase(x),
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
#[template(path = "review/reviews.html")]
pub struct ReviewsPage {
    pub me: CurrentActor,
    pub periods: Vec<PeriodView>,
    pub can_open: bool,
    pub feedback: Feedback,
}

#[derive(Template)]
#[template(path = "review/review.html")]
pub struct ReviewPage {
    pub me: CurrentActor,
    pub p: PeriodView,
    pub quotas: Vec<QuotaView>,
    pub commendations: Vec<CommendationView>,
    pub units: Vec<Opt>,
    pub feedback: Feedback,
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
#[template(path = "review/review_sheet.html")]
pub struct SheetPage {
    pub me: CurrentActor,
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
    /// Opinions of the Front and the people about the organisation (R34).
    pub opinions: Vec<String>,
    /// The collective's Hồ Chí Minh study commitment of the year (R35).
    pub commitment: Option<crate::html::commitments::CommitmentView>,
    /// May the actor decide the members here (the grassroots committee, R28)?
    pub can_decide: bool,
    /// The grassroots organisation's HTXS count against its cap (R27), as levels are given.
    pub quota: Option<QuotaView>,
    pub org_levels: Vec<Opt>,
    pub feedback: Feedback,
}

#[derive(Template)]
#[template(path = "review/review_member.html")]
pub struct MemberReviewPage {
    pub me: CurrentActor,
    pub p: PeriodView,
    pub member: i64,
    pub name: String,
    pub cell: Option<i64>,
    pub line: LineView,
    pub steps: Vec<StepView>,
    pub collective: Vec<StepView>,
    pub previous_remedies: String,
    /// Corrections after the lock: when, from which level to which, why, on which decision.
    pub corrections: Vec<(String, String, String, String, String)>,
    /// Opinions of the Front and the people about her (R34).
    pub opinions: Vec<String>,
    /// Her Hồ Chí Minh study commitment of the year (R35).
    pub commitment: Option<crate::html::commitments::CommitmentView>,
    pub levels: Vec<Opt>,
    pub all_levels: Vec<Opt>,
    pub feedback: Feedback,
    pub is_own: bool,
}

/// The review pages' notices, by the code their redirects carry.
const NOTICES: &[(&str, &str)] = &[
    ("opened", "Đã mở kỳ đánh giá."),
    ("step", "Đã ghi."),
    ("decided", "Đã ghi quyết định xếp loại."),
    ("decided_all", "Đã xếp loại theo đề xuất."),
    ("locked", "Đã khóa kỳ đánh giá."),
    (
        "corrected",
        "Đã ghi đính chính; mức cũ được giữ trong nhật ký.",
    ),
];

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

pub async fn list(Cx(me, state): Cx, Query(q): Query<ReviewQuery>) -> PageResult {
    reviews_page(&me, &state, Feedback::after(q.ok.as_deref(), NOTICES)).await
}

pub(crate) async fn reviews_page(me: &CurrentActor, state: &AppState, fb: Feedback) -> PageResult {
    let a = me.actor();
    let mut periods = Vec::new();
    for p in state.app.reviews_visible(&a).await? {
        periods.push(period_view(state, &p).await);
    }
    let page = ReviewsPage {
        me: me.clone(),
        periods,
        can_open: a.access.writes(),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

pub async fn open(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = open_from(&me, &state, &f)
        .await
        .map(|id| format!("/danh-gia/{id}?ok=opened"));
    finish(r, f, async |fb| reviews_page(&me, &state, fb).await).await
}

pub async fn overview(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    overview_page(&me, &state, id, Feedback::after(q.ok.as_deref(), NOTICES)).await
}

pub(crate) async fn overview_page(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
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
        me: me.clone(),
        p: pv,
        quotas,
        commendations,
        units,
        feedback: fb,
    };
    shown(page.feedback.status, &page)
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
    Cx(me, state): Cx,
    Path((id, org)): Path<(i64, i64)>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    sheet_page(
        &me,
        &state,
        id,
        OrgId(org),
        Feedback::after(q.ok.as_deref(), NOTICES),
    )
    .await
}

pub(crate) async fn sheet_page(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    org: OrgId,
    fb: Feedback,
) -> PageResult {
    let s: ReviewSheet = state.app.review_sheet(&me.actor(), id, org).await?;
    let quota = match s.grassroots {
        Some(g) => state
            .app
            .quota_of(&me.actor(), id, Some(g))
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
        me: me.clone(),
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
            .map_or("", dangvu_app::wording::level_phrase),
        collective_decision: s
            .collective_decision
            .as_ref()
            .and_then(|d| d.level)
            .map_or("", dangvu_app::wording::level_phrase),
        quota,
        can_decide: state.app.decides_for(&me.actor(), s.grassroots),
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
                    .map_or("", dangvu_app::wording::level_phrase),
                members: c.members,
                undecided: c.members_undecided,
            })
            .collect(),
        org_levels: level_opts(Level::Htxs),
        opinions: s
            .opinions
            .iter()
            .map(crate::html::opinions::review_text)
            .collect(),
        commitment: s.commitment.as_ref().map(crate::html::commitments::view),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

pub async fn member(
    Cx(me, state): Cx,
    Path((id, m)): Path<(i64, i64)>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    member_page(
        &me,
        &state,
        id,
        MemberId(m),
        Feedback::after(q.ok.as_deref(), NOTICES),
    )
    .await
}

pub(crate) async fn member_page(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    m: MemberId,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let r: MemberReview = state.app.member_review(&a, id, m).await?;
    let page = MemberReviewPage {
        me: me.clone(),
        p: period_view(state, &r.period).await,
        member: m.0,
        name: r.name.clone(),
        cell: r.cell.map(|c| c.0),
        steps: r.line.steps.iter().map(step_view).collect(),
        line: line_view(&r.line),
        collective: r.collective.iter().map(step_view).collect(),
        previous_remedies: r.previous_remedies.clone().unwrap_or_default(),
        opinions: r
            .opinions
            .iter()
            .map(crate::html::opinions::review_text)
            .collect(),
        commitment: r.commitment.as_ref().map(crate::html::commitments::view),
        corrections: r
            .corrections
            .iter()
            .map(|c| {
                let label = |v: &Option<String>| {
                    v.as_deref()
                        .map(|x| crate::i18n::level(x).to_owned())
                        .unwrap_or_default()
                };
                (
                    chrono::DateTime::parse_from_rfc3339(&c.recorded_at)
                        .map(|t| crate::view::vn(t.date_naive()))
                        .unwrap_or_default(),
                    label(&c.old_value),
                    label(&c.new_value),
                    c.reason.clone(),
                    crate::view::decision_text(
                        c.decision_ref.as_deref(),
                        c.decided_by.as_deref(),
                        c.decided_on,
                    ),
                )
            })
            .collect(),
        levels: level_opts(r.line.best),
        all_levels: level_opts(Level::Htxs),
        feedback: fb,
        is_own: a.access.own_member == Some(m),
    };
    shown(page.feedback.status, &page)
}

pub async fn member_step(
    Cx(me, state): Cx,
    Path((id, m)): Path<(i64, i64)>,
    f: Fields,
) -> PageResult {
    let act = match f.get("action").as_str() {
        "decide" => Act::Decide,
        "correct" => Act::Correct,
        _ => Act::Step,
    };
    let subject = Subject::Member(MemberId(m));
    let r = act_on(&me, &state, id, subject, act, &f)
        .await
        .map(|()| act.done());
    let r = r.map(|ok| format!("/danh-gia/{id}/dang-vien/{m}?ok={ok}"));
    finish(r, f, async |fb| {
        member_page(&me, &state, id, MemberId(m), fb).await
    })
    .await
}

/// The sheet's forms: a member's decision, "decide all as proposed", the organisation's and
/// its collective's steps and decision.
pub async fn sheet_action(
    Cx(me, state): Cx,
    Path((id, org)): Path<(i64, i64)>,
    f: Fields,
) -> PageResult {
    let (o, invalid_member) = (OrgId(org), || {
        invalid(vec![FieldError::new("member", "invalid")])
    });
    // The subject and what to do to it; none for "decide all as proposed".
    let target = match f.get("action").as_str() {
        "decide_all" => None,
        "decide_member" => Some(match f.get("member").parse::<i64>() {
            Ok(m) => Ok((Subject::Member(MemberId(m)), Act::Decide)),
            Err(_) => Err(invalid_member()),
        }),
        "decide_org" => Some(Ok((Subject::Org(o), Act::Decide))),
        "decide_collective" => Some(Ok((Subject::Collective(o), Act::Decide))),
        "collective_step" => Some(Ok((Subject::Collective(o), Act::Step))),
        _ => Some(Ok((Subject::Org(o), Act::Step))),
    };
    let r = match target {
        Some(Ok((subject, act))) => act_on(&me, &state, id, subject, act, &f)
            .await
            .map(|()| act.done()),
        Some(Err(e)) => Err(e),
        None => {
            let decision = f.opt("decision_ref");
            let app = &state.app;
            app.decide_as_proposed(&me.actor(), id, o, decision.as_deref())
                .await
                .map(|_| "decided_all")
        }
    };
    let r = r.map(|ok| format!("/danh-gia/{id}/to-chuc/{org}?ok={ok}"));
    finish(r, Fields::default(), async |fb| {
        sheet_page(&me, &state, id, OrgId(org), fb).await
    })
    .await
}

pub async fn lock(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = lock_from(&me, &state, id, &f)
        .await
        .map(|()| format!("/danh-gia/{id}?ok=locked"));
    finish(r, Fields::default(), async |fb| {
        overview_page(&me, &state, id, fb).await
    })
    .await
}
