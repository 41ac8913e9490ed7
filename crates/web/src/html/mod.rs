//! The HTML pages, one module per feature: each holds its page models (formatted for display),
//! its handlers and the templates they render (`templates/<feature>/`). Shared here: the page
//! query, the date it asks for, the pickers of organisations and cells, the not-found page.

pub mod admin;
pub mod admission;
pub mod assets;
pub mod auth;
pub mod badges;
pub mod calendar;
pub mod cards;
pub mod commitments;
pub mod contest;
pub mod decisions;
pub mod dues;
pub mod export;
pub mod import;
pub mod meeting_report;
pub mod meetings;
pub mod members;
pub mod minutes;
pub mod opinions;
pub mod orgs;
pub mod probation;
pub mod programme;
pub mod regulations;
pub mod residence;
pub mod review;
pub mod review_report;
pub mod search;
pub mod stats;
pub mod trail;
pub mod transfers;

use crate::error::PageError;
use crate::session::CurrentActor;
use crate::view::*;
use crate::{AppState, i18n};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use dangvu_app::AppError;
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::OrgId;
use dangvu_domain::org::OrgKind;
use serde::Deserialize;
use std::collections::HashMap;

pub(crate) type PageResult = Result<Response, PageError>;

#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    pub ngay: Option<String>,
    pub q: Option<String>,
    pub trang: Option<i64>,
    pub ok: Option<String>,
    pub chi_bo: Option<i64>,
}

/// The "as of" date of a page: the `ngay` parameter, or today. A bad date is reported and
/// today is used.
pub(crate) fn as_of(state: &AppState, q: &PageQuery, errors: &mut Vec<String>) -> NaiveDate {
    let today = state.app.clock.today();
    match q.ngay.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(s) => match parse_date("ngay", s) {
            Ok(d) => d,
            Err(e) => {
                errors.push(i18n::field_message(e.field, e.code));
                today
            }
        },
    }
}

/// The notices of the organisation and member pages, by the code their redirects carry.
pub(crate) const REGISTER_NOTICES: &[(&str, &str)] = &[
    ("renamed", "Đã đổi tên."),
    ("moved", "Đã chuyển tổ chức."),
    ("created", "Đã thành lập tổ chức."),
    ("appointed", "Đã ghi nhận chức vụ."),
    ("position_ended", "Đã ghi nhận thôi giữ chức vụ."),
    ("merged", "Đã sáp nhập."),
    ("split", "Đã chia tách; tổ chức mới ở trang này."),
    ("dissolved", "Đã giải thể tổ chức."),
    ("disciplined", "Đã ghi quyết định kỷ luật tổ chức."),
    ("member_created", "Đã thêm đảng viên vào sổ."),
    ("event", "Đã ghi sự kiện."),
    (
        "event_fixed",
        "Đã hủy hoặc thay thế sự kiện; sự kiện cũ được giữ trong hồ sơ.",
    ),
    (
        "corrected",
        "Đã ghi đính chính; giá trị cũ được giữ trong lịch sử.",
    ),
    ("card", "Đã cấp thẻ."),
    ("education", "Đã ghi việc giáo dục, giúp đỡ đảng viên."),
    ("introduced", "Đã giới thiệu về nơi cư trú."),
];

pub(crate) const MAX_OPTIONS: usize = 3000;

pub(crate) fn sorted_opts(mut v: Vec<Opt>) -> Vec<Opt> {
    v.sort_by_cached_key(|o| dangvu_domain::text::collation_key(&o.label));
    v.truncate(MAX_OPTIONS);
    v
}

/// An organisation offered in a picker, with a label that tells apart organisations of the same
/// name ("Chi bộ Khu 1 — Đảng bộ phường Nam Khê").
pub(crate) struct Pick {
    id: OrgId,
    kind: OrgKind,
    parent: Option<OrgId>,
    label: String,
}

impl Pick {
    fn opt(&self) -> Opt {
        Opt::id(self.id.0, self.label.clone())
    }
}

