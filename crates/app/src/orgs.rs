//! Use cases on the organisation tree (R1–R4): create, rename, move, merge, split, dissolve,
//! and committee positions.

use crate::committed;
use std::collections::BTreeSet;

use chrono::NaiveDate;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{EventKind, Status};
use dangvu_domain::org::{OrgKind, Position, TreeSnapshot};
use dangvu_domain::text::clean;
use dangvu_store::Conn;
use dangvu_store::members as mstore;
use dangvu_store::orgs::{self as ostore, Holder, OrgPeriod};
use serde_json::json;

mod discipline;
mod letterhead;
pub(crate) mod memo;

use crate::audit_log::Action;
use crate::members::{NewEvent, record_event_in};
use crate::{Actor, App, AppError, AppResult};

/// Input of "create an organisation".
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub name: String,
    pub kind: OrgKind,
    pub parent: Option<OrgId>,
    pub founded_on: NaiveDate,
    pub decision_ref: Option<String>,
}

/// Input of "appoint a member to a committee position" (R4).
#[derive(Debug, Clone, Copy)]
pub struct Appointment<'a> {
    pub member: MemberId,
    pub position: Position,
    /// The term, e.g. "2020–2025".
    pub term_label: &'a str,
    pub from: NaiveDate,
    pub decision_ref: Option<&'a str>,
}

impl<'a> Appointment<'a> {
    pub fn new(
        member: MemberId,
        position: Position,
        term_label: &'a str,
        from: NaiveDate,
        decision_ref: Option<&'a str>,
    ) -> Appointment<'a> {
        Appointment {
            member,
            position,
            term_label,
            from,
            decision_ref,
        }
    }
}

impl NewOrg {
    /// An organisation founded without a recorded decision.
    pub fn new(
        name: impl Into<String>,
        kind: OrgKind,
        parent: Option<OrgId>,
        founded_on: NaiveDate,
    ) -> NewOrg {
        NewOrg {
            name: name.into(),
            kind,
            parent,
            founded_on,
            decision_ref: None,
        }
    }
}

pub(crate) fn org_name(s: &str) -> Result<String, DomainError> {
    let n = clean(s);
    if n.is_empty() {
        return Err(FieldError::new("name", "required").into());
    }
    if n.chars().count() > 200 {
        return Err(FieldError::new("name", "too_long").into());
    }
    Ok(n)
}

fn reason_text(reason: &str) -> Result<String, DomainError> {
    let r = clean(reason);
    if r.is_empty() {
        Err(FieldError::new("reason", "required").into())
    } else {
        Ok(r)
    }
}

/// A change to the tree as a whole: who makes it, from which day, and why (a reason is
/// required of every restructuring, R3). Merges and splits pass theirs to each move and
/// dissolution they are made of.
pub(crate) struct Restructure<'a> {
    pub actor: &'a Actor,
    pub on: NaiveDate,
    pub reason: String,
}

impl<'a> Restructure<'a> {
    pub(crate) fn new(actor: &'a Actor, on: NaiveDate, reason: &str) -> Result<Self, DomainError> {
        Ok(Self {
            actor,
            on,
            reason: reason_text(reason)?,
        })
    }
}

fn period_json(p: &OrgPeriod) -> serde_json::Value {
    json!({"name": p.name, "kind": p.kind.code(), "parent": p.parent.map(|o| o.0), "from": p.valid_from.to_string()})
}

/// The open period of an organisation, refusing changes dated before its last change.
async fn open_period_for_change(
    conn: &mut Conn,
    org: OrgId,
    on: NaiveDate,
) -> AppResult<OrgPeriod> {
    let p = ostore::open_period(conn, org).await?;
    let p = match p {
        Some(p) => p,
        None => {
            // Either missing or dissolved.
            ostore::org_dates(conn, org)
                .await
                .map_err(|_| AppError::NotFound("org"))?;
            return Err(DomainError::rule("org_dissolved").into());
        }
    };
    if on < p.valid_from {
        return Err(DomainError::rule_on("change_before_last", "on").into());
    }
    Ok(p)
}

