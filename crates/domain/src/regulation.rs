//! Quy chế, quy định của cấp ủy (R32): a committee's working regulations and rules, as
//! versioned documents: number, issuing body, dates signed and in force, what each revision
//! changed, and who is responsible for each provision's task ("rõ người, rõ việc, rõ trách
//! nhiệm").

use chrono::{Months, NaiveDate};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::FieldError;

/// Loại văn bản: what a regulation governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegulationKind {
    /// Quy chế làm việc của Ban Chấp hành.
    ExecutiveRules,
    /// Quy chế làm việc của Ban Thường vụ (Thường trực).
    StandingRules,
    /// Quy định về công tác tổ chức, cán bộ.
    OrganisationCadres,
    /// Quy chế chi tiêu, quản lý tài chính.
    Finance,
    /// Quy chế kiểm tra, giám sát.
    Inspection,
    /// Quy chế phối hợp, quy chế dân chủ và các văn bản khác.
    Other,
}

impl RegulationKind {
    pub const ALL: [RegulationKind; 6] = [
        RegulationKind::ExecutiveRules,
        RegulationKind::StandingRules,
        RegulationKind::OrganisationCadres,
        RegulationKind::Finance,
        RegulationKind::Inspection,
        RegulationKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegulationKind::ExecutiveRules => "executive_rules",
            RegulationKind::StandingRules => "standing_rules",
            RegulationKind::OrganisationCadres => "organisation_cadres",
            RegulationKind::Finance => "finance",
            RegulationKind::Inspection => "inspection",
            RegulationKind::Other => "other",
        }
    }

    pub fn from_code(s: &str) -> Option<RegulationKind> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// The longest months between reviews a regulation may set (a term is 60).
pub const REVIEW_MONTHS_MAX: u32 = 60;

/// R32: the day a version is due for review: `every` months after it came into force.
pub fn review_due(effective_on: NaiveDate, every: Option<u32>) -> Option<NaiveDate> {
    effective_on.checked_add_months(Months::new(every?))
}

/// The largest file attached to a version.
pub const FILE_MAX_BYTES: usize = 20 << 20;

/// A file type attached to a version: the name's extension and the first bytes must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Docx,
}

impl FileKind {
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    pub fn from_code(s: &str) -> Option<FileKind> {
        match s {
            "pdf" => Some(FileKind::Pdf),
            "docx" => Some(FileKind::Docx),
            _ => None,
        }
    }
}

/// R32: checks an attached file: a PDF (`%PDF-`) or a DOCX (a ZIP, `PK\x03\x04`) whose name
/// says the same, not empty, at most [`FILE_MAX_BYTES`].
pub fn check_file(name: &str, bytes: &[u8]) -> Result<FileKind, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new("file", "required"));
    }
    if bytes.len() > FILE_MAX_BYTES {
        return Err(FieldError::new("file", "file_too_large"));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" if bytes.starts_with(b"%PDF-") => Ok(FileKind::Pdf),
        "docx" if bytes.starts_with(b"PK\x03\x04") => Ok(FileKind::Docx),
        _ => Err(FieldError::new("file", "file_type")),
    }
}

/// The SHA-256 checksum of a file, in lower-case hex.
pub fn checksum(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file name safe to send back in a header: its last path part, letters, digits, spaces and
/// `.-_()` kept (Vietnamese letters too), at most 120 characters.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let s: String = last
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')'))
        .take(120)
        .collect();
    let s = s.trim().trim_start_matches('.').to_owned();
    if s.is_empty() { "tep".into() } else { s }
}

/// The most provisions a version lists.
pub const PROVISIONS_MAX: usize = 300;

/// R32: the provisions of a version as typed, one per line: `article | task | responsible`
/// (`Điều 5 | Chuẩn bị nội dung hội nghị | Văn phòng Đảng ủy`); blank lines left out. Each part
/// is required and at most 500 characters.
pub fn parse_provisions(text: &str) -> Result<Vec<(String, String, String)>, FieldError> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<String> = line.split('|').map(crate::text::clean).collect();
        match parts.as_slice() {
            [a, t, r] if !a.is_empty() && !t.is_empty() && !r.is_empty() => {
                if [a, t, r].iter().any(|p| p.chars().count() > 500) {
                    return Err(FieldError::new("provisions", "too_long"));
                }
                out.push((a.clone(), t.clone(), r.clone()));
            }
            _ => return Err(FieldError::new("provisions", "provision_format")),
        }
        if out.len() > PROVISIONS_MAX {
            return Err(FieldError::new("provisions", "too_many_items"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn review_falls_the_set_months_after_entry_into_force() {
        assert_eq!(review_due(d(2025, 10, 15), Some(12)), Some(d(2026, 10, 15)));
        assert_eq!(review_due(d(2024, 2, 29), Some(12)), Some(d(2025, 2, 28)));
        assert_eq!(review_due(d(2025, 10, 15), None), None);
    }

    #[test]
    fn provisions_are_three_parts_a_line() {
        let v = parse_provisions(
            "Điều 5 | Chuẩn bị nội dung hội nghị |  Văn phòng Đảng ủy\n\nĐiều 9|Kiểm tra, giám sát|Ủy ban Kiểm tra",
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].2, "Văn phòng Đảng ủy");
        assert_eq!(
            parse_provisions("Điều 5 | thiếu người").unwrap_err().code,
            "provision_format"
        );
        assert_eq!(
            parse_provisions("| a | b").unwrap_err().code,
            "provision_format"
        );
    }

    #[test]
    fn files_must_be_what_their_names_say() {
        assert_eq!(
            check_file("Quy chế.PDF", b"%PDF-1.7 ..."),
            Ok(FileKind::Pdf)
        );
        assert_eq!(check_file("qc.docx", b"PK\x03\x04...."), Ok(FileKind::Docx));
        assert_eq!(
            check_file("qc.pdf", b"PK\x03\x04").unwrap_err().code,
            "file_type"
        );
        assert_eq!(
            check_file("qc.exe", b"%PDF-").unwrap_err().code,
            "file_type"
        );
        assert_eq!(check_file("qc.pdf", b"").unwrap_err().code, "required");
        assert_eq!(
            checksum(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            safe_file_name("../../etc/Quy chế \"làm việc\".pdf"),
            "Quy chế làm việc.pdf"
        );
        assert_eq!(safe_file_name("..."), "tep");
    }
}
