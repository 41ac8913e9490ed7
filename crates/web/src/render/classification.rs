//! The classification report's renderings (R31): the table lines shared by the page, the
//! workbook and the API, the bar chart as SVG, and the Excel workbook.

use dangvu_app::review::{ClassificationReport, ReportCounts};
use dangvu_domain::review::{Level, LevelCounts};
use dangvu_domain::text::{number, percent};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::i18n;

/// One line of the summary table: a kind of subject and its counts.
pub struct Line {
    pub label: &'static str,
    pub counts: LevelCounts,
}

/// The summary lines: grassroots organisations by kind and together, cells, members.
pub fn lines(c: &ReportCounts) -> Vec<Line> {
    vec![
        Line {
            label: "Tổ chức cơ sở đảng",
            counts: c.grassroots(),
        },
        Line {
            label: "  trong đó: đảng bộ cơ sở",
            counts: c.grassroots_dang_bo,
        },
        Line {
            label: "  trong đó: chi bộ cơ sở",
            counts: c.grassroots_cells,
        },
        Line {
            label: "Chi bộ trực thuộc",
            counts: c.cells,
        },
        Line {
            label: "Đảng viên",
            counts: c.members.levels,
        },
    ]
}

/// The report's total as counts.
pub fn total(r: &ClassificationReport) -> ReportCounts {
    ReportCounts {
        grassroots_dang_bo: r.grassroots_dang_bo,
        grassroots_cells: r.grassroots_cells,
        cells: r.cells,
        members: r.members.clone(),
    }
}

/// A cell of the table: "1.025 (15,6%)".
pub fn cell(c: &LevelCounts, l: Level) -> String {
    format!(
        "{} ({})",
        number(i64::from(c.get(l))),
        percent(c.get(l), c.total())
    )
}

/// "HTT or better" with its share.
pub fn htt_or_better(c: &LevelCounts) -> String {
    format!(
        "{} ({})",
        number(i64::from(c.htt_or_better())),
        percent(c.htt_or_better(), c.total())
    )
}

const COLOURS: [&str; 4] = ["#1b7a3d", "#4f9dd9", "#e0b03a", "#c0392b"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal 100 % stacked bar per kind of subject, the four levels in order, with a legend
/// and each segment's count; no script, no style attribute (the page's CSP allows neither).
pub fn svg(c: &ReportCounts) -> String {
    let bars = [
        ("Tổ chức cơ sở đảng", c.grassroots()),
        ("Chi bộ trực thuộc", c.cells),
        ("Đảng viên", c.members.levels),
    ];
    let (left, width, row) = (150.0_f64, 460.0_f64, 44.0_f64);
    let height = 40.0 + row * bars.len() as f64 + 10.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 620 {height}\" width=\"620\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title\" class=\"chart\"><title id=\"chart-title\">Biểu đồ kết quả xếp loại chất lượng</title>"
    );
    for (i, l) in Level::ALL.iter().enumerate() {
        let x = left + i as f64 * 115.0;
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"16\" font-size=\"12\">{}</text>",
            COLOURS[i],
            x + 16.0,
            l.code().to_uppercase()
        ));
    }
    for (i, (label, counts)) in bars.iter().enumerate() {
        let y = 34.0 + i as f64 * row;
        s.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>",
            y + 18.0,
            esc(label)
        ));
        let total = counts.total();
        if total == 0 {
            s.push_str(&format!(
                "<text x=\"{left}\" y=\"{}\" font-size=\"12\">chưa có</text>",
                y + 18.0
            ));
            continue;
        }
        let mut x = left;
        for (j, l) in Level::ALL.iter().enumerate() {
            let n = counts.get(*l);
            let w = width * f64::from(n) / f64::from(total);
            if w <= 0.0 {
                continue;
            }
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"26\" fill=\"{}\"><title>{}: {}</title></rect>",
                COLOURS[j],
                dangvu_app::wording::level_phrase(*l),
                number(i64::from(n))
            ));
            if w >= 34.0 {
                s.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#fff\">{}</text>",
                    x + 4.0,
                    y + 17.0,
                    number(i64::from(n))
                ));
            }
            x += w;
        }
    }
    s.push_str("</svg>");
    s
}

