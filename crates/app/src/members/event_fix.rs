//! Correcting an event (R15): a wrong event is cancelled or replaced, never erased.

use dangvu_domain::decision::Decision;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{EventId, MemberId};
use dangvu_domain::member::{Event, replay};
use dangvu_domain::text::clean;
use dangvu_store::members as mstore;
use serde_json::json;

use super::{NewEvent, project_memberships, record_event_in};
use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// Input of "correct an event" (R15): the event is cancelled, or replaced by another; either way
/// it stays in the register, marked, with the reason and the decision that approved it.
#[derive(Debug, Clone, Default)]
pub struct EventFix {
    /// The event that takes its place; `None` cancels it.
    pub replacement: Option<NewEvent>,
    pub reason: String,
    /// Required whole: reference, date and deciding body.
    pub decision: Decision,
}

impl App {
    /// Cancels an event recorded by mistake, or replaces it with the right one (R15), in one
    /// transaction: the event stays, voided, with the reason and the decision (reference, date
    /// and body, all required); the timeline without it (and with its replacement) must hold,
    /// and the member's spans on the rolls, and so every count, follow. A cancelled "died" lets
    /// later events in again. Answers the replacement's id.
    pub async fn correct_event(
        &self,
        actor: &Actor,
        member: MemberId,
        event: EventId,
        fix: EventFix,
    ) -> AppResult<Option<EventId>> {
        let mut tx = self.store.begin().await?;
        // Scope first: the member, then every organisation the replacement names.
        self.require_member_write(&mut tx, actor, member).await?;
        if let Some(r) = &fix.replacement {
            self.require_event_orgs(actor, r)?;
        }
        let old = mstore::live_event(&mut tx, member, event)
            .await?
            .ok_or(AppError::NotFound("event"))?;
        let reason = clean(&fix.reason);
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "required"));
        }
        if let Err(DomainError::Invalid(e)) = fix.decision.check(self.clock.today(), true) {
            errors.extend(e);
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        mstore::void_event(&mut tx, event).await?;
        crate::transfers::follow_void(&mut tx, event, self.clock.today(), &reason).await?;
        let replacement = match fix.replacement {
            Some(mut input) => {
                if input.decision_ref.is_none() {
                    input.decision_ref = fix.decision.reference.clone();
                    input.decided_on = fix.decision.date;
                    input.decided_by = fix.decision.body.clone();
                }
                Some(record_event_in(self, &mut tx, actor, member, input).await?)
            }
            None => {
                let rec = mstore::get_member(&mut tx, member)
                    .await
                    .map_err(|_| AppError::NotFound("member"))?;
                let rest: Vec<Event> = mstore::events_of(&mut tx, member)
                    .await?
                    .into_iter()
                    .map(|e| e.event)
                    .collect();
                replay(rec.birth_date, &rest)
                    .map_err(|_| DomainError::rule_on("cancel_breaks_timeline", "event"))?;
                project_memberships(&mut tx, member, rec.birth_date, &rest).await?;
                None
            }
        };
        mstore::insert_event_correction(
            &mut tx,
            &mstore::EventCorrection {
                id: 0,
                member,
                event,
                replacement,
                reason: reason.clone(),
                decision: fix.decision.clone(),
                recorded_at: self.now_text(),
                recorded_by: actor.name.clone(),
            },
        )
        .await?;
        let entry = Action::MemberEventCorrect
            .on("member", member.0)
            .before(Some(json!({"event": event.0, "kind": old.event.kind.code(), "on": old.event.on.to_string(), "org": old.event.org.map(|o| o.0)})))
            .after(Some(json!({"replacement": replacement.map(|e| e.0), "decided_on": fix.decision.date, "decided_by": fix.decision.body})))
            .reason(Some(&reason))
            .decision(fix.decision.reference.as_deref());
        self.commit_audited(tx, actor, entry, replacement).await
    }
}
