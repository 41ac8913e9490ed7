//! Member lists as workbooks: the columns a user picks, and the register of members (Mẫu
//! 7-HSĐV) in its fourteen columns. Every cell is written as a value (text as text, never a
//! formula), so nothing in a record can run in a spreadsheet.

use dangvu_app::export::{Export, ExportRow};
use dangvu_domain::codes::CodedField;
use dangvu_domain::date::{age_years, format_vn};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::i18n;

/// The columns a list can have: key, heading.
pub const COLUMNS: [(&str, &str); 27] = [
    ("stt", "STT"),
    ("full_name", "Họ và tên"),
    ("birth_name", "Họ tên khai sinh"),
    ("sex", "Giới tính"),
    ("birth_date", "Ngày sinh"),
    ("age", "Tuổi"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("home_town", "Quê quán"),
    ("birth_place", "Nơi sinh"),
    ("residence", "Nơi cư trú"),
    ("cccd", "Số CCCD"),
    ("education", "Giáo dục phổ thông"),
    ("political_theory", "Lý luận chính trị"),
    ("professional", "Chuyên môn nghiệp vụ"),
    ("occupation", "Nghề nghiệp"),
    ("workplace", "Nơi làm việc"),
    ("history_number", "Số lý lịch"),
    ("card_number", "Số thẻ đảng viên"),
    ("admitted_on", "Ngày vào Đảng"),
    ("official_on", "Ngày chính thức"),
    ("status", "Tình trạng"),
    ("cell", "Chi bộ"),
    ("seniority", "Tuổi đảng (năm)"),
    ("army", "Quân đội"),
    ("police", "Công an"),
    ("retired", "Nghỉ hưu"),
];

/// The columns of a list when none are picked.
pub const DEFAULT_COLUMNS: [&str; 9] = [
    "stt",
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "cell",
    "admitted_on",
    "official_on",
    "status",
];

fn yes(b: bool) -> String {
    if b { "x".into() } else { String::new() }
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(format_vn).unwrap_or_default()
}

/// A member's value in a column, as text.
pub fn value(r: &ExportRow, i: usize, key: &str, on: chrono::NaiveDate) -> String {
    let rec = &r.record;
    match key {
        "stt" => (i + 1).to_string(),
        "sex" => i18n::sex(rec.sex).to_owned(),
        "birth_date" => format_vn(rec.birth_date),
        "age" => age_years(rec.birth_date, on).to_string(),
        "card_number" => r.card.clone().unwrap_or_default(),
        "admitted_on" => day(r.admitted_on),
        "official_on" => day(r.official_on),
        "status" => match r.status {
            Some(s) => i18n::status(s).to_owned(),
            None => "Đã ra khỏi danh sách".into(),
        },
        "cell" => r.cell_name.clone(),
        "seniority" => (r.seniority_months / 12).to_string(),
        "army" => yes(rec.army),
        "police" => yes(rec.police),
        "retired" => yes(rec.retired),
        other => rec.shown(other).unwrap_or_default(),
    }
}

/// The picked columns that exist, in the list's order; the default ones when none are.
pub fn picked(keys: &[String]) -> Vec<(&'static str, &'static str)> {
    let chosen: Vec<(&str, &str)> = COLUMNS
        .iter()
        .copied()
        .filter(|(k, _)| keys.iter().any(|x| x == k))
        .collect();
    if chosen.is_empty() {
        COLUMNS
            .iter()
            .copied()
            .filter(|(k, _)| DEFAULT_COLUMNS.contains(k))
            .collect()
    } else {
        chosen
    }
}

/// A list with the picked columns.
pub fn list_xlsx(e: &Export, columns: &[(&str, &str)], filter: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(
        0,
        0,
        format!("Danh sách đảng viên — {}", e.org_name),
        &f.title,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "Ngày {}; {}; {} đảng viên",
            format_vn(e.on),
            filter,
            e.rows.len()
        ),
    )?;
    let heads: Vec<&str> = columns.iter().map(|(_, h)| *h).collect();
    let mut r = super::header_row(ws, 3, &heads, &f.head)?;
    for (c, (k, _)) in columns.iter().enumerate() {
        let w = match *k {
            "stt" | "age" | "seniority" | "army" | "police" | "retired" => 6.0,
            "full_name" | "cell" | "residence" | "workplace" | "status" => 28.0,
            _ => 14.0,
        };
        ws.set_column_width(c as u16, w)?;
    }
    for (i, row) in e.rows.iter().enumerate() {
        for (c, (k, _)) in columns.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, value(row, i, k, e.on), &f.boxed)?;
        }
        r += 1;
    }
    ws.set_freeze_panes(4, 0)?;
    wb.save_to_buffer()
}

