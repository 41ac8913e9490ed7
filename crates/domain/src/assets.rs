//! Giám sát kê khai tài sản, thu nhập (R33): the committee's supervision of the asset and
//! income declarations of the cadres it manages (Luật PCTN 2018, NĐ 130/2020, QĐ 85-QĐ/TW).
//!
//! The system keeps the supervision's metadata (who must declare, by when, when it was
//! received, what a supervision or an inspection found and what followed), never the
//! declarations themselves: those stay with the state's asset-control agency.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use crate::calendar::DueState;

/// Loại kê khai: the kind of a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationKind {
    /// Kê khai lần đầu: on entering a post that must declare.
    First,
    /// Kê khai hằng năm: by 31/12 every year.
    Annual,
    /// Kê khai bổ sung: in a year whose change reaches the dated threshold, by 31/12.
    Additional,
    /// Kê khai phục vụ công tác cán bộ: before an election, approval or appointment.
    Personnel,
}

impl DeclarationKind {
    pub const ALL: [DeclarationKind; 4] = [
        DeclarationKind::First,
        DeclarationKind::Annual,
        DeclarationKind::Additional,
        DeclarationKind::Personnel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeclarationKind::First => "first",
            DeclarationKind::Annual => "annual",
            DeclarationKind::Additional => "additional",
            DeclarationKind::Personnel => "personnel",
        }
    }

    pub fn from_code(s: &str) -> Option<DeclarationKind> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// Whether its due date follows from the year alone (31/12), or from the day of the event
    /// that calls for it (taking up the post, the expected appointment).
    pub fn needs_event(self) -> bool {
        matches!(self, DeclarationKind::First | DeclarationKind::Personnel)
    }
}

/// Giám sát or kiểm tra: how the committee looks at a cadre's declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionKind {
    /// Giám sát.
    Supervision,
    /// Kiểm tra.
    Inspection,
}

impl SupervisionKind {
    pub const ALL: [SupervisionKind; 2] =
        [SupervisionKind::Supervision, SupervisionKind::Inspection];

    pub fn code(self) -> &'static str {
        match self {
            SupervisionKind::Supervision => "supervision",
            SupervisionKind::Inspection => "inspection",
        }
    }

    pub fn from_code(s: &str) -> Option<SupervisionKind> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// Căn cứ: what started a supervision or an inspection (QĐ 85-QĐ/TW).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Theo chương trình, kế hoạch hoặc yêu cầu.
    Plan,
    /// Có đơn thư khiếu nại, tố cáo.
    Complaint,
    /// Có dấu hiệu vi phạm.
    SignOfViolation,
}

impl Trigger {
    pub const ALL: [Trigger; 3] = [Trigger::Plan, Trigger::Complaint, Trigger::SignOfViolation];

    pub fn code(self) -> &'static str {
        match self {
            Trigger::Plan => "plan",
            Trigger::Complaint => "complaint",
            Trigger::SignOfViolation => "sign_of_violation",
        }
    }

    pub fn from_code(s: &str) -> Option<Trigger> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// The thresholds of the law in force from a day: the value from which an asset is declared
/// item by item, and the change in a year from which an additional declaration is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    pub valid_from: NaiveDate,
    /// VND; an asset of this value or more is declared.
    pub item_vnd: u64,
    /// VND; a change of this much or more in a year calls for an additional declaration.
    pub change_vnd: u64,
    /// The law that sets them.
    pub basis: &'static str,
}

/// The thresholds, oldest first: Luật PCTN 2018 (in force 1/7/2019), then the amendment
/// passed on 10/12/2025, in force from 1/7/2026.
pub const THRESHOLDS: [Thresholds; 2] = [
    Thresholds {
        valid_from: match NaiveDate::from_ymd_opt(2019, 7, 1) {
            Some(d) => d,
            None => NaiveDate::MIN,
        },
        item_vnd: 50_000_000,
        change_vnd: 300_000_000,
        basis: "Luật Phòng, chống tham nhũng 2018",
    },
    Thresholds {
        valid_from: match NaiveDate::from_ymd_opt(2026, 7, 1) {
            Some(d) => d,
            None => NaiveDate::MAX,
        },
        item_vnd: 150_000_000,
        change_vnd: 1_000_000_000,
        basis: "Luật Phòng, chống tham nhũng sửa đổi, bổ sung 2025",
    },
];

