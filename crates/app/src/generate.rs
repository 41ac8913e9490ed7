//! `dangvu gen`: a synthetic dataset of any size.

use crate::{App, AppResult};

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct GenSummary {
    pub orgs: u64,
    pub members: u64,
}

impl App {
    /// Generates `members` members in a synthetic province. Deterministic from `seed`.
    pub async fn generate(
        &self,
        members: u64,
        seed: u64,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> AppResult<GenSummary> {
        let _ = (members, seed, progress);
        Err(dangvu_domain::DomainError::rule("not_implemented").into())
    }
}
