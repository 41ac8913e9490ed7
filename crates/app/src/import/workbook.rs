//! Reading a workbook (.xlsx, .xls) or a CSV file row by row on a thread of its own, so that
//! the rows reach the import a chunk at a time and memory does not grow with the file.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use dangvu_domain::import::{
    CELL_MAX_CHARS, CellValue, HEADER_SCAN_ROWS, HeaderBlock, ImportField, Merge, find_headers,
};
use tokio::sync::mpsc;

/// The widest sheet read: columns further right are ignored.
pub const MAX_COLUMNS: usize = 200;
/// Rows sent together.
const CHUNK: usize = 500;

/// A file-level failure, by its message code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadFailure {
    /// Not a workbook or CSV file this reader knows, or a damaged one.
    Unreadable,
    /// A CSV file that is not UTF-8.
    Encoding,
    /// No sheet with a header row naming at least two fields.
    NoHeaders,
    /// More data rows than the limit.
    TooManyRows(usize),
}

/// What the reading thread sends.
#[derive(Debug)]
pub enum Message {
    /// The sheet chosen, its header block, and the rows after the headers read with them.
    Sheet {
        name: String,
        headers: HeaderBlock,
        rows: Vec<(u32, Vec<CellValue>)>,
    },
    Rows(Vec<(u32, Vec<CellValue>)>),
    Failed(ReadFailure),
}

/// The kind of a file, by its first bytes.
fn kind(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") {
        Kind::Xlsx
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Kind::Xls
    } else {
        Kind::Csv
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xls,
    Csv,
}

/// Starts reading a file on its own thread: the first sheet (in workbook order) whose top
/// rows name at least two of `fields`, then its rows in chunks, at most `max_rows` data rows.
pub fn spawn(
    bytes: Vec<u8>,
    fields: &'static [ImportField],
    max_rows: usize,
) -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel(4);
    std::thread::spawn(move || {
        let mut out = Out {
            tx,
            rows: Vec::new(),
            sent: 0,
            max_rows,
            failed: false,
        };
        let r = match kind(&bytes) {
            Kind::Xlsx => read_xlsx(&bytes, fields, &mut out),
            Kind::Xls => read_xls(&bytes, fields, &mut out),
            Kind::Csv => read_csv(&bytes, fields, &mut out),
        };
        match r {
            Ok(()) => {
                out.flush();
            }
            Err(f) => out.fail(f),
        }
    });
    rx
}

struct Out {
    tx: mpsc::Sender<Message>,
    rows: Vec<(u32, Vec<CellValue>)>,
    sent: usize,
    max_rows: usize,
    failed: bool,
}

impl Out {
    /// Queues a data row; false when reading should stop (the import gave up or the limit
    /// is passed).
    fn row(&mut self, index: u32, cells: Vec<CellValue>) -> bool {
        if self.failed {
            return false;
        }
        if cells.iter().all(CellValue::is_empty) {
            return true;
        }
        self.sent += 1;
        if self.sent > self.max_rows {
            self.fail(ReadFailure::TooManyRows(self.max_rows));
            return false;
        }
        self.rows.push((index, cells));
        if self.rows.len() >= CHUNK {
            return self.flush();
        }
        true
    }

    fn flush(&mut self) -> bool {
        if self.rows.is_empty() || self.failed {
            return !self.failed;
        }
        let rows = std::mem::take(&mut self.rows);
        // The import dropped its end: stop reading.
        self.tx.blocking_send(Message::Rows(rows)).is_ok()
    }

    fn fail(&mut self, f: ReadFailure) {
        if !self.failed {
            self.failed = true;
            let _ = self.tx.blocking_send(Message::Failed(f));
        }
    }

    /// Sends the chosen sheet with the rows read after its headers.
    fn sheet(&mut self, name: String, headers: HeaderBlock, top: Vec<Vec<CellValue>>) -> bool {
        let mut rows = Vec::new();
        for (i, r) in top.into_iter().enumerate().skip(headers.last_row + 1) {
            if r.iter().all(CellValue::is_empty)
                || (rows.is_empty() && dangvu_domain::import::is_numbering_row(&r))
            {
                continue;
            }
            self.sent += 1;
            rows.push((u32::try_from(i).unwrap_or(u32::MAX), r));
        }
        if self.sent > self.max_rows {
            self.fail(ReadFailure::TooManyRows(self.max_rows));
            return false;
        }
        self.tx
            .blocking_send(Message::Sheet {
                name,
                headers,
                rows,
            })
            .is_ok()
    }
}

