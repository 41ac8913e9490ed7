//! Members' contact with their place of residence (R20–R22): the workplace committee
//! introduces a working member to the committee where she lives (or records the category that
//! exempts her); that committee attaches her to a residential cell; both sides see the link and
//! its dates, and a new introduction ends the last one when she moves. The residence committee
//! meets the attached members every six months (R21) and each year certifies the residence
//! cell's comment on each of them (R22), which the workplace's review then shows.

use crate::committed;
use chrono::{Datelike, NaiveDate};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, halves_missing};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::orgs as ostore;
use dangvu_store::residence::{self as store, Comment, Link};
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// The categories introduced but exempt from residence activities (HD 33): soldiers and police
/// in barracks, mobile workers, full-time students, other cases the committee allows.
pub const EXEMPT_CATEGORIES: [&str; 4] = ["barracks", "mobile", "full_time_study", "other"];

/// A residence committee's view: its links, the half-years without a meeting (R21), and the
/// attached members still without a certified comment for a year (R22).
#[derive(Debug, Clone)]
pub struct ResidenceView {
    pub residence: OrgId,
    pub year: i32,
    pub links: Vec<(Link, String)>,
    pub halves_missing: Vec<(i32, u32)>,
    pub comments: Vec<Comment>,
}

impl App {
    /// Introduces a member, by her workplace committee, to the committee of her place of
    /// residence (R20), ending the link she had (she moved). With an exempt category she is
    /// recorded as introduced but not expected at residence activities.
    pub async fn introduce_to_residence(
        &self,
        actor: &Actor,
        member: MemberId,
        residence: OrgId,
        on: NaiveDate,
        exempt_category: Option<&str>,
    ) -> AppResult<i64> {
        if let Some(c) = exempt_category
            && !EXEMPT_CATEGORIES.contains(&c)
        {
            return Err(FieldError::new("exempt_category", "invalid").into());
        }
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let workplace = dangvu_store::members::spans_of(&mut tx, member)
            .await?
            .iter()
            .filter(|s| s.from <= on)
            .max_by_key(|s| s.from)
            .map(|s| s.cell)
            .ok_or(AppError::Domain(DomainError::rule_on(
                "not_a_member",
                "member",
            )))?;
        let r = ostore::period_on(&mut tx, residence, on)
            .await?
            .ok_or(AppError::Domain(DomainError::rule_on(
                "org_not_active",
                "residence_org",
            )))?;
        if !(r.kind.is_grassroots() || r.kind == dangvu_domain::org::OrgKind::DangBoXa) {
            return Err(DomainError::rule_on("residence_not_grassroots", "residence_org").into());
        }
        for l in store::links_of_member(&mut tx, member).await? {
            if l.ended_on.is_none() {
                if l.introduced_on >= on {
                    return Err(DomainError::rule_on("change_before_last", "on").into());
                }
                store::end_link(&mut tx, l.id, on).await?;
            }
        }
        let link = Link {
            id: 0,
            member,
            workplace,
            residence,
            cell: None,
            introduced_on: on,
            attached_on: None,
            ended_on: None,
            exempt_category: exempt_category.map(str::to_owned),
        };
        let id = store::insert_link(&mut tx, &link, &self.now_text(), &actor.name).await?;
        self.commit_audited(
            tx,
            actor,
            Action::ResidenceIntroduce
                .on("member", member.0)
                .after(Some(json!({"link": id, "residence": residence.0, "workplace": workplace.0, "on": on.to_string(), "exempt_category": exempt_category}))),
            id,
        )
        .await
    }

