//! The API's residence contact (R20–R22): a member's introduction to the committee where she
//! lives and her links, the committee's view of a year, attaching to a residential cell, the
//! half-yearly meeting, the yearly comment and its certification.

use super::{ApiResult, Created, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::{Cx, JsonObject};
use crate::input::meeting::json_seats;
use crate::input::members as ops;
use crate::input::{self, Fields};
use axum::extract::{Path, Query};
use chrono::Datelike;
use dangvu_domain::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::residence::{Comment, Link};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// Body of "introduce a member to her place of residence".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct IntroduceBody {
    /// The committee (đảng ủy, chi bộ) of her place of residence.
    pub residence: i64,
    pub on: String,
    /// `barracks`, `mobile`, `full_time_study`, `other`: introduced but exempt from residence
    /// activities (HD 33).
    pub exempt_category: Option<String>,
}

/// Body of "attach an introduced member to a residential cell".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct AttachBody {
    pub cell: i64,
    pub on: String,
}

/// One attached member's line at the half-yearly meeting.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ResidenceSeat {
    pub member: i64,
    /// `present`, `absent_excused`, `absent_unexcused`, `exempt`.
    pub attendance: String,
    pub reason: Option<String>,
}

/// Body of "record the half-yearly meeting with the attached members" (R21).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ResidenceMeetingBody {
    pub held_on: String,
    pub place: String,
    pub attendance: Vec<ResidenceSeat>,
}

/// Body of "write the residence cell's comment of a year" (R22).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CommentBody {
    pub year: i32,
    pub content: String,
}

/// Body of "certify a comment of a year".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CertifyBody {
    pub year: i32,
}

/// Query of the committee's view.
#[derive(Debug, Deserialize, IntoParams, Default)]
pub struct YearParams {
    /// The year (default this year).
    pub year: Option<i32>,
}

fn link_json(l: &Link) -> Value {
    json!({
        "id": l.id, "member": l.member.0, "workplace": l.workplace.0, "residence": l.residence.0,
        "cell": l.cell.map(|c| c.0), "introduced_on": l.introduced_on,
        "attached_on": l.attached_on, "ended_on": l.ended_on,
        "exempt_category": l.exempt_category,
    })
}

fn comment_json(c: &Comment) -> Value {
    json!({
        "member": c.member.0, "year": c.year, "cell": c.cell.0, "content": c.content,
        "certified_on": c.certified_on, "certified_by": c.certified_by,
    })
}

fn year_field(f: &Fields) -> Result<i32, FieldError> {
    f.get("year")
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1930..=2100).contains(y))
        .ok_or(FieldError::new("year", "invalid"))
}

/// Introduces a member, by her workplace committee, to the committee of her place of residence
/// (R20); a new introduction ends the last one.
#[utoipa::path(post, path = "/api/v1/members/{id}/residence", params(("id" = i64, Path)), request_body = IntroduceBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn introduce(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let link = ops::introduce_to_residence(&me, &state, MemberId(id), &f, "residence").await?;
    created(json!({ "id": link }))
}

/// A member's residence links (both her workplace and her residence committee see them).
#[utoipa::path(get, path = "/api/v1/members/{id}/residence", params(("id" = i64, Path)), responses((status = 200, description = "Các lần giới thiệu về nơi cư trú"), (status = 404, body = ApiErrorBody)))]
pub async fn links(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.residence_links(&me.actor(), MemberId(id)).await?;
    ok(json!({ "member": id, "links": v.iter().map(link_json).collect::<Vec<_>>() }))
}

/// A residence committee's year: its links with names, the half-years without a meeting
/// (R21) and the comments (R22).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/residence", params(("id" = i64, Path), YearParams), responses((status = 200, description = "Sinh hoạt nơi cư trú"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn committee(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<YearParams>,
) -> ApiResult {
    let year = q.year.unwrap_or_else(|| state.app.clock.today().year());
    let v = state
        .app
        .residence_view(&me.actor(), OrgId(id), year)
        .await?;
    ok(json!({
        "org": id,
        "year": year,
        "links": v.links.iter().map(|(l, name)| {
            let mut j = link_json(l);
            j["name"] = json!(name);
            j
        }).collect::<Vec<_>>(),
        "halves_missing": v.halves_missing.iter().map(|(y, h)| json!({"year": y, "half": h})).collect::<Vec<_>>(),
        "comments": v.comments.iter().map(comment_json).collect::<Vec<_>>(),
    }))
}

/// Attaches an introduced member to a residential cell of the residence committee.
#[utoipa::path(post, path = "/api/v1/residence/links/{id}/attach", params(("id" = i64, Path)), request_body = AttachBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn attach(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let (cell, on) = crate::input::both(input::org_ref(&f, "cell"), input::date(&f, "on"))?;
    state.app.attach_to_cell(&me.actor(), id, cell, on).await?;
    ok(json!({ "id": id }))
}

/// Records the residence committee's half-yearly meeting with the attached members (R21).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/residence/meetings", params(("id" = i64, Path)), request_body = ResidenceMeetingBody, responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn record_meeting(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    let f = Fields::from_json(&body);
    let on = input::date(&f, "held_on")?;
    let seats: Vec<_> = json_seats(&body)?
        .into_iter()
        .map(|s| (s.member, s.attendance, s.reason))
        .collect();
    let meeting = state
        .app
        .record_residence_meeting(&me.actor(), OrgId(id), on, &f.get("place"), &seats)
        .await?;
    created(json!({ "id": meeting }))
}

/// The residence cell writes its comment of a year on an attached member (R22).
#[utoipa::path(post, path = "/api/v1/members/{id}/residence/comments", params(("id" = i64, Path)), request_body = CommentBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn write_comment(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let year = year_field(&f)?;
    state
        .app
        .write_residence_comment(&me.actor(), MemberId(id), year, &f.get("content"))
        .await?;
    ok(json!({ "member": id, "year": year }))
}

/// The residence committee certifies a member's comment of a year (R22).
#[utoipa::path(post, path = "/api/v1/members/{id}/residence/certify", params(("id" = i64, Path)), request_body = CertifyBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn certify_comment(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let year = year_field(&f)?;
    state
        .app
        .certify_residence_comment(&me.actor(), MemberId(id), year)
        .await?;
    ok(json!({ "member": id, "year": year }))
}
