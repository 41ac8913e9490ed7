//! Chuyển sinh hoạt đảng in the API (R10).

use crate::api::{ApiResult, AsOf, created, ok, on_date};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::transfers::{accept, end, give_back, send};
use axum::extract::{Path, Query};
use dangvu_app::transfers::{Side, TransferLine};
use dangvu_domain::ids::{MemberId, OrgId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Body of "issue a transfer letter".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SendBody {
    /// `official` (chuyển sinh hoạt chính thức) or `temporary` (sinh hoạt tạm thời).
    pub transfer_kind: String,
    /// The letter's date: the day she leaves her cell (dd/mm/yyyy or YYYY-MM-DD).
    pub on: String,
    /// The receiving organisation in this system (for `temporary`, the host cell) …
    pub destination_org: Option<i64>,
    /// … or the receiving committee's name outside it (up to 200 characters).
    pub destination: Option<String>,
    /// `new_job`, `retired`, `moved_home`, `left_job`, `demobilised`, `study`, `other`.
    pub transfer_reason: String,
    /// Đã đóng đảng phí hết tháng: `mm/yyyy`; none takes it from the member's dues ledger.
    pub dues_paid_to: Option<String>,
    /// The day of the decision that caused the transfer (60 working days run from it).
    pub trigger_on: Option<String>,
    /// `temporary`: the planned return (3 months to 1 year after `on`; study: 2 years).
    pub planned_return: Option<String>,
    /// The letter's number; none takes the next in the issuing committee's register.
    pub letter_number: Option<String>,
    pub note: Option<String>,
}

/// Body of "accept a transfer".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AcceptBody {
    /// The receiving cell; default the organisation the letter names.
    pub org: Option<i64>,
    pub on: String,
}

/// Body of "return a transfer's letter".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ReturnBody {
    pub on: String,
    pub reason: String,
}

/// Body of "record the return from a temporary stay".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EndBody {
    pub on: String,
}

fn line_json(l: &TransferLine) -> Value {
    let t = &l.transfer;
    json!({
        "id": t.id,
        "member": t.member.0,
        "member_name": l.member_name,
        "kind": t.kind.code(),
        "reason": t.reason.map(|r| r.code()),
        "side": match l.side { Side::Sending => "sending", Side::Receiving => "receiving", Side::Within => "within" },
        "from_org": t.from_org.map(|o| o.0),
        "from_name": l.from_name,
        "to_org": t.to_org.map(|o| o.0),
        "to_name": l.to_name,
        "letter_number": t.letter_number,
        "sent_on": t.sent_on,
        "trigger_on": t.trigger_on,
        "dues_paid_to": t.dues_paid_to.map(dangvu_domain::transfer::month_vn),
        "planned_return": t.planned_return,
        "status": t.status.code(),
        "present_by": l.clock.presentation.map(|d| d.due_by),
        "send_by": l.clock.sending.map(|d| d.due_by),
        "sent_late": l.clock.sent_late,
        "due_state": l.clock.state.map(|s| s.code()),
        "incomplete": l.incomplete,
        "closed_on": t.closed_on,
        "accepted_cell": t.closed_cell.map(|o| o.0),
        "close_reason": t.close_reason,
    })
}

/// The transfers that leave or reach an organisation's subtree: the open ones (`pending`: đang
/// chuyển, waiting for the receiving side; `away`: a temporary stay), each with its deadline and
/// `due_state` (`overdue` past the 30 working days to present the letter, or past a temporary
/// stay's planned return), then those sent or closed since the start of the year.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/transfers", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Chuyển sinh hoạt đảng"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list(Cx(me, state): Cx, Path(id): Path<i64>, Query(q): Query<AsOf>) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let l = state.app.transfers(&me.actor(), OrgId(id), on).await?;
    ok(json!({
        "org": id,
        "on": on,
        "overdue": l.overdue(),
        "transfers": l.lines.iter().map(line_json).collect::<Vec<_>>(),
    }))
}

/// What is due and overdue in an organisation's subtree today: admission stages and
/// probations (`[due, overdue]`), transfers waiting to be accepted (leaving, reaching,
/// overdue), temporary stays and their overruns (R7, R8, R10).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/due", params(("id" = i64, Path)), responses((status = 200, description = "Việc đến hạn"), (status = 404, body = ApiErrorBody)))]
pub async fn due(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let w = state.app.due_work(&me.actor(), OrgId(id)).await?;
    ok(json!({"org": id, "on": state.app.clock.today(), "due": w}))
}

/// Issues a transfer letter for a member (R10): she leaves her cell on its date; a receiving
/// organisation of this system then sees her as `pending` until it accepts or returns her.
#[utoipa::path(post, path = "/api/v1/members/{id}/transfers", params(("id" = i64, Path)), request_body = SendBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn send_letter(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let t = send(&me, &state, MemberId(id), &f).await?;
    created(json!({"id": t}))
}

/// One transfer, as either side sees it.
#[utoipa::path(get, path = "/api/v1/transfers/{id}", params(("id" = i64, Path)), responses((status = 200, description = "Chuyển sinh hoạt đảng"), (status = 404, body = ApiErrorBody)))]
pub async fn transfer(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let l = state.app.transfer(&me.actor(), id).await?;
    ok(line_json(&l))
}

/// The receiving side accepts a pending transfer: she arrives in the cell on the day.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/accept", params(("id" = i64, Path)), request_body = AcceptBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn accept_transfer(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let e = accept(&me, &state, id, &f).await?;
    created(json!({"id": id, "event": e.0}))
}

/// The receiving side returns a pending transfer's letter, with its reason: she is back in
/// her cell as if she had not left.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/return", params(("id" = i64, Path)), request_body = ReturnBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn return_transfer(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    give_back(&me, &state, id, &f).await?;
    ok(json!({"id": id, "status": "returned"}))
}

/// The home side records the member's return from a temporary stay.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/end", params(("id" = i64, Path)), request_body = EndBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn end_transfer(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let e = end(&me, &state, id, &f).await?;
    created(json!({"id": id, "event": e.0}))
}