    /// Attaches an introduced member to a residential cell of the residence committee.
    pub async fn attach_to_cell(
        &self,
        actor: &Actor,
        link: i64,
        cell: OrgId,
        on: NaiveDate,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        // A link of another committee is answered as one that does not exist.
        let l = store::link(&mut tx, link)
            .await?
            .filter(|l| actor.access.org_in_scope(l.residence))
            .ok_or(AppError::NotFound("residence"))?;
        self.require_org_write(actor, l.residence)?;
        if l.ended_on.is_some() || on < l.introduced_on {
            return Err(DomainError::rule_on("link_not_open", "on").into());
        }
        let sub = ostore::subtree_periods(&mut tx, l.residence, on).await?;
        if !sub
            .iter()
            .any(|p| p.org == cell && p.kind.is_cell() && actor.access.org_in_scope(p.org))
        {
            return Err(DomainError::rule_on("not_a_cell", "cell").into());
        }
        store::attach(&mut tx, link, cell, on).await?;
        self.commit_audited(
            tx,
            actor,
            Action::ResidenceAttach.on("member", l.member.0).after(Some(
                json!({"link": link, "cell": cell.0, "on": on.to_string()}),
            )),
            (),
        )
        .await
    }

    /// A member's residence links, for her record (both sides see them).
    pub async fn residence_links(&self, actor: &Actor, member: MemberId) -> AppResult<Vec<Link>> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let horizon = self.read_horizon(&mut tx, actor, member).await?;
        let mut v = store::links_of_member(&mut tx, member).await?;
        // A former organisation sees the links made while she was there.
        v.retain(|l| horizon.is_none_or(|h| l.introduced_on < h));
        committed(tx, v).await
    }

    /// Records the residence committee's half-yearly meeting (R21): every attached member not
    /// exempt whose link is in force that day has her line.
    pub async fn record_residence_meeting(
        &self,
        actor: &Actor,
        residence: OrgId,
        held_on: NaiveDate,
        place: &str,
        seats: &[(MemberId, Attendance, String)],
    ) -> AppResult<i64> {
        self.require_org_write(actor, residence)?;
        if clean(place).is_empty() {
            return Err(FieldError::new("place", "required").into());
        }
        let mut tx = self.store.begin().await?;
        let expected: Vec<MemberId> = store::links_of_residence(&mut tx, residence)
            .await?
            .into_iter()
            .filter(|l| l.on(held_on) && l.exempt_category.is_none())
            .map(|l| l.member)
            .collect();
        let mut lines = Vec::new();
        for m in &expected {
            let (_, a, reason) = seats
                .iter()
                .find(|(s, _, _)| s == m)
                .ok_or(AppError::Domain(DomainError::rule_on(
                    "attendance_incomplete",
                    "attendance",
                )))?;
            if *a == Attendance::AbsentExcused && clean(reason).is_empty() {
                return Err(FieldError::new("reason", "required").into());
            }
            lines.push((*m, *a, Some(clean(reason)).filter(|r| !r.is_empty())));
        }
        if seats.iter().any(|(s, _, _)| !expected.contains(s)) {
            return Err(DomainError::rule_on("member_not_in_org", "attendance").into());
        }
        let id = store::insert_meeting(
            &mut tx,
            residence,
            held_on,
            &clean(place),
            &lines,
            &self.now_text(),
            &actor.name,
        )
        .await?;
        self.commit_audited(
            tx,
            actor,
            Action::ResidenceMeeting
                .on("org", residence.0)
                .after(Some(json!({"meeting": id, "held_on": held_on.to_string(), "present": lines.iter().filter(|l| l.1.present()).count(), "of": lines.len()}))),
            id,
        )
        .await
    }

    /// The residence cell writes its yearly comment on an attached member (R22); once the
    /// residence committee has certified it, it is final.
    pub async fn write_residence_comment(
        &self,
        actor: &Actor,
        member: MemberId,
        year: i32,
        content: &str,
    ) -> AppResult<()> {
        let content = clean(content);
        if content.is_empty() {
            return Err(FieldError::new("content", "required").into());
        }
        let mut tx = self.store.begin().await?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MIN);
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        // Scope first: only a member attached to one of the actor's cells exists here.
        let links: Vec<_> = store::links_of_member(&mut tx, member)
            .await?
            .into_iter()
            .filter(|l| l.cell.is_some_and(|c| actor.access.org_in_scope(c)))
            .collect();
        if links.is_empty() {
            return Err(AppError::NotFound("member"));
        }
        let link = links
            .into_iter()
            .rev()
            .find(|l| {
                l.introduced_on <= end && l.ended_on.is_none_or(|e| e > start) && l.cell.is_some()
            })
            .ok_or(AppError::Domain(DomainError::rule_on(
                "not_attached",
                "member",
            )))?;
        let cell = link
            .cell
            .ok_or(AppError::Domain(DomainError::rule("not_attached")))?;
        self.require_org_write(actor, cell)?;
        if store::comments(&mut tx, &[member.0], year)
            .await?
            .iter()
            .any(|c| c.certified_on.is_some())
        {
            return Err(DomainError::rule("comment_certified").into());
        }
        let after = json!({"year": year, "cell": cell.0, "content": content});
        let comment = Comment {
            member,
            year,
            cell,
            content,
            certified_on: None,
            certified_by: None,
        };
        self.save_comment(tx, actor, &comment, Action::ResidenceComment, after)
            .await
    }

    /// Stores a resident's comment as written or certified, audited and committed with it.
    async fn save_comment(
        &self,
        mut tx: dangvu_store::Tx,
        actor: &Actor,
        comment: &Comment,
        action: Action,
        after: serde_json::Value,
    ) -> AppResult<()> {
        store::put_comment(&mut tx, comment, &self.now_text(), &actor.name).await?;
        let entry = action.on("member", comment.member.0).after(Some(after));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// The residence committee certifies a member's comment of a year (R22).
    pub async fn certify_residence_comment(
        &self,
        actor: &Actor,
        member: MemberId,
        year: i32,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        // Scope first: only a member linked to one of the actor's residence committees exists
        // here.
        let links: Vec<_> = store::links_of_member(&mut tx, member)
            .await?
            .into_iter()
            .filter(|l| actor.access.org_in_scope(l.residence))
            .collect();
        if links.is_empty() {
            return Err(AppError::NotFound("member"));
        }
        let c = store::comments(&mut tx, &[member.0], year)
            .await?
            .into_iter()
            .find(|c| links.iter().any(|l| l.cell == Some(c.cell)))
            .ok_or(AppError::Domain(DomainError::rule_on(
                "no_comment",
                "member",
            )))?;
        let residence = links
            .iter()
            .rev()
            .find(|l| l.cell == Some(c.cell))
            .map(|l| l.residence)
            .ok_or(AppError::Domain(DomainError::rule("not_attached")))?;
        self.require_org_write(actor, residence)?;
        if c.certified_on.is_some() {
            return Err(DomainError::rule("comment_certified").into());
        }
        let today = self.clock.today();
        let comment = Comment {
            certified_on: Some(today),
            certified_by: Some(actor.name.clone()),
            ..c
        };
        let after = json!({"year": year, "certified_on": today.to_string()});
        self.save_comment(tx, actor, &comment, Action::ResidenceCertify, after)
            .await
    }

    /// A residence committee's links with names, the half-years of a year so far without a
    /// meeting, and the year's comments.
    pub async fn residence_view(
        &self,
        actor: &Actor,
        residence: OrgId,
        year: i32,
    ) -> AppResult<ResidenceView> {
        self.require_org(actor, residence)?;
        let (from, to) = self.year_so_far(year)?;
        let mut tx = self.store.read().await?;
        let mut links = Vec::new();
        for l in store::links_of_residence(&mut tx, residence).await? {
            let name = dangvu_store::members::get_member(&mut tx, l.member)
                .await
                .map(|m| m.full_name)
                .unwrap_or_default();
            links.push((l, name));
        }
        links.sort_by_cached_key(|(_, n)| dangvu_domain::text::name_sort_key(n));
        let days = store::meeting_days(&mut tx, residence, from, to).await?;
        let ids: Vec<i64> = links.iter().map(|(l, _)| l.member.0).collect();
        let comments = store::comments(&mut tx, &ids, to.year()).await?;
        tx.commit().await?;
        Ok(ResidenceView {
            residence,
            year,
            links,
            halves_missing: halves_missing(from, to, &days),
            comments,
        })
    }
}
