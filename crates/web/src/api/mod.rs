//! The JSON API, `/api/v1`: everything the pages offer. Bodies are JSON objects whose fields
//! have the same names and rules as the forms' (one parser serves both, `crate::input`); dates
//! are `YYYY-MM-DD` (or `dd/mm/yyyy`). Each operation is declared once, in [`router`], with its
//! OpenAPI description.

pub mod admin;
pub mod admission;
pub mod assets;
pub mod badges;
pub mod calendar;
pub mod cards;
pub mod commitments;
pub mod contest;
pub mod decisions;
pub mod dues;
pub mod import;
pub mod meetings;
pub mod members;
pub mod opinions;
pub mod orgs;
pub mod probation;
pub mod programme;
pub mod regulations;
pub mod residence;
pub mod review;
pub mod session;
pub mod stats;
pub mod transfers;

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody};
use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangvu_domain::date::parse_date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) type ApiResult = Result<axum::response::Response, ApiError>;

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

pub(crate) fn on_date(state: &AppState, on: &Option<String>) -> Result<NaiveDate, ApiError> {
    match on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(state.app.clock.today()),
        Some(s) => Ok(parse_date("on", s)?),
    }
}

pub(crate) fn created(v: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(crate) fn ok(v: Value) -> ApiResult {
    Ok(Json(v).into_response())
}

/// Created: the new id.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The API's security: the session cookie, and the CSRF token header on every call that
/// changes something (Swagger UI's "Authorize" takes it).
pub(crate) struct Security;

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
    components(schemas(
        ApiErrorBody,
        Created,
    ))
)]
pub struct ApiDoc;

/// The API's routes, each declared once with its OpenAPI operation: the router serves exactly
/// what the document describes.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::api_sign_in, session::api_sign_out))
        .routes(routes!(session::api_me))
        .routes(routes!(admin::api_trail))
        .routes(routes!(admin::api_create_user))
        .routes(routes!(admin::api_grant))
        .routes(routes!(calendar::year, calendar::set))
        .routes(routes!(calendar::deadline))
        .routes(routes!(orgs::tree, orgs::create_org))
        .routes(routes!(orgs::org))
        .routes(routes!(orgs::rename))
        .routes(routes!(orgs::move_org))
        .routes(routes!(orgs::dissolve))
        .routes(routes!(orgs::disciplines, orgs::discipline))
        .routes(routes!(orgs::merge))
        .routes(routes!(orgs::split))
        .routes(routes!(orgs::appoint))
        .routes(routes!(orgs::members))
        .routes(routes!(decisions::register, decisions::issue_decision))
        .routes(routes!(assets::register))
        .routes(routes!(assets::add_cadre))
        .routes(routes!(assets::end_cadre))
        .routes(routes!(assets::add_declaration))
        .routes(routes!(assets::receive))
        .routes(routes!(assets::add_supervision))
        .routes(routes!(assets::conclude))
        .routes(routes!(opinions::register, opinions::take))
        .routes(routes!(opinions::assign))
        .routes(routes!(opinions::answer))
        .routes(routes!(opinions::attach))
        .routes(routes!(commitments::cell, commitments::of_collective))
        .routes(routes!(commitments::of_member))
        .routes(routes!(commitments::comment))
        .routes(routes!(commitments::assess))
        .routes(routes!(contest::bank, contest::add_question))
        .routes(routes!(contest::rounds, contest::open_round))
        .routes(routes!(contest::results))
        .routes(routes!(contest::enter))
        .routes(routes!(regulations::list, regulations::issue))
        .routes(routes!(regulations::regulation))
        .routes(routes!(regulations::revise))
        .routes(routes!(regulations::attach, regulations::download))
        .routes(routes!(probation::probations))
        .routes(routes!(import::members))
        .routes(routes!(import::orgs))
        .routes(routes!(stats::statistics))
        .routes(routes!(stats::movements))
        .routes(routes!(stats::tables))
        .routes(routes!(stats::table))
        .routes(routes!(stats::export))
        .routes(routes!(stats::register))
        .routes(routes!(stats::codes))
        .routes(routes!(badges::list, badges::propose))
        .routes(routes!(badges::approve))
        .routes(routes!(badges::present))
        .routes(routes!(badges::give_back))
        .routes(routes!(badges::of_member))
        .routes(routes!(cards::status))
        .routes(routes!(cards::work))
        .routes(routes!(dues::member))
        .routes(routes!(dues::basis))
        .routes(routes!(dues::pay))
        .routes(routes!(dues::cancel))
        .routes(routes!(dues::book))
        .routes(routes!(dues::totals))
        .routes(routes!(dues::arrears))
        .routes(routes!(transfers::list))
        .routes(routes!(transfers::due))
        .routes(routes!(transfers::send_letter))
        .routes(routes!(transfers::transfer))
        .routes(routes!(transfers::accept_transfer))
        .routes(routes!(transfers::return_transfer))
        .routes(routes!(transfers::end_transfer))
        .routes(routes!(admission::list, admission::propose))
        .routes(routes!(admission::candidate))
        .routes(routes!(admission::stage))
        .routes(routes!(members::search, members::create_member))
        .routes(routes!(members::member))
        .routes(routes!(members::record_event))
        .routes(routes!(members::correct))
        .routes(routes!(members::correct_event))
        .routes(routes!(members::add_card))
        .routes(routes!(members::education, members::start_education))
        .routes(routes!(members::end_education))
        .routes(routes!(meetings::api_record))
        .routes(routes!(meetings::api_meeting))
        .routes(routes!(meetings::api_adopt))
        .routes(routes!(meetings::api_change))
        .routes(routes!(meetings::api_score))
        .routes(routes!(meetings::api_assign))
        .routes(routes!(meetings::api_templates))
        .routes(routes!(meetings::api_report))
        .routes(routes!(meetings::api_report_xlsx))
        .routes(routes!(meetings::api_org_meetings))
        .routes(routes!(programme::api_add_item))
        .routes(routes!(programme::api_push))
        .routes(routes!(programme::api_push_status))
        .routes(routes!(residence::introduce, residence::links))
        .routes(routes!(residence::committee))
        .routes(routes!(residence::attach))
        .routes(routes!(residence::record_meeting))
        .routes(routes!(residence::write_comment))
        .routes(routes!(residence::certify_comment))
        .routes(routes!(review::api_list, review::api_open))
        .routes(routes!(review::api_period))
        .routes(routes!(review::api_report))
        .routes(routes!(review::api_report_xlsx))
        .routes(routes!(review::api_sheet))
        .routes(routes!(review::api_member))
        .routes(routes!(review::api_step))
        .routes(routes!(review::api_decide))
        .routes(routes!(review::api_lock))
        .routes(routes!(review::api_correct))
        .routes(routes!(review::api_commendations))
        .split_for_parts()
}
