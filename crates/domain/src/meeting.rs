//! Cell meetings (sinh hoạt chi bộ) and members' attendance: the meeting rules that need no
//! storage — which meetings fall due (R16), how long a meeting must last (R18, versioned by
//! date), who may vote and whether a meeting has its quorum (R19), and the flags for members who
//! miss meetings or dues three months in a calendar year (R11, flagged, never acted on).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::DomainError;
use crate::ids::MemberId;

/// Loại sinh hoạt: the kind of a meeting (R16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MeetingKind {
    /// Sinh hoạt thường kỳ: the monthly regular meeting.
    Regular,
    /// Sinh hoạt chuyên đề: the (at least) quarterly thematic meeting.
    Thematic,
    /// Thường kỳ kết hợp chuyên đề: both in one session.
    Combined,
    /// Sinh hoạt bất thường: an extraordinary meeting.
    Extraordinary,
    /// Hội nghị đảng bộ: a grassroots đảng bộ's twice-yearly meeting.
    Assembly,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 5] = [
        MeetingKind::Regular,
        MeetingKind::Thematic,
        MeetingKind::Combined,
        MeetingKind::Extraordinary,
        MeetingKind::Assembly,
    ];
    pub fn code(self) -> &'static str {
        match self {
            MeetingKind::Regular => "regular",
            MeetingKind::Thematic => "thematic",
            MeetingKind::Combined => "combined",
            MeetingKind::Extraordinary => "extraordinary",
            MeetingKind::Assembly => "assembly",
        }
    }
    pub fn from_code(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Does it count as the month's regular meeting?
    pub fn is_regular(self) -> bool {
        matches!(self, MeetingKind::Regular | MeetingKind::Combined)
    }
    /// Does it count as the quarter's thematic meeting?
    pub fn is_thematic(self) -> bool {
        matches!(self, MeetingKind::Thematic | MeetingKind::Combined)
    }
}

/// The rules on meetings in force from a date (R16, R18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingRules {
    pub id: &'static str,
    /// The texts that set them.
    pub source: &'static str,
    pub from: NaiveDate,
    /// Minimum length of a meeting in minutes, and of a combined one (None: no minimum).
    pub min_minutes: Option<u32>,
    pub min_minutes_combined: Option<u32>,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => NaiveDate::MIN,
    }
}

/// Oldest first. Before Chỉ thị 50 no national minimum length was set (provinces set their own).
pub const MEETING_RULES: [MeetingRules; 2] = [
    MeetingRules {
        id: "2018",
        source: "Điều lệ Đảng, HD 12-HD/BTCTW (2018)",
        from: date(2018, 1, 1),
        min_minutes: None,
        min_minutes_combined: None,
    },
    MeetingRules {
        id: "2025",
        source: "Chỉ thị 50-CT/TW (23/7/2025), HD 42-HD/BTCTW",
        from: date(2025, 7, 23),
        min_minutes: Some(90),
        min_minutes_combined: Some(120),
    },
];

/// The rules in force on a date (the oldest set for earlier dates).
pub fn meeting_rules_on(on: NaiveDate) -> &'static MeetingRules {
    MEETING_RULES
        .iter()
        .rev()
        .find(|r| r.from <= on)
        .unwrap_or(&MEETING_RULES[0])
}

/// A rule a meeting or a member's record breaks, with its id: shown, never enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub rule: &'static str,
    pub code: &'static str,
}

/// R18: a meeting shorter than the minimum of its date (a regular or thematic meeting 90
/// minutes, a combined one 120, from Chỉ thị 50); minutes from start to end.
pub fn duration_flag(kind: MeetingKind, on: NaiveDate, minutes: u32) -> Option<Flag> {
    let r = meeting_rules_on(on);
    let min = match kind {
        MeetingKind::Combined => r.min_minutes_combined,
        MeetingKind::Regular | MeetingKind::Thematic => r.min_minutes,
        MeetingKind::Extraordinary | MeetingKind::Assembly => None,
    }?;
    (minutes < min).then_some(Flag {
        rule: "R18",
        code: if kind == MeetingKind::Combined {
            "meeting_short_combined"
        } else {
            "meeting_short"
        },
    })
}

/// A month, as (year, month).
pub type Month = (i32, u32);

fn month_of(d: NaiveDate) -> Month {
    (d.year(), d.month())
}

fn next_month((y, m): Month) -> Month {
    if m == 12 { (y + 1, 1) } else { (y, m + 1) }
}

