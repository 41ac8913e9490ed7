//! The review's input (R23–R31), from a form or a JSON body: opening a period, steps,
//! decisions, the lock and corrections.

use crate::AppState;
use crate::input::Fields;
use crate::input::invalid;
use crate::session::CurrentActor;
use dangvu_app::Actor;
use dangvu_app::AppError;
use dangvu_app::review::{MemberDecision, ReportQuery};
use dangvu_app::review_flow::{StepInput, StepKind, Subject};
use dangvu_domain::date::parse_date;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::review::{Level, Period};

// ---------------------------------------------------------------- input, shared by forms and API

pub(crate) fn level_field(f: &Fields, name: &'static str) -> Result<Option<Level>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => Level::from_code(&v.to_lowercase())
            .map(Some)
            .ok_or(FieldError::new(name, "invalid")),
    }
}

pub(crate) fn small_number(
    f: &Fields,
    name: &'static str,
    max: u8,
) -> Result<Option<u8>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => v
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= max)
            .map(Some)
            .ok_or(FieldError::new(name, "invalid")),
    }
}

/// A step's kind and content from a form or a JSON body.
pub fn step_input(f: &Fields) -> Result<(StepKind, StepInput), AppError> {
    let kind = StepKind::parse(&f.get("step"), &f.get("body"));
    let level = level_field(f, "level");
    let points = small_number(f, "points", 100);
    let sick = small_number(f, "sick_leave_months", 12);
    let errors: Vec<FieldError> = [
        kind.as_ref().err(),
        level.as_ref().err(),
        points.as_ref().err(),
        sick.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let (Ok(kind), Ok(level), Ok(points), Ok(sick)) = (kind, level, points, sick) else {
        return Err(invalid(Vec::new()));
    };
    Ok((
        kind,
        StepInput {
            level,
            points,
            content: f.get("content"),
            strengths: f.get("strengths"),
            weaknesses: f.get("weaknesses"),
            remedies: f.get("remedies"),
            remedies_done: f.get("remedies_done"),
            sick_leave_months: sick,
        },
    ))
}

/// The subject of a step or decision: `subject_kind` (member, org, collective) and `subject`.
pub(crate) fn subject_of(f: &Fields) -> Result<Subject, AppError> {
    let id = f
        .get("subject")
        .trim()
        .parse::<i64>()
        .map_err(|_| invalid(vec![FieldError::new("subject", "invalid")]))?;
    match f.get("subject_kind").trim() {
        "member" => Ok(Subject::Member(MemberId(id))),
        "org" => Ok(Subject::Org(OrgId(id))),
        "collective" => Ok(Subject::Collective(OrgId(id))),
        _ => Err(invalid(vec![FieldError::new("subject_kind", "invalid")])),
    }
}

pub(crate) async fn open_from(
    me: &CurrentActor,
    state: &AppState,
    f: &Fields,
) -> Result<i64, AppError> {
    let org = crate::input::org_ref(f, "org");
    let (start, end) = match f.opt("year") {
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => {
                let p = Period::year(y);
                (Ok(p.start), Ok(p.end))
            }
            _ => (
                Err(FieldError::new("year", "invalid")),
                Err(FieldError::new("year", "invalid")),
            ),
        },
        None => (
            parse_date("period_start", &f.get("period_start")),
            parse_date("period_end", &f.get("period_end")),
        ),
    };
    let errors: Vec<FieldError> = [org.as_ref().err(), start.as_ref().err(), end.as_ref().err()]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>();
    let mut errors = errors;
    errors.dedup();
    let (Ok(org), Ok(start), Ok(end)) = (org, start, end) else {
        return Err(invalid(errors));
    };
    let label = f
        .opt("label")
        .unwrap_or_else(|| format!("Đánh giá, xếp loại chất lượng năm {}", start.format("%Y")));
    state
        .app
        .open_review(&me.actor(), org, &label, Period { start, end })
        .await
}

/// What a review form or API call does to one subject of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Act {
    /// Records a step of the procedure (R24, R28).
    Step,
    /// Decides the subject's level (R25–R28).
    Decide,
    /// Corrects a decision of a locked period (R15).
    Correct,
}

impl Act {
    /// The `ok` code of the page shown after it.
    pub(crate) fn done(self) -> &'static str {
        match self {
            Act::Step => "step",
            Act::Decide => "decided",
            Act::Correct => "corrected",
        }
    }
}

/// Does `act` to one subject of a period, from the form's or body's fields.
pub(crate) async fn act_on(
    me: &CurrentActor,
    state: &AppState,
    period: i64,
    subject: Subject,
    act: Act,
    f: &Fields,
) -> Result<(), AppError> {
    let actor = me.actor();
    match act {
        Act::Step => {
            let (kind, input) = step_input(f)?;
            let app = &state.app;
            app.record_step(&actor, period, subject, kind, input).await
        }
        Act::Decide => decide(state, &actor, period, subject, f).await,
        Act::Correct => {
            let level = level_field(f, "level")
                .map_err(|e| invalid(vec![e]))?
                .ok_or_else(|| invalid(vec![FieldError::new("level", "required")]))?;
            let (reason, decision) = (f.get("reason"), crate::input::decision(f)?);
            let app = &state.app;
            app.correct_decision(&actor, period, subject, level, &reason, &decision)
                .await
        }
    }
}

async fn decide(
    state: &AppState,
    actor: &Actor,
    period: i64,
    subject: Subject,
    f: &Fields,
) -> Result<(), AppError> {
    let level = level_field(f, "level").map_err(|e| invalid(vec![e]))?;
    let points = small_number(f, "points", 100).map_err(|e| invalid(vec![e]))?;
    let decision_ref = f.opt("decision_ref");
    match subject {
        Subject::Member(m) => {
            state
                .app
                .decide_member(
                    actor,
                    period,
                    m,
                    MemberDecision {
                        level,
                        points,
                        decision_ref,
                    },
                )
                .await
        }
        Subject::Org(o) => {
            state
                .app
                .decide_org(actor, period, o, level, decision_ref.as_deref())
                .await
        }
        Subject::Collective(o) => {
            let level = level.ok_or_else(|| invalid(vec![FieldError::new("level", "required")]))?;
            state
                .app
                .decide_collective(actor, period, o, level, decision_ref.as_deref())
                .await
        }
    }
}

pub(crate) async fn lock_from(
    me: &CurrentActor,
    state: &AppState,
    period: i64,
    f: &Fields,
) -> Result<(), AppError> {
    // Overrides arrive as `override_<grassroots id>` = reason.
    let overrides: Vec<(OrgId, String)> =
        f.0.iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("override_")?.parse::<i64>().ok()?;
                Some((OrgId(id), v.first().cloned().unwrap_or_default()))
            })
            .collect();
    state.app.lock_review(&me.actor(), period, &overrides).await
}

pub(crate) fn report_query(org: Option<&str>, on: Option<&str>) -> Result<ReportQuery, AppError> {
    let org = match org.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            Some(OrgId(s.parse().map_err(|_| {
                invalid(vec![FieldError::new("org", "invalid")])
            })?))
        }
    };
    let as_of = match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_date("as_of", s).map_err(|e| invalid(vec![e]))?),
    };
    Ok(ReportQuery { org, as_of })
}
