//! A decision to issue, read the same from the register page's form and the API's body.

use dangvu_app::AppError;
use dangvu_app::decisions::{Issued, NewDecision};
use dangvu_domain::decision::DecisionKind;
use dangvu_domain::error::{Errors, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};

use crate::AppState;
use crate::html::admin::opt_id;
use crate::input::{Fields, date};
use crate::session::CurrentActor;

/// Issues a decision of `issuer` from `decision_kind`, `signed_on`, `summary`, `member`,
/// `signer` and `abbreviation`.
pub async fn issue(
    me: &CurrentActor,
    state: &AppState,
    issuer: OrgId,
    f: &Fields,
) -> Result<Issued, AppError> {
    let mut e = Errors::default();
    let kind = e.take(
        DecisionKind::from_code(f.get("decision_kind").trim())
            .ok_or(FieldError::new("decision_kind", "required")),
    );
    let signed_on = e.take(date(f, "signed_on"));
    let member = e.take(opt_id(f, "member")).flatten().map(MemberId);
    e.finish()?;
    let (Some(kind), Some(signed_on)) = (kind, signed_on) else {
        return Err(FieldError::new("decision_kind", "required").into());
    };
    let input = NewDecision {
        issuer,
        kind,
        signed_on,
        subject: f.get("summary"),
        member,
        signer: f.opt("signer"),
        abbreviation: f.opt("abbreviation"),
    };
    state.app.issue_decision(&me.actor(), input).await
}
