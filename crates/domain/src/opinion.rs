//! Ý kiến góp ý xây dựng Đảng (R34): what the Fatherland Front (MTTQ), the mass organisations
//! and the people say about the Party's organisations and members, taken in, given to a
//! responsible body and person with a deadline in working days, answered, and fed into the
//! subject's annual review (R28).

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{DueState, WorkCalendar};
use crate::error::FieldError;

/// Nguồn: where an opinion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpinionSource {
    /// Ủy ban Mặt trận Tổ quốc.
    Front,
    /// Một tổ chức chính trị - xã hội (Công đoàn, Đoàn Thanh niên, Hội Phụ nữ, Hội Nông dân,
    /// Hội Cựu chiến binh).
    MassOrg,
    /// Nhân dân: a citizen.
    Citizen,
    /// Hội nghị, buổi đối thoại, tiếp xúc cử tri.
    Meeting,
}

impl OpinionSource {
    pub const ALL: [OpinionSource; 4] = [
        OpinionSource::Front,
        OpinionSource::MassOrg,
        OpinionSource::Citizen,
        OpinionSource::Meeting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OpinionSource::Front => "front",
            OpinionSource::MassOrg => "mass_org",
            OpinionSource::Citizen => "citizen",
            OpinionSource::Meeting => "meeting",
        }
    }

    pub fn from_code(s: &str) -> Option<OpinionSource> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// Tình trạng: where an opinion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpinionStatus {
    /// Mới tiếp nhận: not yet given to anyone.
    Received,
    /// Đang giải quyết: given to a responsible body and person, not answered.
    Assigned,
    /// Đã trả lời.
    Answered,
}

impl OpinionStatus {
    pub const ALL: [OpinionStatus; 3] = [
        OpinionStatus::Received,
        OpinionStatus::Assigned,
        OpinionStatus::Answered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OpinionStatus::Received => "received",
            OpinionStatus::Assigned => "assigned",
            OpinionStatus::Answered => "answered",
        }
    }

    pub fn from_code(s: &str) -> Option<OpinionStatus> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// The fewest and the most working days an opinion may be given to answer.
pub const ANSWER_DAYS: std::ops::RangeInclusive<u32> = 1..=90;
/// The working days given when the assignment names none.
pub const DEFAULT_ANSWER_DAYS: u32 = 15;

/// R34: the day an opinion given to answer on `assigned_on` within `days` working days must be
/// answered by; the days must be within [`ANSWER_DAYS`].
pub fn answer_due(
    calendar: &WorkCalendar,
    assigned_on: NaiveDate,
    days: u32,
) -> Result<NaiveDate, FieldError> {
    if !ANSWER_DAYS.contains(&days) {
        return Err(FieldError::new("days", "answer_days_range"));
    }
    Ok(calendar.deadline(assigned_on, days).due_by)
}

/// R34: the status of an opinion from what has been recorded of it.
pub fn status(assigned: bool, answered: bool) -> OpinionStatus {
    match (assigned, answered) {
        (_, true) => OpinionStatus::Answered,
        (true, false) => OpinionStatus::Assigned,
        (false, false) => OpinionStatus::Received,
    }
}

/// R34: an opinion given to answer by `due_by` and not answered is overdue the day after it.
/// None when it has no deadline or has been answered.
pub fn due_state(due_by: Option<NaiveDate>, answered: bool, today: NaiveDate) -> Option<DueState> {
    match due_by {
        Some(d) if !answered => Some(if today > d {
            DueState::Overdue
        } else {
            DueState::Due
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_deadline_counts_working_days_of_the_calendar() {
        let cal = WorkCalendar::vietnam();
        // Friday 24/4/2026 + 3 working days: 27/4 (Mon) is the Hùng Kings' day off, 30/4
        // and 1/5 are holidays, so the days are 28, 29/4 and 4/5.
        let due = answer_due(&cal, d(2026, 4, 24), 3).unwrap();
        assert_eq!(due, d(2026, 5, 4));
        assert_eq!(
            answer_due(&cal, d(2026, 4, 24), 0).unwrap_err().code,
            "answer_days_range"
        );
        assert_eq!(
            answer_due(&cal, d(2026, 4, 24), 91).unwrap_err().code,
            "answer_days_range"
        );
    }

    #[test]
    fn overdue_only_when_unanswered_after_the_day() {
        let due = Some(d(2026, 5, 4));
        assert_eq!(due_state(due, false, d(2026, 5, 4)), Some(DueState::Due));
        assert_eq!(
            due_state(due, false, d(2026, 5, 5)),
            Some(DueState::Overdue)
        );
        assert_eq!(due_state(due, true, d(2026, 6, 5)), None);
        assert_eq!(due_state(None, false, d(2026, 6, 5)), None);
        assert_eq!(status(false, false), OpinionStatus::Received);
        assert_eq!(status(true, false), OpinionStatus::Assigned);
        assert_eq!(status(true, true), OpinionStatus::Answered);
        for s in OpinionSource::ALL {
            assert_eq!(OpinionSource::from_code(s.code()), Some(s));
        }
    }
}
