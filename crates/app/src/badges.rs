//! Huy hiệu Đảng (R13): the list of a presentation day for a subtree (who reaches a milestone
//! since the previous day, by her seniority), the proposals upward (with the exceptions: the
//! seriously ill early, the deceased posthumously, a missed milestone), the approval by
//! decision, the presentation with the badge's number, and the return of an expelled member's
//! badges.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use dangvu_domain::badge::{self as rules, BadgeException, BadgeRules, check_proposal, due_on};
use dangvu_domain::decision::Decision;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, EventKind, Status, seniority_months};
use dangvu_store::Conn;
use dangvu_store::badges::{self as store, Badge, BadgeStatus};
use dangvu_store::members as mstore;
use dangvu_store::orgs::{self as ostore, OrgPeriod};
use serde_json::json;

use crate::audit_log::Action;
use crate::members::state_in;
use crate::{Actor, App, AppError, AppResult, Closing, committed};

/// The most members a day's list reads.
const LIST_MAX: usize = 200_000;
/// The longest reason typed.
const TEXT_MAX: usize = 300;

/// A proposal: a member, the milestone, the exception that allows it and its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub member: MemberId,
    pub years: u32,
    pub exception: BadgeException,
    pub reason: Option<String>,
}

/// One line of a day's list: a member reaching a milestone, or a badge recorded for the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeLine {
    pub member: MemberId,
    pub name: String,
    pub birth: NaiveDate,
    pub home_town: Option<String>,
    pub cell: Option<OrgId>,
    pub cell_name: String,
    pub years: u32,
    pub reach_on: Option<NaiveDate>,
    pub admitted_on: Option<NaiveDate>,
    /// Tuổi đảng on the day, in months.
    pub seniority: i32,
    pub exception: BadgeException,
    pub reason: Option<String>,
    /// The badge recorded for the day; none while only eligible.
    pub badge: Option<Badge>,
}

/// The list of a presentation day for a subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeList {
    pub org: OrgPeriod,
    pub day: NaiveDate,
    pub rules: &'static BadgeRules,
    pub lines: Vec<BadgeLine>,
    /// Presented badges of members expelled since: to be returned.
    pub to_return: Vec<BadgeLine>,
}

