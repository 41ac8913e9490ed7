//! Signing in and out, sessions, accounts and role grants.
//!
//! Passwords are hashed with Argon2id. A session token is 32 random bytes given to the browser
//! once; the database keeps only its SHA-256. Failed sign-ins are counted per account name and
//! per address; after too many, both the right and the wrong password get the same "locked"
//! answer, whether or not the name exists.

use crate::committed;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use dangvu_domain::access::{NewGrant, Role, check_password, check_username};
use dangvu_domain::audit_chain::{hex, sha256_hex};
use dangvu_domain::ids::MemberId;
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::users::{self as ustore, Throttle, User};
use serde_json::json;
use std::sync::Arc;

use crate::audit_log::Action;
use crate::{Access, Actor, App, AppError, AppResult};

/// How long a session lives.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: Duration,
    /// Signed out this long after signing in, however active.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(60),
            absolute: Duration::hours(12),
        }
    }
}

/// Failed sign-ins allowed per account name within the window before it locks.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failed sign-ins allowed per address within the window before it locks.
pub const ADDRESS_FAILURES: i64 = 20;
/// The counting window, and how long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;

/// A new session: the token goes into the cookie, the CSRF token into every form.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub csrf: String,
    pub user_id: i64,
}

/// A request's session, resolved.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub csrf: String,
    pub user_id: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub own_member: Option<MemberId>,
}

/// Input of "create an account".
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub member: Option<MemberId>,
}

/// An account with its grants, for the administrator's list.
#[derive(Debug, Clone)]
pub struct UserView {
    pub user: User,
    pub grants: Vec<dangvu_domain::access::Grant>,
}

fn random_hex(bytes: usize) -> AppResult<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|_| AppError::Domain(DomainError::rule("no_randomness")))?;
    Ok(hex(&buf))
}

/// A time as the throttle stores it: UTC with a fixed number of digits, so that stored times
/// compare as text in the same order as in time.
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// How many Argon2 computations run at once (each takes ~19 MiB and a core for tens of
/// milliseconds); others wait their turn instead of exhausting memory.
pub const ARGON2_AT_ONCE: usize = 2;

/// Hashes a password with Argon2id (on a blocking thread: it takes tens of milliseconds).
async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|_| AppError::Domain(DomainError::rule("password_hash_failed")))
    })
    .await
    .map_err(|_| AppError::Domain(DomainError::rule("password_hash_failed")))?
}