/// The months of a span of days, each once, in order.
fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<Month> {
    let mut out = Vec::new();
    if to < from {
        return out;
    }
    let (mut m, last) = (month_of(from), month_of(to));
    while m <= last {
        out.push(m);
        m = next_month(m);
    }
    out
}

/// What fell due and what is missing for one cell between two dates (R16): a regular meeting in
/// every month the cell existed for the whole month, a thematic one in every quarter it existed
/// for the whole quarter. `alive` are the cell's spans (from, to exclusive; a merger ends one, a
/// refoundation starts another); `held` the dates and kinds of its meetings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DueReport {
    pub months_due: Vec<Month>,
    pub months_missing: Vec<Month>,
    /// Quarters as (year, 1..=4).
    pub quarters_due: Vec<(i32, u32)>,
    pub quarters_missing: Vec<(i32, u32)>,
}

pub fn due_meetings(
    alive: &[(NaiveDate, Option<NaiveDate>)],
    from: NaiveDate,
    to: NaiveDate,
    held: &[(NaiveDate, MeetingKind)],
) -> DueReport {
    let covers = |a: NaiveDate, b: NaiveDate| {
        // Every day of [a, b] inside one span of life.
        alive
            .iter()
            .any(|(s, e)| *s <= a && e.is_none_or(|e| b < e))
    };
    let mut r = DueReport::default();
    for (y, m) in months_between(from, to) {
        let first = date(y, m, 1);
        let (ny, nm) = next_month((y, m));
        let last = date(ny, nm, 1).pred_opt().unwrap_or(first);
        if first < from || last > to || !covers(first, last) {
            continue;
        }
        r.months_due.push((y, m));
        if !held
            .iter()
            .any(|(d, k)| k.is_regular() && month_of(*d) == (y, m))
        {
            r.months_missing.push((y, m));
        }
        if m % 3 == 0 {
            let q = (y, m / 3);
            let q_first = date(y, m - 2, 1);
            if q_first >= from && covers(q_first, last) {
                r.quarters_due.push(q);
                if !held
                    .iter()
                    .any(|(d, k)| k.is_thematic() && d.year() == y && d.month().div_ceil(3) == q.1)
                {
                    r.quarters_missing.push(q);
                }
            }
        }
    }
    r
}

/// How a member stood at a meeting (R19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Attendance {
    Present,
    /// Vắng có lý do.
    AbsentExcused,
    /// Vắng không có lý do.
    AbsentUnexcused,
    /// Miễn sinh hoạt: not expected.
    Exempt,
    /// Sinh hoạt tạm thời từ nơi khác: attached here, present.
    Attached,
}

impl Attendance {
    pub const ALL: [Attendance; 5] = [
        Attendance::Present,
        Attendance::AbsentExcused,
        Attendance::AbsentUnexcused,
        Attendance::Exempt,
        Attendance::Attached,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::AbsentExcused => "absent_excused",
            Attendance::AbsentUnexcused => "absent_unexcused",
            Attendance::Exempt => "exempt",
            Attendance::Attached => "attached",
        }
    }
    pub fn from_code(s: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.code() == s)
    }
    pub fn present(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Attached)
    }
}

/// One member at a meeting: how she stood, and whether she may vote (an official member; a
/// probationary member speaks but does not vote, R19).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    pub attendance: Attendance,
    pub official: bool,
}

/// The quorum of a meeting (R19): of the official members expected (the exempt are not), more
/// than half present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quorum {
    pub expected_voters: u32,
    pub present_voters: u32,
    pub reached: bool,
}

pub fn quorum(seats: &[Seat]) -> Quorum {
    let voters = seats
        .iter()
        .filter(|s| s.official && s.attendance != Attendance::Exempt);
    let expected_voters = voters.clone().count() as u32;
    let present_voters = voters.filter(|s| s.attendance.present()).count() as u32;
    Quorum {
        expected_voters,
        present_voters,
        reached: present_voters * 2 > expected_voters,
    }
}

/// A vote on a resolution: it passes with more than half of the voters present in favour, at a
/// meeting with its quorum. Returns the refusal's code when the counts cannot be.
pub fn vote_passes(q: &Quorum, yes: u32, no: u32, abstain: u32) -> Result<bool, &'static str> {
    if yes + no + abstain > q.present_voters {
        return Err("votes_exceed_voters");
    }
    Ok(q.reached && yes * 2 > q.present_voters)
}

/// One member's line at a sitting, as the validity checks read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sitter {
    pub member: MemberId,
    pub attendance: Attendance,
    pub official: bool,
}

/// Why a meeting's record cannot stand (R19).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SittingFault {
    ChairAbsent,
    MinuteTakerAbsent,
    /// The vote does not fit the voters present (its code).
    Votes(&'static str),
    /// A vote without a quorum.
    NoQuorum,
}