impl BadgeList {
    /// How many lines per milestone, the highest first as reports list them.
    pub fn counts(&self) -> Vec<(u32, usize)> {
        self.rules
            .milestones
            .iter()
            .rev()
            .map(|y| (*y, self.lines.iter().filter(|l| l.years == *y).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

fn events_by_member(v: Vec<(MemberId, Event)>) -> HashMap<MemberId, Vec<Event>> {
    let mut out: HashMap<MemberId, Vec<Event>> = HashMap::new();
    for (m, e) in v {
        out.entry(m).or_default().push(e);
    }
    out
}

fn admitted(events: &[Event]) -> Option<NaiveDate> {
    events
        .iter()
        .find(|e| e.kind == EventKind::Admitted)
        .map(|e| e.on)
}

/// The day's list, read in the caller's transaction.
async fn list_in(
    conn: &mut Conn,
    org: OrgId,
    day: NaiveDate,
    today: NaiveDate,
) -> AppResult<BadgeList> {
    let periods = ostore::subtree_periods(conn, org, day).await?;
    let root = periods
        .iter()
        .find(|p| p.org == org)
        .cloned()
        .ok_or(AppError::NotFound("org"))?;
    let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
    // Admitted between the previous day and this one, so many years before (a few days' margin
    // for the ends of months), or ever readmitted: the only ones who can reach a milestone.
    let prev = rules::previous_day(day);
    let windows: Vec<(NaiveDate, NaiveDate)> = rules::rules_for(day)
        .milestones
        .iter()
        .filter_map(|y| {
            let back = chrono::Months::new(y * 12);
            Some((
                prev.checked_sub_months(back)? - chrono::Days::new(3),
                day.checked_sub_months(back)?,
            ))
        })
        .collect();
    let rolls = store::candidates(conn, &ids, day, &windows).await?;
    if rolls.len() > LIST_MAX {
        return Err(DomainError::rule_on("too_many_members", "org").into());
    }
    let members: Vec<MemberId> = rolls.iter().map(|r| r.0).collect();
    let events = events_by_member(store::seniority_events(conn, &members).await?);
    let none = Vec::new();
    let mut eligible: Vec<(MemberId, OrgId, u32, NaiveDate)> = Vec::new();
    for (m, cell) in &rolls {
        if let Some((years, reach)) = due_on(events.get(m).unwrap_or(&none), day) {
            eligible.push((*m, *cell, years, reach));
        }
    }
    let recorded = store::of_day(conn, &ids, day).await?;
    // A milestone already recorded (for any day) is not eligible again.
    let eligible_ids: Vec<MemberId> = eligible.iter().map(|e| e.0).collect();
    let held = store::of_members(conn, &eligible_ids).await?;
    eligible.retain(|(m, _, y, _)| {
        !held
            .iter()
            .any(|b| b.member == *m && b.years == *y && b.status != BadgeStatus::Cancelled)
    });
    let presented = store::presented_to_expelled(conn, &ids).await?;
    let mut expelled = Vec::new();
    for b in presented {
        if state_in(conn, b.member, today).await?.status == Status::Expelled {
            expelled.push(b);
        }
    }
    let mut people: Vec<MemberId> = eligible.iter().map(|e| e.0).collect();
    people.extend(recorded.iter().map(|b| b.member));
    people.extend(expelled.iter().map(|b| b.member));
    people.sort_unstable();
    people.dedup();
    let holders: HashMap<MemberId, store::Holder> = store::holders(conn, &people)
        .await?
        .into_iter()
        .map(|h| (h.member, h))
        .collect();
    let extra: Vec<MemberId> = people
        .iter()
        .filter(|m| !events.contains_key(m))
        .copied()
        .collect();
    let mut events = events;
    events.extend(events_by_member(
        store::seniority_events(conn, &extra).await?,
    ));
    let name_of = |o: Option<OrgId>| {
        periods
            .iter()
            .find(|p| Some(p.org) == o)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let line = |m: MemberId, cell: Option<OrgId>, years: u32, reach: Option<NaiveDate>| {
        let h = holders.get(&m);
        let ev = events.get(&m).unwrap_or(&none);
        BadgeLine {
            member: m,
            name: h.map(|h| h.name.clone()).unwrap_or_default(),
            birth: h.map(|h| h.birth).unwrap_or(day),
            home_town: h.and_then(|h| h.home_town.clone()),
            cell,
            cell_name: name_of(cell),
            years,
            reach_on: reach,
            admitted_on: admitted(ev),
            seniority: seniority_months(ev, day),
            exception: BadgeException::None,
            reason: None,
            badge: None,
        }
    };
    let mut lines: Vec<BadgeLine> = recorded
        .into_iter()
        .filter(|b| b.status != BadgeStatus::Cancelled)
        .map(|b| {
            BadgeLine {
                exception: b.exception,
                reason: b.reason.clone(),
                ..line(b.member, b.cell, b.years, b.reach_on)
            }
            .with_badge(b)
        })
        .collect();
    lines.extend(
        eligible
            .iter()
            .map(|(m, cell, years, reach)| line(*m, Some(*cell), *years, Some(*reach))),
    );
    let key = |l: &BadgeLine| {
        (
            std::cmp::Reverse(l.years),
            holders.get(&l.member).map(|h| h.sort_key.clone()),
        )
    };
    lines.sort_by_cached_key(key);
    let to_return = expelled
        .into_iter()
        .map(|b| line(b.member, b.cell, b.years, b.reach_on).with_badge(b))
        .collect();
    Ok(BadgeList {
        org: root,
        day,
        rules: rules::rules_for(day),
        lines,
        to_return,
    })
}

impl BadgeLine {
    fn with_badge(mut self, b: Badge) -> BadgeLine {
        self.badge = Some(b);
        self
    }
}

fn checked_day(day: NaiveDate, today: NaiveDate) -> AppResult<()> {
    if !rules::is_day(day) {
        return Err(DomainError::rule_on("badge_day", "day").into());
    }
    if day.year() < 2000 || day.year() > today.year() + 1 {
        return Err(DomainError::rule_on("date_out_of_range", "day").into());
    }
    Ok(())
}

impl App {
    /// The list of a presentation day for a subtree: the badges proposed, approved or
    /// presented for the day, then the members who reach a milestone since the previous day and
    /// have not been proposed, the higher milestones first, in Vietnamese name order.
    pub async fn badge_list(
        &self,
        actor: &Actor,
        org: OrgId,
        day: NaiveDate,
    ) -> AppResult<BadgeList> {
        self.require_org(actor, org)?;
        checked_day(day, self.clock.today())?;
        let mut tx = self.store.read().await?;
        let list = list_in(&mut tx, org, day, self.clock.today()).await?;
        committed(tx, list).await
    }

    /// Proposes badges for a day (đề nghị tặng): the members given, each checked against her
    /// seniority and the exception that allows it, or, when none is given, every member on the
    /// day's list not yet proposed. Answers how many were proposed.
    pub async fn propose_badges(
        &self,
        actor: &Actor,
        org: OrgId,
        day: NaiveDate,
        proposals: Vec<Proposal>,
    ) -> AppResult<usize> {
        self.require_org_write(actor, org)?;
        let today = self.clock.today();
        checked_day(day, today)?;
        if proposals.len() > 10_000 {
            return Err(FieldError::new("proposals", "too_many").into());
        }
        let mut tx = self.store.begin().await?;
        let list = list_in(&mut tx, org, day, today).await?;
        let subtree = ostore::subtree_ids(&mut tx, org, day).await?;
        let proposals = if proposals.is_empty() {
            list.lines
                .iter()
                .filter(|l| l.badge.is_none())
                .map(|l| Proposal {
                    member: l.member,
                    years: l.years,
                    exception: BadgeException::None,
                    reason: None,
                })
                .collect()
        } else {
            proposals
        };
        let mut written = Vec::new();
        for p in &proposals {
            // Scope first: a member out of sight, or out of the subtree, does not exist.
            self.require_member_write(&mut tx, actor, p.member).await?;
            let spans = mstore::spans_of(&mut tx, p.member).await?;
            let cell = spans
                .iter()
                .find(|s| s.from <= day && s.to.is_none_or(|t| t > day))
                .or_else(|| spans.last())
                .map(|s| s.cell)
                .filter(|c| subtree.contains(c))
                .ok_or(AppError::NotFound("member"))?;
            let reason = crate::optional_text("reason", p.reason.as_deref(), TEXT_MAX)?;
            if p.exception != BadgeException::None && reason.is_none() {
                return Err(FieldError::new("reason", "required").into());
            }
            let events: Vec<Event> = store::seniority_events(&mut tx, &[p.member])
                .await?
                .into_iter()
                .map(|x| x.1)
                .collect();
            check_proposal(&events, p.years, day, p.exception)
                .map_err(|code| DomainError::rule_on(code, "years"))?;
            let held = store::of_members(&mut tx, &[p.member]).await?;
            if held
                .iter()
                .any(|b| b.years == p.years && b.status != BadgeStatus::Cancelled)
            {
                return Err(DomainError::rule_on("badge_already", "years").into());
            }
            let reach = if p.exception == BadgeException::Posthumous {
                rules::reach_date_had_she_lived(&events, p.years * 12)
            } else {
                rules::reach_date(&events, p.years * 12)
            };
            let id = store::insert(
                &mut tx,
                &Badge {
                    id: 0,
                    member: p.member,
                    years: p.years,
                    day,
                    cell: Some(cell),
                    exception: p.exception,
                    reason,
                    reach_on: reach,
                    status: BadgeStatus::Proposed,
                    proposed_on: today,
                    approved_on: None,
                    approval_ref: None,
                    approval_body: None,
                    presented_on: None,
                    number: None,
                    returned_on: None,
                    return_reason: None,
                    recorded_at: self.now_text(),
                    recorded_by: actor.name.clone(),
                },
            )
            .await?;
            written.push(json!({"badge": id, "member": p.member.0, "years": p.years, "exception": p.exception.code()}));
        }
        let n = written.len();
        let entry = Action::BadgePropose
            .on("org", org.0)
            .after(Some(json!({"day": day, "badges": written})));
        self.commit_audited(tx, actor, entry, n).await
    }

    /// Records the decision that approves the proposals of a day in a subtree: its number, date
    /// and deciding body, all required. Answers how many were approved.
    pub async fn approve_badges(
        &self,
        actor: &Actor,
        org: OrgId,
        day: NaiveDate,
        decision: &Decision,
    ) -> AppResult<u64> {
        self.require_org_write(actor, org)?;
        checked_day(day, self.clock.today())?;
        let (Some(reference), Some(on), Some(body)) =
            (&decision.reference, decision.date, &decision.body)
        else {
            return Err(DomainError::rule_on("decision_incomplete", "decision_ref").into());
        };
        if on > self.clock.today() {
            return Err(FieldError::new("decided_on", "date_in_future").into());
        }
        let mut tx = self.store.begin().await?;
        let ids = ostore::subtree_ids(&mut tx, org, day).await?;
        let proposed: Vec<i64> = store::of_day(&mut tx, &ids, day)
            .await?
            .into_iter()
            .filter(|b| b.status == BadgeStatus::Proposed)
            .map(|b| b.id)
            .collect();
        if proposed.is_empty() {
            return Err(DomainError::rule("badge_nothing_proposed").into());
        }
        let n = store::approve(&mut tx, &proposed, on, reference, body).await?;
        let entry = Action::BadgeApprove
            .on("org", org.0)
            .after(Some(json!({"day": day, "badges": proposed, "decision_ref": reference, "decided_on": on, "decided_by": body})))
            .decision(Some(reference));
        self.commit_audited(tx, actor, entry, n).await
    }

    /// The badge of `id`, when the actor may change its holder's record.
    async fn badge_in_scope(&self, conn: &mut Conn, actor: &Actor, id: i64) -> AppResult<Badge> {
        let b = store::get(conn, id)
            .await?
            .ok_or(AppError::NotFound("badge"))?;
        self.require_member_write(conn, actor, b.member)
            .await
            .map_err(|_| AppError::NotFound("badge"))?;
        Ok(b)
    }

    /// Records an approved badge presented on a day, with its number (province code, six
    /// digits; E before them for the 45-year badge).
    pub async fn present_badge(
        &self,
        actor: &Actor,
        id: i64,
        number: &str,
        on: NaiveDate,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let b = self.badge_in_scope(&mut tx, actor, id).await?;
        if b.status != BadgeStatus::Approved {
            return Err(DomainError::rule("badge_not_approved").into());
        }
        let number = rules::parse_number(b.years, number)?;
        if on > self.clock.today() || b.approved_on.is_some_and(|a| on < a) {
            return Err(FieldError::new("presented_on", "date_out_of_range").into());
        }
        store::present(&mut tx, id, on, &number).await?;
        let entry = Action::BadgePresent.on("member", b.member.0).after(Some(
            json!({"badge": id, "years": b.years, "number": number, "presented_on": on}),
        ));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// Records a presented badge returned by a member expelled by then, or withdraws a
    /// proposal not yet presented; both with their reason, both kept.
    pub async fn return_badge(&self, actor: &Actor, id: i64, closing: &Closing) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let b = self.badge_in_scope(&mut tx, actor, id).await?;
        // A badge is taken back after it was presented; a proposal withdrawn any day.
        let since = b.presented_on.unwrap_or(NaiveDate::MIN);
        let reason = closing.checked(since, self.clock.today())?;
        let on = closing.on;
        let status = match b.status {
            BadgeStatus::Presented => {
                if state_in(&mut tx, b.member, on).await?.status != Status::Expelled {
                    return Err(DomainError::rule("badge_holder_not_expelled").into());
                }
                BadgeStatus::Presented
            }
            BadgeStatus::Proposed | BadgeStatus::Approved => BadgeStatus::Cancelled,
            BadgeStatus::Cancelled => return Err(AppError::NotFound("badge")),
        };
        store::close(&mut tx, id, status, on, &reason).await?;
        let entry = Action::BadgeReturn
            .on("member", b.member.0)
            .before(Some(json!({"badge": id, "status": b.status.code()})))
            .after(Some(json!({"badge": id, "closed_on": on, "withdrawn": status == BadgeStatus::Cancelled})))
            .reason(Some(&reason));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// A member's badges (the register of her badges), those the actor may read.
    pub async fn badges_of(&self, actor: &Actor, member: MemberId) -> AppResult<Vec<Badge>> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let v = store::of_members(&mut tx, &[member]).await?;
        committed(tx, v).await
    }
}
