//! The actors' resolved scopes, kept per user, day, data version and grants: a request does not
//! walk the tree again until an organisation or a member changes.

use crate::access::Access;

/// Resolved scopes by (user, day, data version, grants).
pub(crate) type ScopeKey = (i64, chrono::NaiveDate, i64, String);

/// A small cache of resolved scopes.
#[derive(Default)]
pub struct ScopeCache(std::sync::Mutex<std::collections::HashMap<ScopeKey, Access>>);

impl ScopeCache {
    pub(crate) fn get(&self, k: &ScopeKey) -> Option<Access> {
        self.0.lock().ok()?.get(k).cloned()
    }
    pub(crate) fn put(&self, k: ScopeKey, a: Access) {
        if let Ok(mut m) = self.0.lock() {
            // Entries of older versions are dead weight: start again when it grows.
            if m.len() >= 256 {
                m.clear();
            }
            m.insert(k, a);
        }
    }
}
