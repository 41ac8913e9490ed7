//! The dues reports: a cell's monthly book (sổ thu đảng phí), the totals of a subtree for a year
//! with what each level keeps and remits, and the members owing dues.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use dangvu_domain::dues::{
    self as rules, DuesCategory, DuesLevel, DuesRules, month_end, month_start, months,
};
use dangvu_domain::error::DomainError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::Status;
use dangvu_domain::org::OrgKind;
use dangvu_store::dues::{self as store, Payment};
use dangvu_store::members as mstore;
use dangvu_store::orgs::{self as ostore, OrgPeriod};

use super::ledgers;
use crate::{Actor, App, AppError, AppResult, committed};

/// The most members a list of arrears reads.
const ARREARS_MAX: usize = 100_000;

/// One member's line in a cell's monthly book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLine {
    pub member: MemberId,
    pub name: String,
    /// Her standing on the month's last day (today in the current month); none when she has
    /// left the cell and is on the book for a payment it collected.
    pub status: Option<Status>,
    pub category: Option<DuesCategory>,
    /// What the month asks of her; none without a basis.
    pub due: Option<i64>,
    /// The month's payment, by whichever cell collected it.
    pub paid: Option<Payment>,
    pub paid_to: Option<NaiveDate>,
    /// Months she owes, ended by today, and their sum.
    pub owed_months: usize,
    pub owed: i64,
}

/// Sổ thu đảng phí of a cell for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuesBook {
    pub cell: OrgPeriod,
    /// The names of the organisations above it and its own, top down, for the heading.
    pub chain: Vec<String>,
    pub month: NaiveDate,
    pub rules: &'static DuesRules,
    pub level: DuesLevel,
    pub lines: Vec<BookLine>,
    pub due_total: i64,
    /// What this cell collected for the month.
    pub collected: i64,
    pub payers: usize,
    pub unpaid: usize,
    pub without_basis: usize,
    pub kept: i64,
    pub remitted: i64,
}

/// One cell's collections in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDues {
    pub org: OrgId,
    pub name: String,
    pub grassroots: Option<OrgId>,
    /// January to December.
    pub by_month: Vec<i64>,
    pub total: i64,
    pub payments: i64,
    pub kept: i64,
    pub remitted: i64,
}

/// A grassroots organisation's dues in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrassrootsDues {
    pub org: OrgId,
    pub name: String,
    pub level: DuesLevel,
    pub collected: i64,
    /// Kept by its subordinate cells.
    pub cells_kept: i64,
    pub received: i64,
    pub kept: i64,
    pub remitted: i64,
}

/// The dues of a subtree for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuesTotals {
    pub org: OrgPeriod,
    pub year: i32,
    pub months: Vec<NaiveDate>,
    pub cells: Vec<CellDues>,
    pub grassroots: Vec<GrassrootsDues>,
    pub by_month: Vec<i64>,
    pub collected: i64,
    /// What the grassroots organisations remit to the levels above.
    pub upward: i64,
}

/// A member who owes dues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsLine {
    pub member: MemberId,
    pub name: String,
    pub cell: OrgId,
    pub cell_name: String,
    pub months: Vec<NaiveDate>,
    pub owed: i64,
    pub paid_to: Option<NaiveDate>,
}

/// The level at which a cell keeps its share: a chi bộ trực thuộc the cell's, a chi bộ cơ sở
/// its grassroots level.
fn level_of(cell: &OrgPeriod) -> DuesLevel {
    match cell.kind {
        OrgKind::ChiBoTrucThuoc => DuesLevel::Cell,
        _ => rules::grassroots_level(&cell.name),
    }
}

/// The day a month is read on: its last day, or today in the current month.
fn reading_day(month: NaiveDate, today: NaiveDate) -> NaiveDate {
    month_end(month).min(today.max(month))
}

