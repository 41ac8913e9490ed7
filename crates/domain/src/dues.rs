//! Đảng phí (R14): what a member owes each month, from her dues basis (căn cứ đóng đảng phí) and
//! the rule set in force that month, in whole đồng with integer arithmetic only; what a cell keeps
//! of what it collects and what it remits upward; and the working age beyond which a flat amount
//! is halved.
//!
//! Rates change by decision of the Central Committee: each version is a [`DuesRules`] with the
//! first month it governs, and a month is always priced by the version in force that month.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::error::FieldError;
use crate::member::Sex;

/// The largest monthly income or pension a basis accepts (ten billion đồng): a typing error
/// beyond it, never a salary.
pub const INCOME_MAX: i64 = 10_000_000_000;
/// The most months one payment covers.
pub const PAY_MONTHS_MAX: u32 = 36;

/// Nhóm đối tượng đóng đảng phí: how a member's monthly dues are set (QĐ 342-QĐ/TW, mục 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuesCategory {
    /// Cán bộ, công chức, viên chức, lực lượng vũ trang: a share of monthly salary and
    /// allowances.
    Salaried,
    /// Đảng viên hưởng lương hưu: a share of the pension.
    Pensioner,
    /// Người lao động trong doanh nghiệp: a share of the salary income.
    Enterprise,
    /// Đảng viên khác (nông dân, học sinh, sinh viên, lao động tự do …): a flat amount the
    /// committee sets within the rule set's range.
    Other,
    /// Miễn đóng đảng phí: exempted by the committee for hardship, with its reason.
    Exempt,
}

impl DuesCategory {
    pub const ALL: [DuesCategory; 5] = [
        DuesCategory::Salaried,
        DuesCategory::Pensioner,
        DuesCategory::Enterprise,
        DuesCategory::Other,
        DuesCategory::Exempt,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DuesCategory::Salaried => "salaried",
            DuesCategory::Pensioner => "pensioner",
            DuesCategory::Enterprise => "enterprise",
            DuesCategory::Other => "other",
            DuesCategory::Exempt => "exempt",
        }
    }
    pub fn from_code(s: &str) -> Option<DuesCategory> {
        DuesCategory::ALL.into_iter().find(|c| c.code() == s)
    }
    /// Priced as a share of a declared monthly income.
    pub fn on_income(self) -> bool {
        matches!(
            self,
            DuesCategory::Salaried | DuesCategory::Pensioner | DuesCategory::Enterprise
        )
    }
}

/// Cấp nộp: where an organisation stands in the flow of dues, which decides its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuesLevel {
    /// Chi bộ trực thuộc: keeps its share and remits the rest to its grassroots committee.
    Cell,
    /// Tổ chức cơ sở đảng ở xã, phường, thị trấn.
    WardGrassroots,
    /// Tổ chức cơ sở đảng ở cơ quan, doanh nghiệp, đơn vị sự nghiệp.
    Grassroots,
    /// Cấp trên trực tiếp cơ sở and above.
    Higher,
}

/// One version of the dues rules: the rates, the range of flat amounts, the rounding, and the
/// shares each level keeps, in force from its first month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesRules {
    pub id: &'static str,
    /// The regulation, as a user reads it.
    pub title: &'static str,
    /// The first month it governs.
    pub from: NaiveDate,
    /// Shares of income in hundredths of a percent (100 = 1 %).
    pub salaried_bp: i64,
    pub pension_bp: i64,
    pub enterprise_bp: i64,
    /// The range of the flat amount for other members, in đồng.
    pub flat_min: i64,
    pub flat_max: i64,
    /// The percentage of the flat amount a member beyond working age pays.
    pub beyond_working_age_pct: i64,
    /// An income-based amount is rounded half up to a multiple of this many đồng.
    pub round_to: i64,
    /// The percentage of what it collects each level keeps; the rest goes up.
    pub cell_keeps_pct: i64,
    pub ward_grassroots_keeps_pct: i64,
    pub grassroots_keeps_pct: i64,
    pub higher_keeps_pct: i64,
}

