//! Read models for pages, the API and reports: the tree with counts, an organisation, a
//! member, the member list.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, MemberRecord, MemberState, Status, seniority_months, state_on};
use dangvu_domain::org::OrgKind;
use dangvu_store::Conn;
use dangvu_store::members::{self as mstore, Card, Correction, EventRow, ListEntry, ListQuery};
use dangvu_store::orgs::{self as ostore, Holder, OrgPeriod};
use serde::Serialize;

use crate::{Actor, App, AppError, AppResult};

/// Members on the rolls of an organisation's subtree, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: i64,
    /// Đảng viên chính thức (whatever their activity).
    pub official: i64,
    /// Đảng viên dự bị.
    pub probationary: i64,
    pub exempt: i64,
    pub suspended: i64,
    pub temporarily_away: i64,
}

impl Counts {
    /// Adds `n` members of one status.
    pub(crate) fn add_rows(&mut self, status: Status, official: bool, n: i64) {
        if !status.on_rolls() {
            return;
        }
        self.total += n;
        if official {
            self.official += n;
        } else {
            self.probationary += n;
        }
        match status {
            Status::Exempt => self.exempt += n,
            Status::Suspended => self.suspended += n,
            Status::TemporarilyAway => self.temporarily_away += n,
            _ => {}
        }
    }
    fn sub(&mut self, o: &Counts) {
        self.total -= o.total;
        self.official -= o.official;
        self.probationary -= o.probationary;
        self.exempt -= o.exempt;
        self.suspended -= o.suspended;
        self.temporarily_away -= o.temporarily_away;
    }
    fn add(&mut self, o: &Counts) {
        self.total += o.total;
        self.official += o.official;
        self.probationary += o.probationary;
        self.exempt += o.exempt;
        self.suspended += o.suspended;
        self.temporarily_away += o.temporarily_away;
    }
}

/// One node of the tree on a date.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    pub parent: Option<OrgId>,
    pub depth: usize,
    /// Counts over the node's whole subtree.
    pub counts: Counts,
    pub children: usize,
}

/// The tree on a date, in display order (depth first, children by Vietnamese name order).
#[derive(Debug, Clone, Serialize)]
pub struct TreeView {
    pub on: NaiveDate,
    pub nodes: Vec<TreeNode>,
    /// Counted before the latest change: the new counts are on their way (large registers).
    pub stale: bool,
}

/// The whole tree with its counts for a few recent dates, each tagged with the data version it
/// was computed at and how long that took.
#[derive(Default)]
pub struct CountsCache {
    trees: std::sync::Mutex<Vec<CachedTree>>,
    /// Dates being recomputed in the background.
    computing: std::sync::Mutex<std::collections::HashSet<NaiveDate>>,
}

#[derive(Clone)]
struct CachedTree {
    on: NaiveDate,
    version: i64,
    tree: Arc<TreeView>,
    cost: std::time::Duration,
}

const CACHED_DATES: usize = 4;

/// A tree that takes longer than this to count is served from its previous version while the
/// new one is counted in the background (a million members: 1–3 s). Smaller registers are
/// always counted on the spot.
pub const SLOW_TREE: std::time::Duration = std::time::Duration::from_millis(300);

impl CountsCache {
    /// The tree of a date at this version, or the latest one of that date if it was slow.
    fn get(&self, on: NaiveDate, version: i64) -> Option<(CachedTree, bool)> {
        let v = self.trees.lock().ok()?;
        let c = v.iter().find(|c| c.on == on)?.clone();
        let fresh = c.version == version;
        Some((c, fresh))
    }
    fn put(&self, c: CachedTree) {
        if let Ok(mut v) = self.trees.lock() {
            if v.iter().any(|x| x.on == c.on && x.version > c.version) {
                return;
            }
            v.retain(|x| x.on != c.on);
            v.insert(0, c);
            v.truncate(CACHED_DATES);
        }
    }
    /// Claims the background recount of a date; false when one is already running.
    fn claim(&self, on: NaiveDate) -> bool {
        self.computing.lock().is_ok_and(|mut s| s.insert(on))
    }
    fn release(&self, on: NaiveDate) {
        if let Ok(mut s) = self.computing.lock() {
            s.remove(&on);
        }
    }
}

