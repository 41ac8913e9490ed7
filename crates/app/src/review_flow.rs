//! The review workflow before and after a decision (R28, R29, R30, R15): self-assessments
//! (kiểm điểm) top-down with the collective first, the participating bodies' comments, the
//! proposal, written conclusions with remedies followed up the next period, the review sheet of
//! a cell showing what is still missing, commendation suggestions and recorded corrections after
//! a period is locked.

use chrono::Datelike;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::review::{
    Bound, Level, NotClassified, best_allowed, member_bounds, member_not_classified,
};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use dangvu_store::reviews::{self as rstore, Decision, ReviewPeriod, Step};
use serde_json::json;

use crate::audit_log::Action;
use crate::review::{ancestry, member_facts_in, open_period, period, rule_set_of};

mod outcomes;
use crate::{Actor, App, AppError, AppResult};

/// Tự kiểm điểm, nhận xét, đề xuất, kết luận: the steps of a subject's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Bản tự kiểm điểm: the subject's own assessment.
    SelfAssessment,
    /// Nhận xét of a participating body.
    Comment(Body),
    /// Đề xuất mức xếp loại: the cell's (or committee's) proposal.
    Proposal,
    /// Kết luận: strengths, weaknesses and remedies (R29).
    Conclusion,
}

/// The bodies that comment on a member (R28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Chi ủy or the cell's secretary.
    CellCommittee,
    /// Chi ủy nơi cư trú (R22).
    Residence,
    /// Đoàn thể: the mass organisations.
    MassOrg,
    /// Thủ trưởng cơ quan, with the civil-service rating (R25).
    Agency,
}

impl Body {
    pub const ALL: [Body; 4] = [
        Body::CellCommittee,
        Body::Residence,
        Body::MassOrg,
        Body::Agency,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Body::CellCommittee => "cell_committee",
            Body::Residence => "residence",
            Body::MassOrg => "mass_org",
            Body::Agency => "agency",
        }
    }
    pub fn from_code(s: &str) -> Option<Body> {
        Body::ALL.into_iter().find(|b| b.code() == s)
    }
}

impl StepKind {
    pub fn code(self) -> &'static str {
        match self {
            StepKind::SelfAssessment => "self",
            StepKind::Comment(_) => "comment",
            StepKind::Proposal => "proposal",
            StepKind::Conclusion => "conclusion",
        }
    }
    fn body(self) -> &'static str {
        match self {
            StepKind::Comment(b) => b.code(),
            _ => "",
        }
    }
    /// From the `step` and `body` fields of a form or a JSON body.
    pub fn parse(step: &str, body: &str) -> Result<StepKind, FieldError> {
        match step.trim() {
            "self" => Ok(StepKind::SelfAssessment),
            "proposal" => Ok(StepKind::Proposal),
            "conclusion" => Ok(StepKind::Conclusion),
            "comment" => Body::from_code(body.trim())
                .map(StepKind::Comment)
                .ok_or(FieldError::new("body", "invalid")),
            "" => Err(FieldError::new("step", "required")),
            _ => Err(FieldError::new("step", "invalid")),
        }
    }
}

/// Who is reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Member(MemberId),
    /// A chi bộ trực thuộc, đảng bộ bộ phận or grassroots organisation.
    Org(OrgId),
    /// Tập thể lãnh đạo: the committee of an organisation.
    Collective(OrgId),
}

impl Subject {
    fn kind_id(self) -> (&'static str, i64) {
        match self {
            Subject::Member(m) => ("member", m.0),
            Subject::Org(o) => ("org", o.0),
            Subject::Collective(o) => ("collective", o.0),
        }
    }
}

/// What a step carries; which fields are required depends on the step.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub level: Option<Level>,
    pub points: Option<u8>,
    pub content: String,
    pub strengths: String,
    pub weaknesses: String,
    pub remedies: String,
    pub remedies_done: String,
    /// Months of sick leave in the year, from the cell committee (R25 cap).
    pub sick_leave_months: Option<u8>,
}

/// A member's line on a cell's review sheet.
#[derive(Debug, Clone)]
pub struct SheetLine {
    pub member: MemberId,
    pub name: String,
    pub steps: Vec<Step>,
    pub decision: Option<Decision>,
    /// Not classified, and why (R24).
    pub not_classified: Option<NotClassified>,
    /// Forced and capped levels with their rule (R25).
    pub bounds: Vec<Bound>,
    /// The best level the rules allow.
    pub best: Level,
    /// She was attached to a residence cell in the period, not exempt: her residence comment is
    /// expected (R22).
    pub residence_expected: bool,
}

