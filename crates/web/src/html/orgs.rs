//! The tree of organisations on a date and an organisation's page with its changes (R1–R4):
//! rename, move, found a child, appoint and end positions, merge, split, dissolve.

use crate::error::messages;
use crate::extract::Cx;
use crate::html::PageQuery;
use crate::html::PageResult;
use crate::html::Pick;
use crate::html::REGISTER_NOTICES;
use crate::html::as_of;
use crate::html::done;
use crate::html::picks;
use crate::html::show;
use crate::html::sorted_opts;
use crate::input::orgs as ops;
use crate::input::{self, Fields};
use crate::session::CurrentActor;
use crate::view::Refill;
use crate::view::notice;
use crate::view::*;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse};
use dangvu_app::AppError;
use dangvu_app::views::TreeNode;
use dangvu_domain::ids::OrgId;
use dangvu_domain::org::{OrgKind, Position};
use std::collections::HashMap;

pub async fn tree(Cx(me, state): Cx, Query(q): Query<PageQuery>) -> PageResult {
    let mut errors = Vec::new();
    let on = as_of(&state, &q, &mut errors);
    let tree = state.app.tree(&me.actor(), on).await?;
    let page = TreePage {
        me: me.clone(),
        on: vn(on),
        on_iso: iso_of(on),
        nodes: node_rows(&tree.nodes, 2, MAX_TREE_NODES),
        errors,
        ok: notice(q.ok.as_deref(), REGISTER_NOTICES),
        stale: tree.stale,
    };
    show(&page)
}

