//! The API's organisations: the tree, an organisation, its changes and its members.

use crate::api::ApiResult;
use crate::api::AsOf;
use crate::api::Created;
use crate::api::ListParams;
use crate::api::created;
use crate::api::ok;
use crate::api::on_date;
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::orgs as ops;
use crate::input::{self, Fields};
use axum::extract::{Path, Query};
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// Body of "create an organisation".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewOrgBody {
    pub name: String,
    /// `dang_bo_tinh`, `dang_bo_huyen`, `dang_bo_xa`, `dang_bo_co_so`, `chi_bo_co_so`, `dang_bo_bo_phan`, `chi_bo_truc_thuoc`, `to_dang`, `trung_uong`.
    pub kind: String,
    pub parent: Option<i64>,
    pub founded_on: String,
    pub decision_ref: Option<String>,
}

/// Body of a dated change with a reason.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RenameBody {
    pub name: String,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MoveBody {
    pub parent: i64,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DissolveBody {
    pub on: String,
    /// The cell that receives the members still on the rolls (required when there are any).
    pub members_to: Option<i64>,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MergeBody {
    pub sources: Vec<i64>,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SplitBody {
    pub new_name: String,
    pub members: Vec<i64>,
    pub children: Vec<i64>,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AppointBody {
    /// `bi_thu`, `pho_bi_thu`, `uy_vien_thuong_vu`, `cap_uy_vien`, `chu_nhiem_ubkt`, `pho_chu_nhiem_ubkt`, `uy_vien_ubkt`, `to_truong`.
    pub position: String,
    pub member: i64,
    pub term_label: String,
    pub on: String,
    pub decision_ref: Option<String>,
}

/// The tree on a date, with member counts per organisation subtree.
#[utoipa::path(get, path = "/api/v1/orgs", params(AsOf), responses((status = 200, description = "Cây tổ chức"), (status = 400, body = ApiErrorBody)))]
pub async fn tree(Cx(me, state): Cx, Query(q): Query<AsOf>) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let t = state.app.tree(&me.actor(), on).await?;
    ok(json!(&*t))
}

/// Founds an organisation (R1, R2).
#[utoipa::path(post, path = "/api/v1/orgs", request_body = NewOrgBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_org(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let id = state
        .app
        .create_org(&me.actor(), input::new_org(&f)?)
        .await?;
    created(json!({"id": id.0}))
}

/// An organisation on a date: its period, ancestors, subtree with counts, committee, history.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Tổ chức"), (status = 404, body = ApiErrorBody)))]
pub async fn org(Cx(me, state): Cx, Path(id): Path<i64>, Query(q): Query<AsOf>) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let v = state.app.org(&me.actor(), OrgId(id), on).await?;
    let mut j = json!(v);
    j["warnings"] = json!(v.warnings().iter().map(|w| w.code()).collect::<Vec<_>>());
    ok(j)
}

/// Renames an organisation from a date (R3); the old name stays in its history.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rename", params(("id" = i64, Path)), request_body = RenameBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn rename(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    ops::rename(&me, &state, OrgId(id), &f).await?;
    ok(json!({"id": id}))
}

/// Moves an organisation with its subtree; never creates a cycle.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/move", params(("id" = i64, Path)), request_body = MoveBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn move_org(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    ops::move_under(&me, &state, OrgId(id), &f).await?;
    ok(json!({"id": id}))
}

/// Dissolves an organisation on a date (R4); the members still on its rolls move to `members_to`.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/dissolve", params(("id" = i64, Path)), request_body = DissolveBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn dissolve(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let moved = ops::dissolve(&me, &state, OrgId(id), &f).await?;
    ok(json!({"id": id, "members_moved": moved}))
}

/// Body of "discipline an organisation" (R12).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DisciplineBody {
    /// `khien_trach`, `canh_cao`, `giai_tan`.
    pub discipline: String,
    pub decision_ref: String,
    pub decided_on: String,
    pub decided_by: String,
    pub reason: String,
}

/// The disciplines of an organisation (R12).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/disciplines", params(("id" = i64, Path)), responses((status = 200, description = "Kỷ luật tổ chức"), (status = 404, body = ApiErrorBody)))]
pub async fn disciplines(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.org_disciplines(&me.actor(), OrgId(id)).await?;
    ok(json!({
        "org": id,
        "disciplines": v.iter().map(|d| json!({
            "id": d.id, "form": d.form.code(), "decision_ref": d.decision.reference,
            "decided_on": d.decision.date, "decided_by": d.decision.body, "reason": d.reason,
        })).collect::<Vec<_>>(),
    }))
}

/// Records a discipline of the organisation, decided by its superior (R12); the review of
/// the period reads it (R26: its collective is KHT at best).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/disciplines", params(("id" = i64, Path)), request_body = DisciplineBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn discipline(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let d = ops::discipline(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": d }))
}

/// Merges the `sources` into this organisation on a date (R4): their members and children move here.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/merge", params(("id" = i64, Path)), request_body = MergeBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn merge(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    ops::merge(&me, &state, OrgId(id), &f).await?;
    ok(json!({"id": id}))
}

/// Splits off a new organisation with the given members and children on a date (R4).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/split", params(("id" = i64, Path)), request_body = SplitBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn split(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let new_id = ops::split(&me, &state, OrgId(id), &f).await?;
    created(json!({"id": new_id.0}))
}

/// Records a committee position (R4).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/committee", params(("id" = i64, Path)), request_body = AppointBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn appoint(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let pid = ops::appoint(&me, &state, OrgId(id), &f).await?;
    created(json!({"id": pid}))
}

/// Members on the rolls of the organisation's subtree, in Vietnamese name order, paginated.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/members", params(("id" = i64, Path), ListParams), responses((status = 200, description = "Danh sách"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn members(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ListParams>,
) -> ApiResult {
    super::members::list(&state, &me, OrgId(id), &q).await
}
