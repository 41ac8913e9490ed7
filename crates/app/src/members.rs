//! Use cases on the member register (R5–R15).

use crate::committed;
use chrono::NaiveDate;
use dangvu_domain::decision::Decision;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{EventId, MemberId, OrgId};
use dangvu_domain::member::{
    CardGeneration, CardNumber, DisciplineForm, Event, EventKind, MemberRecord, MemberState,
    check_admission, official_date, replay,
};
use dangvu_domain::text::clean;
use dangvu_store::Conn;
use dangvu_store::members::{self as mstore, Correction, EventRow};
use dangvu_store::orgs as ostore;
use serde_json::json;

pub mod cards;
mod education;
mod event_fix;
mod identifiers;
pub use event_fix::EventFix;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// Input of "add a member to the register".
#[derive(Debug, Clone)]
pub struct NewMember {
    pub record: MemberRecord,
    /// The cell the member belongs to.
    pub cell: OrgId,
    /// Date of the admission decision (R7).
    pub admitted_on: NaiveDate,
    /// Date the member joined this cell, when later than the admission (records kept
    /// elsewhere before); `None` means at admission.
    pub joined_on: Option<NaiveDate>,
    /// Already official: recorded 12 months after admission (R8).
    pub official: bool,
    pub decision_ref: Option<String>,
    /// Card number, for an official member.
    pub card: Option<(String, CardGeneration, NaiveDate)>,
}

impl NewMember {
    /// A member admitted into a cell on a date, official since (R8), without a card or a
    /// recorded decision.
    pub fn admitted(record: MemberRecord, cell: OrgId, admitted_on: NaiveDate) -> NewMember {
        NewMember {
            record,
            cell,
            admitted_on,
            joined_on: None,
            official: true,
            decision_ref: None,
            card: None,
        }
    }
}

/// Input of "record an event in a member's timeline".
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub kind: Option<EventKind>,
    /// Effective date; for `MadeOfficial` it may be left empty and is then 12 months after
    /// admission (R8).
    pub on: Option<NaiveDate>,
    pub org: Option<OrgId>,
    pub discipline: Option<DisciplineForm>,
    pub decision_ref: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// Nơi chuyển đến: the receiving organisation outside this system, by name, for events
    /// that name a destination (one inside the system goes in `org`).
    pub destination: Option<String>,
    /// The letter and the facts of a transfer out or a temporary stay (R10); a transfer
    /// recorded without them is kept and shown as incomplete.
    pub transfer: Option<crate::transfers::TransferDetails>,
    /// Hồ sơ cũ: the member's file lacks the decision of an event that needs one (a member
    /// transferred in with an old, incomplete file); the event is kept and shown as incomplete.
    pub old_file: bool,
    /// Number the event's decision in this committee's register (sổ quyết định) now: the
    /// decision gets the committee's next number of the year it is signed in (`decided_on`,
    /// or the event's date), and the event carries it.
    pub register: Option<OrgId>,
}

/// The longest name of an organisation outside the system that a transfer names.
const DESTINATION_MAX: usize = 200;

impl NewEvent {
    pub fn simple(kind: EventKind, on: NaiveDate) -> NewEvent {
        NewEvent {
            kind: Some(kind),
            on: Some(on),
            ..NewEvent::default()
        }
    }
    pub fn with_org(mut self, org: OrgId) -> NewEvent {
        self.org = Some(org);
        self
    }
    pub fn with_note(mut self, note: &str) -> NewEvent {
        self.note = Some(note.to_owned());
        self
    }
    pub fn with_discipline(mut self, d: DisciplineForm) -> NewEvent {
        self.discipline = Some(d);
        self
    }
    pub fn with_decision(mut self, r: &str) -> NewEvent {
        self.decision_ref = Some(r.to_owned());
        self
    }
    /// The whole decision: reference, date and deciding body.
    pub fn decided(mut self, d: &Decision) -> NewEvent {
        self.decision_ref = d.reference.clone();
        self.decided_on = d.date;
        self.decided_by = d.body.clone();
        self
    }
    /// From an old, incomplete file: a decision the rules name may be missing.
    pub fn from_old_file(mut self) -> NewEvent {
        self.old_file = true;
        self
    }

    /// R15: an event that takes effect by a decision carries it whole (reference, date and
    /// body), unless it comes from an old, incomplete file.
    fn check_decision(&self) -> AppResult<()> {
        if self.old_file || !self.kind.is_some_and(EventKind::needs_decision) {
            return Ok(());
        }
        let missing: Vec<FieldError> = [
            ("decision_ref", opt_clean(&self.decision_ref).is_none()),
            ("decided_on", self.decided_on.is_none()),
            ("decided_by", opt_clean(&self.decided_by).is_none()),
        ]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(f, _)| FieldError::new(f, "required"))
        .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(missing).into())
        }
    }
}

