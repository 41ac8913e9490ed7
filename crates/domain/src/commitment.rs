//! Cam kết học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (R35, Chỉ thị
//! 05-CT/TW): what each member and each leadership collective commits to at the start of a year,
//! commented by the cell mid-year and assessed at the year-end review.

use crate::error::FieldError;
use crate::text::clean;

/// The most items a commitment holds.
pub const ITEMS_MAX: usize = 30;
/// The longest item.
pub const ITEM_MAX: usize = 500;

/// R35: the items of a commitment from the text a user typed, one per line (a leading "-",
/// "•", "+" or "1." is dropped): cleaned, blank lines left out, at least one, at most
/// [`ITEMS_MAX`] of at most [`ITEM_MAX`] characters.
pub fn parse_items(text: &str) -> Result<Vec<String>, FieldError> {
    let items: Vec<String> = text
        .lines()
        .map(|l| {
            let l = l.trim();
            let l = l.trim_start_matches(['-', '•', '+', '*']);
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            let l = match l[digits..].strip_prefix(['.', ')']) {
                Some(rest) if digits > 0 => rest,
                _ => l,
            };
            clean(l)
        })
        .filter(|l| !l.is_empty())
        .collect();
    if items.is_empty() {
        return Err(FieldError::new("commitment_items", "required"));
    }
    if items.len() > ITEMS_MAX {
        return Err(FieldError::new("commitment_items", "too_many_items"));
    }
    if items.iter().any(|i| i.chars().count() > ITEM_MAX) {
        return Err(FieldError::new("commitment_items", "too_long"));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_the_lines_without_their_bullets() {
        let v = parse_items(
            "1. Gương mẫu chấp hành   quy định nơi cư trú\n\n- Tham gia đủ sinh hoạt chi bộ\n• Tiết kiệm, chống lãng phí\n2) Học tập chuyên đề năm\n",
        )
        .unwrap();
        assert_eq!(
            v,
            [
                "Gương mẫu chấp hành quy định nơi cư trú",
                "Tham gia đủ sinh hoạt chi bộ",
                "Tiết kiệm, chống lãng phí",
                "Học tập chuyên đề năm"
            ]
        );
        // A number that is the item's own start stays.
        assert_eq!(
            parse_items("5S tại nơi làm việc").unwrap(),
            ["5S tại nơi làm việc"]
        );
        assert_eq!(parse_items(" \n \n").unwrap_err().code, "required");
        let many = "Một việc\n".repeat(31);
        assert_eq!(parse_items(&many).unwrap_err().code, "too_many_items");
        assert_eq!(parse_items(&"á".repeat(501)).unwrap_err().code, "too_long");
    }
}
