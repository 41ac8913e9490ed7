//! Ý kiến góp ý xây dựng Đảng (R34): the register of opinions of the Fatherland Front, the mass
//! organisations and the people: intake, assignment with a deadline in working days, answer,
//! and attachment to the subject's review as a comment of a participating body (R28).

use chrono::NaiveDate;
use dangvu_domain::calendar::DueState;
use dangvu_domain::date::check_past;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::opinion::{self as rules, OpinionSource, OpinionStatus};
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::opinions::{self as store, Opinion};
use dangvu_store::orgs as ostore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, optional_text, required_text};

/// The longest name of a source, a body or a person.
const NAME_MAX: usize = 200;
/// The longest content or answer.
const TEXT_MAX: usize = 4000;
/// The most opinions a list shows.
pub const LIST_MAX: i64 = 1000;

/// Input of "take an opinion in".
#[derive(Debug, Clone)]
pub struct NewOpinion {
    /// The committee whose register holds it.
    pub committee: OrgId,
    pub source: OpinionSource,
    pub source_name: Option<String>,
    pub received_on: NaiveDate,
    pub subject_org: Option<OrgId>,
    pub subject_member: Option<MemberId>,
    pub content: String,
}

/// Input of "give an opinion to answer".
#[derive(Debug, Clone)]
pub struct Assignment {
    pub body: String,
    pub person: String,
    pub on: NaiveDate,
    /// Working days to answer (default [`rules::DEFAULT_ANSWER_DAYS`]).
    pub days: Option<u32>,
}

/// An opinion with where it stands today.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpinionLine {
    pub opinion: Opinion,
    pub status: OpinionStatus,
    pub due: Option<DueState>,
}

/// A register of opinions over a span of days.
#[derive(Debug, Clone)]
pub struct OpinionRegister {
    pub committee: OrgId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<OpinionLine>,
    /// Every overdue opinion of the committee and the committees below in scope, whenever it
    /// came in.
    pub overdue: Vec<OpinionLine>,
}

impl App {
    fn opinion_line(&self, o: Opinion, today: NaiveDate) -> OpinionLine {
        OpinionLine {
            status: rules::status(o.assigned_on.is_some(), o.answered_on.is_some()),
            due: rules::due_state(o.due_by, o.answered_on.is_some(), today),
            opinion: o,
        }
    }

