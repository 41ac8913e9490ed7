//! The API's member register: search, a member's record, new members, events, corrections,
//! cards.

use crate::AppState;
use crate::api::ApiResult;
use crate::api::AsOf;
use crate::api::Created;
use crate::api::ListParams;
use crate::api::created;
use crate::api::ok;
use crate::api::on_date;
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::Cx;
use crate::input::members as ops;
use crate::input::{self, Fields};
use crate::session::CurrentActor;
use axum::extract::{Path, Query};
use dangvu_domain::ids::{MemberId, OrgId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// Body of "add a member": the record (R5) and the admission.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewMemberBody {
    pub full_name: String,
    /// `male` or `female`.
    pub sex: String,
    pub birth_date: String,
    pub ethnicity: String,
    pub birth_name: Option<String>,
    pub aliases: Option<String>,
    pub birth_place: Option<String>,
    pub home_town: Option<String>,
    pub residence: Option<String>,
    pub religion: Option<String>,
    /// 12 digits.
    pub cccd: Option<String>,
    pub education: Option<String>,
    pub political_theory: Option<String>,
    pub professional: Option<String>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    /// 6 digits and a 1–3 letter province code.
    pub history_number: Option<String>,
    pub army: Option<bool>,
    pub police: Option<bool>,
    pub retired: Option<bool>,
    pub cell: i64,
    pub admitted_on: String,
    pub joined_on: Option<String>,
    pub official: Option<bool>,
    pub decision_ref: Option<String>,
    pub card_number: Option<String>,
    /// `ct29_2003` (8 digits) or `ct51_2025`.
    pub generation: Option<String>,
    pub issued_on: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventBody {
    /// `readmitted`, `made_official`, `transferred_in`, `moved_cell`, `transferred_out`, `temporary_out`, `temporary_return`, `exempted`, `exemption_ended`, `suspended`, `suspension_lifted`, `disciplined`, `removed_from_rolls`, `resigned`, `died`.
    pub kind: String,
    /// Effective date; for `made_official` it may be omitted (12 months after admission, R8).
    pub on: Option<String>,
    /// The cell, for `moved_cell`, `transferred_in`, `readmitted`; for `transferred_out` the
    /// receiving organisation of this system (the only one that can then receive her), for
    /// `temporary_out` the cell she is attached to.
    pub org: Option<i64>,
    /// `khien_trach`, `canh_cao`, `cach_chuc`, `khai_tru` (R12).
    pub discipline: Option<String>,
    pub decision_ref: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    pub note: Option<String>,
    /// For `transferred_out` and `temporary_out`: the receiving organisation outside this
    /// system, by name (up to 200 characters).
    pub destination: Option<String>,
    /// `admitted`, `readmitted`, `made_official`, `exempted`, `suspended`, `disciplined`,
    /// `removed_from_rolls` and `resigned` take effect by a decision: `decision_ref`,
    /// `decided_on` and `decided_by` are required unless `old_file` is true (an old, incomplete
    /// file; the event is then shown as lacking its decision).
    pub old_file: Option<bool>,
    /// Number the decision now in this committee's register (sổ quyết định): it takes the
    /// committee's next number of the year of `decided_on` (or `on`), and the event carries
    /// it (reference, date, the committee as its body).
    pub register: Option<i64>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CorrectionBody {
    /// A record field (`full_name`, `cccd`, `birth_date`, …).
    pub field: String,
    pub value: String,
    pub reason: String,
    pub decision_ref: Option<String>,
    /// The day the decision was signed.
    pub decided_on: Option<String>,
    /// The body that issued it.
    pub decided_by: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CardBody {
    pub card_number: String,
    pub generation: Option<String>,
    pub issued_on: String,
}

/// Adds a member: record, admission and (optionally) official membership and card.
#[utoipa::path(post, path = "/api/v1/members", request_body = NewMemberBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_member(Cx(me, state): Cx, f: Fields) -> ApiResult {
    let id = state
        .app
        .create_member(&me.actor(), input::new_member(&f)?)
        .await?;
    created(json!({"id": id.0}))
}

/// A member on a date: record, derived status and seniority, timeline, cards, corrections.
#[utoipa::path(get, path = "/api/v1/members/{id}", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Đảng viên"), (status = 404, body = ApiErrorBody)))]
pub async fn member(Cx(me, state): Cx, Path(id): Path<i64>, Query(q): Query<AsOf>) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let v = state.app.member(&me.actor(), MemberId(id), on).await?;
    let events: Vec<Value> = v
        .events
        .iter()
        .map(|e| json!({"id": e.id, "kind": e.event.kind, "on": e.event.on, "org": e.event.org, "discipline": e.event.discipline, "decision_ref": e.decision_ref, "decided_by": e.decided_by, "decided_on": e.decided_on, "note": e.note, "destination": e.destination, "decision_complete": !e.decision_missing(), "recorded_at": e.recorded_at}))
        .collect();
    ok(json!({
        "id": v.id, "on": v.on, "record": v.record, "record_names": record_names(&v.record), "status": v.state.status, "official": v.state.official,
        "cell": v.state.cell, "admitted_on": v.state.admitted_on, "official_on": v.state.official_on,
        "seniority_months": v.seniority_months, "events": events, "cards": v.cards, "corrections": v.corrections,
        "positions": v.positions,
        "flags": v.flags.iter().map(|f| json!({"rule": f.rule, "code": f.code, "year": f.year})).collect::<Vec<_>>(),
    }))
}

/// Records an event in the member's timeline (R6, R8, R10, R12).
#[utoipa::path(post, path = "/api/v1/members/{id}/events", params(("id" = i64, Path)), request_body = EventBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn record_event(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let eid = state
        .app
        .record_event(&me.actor(), MemberId(id), input::new_event(&f)?)
        .await?;
    created(json!({"id": eid.0}))
}

