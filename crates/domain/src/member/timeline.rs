//! A member's timeline (R6–R12): the kinds of event, their replay into a status on any day,
//! the spans of membership in each cell, and seniority.

use crate::date::{age_years, months_between};
use crate::error::DomainError;
use crate::ids::OrgId;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Hình thức kỷ luật: forms of discipline of a member (R12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisciplineForm {
    /// Khiển trách.
    KhienTrach,
    /// Cảnh cáo.
    CanhCao,
    /// Cách chức.
    CachChuc,
    /// Khai trừ.
    KhaiTru,
}

impl DisciplineForm {
    pub const ALL: [DisciplineForm; 4] = [
        DisciplineForm::KhienTrach,
        DisciplineForm::CanhCao,
        DisciplineForm::CachChuc,
        DisciplineForm::KhaiTru,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DisciplineForm::KhienTrach => "khien_trach",
            DisciplineForm::CanhCao => "canh_cao",
            DisciplineForm::CachChuc => "cach_chuc",
            DisciplineForm::KhaiTru => "khai_tru",
        }
    }
    pub fn from_code(s: &str) -> Option<DisciplineForm> {
        DisciplineForm::ALL.into_iter().find(|k| k.code() == s)
    }
    /// R12: a probationary member can only be given khiển trách or cảnh cáo.
    pub fn allowed_for_probationary(self) -> bool {
        matches!(self, DisciplineForm::KhienTrach | DisciplineForm::CanhCao)
    }
}

/// What happened to a member (R6). Status is derived from these, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Kết nạp: admitted (the admission decision date); probation starts (R7, R8).
    Admitted,
    /// Kết nạp lại: readmitted after leaving; a new probation starts.
    Readmitted,
    /// Công nhận đảng viên chính thức: official, 12 months after admission (R8).
    MadeOfficial,
    /// Chuyển sinh hoạt đến: arrived from outside this system, into a cell.
    TransferredIn,
    /// Chuyển sinh hoạt nội bộ: moved to another cell of this system.
    MovedCell,
    /// Chuyển sinh hoạt đi: left this system for another committee.
    TransferredOut,
    /// Sinh hoạt tạm thời nơi khác: temporarily attached elsewhere (R10).
    TemporaryOut,
    /// Trở về sau sinh hoạt tạm thời.
    TemporaryReturn,
    /// Miễn công tác và sinh hoạt đảng.
    Exempted,
    /// Trở lại sinh hoạt sau khi được miễn.
    ExemptionEnded,
    /// Đình chỉ sinh hoạt đảng.
    Suspended,
    /// Hết đình chỉ sinh hoạt.
    SuspensionLifted,
    /// Kỷ luật (R12); khai trừ also ends membership.
    Disciplined,
    /// Xóa tên khỏi danh sách đảng viên.
    RemovedFromRolls,
    /// Xin ra khỏi Đảng.
    Resigned,
    /// Từ trần.
    Died,
}

