//! Hội thi Bí thư chi bộ giỏi (R36): a committee's question bank and rounds, and one round's
//! questions and ranked results, printable.

use askama::Template;
use axum::extract::Path;
use dangvu_app::contest::RoundResults;
use dangvu_domain::contest::score_text;
use dangvu_domain::ids::OrgId;

use crate::AppState;
use crate::error::finish;
use crate::extract::{Cx, Page};
use crate::html::assets::AssetQuery;
use crate::html::{PageResult, shown};
use crate::input::Fields;
use crate::input::accountability::{add_question, enter_result, open_round};
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

pub struct QuestionView {
    pub id: i64,
    pub topic: String,
    pub question: String,
    pub options: Vec<(char, String, bool)>,
    pub source: String,
}

fn question_view(q: &dangvu_store::contest::Question) -> QuestionView {
    QuestionView {
        id: q.id,
        topic: q.topic.clone(),
        question: q.question.clone(),
        options: q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let letter = char::from(b'A' + u8::try_from(i).unwrap_or(0));
                (letter, o.clone(), i == q.answer)
            })
            .collect(),
        source: q.source.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "contest/committee.html")]
pub struct CommitteePage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub org: i64,
    pub org_name: String,
    pub today: String,
    pub questions: Vec<QuestionView>,
    pub rounds: Vec<Opt>,
}

async fn committee_page(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let questions = state.app.question_bank(&a, org).await?;
    let rounds = state
        .app
        .rounds(&a, org)
        .await?
        .into_iter()
        .map(|r| Opt::id(r.id, format!("{} ({})", r.name, vn(r.held_on))))
        .collect();
    let (org_name, today) = crate::html::org_today(state, org).await;
    let page = CommitteePage {
        me: me.clone(),
        feedback: fb,
        org: org.0,
        org_name,
        today: vn(today),
        questions: questions.iter().map(question_view).collect(),
        rounds,
    };
    shown(page.feedback.status, &page)
}

/// The bank and the rounds of a committee.
pub async fn committee(Cx(me, state): Cx, Page(id, q): Page<AssetQuery>) -> PageResult {
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[("question", "Đã thêm câu hỏi vào ngân hàng câu hỏi.")],
    );
    committee_page(&me, &state, OrgId(id), fb).await
}

/// Adds a question (`action` = `question`) or opens a round (`action` = `round`).
pub async fn committee_action(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let org = OrgId(id);
    let r = match f.get("action").trim() {
        "round" => open_round(&me, &state, org, &f)
            .await
            .map(|r| format!("/hoi-thi/{r}?ok=round")),
        _ => add_question(&me, &state, org, &f)
            .await
            .map(|_| format!("/to-chuc/{id}/hoi-thi?ok=question")),
    };
    finish(r, f, async |fb| committee_page(&me, &state, org, fb).await).await
}

pub struct ResultView {
    pub rank: u32,
    pub member: i64,
    pub name: String,
    pub cell: String,
    pub score: String,
    pub how: &'static str,
}

#[derive(Template)]
#[template(path = "contest/round.html")]
pub struct RoundPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub id: i64,
    pub org: i64,
    pub org_name: String,
    pub name: String,
    pub held_on: String,
    pub questions: Vec<QuestionView>,
    pub lines: Vec<ResultView>,
}

async fn round_page(
    me: &CurrentActor,
    state: &AppState,
    r: RoundResults,
    fb: Feedback,
) -> PageResult {
    let (org_name, today) = crate::html::org_today(state, r.round.committee).await;
    let mut lines = Vec::with_capacity(r.lines.len());
    for l in &r.lines {
        let cell = match l.cell {
            Some(c) => state.app.org_name(c, today).await.unwrap_or_default(),
            None => String::new(),
        };
        lines.push(ResultView {
            rank: l.rank,
            member: l.member.0,
            name: l.name.clone(),
            cell,
            score: score_text(l.score_tenths),
            how: if l.answered {
                "chấm theo đáp án"
            } else {
                "nhập điểm"
            },
        });
    }
    let page = RoundPage {
        me: me.clone(),
        feedback: fb,
        id: r.round.id,
        org: r.round.committee.0,
        org_name,
        name: r.round.name.clone(),
        held_on: vn(r.round.held_on),
        questions: r.questions.iter().map(question_view).collect(),
        lines,
    };
    shown(page.feedback.status, &page)
}

/// A round: its questions and ranked results.
pub async fn round(Cx(me, state): Cx, Page(id, q): Page<AssetQuery>) -> PageResult {
    let r = state.app.round_results(&me.actor(), id).await?;
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("round", "Đã tổ chức vòng thi."),
            ("result", "Đã ghi kết quả."),
        ],
    );
    round_page(&me, &state, r, fb).await
}

/// Records a participant's result.
pub async fn result(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = enter_result(&me, &state, id, &f)
        .await
        .map(|_| format!("/hoi-thi/{id}?ok=result"));
    finish(r, f, async |fb| {
        let r = state.app.round_results(&me.actor(), id).await?;
        round_page(&me, &state, r, fb).await
    })
    .await
}
