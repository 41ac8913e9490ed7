//! A member's dues month by month: what each month asks of her, what she paid, how far she is
//! paid up, and the months she owes.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    DuesBasis, DuesCategory, beyond_working_age, month_end, month_start, monthly_due, months,
    rules_for,
};
use crate::member::{Sex, Span};

/// What the ledger of one member is computed from.
#[derive(Debug, Clone, Copy)]
pub struct LedgerInput<'a> {
    pub birth: NaiveDate,
    pub sex: Sex,
    /// Her bases from their first months, oldest first.
    pub bases: &'a [(NaiveDate, DuesBasis)],
    /// Her spans on the rolls of cells.
    pub spans: &'a [Span],
    /// The months paid (first days) with the amounts.
    pub paid: &'a [(NaiveDate, i64)],
    pub today: NaiveDate,
}

/// One month of a member's dues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LedgerMonth {
    /// Its first day.
    pub month: NaiveDate,
    /// On the rolls of a cell on the month's last day (today in the current month).
    pub member: bool,
    /// What the month asks of her; none without a basis for the month or a rule set.
    pub due: Option<i64>,
    pub category: Option<DuesCategory>,
    pub paid: Option<i64>,
}

impl LedgerMonth {
    /// Nothing more to pay for the month: paid, or nothing due (an exemption).
    pub fn settled(&self) -> bool {
        self.paid.is_some() || self.due == Some(0)
    }
    /// A month she owes: a member that month, something due, nothing paid.
    pub fn owing(&self) -> bool {
        self.member && !self.settled() && self.due.is_some_and(|d| d > 0)
    }
}

/// The months from her first basis (or first payment) to the later of this month and the last
/// month paid ahead, those in which she was a member or paid.
pub fn ledger(input: LedgerInput<'_>) -> Vec<LedgerMonth> {
    let first = input
        .bases
        .first()
        .map(|b| b.0)
        .into_iter()
        .chain(input.paid.iter().map(|p| p.0))
        .min();
    let Some(first) = first else {
        return Vec::new();
    };
    let last = input
        .paid
        .iter()
        .map(|p| p.0)
        .chain([month_start(input.today)])
        .max()
        .unwrap_or(first);
    months(first, last)
        .filter_map(|m| {
            let day = month_end(m).min(input.today.max(m));
            let member = input
                .spans
                .iter()
                .any(|s| s.status.on_rolls() && s.from <= day && s.to.is_none_or(|t| t > day));
            let paid = input.paid.iter().find(|p| p.0 == m).map(|p| p.1);
            if !member && paid.is_none() {
                return None;
            }
            let basis = input.bases.iter().rev().find(|b| b.0 <= m).map(|b| &b.1);
            let due = basis.and_then(|b| {
                rules_for(m)
                    .map(|r| monthly_due(r, b, beyond_working_age(input.birth, input.sex, m)))
            });
            Some(LedgerMonth {
                month: m,
                member,
                due,
                category: basis.map(|b| b.category),
                paid,
            })
        })
        .collect()
}

/// Đã đóng đảng phí hết tháng: the last month up to which every month of her ledger is settled;
/// none when the first is not.
pub fn paid_to(months: &[LedgerMonth]) -> Option<NaiveDate> {
    months
        .iter()
        .take_while(|m| m.settled() || !m.member)
        .filter(|m| m.settled())
        .last()
        .map(|m| m.month)
}

/// The months she owes that have ended by `today`: the months R11 counts.
pub fn unpaid_ended(months: &[LedgerMonth], today: NaiveDate) -> Vec<NaiveDate> {
    months
        .iter()
        .filter(|m| m.owing() && month_end(m.month) < today)
        .map(|m| m.month)
        .collect()
}