/// The fourteen columns of the register of members (Mẫu 7-HSĐV), each as the lines the form
/// writes in it.
pub fn register_cells(i: usize, r: &ExportRow) -> [String; 14] {
    let rec = &r.record;
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let coded =
        |c: CodedField, v: &Option<String>| v.as_deref().map(|x| c.name(x)).unwrap_or_default();
    // One line a field, in the column's order (a field not recorded leaves its line empty),
    // so that the register reads back line by line.
    let lines = |v: Vec<String>| {
        let mut v = v;
        while v.last().is_some_and(String::is_empty) {
            v.pop();
        }
        v.join("\n")
    };
    [
        (i + 1).to_string(),
        lines(vec![
            rec.birth_name
                .clone()
                .unwrap_or_else(|| rec.full_name.clone()),
            rec.full_name.clone(),
        ]),
        lines(vec![
            i18n::sex(rec.sex).to_owned(),
            CodedField::Ethnicity.name(&rec.ethnicity),
            coded(CodedField::Religion, &rec.religion),
        ]),
        o(&rec.home_town),
        lines(vec![
            coded(CodedField::Education, &rec.education),
            coded(CodedField::PoliticalTheory, &rec.political_theory),
            coded(CodedField::Professional, &rec.professional),
        ]),
        o(&rec.occupation),
        lines(vec![day(r.admitted_on), day(r.official_on)]),
        lines(vec![
            r.card.clone().unwrap_or_default(),
            rec.history_number
                .as_ref()
                .map(|h| h.as_str().to_owned())
                .unwrap_or_default(),
        ]),
        [
            if rec.army { "Quân đội" } else { "" },
            if rec.police { "Công an" } else { "" },
            if rec.retired { "Nghỉ hưu" } else { "" },
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n"),
        r.transferred_out
            .as_ref()
            .map(|(d, w)| lines(vec![format_vn(*d), w.clone()]))
            .unwrap_or_default(),
        r.transferred_in
            .as_ref()
            .map(|(d, w)| lines(vec![format_vn(*d), w.clone()]))
            .unwrap_or_default(),
        day(r.died_on),
        r.left_party
            .as_ref()
            .map(|(d, f)| lines(vec![format_vn(*d), (*f).to_owned()]))
            .unwrap_or_default(),
        r.cell_name.clone(),
    ]
}

/// The register's column headings.
pub const REGISTER_HEADS: [&str; 14] = [
    "Số TT",
    "Họ và tên khai sinh, họ và tên đang dùng",
    "Giới tính, dân tộc, tôn giáo",
    "Quê quán",
    "Trình độ GDPT, LLCT, chuyên môn",
    "Nghề nghiệp",
    "Ngày vào Đảng, ngày chính thức",
    "Số thẻ đảng viên, số lý lịch",
    "Quân đội, công an, nghỉ hưu",
    "Ngày chuyển đi, nơi chuyển đến",
    "Ngày chuyển đến, nơi chuyển đi",
    "Ngày từ trần",
    "Ngày ra khỏi Đảng, hình thức",
    "Ghi chú",
];

/// The register of members as a workbook in the form's layout (A4 landscape).
pub fn register_xlsx(e: &Export) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let wrap = f.boxed.clone().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("Sổ đảng viên")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_repeat_rows(3, 4)?;
    ws.write_string_with_format(
        0,
        0,
        format!("SỔ DANH SÁCH ĐẢNG VIÊN — {}", e.org_name.to_uppercase()),
        &f.title,
    )?;
    ws.write_string(1, 0, format!("Mẫu 7-HSĐV; ngày {}", format_vn(e.on)))?;
    let widths = [
        5.0, 24.0, 12.0, 16.0, 14.0, 14.0, 12.0, 13.0, 10.0, 16.0, 16.0, 10.0, 14.0, 14.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    super::header_row(ws, 3, &REGISTER_HEADS, &f.head)?;
    let numbers: Vec<String> = (1..=14).map(|n| format!("({n})")).collect();
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    let first = super::header_row(
        ws,
        4,
        &numbers,
        &Format::new()
            .set_italic()
            .set_border(rust_xlsxwriter::FormatBorder::Thin),
    )?;
    for (i, row) in e.rows.iter().enumerate() {
        let r = first + i as u32;
        for (c, v) in register_cells(i, row).iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &wrap)?;
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests;