/// Member lists already read, by (organisation, date, scope and search) and data version:
/// their length, and their whole order when it is small enough to keep, so that paging through
/// a list or its search results reads only the page's names.
#[derive(Default)]
pub struct ListCache {
    lists: std::sync::Mutex<HashMap<ListKey, CachedList>>,
    /// Lists whose order is being read in the background.
    filling: std::sync::Mutex<std::collections::HashSet<ListKey>>,
}

/// A member list: the organisation, the date, the scope and the search.
type ListKey = (OrgId, NaiveDate, String);

#[derive(Clone)]
struct CachedList {
    version: i64,
    total: i64,
    order: Option<Arc<Vec<ListEntry>>>,
}

/// Lists longer than this keep only their length (a whole register of a million is 24 MB).
const MAX_KEPT_ORDER: usize = 200_000;
/// How many lists are kept before starting afresh.
const MAX_LISTS: usize = 16;

impl ListCache {
    /// Claims the background reading of a list's order; false when one is already running.
    fn claim(&self, key: &ListKey) -> bool {
        self.filling.lock().is_ok_and(|mut s| s.insert(key.clone()))
    }
    fn release(&self, key: &ListKey) {
        if let Ok(mut s) = self.filling.lock() {
            s.remove(key);
        }
    }
    fn get(&self, key: &ListKey, version: i64) -> Option<CachedList> {
        let m = self.lists.lock().ok()?;
        m.get(key).filter(|c| c.version == version).cloned()
    }
    /// The list as kept at an older version, with its whole order.
    fn older(&self, key: &ListKey, version: i64) -> Option<CachedList> {
        let m = self.lists.lock().ok()?;
        m.get(key)
            .filter(|c| c.version < version && c.order.is_some())
            .cloned()
    }
    fn put(&self, key: ListKey, c: CachedList) {
        if let Ok(mut m) = self.lists.lock() {
            // Never go back to an older version (a background read that finished late).
            if m.get(&key).is_some_and(|o| o.version > c.version) {
                return;
            }
            // Never replace a kept order by a bare length of the same version.
            if c.order.is_none()
                && m.get(&key)
                    .is_some_and(|o| o.version == c.version && o.order.is_some())
            {
                return;
            }
            if m.len() >= MAX_LISTS {
                m.retain(|_, v| v.version == c.version && v.order.is_none());
                if m.len() >= MAX_LISTS {
                    m.clear();
                }
            }
            m.insert(key, c);
        }
    }
}

/// Members on the rolls on `on`, counted by cell (only `orgs` when given).
async fn cell_states(
    conn: &mut Conn,
    on: NaiveDate,
    orgs: Option<&[OrgId]>,
) -> AppResult<HashMap<OrgId, Counts>> {
    let mut by_cell: HashMap<OrgId, Counts> = HashMap::new();
    for (cell, status, official, n) in mstore::cell_counts(conn, on, orgs).await? {
        by_cell
            .entry(cell)
            .or_default()
            .add_rows(status, official, n);
    }
    Ok(by_cell)
}

