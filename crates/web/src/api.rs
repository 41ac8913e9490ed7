//! The JSON API, `/api/v1`: everything the pages offer. Bodies are JSON objects whose fields
//! have the same names and rules as the forms'; dates are `YYYY-MM-DD` (or `dd/mm/yyyy`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::CardGeneration;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody};
use crate::input::{self, Fields};

type ApiResult = Result<axum::response::Response, ApiError>;

use crate::session::actor;

/// Query of read calls.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct AsOf {
    /// The date to see things as of (YYYY-MM-DD or dd/mm/yyyy); default today.
    pub on: Option<String>,
}

/// Query of the member list.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct ListParams {
    pub on: Option<String>,
    /// Search in names, with or without diacritics.
    pub q: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page (1–500, default 50).
    pub per_page: Option<i64>,
}

fn on_date(state: &AppState, on: &Option<String>) -> Result<NaiveDate, ApiError> {
    match on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(state.app.clock.today()),
        Some(s) => Ok(parse_date("on", s)?),
    }
}

fn created(v: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

fn ok(v: Value) -> ApiResult {
    Ok(Json(v).into_response())
}

/// Created: the new id.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Body of "create an organisation".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NewOrgBody {
    pub name: String,
    /// `dang_bo_tinh`, `dang_bo_huyen`, `dang_bo_xa`, `dang_bo_co_so`, `chi_bo_co_so`, `dang_bo_bo_phan`, `chi_bo_truc_thuoc`, `to_dang`, `trung_uong`.
    pub kind: String,
    pub parent: Option<i64>,
    pub founded_on: String,
    pub decision_ref: Option<String>,
}

/// Body of a dated change with a reason.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RenameBody {
    pub name: String,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MoveBody {
    pub parent: i64,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DissolveBody {
    pub on: String,
    /// The cell that receives the members still on the rolls (required when there are any).
    pub members_to: Option<i64>,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MergeBody {
    pub sources: Vec<i64>,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SplitBody {
    pub new_name: String,
    pub members: Vec<i64>,
    pub children: Vec<i64>,
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AppointBody {
    /// `bi_thu`, `pho_bi_thu`, `uy_vien_thuong_vu`, `cap_uy_vien`, `chu_nhiem_ubkt`, `pho_chu_nhiem_ubkt`, `uy_vien_ubkt`, `to_truong`.
    pub position: String,
    pub member: i64,
    pub term_label: String,
    pub on: String,
    pub decision_ref: Option<String>,
}

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
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CorrectionBody {
    /// A record field (`full_name`, `cccd`, `birth_date`, …).
    pub field: String,
    pub value: String,
    pub reason: String,
    pub decision_ref: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CardBody {
    pub card_number: String,
    pub generation: Option<String>,
    pub issued_on: String,
}

/// The tree on a date, with member counts per organisation subtree.
#[utoipa::path(get, path = "/api/v1/orgs", params(AsOf), responses((status = 200, description = "Cây tổ chức"), (status = 400, body = ApiErrorBody)))]
pub async fn tree(State(state): State<AppState>, Query(q): Query<AsOf>) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let t = state.app.tree(&actor(), on).await?;
    ok(json!(&*t))
}

/// Founds an organisation (R1, R2).
#[utoipa::path(post, path = "/api/v1/orgs", request_body = NewOrgBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_org(State(state): State<AppState>, Json(body): Json<Value>) -> ApiResult {
    let f = Fields::from_json(&body);
    let id = state.app.create_org(&actor(), input::new_org(&f)?).await?;
    created(json!({"id": id.0}))
}

/// An organisation on a date: its period, ancestors, subtree with counts, committee, history.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Tổ chức"), (status = 404, body = ApiErrorBody)))]
pub async fn org(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    ok(json!(state.app.org(&actor(), OrgId(id), on).await?))
}

#[utoipa::path(post, path = "/api/v1/orgs/{id}/rename", params(("id" = i64, Path)), request_body = RenameBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let on = input::date(&f, "on")?;
    state
        .app
        .rename_org(&actor(), OrgId(id), &f.get("name"), on, &input::reason(&f))
        .await?;
    ok(json!({"id": id}))
}

/// Moves an organisation with its subtree; never creates a cycle.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/move", params(("id" = i64, Path)), request_body = MoveBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn move_org(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let (parent, on) = (input::org_ref(&f, "parent"), input::date(&f, "on"));
    input::collect(vec![
        parent.as_ref().err().cloned(),
        on.as_ref().err().cloned(),
    ])?;
    state
        .app
        .move_org(&actor(), OrgId(id), parent?, on?, &input::reason(&f))
        .await?;
    ok(json!({"id": id}))
}

#[utoipa::path(post, path = "/api/v1/orgs/{id}/dissolve", params(("id" = i64, Path)), request_body = DissolveBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn dissolve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let (dest, on) = (input::opt_org_ref(&f, "members_to"), input::date(&f, "on"));
    input::collect(vec![
        dest.as_ref().err().cloned(),
        on.as_ref().err().cloned(),
    ])?;
    let moved = state
        .app
        .dissolve_org(&actor(), OrgId(id), on?, dest?, &input::reason(&f))
        .await?;
    ok(json!({"id": id, "members_moved": moved}))
}

