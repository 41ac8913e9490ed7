//! The member register's pages (R5–R15): lists with search and pages, a member's record and
//! timeline, events, corrections, cards, and the form for a new member.

use crate::error::messages;
use crate::extract::Cx;
use crate::html::PageQuery;
use crate::html::PageResult;
use crate::html::REGISTER_NOTICES;
use crate::html::as_of;
use crate::html::cell_options;
use crate::html::done;
use crate::html::show;
use crate::html::url_escape;
use crate::input::members as ops;
use crate::input::{self, Fields};
use crate::session::CurrentActor;
use crate::view::Refill;
use crate::view::notice;
use crate::view::*;
use crate::{AppState, i18n};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse};
use chrono::NaiveDate;
use dangvu_app::AppError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{DisciplineForm, EventKind, RECORD_FIELDS};
use std::collections::HashMap;

pub(crate) fn list_rows(list: &dangvu_app::views::MemberList) -> Vec<MemberRow> {
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

pub(crate) fn page_link(path: &str, q: &str, on: NaiveDate, page: i64) -> String {
    format!(
        "{path}?q={}&ngay={}&trang={page}",
        url_escape(q),
        iso_of(on)
    )
}

pub const PER_PAGE: i64 = 50;

pub(crate) async fn members_page(
    me: &CurrentActor,
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
        .list_members(
            &me.actor(),
            org,
            on,
            Some(search.clone()),
            page_no,
            PER_PAGE,
        )
        .await
    {
        // A search longer than a name: say so, keep what was typed, show the whole list.
        Err(e) if e.fields().iter().any(|f| f.field == "q") => {
            errors.extend(crate::error::messages(&e));
            search.clear();
            state
                .app
                .list_members(&me.actor(), org, on, None, page_no, PER_PAGE)
                .await?
        }
        r => r?,
    };
    let pages = list.pages();
    let page = MembersPage {
        me: me.clone(),
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
    show(&page)
}

pub async fn org_members(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let today = state.app.clock.today();
    let name = state.app.org_name(OrgId(id), today).await?;
    members_page(
        &me,
        &state,
        OrgId(id),
        format!("Đảng viên — {name}"),
        format!("/to-chuc/{id}/dang-vien"),
        q,
    )
    .await
}

/// A corrected value as a person reads it: a coded field's value by its name.
fn coded_value(field: &str, v: Option<&str>) -> String {
    let v = v.unwrap_or_default();
    match dangvu_domain::codes::CodedField::of_field(field) {
        Some(c) if !v.is_empty() => c.name(v),
        _ => v.to_owned(),
    }
}

pub(crate) fn record_rows(r: &dangvu_domain::member::MemberRecord) -> Vec<RecordRow> {
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
                _ => r.shown(f).unwrap_or(raw),
            };
            RecordRow {
                label: i18n::field(f).to_owned(),
                value,
            }
        })
        .collect()
}