impl EventKind {
    pub const ALL: [EventKind; 16] = [
        EventKind::Admitted,
        EventKind::Readmitted,
        EventKind::MadeOfficial,
        EventKind::TransferredIn,
        EventKind::MovedCell,
        EventKind::TransferredOut,
        EventKind::TemporaryOut,
        EventKind::TemporaryReturn,
        EventKind::Exempted,
        EventKind::ExemptionEnded,
        EventKind::Suspended,
        EventKind::SuspensionLifted,
        EventKind::Disciplined,
        EventKind::RemovedFromRolls,
        EventKind::Resigned,
        EventKind::Died,
    ];
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Admitted => "admitted",
            EventKind::Readmitted => "readmitted",
            EventKind::MadeOfficial => "made_official",
            EventKind::TransferredIn => "transferred_in",
            EventKind::MovedCell => "moved_cell",
            EventKind::TransferredOut => "transferred_out",
            EventKind::TemporaryOut => "temporary_out",
            EventKind::TemporaryReturn => "temporary_return",
            EventKind::Exempted => "exempted",
            EventKind::ExemptionEnded => "exemption_ended",
            EventKind::Suspended => "suspended",
            EventKind::SuspensionLifted => "suspension_lifted",
            EventKind::Disciplined => "disciplined",
            EventKind::RemovedFromRolls => "removed_from_rolls",
            EventKind::Resigned => "resigned",
            EventKind::Died => "died",
        }
    }
    pub fn from_code(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Events that must name the cell the member goes to.
    pub fn needs_cell(self) -> bool {
        matches!(self, EventKind::TransferredIn | EventKind::MovedCell)
    }

    /// Events that may place the member in a cell of this system (an admission without a cell
    /// happened elsewhere; the member arrives later by `TransferredIn`).
    pub fn places_in_cell(self) -> bool {
        matches!(
            self,
            EventKind::Admitted
                | EventKind::Readmitted
                | EventKind::TransferredIn
                | EventKind::MovedCell
        )
    }
    /// Events that may name where the member goes: the receiving organisation of a transfer
    /// out, the cell she is attached to while temporarily away (R10). The other side may be
    /// outside the scope of whoever records it, or outside this system altogether.
    pub fn names_destination(self) -> bool {
        matches!(self, EventKind::TransferredOut | EventKind::TemporaryOut)
    }

    /// Events that take effect by a decision the rules name (R7, R8, R11, R12, the
    /// exemption and suspension decisions): recorded with its reference, date and deciding
    /// body, or marked as coming from an old, incomplete file.
    pub fn needs_decision(self) -> bool {
        matches!(
            self,
            EventKind::Admitted
                | EventKind::Readmitted
                | EventKind::MadeOfficial
                | EventKind::Exempted
                | EventKind::Suspended
                | EventKind::Disciplined
                | EventKind::RemovedFromRolls
                | EventKind::Resigned
        )
    }

    /// Events that end the member's presence in her cell.
    pub fn leaves_cell(self) -> bool {
        matches!(
            self,
            EventKind::TransferredOut
                | EventKind::RemovedFromRolls
                | EventKind::Resigned
                | EventKind::Died
        )
    }
}

/// One event of the timeline, as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    /// The date the event takes effect.
    pub on: NaiveDate,
    /// The cell, for events that place the member in one; the receiving organisation (or the
    /// cell of a temporary attachment) inside this system, for events that name a destination.
    pub org: Option<OrgId>,
    /// The discipline form, for `Disciplined`.
    pub discipline: Option<DisciplineForm>,
}

impl Event {
    /// Ends her time in the Party that seniority counts (R9): removal, resignation, death,
    /// expulsion.
    pub fn ends_party_time(&self) -> bool {
        matches!(
            self.kind,
            EventKind::RemovedFromRolls | EventKind::Resigned | EventKind::Died
        ) || (self.kind == EventKind::Disciplined
            && self.discipline == Some(DisciplineForm::KhaiTru))
    }
}

/// The derived state of a member on a date (R6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not (yet, or again) in the Party.
    NotMember,
    /// Đảng viên dự bị.
    Probationary,
    /// Đảng viên chính thức.
    Official,
    /// Miễn công tác và sinh hoạt đảng.
    Exempt,
    /// Đình chỉ sinh hoạt.
    Suspended,
    /// Sinh hoạt tạm thời nơi khác.
    TemporarilyAway,
    /// Đã chuyển sinh hoạt đi.
    TransferredOut,
    /// Đã từ trần.
    Died,
    /// Đã bị xóa tên.
    RemovedFromRolls,
    /// Đã bị khai trừ.
    Expelled,
    /// Đã ra khỏi Đảng.
    Resigned,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::NotMember,
        Status::Probationary,
        Status::Official,
        Status::Exempt,
        Status::Suspended,
        Status::TemporarilyAway,
        Status::TransferredOut,
        Status::Died,
        Status::RemovedFromRolls,
        Status::Expelled,
        Status::Resigned,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Status::NotMember => "not_member",
            Status::Probationary => "probationary",
            Status::Official => "official",
            Status::Exempt => "exempt",
            Status::Suspended => "suspended",
            Status::TemporarilyAway => "temporarily_away",
            Status::TransferredOut => "transferred_out",
            Status::Died => "died",
            Status::RemovedFromRolls => "removed_from_rolls",
            Status::Expelled => "expelled",
            Status::Resigned => "resigned",
        }
    }
    pub fn from_code(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Still on the cell's rolls (counted in the cell's membership).
    pub fn on_rolls(self) -> bool {
        matches!(
            self,
            Status::Probationary
                | Status::Official
                | Status::Exempt
                | Status::Suspended
                | Status::TemporarilyAway
        )
    }
}

