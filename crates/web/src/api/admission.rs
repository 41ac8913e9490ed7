//! Kết nạp đảng viên in the API (R7, R8).

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::admission::{add, record_step};
use axum::extract::Path;
use dangvu_app::admission::CandidateView;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Body of "propose a person as quần chúng ưu tú of the cell": her record (the fields of a
/// member's record: `full_name`, `sex`, `birth_date`, `ethnicity`, `cccd`, …) and the day.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CandidateBody {
    pub full_name: String,
    /// `male` or `female`.
    pub sex: String,
    pub birth_date: String,
    pub ethnicity: Option<String>,
    pub cccd: Option<String>,
    pub occupation: Option<String>,
    pub residence: Option<String>,
    /// The day the cell proposes her.
    pub on: String,
}

/// Body of "record the next stage".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct StageBody {
    /// `candidate`, `awareness_class`, `file_complete`, `cell_resolution`,
    /// `grassroots_resolution`, `decision`, `ceremony` (in this order).
    pub stage: String,
    pub on: String,
    /// `candidate`: the official member of the cell who helps her.
    pub helper: Option<i64>,
    /// `awareness_class`: the certificate's number.
    pub certificate: Option<String>,
    /// `cell_resolution`: one or two official members.
    pub introducers: Option<Vec<i64>>,
    /// `cell_resolution`: the Youth Union's or trade union's resolution, with one introducer.
    pub union_resolution: Option<String>,
    /// `cell_resolution`: the approval for a person over 60.
    pub over_60_approval: Option<String>,
    pub votes_for: Option<u32>,
    pub votes_against: Option<u32>,
    /// `grassroots_resolution`, `decision` (required there): the document.
    pub decision_ref: Option<String>,
    pub decided_on: Option<String>,
    pub decided_by: Option<String>,
    /// `ceremony`: where.
    pub place: Option<String>,
}

fn view_json(v: &CandidateView) -> Value {
    json!({
        "id": v.candidate.id,
        "cell": v.candidate.cell.0,
        "full_name": v.candidate.full_name,
        "birth_date": v.record.birth_date,
        "stage": v.candidate.stage.code(),
        "stage_on": v.candidate.stage_on,
        "next": v.next.map(|s| s.code()),
        "due_by": v.due.map(|(d, _)| d.due_by),
        "due_state": v.due.map(|(_, s)| s.code()),
        "member": v.candidate.member.map(|m| m.0),
        "steps": v.steps.iter().map(|(s, d)| json!({
            "stage": s.stage.code(), "on": s.done_on, "details": d, "recorded_by": s.recorded_by,
        })).collect::<Vec<_>>(),
    })
}

/// The people on the way to admission in an organisation's subtree, with the next stage and
/// its deadline (R7).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/candidates", params(("id" = i64, Path)), responses((status = 200, description = "Phát triển đảng viên"), (status = 404, body = ApiErrorBody)))]
pub async fn list(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.candidates(&me.actor(), OrgId(id)).await?;
    ok(json!({ "org": id, "candidates": v.people.iter().map(view_json).collect::<Vec<_>>() }))
}

/// Proposes a person as quần chúng ưu tú of the cell: the first stage of admission.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/candidates", params(("id" = i64, Path)), request_body = CandidateBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn propose(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let c = add(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": c }))
}

/// One person on the way to admission, with her stages.
#[utoipa::path(get, path = "/api/v1/candidates/{id}", params(("id" = i64, Path)), responses((status = 200, description = "Người được xem xét kết nạp"), (status = 404, body = ApiErrorBody)))]
pub async fn candidate(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.candidate(&me.actor(), id).await?;
    ok(view_json(&v))
}

/// Records her next stage, with its checks (R7); the ceremony makes her a probationary member
/// and answers her member id.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/stages", params(("id" = i64, Path)), request_body = StageBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn stage(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let m = record_step(&me, &state, id, &f).await?;
    created(json!({ "id": id, "member": m.map(|m| m.0) }))
}