/// Checks a password against a stored hash; a malformed hash never matches.
async fn verify_hash(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordVerifier;
        use argon2::password_hash::phc::PasswordHash;
        match PasswordHash::new(&hash) {
            Ok(parsed) => argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

/// A hash of a password nobody has, verified when the account does not exist so that the
/// answer takes as long as for a real account.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q1Uk0Jg+8qTgnmqYq+V6y0rT0n2oHq2Nw3G7XK9zQmA";

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl App {
    /// [`verify_hash`], at most [`ARGON2_AT_ONCE`] at a time.
    async fn verify_password(&self, password: String, hash: String) -> bool {
        let Ok(_permit) = self.argon2.acquire().await else {
            return false;
        };
        verify_hash(password, hash).await
    }

    /// [`hash_password`], at most [`ARGON2_AT_ONCE`] at a time.
    async fn hash_password(&self, password: String) -> AppResult<String> {
        let _permit = self
            .argon2
            .acquire()
            .await
            .map_err(|_| AppError::Domain(DomainError::rule("password_hash_failed")))?;
        hash_password(password).await
    }

    pub(crate) fn require_admin(&self, actor: &Actor) -> AppResult<()> {
        if actor.access.admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Creates an account (administrators only). The password must pass the policy.
    pub async fn add_user(&self, actor: &Actor, input: NewUser) -> AppResult<i64> {
        self.require_admin(actor)?;
        let username = check_username(&input.username)?;
        let display_name = clean(&input.display_name);
        if display_name.is_empty() {
            return Err(FieldError::new("display_name", "required").into());
        }
        check_password(&input.password, &username)?;
        let hash = self.hash_password(input.password).await?;
        let mut tx = self.store.begin().await?;
        if let Some(m) = input.member {
            dangvu_store::members::get_member(&mut tx, m)
                .await
                .map_err(|_| AppError::Domain(FieldError::new("member", "not_found").into()))?;
        }
        let id = ustore::insert_user(
            &mut tx,
            &username,
            &display_name,
            &hash,
            input.member,
            &self.now_text(),
        )
        .await?;
        self.commit_audited(
            tx,
            actor,
            Action::UserCreate
                .on("user", id)
                .after(Some(json!({"username": username, "display_name": display_name, "member": input.member.map(|m| m.0)}))),
            id,
        )
        .await
    }

    /// Grants a role on a scope for a dated interval (administrators only).
    pub async fn grant_role(&self, actor: &Actor, user_id: i64, g: &NewGrant) -> AppResult<i64> {
        self.require_admin(actor)?;
        g.check()?;
        let (role, org) = (g.role, g.org);
        let mut tx = self.store.begin().await?;
        let user = ustore::user_by_id(&mut tx, user_id)
            .await
            .map_err(|_| AppError::NotFound("user"))?;
        if role == Role::Member && user.member_id.is_none() {
            return Err(DomainError::rule_on("user_not_a_member", "role").into());
        }
        if let Some(o) = org {
            dangvu_store::orgs::org_dates(&mut tx, o)
                .await
                .map_err(|_| AppError::Domain(FieldError::new("org", "not_found").into()))?;
        }
        let id = ustore::insert_grant(&mut tx, user_id, g).await?;
        self.commit_audited(
            tx,
            actor,
            Action::UserGrant
                .on("user", user_id)
                .after(Some(json!({"grant": id, "role": role.code(), "org": org.map(|o| o.0), "from": g.valid_from.to_string(), "to": g.valid_to.map(|t| t.to_string())})))
                .decision(g.decision_ref.as_deref()),
            id,
        )
        .await
    }

    /// Ends a grant on a date (administrators only).
    pub async fn end_grant(
        &self,
        actor: &Actor,
        user_id: i64,
        grant_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        self.require_admin(actor)?;
        let mut tx = self.store.begin().await?;
        let grants = ustore::grants_of(&mut tx, user_id).await?;
        if !grants.iter().any(|g| g.id == grant_id) {
            return Err(AppError::NotFound("grant"));
        }
        ustore::end_grant(&mut tx, grant_id, on).await?;
        self.commit_audited(
            tx,
            actor,
            Action::UserEndGrant
                .on("user", user_id)
                .before(Some(json!({"grant": grant_id})))
                .after(Some(json!({"until": on.to_string()})))
                .reason(Some(reason)),
            (),
        )
        .await
    }

    /// Changes a password: the administrator for anyone, a user for herself. Every session of
    /// the account ends.
    /// A user changing her own password gives the current one first (`current`), so that a
    /// session left open cannot take the account over.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        current: Option<&str>,
        password: &str,
    ) -> AppResult<()> {
        let own = actor.user_id == Some(user_id);
        if !(actor.access.admin || own) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        let user = ustore::user_by_id(&mut tx, user_id)
            .await
            .map_err(|_| AppError::NotFound("user"))?;
        tx.commit().await?;
        if own {
            let given = current.unwrap_or_default().to_owned();
            if given.is_empty() {
                return Err(FieldError::new("current_password", "required").into());
            }
            if !self
                .verify_password(given, user.password_hash.clone())
                .await
            {
                return Err(FieldError::new("current_password", "wrong_password").into());
            }
        }
        check_password(password, &user.username)?;
        let hash = self.hash_password(password.to_owned()).await?;
        let mut tx = self.store.begin().await?;
        let now = self.now_text();
        ustore::set_password(&mut tx, user_id, &hash, &now).await?;
        ustore::end_sessions_of(&mut tx, user_id, None, &now).await?;
        self.commit_audited(tx, actor, Action::UserPassword.on("user", user_id), ())
            .await
    }

    /// Accounts with their grants (administrators only).
    pub async fn users(&self, actor: &Actor) -> AppResult<Vec<UserView>> {
        self.require_admin(actor)?;
        let mut tx = self.store.read().await?;
        let mut out = Vec::new();
        for user in ustore::list_users(&mut tx).await? {
            let grants = ustore::grants_of(&mut tx, user.id).await?;
            out.push(UserView { user, grants });
        }
        committed(tx, out).await
    }

    /// Is this key (an account name or an address) locked now, or over its limit?
    fn locked(&self, t: &Throttle, limit: i64) -> bool {
        let now = self.clock.now();
        t.failures > limit
            || t.locked_until
                .as_deref()
                .and_then(parse_time)
                .is_some_and(|until| now < until)
    }

    /// Signs in. Refusals say `login_failed` or `login_locked`, never whether the name exists.
    ///
    /// The attempt is counted under the account name and the address **before** the password
    /// is checked, each in one statement, so parallel attempts cannot share a step; a good one
    /// gives its count back. Past the limit, or while locked, the attempt is refused without
    /// running Argon2 and counted, not audited again.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        address: Option<&str>,
    ) -> AppResult<SignedIn> {
        let name: String = username.trim().to_lowercase().chars().take(100).collect();
        let account_key = format!("u:{name}");
        let address_key = format!("a:{}", address.unwrap_or("-"));
        let now = self.clock.now();
        let window = Duration::minutes(LOCK_MINUTES);
        let mut tx = self.store.begin().await?;
        let account_t =
            ustore::count_attempt(&mut tx, &account_key, &stamp(now), &stamp(now - window)).await?;
        let address_t =
            ustore::count_attempt(&mut tx, &address_key, &stamp(now), &stamp(now - window)).await?;
        let user = ustore::user_by_name(&mut tx, &name).await?;
        tx.commit().await?;
        if self.locked(&account_t, ACCOUNT_FAILURES) || self.locked(&address_t, ADDRESS_FAILURES) {
            return Err(AppError::SignIn("login_locked"));
        }
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.to_owned());
        let good = self.verify_password(password.to_owned(), hash).await
            && user.as_ref().is_some_and(|u| !u.disabled);
        let guest = Actor::anonymous(address.map(str::to_owned));
        let mut tx = self.store.begin().await?;
        match (good, user) {
            (true, Some(u)) => {
                ustore::clear_throttle(&mut tx, &account_key).await?;
                ustore::uncount_attempt(&mut tx, &address_key).await?;
                let token = random_hex(32)?;
                let csrf = random_hex(32)?;
                ustore::insert_session(
                    &mut tx,
                    &sha256_hex(&token),
                    u.id,
                    &csrf,
                    &self.now_text(),
                    address,
                )
                .await?;
                let actor = Actor {
                    name: u.username.clone(),
                    user_id: Some(u.id),
                    address: address.map(str::to_owned),
                    access: Arc::new(Access::default()),
                };
                self.audit_sign_in(&mut tx, &actor, Action::AuthSignIn, Some(&u), &name)
                    .await?;
                tx.commit().await?;
                Ok(SignedIn {
                    token,
                    csrf,
                    user_id: u.id,
                })
            }
            (_, user) => {
                let until = stamp(now + window);
                let account_locks = account_t.failures >= ACCOUNT_FAILURES;
                if account_locks {
                    ustore::lock_until(&mut tx, &account_key, &until).await?;
                }
                if address_t.failures >= ADDRESS_FAILURES {
                    ustore::lock_until(&mut tx, &address_key, &until).await?;
                }
                self.audit_sign_in(
                    &mut tx,
                    &guest,
                    Action::AuthSignInFailed,
                    user.as_ref(),
                    &name,
                )
                .await?;
                tx.commit().await?;
                Err(AppError::SignIn(if account_locks {
                    "login_locked"
                } else {
                    "login_failed"
                }))
            }
        }
    }

    async fn audit_sign_in(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        action: crate::audit_log::Action,
        user: Option<&User>,
        attempted: &str,
    ) -> AppResult<()> {
        // An unknown name is kept short: people sometimes type their password into it.
        let shown: String = attempted.chars().take(40).collect();
        self.audit(
            conn,
            actor,
            action
                .on("user", user.map(|u| u.id).unwrap_or(0))
                .after(Some(json!({"username": if user.is_some() { shown } else { "(không có tài khoản)".into() }}))),
        )
        .await
    }

    /// The session of a token, if it is open and not expired; expired sessions are ended.
    pub async fn session(
        &self,
        token: &str,
        address: Option<&str>,
        policy: SessionPolicy,
    ) -> AppResult<Option<SessionInfo>> {
        let hash = sha256_hex(token);
        let now = self.clock.now();
        let mut tx = self.store.read().await?;
        let Some(s) = ustore::session(&mut tx, &hash).await? else {
            tx.commit().await?;
            return Ok(None);
        };
        if s.ended_at.is_some() {
            tx.commit().await?;
            return Ok(None);
        }
        let created = parse_time(&s.created_at);
        let seen = parse_time(&s.last_seen_at);
        let expired = match (created, seen) {
            (Some(c), Some(l)) => now - l > policy.idle || now - c > policy.absolute,
            _ => true,
        };
        let user = ustore::user_by_id(&mut tx, s.user_id).await?;
        let grants = ustore::grants_of(&mut tx, s.user_id).await?;
        if expired || user.disabled {
            tx.commit().await?;
            let mut w = self.store.begin().await?;
            ustore::end_session(&mut w, &hash, &now.to_rfc3339()).await?;
            w.commit().await?;
            return Ok(None);
        }
        let mut access = self.resolve_access(&mut tx, user.id, &grants).await?;
        let today = self.clock.today();
        if grants
            .iter()
            .any(|g| g.role == Role::Member && g.active_on(today))
        {
            access.own_member = user.member_id;
        }
        tx.commit().await?;
        if seen.is_some_and(|l| now - l > Duration::seconds(60)) {
            let mut w = self.store.begin().await?;
            ustore::touch_session(&mut w, &hash, &now.to_rfc3339()).await?;
            w.commit().await?;
        }
        let mut roles: Vec<Role> = grants
            .iter()
            .filter(|g| g.active_on(today))
            .map(|g| g.role)
            .collect();
        roles.dedup();
        Ok(Some(SessionInfo {
            own_member: access.own_member,
            actor: Actor {
                name: user.username.clone(),
                user_id: Some(user.id),
                address: address.map(str::to_owned),
                access: Arc::new(access),
            },
            csrf: s.csrf,
            user_id: user.id,
            display_name: user.display_name,
            roles,
        }))
    }

    /// Ends one session.
    pub async fn sign_out(&self, actor: &Actor, token: &str) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        ustore::end_session(&mut tx, &sha256_hex(token), &self.now_text()).await?;
        if let Some(id) = actor.user_id {
            self.audit(&mut tx, actor, Action::AuthSignOut.on("user", id))
                .await?;
        }
        committed(tx, ()).await
    }

    /// Ends the account's other sessions when signing in (asked for on the sign-in form: a
    /// phone lost or a computer shared); returns how many ended.
    pub async fn end_other_sessions(
        &self,
        signed: &SignedIn,
        address: Option<&str>,
    ) -> AppResult<u64> {
        let mut tx = self.store.read().await?;
        let name = ustore::user_by_id(&mut tx, signed.user_id).await?.username;
        tx.commit().await?;
        let actor = Actor {
            name,
            user_id: Some(signed.user_id),
            address: address.map(str::to_owned),
            access: Arc::new(Access::default()),
        };
        self.end_sessions(
            &actor,
            Some(&sha256_hex(&signed.token)),
            Action::AuthSignOutOthers,
        )
        .await
    }

    /// Ends every session of the actor's account; returns how many.
    pub async fn sign_out_everywhere(&self, actor: &Actor) -> AppResult<u64> {
        self.end_sessions(actor, None, Action::AuthSignOutEverywhere)
            .await
    }

    /// Ends the actor's sessions but the one kept, audited as `action`.
    async fn end_sessions(
        &self,
        actor: &Actor,
        keep_hash: Option<&str>,
        action: crate::audit_log::Action,
    ) -> AppResult<u64> {
        let id = actor.user_id.ok_or(AppError::Forbidden)?;
        let mut tx = self.store.begin().await?;
        let n = ustore::end_sessions_of(&mut tx, id, keep_hash, &self.now_text()).await?;
        self.commit_audited(
            tx,
            actor,
            action.on("user", id).after(Some(json!({"sessions": n}))),
            n,
        )
        .await
    }
}

