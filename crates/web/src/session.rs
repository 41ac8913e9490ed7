//! Sessions, sign-in gate and CSRF protection, as one middleware around every route.
//!
//! The middleware resolves the session cookie to an `Actor` (through `dangvu-app`, which also
//! resolves the actor's scope), refuses anonymous requests to anything but the sign-in page and
//! the static files, checks the CSRF token of every request that changes something, and hands
//! the request's [`CurrentActor`] to handlers (an extractor) and through them to templates.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
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

/// The current user of a request, as the sign-in gate resolved it: an extractor for handlers
/// and the `me` of every page template. A request the gate did not see (none reach a handler)
/// is anonymous.
#[derive(Debug, Clone)]
pub struct CurrentActor(Arc<RequestCtx>);

impl CurrentActor {
    pub fn new(ctx: RequestCtx) -> CurrentActor {
        CurrentActor(Arc::new(ctx))
    }

    /// Nobody signed in, from an unknown address.
    pub fn anonymous() -> CurrentActor {
        CurrentActor::new(RequestCtx {
            session: None,
            address: None,
        })
    }

    /// The actor the use cases check (anonymous when nobody is signed in).
    pub fn actor(&self) -> Actor {
        match &self.0.session {
            Some(s) => s.actor.clone(),
            None => Actor::anonymous(self.0.address.clone()),
        }
    }

    /// The client's address.
    pub fn address(&self) -> Option<String> {
        self.0.address.clone()
    }

    /// The session, when somebody is signed in.
    pub fn session(&self) -> Option<&SessionInfo> {
        self.0.session.as_ref()
    }

    /// The CSRF token of the session, for the hidden field of every form.
    pub fn csrf_token(&self) -> &str {
        self.0.session.as_ref().map_or("", |s| s.csrf.as_str())
    }

    /// The signed-in user's display name ("" when nobody is).
    pub fn user_label(&self) -> &str {
        self.0
            .session
            .as_ref()
            .map_or("", |s| s.display_name.as_str())
    }

    pub fn signed_in(&self) -> bool {
        self.0.session.is_some()
    }

    /// The current user holds one of these roles today.
    pub fn has_role(&self, roles: &[Role]) -> bool {
        self.0
            .session
            .as_ref()
            .is_some_and(|s| s.roles.iter().any(|r| roles.contains(r)))
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(&[Role::Admin])
    }

    /// Holds the asset-declaration supervision register of a committee (R33).
    pub fn keeps_assets(&self) -> bool {
        self.has_role(&[Role::AssetSupervisor])
    }

    /// May see the tree and lists (an officer, a secretary or the administrator).
    pub fn sees_orgs(&self) -> bool {
        self.has_role(&[Role::Admin, Role::Officer, Role::Secretary])
    }

    /// The current user's own member record, for the member role.
    pub fn own_member(&self) -> Option<i64> {
        self.0
            .session
            .as_ref()
            .and_then(|s| s.own_member.map(|m| m.0))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<CurrentActor>()
            .cloned()
            .unwrap_or_else(CurrentActor::anonymous))
    }
}

/// Paths open without signing in.
fn is_public(path: &str, method: &Method) -> bool {
    path == "/dang-nhap"
        || path.starts_with("/static/")
        || path == "/suc-khoe"
        || path == "/sw.js"
        || path == "/manifest.webmanifest"
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
            crate::html::url_escape(&next_path)
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
    let me = CurrentActor::new(RequestCtx { session, address });
    req.extensions_mut().insert(me.clone());
    let mut resp = next.run(req).await;
    // An error page is drawn late, in the layout of the user it is shown to.
    resp.extensions_mut().insert(me);
    if signed_in && !path.starts_with("/static/") {
        // Personal data: never kept by a browser or a proxy cache.
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
