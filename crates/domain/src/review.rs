//! Annual review and quality classification (kiểm điểm, đánh giá, xếp loại chất lượng):
//! the four levels (R23), who is not classified (R24), forced and capped levels (R25), the
//! organisation conditions (R26), the quota (R27), as **versioned rule sets**: each rule set is a
//! value, chosen by the period's start date, and adding one touches no other.
//!
//! Inputs are plain facts (dates, events, ratings already decided); the functions say which
//! levels are allowed and why, with the rule id, so the app can show it.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::error::{DomainError, FieldError};
use crate::member::DisciplineForm;

/// Mức xếp loại chất lượng: the four levels since the 2018 review (R23), best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    /// Hoàn thành xuất sắc nhiệm vụ.
    Htxs,
    /// Hoàn thành tốt nhiệm vụ.
    Htt,
    /// Hoàn thành nhiệm vụ.
    Ht,
    /// Không hoàn thành nhiệm vụ.
    Kht,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Htxs, Level::Htt, Level::Ht, Level::Kht];

    pub fn code(self) -> &'static str {
        match self {
            Level::Htxs => "htxs",
            Level::Htt => "htt",
            Level::Ht => "ht",
            Level::Kht => "kht",
        }
    }

    pub fn from_code(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == s)
    }

    /// At least as good as `other` (HTXS is at least HTT).
    pub fn at_least(self, other: Level) -> bool {
        self <= other
    }

    /// The worse of two levels.
    pub fn worst(self, other: Level) -> Level {
        self.max(other)
    }
}

/// Who or what is rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SubjectKind {
    /// Đảng viên.
    Member,
    /// Chi bộ trực thuộc (and đảng bộ bộ phận): rated by the grassroots committee.
    SubordinateOrg,
    /// Tổ chức cơ sở đảng (đảng bộ cơ sở, chi bộ cơ sở): rated by the superior's standing committee.
    Grassroots,
    /// Tập thể lãnh đạo, quản lý: a committee.
    Collective,
}

/// How a proposal is computed under a rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    /// Each criterion is rated Xuất sắc / Tốt / Trung bình / Kém and the level follows from
    /// them (QĐ 132, QĐ 124).
    CriteriaLevels,
    /// A 100-point score with bands (QĐ 366): HTXS ≥ 90, HTT ≥ 70, HT ≥ 50, else KHT.
    Points { htxs: u8, htt: u8, ht: u8 },
}

/// What the quota counts in its denominator (R27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QuotaBase {
    /// HTT only.
    HttOnly,
    /// HTT or better (HTXS included): the reading under which Uông Bí's 2018 figures hold.
    HttOrBetter,
}

/// Where the quota is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QuotaScope {
    /// In each grassroots organisation (HD 21).
    PerGrassroots,
    /// In each group of similar subjects decided together (NĐ 335 style).
    PerGroup,
}

/// The HTXS quota (R27): HTXS ≤ ratio × base, within a scope; exceeding it is a warning that the
/// deciding body overrides with a recorded reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quota {
    /// Ratio as a fraction (1/5 = 20 %).
    pub numerator: u32,
    pub denominator: u32,
    pub base: QuotaBase,
    pub scope: QuotaScope,
    /// Which subjects it caps.
    pub applies_to: &'static [SubjectKind],
}

/// The quota's verdict on a set of levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuotaCheck {
    pub htxs: u32,
    /// The most HTXS allowed.
    pub cap: u32,
    pub exceeded: bool,
}

impl Quota {
    /// Checks counts of levels (exclusive buckets) against the cap.
    pub fn check(&self, htxs: u32, htt_only: u32) -> QuotaCheck {
        let base = match self.base {
            QuotaBase::HttOnly => htt_only,
            QuotaBase::HttOrBetter => htt_only + htxs,
        };
        let cap = (u64::from(base) * u64::from(self.numerator) / u64::from(self.denominator.max(1)))
            as u32;
        QuotaCheck {
            htxs,
            cap,
            exceeded: htxs > cap,
        }
    }
}

/// Why a subject is not classified this period (R24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NotClassified {
    /// Miễn công tác và sinh hoạt đảng.
    Exempt,
    /// Đình chỉ sinh hoạt đảng (from HD 21 on; under HD 16 still classified).
    Suspended,
    /// Admitted less than 6 months before the end of the period (still reviewed).
    AdmittedLate,
    /// An organisation less than 6 months old.
    OrgTooYoung,
    /// Not on the rolls at the end of the period (transferred out, removed, died).
    NotOnRolls,
}

