//! Who may see and change what: the scope of an actor, enforced here once for every read and
//! write path of the pages, the API, search, counts and the audit trail.
//!
//! A scope is an organisation and its whole subtree **as the tree stands today**: a secretary
//! looking at the tree of 2018 sees those organisations that are hers now. Outside the scope,
//! an organisation or a member does not exist for the actor: the answer is the same "not
//! found" as for an id nobody uses, so no 404-versus-403 difference leaks anything.

use std::collections::HashSet;
use std::sync::Arc;

use dangvu_domain::access::{Grant, Role};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::awaiting_arrival;
use dangvu_store::Conn;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::{App, AppError, AppResult};

/// What an actor may reach, resolved for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// Quản trị hệ thống, or the system itself: everything.
    pub all: bool,
    /// Manages accounts and role grants.
    pub admin: bool,
    /// Tops of the subtrees the actor may read and write (officer and secretary grants).
    pub roots: Vec<OrgId>,
    /// Every organisation of those subtrees today.
    pub orgs: HashSet<OrgId>,
    /// The organisations covered by an officer's grant (cán bộ ban tổ chức): those where the
    /// actor may also receive a member arriving from outside this system.
    pub officer_orgs: HashSet<OrgId>,
    /// The member whose own record the actor may read (member role).
    pub own_member: Option<MemberId>,
    /// The committees whose asset-declaration supervision register (R33) the actor may read
    /// and keep: the subtrees of her asset-supervisor grants. Not implied by `all`.
    pub asset_orgs: HashSet<OrgId>,
    /// The committees of her asset-supervisor grants (tops of those subtrees).
    pub asset_roots: Vec<OrgId>,
    /// Every asset register: the command line and the demo loader only.
    pub asset_all: bool,
}

impl Access {
    /// Everything: the command line, the demo loader, the administrator.
    pub fn everything() -> Access {
        Access {
            all: true,
            admin: true,
            asset_all: true,
            ..Access::default()
        }
    }

    pub fn org_in_scope(&self, org: OrgId) -> bool {
        self.all || self.orgs.contains(&org)
    }

    /// The organisations of the scope, None when unlimited.
    pub fn org_filter(&self) -> Option<&HashSet<OrgId>> {
        (!self.all).then_some(&self.orgs)
    }

    /// May the actor read and keep the asset-declaration supervision register of `committee`?
    pub fn assets_of(&self, committee: OrgId) -> bool {
        self.asset_all || self.asset_orgs.contains(&committee)
    }

    /// May the actor write at all (not a member reading her own record)?
    pub fn writes(&self) -> bool {
        self.all || !self.orgs.is_empty()
    }
}

/// Who is acting: the name and account for the audit trail, where from, and the scope.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub user_id: Option<i64>,
    pub address: Option<String>,
    pub access: Arc<Access>,
}

impl Actor {
    /// An actor with unlimited access, for the command line, the demo loader and tests.
    pub fn new(name: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            user_id: None,
            address: None,
            access: Arc::new(Access::everything()),
        }
    }
    /// The actor used by the demo loader and the generator.
    pub fn system() -> Actor {
        Actor::new("hệ thống")
    }
    /// Nobody signed in: sees nothing.
    pub fn anonymous(address: Option<String>) -> Actor {
        Actor {
            name: "khách".into(),
            user_id: None,
            address,
            access: Arc::new(Access::default()),
        }
    }
}

impl App {
    /// Resolves the scope of a user's grants in force today; kept per data version, so a
    /// request does not walk the tree again until an organisation or a member changes.
    pub(crate) async fn resolve_access(
        &self,
        conn: &mut Conn,
        user_id: i64,
        grants: &[Grant],
    ) -> AppResult<Access> {
        let today = self.clock.today();
        let version = dangvu_store::audit::last_id(conn).await?;
        let key = (user_id, today, version, format!("{grants:?}"));
        if let Some(a) = self.scopes.get(&key) {
            return Ok(a);
        }
        let a = self.compute_access(conn, grants).await?;
        self.scopes.put(key, a.clone());
        Ok(a)
    }

