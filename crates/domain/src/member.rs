//! Members and their records (R5–R15): validated record fields, the event timeline, the status
//! and seniority derived from it.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::date::{age_years, months_between};
use crate::error::{DomainError, Errors, FieldError};
use crate::ids::OrgId;
use crate::text::clean;

/// CCCD (căn cước công dân): the 12-digit citizen identity number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cccd(String);

impl Cccd {
    pub fn parse(s: &str) -> Result<Cccd, FieldError> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Cccd(s))
        } else {
            Err(FieldError::new("cccd", "cccd_format"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Số lý lịch: the personal-history number, 6 digits and a 1–3 letter province code (R5),
/// written as `123456-QN` or `123456QN`; kept as `123456-QN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryNumber(String);

impl HistoryNumber {
    pub fn parse(s: &str) -> Result<HistoryNumber, FieldError> {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '/')
            .collect();
        let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        let letters: String = s[digits.len()..].to_uppercase();
        let ok = digits.len() == 6
            && (1..=3).contains(&letters.len())
            && letters.bytes().all(|b| b.is_ascii_uppercase());
        if ok {
            Ok(HistoryNumber(format!("{digits}-{letters}")))
        } else {
            Err(FieldError::new("history_number", "history_number_format"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Số thẻ đảng viên: a member card number. The 2003 cards have 8 digits; the 2025 card format is
/// unknown (research §4.10), so a card number is an opaque string checked by its generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardNumber(String);

/// The card generation a number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardGeneration {
    /// Cards issued under Chỉ thị 29-CT/TW (2003): 8 digits.
    Ct29_2003,
    /// Cards issued under Chỉ thị 51-CT/TW (2025): format not published; 6–20 letters or digits.
    Ct51_2025,
}

impl CardGeneration {
    pub fn code(self) -> &'static str {
        match self {
            CardGeneration::Ct29_2003 => "ct29_2003",
            CardGeneration::Ct51_2025 => "ct51_2025",
        }
    }
    pub fn from_code(s: &str) -> Option<CardGeneration> {
        match s {
            "ct29_2003" => Some(CardGeneration::Ct29_2003),
            "ct51_2025" => Some(CardGeneration::Ct51_2025),
            _ => None,
        }
    }
}

impl CardNumber {
    pub fn parse(s: &str, generation: CardGeneration) -> Result<CardNumber, FieldError> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let ok = match generation {
            CardGeneration::Ct29_2003 => s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()),
            CardGeneration::Ct51_2025 => {
                (6..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
            }
        };
        if ok {
            Ok(CardNumber(s.to_uppercase()))
        } else {
            Err(FieldError::new("card_number", "card_number_format"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Giới tính.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
    pub fn from_code(s: &str) -> Option<Sex> {
        match s {
            "male" | "nam" => Some(Sex::Male),
            "female" | "nu" | "nữ" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// The fields of a member's record (R5) that daily work needs. Admission and official dates are
/// not here: they are the dates of the timeline's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    pub full_name: String,
    pub birth_name: Option<String>,
    pub aliases: Option<String>,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub birth_place: Option<String>,
    /// Quê quán.
    pub home_town: Option<String>,
    /// Nơi cư trú.
    pub residence: Option<String>,
    /// Dân tộc.
    pub ethnicity: String,
    /// Tôn giáo.
    pub religion: Option<String>,
    pub cccd: Option<Cccd>,
    /// Trình độ giáo dục phổ thông (12/12 …).
    pub education: Option<String>,
    /// Lý luận chính trị (sơ cấp, trung cấp, cao cấp, cử nhân).
    pub political_theory: Option<String>,
    /// Chuyên môn nghiệp vụ.
    pub professional: Option<String>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub history_number: Option<HistoryNumber>,
    /// Quân đội / công an / nghỉ hưu (column 9 of Mẫu 7-HSĐV).
    pub army: bool,
    pub police: bool,
    pub retired: bool,
}

/// The record fields that can be corrected one at a time (R15), in the order the page shows.
pub const RECORD_FIELDS: [&str; 20] = [
    "full_name",
    "birth_name",
    "aliases",
    "sex",
    "birth_date",
    "birth_place",
    "home_town",
    "residence",
    "ethnicity",
    "religion",
    "cccd",
    "education",
    "political_theory",
    "professional",
    "occupation",
    "workplace",
    "history_number",
    "army",
    "police",
    "retired",
];

fn opt_text(s: &str) -> Option<String> {
    let c = clean(s);
    if c.is_empty() { None } else { Some(c) }
}

fn flag(s: &str) -> bool {
    matches!(s.trim(), "true" | "1" | "on" | "yes" | "có")
}

fn field_name(f: &str) -> Option<&'static str> {
    RECORD_FIELDS.iter().copied().find(|n| *n == f)
}

impl MemberRecord {
    /// Validates a record from raw text fields, reporting every invalid field at once.
    pub fn parse(get: impl Fn(&str) -> String) -> Result<MemberRecord, DomainError> {
        let mut e = Errors::default();
        let full_name = e.take(parse_person_name("full_name", &get("full_name")));
        let sex =
            e.take(Sex::from_code(get("sex").trim()).ok_or(FieldError::new("sex", "required")));
        let birth_date = e.take(crate::date::parse_date("birth_date", &get("birth_date")));
        let ethnicity = clean(&get("ethnicity"));
        if ethnicity.is_empty() {
            e.push("ethnicity", "required");
        }
        let cccd_raw = get("cccd");
        let cccd = if cccd_raw.trim().is_empty() {
            Some(None)
        } else {
            e.take(Cccd::parse(&cccd_raw)).map(Some)
        };
        let hn_raw = get("history_number");
        let history_number = if hn_raw.trim().is_empty() {
            Some(None)
        } else {
            e.take(HistoryNumber::parse(&hn_raw)).map(Some)
        };
        let birth_name = get("birth_name");
        if !birth_name.trim().is_empty() {
            e.take(parse_person_name("birth_name", &birth_name));
        }
        e.finish()?;
        match (full_name, sex, birth_date, cccd, history_number) {
            (Some(full_name), Some(sex), Some(birth_date), Some(cccd), Some(history_number)) => {
                Ok(MemberRecord {
                    full_name,
                    birth_name: opt_text(&birth_name),
                    aliases: opt_text(&get("aliases")),
                    sex,
                    birth_date,
                    birth_place: opt_text(&get("birth_place")),
                    home_town: opt_text(&get("home_town")),
                    residence: opt_text(&get("residence")),
                    ethnicity,
                    religion: opt_text(&get("religion")),
                    cccd,
                    education: opt_text(&get("education")),
                    political_theory: opt_text(&get("political_theory")),
                    professional: opt_text(&get("professional")),
                    occupation: opt_text(&get("occupation")),
                    workplace: opt_text(&get("workplace")),
                    history_number,
                    army: flag(&get("army")),
                    police: flag(&get("police")),
                    retired: flag(&get("retired")),
                })
            }
            _ => Err(DomainError::rule("invalid_input")),
        }
    }

    /// The value of one field as text (as stored in the corrections log).
    pub fn field(&self, f: &str) -> Option<String> {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        Some(match f {
            "full_name" => self.full_name.clone(),
            "birth_name" => o(&self.birth_name),
            "aliases" => o(&self.aliases),
            "sex" => self.sex.code().to_owned(),
            "birth_date" => crate::date::iso(self.birth_date),
            "birth_place" => o(&self.birth_place),
            "home_town" => o(&self.home_town),
            "residence" => o(&self.residence),
            "ethnicity" => self.ethnicity.clone(),
            "religion" => o(&self.religion),
            "cccd" => self
                .cccd
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            "education" => o(&self.education),
            "political_theory" => o(&self.political_theory),
            "professional" => o(&self.professional),
            "occupation" => o(&self.occupation),
            "workplace" => o(&self.workplace),
            "history_number" => self
                .history_number
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            "army" => self.army.to_string(),
            "police" => self.police.to_string(),
            "retired" => self.retired.to_string(),
            _ => return None,
        })
    }

    /// Returns a copy with one field corrected, validated as on entry (R15).
    pub fn with_field(&self, f: &str, value: &str) -> Result<MemberRecord, DomainError> {
        let name = field_name(f).ok_or(DomainError::rule_on("unknown_field", "field"))?;
        let current = self.clone();
        MemberRecord::parse(|k| {
            if k == name {
                value.to_owned()
            } else {
                current.field(k).unwrap_or_default()
            }
        })
    }
}

/// Validates a person's name: 2 to 8 words of letters, NFC-normalised.
pub fn parse_person_name(field: &'static str, s: &str) -> Result<String, FieldError> {
    let c = clean(s);
    if c.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    let words = c.split(' ').count();
    if !(2..=8).contains(&words) || c.chars().count() > 100 {
        return Err(FieldError::new(field, "name_format"));
    }
    if !c
        .chars()
        .all(|ch| ch.is_alphabetic() || ch == ' ' || ch == '-' || ch == '\'')
    {
        return Err(FieldError::new(field, "name_format"));
    }
    Ok(c)
}

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
enum Activity {
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
    let mut total = 0;
    let mut since: Option<NaiveDate> = None;
    for e in events.iter().take_while(|e| e.on <= on) {
        let ends = matches!(
            e.kind,
            EventKind::RemovedFromRolls | EventKind::Resigned | EventKind::Died
        ) || (e.kind == EventKind::Disciplined
            && e.discipline == Some(DisciplineForm::KhaiTru));
        match e.kind {
            EventKind::Admitted | EventKind::Readmitted => {
                since = since.or(Some(e.on));
            }
            _ if ends => {
                if let Some(s) = since.take() {
                    total += months_between(s, e.on).max(0);
                }
            }
            _ => {}
        }
    }
    if let Some(s) = since {
        total += months_between(s, on).max(0);
    }
    total
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn ev(kind: EventKind, on: NaiveDate) -> Event {
        Event {
            kind,
            on,
            org: if kind.places_in_cell() {
                Some(OrgId(7))
            } else {
                None
            },
            discipline: None,
        }
    }
    fn disc(form: DisciplineForm, on: NaiveDate) -> Event {
        Event {
            kind: EventKind::Disciplined,
            on,
            org: None,
            discipline: Some(form),
        }
    }

    #[test]
    fn validated_numbers() {
        assert_eq!(
            Cccd::parse("0221 9000 1234").unwrap().as_str(),
            "022190001234"
        );
        assert_eq!(Cccd::parse("12345").unwrap_err().code, "cccd_format");
        assert_eq!(
            HistoryNumber::parse("123456qn").unwrap().as_str(),
            "123456-QN"
        );
        assert_eq!(
            HistoryNumber::parse("123456-QNIN").unwrap_err().code,
            "history_number_format"
        );
        assert!(CardNumber::parse("12345678", CardGeneration::Ct29_2003).is_ok());
        assert!(CardNumber::parse("1234567", CardGeneration::Ct29_2003).is_err());
        assert!(CardNumber::parse("QN2025000123", CardGeneration::Ct51_2025).is_ok());
    }

    #[test]
    fn person_names() {
        assert_eq!(
            parse_person_name("full_name", " nguyễn  văn Đức ").unwrap(),
            "nguyễn văn Đức"
        );
        assert_eq!(
            parse_person_name("full_name", "Đức").unwrap_err().code,
            "name_format"
        );
        assert_eq!(
            parse_person_name("full_name", "Nguyễn V4n")
                .unwrap_err()
                .code,
            "name_format"
        );
    }

    #[test]
    fn status_follows_events() {
        let birth = d(1980, 5, 1);
        let events = vec![
            ev(EventKind::Admitted, d(2010, 3, 2)),
            ev(EventKind::MadeOfficial, d(2011, 3, 2)),
            ev(EventKind::Exempted, d(2016, 1, 1)),
        ];
        assert_eq!(
            state_on(birth, &events, d(2010, 12, 31)).unwrap().status,
            Status::Probationary
        );
        assert_eq!(
            state_on(birth, &events, d(2012, 1, 1)).unwrap().status,
            Status::Official
        );
        let now = state_on(birth, &events, d(2018, 1, 1)).unwrap();
        assert_eq!(now.status, Status::Exempt);
        assert!(now.official);
        assert_eq!(now.admitted_on, Some(d(2010, 3, 2)));
        assert_eq!(now.official_on, Some(d(2011, 3, 2)));
        assert_eq!(
            state_on(birth, &events, d(2000, 1, 1)).unwrap().status,
            Status::NotMember
        );
    }

    #[test]
    fn official_is_exactly_12_months_after_admission() {
        let birth = d(1980, 5, 1);
        let late = vec![
            ev(EventKind::Admitted, d(2010, 3, 2)),
            ev(EventKind::MadeOfficial, d(2011, 4, 10)),
        ];
        let (i, err) = replay(birth, &late).unwrap_err();
        assert_eq!((i, err.code()), (1, "official_date_12_months"));
        assert_eq!(official_date(d(2020, 2, 29)), d(2021, 2, 28));
    }

    #[test]
    fn r12_probationary_members_only_get_reprimand_or_warning() {
        let birth = d(1990, 1, 1);
        let base = ev(EventKind::Admitted, d(2018, 3, 1));
        for form in DisciplineForm::ALL {
            let r = replay(birth, &[base.clone(), disc(form, d(2018, 6, 1))]);
            assert_eq!(r.is_ok(), form.allowed_for_probationary(), "{form:?}");
            if let Err((_, e)) = r {
                assert_eq!(e.code(), "discipline_not_allowed_probationary");
            }
        }
    }

    #[test]
    fn expulsion_ends_membership_and_nothing_follows_death() {
        let birth = d(1960, 1, 1);
        let mut events = vec![
            ev(EventKind::Admitted, d(1990, 1, 1)),
            ev(EventKind::MadeOfficial, d(1991, 1, 1)),
            disc(DisciplineForm::KhaiTru, d(2000, 1, 1)),
        ];
        let s = replay(birth, &events).unwrap();
        assert_eq!(s[2].status, Status::Expelled);
        assert_eq!(s[2].cell, None);
        events.push(ev(EventKind::Exempted, d(2001, 1, 1)));
        assert_eq!(replay(birth, &events).unwrap_err().1.code(), "not_a_member");
        let dead = vec![
            ev(EventKind::Admitted, d(1990, 1, 1)),
            ev(EventKind::Died, d(2010, 1, 1)),
            ev(EventKind::Exempted, d(2011, 1, 1)),
        ];
        assert_eq!(replay(birth, &dead).unwrap_err().1.code(), "member_died");
    }

    #[test]
    fn admitted_elsewhere_then_transferred_in() {
        let birth = d(1990, 1, 1);
        let cell = Some(OrgId(9));
        let events = vec![
            Event {
                kind: EventKind::Admitted,
                on: d(2016, 5, 19),
                org: None,
                discipline: None,
            },
            ev(EventKind::MadeOfficial, d(2017, 5, 19)),
            Event {
                kind: EventKind::TransferredIn,
                on: d(2020, 2, 1),
                org: cell,
                discipline: None,
            },
        ];
        let s = replay(birth, &events).unwrap();
        assert_eq!((s[0].status, s[0].cell), (Status::TransferredOut, None));
        assert!(s[1].official);
        assert_eq!((s[2].status, s[2].cell), (Status::Official, cell));
    }

    #[test]
    fn admission_age_rules() {
        assert_eq!(
            check_admission(d(2000, 6, 1), d(2018, 5, 31))
                .unwrap_err()
                .code(),
            "admission_under_18"
        );
        assert!(check_admission(d(2000, 6, 1), d(2018, 6, 1)).is_ok());
        assert_eq!(
            check_admission(d(2000, 6, 1), d(1999, 1, 1))
                .unwrap_err()
                .code(),
            "admission_before_birth"
        );
        let r = replay(d(2000, 6, 1), &[ev(EventKind::Admitted, d(2017, 1, 1))]);
        assert_eq!(r.unwrap_err().1.code(), "admission_under_18");
    }

    #[test]
    fn seniority_subtracts_time_out_of_the_party() {
        let events = vec![
            ev(EventKind::Admitted, d(1990, 1, 1)),
            ev(EventKind::MadeOfficial, d(1991, 1, 1)),
            ev(EventKind::RemovedFromRolls, d(2000, 1, 1)),
            ev(EventKind::Readmitted, d(2005, 1, 1)),
        ];
        assert_eq!(seniority_months(&events, d(2010, 1, 1)), 120 + 60);
        assert_eq!(seniority_months(&events, d(1989, 1, 1)), 0);
        assert_eq!(seniority_months(&events[..1], d(2018, 12, 31)), 347);
    }

    #[test]
    fn record_correction_validates_the_new_value() {
        let rec = MemberRecord::parse(|k| match k {
            "full_name" => "Nguyễn Văn Đức".into(),
            "sex" => "male".into(),
            "birth_date" => "01/02/1980".into(),
            "ethnicity" => "Kinh".into(),
            _ => String::new(),
        })
        .unwrap();
        assert_eq!(
            rec.with_field("cccd", "123").unwrap_err().fields()[0].field,
            "cccd"
        );
        let fixed = rec.with_field("cccd", "022080001234").unwrap();
        assert_eq!(fixed.field("cccd").unwrap(), "022080001234");
        assert_eq!(fixed.full_name, rec.full_name);
        assert_eq!(
            rec.with_field("birth_date", "31/02/1980")
                .unwrap_err()
                .fields()[0]
                .code,
            "date_impossible"
        );
    }

    #[test]
    fn record_parse_reports_every_bad_field() {
        let err = MemberRecord::parse(|k| match k {
            "full_name" => "X".into(),
            "birth_date" => "31/02/1990".into(),
            "cccd" => "12ab".into(),
            _ => String::new(),
        })
        .unwrap_err();
        let fields: Vec<_> = err.fields().iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            vec!["full_name", "sex", "birth_date", "ethnicity", "cccd"]
        );
    }

    fn arb_event() -> impl Strategy<Value = (usize, i64, u8)> {
        (0usize..EventKind::ALL.len(), 0i64..4000, 0u8..4)
    }

    proptest! {
        /// Status derivation from random event sequences: whatever prefix is accepted, the
        /// derived state is consistent (official only while in the Party, a cell only while on
        /// the rolls, no probationary member holding a heavy discipline), and seniority never
        /// decreases with time.
        #[test]
        fn random_timelines_stay_consistent(raw in proptest::collection::vec(arb_event(), 0..25)) {
            let birth = d(1970, 1, 1);
            let start = d(1995, 1, 1);
            let mut events: Vec<Event> = raw.iter().map(|(k, days, f)| {
                let kind = EventKind::ALL[*k];
                let on = start + chrono::Duration::days(*days);
                Event { kind, on, org: if kind.places_in_cell() { Some(OrgId(1 + *days % 3)) } else { None },
                        discipline: if kind == EventKind::Disciplined { Some(DisciplineForm::ALL[*f as usize]) } else { None } }
            }).collect();
            events.sort_by_key(|e| e.on);
            // Keep the longest valid prefix.
            let valid = match replay(birth, &events) { Ok(_) => events.len(), Err((i, _)) => i };
            let events = &events[..valid];
            let states = replay(birth, events).unwrap();
            for (s, e) in states.iter().zip(events) {
                prop_assert_eq!(s.cell.is_some(), s.status.on_rolls());
                if s.official { prop_assert!(s.status.on_rolls() || s.status == Status::TransferredOut || s.status == Status::Died); }
                if s.status == Status::Probationary { prop_assert!(!s.official); }
                if e.kind == EventKind::Disciplined && !e.discipline.unwrap().allowed_for_probationary() {
                    prop_assert!(states.iter().zip(events).any(|(st, ev)| ev.kind == EventKind::MadeOfficial && ev.on <= e.on && st.official));
                }
            }
            let sp = spans(birth, events).unwrap();
            for y in 1995..2010 {
                let on = d(y, 6, 1);
                let st = state_on(birth, events, on).unwrap();
                let covering: Vec<&Span> = sp.iter().filter(|x| x.from <= on && x.to.is_none_or(|t| t > on)).collect();
                prop_assert!(covering.len() <= 1);
                match covering.first() {
                    Some(x) => prop_assert_eq!((Some(x.cell), x.status, x.official), (st.cell, st.status, st.official)),
                    None => prop_assert!(st.cell.is_none()),
                }
            }
            let mut last = 0;
            for y in 1995..2010 {
                let m = seniority_months(events, d(y, 6, 1));
                prop_assert!(m >= last);
                last = m;
            }
        }
    }

    #[test]
    fn a_transfer_out_names_who_may_receive_her() {
        let admitted = ev(EventKind::Admitted, d(2000, 1, 1));
        let mut out = ev(EventKind::TransferredOut, d(2010, 1, 1));
        assert_eq!(awaiting_arrival(std::slice::from_ref(&admitted)), None);
        assert_eq!(
            awaiting_arrival(&[admitted.clone(), out.clone()]),
            Some(None)
        );
        out.org = Some(OrgId(42));
        assert_eq!(
            awaiting_arrival(&[admitted.clone(), out.clone()]),
            Some(Some(OrgId(42)))
        );
        // Official membership while away does not end the wait; arriving or dying does.
        let official = ev(EventKind::MadeOfficial, d(2001, 1, 1));
        let mut later = vec![admitted.clone(), official, out.clone()];
        assert_eq!(awaiting_arrival(&later), Some(Some(OrgId(42))));
        later.push(ev(EventKind::TransferredIn, d(2010, 3, 1)));
        assert_eq!(awaiting_arrival(&later), None);
        let died = vec![
            admitted.clone(),
            out.clone(),
            ev(EventKind::Died, d(2011, 1, 1)),
        ];
        assert_eq!(awaiting_arrival(&died), None);
        // Admitted elsewhere: expected from outside.
        let elsewhere = Event {
            org: None,
            ..admitted
        };
        assert_eq!(awaiting_arrival(&[elsewhere]), Some(None));
        // The destination changes nothing in the member's own timeline.
        let birth = d(1970, 1, 1);
        let named = [ev(EventKind::Admitted, d(2000, 1, 1)), out.clone()];
        let unnamed = [
            ev(EventKind::Admitted, d(2000, 1, 1)),
            Event { org: None, ..out },
        ];
        assert_eq!(
            replay(birth, &named).unwrap(),
            replay(birth, &unnamed).unwrap()
        );
        assert_eq!(
            spans(birth, &named).unwrap(),
            spans(birth, &unnamed).unwrap()
        );
    }

    #[test]
    fn attached_only_while_temporarily_away_to_that_cell() {
        let mut away = ev(EventKind::TemporaryOut, d(2020, 1, 1));
        let events = vec![ev(EventKind::Admitted, d(2000, 1, 1)), away.clone()];
        assert_eq!(attached_cell(&events, d(2020, 6, 1)), None);
        away.org = Some(OrgId(9));
        let mut events = vec![ev(EventKind::Admitted, d(2000, 1, 1)), away];
        assert_eq!(attached_cell(&events, d(2019, 12, 31)), None);
        assert_eq!(attached_cell(&events, d(2020, 6, 1)), Some(OrgId(9)));
        events.push(ev(EventKind::TemporaryReturn, d(2020, 9, 1)));
        assert_eq!(attached_cell(&events, d(2020, 8, 31)), Some(OrgId(9)));
        assert_eq!(attached_cell(&events, d(2020, 9, 1)), None);
    }
}
