//! Kỷ luật tổ chức đảng (R12): a discipline of an organisation, decided by its superior.

use chrono::NaiveDate;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::OrgId;
use dangvu_store::orgs as ostore;
use serde_json::json;

use super::reason_text;
use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, committed};

impl App {
    /// Records a discipline of an organisation (R12: khiển trách, cảnh cáo, giải tán), decided
    /// by its superior with a whole decision and a reason; the review reads it (R26). Giải tán
    /// is recorded here; the organisation is then dissolved as any other (its members moved).
    pub async fn discipline_org(
        &self,
        actor: &Actor,
        org: OrgId,
        form: dangvu_domain::org::OrgDiscipline,
        decision: &dangvu_domain::decision::Decision,
        reason: &str,
    ) -> AppResult<i64> {
        self.require_org(actor, org)?;
        let reason = reason_text(reason)?;
        decision.check(self.clock.today(), true)?;
        let on = decision
            .date
            .ok_or(FieldError::new("decided_on", "required"))?;
        let mut tx = self.store.begin().await?;
        let p = ostore::period_on(&mut tx, org, on)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "decided_on"))?;
        // The superior decides: one who sees the organisation but not its superior may not.
        match p.parent {
            Some(parent) => self
                .require_org_write(actor, parent)
                .map_err(|_| AppError::Forbidden)?,
            None if actor.access.all => {}
            None => return Err(AppError::Forbidden),
        }
        let row = ostore::OrgDisciplineRow {
            id: 0,
            org,
            form,
            decision: decision.clone(),
            reason: reason.clone(),
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = ostore::insert_discipline(&mut tx, &row).await?;
        let entry = Action::OrgDiscipline
            .on("org", org.0)
            .after(Some(json!({"form": form.code(), "decided_on": on.to_string(), "decided_by": decision.body})))
            .reason(Some(&reason))
            .decision(decision.reference.as_deref());
        self.commit_audited(tx, actor, entry, id).await
    }

    /// The disciplines of an organisation, oldest first.
    pub async fn org_disciplines(
        &self,
        actor: &Actor,
        org: OrgId,
    ) -> AppResult<Vec<ostore::OrgDisciplineRow>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let (first, last) = (
            NaiveDate::from_ymd_opt(1930, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
        );
        let v = ostore::disciplines_between(&mut tx, &[org], first, last).await?;
        committed(tx, v).await
    }
}
