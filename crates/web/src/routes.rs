//! The one route table.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use dangvu_app::App;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_swagger_ui::SwaggerUi;

use crate::html::{
    admin, admission, assets, auth, badges, calendar, cards, commitments, contest, decisions, dues,
    export, import, meeting_report, meetings, members, minutes, opinions, orgs, probation,
    programme, regulations, residence, review, review_report, search, stats, trail, transfers,
};
use crate::{AppState, WebConfig, api, html, session};

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
const SW: &str = include_str!("../static/sw.js");
const MANIFEST: &str = include_str!("../static/manifest.webmanifest");
const ICON_192: &[u8] = include_bytes!("../static/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../static/icon-512.png");

/// A file built into the binary, with its type and how long a browser may keep it.
fn built_in(
    kind: &'static str,
    cache: &'static str,
    body: &'static [u8],
) -> impl IntoResponse + use<> {
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, cache)],
        body,
    )
}

async fn css() -> impl IntoResponse {
    built_in("text/css; charset=utf-8", "max-age=3600", CSS.as_bytes())
}

async fn js() -> impl IntoResponse {
    built_in(
        "text/javascript; charset=utf-8",
        "max-age=3600",
        JS.as_bytes(),
    )
}

/// The service worker: served from the root so that it serves every page, never cached by
/// the browser itself so that a new version is found at once.
async fn sw() -> impl IntoResponse {
    built_in("text/javascript; charset=utf-8", "no-cache", SW.as_bytes())
}

/// The web manifest that makes the app installable on a phone.
async fn manifest() -> impl IntoResponse {
    built_in(
        "application/manifest+json",
        "max-age=3600",
        MANIFEST.as_bytes(),
    )
}

async fn icon_192() -> impl IntoResponse {
    built_in("image/png", "max-age=86400", ICON_192)
}

