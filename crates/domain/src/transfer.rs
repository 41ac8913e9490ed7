//! Chuyển sinh hoạt đảng: transfers of a member's party activity (R10). An official transfer
//! moves her to another organisation for good; a temporary one attaches her to a host cell for
//! a while and brings her back. The sending side issues a letter (giấy giới thiệu sinh hoạt
//! đảng); the receiving side accepts it or returns it.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Deadline, DueState, WorkCalendar};
use crate::error::DomainError;

/// R10: the sending side introduces the member within 60 working days of the decision that
/// causes the transfer (a new job, retirement, a move of residence, …).
pub const SENDING_DAYS: u32 = 60;
/// R10: the member presents her letter to the receiving side within 30 working days.
pub const PRESENTATION_DAYS: u32 = 30;
/// R10: a temporary transfer lasts at least 3 months …
pub const TEMPORARY_MIN_MONTHS: i32 = 3;
/// … and at most a year, or two years for full-time study.
pub const TEMPORARY_MAX_MONTHS: i32 = 12;
pub const STUDY_MAX_MONTHS: i32 = 24;

/// Loại chuyển sinh hoạt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// Chuyển sinh hoạt đảng chính thức.
    Official,
    /// Chuyển sinh hoạt đảng tạm thời.
    Temporary,
}

impl TransferKind {
    pub fn code(self) -> &'static str {
        match self {
            TransferKind::Official => "official",
            TransferKind::Temporary => "temporary",
        }
    }
    pub fn from_code(s: &str) -> Option<TransferKind> {
        [TransferKind::Official, TransferKind::Temporary]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// Lý do chuyển sinh hoạt: why the member moves (R10 names the decisions that cause it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferReason {
    /// Chuyển công tác: a new workplace.
    NewJob,
    /// Nghỉ hưu: retired, to her place of residence.
    Retired,
    /// Thay đổi nơi cư trú.
    MovedHome,
    /// Thôi việc, mất sức lao động.
    LeftJob,
    /// Xuất ngũ, phục viên.
    Demobilised,
    /// Đi học tập trung.
    Study,
    /// Lý do khác.
    Other,
}

impl TransferReason {
    pub const ALL: [TransferReason; 7] = [
        TransferReason::NewJob,
        TransferReason::Retired,
        TransferReason::MovedHome,
        TransferReason::LeftJob,
        TransferReason::Demobilised,
        TransferReason::Study,
        TransferReason::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TransferReason::NewJob => "new_job",
            TransferReason::Retired => "retired",
            TransferReason::MovedHome => "moved_home",
            TransferReason::LeftJob => "left_job",
            TransferReason::Demobilised => "demobilised",
            TransferReason::Study => "study",
            TransferReason::Other => "other",
        }
    }
    pub fn from_code(s: &str) -> Option<TransferReason> {
        TransferReason::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    /// Đang chuyển: the letter is issued to an organisation of this system, not yet accepted.
    Pending,
    /// Đã tiếp nhận.
    Accepted,
    /// Đã chuyển ra ngoài hệ thống: the receiving committee is not in this system.
    Outside,
    /// Bị trả lại: the receiving side returned the letter; she stays where she was.
    Returned,
    /// Đã hủy: the transfer event was cancelled as recorded by mistake.
    Cancelled,
    /// Đang sinh hoạt tạm thời.
    Away,
    /// Đã trở về sau sinh hoạt tạm thời (or left her cell meanwhile).
    Ended,
}

impl TransferStatus {
    pub const ALL: [TransferStatus; 7] = [
        TransferStatus::Pending,
        TransferStatus::Accepted,
        TransferStatus::Outside,
        TransferStatus::Returned,
        TransferStatus::Cancelled,
        TransferStatus::Away,
        TransferStatus::Ended,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TransferStatus::Pending => "pending",
            TransferStatus::Accepted => "accepted",
            TransferStatus::Outside => "outside",
            TransferStatus::Returned => "returned",
            TransferStatus::Cancelled => "cancelled",
            TransferStatus::Away => "away",
            TransferStatus::Ended => "ended",
        }
    }
    pub fn from_code(s: &str) -> Option<TransferStatus> {
        TransferStatus::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Still waiting for its other side: the acceptance, or the return from a temporary stay.
    pub fn is_open(self) -> bool {
        matches!(self, TransferStatus::Pending | TransferStatus::Away)
    }
}

