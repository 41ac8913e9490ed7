//! Chuyển sinh hoạt đảng (R10): the sending side issues a letter and the member leaves her
//! cell; the receiving side accepts her into a cell or returns the letter; a temporary stay
//! attaches her to a host cell until she returns. Every transfer event of the timeline keeps its
//! transfer record here, so the "đang chuyển" lists of both sides read one place.

use chrono::{Datelike, Months, NaiveDate};
use dangvu_domain::calendar::DueState;
use dangvu_domain::decision::Decision;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{EventId, MemberId, OrgId};
use dangvu_domain::member::{Event, EventKind, replay};
use dangvu_domain::transfer::{
    TransferClock, TransferDates, TransferKind, TransferReason, TransferStatus, check_temporary,
};
use dangvu_store::Conn;
use dangvu_store::members::{self as mstore, EventRow};
use dangvu_store::orgs as ostore;
use dangvu_store::transfers::{self as tstore, Transfer};
use serde_json::json;

use crate::audit_log::Action;
use crate::members::NewEvent;
use crate::{Actor, App, AppError, AppResult, Closing, committed};

mod letter;
pub use letter::Letter;

/// The longest reason or letter number a user types.
const TEXT_MAX: usize = 200;
/// The most transfers one list shows.
const MAX_LINES: i64 = 5_000;

/// The letter's facts of a transfer out or a temporary stay (R10).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransferDetails {
    pub reason: Option<TransferReason>,
    /// The letter's number as the committee wrote it; none takes the next order of the issuing
    /// committee's register of the year.
    pub letter_number: Option<String>,
    /// Đã đóng đảng phí hết tháng: the first day of that month.
    pub dues_paid_to: Option<NaiveDate>,
    /// The day of the decision that caused the transfer (a new job, retirement, a move …).
    pub trigger_on: Option<NaiveDate>,
    /// The planned end of a temporary stay.
    pub planned_return: Option<NaiveDate>,
}

/// Input of "issue a transfer letter": the whole letter, every fact required except the
/// decision that caused it, which a member moving home does not have.
#[derive(Debug, Clone)]
pub struct SendTransfer {
    pub kind: TransferKind,
    /// The letter's date: the day she leaves her cell.
    pub on: NaiveDate,
    /// The receiving organisation (host cell) in this system, or …
    pub to_org: Option<OrgId>,
    /// … its name outside it.
    pub to_name: Option<String>,
    pub details: TransferDetails,
    pub note: Option<String>,
}

/// What a transfer event brings to [`follow_event`].
pub(crate) struct Moved<'a> {
    pub member: MemberId,
    pub event: EventId,
    pub row: &'a EventRow,
    /// Her cell before the event.
    pub from_cell: Option<OrgId>,
    pub details: Option<&'a TransferDetails>,
}

/// Checks the letter's facts against the day it is issued (R10).
fn check_details(kind: TransferKind, on: NaiveDate, d: &TransferDetails) -> AppResult<()> {
    let mut errors = Vec::new();
    if d.trigger_on.is_some_and(|t| t > on) {
        errors.push(FieldError::new("trigger_on", "after_letter"));
    }
    let month_after = on.checked_add_months(Months::new(12));
    if d.dues_paid_to
        .is_some_and(|m| month_after.is_none_or(|a| m > a))
    {
        errors.push(FieldError::new("dues_paid_to", "too_far"));
    }
    if kind == TransferKind::Temporary
        && let Some(r) = d.planned_return
        && let Err(e) = check_temporary(d.reason.unwrap_or(TransferReason::Other), on, r)
    {
        errors.extend(e.fields());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(errors).into())
    }
}

