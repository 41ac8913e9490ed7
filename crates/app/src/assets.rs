//! Giám sát kê khai tài sản, thu nhập (R33): the register of the cadres a committee manages,
//! their declarations (due, received, late) and the supervisions and inspections of them.
//!
//! The narrowest access of the system: only an account granted this register for the committee
//! (or a committee above it) reaches it. Anyone else, the administrator and the committee's own
//! officers included, gets the answer of a page that does not exist, for the register and for
//! every cadre, declaration and supervision id. Every read is audited like every change. The
//! trail shows these entries only to whoever may read every register (the command line).

use chrono::{Datelike, NaiveDate};
use dangvu_domain::assets::{
    self as rules, CHANGE_MAX, DeclarationKind, DeclarationState, SupervisionKind, Thresholds,
    Trigger,
};
use dangvu_domain::date::{check_near, check_past};
use dangvu_domain::error::Errors;
use dangvu_domain::ids::OrgId;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::assets::{self as store, Cadre, Declaration, Supervision};
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, as_field as field, optional_text, required_text};

/// The longest name, position or workplace of a cadre, or receiving body.
const NAME_MAX: usize = 200;
/// The longest findings, follow-up or note.
const TEXT_MAX: usize = 4000;
/// The most cadres in one committee's register of a year.
const CADRES_MAX: usize = 5000;
/// Days ahead the list of declarations due looks.
pub const DUE_AHEAD_DAYS: u64 = 30;

/// Input of "add a cadre to the register".
#[derive(Debug, Clone)]
pub struct NewCadre {
    pub committee: OrgId,
    pub full_name: String,
    pub position: String,
    pub workplace: Option<String>,
    pub from_date: NaiveDate,
}

/// Input of "a declaration is due".
#[derive(Debug, Clone)]
pub struct NewDeclaration {
    pub cadre: i64,
    pub kind: DeclarationKind,
    /// The year of an annual or additional declaration.
    pub year: Option<i32>,
    /// The day that sets a first (taking up the post) or personnel-work (expected
    /// appointment) declaration's due day.
    pub event_on: Option<NaiveDate>,
    /// A due day other than the rule's.
    pub due_on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Input of "a supervision or an inspection begins".
#[derive(Debug, Clone)]
pub struct NewSupervision {
    pub cadre: i64,
    pub year: i32,
    pub kind: SupervisionKind,
    pub trigger: Trigger,
    pub started_on: NaiveDate,
}

/// Input of "a supervision concludes".
#[derive(Debug, Clone)]
pub struct Conclusion {
    pub change_vnd: Option<i64>,
    pub findings: String,
    pub follow_up: Option<String>,
    pub concluded_on: NaiveDate,
}

/// A declaration with where it stands.
#[derive(Debug, Clone)]
pub struct DeclarationLine {
    pub declaration: Declaration,
    pub state: DeclarationState,
}

/// A supervision, and whether the change it found calls for an additional declaration
/// under the thresholds of the register.
#[derive(Debug, Clone)]
pub struct SupervisionLine {
    pub supervision: Supervision,
    pub additional_required: Option<bool>,
}

/// A cadre's line of a year.
#[derive(Debug, Clone)]
pub struct CadreLine {
    pub cadre: Cadre,
    pub declarations: Vec<DeclarationLine>,
    pub supervisions: Vec<SupervisionLine>,
}

/// A committee's register of a year.
#[derive(Debug, Clone)]
pub struct AssetRegister {
    pub committee: OrgId,
    pub year: i32,
    /// The day the thresholds are read on: the year's last day, or today in the current year.
    pub thresholds_on: NaiveDate,
    pub thresholds: Thresholds,
    pub cadres: Vec<CadreLine>,
    /// Declarations not received, due within [`DUE_AHEAD_DAYS`] or overdue, of any year.
    pub due: Vec<(Cadre, DeclarationLine)>,
}

impl AssetRegister {
    pub fn overdue(&self) -> usize {
        self.due
            .iter()
            .filter(|(_, l)| l.state == DeclarationState::Overdue)
            .count()
    }
}

/// Something of the asset register, named by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetItem {
    Register(OrgId),
    Cadre(i64),
    Declaration(i64),
    Supervision(i64),
}

