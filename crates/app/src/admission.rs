//! Kết nạp đảng viên (R7, R8): the register of people on the way to admission in a cell, each
//! stage with its checks, the deadlines in working days, and the ceremony that makes the member.

use chrono::NaiveDate;
use dangvu_domain::admission::{
    CEREMONY_DAYS, DECISION_DAYS, Stage, check_age, check_introducers, check_order, check_vote,
};
use dangvu_domain::calendar::{Deadline, DueState};
use dangvu_domain::decision::Decision;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{EventKind, MemberRecord, Status, state_on};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::candidates::{self as store, Candidate, Step};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit_log::Action;
use crate::members::NewMember;
use crate::{Actor, App, AppError, AppResult, committed};

/// The longest free text of a stage (a certificate number, a place, a reference).
const TEXT_MAX: usize = 200;
/// The most introducers a resolution names.
const MAX_INTRODUCERS: usize = 2;
/// The most people one list shows.
const MAX_LIST: usize = 5_000;

/// What a stage records beside its day; each stage uses its own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDetails {
    /// Đối tượng: the official member of the cell who helps her.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helper: Option<MemberId>,
    /// Lớp nhận thức: the certificate's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// Nghị quyết chi bộ: the vote, and how many official members could vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_for: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_against: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters: Option<u32>,
    /// The official members who introduce her.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub introducers: Vec<MemberId>,
    /// The Youth Union's or trade union's resolution introducing her (its reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_resolution: Option<String>,
    /// Over 60: the approval of the level the rules name (its reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_60_approval: Option<String>,
    /// Nghị quyết đảng ủy cơ sở, quyết định kết nạp: the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Lễ kết nạp: where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A stage to record.
#[derive(Debug, Clone)]
pub struct StepInput {
    pub stage: Stage,
    pub on: NaiveDate,
    pub details: StepDetails,
}

/// The people on the way to admission in an organisation's subtree.
#[derive(Debug, Clone)]
pub struct CandidateList {
    pub org: OrgId,
    pub org_name: String,
    /// Whether the organisation is a cell (people are proposed in cells).
    pub is_cell: bool,
    pub today: NaiveDate,
    /// The overdue first, then the due, the others, the admitted last.
    pub people: Vec<CandidateView>,
}

/// A person on the way to admission with her stages and what is due next.
#[derive(Debug, Clone)]
pub struct CandidateView {
    pub candidate: Candidate,
    pub record: MemberRecord,
    pub steps: Vec<(Step, StepDetails)>,
    /// The next stage, none once admitted.
    pub next: Option<Stage>,
    /// The deadline of the next stage where the rules set one (R7), and where it stands.
    pub due: Option<(Deadline, DueState)>,
}

fn text(field: &'static str, s: &Option<String>) -> Result<Option<String>, FieldError> {
    match s.as_deref().map(clean).filter(|s| !s.is_empty()) {
        Some(t) if t.chars().count() > TEXT_MAX => Err(FieldError::new(field, "too_long")),
        t => Ok(t),
    }
}

/// A stage's details as stored; a record this program cannot read is an error, never an
/// empty stage.
fn details_of(step: &Step) -> AppResult<StepDetails> {
    serde_json::from_str(&step.details).map_err(|_| {
        AppError::Store(dangvu_store::StoreError::Config(
            "bad stored admission stage".into(),
        ))
    })
}

