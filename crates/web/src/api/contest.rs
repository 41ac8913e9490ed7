//! Hội thi Bí thư chi bộ giỏi (R36) in the API: a committee's question bank and rounds, a
//! round's ranked results, and a participant's result.

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;
use crate::input::accountability as input;
use axum::extract::Path;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// Body of "add a question".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuestionBody {
    pub topic: String,
    pub question: String,
    /// 2 to 6 options.
    pub options: Vec<String>,
    /// The number of the right option, from 1.
    pub answer: u32,
    pub source: Option<String>,
}

/// Body of "open a round".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RoundBody {
    pub name: String,
    pub contest_day: String,
    /// Question ids of the committee's bank, in order.
    pub questions: Vec<i64>,
}

/// Body of "a participant's result": a score, or the options chosen.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ResultBody {
    pub member: i64,
    /// Out of 100, one decimal at most ("87,5").
    pub contest_score: Option<String>,
    /// The number of the option chosen for each question (from 1; empty for none).
    pub answers: Option<Vec<String>>,
}

/// A committee's question bank, by topic.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/contest-questions", params(("id" = i64, Path)), responses((status = 200, description = "Ngân hàng câu hỏi"), (status = 404, body = ApiErrorBody)))]
pub async fn bank(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.question_bank(&me.actor(), OrgId(id)).await?;
    ok(json!({
        "org": id,
        "questions": v.iter().map(|q| json!({
            "id": q.id, "topic": q.topic, "question": q.question, "options": q.options,
            "answer": q.answer + 1, "source": q.source,
        })).collect::<Vec<_>>(),
    }))
}

/// Adds a question to the committee's bank.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/contest-questions", params(("id" = i64, Path)), request_body = QuestionBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn add_question(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let q = input::add_question(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": q }))
}

/// A committee's rounds, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/contest-rounds", params(("id" = i64, Path)), responses((status = 200, description = "Các vòng thi"), (status = 404, body = ApiErrorBody)))]
pub async fn rounds(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.rounds(&me.actor(), OrgId(id)).await?;
    ok(json!({
        "org": id,
        "rounds": v.iter().map(|r| json!({
            "id": r.id, "name": r.name, "contest_day": r.held_on, "questions": r.questions,
        })).collect::<Vec<_>>(),
    }))
}

/// Opens a round with questions of the committee's bank.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/contest-rounds", params(("id" = i64, Path)), request_body = RoundBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn open_round(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let r = input::open_round(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": r }))
}

/// A round's questions and its results, ranked (equal scores share a rank).
#[utoipa::path(get, path = "/api/v1/contest-rounds/{id}", params(("id" = i64, Path)), responses((status = 200, description = "Kết quả vòng thi"), (status = 404, body = ApiErrorBody)))]
pub async fn results(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let r = state.app.round_results(&me.actor(), id).await?;
    ok(json!({
        "id": id, "org": r.round.committee.0, "name": r.round.name,
        "contest_day": r.round.held_on,
        "questions": r.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        "results": r.lines.iter().map(|l| json!({
            "rank": l.rank, "member": l.member.0, "full_name": l.name,
            "cell": l.cell.map(|c| c.0), "score": f64::from(l.score_tenths) / 10.0,
            "from_answers": l.answered,
        })).collect::<Vec<_>>(),
    }))
}

/// Records (or corrects) a participant's result.
#[utoipa::path(post, path = "/api/v1/contest-rounds/{id}/entries", params(("id" = i64, Path)), request_body = ResultBody, responses((status = 200, description = "Đã ghi; score"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn enter(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let s = input::enter_result(&me, &state, id, &f).await?;
    ok(json!({ "id": id, "score": f64::from(s) / 10.0 }))
}