/// A text cell, cut to one character over the limit (so that the limit is seen and reported
/// without keeping a huge string).
fn text(s: &str) -> CellValue {
    if s.chars().count() > CELL_MAX_CHARS {
        CellValue::Text(s.chars().take(CELL_MAX_CHARS + 1).collect())
    } else {
        CellValue::Text(s.to_owned())
    }
}

fn from_data(d: &Data, offset: f64) -> CellValue {
    match d {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text(s),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(d) => CellValue::Date(d.as_f64() + offset),
        Data::Error(e) => CellValue::Error(format!("{e}")),
    }
}

fn from_ref(d: &DataRef<'_>, offset: f64) -> CellValue {
    match d {
        DataRef::Empty => CellValue::Empty,
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(d) => CellValue::Date(d.as_f64() + offset),
        DataRef::Error(e) => CellValue::Error(format!("{e}")),
    }
}

/// Puts a cell in its row, growing the row as needed (columns past the limit are dropped).
fn place(row: &mut Vec<CellValue>, col: usize, v: CellValue) {
    if col >= MAX_COLUMNS {
        return;
    }
    if row.len() <= col {
        row.resize(col + 1, CellValue::Empty);
    }
    row[col] = v;
}

fn merges_of(dims: &[calamine::Dimensions]) -> Vec<Merge> {
    dims.iter()
        .map(|d| Merge {
            rows: (d.start.0 as usize, d.end.0 as usize),
            cols: (d.start.1 as usize, d.end.1 as usize),
        })
        .collect()
}

fn read_xlsx(
    bytes: &[u8],
    fields: &'static [ImportField],
    out: &mut Out,
) -> Result<(), ReadFailure> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadFailure::Unreadable)?;
    // Serial dates of the 1904 system are 1,462 days behind the 1900 system's.
    let offset = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    for name in wb.sheet_names() {
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map(|d| merges_of(&d))
            .unwrap_or_default();
        let mut reader = wb
            .worksheet_cells_reader(&name)
            .map_err(|_| ReadFailure::Unreadable)?;
        let mut failed = false;
        let rows = XlsxRows {
            reader: &mut reader,
            next: None,
            done: false,
            failed: &mut failed,
            offset,
        };
        let sent = stream_rows(rows, &name, &merges, fields, out)?;
        if failed {
            return Err(ReadFailure::Unreadable);
        }
        if sent {
            return Ok(());
        }
    }
    Err(ReadFailure::NoHeaders)
}

/// The rows of a sheet from its streaming cell reader, in order; a damaged sheet ends them and
/// sets `failed`.
struct XlsxRows<'r, 'a, RS: std::io::Read + std::io::Seek> {
    reader: &'r mut calamine::XlsxCellReader<'a, RS>,
    /// The first cell of the next row, read while ending this one.
    next: Option<(u32, usize, CellValue)>,
    /// The reader reached the sheet's end (it is not asked again).
    done: bool,
    failed: &'r mut bool,
    offset: f64,
}

impl<RS: std::io::Read + std::io::Seek> Iterator for XlsxRows<'_, '_, RS> {
    type Item = (u32, Vec<CellValue>);

    fn next(&mut self) -> Option<Self::Item> {
        let mut row: Option<(u32, Vec<CellValue>)> = None;
        if let Some((r, c, v)) = self.next.take() {
            let mut cells = Vec::new();
            place(&mut cells, c, v);
            row = Some((r, cells));
        }
        while !self.done {
            let cell = match self.reader.next_cell() {
                Ok(c) => c,
                Err(_) => {
                    *self.failed = true;
                    return None;
                }
            };
            let Some(cell) = cell else {
                self.done = true;
                break;
            };
            let (r, c) = cell.get_position();
            let value = from_ref(cell.get_value(), self.offset);
            match &mut row {
                Some((cur, cells)) if *cur == r => place(cells, c as usize, value),
                Some(_) => {
                    self.next = Some((r, c as usize, value));
                    return row;
                }
                None => {
                    let mut cells = Vec::new();
                    place(&mut cells, c as usize, value);
                    row = Some((r, cells));
                }
            }
        }
        row
    }
}

