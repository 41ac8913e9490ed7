//! The API's review: periods, sheets, steps, decisions, lock, corrections, report,
//! commendations.

use crate::AppState;
use crate::api::ApiResult;
use crate::extract::Cx;
use crate::html::review::ReviewQuery;
use crate::input::Fields;
use crate::input::review::Act;
use crate::input::review::act_on;
use crate::input::review::lock_from;
use crate::input::review::open_from;
use crate::input::review::report_query;
use crate::input::review::subject_of;
use crate::render::classification as report;
use crate::session::CurrentActor;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::review::Level;
use dangvu_store::reviews::{ReviewPeriod, Step};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

// ---------------------------------------------------------------- API

pub(crate) fn period_json(p: &ReviewPeriod) -> Value {
    json!({"id": p.id, "org": p.org.0, "label": p.label, "start": p.period.start, "end": p.period.end, "rule_set": p.rule_set, "status": p.status})
}

pub(crate) fn step_json(s: &Step) -> Value {
    json!({"step": s.step, "body": s.body, "level": s.level.map(Level::code), "points": s.points, "content": s.content, "strengths": s.strengths, "weaknesses": s.weaknesses, "remedies": s.remedies, "remedies_done": s.remedies_done, "sick_leave_months": s.sick_leave_months, "recorded_by": s.recorded_by, "recorded_at": s.recorded_at})
}

pub(crate) fn counts_json(c: &dangvu_app::review::ReportCounts) -> Value {
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
pub(crate) async fn on_subject(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
    act: Act,
) -> ApiResult {
    act_on(me, state, id, subject_of(f)?, act, f).await?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))).into_response())
}

/// Body of "open a review period".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct OpenReviewBody {
    /// The organisation whose subtree is reviewed.
    pub org: i64,
    /// A calendar year, or `period_start` and `period_end`.
    pub year: Option<i32>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub label: Option<String>,
}

/// The subject of a step, a decision or a correction.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SubjectRef {
    /// `member`, `org`, `collective`.
    pub subject_kind: String,
    /// The member's or the organisation's id.
    pub subject: i64,
}

/// Body of a review step on a subject.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct StepBody {
    #[serde(flatten)]
    pub subject: SubjectRef,
    /// `self`, `comment`, `proposal`, `conclusion`.
    pub step: String,
    /// For a comment: `cell_committee`, `residence`, `mass_org`, `agency`.
    pub body: Option<String>,
    /// `htxs`, `htt`, `ht`, `kht`.
    pub level: Option<String>,
    /// 0–100.
    pub points: Option<u8>,
    pub content: Option<String>,
    pub strengths: Option<String>,
    pub weaknesses: Option<String>,
    pub remedies: Option<String>,
    pub remedies_done: Option<String>,
    /// 0–12.
    pub sick_leave_months: Option<u8>,
}

/// Body of "decide a subject's level".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DecisionBody {
    #[serde(flatten)]
    pub subject: SubjectRef,
    /// `htxs`, `htt`, `ht`, `kht`; `none` when the register says the subject is not classified.
    pub level: String,
    pub points: Option<u8>,
    pub decision_ref: Option<String>,
}

/// Body of "correct a decision of a locked period" (R15).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReviewCorrectionBody {
    #[serde(flatten)]
    pub subject: SubjectRef,
    pub level: String,
    pub reason: String,
    pub decision_ref: Option<String>,
    /// The day the decision was signed.
    pub decided_on: Option<String>,
    /// The body that issued it.
    pub decided_by: Option<String>,
}

/// Body of "lock a period": `override_<grassroots id>` = the reason for going over that
/// organisation's quota (R27), one per organisation over it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct LockBody {
    #[serde(flatten)]
    pub overrides: std::collections::BTreeMap<String, String>,
}

/// The review periods the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/reviews", responses((status = 200, description = "Các kỳ đánh giá"), (status = 401, body = crate::error::ApiErrorBody)))]
pub async fn api_list(me: CurrentActor, State(state): State<AppState>) -> ApiResult {
    let v: Vec<Value> = state
        .app
        .reviews_visible(&me.actor())
        .await?
        .iter()
        .map(period_json)
        .collect();
    Ok(Json(json!({"items": v})).into_response())
}

/// Opens a review period (R23). Body: org, and year or period_start + period_end, label.
#[utoipa::path(post, path = "/api/v1/reviews", request_body = OpenReviewBody, responses((status = 201, body = crate::api::Created), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_open(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let id = open_from(&me, &state, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// A period with the quota of each grassroots organisation (R27).
#[utoipa::path(get, path = "/api/v1/reviews/{id}", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_period(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let a = me.actor();
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
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> ApiResult {
    let query = report_query(q.to_chuc.as_deref(), q.ngay.as_deref())?;
    let r = state
        .app
        .classification_report(&me.actor(), id, query)
        .await?;
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
pub async fn api_sheet(Cx(me, state): Cx, Path((id, org)): Path<(i64, i64)>) -> ApiResult {
    let s = state.app.review_sheet(&me.actor(), id, OrgId(org)).await?;
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
#[utoipa::path(post, path = "/api/v1/reviews/{id}/steps", params(("id" = i64, Path)), request_body = StepBody, responses((status = 201), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_step(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    on_subject(&me, &state, id, &f, Act::Step).await
}

/// Decides a subject's level: `subject_kind`, `subject`, `level` (none: not classified, when
/// the register says so), `points`, `decision_ref`. Bottom-up (R28); bounds (R25, R26).
#[utoipa::path(post, path = "/api/v1/reviews/{id}/decisions", params(("id" = i64, Path)), request_body = DecisionBody, responses((status = 201), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_decide(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    on_subject(&me, &state, id, &f, Act::Decide).await
}

/// Locks a period; a grassroots organisation over its quota needs `override_<id>`: reason.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/lock", params(("id" = i64, Path)), request_body = LockBody, responses((status = 200), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_lock(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    lock_from(&me, &state, id, &f).await?;
    Ok(Json(json!({"ok": true})).into_response())
}

/// Corrects a decision of a locked period (R15): `subject_kind`, `subject`, `level`,
/// `reason`, `decision_ref`.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/corrections", params(("id" = i64, Path)), request_body = ReviewCorrectionBody, responses((status = 201), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_correct(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    on_subject(&me, &state, id, &f, Act::Correct).await
}

/// Commendation suggestions (R30): HTXS this year, and the run of consecutive years.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/commendations", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_commendations(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v: Vec<Value> = state
        .app
        .commendations(&me.actor(), id)
        .await?
        .iter()
        .map(|c| json!({"subject_kind": c.subject_kind, "subject": c.subject_id, "name": c.name, "years_htxs": c.years, "five_years": c.years >= 5}))
        .collect();
    Ok(Json(json!({"items": v})).into_response())
}

/// The report as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/report.xlsx", params(("id" = i64, Path), ReviewQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_report_xlsx(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReviewQuery>,
) -> ApiResult {
    Ok(crate::html::review_report::workbook(&me, &state, id, &q).await?)
}

/// A member's review: steps, decision, bounds, the collective's conclusions, last period's
/// remedies.
#[utoipa::path(get, path = "/api/v1/reviews/{id}/members/{member}", params(("id" = i64, Path), ("member" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_member(Cx(me, state): Cx, Path((id, m)): Path<(i64, i64)>) -> ApiResult {
    let r = state
        .app
        .member_review(&me.actor(), id, MemberId(m))
        .await?;
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
        "corrections": r.corrections,
    }))
    .into_response())
}
