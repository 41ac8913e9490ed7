//! `dangvu report members`: the structure of a subtree's roll on a day and the movements of a
//! period, or one table of the statistical report; `dangvu export members|register`: a member
//! list or the register of members (Mẫu 7-HSĐV) as a workbook. Exports are audited.

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use dangvu_app::{Actor, App};
use dangvu_domain::date::{format_vn, parse_date};
use dangvu_domain::text::{number, percent};

/// The options of `dangvu report members`.
#[derive(clap::Args, Debug)]
pub struct MembersReport {
    /// The organisation whose subtree is counted (its id or name).
    #[arg(long)]
    pub org: String,
    /// The day (dd/mm/yyyy); today by default.
    #[arg(long)]
    pub on: Option<String>,
    /// The first day of the movements' period (dd/mm/yyyy); the first of the year by default.
    #[arg(long)]
    pub from: Option<String>,
    /// Print this table of the statistical report instead (`bieu-1-co-cau`,
    /// `bieu-2-bien-dong`, or one added in DANGVU_REPORT_TABLES).
    #[arg(long)]
    pub table: Option<String>,
    /// Also write the workbook to this file.
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// A member list with the columns asked for.
    Members {
        #[arg(long)]
        org: String,
        #[arg(long)]
        on: Option<String>,
        /// Words that begin words of the name.
        #[arg(long)]
        q: Option<String>,
        /// probationary, official or exempt.
        #[arg(long)]
        status: Option<String>,
        /// One cell of the subtree (its id).
        #[arg(long)]
        cell: Option<i64>,
        #[arg(long)]
        age_min: Option<i32>,
        #[arg(long)]
        age_max: Option<i32>,
        /// Column keys, comma-separated (full_name,birth_date,cccd,…); the usual ones by default.
        #[arg(long)]
        columns: Option<String>,
        /// The workbook to write.
        #[arg(long)]
        xlsx: PathBuf,
    },
    /// The register of members (Mẫu 7-HSĐV) of a cell or a đảng bộ.
    Register {
        #[arg(long)]
        org: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        xlsx: PathBuf,
    },
}

fn day(
    flag: &str,
    v: Option<&str>,
    default: chrono::NaiveDate,
) -> anyhow::Result<chrono::NaiveDate> {
    match v {
        None => Ok(default),
        Some(v) => {
            parse_date("date", v).map_err(|_| anyhow!("--{flag} {v}: write the date as dd/mm/yyyy"))
        }
    }
}

fn failed(e: dangvu_app::AppError) -> anyhow::Error {
    let fields = e.fields();
    match fields.first() {
        Some(f) => anyhow!("{}", dangvu_web::i18n::field_message(f.field, f.code)),
        None => anyhow!("{}", dangvu_web::i18n::message(e.code())),
    }
}

fn write(path: &PathBuf, bytes: Vec<u8>) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("Đã ghi {}", path.display());
    Ok(())
}

pub async fn report(app: &App, r: &MembersReport) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    let today = app.clock.today();
    let on = day("on", r.on.as_deref(), today)?;
    let from = day(
        "from",
        r.from.as_deref(),
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&on), 1, 1).unwrap_or(on),
    )?;
    let org = super::org::resolve(app, &actor, &r.org, on).await?;
    let name = app.org_name(org, on).await.map_err(failed)?;
    if let Some(id) = &r.table {
        let t = app
            .statistical_table(&actor, org, id, on, Some(from))
            .await
            .map_err(failed)?;
        println!("{} — {name}", t.table.title);
        println!("{}", t.table.form);
        let heads: Vec<&str> = t.table.columns.iter().map(|c| c.label.as_str()).collect();
        println!("{:<60} {}", "Chỉ tiêu", heads.join(" | "));
        for (row, cells) in t.table.rows.iter().zip(&t.cells) {
            let c: Vec<String> = cells.iter().map(|n| number(i64::from(*n))).collect();
            println!("{:<60} {}", row.label, c.join(" | "));
        }
        if let Some(p) = &r.xlsx {
            write(p, dangvu_web::render::stats::table_xlsx(&name, &t)?)?;
        }
        return Ok(());
    }
    let s = app
        .member_statistics(&actor, org, on)
        .await
        .map_err(failed)?;
    let m = app
        .member_movements(&actor, org, from.min(on), on)
        .await
        .map_err(failed)?;
    println!(
        "{name}: {} đảng viên ngày {}",
        number(i64::from(s.tally.total)),
        format_vn(on)
    );
    for b in &s.tally.breakdowns {
        println!("\n{}", b.label);
        for (label, n) in &b.groups {
            println!(
                "  {:<44} {:>8} {:>7}",
                label,
                number(i64::from(*n)),
                percent(*n, s.tally.total)
            );
        }
    }
    println!(
        "\nBiến động từ {} đến {}",
        format_vn(m.from),
        format_vn(m.to)
    );
    for (label, n) in dangvu_web::render::stats::movement_lines(&m) {
        println!("  {:<44} {:>8}", label, number(i64::from(n)));
    }
    println!(
        "  Đầu kỳ + tăng − giảm = cuối kỳ: {}",
        if m.reconciles() {
            "khớp"
        } else {
            "KHÔNG KHỚP"
        }
    );
    if let Some(p) = &r.xlsx {
        write(p, dangvu_web::render::stats::xlsx(&name, &s, &m)?)?;
    }
    Ok(())
}

pub async fn export(app: &App, c: &ExportCommand) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    let today = app.clock.today();
    let (org, on, register, path) = match c {
        ExportCommand::Members { org, on, xlsx, .. }
        | ExportCommand::Register { org, on, xlsx } => {
            (org, on, matches!(c, ExportCommand::Register { .. }), xlsx)
        }
    };
    let on = day("on", on.as_deref(), today)?;
    let org = super::org::resolve(app, &actor, org, on).await?;
    let mut q = dangvu_app::export::ExportQuery {
        org: Some(org),
        on: Some(on),
        register,
        ..Default::default()
    };
    let mut columns = Vec::new();
    if let ExportCommand::Members {
        q: search,
        status,
        cell,
        age_min,
        age_max,
        columns: cols,
        ..
    } = c
    {
        q.search.clone_from(search);
        q.status.clone_from(status);
        q.cell = cell.map(dangvu_domain::ids::OrgId);
        q.age_min = *age_min;
        q.age_max = *age_max;
        columns = cols
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .collect();
    }
    let words = dangvu_web::html::export::filter_words(&q);
    let e = app.export_members(&actor, q).await.map_err(failed)?;
    let bytes = if register {
        dangvu_web::render::export::register_xlsx(&e)?
    } else {
        dangvu_web::render::export::list_xlsx(
            &e,
            &dangvu_web::render::export::picked(&columns),
            &words,
        )?
    };
    println!(
        "{}: {} đảng viên ({words})",
        e.org_name,
        number(e.rows.len() as i64)
    );
    write(path, bytes)
}
