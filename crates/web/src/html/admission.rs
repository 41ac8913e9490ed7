//! Kết nạp đảng viên on the pages: the people on the way to admission in a subtree with what is
//! due next, and one person's stages with the form of her next stage.

use askama::Template;
use axum::extract::Path;
use dangvu_app::admission::{CandidateList, CandidateView};
use dangvu_domain::admission::Stage;
use dangvu_domain::calendar::DueState;
use dangvu_domain::ids::OrgId;

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::html::probation::due_label;
use crate::html::{PageResult, shown};
use crate::input::Fields;
use crate::input::admission::{add, record_step};
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, decision_text, vn};

/// The Vietnamese name of a stage.
pub fn stage_label(s: Stage) -> &'static str {
    match s {
        Stage::Outstanding => "Quần chúng ưu tú",
        Stage::Candidate => "Đối tượng kết nạp (phân công đảng viên giúp đỡ)",
        Stage::AwarenessClass => "Học lớp nhận thức về Đảng",
        Stage::FileComplete => "Hoàn thành hồ sơ",
        Stage::CellResolution => "Nghị quyết của chi bộ",
        Stage::GrassrootsResolution => "Nghị quyết của đảng ủy cơ sở",
        Stage::Decision => "Quyết định kết nạp",
        Stage::Ceremony => "Lễ kết nạp",
    }
}

pub struct CandidateRow {
    pub id: i64,
    pub name: String,
    pub birth: String,
    pub stage: &'static str,
    pub since: String,
    pub next: &'static str,
    pub due: String,
    pub state: &'static str,
    pub overdue: bool,
    pub member: Option<i64>,
}

fn row(v: &CandidateView) -> CandidateRow {
    CandidateRow {
        id: v.candidate.id,
        name: v.candidate.full_name.clone(),
        birth: vn(v.record.birth_date),
        stage: stage_label(v.candidate.stage),
        since: vn(v.candidate.stage_on),
        next: v.next.map(stage_label).unwrap_or("Đã kết nạp"),
        due: v.due.map(|(d, _)| vn(d.due_by)).unwrap_or_default(),
        state: v.due.map(|(_, s)| due_label(s)).unwrap_or_default(),
        overdue: v.due.is_some_and(|(_, s)| s == DueState::Overdue),
        member: v.candidate.member.map(|m| m.0),
    }
}

#[derive(Template)]
#[template(path = "admission/list.html")]
pub struct ListPage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub is_cell: bool,
    pub rows: Vec<CandidateRow>,
    pub today: String,
    pub feedback: Feedback,
}

/// The page of the people the app listed in the actor's scope.
pub(crate) fn list_page(me: &CurrentActor, list: &CandidateList, fb: Feedback) -> PageResult {
    let page = ListPage {
        me: me.clone(),
        org: list.org.0,
        org_name: list.org_name.clone(),
        is_cell: list.is_cell,
        rows: list.people.iter().map(row).collect(),
        today: vn(list.today),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

/// The people on the way to admission in the organisation's subtree.
pub async fn list(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let list = state.app.candidates(&me.actor(), OrgId(id)).await?;
    list_page(&me, &list, Feedback::default())
}

/// Proposes a person as quần chúng ưu tú of the cell.
pub async fn add_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = add(&me, &state, OrgId(id), &f)
        .await
        .map(|c| format!("/ket-nap/{c}?ok=added"));
    finish(r, f, async |fb| {
        let list = state.app.candidates(&me.actor(), OrgId(id)).await?;
        list_page(&me, &list, fb)
    })
    .await
}

pub struct StepRow {
    pub stage: &'static str,
    pub on: String,
    pub detail: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "admission/candidate.html")]
pub struct CandidatePage {
    pub me: CurrentActor,
    pub id: i64,
    pub name: String,
    pub birth: String,
    pub cell: i64,
    pub cell_name: String,
    pub steps: Vec<StepRow>,
    pub next: Option<(&'static str, &'static str)>,
    pub due: String,
    pub member: Option<i64>,
    pub cell_members: Vec<Opt>,
    pub today: String,
    pub feedback: Feedback,
}