/// R33: the thresholds in force on a day (the oldest before 1/7/2019, when no other applies).
pub fn thresholds_on(on: NaiveDate) -> Thresholds {
    THRESHOLDS
        .iter()
        .rev()
        .find(|t| t.valid_from <= on)
        .copied()
        .unwrap_or(THRESHOLDS[0])
}

/// R33: whether a change of assets or income of `change_vnd` in a year calls for an additional
/// declaration, under the thresholds in force on `on` (the day the change is judged).
pub fn additional_required(change_vnd: u64, on: NaiveDate) -> bool {
    change_vnd >= thresholds_on(on).change_vnd
}

/// The largest change of assets or income a supervision records (VND).
pub const CHANGE_MAX: i64 = 1_000_000_000_000_000;

/// Days after taking up the post within which a first declaration is made (Luật PCTN 2018,
/// Điều 36).
pub const FIRST_DECLARATION_DAYS: u64 = 10;
/// Days before the expected election, approval or appointment by which a declaration for
/// personnel work is made (Luật PCTN 2018, Điều 36).
pub const PERSONNEL_DECLARATION_DAYS: u64 = 10;

/// R33: the day a declaration is due. Annual and additional declarations: 31/12 of their
/// year. A first declaration: 10 days after `event` (taking up the post); one for personnel
/// work: 10 days before `event` (the expected appointment). None when the event is needed
/// and not given.
pub fn due_on(kind: DeclarationKind, year: i32, event: Option<NaiveDate>) -> Option<NaiveDate> {
    match kind {
        DeclarationKind::Annual | DeclarationKind::Additional => {
            NaiveDate::from_ymd_opt(year, 12, 31)
        }
        DeclarationKind::First => event?.checked_add_days(Days::new(FIRST_DECLARATION_DAYS)),
        DeclarationKind::Personnel => {
            event?.checked_sub_days(Days::new(PERSONNEL_DECLARATION_DAYS))
        }
    }
}

/// Where a declaration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationState {
    /// Received by its due day.
    OnTime,
    /// Received after its due day.
    Late,
    /// Not received; the due day has not passed.
    Due,
    /// Not received; the due day has passed.
    Overdue,
}

impl DeclarationState {
    pub fn code(self) -> &'static str {
        match self {
            DeclarationState::OnTime => "on_time",
            DeclarationState::Late => "late",
            DeclarationState::Due => "due",
            DeclarationState::Overdue => "overdue",
        }
    }

    /// As the other deadlines of the system count it (for the lists of things due).
    pub fn due_state(self) -> Option<DueState> {
        match self {
            DeclarationState::Due => Some(DueState::Due),
            DeclarationState::Overdue => Some(DueState::Overdue),
            _ => None,
        }
    }
}

/// R33: the state of a declaration due on `due`, received on `received` (if it was), on
/// `today`.
pub fn declaration_state(
    due: NaiveDate,
    received: Option<NaiveDate>,
    today: NaiveDate,
) -> DeclarationState {
    match received {
        Some(r) if r <= due => DeclarationState::OnTime,
        Some(_) => DeclarationState::Late,
        None if today > due => DeclarationState::Overdue,
        None => DeclarationState::Due,
    }
}

/// The year a declaration counts for: that of its due day, except a personnel-work one, whose
/// year is that of the appointment it serves.
pub fn declaration_year(kind: DeclarationKind, due: NaiveDate) -> i32 {
    match kind {
        DeclarationKind::Personnel => due
            .checked_add_days(Days::new(PERSONNEL_DECLARATION_DAYS))
            .unwrap_or(due)
            .year(),
        _ => due.year(),
    }
}

#[cfg(test)]
mod tests;
