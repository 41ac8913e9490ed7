//! `dangvu dues …`: a cell's dues book for a month, a subtree's dues for a year and the members
//! who owe dues (R14), printed and, on request, as an Excel workbook.

use anyhow::{Context, anyhow};
use chrono::Datelike;
use clap::Subcommand;
use dangvu_app::{Actor, App};
use dangvu_domain::dues::{month_start, vnd};
use dangvu_domain::transfer::month_vn;

#[derive(Subcommand, Debug)]
pub enum DuesCommand {
    /// Sổ thu đảng phí: a cell's book for a month, one line per member.
    Book {
        /// The cell (its id or name).
        #[arg(long)]
        org: String,
        /// The month (mm/yyyy); this month by default.
        #[arg(long)]
        month: Option<String>,
        /// Also write the book as an Excel workbook to this file.
        #[arg(long)]
        xlsx: Option<std::path::PathBuf>,
    },
    /// What the cells of a subtree collected in a year, per month, with the share each level
    /// keeps and what goes up.
    Totals {
        /// The organisation (its id or name).
        #[arg(long)]
        org: String,
        /// The year; this year by default.
        #[arg(long)]
        year: Option<i32>,
        /// Also write the totals as an Excel workbook to this file.
        #[arg(long)]
        xlsx: Option<std::path::PathBuf>,
    },
    /// The members of a subtree who owe dues for months that have ended.
    Arrears {
        /// The organisation (its id or name).
        #[arg(long)]
        org: String,
    },
}

fn write(path: &std::path::Path, bytes: Vec<u8>) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("Đã ghi {}", path.display());
    Ok(())
}

pub async fn run(app: &App, command: &DuesCommand) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    let today = app.clock.today();
    match command {
        DuesCommand::Book { org, month, xlsx } => {
            let month = match month {
                Some(m) => dangvu_domain::date::parse_month("month", m)
                    .map_err(|_| anyhow!("--month {m}: write the month as mm/yyyy"))?,
                None => month_start(today),
            };
            let id = super::org::resolve(app, &actor, org, today).await?;
            let b = app
                .dues_book(&actor, id, month)
                .await
                .map_err(|e| anyhow!("organisation {org}: {}", e.code()))?;
            if let Some(path) = xlsx {
                write(path, dangvu_web::render::dues::book_xlsx(&b, today)?)?;
            }
            println!(
                "{} — sổ thu đảng phí tháng {}",
                b.cell.name,
                month_vn(b.month)
            );
            for l in &b.lines {
                println!(
                    "{:<28} phải đóng {:>12}  đã đóng {:>12}  hết tháng {:<7}{}",
                    l.name,
                    l.due.map(vnd).unwrap_or_else(|| "chưa khai".into()),
                    l.paid.as_ref().map(|p| vnd(p.amount)).unwrap_or_default(),
                    l.paid_to.map(month_vn).unwrap_or_default(),
                    if l.owed_months > 0 {
                        format!("  nợ {} tháng ({})", l.owed_months, vnd(l.owed))
                    } else {
                        String::new()
                    }
                );
            }
            println!(
                "Cộng: phải đóng {}, đã thu {} ({} đảng viên); chi bộ giữ lại {}, nộp cấp trên {}",
                vnd(b.due_total),
                vnd(b.collected),
                b.payers,
                vnd(b.kept),
                vnd(b.remitted)
            );
        }
        DuesCommand::Totals { org, year, xlsx } => {
            let year = year.unwrap_or(today.year());
            let id = super::org::resolve(app, &actor, org, today).await?;
            let t = app
                .dues_totals(&actor, id, year)
                .await
                .map_err(|e| anyhow!("organisation {org}: {}", e.code()))?;
            if let Some(path) = xlsx {
                write(path, dangvu_web::render::dues::totals_xlsx(&t)?)?;
            }
            println!("{} — đảng phí năm {}", t.org.name, t.year);
            for g in &t.grassroots {
                println!(
                    "{:<40} thu {:>14}  chi bộ giữ {:>12}  cơ sở giữ {:>12}  nộp lên {:>12}",
                    g.name,
                    vnd(g.collected),
                    vnd(g.cells_kept),
                    vnd(g.kept),
                    vnd(g.remitted)
                );
            }
            println!(
                "Cộng: {} chi bộ thu {}; nộp lên cấp trên cơ sở {}",
                t.cells.len(),
                vnd(t.collected),
                vnd(t.upward)
            );
        }
        DuesCommand::Arrears { org } => {
            let id = super::org::resolve(app, &actor, org, today).await?;
            let v = app
                .dues_arrears(&actor, id, today)
                .await
                .map_err(|e| anyhow!("organisation {org}: {}", e.code()))?;
            for l in &v {
                println!(
                    "{:<28} {:<24} {} tháng ({}) {}",
                    l.name,
                    l.cell_name,
                    l.months.len(),
                    l.months
                        .iter()
                        .map(|m| month_vn(*m))
                        .collect::<Vec<_>>()
                        .join(", "),
                    vnd(l.owed)
                );
            }
            println!("{} đảng viên nợ đảng phí", v.len());
        }
    }
    Ok(())
}