impl App {
    /// One's own account and grants.
    pub async fn own_account(
        &self,
        actor: &Actor,
        user_id: i64,
    ) -> AppResult<(User, Vec<dangvu_domain::access::Grant>)> {
        if !(actor.access.admin || actor.user_id == Some(user_id)) {
            return Err(AppError::NotFound("user"));
        }
        let mut tx = self.store.read().await?;
        let user = ustore::user_by_id(&mut tx, user_id)
            .await
            .map_err(|_| AppError::NotFound("user"))?;
        let grants = ustore::grants_of(&mut tx, user_id).await?;
        committed(tx, (user, grants)).await
    }
}

impl App {
    /// The id of an account by its name (for the command line).
    pub async fn user_id(&self, username: &str) -> AppResult<i64> {
        let mut tx = self.store.read().await?;
        let u = ustore::user_by_name(&mut tx, &username.trim().to_lowercase()).await?;
        tx.commit().await?;
        u.map(|u| u.id).ok_or(AppError::NotFound("user"))
    }
}

/// A strong random password (for a first administrator created without one).
pub fn generate_password() -> AppResult<String> {
    loop {
        let h = random_hex(9)?;
        let p = format!("{}-{}-{}", &h[0..6], &h[6..12], &h[12..18]);
        if check_password(&p, "").is_ok() {
            return Ok(p);
        }
    }
}

