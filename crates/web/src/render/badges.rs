//! A presentation day's badge list as an Excel workbook, in the layout an organisation
//! department sends upward: one line per member with her birth year, home town, admission,
//! seniority, cell, badge and remarks; A4 landscape; every text written as a string.

use chrono::Datelike;
use dangvu_app::badges::BadgeList;
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::html::badges::line_view;
use crate::view::vn;

pub fn xlsx(l: &BadgeList) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách huy hiệu")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.write_string(0, 0, l.org.name.to_uppercase())?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG ĐỢT {}/{}",
            vn(l.day).get(..5).unwrap_or_default(),
            l.day.year()
        ),
        &f.title,
    )?;
    ws.write_string(2, 0, format!("Theo {}", l.rules.title))?;
    let heads = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Quê quán",
        "Ngày vào Đảng",
        "Tuổi Đảng",
        "Chi bộ",
        "Loại huy hiệu",
        "Trường hợp",
        "Tình trạng",
        "Số huy hiệu",
        "Ghi chú",
    ];
    let mut row = super::header_row(ws, 4, &heads, &f.head)?;
    for (i, line) in l.lines.iter().map(line_view).enumerate() {
        let cells = [
            (i + 1).to_string(),
            line.name,
            line.birth_year.to_string(),
            line.home_town,
            line.admitted,
            line.seniority,
            line.cell,
            line.badge,
            line.exception.to_owned(),
            line.status.to_owned(),
            line.number,
            line.reason,
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, v, &f.boxed)?;
        }
        row += 1;
    }
    row += 1;
    for (years, n) in l.counts() {
        ws.write_string(row, 1, format!("Huy hiệu {years} năm: {n}"))?;
        row += 1;
    }
    ws.set_column_width(1, 26)?;
    ws.set_column_width(3, 22)?;
    ws.set_column_width(6, 24)?;
    ws.set_column_width(7, 24)?;
    ws.set_column_width(11, 28)?;
    wb.save_to_buffer()
}