/// Replaces the open period by `next` from `on` (or rewrites it when it opened that same day).
async fn change_period(conn: &mut Conn, open: &OrgPeriod, next: OrgPeriod) -> AppResult<()> {
    if next.valid_from == open.valid_from {
        ostore::delete_open_period(conn, open.org).await?;
    } else {
        ostore::close_open_period(conn, open.org, next.valid_from).await?;
    }
    ostore::insert_period(conn, &next).await?;
    Ok(())
}

/// The tree on `on` and on every later date the tree changes, for checks that must hold at all
/// of them.
async fn snapshots_from(
    conn: &mut Conn,
    on: NaiveDate,
) -> AppResult<Vec<(NaiveDate, TreeSnapshot)>> {
    let mut dates: BTreeSet<NaiveDate> = ostore::change_dates_after(conn, on)
        .await?
        .into_iter()
        .collect();
    dates.insert(on);
    let mut out = Vec::new();
    for d in dates {
        let mut t = TreeSnapshot::default();
        for p in ostore::tree_on(conn, d).await? {
            t.insert(p.org, p.kind, p.parent);
        }
        out.push((d, t));
    }
    Ok(out)
}

impl App {
    /// Founds an organisation under a parent (R1, R2).
    pub async fn create_org(&self, actor: &Actor, input: NewOrg) -> AppResult<OrgId> {
        let mut tx = self.store.begin().await?;
        let id = self.create_org_in(&mut tx, actor, input).await?;
        committed(tx, id).await
    }

    pub(crate) async fn create_org_in(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        input: NewOrg,
    ) -> AppResult<OrgId> {
        match input.parent {
            Some(p) => self.require_org_write(actor, p)?,
            // A new top organisation: only with unlimited access.
            None if !actor.access.all => return Err(AppError::Forbidden),
            None => {}
        }
        let name = org_name(&input.name)?;
        let parent_kind = match input.parent {
            None => None,
            Some(p) => Some(
                ostore::period_on(conn, p, input.founded_on)
                    .await?
                    .ok_or(DomainError::rule_on("parent_not_active", "parent"))?
                    .kind,
            ),
        };
        input.kind.allowed_under(parent_kind, input.founded_on)?;
        let id = ostore::insert_org(conn, input.founded_on, &self.now_text()).await?;
        let p = OrgPeriod {
            org: id,
            parent: input.parent,
            name,
            kind: input.kind,
            valid_from: input.founded_on,
            valid_to: None,
            change: "founded".into(),
        };
        ostore::insert_period(conn, &p).await?;
        let decision = input.decision_ref.as_deref();
        let entry = Action::OrgCreate
            .on("org", id.0)
            .after(Some(period_json(&p)));
        self.audit(conn, actor, entry.decision(decision)).await?;
        Ok(id)
    }

    /// Renames an organisation from a date; the old name stays in its history (R2).
    pub async fn rename_org(
        &self,
        actor: &Actor,
        org: OrgId,
        name: &str,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        let name = org_name(name)?;
        let rename = async |_: &mut Conn, open: &OrgPeriod| {
            if open.name == name {
                return Err(DomainError::rule_on("unchanged", "name").into());
            }
            Ok(OrgPeriod {
                name,
                ..open.clone()
            })
        };
        self.change_org(actor, org, on, reason, Action::OrgRename, rename)
            .await
    }

    /// Changes an organisation's type from a date (e.g. a chi bộ cơ sở grown to a đảng bộ cơ sở).
    pub async fn change_org_kind(
        &self,
        actor: &Actor,
        org: OrgId,
        kind: OrgKind,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        let change = async |tx: &mut Conn, open: &OrgPeriod| -> AppResult<OrgPeriod> {
            let parent_kind = match open.parent {
                Some(p) => ostore::period_on(tx, p, on).await?.map(|p| p.kind),
                None => None,
            };
            kind.allowed_under(parent_kind, on)?;
            let tree = ostore::tree_on(tx, on).await?;
            for c in tree.into_iter().filter(|c| c.parent == Some(org)) {
                c.kind
                    .allowed_under(Some(kind), on)
                    .map_err(|_| DomainError::rule_on("children_kind_conflict", "kind"))?;
            }
            Ok(OrgPeriod {
                kind,
                ..open.clone()
            })
        };
        self.change_org(actor, org, on, reason, Action::OrgKind, change)
            .await
    }

