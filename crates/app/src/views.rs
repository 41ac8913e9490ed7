//! Read models for pages, the API and reports: the tree with counts, an organisation, a
//! member, the member list.

use crate::cache::counts::CachedTree;
use crate::cache::org_map::OrgMap;
use crate::committed;
use crate::{Actor, App, AppError, AppResult};
use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_domain::member::Status;
use dangvu_domain::org::OrgKind;
use dangvu_store::Conn;
use dangvu_store::members::{self as mstore};
use dangvu_store::orgs::{self as ostore, Holder, OrgPeriod};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

mod members;
pub use members::*;

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

/// Members on the rolls on `on`, counted by cell (only `orgs` when given).
async fn cell_states(
    conn: &mut Conn,
    on: NaiveDate,
    orgs: Option<&[OrgId]>,
) -> AppResult<OrgMap<Counts>> {
    let rows = mstore::cell_counts(conn, on, orgs).await?;
    let mut by_cell: OrgMap<Counts> = OrgMap::for_ids(rows.iter().map(|r| r.0));
    for (cell, status, official, n) in rows {
        by_cell.slot(cell).add_rows(status, official, n);
    }
    Ok(by_cell)
}

/// The tree of these periods in display order, with subtree counts. `presorted`: the periods
/// come in Vietnamese name order already (the history in memory keeps them so).
fn order_tree(
    periods: &[&OrgPeriod],
    direct: &OrgMap<Counts>,
    root: Option<OrgId>,
    presorted: bool,
) -> Vec<TreeNode> {
    // Positions instead of ids: a national tree has a quarter of a million organisations.
    let mut positions: OrgMap<usize> = OrgMap::for_ids(periods.iter().map(|p| p.org));
    for (i, p) in periods.iter().enumerate() {
        *positions.slot(p.org) = i + 1;
    }
    let position = |o: OrgId| positions.get(o).checked_sub(1);
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); periods.len()];
    let mut tops: Vec<usize> = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        // A parent outside the tree on that date makes the node a root.
        match p.parent.and_then(position) {
            Some(parent) if parent != i => kids[parent].push(i),
            _ => tops.push(i),
        }
    }
    if !presorted {
        let keys: Vec<Vec<u8>> = periods
            .iter()
            .map(|p| dangvu_domain::text::collation_key(&p.name))
            .collect();
        let by_name = |v: &mut Vec<usize>| {
            v.sort_by(|a, b| (&keys[*a], periods[*a].org).cmp(&(&keys[*b], periods[*b].org)))
        };
        by_name(&mut tops);
        kids.iter_mut().filter(|v| v.len() > 1).for_each(by_name);
    }
    let roots: Vec<usize> = match root {
        Some(r) => position(r).into_iter().collect(),
        None => tops,
    };
    // Display order: depth first from the roots, each node once.
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut seen = vec![false; periods.len()];
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|r| (*r, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push((i, depth));
        for k in kids[i].iter().rev() {
            stack.push((*k, depth + 1));
        }
    }
    // Subtree counts: children come after their parent, so sum in reverse.
    let mut totals: Vec<Counts> = periods.iter().map(|p| *direct.get(p.org)).collect();
    for (i, _) in order.iter().rev() {
        let t = totals[*i];
        if let Some(parent) = periods[*i].parent.and_then(position)
            && parent != *i
            && seen[parent]
        {
            totals[parent].add(&t);
        }
    }
    order
        .into_iter()
        .map(|(i, depth)| {
            let p = periods[i];
            TreeNode {
                id: p.org,
                name: p.name.clone(),
                kind: p.kind,
                parent: p.parent,
                depth,
                counts: totals[i],
                children: kids[i].len(),
            }
        })
        .collect()
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

impl OrgView {
    /// What its size asks of it on the day (R1, R3).
    pub fn warnings(&self) -> Vec<dangvu_domain::org::OrgWarning> {
        use dangvu_domain::org::Position as P;
        let (Some(p), Some(root)) = (&self.period, self.subtree.first()) else {
            return Vec::new();
        };
        let mut committee: Vec<_> = self
            .committee
            .iter()
            .filter(|h| {
                matches!(
                    h.position,
                    P::BiThu | P::PhoBiThu | P::UyVienThuongVu | P::CapUyVien
                )
            })
            .map(|h| h.member)
            .collect();
        committee.sort();
        committee.dedup();
        dangvu_domain::org::warnings(
            p.kind,
            root.counts.official,
            root.counts.total,
            committee.len(),
        )
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
        let t = self.full_tree_in(&mut tx, on).await?;
        committed(tx, t).await
    }