/// What the timeline says about a member on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemberState {
    pub status: Status,
    /// Official (chính thức) rather than probationary, while in the Party.
    pub official: bool,
    /// The cell the member belongs to, while on the rolls of this system.
    pub cell: Option<OrgId>,
    /// Date of the (latest) admission decision.
    pub admitted_on: Option<NaiveDate>,
    /// Date membership became official.
    pub official_on: Option<NaiveDate>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    Active,
    Exempt,
    Suspended,
    Away,
}

/// Orders events as the timeline does: by date, the order of entry breaking ties.
pub fn sort_events(events: &mut [(Event, i64)]) {
    events.sort_by_key(|(e, seq)| (e.on, *seq));
}

/// R8: membership becomes official exactly 12 months after admission, even when the decision is
/// late.
pub fn official_date(admitted_on: NaiveDate) -> NaiveDate {
    admitted_on
        .checked_add_months(Months::new(12))
        .unwrap_or(admitted_on)
}

/// Replays a timeline (already in order) and returns the state after each event, refusing the
/// first event that breaks a rule, with its index. `birth_date` checks admission age (R7).
pub fn replay(
    birth_date: NaiveDate,
    events: &[Event],
) -> Result<Vec<MemberState>, (usize, DomainError)> {
    let mut in_party = false;
    let mut official = false;
    let mut activity = Activity::Active;
    let mut left: Option<Status> = None;
    let mut cell: Option<OrgId> = None;
    let mut admitted_on = None;
    let mut official_on = None;
    let mut ever_member = false;
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let fail = |code: &'static str| Err((i, DomainError::rule(code)));
        let fail_on = |code: &'static str, f: &'static str| Err((i, DomainError::rule_on(code, f)));
        if left == Some(Status::Died) {
            return fail("member_died");
        }
        if e.on < birth_date {
            return fail_on("event_before_birth", "on");
        }
        if e.kind.needs_cell() && e.org.is_none() {
            return fail_on("required", "org");
        }
        match e.kind {
            EventKind::Admitted | EventKind::Readmitted => {
                if in_party {
                    return fail("already_member");
                }
                if e.kind == EventKind::Admitted && ever_member {
                    return fail("use_readmitted");
                }
                if e.kind == EventKind::Readmitted && !ever_member {
                    return fail("never_member");
                }
                if left == Some(Status::TransferredOut) {
                    return fail("already_member");
                }
                if age_years(birth_date, e.on) < 18 {
                    return fail_on("admission_under_18", "on");
                }
                in_party = true;
                ever_member = true;
                official = false;
                activity = Activity::Active;
                // Admitted elsewhere: in the Party, not yet on this system's rolls.
                left = if e.org.is_none() {
                    Some(Status::TransferredOut)
                } else {
                    None
                };
                cell = e.org;
                admitted_on = Some(e.on);
                official_on = None;
            }
            EventKind::TransferredIn => {
                // Arrives from another committee: either someone never seen here who was admitted
                // elsewhere (the admission is recorded first), or someone who left earlier.
                if !in_party || left != Some(Status::TransferredOut) {
                    return fail("not_transferred_out");
                }
                left = None;
                cell = e.org;
            }
            // Official membership also comes while the member is on another committee's rolls.
            _ if !in_party || (left.is_some() && e.kind != EventKind::MadeOfficial) => {
                return fail("not_a_member");
            }
            EventKind::MadeOfficial => {
                if official {
                    return fail("not_probationary");
                }
                let due = admitted_on.map(official_date);
                if due != Some(e.on) {
                    return fail_on("official_date_12_months", "on");
                }
                official = true;
                official_on = Some(e.on);
            }
            EventKind::MovedCell => {
                if e.org == cell {
                    return fail_on("same_cell", "org");
                }
                cell = e.org;
            }
            EventKind::TransferredOut => {
                left = Some(Status::TransferredOut);
                activity = Activity::Active;
                cell = None;
            }
            EventKind::TemporaryOut => {
                if activity != Activity::Active {
                    return fail("not_active");
                }
                activity = Activity::Away;
            }
            EventKind::TemporaryReturn => {
                if activity != Activity::Away {
                    return fail("not_away");
                }
                activity = Activity::Active;
            }
            EventKind::Exempted => {
                if activity != Activity::Active {
                    return fail("not_active");
                }
                activity = Activity::Exempt;
            }
            EventKind::ExemptionEnded => {
                if activity != Activity::Exempt {
                    return fail("not_exempt");
                }
                activity = Activity::Active;
            }
            EventKind::Suspended => {
                if activity == Activity::Suspended {
                    return fail("already_suspended");
                }
                activity = Activity::Suspended;
            }
            EventKind::SuspensionLifted => {
                if activity != Activity::Suspended {
                    return fail("not_suspended");
                }
                activity = Activity::Active;
            }
            EventKind::Disciplined => {
                let Some(form) = e.discipline else {
                    return fail_on("required", "discipline");
                };
                if !official && !form.allowed_for_probationary() {
                    // R12
                    return fail_on("discipline_not_allowed_probationary", "discipline");
                }
                if form == DisciplineForm::KhaiTru {
                    in_party = false;
                    left = Some(Status::Expelled);
                    cell = None;
                }
            }
            EventKind::RemovedFromRolls => {
                in_party = false;
                left = Some(Status::RemovedFromRolls);
                cell = None;
            }
            EventKind::Resigned => {
                in_party = false;
                left = Some(Status::Resigned);
                cell = None;
            }
            EventKind::Died => {
                left = Some(Status::Died);
                cell = None;
            }
        }
        let status = match (left, in_party, activity) {
            (Some(s), _, _) => s,
            (None, false, _) => Status::NotMember,
            (None, true, Activity::Exempt) => Status::Exempt,
            (None, true, Activity::Suspended) => Status::Suspended,
            (None, true, Activity::Away) => Status::TemporarilyAway,
            (None, true, Activity::Active) if official => Status::Official,
            (None, true, Activity::Active) => Status::Probationary,
        };
        out.push(MemberState {
            status,
            official: in_party && official,
            cell,
            admitted_on,
            official_on,
        });
    }
    Ok(out)
}

