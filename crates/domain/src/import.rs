//! Reading a register kept in a spreadsheet (R5): which column holds which field, recognised by
//! its Vietnamese header (with or without diacritics, in any order, under merged header cells),
//! and the values of a row as the record's fields.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::FieldError;
use crate::text::fold;

mod fields;
pub use fields::{ImportField, ORG_FIELDS};

/// The longest text a cell may hold.
pub const CELL_MAX_CHARS: usize = 1_000;
/// How many rows at the top of a sheet may hold its title and headers.
pub const HEADER_SCAN_ROWS: usize = 30;

/// A cell as a workbook holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel serial date (days since 30/12/1899).
    Date(f64),
    Bool(bool),
    /// A formula error (`#N/A`, `#REF!`…).
    Error(String),
}

impl CellValue {
    /// The cell as text: numbers without a needless `.0`, serial dates as dd/mm/yyyy.
    pub fn text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) => number_text(*n),
            CellValue::Date(d) => serial_date(*d)
                .map(crate::date::format_vn)
                .unwrap_or_else(|| number_text(*d)),
            CellValue::Bool(b) => if *b { "có" } else { "" }.into(),
            CellValue::Error(e) => e.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The day of an Excel serial date in the 1900 system (serial 60 is the 29/02/1900 that never
/// was; serials before it are one day off, as Excel itself counts them).
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = if days < 61 { days + 1 } else { days };
    base.checked_add_days(chrono::Days::new(u64::try_from(days).ok()?))
}

/// Reads a date cell: a serial date, a number holding one, or text as a form takes it.
pub fn cell_date(field: &'static str, cell: &CellValue) -> Result<Option<NaiveDate>, FieldError> {
    match cell {
        CellValue::Empty => Ok(None),
        CellValue::Date(d) | CellValue::Number(d) => serial_date(*d)
            .map(Some)
            .ok_or(FieldError::new(field, "date_format")),
        CellValue::Text(s) if s.trim().is_empty() => Ok(None),
        CellValue::Text(s) => crate::date::parse_date(field, s).map(Some),
        _ => Err(FieldError::new(field, "date_format")),
    }
}

/// The header of one column: the texts of the header rows above its data, merged cells
/// spread over the columns they cover, joined and folded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnHeader {
    /// 0-based column index.
    pub index: usize,
    /// The header as written (its rows joined by " / ").
    pub text: String,
    /// The field recognised, if any.
    pub field: Option<ImportField>,
    /// The fields of a column that holds several, one a line of its cells, in order (the
    /// first is `field`); empty for a column of one field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ImportField>,
}

impl ColumnHeader {
    /// The column's letters as Excel writes them (A, B, …, AA).
    pub fn letters(&self) -> String {
        column_letters(self.index)
    }
}

pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// The header block found at the top of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderBlock {
    /// 0-based index of the last header row; data begin after it (after a row of column
    /// numbers, if the form has one).
    pub last_row: usize,
    pub columns: Vec<ColumnHeader>,
}

impl HeaderBlock {
    /// The layout's key: its header texts, folded, in column order. Two workbooks with the
    /// same key have the same layout (and share a remembered mapping).
    pub fn layout_key(&self) -> String {
        let k: Vec<String> = self.columns.iter().map(|c| fold(&c.text)).collect();
        let mut k = k.join("|");
        k.truncate(2_000);
        k
    }

    /// The column holding a field (alone or with others).
    pub fn column_of(&self, f: ImportField) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.field == Some(f) || c.parts.contains(&f))
            .map(|c| c.index)
    }

    /// A field's value in a row: its cell, or its line of a shared cell (a yes/no field in a
    /// shared cell: "x" when the cell names it).
    pub fn value(&self, row: &[CellValue], f: ImportField) -> Option<CellValue> {
        let c = self
            .columns
            .iter()
            .find(|c| c.field == Some(f) || c.parts.contains(&f))?;
        let cell = row.get(c.index)?;
        if c.parts.is_empty() {
            return Some(cell.clone());
        }
        let text = cell.text();
        if f.is_flag() {
            return Some(if f.named_in(&fold(&text)) {
                CellValue::Text("x".into())
            } else {
                CellValue::Empty
            });
        }
        let pos = c
            .parts
            .iter()
            .filter(|p| !p.is_flag())
            .position(|p| *p == f)?;
        let line = text.lines().map(str::trim).nth(pos).unwrap_or_default();
        Some(if line.is_empty() {
            CellValue::Empty
        } else {
            CellValue::Text(line.to_owned())
        })
    }
}