fn order_tree(
    periods: Vec<OrgPeriod>,
    direct: &HashMap<OrgId, Counts>,
    root: Option<OrgId>,
) -> Vec<TreeNode> {
    let mut children: HashMap<Option<OrgId>, Vec<&OrgPeriod>> = HashMap::new();
    let ids: std::collections::HashSet<OrgId> = periods.iter().map(|p| p.org).collect();
    for p in &periods {
        // A parent outside the tree on that date makes the node a root.
        let parent = p.parent.filter(|x| ids.contains(x));
        children.entry(parent).or_default().push(p);
    }
    for v in children.values_mut() {
        v.sort_by_cached_key(|p| (dangvu_domain::text::collation_key(&p.name), p.org));
    }
    // Subtree counts, post-order.
    fn total(
        id: OrgId,
        children: &HashMap<Option<OrgId>, Vec<&OrgPeriod>>,
        direct: &HashMap<OrgId, Counts>,
        memo: &mut HashMap<OrgId, Counts>,
    ) -> Counts {
        let mut c = direct.get(&id).copied().unwrap_or_default();
        if let Some(cs) = children.get(&Some(id)) {
            for ch in cs {
                let t = total(ch.org, children, direct, memo);
                c.add(&t);
            }
        }
        memo.insert(id, c);
        c
    }
    let mut memo = HashMap::new();
    let roots: Vec<&OrgPeriod> = match root {
        Some(r) => periods.iter().filter(|p| p.org == r).collect(),
        None => children.get(&None).cloned().unwrap_or_default(),
    };
    for r in &roots {
        total(r.org, &children, direct, &mut memo);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&OrgPeriod, usize)> = roots.iter().rev().map(|p| (*p, 0)).collect();
    while let Some((p, depth)) = stack.pop() {
        let kids = children.get(&Some(p.org)).cloned().unwrap_or_default();
        out.push(TreeNode {
            id: p.org,
            name: p.name.clone(),
            kind: p.kind,
            parent: p.parent,
            depth,
            counts: memo.get(&p.org).copied().unwrap_or_default(),
            children: kids.len(),
        });
        for k in kids.iter().rev() {
            stack.push((k, depth + 1));
        }
    }
    out
}

/// The part of a tree (in display order) inside a scope: nodes outside it are left out, the
/// depth, parent and children of a node count only nodes inside, and a node's counts cover only
/// the members of organisations inside the scope, so nothing outside leaks through a total.
pub fn restrict_tree(
    nodes: &[TreeNode],
    scope: &std::collections::HashSet<OrgId>,
) -> Vec<TreeNode> {
    // Members directly in each node: its subtree counts less its children's.
    let mut direct: HashMap<OrgId, Counts> = nodes.iter().map(|n| (n.id, n.counts)).collect();
    for n in nodes {
        if let Some(p) = n.parent
            && let Some(d) = direct.get_mut(&p)
        {
            d.sub(&n.counts);
        }
    }
    // Children come after their parent in display order: sum bottom-up, in reverse, the direct
    // counts of the nodes inside the scope.
    let mut acc: HashMap<OrgId, Counts> = HashMap::new();
    for n in nodes.iter().rev() {
        let mut c = acc.remove(&n.id).unwrap_or_default();
        if scope.contains(&n.id) {
            c.add(direct.get(&n.id).unwrap_or(&Counts::default()));
        }
        if let Some(p) = n.parent {
            acc.entry(p).or_default().add(&c);
        }
        acc.insert(n.id, c);
    }
    let mut out: Vec<TreeNode> = Vec::new();
    // The path from the top to the current node: (original depth, id, index in `out` if kept).
    let mut path: Vec<(usize, Option<usize>)> = Vec::new();
    for n in nodes {
        while path.last().is_some_and(|(d, _)| *d >= n.depth) {
            path.pop();
        }
        let kept_parent = path.iter().rev().find_map(|(_, i)| *i);
        let mut kept = None;
        if scope.contains(&n.id) {
            let depth = path.iter().filter(|(_, i)| i.is_some()).count();
            if let Some(pi) = kept_parent {
                out[pi].children += 1;
            }
            out.push(TreeNode {
                id: n.id,
                name: n.name.clone(),
                kind: n.kind,
                parent: kept_parent.map(|i| out[i].id),
                depth,
                counts: acc.get(&n.id).copied().unwrap_or_default(),
                children: 0,
            });
            kept = Some(out.len() - 1);
        }
        path.push((n.depth, kept));
    }
    out
}

/// An organisation and its descendants, cut out of a whole tree in display order, with depths
/// counted from it.
fn subtree_of(nodes: &[TreeNode], id: OrgId) -> Vec<TreeNode> {
    let Some(start) = nodes.iter().position(|n| n.id == id) else {
        return Vec::new();
    };
    let top = nodes[start].depth;
    let mut out = vec![TreeNode {
        depth: 0,
        ..nodes[start].clone()
    }];
    for n in &nodes[start + 1..] {
        if n.depth <= top {
            break;
        }
        out.push(TreeNode {
            depth: n.depth - top,
            ..n.clone()
        });
    }
    out
}