    /// `full_tree` on the caller's connection (a request never waits for a second one while it
    /// holds one: the pool is shared by every request).
    async fn full_tree_in(&self, conn: &mut Conn, on: NaiveDate) -> AppResult<Arc<TreeView>> {
        let version = dangvu_store::audit::last_id(conn).await?;
        // Renames alone since the last count change no count: it holds at this version.
        if let Some((c, false)) = self.counts.get(on, version)
            && c.version < version
            && dangvu_store::audit::renames_between(conn, c.version, version)
                .await?
                .is_some()
        {
            self.counts.put(CachedTree { version, ..c });
        }
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
        self.count_tree_in(conn, on).await
    }

    /// Counts the whole tree on a date and keeps it.
    async fn count_tree(&self, on: NaiveDate) -> AppResult<Arc<TreeView>> {
        let mut tx = self.store.read().await?;
        let t = self.count_tree_in(&mut tx, on).await?;
        committed(tx, t).await
    }

    /// `count_tree` on the caller's connection.
    async fn count_tree_in(&self, conn: &mut Conn, on: NaiveDate) -> AppResult<Arc<TreeView>> {
        let started = std::time::Instant::now();
        let version = dangvu_store::audit::last_id(conn).await?;
        let nodes = match self.timeline_at(conn, version).await? {
            // The history in memory: any date in milliseconds.
            Some(s) => order_tree(&s.tree_on(on), &s.cell_states(on, None), None, true),
            None => {
                let periods = ostore::tree_on(conn, on).await?;
                let direct = cell_states(conn, on, None).await?;
                order_tree(&periods.iter().collect::<Vec<_>>(), &direct, None, false)
            }
        };
        let t = Arc::new(TreeView {
            on,
            nodes,
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
                    self.full_tree_in(&mut tx, on).await?;
                    subtree_of(&c.tree.nodes, id)
                }
                _ => match self.timeline_at(&mut tx, version).await? {
                    // The history is in memory: the subtree alone, from its own organisations.
                    Some(s) => {
                        let periods = s.subtree_in_name_order(id, on);
                        let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
                        order_tree(&periods, &s.cell_states(on, Some(&ids)), Some(id), true)
                    }
                    None => {
                        let periods = ostore::subtree_periods(&mut tx, id, on).await?;
                        let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
                        let direct = cell_states(&mut tx, on, Some(&ids)).await?;
                        order_tree(
                            &periods.iter().collect::<Vec<_>>(),
                            &direct,
                            Some(id),
                            false,
                        )
                    }
                },
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
        committed(tx, v).await
    }

    /// Organisations alive on a date (for pickers), in tree order.
    pub async fn orgs_on(&self, actor: &Actor, on: NaiveDate) -> AppResult<Vec<OrgPeriod>> {
        let mut tx = self.store.read().await?;
        let mut v = ostore::tree_on(&mut tx, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            v.retain(|p| scope.contains(&p.org));
        }
        committed(tx, v).await
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
        committed(tx, name).await
    }

    /// The organisations at the top of the tree on a date, or of the actor's scope.
    pub async fn roots(&self, actor: &Actor, on: NaiveDate) -> AppResult<Vec<OrgId>> {
        if !actor.access.all {
            return Ok(actor.access.roots.clone());
        }
        let mut tx = self.store.read().await?;
        let ids = ostore::roots_on(&mut tx, on).await?;
        committed(tx, ids).await
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
        let mut ids = self.subtree_id_list(&mut tx, id, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        committed(tx, ids).await
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
        let mut ids = self.subtree_id_list(&mut tx, id, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        let n = mstore::count_on_rolls(&mut tx, &ids, on).await?;
        committed(tx, n).await
    }

    /// Where the data lives, without secrets.
    pub fn store_description(&self) -> &'static str {
        match self.store.backend {
            dangvu_store::Backend::Sqlite => "SQLite",
            dangvu_store::Backend::Postgres => "PostgreSQL",
        }
    }
}
