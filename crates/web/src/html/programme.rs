//! The term programme (chương trình toàn khóa): items per month and pushes to the cells below.

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::extract::Page;
use crate::html::PageResult;
use crate::html::meetings::YearQuery;
use crate::html::meetings::meetings_page;
use crate::html::shown;
use crate::input::Fields;
use crate::input::meeting::item_input;
use crate::session::CurrentActor;
use crate::view::ANY;
use crate::view::Feedback;
use crate::view::Opt;
use askama::Template;
use axum::extract::Path;
use chrono::Datelike;
use dangvu_app::AppError;
use dangvu_domain::ids::OrgId;
use dangvu_domain::meeting::{ItemKind, PushState};

pub struct ItemLine {
    pub id: i64,
    pub month: String,
    pub kind: &'static str,
    pub title: String,
    pub reference: String,
    pub pushed: bool,
    pub held: bool,
}

pub(crate) fn item_line(i: &dangvu_store::programme::Item) -> ItemLine {
    let month = match i.month.split_once('-') {
        Some((y, m)) => format!("{m}/{y}"),
        None => i.month.clone(),
    };
    ItemLine {
        id: i.id,
        month,
        kind: crate::i18n::item_kind(i.kind),
        title: crate::i18n::item_title(i.kind, &i.title),
        reference: i.reference.clone().unwrap_or_default(),
        pushed: i.push.is_some(),
        held: i.held,
    }
}

pub(crate) async fn add_item_from(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let item = item_input(f)?;
    state.app.add_programme_item(&me.actor(), org, &item).await
}

pub(crate) async fn push_from(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    f: &Fields,
) -> Result<(i64, usize), AppError> {
    let item = item_input(f)?;
    state.app.push_programme_item(&me.actor(), org, &item).await
}

/// Adds an item to the cell's programme, from the meetings page.
pub async fn add_item(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = add_item_from(&me, &state, OrgId(id), &f)
        .await
        .map(|_| format!("/to-chuc/{id}/sinh-hoat?ok=item"));
    let year = state.app.clock.today().year();
    finish(r, f, async |fb| {
        meetings_page(&me, &state, OrgId(id), year, fb).await
    })
    .await
}

pub struct PushLine {
    pub id: i64,
    pub month: String,
    pub title: String,
    pub reference: String,
    pub cells: Vec<(i64, String, &'static str)>,
    pub scheduled: usize,
    pub held: usize,
}

#[derive(Template)]
#[template(path = "programme/programme.html")]
pub struct PushesPage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub pushes: Vec<PushLine>,
    pub item_kinds: Vec<Opt>,
    pub feedback: Feedback,
}

pub(crate) async fn pushes_page(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let mut pushes = Vec::new();
    for p in state.app.pushes(&a, org).await? {
        let (_, cells) = state.app.push_status(&a, p.id).await?;
        pushes.push(PushLine {
            id: p.id,
            month: p.month.clone(),
            title: crate::i18n::item_title(p.kind, &p.title),
            reference: p.reference.clone().unwrap_or_default(),
            scheduled: cells
                .iter()
                .filter(|(_, _, s)| *s != PushState::NotScheduled)
                .count(),
            held: cells
                .iter()
                .filter(|(_, _, s)| *s == PushState::Held)
                .count(),
            cells: cells
                .into_iter()
                .map(|(o, n, s)| {
                    (
                        o.0,
                        n,
                        match s {
                            PushState::NotScheduled => "Chưa đưa vào chương trình",
                            PushState::Scheduled => "Đã đưa vào chương trình, chưa sinh hoạt",
                            PushState::Held => "Đã sinh hoạt",
                        },
                    )
                })
                .collect(),
        });
    }
    let page = PushesPage {
        me: me.clone(),
        org: org.0,
        org_name: state
            .app
            .org_name(org, state.app.clock.today())
            .await
            .unwrap_or_default(),
        pushes,
        item_kinds: ItemKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), crate::i18n::item_kind(*k)))
            .collect(),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

/// A superior committee's items pushed to its cells, with each cell's state.
pub async fn pushes(Cx(me, state): Cx, Page(id, q): Page<YearQuery>) -> PageResult {
    let notice = "Đã đưa nội dung vào chương trình của các chi bộ.";
    pushes_page(&me, &state, OrgId(id), q.notice(&[(ANY, notice)])).await
}

pub async fn push(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = push_from(&me, &state, OrgId(id), &f)
        .await
        .map(|_| format!("/to-chuc/{id}/chuong-trinh?ok=pushed"));
    finish(r, f, async |fb| {
        pushes_page(&me, &state, OrgId(id), fb).await
    })
    .await
}
