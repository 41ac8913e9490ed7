//! Đảng phí (R14): each member's dues basis over time, the cells' monthly ledger (one row per
//! member and month paid, whether paid at a meeting or not), "paid up to", the months owed that
//! R11 counts, and the reports of a cell and of a subtree.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use dangvu_domain::dues::{
    self as rules, DuesBasis, DuesCategory, LedgerInput, LedgerMonth, PAY_MONTHS_MAX, ledger,
    month_start, months,
};
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::Span;
use dangvu_store::Conn;
use dangvu_store::dues::{self as store, BasisRow, Payment, Person};
use dangvu_store::members as mstore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, committed};

mod reports;
pub use reports::{ArrearsLine, BookLine, CellDues, DuesBook, DuesTotals, GrassrootsDues};

/// The longest note or name a user types here.
const TEXT_MAX: usize = 200;
/// How far ahead a member may pay.
const AHEAD_MONTHS: u32 = 12;

/// Input of "declare a dues basis": from its first month, the category and what prices it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisInput {
    /// Any day of the first month.
    pub from: NaiveDate,
    pub basis: DuesBasis,
    /// Required for an exemption: the committee's decision and reason.
    pub note: Option<String>,
}

/// Input of "record a payment": the months from `from` to `to` (any days of them), paid on
/// `paid_on`, each month the amount due unless a (higher, voluntary) amount is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayDues {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub paid_on: NaiveDate,
    pub amount: Option<i64>,
    pub received_by: Option<String>,
}

/// A member's dues: her bases, each month of her ledger with the row that paid it, how far she
/// is paid up and what she owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDues {
    pub member: MemberId,
    pub name: String,
    pub bases: Vec<BasisRow>,
    pub months: Vec<(LedgerMonth, Option<Payment>)>,
    /// Payments cancelled as entered in error, kept.
    pub cancelled: Vec<Payment>,
    pub paid_to: Option<NaiveDate>,
    /// Months ended and owed, and their sum.
    pub owed_months: Vec<NaiveDate>,
    pub owed: i64,
}

/// The ledgers of a set of members, computed from one read of each table.
pub(crate) struct Ledgers {
    pub people: Vec<Person>,
    pub months: HashMap<MemberId, Vec<LedgerMonth>>,
    pub payments: HashMap<MemberId, Vec<Payment>>,
}

impl Ledgers {
    pub fn of(&self, m: MemberId) -> &[LedgerMonth] {
        self.months.get(&m).map(Vec::as_slice).unwrap_or_default()
    }
}

/// Reads and computes the ledgers of these members as of `today`.
pub(crate) async fn ledgers(
    conn: &mut Conn,
    members: &[MemberId],
    today: NaiveDate,
) -> AppResult<Ledgers> {
    let people = store::people(conn, members).await?;
    let mut bases: HashMap<MemberId, Vec<(NaiveDate, DuesBasis)>> = HashMap::new();
    for b in store::bases_of_many(conn, members).await? {
        bases.entry(b.member).or_default().push((b.from, b.basis));
    }
    let mut spans: HashMap<MemberId, Vec<Span>> = HashMap::new();
    for (m, s) in store::spans_of_many(conn, members).await? {
        spans.entry(m).or_default().push(s);
    }
    let far = NaiveDate::from_ymd_opt(2100, 12, 1).unwrap_or(NaiveDate::MAX);
    let mut payments: HashMap<MemberId, Vec<Payment>> = HashMap::new();
    for p in store::paid_by(conn, members, NaiveDate::MIN, far).await? {
        payments.entry(p.member).or_default().push(p);
    }
    let mut out = HashMap::with_capacity(people.len());
    for p in &people {
        let paid: Vec<(NaiveDate, i64)> = payments
            .get(&p.member)
            .map(|v| v.iter().map(|x| (x.month, x.amount)).collect())
            .unwrap_or_default();
        let months = ledger(LedgerInput {
            birth: p.birth,
            sex: p.sex,
            bases: bases.get(&p.member).map(Vec::as_slice).unwrap_or_default(),
            spans: spans.get(&p.member).map(Vec::as_slice).unwrap_or_default(),
            paid: &paid,
            today,
        });
        out.insert(p.member, months);
    }
    Ok(Ledgers {
        people,
        months: out,
        payments,
    })
}

