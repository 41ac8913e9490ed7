//! Reading the audit trail, within the reader's scope, and verifying its hash chain.

use crate::committed;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use dangvu_domain::ids::OrgId;
use dangvu_store::audit::{self, AuditQuery, StoredAudit, Verification};
use dangvu_store::orgs as ostore;

use crate::{Actor, App, AppError, AppResult};

/// A filter of the audit trail, as an officer sets it on the page.
#[derive(Debug, Clone, Default)]
pub struct TrailFilter {
    /// The user name of whoever acted.
    pub person: Option<String>,
    /// `org`, `member`, `user`.
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    /// Entries about this organisation's subtree (today).
    pub org: Option<OrgId>,
    pub action: Option<String>,
    /// Dates in Vietnam, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Older than this sequence number (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

/// Midnight in Vietnam (UTC+7) of a date, as the RFC 3339 text entries are stamped with.
fn vn_midnight(d: NaiveDate) -> String {
    let local = d.and_time(NaiveTime::MIN) - chrono::Duration::hours(7);
    Utc.from_utc_datetime(&local).to_rfc3339()
}

impl App {
    /// Entries of the audit trail the actor may read, newest first: the administrator reads
    /// all; an officer or a secretary the entries about organisations of her scope and their
    /// members; anyone else nothing. The asset register's entries only for whoever may read
    /// every register.
    pub async fn audit_trail(&self, actor: &Actor, f: &TrailFilter) -> AppResult<Vec<StoredAudit>> {
        let a = &actor.access;
        if !a.all && a.orgs.is_empty() {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.read().await?;
        let orgs: Option<Vec<i64>> = match f.org {
            Some(o) => {
                self.require_org(actor, o)?;
                let mut ids = ostore::subtree_ids(&mut tx, o, self.clock.today()).await?;
                if let Some(scope) = a.org_filter() {
                    ids.retain(|x| scope.contains(x));
                }
                Some(ids.into_iter().map(|x| x.0).collect())
            }
            None => a.org_filter().map(|s| s.iter().map(|x| x.0).collect()),
        };
        let q = AuditQuery {
            orgs,
            actor: f.person.clone().filter(|s| !s.trim().is_empty()),
            entity: f.entity.clone().filter(|s| !s.trim().is_empty()),
            entity_id: f.entity_id,
            action: f.action.clone().filter(|s| !s.trim().is_empty()),
            from: f.from.map(vn_midnight),
            to: f.to.and_then(|t| t.succ_opt()).map(vn_midnight),
            limit: if f.limit <= 0 { 100 } else { f.limit },
            before_seq: f.before,
            // The asset register's entries are as narrow as the register (R33).
            hide_assets: !a.asset_all,
        };
        let rows = audit::search(&mut tx, &q).await?;
        committed(tx, rows).await
    }

    /// Verifies the audit chain from the first entry to the head.
    pub async fn verify_audit(&self) -> AppResult<Verification> {
        Ok(audit::verify(&self.store).await?)
    }
}
