//! The statistics' renderings: the age pyramid and the bars of each breakdown as SVG (no
//! script, no style attribute), the movements' lines, and the workbooks.

use dangvu_app::stats::{FilledTable, Statistics};
use dangvu_domain::stats::{Breakdown, Movements};
use dangvu_domain::text::{number, percent};
use rust_xlsxwriter::{Workbook, XlsxError};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const MEN: &str = "#2f6fb0";
const WOMEN: &str = "#c0504d";
const BAR: &str = "#1b7a3d";

/// The age pyramid: men to the left, women to the right, one band a row.
pub fn pyramid_svg(rows: &[(&str, u32, u32)]) -> String {
    let (mid, half, row) = (310.0_f64, 190.0_f64, 26.0_f64);
    let max = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(0).max(1);
    let height = 30.0 + row * rows.len() as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 620 {height}\" width=\"620\" height=\"{height}\" role=\"img\" aria-labelledby=\"pyramid-title\" class=\"chart\"><title id=\"pyramid-title\">Tháp tuổi đảng viên theo giới tính</title>\
         <text x=\"{}\" y=\"14\" font-size=\"12\" text-anchor=\"end\" fill=\"{MEN}\">Nam</text><text x=\"{}\" y=\"14\" font-size=\"12\" fill=\"{WOMEN}\">Nữ</text>",
        mid - 70.0,
        mid + 70.0
    );
    // Bands from the oldest at the top to the youngest at the bottom.
    for (i, (label, men, women)) in rows.iter().rev().enumerate() {
        let y = 22.0 + i as f64 * row;
        let wm = half * f64::from(*men) / f64::from(max);
        let ww = half * f64::from(*women) / f64::from(max);
        s.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{y}\" width=\"{wm:.1}\" height=\"20\" fill=\"{MEN}\"><title>{}: nam {}</title></rect>\
             <rect x=\"{:.1}\" y=\"{y}\" width=\"{ww:.1}\" height=\"20\" fill=\"{WOMEN}\"><title>{}: nữ {}</title></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{}</text>\
             <text x=\"{mid}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            mid - 60.0 - wm,
            esc(label),
            number(i64::from(*men)),
            mid + 60.0,
            esc(label),
            number(i64::from(*women)),
            mid - 62.0 - wm,
            y + 14.0,
            number(i64::from(*men)),
            mid + 62.0 + ww,
            y + 14.0,
            number(i64::from(*women)),
            y + 14.0,
            esc(&label.replace("Từ ", "").replace(" tuổi", "").replace(" đến ", "–")),
        ));
    }
    s.push_str("</svg>");
    s
}

/// One bar a group, its count and share beside it.
pub fn bars_svg(b: &Breakdown, total: u32) -> String {
    let (left, width, row) = (230.0_f64, 260.0_f64, 22.0_f64);
    let groups: Vec<&(String, u32)> = b.groups.iter().take(30).collect();
    let max = groups.iter().map(|g| g.1).max().unwrap_or(0).max(1);
    let height = 6.0 + row * groups.len() as f64;
    let id = format!("bars-{}", b.dimension.code());
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 620 {height}\" width=\"620\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}\" class=\"chart\"><title id=\"{id}\">{}</title>",
        esc(b.label)
    );
    for (i, (label, n)) in groups.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let w = width * f64::from(*n) / f64::from(max);
        let short: String = label.chars().take(34).collect();
        s.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"{left}\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" fill=\"{BAR}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{} ({})</text>",
            y + 12.0,
            esc(&short),
            left + w + 4.0,
            y + 12.0,
            number(i64::from(*n)),
            percent(*n, total)
        ));
    }
    s.push_str("</svg>");
    s
}