impl NotClassified {
    pub fn code(self) -> &'static str {
        match self {
            NotClassified::Exempt => "exempt",
            NotClassified::Suspended => "suspended",
            NotClassified::AdmittedLate => "admitted_late",
            NotClassified::OrgTooYoung => "org_too_young",
            NotClassified::NotOnRolls => "not_on_rolls",
        }
    }
}

/// A bound on a subject's level, with the rule that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bound {
    /// The best level allowed.
    pub best: Level,
    /// The rule id (R25, R26) and a stable code for the reason.
    pub rule: &'static str,
    pub code: &'static str,
}

/// A versioned rule set (R23–R27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    /// Stable id ("2018", "2019", "2023", "2025").
    pub id: &'static str,
    /// The regulation and the guidance, as cited in documents.
    pub regulation: &'static str,
    pub guidance: &'static str,
    /// First day of the review periods it governs (inclusive).
    pub from: NaiveDate,
    pub method: Method,
    pub quota: Quota,
    /// Suspended members are not classified (HD 21 on).
    pub suspended_not_classified: bool,
    /// Which discipline of a collective's member makes the collective KHT (R26): any
    /// (QĐ 124 on) or cảnh cáo and heavier (HD 21).
    pub collective_kht_from_any_discipline: bool,
    /// A collective is KHT when more than this share (in %) of its subordinate units were
    /// disciplined in the period (QĐ 124 on); None when the rule set has no such case.
    pub collective_kht_disciplined_units_pct: Option<u8>,
}

const HD21_QUOTA: Quota = Quota {
    numerator: 1,
    denominator: 5,
    base: QuotaBase::HttOrBetter,
    scope: QuotaScope::PerGrassroots,
    applies_to: &[SubjectKind::Member, SubjectKind::Grassroots],
};

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => NaiveDate::MIN,
    }
}

/// The rule sets, oldest first.
pub const RULE_SETS: [RuleSet; 4] = [
    RuleSet {
        id: "2018",
        regulation: "Quy định 132-QĐ/TW",
        guidance: "Hướng dẫn 16-HD/BTCTW",
        from: date(2018, 1, 1),
        method: Method::CriteriaLevels,
        quota: HD21_QUOTA,
        suspended_not_classified: false,
        collective_kht_from_any_discipline: false,
        collective_kht_disciplined_units_pct: None,
    },
    RuleSet {
        id: "2019",
        regulation: "Quy định 132-QĐ/TW",
        guidance: "Hướng dẫn 21-HD/BTCTW",
        from: date(2019, 1, 1),
        method: Method::CriteriaLevels,
        quota: HD21_QUOTA,
        suspended_not_classified: true,
        collective_kht_from_any_discipline: false,
        collective_kht_disciplined_units_pct: None,
    },
    RuleSet {
        id: "2023",
        regulation: "Quy định 124-QĐ/TW",
        guidance: "Hướng dẫn 25-HD/BTCTW",
        from: date(2023, 1, 1),
        method: Method::CriteriaLevels,
        quota: HD21_QUOTA,
        suspended_not_classified: true,
        collective_kht_from_any_discipline: true,
        collective_kht_disciplined_units_pct: Some(20),
    },
    RuleSet {
        id: "2025",
        regulation: "Quy định 366-QĐ/TW",
        guidance: "Hướng dẫn 43-HD/BTCTW",
        from: date(2025, 1, 1),
        method: Method::Points {
            htxs: 90,
            htt: 70,
            ht: 50,
        },
        quota: HD21_QUOTA,
        suspended_not_classified: true,
        collective_kht_from_any_discipline: true,
        collective_kht_disciplined_units_pct: Some(20),
    },
];

/// The rule set governing a period that starts on `start`; None before 2018 (the old
/// four-level scheme of HD 27 is not modelled).
pub fn rule_set_for(start: NaiveDate) -> Option<&'static RuleSet> {
    RULE_SETS.iter().rev().find(|r| start >= r.from)
}

impl RuleSet {
    /// The level of a score (rule sets with points only).
    pub fn level_from_points(&self, points: u8) -> Option<Level> {
        match self.method {
            Method::Points { htxs, htt, ht } => Some(if points >= htxs {
                Level::Htxs
            } else if points >= htt {
                Level::Htt
            } else if points >= ht {
                Level::Ht
            } else {
                Level::Kht
            }),
            Method::CriteriaLevels => None,
        }
    }
}

