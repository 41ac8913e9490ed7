//! Signing in and out, one's own account, the administrator's accounts page, and the audit
//! trail, as pages and as `/api/v1` calls.

use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dangvu_app::AppError;
use dangvu_app::auth::NewUser;
use dangvu_app::trail::TrailFilter;
use dangvu_domain::access::{Grant, NewGrant, Role};
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::audit::StoredAudit;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, PageError, messages};
use crate::input::Fields;
use crate::session::{self, actor};
use crate::view::{Opt, render, vn};

type PageResult = Result<Response, PageError>;
type ApiResult = Result<Response, ApiError>;

/// Vietnamese name of a role.
pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Admin => "Quản trị hệ thống",
        Role::Officer => "Cán bộ ban tổ chức",
        Role::Secretary => "Bí thư, cấp ủy viên",
        Role::Member => "Đảng viên (xem hồ sơ của mình)",
    }
}

async fn grant_text(state: &AppState, g: &Grant) -> String {
    let today = state.app.clock.today();
    let scope = match g.org {
        Some(o) => state
            .app
            .org_name(o, today)
            .await
            .unwrap_or_else(|_| format!("tổ chức {o}")),
        None => String::new(),
    };
    let until = g
        .valid_to
        .map(|t| format!(" đến {}", vn(t)))
        .unwrap_or_default();
    let scope = if scope.is_empty() {
        String::new()
    } else {
        format!(" · {scope}")
    };
    let status = if g.active_on(today) {
        ""
    } else {
        " (không còn hiệu lực)"
    };
    format!(
        "{}{scope} · từ {}{until}{status}",
        role_label(g.role),
        vn(g.valid_from)
    )
}

// ---------------------------------------------------------------- sign in and out

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
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

pub async fn login_form(Query(q): Query<LoginQuery>) -> Response {
    let notice = match q.ok.as_deref() {
        Some("dang-xuat") => Some("Đã đăng xuất.".to_owned()),
        Some("mat-khau") => Some("Đã đổi mật khẩu; hãy đăng nhập lại.".to_owned()),
        _ => None,
    };
    Html(render(&LoginPage {
        errors: Vec::new(),
        notice,
        next: safe_next(q.tiep.as_deref().unwrap_or("/")),
        username: String::new(),
    }))
    .into_response()
}

pub async fn login_submit(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields::from_pairs(pairs);
    let next = safe_next(&f.get("tiep"));
    let username = f.get("username");
    match state
        .app
        .sign_in(&username, &f.get("password"), session::address().as_deref())
        .await
    {
        Ok(s) => {
            if !f.get("end_others").is_empty()
                && let Err(e) = state
                    .app
                    .end_other_sessions(&s, session::address().as_deref())
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
                errors: messages(&e),
                notice: None,
                next,
                username: username.trim().chars().take(40).collect(),
            };
            (status, Html(render(&page))).into_response()
        }
    }
}

fn token_of(headers: &HeaderMap) -> String {
    session::cookie(headers, session::COOKIE).unwrap_or_default()
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    state.app.sign_out(&actor(), &token_of(&headers)).await?;
    let mut r = Redirect::to("/dang-nhap?ok=dang-xuat").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(r)
}

pub async fn logout_everywhere(State(state): State<AppState>) -> PageResult {
    state.app.sign_out_everywhere(&actor()).await?;
    let mut r = Redirect::to("/dang-nhap?ok=dang-xuat").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(r)
}

/// The home page: the tree for those who manage organisations, one's own record for a member.
pub async fn home() -> Redirect {
    if session::sees_orgs() {
        Redirect::to("/to-chuc")
    } else if let Some(m) = session::own_member() {
        Redirect::to(&format!("/dang-vien/{m}"))
    } else {
        Redirect::to("/tai-khoan")
    }
}

// ---------------------------------------------------------------- own account

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    errors: Vec<String>,
    notice: Option<String>,
    username: String,
    display_name: String,
    grants: Vec<String>,
}

