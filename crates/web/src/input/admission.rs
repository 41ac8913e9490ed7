//! The admission register's inputs, read the same from the pages' forms and the API's bodies.

use dangvu_app::AppError;
use dangvu_app::admission::{StepDetails, StepInput};
use dangvu_domain::admission::Stage;
use dangvu_domain::error::{Errors, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::MemberRecord;

use crate::AppState;
use crate::html::admin::opt_id;
use crate::input::{Fields, date, decision};
use crate::session::CurrentActor;

fn count(f: &Fields, name: &'static str) -> Result<Option<u32>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| FieldError::new(name, "number_format")),
    }
}

/// Proposes a person as quần chúng ưu tú of `cell`: her record's fields and `on`.
pub async fn add(
    me: &CurrentActor,
    state: &AppState,
    cell: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let mut e = Errors::default();
    let record = e.take_part(MemberRecord::parse(|k| f.get(k)))?;
    let on = e.take(date(f, "on"));
    e.finish()?;
    let (Some(record), Some(on)) = (record, on) else {
        return Err(FieldError::new("on", "required").into());
    };
    state.app.add_candidate(&me.actor(), cell, record, on).await
}

/// Records the next stage of a person: `stage`, `on`, and the stage's own fields (`helper`,
/// `certificate`, `introducers`, `union_resolution`, `over_60_approval`, `votes_for`,
/// `votes_against`, the decision's `decision_ref`, `decided_on`, `decided_by`, `place`).
pub async fn record_step(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<Option<MemberId>, AppError> {
    let mut e = Errors::default();
    let stage =
        e.take(Stage::from_code(f.get("stage").trim()).ok_or(FieldError::new("stage", "required")));
    let on = e.take(date(f, "on"));
    let helper = e.take(opt_id(f, "helper")).flatten().map(MemberId);
    let mut introducers = Vec::new();
    for v in f.all("introducers").iter().filter(|v| !v.trim().is_empty()) {
        match v.trim().parse::<i64>() {
            Ok(i) => introducers.push(MemberId(i)),
            Err(_) => e.push("introducers", "number_format"),
        }
    }
    let votes_for = e.take(count(f, "votes_for")).flatten();
    let votes_against = e.take(count(f, "votes_against")).flatten();
    let dec = e.take_part(decision(f))?;
    e.finish()?;
    let (Some(stage), Some(on)) = (stage, on) else {
        return Err(FieldError::new("stage", "required").into());
    };
    let details = StepDetails {
        helper,
        certificate: f.opt("certificate"),
        votes_for,
        votes_against,
        voters: None,
        introducers,
        union_resolution: f.opt("union_resolution"),
        over_60_approval: f.opt("over_60_approval"),
        decision: dec.filter(|d| !d.is_empty()),
        place: f.opt("place"),
    };
    state
        .app
        .record_candidate_step(&me.actor(), id, StepInput { stage, on, details })
        .await
}