/// A review period: `[start, end]`, both included (a year, a quarter, a term).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The calendar year.
    pub fn year(y: i32) -> Period {
        Period {
            start: date(y, 1, 1),
            end: date(y, 12, 31),
        }
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

/// What the register says of a member for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFacts {
    /// Admission decision date.
    pub admitted_on: Option<NaiveDate>,
    /// On the rolls at the end of the period.
    pub on_rolls: bool,
    /// Exempt at the end of the period.
    pub exempt: bool,
    /// Suspended at the end of the period.
    pub suspended: bool,
    /// Discipline decided in the period: (violation id, form). One violation counts once.
    pub disciplines: Vec<(String, DisciplineForm)>,
    /// The civil-service rating of the year, for cadres, civil servants and public employees.
    pub civil_service: Option<Level>,
    /// Months of sick leave in the period.
    pub sick_leave_months: u8,
    /// Degradation concluded by the competent level.
    pub degradation_concluded: bool,
    /// Less than half of the assigned targets met.
    pub targets_below_half: bool,
}

/// Whether a member is classified this period, and if not, why (R24).
pub fn member_not_classified(
    rs: &RuleSet,
    period: Period,
    f: &MemberFacts,
) -> Option<NotClassified> {
    if !f.on_rolls {
        return Some(NotClassified::NotOnRolls);
    }
    if f.exempt {
        return Some(NotClassified::Exempt);
    }
    if f.suspended && rs.suspended_not_classified {
        return Some(NotClassified::Suspended);
    }
    match f.admitted_on {
        Some(a) if six_months_after(a) > period.end => Some(NotClassified::AdmittedLate),
        None => Some(NotClassified::NotOnRolls),
        _ => None,
    }
}

/// The day six months after `d` (the end of month when shorter).
fn six_months_after(d: NaiveDate) -> NaiveDate {
    d.checked_add_months(Months::new(6))
        .unwrap_or(NaiveDate::MAX)
}

/// The best level a classified member may get, and why (R25): KHT when disciplined in the
/// period, degraded, under half the targets, or rated KHT as a civil servant; at most HT after
/// three months of sick leave; HTXS only with a civil-service HTXS. None: no bound.
pub fn member_bounds(f: &MemberFacts) -> Vec<Bound> {
    let mut out = Vec::new();
    if !f.disciplines.is_empty() {
        out.push(Bound {
            best: Level::Kht,
            rule: "R25",
            code: "disciplined_in_period",
        });
    }
    if f.degradation_concluded {
        out.push(Bound {
            best: Level::Kht,
            rule: "R25",
            code: "degradation",
        });
    }
    if f.targets_below_half {
        out.push(Bound {
            best: Level::Kht,
            rule: "R25",
            code: "targets_below_half",
        });
    }
    match f.civil_service {
        Some(Level::Kht) => out.push(Bound {
            best: Level::Kht,
            rule: "R25",
            code: "civil_service_kht",
        }),
        Some(l) if l != Level::Htxs => out.push(Bound {
            best: Level::Htt,
            rule: "R25",
            code: "civil_service_not_htxs",
        }),
        _ => {}
    }
    if f.sick_leave_months >= 3 {
        out.push(Bound {
            best: Level::Ht,
            rule: "R25",
            code: "sick_leave",
        });
    }
    out
}

/// The best level the bounds allow.
pub fn best_allowed(bounds: &[Bound]) -> Level {
    bounds
        .iter()
        .map(|b| b.best)
        .fold(Level::Htxs, Level::worst)
}

/// The level a member's decision may record (R24, R25, and R29's points where the rule set
/// has them): a member the register does not classify gets no level, and the reason; one it
/// classifies needs a level that agrees with her points and stays within her bounds.
pub fn check_member_decision(
    rs: &RuleSet,
    period: Period,
    facts: &MemberFacts,
    level: Option<Level>,
    points: Option<u8>,
) -> Result<(Option<Level>, Option<NotClassified>), DomainError> {
    let not_classified = member_not_classified(rs, period, facts);
    let level = match (level, not_classified) {
        (Some(_), Some(reason)) => {
            return Err(DomainError::Rule {
                code: match reason.code() {
                    "exempt" => "not_classified_exempt",
                    "suspended" => "not_classified_suspended",
                    "admitted_late" => "not_classified_admitted_late",
                    _ => "not_classified_not_on_rolls",
                },
                field: Some("level"),
            });
        }
        (None, None) => return Err(FieldError::new("level", "required").into()),
        (level, _) => level,
    };
    if let (Some(l), Some(points)) = (level, points)
        && rs
            .level_from_points(points)
            .is_some_and(|by_points| by_points != l)
    {
        return Err(DomainError::rule_on("level_not_from_points", "points"));
    }
    if let Some(l) = level {
        let bounds = member_bounds(facts);
        if !best_allowed(&bounds).at_least(l) {
            let b = bounds
                .iter()
                .filter(|b| !b.best.at_least(l))
                .max_by_key(|b| b.best)
                .map(|b| b.code)
                .unwrap_or("level_above_bound");
            return Err(DomainError::rule_on(b, "level"));
        }
    }
    Ok((level, not_classified))
}