impl SheetLine {
    pub fn step(&self, kind: StepKind) -> Option<&Step> {
        self.steps
            .iter()
            .find(|s| s.step == kind.code() && s.body == kind.body())
    }
    /// What is still missing before the decision, as step codes.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.not_classified.is_some() {
            return m;
        }
        for k in [
            StepKind::SelfAssessment,
            StepKind::Comment(Body::CellCommittee),
            StepKind::Proposal,
        ] {
            if self.step(k).is_none() {
                m.push(k.code());
            }
        }
        if self.residence_expected && self.step(StepKind::Comment(Body::Residence)).is_none() {
            m.push("residence");
        }
        if self.decision.is_none() {
            m.push("decision");
        }
        m
    }
}

/// A cell's (or any organisation's) review sheet for a period.
#[derive(Debug, Clone)]
pub struct ReviewSheet {
    pub period: ReviewPeriod,
    pub org: OrgId,
    pub org_name: String,
    /// The grassroots organisation whose committee decides the members.
    pub grassroots: Option<OrgId>,
    /// Its collective's steps: the basis of the members' self-criticism (R28).
    pub collective: Vec<Step>,
    pub lines: Vec<SheetLine>,
    /// The organisation's own steps and decision.
    pub org_steps: Vec<Step>,
    pub org_decision: Option<Decision>,
    /// The decision on the organisation's own leadership collective.
    pub collective_decision: Option<Decision>,
    /// The rated organisations directly below, with their decision and how many of their
    /// members are still undecided: what bottom-up rating still waits for (R28).
    pub children: Vec<ChildLine>,
    /// Opinions of the Front and the people about the organisation, attached to this review
    /// (R34, R28).
    pub opinions: Vec<dangvu_store::opinions::Opinion>,
    /// The leadership collective's Hồ Chí Minh study commitment of the period's year (R35).
    pub commitment: Option<dangvu_store::commitments::Commitment>,
}

/// A directly subordinate organisation on a sheet.
#[derive(Debug, Clone)]
pub struct ChildLine {
    pub org: OrgId,
    pub name: String,
    pub decision: Option<Decision>,
    pub members: usize,
    pub members_undecided: usize,
}

/// One member's review in a period.
#[derive(Debug, Clone)]
pub struct MemberReview {
    pub period: ReviewPeriod,
    pub member: MemberId,
    pub name: String,
    pub cell: Option<OrgId>,
    pub line: SheetLine,
    pub collective: Vec<Step>,
    /// Last period's remedies, to be followed up in this period's conclusion (R29).
    pub previous_remedies: Option<String>,
    /// Corrections of her decision after the period was locked, each with its decision (R15).
    pub corrections: Vec<rstore::Correction>,
    /// Opinions of the Front and the people about her, attached to this review (R34, R28).
    pub opinions: Vec<dangvu_store::opinions::Opinion>,
    /// Her Hồ Chí Minh study commitment of the period's year, with its assessment (R35).
    pub commitment: Option<dangvu_store::commitments::Commitment>,
}

/// A commendation suggestion (R30).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commendation {
    pub subject_kind: String,
    pub subject_id: i64,
    pub name: String,
    /// Consecutive years HTXS ending with this period's year.
    pub years: u32,
}

