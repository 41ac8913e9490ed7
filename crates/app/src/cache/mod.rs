//! What the app keeps in memory between requests, each invalidated by the changes that touch
//! it: the tree's counts, the member lists, the history of the register (for any date) and the
//! actors' scopes.

pub(crate) mod chunks;
pub mod counts;
pub(crate) mod facts;
pub mod lists;
pub(crate) mod org_map;
pub mod scopes;
pub mod timeline;
