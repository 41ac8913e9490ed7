//! The API's session: sign in (cookie and CSRF token), sign out, who am I.

use crate::api::ApiResult;
use crate::extract::{Cx, Typed};
use crate::html::auth::token_of;
use crate::session::{self, CurrentActor};
use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use dangvu_domain::access::Role;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

// ---------------------------------------------------------------- API

/// Sign-in body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInBody {
    pub username: String,
    pub password: String,
}

/// An open session: send `csrf` as the `X-CSRF-Token` header of every call that changes
/// something; the session itself travels in the `dangvu_session` cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    pub csrf: String,
    pub user_id: i64,
}

/// Signs in; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignInBody, responses((status = 200, body = SessionBody), (status = 401, body = crate::error::ApiErrorBody), (status = 429, body = crate::error::ApiErrorBody)))]
pub async fn api_sign_in(Cx(me, state): Cx, Typed(body): Typed<SignInBody>) -> ApiResult {
    let s = state
        .app
        .sign_in(&body.username, &body.password, me.address().as_deref())
        .await?;
    let mut r = Json(SessionBody {
        csrf: s.csrf,
        user_id: s.user_id,
    })
    .into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session::session_cookie(&state, &s.token),
    );
    Ok(r)
}

/// Signs out of this session.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = crate::error::ApiErrorBody)))]
pub async fn api_sign_out(Cx(me, state): Cx, headers: HeaderMap) -> ApiResult {
    state.app.sign_out(&me.actor(), &token_of(&headers)).await?;
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(r)
}

/// Who is signed in, with the CSRF token of the session.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200), (status = 401, body = crate::error::ApiErrorBody)))]
pub async fn api_me(me: CurrentActor) -> ApiResult {
    let a = me.actor();
    Ok(Json(json!({
        "username": a.name,
        "user_id": a.user_id,
        "csrf": me.csrf_token(),
        "roles": Role::ALL.iter().filter(|r| me.has_role(&[**r])).map(|r| r.code()).collect::<Vec<_>>(),
        "scope": a.access.roots.iter().map(|o| o.0).collect::<Vec<_>>(),
        "member": a.access.own_member.map(|m| m.0),
    }))
    .into_response())
}