/// A member's page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub id: MemberId,
    pub record: MemberRecord,
    pub on: NaiveDate,
    pub state: MemberState,
    /// Tuổi đảng in whole months (R9).
    pub seniority_months: i32,
    /// The cell and its ancestors, nearest first.
    pub cell_path: Vec<(OrgId, String)>,
    #[serde(skip)]
    pub events: Vec<EventRow>,
    #[serde(skip)]
    pub cards: Vec<Card>,
    #[serde(skip)]
    pub corrections: Vec<Correction>,
    #[serde(skip)]
    pub positions: Vec<Holder>,
}

/// An organisation's page.
#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub id: OrgId,
    pub on: NaiveDate,
    /// The period in force on `on` (None: did not exist then).
    pub period: Option<OrgPeriod>,
    pub founded_on: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
    /// Ancestors from the top down.
    pub ancestors: Vec<(OrgId, String)>,
    /// The organisation and its subtree, with counts (the organisation first).
    pub subtree: Vec<TreeNode>,
    pub committee: Vec<Holder>,
    pub history: Vec<OrgPeriod>,
    /// The actor may change things inside it (members, committee, sub-organisations).
    pub can_write: bool,
    /// The counts predate the latest change and are being recounted (large registers).
    pub counts_stale: bool,
    /// The actor may rename, move, merge, split or dissolve it (its superior's decision).
    pub can_restructure: bool,
}

/// One row of the member list.
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    pub id: MemberId,
    pub full_name: String,
    pub sex: dangvu_domain::member::Sex,
    pub birth_date: NaiveDate,
    pub cell: OrgId,
    pub cell_name: String,
    pub status: Status,
}

