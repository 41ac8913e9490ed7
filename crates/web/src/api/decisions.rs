//! Sổ quyết định in the API: a committee's register of a year, and issuing a decision.

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::decisions::issue;
use axum::extract::{Path, Query};
use chrono::Datelike;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

/// Query of a register.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct RegisterParams {
    /// The year (default this year).
    pub year: Option<i32>,
}

/// Body of "issue a decision".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// `admission`, `official`, `transfer`, `discipline`, `exemption`, `removal`,
    /// `appointment`, `review`, `other`.
    pub decision_kind: String,
    pub signed_on: String,
    /// Trích yếu: what it decides.
    pub summary: String,
    /// The member it is about.
    pub member: Option<i64>,
    pub signer: Option<String>,
    /// The issuing body's abbreviation when not the usual one of its kind (ĐU, TU, …).
    pub abbreviation: Option<String>,
}

/// A committee's decisions of a year, by number (45-QĐ/ĐU …).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/decisions", params(("id" = i64, Path), RegisterParams), responses((status = 200, description = "Sổ quyết định"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn register(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<RegisterParams>,
) -> ApiResult {
    let year = q.year.unwrap_or_else(|| state.app.clock.today().year());
    let v = state
        .app
        .decision_register(&me.actor(), OrgId(id), year)
        .await?;
    ok(json!({
        "org": id,
        "year": year,
        "decisions": v.decisions.iter().map(|d| json!({
            "id": d.id, "number": d.reference(), "seq": d.number, "kind": d.kind.code(),
            "signed_on": d.signed_on, "summary": d.subject, "member": d.member.map(|m| m.0),
            "signer": d.signer, "recorded_by": d.recorded_by,
        })).collect::<Vec<_>>(),
    }))
}

/// Issues a decision of the committee: it takes the next number of the year it is signed in.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/decisions", params(("id" = i64, Path)), request_body = DecisionBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn issue_decision(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let d = issue(&me, &state, OrgId(id), &f).await?;
    created(json!({
        "id": d.id, "number": d.decision.reference, "seq": d.number,
        "signed_on": d.decision.date, "issued_by": d.decision.body,
    }))
}
