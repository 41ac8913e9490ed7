//! An import's report in words: each problem of a row with its sheet, row and column, and the
//! remarks that do not stop a row; the same lines on the page and on the command line.

use dangvu_app::import::{ImportReport, RowAction, RowError, RowOutcome};
use dangvu_domain::import::ImportField;

use crate::i18n;

/// The label of a field key (a record field or an imported column's field).
fn field_label(key: &str) -> String {
    i18n::field(key).to_owned()
}

/// "Dòng 7, cột C — Ngày sinh: là ngày không có thật".
pub fn error_text(e: &RowError) -> String {
    let place = match &e.column {
        Some(c) => format!("Dòng {}, cột {c}", e.row),
        None => format!("Dòng {}", e.row),
    };
    match &e.field {
        Some(f) => format!("{place} — {}: {}", field_label(f), i18n::message(&e.code)),
        None => format!("{place}: {}", i18n::message(&e.code)),
    }
}

/// A remark on a row that was taken.
pub fn note_text(note: &str) -> String {
    match note.split_once(':') {
        Some(("official_on_differs", d)) => format!(
            "ngày chính thức trong tệp khác ngày theo quy định (12 tháng sau ngày kết nạp, {d}); ghi theo quy định"
        ),
        _ if note == "card_issued_on_assumed" => {
            "tệp không có ngày cấp thẻ: ghi ngày chính thức làm ngày cấp".to_owned()
        }
        _ => note.to_owned(),
    }
}

pub fn action_label(a: RowAction) -> &'static str {
    match a {
        RowAction::Create => "Thêm mới",
        RowAction::Update => "Cập nhật (đính chính)",
        RowAction::Unchanged => "Không thay đổi",
        RowAction::WeakMatch => "Trùng họ tên và ngày sinh: chờ quyết định",
        RowAction::Error => "Lỗi",
    }
}

/// The field choices of a column (for the mapping form): every field of the kind of import.
pub fn field_choices(fields: &[ImportField]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| (f.key().to_owned(), field_label(f.key())))
        .collect()
}

/// "12 dòng: 3 thêm mới, 2 cập nhật, …".
pub fn summary(r: &ImportReport) -> String {
    let mut parts = vec![
        format!("{} thêm mới", r.created),
        format!("{} cập nhật", r.updated),
        format!("{} không thay đổi", r.unchanged),
    ];
    if r.weak > 0 {
        parts.push(format!(
            "{} trùng họ tên và ngày sinh chờ quyết định",
            r.weak
        ));
    }
    if r.errors > 0 {
        parts.push(format!("{} dòng có lỗi", r.errors));
    }
    format!(
        "Trang «{}»: {} dòng — {}",
        r.sheet,
        i18n::number(r.total_rows as i64),
        parts.join(", ")
    )
}

/// What the report's end says: written, nothing written because of errors, or a dry run.
pub fn verdict(r: &ImportReport) -> &'static str {
    if r.committed {
        "Đã nhập toàn bộ tệp."
    } else if r.errors > 0 {
        "Chưa ghi gì: sửa các dòng có lỗi trong tệp rồi nhập lại (cả tệp được ghi cùng một lần hoặc không ghi)."
    } else if r.dry_run {
        "Kiểm tra xong, chưa ghi gì. Bấm “Nhập vào sổ” để ghi toàn bộ tệp."
    } else {
        "Không có gì để ghi."
    }
}

/// One row of the report as lines of text.
pub fn row_lines(o: &RowOutcome) -> Vec<String> {
    let mut out = vec![format!(
        "Dòng {}: {} — {}{}",
        o.row,
        if o.name.is_empty() {
            "(không có tên)"
        } else {
            &o.name
        },
        action_label(o.action),
        if o.changed.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                o.changed
                    .iter()
                    .map(|f| field_label(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )];
    out.extend(o.errors.iter().map(|e| format!("  {}", error_text(e))));
    out.extend(o.notes.iter().map(|n| format!("  Lưu ý: {}", note_text(n))));
    out
}