/// R11 from the ledger: for each member, the months she owes that have ended by `today`, and
/// the months her ledger prices (where the ledger, not a meeting's tick, is the record).
pub(crate) async fn dues_record(
    conn: &mut Conn,
    members: &[MemberId],
    today: NaiveDate,
) -> AppResult<HashMap<MemberId, (Vec<NaiveDate>, Vec<NaiveDate>)>> {
    // Only a member with a basis has months the ledger prices.
    let mut priced: Vec<MemberId> = store::bases_of_many(conn, members)
        .await?
        .into_iter()
        .map(|b| b.member)
        .collect();
    priced.dedup();
    let l = ledgers(conn, &priced, today).await?;
    Ok(l.months
        .iter()
        .map(|(m, months)| {
            let priced = months
                .iter()
                .filter(|x| x.due.is_some())
                .map(|x| x.month)
                .collect();
            (*m, (rules::unpaid_ended(months, today), priced))
        })
        .collect())
}

/// Records, in the meeting's transaction, the dues ticked at a meeting in the ledger: for each
/// member who paid, the meeting's month when it is not yet paid and her basis prices it; the
/// meeting's "dues collected" is then the sum of its ledger rows, which it answers.
pub(crate) async fn collect_at_meeting(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    meeting: i64,
    cell: OrgId,
    held_on: NaiveDate,
    paid: &[MemberId],
) -> AppResult<i64> {
    let month = month_start(held_on);
    let l = ledgers(conn, paid, app.clock.today().max(held_on)).await?;
    for m in paid {
        let line = l.of(*m).iter().find(|x| x.month == month);
        let already = l
            .payments
            .get(m)
            .is_some_and(|v| v.iter().any(|p| p.month == month));
        if let Some(due) = line.and_then(|x| x.due).filter(|_| !already) {
            store::insert_payment(
                conn,
                &Payment {
                    id: 0,
                    member: *m,
                    month,
                    cell,
                    due: Some(due),
                    amount: due,
                    paid_on: held_on,
                    received_by: None,
                    receipt: None,
                    meeting: Some(meeting),
                    cancelled_on: None,
                    cancel_reason: None,
                    recorded_at: app.now_text(),
                    recorded_by: actor.name.clone(),
                },
            )
            .await?;
        }
    }
    meeting_total(conn, meeting).await
}

/// A meeting's tick taken back: the row the meeting recorded for the member is cancelled.
pub(crate) async fn uncollect_at_meeting(
    app: &App,
    conn: &mut Conn,
    meeting: i64,
    member: MemberId,
) -> AppResult<i64> {
    for p in store::of_meeting(conn, meeting).await? {
        if p.member == member {
            store::cancel_payment(conn, p.id, app.clock.today(), "Sửa biên bản họp chi bộ").await?;
        }
    }
    meeting_total(conn, meeting).await
}

/// The sum of a meeting's ledger rows, written on the meeting.
async fn meeting_total(conn: &mut Conn, meeting: i64) -> AppResult<i64> {
    let total: i64 = store::of_meeting(conn, meeting)
        .await?
        .iter()
        .map(|p| p.amount)
        .sum();
    dangvu_store::meetings::set_dues(conn, meeting, total).await?;
    Ok(total)
}