/// The versions, oldest first. QĐ 342-QĐ/TW (28/12/2010) governs from 1/4/2011.
static RULES: [DuesRules; 1] = [DuesRules {
    id: "qd342-2011",
    title: "Quyết định 342-QĐ/TW ngày 28/12/2010 của Bộ Chính trị",
    from: match NaiveDate::from_ymd_opt(2011, 4, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    },
    salaried_bp: 100,
    pension_bp: 50,
    enterprise_bp: 100,
    flat_min: 2_000,
    flat_max: 30_000,
    beyond_working_age_pct: 50,
    round_to: 1_000,
    cell_keeps_pct: 30,
    ward_grassroots_keeps_pct: 90,
    grassroots_keeps_pct: 50,
    higher_keeps_pct: 50,
}];

/// The rules that price `month` (any day of it), or none before the first version.
pub fn rules_for(month: NaiveDate) -> Option<&'static DuesRules> {
    let m = month_start(month);
    RULES.iter().rev().find(|r| r.from <= m)
}

/// Căn cứ đóng đảng phí: a member's category with the declared monthly income (salary and
/// allowances, pension, salary income) or the flat amount her committee set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuesBasis {
    pub category: DuesCategory,
    pub income: Option<i64>,
    pub flat: Option<i64>,
}

