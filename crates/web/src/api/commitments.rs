//! Cam kết học tập và làm theo Bác (R35) in the API: a cell's commitments of a year, and
//! registering, commenting and assessing one.

use crate::api::assets::YearParams;
use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::accountability as input;
use axum::extract::{Path, Query};
use dangvu_app::commitments::CommitSubject;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::commitments::Commitment;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Body of "register a commitment".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CommitmentBody {
    /// The year (default this year).
    pub year: Option<i32>,
    /// The items: one per line, or a list.
    pub items: Vec<String>,
    /// Default today.
    pub registered_on: Option<String>,
}

/// Body of the mid-year comment.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CommentBody {
    pub mid_comment: String,
    pub mid_comment_on: String,
}

/// Body of the year-end assessment.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AssessmentBody {
    pub assessment: String,
    pub assessed_on: String,
}

fn commitment(c: &Commitment) -> Value {
    json!({
        "id": c.id, "year": c.year, "items": c.items, "registered_on": c.registered_on,
        "mid_comment": c.mid_comment, "mid_comment_on": c.mid_comment_on,
        "assessment": c.assessment, "assessed_on": c.assessed_on,
    })
}

/// A cell's commitments of a year: its collective's, and each member's on its rolls (null for
/// those who have not registered).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/commitments", params(("id" = i64, Path), YearParams), responses((status = 200, description = "Cam kết của chi bộ"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn cell(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<YearParams>,
) -> ApiResult {
    let a = me.actor();
    state.app.org_scope(&a, OrgId(id))?;
    let year = crate::html::assets::year_of(&state, q.year.as_deref())?;
    let c = state.app.cell_commitments(&a, OrgId(id), year).await?;
    ok(json!({
        "org": id, "year": year,
        "collective": c.collective.as_ref().map(commitment),
        "members": c.lines.iter().map(|(m, n, x)| json!({
            "member": m.0, "full_name": n, "commitment": x.as_ref().map(commitment),
        })).collect::<Vec<_>>(),
        "missing": c.missing().len(),
    }))
}

/// Registers (or, until assessed, rewrites) a member's commitment of a year; a member may
/// register her own.
#[utoipa::path(post, path = "/api/v1/members/{id}/commitments", params(("id" = i64, Path)), request_body = CommitmentBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn of_member(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let c =
        input::register_commitment(&me, &state, CommitSubject::Member(MemberId(id)), &f).await?;
    created(json!({ "id": c }))
}

/// Registers (or rewrites) the commitment of an organisation's leadership collective.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/commitments", params(("id" = i64, Path)), request_body = CommitmentBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn of_collective(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let c =
        input::register_commitment(&me, &state, CommitSubject::Collective(OrgId(id)), &f).await?;
    created(json!({ "id": c }))
}

/// The cell's mid-year comment on a commitment.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/comment", params(("id" = i64, Path)), request_body = CommentBody, responses((status = 200, description = "Đã ghi"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn comment(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    input::judge_commitment(&me, &state, id, false, &f).await?;
    ok(json!({ "id": id }))
}

/// The year-end assessment of how a commitment was kept.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/assessment", params(("id" = i64, Path)), request_body = AssessmentBody, responses((status = 200, description = "Đã ghi"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn assess(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    input::judge_commitment(&me, &state, id, true, &f).await?;
    ok(json!({ "id": id }))
}
