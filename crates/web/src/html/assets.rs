//! Sổ giám sát kê khai tài sản, thu nhập (R33): the committees an account may open, and a
//! committee's register of a year with its forms. Anyone without the grant gets the page that
//! does not exist.

use askama::Template;
use axum::extract::Path;
use chrono::Datelike;
use dangvu_app::AppError;
use dangvu_app::assets::{AssetItem, AssetRegister};
use dangvu_domain::assets::{DeclarationKind, DeclarationState, SupervisionKind, Trigger};
use dangvu_domain::dues::vnd;
use dangvu_domain::ids::OrgId;
use serde::Deserialize;

use crate::AppState;
use crate::error::finish;
use crate::extract::{Cx, Page};
use crate::html::{PageResult, show, shown};
use crate::i18n;
use crate::input::Fields;
use crate::input::accountability::apply_asset;
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

/// Query of a register page: the year (text, read after the scope is checked) and a notice.
#[derive(Debug, Deserialize, Default)]
pub struct AssetQuery {
    pub nam: Option<String>,
    pub ok: Option<String>,
}

#[derive(Template)]
#[template(path = "assets/index.html")]
pub struct IndexPage {
    pub me: CurrentActor,
    pub committees: Vec<Opt>,
}

/// The registers the account may open; none is the page that does not exist.
pub async fn index(Cx(me, state): Cx) -> PageResult {
    let a = me.actor();
    let today = state.app.clock.today();
    let mut committees = Vec::new();
    for c in state.app.asset_committees(&a) {
        committees.push(Opt::id(
            c.0,
            state.app.org_name(c, today).await.unwrap_or_default(),
        ));
    }
    if committees.is_empty() {
        return Err(AppError::NotFound("page").into());
    }
    show(&IndexPage { me, committees })
}

pub struct DeclarationRow {
    pub id: i64,
    pub cadre: String,
    pub kind: &'static str,
    pub due_on: String,
    pub received: String,
    pub state: &'static str,
    pub late: bool,
}

pub struct SupervisionRow {
    pub id: i64,
    pub kind: &'static str,
    pub trigger: &'static str,
    pub started_on: String,
    pub change: String,
    pub additional: &'static str,
    pub findings: String,
    pub follow_up: String,
    pub concluded_on: String,
}

pub struct CadreRow {
    pub id: i64,
    pub name: String,
    pub position: String,
    pub workplace: String,
    pub managed: String,
    pub declarations: Vec<DeclarationRow>,
    pub supervisions: Vec<SupervisionRow>,
}

#[derive(Template)]
#[template(path = "assets/register.html")]
pub struct RegisterPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub org: i64,
    pub org_name: String,
    pub year: i32,
    pub today: String,
    pub thresholds: String,
    pub cadres: Vec<CadreRow>,
    pub due: Vec<DeclarationRow>,
    pub overdue: usize,
    pub open_supervisions: Vec<Opt>,
    pub unreceived: Vec<Opt>,
    pub declaration_kinds: Vec<Opt>,
    pub supervision_kinds: Vec<Opt>,
    pub triggers: Vec<Opt>,
}

fn declaration_row(cadre: &str, l: &dangvu_app::assets::DeclarationLine) -> DeclarationRow {
    let d = &l.declaration;
    DeclarationRow {
        id: d.id,
        cadre: cadre.to_owned(),
        kind: i18n::declaration_kind(d.kind),
        due_on: vn(d.due_on),
        received: d
            .received_on
            .map(|r| match &d.receiving_body {
                Some(b) => format!("{} ({b})", vn(r)),
                None => vn(r),
            })
            .unwrap_or_default(),
        state: i18n::declaration_state(l.state),
        late: matches!(l.state, DeclarationState::Overdue | DeclarationState::Late),
    }
}

