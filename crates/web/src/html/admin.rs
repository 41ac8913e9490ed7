//! The administrator's pages: accounts, role grants, disabling an account.

use crate::AppState;
use crate::error::messages;
use crate::extract::Cx;
use crate::html::PageResult;
use crate::html::shown;
use crate::input::Fields;
use crate::session::CurrentActor;
use crate::view::Feedback;
use crate::view::{Opt, vn};
use askama::Template;
use axum::extract::State;
use dangvu_app::AppError;
use dangvu_app::auth::NewUser;
use dangvu_domain::FieldError;
use dangvu_domain::access::{Grant, NewGrant, Role};
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::{MemberId, OrgId};

/// Vietnamese name of a role.
pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Admin => "Quản trị hệ thống",
        Role::Officer => "Cán bộ ban tổ chức",
        Role::Secretary => "Bí thư, cấp ủy viên",
        Role::Member => "Đảng viên (xem hồ sơ của mình)",
        Role::AssetSupervisor => "Giám sát kê khai tài sản (chỉ sổ giám sát của cấp ủy)",
    }
}

pub(crate) async fn grant_text(state: &AppState, g: &Grant) -> String {
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

// ---------------------------------------------------------------- administrator's page

pub(crate) struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    disabled: bool,
    /// (grant id, text, still in force).
    grants: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub(crate) struct UsersPage {
    me: CurrentActor,
    feedback: Feedback,
    users: Vec<UserRow>,
    role_options: Vec<Opt>,
    org_options: Vec<Opt>,
    today: String,
}

pub(crate) async fn users_page(
    me: &CurrentActor,
    state: &AppState,
    feedback: Feedback,
) -> PageResult {
    let a = me.actor();
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
    let page = UsersPage {
        me: me.clone(),
        feedback,
        users,
        role_options: Role::ALL
            .iter()
            .map(|r| Opt::code(r.code(), role_label(*r)))
            .collect(),
        org_options,
        today: vn(today),
    };
    shown(page.feedback.status, &page)
}

/// The organisations of the actor's scope today, for a picker.
pub(crate) async fn org_options(
    state: &AppState,
    a: &dangvu_app::Actor,
) -> Result<Vec<Opt>, AppError> {
    let today = state.app.clock.today();
    Ok(state
        .app
        .orgs_on(a, today)
        .await?
        .into_iter()
        .map(|p| Opt::id(p.org.0, p.name))
        .collect())
}

pub async fn users(me: CurrentActor, State(state): State<AppState>) -> PageResult {
    users_page(&me, &state, Feedback::default()).await
}

pub(crate) fn opt_id(f: &Fields, name: &'static str) -> Result<Option<i64>, FieldError> {
    let v = f.get(name);
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| FieldError::new(name, "number_format"))
}

pub(crate) fn opt_date(
    f: &Fields,
    name: &'static str,
) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let v = f.get(name);
    if v.trim().is_empty() {
        return Ok(None);
    }
    parse_date(name, &v).map(Some)
}

pub(crate) async fn create_user_from(
    me: &CurrentActor,
    state: &AppState,
    f: &Fields,
) -> Result<i64, AppError> {
    let member = opt_id(f, "member")?.map(MemberId);
    state
        .app
        .add_user(
            &me.actor(),
            NewUser {
                username: f.get("username"),
                display_name: f.get("display_name"),
                password: f.get("password"),
                member,
            },
        )
        .await
}

pub(crate) async fn grant_from(
    me: &CurrentActor,
    state: &AppState,
    f: &Fields,
) -> Result<i64, AppError> {
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
    state.app.grant_role(&me.actor(), user, &g).await
}

/// The accounts page again after a form: with a notice on success, with the messages when
/// the input was refused.
pub(crate) async fn after_admin_form(
    me: &CurrentActor,
    state: &AppState,
    result: Result<i64, AppError>,
    notice: &str,
) -> PageResult {
    match result {
        Ok(_) => users_page(me, state, Feedback::notice(Some(notice.into()))).await,
        Err(e @ AppError::Domain(_)) => {
            users_page(me, state, Feedback::refused(messages(&e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_user(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = create_user_from(&me, &state, &f).await;
    after_admin_form(&me, &state, r, "Đã tạo tài khoản.").await
}

pub async fn end_grant(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = async {
        let user = opt_id(&f, "user")?.ok_or(FieldError::new("user", "required"))?;
        let grant = opt_id(&f, "grant")?.ok_or(FieldError::new("grant", "required"))?;
        let on = opt_date(&f, "on")?.unwrap_or(state.app.clock.today());
        state
            .app
            .end_grant(&me.actor(), user, grant, on, &f.get("reason"))
            .await
            .map(|()| grant)
    }
    .await;
    after_admin_form(&me, &state, r, "Đã kết thúc vai trò.").await
}

pub async fn disable_user(Cx(me, state): Cx, f: Fields) -> PageResult {
    let disable = f.get("disabled") != "false";
    let r = async {
        let user = opt_id(&f, "user")?.ok_or(FieldError::new("user", "required"))?;
        state
            .app
            .set_user_disabled(&me.actor(), user, disable, &f.get("reason"))
            .await
            .map(|()| user)
    }
    .await;
    let notice = if disable {
        "Đã khóa tài khoản; mọi phiên đăng nhập của tài khoản đã kết thúc."
    } else {
        "Đã mở lại tài khoản."
    };
    after_admin_form(&me, &state, r, notice).await
}

pub async fn grant(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = grant_from(&me, &state, &f).await;
    after_admin_form(&me, &state, r, "Đã giao vai trò.").await
}
