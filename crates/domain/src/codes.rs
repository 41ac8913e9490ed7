//! Danh mục: the code lists of a member's coded fields (R5): ethnicity, religion, general
//! education, political theory and professional level. Each list is dated data (the document
//! that set it and the day it took effect); a record stores the code and shows the name. Text
//! written in a workbook or typed in a form is matched to a code by its name, a code or a
//! usual other name, without regard to diacritics or case.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::FieldError;
use crate::text::fold;

mod lists;

/// A member's field whose values come from a code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodedField {
    /// Dân tộc.
    Ethnicity,
    /// Tôn giáo.
    Religion,
    /// Giáo dục phổ thông.
    Education,
    /// Lý luận chính trị.
    PoliticalTheory,
    /// Chuyên môn nghiệp vụ.
    Professional,
}

impl CodedField {
    pub const ALL: [CodedField; 5] = [
        CodedField::Ethnicity,
        CodedField::Religion,
        CodedField::Education,
        CodedField::PoliticalTheory,
        CodedField::Professional,
    ];

    /// The record field holding it (`MemberRecord::field`).
    pub fn field(self) -> &'static str {
        match self {
            CodedField::Ethnicity => "ethnicity",
            CodedField::Religion => "religion",
            CodedField::Education => "education",
            CodedField::PoliticalTheory => "political_theory",
            CodedField::Professional => "professional",
        }
    }

    pub fn of_field(f: &str) -> Option<CodedField> {
        CodedField::ALL.into_iter().find(|c| c.field() == f)
    }

    /// The list in force on a day (the earliest list for a day before all of them).
    pub fn list_on(self, on: NaiveDate) -> &'static CodeList {
        let versions = lists::versions(self);
        versions
            .iter()
            .rev()
            .find(|l| l.from() <= on)
            .or(versions.first())
            .unwrap_or(&lists::EMPTY)
    }

    /// The list in force now: the latest.
    pub fn list(self) -> &'static CodeList {
        lists::versions(self).last().unwrap_or(&lists::EMPTY)
    }

    /// The code of a value written as its code, its name or another usual name; `None` when
    /// nothing matches. A list that allows it also matches a value that begins with a name
    /// ("Kỹ sư khai thác mỏ" is a university level).
    pub fn find(self, text: &str) -> Option<&'static Code> {
        let list = self.list();
        let t = key(text);
        if t.is_empty() {
            return None;
        }
        let exact = list.codes.iter().find(|c| {
            key(c.code) == t || key(c.name) == t || c.aliases.iter().any(|a| key(a) == t)
        });
        if exact.is_some() || !list.prefix {
            return exact;
        }
        list.codes.iter().find(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .any(|a| t.starts_with(&format!("{} ", key(a))))
        })
    }

    /// Checks a typed value: the code it stands for, or the field's "unknown value" error.
    pub fn parse(self, text: &str) -> Result<&'static str, FieldError> {
        self.find(text)
            .map(|c| c.code)
            .ok_or(FieldError::new(self.field(), "code_unknown"))
    }

    /// What a stored value shows: the code's name, or the stored text as it is (a value kept
    /// from before the lists that nothing matched).
    pub fn name(self, stored: &str) -> String {
        self.list()
            .codes
            .iter()
            .find(|c| c.code == stored)
            .map_or_else(|| stored.to_owned(), |c| c.name.to_owned())
    }

    /// Whether a stored value is one of the list's codes.
    pub fn is_code(self, stored: &str) -> bool {
        self.list().codes.iter().any(|c| c.code == stored)
    }
}

/// The form a value is compared in: folded, with punctuation, hyphens and apostrophes as
/// spaces ("H'Mông", "Hmông" and "h mong" differ only by the last).
fn key(s: &str) -> String {
    fold(s)
        .replace(['.', ',', ';', '(', ')', '-', '\'', '’', '–'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" / ", "/")
}

/// One value of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Code {
    pub code: &'static str,
    pub name: &'static str,
    /// Other names the value is written with.
    #[serde(skip)]
    pub aliases: &'static [&'static str],
}

/// A version of a code list: the document that set it, the day it took effect, its codes.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CodeList {
    pub source: &'static str,
    /// (year, month, day) the list took effect.
    #[serde(skip)]
    pub from_ymd: (i32, u32, u32),
    /// Whether a value that begins with a name matches it.
    #[serde(skip)]
    pub prefix: bool,
    pub codes: &'static [Code],
}

impl CodeList {
    pub fn from(&self) -> NaiveDate {
        let (y, m, d) = self.from_ymd;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }
}

#[cfg(test)]
mod tests;
