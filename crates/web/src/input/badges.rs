//! The badge list's actions, read the same from the page's forms and the API's bodies.

use chrono::NaiveDate;
use dangvu_app::AppError;
use dangvu_domain::ids::OrgId;

use crate::AppState;
use crate::input::{Fields, date};
use crate::session::CurrentActor;

/// Applies one action of a day's list (`action`: `propose_all`, `propose`, `approve`,
/// `present`, `return`) and answers the notice's code.
pub async fn apply(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    day: NaiveDate,
    f: &Fields,
) -> Result<&'static str, AppError> {
    let a = me.actor();
    let badge = || {
        f.get("badge").trim().parse::<i64>().map_err(|_| {
            crate::input::invalid(vec![dangvu_domain::FieldError::new("badge", "required")])
        })
    };
    match f.get("action").trim() {
        "propose_all" => {
            state.app.propose_badges(&a, org, day, Vec::new()).await?;
            Ok("proposed")
        }
        "propose" => {
            let p = crate::html::badges::proposal(f)?;
            state.app.propose_badges(&a, org, day, vec![p]).await?;
            Ok("proposed")
        }
        "approve" => {
            let d = crate::input::decision(f)?;
            state.app.approve_badges(&a, org, day, &d).await?;
            Ok("approved")
        }
        "present" => {
            let on = date(f, "presented_on").map_err(|e| crate::input::invalid(vec![e]))?;
            state
                .app
                .present_badge(&a, badge()?, &f.get("number"), on)
                .await?;
            Ok("presented")
        }
        "return" => {
            let on = date(f, "on").map_err(|e| crate::input::invalid(vec![e]))?;
            state
                .app
                .return_badge(
                    &a,
                    badge()?,
                    &dangvu_app::Closing {
                        on,
                        reason: f.get("reason"),
                    },
                )
                .await?;
            Ok("returned")
        }
        _ => Err(crate::input::invalid(vec![dangvu_domain::FieldError::new(
            "action", "required",
        )])),
    }
}