/// Violations counted once: the distinct violation ids among disciplines decided in several
/// periods, attributed to the first period that decided them.
pub fn distinct_violations(disciplines: &[(String, DisciplineForm)]) -> usize {
    let mut ids: Vec<&str> = disciplines.iter().map(|(v, _)| v.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// R26: an organisation may be HTXS only when every subordinate (or, for a cell, every member
/// classified) is HT or better and at least 80 % are HTT or better.
pub fn org_htxs_condition(levels_below: &[Level]) -> Option<Bound> {
    if levels_below.is_empty() {
        return None;
    }
    let all_ht = levels_below.iter().all(|l| l.at_least(Level::Ht));
    let htt = levels_below
        .iter()
        .filter(|l| l.at_least(Level::Htt))
        .count();
    if all_ht && htt * 100 >= levels_below.len() * 80 {
        None
    } else {
        Some(Bound {
            best: Level::Htt,
            rule: "R26",
            code: "subordinates_below_htxs_condition",
        })
    }
}

/// R26: a leadership collective is KHT when it was disciplined, when one of its members was
/// disciplined (cảnh cáo or heavier under HD 21, any discipline from QĐ 124 on), or when more
/// than the rule set's share of its subordinate units were disciplined.
pub fn collective_bound(
    rs: &RuleSet,
    collective_disciplined: bool,
    member_disciplines: &[DisciplineForm],
    units: usize,
    units_disciplined: usize,
) -> Option<Bound> {
    let kht = |code| {
        Some(Bound {
            best: Level::Kht,
            rule: "R26",
            code,
        })
    };
    if collective_disciplined {
        return kht("collective_disciplined");
    }
    let counts = |d: &DisciplineForm| {
        rs.collective_kht_from_any_discipline || *d != DisciplineForm::KhienTrach
    };
    if member_disciplines.iter().any(counts) {
        return kht("collective_member_disciplined");
    }
    if let Some(pct) = rs.collective_kht_disciplined_units_pct
        && units > 0
        && units_disciplined * 100 > units * usize::from(pct)
    {
        return kht("units_disciplined");
    }
    None
}

/// R11: the first of two consecutive years in which a member was rated KHT (the cell considers
/// proposing her removal; the system only flags it). `levels` are the years' levels, in any
/// order.
pub fn kht_two_years(levels: &[(i32, Level)]) -> Option<i32> {
    let mut kht: Vec<i32> = levels
        .iter()
        .filter(|(_, l)| *l == Level::Kht)
        .map(|(y, _)| *y)
        .collect();
    kht.sort_unstable();
    kht.dedup();
    kht.windows(2).find(|w| w[1] == w[0] + 1).map(|w| w[0])
}

/// Whether an organisation founded on `founded` is classified for the period (R24).
pub fn org_not_classified(period: Period, founded: NaiveDate) -> Option<NotClassified> {
    (six_months_after(founded) > period.end).then_some(NotClassified::OrgTooYoung)
}

/// Counts of a classification report, in exclusive buckets by level (HTXS, HTT, HT, KHT)
/// (R31).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LevelCounts(pub [u32; 4]);

impl LevelCounts {
    pub fn get(&self, l: Level) -> u32 {
        self.0[l as usize]
    }
    pub fn add_n(&mut self, l: Level, n: u32) {
        self.0[l as usize] += n;
    }
    pub fn add(&mut self, l: Level) {
        self.0[l as usize] += 1;
    }
    /// Every subject classified.
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }
    /// HTT or better (inclusive, R31).
    pub fn htt_or_better(&self) -> u32 {
        self.get(Level::Htxs) + self.get(Level::Htt)
    }
}

/// The review year of a period (the year its end falls in).
pub fn review_year(p: Period) -> i32 {
    p.end.year()
}

#[cfg(test)]
mod tests;