async fn account_page(state: &AppState, errors: Vec<String>, notice: Option<String>) -> PageResult {
    let a = actor();
    let id = a.user_id.ok_or(AppError::Forbidden)?;
    let (user, grants) = state.app.own_account(&a, id).await?;
    let mut texts = Vec::new();
    for g in &grants {
        texts.push(grant_text(state, g).await);
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        Html(render(&AccountPage {
            errors,
            notice,
            username: user.username,
            display_name: user.display_name,
            grants: texts,
        })),
    )
        .into_response())
}

pub async fn account(State(state): State<AppState>) -> PageResult {
    account_page(&state, Vec::new(), None).await
}

pub async fn change_password(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let a = actor();
    let id = a.user_id.ok_or(AppError::Forbidden)?;
    if f.get("password") != f.get("password2") {
        let msg = crate::i18n::field_message("password2", "password_mismatch");
        return account_page(&state, vec![msg], None).await;
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
        Err(e @ AppError::Domain(_)) => account_page(&state, messages(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- administrator's page

struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    disabled: bool,
    /// (grant id, text, still in force).
    grants: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    errors: Vec<String>,
    notice: Option<String>,
    users: Vec<UserRow>,
    role_options: Vec<Opt>,
    org_options: Vec<Opt>,
    today: String,
}

async fn users_page(state: &AppState, errors: Vec<String>, notice: Option<String>) -> PageResult {
    let a = actor();
    let list = state.app.users(&a).await?;
    let mut users = Vec::new();
    for u in list {
        let mut grants = Vec::new();
        let today = state.app.clock.today();
        for g in &u.grants {
            let open = g.valid_to.is_none_or(|t| t > today);
            grants.push((g.id, grant_text(state, g).await, open));
        }
        users.push(UserRow {
            id: u.user.id,
            username: u.user.username,
            display_name: u.user.display_name,
            disabled: u.user.disabled,
            grants,
        });
    }
    let today = state.app.clock.today();
    let org_options = org_options(state, &a).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        Html(render(&UsersPage {
            errors,
            notice,
            users,
            role_options: Role::ALL
                .iter()
                .map(|r| Opt::code(r.code(), role_label(*r)))
                .collect(),
            org_options,
            today: vn(today),
        })),
    )
        .into_response())
}

/// The organisations of the actor's scope today, for a picker.
async fn org_options(state: &AppState, a: &dangvu_app::Actor) -> Result<Vec<Opt>, AppError> {
    let today = state.app.clock.today();
    Ok(state
        .app
        .orgs_on(a, today)
        .await?
        .into_iter()
        .map(|p| Opt::id(p.org.0, p.name))
        .collect())
}

pub async fn users(State(state): State<AppState>) -> PageResult {
    users_page(&state, Vec::new(), None).await
}

fn opt_id(f: &Fields, name: &'static str) -> Result<Option<i64>, FieldError> {
    let v = f.get(name);
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| FieldError::new(name, "number_format"))
}

fn opt_date(f: &Fields, name: &'static str) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let v = f.get(name);
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_date(name, &v).map(Some)
}

async fn create_user_from(state: &AppState, f: &Fields) -> Result<i64, AppError> {
    let member = opt_id(f, "member")?.map(MemberId);
    state
        .app
        .add_user(
            &actor(),
            NewUser {
                username: f.get("username"),
                display_name: f.get("display_name"),
                password: f.get("password"),
                member,
            },
        )
        .await
}

async fn grant_from(state: &AppState, f: &Fields) -> Result<i64, AppError> {
    let user = opt_id(f, "user")?.ok_or(FieldError::new("user", "required"))?;
    let role = Role::parse(&f.get("role"))?;
    let org = opt_id(f, "org")?.map(OrgId);
    let from = opt_date(f, "valid_from")?.ok_or(FieldError::new("valid_from", "required"))?;
    let to = opt_date(f, "valid_to")?;
    let decision = f.get("decision_ref");
    let g = NewGrant {
        role,
        org,
        valid_from: from,
        valid_to: to,
        decision_ref: Some(decision.trim().to_owned()).filter(|s| !s.is_empty()),
    };
    state.app.grant_role(&actor(), user, &g).await
}