#[utoipa::path(post, path = "/api/v1/orgs/{id}/merge", params(("id" = i64, Path)), request_body = MergeBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let (sources, on) = (input::ids(&f, "sources"), input::date(&f, "on"));
    input::collect(vec![
        sources.as_ref().err().cloned(),
        on.as_ref().err().cloned(),
    ])?;
    let sources: Vec<OrgId> = sources?.into_iter().map(OrgId).collect();
    state
        .app
        .merge_orgs(&actor(), &sources, OrgId(id), on?, &input::reason(&f))
        .await?;
    ok(json!({"id": id}))
}

#[utoipa::path(post, path = "/api/v1/orgs/{id}/split", params(("id" = i64, Path)), request_body = SplitBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn split(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let on = input::date(&f, "on")?;
    let members: Vec<MemberId> = input::ids(&f, "members")?
        .into_iter()
        .map(MemberId)
        .collect();
    let children: Vec<OrgId> = input::ids(&f, "children")?.into_iter().map(OrgId).collect();
    let new_id = state
        .app
        .split_org(
            &actor(),
            OrgId(id),
            &f.get("new_name"),
            &members,
            &children,
            on,
            &input::reason(&f),
        )
        .await?;
    created(json!({"id": new_id.0}))
}

/// Records a committee position (R4).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/committee", params(("id" = i64, Path)), request_body = AppointBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn appoint(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let (position, member, term, from, decision) = input::appointment(&f)?;
    let pid = state
        .app
        .appoint(
            &actor(),
            OrgId(id),
            member,
            position,
            &term,
            from,
            decision.as_deref(),
        )
        .await?;
    created(json!({"id": pid}))
}

/// Members on the rolls of the organisation's subtree, in Vietnamese name order, paginated.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/members", params(("id" = i64, Path), ListParams), responses((status = 200, description = "Danh sách"), (status = 404, body = ApiErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ListParams>,
) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let l = state
        .app
        .list_members(
            &actor(),
            OrgId(id),
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

/// Adds a member: record, admission and (optionally) official membership and card.
#[utoipa::path(post, path = "/api/v1/members", request_body = NewMemberBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_member(State(state): State<AppState>, Json(body): Json<Value>) -> ApiResult {
    let f = Fields::from_json(&body);
    let id = state
        .app
        .create_member(&actor(), input::new_member(&f)?)
        .await?;
    created(json!({"id": id.0}))
}

/// A member on a date: record, derived status and seniority, timeline, cards, corrections.
#[utoipa::path(get, path = "/api/v1/members/{id}", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Đảng viên"), (status = 404, body = ApiErrorBody)))]
pub async fn member(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let v = state.app.member(&actor(), MemberId(id), on).await?;
    let events: Vec<Value> = v
        .events
        .iter()
        .map(|e| json!({"id": e.id, "kind": e.event.kind, "on": e.event.on, "org": e.event.org, "discipline": e.event.discipline, "decision_ref": e.decision_ref, "decided_by": e.decided_by, "decided_on": e.decided_on, "note": e.note, "destination": e.destination, "recorded_at": e.recorded_at}))
        .collect();
    ok(json!({
        "id": v.id, "on": v.on, "record": v.record, "status": v.state.status, "official": v.state.official,
        "cell": v.state.cell, "admitted_on": v.state.admitted_on, "official_on": v.state.official_on,
        "seniority_months": v.seniority_months, "events": events, "cards": v.cards, "corrections": v.corrections,
        "positions": v.positions,
    }))
}

/// Records an event in the member's timeline (R6, R8, R10, R12).
#[utoipa::path(post, path = "/api/v1/members/{id}/events", params(("id" = i64, Path)), request_body = EventBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn record_event(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let eid = state
        .app
        .record_event(&actor(), MemberId(id), input::new_event(&f)?)
        .await?;
    created(json!({"id": eid.0}))
}