    /// Changes one thing about an organisation from a date (R3), in one transaction: the actor
    /// must be allowed to restructure it then; `change` checks the open period and makes the
    /// next one from it.
    async fn change_org(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
        reason: &str,
        action: Action,
        change: impl AsyncFnOnce(&mut Conn, &OrgPeriod) -> AppResult<OrgPeriod>,
    ) -> AppResult<()> {
        let r = Restructure::new(actor, on, reason)?;
        let mut tx = self.store.begin().await?;
        self.require_restructure(&mut tx, actor, org, on).await?;
        let open = open_period_for_change(&mut tx, org, on).await?;
        let next = change(&mut tx, &open).await?;
        self.replace_period(&mut tx, &r, action, &open, next)
            .await?;
        committed(tx, ()).await
    }

    /// Moves an organisation (with its subtree) under another parent from a date. Never creates
    /// a cycle, on that date or any later one (R2).
    pub async fn move_org(
        &self,
        actor: &Actor,
        org: OrgId,
        new_parent: OrgId,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        let r = Restructure::new(actor, on, reason)?;
        let mut tx = self.store.begin().await?;
        self.move_org_in(&mut tx, &r, org, new_parent).await?;
        committed(tx, ()).await
    }

    /// Moves an organisation inside the caller's transaction, as part of `r`.
    pub(crate) async fn move_org_in(
        &self,
        conn: &mut Conn,
        r: &Restructure<'_>,
        org: OrgId,
        new_parent: OrgId,
    ) -> AppResult<()> {
        let on = r.on;
        self.require_restructure(conn, r.actor, org, on).await?;
        self.require_org_write(r.actor, new_parent)?;
        let open = open_period_for_change(conn, org, on).await?;
        if open.parent == Some(new_parent) {
            return Err(DomainError::rule_on("unchanged", "parent").into());
        }
        for (d, mut t) in snapshots_from(conn, on).await? {
            if t.kind.contains_key(&org) {
                t.check_move(org, new_parent, d)?;
                t.apply_move(org, new_parent);
            }
        }
        let next = OrgPeriod {
            parent: Some(new_parent),
            ..open.clone()
        };
        self.replace_period(conn, r, Action::OrgMove, &open, next)
            .await
    }

    /// Closes an organisation's open period on `on` and opens `next` from that day (R3), named
    /// by the action's change, with the audit entry of the change.
    async fn replace_period(
        &self,
        conn: &mut dangvu_store::Conn,
        r: &Restructure<'_>,
        action: Action,
        open: &OrgPeriod,
        next: OrgPeriod,
    ) -> AppResult<()> {
        let change = match action {
            Action::OrgRename => "renamed",
            Action::OrgKind => "kind_changed",
            Action::OrgMove => "moved",
            other => other.code(),
        };
        let next = OrgPeriod {
            valid_from: r.on,
            valid_to: None,
            change: change.into(),
            ..next
        };
        change_period(&mut *conn, open, next.clone()).await?;
        self.audit(
            conn,
            r.actor,
            action
                .on("org", open.org.0)
                .before(Some(period_json(open)))
                .after(Some(period_json(&next)))
                .reason(Some(&r.reason)),
        )
        .await
    }

    /// Dissolves an organisation on a date. Its sub-organisations must have been moved or
    /// dissolved first; its members on the rolls move to `members_to`, which is required when
    /// there are any (R2).
    pub async fn dissolve_org(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
        members_to: Option<OrgId>,
        reason: &str,
    ) -> AppResult<usize> {
        let r = Restructure::new(actor, on, reason)?;
        let mut tx = self.store.begin().await?;
        let moved = self.dissolve_org_in(&mut tx, &r, org, members_to).await?;
        committed(tx, moved).await
    }

