//! The API's meetings: record, read, adopt, correct, score, a cell's year, the meetings report
//! and assignments.

use crate::AppState;
use crate::api::ApiResult;
use crate::extract::{Cx, JsonObject};
use crate::html::meeting_report::ReportQuery;
use crate::html::meeting_report::assign_from;
use crate::html::meeting_report::period;
use crate::html::meeting_report::xlsx_of;
use crate::html::meetings::YearQuery;
use crate::html::minutes::apply_change;
use crate::input::Fields;
use crate::input::invalid;
use crate::input::meeting::json_extras;
use crate::input::meeting::json_seats;
use crate::input::meeting::meeting_input;
use crate::input::meeting::meeting_json;
use crate::input::meeting::score_fields;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{Datelike, NaiveDate};
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// One member's line of the attendance.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SeatBody {
    pub member: i64,
    /// `present`, `absent_excused`, `absent_unexcused`, `exempt`, `attached`.
    pub attendance: String,
    /// The reason of an absence (required when excused).
    pub reason: Option<String>,
    pub dues_paid: Option<bool>,
}

/// A task given to a member at the meeting.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TaskBody {
    pub member: i64,
    pub task: String,
}

/// Body of "record a meeting" (R16–R19).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct MeetingBody {
    /// The cell (or committee) that met.
    pub org: i64,
    /// `regular`, `thematic`, `combined`, `extraordinary`, `assembly`.
    pub kind: String,
    pub held_on: String,
    /// HH:MM.
    pub starts_at: Option<String>,
    /// HH:MM.
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub chair: Option<i64>,
    pub minute_taker: Option<i64>,
    pub superior_guests: Option<String>,
    pub topic: Option<String>,
    /// Every member on the rolls that day.
    pub attendance: Vec<SeatBody>,
    pub resolution: Option<String>,
    pub votes_yes: Option<u32>,
    pub votes_no: Option<u32>,
    pub votes_abstain: Option<u32>,
    /// Members of the committee above who attended.
    pub guests: Option<Vec<i64>>,
    /// Programme items discussed.
    pub items: Option<Vec<i64>>,
    pub tasks: Option<Vec<TaskBody>>,
    /// Criterion code → points (the scoring template of the meeting's date).
    pub scores: Option<std::collections::BTreeMap<String, u32>>,
}

/// Body of "correct adopted minutes" (R15): one field, its new value and the reason.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct MeetingChangeBody {
    /// `attendance`, `topic`, `resolution`, `place`, …
    pub field: String,
    /// The new value (for `attendance`, see `member`, `attendance`, `absence`, `dues_paid`).
    pub value: Option<String>,
    pub member: Option<i64>,
    pub attendance: Option<String>,
    pub absence: Option<String>,
    pub dues_paid: Option<bool>,
    pub reason: String,
    pub decision_ref: Option<String>,
    /// The day the decision was signed.
    pub decided_on: Option<String>,
    /// The body that issued it.
    pub decided_by: Option<String>,
}

/// Body of "score a meeting".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScoreBody {
    /// Criterion code → points.
    pub scores: std::collections::BTreeMap<String, u32>,
}

/// Body of "assign a member of the committee above to follow a cell".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AssignBody {
    pub cell: i64,
    pub member: i64,
    pub from: String,
}

/// Records a meeting: `org`, `kind` (regular, thematic, combined, extraordinary, assembly),
/// `held_on`, `starts_at`/`ends_at` (HH:MM), `place`, `chair`, `minute_taker`,
/// `superior_guests`, `topic`, `attendance` (every member on the rolls:
/// `{member, attendance, reason, dues_paid}`: each `dues_paid` records the month in the dues
/// ledger, and the meeting's `dues_collected` is the sum), `resolution`, `votes_yes`/`votes_no`/`votes_abstain`.
#[utoipa::path(post, path = "/api/v1/meetings", request_body = MeetingBody, responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_record(Cx(me, state): Cx, JsonObject(body): JsonObject) -> ApiResult {
    let mut f = Fields::from_json(&body);
    json_extras(&body, &mut f);
    let org = crate::input::org_ref(&f, "org").map_err(|e| invalid(vec![e]))?;
    let m = meeting_input(&f, org, json_seats(&body)?)?;
    let (id, flags) = state.app.record_meeting(&me.actor(), m).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "flags": flags}))).into_response())
}