fn opt_clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean).filter(|s| !s.is_empty())
}

/// The state of a member on a date, from her timeline.
pub(crate) async fn state_in(
    conn: &mut Conn,
    member: MemberId,
    on: NaiveDate,
) -> AppResult<MemberState> {
    let rec = mstore::get_member(conn, member)
        .await
        .map_err(|_| AppError::NotFound("member"))?;
    let events: Vec<Event> = mstore::events_of(conn, member)
        .await?
        .into_iter()
        .map(|e| e.event)
        .collect();
    Ok(dangvu_domain::member::state_on(
        rec.birth_date,
        &events,
        on,
    )?)
}

/// Rebuilds the member's dated cell placements from her timeline.
pub(crate) async fn project_memberships(
    conn: &mut Conn,
    member: MemberId,
    birth: NaiveDate,
    events: &[Event],
) -> AppResult<()> {
    let spans = dangvu_domain::member::spans(birth, events)?;
    mstore::replace_memberships(conn, member, &spans).await?;
    Ok(())
}

/// The checks of a new member that need nothing but the form and the date: the admission age
/// and dates (R7, R8), the card and its number. Returns the parsed card number.
pub(crate) fn check_new_member(
    input: &NewMember,
    today: NaiveDate,
) -> AppResult<Option<CardNumber>> {
    check_admission(input.record.birth_date, input.admitted_on)?;
    if input.admitted_on > today {
        return Err(DomainError::rule_on("date_in_future", "admitted_on").into());
    }
    let joined = input.joined_on.unwrap_or(input.admitted_on);
    if joined < input.admitted_on {
        return Err(DomainError::rule_on("joined_before_admission", "joined_on").into());
    }
    if joined > today {
        return Err(DomainError::rule_on("date_in_future", "joined_on").into());
    }
    if input.official && official_date(input.admitted_on) > today {
        return Err(DomainError::rule_on("official_too_early", "official").into());
    }
    match &input.card {
        Some(_) if !input.official => {
            Err(DomainError::rule_on("card_needs_official", "card_number").into())
        }
        Some((_, _, issued_on)) if *issued_on > today => {
            Err(DomainError::rule_on("date_in_future", "issued_on").into())
        }
        Some((_, _, issued_on)) if *issued_on < official_date(input.admitted_on) => {
            Err(DomainError::rule_on("card_needs_official", "card_number").into())
        }
        Some((n, g, _)) => Ok(Some(CardNumber::parse(n, *g)?)),
        None => Ok(None),
    }
}

/// The events a new member's admission records, in date order: the admission, official
/// membership when it is taken (R8), and the arrival in her cell when she came later.
pub(crate) fn admission_events(input: &NewMember) -> Vec<NewEvent> {
    let joined = input.joined_on.unwrap_or(input.admitted_on);
    let official_on = official_date(input.admitted_on);
    let mut admitted = NewEvent::simple(EventKind::Admitted, input.admitted_on);
    admitted.decision_ref = input.decision_ref.clone();
    if joined == input.admitted_on {
        admitted.org = Some(input.cell);
    }
    let official = input
        .official
        .then(|| NewEvent::simple(EventKind::MadeOfficial, official_on));
    let arrived = (joined > input.admitted_on)
        .then(|| NewEvent::simple(EventKind::TransferredIn, joined).with_org(input.cell));
    // In date order: made official before or after she arrived in this cell.
    let mut events = vec![admitted];
    if official_on <= joined {
        events.extend(official.into_iter().chain(arrived));
    } else {
        events.extend(arrived.into_iter().chain(official));
    }
    events
}

/// Checks that `cell` is a cell alive on `on`.
async fn check_cell(
    conn: &mut Conn,
    cell: OrgId,
    on: NaiveDate,
    field: &'static str,
) -> AppResult<()> {
    let p = ostore::period_on(conn, cell, on)
        .await?
        .ok_or(DomainError::rule_on("cell_not_active", field))?;
    if !p.kind.is_cell() {
        return Err(DomainError::rule_on("not_a_cell", field).into());
    }
    Ok(())
}

