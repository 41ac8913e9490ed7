//! Thẻ đảng viên in the API: a card lost or recovered, and a subtree's card work.

use axum::extract::{Path, Query};
use dangvu_domain::card::CardStatus;
use dangvu_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::api::{ApiResult, AsOf, ok, on_date};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;

/// Body of "a card lost or recovered".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct StatusBody {
    /// `lost` (báo mất) or `recovered` (thu hồi from a member who has left the Party).
    pub card_status: String,
    /// dd/mm/yyyy or YYYY-MM-DD.
    pub on: String,
    pub note: Option<String>,
}

/// Marks a card in use lost or recovered.
#[utoipa::path(post, path = "/api/v1/cards/{id}/status", params(("id" = i64, Path)), request_body = StatusBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn status(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let st = CardStatus::from_code(f.get("card_status").trim()).ok_or_else(|| {
        crate::input::invalid(vec![dangvu_domain::FieldError::new(
            "card_status",
            "required",
        )])
    })?;
    let on = crate::input::date(&f, "on").map_err(|e| crate::input::invalid(vec![e]))?;
    state
        .app
        .end_card(&me.actor(), id, st, on, &f.get("note"))
        .await?;
    ok(json!({"id": id, "card_status": st.code(), "on": on}))
}

/// The card work of a subtree on a day: official members who need a card (`no_card`, `lost`,
/// `campaign`) and the cards of former members to recover.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/cards", params(("id" = i64, Path), AsOf), responses((status = 200, description = "Thẻ đảng viên"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn work(Cx(me, state): Cx, Path(id): Path<i64>, Query(q): Query<AsOf>) -> ApiResult {
    let on = on_date(&state, &q.on)?;
    let w = state.app.card_work(&me.actor(), OrgId(id), on).await?;
    ok(json!({
        "org": id,
        "on": w.on,
        "campaign": w.campaign.map(|c| json!({"id": c.id, "title": c.title, "from": c.from, "by": c.by})),
        "needed": w.needed.iter().map(|l| json!({
            "member": l.member.0, "name": l.name, "cell": l.cell.0, "cell_name": l.cell_name,
            "need": l.need.code(), "card": l.card,
        })).collect::<Vec<_>>(),
        "to_recover": w.to_recover.iter().map(|l| json!({
            "member": l.member.0, "name": l.name, "status": l.status.code(),
            "card": l.card.id, "card_number": l.card.number, "issued_on": l.card.issued_on,
        })).collect::<Vec<_>>(),
    }))
}
