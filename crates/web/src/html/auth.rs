//! Signing in and out, the home page, the user's own account and password.

use crate::AppState;
use crate::error::messages;
use crate::extract::Cx;
use crate::html::PageResult;
use crate::html::admin::grant_text;
use crate::html::shown;
use crate::input::Fields;
use crate::session::{self, CurrentActor};
use crate::view::Feedback;
use crate::view::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dangvu_app::AppError;
use serde::Deserialize;

// ---------------------------------------------------------------- sign in and out

#[derive(Template)]
#[template(path = "auth/login.html")]
pub(crate) struct LoginPage {
    me: CurrentActor,
    errors: Vec<String>,
    notice: Option<String>,
    next: String,
    username: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    pub tiep: Option<String>,
    pub ok: Option<String>,
}

/// Only a path of this site may be the target after signing in (no open redirect): one `/`
/// then printable URL characters only. Browsers drop tabs and line breaks from a location and
/// read `\\` as `/`, so `/\t/evil.example` or `/\\evil.example` would leave the site; anything
/// outside the URL character set, or longer than a path of ours, goes to the home page.
pub(crate) fn safe_next(next: &str) -> String {
    let url_char = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%#".contains(c);
    let mut chars = next.chars();
    let local = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && next.len() <= 1024
        && next.chars().all(url_char);
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

pub async fn login_form(me: CurrentActor, Query(q): Query<LoginQuery>) -> Response {
    let notice = crate::view::notice(
        q.ok.as_deref(),
        &[
            ("dang-xuat", "Đã đăng xuất."),
            ("mat-khau", "Đã đổi mật khẩu; hãy đăng nhập lại."),
        ],
    );
    Html(render(&LoginPage {
        me: me.clone(),
        errors: Vec::new(),
        notice,
        next: safe_next(q.tiep.as_deref().unwrap_or("/")),
        username: String::new(),
    }))
    .into_response()
}

pub async fn login_submit(Cx(me, state): Cx, f: Fields) -> Response {
    let next = safe_next(&f.get("tiep"));
    let username = f.get("username");
    match state
        .app
        .sign_in(&username, &f.get("password"), me.address().as_deref())
        .await
    {
        Ok(s) => {
            if !f.get("end_others").is_empty()
                && let Err(e) = state
                    .app
                    .end_other_sessions(&s, me.address().as_deref())
                    .await
            {
                return crate::error::PageError::from(e).into_response();
            }
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                session::session_cookie(&state, &s.token),
            );
            r
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            let page = LoginPage {
                me: me.clone(),
                errors: messages(&e),
                notice: None,
                next,
                username: username.trim().chars().take(40).collect(),
            };
            (status, Html(render(&page))).into_response()
        }
    }
}

pub(crate) fn token_of(headers: &HeaderMap) -> String {
    session::cookie(headers, session::COOKIE).unwrap_or_default()
}

pub async fn logout(Cx(me, state): Cx, headers: HeaderMap) -> PageResult {
    state.app.sign_out(&me.actor(), &token_of(&headers)).await?;
    let mut r = Redirect::to("/dang-nhap?ok=dang-xuat").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(r)
}

pub async fn logout_everywhere(me: CurrentActor, State(state): State<AppState>) -> PageResult {
    state.app.sign_out_everywhere(&me.actor()).await?;
    let mut r = Redirect::to("/dang-nhap?ok=dang-xuat").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(r)
}

/// The home page: the tree for those who manage organisations, one's own record for a member.
pub async fn home(me: CurrentActor) -> Redirect {
    if me.sees_orgs() {
        Redirect::to("/to-chuc")
    } else if let Some(m) = me.own_member() {
        Redirect::to(&format!("/dang-vien/{m}"))
    } else if me.keeps_assets() {
        Redirect::to("/ke-khai-tai-san")
    } else {
        Redirect::to("/tai-khoan")
    }
}

// ---------------------------------------------------------------- own account

#[derive(Template)]
#[template(path = "auth/account.html")]
pub(crate) struct AccountPage {
    me: CurrentActor,
    feedback: Feedback,
    username: String,
    display_name: String,
    grants: Vec<String>,
}

pub(crate) async fn account_page(
    me: &CurrentActor,
    state: &AppState,
    feedback: Feedback,
) -> PageResult {
    let a = me.actor();
    let id = a.user_id.ok_or(AppError::Forbidden)?;
    let (user, grants) = state.app.own_account(&a, id).await?;
    let mut texts = Vec::new();
    for g in &grants {
        texts.push(grant_text(state, g).await);
    }
    let page = AccountPage {
        me: me.clone(),
        feedback,
        username: user.username,
        display_name: user.display_name,
        grants: texts,
    };
    shown(page.feedback.status, &page)
}

pub async fn account(me: CurrentActor, State(state): State<AppState>) -> PageResult {
    account_page(&me, &state, Feedback::default()).await
}

pub async fn change_password(Cx(me, state): Cx, f: Fields) -> PageResult {
    let a = me.actor();
    let id = a.user_id.ok_or(AppError::Forbidden)?;
    if f.get("password") != f.get("password2") {
        let msg = crate::i18n::field_message("password2", "password_mismatch");
        return account_page(&me, &state, Feedback::refused(vec![msg])).await;
    }
    match state
        .app
        .set_password(
            &a,
            id,
            f.opt("current_password").as_deref(),
            &f.get("password"),
        )
        .await
    {
        Ok(()) => {
            let mut r = Redirect::to("/dang-nhap?ok=mat-khau").into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session::clear_cookie(&state));
            Ok(r)
        }
        Err(e @ AppError::Domain(_)) => {
            account_page(&me, &state, Feedback::refused(messages(&e))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_targets_after_signing_in() {
        for ok in [
            "/",
            "/to-chuc/12?ngay=31/12/2018",
            "/dang-vien/5#su-kien",
            "/tim-kiem?q=%C4%91",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "\t//evil.example",
            "javascript:alert(1)",
            "/đ",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(2000))), "/");
    }
}