impl App {
    /// Disables or enables an account (administrators only; not one's own). Disabling ends
    /// every session of the account at once.
    pub async fn set_user_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
        reason: &str,
    ) -> AppResult<()> {
        self.require_admin(actor)?;
        if actor.user_id == Some(user_id) {
            return Err(DomainError::rule_on("cannot_disable_self", "user").into());
        }
        let reason = clean(reason);
        if reason.is_empty() {
            return Err(FieldError::new("reason", "required").into());
        }
        let mut tx = self.store.begin().await?;
        let user = ustore::user_by_id(&mut tx, user_id)
            .await
            .map_err(|_| AppError::NotFound("user"))?;
        if user.disabled == disabled {
            return Err(DomainError::rule_on("unchanged", "user").into());
        }
        ustore::set_disabled(&mut tx, user_id, disabled).await?;
        if disabled {
            ustore::end_sessions_of(&mut tx, user_id, None, &self.now_text()).await?;
        }
        self.commit_audited(
            tx,
            actor,
            (if disabled {
                Action::UserDisable
            } else {
                Action::UserEnable
            })
            .on("user", user_id)
            .before(Some(json!({"disabled": user.disabled})))
            .after(Some(json!({"disabled": disabled})))
            .reason(Some(&reason)),
            (),
        )
        .await
    }
}

#[cfg(test)]
mod tests;
