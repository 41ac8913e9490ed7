//! The changes to a member's record that her page's forms and the API share: read the fields,
//! run the use case (R5, R6, R15).

use dangvu_app::AppError;
use dangvu_app::members::EventFix;
use dangvu_domain::FieldError;
use dangvu_domain::ids::{EventId, MemberId, OrgId};
use dangvu_domain::member::CardGeneration;

use super::{Fields, both, date, decision, org_ref, reason};
use crate::AppState;
use crate::session::CurrentActor;

/// Cancels an event (`event`), or replaces it when `kind` names the event that takes its place
/// (with the fields of recording an event); `reason` and the decision (`decision_ref`,
/// `decided_on`, `decided_by`) are required (R15). Answers the replacement's id.
pub async fn correct_event(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    f: &Fields,
) -> Result<Option<EventId>, AppError> {
    let event = f
        .get("event")
        .trim()
        .parse::<i64>()
        .map_err(|_| FieldError::new("event", "required"))?;
    let replacement = if f.get("kind").trim().is_empty() {
        None
    } else {
        Some(super::new_event(f)?)
    };
    let fix = EventFix {
        replacement,
        reason: reason(f),
        decision: decision(f)?,
    };
    state
        .app
        .correct_event(&me.actor(), id, EventId(event), fix)
        .await
}

/// Corrects one field: `field`, `value`, `reason`, and the decision (`decision_ref`,
/// `decided_on`, `decided_by`, R15).
pub async fn correct(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    f: &Fields,
) -> Result<(), AppError> {
    let (field, value, decision) = (f.get("field"), f.get("value"), decision(f)?);
    state
        .app
        .correct_field(&me.actor(), id, &field, &value, &reason(f), &decision)
        .await
}

/// Issues a card: `card_number`, `generation` (CT29/2003 when not said), `issued_on`.
pub async fn add_card(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    f: &Fields,
) -> Result<(), AppError> {
    let issued = date(f, "issued_on")?;
    let generation =
        CardGeneration::from_code(f.get("generation").trim()).unwrap_or(CardGeneration::Ct29_2003);
    let number = f.get("card_number");
    state
        .app
        .add_card(&me.actor(), id, &number, generation, issued)
        .await
}

/// Introduces the member to the residence committee named by the field `org_field` from `on`,
/// with an `exempt_category` when she is exempt from meetings (R21); the link's id.
pub async fn introduce_to_residence(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    f: &Fields,
    org_field: &'static str,
) -> Result<i64, AppError> {
    let (org, on): (OrgId, _) = both(org_ref(f, org_field), date(f, "on"))?;
    let category = f.opt("exempt_category");
    state
        .app
        .introduce_to_residence(&me.actor(), id, org, on, category.as_deref())
        .await
}

/// Puts the member under education and help (R11): `on` and `reason`; or, with `education`
/// (the open period's id), concludes it on `on` with `outcome` (`progressed`, `no_progress`).
pub async fn education(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    f: &Fields,
) -> Result<(), AppError> {
    let on = date(f, "on")?;
    let app = &state.app;
    match f.opt("education") {
        None => app
            .start_education(&me.actor(), id, on, &reason(f))
            .await
            .map(|_| ()),
        Some(case) => {
            let case: i64 = case.parse().map_err(|_| {
                crate::input::invalid(vec![FieldError::new("education", "invalid")])
            })?;
            let outcome =
                dangvu_domain::member::EducationOutcome::from_code(f.get("outcome").trim())
                    .ok_or_else(|| {
                        crate::input::invalid(vec![FieldError::new("outcome", "required")])
                    })?;
            app.conclude_education(&me.actor(), id, case, on, outcome)
                .await
        }
    }
}