/// The page that does not exist: the answer to anything of a register the actor may not read.
fn hidden() -> AppError {
    AppError::NotFound("page")
}

impl App {
    /// Refuses, as a page that does not exist, a register the actor may not read.
    fn require_assets(&self, actor: &Actor, committee: OrgId) -> AppResult<()> {
        if actor.access.assets_of(committee) {
            Ok(())
        } else {
            Err(hidden())
        }
    }

    /// A cadre of a register the actor may read, or the page that does not exist.
    async fn cadre_in_scope(&self, conn: &mut Conn, actor: &Actor, id: i64) -> AppResult<Cadre> {
        let c = store::cadre_by_id(conn, id).await?.ok_or_else(hidden)?;
        self.require_assets(actor, c.committee)?;
        Ok(c)
    }

    /// Refuses, as a page that does not exist, anything of a register the actor may not read:
    /// the pages and the API ask this before they read the rest of a request.
    pub async fn asset_scope(&self, actor: &Actor, item: AssetItem) -> AppResult<()> {
        let cadre = match item {
            AssetItem::Register(c) => return self.require_assets(actor, c),
            AssetItem::Cadre(id) => Some(id),
            AssetItem::Declaration(id) => {
                let mut tx = self.store.read().await?;
                let d = store::declaration_by_id(&mut tx, id).await?;
                tx.commit().await?;
                d.map(|d| d.cadre)
            }
            AssetItem::Supervision(id) => {
                let mut tx = self.store.read().await?;
                let s = store::supervision_by_id(&mut tx, id).await?;
                tx.commit().await?;
                s.map(|s| s.cadre)
            }
        };
        let mut tx = self.store.read().await?;
        let c = self
            .cadre_in_scope(&mut tx, actor, cadre.ok_or_else(hidden)?)
            .await;
        tx.commit().await?;
        c.map(|_| ())
    }

    /// The committees of the actor's asset-supervisor grants, whose registers (and those of
    /// the committees below) she may open. The command line reaches every register without
    /// a list.
    pub fn asset_committees(&self, actor: &Actor) -> Vec<OrgId> {
        actor.access.asset_roots.clone()
    }

    /// A committee's register of a year, with the declarations due and overdue; the read is
    /// audited.
    pub async fn asset_register(
        &self,
        actor: &Actor,
        committee: OrgId,
        year: i32,
    ) -> AppResult<AssetRegister> {
        self.require_assets(actor, committee)?;
        let (from, to) = self.year_so_far(year)?;
        let today = self.clock.today();
        let mut tx = self.store.begin().await?;
        let cadres = store::cadres_of(&mut tx, committee, from, to.max(from)).await?;
        if cadres.len() > CADRES_MAX {
            return Err(DomainError::rule("too_many_rows").into());
        }
        let declarations = store::declarations_of(&mut tx, committee, year).await?;
        let supervisions = store::supervisions_of(&mut tx, committee, year).await?;
        let ahead = today
            .checked_add_days(chrono::Days::new(DUE_AHEAD_DAYS))
            .unwrap_or(today);
        let unreceived = store::unreceived_of(&mut tx, committee, ahead).await?;
        let thresholds_on = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(today)
            .min(today);
        let thresholds = rules::thresholds_on(thresholds_on);
        let line = |d: Declaration| DeclarationLine {
            state: rules::declaration_state(d.due_on, d.received_on, today),
            declaration: d,
        };
        let mut due = Vec::new();
        for d in unreceived {
            let c = match cadres.iter().find(|c| c.id == d.cadre) {
                Some(c) => c.clone(),
                None => store::cadre_by_id(&mut tx, d.cadre)
                    .await?
                    .ok_or_else(hidden)?,
            };
            due.push((c, line(d)));
        }
        let lines = cadres
            .into_iter()
            .map(|c| CadreLine {
                declarations: declarations
                    .iter()
                    .filter(|d| d.cadre == c.id)
                    .cloned()
                    .map(line)
                    .collect(),
                supervisions: supervisions
                    .iter()
                    .filter(|s| s.cadre == c.id)
                    .map(|s| SupervisionLine {
                        additional_required: s
                            .change_vnd
                            .map(|v| rules::additional_required(v.unsigned_abs(), thresholds_on)),
                        supervision: s.clone(),
                    })
                    .collect(),
                cadre: c,
            })
            .collect();
        let entry = Action::AssetRead
            .on("asset_register", committee.0)
            .after(Some(json!({"year": year})));
        let register = AssetRegister {
            committee,
            year,
            thresholds_on,
            thresholds,
            cadres: lines,
            due,
        };
        self.commit_audited(tx, actor, entry, register).await
    }