/// The checks a meeting's record passes whenever its attendance is written or changed (R19):
/// the chair and the minute-taker present; when a vote is recorded, no more votes than voters
/// present and a quorum of the official members (members attached from elsewhere sit but do
/// not count).
pub fn check_sitting(
    sitters: &[Sitter],
    chair: Option<MemberId>,
    minute_taker: Option<MemberId>,
    votes: Option<(u32, u32, u32)>,
) -> Result<(), SittingFault> {
    let present = |who: Option<MemberId>| {
        who.is_none_or(|w| {
            sitters
                .iter()
                .any(|s| s.member == w && s.attendance.present())
        })
    };
    if !present(chair) {
        return Err(SittingFault::ChairAbsent);
    }
    if !present(minute_taker) {
        return Err(SittingFault::MinuteTakerAbsent);
    }
    if let Some((yes, no, abstain)) = votes {
        let seats: Vec<Seat> = sitters
            .iter()
            .filter(|s| s.attendance != Attendance::Attached)
            .map(|s| Seat {
                attendance: s.attendance,
                official: s.official,
            })
            .collect();
        let q = quorum(&seats);
        vote_passes(&q, yes, no, abstain).map_err(SittingFault::Votes)?;
        if !q.reached {
            return Err(SittingFault::NoQuorum);
        }
    }
    Ok(())
}

/// One month of a member's record in a calendar year: an unexcused absence from the month's
/// regular meeting, or dues not paid for the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lapse {
    pub month: Month,
    pub unexcused_absence: bool,
    pub dues_unpaid: bool,
}

/// R11: the calendar years in which a member missed meetings without a valid reason, or did not
/// pay dues, in 3 or more months — each is flagged to the cell committee, never acted on. Months
/// are counted within a calendar year (November, December and the next January are two months
/// of one year and one of the next).
pub fn removal_flags(lapses: &[Lapse]) -> Vec<(i32, Flag)> {
    let mut years: Vec<i32> = lapses.iter().map(|l| l.month.0).collect();
    years.sort_unstable();
    years.dedup();
    let mut out = Vec::new();
    for y in years {
        let count = |f: fn(&Lapse) -> bool| {
            let mut months: Vec<u32> = lapses
                .iter()
                .filter(|l| l.month.0 == y && f(l))
                .map(|l| l.month.1)
                .collect();
            months.sort_unstable();
            months.dedup();
            months.len()
        };
        if count(|l| l.unexcused_absence) >= 3 {
            out.push((
                y,
                Flag {
                    rule: "R11",
                    code: "absent_three_months",
                },
            ));
        }
        if count(|l| l.dues_unpaid) >= 3 {
            out.push((
                y,
                Flag {
                    rule: "R11",
                    code: "dues_three_months",
                },
            ));
        }
    }
    out
}

/// The half-years, between two dates, with none of the given meetings (a half-year counts when
/// it lies wholly inside the dates): R21, a residence committee's meeting of its attached working
/// members every 6 months; R16, a grassroots đảng bộ's twice-yearly meeting.
pub fn halves_missing(from: NaiveDate, to: NaiveDate, held: &[NaiveDate]) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    for y in from.year()..=to.year() {
        for h in 1..=2u32 {
            let (a, b) = if h == 1 {
                (date(y, 1, 1), date(y, 6, 30))
            } else {
                (date(y, 7, 1), date(y, 12, 31))
            };
            if a < from || b > to {
                continue;
            }
            if !held.iter().any(|d| *d >= a && *d <= b) {
                out.push((y, h));
            }
        }
    }
    out
}

/// R16: the half-years in which a grassroots đảng bộ (not a chi bộ cơ sở) held no meeting of
/// the whole đảng bộ (hội nghị đảng bộ), at least twice a year.
pub fn assemblies_missing(
    from: NaiveDate,
    to: NaiveDate,
    held: &[(NaiveDate, MeetingKind)],
) -> Vec<(i32, u32)> {
    let days: Vec<NaiveDate> = held
        .iter()
        .filter(|(_, k)| *k == MeetingKind::Assembly)
        .map(|(d, _)| *d)
        .collect();
    halves_missing(from, to, &days)
}

/// One criterion of a scoring template: its code, its name as the template states it, and the
/// most points it can give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    pub max: u32,
}

/// A rating band: the least total points for it, its code and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Band {
    pub min: u32,
    pub code: String,
    pub name: String,
}