/// The accounts page again after a form: with a notice on success, with the messages when
/// the input was refused.
async fn after_admin_form(
    state: &AppState,
    result: Result<i64, AppError>,
    notice: &str,
) -> PageResult {
    match result {
        Ok(_) => users_page(state, Vec::new(), Some(notice.into())).await,
        Err(e @ AppError::Domain(_)) => users_page(state, messages(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn create_user(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = create_user_from(&state, &f).await;
    after_admin_form(&state, r, "Đã tạo tài khoản.").await
}

pub async fn end_grant(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = async {
        let user = opt_id(&f, "user")?.ok_or(FieldError::new("user", "required"))?;
        let grant = opt_id(&f, "grant")?.ok_or(FieldError::new("grant", "required"))?;
        let on = opt_date(&f, "on")?.unwrap_or(state.app.clock.today());
        state
            .app
            .end_grant(&actor(), user, grant, on, &f.get("reason"))
            .await
            .map(|()| grant)
    }
    .await;
    after_admin_form(&state, r, "Đã kết thúc vai trò.").await
}

pub async fn disable_user(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let disable = f.get("disabled") != "false";
    let r = async {
        let user = opt_id(&f, "user")?.ok_or(FieldError::new("user", "required"))?;
        state
            .app
            .set_user_disabled(&actor(), user, disable, &f.get("reason"))
            .await
            .map(|()| user)
    }
    .await;
    let notice = if disable {
        "Đã khóa tài khoản; mọi phiên đăng nhập của tài khoản đã kết thúc."
    } else {
        "Đã mở lại tài khoản."
    };
    after_admin_form(&state, r, notice).await
}

pub async fn grant(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = grant_from(&state, &f).await;
    after_admin_form(&state, r, "Đã giao vai trò.").await
}

// ---------------------------------------------------------------- audit trail

/// Query of the audit trail (page and API).
#[derive(Debug, Deserialize, Default, IntoParams)]
pub struct TrailQuery {
    /// User name of whoever acted.
    pub nguoi: Option<String>,
    /// Entity: `org`, `member`, `user`.
    pub doi_tuong: Option<String>,
    /// Entity id.
    pub ma: Option<String>,
    /// Organisation (its subtree).
    pub to_chuc: Option<String>,
    /// Action code (`member.correct`, …).
    pub thao_tac: Option<String>,
    /// From date (dd/mm/yyyy).
    pub tu: Option<String>,
    /// To date, included (dd/mm/yyyy).
    pub den: Option<String>,
    /// Entries older than this sequence number.
    pub truoc: Option<i64>,
}

fn filter_of(q: &TrailQuery) -> Result<TrailFilter, FieldError> {
    let num = |v: &Option<String>, name: &'static str| -> Result<Option<i64>, FieldError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| FieldError::new(name, "number_format")),
        }
    };
    let date = |v: &Option<String>, name: &'static str| match v
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(s) => parse_date(name, s).map(Some),
    };
    Ok(TrailFilter {
        person: q.nguoi.clone(),
        entity: q.doi_tuong.clone(),
        entity_id: num(&q.ma, "ma")?,
        org: num(&q.to_chuc, "to_chuc")?.map(OrgId),
        action: q.thao_tac.clone(),
        from: date(&q.tu, "tu")?,
        to: date(&q.den, "den")?,
        before: q.truoc,
        limit: 100,
    })
}

/// Vietnamese name of an audited action.
pub fn action_label(code: &str) -> &str {
    match code {
        "org.create" => "Thành lập tổ chức",
        "org.rename" => "Đổi tên tổ chức",
        "org.change_kind" => "Đổi loại tổ chức",
        "org.move" => "Chuyển tổ chức",
        "org.dissolve" => "Giải thể tổ chức",
        "org.merge" => "Sáp nhập",
        "org.split" => "Chia tách",
        "org.appoint" => "Bổ nhiệm chức vụ",
        "org.end_position" => "Thôi giữ chức vụ",
        "member.create" => "Thêm đảng viên",
        "member.event" => "Ghi sự kiện",
        "member.correct" => "Đính chính hồ sơ",
        "member.card" => "Cấp thẻ",
        "user.create" => "Tạo tài khoản",
        "user.grant" => "Giao vai trò",
        "user.end_grant" => "Kết thúc vai trò",
        "user.password" => "Đổi mật khẩu",
        "auth.sign_in" => "Đăng nhập",
        "auth.sign_in_failed" => "Đăng nhập sai",
        "auth.sign_in_locked" => "Đăng nhập khi đang bị khóa",
        "auth.sign_out" => "Đăng xuất",
        "auth.sign_out_everywhere" => "Đăng xuất mọi nơi",
        other => other,
    }
}

const ACTIONS: &[&str] = &[
    "org.create",
    "org.rename",
    "org.move",
    "org.dissolve",
    "org.merge",
    "org.split",
    "org.appoint",
    "org.end_position",
    "member.create",
    "member.event",
    "member.correct",
    "member.card",
    "user.create",
    "user.grant",
    "user.password",
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.sign_out",
];

struct TrailRow {
    seq: i64,
    at: String,
    actor: String,
    address: String,
    action: String,
    entity: String,
    link: String,
    old_value: String,
    new_value: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct TrailPage {
    errors: Vec<String>,
    rows: Vec<TrailRow>,
    entity_options: Vec<Opt>,
    org_options: Vec<Opt>,
    action_options: Vec<Opt>,
    f_person: String,
    f_entity: String,
    f_id: String,
    f_org: String,
    f_action: String,
    f_from: String,
    f_to: String,
    next_page: Option<String>,
}

/// "15/06/2026 10:00" in Vietnam time.
fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            (t.naive_utc() + chrono::Duration::hours(7))
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

fn trail_row(r: &StoredAudit) -> TrailRow {
    let e = &r.entry;
    let entity = match (e.entity.as_str(), e.entity_id) {
        ("org", Some(i)) => format!("Tổ chức #{i}"),
        ("member", Some(i)) => format!("Đảng viên #{i}"),
        ("user", Some(i)) if i > 0 => format!("Tài khoản #{i}"),
        (other, _) => other.to_owned(),
    };
    // A member's record as it was right after the change.
    let day = chrono::DateTime::parse_from_rfc3339(&e.at)
        .map(|t| {
            (t.naive_utc() + chrono::Duration::hours(7))
                .date()
                .to_string()
        })
        .unwrap_or_default();
    let link = match (e.entity.as_str(), e.entity_id) {
        ("org", Some(i)) => format!("/to-chuc/{i}?ngay={day}"),
        ("member", Some(i)) => format!("/dang-vien/{i}?ngay={day}"),
        _ => String::new(),
    };
    let reason = [e.reason.clone(), e.decision_ref.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    TrailRow {
        seq: r.seq,
        at: local_time(&e.at),
        actor: e.actor.clone(),
        address: e.address.clone().unwrap_or_default(),
        action: action_label(&e.action).to_owned(),
        entity,
        link,
        old_value: e.old_value.clone().unwrap_or_default(),
        new_value: e.new_value.clone().unwrap_or_default(),
        reason,
    }
}

pub async fn trail(State(state): State<AppState>, Query(q): Query<TrailQuery>) -> PageResult {
    let a = actor();
    let mut errors = Vec::new();
    let filter = match filter_of(&q) {
        Ok(f) => f,
        Err(e) => {
            errors.push(crate::i18n::field_message(e.field, e.code));
            TrailFilter {
                limit: 100,
                ..Default::default()
            }
        }
    };
    let rows = state.app.audit_trail(&a, &filter).await?;
    let next_page = (rows.len() as i64 >= filter.limit)
        .then(|| rows.last().map(|r| r.seq))
        .flatten()
        .map(|s| {
            let mut p = vec![format!("truoc={s}")];
            for (k, v) in [
                ("nguoi", &q.nguoi),
                ("doi_tuong", &q.doi_tuong),
                ("ma", &q.ma),
                ("to_chuc", &q.to_chuc),
                ("thao_tac", &q.thao_tac),
                ("tu", &q.tu),
                ("den", &q.den),
            ] {
                if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                    p.push(format!("{k}={}", crate::pages::url_escape(v)));
                }
            }
            format!("/nhat-ky?{}", p.join("&"))
        });
    let org_options = org_options(&state, &a).await?;
    let page = TrailPage {
        errors,
        rows: rows.iter().map(trail_row).collect(),
        entity_options: vec![
            Opt::code("org", "Tổ chức"),
            Opt::code("member", "Đảng viên"),
            Opt::code("user", "Tài khoản"),
        ],
        org_options,
        action_options: ACTIONS
            .iter()
            .map(|c| Opt::code(c, action_label(c)))
            .collect(),
        f_person: q.nguoi.clone().unwrap_or_default(),
        f_entity: q.doi_tuong.clone().unwrap_or_default(),
        f_id: q.ma.clone().unwrap_or_default(),
        f_org: q.to_chuc.clone().unwrap_or_default(),
        f_action: q.thao_tac.clone().unwrap_or_default(),
        f_from: q.tu.clone().unwrap_or_default(),
        f_to: q.den.clone().unwrap_or_default(),
        next_page,
    };
    Ok(Html(render(&page)).into_response())
}

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
pub async fn api_sign_in(State(state): State<AppState>, Json(body): Json<SignInBody>) -> ApiResult {
    let s = state
        .app
        .sign_in(
            &body.username,
            &body.password,
            session::address().as_deref(),
        )
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
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204)))]
pub async fn api_sign_out(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    state.app.sign_out(&actor(), &token_of(&headers)).await?;
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(r)
}

