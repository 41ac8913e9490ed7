//! Quyết định: the document behind a change of the register (R6, R15): its reference
//! ("45-QĐ/ĐU"), the day it was signed and the body that issued it ("Ban Thường vụ Đảng ủy
//! phường"). Events that change a member's status and every correction of a record carry one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::parse_opt_date;
use crate::error::{DomainError, Errors, FieldError};
use crate::text::clean;

/// The longest reference ("1234-QĐ/ĐU, ngày …" written in full).
pub const REFERENCE_MAX: usize = 100;
/// The longest name of a deciding body.
pub const BODY_MAX: usize = 200;

/// A decision as far as it is known; every part may be missing in an old record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Số quyết định.
    pub reference: Option<String>,
    /// Ngày ký.
    pub date: Option<NaiveDate>,
    /// Cơ quan quyết định.
    pub body: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    let c = clean(s);
    if c.is_empty() { None } else { Some(c) }
}

impl Decision {
    /// A decision known by its reference alone.
    pub fn reference(r: &str) -> Decision {
        Decision {
            reference: opt(r),
            ..Decision::default()
        }
    }

    /// Reads a decision typed in a form: `decision_ref`, `decided_on` (dd/mm/yyyy) and
    /// `decided_by`, reporting every invalid part at once.
    pub fn parse(reference: &str, date: &str, body: &str) -> Result<Decision, DomainError> {
        let mut e = Errors::default();
        let date = e.take(parse_opt_date("decided_on", date)).flatten();
        e.finish()?;
        Ok(Decision {
            reference: opt(reference),
            date,
            body: opt(body),
        })
    }

    /// Whether the reference, the date and the deciding body are all known.
    pub fn is_complete(&self) -> bool {
        self.reference.is_some() && self.date.is_some() && self.body.is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.reference.is_none() && self.date.is_none() && self.body.is_none()
    }

    /// Checks the parts that are there: lengths, a date not after `today`; with `required`,
    /// each of the three must be there (R15: the approving decision of a correction).
    pub fn check(&self, today: NaiveDate, required: bool) -> Result<(), DomainError> {
        let mut errors = Vec::new();
        match &self.reference {
            None if required => errors.push(FieldError::new("decision_ref", "required")),
            Some(r) if r.chars().count() > REFERENCE_MAX => {
                errors.push(FieldError::new("decision_ref", "too_long"));
            }
            _ => {}
        }
        match self.date {
            None if required => errors.push(FieldError::new("decided_on", "required")),
            Some(d) if d > today => errors.push(FieldError::new("decided_on", "date_in_future")),
            _ => {}
        }
        match &self.body {
            None if required => errors.push(FieldError::new("decided_by", "required")),
            Some(b) if b.chars().count() > BODY_MAX => {
                errors.push(FieldError::new("decided_by", "too_long"));
            }
            _ => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// What a numbered decision of the register is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Kết nạp đảng viên (R7).
    Admission,
    /// Công nhận đảng viên chính thức (R8).
    Official,
    /// Chuyển sinh hoạt đảng (R10).
    Transfer,
    /// Kỷ luật (R12).
    Discipline,
    /// Miễn công tác và sinh hoạt đảng.
    Exemption,
    /// Xóa tên (R11).
    Removal,
    /// Chỉ định, chuẩn y cấp ủy (R4).
    Appointment,
    /// Xếp loại chất lượng (R28).
    Review,
    /// Khác.
    Other,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 9] = [
        DecisionKind::Admission,
        DecisionKind::Official,
        DecisionKind::Transfer,
        DecisionKind::Discipline,
        DecisionKind::Exemption,
        DecisionKind::Removal,
        DecisionKind::Appointment,
        DecisionKind::Review,
        DecisionKind::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::Admission => "admission",
            DecisionKind::Official => "official",
            DecisionKind::Transfer => "transfer",
            DecisionKind::Discipline => "discipline",
            DecisionKind::Exemption => "exemption",
            DecisionKind::Removal => "removal",
            DecisionKind::Appointment => "appointment",
            DecisionKind::Review => "review",
            DecisionKind::Other => "other",
        }
    }
    pub fn from_code(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// The issuing body's abbreviation in a decision's number (QĐ …/ĐU): the committee of a đảng bộ
/// is a "đảng ủy", of a province a "tỉnh ủy", of a district a "huyện ủy"; a chi bộ signs as
/// "CB". A committee whose own usage differs (a city's "ThU") types its abbreviation.
pub fn issuer_abbreviation(kind: crate::org::OrgKind) -> &'static str {
    use crate::org::OrgKind as K;
    match kind {
        K::TrungUong => "TW",
        K::DangBoTinh => "TU",
        K::DangBoHuyen => "HU",
        K::DangBoXa | K::DangBoCoSo | K::DangBoBoPhan => "ĐU",
        K::ChiBoCoSo | K::ChiBoTrucThuoc | K::ToDang => "CB",
    }
}

/// The longest abbreviation of an issuing body.
pub const ABBREVIATION_MAX: usize = 12;

/// A decision's number in the Party's form: `45-QĐ/ĐU`.
pub fn numbered(number: u32, abbreviation: &str) -> String {
    format!("{number}-QĐ/{abbreviation}")
}

/// Checks an abbreviation typed for a committee: 1–12 letters (Vietnamese letters allowed).
pub fn check_abbreviation(s: &str) -> Result<String, FieldError> {
    let s = clean(s).to_uppercase();
    if s.is_empty() || s.chars().count() > ABBREVIATION_MAX || !s.chars().all(char::is_alphabetic) {
        Err(FieldError::new("abbreviation", "invalid"))
    } else {
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn a_decision_is_read_from_its_three_parts_and_checked() {
        let x = Decision::parse(" 45-QĐ/ĐU ", "03/02/2026", "Ban Thường vụ Đảng ủy").unwrap();
        assert_eq!(x.reference.as_deref(), Some("45-QĐ/ĐU"));
        assert_eq!(x.date, Some(d(2026, 2, 3)));
        assert!(x.is_complete());
        assert!(x.check(d(2026, 2, 3), true).is_ok());
        let fields = |e: DomainError| {
            e.fields()
                .iter()
                .map(|f| (f.field, f.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(x.check(d(2026, 2, 2), true).unwrap_err()),
            vec![("decided_on", "date_in_future")]
        );
        assert_eq!(
            fields(Decision::parse("", "31/02/2026", "").unwrap_err()),
            vec![("decided_on", "date_impossible")]
        );
        let partial = Decision::reference("12-QĐ/ĐU");
        assert!(!partial.is_complete() && !partial.is_empty());
        assert!(partial.check(d(2026, 1, 1), false).is_ok());
        assert_eq!(
            fields(partial.check(d(2026, 1, 1), true).unwrap_err()),
            vec![("decided_on", "required"), ("decided_by", "required")]
        );
        assert!(Decision::default().is_empty());
    }

    #[test]
    fn a_decision_is_numbered_in_the_partys_form() {
        use crate::org::OrgKind;
        assert_eq!(
            numbered(45, issuer_abbreviation(OrgKind::DangBoXa)),
            "45-QĐ/ĐU"
        );
        assert_eq!(
            numbered(7, issuer_abbreviation(OrgKind::DangBoTinh)),
            "7-QĐ/TU"
        );
        assert_eq!(check_abbreviation(" thu ").unwrap(), "THU");
        assert!(check_abbreviation("Đ-U").is_err() && check_abbreviation("").is_err());
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::from_code(k.code()), Some(k));
        }
    }
}
