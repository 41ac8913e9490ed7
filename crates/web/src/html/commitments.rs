//! Cam kết học tập và làm theo Bác (R35): a cell's commitments of a year, the members who have
//! not registered theirs, and the forms to register, comment mid-year and assess at year end.

use askama::Template;
use axum::extract::Path;
use dangvu_app::commitments::CellCommitments;
use dangvu_domain::ids::OrgId;
use dangvu_store::commitments::Commitment;

use crate::AppState;
use crate::error::finish;
use crate::extract::{Cx, Page};
use crate::html::assets::AssetQuery;
use crate::html::{PageResult, shown};
use crate::input::Fields;
use crate::input::accountability::apply_commitment;
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

/// A commitment as the pages show it.
pub struct CommitmentView {
    pub id: i64,
    pub year: i32,
    pub items: Vec<String>,
    pub registered_on: String,
    pub mid_comment: String,
    pub assessment: String,
}

pub(crate) fn view(c: &Commitment) -> CommitmentView {
    CommitmentView {
        id: c.id,
        year: c.year,
        items: c.items.clone(),
        registered_on: vn(c.registered_on),
        mid_comment: match (&c.mid_comment, c.mid_comment_on) {
            (Some(t), Some(on)) => format!("{t} ({})", vn(on)),
            _ => String::new(),
        },
        assessment: match (&c.assessment, c.assessed_on) {
            (Some(t), Some(on)) => format!("{t} ({})", vn(on)),
            _ => String::new(),
        },
    }
}

pub struct LineView {
    pub member: i64,
    pub name: String,
    pub commitment: Option<CommitmentView>,
}

#[derive(Template)]
#[template(path = "commitments/cell.html")]
pub struct CellPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub org: i64,
    pub org_name: String,
    pub year: i32,
    pub today: String,
    pub collective: Option<CommitmentView>,
    pub lines: Vec<LineView>,
    pub missing: Vec<Opt>,
    pub registered: Vec<Opt>,
}

async fn page(me: &CurrentActor, state: &AppState, c: CellCommitments, fb: Feedback) -> PageResult {
    let (org_name, today) = crate::html::org_today(state, c.cell).await;
    let missing = c
        .missing()
        .into_iter()
        .map(|(m, n, _)| Opt::id(m.0, n.clone()))
        .collect();
    let mut registered: Vec<Opt> = c
        .lines
        .iter()
        .filter_map(|(_, n, x)| x.as_ref().map(|x| Opt::id(x.id, n.clone())))
        .collect();
    if let Some(x) = &c.collective {
        registered.insert(0, Opt::id(x.id, format!("Tập thể {org_name}")));
    }
    let page = CellPage {
        me: me.clone(),
        feedback: fb,
        org: c.cell.0,
        org_name,
        year: c.year,
        today: vn(today),
        collective: c.collective.as_ref().map(view),
        lines: c
            .lines
            .iter()
            .map(|(m, n, x)| LineView {
                member: m.0,
                name: n.clone(),
                commitment: x.as_ref().map(view),
            })
            .collect(),
        missing,
        registered,
    };
    shown(page.feedback.status, &page)
}

/// A cell's commitments of a year (`?nam=`, default this year).
pub async fn cell(Cx(me, state): Cx, Page(id, q): Page<AssetQuery>) -> PageResult {
    let org = OrgId(id);
    let a = me.actor();
    state.app.org_scope(&a, org)?;
    let year = crate::html::assets::year_of(&state, q.nam.as_deref())?;
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("registered", "Đã ghi bản cam kết."),
            ("commented", "Đã ghi nhận xét giữa năm."),
            ("assessed", "Đã ghi đánh giá cuối năm."),
        ],
    );
    let c = state.app.cell_commitments(&a, org, year).await?;
    page(&me, &state, c, fb).await
}

/// One action of the page.
pub async fn action(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let org = OrgId(id);
    let year = crate::html::assets::form_year(&state, &f);
    let r = apply_commitment(&me, &state, org, &f)
        .await
        .map(|ok| format!("/to-chuc/{id}/cam-ket?nam={year}&ok={ok}"));
    finish(r, f, async |fb| {
        let c = state.app.cell_commitments(&me.actor(), org, year).await?;
        page(&me, &state, c, fb).await
    })
    .await
}