fn read_xls(
    bytes: &[u8],
    fields: &'static [ImportField],
    out: &mut Out,
) -> Result<(), ReadFailure> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|_| ReadFailure::Unreadable)?;
    let offset = if wb.has_1904_epoch() { 1462.0 } else { 0.0 };
    for name in wb.sheet_names() {
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map(|d| merges_of(&d))
            .unwrap_or_default();
        let range = wb
            .worksheet_range(&name)
            .map_err(|_| ReadFailure::Unreadable)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let rows = range.rows().enumerate().map(|(i, row)| {
            let mut v = Vec::new();
            for (j, d) in row.iter().enumerate() {
                place(&mut v, c0 as usize + j, from_data(d, offset));
            }
            (r0 + i as u32, v)
        });
        if stream_rows(rows, &name, &merges, fields, out)? {
            return Ok(());
        }
    }
    Err(ReadFailure::NoHeaders)
}

/// Sends the rows of a sheet read whole: true when the sheet had headers (and was sent).
fn stream_rows(
    rows: impl Iterator<Item = (u32, Vec<CellValue>)>,
    name: &str,
    merges: &[Merge],
    fields: &'static [ImportField],
    out: &mut Out,
) -> Result<bool, ReadFailure> {
    let mut top: Vec<Vec<CellValue>> = Vec::new();
    let mut chosen = false;
    for (r, cells) in rows {
        if !chosen {
            let idx = r as usize;
            if idx < HEADER_SCAN_ROWS {
                top.resize(idx + 1, Vec::new());
                top[idx] = cells;
                continue;
            }
            let Some(h) = find_headers(&top, merges, fields) else {
                return Ok(false);
            };
            chosen = true;
            if !out.sheet(name.to_owned(), h, std::mem::take(&mut top)) {
                return Ok(true);
            }
        }
        if !out.row(r, cells) {
            return Ok(true);
        }
    }
    if chosen {
        return Ok(true);
    }
    match find_headers(&top, merges, fields) {
        Some(h) => {
            out.sheet(name.to_owned(), h, top);
            Ok(true)
        }
        None => Ok(false),
    }
}

fn read_csv(
    bytes: &[u8],
    fields: &'static [ImportField],
    out: &mut Out,
) -> Result<(), ReadFailure> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let s = std::str::from_utf8(bytes).map_err(|_| ReadFailure::Encoding)?;
    let first = s.lines().next().unwrap_or_default();
    let sep = [';', '\t', ',']
        .into_iter()
        .max_by_key(|c| first.matches(*c).count())
        .unwrap_or(',');
    let rows = CsvRows {
        rest: s,
        sep,
        row: 0,
    };
    if stream_rows(rows, "CSV", &[], fields, out)? {
        Ok(())
    } else {
        Err(ReadFailure::NoHeaders)
    }
}

/// The records of a CSV text (RFC 4180: quoted fields may hold the separator, quotes
/// doubled and line breaks).
struct CsvRows<'a> {
    rest: &'a str,
    sep: char,
    row: u32,
}

impl Iterator for CsvRows<'_> {
    type Item = (u32, Vec<CellValue>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let mut cells = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = self.rest.char_indices().peekable();
        let mut end = self.rest.len();
        while let Some((i, c)) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek().is_some_and(|(_, n)| *n == '"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else if field.len() <= CELL_MAX_CHARS * 4 {
                    field.push(c);
                }
            } else if c == '"' && field.is_empty() {
                quoted = true;
            } else if c == self.sep {
                cells.push(std::mem::take(&mut field));
            } else if c == '\n' || c == '\r' {
                end = i + c.len_utf8();
                if c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n') {
                    end += 1;
                }
                break;
            } else if field.len() <= CELL_MAX_CHARS * 4 {
                field.push(c);
            }
        }
        cells.push(field);
        self.rest = &self.rest[end..];
        let r = self.row;
        self.row += 1;
        let mut v = Vec::new();
        for (j, f) in cells.iter().enumerate() {
            let cell = if f.trim().is_empty() {
                CellValue::Empty
            } else {
                text(f)
            };
            place(&mut v, j, cell);
        }
        Some((r, v))
    }
}