impl App {
    /// A cell's dues book for a month: every member on its rolls that month with what she owes
    /// and paid, members who left with a payment it collected, its totals and its share.
    pub async fn dues_book(
        &self,
        actor: &Actor,
        cell: OrgId,
        month: NaiveDate,
    ) -> AppResult<DuesBook> {
        self.require_org(actor, cell)?;
        let today = self.clock.today();
        let month = month_start(month);
        let rules = rules::rules_for(month).ok_or(AppError::Domain(DomainError::rule_on(
            "dues_no_rules",
            "month",
        )))?;
        if today
            .checked_add_months(Months::new(12))
            .is_some_and(|l| month > l)
        {
            return Err(DomainError::rule_on("date_out_of_range", "month").into());
        }
        let day = reading_day(month, today);
        let mut tx = self.store.read().await?;
        let period = ostore::period_on(&mut tx, cell, day)
            .await?
            .ok_or(AppError::NotFound("org"))?;
        if !period.kind.is_cell() {
            return Err(DomainError::rule_on("not_a_cell", "org").into());
        }
        let roll = mstore::roll_on(&mut tx, cell, day).await?;
        let collected = store::collected(&mut tx, cell, month).await?;
        let mut members: Vec<MemberId> = roll.iter().map(|r| r.0).collect();
        members.extend(collected.iter().map(|p| p.member));
        members.sort_unstable();
        members.dedup();
        let l = ledgers(&mut tx, &members, today).await?;
        let mut lines = Vec::with_capacity(l.people.len());
        for p in &l.people {
            let mine = l.of(p.member);
            let this = mine.iter().find(|m| m.month == month);
            let owed: Vec<_> = rules::unpaid_ended(mine, today);
            let paid = l
                .payments
                .get(&p.member)
                .and_then(|v| v.iter().find(|x| x.month == month))
                .cloned();
            lines.push(BookLine {
                member: p.member,
                name: p.name.clone(),
                status: roll.iter().find(|r| r.0 == p.member).map(|r| r.2),
                category: this.and_then(|m| m.category),
                due: this.and_then(|m| m.due),
                paid,
                paid_to: rules::paid_to(mine),
                owed_months: owed.len(),
                owed: mine
                    .iter()
                    .filter(|m| owed.contains(&m.month))
                    .filter_map(|m| m.due)
                    .sum(),
            });
        }
        let on_roll = |b: &&BookLine| b.status.is_some();
        let due_total = lines.iter().filter(on_roll).filter_map(|b| b.due).sum();
        let amount: i64 = collected.iter().map(|p| p.amount).sum();
        let level = level_of(&period);
        let (kept, remitted) = rules::split(rules, level, amount);
        let mut chain = Vec::new();
        for o in crate::review::ancestry(&mut tx, cell, day)
            .await?
            .0
            .iter()
            .rev()
        {
            if let Some(p) = ostore::period_on(&mut tx, *o, day).await? {
                chain.push(p.name);
            }
        }
        let book = DuesBook {
            payers: collected.len(),
            unpaid: lines
                .iter()
                .filter(on_roll)
                .filter(|b| b.paid.is_none() && b.due.is_some_and(|d| d > 0))
                .count(),
            without_basis: lines
                .iter()
                .filter(on_roll)
                .filter(|b| b.due.is_none())
                .count(),
            cell: period,
            chain,
            month,
            rules,
            level,
            lines,
            due_total,
            collected: amount,
            kept,
            remitted,
        };
        committed(tx, book).await
    }