/// Are these steps enough to decide? The proposal names the level asked for.
fn step_fields(kind: StepKind, i: &StepInput) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    let need = |v: &str, f: &'static str, errors: &mut Vec<FieldError>| {
        if clean(v).is_empty() {
            errors.push(FieldError::new(f, "required"));
        }
    };
    match kind {
        StepKind::SelfAssessment | StepKind::Comment(_) => need(&i.content, "content", &mut errors),
        StepKind::Proposal => {
            if i.level.is_none() {
                errors.push(FieldError::new("level", "required"));
            }
        }
        StepKind::Conclusion => {
            need(&i.strengths, "strengths", &mut errors);
            need(&i.weaknesses, "weaknesses", &mut errors);
            need(&i.remedies, "remedies", &mut errors);
        }
    }
    if kind == StepKind::Comment(Body::Agency) && i.level.is_none() {
        errors.push(FieldError::new("level", "required"));
    }
    if i.sick_leave_months.is_some_and(|m| m > 12) {
        errors.push(FieldError::new("sick_leave_months", "invalid"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// The conclusion of the same subject in the period of the year before, if it named remedies.
async fn previous_remedies(
    conn: &mut Conn,
    p: &ReviewPeriod,
    kind: &str,
    id: i64,
) -> AppResult<Option<String>> {
    let year = p.period.start.year() - 1;
    for q in rstore::all_periods(conn).await? {
        if q.period.start.year() == year && q.id != p.id {
            let steps = rstore::steps_of(conn, q.id, kind, &[id]).await?;
            if let Some(r) = steps
                .into_iter()
                .find(|s| s.step == "conclusion")
                .and_then(|s| s.remedies)
                .filter(|r| !r.trim().is_empty())
            {
                return Ok(Some(r));
            }
        }
    }
    Ok(None)
}

impl App {
    /// Records one step of a subject's review (R28, R29). A member's self-assessment is written
    /// by herself (member role) or entered by her cell from the paper form, and only after her
    /// grassroots organisation's collective has made its own (top-down). Comments name their
    /// body; the head of agency's comment carries the civil-service rating, which forces KHT
    /// when it is KHT (R25). A conclusion names strengths, weaknesses and remedies, and says
    /// whether last period's remedies were carried out when there were any.
    pub async fn record_step(
        &self,
        actor: &Actor,
        period_id: i64,
        subject: Subject,
        kind: StepKind,
        input: StepInput,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, actor, period_id).await?;
        let rs = rule_set_of(&p)?;
        let end = p.period.end;
        let (subject_kind, id) = subject.kind_id();
        match subject {
            Subject::Member(m) => {
                let own = actor.access.own_member == Some(m);
                if !(own && kind == StepKind::SelfAssessment) {
                    self.require_member_write(&mut tx, actor, m).await?;
                }
                let (_, cell) = member_facts_in(&mut tx, m, &p).await?;
                let (chain, grassroots) = match cell {
                    Some(c) => ancestry(&mut tx, c, end).await?,
                    None => (Vec::new(), None),
                };
                if !chain.contains(&p.org) {
                    return Err(DomainError::rule_on("member_not_in_review", "member").into());
                }
                if kind == StepKind::SelfAssessment
                    && let Some(g) = grassroots
                    && rstore::steps_of(&mut tx, period_id, "collective", &[g.0])
                        .await?
                        .iter()
                        .all(|s| s.step != "self")
                {
                    return Err(DomainError::rule_on("collective_first", "step").into());
                }
            }
            Subject::Org(o) | Subject::Collective(o) => {
                self.require_org(actor, o)?;
                // The conclusion on an organisation is its deciding body's: the parent's.
                let this = ostore::period_on(&mut tx, o, end)
                    .await?
                    .ok_or(AppError::NotFound("org"))?;
                match (kind, this.parent) {
                    (StepKind::Conclusion, Some(parent)) => {
                        self.require_org_write(actor, parent)?
                    }
                    _ => self.require_org_write(actor, o)?,
                }
                if !ostore::subtree_ids(&mut tx, p.org, end).await?.contains(&o) {
                    return Err(DomainError::rule_on("org_not_in_review", "org").into());
                }
            }
        }
        step_fields(kind, &input)?;
        let mut level = input.level;
        if kind == StepKind::Proposal
            && let Some(points) = input.points
        {
            match (rs.level_from_points(points), level) {
                (Some(by), Some(l)) if by != l => {
                    return Err(DomainError::rule_on("level_not_from_points", "points").into());
                }
                (Some(by), None) => level = Some(by),
                _ => {}
            }
        }
        let previous = if kind == StepKind::Conclusion {
            previous_remedies(&mut tx, &p, subject_kind, id).await?
        } else {
            None
        };
        if previous.is_some() && clean(&input.remedies_done).is_empty() {
            return Err(FieldError::new("remedies_done", "required").into());
        }
        let opt = |s: &str| Some(clean(s)).filter(|s| !s.is_empty());
        let step = Step {
            period_id,
            subject_kind: subject_kind.to_owned(),
            subject_id: id,
            step: kind.code().to_owned(),
            body: kind.body().to_owned(),
            level,
            points: input.points.map(i64::from),
            content: clean(&input.content),
            strengths: opt(&input.strengths),
            weaknesses: opt(&input.weaknesses),
            remedies: opt(&input.remedies),
            remedies_done: opt(&input.remedies_done),
            sick_leave_months: input.sick_leave_months.map(i64::from),
            recorded_by: actor.name.clone(),
            recorded_at: self.now_text(),
        };
        let old = rstore::steps_of(&mut tx, period_id, subject_kind, &[id])
            .await?
            .into_iter()
            .find(|s| s.step == step.step && s.body == step.body);
        rstore::put_step(&mut tx, &step).await?;
        let summary = |s: &Step| json!({"period": period_id, "step": s.step, "body": s.body, "level": s.level.map(Level::code), "points": s.points, "content": s.content, "strengths": s.strengths, "weaknesses": s.weaknesses, "remedies": s.remedies, "remedies_done": s.remedies_done, "sick_leave_months": s.sick_leave_months});
        let entity = if subject_kind == "member" {
            "member"
        } else {
            "org"
        };
        self.commit_audited(
            tx,
            actor,
            Action::ReviewStep
                .on(entity, id)
                .before(old.as_ref().map(summary))
                .after(Some(summary(&step))),
            (),
        )
        .await
    }

    /// The review sheet of an organisation's own members for a period: each member's steps,
    /// decision, what the register forces (R24, R25) and what is still missing (R28).
    pub async fn review_sheet(
        &self,
        actor: &Actor,
        period_id: i64,
        org: OrgId,
    ) -> AppResult<ReviewSheet> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let p = period(&mut tx, actor, period_id).await?;
        let end = p.period.end;
        let this = ostore::period_on(&mut tx, org, end)
            .await?
            .ok_or(AppError::NotFound("org"))?;
        let (chain, grassroots) = ancestry(&mut tx, org, end).await?;
        if !chain.contains(&p.org) {
            return Err(AppError::NotFound("review"));
        }
        let collective = match grassroots {
            Some(g) => rstore::steps_of(&mut tx, period_id, "collective", &[g.0]).await?,
            None => Vec::new(),
        };
        let members = mstore::members_on_rolls(&mut tx, &[org], end).await?;
        let ids: Vec<i64> = members.iter().map(|(m, _)| m.0).collect();
        let steps = rstore::steps_of(&mut tx, period_id, "member", &ids).await?;
        let decisions = rstore::decisions_of(&mut tx, period_id, "member", &ids).await?;
        let mut lines = Vec::with_capacity(members.len());
        for (m, _) in &members {
            lines.push(
                sheet_line(
                    &mut tx,
                    &p,
                    *m,
                    steps
                        .iter()
                        .filter(|s| s.subject_id == m.0)
                        .cloned()
                        .collect(),
                    decisions.iter().find(|d| d.subject_id == m.0).cloned(),
                )
                .await?,
            );
        }
        lines.sort_by_cached_key(|l| dangvu_domain::text::name_sort_key(&l.name));
        let org_steps = rstore::steps_of(&mut tx, period_id, "org", &[org.0]).await?;
        let kind = if this.kind.is_grassroots() {
            "grassroots"
        } else {
            "subordinate_org"
        };
        let org_decision = rstore::decision(&mut tx, period_id, kind, org.0).await?;
        let collective_decision = rstore::decision(&mut tx, period_id, "collective", org.0).await?;
        let mut children = Vec::new();
        for c in ostore::tree_on(&mut tx, end)
            .await?
            .into_iter()
            .filter(|c| c.parent == Some(org))
        {
            let kind = if c.kind.is_grassroots() {
                "grassroots"
            } else if c.kind.is_cell() || c.kind == dangvu_domain::org::OrgKind::DangBoBoPhan {
                "subordinate_org"
            } else {
                continue;
            };
            let below = ostore::subtree_ids(&mut tx, c.org, end).await?;
            let ms: Vec<i64> = mstore::members_on_rolls(&mut tx, &below, end)
                .await?
                .iter()
                .map(|(m, _)| m.0)
                .collect();
            let decided = rstore::decisions_of(&mut tx, period_id, "member", &ms).await?;
            children.push(ChildLine {
                org: c.org,
                name: c.name,
                decision: rstore::decision(&mut tx, period_id, kind, c.org.0).await?,
                members: ms.len(),
                members_undecided: ms.len() - decided.len(),
            });
        }
        children.sort_by_cached_key(|c| dangvu_domain::text::collation_key(&c.name));
        let opinions = self
            .review_opinions(&mut tx, period_id, None, Some(org))
            .await?;
        let commitment = self
            .commitment_in(
                &mut tx,
                crate::commitments::CommitSubject::Collective(org),
                end.year(),
            )
            .await?;
        tx.commit().await?;
        Ok(ReviewSheet {
            period: p,
            org,
            org_name: this.name,
            grassroots,
            collective,
            lines,
            org_steps,
            org_decision,
            collective_decision,
            children,
            opinions,
            commitment,
        })
    }

    /// One member's review in a period.
    pub async fn member_review(
        &self,
        actor: &Actor,
        period_id: i64,
        member: MemberId,
    ) -> AppResult<MemberReview> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let p = period(&mut tx, actor, period_id).await?;
        let (_, cell) = member_facts_in(&mut tx, member, &p).await?;
        let grassroots = match cell {
            Some(c) => {
                let (chain, g) = ancestry(&mut tx, c, p.period.end).await?;
                if !chain.contains(&p.org) {
                    return Err(AppError::NotFound("review"));
                }
                g
            }
            None => return Err(AppError::NotFound("review")),
        };
        let steps = rstore::steps_of(&mut tx, period_id, "member", &[member.0]).await?;
        let decision = rstore::decision(&mut tx, period_id, "member", member.0).await?;
        let line = sheet_line(&mut tx, &p, member, steps, decision).await?;
        let collective = match grassroots {
            Some(g) => rstore::steps_of(&mut tx, period_id, "collective", &[g.0]).await?,
            None => Vec::new(),
        };
        let previous_remedies = previous_remedies(&mut tx, &p, "member", member.0).await?;
        let corrections = match rstore::decision_id(&mut tx, period_id, "member", member.0).await? {
            Some(id) => rstore::corrections_of(&mut tx, id).await?,
            None => Vec::new(),
        };
        let opinions = self
            .review_opinions(&mut tx, period_id, Some(member), None)
            .await?;
        let commitment = self
            .commitment_in(
                &mut tx,
                crate::commitments::CommitSubject::Member(member),
                p.period.end.year(),
            )
            .await?;
        tx.commit().await?;
        Ok(MemberReview {
            corrections,
            opinions,
            commitment,
            name: line.name.clone(),
            period: p,
            member,
            cell,
            line,
            collective,
            previous_remedies,
        })
    }
}

