//! Cam kết học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (R35): each member and
//! each leadership collective registers the year's commitments, the cell comments mid-year, and
//! the year-end review shows them with their assessment beside the self-assessment.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::commitment::parse_items;
use dangvu_domain::date::check_past;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::commitments::{self as store, Commitment};
use dangvu_store::members as mstore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, required_text};

/// The longest comment or assessment.
const TEXT_MAX: usize = 4000;

/// Whose commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitSubject {
    Member(MemberId),
    /// Tập thể lãnh đạo: the committee of an organisation (or a cell's chi ủy).
    Collective(OrgId),
}

/// The audit trail's entity of a subject: the member, or the organisation of a collective.
fn entity(kind: &str) -> &'static str {
    if kind == "member" { "member" } else { "org" }
}

impl CommitSubject {
    fn kind_id(self) -> (&'static str, i64) {
        match self {
            CommitSubject::Member(m) => ("member", m.0),
            CommitSubject::Collective(o) => ("collective", o.0),
        }
    }
}

/// A cell's commitments of a year: its collective's, and each member's on its rolls.
#[derive(Debug, Clone)]
pub struct CellCommitments {
    pub cell: OrgId,
    pub year: i32,
    pub collective: Option<Commitment>,
    /// Every member on the rolls at the year's end (or today), in Vietnamese name order.
    pub lines: Vec<(MemberId, String, Option<Commitment>)>,
}

impl CellCommitments {
    /// The members who have not registered (R35: listed for the cell).
    pub fn missing(&self) -> Vec<&(MemberId, String, Option<Commitment>)> {
        self.lines.iter().filter(|l| l.2.is_none()).collect()
    }
}

impl App {
    /// Refuses, as "not found", a subject the actor may not change; a member may register her
    /// own commitment.
    async fn require_commit_write(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        subject: CommitSubject,
        own_allowed: bool,
    ) -> AppResult<()> {
        match subject {
            CommitSubject::Member(m) if own_allowed && actor.access.own_member == Some(m) => Ok(()),
            CommitSubject::Member(m) => self.require_member_write(conn, actor, m).await,
            CommitSubject::Collective(o) => self.require_org_write(actor, o),
        }
    }

    /// A commitment the actor may comment or assess, or "not found".
    async fn commitment_to_judge(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Commitment> {
        let c = store::by_id(conn, id)
            .await?
            .ok_or(AppError::NotFound("commitment"))?;
        let subject = match c.subject_kind.as_str() {
            "member" => CommitSubject::Member(MemberId(c.subject_id)),
            _ => CommitSubject::Collective(OrgId(c.subject_id)),
        };
        match self.require_commit_write(conn, actor, subject, false).await {
            Err(AppError::NotFound(_)) => Err(AppError::NotFound("commitment")),
            r => r.map(|_| c),
        }
    }

    /// Refuses, as "not found", a commitment the actor may not comment or assess: the pages and
    /// the API ask this before they read the rest of a request.
    pub async fn commitment_scope(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let r = self.commitment_to_judge(&mut tx, actor, id).await;
        tx.commit().await?;
        r.map(|_| ())
    }

    /// Refuses, as "not found", a subject whose commitment the actor may not register.
    pub async fn commit_subject_scope(
        &self,
        actor: &Actor,
        subject: CommitSubject,
    ) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let r = self
            .require_commit_write(&mut tx, actor, subject, true)
            .await;
        tx.commit().await?;
        r
    }

    /// Registers (or, until it is assessed, rewrites) the commitment of a member or a
    /// collective for a year: the items, one per line.
    pub async fn register_commitment(
        &self,
        actor: &Actor,
        subject: CommitSubject,
        year: i32,
        items: &str,
        on: NaiveDate,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        self.require_commit_write(&mut tx, actor, subject, true)
            .await?;
        self.year_so_far(year)?;
        let items = parse_items(items)?;
        check_past("registered_on", on, self.clock.today())?;
        if on.year() > year {
            return Err(FieldError::new("registered_on", "date_out_of_range").into());
        }
        let (kind, sid) = subject.kind_id();
        let old = store::of_subject(&mut tx, kind, sid, year).await?;
        let (id, entry) = match old {
            Some(c) if c.assessed_on.is_some() => {
                return Err(DomainError::rule("commitment_assessed").into());
            }
            Some(c) => {
                let new = Commitment {
                    items: items.clone(),
                    ..c.clone()
                };
                store::update(&mut tx, &new).await?;
                (
                    c.id,
                    Action::CommitmentRegister
                        .on(entity(kind), sid)
                        .before(Some(
                            json!({"commitment": c.id, "year": year, "items": c.items}),
                        ))
                        .after(Some(
                            json!({"commitment": c.id, "year": year, "items": items}),
                        )),
                )
            }
            None => {
                let c = Commitment {
                    id: 0,
                    subject_kind: kind.into(),
                    subject_id: sid,
                    year,
                    items: items.clone(),
                    registered_on: on,
                    mid_comment: None,
                    mid_comment_on: None,
                    assessment: None,
                    assessed_on: None,
                    recorded_at: self.now_text(),
                    recorded_by: actor.name.clone(),
                };
                let id = store::insert(&mut tx, &c).await?;
                (
                    id,
                    Action::CommitmentRegister.on(entity(kind), sid).after(Some(
                        json!({"commitment": id, "year": year, "items": items, "registered_on": on}),
                    )),
                )
            }
        };
        self.commit_audited(tx, actor, entry, id).await
    }