    /// Adds a cadre to a committee's register.
    pub async fn add_asset_cadre(&self, actor: &Actor, input: NewCadre) -> AppResult<i64> {
        self.require_assets(actor, input.committee)?;
        let today = self.clock.today();
        let mut e = Errors::default();
        let full_name = e.take(field(required_text(
            "full_name",
            &input.full_name,
            NAME_MAX,
        )));
        let position = e.take(field(required_text("position", &input.position, NAME_MAX)));
        let workplace = e
            .take(field(optional_text(
                "workplace",
                input.workplace.as_deref(),
                NAME_MAX,
            )))
            .flatten();
        e.take(check_past("from_date", input.from_date, today));
        e.finish()?;
        let (Some(full_name), Some(position)) = (full_name, position) else {
            return Err(FieldError::new("full_name", "required").into());
        };
        let mut tx = self.store.begin().await?;
        dangvu_store::orgs::period_on(&mut tx, input.committee, input.from_date)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "from_date"))?;
        let c = Cadre {
            id: 0,
            committee: input.committee,
            full_name,
            position,
            workplace,
            from_date: input.from_date,
            to_date: None,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert_cadre(&mut tx, &c).await?;
        let entry = Action::AssetCadreAdd
            .on("asset_cadre", id)
            .after(Some(json!({
                "committee": c.committee.0, "full_name": c.full_name, "position": c.position,
                "workplace": c.workplace, "from_date": c.from_date,
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Ends a cadre's place in the register from a day (left the post or the management).
    pub async fn end_asset_cadre(
        &self,
        actor: &Actor,
        cadre: i64,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let c = self.cadre_in_scope(&mut tx, actor, cadre).await?;
        let reason = required_text("reason", reason, NAME_MAX)?;
        check_past("on", on, self.clock.today())?;
        if on <= c.from_date {
            return Err(FieldError::new("on", "date_before_start").into());
        }
        if c.to_date.is_some() {
            return Err(DomainError::rule("cadre_ended").into());
        }
        store::end_cadre(&mut tx, cadre, on).await?;
        let entry = Action::AssetCadreEnd
            .on("asset_cadre", cadre)
            .before(Some(json!({"to_date": null})))
            .after(Some(json!({"to_date": on})))
            .reason(Some(&reason));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// Records a declaration a cadre must make, due on the rule's day for its kind (R33) or
    /// the day given.
    pub async fn add_asset_declaration(
        &self,
        actor: &Actor,
        input: NewDeclaration,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        let c = self.cadre_in_scope(&mut tx, actor, input.cadre).await?;
        let today = self.clock.today();
        let note = optional_text("note", input.note.as_deref(), TEXT_MAX)?;
        if input.kind.needs_event() && input.event_on.is_none() && input.due_on.is_none() {
            return Err(FieldError::new("event_on", "required").into());
        }
        if let Some(d) = input.event_on {
            check_near("event_on", d, today)?;
        }
        let year = match (input.kind.needs_event(), input.year) {
            (false, None) => return Err(FieldError::new("year", "required").into()),
            (_, y) => y.unwrap_or_else(|| input.event_on.unwrap_or(today).year()),
        };
        self.year_so_far(year)?;
        let due_on = match input.due_on {
            Some(d) => d,
            None => rules::due_on(input.kind, year, input.event_on)
                .ok_or(FieldError::new("event_on", "invalid"))?,
        };
        check_near("due_on", due_on, today)?;
        let year = if input.kind.needs_event() {
            rules::declaration_year(input.kind, due_on)
        } else {
            year
        };
        let d = Declaration {
            id: 0,
            cadre: c.id,
            kind: input.kind,
            year,
            due_on,
            received_on: None,
            receiving_body: None,
            note,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert_declaration(&mut tx, &d)
            .await
            .map_err(|e| match e {
                dangvu_store::StoreError::Conflict { .. } => AppError::from(DomainError::rule_on(
                    "declaration_exists",
                    "declaration_kind",
                )),
                e => e.into(),
            })?;
        let entry = Action::AssetDeclarationAdd
            .on("asset_declaration", id)
            .after(Some(json!({
                "cadre": c.id, "kind": d.kind.code(), "year": d.year, "due_on": d.due_on,
                "note": d.note,
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Records the day a declaration was received, and by which body.
    pub async fn receive_asset_declaration(
        &self,
        actor: &Actor,
        id: i64,
        on: NaiveDate,
        body: Option<&str>,
    ) -> AppResult<DeclarationState> {
        let mut tx = self.store.begin().await?;
        let d = store::declaration_by_id(&mut tx, id)
            .await?
            .ok_or_else(hidden)?;
        self.cadre_in_scope(&mut tx, actor, d.cadre).await?;
        let body = optional_text("receiving_body", body, NAME_MAX)?;
        let today = self.clock.today();
        check_past("received_on", on, today)?;
        if d.received_on.is_some() {
            return Err(DomainError::rule("declaration_received").into());
        }
        store::receive_declaration(&mut tx, id, on, body.as_deref()).await?;
        let state = rules::declaration_state(d.due_on, Some(on), today);
        let entry = Action::AssetDeclarationReceive
            .on("asset_declaration", id)
            .before(Some(json!({"received_on": null})))
            .after(Some(
                json!({"received_on": on, "receiving_body": body, "state": state.code()}),
            ));
        self.commit_audited(tx, actor, entry, state).await
    }

    /// Opens a supervision or an inspection of a cadre's declarations of a year.
    pub async fn add_asset_supervision(
        &self,
        actor: &Actor,
        input: NewSupervision,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        let c = self.cadre_in_scope(&mut tx, actor, input.cadre).await?;
        self.year_so_far(input.year)?;
        check_past("started_on", input.started_on, self.clock.today())?;
        let s = Supervision {
            id: 0,
            cadre: c.id,
            year: input.year,
            kind: input.kind,
            trigger: input.trigger,
            started_on: input.started_on,
            change_vnd: None,
            findings: None,
            follow_up: None,
            concluded_on: None,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert_supervision(&mut tx, &s).await?;
        let entry = Action::AssetSupervisionAdd
            .on("asset_supervision", id)
            .after(Some(json!({
                "cadre": c.id, "year": s.year, "kind": s.kind.code(),
                "trigger": s.trigger.code(), "started_on": s.started_on,
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Concludes a supervision: the change found, what it found and what follows.
    pub async fn conclude_asset_supervision(
        &self,
        actor: &Actor,
        id: i64,
        input: Conclusion,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let old = store::supervision_by_id(&mut tx, id)
            .await?
            .ok_or_else(hidden)?;
        self.cadre_in_scope(&mut tx, actor, old.cadre).await?;
        let mut e = Errors::default();
        let findings = e.take(field(required_text("findings", &input.findings, TEXT_MAX)));
        let follow_up = e
            .take(field(optional_text(
                "follow_up",
                input.follow_up.as_deref(),
                TEXT_MAX,
            )))
            .flatten();
        e.take(check_past(
            "concluded_on",
            input.concluded_on,
            self.clock.today(),
        ));
        if input.concluded_on < old.started_on {
            e.push("concluded_on", "date_before_start");
        }
        if input
            .change_vnd
            .is_some_and(|v| !(0..=CHANGE_MAX).contains(&v))
        {
            e.push("change_vnd", "too_large");
        }
        e.finish()?;
        if old.concluded_on.is_some() {
            return Err(DomainError::rule("supervision_concluded").into());
        }
        let new = Supervision {
            change_vnd: input.change_vnd,
            findings,
            follow_up,
            concluded_on: Some(input.concluded_on),
            ..old.clone()
        };
        store::conclude_supervision(&mut tx, &new).await?;
        let entry = Action::AssetSupervisionConclude
            .on("asset_supervision", id)
            .before(Some(json!({"concluded_on": null})))
            .after(Some(json!({
                "change_vnd": new.change_vnd, "findings": new.findings,
                "follow_up": new.follow_up, "concluded_on": new.concluded_on,
            })));
        self.commit_audited(tx, actor, entry, ()).await
    }
}
