//! Kết nạp đảng viên: the stages of admission (R7) and the checks each stage must pass.
//!
//! A person moves from quần chúng ưu tú to the admission ceremony one stage at a time, each on
//! a day not before the previous one. The cell considers her at 18 to 60 years of age counted
//! in months (over 60 only with the recorded approval of the level the rules name), introduced
//! by two official members, or by one with a resolution of the Youth Union or the trade union;
//! the cell's resolution needs two thirds of its official members (probationary members do not
//! vote, R8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::months_between;
use crate::error::{DomainError, FieldError};

/// The stages, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Quần chúng ưu tú: an outstanding member of the public, proposed by the cell.
    Outstanding,
    /// Đối tượng kết nạp: an official member of the cell is assigned to help her.
    Candidate,
    /// Lớp bồi dưỡng nhận thức về Đảng: the awareness class, with its certificate.
    AwarenessClass,
    /// Hồ sơ: the admission file is complete.
    FileComplete,
    /// Nghị quyết của chi bộ: the cell's vote.
    CellResolution,
    /// Nghị quyết của đảng ủy cơ sở.
    GrassrootsResolution,
    /// Quyết định kết nạp, by the competent committee.
    Decision,
    /// Lễ kết nạp: after it the person is a probationary member.
    Ceremony,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Outstanding,
        Stage::Candidate,
        Stage::AwarenessClass,
        Stage::FileComplete,
        Stage::CellResolution,
        Stage::GrassrootsResolution,
        Stage::Decision,
        Stage::Ceremony,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Stage::Outstanding => "outstanding",
            Stage::Candidate => "candidate",
            Stage::AwarenessClass => "awareness_class",
            Stage::FileComplete => "file_complete",
            Stage::CellResolution => "cell_resolution",
            Stage::GrassrootsResolution => "grassroots_resolution",
            Stage::Decision => "decision",
            Stage::Ceremony => "ceremony",
        }
    }
    pub fn from_code(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|k| k.code() == s)
    }
    /// The stage after this one.
    pub fn next(self) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| *s > self)
    }
}

/// R7: the youngest age, in months.
pub const MIN_AGE_MONTHS: i32 = 18 * 12;
/// R7: the oldest age without approval, in months (60 years; 60 years and some days pass).
pub const MAX_AGE_MONTHS: i32 = 60 * 12;
/// R7: the competent committee decides within 60 working days of the cell's resolution.
pub const DECISION_DAYS: u32 = 60;
/// R7: the ceremony is held within 30 working days of the decision.
pub const CEREMONY_DAYS: u32 = 30;

/// A stage may be taken only right after the one before it, on a day not before it and not
/// after today.
pub fn check_order(
    last: Option<(Stage, NaiveDate)>,
    next: Stage,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    let expected = match last {
        None => Stage::Outstanding,
        Some((s, _)) => s
            .next()
            .ok_or(DomainError::rule_on("already_admitted", "stage"))?,
    };
    if next != expected {
        return Err(DomainError::rule_on("stage_out_of_order", "stage"));
    }
    if let Some((_, prev)) = last
        && on < prev
    {
        return Err(DomainError::rule_on("before_previous_stage", "on"));
    }
    if on > today {
        return Err(DomainError::rule_on("date_in_future", "on"));
    }
    Ok(())
}

/// R7: the age on the day the cell considers her, counted in months.
pub fn check_age(
    birth: NaiveDate,
    considered_on: NaiveDate,
    over_60_approved: bool,
) -> Result<(), FieldError> {
    let months = months_between(birth, considered_on);
    if months < MIN_AGE_MONTHS {
        Err(FieldError::new("birth_date", "admission_under_18"))
    } else if months > MAX_AGE_MONTHS && !over_60_approved {
        Err(FieldError::new(
            "over_60_approval",
            "over_60_needs_approval",
        ))
    } else {
        Ok(())
    }
}

/// R7: two official introducers, or one with a Youth Union or trade-union resolution.
pub fn check_introducers(official: usize, union_resolution: bool) -> Result<(), FieldError> {
    if official >= 2 || (official == 1 && union_resolution) {
        Ok(())
    } else {
        Err(FieldError::new("introducers", "introducers_insufficient"))
    }
}