    /// The dues collected in a subtree in a year, per cell and month, with the share each cell
    /// and each grassroots organisation keeps and what goes to the levels above (R14). Reads
    /// the ledger grouped by cell and month: rows in proportion to the cells, not the members.
    pub async fn dues_totals(&self, actor: &Actor, org: OrgId, year: i32) -> AppResult<DuesTotals> {
        self.require_org(actor, org)?;
        let today = self.clock.today();
        if !(2011..=today.year() + 1).contains(&year) {
            return Err(DomainError::rule_on("date_out_of_range", "year").into());
        }
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let last = NaiveDate::from_ymd_opt(year, 12, 1).unwrap_or(today);
        let day = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(today)
            .min(today)
            .max(first);
        let mut tx = self.store.read().await?;
        let periods = self.subtree_periods(&mut tx, org, day).await?;
        let root = periods
            .iter()
            .find(|p| p.org == org)
            .cloned()
            .ok_or(AppError::NotFound("org"))?;
        let cells: Vec<&OrgPeriod> = periods.iter().filter(|p| p.kind.is_cell()).collect();
        let ids: Vec<OrgId> = cells.iter().map(|c| c.org).collect();
        let rows = store::totals(&mut tx, &ids, first, last).await?;
        let month_list: Vec<NaiveDate> = months(first, last).collect();
        let mut by_cell: HashMap<OrgId, Vec<store::CellMonth>> = HashMap::new();
        for r in rows {
            by_cell.entry(r.cell).or_default().push(r);
        }
        let by_id: HashMap<OrgId, &OrgPeriod> = periods.iter().map(|p| (p.org, p)).collect();
        let grassroots_of = |c: &OrgPeriod| -> Option<OrgId> {
            let mut at = Some(c);
            while let Some(p) = at {
                if p.kind.is_grassroots() {
                    return Some(p.org);
                }
                at = p.parent.and_then(|x| by_id.get(&x).copied());
            }
            None
        };
        let mut out_cells = Vec::with_capacity(cells.len());
        let mut g_acc: HashMap<OrgId, (i64, i64)> = HashMap::new();
        for c in &cells {
            let level = level_of(c);
            let mut line = CellDues {
                org: c.org,
                name: c.name.clone(),
                grassroots: grassroots_of(c),
                by_month: vec![0; month_list.len()],
                total: 0,
                payments: 0,
                kept: 0,
                remitted: 0,
            };
            for r in by_cell.get(&c.org).map(Vec::as_slice).unwrap_or_default() {
                let i = r.month.month0() as usize;
                if let Some(slot) = line.by_month.get_mut(i) {
                    *slot += r.amount;
                }
                line.total += r.amount;
                line.payments += r.payers;
                if level == DuesLevel::Cell {
                    // Each month's share as the cell remits it that month.
                    let rules = rules::rules_for(r.month);
                    let (k, _) = rules.map_or((0, r.amount), |x| rules::split(x, level, r.amount));
                    line.kept += k;
                }
            }
            line.remitted = if level == DuesLevel::Cell {
                line.total - line.kept
            } else {
                0
            };
            if let Some(g) = line.grassroots {
                let acc = g_acc.entry(g).or_default();
                acc.0 += line.total;
                acc.1 += line.kept;
            }
            out_cells.push(line);
        }
        let rules_of_year = rules::rules_for(last);
        let mut grassroots = Vec::new();
        for p in periods.iter().filter(|p| p.kind.is_grassroots()) {
            let (collected, cells_kept) = g_acc.get(&p.org).copied().unwrap_or_default();
            let level = rules::grassroots_level(&p.name);
            let received = collected - cells_kept;
            let (kept, remitted) =
                rules_of_year.map_or((received, 0), |r| rules::split(r, level, received));
            grassroots.push(GrassrootsDues {
                org: p.org,
                name: p.name.clone(),
                level,
                collected,
                cells_kept,
                received,
                kept,
                remitted,
            });
        }
        let mut by_month = vec![0; month_list.len()];
        for c in &out_cells {
            for (a, b) in by_month.iter_mut().zip(&c.by_month) {
                *a += b;
            }
        }
        sort_by_name(&mut out_cells, |c| &c.name);
        sort_by_name(&mut grassroots, |g| &g.name);
        let totals = DuesTotals {
            collected: out_cells.iter().map(|c| c.total).sum(),
            upward: grassroots.iter().map(|g| g.remitted).sum(),
            org: root,
            year,
            months: month_list,
            cells: out_cells,
            grassroots,
            by_month,
        };
        committed(tx, totals).await
    }

    /// The members on a subtree's rolls on `on` who owe dues for months ended by today, in
    /// Vietnamese name order.
    pub async fn dues_arrears(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<ArrearsLine>> {
        self.require_org(actor, org)?;
        let today = self.clock.today();
        let on = on.min(today);
        let mut tx = self.store.read().await?;
        let periods = self.subtree_periods(&mut tx, org, on).await?;
        if !periods.iter().any(|p| p.org == org) {
            return Err(AppError::NotFound("org"));
        }
        let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
        let on_rolls = mstore::members_on_rolls(&mut tx, &ids, on).await?;
        if on_rolls.len() > ARREARS_MAX {
            return Err(DomainError::rule_on("too_many_members", "org").into());
        }
        let members: Vec<MemberId> = on_rolls.iter().map(|r| r.0).collect();
        let l = ledgers(&mut tx, &members, today).await?;
        let cell_of: HashMap<MemberId, OrgId> = on_rolls.iter().copied().collect();
        let name_of: HashMap<OrgId, &str> =
            periods.iter().map(|p| (p.org, p.name.as_str())).collect();
        let mut out = Vec::new();
        for p in &l.people {
            let mine = l.of(p.member);
            let owed = rules::unpaid_ended(mine, today);
            if owed.is_empty() {
                continue;
            }
            let cell = cell_of.get(&p.member).copied().unwrap_or(org);
            out.push(ArrearsLine {
                member: p.member,
                name: p.name.clone(),
                cell,
                cell_name: name_of.get(&cell).copied().unwrap_or_default().to_owned(),
                owed: mine
                    .iter()
                    .filter(|m| owed.contains(&m.month))
                    .filter_map(|m| m.due)
                    .sum(),
                months: owed,
                paid_to: rules::paid_to(mine),
            });
        }
        committed(tx, out).await
    }
}

fn sort_by_name<T>(v: &mut [T], name: impl Fn(&T) -> &str) {
    v.sort_by(|a, b| dangvu_domain::text::compare(name(a), name(b)));
}