    /// Dissolves an organisation inside the caller's transaction, as part of `r`; answers how
    /// many members moved.
    pub(crate) async fn dissolve_org_in(
        &self,
        conn: &mut Conn,
        r: &Restructure<'_>,
        org: OrgId,
        members_to: Option<OrgId>,
    ) -> AppResult<usize> {
        let (actor, on, reason) = (r.actor, r.on, r.reason.as_str());
        self.require_restructure(conn, actor, org, on).await?;
        if let Some(to) = members_to {
            self.require_org_write(actor, to)?;
        }
        let open = open_period_for_change(conn, org, on).await?;
        let children = ostore::tree_on(conn, on)
            .await?
            .into_iter()
            .filter(|c| c.parent == Some(org))
            .count();
        if children > 0 {
            return Err(DomainError::rule("org_has_children").into());
        }
        let members = mstore::members_on_rolls(conn, &[org], on).await?;
        if !members.is_empty() {
            let Some(dest) = members_to else {
                return Err(DomainError::rule_on("members_need_destination", "members_to").into());
            };
            if dest == org {
                return Err(DomainError::rule_on("members_need_destination", "members_to").into());
            }
            for (m, _) in &members {
                let ev = NewEvent::simple(EventKind::MovedCell, on)
                    .with_org(dest)
                    .with_note(reason);
                record_event_in(self, conn, actor, *m, ev).await?;
            }
        }
        ostore::close_open_period(conn, org, on).await?;
        ostore::set_dissolved(conn, org, on).await?;
        for h in ostore::committee_on(conn, org, on).await? {
            ostore::end_position(conn, h.id, on).await?;
        }
        self.audit(
            conn,
            actor,
            Action::OrgDissolve
                .on("org", org.0)
                .before(Some(period_json(&open)))
                .after(Some(json!({"dissolved_on": on.to_string(), "members_moved": members.len(), "members_to": members_to.map(|o| o.0)})))
                .reason(Some(reason)),
        )
        .await?;
        Ok(members.len())
    }

    /// Merges organisations into one (R2): the sources' sub-organisations move under the target,
    /// their members move into it, and the sources are dissolved, all on one date, in one
    /// transaction.
    pub async fn merge_orgs(
        &self,
        actor: &Actor,
        sources: &[OrgId],
        into: OrgId,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        let r = Restructure::new(actor, on, reason)?;
        if sources.is_empty() {
            return Err(FieldError::new("sources", "required").into());
        }
        if sources.contains(&into) {
            return Err(DomainError::rule_on("merge_into_self", "into").into());
        }
        for s in sources {
            self.require_org(actor, *s)?;
        }
        self.require_org_write(actor, into)?;
        let mut tx = self.store.begin().await?;
        open_period_for_change(&mut tx, into, on).await?;
        for s in sources {
            let children: Vec<OrgId> = ostore::tree_on(&mut tx, on)
                .await?
                .into_iter()
                .filter(|c| c.parent == Some(*s))
                .map(|c| c.org)
                .collect();
            for c in children {
                self.move_org_in(&mut tx, &r, c, into).await?;
            }
            self.dissolve_org_in(&mut tx, &r, *s, Some(into)).await?;
        }
        self.commit_audited(
            tx,
            actor,
            Action::OrgMerge
                .on("org", into.0)
                .after(Some(json!({"sources": sources.iter().map(|o| o.0).collect::<Vec<_>>(), "on": on.to_string()})))
                .reason(Some(&r.reason)),
            (),
        )
        .await
    }

