//! The one route table.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use dangvu_app::App;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::meeting_pages as mp;
use crate::meeting_report_pages as mr;
use crate::review_pages as rp;
use crate::{AppState, WebConfig, api, auth_pages, pages, session};

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        JS,
    )
}

/// Builds the whole app with the default web configuration; tests call it without a port.
pub fn router(app: App) -> Router {
    router_with(app, WebConfig::default())
}

/// The content security policy: our own scripts and styles only, no inline script, no frames.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// Swagger UI's page needs its own inline styles; it shows no personal data.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

async fn csp(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let docs = req.uri().path().starts_with("/api/docs");
    let mut r = next.run(req).await;
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }),
    );
    r
}

/// The longest a request may run: a request still running then is answered 503 and its work
/// dropped (its transaction rolls back), so that nothing holds the pool for everyone.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

async fn time_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let api = req.uri().path().starts_with("/api/");
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!("a request ran past the time limit and was stopped");
            let e = dangvu_app::AppError::Busy;
            if api {
                crate::error::ApiError(e).into_response()
            } else {
                crate::error::PageError(e).into_response()
            }
        }
    }
}

/// HSTS when the cookies are `Secure` (served over TLS): browsers then never use plain HTTP.
async fn hsts(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut r = next.run(req).await;
    if state.config.secure_cookies {
        r.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    r
}

async fn health() -> &'static str {
    "ok"
}