impl DuesBasis {
    /// Checks a basis against the rules of the month it starts: an income for an income-based
    /// category, a flat amount in the range for the others, nothing to price for an exemption.
    pub fn check(&self, rules: &DuesRules) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        match self.category {
            c if c.on_income() => match self.income {
                None => errors.push(FieldError::new("income", "required")),
                Some(i) if !(1..=INCOME_MAX).contains(&i) => {
                    errors.push(FieldError::new("income", "out_of_range"))
                }
                Some(_) => {}
            },
            DuesCategory::Other => match self.flat {
                None => errors.push(FieldError::new("flat", "required")),
                Some(f) if !(rules.flat_min..=rules.flat_max).contains(&f) => {
                    errors.push(FieldError::new("flat", "dues_flat_range"))
                }
                Some(_) => {}
            },
            _ => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Divides with rounding half up, for non-negative amounts.
fn div_half_up(n: i64, d: i64) -> i64 {
    (n + d / 2) / d
}

/// What a member owes for one month under `rules`: the share of her income rounded half up to
/// the rule set's unit, the flat amount (halved, rounded half up to the đồng, beyond working
/// age), or nothing when exempt. Integer arithmetic only.
pub fn monthly_due(rules: &DuesRules, basis: &DuesBasis, beyond_working_age: bool) -> i64 {
    let share = |bp: i64| {
        let raw = basis.income.unwrap_or(0).max(0) * bp; // in 1/10,000 đồng
        div_half_up(raw, 10_000 * rules.round_to) * rules.round_to
    };
    match basis.category {
        DuesCategory::Salaried => share(rules.salaried_bp),
        DuesCategory::Pensioner => share(rules.pension_bp),
        DuesCategory::Enterprise => share(rules.enterprise_bp),
        DuesCategory::Other => {
            let flat = basis.flat.unwrap_or(0).max(0);
            if beyond_working_age {
                div_half_up(flat * rules.beyond_working_age_pct, 100)
            } else {
                flat
            }
        }
        DuesCategory::Exempt => 0,
    }
}

/// What `level` keeps of `amount` it receives, and what it remits upward, in whole đồng: the
/// kept share is rounded down, so the two always add up to the amount.
pub fn split(rules: &DuesRules, level: DuesLevel, amount: i64) -> (i64, i64) {
    let pct = match level {
        DuesLevel::Cell => rules.cell_keeps_pct,
        DuesLevel::WardGrassroots => rules.ward_grassroots_keeps_pct,
        DuesLevel::Grassroots => rules.grassroots_keeps_pct,
        DuesLevel::Higher => rules.higher_keeps_pct,
    };
    let kept = amount.max(0) * pct / 100;
    (kept, amount - kept)
}

/// The level at which a grassroots organisation keeps its share: the party organisation of a
/// commune, ward, town or special zone (named so) keeps the ward share; one of an agency,
/// enterprise, school or unit, even under a commune-level đảng bộ, the general one.
pub fn grassroots_level(name: &str) -> DuesLevel {
    let folded = crate::text::fold(name);
    let local = ["xa ", "phuong ", "thi tran ", "dac khu "];
    let named = ["dang bo ", "chi bo "].iter().any(|head| {
        folded
            .strip_prefix(head)
            .is_some_and(|rest| local.iter().any(|l| rest.starts_with(l)))
    });
    if named {
        DuesLevel::WardGrassroots
    } else {
        DuesLevel::Grassroots
    }
}

/// The day a member reaches the end of working age (tuổi nghỉ hưu trong điều kiện lao động
/// bình thường, Bộ luật Lao động 2019 art. 169 and Nghị định 135/2020): 60 years for men and 55
/// for women until 2020; from 2021 the age rises each year by 3 months for men up to 62 (2028)
/// and by 4 months for women up to 60 (2035), the age of the year in which it is reached.
pub fn working_age_end(birth: NaiveDate, sex: Sex) -> NaiveDate {
    let (base, step, cap): (u32, u32, u32) = match sex {
        Sex::Male => (60 * 12, 3, 24),
        Sex::Female => (55 * 12, 4, 60),
    };
    let at = |months: u32| birth.checked_add_months(Months::new(months));
    let first = at(base).unwrap_or(NaiveDate::MAX);
    if first.year() <= 2020 {
        return first;
    }
    for (year, n) in (2021..=2040).zip(1u32..) {
        let day = at(base + (step * n).min(cap)).unwrap_or(NaiveDate::MAX);
        if day.year() <= year {
            return day;
        }
    }
    at(base + cap).unwrap_or(NaiveDate::MAX)
}

/// Whether a member is beyond working age for the dues of `month`: she has reached it by the
/// month's first day.
pub fn beyond_working_age(birth: NaiveDate, sex: Sex, month: NaiveDate) -> bool {
    working_age_end(birth, sex) <= month_start(month)
}

/// The first day of the month of `d`.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The first day of the month after the month of `d`.
pub fn next_month(d: NaiveDate) -> NaiveDate {
    month_start(d)
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of the month of `d`.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    next_month(d).pred_opt().unwrap_or(d)
}

/// The months from `from` to `to`, both included, as their first days.
pub fn months(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let end = month_start(to);
    std::iter::successors(Some(month_start(from)), |m| Some(next_month(*m)))
        .take_while(move |m| *m <= end)
}

/// An amount of money in Vietnamese writing: `1.250.000 đ`.
pub fn vnd(amount: i64) -> String {
    format!("{} đ", crate::text::number(amount))
}

/// Reads an amount of đồng as a user types it: `1.250.000`, `1 250 000`, `1250000`, with or
/// without `đ`, `đồng` or `VND`. Nothing negative, nothing fractional, nothing above
/// [`INCOME_MAX`].
pub fn parse_amount(field: &'static str, input: &str) -> Result<i64, FieldError> {
    parse_amount_up_to(field, input, INCOME_MAX)
}

/// [`parse_amount`] with another ceiling.
pub fn parse_amount_up_to(field: &'static str, input: &str, max: i64) -> Result<i64, FieldError> {
    let bad = || FieldError::new(field, "amount_format");
    let s = input.trim().to_lowercase();
    let s = s
        .trim_end_matches("vnd")
        .trim_end_matches("đồng")
        .trim_end_matches('đ')
        .trim();
    if s.is_empty() || s.len() > 20 {
        return Err(bad());
    }
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | ','))
        .collect();
    // A comma or a dot followed by other than three digits is a decimal mark, not grouping.
    let grouped_ok = s
        .split(['.', ',', ' '])
        .skip(1)
        .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || !grouped_ok {
        return Err(bad());
    }
    let n: i64 = digits.parse().map_err(|_| bad())?;
    if n > max {
        return Err(FieldError::new(field, "out_of_range"));
    }
    Ok(n)
}

mod ledger;
pub use ledger::{LedgerInput, LedgerMonth, ledger, paid_to, unpaid_ended};

#[cfg(test)]
mod tests;