/// Corrects one record field, keeping the old value and the reason (R15).
#[utoipa::path(post, path = "/api/v1/members/{id}/corrections", params(("id" = i64, Path)), request_body = CorrectionBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let decision = f.opt("decision_ref");
    state
        .app
        .correct_field(
            &actor(),
            MemberId(id),
            &f.get("field"),
            &f.get("value"),
            &input::reason(&f),
            decision.as_deref(),
        )
        .await?;
    ok(json!({"id": id}))
}

/// Issues a card to an official member.
#[utoipa::path(post, path = "/api/v1/members/{id}/cards", params(("id" = i64, Path)), request_body = CardBody, responses((status = 201), (status = 400, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_card(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let issued = input::date(&f, "issued_on")?;
    let generation =
        CardGeneration::from_code(f.get("generation").trim()).unwrap_or(CardGeneration::Ct29_2003);
    state
        .app
        .add_card(
            &actor(),
            MemberId(id),
            &f.get("card_number"),
            generation,
            issued,
        )
        .await?;
    created(json!({"id": id}))
}

/// Any other path under `/api`.
pub async fn not_found() -> ApiError {
    ApiError(dangvu_app::AppError::NotFound("page"))
}

/// The API's security: the session cookie, and the CSRF token header on every call that
/// changes something (Swagger UI's "Authorize" takes it).
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::COOKIE,
                "Phiên đăng nhập: POST /api/v1/session đặt cookie này.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "Mã chống giả mạo yêu cầu: trường csrf của POST /api/v1/session hoặc GET /api/v1/me; bắt buộc với mọi thao tác ghi.",
            ))),
        );
        // Both together: the session, and the token for writes.
        openapi.security = Some(vec![
            SecurityRequirement::new("session", Vec::<String>::new())
                .add("csrf", Vec::<String>::new()),
        ]);
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&Security),
    info(
        title = "Đảng vụ API",
        version = "1",
        description = "Tổ chức đảng, sổ đảng viên, tài khoản, nhật ký. Đăng nhập: POST /api/v1/session (đặt cookie phiên, trả mã csrf); mọi thao tác ghi gửi kèm header X-CSRF-Token. Mỗi tài khoản chỉ thấy và sửa trong phạm vi tổ chức được giao. Lỗi: JSON { error, message, fields } với mã ổn định và thông báo tiếng Việt."
    ),
    paths(
        tree,
        create_org,
        org,
        rename,
        move_org,
        dissolve,
        merge,
        split,
        appoint,
        members,
        create_member,
        member,
        record_event,
        correct,
        add_card,
        crate::auth_pages::api_sign_in,
        crate::auth_pages::api_sign_out,
        crate::auth_pages::api_me,
        crate::auth_pages::api_trail,
        crate::auth_pages::api_create_user,
        crate::auth_pages::api_grant,
        crate::review_pages::api_list,
        crate::review_pages::api_open,
        crate::review_pages::api_period,
        crate::review_pages::api_report,
        crate::review_pages::api_report_xlsx,
        crate::review_pages::api_sheet,
        crate::review_pages::api_member,
        crate::review_pages::api_step,
        crate::review_pages::api_decide,
        crate::review_pages::api_lock,
        crate::review_pages::api_correct,
        crate::review_pages::api_commendations,
        crate::meeting_pages::api_record,
        crate::meeting_pages::api_meeting,
        crate::meeting_pages::api_adopt,
        crate::meeting_pages::api_org_meetings,
        crate::meeting_pages::api_add_item,
        crate::meeting_pages::api_push,
        crate::meeting_pages::api_push_status,
        crate::meeting_report_pages::api_change,
        crate::meeting_report_pages::api_score,
        crate::meeting_report_pages::api_assign,
        crate::meeting_report_pages::api_templates,
        crate::meeting_report_pages::api_report,
        crate::meeting_report_pages::api_report_xlsx
    ),
    components(schemas(
        ApiErrorBody,
        Created,
        NewOrgBody,
        RenameBody,
        MoveBody,
        DissolveBody,
        MergeBody,
        SplitBody,
        AppointBody,
        NewMemberBody,
        EventBody,
        CorrectionBody,
        CardBody,
        crate::auth_pages::SignInBody,
        crate::auth_pages::SessionBody
    ))
)]
pub struct ApiDoc;