/// A span of time during which a member sits in one cell with one status: the read model of
/// her timeline that lists and counts use. Derived from `replay`, never edited by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub cell: OrgId,
    pub status: Status,
    pub official: bool,
    pub from: NaiveDate,
    /// Exclusive end; `None` while it lasts.
    pub to: Option<NaiveDate>,
}

/// Cuts a valid timeline into spans on the rolls of a cell, one per (cell, status, official)
/// combination, in order.
pub fn spans(birth_date: NaiveDate, events: &[Event]) -> Result<Vec<Span>, DomainError> {
    let states = replay(birth_date, events).map_err(|(_, e)| e)?;
    let mut out: Vec<Span> = Vec::new();
    for (e, s) in events.iter().zip(&states) {
        let key = s.cell.map(|c| (c, s.status, s.official));
        let current = out
            .last()
            .filter(|x| x.to.is_none())
            .map(|x| (x.cell, x.status, x.official));
        if current != key {
            if let Some(last) = out.last_mut().filter(|x| x.to.is_none()) {
                last.to = Some(e.on);
            }
            if let Some((cell, status, official)) = key {
                out.push(Span {
                    cell,
                    status,
                    official,
                    from: e.on,
                    to: None,
                });
            }
        }
    }
    out.retain(|x| x.to != Some(x.from));
    Ok(out)
}

