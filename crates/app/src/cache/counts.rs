//! The kept counts of the tree: the last trees counted, per date, recounted in the background
//! after a change when counting is slow.

use crate::views::*;
use chrono::NaiveDate;
use std::sync::Arc;

/// The whole tree with its counts for a few recent dates, each tagged with the data version it
/// was computed at and how long that took.
#[derive(Default)]
pub struct CountsCache {
    pub(crate) trees: std::sync::Mutex<Vec<CachedTree>>,
    /// Dates being recomputed in the background.
    pub(crate) computing: std::sync::Mutex<std::collections::HashSet<NaiveDate>>,
}

#[derive(Clone)]
pub(crate) struct CachedTree {
    pub(crate) on: NaiveDate,
    pub(crate) version: i64,
    pub(crate) tree: Arc<TreeView>,
    pub(crate) cost: std::time::Duration,
}

pub(crate) const CACHED_DATES: usize = 4;

/// A tree that takes longer than this to count is served from its previous version while the
/// new one is counted in the background (a million members: 1–3 s). Smaller registers are
/// always counted on the spot.
pub const SLOW_TREE: std::time::Duration = std::time::Duration::from_millis(300);

impl CountsCache {
    /// The tree of a date at this version, or the latest one of that date if it was slow.
    pub(crate) fn get(&self, on: NaiveDate, version: i64) -> Option<(CachedTree, bool)> {
        let v = self.trees.lock().ok()?;
        let c = v.iter().find(|c| c.on == on)?.clone();
        let fresh = c.version == version;
        Some((c, fresh))
    }
    pub(crate) fn put(&self, c: CachedTree) {
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
    pub(crate) fn claim(&self, on: NaiveDate) -> bool {
        self.computing.lock().is_ok_and(|mut s| s.insert(on))
    }
    pub(crate) fn release(&self, on: NaiveDate) {
        if let Ok(mut s) = self.computing.lock() {
            s.remove(&on);
        }
    }
}