fn page_of(
    me: &CurrentActor,
    today: chrono::NaiveDate,
    name: String,
    r: AssetRegister,
    fb: Feedback,
) -> RegisterPage {
    let t = r.thresholds;
    let thresholds = format!(
        "Ngưỡng áp dụng ngày {} ({}): kê khai từng tài sản có giá trị từ {} trở lên; kê khai bổ sung khi tài sản, thu nhập biến động từ {} trở lên trong năm.",
        vn(r.thresholds_on),
        t.basis,
        vnd(i64::try_from(t.item_vnd).unwrap_or(i64::MAX)),
        vnd(i64::try_from(t.change_vnd).unwrap_or(i64::MAX)),
    );
    let mut open_supervisions = Vec::new();
    let mut unreceived = Vec::new();
    let cadres: Vec<CadreRow> = r
        .cadres
        .iter()
        .map(|l| {
            let c = &l.cadre;
            for d in &l.declarations {
                if d.declaration.received_on.is_none() {
                    unreceived.push(Opt::id(
                        d.declaration.id,
                        format!(
                            "{} — {}, hạn {}",
                            c.full_name,
                            i18n::declaration_kind(d.declaration.kind),
                            vn(d.declaration.due_on)
                        ),
                    ));
                }
            }
            CadreRow {
                id: c.id,
                name: c.full_name.clone(),
                position: c.position.clone(),
                workplace: c.workplace.clone().unwrap_or_default(),
                managed: match c.to_date {
                    Some(t) => format!("{} – {}", vn(c.from_date), vn(t)),
                    None => format!("từ {}", vn(c.from_date)),
                },
                declarations: l
                    .declarations
                    .iter()
                    .map(|d| declaration_row(&c.full_name, d))
                    .collect(),
                supervisions: l
                    .supervisions
                    .iter()
                    .map(|s| {
                        let v = &s.supervision;
                        if v.concluded_on.is_none() {
                            open_supervisions.push(Opt::id(
                                v.id,
                                format!(
                                    "{} — {} từ {}",
                                    c.full_name,
                                    i18n::supervision_kind(v.kind),
                                    vn(v.started_on)
                                ),
                            ));
                        }
                        SupervisionRow {
                            id: v.id,
                            kind: i18n::supervision_kind(v.kind),
                            trigger: i18n::trigger(v.trigger),
                            started_on: vn(v.started_on),
                            change: v.change_vnd.map(vnd).unwrap_or_default(),
                            additional: match s.additional_required {
                                Some(true) => "phải kê khai bổ sung",
                                Some(false) => "dưới ngưỡng kê khai bổ sung",
                                None => "",
                            },
                            findings: v.findings.clone().unwrap_or_default(),
                            follow_up: v.follow_up.clone().unwrap_or_default(),
                            concluded_on: v.concluded_on.map(vn).unwrap_or_default(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let due = r
        .due
        .iter()
        .map(|(c, l)| declaration_row(&c.full_name, l))
        .collect();
    RegisterPage {
        me: me.clone(),
        feedback: fb,
        org: r.committee.0,
        org_name: name,
        year: r.year,
        today: vn(today),
        thresholds,
        overdue: r.overdue(),
        cadres,
        due,
        open_supervisions,
        unreceived,
        declaration_kinds: DeclarationKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), i18n::declaration_kind(*k)))
            .collect(),
        supervision_kinds: SupervisionKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), i18n::supervision_kind(*k)))
            .collect(),
        triggers: Trigger::ALL
            .iter()
            .map(|k| Opt::code(k.code(), i18n::trigger(*k)))
            .collect(),
    }
}

async fn register_page(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    year: i32,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let r = state.app.asset_register(&a, org, year).await?;
    let (name, today) = crate::html::org_today(state, org).await;
    let page = page_of(me, today, name, r, fb);
    shown(page.feedback.status, &page)
}

/// The year a page's `nam` asks for, or this year.
pub(crate) fn year_of(state: &AppState, nam: Option<&str>) -> Result<i32, AppError> {
    match nam.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(state.app.clock.today().year()),
        Some(y) => y
            .parse::<i32>()
            .map_err(|_| AppError::from(dangvu_domain::FieldError::new("year", "invalid"))),
    }
}

/// The year a form names in its `year` field, or this year: the page a refused form is shown
/// again on, and the one its success goes back to.
pub(crate) fn form_year(state: &AppState, f: &Fields) -> i32 {
    f.get("year")
        .trim()
        .parse::<i32>()
        .unwrap_or_else(|_| state.app.clock.today().year())
}

/// A committee's register of a year (`?nam=`, default this year).
pub async fn register(Cx(me, state): Cx, Page(id, q): Page<AssetQuery>) -> PageResult {
    let org = OrgId(id);
    // Scope first: the year is read only for an account that may see the register.
    state
        .app
        .asset_scope(&me.actor(), AssetItem::Register(org))
        .await?;
    let year = year_of(&state, q.nam.as_deref())?;
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("cadre", "Đã thêm cán bộ vào sổ."),
            ("ended", "Đã ghi cán bộ thôi thuộc diện quản lý."),
            ("declaration", "Đã ghi bản kê khai phải nộp."),
            ("received", "Đã ghi nhận tiếp nhận bản kê khai."),
            ("supervision", "Đã ghi cuộc giám sát, kiểm tra."),
            ("concluded", "Đã ghi kết luận giám sát, kiểm tra."),
        ],
    );
    register_page(&me, &state, org, year, fb).await
}

/// One action of the register page.
pub async fn action(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let org = OrgId(id);
    let year = form_year(&state, &f);
    let r = apply_asset(&me, &state, org, &f)
        .await
        .map(|ok| format!("/to-chuc/{id}/ke-khai-tai-san?nam={year}&ok={ok}"));
    finish(r, f, async |fb| {
        register_page(&me, &state, org, year, fb).await
    })
    .await
}