    /// An opinion of a register the actor may write, or "not found".
    async fn opinion_to_change(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Opinion> {
        let o = store::by_id(conn, id)
            .await?
            .ok_or(AppError::NotFound("opinion"))?;
        self.require_org_write_as(actor, o.committee, "opinion")?;
        Ok(o)
    }

    /// Refuses, as "not found", an opinion the actor may not change: the pages and the API ask
    /// this before they read the rest of a request.
    pub async fn opinion_scope(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let r = self.opinion_to_change(&mut tx, actor, id).await;
        tx.commit().await?;
        r.map(|_| ())
    }

    /// Refuses, as "not found", an organisation outside the actor's scope.
    pub fn org_scope(&self, actor: &Actor, org: OrgId) -> AppResult<()> {
        self.require_org(actor, org)
    }

    /// Refuses, as "not found", an organisation outside the actor's scope, and one she may
    /// only read (a change of its register).
    pub fn org_write_scope(&self, actor: &Actor, org: OrgId) -> AppResult<()> {
        self.require_org_write(actor, org)
    }

    /// Takes an opinion into a committee's register; its subject, when named, must be an
    /// organisation or a member the actor may read.
    pub async fn take_opinion(&self, actor: &Actor, input: NewOpinion) -> AppResult<i64> {
        self.require_org_write(actor, input.committee)?;
        if let Some(o) = input.subject_org {
            self.require_org(actor, o)?;
        }
        let mut tx = self.store.begin().await?;
        if let Some(m) = input.subject_member {
            self.require_member_read(&mut tx, actor, m).await?;
        }
        if input.subject_org.is_some() && input.subject_member.is_some() {
            return Err(FieldError::new("subject_member", "one_subject").into());
        }
        let content = required_text("content", &input.content, TEXT_MAX)?;
        let source_name = optional_text("source_name", input.source_name.as_deref(), NAME_MAX)?;
        check_past("received_on", input.received_on, self.clock.today())?;
        ostore::period_on(&mut tx, input.committee, input.received_on)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "received_on"))?;
        let o = Opinion {
            id: 0,
            committee: input.committee,
            source: input.source,
            source_name,
            received_on: input.received_on,
            subject_org: input.subject_org,
            subject_member: input.subject_member,
            content,
            assigned_body: None,
            assigned_person: None,
            assigned_on: None,
            due_by: None,
            response: None,
            answered_on: None,
            review_period: None,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert(&mut tx, &o).await?;
        let entry = Action::OpinionTake
            .on("org", o.committee.0)
            .after(Some(json!({
                "opinion": id, "source": o.source.code(), "source_name": o.source_name,
                "received_on": o.received_on, "subject_org": o.subject_org.map(|x| x.0),
                "subject_member": o.subject_member.map(|x| x.0), "content": o.content,
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Gives an opinion to a body and a person to answer within working days of the calendar
    /// (R34); giving it again replaces the assignment, until it is answered.
    pub async fn assign_opinion(
        &self,
        actor: &Actor,
        id: i64,
        a: Assignment,
    ) -> AppResult<NaiveDate> {
        // Read before the transaction: a request never waits for a second connection.
        let calendar = self.calendar().await?;
        let mut tx = self.store.begin().await?;
        let old = self.opinion_to_change(&mut tx, actor, id).await?;
        let body = required_text("assigned_body", &a.body, NAME_MAX)?;
        let person = required_text("assigned_person", &a.person, NAME_MAX)?;
        check_past("assigned_on", a.on, self.clock.today())?;
        if a.on < old.received_on {
            return Err(FieldError::new("assigned_on", "date_before_start").into());
        }
        if old.answered_on.is_some() {
            return Err(DomainError::rule("opinion_answered").into());
        }
        let due = rules::answer_due(
            &calendar,
            a.on,
            a.days.unwrap_or(rules::DEFAULT_ANSWER_DAYS),
        )?;
        let new = Opinion {
            assigned_body: Some(body),
            assigned_person: Some(person),
            assigned_on: Some(a.on),
            due_by: Some(due),
            ..old.clone()
        };
        store::update(&mut tx, &new).await?;
        let entry = Action::OpinionAssign
            .on("org", old.committee.0)
            .before(Some(json!({
                "opinion": id, "assigned_body": old.assigned_body,
                "assigned_person": old.assigned_person, "due_by": old.due_by,
            })))
            .after(Some(json!({
                "opinion": id, "assigned_body": new.assigned_body,
                "assigned_person": new.assigned_person, "assigned_on": new.assigned_on,
                "due_by": new.due_by,
            })));
        self.commit_audited(tx, actor, entry, due).await
    }

    /// Records the answer to an opinion.
    pub async fn answer_opinion(
        &self,
        actor: &Actor,
        id: i64,
        response: &str,
        on: NaiveDate,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let old = self.opinion_to_change(&mut tx, actor, id).await?;
        let response = required_text("response", response, TEXT_MAX)?;
        check_past("answered_on", on, self.clock.today())?;
        if on < old.received_on {
            return Err(FieldError::new("answered_on", "date_before_start").into());
        }
        if old.answered_on.is_some() {
            return Err(DomainError::rule("opinion_answered").into());
        }
        let new = Opinion {
            response: Some(response),
            answered_on: Some(on),
            ..old.clone()
        };
        store::update(&mut tx, &new).await?;
        let entry = Action::OpinionAnswer
            .on("org", old.committee.0)
            .before(Some(json!({"opinion": id, "response": null})))
            .after(Some(
                json!({"opinion": id, "response": new.response, "answered_on": on}),
            ));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// Attaches an opinion about a member or an organisation to a review period, where it is
    /// shown among the comments of the participating bodies (R28). The period must be open and
    /// one the actor may see, and the opinion must have come in by its end.
    pub async fn attach_opinion(&self, actor: &Actor, id: i64, period: i64) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let old = self.opinion_to_change(&mut tx, actor, id).await?;
        let p = crate::review::open_period(&mut tx, actor, period).await?;
        if old.subject_org.is_none() && old.subject_member.is_none() {
            return Err(DomainError::rule_on("opinion_without_subject", "review").into());
        }
        if old.received_on > p.period.end {
            return Err(DomainError::rule_on("opinion_after_period", "review").into());
        }
        let new = Opinion {
            review_period: Some(p.id),
            ..old.clone()
        };
        store::update(&mut tx, &new).await?;
        let entry = Action::OpinionAttach
            .on("org", old.committee.0)
            .before(Some(json!({"opinion": id, "review": old.review_period})))
            .after(Some(json!({"opinion": id, "review": p.id})));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// A committee's register of opinions received in `[from, to]`, newest first, with every
    /// overdue opinion of the committee and the committees below it in the actor's scope.
    pub async fn opinion_register(
        &self,
        actor: &Actor,
        committee: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<OpinionRegister> {
        self.require_org(actor, committee)?;
        let today = self.clock.today();
        dangvu_domain::date::check_range(from, to, 60, today, ("from", "to"))?;
        let mut tx = self.store.read().await?;
        let lines = store::of_committees(&mut tx, &[committee], from, to, LIST_MAX).await?;
        let overdue = self
            .open_opinions_in(&mut tx, actor, committee)
            .await?
            .into_iter()
            .filter(|l| l.due == Some(DueState::Overdue))
            .collect();
        tx.commit().await?;
        Ok(OpinionRegister {
            committee,
            from,
            to,
            lines: lines
                .into_iter()
                .map(|o| self.opinion_line(o, today))
                .collect(),
            overdue,
        })
    }

    /// The opinions given to answer and not answered, in the committees of an organisation's
    /// subtree the actor may read, oldest deadline first.
    pub(crate) async fn open_opinions_in(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        org: OrgId,
    ) -> AppResult<Vec<OpinionLine>> {
        let today = self.clock.today();
        let mut orgs = ostore::subtree_ids(conn, org, today).await?;
        orgs.retain(|o| actor.access.org_in_scope(*o));
        let v = store::unanswered_assigned(conn, &orgs, LIST_MAX).await?;
        Ok(v.into_iter().map(|o| self.opinion_line(o, today)).collect())
    }

    /// The opinions attached to a subject's review of a period, for the actor who may see that
    /// review.
    pub(crate) async fn review_opinions(
        &self,
        conn: &mut dangvu_store::Conn,
        period: i64,
        member: Option<MemberId>,
        org: Option<OrgId>,
    ) -> AppResult<Vec<Opinion>> {
        Ok(store::of_review_subject(conn, period, member, org).await?)
    }
}
