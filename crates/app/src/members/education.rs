//! Giáo dục, giúp đỡ đảng viên (R11): the cell's periods of education and help of a member, and
//! the flag after 12 months without progress.

use chrono::NaiveDate;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::MemberId;
use dangvu_domain::member::{Education, EducationOutcome};
use dangvu_domain::text::clean;
use dangvu_store::members::education::{self as estore, EducationRow};
use serde_json::json;

use super::state_in;
use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, committed};

/// The longest reason a cell writes.
const REASON_MAX: usize = 500;

impl App {
    /// Puts a member under education and help from a day, with the cell's reason (R11). One
    /// period at a time; she must be on the rolls that day.
    pub async fn start_education(
        &self,
        actor: &Actor,
        member: MemberId,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let reason = clean(reason);
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "required"));
        } else if reason.chars().count() > REASON_MAX {
            errors.push(FieldError::new("reason", "too_long"));
        }
        if on > self.clock.today() {
            errors.push(FieldError::new("on", "date_in_future"));
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        if !state_in(&mut tx, member, on).await?.status.on_rolls() {
            return Err(DomainError::rule_on("not_a_member", "on").into());
        }
        let cases = estore::of_member(&mut tx, member).await?;
        if cases.iter().any(|c| c.case.ended.is_none()) {
            return Err(DomainError::rule("education_open").into());
        }
        let id = estore::insert(
            &mut tx,
            &EducationRow {
                id: 0,
                member,
                case: Education {
                    started_on: on,
                    ended: None,
                },
                reason: reason.clone(),
                recorded_at: self.now_text(),
                recorded_by: actor.name.clone(),
            },
        )
        .await?;
        let entry = Action::MemberEducation
            .on("member", member.0)
            .after(Some(json!({"education": id, "started_on": on})))
            .reason(Some(&reason));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Concludes a member's open period of education: she progressed, or not.
    pub async fn conclude_education(
        &self,
        actor: &Actor,
        member: MemberId,
        id: i64,
        on: NaiveDate,
        outcome: EducationOutcome,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let case = estore::of_member(&mut tx, member)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(AppError::NotFound("education"))?;
        if case.case.ended.is_some() {
            return Err(DomainError::rule("education_closed").into());
        }
        if on < case.case.started_on || on > self.clock.today() {
            return Err(DomainError::rule_on("date_out_of_range", "on").into());
        }
        estore::conclude(&mut tx, member, id, on, outcome).await?;
        let entry = Action::MemberEducation
            .on("member", member.0)
            .before(Some(json!({"education": id, "ended_on": null})))
            .after(Some(
                json!({"education": id, "ended_on": on, "outcome": outcome.code()}),
            ));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// A member's periods of education, those the actor may read of her file.
    pub async fn education_of(
        &self,
        actor: &Actor,
        member: MemberId,
    ) -> AppResult<Vec<EducationRow>> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let horizon = self.read_horizon(&mut tx, actor, member).await?;
        let mut v = estore::of_member(&mut tx, member).await?;
        v.retain(|c| horizon.is_none_or(|h| c.case.started_on < h));
        committed(tx, v).await
    }
}