pub(crate) async fn member_page(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    q: &PageQuery,
    fb: Feedback,
) -> Result<MemberPage, AppError> {
    let mut errors = fb.errors.clone();
    let on = as_of(state, q, &mut errors);
    let today = state.app.clock.today();
    let v = state.app.member(&me.actor(), id, on).await?;
    let decisions = state
        .app
        .decisions_of_member(&me.actor(), id)
        .await?
        .iter()
        .filter(|d| d.signed_on <= on)
        .map(|d| {
            let what = format!("{}: {}", i18n::decision_kind(d.kind), d.subject);
            (d.reference(), vn(d.signed_on), what)
        })
        .collect();
    let transfers = crate::html::transfers::of_member(me, state, id).await?;
    let cases = state.app.education_of(&me.actor(), id).await?;
    let education_open = cases.iter().find(|c| c.case.ended.is_none()).map(|c| c.id);
    let education = cases
        .iter()
        .map(|c| {
            let end = match c.case.ended {
                Some((d, o)) => format!("{} ngày {}", i18n::education_outcome(o), vn(d)),
                None => "đang giáo dục, giúp đỡ".into(),
            };
            (vn(c.case.started_on), c.reason.clone(), end)
        })
        .collect();
    let tree = state.app.tree(&me.actor(), today).await?;
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
        if e.decision_missing() {
            detail.push("hồ sơ cũ: chưa có đủ số, ngày và cơ quan ra quyết định".into());
        }
        events.push(EventView {
            id: e.id.0,
            date: vn(e.event.on),
            label: i18n::event(e.event.kind),
            detail: detail.join("; "),
            decision: decision_text(
                e.decision_ref.as_deref(),
                e.decided_by.as_deref(),
                e.decided_on,
            ),
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
    let cell_options = cell_options(me, state, current_cell).await?;
    Ok(MemberPage {
        me: me.clone(),
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
        cards: crate::html::cards::card_rows(state, &v.cards).await,
        badges: crate::html::badges::member_badges(state, me, id).await,
        events,
        flags: v.flags.iter().map(i18n::member_flag).collect(),
        decisions,
        transfers,
        education,
        education_open,
        reason_options: crate::html::transfers::reason_options(),
        voided: v
            .voided
            .iter()
            .map(|(e, c)| {
                let what = if c.replacement.is_some() {
                    "thay thế"
                } else {
                    "hủy"
                };
                let at = c.recorded_at.get(..10).unwrap_or(&c.recorded_at);
                let at = dangvu_domain::date::from_iso(at)
                    .map(vn)
                    .unwrap_or_default();
                (
                    EventView {
                        id: e.id.0,
                        date: vn(e.event.on),
                        label: i18n::event(e.event.kind),
                        detail: c.reason.clone(),
                        decision: decision_text(
                            c.decision.reference.as_deref(),
                            c.decision.body.as_deref(),
                            c.decision.date,
                        ),
                    },
                    format!("{what} ngày {at}, {}", c.recorded_by),
                )
            })
            .collect(),
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
                old: coded_value(&c.field, c.old_value.as_deref()),
                new: coded_value(&c.field, c.new_value.as_deref()),
                reason: c.reason.clone(),
                decision: decision_text(
                    c.decision_ref.as_deref(),
                    c.decided_by.as_deref(),
                    c.decided_on,
                ),
                by: c.recorded_by.clone(),
            })
            .collect(),
        residence: {
            let mut rows = Vec::new();
            for l in state.app.residence_links(&me.actor(), id).await? {
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
        form: fb.form,
        values: fb.echo,
        errors,
        ok: notice(q.ok.as_deref(), REGISTER_NOTICES),
    })
}

pub async fn member(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let page = member_page(&me, &state, MemberId(id), &q, Feedback::default()).await?;
    show(&page)
}

macro_rules! member_action {
    ($me:expr, $state:expr, $id:expr, $form:expr, $fields:expr, $ok:expr, |$f:ident| $body:expr) => {{
        let $f: Fields = $fields;
        let r: Result<(), AppError> = async { $body }.await;
        match r {
            Ok(()) => done(format!("/dang-vien/{}", $id), $ok),
            Err(e) => {
                crate::error::form_failed(e, $form, $f, async |fb| {
                    member_page(&$me, &$state, MemberId($id), &PageQuery::default(), fb).await
                })
                .await
            }
        }
    }};
}

pub async fn member_event(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    member_action!(me, state, id, "event", fields, "event", |f| {
        let ev = input::new_event(&f)?;
        state
            .app
            .record_event(&me.actor(), MemberId(id), ev)
            .await?;
        Ok(())
    })
}

pub async fn member_fix(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    member_action!(me, state, id, "event_fix", fields, "event_fixed", |f| {
        ops::correct_event(&me, &state, MemberId(id), &f)
            .await
            .map(|_| ())
    })
}

pub async fn member_correct(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    member_action!(me, state, id, "correct", fields, "corrected", |f| {
        ops::correct(&me, &state, MemberId(id), &f).await
    })
}

pub async fn member_education(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    member_action!(me, state, id, "education", f, "education", |f| {
        ops::education(&me, &state, MemberId(id), &f).await
    })
}

pub async fn member_card(Cx(me, state): Cx, Path(id): Path<i64>, fields: Fields) -> PageResult {
    member_action!(me, state, id, "card", fields, "card", |f| {
        ops::add_card(&me, &state, MemberId(id), &f).await
    })
}

pub(crate) fn text_fields() -> Vec<TextField> {
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

pub async fn member_new_form(Cx(me, state): Cx, Query(q): Query<PageQuery>) -> PageResult {
    let mut values = Fields::default();
    if let Some(c) = q.chi_bo {
        values.0.insert("cell".into(), vec![c.to_string()]);
    }
    values.0.insert("ethnicity".into(), vec!["Kinh".into()]);
    values.0.insert("religion".into(), vec!["Không".into()]);
    let page = MemberNewPage {
        me: me.clone(),
        cell_options: cell_options(&me, &state, q.chi_bo.map(OrgId)).await?,
        text_fields: text_fields(),
        values,
        errors: Vec::new(),
        ok: None,
    };
    show(&page)
}

pub async fn member_new(Cx(me, state): Cx, f: Fields) -> PageResult {
    let r = async {
        let input = input::new_member(&f)?;
        state.app.create_member(&me.actor(), input).await
    }
    .await;
    match r {
        Ok(id) => done(format!("/dang-vien/{}", id.0), "member_created"),
        Err(e @ (AppError::NotFound(_) | AppError::Store(_))) => Err(e.into()),
        Err(e) => {
            let page = MemberNewPage {
                me: me.clone(),
                cell_options: cell_options(
                    &me,
                    &state,
                    f.get("cell").trim().parse().ok().map(OrgId),
                )
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

#[derive(Debug, Clone)]
pub struct RecordRow {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct EventView {
    pub id: i64,
    pub date: String,
    pub label: &'static str,
    pub detail: String,
    pub decision: String,
}

#[derive(Debug, Clone)]
pub struct CorrectionRow {
    pub at: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub reason: String,
    pub decision: String,
    pub by: String,
}

#[derive(Debug, Clone)]
pub struct PositionRow {
    pub position: &'static str,
    pub org_id: i64,
    pub org_name: String,
    pub term: String,
    pub from: String,
    pub to: String,
}

pub struct ResidenceRow {
    pub org: String,
    pub cell: String,
    pub introduced: String,
    pub attached: String,
    pub ended: String,
    pub exempt: String,
}

#[derive(Template)]
#[template(path = "members/member.html")]
pub struct MemberPage {
    pub me: CurrentActor,
    pub id: i64,
    pub self_path: String,
    pub on: String,
    pub on_iso: String,
    pub today: String,
    pub name: String,
    pub status: &'static str,
    pub admitted: String,
    pub official_on: String,
    pub seniority: String,
    pub cell_path: Vec<(i64, String)>,
    pub record: Vec<RecordRow>,
    pub cards: Vec<crate::html::cards::CardRow>,
    /// Her badges, one sentence each.
    pub badges: Vec<String>,
    pub events: Vec<EventView>,
    /// Events cancelled or replaced: the event, and why, on which decision (R15).
    pub voided: Vec<(EventView, String)>,
    /// What the rules ask her cell to consider (R11).
    pub flags: Vec<String>,
    /// The numbered decisions about her: number, date, what they decide.
    pub decisions: Vec<(String, String, String)>,
    /// Her transfers of party activity (R10).
    pub transfers: Vec<crate::html::transfers::TransferRow>,
    /// Her periods of education and help (R11): from, reason, conclusion; the open one's id.
    pub education: Vec<(String, String, String)>,
    pub education_open: Option<i64>,
    pub reason_options: Vec<Opt>,
    pub positions: Vec<PositionRow>,
    pub corrections: Vec<CorrectionRow>,
    /// Sinh hoạt nơi cư trú: her links with the committee where she lives (R20).
    pub residence: Vec<ResidenceRow>,
    pub exempt_categories: Vec<Opt>,
    pub event_options: Vec<Opt>,
    pub discipline_options: Vec<Opt>,
    pub field_options: Vec<Opt>,
    pub cell_options: Vec<Opt>,
    pub form: String,
    pub values: Fields,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

impl crate::view::Refill for MemberPage {
    fn refill(&self) -> (&str, &Fields) {
        (&self.form, &self.values)
    }
}

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub index: String,
    pub id: i64,
    pub name: String,
    pub sex: &'static str,
    pub birth: String,
    pub cell_id: i64,
    pub cell: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "members/members.html")]
pub struct MembersPage {
    pub me: CurrentActor,
    pub title: String,
    pub self_path: String,
    pub on: String,
    pub q: String,
    pub rows: Vec<MemberRow>,
    pub total: String,
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TextField {
    pub code: &'static str,
    pub label: &'static str,
    pub required: bool,
}

#[derive(Template)]
#[template(path = "members/member_new.html")]
pub struct MemberNewPage {
    pub me: CurrentActor,
    pub cell_options: Vec<Opt>,
    pub text_fields: Vec<TextField>,
    pub values: Fields,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

impl MemberNewPage {
    pub fn v(&self, k: &str) -> String {
        self.values.get(k)
    }
}

pub async fn member_introduce(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    member_action!(me, state, id, "residence", f, "introduced", |f| {
        ops::introduce_to_residence(&me, &state, MemberId(id), &f, "residence_org").await?;
        Ok(())
    })
}
