//! The accountability registers' actions (regulations, R32; asset-declaration supervision, R33;
//! opinions of the Front and the people, R34; Hồ Chí Minh study commitments, R35; the
//! secretaries' contest, R36), read the same from the pages' forms and the API's bodies. Each
//! asks the actor's scope of the ids it names before it reads any other field.

use dangvu_app::AppError;
use dangvu_app::assets::{AssetItem, Conclusion, NewCadre, NewDeclaration, NewSupervision};
use dangvu_app::commitments::CommitSubject;
use dangvu_app::contest::{NewQuestion, Score};
use dangvu_app::opinions::{Assignment, NewOpinion};
use dangvu_app::regulations::{NewRegulation, NewVersion};
use dangvu_domain::assets::{CHANGE_MAX, DeclarationKind, SupervisionKind, Trigger};
use dangvu_domain::date::parse_opt_date;
use dangvu_domain::dues::parse_amount_up_to;
use dangvu_domain::error::{Errors, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::opinion::OpinionSource;
use dangvu_domain::regulation::RegulationKind;

use super::{Fields, date, id_field, opt_id};
use crate::AppState;
use crate::session::CurrentActor;

fn invalid(e: FieldError) -> AppError {
    super::invalid(vec![e])
}

/// The id of an asset-register item named in a form: an id that is missing or not a number
/// gets the answer of a page that does not exist, as one out of scope does.
fn asset_id(f: &Fields, name: &'static str) -> Result<i64, AppError> {
    id_field(f, name).map_err(|_| AppError::NotFound("page"))
}

/// Adds a cadre to `committee`'s register.
pub async fn add_cadre(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state
        .app
        .asset_scope(&a, AssetItem::Register(committee))
        .await?;
    let from_date = date(f, "from_date").map_err(invalid)?;
    let input = NewCadre {
        committee,
        full_name: f.get("full_name"),
        position: f.get("position"),
        workplace: f.opt("workplace"),
        from_date,
    };
    state.app.add_asset_cadre(&a, input).await
}

/// Ends cadre `cadre`'s place in the register: `on`, `reason`.
pub async fn end_cadre(
    me: &CurrentActor,
    state: &AppState,
    cadre: i64,
    f: &Fields,
) -> Result<(), AppError> {
    let a = me.actor();
    state.app.asset_scope(&a, AssetItem::Cadre(cadre)).await?;
    let on = date(f, "on").map_err(invalid)?;
    state
        .app
        .end_asset_cadre(&a, cadre, on, &f.get("reason"))
        .await
}

/// A declaration due of cadre `cadre`: `declaration_kind`, `year`, `event_on`, `due_on`,
/// `note`.
pub async fn add_declaration(
    me: &CurrentActor,
    state: &AppState,
    cadre: i64,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.asset_scope(&a, AssetItem::Cadre(cadre)).await?;
    let mut e = Errors::default();
    let kind = e.take(
        DeclarationKind::from_code(&f.get("declaration_kind"))
            .ok_or(FieldError::new("declaration_kind", "required")),
    );
    let year = match f.opt("year") {
        None => None,
        Some(y) => e.take(
            y.parse::<i32>()
                .map_err(|_| FieldError::new("year", "invalid")),
        ),
    };
    let event_on = e
        .take(parse_opt_date("event_on", &f.get("event_on")))
        .flatten();
    let due_on = e.take(parse_opt_date("due_on", &f.get("due_on"))).flatten();
    e.finish()?;
    let kind = kind.ok_or_else(|| invalid(FieldError::new("declaration_kind", "required")))?;
    let input = NewDeclaration {
        cadre,
        kind,
        year,
        event_on,
        due_on,
        note: f.opt("note"),
    };
    state.app.add_asset_declaration(&a, input).await
}

/// Declaration `id` received: `received_on`, `receiving_body`.
pub async fn receive_declaration(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<dangvu_domain::assets::DeclarationState, AppError> {
    let a = me.actor();
    state
        .app
        .asset_scope(&a, AssetItem::Declaration(id))
        .await?;
    let on = date(f, "received_on").map_err(invalid)?;
    state
        .app
        .receive_asset_declaration(&a, id, on, f.opt("receiving_body").as_deref())
        .await
}

/// A supervision or inspection of cadre `cadre`: `year`, `supervision_kind`, `trigger`,
/// `started_on`.
pub async fn add_supervision(
    me: &CurrentActor,
    state: &AppState,
    cadre: i64,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.asset_scope(&a, AssetItem::Cadre(cadre)).await?;
    let mut e = Errors::default();
    let year = e.take(
        f.get("year")
            .trim()
            .parse::<i32>()
            .map_err(|_| FieldError::new("year", "required")),
    );
    let kind = e.take(
        SupervisionKind::from_code(&f.get("supervision_kind"))
            .ok_or(FieldError::new("supervision_kind", "required")),
    );
    let trigger =
        e.take(Trigger::from_code(&f.get("trigger")).ok_or(FieldError::new("trigger", "required")));
    let started_on = e.take(date(f, "started_on"));
    e.finish()?;
    let (Some(year), Some(kind), Some(trigger), Some(started_on)) =
        (year, kind, trigger, started_on)
    else {
        return Err(invalid(FieldError::new("year", "required")));
    };
    let input = NewSupervision {
        cadre,
        year,
        kind,
        trigger,
        started_on,
    };
    state.app.add_asset_supervision(&a, input).await
}

/// Supervision `id` concluded: `change_vnd`, `findings`, `follow_up`, `concluded_on`.
pub async fn conclude_supervision(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<(), AppError> {
    let a = me.actor();
    state
        .app
        .asset_scope(&a, AssetItem::Supervision(id))
        .await?;
    let mut e = Errors::default();
    let change_vnd = match f.opt("change_vnd") {
        None => None,
        Some(v) => e.take(parse_amount_up_to("change_vnd", &v, CHANGE_MAX)),
    };
    let concluded_on = e.take(date(f, "concluded_on"));
    e.finish()?;
    let concluded_on =
        concluded_on.ok_or_else(|| invalid(FieldError::new("concluded_on", "required")))?;
    let input = Conclusion {
        change_vnd,
        findings: f.get("findings"),
        follow_up: f.opt("follow_up"),
        concluded_on,
    };
    state.app.conclude_asset_supervision(&a, id, input).await
}

/// Applies one action of a register page (`action`: `cadre`, `end_cadre`, `declaration`,
/// `receive`, `supervision`, `conclude`), the item's id in the field of its name, and answers
/// the notice's code.
pub async fn apply_asset(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<&'static str, AppError> {
    // Scope first: the register of the page, whatever the action.
    state
        .app
        .asset_scope(&me.actor(), AssetItem::Register(committee))
        .await?;
    match f.get("action").trim() {
        "cadre" => add_cadre(me, state, committee, f).await.map(|_| "cadre"),
        "end_cadre" => end_cadre(me, state, asset_id(f, "cadre")?, f)
            .await
            .map(|_| "ended"),
        "declaration" => add_declaration(me, state, asset_id(f, "cadre")?, f)
            .await
            .map(|_| "declaration"),
        "receive" => receive_declaration(me, state, asset_id(f, "declaration")?, f)
            .await
            .map(|_| "received"),
        "supervision" => add_supervision(me, state, asset_id(f, "cadre")?, f)
            .await
            .map(|_| "supervision"),
        "conclude" => conclude_supervision(me, state, asset_id(f, "supervision")?, f)
            .await
            .map(|_| "concluded"),
        _ => Err(invalid(FieldError::new("action", "required"))),
    }
}

/// Takes an opinion into `committee`'s register: `source`, `source_name`, `received_on`,
/// `subject_org`, `subject_member`, `content`.
pub async fn take_opinion(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.org_write_scope(&a, committee)?;
    let mut e = Errors::default();
    let source = e.take(
        OpinionSource::from_code(&f.get("source")).ok_or(FieldError::new("source", "required")),
    );
    let received_on = e.take(date(f, "received_on"));
    let subject_org = e.take(opt_id(f, "subject_org")).flatten().map(OrgId);
    let subject_member = e.take(opt_id(f, "subject_member")).flatten().map(MemberId);
    e.finish()?;
    let (Some(source), Some(received_on)) = (source, received_on) else {
        return Err(invalid(FieldError::new("source", "required")));
    };
    let input = NewOpinion {
        committee,
        source,
        source_name: f.opt("source_name"),
        received_on,
        subject_org,
        subject_member,
        content: f.get("content"),
    };
    state.app.take_opinion(&a, input).await
}

/// Gives opinion `id` to answer: `assigned_body`, `assigned_person`, `assigned_on`, `days`.
pub async fn assign_opinion(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<chrono::NaiveDate, AppError> {
    let a = me.actor();
    state.app.opinion_scope(&a, id).await?;
    let mut e = Errors::default();
    let on = e.take(date(f, "assigned_on"));
    let days = match f.opt("days") {
        None => None,
        Some(d) => e.take(
            d.parse::<u32>()
                .map_err(|_| FieldError::new("days", "answer_days_range")),
        ),
    };
    e.finish()?;
    let on = on.ok_or_else(|| invalid(FieldError::new("assigned_on", "required")))?;
    let input = Assignment {
        body: f.get("assigned_body"),
        person: f.get("assigned_person"),
        on,
        days,
    };
    state.app.assign_opinion(&a, id, input).await
}

/// Answers opinion `id`: `response`, `answered_on`.
pub async fn answer_opinion(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<(), AppError> {
    let a = me.actor();
    state.app.opinion_scope(&a, id).await?;
    let on = date(f, "answered_on").map_err(invalid)?;
    state
        .app
        .answer_opinion(&a, id, &f.get("response"), on)
        .await
}

/// Attaches opinion `id` to a review period: `review`.
pub async fn attach_opinion(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<(), AppError> {
    let a = me.actor();
    state.app.opinion_scope(&a, id).await?;
    let review = id_field(f, "review").map_err(invalid)?;
    state.app.attach_opinion(&a, id, review).await
}

/// Applies one action of an opinion register page (`action`: `take`, `assign`, `answer`,
/// `attach`; the opinion's id in `opinion`) and answers the notice's code.
pub async fn apply_opinion(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<&'static str, AppError> {
    state.app.org_write_scope(&me.actor(), committee)?;
    let opinion = || id_field(f, "opinion").map_err(|_| AppError::NotFound("opinion"));
    match f.get("action").trim() {
        "take" => take_opinion(me, state, committee, f).await.map(|_| "taken"),
        "assign" => assign_opinion(me, state, opinion()?, f)
            .await
            .map(|_| "assigned"),
        "answer" => answer_opinion(me, state, opinion()?, f)
            .await
            .map(|_| "answered"),
        "attach" => attach_opinion(me, state, opinion()?, f)
            .await
            .map(|_| "attached"),
        _ => Err(invalid(FieldError::new("action", "required"))),
    }
}

/// Registers the commitment of `subject`: `year` (default this year), `items` (one per line),
/// `registered_on` (default today).
pub async fn register_commitment(
    me: &CurrentActor,
    state: &AppState,
    subject: CommitSubject,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.commit_subject_scope(&a, subject).await?;
    let today = state.app.clock.today();
    let mut e = Errors::default();
    let year = match f.opt("year") {
        None => Some(chrono::Datelike::year(&today)),
        Some(y) => e.take(
            y.parse::<i32>()
                .map_err(|_| FieldError::new("year", "invalid")),
        ),
    };
    let on = e
        .take(parse_opt_date("registered_on", &f.get("registered_on")))
        .flatten()
        .unwrap_or(today);
    e.finish()?;
    let year = year.unwrap_or_default();
    let items = match f.all("items").as_slice() {
        [one] => one.clone(),
        many => many.join("\n"),
    };
    state
        .app
        .register_commitment(&a, subject, year, &items, on)
        .await
}

/// The mid-year comment (`year_end` false: `mid_comment`, `mid_comment_on`) or the year-end
/// assessment (`assessment`, `assessed_on`) of commitment `id`.
pub async fn judge_commitment(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    year_end: bool,
    f: &Fields,
) -> Result<(), AppError> {
    let a = me.actor();
    state.app.commitment_scope(&a, id).await?;
    let (text, day) = if year_end {
        ("assessment", "assessed_on")
    } else {
        ("mid_comment", "mid_comment_on")
    };
    let on = date(f, day).map_err(invalid)?;
    if year_end {
        state.app.assess_commitment(&a, id, &f.get(text), on).await
    } else {
        state.app.comment_commitment(&a, id, &f.get(text), on).await
    }
}

/// Applies one action of a cell's commitments page (`action`: `member` with `member`,
/// `collective`, `comment` or `assess` with `commitment`) and answers the notice's code.
pub async fn apply_commitment(
    me: &CurrentActor,
    state: &AppState,
    cell: OrgId,
    f: &Fields,
) -> Result<&'static str, AppError> {
    state.app.org_scope(&me.actor(), cell)?;
    let commitment = || id_field(f, "commitment").map_err(|_| AppError::NotFound("commitment"));
    match f.get("action").trim() {
        "member" => {
            let m = id_field(f, "member").map_err(|_| AppError::NotFound("member"))?;
            register_commitment(me, state, CommitSubject::Member(MemberId(m)), f)
                .await
                .map(|_| "registered")
        }
        "collective" => register_commitment(me, state, CommitSubject::Collective(cell), f)
            .await
            .map(|_| "registered"),
        "comment" => judge_commitment(me, state, commitment()?, false, f)
            .await
            .map(|_| "commented"),
        "assess" => judge_commitment(me, state, commitment()?, true, f)
            .await
            .map(|_| "assessed"),
        _ => Err(invalid(FieldError::new("action", "required"))),
    }
}

/// A version as typed: `number`, `signed_on`, `effective_on`, `changes`, `full_text`,
/// `provisions`
/// (`article | task | responsible` a line, or a list of such lines).
fn new_version(f: &Fields) -> Result<NewVersion, AppError> {
    let mut e = Errors::default();
    let signed_on = e
        .take(parse_opt_date("signed_on", &f.get("signed_on")))
        .flatten();
    let effective_on = e
        .take(parse_opt_date("effective_on", &f.get("effective_on")))
        .flatten();
    e.finish()?;
    Ok(NewVersion {
        number: f.get("number"),
        signed_on,
        effective_on,
        changes: f.opt("changes"),
        body: f.get("full_text"),
        provisions: f.all("provisions").join("\n"),
    })
}

/// Issues a regulation of `committee`: `regulation_kind`, `regulation_title`, `issuing_body`,
/// `review_months`, and its first version's fields.
pub async fn issue_regulation(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.org_write_scope(&a, committee)?;
    let mut e = Errors::default();
    let kind = e.take(
        RegulationKind::from_code(&f.get("regulation_kind"))
            .ok_or(FieldError::new("regulation_kind", "required")),
    );
    let review_months = match f.opt("review_months") {
        None => None,
        Some(m) => e.take(
            m.parse::<u32>()
                .map_err(|_| FieldError::new("review_months", "review_months_range")),
        ),
    };
    let first = e.take_part(new_version(f).map_err(|e| match e {
        AppError::Domain(d) => d,
        _ => dangvu_domain::DomainError::rule("invalid_input"),
    }))?;
    e.finish()?;
    let (Some(kind), Some(first)) = (kind, first) else {
        return Err(invalid(FieldError::new("regulation_kind", "required")));
    };
    let input = NewRegulation {
        committee,
        kind,
        title: f.get("regulation_title"),
        issuing_body: f.get("issuing_body"),
        review_months,
        first,
    };
    state.app.issue_regulation(&a, input).await
}

/// Issues the next version of regulation `id`.
pub async fn revise_regulation(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.regulation_scope(&a, id).await?;
    let v = new_version(f)?;
    state.app.revise_regulation(&a, id, v).await
}

/// A question as typed: `topic`, `question`, `options` (one per line, or a list), `answer`
/// (the number of the right option, from 1), `source`.
pub async fn add_question(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.org_write_scope(&a, committee)?;
    let options: Vec<String> = f
        .all("options")
        .iter()
        .flat_map(|o| o.lines().map(str::to_owned).collect::<Vec<_>>())
        .filter(|o| !o.trim().is_empty())
        .collect();
    let answer = f
        .get("answer")
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(|| invalid(FieldError::new("answer", "answer_not_an_option")))?;
    let q = NewQuestion {
        topic: f.get("topic"),
        question: f.get("question"),
        options,
        answer,
        source: f.opt("source"),
    };
    state.app.add_question(&a, committee, q).await
}

/// Opens a round: `name`, `contest_day`, `questions` (ids, repeated or comma-separated).
pub async fn open_round(
    me: &CurrentActor,
    state: &AppState,
    committee: OrgId,
    f: &Fields,
) -> Result<i64, AppError> {
    let a = me.actor();
    state.app.org_write_scope(&a, committee)?;
    let mut ids = Vec::new();
    for v in f.all("questions") {
        for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            // A question id that is not a number names no question of the bank.
            ids.push(
                part.parse::<i64>()
                    .map_err(|_| AppError::NotFound("question"))?,
            );
        }
    }
    let held_on = date(f, "contest_day").map_err(invalid)?;
    state
        .app
        .open_round(&a, committee, &f.get("name"), held_on, ids)
        .await
}

/// A participant's result in round `round`: `member`, and `contest_score` ("87,5") or `answers` (the
/// number of the option chosen for each question, from 1, empty when none; repeated or
/// comma-separated).
pub async fn enter_result(
    me: &CurrentActor,
    state: &AppState,
    round: i64,
    f: &Fields,
) -> Result<u32, AppError> {
    let a = me.actor();
    state.app.round_scope(&a, round).await?;
    let member = id_field(f, "member").map_err(|_| AppError::NotFound("member"))?;
    let score = match f.opt("contest_score") {
        Some(s) => Score::Entered(parse_score(&s)?),
        None => {
            let mut answers = Vec::new();
            for v in f.all("answers") {
                for part in v.split(',').map(str::trim) {
                    answers.push(if part.is_empty() {
                        None
                    } else {
                        Some(
                            part.parse::<usize>()
                                .ok()
                                .and_then(|n| n.checked_sub(1))
                                .ok_or_else(|| invalid(FieldError::new("answers", "invalid")))?,
                        )
                    });
                }
            }
            if answers.is_empty() {
                return Err(invalid(FieldError::new("contest_score", "required")));
            }
            Score::Answers(answers)
        }
    };
    state
        .app
        .enter_result(&a, round, MemberId(member), score)
        .await
}

/// A score as typed, "87,5" or "87.5" (one decimal at most), in tenths.
fn parse_score(s: &str) -> Result<u32, AppError> {
    let bad = || invalid(FieldError::new("contest_score", "score_range"));
    let t = s.trim().replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, "0"));
    if frac.len() != 1 || whole.is_empty() {
        return Err(bad());
    }
    let w: u32 = whole.parse().map_err(|_| bad())?;
    let f: u32 = frac.parse().map_err(|_| bad())?;
    w.checked_mul(10)
        .and_then(|x| x.checked_add(f))
        .filter(|x| *x <= dangvu_domain::contest::SCORE_MAX_TENTHS)
        .ok_or_else(bad)
}
