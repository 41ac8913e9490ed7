//! Statistics, member lists and code lists in the API (R5, R9).

use axum::extract::{Path, Query, RawQuery};
use dangvu_domain::codes::CodedField;
use dangvu_domain::ids::OrgId;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::api::{ApiResult, ok};
use crate::error::ApiErrorBody;
use crate::extract::Cx;
use crate::html::export::{pairs, query_of};

/// `?on=` the day (YYYY-MM-DD or dd/mm/yyyy; today by default), `from=` the first day of a
/// period (the first of `on`'s year by default).
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PeriodParams {
    pub on: Option<String>,
    pub from: Option<String>,
}

fn dates(
    state: &crate::AppState,
    p: &PeriodParams,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), dangvu_app::AppError> {
    crate::html::stats::StatsQuery {
        ngay: p.on.clone(),
        tu: p.from.clone(),
        bieu: None,
    }
    .dates(state.app.clock.today())
}

/// The members of a subtree on a day counted by sex, age band, ethnicity, religion,
/// education, political theory, professional level, occupation, seniority band,
/// probationary or official, exempt; and the age pyramid by sex.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/statistics", params(("id" = i64, Path), PeriodParams), responses((status = 200, description = "Thống kê đảng viên"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn statistics(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(p): Query<PeriodParams>,
) -> ApiResult {
    let (on, _) = dates(&state, &p)?;
    let s = state
        .app
        .member_statistics(&me.actor(), OrgId(id), on)
        .await?;
    ok(json!({
        "org": id, "on": on, "total": s.tally.total,
        "breakdowns": s.tally.breakdowns.iter().map(|b| json!({
            "dimension": b.dimension, "label": b.label,
            "groups": b.groups.iter().map(|(l, n)| json!({"label": l, "count": n})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "pyramid": s.tally.pyramid.iter().map(|(l, m, f)| json!({"band": l, "men": m, "women": f})).collect::<Vec<_>>(),
    }))
}

/// The movements of a subtree's roll from `from` to `on`: opening, each way in and out,
/// closing (opening + in − out = closing), and the changes that keep a member on the roll.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/movements", params(("id" = i64, Path), PeriodParams), responses((status = 200, description = "Biến động đảng viên"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn movements(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(p): Query<PeriodParams>,
) -> ApiResult {
    let (on, from) = dates(&state, &p)?;
    let m = state
        .app
        .member_movements(&me.actor(), OrgId(id), from.min(on), on)
        .await?;
    ok(json!({
        "org": id, "from": m.from, "to": m.to, "opening": m.opening, "closing": m.closing,
        "in": m.ins.iter().map(|(k, n)| json!({"kind": k, "label": k.label(true), "count": n})).collect::<Vec<_>>(),
        "out": m.outs.iter().map(|(k, n)| json!({"kind": k, "label": k.label(false), "count": n})).collect::<Vec<_>>(),
        "made_official": m.made_official, "exempted": m.exempted, "disciplined": m.disciplined,
        "temporary_out": m.temporary_out, "temporary_back": m.temporary_back,
        "reconciles": m.reconciles(),
    }))
}

/// The tables of the statistical report (their definitions, kept as data).
#[utoipa::path(get, path = "/api/v1/report-tables", responses((status = 200, description = "Các biểu thống kê"), (status = 401, body = ApiErrorBody)))]
pub async fn tables(Cx(_me, _state): Cx) -> ApiResult {
    let t = dangvu_app::stats::report_tables()
        .map_err(|_| dangvu_domain::DomainError::rule("report_tables_invalid"))?;
    ok(json!({ "tables": t }))
}

/// A table of the statistical report filled for a subtree.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/report-tables/{table}", params(("id" = i64, Path), ("table" = String, Path), PeriodParams), responses((status = 200, description = "Biểu thống kê"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn table(
    Cx(me, state): Cx,
    Path((id, table)): Path<(i64, String)>,
    Query(p): Query<PeriodParams>,
) -> ApiResult {
    let (on, from) = dates(&state, &p)?;
    let t = state
        .app
        .statistical_table(&me.actor(), OrgId(id), &table, on, Some(from.min(on)))
        .await?;
    ok(json!({
        "org": id, "id": t.table.id, "title": t.table.title, "form": t.table.form, "on": t.on, "from": t.from,
        "columns": t.table.columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>(),
        "rows": t.table.rows.iter().zip(&t.cells).map(|(r, c)| json!({"label": r.label, "cells": c})).collect::<Vec<_>>(),
    }))
}

/// A member list as a workbook: `on`, `q` (words of the name), `status` (`probationary`,
/// `official`, `exempt`), `cell`, `age_min`, `age_max`, `columns` (comma-separated keys);
/// audited with its filter.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/export", params(("id" = i64, Path), ("on" = Option<String>, Query), ("q" = Option<String>, Query), ("status" = Option<String>, Query), ("cell" = Option<i64>, Query), ("age_min" = Option<i32>, Query), ("age_max" = Option<i32>, Query), ("columns" = Option<String>, Query)), responses((status = 200, description = "Tệp Excel", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn export(cx: Cx, path: Path<i64>, raw: RawQuery) -> ApiResult {
    crate::html::export::list_xlsx(cx, path, raw)
        .await
        .map_err(|e| crate::error::ApiError(e.0))
}

/// The register of members (Mẫu 7-HSĐV) of a subtree: its fourteen columns for every member on
/// the roll on `on` and every member who left it that year; audited.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/register", params(("id" = i64, Path), PeriodParams), responses((status = 200, description = "Sổ danh sách đảng viên"), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn register(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let p = pairs(raw.as_deref());
    let q = query_of(id, &p, state.app.clock.today(), true)?;
    let e = state.app.export_members(&me.actor(), q).await?;
    ok(json!({
        "org": id, "on": e.on, "columns": crate::render::export::REGISTER_HEADS,
        "rows": e.rows.iter().enumerate().map(|(i, r)| json!({
            "member": r.id.0, "on_roll": r.on_roll, "cells": crate::render::export::register_cells(i, r),
        })).collect::<Vec<_>>(),
    }))
}

/// A coded field's list (`ethnicity`, `religion`, `education`, `political_theory`,
/// `professional`): the document that set it, the day it took effect, its codes and names.
#[utoipa::path(get, path = "/api/v1/codes/{field}", params(("field" = String, Path)), responses((status = 200, description = "Danh mục"), (status = 404, body = ApiErrorBody)))]
pub async fn codes(Cx(_me, _state): Cx, Path(field): Path<String>) -> ApiResult {
    let f = CodedField::of_field(&field).ok_or(dangvu_app::AppError::NotFound("code_list"))?;
    let l = f.list();
    ok(json!({"field": f, "source": l.source, "from": l.from(), "codes": l.codes}))
}
