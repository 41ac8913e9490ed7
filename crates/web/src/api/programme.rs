//! The API's term programme: items and pushes.

use crate::api::ApiResult;
use crate::extract::Cx;
use crate::html::programme::add_item_from;
use crate::html::programme::push_from;
use crate::input::Fields;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// Body of "add a programme item" and "push an item to the cells below" (R17).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ItemBody {
    /// MM/YYYY.
    pub month: String,
    /// The catalogue kind of the item (`political_study`, `thematic`, …).
    pub item_kind: String,
    pub title: String,
    /// The document the item comes from.
    pub reference: Option<String>,
}

/// Pushes an item to every cell below (`month` "mm/yyyy", `item_kind`, `title`, `reference`).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/programme/pushes", params(("id" = i64, Path)), request_body = ItemBody, responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_push(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let (push, cells) = push_from(&me, &state, OrgId(id), &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": push, "cells": cells})),
    )
        .into_response())
}

/// A push and each cell's state: not scheduled, scheduled, held.
#[utoipa::path(get, path = "/api/v1/programme/pushes/{id}", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_push_status(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let (p, cells) = state.app.push_status(&me.actor(), id).await?;
    Ok(Json(json!({
        "id": p.id, "org": p.org.0, "month": p.month, "kind": p.kind.code(), "title": p.title, "reference": p.reference,
        "cells": cells.iter().map(|(o, n, s)| json!({"org": o.0, "name": n, "state": s})).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// Adds an item to an organisation's programme (`month` "mm/yyyy", `item_kind`, `title`,
/// `reference`).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/programme", params(("id" = i64, Path)), request_body = ItemBody, responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_add_item(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let item = add_item_from(&me, &state, OrgId(id), &f).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": item}))).into_response())
}
