//! Đảng phí in the API (R14): a member's basis and ledger, payments and their cancellation, a
//! cell's monthly book, a subtree's totals for a year, and the members who owe dues.

use axum::extract::{Path, Query};
use dangvu_app::dues::{DuesBook, MemberDues};
use dangvu_domain::dues::month_start;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::transfer::month_vn;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiResult, created, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::input::Fields;

/// Body of "declare a dues basis".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct BasisBody {
    /// The first month it applies to: `mm/yyyy`.
    pub from_month: String,
    /// `salaried` (1 % of salary and allowances), `pensioner` (0.5 % of the pension),
    /// `enterprise` (1 % of salary income), `other` (a flat amount), `exempt`.
    pub category: String,
    /// The monthly income or pension in đồng, for the first three.
    pub income: Option<i64>,
    /// The flat monthly amount in đồng for `other` (2,000 to 30,000 under QĐ 342).
    pub flat: Option<i64>,
    /// Required for `exempt`: the committee's decision and reason.
    pub note: Option<String>,
}

/// Body of "record a payment".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PayBody {
    /// `mm/yyyy`.
    pub from_month: String,
    /// `mm/yyyy`; default `from_month`. At most 36 months at once.
    pub to_month: Option<String>,
    /// `dd/mm/yyyy` or `YYYY-MM-DD`.
    pub paid_on: String,
    /// Đồng a month; default what the member's basis asks. Never less.
    pub amount: Option<i64>,
    pub received_by: Option<String>,
}

/// Body of "cancel a payment entered in error".
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CancelBody {
    pub reason: String,
}

/// `?month=mm/yyyy` (default this month) or `?year=` (default this year).
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PeriodQuery {
    pub month: Option<String>,
    pub year: Option<i32>,
}

fn member_json(v: &MemberDues) -> Value {
    json!({
        "member": v.member.0,
        "name": v.name,
        "paid_to": v.paid_to.map(month_vn),
        "owed": v.owed,
        "owed_months": v.owed_months.iter().map(|m| month_vn(*m)).collect::<Vec<_>>(),
        "bases": v.bases.iter().map(|b| json!({
            "from_month": month_vn(b.from), "category": b.basis.category.code(),
            "income": b.basis.income, "flat": b.basis.flat, "note": b.note,
        })).collect::<Vec<_>>(),
        "months": v.months.iter().map(|(m, p)| json!({
            "month": month_vn(m.month), "member": m.member, "due": m.due,
            "category": m.category.map(|c| c.code()), "paid": m.paid, "owing": m.owing(),
            "payment": p.as_ref().map(|p| json!({
                "id": p.id, "amount": p.amount, "paid_on": p.paid_on, "cell": p.cell.0,
                "received_by": p.received_by, "receipt": p.receipt, "meeting": p.meeting,
            })),
        })).collect::<Vec<_>>(),
        "cancelled": v.cancelled.iter().map(|p| json!({
            "id": p.id, "month": month_vn(p.month), "amount": p.amount,
            "cancelled_on": p.cancelled_on, "reason": p.cancel_reason,
        })).collect::<Vec<_>>(),
    })
}

fn book_json(b: &DuesBook) -> Value {
    json!({
        "org": b.cell.org.0,
        "name": b.cell.name,
        "month": month_vn(b.month),
        "rules": b.rules.id,
        "level": b.level,
        "due_total": b.due_total,
        "collected": b.collected,
        "payers": b.payers,
        "unpaid": b.unpaid,
        "without_basis": b.without_basis,
        "kept": b.kept,
        "remitted": b.remitted,
        "lines": b.lines.iter().map(|l| json!({
            "member": l.member.0, "name": l.name, "status": l.status.map(|s| s.code()),
            "category": l.category.map(|c| c.code()), "due": l.due,
            "paid": l.paid.as_ref().map(|p| p.amount), "paid_on": l.paid.as_ref().map(|p| p.paid_on),
            "paid_in": l.paid.as_ref().map(|p| p.cell.0),
            "paid_to": l.paid_to.map(month_vn), "owed_months": l.owed_months, "owed": l.owed,
        })).collect::<Vec<_>>(),
    })
}