/// Keeps the transfer register in step with a member's timeline, inside the event's
/// transaction: a transfer out or a temporary stay opens a transfer; an arrival accepts the
/// pending one; a return, or any move out of her cell, ends a temporary stay.
pub(crate) async fn follow_event(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    m: Moved<'_>,
) -> AppResult<()> {
    let e = &m.row.event;
    match e.kind {
        EventKind::TransferredOut | EventKind::TemporaryOut => {
            let kind = if e.kind == EventKind::TransferredOut {
                TransferKind::Official
            } else {
                TransferKind::Temporary
            };
            let details = m.details.cloned().unwrap_or_default();
            check_details(kind, e.on, &details)?;
            if kind == TransferKind::Official {
                close_open(conn, m.member, TransferKind::Temporary, e.on, m.event).await?;
            }
            let issuer = match m.from_cell {
                Some(c) => crate::review::ancestry(conn, c, e.on).await?.1.or(Some(c)),
                None => None,
            };
            let year = e.on.year();
            let letter_number =
                crate::optional_text("letter_number", details.letter_number.as_deref(), TEXT_MAX)?;
            let seq = match (issuer, &letter_number) {
                (Some(i), None) if m.details.is_some() => {
                    Some(tstore::next_seq(conn, i, year).await?)
                }
                _ => None,
            };
            let status = match (kind, e.org) {
                (TransferKind::Temporary, _) => TransferStatus::Away,
                (TransferKind::Official, Some(_)) => TransferStatus::Pending,
                (TransferKind::Official, None) => TransferStatus::Outside,
            };
            tstore::insert(
                conn,
                &Transfer {
                    id: 0,
                    member: m.member,
                    kind,
                    reason: details.reason,
                    from_org: m.from_cell,
                    to_org: e.org,
                    to_name: m.row.destination.clone(),
                    issuer,
                    year,
                    seq,
                    letter_number: letter_number.or(seq.map(|s| s.to_string())),
                    sent_on: e.on,
                    trigger_on: details.trigger_on,
                    dues_paid_to: details.dues_paid_to,
                    planned_return: details.planned_return,
                    status,
                    out_event: m.event,
                    in_event: None,
                    closed_on: None,
                    closed_cell: None,
                    close_reason: None,
                    recorded_at: app.now_text(),
                    recorded_by: actor.name.clone(),
                },
            )
            .await?;
        }
        EventKind::TransferredIn => {
            if let Some(t) = tstore::open_of(conn, m.member, TransferKind::Official).await? {
                tstore::close(
                    conn,
                    t.id,
                    TransferStatus::Accepted,
                    e.on,
                    Some(m.event),
                    e.org,
                    None,
                )
                .await?;
            }
        }
        k if k == EventKind::TemporaryReturn || k.leaves_cell() || k.places_in_cell() => {
            close_open(conn, m.member, TransferKind::Temporary, e.on, m.event).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn close_open(
    conn: &mut Conn,
    member: MemberId,
    kind: TransferKind,
    on: NaiveDate,
    event: EventId,
) -> AppResult<()> {
    if let Some(t) = tstore::open_of(conn, member, kind).await? {
        tstore::close(
            conn,
            t.id,
            TransferStatus::Ended,
            on,
            Some(event),
            None,
            None,
        )
        .await?;
    }
    Ok(())
}

/// Keeps the transfer register in step with a cancelled event: the transfer it opened is
/// cancelled, the one it closed is open again.
pub(crate) async fn follow_void(
    conn: &mut Conn,
    event: EventId,
    on: NaiveDate,
    reason: &str,
) -> AppResult<()> {
    tstore::reopen_closed_by(conn, event).await?;
    if let Some(t) = tstore::opened_by(conn, event).await? {
        tstore::close(
            conn,
            t.id,
            TransferStatus::Cancelled,
            on,
            None,
            None,
            Some(reason),
        )
        .await?;
    }
    Ok(())
}

/// Which side of a transfer an organisation's subtree is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// She leaves (or is away from) one of its cells.
    Sending,
    /// She is expected in (or attached to, or accepted by) one of its organisations.
    Receiving,
    /// Both: a move inside the subtree.
    Within,
}

/// A transfer as a list shows it.
#[derive(Debug, Clone)]
pub struct TransferLine {
    pub transfer: Transfer,
    pub member_name: String,
    pub from_name: String,
    /// The receiving organisation or host cell, by its name in this system or as typed.
    pub to_name: String,
    pub accepted_in: Option<String>,
    pub side: Side,
    pub clock: TransferClock,
    /// Recorded as a bare event: no reason, no letter, no dues month, or a temporary stay
    /// without its planned return.
    pub incomplete: bool,
}

/// The transfers of a subtree on a day (R10).
#[derive(Debug, Clone)]
pub struct TransferList {
    pub org: OrgId,
    pub on: NaiveDate,
    /// Open first (overdue, then the others), then those closed this year, latest first.
    pub lines: Vec<TransferLine>,
}

impl TransferList {
    pub fn count(&self, f: impl Fn(&TransferLine) -> bool) -> usize {
        self.lines.iter().filter(|l| f(l)).count()
    }
    pub fn pending(&self, side: Side) -> usize {
        self.count(|l| l.transfer.status == TransferStatus::Pending && l.side == side)
    }
    pub fn overdue(&self) -> usize {
        self.count(|l| l.clock.state == Some(DueState::Overdue))
    }
}

async fn name_on(conn: &mut Conn, org: Option<OrgId>, on: NaiveDate) -> AppResult<String> {
    let Some(o) = org else {
        return Ok(String::new());
    };
    Ok(match ostore::period_on(conn, o, on).await? {
        Some(p) => p.name,
        None => ostore::history(conn, o)
            .await?
            .last()
            .map(|p| p.name.clone())
            .unwrap_or_default(),
    })
}

impl App {
    /// Issues a transfer letter (R10) and answers the transfer's id: the member leaves her cell on the letter's date, for an
    /// organisation of this system (which then sees her as "đang chuyển" until it accepts or
    /// returns her), for a committee outside it, or for a temporary stay in a host cell.
    pub async fn send_transfer(
        &self,
        actor: &Actor,
        member: MemberId,
        input: SendTransfer,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let mut input = input;
        if input.details.dues_paid_to.is_none() {
            // "Đã đóng đảng phí hết tháng" as the ledger shows it.
            input.details.dues_paid_to = self.dues_paid_to(&mut tx, member).await?;
        }
        let mut errors = Vec::new();
        let d = &input.details;
        if d.reason.is_none() {
            errors.push(FieldError::new("reason", "required"));
        }
        if d.dues_paid_to.is_none() {
            errors.push(FieldError::new("dues_paid_to", "required"));
        }
        let to_name = crate::optional_text("destination", input.to_name.as_deref(), TEXT_MAX)?;
        if input.to_org.is_none() && to_name.is_none() {
            errors.push(FieldError::new("destination", "required"));
        }
        if input.kind == TransferKind::Temporary && d.planned_return.is_none() {
            errors.push(FieldError::new("planned_return", "required"));
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let kind = match input.kind {
            TransferKind::Official => EventKind::TransferredOut,
            TransferKind::Temporary => EventKind::TemporaryOut,
        };
        let event = NewEvent {
            org: input.to_org,
            destination: to_name,
            note: input.note,
            transfer: Some(input.details),
            ..NewEvent::simple(kind, input.on)
        };
        let eid = crate::members::record_event_in(self, &mut tx, actor, member, event).await?;
        let t = tstore::opened_by(&mut tx, eid)
            .await?
            .ok_or(AppError::NotFound("transfer"))?;
        committed(tx, t.id).await
    }

    /// Loads a transfer the actor may see: one that leaves, reaches or was accepted in her
    /// scope. Anything else is the answer of a transfer that does not exist.
    async fn transfer_in_scope(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Transfer> {
        let t = tstore::get(conn, id)
            .await?
            .ok_or(AppError::NotFound("transfer"))?;
        let a = &actor.access;
        let seen = a.all
            || [t.from_org, t.to_org, t.closed_cell]
                .into_iter()
                .flatten()
                .any(|o| a.orgs.contains(&o));
        if seen {
            Ok(t)
        } else {
            Err(AppError::NotFound("transfer"))
        }
    }

    /// Loads a pending transfer addressed to the actor's scope: only the receiving side
    /// accepts or returns it.
    async fn addressed(&self, conn: &mut Conn, actor: &Actor, id: i64) -> AppResult<Transfer> {
        let t = self.transfer_in_scope(conn, actor, id).await?;
        let a = &actor.access;
        if !(a.all || t.to_org.is_some_and(|o| a.orgs.contains(&o))) {
            return Err(AppError::NotFound("transfer"));
        }
        if t.status != TransferStatus::Pending {
            return Err(DomainError::rule_on("transfer_closed", "transfer").into());
        }
        Ok(t)
    }

    /// The receiving side accepts a pending transfer: the member arrives in `cell` on `on`.
    pub async fn accept_transfer(
        &self,
        actor: &Actor,
        id: i64,
        cell: Option<OrgId>,
        on: NaiveDate,
    ) -> AppResult<EventId> {
        let mut tx = self.store.begin().await?;
        let t = self.addressed(&mut tx, actor, id).await?;
        let cell = cell
            .or(t.to_org)
            .ok_or(FieldError::new("org", "required"))?;
        self.require_arrival(&mut tx, actor, t.member, Some(cell))
            .await?;
        let event = NewEvent::simple(EventKind::TransferredIn, on).with_org(cell);
        let eid = crate::members::record_event_in(self, &mut tx, actor, t.member, event).await?;
        committed(tx, eid).await
    }

    /// The receiving side returns a pending transfer's letter, with its reason: the transfer
    /// out is cancelled (kept, voided, with the reason) and the member is back in her cell as
    /// if she had not left.
    pub async fn return_transfer(
        &self,
        actor: &Actor,
        id: i64,
        closing: &Closing,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.addressed(&mut tx, actor, id).await?;
        let reason = closing.checked(t.sent_on, self.clock.today())?;
        let on = closing.on;
        let rec = mstore::get_member(&mut tx, t.member)
            .await
            .map_err(|_| AppError::NotFound("transfer"))?;
        mstore::void_event(&mut tx, t.out_event).await?;
        let rest: Vec<Event> = mstore::events_of(&mut tx, t.member)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        replay(rec.birth_date, &rest)
            .map_err(|_| DomainError::rule_on("cancel_breaks_timeline", "transfer"))?;
        crate::members::project_memberships(&mut tx, t.member, rec.birth_date, &rest).await?;
        let receiver = name_on(&mut tx, t.to_org, on).await?;
        mstore::insert_event_correction(
            &mut tx,
            &mstore::EventCorrection {
                id: 0,
                member: t.member,
                event: t.out_event,
                replacement: None,
                reason: format!("Trả lại giấy giới thiệu sinh hoạt đảng: {reason}"),
                // The receiving committee's return is the decision that voids the transfer.
                decision: Decision {
                    reference: Some(format!(
                        "Trả lại giấy giới thiệu số {}",
                        t.letter_number.as_deref().unwrap_or("—")
                    )),
                    date: Some(on),
                    body: Some(receiver),
                },
                recorded_at: self.now_text(),
                recorded_by: actor.name.clone(),
            },
        )
        .await?;
        tstore::close(
            &mut tx,
            t.id,
            TransferStatus::Returned,
            on,
            None,
            None,
            Some(&reason),
        )
        .await?;
        let entry = Action::TransferReturn
            .on("member", t.member.0)
            .before(Some(json!({"transfer": t.id, "status": t.status.code()})))
            .after(Some(
                json!({"transfer": t.id, "status": "returned", "on": on}),
            ))
            .reason(Some(&reason));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// The member's home side records her return from a temporary stay.
    pub async fn end_temporary(&self, actor: &Actor, id: i64, on: NaiveDate) -> AppResult<EventId> {
        let mut tx = self.store.begin().await?;
        let t = self.transfer_in_scope(&mut tx, actor, id).await?;
        self.require_member_write(&mut tx, actor, t.member)
            .await
            .map_err(|_| AppError::NotFound("transfer"))?;
        if t.status != TransferStatus::Away {
            return Err(DomainError::rule_on("transfer_closed", "transfer").into());
        }
        let event = NewEvent::simple(EventKind::TemporaryReturn, on);
        let eid = crate::members::record_event_in(self, &mut tx, actor, t.member, event).await?;
        committed(tx, eid).await
    }

    async fn line(
        &self,
        conn: &mut Conn,
        t: Transfer,
        side: Side,
        calendar: &dangvu_domain::calendar::WorkCalendar,
        on: NaiveDate,
    ) -> AppResult<TransferLine> {
        let member_name = mstore::get_member(conn, t.member).await?.full_name;
        let from_name = name_on(conn, t.from_org, t.sent_on).await?;
        let to_name = match t.to_org {
            Some(_) => name_on(conn, t.to_org, t.sent_on).await?,
            None => t.to_name.clone().unwrap_or_default(),
        };
        let accepted_in = match (t.status, t.closed_cell, t.closed_on) {
            (TransferStatus::Accepted, Some(c), Some(d)) => Some(name_on(conn, Some(c), d).await?),
            _ => None,
        };
        let clock = TransferDates {
            kind: t.kind,
            status: t.status,
            sent_on: t.sent_on,
            trigger_on: t.trigger_on,
            planned_return: t.planned_return,
        }
        .clock(calendar, on);
        let incomplete = t.reason.is_none()
            || t.letter_number.is_none()
            || t.dues_paid_to.is_none()
            || (t.kind == TransferKind::Temporary && t.planned_return.is_none());
        Ok(TransferLine {
            member_name,
            from_name,
            to_name,
            accepted_in,
            side,
            clock,
            incomplete,
            transfer: t,
        })
    }

    /// The transfers that leave or reach an organisation's subtree: the open ones (đang chuyển,
    /// sinh hoạt tạm thời), overdue first, then those sent or closed since the start of the
    /// year of `on`.
    pub async fn transfers(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<TransferList> {
        self.require_org(actor, org)?;
        let calendar = self.calendar().await?;
        let mut tx = self.store.read().await?;
        let orgs = ostore::subtree_ids(&mut tx, org, on).await?;
        let since = NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on);
        let rows = tstore::touching(&mut tx, &orgs, since, MAX_LINES).await?;
        let mut lines = Vec::new();
        for t in rows {
            let inside = |o: Option<OrgId>| o.is_some_and(|o| orgs.contains(&o));
            let side = match (
                inside(t.from_org),
                inside(t.to_org) || inside(t.closed_cell),
            ) {
                (true, true) => Side::Within,
                (true, false) => Side::Sending,
                _ => Side::Receiving,
            };
            lines.push(self.line(&mut tx, t, side, &calendar, on).await?);
        }
        let rank = |l: &TransferLine| match (l.transfer.status.is_open(), l.clock.state) {
            (true, Some(DueState::Overdue)) => 0,
            (true, _) => 1,
            (false, _) => 2,
        };
        lines.sort_by_key(rank);
        committed(tx, TransferList { org, on, lines }).await
    }

    /// One transfer, as either side sees it.
    pub async fn transfer(&self, actor: &Actor, id: i64) -> AppResult<TransferLine> {
        let calendar = self.calendar().await?;
        let mut tx = self.store.read().await?;
        let t = self.transfer_in_scope(&mut tx, actor, id).await?;
        let a = &actor.access;
        let from_side = a.all || t.from_org.is_some_and(|o| a.orgs.contains(&o));
        let side = if from_side {
            Side::Sending
        } else {
            Side::Receiving
        };
        let today = self.clock.today();
        let line = self.line(&mut tx, t, side, &calendar, today).await?;
        committed(tx, line).await
    }

    /// A member's transfers, for her page: those the actor may read of her file (a former
    /// cell sees those before she left it).
    pub async fn transfers_of_member(
        &self,
        actor: &Actor,
        member: MemberId,
    ) -> AppResult<Vec<TransferLine>> {
        let calendar = self.calendar().await?;
        let today = self.clock.today();
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let horizon = self.read_horizon(&mut tx, actor, member).await?;
        let mut out = Vec::new();
        for t in tstore::of_member(&mut tx, member).await? {
            if horizon.is_some_and(|h| t.sent_on >= h) {
                continue;
            }
            out.push(
                self.line(&mut tx, t, Side::Sending, &calendar, today)
                    .await?,
            );
        }
        committed(tx, out).await
    }
}

/// What is due and overdue in a subtree today, step by step (R7, R8, R10): the organisation
/// department's and the secretary's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DueWork {
    /// People whose next admission stage has a deadline: due, overdue.
    pub admission: (usize, usize),
    /// Probationary members whose consideration is due, overdue.
    pub probation: (usize, usize),
    /// Transfers sent and not yet accepted: leaving the subtree, reaching it, overdue.
    pub transfers_out: usize,
    pub transfers_in: usize,
    pub transfers_overdue: usize,
    /// Temporary stays away, and those past their planned return.
    pub temporary: usize,
    pub temporary_overrun: usize,
    /// Opinions of the Front and the people given to answer and not answered (R34): due;
    /// and those overdue, listed.
    pub opinions_due: usize,
    pub opinions_overdue: Vec<crate::opinions::OpinionLine>,
}

impl App {
    /// The due and overdue steps of an organisation's subtree today.
    pub async fn due_work(&self, actor: &Actor, org: OrgId) -> AppResult<DueWork> {
        self.require_org(actor, org)?;
        let today = self.clock.today();
        let people = self.candidates(actor, org).await?.people;
        let probations = self.probations(actor, org, today).await?;
        let transfers = self.transfers(actor, org, today).await?;
        let mut tx = self.store.read().await?;
        let (opinions_overdue, opinions_due): (Vec<_>, Vec<_>) = self
            .open_opinions_in(&mut tx, actor, org)
            .await?
            .into_iter()
            .partition(|l| l.due == Some(DueState::Overdue));
        tx.commit().await?;
        let admission_in = |s| {
            people
                .iter()
                .filter(|p| p.due.is_some_and(|(_, x)| x == s))
                .count()
        };
        let probation_in = |s| probations.iter().filter(|p| p.state == s).count();
        let away = |overrun: bool| {
            transfers.count(|l| {
                l.transfer.status == TransferStatus::Away
                    && (!overrun || l.clock.state == Some(DueState::Overdue))
            })
        };
        Ok(DueWork {
            admission: (admission_in(DueState::Due), admission_in(DueState::Overdue)),
            probation: (probation_in(DueState::Due), probation_in(DueState::Overdue)),
            transfers_out: transfers.pending(Side::Sending),
            transfers_in: transfers.pending(Side::Receiving) + transfers.pending(Side::Within),
            transfers_overdue: transfers.count(|l| {
                l.transfer.status == TransferStatus::Pending
                    && l.clock.state == Some(DueState::Overdue)
            }),
            temporary: away(false),
            temporary_overrun: away(true),
            opinions_due: opinions_due.len(),
            opinions_overdue,
        })
    }
}