/// A meeting with its attendance, quorum, vote and flags.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_meeting(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.meeting(&me.actor(), id).await?;
    Ok(Json(meeting_json(&v)).into_response())
}

/// Adopts the minutes; they are locked afterwards.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/adopt", params(("id" = i64, Path)), responses((status = 200), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_adopt(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    state.app.adopt_meeting(&me.actor(), id).await?;
    Ok(Json(json!({"ok": true})).into_response())
}

/// An organisation's meetings of a year (`?nam=`), the months and quarters missing (R16).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_org_meetings(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    let a = me.actor();
    let today = state.app.clock.today();
    let year = q.nam.unwrap_or_else(|| today.year());
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today);
    let ms = state.app.meetings_of(&a, OrgId(id), from, to).await?;
    let due = state.app.meetings_due(&a, OrgId(id), from, to).await?;
    Ok(Json(json!({
        "org": id, "year": year,
        "meetings": ms.iter().map(|m| json!({"id": m.id, "kind": m.kind.code(), "held_on": m.held_on, "starts_at": m.starts_at, "ends_at": m.ends_at, "status": m.status})).collect::<Vec<_>>(),
        "due": due,
    }))
    .into_response())
}

/// Changes recorded minutes: before adoption an edit, after it a correction that needs
/// `reason` (and may cite `decision_ref`). Body: `field` (`resolution`, `place`, `topic`,
/// `superior_guests`, `starts_at`, `ends_at`, `attendance`), `value`; for
/// `attendance`: `member`, `attendance`, `absence`, `dues_paid`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/corrections", params(("id" = i64, Path)), request_body = MeetingChangeBody, responses((status = 200), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_change(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    apply_change(&me, &state, id, &f).await?;
    let v = state.app.meeting(&me.actor(), id).await?;
    Ok(Json(crate::input::meeting::meeting_json(&v)).into_response())
}

/// Scores a meeting under the template of its date: `scores: {criterion: points}`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/score", params(("id" = i64, Path)), request_body = ScoreBody, responses((status = 200), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_score(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    let mut f = Fields::default();
    json_extras(&body, &mut f);
    let points = score_fields(&f).map_err(|e| invalid(vec![e]))?;
    let s = state.app.score_meeting(&me.actor(), id, &points).await?;
    Ok(Json(json!(s)).into_response())
}

/// The scoring templates (data): criteria with their maxima, bands.
#[utoipa::path(get, path = "/api/v1/scoring-templates", responses((status = 200), (status = 401, body = crate::error::ApiErrorBody)))]
pub async fn api_templates(State(state): State<AppState>) -> ApiResult {
    let t = state.app.scoring_templates().await?;
    Ok(Json(json!(t)).into_response())
}

/// Assigns a superior committee member to attend a cell's meetings: `cell`, `member`, `from`.
#[utoipa::path(post, path = "/api/v1/meetings/assignments", request_body = AssignBody, responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_assign(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let id = assign_from(&me, &state, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// The meetings report of an organisation's subtree for a period (`tu`, `den`).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings/report", params(("id" = i64, Path), ReportQuery), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_report(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult {
    let (from, to) = period(&state, &q)?;
    let r = state
        .app
        .meetings_report(&me.actor(), OrgId(id), from, to)
        .await?;
    Ok(Json(json!(r)).into_response())
}

/// The same as an Excel workbook.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings/report.xlsx", params(("id" = i64, Path), ReportQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_report_xlsx(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult {
    Ok(xlsx_of(&me, &state, OrgId(id), &q).await?)
}
