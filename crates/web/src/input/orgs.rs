//! The changes to an organisation that its page's forms and the API share: read the fields,
//! run the use case (R1–R4).

use dangvu_app::AppError;
use dangvu_app::orgs::Appointment;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};

use super::{Fields, both, date, ids, opt_org_ref, org_ref, reason};
use crate::AppState;
use crate::session::CurrentActor;

/// Renames from a date: `name`, `on`, `reason`.
pub async fn rename(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<(), AppError> {
    let on = date(f, "on")?;
    let name = f.get("name");
    state
        .app
        .rename_org(&me.actor(), id, &name, on, &reason(f))
        .await
}

/// Moves under another parent from a date: `parent`, `on`, `reason`.
pub async fn move_under(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<(), AppError> {
    let (parent, on) = both(org_ref(f, "parent"), date(f, "on"))?;
    state
        .app
        .move_org(&me.actor(), id, parent, on, &reason(f))
        .await
}

/// Dissolves on a date, its members moving to `members_to`; how many moved.
pub async fn dissolve(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<usize, AppError> {
    let (dest, on) = both(opt_org_ref(f, "members_to"), date(f, "on"))?;
    state
        .app
        .dissolve_org(&me.actor(), id, on, dest, &reason(f))
        .await
}

/// Disciplines the organisation (R12): `discipline` (`khien_trach`, `canh_cao`, `giai_tan`),
/// the decision (`decision_ref`, `decided_on`, `decided_by`) and `reason`.
pub async fn discipline(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let mut e = dangvu_domain::error::Errors::default();
    let form = e.take(
        dangvu_domain::org::OrgDiscipline::from_code(f.get("discipline").trim())
            .ok_or(FieldError::new("discipline", "required")),
    );
    let decision = e.take_part(super::decision(f))?;
    e.finish()?;
    let (Some(form), Some(decision)) = (form, decision) else {
        return Err(FieldError::new("discipline", "required").into());
    };
    state
        .app
        .discipline_org(&me.actor(), id, form, &decision, &reason(f))
        .await
}

/// Merges the `sources` into this organisation on a date.
pub async fn merge(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<(), AppError> {
    let (sources, on) = both(ids(f, "sources"), date(f, "on"))?;
    let sources: Vec<OrgId> = sources.into_iter().map(OrgId).collect();
    state
        .app
        .merge_orgs(&me.actor(), &sources, id, on, &reason(f))
        .await
}

/// Splits off `new_name` with the `members` (ids, or the form's `members_text` of ids
/// separated by commas or spaces) and the `children` on a date; the new organisation.
pub async fn split(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<OrgId, AppError> {
    let on = date(f, "on")?;
    let mut members: Vec<MemberId> = ids(f, "members")?.into_iter().map(MemberId).collect();
    for word in f
        .get("members_text")
        .split([',', ' ', ';'])
        .filter(|s| !s.trim().is_empty())
    {
        let m = word
            .trim()
            .parse()
            .map_err(|_| FieldError::new("members", "invalid"))?;
        members.push(MemberId(m));
    }
    let children: Vec<OrgId> = ids(f, "children")?.into_iter().map(OrgId).collect();
    let name = f.get("new_name");
    state
        .app
        .split_org(&me.actor(), id, &name, &members, &children, on, &reason(f))
        .await
}

/// Records a committee position: `position`, `member`, `term_label`, `on`, `decision_ref`.
pub async fn appoint(
    me: &CurrentActor,
    state: &AppState,
    id: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let (position, member, term, from, decision) = super::appointment(f)?;
    let a = Appointment::new(member, position, &term, from, decision.as_deref());
    state.app.appoint(&me.actor(), id, &a).await
}