/// The cell of this system a member is temporarily attached to on `on` (sinh hoạt tạm thời,
/// R10): the cell her last temporary transfer named, until she returns or leaves her cell. Only
/// there may she sit in a meeting as attached from elsewhere.
pub fn attached_cell(events: &[Event], on: NaiveDate) -> Option<OrgId> {
    let mut attached = None;
    for e in events.iter().take_while(|e| e.on <= on) {
        attached = match e.kind {
            EventKind::TemporaryOut => e.org,
            EventKind::TemporaryReturn => None,
            k if k.leaves_cell() || k.places_in_cell() => None,
            _ => attached,
        };
    }
    attached
}

/// Where a member off this system's rolls is expected to arrive (R10), from her timeline in
/// order: `Some(Some(org))` after a transfer out addressed to an organisation of this system,
/// `Some(None)` after a transfer out elsewhere or an admission recorded without a cell, `None`
/// while she is on the rolls here or has left the Party.
pub fn awaiting_arrival(events: &[Event]) -> Option<Option<OrgId>> {
    let mut awaiting = None;
    for e in events {
        awaiting = match e.kind {
            EventKind::TransferredOut => Some(e.org),
            EventKind::Admitted | EventKind::Readmitted if e.org.is_none() => Some(None),
            k if k.places_in_cell() => None,
            EventKind::RemovedFromRolls | EventKind::Resigned | EventKind::Died => None,
            EventKind::Disciplined if e.discipline == Some(DisciplineForm::KhaiTru) => None,
            _ => awaiting,
        };
    }
    awaiting
}

/// The member's state on date `on`: the state after the last event on or before it.
pub fn state_on(
    birth_date: NaiveDate,
    events: &[Event],
    on: NaiveDate,
) -> Result<MemberState, DomainError> {
    let upto = events.iter().take_while(|e| e.on <= on).count();
    let states = replay(birth_date, &events[..upto]).map_err(|(_, e)| e)?;
    Ok(states.last().copied().unwrap_or(MemberState {
        status: Status::NotMember,
        official: false,
        cell: None,
        admitted_on: None,
        official_on: None,
    }))
}

/// Tuổi đảng (R9): whole months in the Party up to `on`, from each admission decision to the
/// member's leaving (removal, resignation, expulsion), minus the periods out of the Party.
/// Seniority stops at death.
pub fn seniority_months(events: &[Event], on: NaiveDate) -> i32 {
    party_periods(events)
        .into_iter()
        .filter(|(from, _)| *from <= on)
        .map(|(from, to)| months_between(from, to.map_or(on, |t| t.min(on))).max(0))
        .sum()
}

/// The periods she was in the Party, in order: from each admission (or readmission) to the
/// event that ended it (removal, resignation, expulsion, death), the last one open while it
/// lasts.
pub fn party_periods(events: &[Event]) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let mut out = Vec::new();
    let mut since: Option<NaiveDate> = None;
    for e in events {
        match e.kind {
            EventKind::Admitted | EventKind::Readmitted => {
                since = since.or(Some(e.on));
            }
            _ if e.ends_party_time() => {
                if let Some(s) = since.take() {
                    out.push((s, Some(e.on)));
                }
            }
            _ => {}
        }
    }
    if let Some(s) = since {
        out.push((s, None));
    }
    out
}

/// Validates an admission against the birth date (R7): not before birth, not before 18.
pub fn check_admission(birth_date: NaiveDate, admitted_on: NaiveDate) -> Result<(), DomainError> {
    if admitted_on < birth_date {
        return Err(DomainError::rule_on(
            "admission_before_birth",
            "admitted_on",
        ));
    }
    if age_years(birth_date, admitted_on) < 18 {
        return Err(DomainError::rule_on("admission_under_18", "admitted_on"));
    }
    Ok(())
}
