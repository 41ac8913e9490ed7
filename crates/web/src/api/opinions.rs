//! Ý kiến góp ý xây dựng Đảng (R34) in the API: a committee's register, intake, assignment,
//! answer, and attachment to a review.

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::html::meeting_report::{ReportQuery, period};
use crate::input::Fields;
use crate::input::accountability as input;
use axum::extract::{Path, Query};
use dangvu_app::opinions::OpinionLine;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Body of "take an opinion in".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct OpinionBody {
    /// `front`, `mass_org`, `citizen`, `meeting`.
    pub source: String,
    pub source_name: Option<String>,
    pub received_on: String,
    /// The organisation it is about.
    pub subject_org: Option<i64>,
    /// The member it is about.
    pub subject_member: Option<i64>,
    pub content: String,
}

/// Body of "give an opinion to answer".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AssignmentBody {
    pub assigned_body: String,
    pub assigned_person: String,
    pub assigned_on: String,
    /// Working days to answer (1–90, default 15).
    pub days: Option<u32>,
}

/// Body of "answer an opinion".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AnswerBody {
    pub response: String,
    pub answered_on: String,
}

/// Body of "attach an opinion to a review".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AttachBody {
    /// The review period.
    pub review: i64,
}

pub(crate) fn line(l: &OpinionLine) -> Value {
    let o = &l.opinion;
    json!({
        "id": o.id, "committee": o.committee.0, "source": o.source.code(),
        "source_name": o.source_name, "received_on": o.received_on,
        "subject_org": o.subject_org.map(|x| x.0), "subject_member": o.subject_member.map(|x| x.0),
        "content": o.content, "assigned_body": o.assigned_body,
        "assigned_person": o.assigned_person, "assigned_on": o.assigned_on, "due_by": o.due_by,
        "response": o.response, "answered_on": o.answered_on, "review": o.review_period,
        "status": l.status.code(), "due": l.due.map(|d| d.code()),
    })
}

/// A committee's register of opinions received in a span of days (default this year so far),
/// with every overdue one of its subtree.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/opinions", params(("id" = i64, Path), ReportQuery), responses((status = 200, description = "Sổ ý kiến góp ý"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn register(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult {
    let a = me.actor();
    state.app.org_scope(&a, OrgId(id))?;
    let (from, to) = period(&state, &q)?;
    let r = state.app.opinion_register(&a, OrgId(id), from, to).await?;
    ok(json!({
        "committee": id, "from": r.from, "to": r.to,
        "opinions": r.lines.iter().map(line).collect::<Vec<_>>(),
        "overdue": r.overdue.iter().map(line).collect::<Vec<_>>(),
    }))
}

/// Takes an opinion into the committee's register.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/opinions", params(("id" = i64, Path)), request_body = OpinionBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn take(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let o = input::take_opinion(&me, &state, OrgId(id), &f).await?;
    created(json!({ "id": o }))
}

/// Gives an opinion to a body and a person to answer within working days.
#[utoipa::path(post, path = "/api/v1/opinions/{id}/assignment", params(("id" = i64, Path)), request_body = AssignmentBody, responses((status = 200, description = "Đã giao; due_by: hạn trả lời"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn assign(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let due = input::assign_opinion(&me, &state, id, &f).await?;
    ok(json!({ "id": id, "due_by": due }))
}

/// Records the answer to an opinion.
#[utoipa::path(post, path = "/api/v1/opinions/{id}/answer", params(("id" = i64, Path)), request_body = AnswerBody, responses((status = 200, description = "Đã ghi"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn answer(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    input::answer_opinion(&me, &state, id, &f).await?;
    ok(json!({ "id": id }))
}

/// Attaches an opinion about a member or an organisation to a review period, among its
/// comments (R28).
#[utoipa::path(post, path = "/api/v1/opinions/{id}/review", params(("id" = i64, Path)), request_body = AttachBody, responses((status = 200, description = "Đã đưa vào đánh giá"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn attach(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    input::attach_opinion(&me, &state, id, &f).await?;
    ok(json!({ "id": id }))
}