    async fn compute_access(&self, conn: &mut Conn, grants: &[Grant]) -> AppResult<Access> {
        let today = self.clock.today();
        let mut a = Access::default();
        let mut subtrees: Vec<(OrgId, HashSet<OrgId>)> = Vec::new();
        for g in grants.iter().filter(|g| g.active_on(today)) {
            match g.role {
                Role::Admin => {
                    a.all = true;
                    a.admin = true;
                }
                Role::Officer | Role::Secretary => {
                    if let Some(org) = g.org {
                        let ids: HashSet<OrgId> = ostore::subtree_ids(conn, org, today)
                            .await?
                            .into_iter()
                            .collect();
                        if g.role == Role::Officer {
                            a.officer_orgs.extend(ids.iter().copied());
                        }
                        subtrees.push((org, ids));
                    }
                }
                Role::AssetSupervisor => {
                    if let Some(org) = g.org {
                        // The granted committee itself even once dissolved: its register is
                        // kept, and read by whoever was granted it.
                        a.asset_roots.push(org);
                        a.asset_orgs.insert(org);
                        a.asset_orgs
                            .extend(ostore::subtree_ids(conn, org, today).await?);
                    }
                }
                Role::Member => {}
            }
        }
        // A grant inside another grant's subtree adds nothing and is not a root of its own.
        for (root, ids) in &subtrees {
            let inside_other = subtrees
                .iter()
                .any(|(o, other)| o != root && other.contains(root));
            if !inside_other && !a.roots.contains(root) {
                a.roots.push(*root);
            }
            a.orgs.extend(ids.iter().copied());
        }
        Ok(a)
    }

    /// Refuses, as "not found", an organisation outside the actor's scope.
    pub(crate) fn require_org(&self, actor: &Actor, org: OrgId) -> AppResult<()> {
        if actor.access.org_in_scope(org) {
            Ok(())
        } else {
            Err(AppError::NotFound("org"))
        }
    }

    /// Refuses, as the "not found" of the thing asked for (`what`: a meeting, a push…), a thing
    /// of an organisation outside the actor's scope: the same answer as for an id nobody uses.
    pub(crate) fn require_org_as(
        &self,
        actor: &Actor,
        org: OrgId,
        what: &'static str,
    ) -> AppResult<()> {
        self.require_org(actor, org)
            .map_err(|_| AppError::NotFound(what))
    }

    /// [`App::require_org_write`], answering "not found" as for `what` outside the scope.
    pub(crate) fn require_org_write_as(
        &self,
        actor: &Actor,
        org: OrgId,
        what: &'static str,
    ) -> AppResult<()> {
        self.require_org_as(actor, org, what)?;
        self.require_org_write(actor, org)
    }

