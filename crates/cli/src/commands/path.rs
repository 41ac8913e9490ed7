//! `dangvu deadline`, `dangvu probations`, `dangvu transfers`, `dangvu decisions`: the member's
//! path from a script.

use anyhow::anyhow;
use chrono::Datelike;
use clap::Subcommand;
use dangvu_app::{Actor, App};
use dangvu_domain::date::{format_vn, parse_date};
use dangvu_domain::transfer::TransferKind;

use crate::commands::org::resolve;

#[derive(Subcommand, Debug)]
pub enum PathCommand {
    /// The day a number of working days after a date (R7, R8, R10), under the calendar in force.
    Deadline {
        /// The day the count starts after (dd/mm/yyyy).
        #[arg(long)]
        from: String,
        /// How many working days.
        #[arg(long)]
        days: u32,
    },
    /// The probationary members of an organisation's subtree: when each is eligible, the last
    /// day of the cell's consideration and whether it is due or overdue (R8).
    Probations {
        /// The organisation (its id or name).
        #[arg(long)]
        org: String,
        /// As of this day (dd/mm/yyyy); today by default.
        #[arg(long)]
        on: Option<String>,
    },
    /// The transfers of party activity that leave or reach an organisation's subtree (R10): the
    /// open ones (pending, away) with their deadline, overdue first, then this year's others.
    Transfers {
        /// The organisation (its id or name).
        #[arg(long)]
        org: String,
        /// As of this day (dd/mm/yyyy); today by default.
        #[arg(long)]
        on: Option<String>,
    },
    /// A committee's numbered decisions of a year.
    Decisions {
        /// The issuing committee (its id or name).
        #[arg(long)]
        org: String,
        /// The year; this year by default.
        #[arg(long)]
        year: Option<i32>,
    },
}

fn day(arg: &str, s: &str) -> anyhow::Result<chrono::NaiveDate> {
    parse_date("date", s).map_err(|_| anyhow!("--{arg} {s}: write the date as dd/mm/yyyy"))
}

pub async fn run(app: &App, command: &PathCommand) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    let today = app.clock.today();
    match command {
        PathCommand::Deadline { from, days } => {
            let due = app
                .deadline(day("from", from)?, *days)
                .await
                .map_err(|e| anyhow!("--days {days}: {}", e.code()))?;
            println!("{}", format_vn(due));
        }
        PathCommand::Probations { org, on } => {
            let on = match on {
                Some(s) => day("on", s)?,
                None => today,
            };
            let org = resolve(app, &actor, org, on).await?;
            let lines = app
                .probations(&actor, org, on)
                .await
                .map_err(|e| anyhow!("{}", e.code()))?;
            for l in lines {
                println!(
                    "{:<8} {}  {}  đủ 12 tháng {}  hạn xét {}",
                    l.state.code(),
                    l.name,
                    l.cell_name,
                    format_vn(l.eligible_on),
                    format_vn(l.due_by)
                );
            }
        }
        PathCommand::Transfers { org, on } => {
            let on = match on {
                Some(s) => day("on", s)?,
                None => today,
            };
            let org = resolve(app, &actor, org, on).await?;
            let list = app
                .transfers(&actor, org, on)
                .await
                .map_err(|e| anyhow!("{}", e.code()))?;
            for l in list.lines {
                let t = &l.transfer;
                let due = match (l.clock.presentation, t.planned_return) {
                    (_, Some(r)) if t.kind == TransferKind::Temporary => format_vn(r),
                    (Some(p), _) => format_vn(p.due_by),
                    _ => String::new(),
                };
                println!(
                    "{:<9} {:<8} {:<9} {}  {} → {}  giới thiệu {}  hạn {}{}",
                    t.status.code(),
                    l.clock.state.map(|s| s.code()).unwrap_or("-"),
                    t.kind.code(),
                    l.member_name,
                    l.from_name,
                    l.to_name,
                    format_vn(t.sent_on),
                    if due.is_empty() { "-" } else { &due },
                    if l.incomplete {
                        "  (thiếu thông tin giấy giới thiệu)"
                    } else {
                        ""
                    },
                );
            }
        }
        PathCommand::Decisions { org, year } => {
            let org = resolve(app, &actor, org, today).await?;
            let year = year.unwrap_or(today.year());
            let reg = app
                .decision_register(&actor, org, year)
                .await
                .map_err(|e| anyhow!("{}", e.code()))?;
            for d in reg.decisions {
                println!(
                    "{}  {}  {}  {}",
                    d.reference(),
                    format_vn(d.signed_on),
                    d.kind.code(),
                    d.subject
                );
            }
        }
    }
    Ok(())
}
