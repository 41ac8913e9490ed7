//! HTML pages and their forms.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use dangvu_app::AppError;
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{DisciplineForm, EventKind, RECORD_FIELDS};
use dangvu_domain::org::{OrgKind, Position};
use serde::Deserialize;

use crate::AppState;
use crate::error::{PageError, messages};
use crate::i18n;
use crate::input::{self, Fields};
use crate::view::*;

type PageResult = Result<Response, PageError>;

use crate::session::actor;

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
fn as_of(state: &AppState, q: &PageQuery, errors: &mut Vec<String>) -> NaiveDate {
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

fn ok_message(code: Option<&str>) -> Option<String> {
    let m = match code? {
        "renamed" => "Đã đổi tên.",
        "moved" => "Đã chuyển tổ chức.",
        "created" => "Đã thành lập tổ chức.",
        "appointed" => "Đã ghi nhận chức vụ.",
        "position_ended" => "Đã ghi nhận thôi giữ chức vụ.",
        "merged" => "Đã sáp nhập.",
        "split" => "Đã chia tách; tổ chức mới ở trang này.",
        "dissolved" => "Đã giải thể tổ chức.",
        "member_created" => "Đã thêm đảng viên vào sổ.",
        "event" => "Đã ghi sự kiện.",
        "corrected" => "Đã ghi đính chính; giá trị cũ được giữ trong lịch sử.",
        "card" => "Đã cấp thẻ.",
        "introduced" => "Đã giới thiệu về nơi cư trú.",
        _ => return None,
    };
    Some(m.to_owned())
}

pub async fn tree(State(state): State<AppState>, Query(q): Query<PageQuery>) -> PageResult {
    let mut errors = Vec::new();
    let on = as_of(&state, &q, &mut errors);
    let tree = state.app.tree(&actor(), on).await?;
    let page = TreePage {
        on: vn(on),
        on_iso: iso_of(on),
        nodes: node_rows(&tree.nodes, 2, MAX_TREE_NODES),
        errors,
        ok: ok_message(q.ok.as_deref()),
        stale: tree.stale,
    };
    Ok(Html(render(&page)).into_response())
}

const MAX_OPTIONS: usize = 3000;

fn sorted_opts(mut v: Vec<Opt>) -> Vec<Opt> {
    v.sort_by_cached_key(|o| dangvu_domain::text::collation_key(&o.label));
    v.truncate(MAX_OPTIONS);
    v
}

/// An organisation offered in a picker, with a label that tells apart organisations of the same
/// name ("Chi bộ Khu 1 — Đảng bộ phường Nam Khê").
struct Pick {
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
async fn picks(state: &AppState, around: Option<OrgId>) -> Result<Vec<Pick>, AppError> {
    let tree = state.app.tree(&actor(), state.app.clock.today()).await?;
    let names: HashMap<OrgId, &str> = tree.nodes.iter().map(|n| (n.id, n.name.as_str())).collect();
    let parent: HashMap<OrgId, Option<OrgId>> =
        tree.nodes.iter().map(|n| (n.id, n.parent)).collect();
    let mut scope: Option<std::collections::HashSet<OrgId>> = None;
    if tree.nodes.len() > MAX_OPTIONS
        && let Some(a) = around
    {
        let up1 = parent.get(&a).copied().flatten();
        let up2 = up1.and_then(|p| parent.get(&p).copied().flatten());
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
    Ok(tree
        .nodes
        .iter()
        .filter(|n| scope.as_ref().is_none_or(|s| s.contains(&n.id)))
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
async fn cell_options(state: &AppState, around: Option<OrgId>) -> Result<Vec<Opt>, AppError> {
    Ok(sorted_opts(
        picks(state, around)
            .await?
            .iter()
            .filter(|p| p.kind.is_cell())
            .map(Pick::opt)
            .collect(),
    ))
}

async fn org_page(
    state: &AppState,
    id: OrgId,
    q: &PageQuery,
    echo: Echo,
) -> Result<OrgPage, AppError> {
    let mut errors = echo.errors.clone();
    let on = as_of(state, q, &mut errors);
    let today = state.app.clock.today();
    let v = state.app.org(&actor(), id, on).await?;
    let nearby = picks(state, Some(id)).await?;
    let subtree_today: std::collections::HashSet<OrgId> = state
        .app
        .subtree_ids(&actor(), id, today)
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
        id: id.0,
        can_write: v.can_write,
        can_restructure: v.can_restructure,
        counts_stale: v.counts_stale,
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
        form: echo.form,
        values: echo.values,
        errors,
        ok: ok_message(q.ok.as_deref()),
    })
}

pub async fn org(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let page = org_page(&state, OrgId(id), &q, Echo::default()).await?;
    Ok(Html(render(&page)).into_response())
}

/// After a failed org form: the page again, with the errors and what was typed.
async fn org_form_failed(
    state: &AppState,
    id: OrgId,
    form: &str,
    values: Fields,
    e: AppError,
) -> PageResult {
    if matches!(e, AppError::NotFound(_) | AppError::Store(_)) {
        return Err(e.into());
    }
    let status = crate::error::status_of(&e);
    let echo = Echo {
        form: form.into(),
        values,
        errors: messages(&e),
    };
    let page = org_page(state, id, &PageQuery::default(), echo).await?;
    Ok((status, Html(render(&page))).into_response())
}

fn done(path: String, ok: &str) -> PageResult {
    Ok(Redirect::to(&format!("{path}?ok={ok}")).into_response())
}

/// One org action: parse, run, redirect or show the form again.
macro_rules! org_action {
    ($state:expr, $id:expr, $form:expr, $pairs:expr, $ok:expr, |$f:ident| $body:expr) => {{
        let $f = Fields::from_pairs($pairs);
        let r: Result<String, AppError> = async { $body }.await;
        match r {
            Ok(path) => done(path, $ok),
            Err(e) => org_form_failed(&$state, OrgId($id), $form, $f, e).await,
        }
    }};
}

pub async fn org_rename(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "rename", pairs, "renamed", |f| {
        let on = input::date(&f, "on")?;
        state
            .app
            .rename_org(&actor(), OrgId(id), &f.get("name"), on, &input::reason(&f))
            .await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_move(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "move", pairs, "moved", |f| {
        let (parent, on) = (input::org_ref(&f, "parent"), input::date(&f, "on"));
        input::collect(vec![
            parent.as_ref().err().cloned(),
            on.as_ref().err().cloned(),
        ])?;
        state
            .app
            .move_org(&actor(), OrgId(id), parent?, on?, &input::reason(&f))
            .await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_add_child(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut pairs = pairs;
    pairs.retain(|(k, _)| k != "parent");
    pairs.push(("parent".into(), id.to_string()));
    org_action!(state, id, "child", pairs, "created", |f| {
        let new = input::new_org(&f)?;
        let child = state.app.create_org(&actor(), new).await?;
        Ok(format!("/to-chuc/{}", child.0))
    })
}

pub async fn org_appoint(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "appoint", pairs, "appointed", |f| {
        let (position, member, term, from, decision) = input::appointment(&f)?;
        state
            .app
            .appoint(
                &actor(),
                OrgId(id),
                member,
                position,
                &term,
                from,
                decision.as_deref(),
            )
            .await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_end_position(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "end_position", pairs, "position_ended", |f| {
        let on = input::date(&f, "on")?;
        let pid: i64 = f
            .get("position_id")
            .trim()
            .parse()
            .map_err(|_| dangvu_domain::FieldError::new("position", "required"))?;
        state
            .app
            .end_position(&actor(), OrgId(id), pid, on, &input::reason(&f))
            .await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_merge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "merge", pairs, "merged", |f| {
        let (sources, on) = (input::ids(&f, "sources"), input::date(&f, "on"));
        input::collect(vec![
            sources.as_ref().err().cloned(),
            on.as_ref().err().cloned(),
        ])?;
        let sources: Vec<OrgId> = sources?.into_iter().map(OrgId).collect();
        state
            .app
            .merge_orgs(&actor(), &sources, OrgId(id), on?, &input::reason(&f))
            .await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_split(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "split", pairs, "split", |f| {
        let on = input::date(&f, "on")?;
        let members: Vec<MemberId> = f
            .get("members_text")
            .split([',', ' ', ';'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.trim()
                    .parse::<i64>()
                    .map(MemberId)
                    .map_err(|_| dangvu_domain::FieldError::new("members", "invalid"))
            })
            .collect::<Result<_, _>>()?;
        let children: Vec<OrgId> = input::ids(&f, "children")?.into_iter().map(OrgId).collect();
        let new_id = state
            .app
            .split_org(
                &actor(),
                OrgId(id),
                &f.get("new_name"),
                &members,
                &children,
                on,
                &input::reason(&f),
            )
            .await?;
        Ok(format!("/to-chuc/{}", new_id.0))
    })
}

pub async fn org_dissolve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    org_action!(state, id, "dissolve", pairs, "dissolved", |f| {
        let (dest, on) = (input::opt_org_ref(&f, "members_to"), input::date(&f, "on"));
        input::collect(vec![
            dest.as_ref().err().cloned(),
            on.as_ref().err().cloned(),
        ])?;
        state
            .app
            .dissolve_org(&actor(), OrgId(id), on?, dest?, &input::reason(&f))
            .await?;
        Ok(format!("/to-chuc/{id}"))
    })
}

pub async fn org_new_form() -> PageResult {
    Ok(Html(render(&OrgNewPage {
        values: Fields::default(),
        errors: Vec::new(),
        ok: None,
    }))
    .into_response())
}

pub async fn org_new(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = async {
        let mut new = input::new_org(&f)?;
        new.parent = None;
        state.app.create_org(&actor(), new).await
    }
    .await;
    match r {
        Ok(id) => done(format!("/to-chuc/{}", id.0), "created"),
        Err(e @ (AppError::NotFound(_) | AppError::Store(_))) => Err(e.into()),
        Err(e) => Ok((
            crate::error::status_of(&e),
            Html(render(&OrgNewPage {
                errors: messages(&e),
                values: f,
                ok: None,
            })),
        )
            .into_response()),
    }
}

fn list_rows(list: &dangvu_app::views::MemberList) -> Vec<MemberRow> {
    let first = (list.page - 1) * list.per_page;
    list.items
        .iter()
        .enumerate()
        .map(|(i, it)| MemberRow {
            index: i18n::number(first + i as i64 + 1),
            id: it.id.0,
            name: it.full_name.clone(),
            sex: i18n::sex(it.sex),
            birth: vn(it.birth_date),
            cell_id: it.cell.0,
            cell: it.cell_name.clone(),
            status: i18n::status(it.status),
        })
        .collect()
}

fn page_link(path: &str, q: &str, on: NaiveDate, page: i64) -> String {
    format!(
        "{path}?q={}&ngay={}&trang={page}",
        url_escape(q),
        iso_of(on)
    )
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

pub const PER_PAGE: i64 = 50;

async fn members_page(
    state: &AppState,
    org: OrgId,
    title: String,
    path: String,
    q: PageQuery,
) -> PageResult {
    let mut errors = Vec::new();
    let on = as_of(state, &q, &mut errors);
    let typed = q.q.clone().unwrap_or_default();
    let mut search = typed.clone();
    let page_no = q.trang.unwrap_or(1);
    let list = match state
        .app
        .list_members(&actor(), org, on, Some(search.clone()), page_no, PER_PAGE)
        .await
    {
        // A search longer than a name: say so, keep what was typed, show the whole list.
        Err(e) if e.fields().iter().any(|f| f.field == "q") => {
            errors.extend(crate::error::messages(&e));
            search.clear();
            state
                .app
                .list_members(&actor(), org, on, None, page_no, PER_PAGE)
                .await?
        }
        r => r?,
    };
    let pages = list.pages();
    let page = MembersPage {
        title,
        self_path: path.clone(),
        on: vn(on),
        q: typed,
        rows: list_rows(&list),
        total: i18n::number(list.total),
        page: list.page,
        pages,
        prev: (list.page > 1).then(|| page_link(&path, &search, on, list.page - 1)),
        next: (list.page < pages).then(|| page_link(&path, &search, on, list.page + 1)),
        errors,
        ok: None,
    };
    Ok(Html(render(&page)).into_response())
}

pub async fn org_members(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let today = state.app.clock.today();
    let name = state.app.org_name(OrgId(id), today).await?;
    members_page(
        &state,
        OrgId(id),
        format!("Đảng viên — {name}"),
        format!("/to-chuc/{id}/dang-vien"),
        q,
    )
    .await
}

pub async fn search(State(state): State<AppState>, Query(q): Query<PageQuery>) -> PageResult {
    let mut errors = Vec::new();
    let on = as_of(&state, &q, &mut errors);
    let roots = state.app.roots(&actor(), on).await?;
    match roots.first() {
        Some(r) => members_page(&state, *r, "Tìm đảng viên".into(), "/tim-kiem".into(), q).await,
        None => Err(AppError::NotFound("org").into()),
    }
}

fn record_rows(r: &dangvu_domain::member::MemberRecord) -> Vec<RecordRow> {
    RECORD_FIELDS
        .iter()
        .map(|f| {
            let raw = r.field(f).unwrap_or_default();
            let value = match *f {
                "sex" => i18n::sex(r.sex).to_owned(),
                "birth_date" => vn(r.birth_date),
                "army" | "police" | "retired" => {
                    if raw == "true" {
                        "Có".into()
                    } else {
                        "Không".into()
                    }
                }
                _ => raw,
            };
            RecordRow {
                label: i18n::field(f).to_owned(),
                value,
            }
        })
        .collect()
}

async fn member_page(
    state: &AppState,
    id: MemberId,
    q: &PageQuery,
    echo: Echo,
) -> Result<MemberPage, AppError> {
    let mut errors = echo.errors.clone();
    let on = as_of(state, q, &mut errors);
    let today = state.app.clock.today();
    let v = state.app.member(&actor(), id, on).await?;
    let tree = state.app.tree(&actor(), today).await?;
    let mut org_names: HashMap<OrgId, String> =
        tree.nodes.iter().map(|n| (n.id, n.name.clone())).collect();
    let mut name_of = async |o: OrgId, d: NaiveDate| -> String {
        if let Some(n) = org_names.get(&o) {
            return n.clone();
        }
        let n = state
            .app
            .org_name(o, d)
            .await
            .unwrap_or_else(|_| format!("#{}", o.0));
        org_names.insert(o, n.clone());
        n
    };
    let mut events = Vec::new();
    for e in &v.events {
        let mut detail = Vec::new();
        if let Some(o) = e.event.org {
            detail.push(name_of(o, e.event.on).await);
        }
        if let Some(t) = &e.destination {
            detail.push(t.clone());
        }
        if let Some(d) = e.event.discipline {
            detail.push(i18n::discipline(d).to_owned());
        }
        if let Some(n) = &e.note {
            detail.push(n.clone());
        }
        let mut decision = Vec::new();
        if let Some(r) = &e.decision_ref {
            decision.push(r.clone());
        }
        if let Some(b) = &e.decided_by {
            decision.push(b.clone());
        }
        if let Some(d) = e.decided_on {
            decision.push(format!("ngày {}", vn(d)));
        }
        events.push(EventView {
            date: vn(e.event.on),
            label: i18n::event(e.event.kind),
            detail: detail.join("; "),
            decision: decision.join(", "),
        });
    }
    let mut positions = Vec::new();
    for p in &v.positions {
        positions.push(PositionRow {
            position: i18n::position(p.position),
            org_id: p.org.0,
            org_name: name_of(p.org, p.valid_from).await,
            term: p.term_label.clone(),
            from: vn(p.valid_from),
            to: p.valid_to.map(vn).unwrap_or_default(),
        });
    }
    let current_cell = dangvu_domain::member::state_on(
        v.record.birth_date,
        &v.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        today,
    )
    .ok()
    .and_then(|s| s.cell);
    let cell_options = cell_options(state, current_cell).await?;
    Ok(MemberPage {
        id: id.0,
        self_path: format!("/dang-vien/{}", id.0),
        on: vn(on),
        on_iso: iso_of(on),
        today: vn(today),
        name: v.record.full_name.clone(),
        status: i18n::status(v.state.status),
        admitted: v.state.admitted_on.map(vn).unwrap_or_default(),
        official_on: v.state.official_on.map(vn).unwrap_or_else(|| {
            if v.state.admitted_on.is_some() {
                "(đang dự bị)".into()
            } else {
                String::new()
            }
        }),
        seniority: i18n::seniority(v.seniority_months),
        cell_path: v.cell_path.iter().map(|(i, n)| (i.0, n.clone())).collect(),
        record: record_rows(&v.record),
        cards: v
            .cards
            .iter()
            .map(|c| CardRow {
                number: c.number.clone(),
                generation: match c.generation {
                    dangvu_domain::member::CardGeneration::Ct29_2003 => "Chỉ thị 29 (2003)",
                    dangvu_domain::member::CardGeneration::Ct51_2025 => "Chỉ thị 51 (2025)",
                },
                issued: vn(c.issued_on),
                replaced: c.replaced_on.map(vn).unwrap_or_default(),
            })
            .collect(),
        events,
        positions,
        corrections: v
            .corrections
            .iter()
            .map(|c| CorrectionRow {
                at: c
                    .recorded_at
                    .get(..16)
                    .unwrap_or(&c.recorded_at)
                    .replace('T', " "),
                field: i18n::field(&c.field).to_owned(),
                old: c.old_value.clone().unwrap_or_default(),
                new: c.new_value.clone().unwrap_or_default(),
                reason: c.reason.clone(),
                decision: c.decision_ref.clone().unwrap_or_default(),
                by: c.recorded_by.clone(),
            })
            .collect(),
        residence: {
            let mut rows = Vec::new();
            for l in state.app.residence_links(&actor(), id).await? {
                let name = |o: Option<OrgId>| {
                    o.and_then(|o| org_names.get(&o).cloned())
                        .unwrap_or_default()
                };
                rows.push(ResidenceRow {
                    org: name(Some(l.residence)),
                    cell: name(l.cell),
                    introduced: vn(l.introduced_on),
                    attached: l.attached_on.map(vn).unwrap_or_default(),
                    ended: l.ended_on.map(vn).unwrap_or_default(),
                    exempt: l
                        .exempt_category
                        .as_deref()
                        .map(i18n::exempt_category)
                        .unwrap_or_default()
                        .to_owned(),
                });
            }
            rows
        },
        exempt_categories: dangvu_app::residence::EXEMPT_CATEGORIES
            .iter()
            .map(|k| Opt::code(k, i18n::exempt_category(k)))
            .collect(),
        event_options: EventKind::ALL
            .iter()
            .filter(|k| **k != EventKind::Admitted)
            .map(|k| Opt::code(k.code(), i18n::event(*k)))
            .collect(),
        discipline_options: DisciplineForm::ALL
            .iter()
            .map(|d| Opt::code(d.code(), i18n::discipline(*d)))
            .collect(),
        field_options: RECORD_FIELDS
            .iter()
            .map(|f| Opt::code(f, i18n::field(f)))
            .collect(),
        cell_options,
        form: echo.form,
        values: echo.values,
        errors,
        ok: ok_message(q.ok.as_deref()),
    })
}

pub async fn member(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let page = member_page(&state, MemberId(id), &q, Echo::default()).await?;
    Ok(Html(render(&page)).into_response())
}

async fn member_form_failed(
    state: &AppState,
    id: MemberId,
    form: &str,
    values: Fields,
    e: AppError,
) -> PageResult {
    if matches!(e, AppError::NotFound(_) | AppError::Store(_)) {
        return Err(e.into());
    }
    let status = crate::error::status_of(&e);
    let echo = Echo {
        form: form.into(),
        values,
        errors: messages(&e),
    };
    let page = member_page(state, id, &PageQuery::default(), echo).await?;
    Ok((status, Html(render(&page))).into_response())
}

macro_rules! member_action {
    ($state:expr, $id:expr, $form:expr, $pairs:expr, $ok:expr, |$f:ident| $body:expr) => {{
        let $f = Fields::from_pairs($pairs);
        let r: Result<(), AppError> = async { $body }.await;
        match r {
            Ok(()) => done(format!("/dang-vien/{}", $id), $ok),
            Err(e) => member_form_failed(&$state, MemberId($id), $form, $f, e).await,
        }
    }};
}

pub async fn member_event(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    member_action!(state, id, "event", pairs, "event", |f| {
        let ev = input::new_event(&f)?;
        state.app.record_event(&actor(), MemberId(id), ev).await?;
        Ok(())
    })
}

pub async fn member_correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    member_action!(state, id, "correct", pairs, "corrected", |f| {
        let decision = f.opt("decision_ref");
        state
            .app
            .correct_field(
                &actor(),
                MemberId(id),
                &f.get("field"),
                &f.get("value"),
                &input::reason(&f),
                decision.as_deref(),
            )
            .await
    })
}

pub async fn member_card(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    member_action!(state, id, "card", pairs, "card", |f| {
        let issued = input::date(&f, "issued_on")?;
        let generation =
            dangvu_domain::member::CardGeneration::from_code(f.get("generation").trim())
                .unwrap_or(dangvu_domain::member::CardGeneration::Ct29_2003);
        state
            .app
            .add_card(
                &actor(),
                MemberId(id),
                &f.get("card_number"),
                generation,
                issued,
            )
            .await
    })
}

fn text_fields() -> Vec<TextField> {
    let req = ["full_name", "birth_date", "ethnicity"];
    RECORD_FIELDS
        .iter()
        .filter(|f| !matches!(**f, "sex" | "army" | "police" | "retired"))
        .map(|f| TextField {
            code: f,
            label: match *f {
                "birth_date" => "Ngày sinh (dd/mm/yyyy)",
                other => i18n::field(other),
            },
            required: req.contains(f),
        })
        .collect()
}

pub async fn member_new_form(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let mut values = Fields::default();
    if let Some(c) = q.chi_bo {
        values.0.insert("cell".into(), vec![c.to_string()]);
    }
    values.0.insert("ethnicity".into(), vec!["Kinh".into()]);
    values.0.insert("religion".into(), vec!["Không".into()]);
    let page = MemberNewPage {
        cell_options: cell_options(&state, q.chi_bo.map(OrgId)).await?,
        text_fields: text_fields(),
        values,
        errors: Vec::new(),
        ok: None,
    };
    Ok(Html(render(&page)).into_response())
}

pub async fn member_new(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = async {
        let input = input::new_member(&f)?;
        state.app.create_member(&actor(), input).await
    }
    .await;
    match r {
        Ok(id) => done(format!("/dang-vien/{}", id.0), "member_created"),
        Err(e @ (AppError::NotFound(_) | AppError::Store(_))) => Err(e.into()),
        Err(e) => {
            let page = MemberNewPage {
                cell_options: cell_options(&state, f.get("cell").trim().parse().ok().map(OrgId))
                    .await?,
                text_fields: text_fields(),
                errors: messages(&e),
                values: f,
                ok: None,
            };
            Ok((crate::error::status_of(&e), Html(render(&page))).into_response())
        }
    }
}

pub async fn not_found() -> PageError {
    PageError(AppError::NotFound("page"))
}

pub async fn member_introduce(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    member_action!(state, id, "residence", pairs, "introduced", |f| {
        let (org, on) = (input::org_ref(&f, "residence_org"), input::date(&f, "on"));
        input::collect(vec![
            org.as_ref().err().cloned(),
            on.as_ref().err().cloned(),
        ])?;
        let cat = f.opt("exempt_category");
        state
            .app
            .introduce_to_residence(&actor(), MemberId(id), org?, on?, cat.as_deref())
            .await?;
        Ok(())
    })
}