/// The longest a temporary transfer may last for this reason, in months (R10).
pub fn temporary_max_months(reason: TransferReason) -> i32 {
    if reason == TransferReason::Study {
        STUDY_MAX_MONTHS
    } else {
        TEMPORARY_MAX_MONTHS
    }
}

/// Checks a temporary transfer's planned return (R10): 3 months to a year after it starts (two
/// years for study).
pub fn check_temporary(
    reason: TransferReason,
    from: NaiveDate,
    planned_return: NaiveDate,
) -> Result<(), DomainError> {
    let after = |m: i32| from.checked_add_months(Months::new(m.unsigned_abs()));
    if after(TEMPORARY_MIN_MONTHS).is_none_or(|min| planned_return < min) {
        Err(DomainError::rule_on(
            "temporary_too_short",
            "planned_return",
        ))
    } else if after(temporary_max_months(reason)).is_none_or(|max| planned_return > max) {
        Err(DomainError::rule_on("temporary_too_long", "planned_return"))
    } else {
        Ok(())
    }
}

/// A month as the letter writes it: `mm/yyyy`.
pub fn month_vn(d: NaiveDate) -> String {
    format!("{:02}/{}", d.month(), d.year())
}

/// What the calendar says about a transfer on a day (R10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TransferClock {
    /// The sending side's deadline, from the decision that caused the transfer, when it is
    /// known; and whether the letter came after it.
    pub sending: Option<Deadline>,
    pub sent_late: bool,
    /// The member's deadline to present her letter, for an official transfer within this system.
    pub presentation: Option<Deadline>,
    /// Where the open step stands: the presentation of a pending transfer, the planned return
    /// of a temporary stay (overdue is an overrun).
    pub state: Option<DueState>,
}

/// The facts of a transfer the calendar reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferDates {
    pub kind: TransferKind,
    pub status: TransferStatus,
    /// The letter's date: the day she leaves.
    pub sent_on: NaiveDate,
    /// The decision that caused the transfer.
    pub trigger_on: Option<NaiveDate>,
    pub planned_return: Option<NaiveDate>,
}