async fn icon_512() -> impl IntoResponse {
    built_in("image/png", "max-age=86400", ICON_512)
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
    let (api, api_doc) = api::router();
    let pages = Router::new()
        .route("/", get(auth::home))
        .route("/dang-nhap", get(auth::login_form).post(auth::login_submit))
        .route("/dang-xuat", post(auth::logout))
        .route("/dang-xuat-moi-noi", post(auth::logout_everywhere))
        .route("/tai-khoan", get(auth::account))
        .route("/tai-khoan/mat-khau", post(auth::change_password))
        .route(
            "/quan-tri/tai-khoan",
            get(admin::users).post(admin::create_user),
        )
        .route("/quan-tri/phan-quyen", post(admin::grant))
        .route("/quan-tri/ket-thuc-vai-tro", post(admin::end_grant))
        .route("/quan-tri/khoa-tai-khoan", post(admin::disable_user))
        .route("/nhat-ky", get(trail::trail))
        .route(
            "/lich-lam-viec",
            get(calendar::calendar).post(calendar::set),
        )
        .route("/suc-khoe", get(health))
        .route("/to-chuc", get(orgs::tree))
        .route("/to-chuc/moi", get(orgs::org_new_form).post(orgs::org_new))
        .route("/to-chuc/{id}", get(orgs::org))
        .route("/to-chuc/{id}/dang-vien", get(members::org_members))
        .route("/to-chuc/{id}/du-bi", get(probation::probations))
        .route(
            "/to-chuc/{id}/ket-nap",
            get(admission::list).post(admission::add_form),
        )
        .route(
            "/to-chuc/{id}/huy-hieu",
            get(badges::list).post(badges::action),
        )
        .route("/to-chuc/{id}/huy-hieu.xlsx", get(badges::list_xlsx))
        .route("/to-chuc/{id}/the-dang-vien", get(cards::work))
        .route("/the-dang-vien/{id}/tinh-trang", post(cards::status_form))
        .route("/to-chuc/{id}/dang-phi", get(dues::org_dues))
        .route("/to-chuc/{id}/dang-phi.xlsx", get(dues::book_xlsx))
        .route("/to-chuc/{id}/dang-phi/tong-hop", get(dues::totals))
        .route(
            "/to-chuc/{id}/dang-phi/tong-hop.xlsx",
            get(dues::totals_xlsx),
        )
        .route("/to-chuc/{id}/dang-phi/no-dong", get(dues::arrears))
        .route("/dang-vien/{id}/dang-phi", get(dues::member))
        .route("/dang-vien/{id}/dang-phi/can-cu", post(dues::basis_form))
        .route("/dang-vien/{id}/dang-phi/nop", post(dues::pay_form))
        .route("/dang-phi/{id}/huy", post(dues::cancel_form))
        .route("/to-chuc/{id}/nhap", get(import::page).post(import::upload))
        .route("/to-chuc/{id}/xuat", get(export::form))
        .route("/to-chuc/{id}/xuat.xlsx", get(export::list_xlsx))
        .route("/to-chuc/{id}/so-dang-vien", get(export::register))
        .route(
            "/to-chuc/{id}/so-dang-vien.xlsx",
            get(export::register_xlsx),
        )
        .route("/to-chuc/{id}/thong-ke", get(stats::page))
        .route("/to-chuc/{id}/thong-ke.xlsx", get(stats::page_xlsx))
        .route("/to-chuc/{id}/bieu-thong-ke", get(stats::table))
        .route("/to-chuc/{id}/bieu-thong-ke.xlsx", get(stats::table_xlsx))
        .route("/to-chuc/{id}/chuyen-sinh-hoat", get(transfers::list))
        .route("/to-chuc/{id}/viec-den-han", get(transfers::due))
        .route("/chuyen-sinh-hoat/{id}", get(transfers::transfer))
        .route(
            "/chuyen-sinh-hoat/{id}/giay-gioi-thieu",
            get(transfers::letter),
        )
        .route(
            "/chuyen-sinh-hoat/{id}/tiep-nhan",
            post(transfers::accept_form),
        )
        .route(
            "/chuyen-sinh-hoat/{id}/tra-lai",
            post(transfers::return_form),
        )
        .route("/chuyen-sinh-hoat/{id}/tro-ve", post(transfers::end_form))
        .route(
            "/dang-vien/{id}/chuyen-sinh-hoat",
            post(transfers::send_form),
        )
        .route("/ket-nap/{id}", get(admission::candidate))
        .route("/ket-nap/{id}/buoc", post(admission::step_form))
        .route(
            "/to-chuc/{id}/quyet-dinh",
            get(decisions::register).post(decisions::issue_form),
        )
        .route("/ke-khai-tai-san", get(assets::index))
        .route(
            "/to-chuc/{id}/ke-khai-tai-san",
            get(assets::register).post(assets::action),
        )
        .route(
            "/to-chuc/{id}/quy-che",
            get(regulations::list).post(regulations::issue),
        )
        .route(
            "/quy-che/{id}",
            get(regulations::regulation).post(regulations::revise),
        )
        .route(
            "/quy-che/phien-ban/{id}/tep",
            get(regulations::download).post(regulations::attach),
        )
        .route(
            "/to-chuc/{id}/hoi-thi",
            get(contest::committee).post(contest::committee_action),
        )
        .route("/hoi-thi/{id}", get(contest::round).post(contest::result))
        .route(
            "/to-chuc/{id}/cam-ket",
            get(commitments::cell).post(commitments::action),
        )
        .route(
            "/to-chuc/{id}/y-kien",
            get(opinions::register).post(opinions::action),
        )
        .route("/to-chuc/{id}/doi-ten", post(orgs::org_rename))
        .route("/to-chuc/{id}/chuyen", post(orgs::org_move))
        .route("/to-chuc/{id}/them-truc-thuoc", post(orgs::org_add_child))
        .route("/to-chuc/{id}/bo-nhiem", post(orgs::org_appoint))
        .route(
            "/to-chuc/{id}/ket-thuc-chuc-vu",
            post(orgs::org_end_position),
        )
        .route("/to-chuc/{id}/sap-nhap", post(orgs::org_merge))
        .route("/to-chuc/{id}/chia-tach", post(orgs::org_split))
        .route("/to-chuc/{id}/giai-the", post(orgs::org_dissolve))
        .route("/to-chuc/{id}/ky-luat", post(orgs::org_discipline))
        .route("/tim-kiem", get(search::search))
        .route(
            "/dang-vien/moi",
            get(members::member_new_form).post(members::member_new),
        )
        .route("/dang-vien/{id}", get(members::member))
        .route("/dang-vien/{id}/su-kien", post(members::member_event))
        .route("/dang-vien/{id}/dinh-chinh", post(members::member_correct))
        .route("/dang-vien/{id}/sua-su-kien", post(members::member_fix))
        .route("/dang-vien/{id}/the", post(members::member_card))
        .route("/dang-vien/{id}/giao-duc", post(members::member_education))
        .route(
            "/dang-vien/{id}/noi-cu-tru",
            post(members::member_introduce),
        )
        .route(
            "/to-chuc/{id}/noi-cu-tru",
            get(residence::residence).post(residence::residence_action),
        )
        .route(
            "/to-chuc/{id}/sinh-hoat",
            get(meetings::cell_meetings).post(meetings::record),
        )
        .route(
            "/to-chuc/{id}/chuong-trinh",
            get(programme::pushes).post(programme::push),
        )
        .route("/to-chuc/{id}/noi-dung", post(programme::add_item))
        .route("/sinh-hoat/{id}", get(minutes::minutes))
        .route("/sinh-hoat/{id}/thong-qua", post(minutes::adopt))
        .route("/sinh-hoat/{id}/dinh-chinh", post(minutes::change))
        .route("/sinh-hoat/{id}/cham-diem", post(minutes::score))
        .route(
            "/to-chuc/{id}/bao-cao-sinh-hoat",
            get(meeting_report::report),
        )
        .route(
            "/to-chuc/{id}/bao-cao-sinh-hoat.xlsx",
            get(meeting_report::report_xlsx),
        )
        .route("/to-chuc/{id}/phan-cong", post(meeting_report::assign))
        .route("/danh-gia", get(review::list).post(review::open))
        .route("/danh-gia/{id}", get(review::overview))
        .route("/danh-gia/{id}/mo", get(review::pick_sheet))
        .route("/danh-gia/{id}/khoa", post(review::lock))
        .route("/danh-gia/{id}/bao-cao", get(review_report::report_page))
        .route(
            "/danh-gia/{id}/bao-cao.xlsx",
            get(review_report::report_xlsx),
        )
        .route(
            "/danh-gia/{id}/to-chuc/{org}",
            get(review::sheet).post(review::sheet_action),
        )
        .route(
            "/danh-gia/{id}/dang-vien/{member}",
            get(review::member).post(review::member_step),
        )
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/static/icon-192.png", get(icon_192))
        .route("/static/icon-512.png", get(icon_512))
        .route("/sw.js", get(sw))
        .route("/manifest.webmanifest", get(manifest));
    let inner = Router::new()
        .merge(pages)
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", api_doc))
        .fallback(html::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::gate,
        ))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(time_limit))
        .layer(axum::middleware::from_fn(crate::error::draw_error_pages))
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
        ));
    // Before routing: `/x.pdf` is the page `/x` as a PDF.
    Router::new()
        .fallback_service(inner)
        .layer(axum::middleware::from_fn(crate::pdf::documents))
}