async fn candidate_page(me: &CurrentActor, state: &AppState, id: i64, fb: Feedback) -> PageResult {
    let a = me.actor();
    let today = state.app.clock.today();
    let v = state.app.candidate(&a, id).await?;
    let mut steps = Vec::new();
    for (s, d) in &v.steps {
        let mut detail = Vec::new();
        if let Some(h) = d.helper {
            let n = state
                .app
                .member(&a, h, today)
                .await
                .map(|m| m.record.full_name);
            detail.push(format!("đảng viên giúp đỡ: {}", n.unwrap_or_default()));
        }
        if let Some(c) = &d.certificate {
            detail.push(format!("giấy chứng nhận số {c}"));
        }
        if let (Some(f), Some(x), Some(n)) = (d.votes_for, d.votes_against, d.voters) {
            detail.push(format!(
                "{f}/{n} đảng viên chính thức tán thành, {x} không tán thành"
            ));
        }
        if !d.introducers.is_empty() {
            let mut names = Vec::new();
            for m in &d.introducers {
                names.push(
                    state
                        .app
                        .member(&a, *m, today)
                        .await
                        .map(|x| x.record.full_name)
                        .unwrap_or_default(),
                );
            }
            detail.push(format!("người giới thiệu: {}", names.join(", ")));
        }
        if let Some(u) = &d.union_resolution {
            detail.push(format!("nghị quyết giới thiệu của đoàn thể: {u}"));
        }
        if let Some(o) = &d.over_60_approval {
            detail.push(format!("trên 60 tuổi, được chấp thuận: {o}"));
        }
        if let Some(dec) = &d.decision {
            detail.push(decision_text(
                dec.reference.as_deref(),
                dec.body.as_deref(),
                dec.date,
            ));
        }
        if let Some(p) = &d.place {
            detail.push(format!("tại {p}"));
        }
        steps.push(StepRow {
            stage: stage_label(s.stage),
            on: vn(s.done_on),
            detail: detail.join("; "),
            by: s.recorded_by.clone(),
        });
    }
    let cell_members = state
        .app
        .meeting_roll(&a, v.candidate.cell, today)
        .await
        .map(|r| r.into_iter().map(|(m, n, _)| Opt::id(m.0, n)).collect())
        .unwrap_or_default();
    let page = CandidatePage {
        me: me.clone(),
        id,
        name: v.candidate.full_name.clone(),
        birth: vn(v.record.birth_date),
        cell: v.candidate.cell.0,
        cell_name: state
            .app
            .org_name(v.candidate.cell, today)
            .await
            .unwrap_or_default(),
        steps,
        next: v.next.map(|s| (s.code(), stage_label(s))),
        due: v
            .due
            .map(|(d, s)| format!("hạn {} ({})", vn(d.due_by), due_label(s).to_lowercase()))
            .unwrap_or_default(),
        member: v.candidate.member.map(|m| m.0),
        cell_members,
        today: vn(today),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

/// One person's stages and the form of her next stage.
pub async fn candidate(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<crate::html::meetings::YearQuery>,
) -> PageResult {
    let fb = q.notice(&[
        ("added", "Đã ghi vào danh sách quần chúng ưu tú."),
        ("step", "Đã ghi."),
        (
            "admitted",
            "Đã kết nạp: đảng viên dự bị đã có trong sổ đảng viên.",
        ),
    ]);
    candidate_page(&me, &state, id, fb).await
}

/// Records her next stage.
pub async fn step_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = record_step(&me, &state, id, &f).await.map(|m| match m {
        Some(_) => format!("/ket-nap/{id}?ok=admitted"),
        None => format!("/ket-nap/{id}?ok=step"),
    });
    finish(r, f, async |fb| candidate_page(&me, &state, id, fb).await).await
}