async fn sheet_line(
    conn: &mut Conn,
    p: &ReviewPeriod,
    member: MemberId,
    mut steps: Vec<Step>,
    decision: Option<Decision>,
) -> AppResult<SheetLine> {
    let rs = rule_set_of(p)?;
    let (facts, _) = member_facts_in(conn, member, p).await?;
    let name = mstore::get_member(conn, member)
        .await
        .map(|m| m.full_name)
        .unwrap_or_default();
    let bounds = member_bounds(&facts);
    // R22: the certified comment of her residence cell is one of the participating bodies'.
    let (start, end) = (p.period.start, p.period.end);
    let residence_expected = dangvu_store::residence::links_of_member(conn, member)
        .await?
        .iter()
        .any(|l| {
            l.exempt_category.is_none()
                && l.cell.is_some()
                && l.introduced_on <= end
                && l.ended_on.is_none_or(|e| e > start)
        });
    if residence_expected
        && !steps
            .iter()
            .any(|s| s.step == "comment" && s.body == "residence")
    {
        for c in dangvu_store::residence::comments(conn, &[member.0], end.year()).await? {
            if let Some(on) = c.certified_on {
                steps.push(Step {
                    period_id: p.id,
                    subject_kind: "member".into(),
                    subject_id: member.0,
                    step: "comment".into(),
                    body: "residence".into(),
                    content: c.content,
                    recorded_by: c.certified_by.clone().unwrap_or_default(),
                    recorded_at: on.to_string(),
                    ..Default::default()
                });
            }
        }
    }
    Ok(SheetLine {
        member,
        name,
        steps,
        decision,
        not_classified: member_not_classified(rs, p.period, &facts),
        best: best_allowed(&bounds),
        bounds,
        residence_expected,
    })
}
