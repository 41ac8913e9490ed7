//! Members and their records (R5–R15): validated record fields, the event timeline, the status
//! and seniority derived from it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::CodedField;
use crate::error::{DomainError, Errors, FieldError};
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

fn field_name(f: &str) -> Option<&'static str> {
    RECORD_FIELDS.iter().copied().find(|n| *n == f)
}

impl MemberRecord {
    /// Validates a record from raw text fields, reporting every invalid field at once; coded
    /// fields (ethnicity, religion, education, political theory, professional level) are
    /// matched to their lists and kept as codes.
    pub fn parse(get: impl Fn(&str) -> String) -> Result<MemberRecord, DomainError> {
        MemberRecord::parse_coded(get, |_| true)
    }

    /// As [`MemberRecord::parse`]; a coded field for which `strict` is false keeps its text as
    /// it is (a value stored before the code lists, carried through a correction of another
    /// field).
    fn parse_coded(
        get: impl Fn(&str) -> String,
        strict: impl Fn(CodedField) -> bool,
    ) -> Result<MemberRecord, DomainError> {
        let mut e = Errors::default();
        let full_name = e.take(parse_person_name("full_name", &get("full_name")));
        let sex =
            e.take(Sex::from_code(get("sex").trim()).ok_or(FieldError::new("sex", "required")));
        let birth_date = e.take(crate::date::parse_date("birth_date", &get("birth_date")));
        let mut coded = |f: CodedField| -> Option<String> {
            let raw = clean(&get(f.field()));
            if raw.is_empty() {
                None
            } else if !strict(f) {
                Some(raw)
            } else {
                e.take(f.parse(&raw)).map(str::to_owned)
            }
        };
        let ethnicity = coded(CodedField::Ethnicity);
        let religion = coded(CodedField::Religion);
        let education = coded(CodedField::Education);
        let political_theory = coded(CodedField::PoliticalTheory);
        let professional = coded(CodedField::Professional);
        if clean(&get("ethnicity")).is_empty() {
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
        match (full_name, sex, birth_date, cccd, history_number, ethnicity) {
            (
                Some(full_name),
                Some(sex),
                Some(birth_date),
                Some(cccd),
                Some(history_number),
                Some(ethnicity),
            ) => Ok(MemberRecord {
                full_name,
                birth_name: opt_text(&birth_name),
                aliases: opt_text(&get("aliases")),
                sex,
                birth_date,
                birth_place: opt_text(&get("birth_place")),
                home_town: opt_text(&get("home_town")),
                residence: opt_text(&get("residence")),
                ethnicity,
                religion,
                cccd,
                education,
                political_theory,
                professional,
                occupation: opt_text(&get("occupation")),
                workplace: opt_text(&get("workplace")),
                history_number,
                army: crate::text::truthy(&get("army")),
                police: crate::text::truthy(&get("police")),
                retired: crate::text::truthy(&get("retired")),
            }),
            _ => Err(DomainError::rule("invalid_input")),
        }
    }

    /// A field as a person reads it: a coded field by its name, the others as [`Self::field`].
    pub fn shown(&self, f: &str) -> Option<String> {
        let v = self.field(f)?;
        Some(match CodedField::of_field(f) {
            Some(c) if !v.is_empty() => c.name(&v),
            _ => v,
        })
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
        MemberRecord::parse_coded(
            |k| {
                if k == name {
                    value.to_owned()
                } else {
                    current.field(k).unwrap_or_default()
                }
            },
            |c| c.field() == name,
        )
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

mod education;
mod timeline;
pub use education::*;
pub use timeline::*;

#[cfg(test)]
mod tests;
