//! The register's history in memory: every organisation period and every membership span,
//! read once (at server start, and again in the background only when the steps of the data
//! version since are no longer known or the register was recoded), so that the tree and its
//! counts on any date come from memory in milliseconds instead of a scan of a million
//! memberships. A rename changes neither, so a snapshot stays valid across renames; a change of
//! one member's record re-reads only her spans; a change of organisations re-reads the
//! organisation periods only (the members it moved have steps of their own). The spans are kept
//! by organisation, so a subtree's counts and lists read only its own organisations' spans, and
//! the next snapshot shares every block of spans and facts that a change did not touch. When no
//! valid snapshot exists, the callers count in the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::Status;
use dangvu_store::Conn;
use dangvu_store::audit::DataChange;
use dangvu_store::members::ListEntry;
use dangvu_store::orgs::OrgPeriod;

use crate::cache::chunks::{ById, ByOrg};
use crate::cache::facts::FactTable;
use crate::cache::org_map::OrgMap;
use crate::views::Counts;
use crate::{App, AppResult};
use dangvu_domain::stats::Facts;

#[derive(Clone, Copy)]
struct Span {
    member: MemberId,
    org: OrgId,
    from: NaiveDate,
    to: Option<NaiveDate>,
    status: Status,
    official: bool,
}

fn span_org(s: &Span) -> OrgId {
    s.org
}

/// The history at one data version (moved forward over renames).
pub(crate) struct Snapshot {
    version: AtomicI64,
    /// The organisations' periods, shared by the snapshots between changes of organisations.
    orgs: Arc<Periods>,
    /// Every membership span, by organisation: what a subtree counts and lists is read from
    /// its own organisations, and a member's change copies only the blocks of the
    /// organisations she was or is in.
    spans: ByOrg<Span>,
    /// Every member's lasting facts, for the statistics.
    facts: Arc<FactTable>,
}

/// Every organisation period, with the ways in.
struct Periods {
    /// In Vietnamese name order (then by id).
    all: Vec<OrgPeriod>,
    /// The positions in `all` of each organisation's own periods, and of the periods under it
    /// (of any date).
    own: OrgMap<Vec<u32>>,
    children: OrgMap<Vec<u32>>,
}

impl Periods {
    fn new(all: Vec<OrgPeriod>) -> Arc<Periods> {
        let all = in_name_order(all);
        let ids = || {
            all.iter()
                .flat_map(|p| std::iter::once(p.org).chain(p.parent))
        };
        let mut own: OrgMap<Vec<u32>> = OrgMap::for_ids(ids());
        let mut children: OrgMap<Vec<u32>> = OrgMap::for_ids(ids());
        for (i, p) in all.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            own.slot(p.org).push(i);
            if let Some(parent) = p.parent {
                children.slot(parent).push(i);
            }
        }
        Arc::new(Periods { all, own, children })
    }
}

fn on_date(from: NaiveDate, to: Option<NaiveDate>, on: NaiveDate) -> bool {
    from <= on && to.is_none_or(|t| t > on)
}

/// Organisation periods in Vietnamese name order, then by id: the order of siblings in the
/// tree (each distinct name's collation key worked out once).
fn in_name_order(mut periods: Vec<OrgPeriod>) -> Vec<OrgPeriod> {
    let mut keys: HashMap<String, Vec<u8>> = HashMap::new();
    for p in &periods {
        if !keys.contains_key(&p.name) {
            keys.insert(p.name.clone(), dangvu_domain::text::collation_key(&p.name));
        }
    }
    periods.sort_by(|a, b| {
        (keys.get(&a.name), a.org, a.valid_from).cmp(&(keys.get(&b.name), b.org, b.valid_from))
    });
    periods
}

impl Snapshot {
    /// The organisations alive on a date, in Vietnamese name order (then by id).
    pub(crate) fn tree_on(&self, on: NaiveDate) -> Vec<&OrgPeriod> {
        self.orgs
            .all
            .iter()
            .filter(|p| on_date(p.valid_from, p.valid_to, on))
            .collect()
    }