impl App {
    /// Proposes a person of the public as quần chúng ưu tú of a cell: the first stage.
    pub async fn add_candidate(
        &self,
        actor: &Actor,
        cell: OrgId,
        record: MemberRecord,
        on: NaiveDate,
    ) -> AppResult<i64> {
        self.require_org_write(actor, cell)?;
        check_order(None, Stage::Outstanding, on, self.clock.today())?;
        let mut tx = self.store.begin().await?;
        let p = ostore::period_on(&mut tx, cell, on)
            .await?
            .ok_or(DomainError::rule_on("cell_not_active", "cell"))?;
        if !p.kind.is_cell() {
            return Err(DomainError::rule_on("not_a_cell", "cell").into());
        }
        if record.birth_date >= on {
            return Err(DomainError::rule_on("event_before_birth", "on").into());
        }
        let c = Candidate {
            id: 0,
            cell,
            full_name: record.full_name.clone(),
            record: serde_json::to_string(&record).map_err(|_| {
                AppError::Store(dangvu_store::StoreError::Config("candidate record".into()))
            })?,
            stage: Stage::Outstanding,
            stage_on: on,
            member: None,
            created_at: self.now_text(),
            created_by: actor.name.clone(),
        };
        let id = store::insert(&mut tx, &c).await?;
        let step = Step {
            stage: Stage::Outstanding,
            done_on: on,
            details: "{}".into(),
            recorded_at: c.created_at.clone(),
            recorded_by: actor.name.clone(),
        };
        store::add_step(&mut tx, id, &step, None).await?;
        let entry = Action::CandidateAdd.on("org", cell.0).after(Some(
            json!({"candidate": id, "full_name": c.full_name, "on": on.to_string()}),
        ));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// A person of the register, if the actor may see her cell; otherwise, as for an id nobody
    /// uses, `NotFound("candidate")`.
    async fn candidate_in_scope(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Candidate> {
        match store::get(conn, id).await? {
            Some(c) if actor.access.org_in_scope(c.cell) => Ok(c),
            _ => Err(AppError::NotFound("candidate")),
        }
    }

    /// Records the next stage (R7), with the checks of that stage; the ceremony makes her a
    /// probationary member, admitted on the decision's day (R9), with the ceremony in her
    /// admission event. Answers the member at the ceremony.
    pub async fn record_candidate_step(
        &self,
        actor: &Actor,
        id: i64,
        input: StepInput,
    ) -> AppResult<Option<MemberId>> {
        let mut tx = self.store.begin().await?;
        // Scope first: the person's cell, then every member the stage names.
        let c = self.candidate_in_scope(&mut tx, actor, id).await?;
        self.require_org_write(actor, c.cell)
            .map_err(|_| AppError::NotFound("candidate"))?;
        let d = &input.details;
        for m in d.helper.iter().chain(d.introducers.iter()) {
            self.require_member_read(&mut tx, actor, *m).await?;
        }
        let record: MemberRecord = serde_json::from_str(&c.record).map_err(|_| {
            AppError::Store(dangvu_store::StoreError::Config(
                "bad stored candidate".into(),
            ))
        })?;
        let steps = store::steps(&mut tx, id).await?;
        // The decision's stage is on the day the decision was signed.
        let on = match (input.stage, d.decision.as_ref().and_then(|x| x.date)) {
            (Stage::Decision, Some(signed)) => signed,
            _ => input.on,
        };
        let last = steps.last().map(|s| (s.stage, s.done_on));
        check_order(last, input.stage, on, self.clock.today())?;
        let mut details = StepDetails::default();
        match input.stage {
            Stage::Outstanding | Stage::FileComplete => {}
            Stage::Candidate => {
                let helper = d.helper.ok_or(FieldError::new("helper", "required"))?;
                let s = self.state_of(&mut tx, helper, on).await?;
                if !(s.official && s.status == Status::Official && s.cell == Some(c.cell)) {
                    return Err(
                        DomainError::rule_on("helper_not_official_of_cell", "helper").into(),
                    );
                }
                details.helper = Some(helper);
            }
            Stage::AwarenessClass => {
                details.certificate = Some(
                    text("certificate", &d.certificate)?
                        .ok_or(FieldError::new("certificate", "required"))?,
                );
            }
            Stage::CellResolution => {
                let mut errors = Vec::new();
                details.over_60_approval = text("over_60_approval", &d.over_60_approval)?;
                details.union_resolution = text("union_resolution", &d.union_resolution)?;
                if let Err(e) = check_age(record.birth_date, on, details.over_60_approval.is_some())
                {
                    errors.push(e);
                }
                let mut introducers = d.introducers.clone();
                introducers.sort();
                introducers.dedup();
                if introducers.len() > MAX_INTRODUCERS {
                    errors.push(FieldError::new("introducers", "too_many"));
                }
                let mut official = 0;
                for m in &introducers {
                    if self.state_of(&mut tx, *m, on).await?.status == Status::Official {
                        official += 1;
                    } else {
                        errors.push(FieldError::new("introducers", "introducer_not_official"));
                    }
                }
                if let Err(e) = check_introducers(official, details.union_resolution.is_some()) {
                    errors.push(e);
                }
                // R8: only the official members on the cell's rolls that day vote.
                let voters = mstore::roll_on(&mut tx, c.cell, on)
                    .await?
                    .iter()
                    .filter(|(_, _, st, official)| *official && *st == Status::Official)
                    .count();
                let voters = u32::try_from(voters).unwrap_or(u32::MAX);
                let (f, a) = (d.votes_for.unwrap_or(0), d.votes_against.unwrap_or(0));
                if d.votes_for.is_none() {
                    errors.push(FieldError::new("votes_for", "required"));
                } else if let Err(e) = check_vote(f, a, voters) {
                    errors.push(e);
                }
                errors.dedup();
                if !errors.is_empty() {
                    return Err(DomainError::Invalid(errors).into());
                }
                details.introducers = introducers;
                details.votes_for = Some(f);
                details.votes_against = Some(a);
                details.voters = Some(voters);
            }
            Stage::GrassrootsResolution => {
                let dec = d.decision.clone().unwrap_or_default();
                dec.check(self.clock.today(), false)?;
                details.decision = Some(dec).filter(|x| !x.is_empty());
            }
            Stage::Decision => {
                let dec = d.decision.clone().unwrap_or_default();
                dec.check(self.clock.today(), true)?;
                details.decision = Some(dec);
            }
            Stage::Ceremony => {
                details.place =
                    Some(text("place", &d.place)?.ok_or(FieldError::new("place", "required"))?);
            }
        }
        if input.stage == Stage::Ceremony
            && let Some(h) = self
                .identifiers_free(&mut tx, actor, None, Some(&record), None)
                .await?
        {
            tx.rollback().await?;
            return Err(self.refuse_hidden_holder(actor, h).await);
        }
        let member = if input.stage == Stage::Ceremony {
            let decided = steps.iter().find(|s| s.stage == Stage::Decision);
            let decision = match decided {
                Some(s) => details_of(s)?.decision,
                None => None,
            }
            .ok_or(DomainError::rule_on("stage_out_of_order", "stage"))?;
            Some(
                self.admit(
                    &mut tx,
                    actor,
                    &c,
                    record,
                    &decision,
                    on,
                    details.place.as_deref(),
                )
                .await?,
            )
        } else {
            None
        };
        let step = Step {
            stage: input.stage,
            done_on: on,
            details: serde_json::to_string(&details).map_err(|_| {
                AppError::Store(dangvu_store::StoreError::Config("admission stage".into()))
            })?,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        store::add_step(&mut tx, id, &step, member).await?;
        let entry = Action::CandidateStep
            .on("org", c.cell.0)
            .after(Some(json!({"candidate": id, "stage": input.stage.code(), "on": on.to_string(), "member": member.map(|m| m.0)})));
        self.commit_audited(tx, actor, entry, member).await
    }

    /// The ceremony: the member is created, admitted on the decision's day into the cell,
    /// probationary (R8), her admission event carrying the decision and the ceremony.
    #[allow(clippy::too_many_arguments)]
    async fn admit(
        &self,
        tx: &mut dangvu_store::Tx,
        actor: &Actor,
        c: &Candidate,
        record: MemberRecord,
        decision: &Decision,
        ceremony_on: NaiveDate,
        place: Option<&str>,
    ) -> AppResult<MemberId> {
        let admitted_on = decision
            .date
            .ok_or(FieldError::new("decided_on", "required"))?;
        let input = NewMember {
            official: false,
            decision_ref: decision.reference.clone(),
            ..NewMember::admitted(record, c.cell, admitted_on)
        };
        let member = self.create_member_in(tx, actor, input).await?;
        let admitted = mstore::events_of(tx, member)
            .await?
            .into_iter()
            .find(|e| e.event.kind == EventKind::Admitted)
            .ok_or(DomainError::rule("not_a_member"))?;
        let note = format!(
            "Lễ kết nạp ngày {}{}",
            dangvu_domain::date::format_vn(ceremony_on),
            place.map(|p| format!(" tại {p}")).unwrap_or_default()
        );
        mstore::complete_event(
            tx,
            admitted.id,
            decision.body.as_deref(),
            decision.date,
            Some(&note),
        )
        .await?;
        Ok(member)
    }

    /// A member's state on a day (for the members a stage names).
    async fn state_of(
        &self,
        conn: &mut dangvu_store::Conn,
        member: MemberId,
        on: NaiveDate,
    ) -> AppResult<dangvu_domain::member::MemberState> {
        let rec = mstore::get_member(conn, member)
            .await
            .map_err(|_| AppError::NotFound("member"))?;
        let events: Vec<_> = mstore::events_of(conn, member)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        Ok(state_on(rec.birth_date, &events, on)?)
    }

    /// One person of the register with her stages.
    pub async fn candidate(&self, actor: &Actor, id: i64) -> AppResult<CandidateView> {
        let calendar = self.calendar().await?;
        let mut tx = self.store.read().await?;
        let c = self.candidate_in_scope(&mut tx, actor, id).await?;
        let v = view_of(&mut tx, c, &calendar, self.clock.today()).await?;
        committed(tx, v).await
    }

    /// The people on the way to admission in an organisation's subtree (today's tree), the
    /// overdue first; the admitted ones last.
    pub async fn candidates(&self, actor: &Actor, org: OrgId) -> AppResult<CandidateList> {
        self.require_org(actor, org)?;
        let calendar = self.calendar().await?;
        let today = self.clock.today();
        let mut tx = self.store.read().await?;
        let period = ostore::period_on(&mut tx, org, today).await?;
        let orgs = ostore::subtree_ids(&mut tx, org, today).await?;
        let mut out = Vec::new();
        for c in store::of_cells(&mut tx, &orgs)
            .await?
            .into_iter()
            .take(MAX_LIST)
        {
            out.push(view_of(&mut tx, c, &calendar, today).await?);
        }
        let rank = |v: &CandidateView| match (v.next, v.due.map(|d| d.1)) {
            (None, _) => 3,
            (_, Some(DueState::Overdue)) => 0,
            (_, Some(DueState::Due)) => 1,
            _ => 2,
        };
        out.sort_by_key(|v| (rank(v), v.candidate.id));
        let list = CandidateList {
            org,
            org_name: period.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            is_cell: period.is_some_and(|p| p.kind.is_cell()),
            today,
            people: out,
        };
        committed(tx, list).await
    }
}

async fn view_of(
    conn: &mut dangvu_store::Conn,
    c: Candidate,
    calendar: &dangvu_domain::calendar::WorkCalendar,
    today: NaiveDate,
) -> AppResult<CandidateView> {
    let record: MemberRecord = serde_json::from_str(&c.record).map_err(|_| {
        AppError::Store(dangvu_store::StoreError::Config(
            "bad stored candidate".into(),
        ))
    })?;
    let mut steps: Vec<(Step, StepDetails)> = Vec::new();
    for s in store::steps(conn, c.id).await? {
        let d = details_of(&s)?;
        steps.push((s, d));
    }
    let next = c.stage.next();
    let day_of = |stage| {
        steps
            .iter()
            .find(|(s, _)| s.stage == stage)
            .map(|(s, _)| s.done_on)
    };
    // R7: the decision within 60 working days of the cell's resolution; the ceremony within
    // 30 of the decision.
    let deadline = match next {
        Some(Stage::GrassrootsResolution | Stage::Decision) => {
            day_of(Stage::CellResolution).map(|d| calendar.deadline(d, DECISION_DAYS))
        }
        Some(Stage::Ceremony) => {
            day_of(Stage::Decision).map(|d| calendar.deadline(d, CEREMONY_DAYS))
        }
        _ => None,
    };
    Ok(CandidateView {
        due: deadline.map(|d| (d, d.state(today))),
        candidate: c,
        record,
        steps,
        next,
    })
}
