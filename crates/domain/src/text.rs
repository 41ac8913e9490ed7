//! Vietnamese text: NFC normalisation, collation keys, folding for search, names.

use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Version of the stored sort keys. Bump it when ICU or the key layout changes; the store then
/// recomputes every key (`dangvu migrate` does it).
pub const SORT_KEY_VERSION: i32 = 1;

fn collator() -> Option<&'static CollatorBorrowed<'static>> {
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            let prefs: CollatorPreferences = locale!("vi").into();
            CollatorBorrowed::try_new(prefs, CollatorOptions::default()).ok()
        })
        .as_ref()
}

/// NFC-normalises and trims user input, collapsing runs of white space.
/// Vietnamese number format: "." between thousands (6.563, 1.000.000) (R31).
pub fn number(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A share in Vietnamese notation with one decimal: 9 of 50 → "18,0%"; nothing of nothing → "–".
pub fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    let tenths = (u64::from(part) * 1000 + u64::from(whole) / 2) / u64::from(whole);
    format!("{},{}%", number((tenths / 10) as i64), tenths % 10)
}

pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A yes/no field as forms, JSON bodies and imported sheets write yes: "true", "1", "on",
/// "yes", "có" (anything else, the empty text included, is no).
pub fn truthy(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "true" | "1" | "on" | "yes" | "có"
    )
}

/// Folds text for search without diacritics: no tones or marks, đ → d, lower case.
/// "Nguyễn Văn Đức" → "nguyen van duc".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Vietnamese collation key of one string (bytes whose order is the collator's order).
pub fn collation_key(s: &str) -> Vec<u8> {
    let mut key = Vec::new();
    match collator() {
        Some(c) => {
            let Ok(()) = c.write_sort_key_to(s, &mut key);
        }
        // The collator comes from compiled data and cannot fail; keep a total order anyway.
        None => key.extend_from_slice(fold(s).as_bytes()),
    }
    key
}

/// Compares two strings in Vietnamese order.
pub fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    collation_key(a).cmp(&collation_key(b))
}

/// A Vietnamese full name split the way offices sort it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts<'a> {
    /// Họ: the family name (first word).
    pub family: &'a str,
    /// Tên đệm: the middle names.
    pub middle: &'a str,
    /// Tên: the given name (last word).
    pub given: &'a str,
}

/// Splits "Nguyễn Thị Minh Khai" into family "Nguyễn", middle "Thị Minh", given "Khai".
pub fn split_name(full: &str) -> NameParts<'_> {
    let full = full.trim();
    let (family, rest) = match full.find(' ') {
        Some(i) => (&full[..i], full[i + 1..].trim_start()),
        None => ("", full),
    };
    let (middle, given) = match rest.rfind(' ') {
        Some(i) => (rest[..i].trim_end(), &rest[i + 1..]),
        None => ("", rest),
    };
    NameParts {
        family,
        middle,
        given,
    }
}

/// The sort key of a person's name: given name, then middle names, then family name, each in
/// Vietnamese collation. Component keys are joined with a 0 byte, which no key contains and which
/// sorts before every key byte, so "An" sorts before "Anh" whatever follows.
pub fn name_sort_key(full: &str) -> Vec<u8> {
    let p = split_name(full);
    let mut key = collation_key(p.given);
    key.push(0);
    key.extend(collation_key(p.middle));
    key.push(0);
    key.extend(collation_key(p.family));
    key
}

/// The folded search tokens of a name, each once.
pub fn search_tokens(full: &str) -> Vec<String> {
    let mut t: Vec<String> = fold(full)
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    t.sort();
    t.dedup();
    t
}

/// The most words a search may hold: a Vietnamese full name has rarely more than five.
pub const SEARCH_MAX_WORDS: usize = 6;
/// The most characters a search may hold.
pub const SEARCH_MAX_CHARS: usize = 100;

/// A search as typed, cleaned: `None` when empty, an error when it holds more words or
/// characters than a name (each word costs the database a lookup).
pub fn search_terms(s: &str) -> Result<Option<String>, crate::error::FieldError> {
    let s = clean(s);
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > SEARCH_MAX_CHARS || s.split(' ').count() > SEARCH_MAX_WORDS {
        return Err(crate::error::FieldError::new("q", "search_too_long"));
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_is_written_in_several_ways_and_anything_else_is_no() {
        for yes in ["true", "1", "on", "yes", "có", " Có ", "TRUE"] {
            assert!(truthy(yes), "{yes}");
        }
        for no in ["", "false", "0", "off", "no", "không", "x"] {
            assert!(!truthy(no), "{no}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn searches_are_bounded_like_names() {
        assert_eq!(search_terms("  ").unwrap(), None);
        assert_eq!(
            search_terms(" nguyễn  văn   đức ").unwrap().as_deref(),
            Some("nguyễn văn đức")
        );
        assert!(search_terms("a b c d e f").unwrap().is_some());
        assert_eq!(
            search_terms("a b c d e f g").unwrap_err().code,
            "search_too_long"
        );
        assert_eq!(
            search_terms(&"x".repeat(SEARCH_MAX_CHARS + 1))
                .unwrap_err()
                .code,
            "search_too_long"
        );
    }

    #[test]
    fn vietnamese_order_of_given_names() {
        let mut names = vec!["Đức", "Dũng", "Bình", "Ăn", "Ánh", "An"];
        names.sort_by_key(|n| collation_key(n));
        assert_eq!(names, vec!["An", "Ánh", "Ăn", "Bình", "Dũng", "Đức"]);
    }

    #[test]
    fn names_sort_by_given_then_middle_then_family() {
        let mut names = vec![
            "Trần Văn Đức",
            "Nguyễn Thị An",
            "Lê Văn An",
            "Nguyễn Văn Ánh",
            "Phạm Thị Bình",
            "Nguyễn Anh",
            "Lê Thị An",
        ];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(
            names,
            vec![
                "Lê Thị An",
                "Nguyễn Thị An",
                "Lê Văn An",
                "Nguyễn Anh",
                "Nguyễn Văn Ánh",
                "Phạm Thị Bình",
                "Trần Văn Đức"
            ]
        );
    }

    #[test]
    fn folding_removes_tones_and_d_stroke() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold("  ĐẶNG   thị  Ánh "), "dang thi anh");
        assert_eq!(fold("Ngô Quyền"), fold("ngo quyen"));
    }

    #[test]
    fn clean_is_nfc_and_collapses_spaces() {
        let decomposed = "Nguye\u{0302}\u{0303}n  Van";
        assert_eq!(clean(decomposed), "Nguyễn Van");
    }

    #[test]
    fn split_name_handles_short_names() {
        assert_eq!(split_name("Nguyễn Thị Minh Khai").middle, "Thị Minh");
        assert_eq!(split_name("Lê Lợi").given, "Lợi");
        assert_eq!(split_name("Lê Lợi").middle, "");
        assert_eq!(split_name("Lợi").family, "");
    }

    proptest! {
        #[test]
        fn name_key_order_matches_component_order(a in "[A-Za-zĐđĂăÂâÊêÔôƠơƯư]{1,6}", b in "[A-Za-zĐđĂăÂâÊêÔôƠơƯư]{1,6}") {
            // Same family and middle: order follows the given names' collation.
            let ka = name_sort_key(&format!("Nguyễn Văn {a}"));
            let kb = name_sort_key(&format!("Nguyễn Văn {b}"));
            prop_assert_eq!(ka.cmp(&kb), collation_key(&a).cmp(&collation_key(&b)));
        }

        #[test]
        fn fold_is_idempotent(s in "\\PC{0,20}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }
    }
}