/// Records an event inside the caller's transaction: validates the whole timeline with the
/// event in place, stores it, re-projects the cell placements and audits.
pub(crate) async fn record_event_in(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    member: MemberId,
    input: NewEvent,
) -> AppResult<EventId> {
    let kind = input.kind.ok_or(FieldError::new("kind", "required"))?;
    let rec = mstore::get_member(conn, member)
        .await
        .map_err(|_| AppError::NotFound("member"))?;
    let existing = mstore::events_of(conn, member).await?;
    let on = match (input.on, kind) {
        (Some(d), _) => d,
        (None, EventKind::MadeOfficial) => {
            let states = replay(
                rec.birth_date,
                &existing.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
            )
            .map_err(|(_, e)| e)?;
            let admitted = states
                .last()
                .and_then(|s| s.admitted_on)
                .ok_or(DomainError::rule("not_a_member"))?;
            official_date(admitted)
        }
        (None, _) => return Err(FieldError::new("on", "required").into()),
    };
    if on > app.clock.today() {
        return Err(DomainError::rule_on("date_in_future", "on").into());
    }
    if kind.needs_cell() && input.org.is_none() {
        return Err(FieldError::new("org", "required").into());
    }
    if kind == EventKind::Disciplined && input.discipline.is_none() {
        return Err(FieldError::new("discipline", "required").into());
    }
    let org = if kind.places_in_cell() || kind.names_destination() {
        input.org
    } else {
        None
    };
    match (org, kind) {
        (Some(c), EventKind::TransferredOut) => {
            // The receiving organisation: any organisation of the system alive that day.
            ostore::period_on(conn, c, on)
                .await?
                .ok_or(DomainError::rule_on("org_not_active", "org"))?;
        }
        (Some(c), _) => check_cell(conn, c, on, "org").await?,
        (None, _) => {}
    }
    let destination = if kind.names_destination() {
        opt_clean(&input.destination)
    } else {
        None
    };
    if destination
        .as_ref()
        .is_some_and(|d| d.chars().count() > DESTINATION_MAX)
    {
        return Err(FieldError::new("destination", "too_long").into());
    }
    let event = Event {
        kind,
        on,
        org,
        discipline: if kind == EventKind::Disciplined {
            input.discipline
        } else {
            None
        },
    };
    let mut all: Vec<Event> = existing.iter().map(|e| e.event.clone()).collect();
    let pos = all.iter().take_while(|e| e.on <= on).count();
    all.insert(pos, event.clone());
    if let Err((i, e)) = replay(rec.birth_date, &all) {
        // An error at a later event means the new one contradicts the timeline after it.
        return Err(if i > pos {
            DomainError::rule_on("contradicts_later_events", "on")
        } else {
            e
        }
        .into());
    }
    let row = EventRow {
        id: EventId(0),
        member,
        event,
        decision_ref: opt_clean(&input.decision_ref),
        decided_by: opt_clean(&input.decided_by),
        decided_on: input.decided_on,
        note: opt_clean(&input.note),
        destination,
        recorded_at: app.now_text(),
        recorded_by: actor.name.clone(),
    };
    // The cell she is in before the event: the one a transfer leaves.
    let before: Vec<Event> = existing.iter().map(|e| e.event.clone()).collect();
    let from_cell = dangvu_domain::member::state_on(rec.birth_date, &before, on)?.cell;
    let id = mstore::insert_event(conn, &row).await?;
    project_memberships(conn, member, rec.birth_date, &all).await?;
    crate::transfers::follow_event(
        app,
        conn,
        actor,
        crate::transfers::Moved {
            member,
            event: id,
            row: &row,
            from_cell,
            details: input.transfer.as_ref(),
        },
    )
    .await?;
    // R4, R12: cách chức removes her from the committee positions she holds that day.
    if row.event.discipline == Some(DisciplineForm::CachChuc) {
        for h in ostore::positions_of(conn, member).await? {
            if h.valid_from <= on && h.valid_to.is_none() {
                ostore::end_position(conn, h.id, on).await?;
            }
        }
    }
    app.audit(conn, actor, Action::MemberEvent.on("member", member.0).after(Some(json!({"event": id.0, "kind": kind.code(), "on": on.to_string(), "org": org.map(|o| o.0), "destination": row.destination, "discipline": row.event.discipline.map(|d| d.code())}))).reason(row.note.as_deref()).decision(row.decision_ref.as_deref()))
    .await?;
    Ok(id)
}

impl App {
    /// Adds a member to the register: the record, the admission (and official membership, and
    /// arrival in the cell) as events, and the card (R5–R8).
    pub async fn create_member(&self, actor: &Actor, input: NewMember) -> AppResult<MemberId> {
        self.require_org_write(actor, input.cell)?;
        // Everything the form alone decides, before anything is looked up in the register.
        let card = check_new_member(&input, self.clock.today())?;
        let mut tx = self.store.begin().await?;
        let held = self
            .identifiers_free(
                &mut tx,
                actor,
                None,
                Some(&input.record),
                card.as_ref().map(CardNumber::as_str),
            )
            .await;
        let held = match held {
            Ok(h) => h,
            Err(e) => {
                tx.rollback().await?;
                return Err(e);
            }
        };
        if let Some(h) = held {
            tx.rollback().await?;
            return Err(self.refuse_hidden_holder(actor, h).await);
        }
        let id = self.create_member_in(&mut tx, actor, input).await?;
        committed(tx, id).await
    }