pub(crate) async fn org_page(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    q: &PageQuery,
    fb: Feedback,
) -> Result<OrgPage, AppError> {
    let mut errors = fb.errors.clone();
    let on = as_of(state, q, &mut errors);
    let today = state.app.clock.today();
    let v = state.app.org(&me.actor(), id, on).await?;
    let nearby = picks(me, state, Some(id)).await?;
    let subtree_today: std::collections::HashSet<OrgId> = state
        .app
        .subtree_ids(&me.actor(), id, today)
        .await?
        .into_iter()
        .collect();
    let me_today = nearby
        .iter()
        .find(|p| p.id == id)
        .map(|p| (p.kind, p.parent));
    let name = v
        .period
        .as_ref()
        .map(|p| p.name.clone())
        .or(v.history.last().map(|p| p.name.clone()))
        .unwrap_or_default();
    let kind = v
        .period
        .as_ref()
        .map(|p| p.kind)
        .or(v.history.last().map(|p| p.kind))
        .unwrap_or(OrgKind::ChiBoTrucThuoc);
    let root = v.subtree.first();
    let counts = root
        .map(|n| CountsText::from(&n.counts))
        .unwrap_or_default();
    let children: Vec<NodeRow> = node_rows(&v.subtree, 0, usize::MAX)
        .into_iter()
        .filter(|r| r.depth == 1)
        .collect();
    let parent_names: HashMap<OrgId, String> = {
        let mut m = HashMap::new();
        for h in &v.history {
            if let Some(p) = h.parent
                && let std::collections::hash_map::Entry::Vacant(e) = m.entry(p)
            {
                let n = state
                    .app
                    .org_name(p, h.valid_from)
                    .await
                    .unwrap_or_else(|_| format!("#{}", p.0));
                e.insert(n);
            }
        }
        m
    };
    let history = v
        .history
        .iter()
        .map(|h| PeriodRow {
            from: vn(h.valid_from),
            to: h.valid_to.map(vn).unwrap_or_default(),
            name: h.name.clone(),
            kind: i18n::kind(h.kind),
            parent: h
                .parent
                .and_then(|p| parent_names.get(&p).cloned())
                .unwrap_or_default(),
            change: change_label(&h.change),
        })
        .collect();
    let parent_options = match me_today {
        Some((my_kind, my_parent)) => sorted_opts(
            nearby
                .iter()
                .filter(|p| {
                    !subtree_today.contains(&p.id)
                        && Some(p.id) != my_parent
                        && my_kind.allowed_under(Some(p.kind), today).is_ok()
                })
                .map(Pick::opt)
                .collect(),
        ),
        None => Vec::new(),
    };
    let merge_options = sorted_opts(
        nearby
            .iter()
            .filter(|p| p.kind == kind && p.id != id && !subtree_today.contains(&p.id))
            .map(Pick::opt)
            .collect(),
    );
    let cell_opts: Vec<Opt> = sorted_opts(
        nearby
            .iter()
            .filter(|p| p.kind.is_cell() && p.id != id)
            .map(Pick::opt)
            .collect(),
    );
    let kind_options = OrgKind::ALL
        .iter()
        .filter(|k| k.allowed_under(Some(kind), today).is_ok())
        .map(|k| Opt::code(k.code(), i18n::kind(*k)))
        .collect();
    let position_options = Position::ALL
        .iter()
        .map(|p| Opt::code(p.code(), i18n::position(*p)))
        .collect();
    let disciplines: Vec<(String, &'static str, String, String)> = state
        .app
        .org_disciplines(&me.actor(), id)
        .await?
        .iter()
        .map(|d| {
            (
                d.decision.date.map(vn).unwrap_or_default(),
                i18n::org_discipline(d.form),
                d.reason.clone(),
                decision_text(
                    d.decision.reference.as_deref(),
                    d.decision.body.as_deref(),
                    d.decision.date,
                ),
            )
        })
        .collect();
    let committee: Vec<HolderRow> = v
        .committee
        .iter()
        .map(|h| HolderRow {
            id: h.id,
            position: i18n::position(h.position),
            member_id: h.member.0,
            name: h.member_name.clone(),
            term: h.term_label.clone(),
            from: vn(h.valid_from),
        })
        .collect();
    Ok(OrgPage {
        me: me.clone(),
        id: id.0,
        can_write: v.can_write,
        can_restructure: v.can_restructure,
        counts_stale: v.counts_stale,
        warnings: v.warnings().into_iter().map(i18n::org_warning).collect(),
        disciplines,
        self_path: format!("/to-chuc/{}", id.0),
        on: vn(on),
        on_iso: iso_of(on),
        today: vn(today),
        exists: v.period.is_some(),
        name,
        kind_label: i18n::kind(kind),
        is_cell: kind.is_cell(),
        parent: v.ancestors.last().map(|(i, n)| (i.0, n.clone())),
        founded: vn(v.founded_on),
        dissolved: v.dissolved_on.map(vn),
        ancestors: v.ancestors.iter().map(|(i, n)| (i.0, n.clone())).collect(),
        counts,
        term: v.committee.first().map(|h| h.term_label.clone()),
        committee,
        children,
        history,
        parent_options,
        cell_options: cell_opts,
        merge_options,
        kind_options,
        position_options,
        form: fb.form,
        values: fb.echo,
        errors,
        ok: notice(q.ok.as_deref(), REGISTER_NOTICES),
    })
}

pub async fn org(Cx(me, state): Cx, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> PageResult {
    let page = org_page(&me, &state, OrgId(id), &q, Feedback::default()).await?;
    show(&page)
}

/// One org action: parse, run, redirect or show the form again.
macro_rules! org_action {
    ($me:expr, $state:expr, $id:expr, $form:expr, $fields:expr, $ok:expr, |$f:ident| $body:expr) => {{
        let $f: Fields = $fields;
        let r: Result<String, AppError> = async { $body }.await;
        match r {
            Ok(path) => done(path, $ok),
            Err(e) => {
                crate::error::form_failed(e, $form, $f, async |fb| {
                    org_page(&$me, &$state, OrgId($id), &PageQuery::default(), fb).await
                })
                .await
            }
        }
    }};
}

pub async fn org_rename(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "rename", fields, "renamed", |f| {
        ops::rename(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_move(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "move", fields, "moved", |f| {
        ops::move_under(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_add_child(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    mut fields: Fields,
) -> PageResult {
    fields.0.insert("parent".into(), vec![id.to_string()]);
    org_action!(me, state, id, "child", fields, "created", |f| {
        let new = input::new_org(&f)?;
        let child = state.app.create_org(&me.actor(), new).await?;
        Ok(format!("/to-chuc/{}", child.0))
    })
}

pub async fn org_appoint(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "appoint", fields, "appointed", |f| {
        ops::appoint(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_end_position(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    fields: Fields,
) -> PageResult {
    org_action!(
        me,
        state,
        id,
        "end_position",
        fields,
        "position_ended",
        |f| {
            let on = input::date(&f, "on")?;
            let pid: i64 = f
                .get("position_id")
                .trim()
                .parse()
                .map_err(|_| dangvu_domain::FieldError::new("position", "required"))?;
            state
                .app
                .end_position(&me.actor(), OrgId(id), pid, on, &input::reason(&f))
                .await?;
            Ok(format!("/to-chuc/{id}"))
        }
    )
}

pub async fn org_merge(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "merge", fields, "merged", |f| {
        ops::merge(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_split(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "split", fields, "split", |f| {
        let new_id = ops::split(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{}", new_id.0))
    })
}

pub async fn org_dissolve(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "dissolve", fields, "dissolved", |f| {
        ops::dissolve(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_discipline(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    org_action!(me, state, id, "discipline", fields, "disciplined", |f| {
        ops::discipline(&me, &state, OrgId(id), &f).await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_new_form(me: CurrentActor) -> PageResult {
    Ok(Html(render(&OrgNewPage {
        me: me.clone(),
        values: Fields::default(),
        errors: Vec::new(),
        ok: None,
    }))
    .into_response())
}

pub async fn org_new(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = async {
        let mut new = input::new_org(&f)?;
        new.parent = None;
        state.app.create_org(&me.actor(), new).await
    }
    .await;
    match r {
        Ok(id) => done(format!("/to-chuc/{}", id.0), "created"),
        Err(e @ (AppError::NotFound(_) | AppError::Store(_))) => Err(e.into()),
        Err(e) => Ok((
            crate::error::status_of(&e),
            Html(render(&OrgNewPage {
                me: me.clone(),
                errors: messages(&e),
                values: f,
                ok: None,
            })),
        )
            .into_response()),
    }
}

/// A node of the tree as drawn.
#[derive(Debug, Clone)]
pub struct NodeRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub depth: usize,
    pub has_children: bool,
    /// How many open groups close after this node.
    pub closes: usize,
    pub open: bool,
    pub total: String,
    pub official: String,
    pub probationary: String,
    pub exempt: i64,
    pub suspended: i64,
    /// Sub-organisations not drawn here (the tree is too big): see the organisation's page.
    pub hidden_children: usize,
}

/// The most nodes the tree page draws; deeper levels are reached from each organisation's page.
pub const MAX_TREE_NODES: usize = 1500;

/// Keeps the upper levels of a depth-first node list so that at most `max` nodes remain.
pub fn limit_depth(nodes: &[TreeNode], max: usize) -> (Vec<TreeNode>, Option<usize>) {
    if nodes.len() <= max {
        return (nodes.to_vec(), None);
    }
    let mut per_depth: Vec<usize> = Vec::new();
    for n in nodes {
        if per_depth.len() <= n.depth {
            per_depth.resize(n.depth + 1, 0);
        }
        per_depth[n.depth] += 1;
    }
    let mut keep = 0;
    let mut total = 0;
    for (d, c) in per_depth.iter().enumerate() {
        if total + c > max {
            break;
        }
        total += c;
        keep = d;
    }
    (
        nodes.iter().filter(|n| n.depth <= keep).cloned().collect(),
        Some(keep),
    )
}

/// Turns the depth-first node list into rows that open and close nested groups.
pub fn node_rows(nodes: &[TreeNode], open_depth: usize, max: usize) -> Vec<NodeRow> {
    let (nodes, cut) = limit_depth(nodes, max);
    let mut rows: Vec<NodeRow> = nodes
        .iter()
        .map(|n| NodeRow {
            id: n.id.0,
            name: n.name.clone(),
            kind: i18n::kind(n.kind),
            depth: n.depth,
            has_children: n.children > 0 && cut.is_none_or(|c| n.depth < c),
            hidden_children: if cut == Some(n.depth) { n.children } else { 0 },
            closes: 0,
            open: n.depth < open_depth,
            total: i18n::number(n.counts.total),
            official: i18n::number(n.counts.official),
            probationary: i18n::number(n.counts.probationary),
            exempt: n.counts.exempt,
            suspended: n.counts.suspended,
        })
        .collect();
    // After row i, close the groups between its depth and the next row's depth.
    for i in 0..rows.len() {
        let next_depth = rows.get(i + 1).map(|r| r.depth).unwrap_or(0);
        let own = if rows[i].has_children {
            rows[i].depth + 1
        } else {
            rows[i].depth
        };
        rows[i].closes = own.saturating_sub(next_depth);
    }
    rows
}

#[derive(Template)]
#[template(path = "orgs/tree.html")]
pub struct TreePage {
    pub me: CurrentActor,
    pub on: String,
    pub on_iso: String,
    pub nodes: Vec<NodeRow>,
    pub errors: Vec<String>,
    pub ok: Option<String>,
    /// The counts predate the latest change and are being recounted.
    pub stale: bool,
}

#[derive(Debug, Clone)]
pub struct HolderRow {
    pub id: i64,
    pub position: &'static str,
    pub member_id: i64,
    pub name: String,
    pub term: String,
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct PeriodRow {
    pub from: String,
    pub to: String,
    pub name: String,
    pub kind: &'static str,
    pub parent: String,
    pub change: &'static str,
}

pub fn change_label(c: &str) -> &'static str {
    match c {
        "founded" => "Thành lập",
        "renamed" => "Đổi tên",
        "moved" => "Chuyển trực thuộc",
        "kind_changed" => "Đổi loại tổ chức",
        _ => "Thay đổi",
    }
}

#[derive(Template)]
#[template(path = "orgs/org.html")]
pub struct OrgPage {
    pub me: CurrentActor,
    pub id: i64,
    pub can_write: bool,
    pub can_restructure: bool,
    pub counts_stale: bool,
    /// What the organisation's size asks of it (R1, R3).
    pub warnings: Vec<&'static str>,
    /// Its disciplines (R12): date, form, reason, decision.
    pub disciplines: Vec<(String, &'static str, String, String)>,
    pub self_path: String,
    pub on: String,
    pub on_iso: String,
    pub today: String,
    pub exists: bool,
    pub name: String,
    pub kind_label: &'static str,
    pub is_cell: bool,
    pub parent: Option<(i64, String)>,
    pub founded: String,
    pub dissolved: Option<String>,
    pub ancestors: Vec<(i64, String)>,
    pub counts: CountsText,
    pub term: Option<String>,
    pub committee: Vec<HolderRow>,
    pub children: Vec<NodeRow>,
    pub history: Vec<PeriodRow>,
    pub parent_options: Vec<Opt>,
    pub cell_options: Vec<Opt>,
    pub merge_options: Vec<Opt>,
    pub kind_options: Vec<Opt>,
    pub position_options: Vec<Opt>,
    pub form: String,
    pub values: Fields,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

impl crate::view::Refill for OrgPage {
    fn refill(&self) -> (&str, &Fields) {
        (&self.form, &self.values)
    }
}

#[derive(Template)]
#[template(path = "orgs/org_new.html")]
pub struct OrgNewPage {
    pub me: CurrentActor,
    pub values: Fields,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

impl OrgNewPage {
    pub fn v(&self, k: &str) -> String {
        self.values.get(k)
    }
}
