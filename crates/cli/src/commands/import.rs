//! `dangvu import members|orgs FILE --org ORG [--dry-run]`: a workbook or CSV file brought into
//! a subtree, with a progress bar and the report of every row; `dangvu codes migrate`: the
//! free text of coded fields moved to codes.

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use dangvu_app::import::{ImportFile, ImportOptions, ImportReport, RowAction, WeakMatch};
use dangvu_app::{Actor, App};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Members (Mẫu 7-HSĐV or a list of one's own): matched by CCCD, history number, card
    /// number, then name and date of birth; new ones added, changed ones corrected.
    Members(ImportArgs),
    /// Organisations: name, kind, parent, founding date.
    Orgs(ImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The file: .xlsx, .xls or .csv (UTF-8).
    pub file: PathBuf,
    /// The organisation whose subtree the rows go into (its id or name).
    #[arg(long)]
    pub org: String,
    /// Check every row and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A row matching a member by name and date of birth only: skip (default), same, new.
    #[arg(long, default_value = "skip")]
    pub weak: String,
    /// Column overrides, as `3:ethnicity,5:` (0-based column, field; empty ignores it).
    #[arg(long)]
    pub map: Option<String>,
    /// The largest file taken, in MB.
    #[arg(long, default_value_t = 100)]
    pub max_mb: u64,
}

#[derive(Subcommand, Debug)]
pub enum CodesCommand {
    /// Replace the free text of coded fields by their codes, and list what nothing matched.
    Migrate {
        /// Show what would change, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print a field's code list: ethnicity, religion, education, political_theory,
    /// professional.
    List { field: String },
}

pub async fn run(app: &App, command: &ImportCommand) -> anyhow::Result<()> {
    let (args, kind) = match command {
        ImportCommand::Members(a) => (a, "members"),
        ImportCommand::Orgs(a) => (a, "orgs"),
    };
    let actor = Actor::new("dòng lệnh");
    let root = super::org::resolve(app, &actor, &args.org, app.clock.today()).await?;
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?
        .len();
    if size > args.max_mb * 1024 * 1024 {
        bail!(
            "{}: the file is larger than {} MB (--max-mb)",
            args.file.display(),
            args.max_mb
        );
    }
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let fields = dangvu_web::html::import::fields_of(kind).unwrap_or_default();
    let mapping =
        dangvu_web::html::import::parse_mapping(args.map.as_deref(), fields).map_err(|_| {
            anyhow!("--map: write columns as 3:ethnicity,5: (0-based column and a field key)")
        })?;
    let weak =
        WeakMatch::from_code(&args.weak).ok_or_else(|| anyhow!("--weak: skip, same or new"))?;
    let file = ImportFile {
        name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
    };
    let opts = ImportOptions {
        root: Some(root),
        dry_run: args.dry_run,
        mapping,
        weak,
        max_rows: None,
    };
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message("Đang đọc tệp…");
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    let progress = |n: usize| {
        pb.set_message(format!(
            "Đã kiểm tra {} dòng",
            dangvu_web::i18n::number(n as i64)
        ))
    };
    let report = match kind {
        "orgs" => app.import_orgs(&actor, file, opts, &progress).await,
        _ => app.import_members(&actor, file, opts, &progress).await,
    };
    pb.finish_and_clear();
    let report =
        report.map_err(|e| anyhow!("{}", dangvu_web::i18n::field_message("file", e.code())))?;
    print_report(&report);
    if report.errors > 0 {
        bail!("{} dòng có lỗi: chưa ghi gì", report.errors);
    }
    Ok(())
}

fn print_report(r: &ImportReport) {
    use dangvu_web::render::import as words;
    let unmapped: Vec<String> = r
        .columns
        .iter()
        .filter(|c| c.field.is_none() && !c.text.is_empty())
        .map(|c| format!("{} «{}»", c.letters(), c.text))
        .collect();
    if !unmapped.is_empty() {
        println!(
            "Cột chưa được nhận (bỏ qua; dùng --map để chọn): {}",
            unmapped.join(", ")
        );
    }
    for o in r.rows.iter().filter(|o| o.action != RowAction::Unchanged) {
        for l in words::row_lines(o) {
            println!("{l}");
        }
    }
    println!("{}", words::summary(r));
    if r.dry_run && r.errors == 0 {
        println!(
            "Kiểm tra xong, chưa ghi gì. Chạy lại lệnh không có --dry-run để ghi toàn bộ tệp."
        );
    } else {
        println!("{}", words::verdict(r));
    }
}

pub async fn codes(app: &App, command: &CodesCommand) -> anyhow::Result<()> {
    use dangvu_domain::codes::CodedField;
    match command {
        CodesCommand::List { field } => {
            let f = CodedField::of_field(field).ok_or_else(|| {
                anyhow!("{field}: ethnicity, religion, education, political_theory or professional")
            })?;
            let list = f.list();
            println!(
                "{} (từ {})",
                list.source,
                dangvu_domain::date::format_vn(list.from())
            );
            for c in list.codes {
                println!("{:>5}  {}", c.code, c.name);
            }
        }
        CodesCommand::Migrate { dry_run } => {
            let actor = Actor::new("dòng lệnh");
            let r = app
                .migrate_codes(&actor, *dry_run)
                .await
                .map_err(|e| anyhow!("{}", e.code()))?;
            for (field, text, code, n) in &r.matched {
                println!(
                    "{}: «{text}» → {code} ({n} đảng viên)",
                    dangvu_web::i18n::field(field)
                );
            }
            for (field, text, n) in &r.unmatched {
                println!(
                    "{}: «{text}» không khớp danh mục, giữ nguyên ({n} đảng viên)",
                    dangvu_web::i18n::field(field)
                );
            }
            println!(
                "{}: {} đảng viên chuyển sang mã, {} giữ nguyên văn bản",
                if *dry_run {
                    "Thử (chưa ghi)"
                } else {
                    "Đã ghi"
                },
                r.members_recoded(),
                r.members_unmatched()
            );
        }
    }
    Ok(())
}
