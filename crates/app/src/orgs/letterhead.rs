//! Tên cơ quan ban hành: the header block of a document an organisation issues.

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_store::orgs as ostore;

use crate::committed;
use crate::{Actor, App, AppResult};

impl App {
    /// The names in the header block of a document the organisation issues on a date, top
    /// first: its direct superior's (when it has one) and its own, as the Party's rules for
    /// documents write them (Hướng dẫn 36-HD/VPTW). Empty when it did not exist that day.
    pub async fn letterhead(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<String>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let mut lines = Vec::new();
        if let Some(me) = ostore::period_on(&mut tx, org, on).await? {
            if let Some(parent) = me.parent
                && let Some(p) = ostore::period_on(&mut tx, parent, on).await?
            {
                lines.push(p.name);
            }
            lines.push(me.name);
        }
        committed(tx, lines).await
    }
}
