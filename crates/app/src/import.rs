//! Bringing a committee's existing records in from a spreadsheet (R5, R15): members and
//! organisations, checked row by row with the rules of the forms, matched to the register so
//! that nothing is entered twice, and written in one transaction or not at all.

use std::collections::BTreeMap;

use dangvu_domain::DomainError;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::OrgId;
use dangvu_domain::import::{CellValue, ColumnHeader, HeaderBlock, ImportField};
use serde::Serialize;

use crate::{AppError, AppResult};

mod fresh;
mod members;
mod orgs;
pub mod workbook;

use workbook::{Message, ReadFailure};

/// The largest file taken by default (bytes); a deployment may set its own.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows taken from one file.
pub const MAX_ROWS: usize = 200_000;
/// The rows a report lists one by one (every error is counted; the first of them listed).
pub const REPORT_ROWS: usize = 2_000;

/// A file to import: its name (for the record of where a change came from) and its bytes.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What to do with a row that matches a member only by name and date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeakMatch {
    /// Leave the row out and show it (the default: a person decides).
    #[default]
    Skip,
    /// The same person: update her record.
    Same,
    /// Another person: add her.
    New,
}

impl WeakMatch {
    pub fn from_code(s: &str) -> Option<WeakMatch> {
        match s {
            "skip" | "" => Some(WeakMatch::Skip),
            "same" => Some(WeakMatch::Same),
            "new" => Some(WeakMatch::New),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The organisation whose subtree the rows go into (their cells are looked for there).
    pub root: Option<OrgId>,
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// The field of each column (0-based) where the user overrides what was recognised or
    /// remembered; `None` ignores the column.
    pub mapping: BTreeMap<usize, Option<ImportField>>,
    pub weak: WeakMatch,
    /// The most rows taken.
    pub max_rows: Option<usize>,
}

/// What happened (or would happen) to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    /// Matched by name and date of birth only; left for a person to decide.
    WeakMatch,
    Error,
}

/// One problem of a row, where the sheet has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row as the spreadsheet numbers it (from 1).
    pub row: u32,
    /// The column's letters, when the problem is in one cell.
    pub column: Option<String>,
    /// The field's key (`birth_date`, `cell`…).
    pub field: Option<String>,
    pub code: String,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcome {
    pub row: u32,
    /// The name the row gives.
    pub name: String,
    pub action: RowAction,
    /// The member or organisation it created, updated or matched.
    pub id: Option<i64>,
    /// The fields an update changes.
    pub changed: Vec<String>,
    pub errors: Vec<RowError>,
    /// Remarks that do not stop the row (a date differing from the rule's).
    pub notes: Vec<String>,
}

impl RowOutcome {
    /// A row's outcome before it is decided: an error until something better is known.
    pub(crate) fn of(row: &Row<'_>) -> RowOutcome {
        RowOutcome {
            row: row.number,
            name: row.text(ImportField::FullName).chars().take(100).collect(),
            action: RowAction::Error,
            id: None,
            changed: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// The report of an import or a dry run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub sheet: String,
    pub columns: Vec<ColumnHeader>,
    /// The layout's key (for remembering the mapping).
    pub layout: String,
    pub rows: Vec<RowOutcome>,
    pub total_rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub weak: usize,
    pub errors: usize,
    /// True when the rows were written (not a dry run, and no row had an error).
    pub committed: bool,
    pub dry_run: bool,
}

impl ImportReport {
    fn count(&mut self, o: RowOutcome) {
        self.total_rows += 1;
        match o.action {
            RowAction::Create => self.created += 1,
            RowAction::Update => self.updated += 1,
            RowAction::Unchanged => self.unchanged += 1,
            RowAction::WeakMatch => self.weak += 1,
            RowAction::Error => self.errors += 1,
        }
        let keep = self.rows.len() < REPORT_ROWS
            || (o.action == RowAction::Error
                && self
                    .rows
                    .iter()
                    .filter(|r| r.action == RowAction::Error)
                    .count()
                    < REPORT_ROWS);
        if keep && o.action != RowAction::Unchanged {
            self.rows.push(o);
        }
    }
}

impl crate::App {
    /// Whether the actor may import into an organisation's subtree (she may write there); an
    /// organisation out of her scope is answered as a missing one.
    pub fn can_import(&self, actor: &crate::Actor, org: OrgId) -> AppResult<()> {
        self.require_org_write(actor, org)
    }
}

/// The error of a file that cannot be imported at all.
pub(crate) fn file_error(f: ReadFailure) -> AppError {
    let code = match f {
        ReadFailure::Unreadable => "import_unreadable",
        ReadFailure::Encoding => "import_encoding",
        ReadFailure::NoHeaders => "import_no_headers",
        ReadFailure::TooManyRows(_) => "import_too_many_rows",
    };
    DomainError::rule_on(code, "file").into()
}

/// A sheet's header block with the user's overrides and the remembered mapping applied.
pub(crate) fn apply_mapping(
    mut h: HeaderBlock,
    remembered: Option<&str>,
    overrides: &BTreeMap<usize, Option<ImportField>>,
) -> HeaderBlock {
    // A column given another field than it was recognised with holds that field alone.
    let set = |c: &mut ColumnHeader, f: Option<ImportField>| {
        if c.field != f {
            c.field = f;
            c.parts.clear();
        }
    };
    if let Some(saved) = remembered
        .and_then(|s| serde_json::from_str::<BTreeMap<usize, Option<ImportField>>>(s).ok())
    {
        for c in &mut h.columns {
            if let Some(f) = saved.get(&c.index) {
                set(c, *f);
            }
        }
    }
    for (i, f) in overrides {
        if let Some(c) = h.columns.iter_mut().find(|c| c.index == *i) {
            set(c, *f);
        }
    }
    // A field mapped twice is kept on its first column.
    let mut seen: Vec<ImportField> = Vec::new();
    for c in &mut h.columns {
        let mine: Vec<ImportField> = c.field.into_iter().chain(c.parts.iter().copied()).collect();
        if mine.iter().any(|f| seen.contains(f)) {
            c.field = None;
            c.parts.clear();
        } else {
            seen.extend(mine);
        }
    }
    h
}

/// The mapping of a header block as saved for its layout.
pub(crate) fn mapping_json(h: &HeaderBlock) -> String {
    let m: BTreeMap<usize, Option<ImportField>> =
        h.columns.iter().map(|c| (c.index, c.field)).collect();
    serde_json::to_string(&m).unwrap_or_default()
}

/// A row's cells by field.
pub(crate) struct Row<'a> {
    pub number: u32,
    pub cells: &'a [CellValue],
    pub headers: &'a HeaderBlock,
}

impl Row<'_> {
    /// A field's value: its cell, or its line of a shared cell.
    pub fn cell(&self, f: ImportField) -> Option<CellValue> {
        self.headers.value(self.cells, f)
    }
    pub fn has_column(&self, f: ImportField) -> bool {
        self.headers.column_of(f).is_some()
    }
    /// The cell's text, cleaned (NFC, single spaces).
    pub fn text(&self, f: ImportField) -> String {
        self.cell(f)
            .map(|c| dangvu_domain::text::clean(&c.text()))
            .unwrap_or_default()
    }
    pub fn column(&self, f: ImportField) -> Option<String> {
        self.headers
            .column_of(f)
            .map(dangvu_domain::import::column_letters)
    }
    pub fn error(&self, field: ImportField, code: &str) -> RowError {
        RowError {
            row: self.number,
            column: self.column(field),
            field: Some(field.key().to_owned()),
            code: code.to_owned(),
        }
    }
    /// Every cell over the length limit or holding a formula error, as errors.
    pub fn cell_errors(&self) -> Vec<RowError> {
        let mut out = Vec::new();
        for c in &self.headers.columns {
            let Some(f) = c.field else { continue };
            match self.cells.get(c.index) {
                Some(CellValue::Text(s))
                    if s.chars().count() > dangvu_domain::import::CELL_MAX_CHARS =>
                {
                    out.push(self.error(f, "too_long"));
                }
                Some(CellValue::Error(_)) => out.push(self.error(f, "cell_error")),
                _ => {}
            }
        }
        out
    }
}

/// Field errors of the rules (R5) as row errors, on the columns holding the fields.
pub(crate) fn field_errors(
    row: &Row<'_>,
    e: &AppError,
    field_map: fn(&str) -> Option<ImportField>,
) -> Vec<RowError> {
    let errors: Vec<FieldError> = match e {
        AppError::Domain(d) => {
            let f = d.fields();
            if f.is_empty() {
                return vec![RowError {
                    row: row.number,
                    column: None,
                    field: None,
                    code: d.code().to_owned(),
                }];
            }
            f
        }
        AppError::NotFound(what) => {
            return vec![RowError {
                row: row.number,
                column: None,
                field: Some((*what).to_owned()),
                code: "not_found".into(),
            }];
        }
        _ => {
            return vec![RowError {
                row: row.number,
                column: None,
                field: None,
                code: "row_failed".into(),
            }];
        }
    };
    errors
        .into_iter()
        .map(|fe| {
            let imported = field_map(fe.field);
            RowError {
                row: row.number,
                column: imported.and_then(|f| row.column(f)),
                field: Some(fe.field.to_owned()),
                code: fe.code.to_owned(),
            }
        })
        .collect()
}

/// The next chunk of rows from the reading thread, `None` at the end; a file that fails while
/// it is read rolls the import back and ends it.
pub(crate) async fn next_chunk(
    rx: &mut tokio::sync::mpsc::Receiver<Message>,
    tx: dangvu_store::Tx,
) -> AppResult<(dangvu_store::Tx, Option<Vec<(u32, Vec<CellValue>)>>)> {
    match rx.recv().await {
        Some(Message::Rows(r)) => Ok((tx, Some(r))),
        Some(Message::Failed(f)) => {
            tx.rollback().await?;
            Err(file_error(f))
        }
        _ => Ok((tx, None)),
    }
}

impl crate::App {
    /// Ends an import: a dry run, or a file with a row in error, is rolled back whole;
    /// otherwise the layout's mapping is remembered, the import recorded in the audit trail
    /// and everything committed at once.
    pub(crate) async fn finish_import(
        &self,
        mut tx: dangvu_store::Tx,
        actor: &crate::Actor,
        kind: &str,
        headers: &HeaderBlock,
        mut report: ImportReport,
        entry: crate::audit_log::Entry<'_>,
    ) -> AppResult<ImportReport> {
        if report.dry_run || report.errors > 0 {
            tx.rollback().await?;
            return Ok(report);
        }
        dangvu_store::imports::save_layout(
            &mut tx,
            kind,
            &report.layout,
            &mapping_json(headers),
            &actor.name,
            &self.now_text(),
        )
        .await?;
        self.audit(&mut tx, actor, entry).await?;
        tx.commit().await?;
        report.committed = true;
        Ok(report)
    }
}

/// What an import reads before its rows: the reading thread, the sheet's headers with the
/// remembered mapping and the user's overrides applied, the rows read with them, and the report
/// to fill.
pub(crate) struct Opened {
    pub rx: tokio::sync::mpsc::Receiver<Message>,
    pub headers: HeaderBlock,
    pub first: Vec<(u32, Vec<CellValue>)>,
    pub report: ImportReport,
}

/// Starts reading a file of a kind of import (`members`, `orgs`) and finds its headers.
pub(crate) async fn open(
    tx: &mut dangvu_store::Tx,
    kind: &str,
    fields: &'static [ImportField],
    file: ImportFile,
    opts: &ImportOptions,
) -> AppResult<Opened> {
    let mut rx = workbook::spawn(file.bytes, fields, opts.max_rows.unwrap_or(MAX_ROWS));
    let (sheet, headers, first) = first_sheet(&mut rx).await?;
    let remembered = dangvu_store::imports::layout(tx, kind, &headers.layout_key()).await?;
    let headers = apply_mapping(headers, remembered.as_deref(), &opts.mapping);
    let report = ImportReport {
        file: dangvu_domain::text::clean(&file.name),
        sheet,
        layout: headers.layout_key(),
        columns: headers.columns.clone(),
        dry_run: opts.dry_run,
        ..ImportReport::default()
    };
    Ok(Opened {
        rx,
        headers,
        first,
        report,
    })
}

/// Receives the chosen sheet from the reading thread.
pub(crate) async fn first_sheet(
    rx: &mut tokio::sync::mpsc::Receiver<Message>,
) -> AppResult<(String, HeaderBlock, Vec<(u32, Vec<CellValue>)>)> {
    match rx.recv().await {
        Some(Message::Sheet {
            name,
            headers,
            rows,
        }) => Ok((name, headers, rows)),
        Some(Message::Failed(f)) => Err(file_error(f)),
        _ => Err(file_error(ReadFailure::Unreadable)),
    }
}