/// Body of "cancel or replace an event" (R15): the event, the reason and the decision; with
/// `kind` (and the other fields of recording an event) the event that takes its place.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventCorrectionBody {
    /// The event to cancel or replace (an event of this member in force).
    pub event: i64,
    pub reason: String,
    pub decision_ref: String,
    pub decided_on: String,
    pub decided_by: String,
    /// The replacing event's kind; none to cancel.
    pub kind: Option<String>,
    pub on: Option<String>,
    pub org: Option<i64>,
    pub discipline: Option<String>,
    pub note: Option<String>,
    pub destination: Option<String>,
}

/// Cancels an event recorded by mistake, or replaces it with the right one (R15): the event
/// stays in the register, voided, with the reason and the decision; the member's state and
/// every count follow.
#[utoipa::path(post, path = "/api/v1/members/{id}/event-corrections", params(("id" = i64, Path)), request_body = EventCorrectionBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn correct_event(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let replacement = ops::correct_event(&me, &state, MemberId(id), &f).await?;
    created(json!({"member": id, "replacement": replacement.map(|e| e.0)}))
}

/// Corrects one record field, keeping the old value and the reason (R15).
#[utoipa::path(post, path = "/api/v1/members/{id}/corrections", params(("id" = i64, Path)), request_body = CorrectionBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn correct(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    ops::correct(&me, &state, MemberId(id), &f).await?;
    ok(json!({"id": id}))
}

/// Body of "put a member under education and help" (R11).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EducationBody {
    /// The day it starts.
    pub on: String,
    /// The cell's reason (up to 500 characters).
    pub reason: String,
}

/// Body of "conclude a period of education".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EducationEndBody {
    pub on: String,
    /// `progressed` or `no_progress`.
    pub outcome: String,
}

/// A member's periods of education and help (R11); after 12 months without progress her
/// record carries the flag `education_no_progress`.
#[utoipa::path(get, path = "/api/v1/members/{id}/education", params(("id" = i64, Path)), responses((status = 200, description = "Giáo dục, giúp đỡ"), (status = 404, body = ApiErrorBody)))]
pub async fn education(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.education_of(&me.actor(), MemberId(id)).await?;
    ok(json!({
        "member": id,
        "education": v.iter().map(|c| json!({
            "id": c.id, "started_on": c.case.started_on, "reason": c.reason,
            "ended_on": c.case.ended.map(|(d, _)| d),
            "outcome": c.case.ended.map(|(_, o)| o.code()),
        })).collect::<Vec<_>>(),
    }))
}

