//! The API's administration and audit calls.

use crate::api::ApiResult;
use crate::error::ApiError;
use crate::extract::Cx;
use crate::html::admin::create_user_from;
use crate::html::admin::grant_from;
use crate::html::trail::TrailQuery;
use crate::html::trail::filter_of;
use crate::input::Fields;
use axum::Json;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangvu_domain::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// Body of "create an account".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewUserBody {
    pub username: String,
    pub display_name: String,
    /// At least 10 characters, not a common password.
    pub password: String,
    /// The member record the account belongs to (for the member role).
    pub member: Option<i64>,
}

/// Body of "grant a role".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GrantBody {
    pub user: i64,
    /// `admin`, `officer`, `secretary`, `member`.
    pub role: String,
    /// The organisation whose subtree the role covers (none for the administrator).
    pub org: Option<i64>,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub decision_ref: Option<String>,
}

/// The audit trail within the caller's scope, newest first (100 a page).
#[utoipa::path(get, path = "/api/v1/audit", params(TrailQuery), responses((status = 200), (status = 403, body = crate::error::ApiErrorBody)))]
pub async fn api_trail(Cx(me, state): Cx, Query(q): Query<TrailQuery>) -> ApiResult {
    let filter = filter_of(&q).map_err(|e| ApiError::from(DomainError::from(e)))?;
    let rows = state.app.audit_trail(&me.actor(), &filter).await?;
    let items: Vec<_> = rows
        .iter()
        .map(|r| {
            let e = &r.entry;
            json!({
                "seq": r.seq, "at": e.at, "actor": e.actor, "address": e.address,
                "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "org_id": e.org_id,
                "old_value": e.old_value, "new_value": e.new_value, "reason": e.reason,
                "decision_ref": e.decision_ref, "hash": r.hash,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })).into_response())
}

/// Creates an account (administrator).
#[utoipa::path(post, path = "/api/v1/users", request_body = NewUserBody, responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 403, body = crate::error::ApiErrorBody)))]
pub async fn api_create_user(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let id = create_user_from(&me, &state, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// Grants a role on a scope (administrator). Body: user, role, org, valid_from, valid_to, decision_ref.
#[utoipa::path(post, path = "/api/v1/grants", request_body = GrantBody, responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 403, body = crate::error::ApiErrorBody)))]
pub async fn api_grant(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let id = grant_from(&me, &state, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}
