//! Giám sát kê khai tài sản (R33) in the API: a committee's register of a year, and its
//! changes. Only an account granted the register reaches it; anyone else gets the answer of a
//! path that does not exist.

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::accountability as input;
use axum::extract::{Path, Query};
use chrono::Datelike;
use dangvu_app::AppError;
use dangvu_app::assets::AssetItem;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

/// Query of a register.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct YearParams {
    /// The year (default this year).
    pub year: Option<String>,
}

/// Body of "add a cadre to the register".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CadreBody {
    pub full_name: String,
    /// Chức vụ.
    pub position: String,
    pub workplace: Option<String>,
    /// Managed by the committee from this day.
    pub from_date: String,
}

/// Body of "a cadre leaves the register".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EndBody {
    pub on: String,
    pub reason: String,
}

/// Body of "a declaration is due".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DeclarationBody {
    /// `first`, `annual`, `additional`, `personnel`.
    pub declaration_kind: String,
    /// The year of an annual or additional declaration.
    pub year: Option<i32>,
    /// Taking up the post (first) or the expected appointment (personnel).
    pub event_on: Option<String>,
    /// A due day other than the rule's.
    pub due_on: Option<String>,
    pub note: Option<String>,
}

/// Body of "a declaration was received".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReceiptBody {
    pub received_on: String,
    pub receiving_body: Option<String>,
}

/// Body of "a supervision or an inspection begins".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SupervisionBody {
    pub year: i32,
    /// `supervision`, `inspection`.
    pub supervision_kind: String,
    /// `plan`, `complaint`, `sign_of_violation`.
    pub trigger: String,
    pub started_on: String,
}

/// Body of "a supervision concludes".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ConclusionBody {
    /// The change of assets or income found in the year, in đồng.
    pub change_vnd: Option<String>,
    pub findings: String,
    pub follow_up: Option<String>,
    pub concluded_on: String,
}

/// A committee's register of a year: the thresholds in force, the cadres with their
/// declarations and supervisions, the declarations due and overdue. The read is audited.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/asset-register", params(("id" = i64, Path), YearParams), responses((status = 200, description = "Sổ giám sát kê khai tài sản"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn register(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<YearParams>,
) -> ApiResult {
    let a = me.actor();
    state
        .app
        .asset_scope(&a, AssetItem::Register(OrgId(id)))
        .await?;
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => state.app.clock.today().year(),
        Some(y) => y
            .parse()
            .map_err(|_| AppError::from(dangvu_domain::FieldError::new("year", "invalid")))?,
    };
    let r = state.app.asset_register(&a, OrgId(id), year).await?;
    let declaration = |l: &dangvu_app::assets::DeclarationLine| {
        let d = &l.declaration;
        json!({
            "id": d.id, "cadre": d.cadre, "kind": d.kind.code(), "year": d.year,
            "due_on": d.due_on, "received_on": d.received_on,
            "receiving_body": d.receiving_body, "note": d.note, "state": l.state.code(),
        })
    };
    ok(json!({
        "committee": id,
        "year": r.year,
        "thresholds": {
            "on": r.thresholds_on, "item_vnd": r.thresholds.item_vnd,
            "change_vnd": r.thresholds.change_vnd, "basis": r.thresholds.basis,
        },
        "overdue": r.overdue(),
        "due": r.due.iter().map(|(_, l)| declaration(l)).collect::<Vec<_>>(),
        "cadres": r.cadres.iter().map(|l| {
            let c = &l.cadre;
            json!({
                "id": c.id, "full_name": c.full_name, "position": c.position,
                "workplace": c.workplace, "from_date": c.from_date, "to_date": c.to_date,
                "declarations": l.declarations.iter().map(declaration).collect::<Vec<_>>(),
                "supervisions": l.supervisions.iter().map(|s| {
                    let v = &s.supervision;
                    json!({
                        "id": v.id, "year": v.year, "kind": v.kind.code(),
                        "trigger": v.trigger.code(), "started_on": v.started_on,
                        "change_vnd": v.change_vnd, "findings": v.findings,
                        "follow_up": v.follow_up, "concluded_on": v.concluded_on,
                        "additional_required": s.additional_required,
                    })
                }).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    }))
}

/// Adds a cadre to the committee's register.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/asset-cadres", params(("id" = i64, Path)), request_body = CadreBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn add_cadre(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let c = input::add_cadre(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": c }))
}

/// Ends a cadre's place in the register from a day.
#[utoipa::path(post, path = "/api/v1/asset-cadres/{id}/end", params(("id" = i64, Path)), request_body = EndBody, responses((status = 200, description = "Đã ghi"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn end_cadre(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    input::end_cadre(&me, &state, id, &f).await?;
    ok(json!({ "id": id }))
}

/// Records a declaration the cadre must make, due on the rule's day for its kind or the day
/// given.
#[utoipa::path(post, path = "/api/v1/asset-cadres/{id}/declarations", params(("id" = i64, Path)), request_body = DeclarationBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_declaration(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let d = input::add_declaration(&me, &state, id, &f).await?;
    created(json!({ "id": d }))
}

/// Records the day a declaration was received.
#[utoipa::path(post, path = "/api/v1/asset-declarations/{id}/receipt", params(("id" = i64, Path)), request_body = ReceiptBody, responses((status = 200, description = "Đã ghi nhận; state: on_time hoặc late"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn receive(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let s = input::receive_declaration(&me, &state, id, &f).await?;
    ok(json!({ "id": id, "state": s.code() }))
}

/// Opens a supervision or an inspection of the cadre's declarations of a year.
#[utoipa::path(post, path = "/api/v1/asset-cadres/{id}/supervisions", params(("id" = i64, Path)), request_body = SupervisionBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn add_supervision(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let s = input::add_supervision(&me, &state, id, &f).await?;
    created(json!({ "id": s }))
}

/// Concludes a supervision or an inspection.
#[utoipa::path(post, path = "/api/v1/asset-supervisions/{id}/conclusion", params(("id" = i64, Path)), request_body = ConclusionBody, responses((status = 200, description = "Đã ghi kết luận"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn conclude(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    input::conclude_supervision(&me, &state, id, &f).await?;
    ok(json!({ "id": id }))
}