/// A member's dues: bases, the ledger month by month, "paid up to", what she owes.
#[utoipa::path(get, path = "/api/v1/members/{id}/dues", params(("id" = i64, Path)), responses((status = 200, description = "Sổ đảng phí của đảng viên"), (status = 404, body = ApiErrorBody)))]
pub async fn member(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.member_dues(&me.actor(), MemberId(id)).await?;
    ok(member_json(&v))
}

/// Declares a member's dues basis from a month; one of the same month replaces the old.
#[utoipa::path(post, path = "/api/v1/members/{id}/dues/bases", params(("id" = i64, Path)), request_body = BasisBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn basis(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let input = crate::input::dues::basis(&f)?;
    state
        .app
        .set_dues_basis(&me.actor(), MemberId(id), input)
        .await?;
    let v = state.app.member_dues(&me.actor(), MemberId(id)).await?;
    ok(member_json(&v))
}

/// Records a payment of one or more months; answers its receipt.
#[utoipa::path(post, path = "/api/v1/members/{id}/dues/payments", params(("id" = i64, Path)), request_body = PayBody, responses((status = 201, body = crate::api::Created), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn pay(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    let input = crate::input::dues::payment(&f)?;
    let receipt = state.app.pay_dues(&me.actor(), MemberId(id), input).await?;
    created(json!({"id": receipt}))
}

/// Cancels one month's payment entered in error, with the reason; the row is kept.
#[utoipa::path(post, path = "/api/v1/dues/payments/{id}/cancel", params(("id" = i64, Path)), request_body = CancelBody, responses((status = 200), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn cancel(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> ApiResult {
    state
        .app
        .cancel_dues(&me.actor(), id, &f.get("reason"))
        .await?;
    ok(json!({"id": id, "cancelled": true}))
}

/// A cell's dues book for a month: each member's due and payment, the totals, the cell's
/// share and what it remits.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/book", params(("id" = i64, Path), PeriodQuery), responses((status = 200, description = "Sổ thu đảng phí"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn book(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult {
    let month = match q.month.as_deref() {
        None => month_start(state.app.clock.today()),
        Some(m) => dangvu_domain::date::parse_month("month", m)
            .map_err(|e| crate::input::invalid(vec![e]))?,
    };
    let b = state.app.dues_book(&me.actor(), OrgId(id), month).await?;
    ok(book_json(&b))
}

/// The dues of a subtree for a year: per cell and month, each grassroots organisation's share
/// and what goes to the levels above.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/totals", params(("id" = i64, Path), PeriodQuery), responses((status = 200, description = "Tổng hợp đảng phí"), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn totals(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult {
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&state.app.clock.today()));
    let t = state.app.dues_totals(&me.actor(), OrgId(id), year).await?;
    ok(json!({
        "org": id,
        "year": t.year,
        "collected": t.collected,
        "upward": t.upward,
        "by_month": t.by_month,
        "cells": t.cells.iter().map(|c| json!({
            "org": c.org.0, "name": c.name, "grassroots": c.grassroots.map(|g| g.0),
            "by_month": c.by_month, "total": c.total, "payments": c.payments,
            "kept": c.kept, "remitted": c.remitted,
        })).collect::<Vec<_>>(),
        "grassroots": t.grassroots.iter().map(|g| json!({
            "org": g.org.0, "name": g.name, "level": g.level, "collected": g.collected,
            "cells_kept": g.cells_kept, "received": g.received, "kept": g.kept,
            "remitted": g.remitted,
        })).collect::<Vec<_>>(),
    }))
}

/// The members on a subtree's rolls today who owe dues for months that have ended, in
/// Vietnamese name order; 3 months or more in a year is an R11 flag for the cell committee.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/arrears", params(("id" = i64, Path)), responses((status = 200, description = "Đảng viên nợ đảng phí"), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn arrears(Cx(me, state): Cx, Path(id): Path<i64>) -> ApiResult {
    let today = state.app.clock.today();
    let v = state
        .app
        .dues_arrears(&me.actor(), OrgId(id), today)
        .await?;
    ok(json!({
        "org": id,
        "on": today,
        "members": v.iter().map(|l| json!({
            "member": l.member.0, "name": l.name, "cell": l.cell.0, "cell_name": l.cell_name,
            "months": l.months.iter().map(|m| month_vn(*m)).collect::<Vec<_>>(),
            "owed": l.owed, "paid_to": l.paid_to.map(month_vn),
        })).collect::<Vec<_>>(),
    }))
}
