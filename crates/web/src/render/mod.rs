//! Renderings that are not HTML pages: the classification report's chart and workbook, the
//! meetings report's workbook.

pub mod classification;
pub mod meeting_report;

/// Writes a table's column headings across one row, from the first column.
pub(crate) fn header_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    headings: &[&str],
    format: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, format)?;
    }
    Ok(())
}