    /// Refuses a change inside an organisation the actor may only read.
    pub(crate) fn require_org_write(&self, actor: &Actor, org: OrgId) -> AppResult<()> {
        self.require_org(actor, org)?;
        if actor.access.writes() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Refuses a change of the organisation itself (rename, move, merge, split, dissolve) unless
    /// the actor's scope holds its parent: an organisation is reorganised by its superior, so a
    /// secretary cannot dissolve her own cell.
    pub(crate) async fn require_restructure(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        org: OrgId,
        on: chrono::NaiveDate,
    ) -> AppResult<()> {
        self.require_org_write(actor, org)?;
        if actor.access.all {
            return Ok(());
        }
        let parent = ostore::period_on(conn, org, on)
            .await?
            .and_then(|p| p.parent);
        match parent {
            Some(p) if actor.access.orgs.contains(&p) => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The organisations a member has belonged to (her spans).
    async fn member_orgs(conn: &mut Conn, member: MemberId) -> AppResult<Vec<OrgId>> {
        Ok(mstore::spans_of(conn, member)
            .await?
            .into_iter()
            .map(|s| s.cell)
            .collect())
    }

    /// Refuses, as "not found", a member the actor may not read: one who never belonged to an
    /// organisation of the scope and is not on her way to one (a transfer addressed into the
    /// scope), unless it is the actor's own record.
    pub(crate) async fn require_member_read(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        member: MemberId,
    ) -> AppResult<()> {
        let a = &actor.access;
        if a.all || a.own_member == Some(member) {
            return Ok(());
        }
        if !a.orgs.is_empty()
            && Self::member_orgs(conn, member)
                .await?
                .iter()
                .any(|o| a.orgs.contains(o))
        {
            return Ok(());
        }
        if !a.orgs.is_empty()
            && matches!(Self::awaiting(conn, member).await?, Some(Some(d)) if a.orgs.contains(&d))
        {
            return Ok(());
        }
        Err(AppError::NotFound("member"))
    }

    /// How far in time the actor may read a member she may read at all: `None` for her own
    /// record, the system, an organisation she belongs to now (or is on her way to); for an
    /// organisation she has left, the day she left it (exclusive): a former cell reads her
    /// record as it stood while she was there, not what happened after.
    pub(crate) async fn read_horizon(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        member: MemberId,
    ) -> AppResult<Option<chrono::NaiveDate>> {
        let a = &actor.access;
        if a.all || a.own_member == Some(member) {
            return Ok(None);
        }
        let spans = mstore::spans_of(conn, member).await?;
        let latest = spans.iter().max_by_key(|s| s.from);
        if latest.is_some_and(|s| a.orgs.contains(&s.cell) && s.to.is_none()) {
            return Ok(None);
        }
        if matches!(Self::awaiting(conn, member).await?, Some(Some(d)) if a.orgs.contains(&d)) {
            return Ok(None);
        }
        // Spans are closed here; one still open elsewhere is not hers to follow.
        Ok(spans
            .iter()
            .filter(|s| a.orgs.contains(&s.cell))
            .map(|s| s.to)
            .max()
            .flatten())
    }

    /// Where a member off this system's rolls is expected: `Some(Some(org))` for a transfer
    /// addressed to an organisation of this system, `Some(None)` for one from outside it.
    async fn awaiting(conn: &mut Conn, member: MemberId) -> AppResult<Option<Option<OrgId>>> {
        let events: Vec<_> = mstore::events_of(conn, member)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        Ok(awaiting_arrival(&events))
    }

    /// Refuses a change to a member unless her current (latest) organisation is in the scope.
    pub(crate) async fn require_member_write(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        member: MemberId,
    ) -> AppResult<()> {
        self.require_member_read(conn, actor, member).await?;
        let a = &actor.access;
        if a.all {
            return Ok(());
        }
        let spans = mstore::spans_of(conn, member).await?;
        let latest = spans.iter().max_by_key(|s| s.from).map(|s| s.cell);
        if latest.is_some_and(|o| a.orgs.contains(&o)) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The receiving side of a transfer (R10): a member arrives in `cell` only when her
    /// transfer out names an organisation of the actor's scope, or, when she comes from
    /// outside this system, when the actor is an officer whose scope covers the cell. Anyone
    /// else gets the answer of a member who does not exist, whatever her dates or state.
    pub(crate) async fn require_arrival(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        member: MemberId,
        cell: Option<OrgId>,
    ) -> AppResult<()> {
        let a = &actor.access;
        if a.all {
            return Ok(());
        }
        let addressed = match Self::awaiting(conn, member).await? {
            Some(Some(d)) => a.orgs.contains(&d),
            Some(None) => cell.is_some_and(|c| a.officer_orgs.contains(&c)),
            None => false,
        };
        if !addressed {
            return Err(AppError::NotFound("member"));
        }
        if let Some(c) = cell {
            self.require_org(actor, c)?;
        }
        Ok(())
    }
}