    /// Splits an organisation (R2): a new organisation of the same type and parent is founded
    /// on `on` and the chosen members and sub-organisations move into it.
    #[allow(clippy::too_many_arguments)]
    pub async fn split_org(
        &self,
        actor: &Actor,
        org: OrgId,
        new_name: &str,
        members: &[MemberId],
        children: &[OrgId],
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<OrgId> {
        let r = Restructure::new(actor, on, reason)?;
        let mut tx = self.store.begin().await?;
        self.require_restructure(&mut tx, actor, org, on).await?;
        let open = open_period_for_change(&mut tx, org, on).await?;
        let new_id = self
            .create_org_in(
                &mut tx,
                actor,
                NewOrg {
                    name: new_name.into(),
                    kind: open.kind,
                    parent: open.parent,
                    founded_on: on,
                    decision_ref: None,
                },
            )
            .await?;
        let on_rolls = mstore::members_on_rolls(&mut tx, &[org], on).await?;
        for m in members {
            if !on_rolls.iter().any(|(x, _)| x == m) {
                return Err(DomainError::rule_on("member_not_in_org", "members").into());
            }
            let ev = NewEvent::simple(EventKind::MovedCell, on)
                .with_org(new_id)
                .with_note(&r.reason);
            record_event_in(self, &mut tx, actor, *m, ev).await?;
        }
        for c in children {
            let p = ostore::period_on(&mut tx, *c, on).await?;
            if p.map(|p| p.parent) != Some(Some(org)) {
                return Err(DomainError::rule_on("child_not_in_org", "children").into());
            }
            self.move_org_in(&mut tx, &r, *c, new_id).await?;
        }
        self.commit_audited(
            tx,
            actor,
            Action::OrgSplit
                .on("org", org.0)
                .after(Some(json!({"new_org": new_id.0, "members": members.len(), "children": children.len()})))
                .reason(Some(&r.reason)),
            new_id,
        )
        .await
    }

    /// Appoints a member to a committee position for a term (R4). The member must be an
    /// official member (R8: probationary members cannot stand) in the organisation's subtree.
    pub async fn appoint(&self, actor: &Actor, org: OrgId, a: &Appointment<'_>) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        let id = self.appoint_in(&mut tx, actor, org, a).await?;
        committed(tx, id).await
    }

    pub(crate) async fn appoint_in(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        org: OrgId,
        a: &Appointment<'_>,
    ) -> AppResult<i64> {
        let Appointment {
            member,
            position,
            term_label,
            from,
            decision_ref,
        } = *a;
        self.require_org_write(actor, org)?;
        self.require_member_read(conn, actor, member).await?;
        let term = clean(term_label);
        if term.is_empty() {
            return Err(FieldError::new("term_label", "required").into());
        }
        ostore::period_on(conn, org, from)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "org"))?;
        let state = crate::members::state_in(conn, member, from).await?;
        let subtree = ostore::subtree_ids(conn, org, from).await?;
        if !state.cell.is_some_and(|c| subtree.contains(&c)) {
            return Err(DomainError::rule_on("member_not_in_org", "member").into());
        }
        if !state.official || state.status != Status::Official {
            return Err(DomainError::rule_on("position_needs_official", "member").into());
        }
        let h = Holder {
            id: 0,
            org,
            member,
            member_name: String::new(),
            position,
            term_label: term,
            valid_from: from,
            valid_to: None,
            decision_ref: decision_ref.map(clean).filter(|s| !s.is_empty()),
        };
        let id = ostore::insert_position(conn, &h).await?;
        self.audit(
            conn,
            actor,
            Action::OrgAppoint
                .on("org", org.0)
                .after(Some(json!({"member": member.0, "position": position.code(), "term": h.term_label, "from": from.to_string()})))
                .decision(decision_ref),
        )
        .await?;
        Ok(id)
    }

    /// Ends a position on a date.
    pub async fn end_position(
        &self,
        actor: &Actor,
        org: OrgId,
        position_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        let reason = reason_text(reason)?;
        self.require_org_write(actor, org)?;
        let mut tx = self.store.begin().await?;
        if ostore::position_org(&mut tx, position_id).await? != Some(org) {
            return Err(AppError::NotFound("position"));
        }
        ostore::end_position(&mut tx, position_id, on)
            .await
            .map_err(|_| AppError::NotFound("position"))?;
        self.commit_audited(
            tx,
            actor,
            Action::OrgEndPosition
                .on("org", org.0)
                .before(Some(json!({"position_id": position_id})))
                .after(Some(json!({"until": on.to_string()})))
                .reason(Some(&reason)),
            (),
        )
        .await
    }
}