impl TransferDates {
    /// Deadlines and state on `today` (R10).
    pub fn clock(&self, calendar: &WorkCalendar, today: NaiveDate) -> TransferClock {
        let sending = self
            .trigger_on
            .filter(|_| self.kind == TransferKind::Official)
            .map(|t| calendar.deadline(t, SENDING_DAYS));
        let presentation = (self.kind == TransferKind::Official
            && matches!(
                self.status,
                TransferStatus::Pending | TransferStatus::Accepted
            ))
        .then(|| calendar.deadline(self.sent_on, PRESENTATION_DAYS));
        let state = match self.status {
            TransferStatus::Pending => presentation.map(|d| d.state(today)),
            TransferStatus::Away => self.planned_return.map(|r| {
                if today > r {
                    DueState::Overdue
                } else {
                    DueState::Due
                }
            }),
            _ => None,
        };
        TransferClock {
            sending,
            sent_late: sending.is_some_and(|d| self.sent_on > d.due_by),
            presentation,
            state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::date::d;

    #[test]
    fn temporary_transfers_last_three_months_to_a_year_or_two_for_study() {
        let from = d(2026, 3, 15);
        let work = TransferReason::NewJob;
        assert!(check_temporary(work, from, d(2026, 6, 15)).is_ok());
        assert_eq!(
            check_temporary(work, from, d(2026, 6, 14)).map_err(|e| e.code()),
            Err("temporary_too_short")
        );
        assert!(check_temporary(work, from, d(2027, 3, 15)).is_ok());
        assert_eq!(
            check_temporary(work, from, d(2027, 3, 16)).map_err(|e| e.code()),
            Err("temporary_too_long")
        );
        assert!(check_temporary(TransferReason::Study, from, d(2028, 3, 15)).is_ok());
        assert_eq!(
            check_temporary(TransferReason::Study, from, d(2028, 3, 16)).map_err(|e| e.code()),
            Err("temporary_too_long")
        );
    }

    #[test]
    fn months_are_read_as_a_letter_writes_them() {
        assert_eq!(crate::date::parse_month("m", "10/2026"), Ok(d(2026, 10, 1)));
        assert_eq!(crate::date::parse_month("m", "2026-03"), Ok(d(2026, 3, 1)));
        assert_eq!(
            crate::date::parse_month("m", " 3 / 2026 "),
            Ok(d(2026, 3, 1))
        );
        assert!(crate::date::parse_month("m", "13/2026").is_err());
        assert!(crate::date::parse_month("m", "tháng mười").is_err());
        assert_eq!(month_vn(d(2026, 3, 1)), "03/2026");
    }

    #[test]
    fn a_pending_transfer_across_tet_is_due_thirty_working_days_after_its_letter() {
        let cal = WorkCalendar::vietnam();
        // Letter on Friday 6/2/2026; Tết 2026 closes 14–22/2; 30 working days end on 27/3.
        let t = TransferDates {
            kind: TransferKind::Official,
            status: TransferStatus::Pending,
            sent_on: d(2026, 2, 6),
            trigger_on: Some(d(2025, 11, 3)),
            planned_return: None,
        };
        let c = t.clock(&cal, d(2026, 3, 27));
        assert_eq!(
            c.presentation.map(|p| p.due_by),
            Some(cal.add_working_days(d(2026, 2, 6), 30))
        );
        assert_eq!(c.state, Some(DueState::Due));
        assert_eq!(
            t.clock(
                &cal,
                c.presentation.map(|p| p.due_by).unwrap_or(t.sent_on) + chrono::Days::new(1)
            )
            .state,
            Some(DueState::Overdue)
        );
        // 3/11/2025 + 60 working days is before 6/2/2026: the letter came late.
        assert!(c.sent_late);
    }

    #[test]
    fn a_temporary_stay_past_its_planned_return_is_an_overrun() {
        let cal = WorkCalendar::vietnam();
        let t = TransferDates {
            kind: TransferKind::Temporary,
            status: TransferStatus::Away,
            sent_on: d(2026, 1, 5),
            trigger_on: None,
            planned_return: Some(d(2026, 7, 5)),
        };
        assert_eq!(t.clock(&cal, d(2026, 7, 5)).state, Some(DueState::Due));
        assert_eq!(t.clock(&cal, d(2026, 7, 6)).state, Some(DueState::Overdue));
        assert_eq!(t.clock(&cal, d(2026, 7, 6)).presentation, None);
        let ended = TransferDates {
            status: TransferStatus::Ended,
            ..t
        };
        assert_eq!(ended.clock(&cal, d(2027, 1, 1)).state, None);
    }

    proptest! {
        /// Any planned return within the bounds passes, any outside fails, for every reason.
        #[test]
        fn temporary_bounds_hold_for_any_dates(
            days in 0i64..20_000, len in 0i64..900, r in 0usize..7,
        ) {
            let reason = TransferReason::ALL[r];
            let from = d(1990, 1, 1) + chrono::Days::new(days as u64);
            let back = from + chrono::Days::new(len as u64);
            let min = from.checked_add_months(Months::new(3)).unwrap_or(from);
            let max = from
                .checked_add_months(Months::new(temporary_max_months(reason) as u32))
                .unwrap_or(from);
            let ok = back >= min && back <= max;
            prop_assert_eq!(check_temporary(reason, from, back).is_ok(), ok);
        }
    }
}