/// The movements as (label, count) lines: opening, each way in, each way out, closing, and
/// the changes that keep a member on the roll.
pub fn movement_lines(m: &Movements) -> Vec<(String, u32)> {
    let mut out = vec![
        ("Đảng viên đầu kỳ".to_owned(), m.opening),
        ("Tăng trong kỳ".to_owned(), m.total_in()),
    ];
    out.extend(
        m.ins
            .iter()
            .map(|(k, n)| (format!("  {}", k.label(true)), *n)),
    );
    out.push(("Giảm trong kỳ".to_owned(), m.total_out()));
    out.extend(
        m.outs
            .iter()
            .map(|(k, n)| (format!("  {}", k.label(false)), *n)),
    );
    out.push(("Đảng viên cuối kỳ".to_owned(), m.closing));
    out.push(("Công nhận đảng viên chính thức".to_owned(), m.made_official));
    out.push(("Miễn công tác và sinh hoạt đảng".to_owned(), m.exempted));
    out.push(("Bị kỷ luật".to_owned(), m.disciplined));
    out.push(("Chuyển sinh hoạt tạm thời đi".to_owned(), m.temporary_out));
    out.push(("Trở về sau sinh hoạt tạm thời".to_owned(), m.temporary_back));
    out
}

/// The statistics and movements as a workbook: a sheet of the breakdowns, one of the movements.
pub fn xlsx(org: &str, s: &Statistics, m: &Movements) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let ws = wb.add_worksheet();
    ws.set_name("Cơ cấu")?;
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 12)?;
    ws.write_string_with_format(0, 0, format!("Cơ cấu đảng viên — {org}"), &f.title)?;
    ws.write_string(
        1,
        0,
        format!(
            "Ngày {}: {} đảng viên",
            s.on.format("%d/%m/%Y"),
            number(i64::from(s.tally.total))
        ),
    )?;
    let mut r = 3;
    for b in &s.tally.breakdowns {
        r = super::header_row(ws, r, &[b.label, "Số đảng viên", "Tỷ lệ"], &f.head)?;
        for (label, n) in &b.groups {
            ws.write_string_with_format(r, 0, label, &f.boxed)?;
            ws.write_number_with_format(r, 1, f64::from(*n), &f.boxed)?;
            let share = if s.tally.total == 0 {
                0.0
            } else {
                f64::from(*n) / f64::from(s.tally.total)
            };
            ws.write_number_with_format(r, 2, share, &f.pct)?;
            r += 1;
        }
        r += 1;
    }
    let ws = wb.add_worksheet();
    ws.set_name("Biến động")?;
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 12)?;
    ws.write_string_with_format(0, 0, format!("Biến động đảng viên — {org}"), &f.title)?;
    ws.write_string(
        1,
        0,
        format!(
            "Từ {} đến {}",
            m.from.format("%d/%m/%Y"),
            m.to.format("%d/%m/%Y")
        ),
    )?;
    let first = super::header_row(ws, 3, &["Nội dung", "Số lượng"], &f.head)?;
    for (i, (label, n)) in movement_lines(m).into_iter().enumerate() {
        let r = first + i as u32;
        ws.write_string_with_format(r, 0, &label, &f.boxed)?;
        ws.write_number_with_format(r, 1, f64::from(n), &f.boxed)?;
    }
    wb.save_to_buffer()
}

/// A table of the statistical report as a workbook.
pub fn table_xlsx(org: &str, t: &FilledTable) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = super::Formats::new();
    let ws = wb.add_worksheet();
    ws.set_name("Biểu")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 52)?;
    ws.write_string_with_format(0, 0, format!("{} — {org}", t.table.title), &f.title)?;
    let when = match t.from {
        Some(from) => format!(
            "Từ {} đến {}",
            from.format("%d/%m/%Y"),
            t.on.format("%d/%m/%Y")
        ),
        None => format!("Ngày {}", t.on.format("%d/%m/%Y")),
    };
    ws.write_string(1, 0, when)?;
    ws.write_string(2, 0, &t.table.form)?;
    let mut heads: Vec<&str> = vec!["Chỉ tiêu"];
    heads.extend(t.table.columns.iter().map(|c| c.label.as_str()));
    let first = super::header_row(ws, 4, &heads, &f.head)?;
    for (i, (row, cells)) in t.table.rows.iter().zip(&t.cells).enumerate() {
        let r = first + i as u32;
        ws.write_string_with_format(r, 0, &row.label, &f.boxed)?;
        for (c, n) in cells.iter().enumerate() {
            ws.write_number_with_format(r, c as u16 + 1, f64::from(*n), &f.boxed)?;
        }
    }
    wb.save_to_buffer()
}
