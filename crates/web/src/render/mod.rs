//! Renderings that are not HTML pages: the classification report's chart and workbook, the
//! meetings report's workbook.

pub mod badges;
pub mod classification;
pub mod dues;
pub mod export;
pub mod import;
pub mod meeting_report;
pub mod stats;

/// Writes a table's column headings across one row, from the first column; the row below.
pub(crate) fn header_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    headings: &[&str],
    format: &rust_xlsxwriter::Format,
) -> Result<u32, rust_xlsxwriter::XlsxError> {
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, format)?;
    }
    Ok(row + 1)
}

/// The formats every report workbook uses: a sheet's title, a table's headings, a boxed cell
/// and a boxed share.
pub(crate) struct Formats {
    pub title: rust_xlsxwriter::Format,
    pub head: rust_xlsxwriter::Format,
    pub boxed: rust_xlsxwriter::Format,
    pub pct: rust_xlsxwriter::Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
        let boxed = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            head: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            pct: boxed.clone().set_num_format("0.0%"),
            boxed,
        }
    }
}

/// A workbook that could not be written, as the error the handlers answer.
pub(crate) fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> dangvu_app::AppError {
    dangvu_app::AppError::Store(dangvu_store::error::StoreError::Config(format!(
        "xlsx: {e}"
    )))
}