/// A page of the member list.
#[derive(Debug, Clone, Serialize)]
pub struct MemberList {
    pub org: OrgId,
    pub on: NaiveDate,
    pub search: Option<String>,
    pub items: Vec<ListItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl MemberList {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

impl App {
    /// The tree on a date with counts, as far as the actor's scope reaches.
    pub async fn tree(&self, actor: &Actor, on: NaiveDate) -> AppResult<Arc<TreeView>> {
        let full = self.full_tree(on).await?;
        match actor.access.org_filter() {
            None => Ok(full),
            Some(scope) => Ok(Arc::new(TreeView {
                on,
                nodes: restrict_tree(&full.nodes, scope),
                stale: full.stale,
            })),
        }
    }

    /// The whole tree on a date, with counts (cached per data version).
    async fn full_tree(&self, on: NaiveDate) -> AppResult<Arc<TreeView>> {
        let mut tx = self.store.read().await?;
        let version = dangvu_store::audit::last_id(&mut tx).await?;
        // Renames alone since the last count change no count: it holds at this version.
        if let Some((c, false)) = self.counts.get(on, version)
            && c.version < version
            && dangvu_store::audit::renames_between(&mut tx, c.version, version)
                .await?
                .is_some()
        {
            self.counts.put(CachedTree { version, ..c });
        }
        tx.commit().await?;
        match self.counts.get(on, version) {
            Some((c, true)) => return Ok(c.tree),
            Some((c, false)) if c.cost >= self.slow_tree => {
                if self.counts.claim(on) {
                    let app = self.clone();
                    tokio::spawn(async move {
                        if let Err(e) = app.count_tree(on).await {
                            tracing::warn!(error = %e, "tree counts: background recount failed");
                        }
                        app.counts.release(on);
                    });
                }
                let mut stale = (*c.tree).clone();
                stale.stale = true;
                return Ok(Arc::new(stale));
            }
            _ => {}
        }
        self.count_tree(on).await
    }

    /// Counts the whole tree on a date and keeps it.
    async fn count_tree(&self, on: NaiveDate) -> AppResult<Arc<TreeView>> {
        let started = std::time::Instant::now();
        let mut tx = self.store.read().await?;
        let version = dangvu_store::audit::last_id(&mut tx).await?;
        let (periods, direct) = match self.timeline_at(&mut tx, version).await? {
            // The history in memory: any date in milliseconds.
            Some(s) => (s.tree_on(on), s.cell_states(on)),
            None => (
                ostore::tree_on(&mut tx, on).await?,
                cell_states(&mut tx, on, None).await?,
            ),
        };
        tx.commit().await?;
        let t = Arc::new(TreeView {
            on,
            nodes: order_tree(periods, &direct, None),
            stale: false,
        });
        self.counts.put(CachedTree {
            on,
            version,
            tree: t.clone(),
            cost: started.elapsed(),
        });
        Ok(t)
    }

    /// An organisation on a date.
    pub async fn org(&self, actor: &Actor, id: OrgId, on: NaiveDate) -> AppResult<OrgView> {
        self.require_org(actor, id)?;
        let mut tx = self.store.read().await?;
        let dates = ostore::org_dates(&mut tx, id)
            .await
            .map_err(|_| AppError::NotFound("org"))?;
        let period = ostore::period_on(&mut tx, id, on).await?;
        let mut ancestors = Vec::new();
        let mut cur = period.as_ref().and_then(|p| p.parent);
        while let Some(p) = cur {
            match ostore::period_on(&mut tx, p, on).await? {
                Some(pp) if !ancestors.iter().any(|(x, _)| *x == p) => {
                    ancestors.push((p, pp.name.clone()));
                    cur = pp.parent;
                }
                _ => break,
            }
        }
        ancestors.reverse();
        ancestors.retain(|(o, _)| actor.access.org_in_scope(*o));
        let version = dangvu_store::audit::last_id(&mut tx).await?;
        let mut counts_stale = false;
        let subtree = if period.is_some() {
            // The whole tree of that date at this version, when counted already, holds the
            // subtree with its counts; otherwise count the subtree alone.
            let nodes = match self.counts.get(on, version) {
                Some((c, true)) => subtree_of(&c.tree.nodes, id),
                Some((c, false)) if c.cost >= self.slow_tree => {
                    // A large register just changed: the last count, while the tree is
                    // recounted in the background (as the tree page does).
                    counts_stale = true;
                    self.full_tree(on).await?;
                    subtree_of(&c.tree.nodes, id)
                }
                _ if self.timeline_at(&mut tx, version).await?.is_some() => {
                    // The history is in memory: the whole tree of that date is quick to count
                    // and then kept.
                    let t = self.count_tree(on).await?;
                    subtree_of(&t.nodes, id)
                }
                _ => {
                    let periods = ostore::subtree_periods(&mut tx, id, on).await?;
                    let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
                    let direct = cell_states(&mut tx, on, Some(&ids)).await?;
                    order_tree(periods, &direct, Some(id))
                }
            };
            match actor.access.org_filter() {
                None => nodes,
                Some(scope) => restrict_tree(&nodes, scope),
            }
        } else {
            Vec::new()
        };
        let committee = ostore::committee_on(&mut tx, id, on).await?;
        let history = ostore::history(&mut tx, id).await?;
        let can_write = actor.access.writes();
        let can_restructure = can_write
            && (actor.access.all
                || period
                    .as_ref()
                    .and_then(|p| p.parent)
                    .is_some_and(|p| actor.access.orgs.contains(&p)));
        tx.commit().await?;
        Ok(OrgView {
            id,
            on,
            period,
            founded_on: dates.founded_on,
            dissolved_on: dates.dissolved_on,
            ancestors,
            subtree,
            committee,
            history,
            can_write,
            can_restructure,
            counts_stale,
        })
    }

    /// A member on a date.
    pub async fn member(
        &self,
        actor: &Actor,
        id: MemberId,
        on: NaiveDate,
    ) -> AppResult<MemberView> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, id).await?;
        // A former organisation sees her as she was up to the day she left it.
        let horizon = self.read_horizon(&mut tx, actor, id).await?;
        let on = match horizon.and_then(|h| h.pred_opt()) {
            Some(last) => on.min(last),
            None => on,
        };
        let before = |d: NaiveDate| horizon.is_none_or(|h| d < h);
        let record = mstore::get_member(&mut tx, id)
            .await
            .map_err(|_| AppError::NotFound("member"))?;
        let mut events = mstore::events_of(&mut tx, id).await?;
        events.retain(|e| before(e.event.on));
        let timeline: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
        let state = state_on(record.birth_date, &timeline, on)?;
        let seniority = seniority_months(&timeline, on);
        let mut cell_path = Vec::new();
        let mut cur = state.cell;
        while let Some(c) = cur {
            match ostore::period_on(&mut tx, c, on).await? {
                Some(p) if cell_path.len() < 32 => {
                    cell_path.push((c, p.name.clone()));
                    cur = p.parent;
                }
                _ => break,
            }
        }
        let mut cards = mstore::cards_of(&mut tx, id).await?;
        cards.retain(|c| before(c.issued_on));
        for c in &mut cards {
            c.replaced_on = c.replaced_on.filter(|d| before(*d));
        }
        let mut corrections = mstore::corrections_of(&mut tx, id).await?;
        // The record as it was at the end of `on`: undo, newest first, the corrections
        // recorded after that day (R15 keeps every old value).
        let mut record = record;
        let end_of_day = on
            .succ_opt()
            .map(|d| (d.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(7)).and_utc());
        for c in corrections.iter().rev() {
            let at = chrono::DateTime::parse_from_rfc3339(&c.recorded_at).ok();
            if let (Some(at), Some(end)) = (at, end_of_day)
                && at >= end
                && let Ok(prev) = record.with_field(&c.field, c.old_value.as_deref().unwrap_or(""))
            {
                record = prev;
            }
        }
        // Corrections after that day are undone above; they are not listed either.
        corrections.retain(|c| {
            chrono::DateTime::parse_from_rfc3339(&c.recorded_at)
                .is_ok_and(|at| before(at.date_naive()))
        });
        let mut positions = ostore::positions_of(&mut tx, id).await?;
        positions.retain(|p| before(p.valid_from));
        tx.commit().await?;
        Ok(MemberView {
            id,
            record,
            on,
            state,
            seniority_months: seniority,
            cell_path,
            events,
            cards,
            corrections,
            positions,
        })
    }

