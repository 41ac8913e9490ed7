//! The import page (R5): a workbook of members or organisations is sent by the page's script
//! (with a progress bar), checked, shown row by row with its problems and the mapping of its
//! columns, and written only when the user confirms.

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use dangvu_app::AppError;
use dangvu_app::import::{ImportFile, ImportOptions, ImportReport, RowAction, WeakMatch};
use dangvu_domain::DomainError;
use dangvu_domain::ids::OrgId;
use dangvu_domain::import::{ImportField, ORG_FIELDS};
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::Cx;
use crate::html::{PageResult, shown};
use crate::render::import as words;
use crate::session::CurrentActor;

/// What to import and how, as the page's script sends it.
#[derive(Debug, Default, Deserialize)]
pub struct ImportQuery {
    /// `dang-vien` or `to-chuc`.
    pub loai: Option<String>,
    /// `1` for a dry run.
    pub thu: Option<String>,
    /// What to do with a row matching by name and birth date only: skip, same, new.
    pub trung: Option<String>,
    /// The file's name.
    pub ten: Option<String>,
    /// Column overrides: `3:ethnicity,5:` (an empty field ignores the column).
    pub cot: Option<String>,
}

/// The kinds of import and their fields.
pub fn fields_of(kind: &str) -> Option<&'static [ImportField]> {
    match kind {
        "dang-vien" | "members" => Some(ImportField::MEMBER),
        "to-chuc" | "orgs" => Some(ORG_FIELDS),
        _ => None,
    }
}

/// Reads `3:ethnicity,5:` into column overrides, refusing an unknown field or column.
pub fn parse_mapping(
    s: Option<&str>,
    fields: &[ImportField],
) -> Result<std::collections::BTreeMap<usize, Option<ImportField>>, AppError> {
    let mut out = std::collections::BTreeMap::new();
    let bad = || AppError::from(DomainError::rule_on("mapping_invalid", "mapping"));
    for part in s
        .unwrap_or_default()
        .split(',')
        .filter(|p| !p.trim().is_empty())
    {
        let (i, k) = part.split_once(':').ok_or_else(bad)?;
        let i: usize = i.trim().parse().map_err(|_| bad())?;
        if i >= dangvu_app::import::workbook::MAX_COLUMNS {
            return Err(bad());
        }
        let f = match k.trim() {
            "" => None,
            k => Some(
                ImportField::from_key(k)
                    .filter(|f| fields.contains(f))
                    .ok_or_else(bad)?,
            ),
        };
        out.insert(i, f);
    }
    Ok(out)
}

/// Reads an uploaded body up to the configured size.
pub async fn read_upload(body: Body, max: usize) -> Result<Vec<u8>, AppError> {
    axum::body::to_bytes(body, max)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| DomainError::rule_on("import_too_large", "file").into())
}

/// Runs an import of a kind into an organisation's subtree.
pub async fn run(
    state: &crate::AppState,
    me: &CurrentActor,
    kind: &str,
    file: ImportFile,
    opts: ImportOptions,
) -> Result<ImportReport, AppError> {
    match kind {
        "to-chuc" | "orgs" => {
            state
                .app
                .import_orgs(&me.actor(), file, opts, &|_| {})
                .await
        }
        _ => {
            state
                .app
                .import_members(&me.actor(), file, opts, &|_| {})
                .await
        }
    }
}

#[derive(Template)]
#[template(path = "import/page.html")]
pub struct ImportPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub max_mb: usize,
}

