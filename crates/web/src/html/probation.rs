//! The probationary members of a subtree (R8): when each becomes eligible for official
//! membership and whether the cell's consideration is due or overdue.

use askama::Template;
use axum::extract::Path;
use dangvu_domain::calendar::DueState;
use dangvu_domain::ids::OrgId;

use crate::extract::Cx;
use crate::html::{PageResult, show};
use crate::session::CurrentActor;
use crate::view::vn;

/// The label of a step's state against its deadline.
pub fn due_label(s: DueState) -> &'static str {
    match s {
        DueState::NotYet => "Chưa đến hạn",
        DueState::Due => "Đến hạn xét",
        DueState::Overdue => "Quá hạn",
    }
}

pub struct ProbationRow {
    pub member: i64,
    pub name: String,
    pub cell: String,
    pub admitted: String,
    pub eligible: String,
    pub due_by: String,
    pub state: &'static str,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "probation/list.html")]
pub struct ProbationPage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub today: String,
    pub rows: Vec<ProbationRow>,
    pub due: usize,
    pub overdue: usize,
}

/// The probationary members of the organisation's subtree today.
pub async fn probations(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let lines = state
        .app
        .probations(&me.actor(), OrgId(id), state.app.clock.today())
        .await?;
    let (org_name, today) = crate::html::org_today(&state, OrgId(id)).await;
    let count = |s| lines.iter().filter(|l| l.state == s).count();
    let page = ProbationPage {
        me: me.clone(),
        org: id,
        org_name,
        today: vn(today),
        due: count(DueState::Due),
        overdue: count(DueState::Overdue),
        rows: lines
            .iter()
            .map(|l| ProbationRow {
                member: l.member.0,
                name: l.name.clone(),
                cell: l.cell_name.clone(),
                admitted: vn(l.admitted_on),
                eligible: vn(l.eligible_on),
                due_by: vn(l.due_by),
                state: due_label(l.state),
                overdue: l.state == DueState::Overdue,
            })
            .collect(),
    };
    show(&page)
}