/// Who is signed in, with the CSRF token of the session.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200), (status = 401, body = crate::error::ApiErrorBody)))]
pub async fn api_me() -> ApiResult {
    let a = actor();
    Ok(Json(json!({
        "username": a.name,
        "user_id": a.user_id,
        "csrf": session::csrf_token(),
        "roles": Role::ALL.iter().filter(|r| session::has_role(&[**r])).map(|r| r.code()).collect::<Vec<_>>(),
        "scope": a.access.roots.iter().map(|o| o.0).collect::<Vec<_>>(),
        "member": a.access.own_member.map(|m| m.0),
    }))
    .into_response())
}

/// The audit trail within the caller's scope, newest first (100 a page).
#[utoipa::path(get, path = "/api/v1/audit", params(TrailQuery), responses((status = 200), (status = 403, body = crate::error::ApiErrorBody)))]
pub async fn api_trail(State(state): State<AppState>, Query(q): Query<TrailQuery>) -> ApiResult {
    let filter = filter_of(&q).map_err(|e| ApiError::from(DomainError::from(e)))?;
    let rows = state.app.audit_trail(&actor(), &filter).await?;
    let items: Vec<_> = rows
        .iter()
        .map(|r| {
            let e = &r.entry;
            json!({
                "seq": r.seq, "at": e.at, "actor": e.actor, "address": e.address,
                "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "org_id": e.org_id,
                "old_value": e.old_value, "new_value": e.new_value, "reason": e.reason,
                "decision_ref": e.decision_ref, "hash": r.hash,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })).into_response())
}

/// Creates an account (administrator).
#[utoipa::path(post, path = "/api/v1/users", responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 403, body = crate::error::ApiErrorBody)))]
pub async fn api_create_user(
    State(state): State<AppState>,
    Json(body): Json<serde_json::Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let id = create_user_from(&state, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// Grants a role on a scope (administrator). Body: user, role, org, valid_from, valid_to, decision_ref.
#[utoipa::path(post, path = "/api/v1/grants", responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 403, body = crate::error::ApiErrorBody)))]
pub async fn api_grant(
    State(state): State<AppState>,
    Json(body): Json<serde_json::Value>,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let id = grant_from(&state, &f).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
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