    pub(crate) async fn create_member_in(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        input: NewMember,
    ) -> AppResult<MemberId> {
        self.require_org_write(actor, input.cell)?;
        let today = self.clock.today();
        let card = check_new_member(&input, today)?
            .zip(input.card.as_ref())
            .map(|(n, (_, g, d))| (n, *g, *d));
        let joined = input.joined_on.unwrap_or(input.admitted_on);
        check_cell(conn, input.cell, joined, "cell").await?;
        let id = mstore::insert_member(conn, &input.record, &self.now_text()).await?;
        self.audit(
            conn,
            actor,
            Action::MemberCreate
                .on("member", id.0)
                .after(Some(
                    serde_json::to_value(&input.record).unwrap_or_default(),
                ))
                .decision(input.decision_ref.as_deref()),
        )
        .await?;
        for e in admission_events(&input) {
            record_event_in(self, conn, actor, id, e).await?;
        }
        if let Some((number, generation, issued_on)) = card {
            self.add_card_in(conn, actor, id, number, generation, issued_on)
                .await?;
        }
        Ok(id)
    }

    /// Records an event in a member's timeline (R6, R8, R10, R12); one that takes effect by a
    /// decision carries it whole unless it comes from an old file (R15).
    pub async fn record_event(
        &self,
        actor: &Actor,
        member: MemberId,
        input: NewEvent,
    ) -> AppResult<EventId> {
        let mut tx = self.store.begin().await?;
        // Scope first, before anything that reads the member's dates or state: the member as
        // the receiving side of an arrival or as one of the actor's own, then every
        // organisation the event names except a destination, which is the other side.
        if input.kind == Some(EventKind::TransferredIn) {
            self.require_arrival(&mut tx, actor, member, input.org)
                .await?;
        } else {
            self.require_member_write(&mut tx, actor, member).await?;
            self.require_event_orgs(actor, &input)?;
        }
        let mut input = input;
        if let Some(issuer) = input.register
            && opt_clean(&input.decision_ref).is_none()
        {
            let decision = crate::decisions::of_event(&mut tx, member, issuer, &input).await?;
            let issued = self.issue_decision_in(&mut tx, actor, decision).await?;
            input = input.decided(&issued.decision);
        }
        input.check_decision()?;
        let id = record_event_in(self, &mut tx, actor, member, input).await?;
        committed(tx, id).await
    }

    /// The organisations an event names that the actor must hold: all of them except the
    /// destination of a transfer, which is the other side.
    fn require_event_orgs(&self, actor: &Actor, input: &NewEvent) -> AppResult<()> {
        if let Some(o) = input.org
            && !input.kind.is_some_and(EventKind::names_destination)
        {
            self.require_org(actor, o)?;
        }
        Ok(())
    }

    /// Corrects one field of a member's record, keeping the old value and the reason (R15).
    pub async fn correct_field(
        &self,
        actor: &Actor,
        member: MemberId,
        field: &str,
        value: &str,
        reason: &str,
        decision: &Decision,
    ) -> AppResult<()> {
        let reason = clean(reason);
        if reason.is_empty() {
            return Err(FieldError::new("reason", "required").into());
        }
        decision.check(self.clock.today(), false)?;
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let rec = mstore::get_member(&mut tx, member)
            .await
            .map_err(|_| AppError::NotFound("member"))?;
        let next = rec.with_field(field, value)?;
        let old = rec.field(field).unwrap_or_default();
        let new = next.field(field).unwrap_or_default();
        if old == new {
            return Err(DomainError::rule_on("unchanged", "value").into());
        }
        if matches!(field, "cccd" | "history_number")
            && let Some(h) = self
                .identifiers_free(&mut tx, actor, Some(member), Some(&next), None)
                .await?
        {
            tx.rollback().await?;
            return Err(self.refuse_hidden_holder(actor, h).await);
        }
        if field == "birth_date" {
            let events: Vec<Event> = mstore::events_of(&mut tx, member)
                .await?
                .into_iter()
                .map(|e| e.event)
                .collect();
            replay(next.birth_date, &events).map_err(|(_, e)| match e.code() {
                "admission_under_18" | "event_before_birth" => {
                    DomainError::rule_on("birth_date_contradicts_events", "value")
                }
                _ => e,
            })?;
        }
        mstore::update_member(&mut tx, member, &next).await?;
        let correction = Correction {
            field: field.to_owned(),
            old_value: Some(old.clone()),
            new_value: Some(new.clone()),
            reason: reason.clone(),
            ..Correction::blank(mstore::OfMember { member })
        }
        .decided(decision);
        self.write_correction(&mut tx, actor, correction).await?;
        self.commit_audited(
            tx,
            actor,
            Action::MemberCorrect
                .on("member", member.0)
                .before(Some(json!({field: old})))
                .after(Some(json!({field: new})))
                .reason(Some(&reason))
                .decision(decision.reference.as_deref()),
            (),
        )
        .await
    }
}