impl App {
    /// Declares a member's dues basis from a month (R14): a change from a later month is a new
    /// basis, one of the same month replaces the old, audited with both.
    pub async fn set_dues_basis(
        &self,
        actor: &Actor,
        member: MemberId,
        input: BasisInput,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let from = month_start(input.from);
        let rules = rules::rules_for(from).ok_or(AppError::Domain(DomainError::rule_on(
            "dues_no_rules",
            "from_month",
        )))?;
        let latest = self
            .clock
            .today()
            .checked_add_months(Months::new(AHEAD_MONTHS));
        if latest.is_some_and(|l| from > l) {
            return Err(FieldError::new("from_month", "date_out_of_range").into());
        }
        let mut errors = input.basis.check(rules).err().unwrap_or_default();
        let note = crate::optional_text("note", input.note.as_deref(), TEXT_MAX)?;
        if input.basis.category == DuesCategory::Exempt && note.is_none() {
            errors.push(FieldError::new("note", "required"));
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        // Only what prices the category is kept.
        let basis = DuesBasis {
            category: input.basis.category,
            income: input
                .basis
                .income
                .filter(|_| input.basis.category.on_income()),
            flat: input
                .basis
                .flat
                .filter(|_| input.basis.category == DuesCategory::Other),
        };
        let row = BasisRow {
            id: 0,
            member,
            from,
            basis,
            note,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let old = store::put_basis(&mut tx, &row).await?;
        let show = |b: &BasisRow| json!({"from": b.from, "category": b.basis.category.code(), "income": b.basis.income, "flat": b.basis.flat, "note": b.note});
        let entry = Action::DuesBasis
            .on("member", member.0)
            .before(old.as_ref().map(show))
            .after(Some(show(&row)));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// Records a payment of one or more months (R14) and answers its receipt: each month must
    /// be unpaid; the amount of a month is what her basis asks, or more when she gives more; a
    /// month her basis does not price needs the amount typed.
    pub async fn pay_dues(
        &self,
        actor: &Actor,
        member: MemberId,
        input: PayDues,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        let today = self.clock.today();
        let (from, to) = (month_start(input.from), month_start(input.to));
        let mut errors = Vec::new();
        if to < from {
            errors.push(FieldError::new("to_month", "period_reversed"));
        }
        let count = months(from, to).count();
        if count > PAY_MONTHS_MAX as usize {
            errors.push(FieldError::new("to_month", "dues_too_many_months"));
        }
        if today
            .checked_add_months(Months::new(AHEAD_MONTHS))
            .is_some_and(|l| to > l)
        {
            errors.push(FieldError::new("to_month", "date_out_of_range"));
        }
        if input.paid_on > today {
            errors.push(FieldError::new("paid_on", "date_in_future"));
        }
        if rules::rules_for(from).is_none() {
            errors.push(FieldError::new("from_month", "dues_no_rules"));
        }
        if input
            .amount
            .is_some_and(|a| !(1..=rules::INCOME_MAX).contains(&a))
        {
            errors.push(FieldError::new("amount", "out_of_range"));
        }
        let received_by =
            crate::optional_text("received_by", input.received_by.as_deref(), TEXT_MAX)?;
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let spans = mstore::spans_of(&mut tx, member).await?;
        let on_day = |d: NaiveDate| {
            spans
                .iter()
                .find(|s| s.status.on_rolls() && s.from <= d && s.to.is_none_or(|t| t > d))
        };
        let cell = on_day(input.paid_on)
            .or_else(|| spans.iter().rev().find(|s| s.status.on_rolls()))
            .map(|s| s.cell)
            .ok_or(AppError::Domain(DomainError::rule_on(
                "not_a_member",
                "paid_on",
            )))?;
        let l = ledgers(&mut tx, &[member], today.max(to)).await?;
        let mine = l.of(member);
        let mut rows = Vec::with_capacity(count);
        for m in months(from, to) {
            if l.payments
                .get(&member)
                .is_some_and(|v| v.iter().any(|p| p.month == m))
            {
                return Err(DomainError::rule_on("dues_month_paid", "from_month").into());
            }
            let due = mine.iter().find(|x| x.month == m).and_then(|x| x.due);
            let amount = match (input.amount, due) {
                (Some(a), Some(d)) if a < d => {
                    return Err(FieldError::new("amount", "dues_below_due").into());
                }
                (Some(a), _) => a,
                (None, Some(d)) => d,
                (None, None) => return Err(FieldError::new("amount", "dues_no_basis").into()),
            };
            rows.push(Payment {
                id: 0,
                member,
                month: m,
                cell,
                due,
                amount,
                paid_on: input.paid_on,
                received_by: received_by.clone(),
                receipt: None,
                meeting: None,
                cancelled_on: None,
                cancel_reason: None,
                recorded_at: self.now_text(),
                recorded_by: actor.name.clone(),
            });
        }
        let mut ids = Vec::with_capacity(rows.len());
        for r in &rows {
            ids.push(store::insert_payment(&mut tx, r).await?);
        }
        let receipt = ids.first().copied().unwrap_or_default();
        store::set_receipt(&mut tx, &ids, receipt).await?;
        let total: i64 = rows.iter().map(|r| r.amount).sum();
        let entry = Action::DuesPay.on("member", member.0).after(Some(json!({
            "receipt": receipt, "from": from, "to": to, "months": rows.len(),
            "amount": total, "paid_on": input.paid_on, "cell": cell.0,
        })));
        self.commit_audited(tx, actor, entry, receipt).await
    }

    /// Cancels one month's payment entered in error, with the reason; the row is kept.
    pub async fn cancel_dues(&self, actor: &Actor, payment: i64, reason: &str) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let p = store::payment(&mut tx, payment)
            .await?
            .ok_or(AppError::NotFound("dues_payment"))?;
        self.require_member_write(&mut tx, actor, p.member)
            .await
            .map_err(|_| AppError::NotFound("dues_payment"))?;
        if p.cancelled_on.is_some() {
            return Err(AppError::NotFound("dues_payment"));
        }
        let reason = crate::required_text("reason", reason, TEXT_MAX)?;
        if p.meeting.is_some() {
            return Err(DomainError::rule_on("dues_in_minutes", "reason").into());
        }
        store::cancel_payment(&mut tx, p.id, self.clock.today(), &reason).await?;
        let entry = Action::DuesCancel
            .on("member", p.member.0)
            .before(Some(
                json!({"payment": p.id, "month": p.month, "amount": p.amount}),
            ))
            .after(Some(json!({"payment": p.id, "cancelled": true})))
            .reason(Some(&reason));
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// A member's dues as the actor may read them: a former cell up to the day she left it.
    pub async fn member_dues(&self, actor: &Actor, member: MemberId) -> AppResult<MemberDues> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let horizon = self.read_horizon(&mut tx, actor, member).await?;
        let today = self.clock.today();
        let l = ledgers(&mut tx, &[member], today).await?;
        let bases = store::bases_of(&mut tx, member).await?;
        let all = store::payments_of(&mut tx, member).await?;
        let before = |d: NaiveDate| horizon.is_none_or(|h| d < h);
        let mut months: Vec<LedgerMonth> = l.of(member).to_vec();
        months.retain(|m| before(m.month));
        let paid_to = rules::paid_to(&months);
        let owed_months = rules::unpaid_ended(&months, today);
        let owed = months
            .iter()
            .filter(|m| owed_months.contains(&m.month))
            .filter_map(|m| m.due)
            .sum();
        let lines = months
            .into_iter()
            .map(|m| {
                let p = all
                    .iter()
                    .find(|p| p.month == m.month && p.cancelled_on.is_none())
                    .cloned();
                (m, p)
            })
            .collect();
        let out = MemberDues {
            member,
            name: l.people.first().map(|p| p.name.clone()).unwrap_or_default(),
            bases: bases.into_iter().filter(|b| before(b.from)).collect(),
            months: lines,
            cancelled: all
                .into_iter()
                .filter(|p| p.cancelled_on.is_some() && before(p.month))
                .collect(),
            paid_to,
            owed_months,
            owed,
        };
        committed(tx, out).await
    }

    /// The month a member's ledger is paid up to, for her transfer letter.
    pub(crate) async fn dues_paid_to(
        &self,
        conn: &mut Conn,
        member: MemberId,
    ) -> AppResult<Option<NaiveDate>> {
        let l = ledgers(conn, &[member], self.clock.today()).await?;
        Ok(rules::paid_to(l.of(member)))
    }
}
