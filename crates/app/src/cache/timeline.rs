//! The register's history in memory: every organisation period and every membership span,
//! read once (at server start, and again in the background only when the steps of the data
//! version since are no longer known or the register was recoded), so that the tree and its
//! counts on any date come from memory in milliseconds instead of a scan of a million
//! memberships. A rename changes neither, so a snapshot stays valid across renames; a change of
//! one member's record re-reads only her spans; a change of organisations re-reads the
//! organisation periods only (the members it moved have steps of their own). When no valid
//! snapshot exists, the callers count in the database.

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

use crate::cache::facts::FactTable;
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

/// The history at one data version (moved forward over renames).
pub(crate) struct Snapshot {
    version: AtomicI64,
    periods: Vec<OrgPeriod>,
    spans: Vec<Span>,
    /// Every member's lasting facts, for the statistics.
    facts: Arc<FactTable>,
}

fn on_date(from: NaiveDate, to: Option<NaiveDate>, on: NaiveDate) -> bool {
    from <= on && to.is_none_or(|t| t > on)
}

impl Snapshot {
    /// The organisations alive on a date, by id (as `orgs::tree_on` gives them).
    pub(crate) fn tree_on(&self, on: NaiveDate) -> Vec<OrgPeriod> {
        self.periods
            .iter()
            .filter(|p| on_date(p.valid_from, p.valid_to, on))
            .cloned()
            .collect()
    }

    /// An organisation and its descendants alive on a date, by id (as
    /// `orgs::subtree_periods` gives them).
    pub(crate) fn subtree_on(&self, root: OrgId, on: NaiveDate) -> Vec<OrgPeriod> {
        let alive: Vec<&OrgPeriod> = self
            .periods
            .iter()
            .filter(|p| on_date(p.valid_from, p.valid_to, on))
            .collect();
        let mut children: HashMap<OrgId, Vec<&OrgPeriod>> = HashMap::new();
        for p in &alive {
            if let Some(parent) = p.parent {
                children.entry(parent).or_default().push(p);
            }
        }
        let mut out: Vec<OrgPeriod> = alive
            .iter()
            .filter(|p| p.org == root)
            .map(|p| (*p).clone())
            .collect();
        let mut next = vec![root];
        let mut seen = std::collections::HashSet::from([root]);
        while let Some(o) = next.pop() {
            for c in children.get(&o).into_iter().flatten() {
                if seen.insert(c.org) {
                    out.push((*c).clone());
                    next.push(c.org);
                }
            }
        }
        out.sort_by_key(|p| p.org);
        out
    }

    /// Members on the rolls on a date, counted by cell (as `views::cell_states` counts them).
    pub(crate) fn cell_states(&self, on: NaiveDate) -> HashMap<OrgId, Counts> {
        let mut by_cell: HashMap<OrgId, Counts> = HashMap::new();
        for s in self.spans.iter().filter(|s| on_date(s.from, s.to, on)) {
            by_cell
                .entry(s.org)
                .or_default()
                .add_rows(s.status, s.official, 1);
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
        self.spans
            .iter()
            .filter(|s| on_date(s.from, s.to, on) && orgs.is_none_or(|o| o.contains(&s.org)))
            .map(|s| self.facts.facts(s.member, s.status, s.official, on))
            .collect()
    }
}

#[derive(Default)]
pub struct Timeline {
    snap: Mutex<Option<Arc<Snapshot>>>,
    /// Every member's name sort key, kept current with renames and new members (read with the
    /// snapshot, updated in place).
    keys: std::sync::RwLock<HashMap<MemberId, Box<[u8]>>>,
    building: AtomicBool,
    /// How many times the whole history was read.
    reads: std::sync::atomic::AtomicU64,
}

impl Snapshot {
    /// The members on the rolls of these cells on a date, in list order (sort key, then id),
    /// as `members::list_order` gives them; `None` when a key is missing.
    pub(crate) fn list_order(
        &self,
        keys: &HashMap<MemberId, Box<[u8]>>,
        cells: &std::collections::HashSet<OrgId>,
        on: NaiveDate,
    ) -> Option<Vec<ListEntry>> {
        let mut rows: Vec<(&[u8], &Span)> = Vec::new();
        for s in self
            .spans
            .iter()
            .filter(|s| cells.contains(&s.org) && on_date(s.from, s.to, on))
        {
            rows.push((keys.get(&s.member)?, s));
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
            let periods = dangvu_store::orgs::all_periods(&mut tx).await?;
            let keys = dangvu_store::members::all_sort_keys(&mut tx).await?;
            let facts = Arc::new(FactTable::read(&mut tx).await?);
            let spans = dangvu_store::members::all_spans(&mut tx)
                .await?
                .into_iter()
                .map(|(member, org, from, to, status, official)| Span {
                    member,
                    org,
                    from,
                    to,
                    status,
                    official,
                })
                .collect();
            tx.commit().await?;
            AppResult::Ok((
                Snapshot {
                    version: AtomicI64::new(version),
                    periods,
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
                        k.insert(MemberId(*m), key.into_boxed_slice());
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
                let mut spans: Vec<Span> = s
                    .spans
                    .iter()
                    .filter(|x| m.binary_search(&x.member).is_err())
                    .copied()
                    .collect();
                for member in &m {
                    for x in dangvu_store::members::spans_of(conn, *member).await? {
                        spans.push(Span {
                            member: *member,
                            org: x.cell,
                            from: x.from,
                            to: x.to,
                            status: x.status,
                            official: x.official,
                        });
                    }
                }
                let mut facts = (*s.facts).clone();
                facts.reread(conn, &m).await?;
                let periods = if orgs_changed {
                    dangvu_store::orgs::all_periods(conn).await?
                } else {
                    s.periods.clone()
                };
                let next = Arc::new(Snapshot {
                    version: AtomicI64::new(version),
                    periods,
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