    /// The members on the rolls of an organisation's subtree on a date, in Vietnamese name
    /// order, optionally filtered by a search without diacritics, a page at a time.
    pub async fn list_members(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
        search: Option<String>,
        page: i64,
        per_page: i64,
    ) -> AppResult<MemberList> {
        let per_page = per_page.clamp(1, 500);
        let page = page.max(1);
        self.require_org(actor, org)?;
        let search = match search {
            Some(s) => dangvu_domain::text::search_terms(&s)?,
            None => None,
        };
        let mut tx = self.store.read().await?;
        ostore::org_dates(&mut tx, org)
            .await
            .map_err(|_| AppError::NotFound("org"))?;
        let version = dangvu_store::audit::last_id(&mut tx).await?;
        // A scoped list may be shorter than the whole subtree's: keep it per account.
        let scope_tag = match actor.access.all {
            true => String::new(),
            false => format!("{}\u{0}", actor.user_id.unwrap_or(-1)),
        };
        let key = (org, on, scope_tag + &search.clone().unwrap_or_default());
        let mut cached = self.lists.get(&key, version);
        if cached.is_none()
            && search.is_none()
            && let Some(old) = self.lists.older(&key, version)
            && let Some(order) = &old.order
            && let Some(renamed) =
                dangvu_store::audit::renames_between(&mut tx, old.version, version).await?
        {
            // Only renames since: move each renamed member to her new place (a plain list
            // holds the same members; only the order changed).
            let mut order: Vec<ListEntry> = order.as_ref().clone();
            for m in renamed {
                let m = MemberId(m);
                if let Some(i) = order.iter().position(|e| e.id == m) {
                    let mut e = order.remove(i);
                    e.key = mstore::sort_key_of(&mut tx, m).await?;
                    let at = order.partition_point(|x| (&x.key, x.id) < (&e.key, e.id));
                    order.insert(at, e);
                }
            }
            let c = CachedList {
                version,
                total: old.total,
                order: Some(Arc::new(order)),
            };
            self.lists.put(key.clone(), c.clone());
            cached = Some(c);
        }
        let offset = ((page - 1) * per_page) as usize;
        let (rows, total) = match cached {
            Some(CachedList {
                total,
                order: Some(order),
                ..
            }) => {
                let end = (offset + per_page as usize).min(order.len());
                let slice = order.get(offset.min(end)..end).unwrap_or_default();
                (mstore::list_rows(&mut tx, slice).await?, total)
            }
            cached => {
                // The only top organisation: its subtree is the whole register.
                let orgs = if actor.access.all && ostore::roots_on(&mut tx, on).await? == [org] {
                    None
                } else {
                    let mut ids = ostore::subtree_ids(&mut tx, org, on).await?;
                    if let Some(scope) = actor.access.org_filter() {
                        ids.retain(|o| scope.contains(o));
                    }
                    Some(ids)
                };
                let q = ListQuery {
                    orgs,
                    on,
                    search: search.clone(),
                    offset: offset as i64,
                    limit: per_page,
                    known_total: cached.as_ref().map(|c| c.total),
                };
                let huge = q.orgs.is_none()
                    || cached
                        .as_ref()
                        .is_some_and(|c| c.total as usize > MAX_KEPT_ORDER);
                // The history in memory holds the order of any plain list: sort it there and
                // keep it (a 50,000-member subtree: a few tens of milliseconds).
                let from_memory = match (&q.orgs, search.is_none() && !huge) {
                    (Some(cells), true) => self
                        .list_order_from_memory(&mut tx, version, cells, on)
                        .await?
                        .filter(|o| o.len() <= MAX_KEPT_ORDER),
                    _ => None,
                };
                if let Some(order) = from_memory {
                    let total = order.len() as i64;
                    let end = (offset + per_page as usize).min(order.len());
                    let rows = mstore::list_rows(
                        &mut tx,
                        order.get(offset.min(end)..end).unwrap_or_default(),
                    )
                    .await?;
                    self.lists.put(
                        key,
                        CachedList {
                            version,
                            total,
                            order: Some(Arc::new(order)),
                        },
                    );
                    (rows, total)
                } else {
                    if search.is_none() && page > 1 && !huge && self.lists.claim(&key) {
                        // Another page of a plain list not kept yet: read the order in the
                        // background for the pages to come.
                        let (app, q, key) = (self.clone(), q.clone(), key.clone());
                        tokio::spawn(async move {
                            let kept = async {
                                let mut tx = app.store.read().await?;
                                let order = mstore::list_order(&mut tx, &q).await?;
                                tx.commit().await?;
                                AppResult::Ok(order)
                            }
                            .await;
                            match kept {
                                Ok(order) => app.lists.put(
                                    key.clone(),
                                    CachedList {
                                        version,
                                        total: order.len() as i64,
                                        order: Some(Arc::new(order)),
                                    },
                                ),
                                Err(e) => {
                                    tracing::warn!(error = %e, "member list: keeping the order failed")
                                }
                            }
                            app.lists.release(&key);
                        });
                    }
                    if search.is_none() {
                        // A plain list not kept yet: the database sorts and skips (a top-N sort is
                        // quicker than reading the whole order); keep the length for the next pages.
                        let (rows, total) = mstore::list_members(&mut tx, &q).await?;
                        self.lists.put(
                            key,
                            CachedList {
                                version,
                                total,
                                order: None,
                            },
                        );
                        (rows, total)
                    } else {
                        let order = mstore::list_order(&mut tx, &q).await?;
                        let total = order.len() as i64;
                        let end = (offset + per_page as usize).min(order.len());
                        let rows = mstore::list_rows(
                            &mut tx,
                            order.get(offset.min(end)..end).unwrap_or_default(),
                        )
                        .await?;
                        let keep = (order.len() <= MAX_KEPT_ORDER).then(|| Arc::new(order));
                        self.lists.put(
                            key,
                            CachedList {
                                version,
                                total,
                                order: keep,
                            },
                        );
                        (rows, total)
                    }
                }
            }
        };
        let mut names: HashMap<OrgId, String> = HashMap::new();
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let status = r.status;
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(r.org) {
                let n = ostore::period_on(&mut tx, r.org, on)
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default();
                slot.insert(n);
            }
            items.push(ListItem {
                id: r.id,
                full_name: r.full_name,
                sex: r.sex,
                birth_date: r.birth_date,
                cell: r.org,
                cell_name: names.get(&r.org).cloned().unwrap_or_default(),
                status,
            });
        }
        tx.commit().await?;
        Ok(MemberList {
            org,
            on,
            search,
            items,
            total,
            page,
            per_page,
        })
    }

    /// The data version at which the whole order of an organisation's plain member list (as
    /// an administrator sees it) is kept, if it is: for tests and the benchmark.
    #[doc(hidden)]
    pub fn kept_list_version(&self, org: OrgId, on: NaiveDate) -> Option<i64> {
        let m = self.lists.lists.lock().ok()?;
        m.get(&(org, on, String::new()))
            .filter(|c| c.order.is_some())
            .map(|c| c.version)
    }

    /// The current data version.
    #[doc(hidden)]
    pub async fn data_version(&self) -> AppResult<i64> {
        let mut tx = self.store.read().await?;
        let v = dangvu_store::audit::last_id(&mut tx).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Organisations alive on a date (for pickers), in tree order.
    pub async fn orgs_on(&self, actor: &Actor, on: NaiveDate) -> AppResult<Vec<OrgPeriod>> {
        let mut tx = self.store.read().await?;
        let mut v = ostore::tree_on(&mut tx, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            v.retain(|p| scope.contains(&p.org));
        }
        tx.commit().await?;
        Ok(v)
    }
}

