//! The transfer register's inputs, read the same from the pages' forms and the API's bodies.

use dangvu_app::AppError;
use dangvu_app::transfers::{SendTransfer, TransferDetails};
use dangvu_domain::date::{parse_month, parse_opt_date};
use dangvu_domain::error::{DomainError, Errors, FieldError};
use dangvu_domain::ids::{EventId, MemberId};
use dangvu_domain::transfer::{TransferKind, TransferReason};

use crate::AppState;
use crate::input::{Fields, date, opt_org_ref};
use crate::session::CurrentActor;

/// The letter's facts, all optional here: `transfer_reason`, `letter_number`, `dues_paid_to`
/// (mm/yyyy), `trigger_on` and `planned_return` (dd/mm/yyyy).
pub fn details(f: &Fields, e: &mut Errors) -> TransferDetails {
    let reason = match f.opt("transfer_reason") {
        None => None,
        Some(r) => e.take(
            TransferReason::from_code(&r).ok_or(FieldError::new("transfer_reason", "invalid")),
        ),
    };
    let dues_paid_to = match f.opt("dues_paid_to") {
        None => None,
        Some(m) => e.take(parse_month("dues_paid_to", &m)),
    };
    TransferDetails {
        reason,
        letter_number: f.opt("letter_number"),
        dues_paid_to,
        trigger_on: e
            .take(parse_opt_date("trigger_on", &f.get("trigger_on")))
            .flatten(),
        planned_return: e
            .take(parse_opt_date("planned_return", &f.get("planned_return")))
            .flatten(),
    }
}

/// Issues a transfer letter for a member: `transfer_kind` (`official`, `temporary`), `on`, the
/// receiving organisation (`destination_org`, an id in this system, or `destination`, a name
/// outside it), the letter's facts and a `note`. Answers the transfer's id.
pub async fn send(
    me: &CurrentActor,
    state: &AppState,
    member: MemberId,
    f: &Fields,
) -> Result<i64, AppError> {
    let mut e = Errors::default();
    let kind = e.take(
        TransferKind::from_code(f.get("transfer_kind").trim())
            .ok_or(FieldError::new("transfer_kind", "required")),
    );
    let on = e.take(date(f, "on"));
    let to_org = e.take(opt_org_ref(f, "destination_org")).flatten();
    let details = details(f, &mut e);
    e.finish()?;
    let (Some(kind), Some(on)) = (kind, on) else {
        return Err(DomainError::rule("invalid_input").into());
    };
    let input = SendTransfer {
        kind,
        on,
        to_org,
        to_name: f.opt("destination"),
        details,
        note: f.opt("note"),
    };
    state.app.send_transfer(&me.actor(), member, input).await
}

/// The receiving side accepts a transfer: `org` (the cell; default the one it was sent to), `on`.
pub async fn accept(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<EventId, AppError> {
    let (org, on) = crate::input::both(opt_org_ref(f, "org"), date(f, "on"))?;
    state.app.accept_transfer(&me.actor(), id, org, on).await
}

/// The receiving side returns a transfer's letter: `on`, `reason`.
pub async fn give_back(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<(), AppError> {
    let on = date(f, "on")?;
    state
        .app
        .return_transfer(
            &me.actor(),
            id,
            &dangvu_app::Closing {
                on,
                reason: f.get("reason"),
            },
        )
        .await
}

/// The home side records her return from a temporary stay: `on`.
pub async fn end(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<EventId, AppError> {
    let on = date(f, "on")?;
    state.app.end_temporary(&me.actor(), id, on).await
}