    /// The positions in `orgs.all` of an organisation's period alive on a date (if any) and of
    /// its descendants': a walk down from the root, whatever the size of the tree.
    fn subtree_positions(&self, root: OrgId, on: NaiveDate) -> Vec<u32> {
        let alive = |i: &&u32| {
            self.orgs
                .all
                .get(**i as usize)
                .is_some_and(|p| on_date(p.valid_from, p.valid_to, on))
        };
        let mut out: Vec<u32> = self
            .orgs
            .own
            .get(root)
            .iter()
            .filter(alive)
            .copied()
            .collect();
        let mut next = vec![root];
        let mut seen = std::collections::HashSet::from([root]);
        while let Some(o) = next.pop() {
            for i in self.orgs.children.get(o).iter().filter(alive) {
                let c = self.orgs.all[*i as usize].org;
                if seen.insert(c) {
                    out.push(*i);
                    next.push(c);
                }
            }
        }
        out
    }

    /// An organisation and its descendants alive on a date, by id (as
    /// `orgs::subtree_periods` gives them).
    pub(crate) fn subtree_on(&self, root: OrgId, on: NaiveDate) -> Vec<OrgPeriod> {
        let mut out: Vec<OrgPeriod> = self
            .subtree_positions(root, on)
            .into_iter()
            .map(|i| self.orgs.all[i as usize].clone())
            .collect();
        out.sort_by_key(|p| p.org);
        out
    }

    /// `subtree_on`, in Vietnamese name order (then by id).
    pub(crate) fn subtree_in_name_order(&self, root: OrgId, on: NaiveDate) -> Vec<&OrgPeriod> {
        let mut at = self.subtree_positions(root, on);
        at.sort_unstable();
        at.into_iter().map(|i| &self.orgs.all[i as usize]).collect()
    }

    /// Every span, organisation by organisation.
    fn all_spans(&self) -> impl Iterator<Item = &Span> {
        self.spans.iter().flatten()
    }

    /// An organisation's spans.
    fn spans_of(&self, o: OrgId) -> &[Span] {
        self.spans.get(o, span_org)
    }

    /// Members on the rolls on a date, counted by cell (as `views::cell_states` counts them);
    /// only those of `orgs` when given.
    pub(crate) fn cell_states(&self, on: NaiveDate, orgs: Option<&[OrgId]>) -> OrgMap<Counts> {
        let mut by_cell: OrgMap<Counts> = match orgs {
            Some(o) => OrgMap::for_ids(o.iter().copied()),
            None => OrgMap::for_ids(self.orgs.all.iter().map(|p| p.org)),
        };
        // Each organisation's spans counted together, then put in place once.
        let mut count = |org: OrgId, spans: &[Span]| {
            let mut c = Counts::default();
            for s in spans.iter().filter(|s| on_date(s.from, s.to, on)) {
                c.add_rows(s.status, s.official, 1);
            }
            if c != Counts::default() {
                *by_cell.slot(org) = c;
            }
        };
        match orgs {
            None => self
                .spans
                .iter()
                .flat_map(|b| b.chunk_by(|x, y| x.org == y.org))
                .for_each(|v| count(v[0].org, v)),
            Some(o) => o.iter().for_each(|o| count(*o, self.spans_of(*o))),
        }
        by_cell
    }

    /// The facts of the members on the rolls of these organisations (all for `None`) on a
    /// date, as `roster::facts_on` reads them; `None` when a member's facts are missing.
    pub(crate) fn facts_on(
        &self,
        orgs: Option<&std::collections::HashSet<OrgId>>,
        on: NaiveDate,
    ) -> Option<Vec<Facts>> {
        let spans: Box<dyn Iterator<Item = &Span>> = match orgs {
            None => Box::new(self.all_spans()),
            Some(o) => Box::new(o.iter().flat_map(|o| self.spans_of(*o))),
        };
        spans
            .filter(|s| on_date(s.from, s.to, on))
            .map(|s| self.facts.facts(s.member, s.status, s.official, on))
            .collect()
    }

