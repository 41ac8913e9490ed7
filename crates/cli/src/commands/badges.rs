//! `dangvu badges`: the badge list of a presentation day for a subtree (R13), printed and, on
//! request, as an Excel workbook.

use anyhow::{Context, anyhow};
use dangvu_app::{Actor, App};
use dangvu_domain::date::format_vn;

/// Prints the list of `day` (dd/mm/yyyy; the next presentation day by default).
pub async fn run(
    app: &App,
    org: &str,
    day: Option<&str>,
    xlsx: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    let today = app.clock.today();
    let day = dangvu_web::html::badges::day_of(day, today).map_err(|_| {
        anyhow!(
            "--day {}: write the date as dd/mm/yyyy",
            day.unwrap_or_default()
        )
    })?;
    let id = super::org::resolve(app, &actor, org, day.min(today)).await?;
    let l = app
        .badge_list(&actor, id, day)
        .await
        .map_err(|e| anyhow!("organisation {org}, {}: {}", format_vn(day), e.code()))?;
    if let Some(path) = xlsx {
        std::fs::write(path, dangvu_web::render::badges::xlsx(&l)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("Đã ghi {}", path.display());
    }
    println!("{} — huy hiệu Đảng đợt {}", l.org.name, format_vn(l.day));
    for line in l.lines.iter().map(dangvu_web::html::badges::line_view) {
        println!(
            "{:<28} {}  {:<26} vào Đảng {}  {}  {}{}",
            line.name,
            line.birth_year,
            line.cell,
            line.admitted,
            line.badge,
            line.status,
            if line.exception.is_empty() {
                String::new()
            } else {
                format!("  ({})", line.exception)
            }
        );
    }
    let counts: Vec<String> = l
        .counts()
        .iter()
        .map(|(y, n)| format!("{n} × {y} năm"))
        .collect();
    println!(
        "Cộng: {} đảng viên{}",
        l.lines.len(),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        }
    );
    Ok(())
}