/// Builds the whole app.
pub fn router_with(app: App, config: WebConfig) -> Router {
    let state = AppState { app, config };
    let api_v1 = Router::new()
        .route("/orgs", get(api::tree).post(api::create_org))
        .route("/orgs/{id}", get(api::org))
        .route("/orgs/{id}/rename", post(api::rename))
        .route("/orgs/{id}/move", post(api::move_org))
        .route("/orgs/{id}/dissolve", post(api::dissolve))
        .route("/orgs/{id}/merge", post(api::merge))
        .route("/orgs/{id}/split", post(api::split))
        .route("/orgs/{id}/committee", post(api::appoint))
        .route("/orgs/{id}/members", get(api::members))
        .route("/members", post(api::create_member))
        .route("/members/{id}", get(api::member))
        .route("/members/{id}/events", post(api::record_event))
        .route("/members/{id}/corrections", post(api::correct))
        .route("/members/{id}/cards", post(api::add_card))
        .route(
            "/session",
            post(auth_pages::api_sign_in).delete(auth_pages::api_sign_out),
        )
        .route("/me", get(auth_pages::api_me))
        .route("/audit", get(auth_pages::api_trail))
        .route("/users", post(auth_pages::api_create_user))
        .route("/grants", post(auth_pages::api_grant))
        .route("/meetings", post(mp::api_record))
        .route("/meetings/{id}", get(mp::api_meeting))
        .route("/meetings/{id}/adopt", post(mp::api_adopt))
        .route("/meetings/{id}/corrections", post(mr::api_change))
        .route("/meetings/{id}/score", post(mr::api_score))
        .route("/meetings/assignments", post(mr::api_assign))
        .route("/scoring-templates", get(mr::api_templates))
        .route("/orgs/{id}/meetings/report", get(mr::api_report))
        .route("/orgs/{id}/meetings/report.xlsx", get(mr::api_report_xlsx))
        .route("/orgs/{id}/meetings", get(mp::api_org_meetings))
        .route("/orgs/{id}/programme", post(mp::api_add_item))
        .route("/orgs/{id}/programme/pushes", post(mp::api_push))
        .route("/programme/pushes/{id}", get(mp::api_push_status))
        .route("/reviews", get(rp::api_list).post(rp::api_open))
        .route("/reviews/{id}", get(rp::api_period))
        .route("/reviews/{id}/report", get(rp::api_report))
        .route("/reviews/{id}/report.xlsx", get(rp::api_report_xlsx))
        .route("/reviews/{id}/orgs/{org}", get(rp::api_sheet))
        .route("/reviews/{id}/members/{member}", get(rp::api_member))
        .route("/reviews/{id}/steps", post(rp::api_step))
        .route("/reviews/{id}/decisions", post(rp::api_decide))
        .route("/reviews/{id}/lock", post(rp::api_lock))
        .route("/reviews/{id}/corrections", post(rp::api_correct))
        .route("/reviews/{id}/commendations", get(rp::api_commendations))
        .fallback(api::not_found);
    let pages = Router::new()
        .route("/", get(auth_pages::home))
        .route(
            "/dang-nhap",
            get(auth_pages::login_form).post(auth_pages::login_submit),
        )
        .route("/dang-xuat", post(auth_pages::logout))
        .route("/dang-xuat-moi-noi", post(auth_pages::logout_everywhere))
        .route("/tai-khoan", get(auth_pages::account))
        .route("/tai-khoan/mat-khau", post(auth_pages::change_password))
        .route(
            "/quan-tri/tai-khoan",
            get(auth_pages::users).post(auth_pages::create_user),
        )
        .route("/quan-tri/phan-quyen", post(auth_pages::grant))
        .route("/quan-tri/ket-thuc-vai-tro", post(auth_pages::end_grant))
        .route("/quan-tri/khoa-tai-khoan", post(auth_pages::disable_user))
        .route("/nhat-ky", get(auth_pages::trail))
        .route("/suc-khoe", get(health))
        .route("/to-chuc", get(pages::tree))
        .route(
            "/to-chuc/moi",
            get(pages::org_new_form).post(pages::org_new),
        )
        .route("/to-chuc/{id}", get(pages::org))
        .route("/to-chuc/{id}/dang-vien", get(pages::org_members))
        .route("/to-chuc/{id}/doi-ten", post(pages::org_rename))
        .route("/to-chuc/{id}/chuyen", post(pages::org_move))
        .route("/to-chuc/{id}/them-truc-thuoc", post(pages::org_add_child))
        .route("/to-chuc/{id}/bo-nhiem", post(pages::org_appoint))
        .route(
            "/to-chuc/{id}/ket-thuc-chuc-vu",
            post(pages::org_end_position),
        )
        .route("/to-chuc/{id}/sap-nhap", post(pages::org_merge))
        .route("/to-chuc/{id}/chia-tach", post(pages::org_split))
        .route("/to-chuc/{id}/giai-the", post(pages::org_dissolve))
        .route("/tim-kiem", get(pages::search))
        .route(
            "/dang-vien/moi",
            get(pages::member_new_form).post(pages::member_new),
        )
        .route("/dang-vien/{id}", get(pages::member))
        .route("/dang-vien/{id}/su-kien", post(pages::member_event))
        .route("/dang-vien/{id}/dinh-chinh", post(pages::member_correct))
        .route("/dang-vien/{id}/the", post(pages::member_card))
        .route("/dang-vien/{id}/noi-cu-tru", post(pages::member_introduce))
        .route(
            "/to-chuc/{id}/noi-cu-tru",
            get(mp::residence).post(mp::residence_action),
        )
        .route(
            "/to-chuc/{id}/sinh-hoat",
            get(mp::cell_meetings).post(mp::record),
        )
        .route("/to-chuc/{id}/chuong-trinh", get(mp::pushes).post(mp::push))
        .route("/to-chuc/{id}/noi-dung", post(mp::add_item))
        .route("/sinh-hoat/{id}", get(mp::minutes))
        .route("/sinh-hoat/{id}/thong-qua", post(mp::adopt))
        .route("/sinh-hoat/{id}/dinh-chinh", post(mr::change))
        .route("/sinh-hoat/{id}/cham-diem", post(mr::score))
        .route("/to-chuc/{id}/bao-cao-sinh-hoat", get(mr::report))
        .route("/to-chuc/{id}/bao-cao-sinh-hoat.xlsx", get(mr::report_xlsx))
        .route("/to-chuc/{id}/phan-cong", post(mr::assign))
        .route("/danh-gia", get(rp::list).post(rp::open))
        .route("/danh-gia/{id}", get(rp::overview))
        .route("/danh-gia/{id}/mo", get(rp::pick_sheet))
        .route("/danh-gia/{id}/khoa", post(rp::lock))
        .route("/danh-gia/{id}/bao-cao", get(rp::report_page))
        .route("/danh-gia/{id}/bao-cao.xlsx", get(rp::report_xlsx))
        .route(
            "/danh-gia/{id}/to-chuc/{org}",
            get(rp::sheet).post(rp::sheet_action),
        )
        .route(
            "/danh-gia/{id}/dang-vien/{member}",
            get(rp::member).post(rp::member_step),
        )
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js));
    Router::new()
        .merge(pages)
        .nest("/api/v1", api_v1)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", api::ApiDoc::openapi()))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::gate,
        ))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(time_limit))
        .layer(axum::middleware::from_fn_with_state(state, hsts))
        .layer(axum::middleware::from_fn(csp))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}