    /// The members on the rolls of these cells on a date, in list order (sort key, then id),
    /// as `members::list_order` gives them; `None` when a key is missing.
    pub(crate) fn list_order(
        &self,
        keys: &ById<Box<[u8]>>,
        cells: &std::collections::HashSet<OrgId>,
        on: NaiveDate,
    ) -> Option<Vec<ListEntry>> {
        let mut rows: Vec<(&[u8], &Span)> = Vec::new();
        for s in cells
            .iter()
            .flat_map(|o| self.spans_of(*o))
            .filter(|s| on_date(s.from, s.to, on))
        {
            rows.push((keys.get(s.member)?, s));
        }
        rows.sort_unstable_by(|a, b| (a.0, a.1.member).cmp(&(b.0, b.1.member)));
        Some(
            rows.into_iter()
                .map(|(k, s)| ListEntry {
                    id: s.member,
                    org: s.org,
                    status: s.status,
                    official: s.official,
                    key: k.to_vec(),
                })
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct Timeline {
    snap: Mutex<Option<Arc<Snapshot>>>,
    /// Every member's name sort key, kept current with renames and new members (read with the
    /// snapshot, updated in place).
    keys: std::sync::RwLock<ById<Box<[u8]>>>,
    building: AtomicBool,
    /// How many times the whole history was read.
    reads: std::sync::atomic::AtomicU64,
}

impl App {
    /// A plain member list of these cells on a date in list order, from the history in memory,
    /// when it holds at this data version.
    pub(crate) async fn list_order_from_memory(
        &self,
        conn: &mut Conn,
        version: i64,
        cells: &[OrgId],
        on: NaiveDate,
    ) -> AppResult<Option<Vec<ListEntry>>> {
        let Some(s) = self.timeline_at(conn, version).await? else {
            return Ok(None);
        };
        let cells: std::collections::HashSet<OrgId> = cells.iter().copied().collect();
        let Ok(keys) = self.timeline.keys.read() else {
            return Ok(None);
        };
        Ok(s.list_order(&keys, &cells, on))
    }

    /// Reads the register's history into memory (a million members: about ten seconds, about
    /// 100 MB with the name keys); a no-op while another read runs.
    pub async fn build_timeline(&self) -> AppResult<()> {
        if self.timeline.building.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let read = async {
            self.timeline.reads.fetch_add(1, Ordering::Relaxed);
            let mut tx = self.store.read().await?;
            let version = dangvu_store::audit::last_id(&mut tx).await?;
            let orgs = Periods::new(dangvu_store::orgs::all_periods(&mut tx).await?);
            let mut keys = ById::default();
            dangvu_store::members::all_sort_keys(&mut tx, |m, k| {
                keys.set(m, Some(k.into_boxed_slice()))
            })
            .await?;
            let facts = Arc::new(FactTable::read(&mut tx).await?);
            let mut spans = ByOrg::default();
            dangvu_store::members::all_spans(&mut tx, |member, org, from, to, status, official| {
                let s = Span {
                    member,
                    org,
                    from,
                    to,
                    status,
                    official,
                };
                spans.push(s, span_org)
            })
            .await?;
            let spans = spans.sorted(span_org);
            tx.commit().await?;
            AppResult::Ok((
                Snapshot {
                    version: AtomicI64::new(version),
                    orgs,
                    spans,
                    facts,
                },
                keys,
            ))
        }
        .await;
        let out = read.map(|(snap, keys)| {
            let v = snap.version.load(Ordering::Acquire);
            if let Ok(mut slot) = self.timeline.snap.lock()
                && slot
                    .as_ref()
                    .is_none_or(|o| o.version.load(Ordering::Acquire) <= v)
            {
                if let Ok(mut k) = self.timeline.keys.write() {
                    *k = keys;
                }
                *slot = Some(Arc::new(snap));
            }
        });
        self.timeline.building.store(false, Ordering::Release);
        out
    }

    /// How many times the whole history was read, and the data version of the history in
    /// memory: for tests and the benchmark.
    #[doc(hidden)]
    pub fn history_state(&self) -> (u64, Option<i64>) {
        let version = self
            .timeline
            .snap
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|s| s.version.load(Ordering::Acquire)));
        (self.timeline.reads.load(Ordering::Relaxed), version)
    }

    /// An organisation's subtree on a date: from the history in memory when it holds at the
    /// current data version, else from the database.
    pub(crate) async fn subtree_periods(
        &self,
        conn: &mut Conn,
        root: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<OrgPeriod>> {
        let version = dangvu_store::audit::last_id(conn).await?;
        match self.timeline_at(conn, version).await? {
            Some(s) => Ok(s.subtree_on(root, on)),
            None => Ok(dangvu_store::orgs::subtree_periods(conn, root, on).await?),
        }
    }

    /// An organisation and its descendants on a date, the root first whether or not it exists
    /// on that date (as `orgs::subtree_ids` gives them): from the history in memory when it
    /// holds at the current data version, else from the database.
    pub(crate) async fn subtree_id_list(
        &self,
        conn: &mut Conn,
        root: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<OrgId>> {
        let version = dangvu_store::audit::last_id(conn).await?;
        let Some(s) = self.timeline_at(conn, version).await? else {
            return Ok(dangvu_store::orgs::subtree_ids(conn, root, on).await?);
        };
        let mut ids = vec![root];
        ids.extend(
            s.subtree_on(root, on)
                .into_iter()
                .map(|p| p.org)
                .filter(|o| *o != root),
        );
        Ok(ids)
    }

    /// The snapshot, when it holds at this data version (the same, or only renames since).
    /// When one exists but is out of date, a new read starts in the background.
    pub(crate) async fn timeline_at(
        &self,
        conn: &mut Conn,
        version: i64,
    ) -> AppResult<Option<Arc<Snapshot>>> {
        let Some(s) = self.timeline.snap.lock().ok().and_then(|s| s.clone()) else {
            return Ok(None);
        };
        let at = s.version.load(Ordering::Acquire);
        if at == version {
            return Ok(Some(s));
        }
        let changes = if at < version {
            dangvu_store::audit::changes_between(conn, at, version).await?
        } else {
            None
        };
        // The members whose spans to read again; None: everything (the register recoded, or
        // steps no longer known).
        let mut orgs_changed = false;
        let mut members: Option<Vec<MemberId>> = changes.as_ref().map(|_| Vec::new());
        for c in changes.iter().flatten() {
            match (c, members.as_mut()) {
                (DataChange::Member(m), Some(v)) => v.push(MemberId(*m)),
                // An organisation changed: its periods. The members a dissolution, merger or
                // split moved have steps of their own (memberships change only through a
                // member's recorded event).
                (DataChange::Org(o), Some(_)) if *o > 0 => orgs_changed = true,
                (DataChange::Org(_), _) => members = None,
                _ => {}
            }
        }
        // Every member renamed or changed gets her key read again.
        if let Some(v) = &changes {
            for c in v {
                if let DataChange::Rename(m) | DataChange::Member(m) = c {
                    let key = dangvu_store::members::sort_key_of(conn, MemberId(*m)).await?;
                    if let Ok(mut k) = self.timeline.keys.write() {
                        k.set(MemberId(*m), Some(key.into_boxed_slice()));
                    }
                }
            }
        }
        match members {
            // Renames only: nothing the history holds changed.
            Some(m) if m.is_empty() && !orgs_changed => {
                s.version.fetch_max(version, Ordering::AcqRel);
                return Ok(Some(s));
            }
            // Some members or organisations changed: re-read their spans, and every
            // organisation period when organisations changed, into a new snapshot.
            Some(mut m) => {
                m.sort_unstable();
                m.dedup();
                let mut spans = s.spans.clone();
                spans.remove(|x| m.binary_search(&x.member).is_ok());
                for member in &m {
                    for x in dangvu_store::members::spans_of(conn, *member).await? {
                        spans.insert(
                            Span {
                                member: *member,
                                org: x.cell,
                                from: x.from,
                                to: x.to,
                                status: x.status,
                                official: x.official,
                            },
                            span_org,
                        );
                    }
                }
                let mut facts = (*s.facts).clone();
                facts.reread(conn, &m).await?;
                let orgs = if orgs_changed {
                    Periods::new(dangvu_store::orgs::all_periods(conn).await?)
                } else {
                    s.orgs.clone()
                };
                let next = Arc::new(Snapshot {
                    version: AtomicI64::new(version),
                    orgs,
                    spans,
                    facts: Arc::new(facts),
                });
                if let Ok(mut slot) = self.timeline.snap.lock()
                    && slot
                        .as_ref()
                        .is_none_or(|o| o.version.load(Ordering::Acquire) < version)
                {
                    *slot = Some(next.clone());
                }
                return Ok(Some(next));
            }
            None => {}
        }
        if !self.timeline.building.load(Ordering::Acquire) {
            let app = self.clone();
            tokio::spawn(async move {
                if let Err(e) = app.build_timeline().await {
                    tracing::warn!(error = %e, "timeline: reading the history failed");
                }
            });
        }
        Ok(None)
    }
}