/// Organisations alive today, for pickers, from the cached tree. A big tree is cut down to the
/// neighbourhood of `around` (the subtree of its grandparent, or of its parent), which is where
/// moves, merges and transfers happen; the API takes any id.
pub(crate) async fn picks(
    me: &CurrentActor,
    state: &AppState,
    around: Option<OrgId>,
) -> Result<Vec<Pick>, AppError> {
    let tree = state.app.tree(&me.actor(), state.app.clock.today()).await?;
    // A national tree holds a quarter of a million organisations: look up only what is needed.
    let parent_of = |o: OrgId| tree.nodes.iter().find(|n| n.id == o).and_then(|n| n.parent);
    let mut scope: Option<std::collections::HashSet<OrgId>> = None;
    if tree.nodes.len() > MAX_OPTIONS
        && let Some(a) = around
    {
        let up1 = parent_of(a);
        let up2 = up1.and_then(parent_of);
        for root in [up2, up1, Some(a)].into_iter().flatten() {
            // Depth-first order: a subtree is the run of nodes deeper than its root.
            let Some(start) = tree.nodes.iter().position(|n| n.id == root) else {
                continue;
            };
            let depth = tree.nodes[start].depth;
            let set: std::collections::HashSet<OrgId> = std::iter::once(root)
                .chain(
                    tree.nodes[start + 1..]
                        .iter()
                        .take_while(|n| n.depth > depth)
                        .map(|n| n.id),
                )
                .collect();
            if set.len() <= MAX_OPTIONS {
                scope = Some(set);
                break;
            }
        }
        if scope.is_none() {
            scope = Some(std::iter::once(a).collect());
        }
    }
    let chosen: Vec<&dangvu_app::views::TreeNode> = tree
        .nodes
        .iter()
        .filter(|n| scope.as_ref().is_none_or(|s| s.contains(&n.id)))
        .collect();
    let parents: std::collections::HashSet<OrgId> =
        chosen.iter().filter_map(|n| n.parent).collect();
    let names: HashMap<OrgId, &str> = tree
        .nodes
        .iter()
        .filter(|n| parents.contains(&n.id))
        .map(|n| (n.id, n.name.as_str()))
        .collect();
    Ok(chosen
        .into_iter()
        .map(|n| Pick {
            id: n.id,
            kind: n.kind,
            parent: n.parent,
            label: match n.parent.and_then(|x| names.get(&x)) {
                Some(pn) => format!("{} — {}", n.name, pn),
                None => n.name.clone(),
            },
        })
        .collect())
}

/// Cells alive today, for pickers.
pub(crate) async fn cell_options(
    me: &CurrentActor,
    state: &AppState,
    around: Option<OrgId>,
) -> Result<Vec<Opt>, AppError> {
    Ok(sorted_opts(
        picks(me, state, around)
            .await?
            .iter()
            .filter(|p| p.kind.is_cell())
            .map(Pick::opt)
            .collect(),
    ))
}

/// A year's first day and its last, or today while it runs.
pub(crate) fn year_so_far(year: i32, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    (from, to.min(today))
}

/// The heading of a page about an organisation's subtree today: its name, and today.
pub(crate) async fn org_today(state: &AppState, org: OrgId) -> (String, NaiveDate) {
    let today = state.app.clock.today();
    let name = state.app.org_name(org, today).await.unwrap_or_default();
    (name, today)
}

/// A page, at 200.
pub(crate) fn show(page: &impl askama::Template) -> PageResult {
    shown(StatusCode::OK, page)
}

/// A page at a status: 400 or 422 when it shows a refused form again.
pub(crate) fn shown(status: StatusCode, page: &impl askama::Template) -> PageResult {
    Ok((status, Html(crate::view::render(page))).into_response())
}

pub(crate) fn done(path: String, ok: &str) -> PageResult {
    Ok(Redirect::to(&format!("{path}?ok={ok}")).into_response())
}

/// Percent-encodes a query value.
pub fn url_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            // '/' may stand in a query value, and keeps paths in links readable.
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Any other path: the not-found page, or under `/api/` the API's not-found answer.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let e = AppError::NotFound("page");
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}
