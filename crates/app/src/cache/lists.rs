//! The kept member lists: the order of an organisation's members on a date, per search, so
//! that the next page is a slice, not a new sort.

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_store::members::ListEntry;
use std::collections::HashMap;
use std::sync::Arc;

/// Member lists already read, by (organisation, date, scope and search) and data version:
/// their length, and their whole order when it is small enough to keep, so that paging through
/// a list or its search results reads only the page's names.
#[derive(Default)]
pub struct ListCache {
    pub(crate) lists: std::sync::Mutex<HashMap<ListKey, CachedList>>,
    /// Lists whose order is being read in the background.
    pub(crate) filling: std::sync::Mutex<std::collections::HashSet<ListKey>>,
}

/// A member list: the organisation, the date, the scope and the search.
pub(crate) type ListKey = (OrgId, NaiveDate, String);

#[derive(Clone)]
pub(crate) struct CachedList {
    pub(crate) version: i64,
    pub(crate) total: i64,
    pub(crate) order: Option<Arc<Vec<ListEntry>>>,
}

/// Lists longer than this keep only their length (a whole register of a million is 24 MB).
pub(crate) const MAX_KEPT_ORDER: usize = 200_000;

/// How many lists are kept before starting afresh.
pub(crate) const MAX_LISTS: usize = 16;

impl ListCache {
    /// Claims the background reading of a list's order; false when one is already running.
    pub(crate) fn claim(&self, key: &ListKey) -> bool {
        self.filling.lock().is_ok_and(|mut s| s.insert(key.clone()))
    }
    pub(crate) fn release(&self, key: &ListKey) {
        if let Ok(mut s) = self.filling.lock() {
            s.remove(key);
        }
    }
    pub(crate) fn get(&self, key: &ListKey, version: i64) -> Option<CachedList> {
        let m = self.lists.lock().ok()?;
        m.get(key).filter(|c| c.version == version).cloned()
    }
    /// The list as kept at an older version, with its whole order.
    pub(crate) fn older(&self, key: &ListKey, version: i64) -> Option<CachedList> {
        let m = self.lists.lock().ok()?;
        m.get(key)
            .filter(|c| c.version < version && c.order.is_some())
            .cloned()
    }
    pub(crate) fn put(&self, key: ListKey, c: CachedList) {
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