/// The page to choose a file.
pub async fn page(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    state.app.can_import(&me.actor(), OrgId(id))?;
    let (name, _) = crate::html::org_today(&state, OrgId(id)).await;
    let page = ImportPage {
        me: me.clone(),
        org: id,
        name,
        max_mb: state.config.import_max_bytes / (1024 * 1024),
    };
    shown(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(
    source = "<section class=\"import-report\"><p class=\"error\">{{ msg }}</p></section>",
    ext = "html"
)]
pub struct FileError {
    pub msg: String,
}

pub struct ColumnView {
    pub index: usize,
    pub letters: String,
    pub text: String,
    pub field: String,
    /// The fields of a shared column, one a line ("Giới tính, Dân tộc, Tôn giáo").
    pub parts: String,
}

pub struct RowView {
    pub row: u32,
    pub name: String,
    pub link: String,
    pub action: &'static str,
    pub details: Vec<String>,
    pub error: bool,
}

#[derive(Template)]
#[template(path = "import/report.html")]
pub struct ReportFragment {
    pub report: ImportReport,
    pub summary: String,
    pub verdict: &'static str,
    pub columns: Vec<ColumnView>,
    pub unmapped: usize,
    pub choices: Vec<(String, String)>,
    pub rows: Vec<RowView>,
    pub hidden_rows: usize,
    pub listed: usize,
}

fn fragment(report: ImportReport, kind: &str) -> ReportFragment {
    let fields = fields_of(kind).unwrap_or(ImportField::MEMBER);
    let members = fields == ImportField::MEMBER;
    let columns: Vec<ColumnView> = report
        .columns
        .iter()
        .map(|c| ColumnView {
            index: c.index,
            letters: c.letters(),
            text: c.text.clone(),
            field: c.field.map(|f| f.key().to_owned()).unwrap_or_default(),
            parts: c
                .parts
                .iter()
                .map(|f| crate::i18n::field(f.key()).to_owned())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let rows: Vec<RowView> = report
        .rows
        .iter()
        .map(|o| {
            let mut lines = words::row_lines(o);
            lines.remove(0);
            if !o.changed.is_empty() {
                lines.insert(
                    0,
                    o.changed
                        .iter()
                        .map(|f| crate::i18n::field(f).to_owned())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            RowView {
                row: o.row,
                name: o.name.clone(),
                link: match (o.id, o.action) {
                    (Some(id), RowAction::Update | RowAction::WeakMatch | RowAction::Unchanged)
                        if members =>
                    {
                        format!("/dang-vien/{id}")
                    }
                    (Some(id), _) if report.committed && members => format!("/dang-vien/{id}"),
                    (Some(id), _) if report.committed => format!("/to-chuc/{id}"),
                    _ => String::new(),
                },
                action: words::action_label(o.action),
                details: lines.into_iter().map(|l| l.trim().to_owned()).collect(),
                error: o.action == RowAction::Error,
            }
        })
        .collect();
    let listed = rows.len();
    let hidden =
        report.total_rows - report.unchanged - listed.min(report.total_rows - report.unchanged);
    ReportFragment {
        summary: words::summary(&report),
        verdict: words::verdict(&report),
        unmapped: columns
            .iter()
            .filter(|c| c.field.is_empty() && !c.text.is_empty())
            .count(),
        choices: words::field_choices(fields),
        columns,
        rows,
        hidden_rows: hidden,
        listed,
        report,
    }
}

/// Receives a file from the page's script and answers the report as a fragment of the page.
pub async fn upload(
    Cx(me, state): Cx,
    Path(id): Path<i64>,
    Query(q): Query<ImportQuery>,
    body: Body,
) -> PageResult {
    let kind = q.loai.as_deref().unwrap_or("dang-vien");
    let fields =
        fields_of(kind).ok_or(PageError(DomainError::rule_on("invalid", "loai").into()))?;
    // Scope first: the organisation, before the file is read or its mapping looked at.
    state.app.can_import(&me.actor(), OrgId(id))?;
    let mapping = parse_mapping(q.cot.as_deref(), fields)?;
    let bytes = read_upload(body, state.config.import_max_bytes).await?;
    let opts = ImportOptions {
        root: Some(OrgId(id)),
        dry_run: q.thu.as_deref() != Some("0"),
        mapping,
        weak: WeakMatch::from_code(q.trung.as_deref().unwrap_or_default()).unwrap_or_default(),
        max_rows: None,
    };
    let file = ImportFile {
        name: q
            .ten
            .clone()
            .unwrap_or_else(|| "tệp".into())
            .chars()
            .take(200)
            .collect(),
        bytes,
    };
    let report = match run(&state, &me, kind, file, opts).await {
        Ok(r) => r,
        // A file that cannot be read at all is said in the page's report area.
        Err(AppError::Domain(e)) if e.code().starts_with("import_") => {
            let msg = crate::i18n::field_message("file", e.code());
            return shown(StatusCode::UNPROCESSABLE_ENTITY, &FileError { msg });
        }
        Err(e) => return Err(e.into()),
    };
    let status = if report.errors > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    shown(status, &fragment(report, kind))
}