/// The cell's vote: no more votes than official members, and two thirds of them for.
pub fn check_vote(votes_for: u32, votes_against: u32, official: u32) -> Result<(), FieldError> {
    if votes_for.saturating_add(votes_against) > official {
        Err(FieldError::new("votes_for", "votes_exceed_officials"))
    } else if u64::from(votes_for) * 3 < u64::from(official) * 2 {
        Err(FieldError::new("votes_for", "resolution_not_passed"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::date::d;

    #[test]
    fn age_is_counted_in_months_on_the_cells_day() {
        let birth = d(1966, 3, 15);
        // 59 years 11 months: accepted.
        assert!(check_age(birth, d(2026, 3, 1), false).is_ok());
        // 60 years and some days: still 60.
        assert!(check_age(birth, d(2026, 4, 10), false).is_ok());
        // 60 years 1 month: only with the approval.
        let e = check_age(birth, d(2026, 4, 15), false).unwrap_err();
        assert_eq!(
            (e.field, e.code),
            ("over_60_approval", "over_60_needs_approval")
        );
        assert!(check_age(birth, d(2026, 4, 15), true).is_ok());
        // 17 years 11 months.
        let e = check_age(d(2008, 4, 2), d(2026, 4, 1), false).unwrap_err();
        assert_eq!(e.code, "admission_under_18");
        assert!(check_age(d(2008, 4, 1), d(2026, 4, 1), false).is_ok());
    }

    #[test]
    fn introducers_and_the_vote() {
        assert!(check_introducers(2, false).is_ok());
        assert!(check_introducers(1, true).is_ok());
        assert_eq!(
            check_introducers(1, false).unwrap_err().code,
            "introducers_insufficient"
        );
        assert!(check_introducers(0, true).is_err());
        assert!(check_vote(6, 3, 9).is_ok());
        assert_eq!(
            check_vote(5, 4, 9).unwrap_err().code,
            "resolution_not_passed"
        );
        assert_eq!(
            check_vote(8, 3, 10).unwrap_err().code,
            "votes_exceed_officials"
        );
    }

    #[test]
    fn stages_come_in_order_on_days_not_before_the_previous() {
        let today = d(2026, 6, 15);
        assert!(check_order(None, Stage::Outstanding, d(2025, 1, 1), today).is_ok());
        let e = check_order(None, Stage::Candidate, d(2025, 1, 1), today).unwrap_err();
        assert_eq!(e.code(), "stage_out_of_order");
        let last = Some((Stage::Candidate, d(2025, 3, 1)));
        assert!(check_order(last, Stage::AwarenessClass, d(2025, 3, 1), today).is_ok());
        let e = check_order(last, Stage::AwarenessClass, d(2025, 2, 28), today).unwrap_err();
        assert_eq!(e.code(), "before_previous_stage");
        let e = check_order(last, Stage::AwarenessClass, d(2026, 6, 16), today).unwrap_err();
        assert_eq!(e.code(), "date_in_future");
        let done = Some((Stage::Ceremony, d(2025, 9, 1)));
        assert_eq!(
            check_order(done, Stage::Ceremony, d(2025, 9, 2), today)
                .unwrap_err()
                .code(),
            "already_admitted"
        );
    }

    proptest! {
        #[test]
        fn only_the_next_stage_is_accepted(last in 0usize..8, next in 0usize..8) {
            let today = d(2026, 6, 15);
            let on = d(2025, 1, 1);
            let r = check_order(Some((Stage::ALL[last], on)), Stage::ALL[next], on, today);
            prop_assert_eq!(r.is_ok(), next == last + 1);
        }

        #[test]
        fn a_vote_passes_exactly_with_two_thirds_of_the_official_members(
            official in 1u32..60, f in 0u32..60, a in 0u32..60,
        ) {
            let r = check_vote(f, a, official);
            let expected = f + a <= official && 3 * f >= 2 * official;
            prop_assert_eq!(r.is_ok(), expected);
        }
    }
}