/// Khung chấm điểm chất lượng sinh hoạt chi bộ: a scoring template for a meeting's quality.
/// Templates are data (stored, versioned by the date they apply from), not code; the system ships
/// one that follows the usual criteria (preparation, attendance, conduct, principles, resolution
/// quality).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ScoringTemplate {
    #[serde(default)]
    pub id: i64,
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    pub criteria: Vec<Criterion>,
    /// Highest first.
    pub bands: Vec<Band>,
}

/// A meeting's score under a template: points per criterion, the total and its band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub template: i64,
    pub points: Vec<(String, u32)>,
    pub total: u32,
    pub band: String,
}

impl ScoringTemplate {
    /// Scores a meeting: every criterion of the template given once, within its maximum.
    pub fn score(&self, points: &[(String, u32)]) -> Result<Score, DomainError> {
        let mut out = Vec::with_capacity(self.criteria.len());
        for c in &self.criteria {
            let mut given = points.iter().filter(|(code, _)| *code == c.code);
            let Some((_, p)) = given.next() else {
                return Err(DomainError::rule_on("score_missing", "score"));
            };
            if given.next().is_some() {
                return Err(DomainError::rule_on("score_twice", "score"));
            }
            if *p > c.max {
                return Err(DomainError::rule_on("score_out_of_range", "score"));
            }
            out.push((c.code.clone(), *p));
        }
        if points
            .iter()
            .any(|(code, _)| !self.criteria.iter().any(|c| c.code == *code))
        {
            return Err(DomainError::rule_on("score_unknown_criterion", "score"));
        }
        let total = out.iter().map(|(_, p)| p).sum();
        Ok(Score {
            template: self.id,
            band: self.band(total).to_owned(),
            points: out,
            total,
        })
    }

    /// The band of a total (the lowest band when none fits).
    pub fn band(&self, total: u32) -> &str {
        self.bands
            .iter()
            .find(|b| total >= b.min)
            .or(self.bands.last())
            .map_or("", |b| b.code.as_str())
    }

    /// The most points the template gives.
    pub fn max_total(&self) -> u32 {
        self.criteria.iter().map(|c| c.max).sum()
    }
}

/// The template in force on a date: the latest whose start is not after it (templates without
/// a start apply from the beginning).
pub fn template_on(templates: &[ScoringTemplate], on: NaiveDate) -> Option<&ScoringTemplate> {
    templates
        .iter()
        .filter(|t| t.valid_from.is_none_or(|f| f <= on))
        .max_by_key(|t| (t.valid_from, t.id))
}

/// Nội dung chương trình: the catalogue of standard items of a cell's term programme (R17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ItemKind {
    /// Quán triệt, triển khai nghị quyết, chỉ thị: names the document.
    Disseminate,
    /// Thông tin thời sự.
    CurrentAffairs,
    /// Kiểm điểm, đánh giá việc thực hiện nhiệm vụ tháng.
    MonthReview,
    /// Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.
    HoChiMinh,
    /// Ý kiến, kiến nghị của đảng viên và nhân dân.
    Concerns,
    /// Nhiệm vụ tháng tới.
    NextTasks,
    /// Kết nạp đảng viên, chuyển đảng chính thức.
    Admission,
    /// Chuyên đề: names its topic.
    Thematic,
    /// Nội dung khác.
    Other,
}

impl ItemKind {
    pub const ALL: [ItemKind; 9] = [
        ItemKind::Disseminate,
        ItemKind::CurrentAffairs,
        ItemKind::MonthReview,
        ItemKind::HoChiMinh,
        ItemKind::Concerns,
        ItemKind::NextTasks,
        ItemKind::Admission,
        ItemKind::Thematic,
        ItemKind::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Disseminate => "disseminate",
            ItemKind::CurrentAffairs => "current_affairs",
            ItemKind::MonthReview => "month_review",
            ItemKind::HoChiMinh => "ho_chi_minh",
            ItemKind::Concerns => "concerns",
            ItemKind::NextTasks => "next_tasks",
            ItemKind::Admission => "admission",
            ItemKind::Thematic => "thematic",
            ItemKind::Other => "other",
        }
    }
    pub fn from_code(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.code() == s)
    }
    /// The field an item of this kind must name: the document disseminated, the thematic topic.
    pub fn needs(self) -> Option<&'static str> {
        match self {
            ItemKind::Disseminate => Some("reference"),
            ItemKind::Thematic | ItemKind::Other => Some("title"),
            _ => None,
        }
    }
}

/// How a pushed item stands in one cell: scheduled in its programme, and held at a meeting of
/// that month whose agenda took it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PushState {
    NotScheduled,
    Scheduled,
    Held,
}

#[cfg(test)]
mod tests;
