//! Page models: everything already formatted for display, so templates stay dumb.

use askama::Template;
use dangvu_app::views::{Counts, TreeNode};
use dangvu_domain::date::{format_vn, iso};

use crate::i18n;
use crate::input::Fields;

/// Renders a template; a rendering failure is logged and shown as a short message.
pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template rendering failed");
        "Lỗi hiển thị trang.".to_owned()
    })
}

/// An option of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    pub id: i64,
    pub code: String,
    pub label: String,
}

impl Opt {
    pub fn id(id: i64, label: impl Into<String>) -> Opt {
        Opt {
            id,
            code: id.to_string(),
            label: label.into(),
        }
    }
    pub fn code(code: &str, label: &str) -> Opt {
        Opt {
            id: 0,
            code: code.into(),
            label: label.into(),
        }
    }
}

/// What a failed form sent, to show it again with the errors.
#[derive(Debug, Clone, Default)]
pub struct Echo {
    pub form: String,
    pub values: Fields,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: String,
    pub messages: Vec<String>,
}

/// Counts as shown.
#[derive(Debug, Clone, Default)]
pub struct CountsText {
    pub total: String,
    pub official: String,
    pub probationary: String,
    pub exempt: String,
    pub suspended: String,
    pub away: String,
}

impl From<&Counts> for CountsText {
    fn from(c: &Counts) -> Self {
        CountsText {
            total: i18n::number(c.total),
            official: i18n::number(c.official),
            probationary: i18n::number(c.probationary),
            exempt: i18n::number(c.exempt),
            suspended: i18n::number(c.suspended),
            away: i18n::number(c.temporarily_away),
        }
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
#[template(path = "tree.html")]
pub struct TreePage {
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
#[template(path = "org.html")]
pub struct OrgPage {
    pub id: i64,
    pub can_write: bool,
    pub can_restructure: bool,
    pub counts_stale: bool,
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

impl OrgPage {
    /// The value a failed form sent, for that form only.
    pub fn v(&self, form: &str, k: &str) -> String {
        if self.form == form {
            self.values.get(k)
        } else {
            String::new()
        }
    }
    pub fn v_or(&self, form: &str, k: &str, default: &str) -> String {
        if self.form == form {
            self.values.get(k)
        } else {
            default.to_owned()
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
    pub date: String,
    pub label: &'static str,
    pub detail: String,
    pub decision: String,
}

#[derive(Debug, Clone)]
pub struct CardRow {
    pub number: String,
    pub generation: &'static str,
    pub issued: String,
    pub replaced: String,
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
#[template(path = "member.html")]
pub struct MemberPage {
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
    pub cards: Vec<CardRow>,
    pub events: Vec<EventView>,
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

impl MemberPage {
    pub fn v(&self, form: &str, k: &str) -> String {
        if self.form == form {
            self.values.get(k)
        } else {
            String::new()
        }
    }
    pub fn v_or(&self, form: &str, k: &str, default: &str) -> String {
        if self.form == form {
            self.values.get(k)
        } else {
            default.to_owned()
        }
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
#[template(path = "members.html")]
pub struct MembersPage {
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
#[template(path = "member_new.html")]
pub struct MemberNewPage {
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

#[derive(Template)]
#[template(path = "org_new.html")]
pub struct OrgNewPage {
    pub values: Fields,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

impl OrgNewPage {
    pub fn v(&self, k: &str) -> String {
        self.values.get(k)
    }
}

pub fn vn(d: chrono::NaiveDate) -> String {
    format_vn(d)
}

pub fn iso_of(d: chrono::NaiveDate) -> String {
    iso(d)
}
