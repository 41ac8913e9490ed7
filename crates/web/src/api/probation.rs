//! Probationary members in the API (R8).

use crate::api::{ApiResult, AsOf, ok, on_date};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use axum::extract::{Path, Query};
use dangvu_domain::ids::OrgId;
use serde_json::json;

/// The probationary members of an organisation's subtree on a day: admission, the day each
/// becomes eligible for official membership (12 months, R8), the last day of the cell's
/// consideration (30 working days after) and its state (`not_yet`, `due`, `overdue`).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/probations", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Đảng viên dự bị"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn probations(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let lines = state.app.probations(&me.actor(), OrgId(id), on).await?;
    ok(json!({
        "org": id,
        "on": on,
        "members": lines.iter().map(|l| json!({
            "member": l.member.0, "name": l.name, "cell": l.cell.0, "cell_name": l.cell_name,
            "admitted_on": l.admitted_on, "eligible_on": l.eligible_on, "due_by": l.due_by,
            "state": l.state.code(),
        })).collect::<Vec<_>>(),
    }))
}
