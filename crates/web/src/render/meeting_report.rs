//! The meetings report as an Excel workbook.

use crate::i18n::half_year;
use crate::view::vn;
use dangvu_app::meeting_report::{CellLine, MeetingsReport};
use dangvu_domain::text::number;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Missing months as the report lists them: "04/2019, 05/2019".
pub(crate) fn months(v: &[(i32, u32)]) -> String {
    v.iter()
        .map(|(y, m)| format!("{m:02}/{y}"))
        .collect::<Vec<_>>()
        .join(", ")
}
/// Missing quarters: "quý 2/2019".
pub(crate) fn quarters(v: &[(i32, u32)]) -> String {
    v.iter()
        .map(|(y, q)| format!("quý {q}/{y}"))
        .collect::<Vec<_>>()
        .join(", ")
}
/// Missing half-years, as the residence side lists them.
pub(crate) fn halves(v: &[(i32, u32)]) -> String {
    v.iter().map(half_year).collect::<Vec<_>>().join(", ")
}
/// The report as a workbook: a sheet of cells (with the total), one of the grassroots đảng
/// bộ's meetings, one of the residence side; A4 landscape.
pub fn xlsx(r: &MeetingsReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let formats = super::Formats::new();
    let (title, head, boxed, pct) = (formats.title, formats.head, formats.boxed, formats.pct);
    let bold_box = boxed.clone().set_bold();
    let subtitle = format!(
        "{}; từ {} đến {}; cây tổ chức ngày {}",
        r.name,
        vn(r.from),
        vn(r.to),
        vn(r.as_of)
    );
    let ws = wb.add_worksheet();
    ws.set_name("Theo chi bộ")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, "Tình hình sinh hoạt chi bộ", &title)?;
    ws.write_string(1, 0, &subtitle)?;
    let heads = [
        "Chi bộ",
        "Tổ chức cơ sở đảng",
        "Tháng phải sinh hoạt",
        "Tháng đã sinh hoạt",
        "Tháng chưa sinh hoạt (R16)",
        "Quý phải sinh hoạt chuyên đề",
        "Quý chưa sinh hoạt chuyên đề (R16)",
        "Số buổi",
        "Dưới thời lượng (R18)",
        "Thời lượng bình quân (phút)",
        "Tỷ lệ dự họp",
        "Buổi có cấp ủy cấp trên dự",
        "Cấp ủy viên phụ trách",
        "Cấp ủy viên phụ trách đã dự",
        "Số buổi chấm điểm",
        "Điểm bình quân",
        "Chuyên đề",
        "Đảng viên cần xem xét (R11)",
    ];
    super::header_row(ws, 3, &heads, &head)?;
    ws.set_column_width(17, 36)?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(16, 48)?;
    let share = |p: i64, w: i64| if w == 0 { 0.0 } else { p as f64 / w as f64 };
    let line = |ws: &mut rust_xlsxwriter::Worksheet,
                row: u32,
                l: &CellLine,
                f: &Format|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, &l.name, f)?;
        ws.write_string_with_format(row, 1, &l.grassroots, f)?;
        ws.write_number_with_format(row, 2, l.months_due as f64, f)?;
        ws.write_number_with_format(row, 3, l.months_held as f64, f)?;
        ws.write_string_with_format(row, 4, months(&l.months_missing), f)?;
        ws.write_number_with_format(row, 5, l.quarters_due as f64, f)?;
        ws.write_string_with_format(row, 6, quarters(&l.quarters_missing), f)?;
        ws.write_number_with_format(row, 7, l.meetings as f64, f)?;
        ws.write_number_with_format(row, 8, l.short as f64, f)?;
        match l.avg_minutes {
            Some(m) => ws.write_number_with_format(row, 9, m, f)?,
            None => ws.write_string_with_format(row, 9, "", f)?,
        };
        ws.write_number_with_format(row, 10, share(l.present, l.expected), &pct)?;
        ws.write_number_with_format(row, 11, l.with_superior as f64, f)?;
        ws.write_string_with_format(row, 12, l.assigned.join(", "), f)?;
        ws.write_string_with_format(
            row,
            13,
            format!("{}/{}", l.assigned_attended, l.assigned_meetings),
            f,
        )?;
        ws.write_number_with_format(row, 14, l.scored as f64, f)?;
        match l.avg_score {
            Some(s) => ws.write_number_with_format(row, 15, s, f)?,
            None => ws.write_string_with_format(row, 15, "", f)?,
        };
        ws.write_string_with_format(row, 16, l.topics.join("; "), f)?;
        ws.write_string_with_format(row, 17, l.flagged.join(", "), f)?;
        Ok(())
    };
    let mut row = 4;
    for l in &r.cells {
        line(ws, row, l, &boxed)?;
        row += 1;
    }
    let mut total = r.total.clone();
    total.name = "Tổng cộng".into();
    total.months_missing.clear();
    total.quarters_missing.clear();
    total.flagged.clear();
    line(ws, row, &total, &bold_box)?;
    ws.write_number_with_format(row, 17, r.total.flagged.len() as f64, &bold_box)?;
    ws.write_number_with_format(row, 4, r.total.months_missing.len() as f64, &bold_box)?;
    ws.write_number_with_format(row, 6, r.total.quarters_missing.len() as f64, &bold_box)?;

    let ws = wb.add_worksheet();
    ws.set_name("Hội nghị đảng bộ")?;
    ws.set_paper_size(9).set_landscape();
    ws.write_string_with_format(0, 0, "Hội nghị đảng bộ cơ sở (2 lần/năm, R16)", &title)?;
    ws.write_string(1, 0, &subtitle)?;
    ws.set_column_width(0, 48)?;
    ws.set_column_width(2, 40)?;
    super::header_row(
        ws,
        3,
        &["Đảng bộ cơ sở", "Số hội nghị", "Sáu tháng chưa họp"],
        &head,
    )?;
    for (i, a) in r.assemblies.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string_with_format(row, 0, &a.name, &boxed)?;
        ws.write_number_with_format(row, 1, a.held as f64, &boxed)?;
        ws.write_string_with_format(row, 2, halves(&a.halves_missing), &boxed)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("Nơi cư trú")?;
    ws.set_paper_size(9).set_landscape();
    ws.write_string_with_format(
        0,
        0,
        "Đảng viên đang công tác sinh hoạt nơi cư trú (R20–R22)",
        &title,
    )?;
    ws.write_string(1, 0, &subtitle)?;
    ws.set_column_width(0, 48)?;
    let heads = [
        "Đảng ủy nơi cư trú",
        "Đảng viên được giới thiệu",
        "Diện miễn",
        "Số buổi họp 6 tháng",
        "Sáu tháng chưa họp (R21)",
        "Phiếu nhận xét đã viết",
        "Phiếu nhận xét đã xác nhận",
    ];
    let mut row = super::header_row(ws, 3, &heads, &head)?;
    for x in &r.residence {
        ws.write_string_with_format(row, 0, &x.name, &boxed)?;
        ws.write_number_with_format(row, 1, x.attached as f64, &boxed)?;
        ws.write_number_with_format(row, 2, x.exempt as f64, &boxed)?;
        ws.write_number_with_format(row, 3, x.meetings as f64, &boxed)?;
        ws.write_string_with_format(row, 4, halves(&x.halves_missing), &boxed)?;
        ws.write_number_with_format(row, 5, x.comments_written as f64, &boxed)?;
        ws.write_number_with_format(row, 6, x.comments_certified as f64, &boxed)?;
        row += 1;
    }
    row += 1;
    ws.write_string(
        row,
        0,
        format!(
            "Đảng viên của {} được giới thiệu về nơi cư trú: {}; đã có phiếu nhận xét năm {} được xác nhận: {}.",
            r.name,
            number(r.introduced as i64),
            r.comment_year,
            number(r.introduced_commented as i64)
        ),
    )?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests;