/// A merged region of a sheet: rows and columns, both inclusive, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub rows: (usize, usize),
    pub cols: (usize, usize),
}

/// Finds the header block among the first rows of a sheet and recognises its columns. The
/// header row is the one whose columns (with up to two rows above them, merged cells spread)
/// name the most fields; at least two must be named. `fields` is the set recognised
/// (members' or organisations').
pub fn find_headers(
    top: &[Vec<CellValue>],
    merges: &[Merge],
    fields: &[ImportField],
) -> Option<HeaderBlock> {
    let rows = top.len().min(HEADER_SCAN_ROWS);
    let width = top.iter().take(rows).map(Vec::len).max().unwrap_or(0);
    // The grid of header texts with each merged region's text in every cell it covers.
    let mut grid: Vec<Vec<String>> = top
        .iter()
        .take(rows)
        .map(|r| {
            let mut v: Vec<String> = r.iter().map(|c| crate::text::clean(&c.text())).collect();
            v.resize(width, String::new());
            v
        })
        .collect();
    for m in merges {
        if m.rows.0 >= rows || m.cols.0 >= width {
            continue;
        }
        let text = grid[m.rows.0][m.cols.0].clone();
        for row in grid
            .iter_mut()
            .take(m.rows.1.min(rows - 1) + 1)
            .skip(m.rows.0)
        {
            for cell in row
                .iter_mut()
                .take(m.cols.1.min(width - 1) + 1)
                .skip(m.cols.0)
            {
                cell.clone_from(&text);
            }
        }
    }
    let mut best: Option<(usize, HeaderBlock)> = None;
    for r in 0..rows {
        let block = headers_at(&grid, r, fields);
        let named = block.columns.iter().filter(|c| c.field.is_some()).count();
        if named >= 2 && best.as_ref().is_none_or(|(n, _)| named > *n) {
            best = Some((named, block));
        }
    }
    best.map(|(_, b)| b)
}

fn headers_at(grid: &[Vec<String>], r: usize, fields: &[ImportField]) -> HeaderBlock {
    let width = grid.get(r).map_or(0, Vec::len);
    let mut columns = Vec::new();
    let mut taken: Vec<ImportField> = Vec::new();
    for c in 0..width {
        // The column's texts from up to two rows above down to this row, each once.
        let mut parts: Vec<&str> = Vec::new();
        for row in grid.iter().take(r + 1).skip(r.saturating_sub(2)) {
            let t = row[c].as_str();
            if !t.is_empty() && !parts.contains(&t) {
                parts.push(t);
            }
        }
        let text = parts.join(" / ");
        let folded = fold(&text);
        let shared: Vec<ImportField> = ImportField::recognise_all(&folded, fields)
            .into_iter()
            .filter(|f| !taken.contains(f))
            .collect();
        let (field, parts) = if text.is_empty() {
            (None, Vec::new())
        } else if shared.len() > 1 {
            (shared.first().copied(), shared)
        } else {
            let one = ImportField::recognise(&folded, fields).filter(|f| !taken.contains(f));
            (one, Vec::new())
        };
        taken.extend(field);
        taken.extend(parts.iter().copied());
        columns.push(ColumnHeader {
            index: c,
            text,
            field,
            parts,
        });
    }
    HeaderBlock {
        last_row: r,
        columns,
    }
}

/// Whether a row is the row of column numbers that official forms put under their headers
/// ("1", "2", … or "(1)", "(2)", …).
pub fn is_numbering_row(row: &[CellValue]) -> bool {
    let cells: Vec<String> = row
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| c.text().trim().trim_matches(['(', ')']).to_owned())
        .collect();
    cells.len() >= 2
        && cells
            .iter()
            .all(|c| c.parse::<u32>().is_ok_and(|n| n <= 60))
}

#[cfg(test)]
mod tests;
