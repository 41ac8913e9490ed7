//! Quy chế, quy định (R32) in the API: a committee's regulations, one with its versions, a
//! new regulation or revision, and a version's file.

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::html::regulations::{FileQuery, file_response};
use crate::input::Fields;
use crate::input::accountability as input;
use axum::body::Body;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

/// Query of the list.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct SearchParams {
    /// Words of the title or the text, with or without diacritics.
    pub q: Option<String>,
}

/// Body of "issue a regulation" (with its first version) and of "revise" (the version's
/// fields only).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RegulationBody {
    /// `executive_rules`, `standing_rules`, `organisation_cadres`, `finance`, `inspection`,
    /// `other` (a new regulation only).
    pub regulation_kind: Option<String>,
    pub regulation_title: Option<String>,
    pub issuing_body: Option<String>,
    /// Months between reviews (1–60).
    pub review_months: Option<u32>,
    /// Số, ký hiệu: "01-QC/ĐU".
    pub number: String,
    pub signed_on: String,
    /// Default the day signed.
    pub effective_on: Option<String>,
    /// What a revision changed (required for a revision).
    pub changes: Option<String>,
    pub full_text: Option<String>,
    /// `article | task | responsible`, one per entry.
    pub provisions: Option<Vec<String>>,
}

/// A committee's regulations (searched by `q`), each with its version in force and whether its
/// review is due.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/regulations", params(("id" = i64, Path), SearchParams), responses((status = 200, description = "Quy chế, quy định"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<SearchParams>,
) -> ApiResult {
    let a = me.actor();
    state.app.org_scope(&a, OrgId(id))?;
    let r = state
        .app
        .regulations(&a, OrgId(id), q.q.as_deref().unwrap_or_default())
        .await?;
    ok(json!({
        "org": id,
        "regulations": r.lines.iter().map(|l| json!({
            "id": l.regulation.id, "kind": l.regulation.kind.code(), "title": l.regulation.title,
            "issuing_body": l.regulation.issuing_body,
            "current": l.current.as_ref().map(|v| json!({
                "id": v.id, "version": v.version, "number": v.number,
                "effective_on": v.effective_on, "review_due": v.review_due,
            })),
            "review_due": l.review_due,
        })).collect::<Vec<_>>(),
    }))
}

/// Issues a regulation with its first version.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/regulations", params(("id" = i64, Path)), request_body = RegulationBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn issue(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let g = input::issue_regulation(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": g }))
}

/// A regulation with every version and its provisions.
#[utoipa::path(get, path = "/api/v1/regulations/{id}", params(("id" = i64, Path)), responses((status = 200, description = "Quy chế"), (status = 404, body = ApiErrorBody)))]
pub async fn regulation(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let r = state.app.regulation(&me.actor(), id).await?;
    let g = &r.regulation;
    ok(json!({
        "id": g.id, "org": g.committee.0, "kind": g.kind.code(), "title": g.title,
        "issuing_body": g.issuing_body, "review_months": g.review_months,
        "versions": r.versions.iter().map(|(v, p)| json!({
            "id": v.id, "version": v.version, "number": v.number, "signed_on": v.signed_on,
            "effective_on": v.effective_on, "changes": v.changes, "full_text": v.body,
            "review_due": v.review_due,
            "file": v.file.as_ref().map(|(n, k, s)| json!({"name": n, "kind": k.code(), "sha256": s})),
            "provisions": p.iter().map(|p| json!({
                "article": p.article, "task": p.task, "responsible": p.responsible,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
}

/// Issues the next version of a regulation, saying what it changed.
#[utoipa::path(post, path = "/api/v1/regulations/{id}/versions", params(("id" = i64, Path)), request_body = RegulationBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn revise(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let v = input::revise_regulation(&me, &state, id, &f).await?;
    created(json!({ "id": v }))
}

/// Attaches a PDF or DOCX, sent as the body, to a version; answers its SHA-256 checksum.
#[utoipa::path(post, path = "/api/v1/regulation-versions/{id}/file", params(("id" = i64, Path), FileQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, description = "Đã đính kèm; sha256"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 413, body = ApiErrorBody)))]
pub async fn attach(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
    body: Body,
) -> ApiResult {
    let a = me.actor();
    state.app.regulation_version_scope(&a, id).await?;
    let bytes =
        crate::html::import::read_upload(body, dangvu_domain::regulation::FILE_MAX_BYTES).await?;
    let sum = state
        .app
        .attach_regulation_file(&a, id, q.ten.as_deref().unwrap_or_default(), &bytes)
        .await?;
    ok(json!({ "id": id, "sha256": sum }))
}

/// A version's file, checked against its checksum (header `X-Checksum-Sha256`).
#[utoipa::path(get, path = "/api/v1/regulation-versions/{id}/file", params(("id" = i64, Path)), responses((status = 200, description = "Tệp PDF hoặc DOCX"), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn download(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let f = state.app.regulation_file(&me.actor(), id).await?;
    Ok(file_response(f).into_response())
}
