//! The dues book of a cell and the dues totals of a subtree as Excel workbooks, A4. Amounts are
//! numbers with the Vietnamese grouping format; every text is written as a string.

use dangvu_app::dues::{DuesBook, DuesTotals};
use dangvu_domain::transfer::month_vn;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::html::dues::{book_rows, level_label};
use crate::view::vn;

/// Whole đồng with dots between thousands.
fn money_format(boxed: &Format) -> Format {
    boxed.clone().set_num_format("#,##0")
}

/// Sổ thu đảng phí of a cell for a month: one line per member (category, due, paid, date,
/// paid up to, owed), the totals and the cell's share.
pub fn book_xlsx(b: &DuesBook, today: chrono::NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let money = money_format(&f.boxed);
    let ws = wb.add_worksheet();
    ws.set_name("Sổ thu đảng phí")?;
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    let mut row = 0u32;
    for name in &b.chain {
        ws.write_string(row, 0, name.to_uppercase())?;
        row += 1;
    }
    ws.write_string_with_format(
        row,
        0,
        format!("SỔ THU ĐẢNG PHÍ THÁNG {}", month_vn(b.month)),
        &f.title,
    )?;
    row += 1;
    ws.write_string(row, 0, format!("Theo {}", b.rules.title))?;
    row += 2;
    let heads = [
        "STT",
        "Họ và tên",
        "Đối tượng",
        "Số phải đóng (đ)",
        "Số đã đóng (đ)",
        "Ngày đóng",
        "Đã đóng hết tháng",
        "Còn nợ",
        "Ghi chú",
    ];
    row = super::header_row(ws, row, &heads, &f.head)?;
    for (i, (l, v)) in b.lines.iter().zip(book_rows(b)).enumerate() {
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.boxed)?;
        ws.write_string_with_format(row, 1, &v.name, &f.boxed)?;
        ws.write_string_with_format(row, 2, v.category, &f.boxed)?;
        match l.due {
            Some(d) => ws.write_number_with_format(row, 3, d as f64, &money)?,
            None => ws.write_string_with_format(row, 3, "chưa khai", &f.boxed)?,
        };
        match &l.paid {
            Some(p) => ws.write_number_with_format(row, 4, p.amount as f64, &money)?,
            None => ws.write_string_with_format(row, 4, "", &f.boxed)?,
        };
        ws.write_string_with_format(row, 5, &v.paid_on, &f.boxed)?;
        ws.write_string_with_format(row, 6, &v.paid_to, &f.boxed)?;
        ws.write_string_with_format(row, 7, &v.owed, &f.boxed)?;
        ws.write_string_with_format(row, 8, v.note, &f.boxed)?;
        row += 1;
    }
    let bold = money.clone().set_bold();
    ws.write_string_with_format(row, 1, "Cộng", &f.head)?;
    ws.write_number_with_format(row, 3, b.due_total as f64, &bold)?;
    ws.write_number_with_format(row, 4, b.collected as f64, &bold)?;
    row += 2;
    for (label, v) in [
        (format!("Chi bộ ({}) giữ lại", level_label(b.level)), b.kept),
        ("Nộp lên cấp trên".to_owned(), b.remitted),
    ] {
        ws.write_string(row, 1, &label)?;
        ws.write_number_with_format(row, 4, v as f64, &money)?;
        row += 1;
    }
    ws.write_string(
        row + 1,
        1,
        format!(
            "Người thu: ……………… Bí thư chi bộ: ……………… Ngày lập: {}",
            vn(today)
        ),
    )?;
    ws.set_column_width(1, 28)?;
    ws.set_column_width(2, 14)?;
    for c in 3..=8 {
        ws.set_column_width(c, 14)?;
    }
    wb.save_to_buffer()
}

/// The dues of a subtree for a year: a sheet per cell and month with each cell's share, and one
/// of the grassroots organisations with what they receive, keep and remit upward.
pub fn totals_xlsx(t: &DuesTotals) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let money = money_format(&f.boxed);
    let ws = wb.add_worksheet();
    ws.set_name("Theo chi bộ")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(
        0,
        0,
        format!("Tổng hợp thu đảng phí năm {}: {}", t.year, t.org.name),
        &f.title,
    )?;
    let mut heads: Vec<String> = vec!["Chi bộ".into()];
    heads.extend(
        t.months
            .iter()
            .map(|m| format!("T{}", chrono::Datelike::month(m))),
    );
    heads.extend([
        "Cộng (đ)".into(),
        "Chi bộ giữ lại".into(),
        "Nộp cấp trên".into(),
    ]);
    let refs: Vec<&str> = heads.iter().map(String::as_str).collect();
    let mut row = super::header_row(ws, 2, &refs, &f.head)?;
    for c in &t.cells {
        ws.write_string_with_format(row, 0, &c.name, &f.boxed)?;
        for (col, v) in (1u16..).zip(c.by_month.iter().chain([&c.total, &c.kept, &c.remitted])) {
            ws.write_number_with_format(row, col, *v as f64, &money)?;
        }
        row += 1;
    }
    let bold = money.clone().set_bold();
    ws.write_string_with_format(row, 0, "Cộng", &f.head)?;
    for (i, v) in t.by_month.iter().chain([&t.collected]).enumerate() {
        ws.write_number_with_format(row, (i + 1) as u16, *v as f64, &bold)?;
    }
    ws.set_column_width(0, 30)?;
    let g = wb.add_worksheet();
    g.set_name("Theo tổ chức cơ sở")?;
    g.set_paper_size(9).set_landscape();
    let heads = [
        "Tổ chức cơ sở đảng",
        "Cấp",
        "Các chi bộ thu (đ)",
        "Chi bộ trực thuộc giữ lại",
        "Cơ sở nhận",
        "Cơ sở giữ lại",
        "Nộp cấp trên",
    ];
    let mut row = super::header_row(g, 0, &heads, &f.head)?;
    for x in &t.grassroots {
        g.write_string_with_format(row, 0, &x.name, &f.boxed)?;
        g.write_string_with_format(row, 1, level_label(x.level), &f.boxed)?;
        for (i, v) in [x.collected, x.cells_kept, x.received, x.kept, x.remitted]
            .iter()
            .enumerate()
        {
            g.write_number_with_format(row, (i + 2) as u16, *v as f64, &money)?;
        }
        row += 1;
    }
    g.write_string_with_format(row, 0, "Nộp lên cấp trên cơ sở", &f.head)?;
    g.write_number_with_format(row, 6, t.upward as f64, &money.clone().set_bold())?;
    g.set_column_width(0, 34)?;
    g.set_column_width(1, 30)?;
    wb.save_to_buffer()
}