impl App {
    /// An organisation's name on a date (or its last name if it no longer existed then).
    /// Names of organisations are the public structure of the Party, not personal data, so a
    /// name is given for any organisation a record in the scope refers to.
    pub async fn org_name(&self, id: OrgId, on: NaiveDate) -> AppResult<String> {
        let mut tx = self.store.read().await?;
        let name = match ostore::period_on(&mut tx, id, on).await? {
            Some(p) => p.name,
            None => ostore::history(&mut tx, id)
                .await?
                .pop()
                .map(|p| p.name)
                .ok_or(AppError::NotFound("org"))?,
        };
        tx.commit().await?;
        Ok(name)
    }

    /// The organisations at the top of the tree on a date, or of the actor's scope.
    pub async fn roots(&self, actor: &Actor, on: NaiveDate) -> AppResult<Vec<OrgId>> {
        if !actor.access.all {
            return Ok(actor.access.roots.clone());
        }
        let mut tx = self.store.read().await?;
        let ids = ostore::roots_on(&mut tx, on).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Ids of an organisation and its descendants on a date.
    pub async fn subtree_ids(
        &self,
        actor: &Actor,
        id: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<OrgId>> {
        self.require_org(actor, id)?;
        let mut tx = self.store.read().await?;
        let mut ids = ostore::subtree_ids(&mut tx, id, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        tx.commit().await?;
        Ok(ids)
    }
}

impl App {
    /// Members on the rolls of an organisation's subtree on a date.
    pub async fn count_in_subtree(
        &self,
        actor: &Actor,
        id: OrgId,
        on: NaiveDate,
    ) -> AppResult<i64> {
        self.require_org(actor, id)?;
        let mut tx = self.store.read().await?;
        let mut ids = ostore::subtree_ids(&mut tx, id, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        let n = mstore::count_on_rolls(&mut tx, &ids, on).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Where the data lives, without secrets.
    pub fn store_description(&self) -> &'static str {
        match self.store.backend {
            dangvu_store::Backend::Sqlite => "SQLite",
            dangvu_store::Backend::Postgres => "PostgreSQL",
        }
    }
}