/// A workbook as a download with its file name.
pub fn xlsx_attachment(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The report as an Excel workbook: the summary with shares, the reasons some members are not
/// classified, a line per subordinate organisation, and the paragraph.
pub fn xlsx(r: &ClassificationReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let formats = super::Formats::new();
    let (title, head, boxed, pct) = (formats.title, formats.head, formats.boxed, formats.pct);
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    // Printed on A4 (paper size 9), landscape, one page wide.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 42)?;
    for c in 1..=11 {
        ws.set_column_width(c, 11)?;
    }
    ws.write_string_with_format(
        0,
        0,
        format!("Kết quả đánh giá, xếp loại chất lượng — {}", r.period.label),
        &title,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "{}; cây tổ chức ngày {}; quy định {}",
            r.org_name,
            r.as_of.format("%d/%m/%Y"),
            dangvu_domain::review::RULE_SETS
                .iter()
                .find(|x| x.id == r.period.rule_set)
                .map_or(r.period.rule_set.as_str(), |x| x.regulation)
        ),
    )?;
    let headers = [
        "Đối tượng",
        "Tổng số",
        "HTXS",
        "Tỷ lệ",
        "HTT",
        "Tỷ lệ",
        "HT",
        "Tỷ lệ",
        "KHT",
        "Tỷ lệ",
        "HTT trở lên",
        "Tỷ lệ",
    ];
    let mut row = super::header_row(ws, 3, &headers, &head)?;
    let share = |n: u32, t: u32| {
        if t == 0 {
            0.0
        } else {
            f64::from(n) / f64::from(t)
        }
    };
    for line in lines(&total(r)) {
        let c = line.counts;
        ws.write_string_with_format(row, 0, line.label.trim(), &boxed)?;
        ws.write_number_with_format(row, 1, c.total(), &boxed)?;
        for (i, l) in Level::ALL.iter().enumerate() {
            let col = 2 + 2 * i as u16;
            ws.write_number_with_format(row, col, c.get(*l), &boxed)?;
            ws.write_number_with_format(row, col + 1, share(c.get(*l), c.total()), &pct)?;
        }
        ws.write_number_with_format(row, 10, c.htt_or_better(), &boxed)?;
        ws.write_number_with_format(row, 11, share(c.htt_or_better(), c.total()), &pct)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Đảng viên không xếp loại", &bold)?;
    row += 1;
    for (reason, n) in &r.members.not_classified {
        ws.write_string(row, 0, i18n::not_classified(reason))?;
        ws.write_number(row, 1, *n)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, &r.paragraph, &Format::new().set_text_wrap())?;

    let ws = wb.add_worksheet();
    ws.set_name("Theo tổ chức")?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 48)?;
    let heads = [
        "Tổ chức trực thuộc",
        "Cơ sở đảng HTXS",
        "Cơ sở đảng HTT",
        "Cơ sở đảng HT",
        "Cơ sở đảng KHT",
        "Chi bộ HTXS",
        "Chi bộ HTT",
        "Chi bộ HT",
        "Chi bộ KHT",
        "Đảng viên HTXS",
        "Đảng viên HTT",
        "Đảng viên HT",
        "Đảng viên KHT",
        "Đảng viên không xếp loại",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        if c > 0 {
            ws.set_column_width(c as u16, 11)?;
        }
    }
    for (i, line) in r.rows.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, &line.name, &boxed)?;
        let g = line.counts.grassroots();
        for (j, l) in Level::ALL.iter().enumerate() {
            let j = j as u16;
            ws.write_number_with_format(row, 1 + j, g.get(*l), &boxed)?;
            ws.write_number_with_format(row, 5 + j, line.counts.cells.get(*l), &boxed)?;
            ws.write_number_with_format(row, 9 + j, line.counts.members.levels.get(*l), &boxed)?;
        }
        let nc: u32 = line.counts.members.not_classified.values().sum();
        ws.write_number_with_format(row, 13, nc, &boxed)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests;