    /// The cell's mid-year comment on a commitment.
    pub async fn comment_commitment(
        &self,
        actor: &Actor,
        id: i64,
        text: &str,
        on: NaiveDate,
    ) -> AppResult<()> {
        self.judge_commitment(actor, id, text, on, false).await
    }

    /// The year-end assessment of how a commitment was kept.
    pub async fn assess_commitment(
        &self,
        actor: &Actor,
        id: i64,
        text: &str,
        on: NaiveDate,
    ) -> AppResult<()> {
        self.judge_commitment(actor, id, text, on, true).await
    }

    async fn judge_commitment(
        &self,
        actor: &Actor,
        id: i64,
        text: &str,
        on: NaiveDate,
        year_end: bool,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let old = self.commitment_to_judge(&mut tx, actor, id).await?;
        let field = if year_end {
            "assessment"
        } else {
            "mid_comment"
        };
        let text = required_text(field, text, TEXT_MAX)?;
        let date_field = if year_end {
            "assessed_on"
        } else {
            "mid_comment_on"
        };
        check_past(date_field, on, self.clock.today())?;
        if on < old.registered_on {
            return Err(FieldError::new(date_field, "date_before_start").into());
        }
        let new = if year_end {
            Commitment {
                assessment: Some(text),
                assessed_on: Some(on),
                ..old.clone()
            }
        } else {
            Commitment {
                mid_comment: Some(text),
                mid_comment_on: Some(on),
                ..old.clone()
            }
        };
        store::update(&mut tx, &new).await?;
        let (before, after) = if year_end {
            (
                json!({"commitment": id, "assessment": old.assessment, "assessed_on": old.assessed_on}),
                json!({"commitment": id, "assessment": new.assessment, "assessed_on": new.assessed_on}),
            )
        } else {
            (
                json!({"commitment": id, "mid_comment": old.mid_comment, "mid_comment_on": old.mid_comment_on}),
                json!({"commitment": id, "mid_comment": new.mid_comment, "mid_comment_on": new.mid_comment_on}),
            )
        };
        let action = if year_end {
            Action::CommitmentAssess
        } else {
            Action::CommitmentComment
        };
        let entry = action
            .on(entity(&old.subject_kind), old.subject_id)
            .before(Some(before))
            .after(Some(after));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// A cell's commitments of a year: its collective's and each member's on its rolls at the
    /// year's end (today in the current year), those without one listed.
    pub async fn cell_commitments(
        &self,
        actor: &Actor,
        cell: OrgId,
        year: i32,
    ) -> AppResult<CellCommitments> {
        self.require_org(actor, cell)?;
        let (_, to) = self.year_so_far(year)?;
        let mut tx = self.store.read().await?;
        let mut roll = mstore::roll_on(&mut tx, cell, to).await?;
        roll.sort_by_cached_key(|r| dangvu_domain::text::collation_key(&r.1));
        let ids: Vec<i64> = roll.iter().map(|r| r.0.0).collect();
        let found = store::of_subjects(&mut tx, "member", &ids, year).await?;
        let collective = store::of_subject(&mut tx, "collective", cell.0, year).await?;
        tx.commit().await?;
        let lines = roll
            .into_iter()
            .map(|(m, name, _, _)| {
                let c = found.iter().find(|c| c.subject_id == m.0).cloned();
                (m, name, c)
            })
            .collect();
        Ok(CellCommitments {
            cell,
            year,
            collective,
            lines,
        })
    }

    /// The commitment of a subject of a year, for a review the caller has let the actor see.
    pub(crate) async fn commitment_in(
        &self,
        conn: &mut Conn,
        subject: CommitSubject,
        year: i32,
    ) -> AppResult<Option<Commitment>> {
        let (kind, id) = subject.kind_id();
        Ok(store::of_subject(conn, kind, id, year).await?)
    }
}
