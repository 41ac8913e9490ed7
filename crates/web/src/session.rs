//! Sessions, sign-in gate and CSRF protection, as one middleware around every route.
//!
//! The middleware resolves the session cookie to an `Actor` (through `dangvu-app`, which also
//! resolves the actor's scope), refuses anonymous requests to anything but the sign-in page and
//! the static files, checks the CSRF token of every request that changes something, and makes
//! the session available to handlers and templates for the rest of the request.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dangvu_app::auth::SessionInfo;
use dangvu_app::{Actor, AppError};
use dangvu_domain::access::Role;

use crate::AppState;
use crate::error::{ApiError, PageError};

/// The session cookie's name.
pub const COOKIE: &str = "dangvu_session";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// The header that carries the CSRF token for API calls.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the handlers and templates of one request know about who is asking.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub session: Option<SessionInfo>,
    pub address: Option<String>,
}

tokio::task_local! {
    static CTX: Arc<RequestCtx>;
}

fn current() -> Option<Arc<RequestCtx>> {
    CTX.try_with(Arc::clone).ok()
}

/// The actor of the current request (anonymous outside a request).
pub fn actor() -> Actor {
    match current() {
        Some(c) => match &c.session {
            Some(s) => s.actor.clone(),
            None => Actor::anonymous(c.address.clone()),
        },
        None => Actor::anonymous(None),
    }
}

/// The address of the current request's client.
pub fn address() -> Option<String> {
    current().and_then(|c| c.address.clone())
}

/// The CSRF token of the current session, for the hidden field of every form.
pub fn csrf_token() -> String {
    current()
        .and_then(|c| c.session.as_ref().map(|s| s.csrf.clone()))
        .unwrap_or_default()
}

/// The signed-in user's display name ("" when nobody is).
pub fn user_label() -> String {
    current()
        .and_then(|c| c.session.as_ref().map(|s| s.display_name.clone()))
        .unwrap_or_default()
}

pub fn signed_in() -> bool {
    current().is_some_and(|c| c.session.is_some())
}

/// The current user holds one of these roles today.
pub fn has_role(roles: &[Role]) -> bool {
    current().is_some_and(|c| {
        c.session
            .as_ref()
            .is_some_and(|s| s.roles.iter().any(|r| roles.contains(r)))
    })
}

pub fn is_admin() -> bool {
    has_role(&[Role::Admin])
}

/// May see the tree and lists (an officer, a secretary or the administrator).
pub fn sees_orgs() -> bool {
    has_role(&[Role::Admin, Role::Officer, Role::Secretary])
}

/// The current user's own member record, for the member role.
pub fn own_member() -> Option<i64> {
    current().and_then(|c| c.session.as_ref().and_then(|s| s.own_member.map(|m| m.0)))
}

/// Paths open without signing in.
fn is_public(path: &str, method: &Method) -> bool {
    path == "/dang-nhap"
        || path.starts_with("/static/")
        || path == "/suc-khoe"
        || path.starts_with("/api/docs")
        || path == "/api/v1/openapi.json"
        || (path == "/api/v1/session" && method == Method::POST)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The value of a cookie in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address: the socket's, or, behind a trusted proxy, the last `X-Forwarded-For`
/// hop: the one our proxy appended. The hops before it are whatever the client wrote.
fn client_address(state: &AppState, req: &Request<Body>) -> Option<String> {
    if state.config.behind_proxy
        && let Some(f) = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|a| !a.is_empty() && a.len() <= 64)
    {
        return Some(f.to_owned());
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// The `Set-Cookie` value that opens a session.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A request that changes something must come from our own pages: a browser says where it
/// comes from in `Sec-Fetch-Site` or `Origin`; a cross-site one is refused (this also guards
/// the sign-in form, which has no session yet).
fn cross_site(req: &Request<Body>) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let (Some(origin), Some(host)) = (
        h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        h.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        let o = origin
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        return o != host;
    }
    false
}

fn refuse(api: bool, e: AppError) -> Response {
    if api {
        ApiError::from(e).into_response()
    } else {
        PageError::from(e).into_response()
    }
}

fn csrf_refusal(api: bool) -> Response {
    let e = AppError::Domain(dangvu_domain::DomainError::rule("csrf"));
    let mut r = refuse(api, e);
    *r.status_mut() = StatusCode::FORBIDDEN;
    r
}

/// The middleware.
pub async fn gate(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let api = is_api(&path);
    let address = client_address(&state, &req);
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && cross_site(&req) {
        return csrf_refusal(api);
    }
    let session = match cookie(req.headers(), COOKIE) {
        Some(token) => match state
            .app
            .session(&token, address.as_deref(), state.config.session)
            .await
        {
            Ok(s) => s,
            Err(e) => return refuse(api, e),
        },
        None => None,
    };
    let public = is_public(&path, &method);
    if session.is_none() && !public {
        if api {
            let e = AppError::SignIn("unauthenticated");
            return refuse(true, e);
        }
        let next_path = match req.uri().query() {
            Some(q) if method == Method::GET => format!("{path}?{q}"),
            _ => path.clone(),
        };
        return Redirect::to(&format!(
            "/dang-nhap?tiep={}",
            crate::pages::url_escape(&next_path)
        ))
        .into_response();
    }
    let mut req = req;
    if unsafe_method
        && !public
        && let Some(s) = &session
    {
        let header_token = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let ok = match header_token {
            Some(t) => same_token(&t, &s.csrf),
            None => {
                let is_form = req
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
                if !is_form {
                    false
                } else {
                    let (parts, body) = req.into_parts();
                    let bytes = match axum::body::to_bytes(body, 4 << 20).await {
                        Ok(b) => b,
                        Err(_) => return csrf_refusal(api),
                    };
                    let token = url::form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == CSRF_FIELD)
                        .map(|(_, v)| v.into_owned());
                    req = Request::from_parts(parts, Body::from(bytes));
                    token.is_some_and(|t| same_token(&t, &s.csrf))
                }
            }
        };
        if !ok {
            return csrf_refusal(api);
        }
    }
    let signed_in = session.is_some();
    let ctx = Arc::new(RequestCtx { session, address });
    let mut resp = CTX.scope(ctx, next.run(req)).await;
    if signed_in && !path.starts_with("/static/") {
        // Personal data: never kept by a browser or a proxy cache.
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
