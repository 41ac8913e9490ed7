//! Imports in the API (R5): the file is the request's body (any content type), the options are
//! query parameters; the answer is the report, row by row, with Vietnamese messages.

use axum::body::Body;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangvu_app::import::{ImportFile, ImportOptions, ImportReport, WeakMatch};
use dangvu_domain::ids::OrgId;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::api::ApiResult;
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::html::import::{fields_of, parse_mapping, read_upload, run};
use crate::render::import as words;

/// How to import.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ImportParams {
    /// Check and report, write nothing (default false).
    pub dry_run: Option<bool>,
    /// A row matching a member by name and date of birth only: `skip` (default), `same`, `new`.
    pub weak: Option<String>,
    /// The file's name, kept as the source of the corrections it makes.
    pub file_name: Option<String>,
    /// Column overrides: `3:ethnicity,5:` (0-based column, field key; empty ignores it).
    pub map: Option<String>,
}

fn report_json(r: &ImportReport) -> Value {
    json!({
        "file": r.file, "sheet": r.sheet, "dry_run": r.dry_run, "committed": r.committed,
        "total_rows": r.total_rows, "created": r.created, "updated": r.updated,
        "unchanged": r.unchanged, "weak": r.weak, "errors": r.errors,
        "summary": words::summary(r), "verdict": words::verdict(r),
        "columns": r.columns.iter().map(|c| json!({
            "index": c.index, "letters": c.letters(), "header": c.text, "field": c.field.map(|f| f.key()),
        })).collect::<Vec<_>>(),
        "rows": r.rows.iter().map(|o| json!({
            "row": o.row, "name": o.name, "action": o.action, "id": o.id, "changed": o.changed,
            "errors": o.errors.iter().map(|e| json!({
                "row": e.row, "column": e.column, "field": e.field, "code": e.code,
                "message": words::error_text(e),
            })).collect::<Vec<_>>(),
            "notes": o.notes.iter().map(|n| words::note_text(n)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

async fn import(cx: Cx, id: i64, kind: &'static str, q: ImportParams, body: Body) -> ApiResult {
    let Cx(me, state) = cx;
    let fields = fields_of(kind).unwrap_or_default();
    state.app.can_import(&me.actor(), OrgId(id))?;
    let mapping = parse_mapping(q.map.as_deref(), fields)?;
    let weak = match q.weak.as_deref() {
        None => WeakMatch::Skip,
        Some(w) => {
            WeakMatch::from_code(w).ok_or(dangvu_domain::DomainError::rule_on("invalid", "weak"))?
        }
    };
    let bytes = read_upload(body, state.config.import_max_bytes).await?;
    let opts = ImportOptions {
        root: Some(OrgId(id)),
        dry_run: q.dry_run.unwrap_or(false),
        mapping,
        weak,
        max_rows: None,
    };
    let file = ImportFile {
        name: q
            .file_name
            .unwrap_or_else(|| "api".into())
            .chars()
            .take(200)
            .collect(),
        bytes,
    };
    let r = run(&state, &me, kind, file, opts).await?;
    let status = if r.errors > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(report_json(&r))).into_response())
}

/// Imports members from a workbook (.xlsx, .xls) or a UTF-8 CSV file sent as the body into
/// an organisation's subtree: every row checked, matched by CCCD, history number, card
/// number, then name and date of birth; the whole file written in one transaction, or
/// nothing (a dry run, or any row in error: 422 with every row's problems).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/import/members", params(("id" = i64, Path), ImportParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, description = "Báo cáo nhập"), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn members(
    cx: Cx,
    Path(id): Path<i64>,
    Query(q): Query<ImportParams>,
    body: Body,
) -> ApiResult {
    import(cx, id, "members", q, body).await
}

/// Imports organisations (name, kind, parent, founding date) into a subtree, the same way.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/import/orgs", params(("id" = i64, Path), ImportParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, description = "Báo cáo nhập"), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn orgs(
    cx: Cx,
    Path(id): Path<i64>,
    Query(q): Query<ImportParams>,
    body: Body,
) -> ApiResult {
    import(cx, id, "orgs", q, body).await
}
