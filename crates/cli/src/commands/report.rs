//! `dangvu report …`: the meetings report and the classification report of a subtree, printed
//! and, on request, as an Excel workbook.

use anyhow::Context;
use clap::Subcommand;
use dangvu_app::App;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The members of a subtree on a day by sex, age, ethnicity, religion, education,
    /// political theory, professional level, occupation, seniority, probationary or official,
    /// exempt; the movements of a period (opening + in − out = closing); or one table of the
    /// statistical report.
    Members(super::stats::MembersReport),
    /// The quality classification of an organisation's subtree for a review year (R31): counts
    /// per level and the paragraph in the article's style.
    Classification {
        /// The organisation whose subtree is reported (its own review period, or the one of the
        /// nearest organisation above it).
        #[arg(long)]
        org: String,
        /// The review year (the period starting in that year).
        #[arg(long)]
        period: i32,
        /// Group the organisations as the tree stood on this date (dd/mm/yyyy); by default the
        /// end of the period.
        #[arg(long)]
        as_of: Option<String>,
        /// Also write the report as an Excel workbook to this file.
        #[arg(long)]
        xlsx: Option<std::path::PathBuf>,
    },
    /// Cell meetings of an organisation's subtree over a period (R16–R22): meetings held
    /// against those due per cell, length, attendance, superior attendance, scores, the
    /// grassroots đảng bộ's twice-yearly meetings and the residence side.
    Meetings {
        /// The organisation whose subtree is reported.
        #[arg(long)]
        org: String,
        /// First day (dd/mm/yyyy).
        #[arg(long)]
        from: String,
        /// Last day (dd/mm/yyyy).
        #[arg(long)]
        to: String,
        /// Also write the report as an Excel workbook to this file.
        #[arg(long)]
        xlsx: Option<std::path::PathBuf>,
    },
}

pub async fn run(app: &App, command: &ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Members(r) => super::stats::report(app, r).await?,
        ReportCommand::Meetings {
            org,
            from,
            to,
            xlsx,
        } => {
            let actor = dangvu_app::Actor::new("dòng lệnh");
            let day = |flag: &str, v: &str| {
                dangvu_domain::date::parse_date("date", v)
                    .map_err(|_| anyhow::anyhow!("--{flag} {v}: write the date as dd/mm/yyyy"))
            };
            let (from, to) = (day("from", from)?, day("to", to)?);
            let id = super::org::resolve(app, &actor, org, to).await?;
            let r = app
                .meetings_report(&actor, id, from, to)
                .await
                .map_err(|e| anyhow::anyhow!("organisation {org}: {}", e.code()))?;
            if let Some(path) = xlsx {
                std::fs::write(path, dangvu_web::render::meeting_report::xlsx(&r)?)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("Đã ghi {}", path.display());
            }
            let t = &r.total;
            println!(
                "{} — sinh hoạt từ {} đến {}",
                r.name,
                r.from.format("%d/%m/%Y"),
                r.to.format("%d/%m/%Y")
            );
            println!("Chi bộ:                      {}", r.cells.len());
            println!("Buổi sinh hoạt:              {}", t.meetings);
            println!(
                "Tháng đã/phải sinh hoạt:     {}/{}",
                t.months_held, t.months_due
            );
            println!(
                "Quý chuyên đề đã/phải:       {}/{}",
                t.quarters_due - t.quarters_missing.len(),
                t.quarters_due
            );
            println!(
                "Tỷ lệ dự họp:                {}",
                dangvu_domain::text::percent(
                    u32::try_from(t.present).unwrap_or(0),
                    u32::try_from(t.expected).unwrap_or(0)
                )
            );
            println!(
                "Thời lượng bình quân:        {} phút ({} buổi dưới quy định)",
                t.avg_minutes.unwrap_or(0),
                t.short
            );
            println!("Buổi có cấp ủy cấp trên dự:  {}", t.with_superior);
            if let Some(s) = t.avg_score {
                println!("Điểm chất lượng bình quân:   {s} ({} buổi chấm)", t.scored);
            }
            println!(
                "Chi bộ chưa sinh hoạt đủ:    {}",
                r.cells
                    .iter()
                    .filter(|c| !c.months_missing.is_empty())
                    .count()
            );
            println!(
                "Nơi cư trú: {} đảng viên được giới thiệu, {} có phiếu nhận xét năm {} đã xác nhận",
                r.introduced, r.introduced_commented, r.comment_year
            );
        }
        ReportCommand::Classification {
            org,
            period,
            as_of,
            xlsx,
        } => {
            let actor = dangvu_app::Actor::new("dòng lệnh");
            let as_of =
                match as_of {
                    Some(d) => Some(dangvu_domain::date::parse_date("as_of", d).map_err(|_| {
                        anyhow::anyhow!("--as-of {d}: write the date as dd/mm/yyyy")
                    })?),
                    None => None,
                };
            // A name is looked up in the tree of the review's year (or of --as-of).
            let year_end = chrono::NaiveDate::from_ymd_opt(*period, 12, 31)
                .with_context(|| format!("--period {period}: a year such as 2018"))?;
            let id = super::org::resolve(app, &actor, org, as_of.unwrap_or(year_end)).await?;
            let p = app
                .period_covering(&actor, id, *period)
                .await
                .map_err(|e| anyhow::anyhow!("organisation {org}: {}", e.code()))?
                .with_context(|| format!("organisation {org} has no review period in {period}"))?;
            let r = app
                .classification_report(
                    &actor,
                    p.id,
                    dangvu_app::review::ReportQuery {
                        org: Some(id),
                        as_of,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
            if let Some(path) = xlsx {
                std::fs::write(path, dangvu_web::render::classification::xlsx(&r)?)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("Đã ghi {}", path.display());
            }
            let row = |label: &str, c: &dangvu_domain::review::LevelCounts| {
                println!(
                    "{label:<24} {:>8} {:>8} {:>8} {:>8}",
                    c.0[0], c.0[1], c.0[2], c.0[3]
                );
            };
            println!("{} — {} ({})", r.period.label, r.org_name, p.rule_set);
            println!(
                "{:<24} {:>8} {:>8} {:>8} {:>8}",
                "", "HTXS", "HTT", "HT", "KHT"
            );
            row("Đảng bộ cơ sở", &r.grassroots_dang_bo);
            row("Chi bộ cơ sở", &r.grassroots_cells);
            row("Chi bộ trực thuộc", &r.cells);
            row("Đảng viên", &r.members.levels);
            for (reason, n) in &r.members.not_classified {
                println!(
                    "Đảng viên không xếp loại ({}): {n}",
                    dangvu_web::i18n::not_classified(reason)
                );
            }
            println!();
            println!("{}", r.paragraph);
        }
    }
    Ok(())
}
