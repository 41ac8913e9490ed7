//! Huy hiệu Đảng in the API (R13): a subtree's list for a presentation day, proposals,
//! the decision, a badge presented or returned, a member's badges.

use axum::extract::{Path, Query};
use dangvu_app::badges::BadgeLine;
use dangvu_domain::ids::{MemberId, OrgId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::{Cx, JsonObject};
use crate::input::Fields;

/// `?day=02/09/2026` (a presentation day: 3/2, 19/5, 2/9, 7/11); the next one by default.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct DayParams {
    pub day: Option<String>,
}

/// One proposal.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProposalBody {
    pub member: i64,
    /// 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85 or 90.
    pub years: u32,
    /// `none` (on the day's list), `seriously_ill`, `posthumous`, `missed`.
    pub exception: String,
    /// Required for an exception.
    pub reason: Option<String>,
}

/// Body of "propose badges for a day".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProposeBody {
    /// The presentation day, dd/mm/yyyy.
    pub day: String,
    /// The proposals; empty or missing: everyone on the day's list not yet proposed.
    pub proposals: Option<Vec<ProposalBody>>,
}

/// Body of "record the decision".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ApproveBody {
    pub day: String,
    pub decision_ref: String,
    pub decided_on: String,
    pub decided_by: String,
}

/// Body of "a badge presented".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PresentBody {
    /// Province code and six digits; E before them for the 45-year badge (`QNE123456`).
    pub number: String,
    pub presented_on: String,
}

/// Body of "a badge returned, or a proposal withdrawn".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReturnBody {
    pub on: String,
    pub reason: String,
}

fn line_json(l: &BadgeLine) -> Value {
    let b = l.badge.as_ref();
    json!({
        "member": l.member.0, "name": l.name, "birth_date": l.birth, "home_town": l.home_town,
        "cell": l.cell.map(|c| c.0), "cell_name": l.cell_name, "years": l.years,
        "reach_on": l.reach_on, "admitted_on": l.admitted_on, "seniority_months": l.seniority,
        "exception": l.exception.code(), "reason": l.reason,
        "badge": b.map(|b| json!({
            "id": b.id, "status": b.status.code(), "approved_on": b.approved_on,
            "approval_ref": b.approval_ref, "presented_on": b.presented_on, "number": b.number,
            "returned_on": b.returned_on,
        })),
    })
}

fn day(
    state: &crate::AppState,
    s: Option<&str>,
) -> Result<chrono::NaiveDate, dangvu_app::AppError> {
    crate::html::badges::day_of(s, state.app.clock.today())
}

/// The list of a presentation day for a subtree: the badges recorded for the day, then the
/// members who reach a milestone since the previous day; and the badges to take back.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/badges", params(("id" = i64, Path), DayParams), responses((status = 200, description = "Danh sách huy hiệu Đảng"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn list(Cx(me, state): Cx, Path(id): Path<i64>, Query(q): Query<DayParams>) -> ApiResult {
    let d = day(&state, q.day.as_deref())?;
    let l = state.app.badge_list(&me.actor(), OrgId(id), d).await?;
    ok(json!({
        "org": id,
        "day": l.day,
        "counts": l.counts().iter().map(|(y, n)| json!({"years": y, "count": n})).collect::<Vec<_>>(),
        "lines": l.lines.iter().map(line_json).collect::<Vec<_>>(),
        "to_return": l.to_return.iter().map(line_json).collect::<Vec<_>>(),
    }))
}

/// Proposes badges for a day: the proposals given, or the whole list.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/badges", params(("id" = i64, Path)), request_body = ProposeBody, responses((status = 201), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn propose(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let d = crate::input::date(&f, "day").map_err(|e| crate::input::invalid(vec![e]))?;
    let mut proposals = Vec::new();
    if let Some(list) = body.get("proposals").and_then(Value::as_array) {
        if list.len() > 10_000 {
            return Err(crate::input::invalid(vec![dangvu_domain::FieldError::new(
                "proposals",
                "too_many",
            )])
            .into());
        }
        for p in list {
            proposals.push(crate::html::badges::proposal(&Fields::from_json(p))?);
        }
    }
    let n = state
        .app
        .propose_badges(&me.actor(), OrgId(id), d, proposals)
        .await?;
    created(json!({"proposed": n}))
}

/// Records the decision approving the day's proposals in the subtree.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/badges/approve", params(("id" = i64, Path)), request_body = ApproveBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn approve(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let d = crate::input::date(&f, "day").map_err(|e| crate::input::invalid(vec![e]))?;
    let decision = crate::input::decision(&f)?;
    let n = state
        .app
        .approve_badges(&me.actor(), OrgId(id), d, &decision)
        .await?;
    ok(json!({"approved": n}))
}

/// Records an approved badge presented, with its number.
#[utoipa::path(post, path = "/api/v1/badges/{id}/present", params(("id" = i64, Path)), request_body = PresentBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn present(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let on = crate::input::date(&f, "presented_on").map_err(|e| crate::input::invalid(vec![e]))?;
    state
        .app
        .present_badge(&me.actor(), id, &f.get("number"), on)
        .await?;
    ok(json!({"id": id, "status": "presented"}))
}

/// Records an expelled member's badge returned, or withdraws a proposal.
#[utoipa::path(post, path = "/api/v1/badges/{id}/return", params(("id" = i64, Path)), request_body = ReturnBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn give_back(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let on = crate::input::date(&f, "on").map_err(|e| crate::input::invalid(vec![e]))?;
    state
        .app
        .return_badge(
            &me.actor(),
            id,
            &dangvu_app::Closing {
                on,
                reason: f.get("reason"),
            },
        )
        .await?;
    ok(json!({"id": id}))
}

/// A member's badges: the register of her badges.
#[utoipa::path(get, path = "/api/v1/members/{id}/badges", params(("id" = i64, Path)), responses((status = 200, description = "Huy hiệu của đảng viên"), (status = 404, body = ApiErrorBody)))]
pub async fn of_member(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.badges_of(&me.actor(), MemberId(id)).await?;
    ok(json!(
        v.iter()
            .map(|b| json!({
                "id": b.id, "years": b.years, "day": b.day, "status": b.status.code(),
                "exception": b.exception.code(), "reason": b.reason, "approved_on": b.approved_on,
                "approval_ref": b.approval_ref, "presented_on": b.presented_on, "number": b.number,
                "returned_on": b.returned_on, "return_reason": b.return_reason,
            }))
            .collect::<Vec<_>>()
    ))
}