/// Puts a member under education and help from a day, with the cell's reason (R11).
#[utoipa::path(post, path = "/api/v1/members/{id}/education", params(("id" = i64, Path)), request_body = EducationBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn start_education(Cx(me, state): Cx, Path(id): Path<i64>, mut f: Fields) -> ApiResult {
    f.0.remove("education");
    ops::education(&me, &state, MemberId(id), &f).await?;
    created(json!({"member": id}))
}

/// Concludes a member's open period of education: `progressed` or `no_progress`.
#[utoipa::path(post, path = "/api/v1/members/{id}/education/{case}", params(("id" = i64, Path), ("case" = i64, Path)), request_body = EducationEndBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn end_education(
    Cx(me, state): Cx,
    Path((id, case)): Path<(i64, i64)>,
    mut f: Fields,
) -> ApiResult {
    f.0.insert("education".into(), vec![case.to_string()]);
    ops::education(&me, &state, MemberId(id), &f).await?;
    ok(json!({"member": id, "education": case}))
}

/// Issues a card to an official member.
#[utoipa::path(post, path = "/api/v1/members/{id}/cards", params(("id" = i64, Path)), request_body = CardBody, responses((status = 201), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_card(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    ops::add_card(&me, &state, MemberId(id), &f).await?;
    created(json!({"id": id}))
}

/// Query of the member search.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct SearchParams {
    /// Words of a name, with or without diacritics (at most 6 words, 100 characters).
    pub q: Option<String>,
    /// The organisation whose subtree is searched (default: the top of the actor's scope).
    pub org: Option<i64>,
    /// The date the rolls are read as of (YYYY-MM-DD or dd/mm/yyyy); default today.
    pub on: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page (1–500, default 50).
    pub per_page: Option<i64>,
}

/// One page of the members on the rolls of a subtree, in Vietnamese name order.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentActor,
    org: OrgId,
    q: &ListParams,
) -> ApiResult {
    let on = on_date(state, &q.on)?;
    let l = state
        .app
        .list_members(
            &me.actor(),
            org,
            on,
            q.q.clone(),
            q.page.unwrap_or(1),
            q.per_page.unwrap_or(50),
        )
        .await?;
    let pages = l.pages();
    ok(
        json!({"org": l.org, "on": l.on, "search": l.search, "total": l.total, "page": l.page, "per_page": l.per_page, "pages": pages, "items": l.items}),
    )
}

/// Finds members by name (with or without diacritics) on the rolls of a subtree on a date, in
/// Vietnamese name order, paginated; the same search as the page "Tìm đảng viên".
#[utoipa::path(get, path = "/api/v1/members", params(SearchParams), responses((status = 200, description = "Danh sách"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn search(Cx(me, state): Cx, Query(q): Query<SearchParams>) -> ApiResult {
    let params = ListParams {
        on: q.on,
        q: q.q,
        page: q.page,
        per_page: q.per_page,
    };
    let org = match q.org {
        Some(id) => OrgId(id),
        None => {
            let on = on_date(&state, &params.on)?;
            let roots = state.app.roots(&me.actor(), on).await?;
            *roots
                .first()
                .ok_or(ApiError(dangvu_app::AppError::NotFound("org")))?
        }
    };
    list(&state, &me, org, &params).await
}

/// The names of a record's coded fields (the record holds their codes).
fn record_names(r: &dangvu_domain::member::MemberRecord) -> Value {
    let names: serde_json::Map<String, Value> = dangvu_domain::codes::CodedField::ALL
        .into_iter()
        .filter_map(|c| {
            let v = r.field(c.field())?;
            (!v.is_empty()).then(|| (c.field().to_owned(), Value::String(c.name(&v))))
        })
        .collect();
    Value::Object(names)
}
