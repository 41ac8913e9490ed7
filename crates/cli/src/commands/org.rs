//! `dangvu org list` and the `--org` argument of every command: an organisation's id, or its
//! name (with or without diacritics), matched within the organisations of a date.

use std::collections::HashMap;

use anyhow::bail;
use chrono::NaiveDate;
use clap::Subcommand;
use dangvu_app::{Actor, App};
use dangvu_domain::ids::OrgId;
use dangvu_domain::text::{fold, name_sort_key};
use dangvu_store::orgs::OrgPeriod;

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// The organisations of a date as a tree, with their ids and kinds.
    List {
        /// Only this organisation's subtree (its id or name).
        #[arg(long)]
        under: Option<String>,
        /// The date the tree is read as of (dd/mm/yyyy); today by default.
        #[arg(long)]
        on: Option<String>,
    },
}

pub async fn run(app: &App, command: &OrgCommand) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    match command {
        OrgCommand::List { under, on } => {
            let on = match on {
                Some(d) => dangvu_domain::date::parse_date("on", d)
                    .map_err(|_| anyhow::anyhow!("--on {d}: write the date as dd/mm/yyyy"))?,
                None => app.clock.today(),
            };
            let under = match under {
                Some(u) => Some(resolve(app, &actor, u, on).await?),
                None => None,
            };
            let orgs = app
                .orgs_on(&actor, on)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
            let lines = tree_lines(&orgs, under);
            if lines.is_empty() {
                bail!("no organisation on {}", on.format("%d/%m/%Y"));
            }
            for l in lines {
                println!("{l}");
            }
        }
    }
    Ok(())
}

/// How many candidates an ambiguous name lists.
const MAX_CANDIDATES: usize = 20;

/// The organisation an `--org` value names on a date: a number is an id; anything else is a
/// name, matched whole first, then as a part of the name, ignoring case and diacritics. A name
/// that matches several organisations is refused with the candidates and their ids.
pub async fn resolve(
    app: &App,
    actor: &Actor,
    value: &str,
    on: NaiveDate,
) -> anyhow::Result<OrgId> {
    let value = value.trim();
    if let Ok(id) = value.parse::<i64>() {
        return Ok(OrgId(id));
    }
    if value.is_empty() || value.chars().count() > 200 {
        bail!("--org: write an organisation's id or its name (at most 200 characters)");
    }
    let orgs = app
        .orgs_on(actor, on)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    let matches = matching(&orgs, value);
    match matches.as_slice() {
        [one] => Ok(one.org),
        [] => bail!(
            "--org {value}: no organisation of that name on {}; `dangvu org list` shows them",
            on.format("%d/%m/%Y")
        ),
        many => {
            let mut lines: Vec<String> = many
                .iter()
                .take(MAX_CANDIDATES)
                .map(|p| format!("  {:>8}  {}", p.org.0, p.name))
                .collect();
            if many.len() > MAX_CANDIDATES {
                lines.push(format!("  … and {} more", many.len() - MAX_CANDIDATES));
            }
            bail!(
                "--org {value}: {} organisations match; give the id of one of them:\n{}",
                many.len(),
                lines.join("\n")
            )
        }
    }
}

/// The organisations whose folded name equals the folded value, or else contains it; in
/// Vietnamese name order.
fn matching<'a>(orgs: &'a [OrgPeriod], value: &str) -> Vec<&'a OrgPeriod> {
    let want = fold(value);
    let whole: Vec<&OrgPeriod> = orgs.iter().filter(|p| fold(&p.name) == want).collect();
    let mut found = if whole.is_empty() {
        orgs.iter()
            .filter(|p| fold(&p.name).contains(&want))
            .collect()
    } else {
        whole
    };
    found.sort_by_cached_key(|p| name_sort_key(&p.name));
    found
}

/// The tree on a date (or the subtree of `under`) as indented lines: id, kind, name.
pub fn tree_lines(orgs: &[OrgPeriod], under: Option<OrgId>) -> Vec<String> {
    let mut children: HashMap<Option<OrgId>, Vec<&OrgPeriod>> = HashMap::new();
    let known: std::collections::HashSet<OrgId> = orgs.iter().map(|p| p.org).collect();
    for p in orgs {
        // A parent out of sight makes the organisation a top of what is shown.
        let parent = p.parent.filter(|x| known.contains(x));
        children.entry(parent).or_default().push(p);
    }
    for v in children.values_mut() {
        v.sort_by_cached_key(|p| name_sort_key(&p.name));
    }
    let tops: Vec<&OrgPeriod> = match under {
        Some(u) => orgs.iter().filter(|p| p.org == u).collect(),
        None => children.get(&None).cloned().unwrap_or_default(),
    };
    let mut out = Vec::new();
    let mut stack: Vec<(&OrgPeriod, usize)> = tops.into_iter().rev().map(|p| (p, 0)).collect();
    while let Some((p, depth)) = stack.pop() {
        out.push(format!(
            "{:>8}  {}{} ({})",
            p.org.0,
            "  ".repeat(depth),
            p.name,
            p.kind.code()
        ));
        if let Some(kids) = children.get(&Some(p.org)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use dangvu_domain::org::OrgKind;

    fn p(id: i64, parent: Option<i64>, name: &str, kind: OrgKind) -> OrgPeriod {
        OrgPeriod {
            org: OrgId(id),
            parent: parent.map(OrgId),
            name: name.into(),
            kind,
            valid_from: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
            valid_to: None,
            change: "founded".into(),
        }
    }

    fn orgs() -> Vec<OrgPeriod> {
        vec![
            p(1, None, "Đảng bộ tỉnh Quảng Ninh", OrgKind::DangBoTinh),
            p(2, Some(1), "Đảng bộ phường Uông Bí", OrgKind::DangBoXa),
            p(3, Some(2), "Chi bộ khu 1", OrgKind::ChiBoTrucThuoc),
            p(4, Some(2), "Chi bộ khu 10", OrgKind::ChiBoTrucThuoc),
            p(5, Some(2), "Chi bộ Khu 2", OrgKind::ChiBoTrucThuoc),
        ]
    }

    #[test]
    fn a_name_matches_whole_first_then_as_a_part_without_diacritics() {
        let o = orgs();
        let ids = |v: &str| matching(&o, v).iter().map(|p| p.org.0).collect::<Vec<_>>();
        assert_eq!(ids("dang bo phuong uong bi"), vec![2]);
        assert_eq!(ids("UÔNG BÍ"), vec![2]);
        // "chi bo khu 1" is one organisation's whole name, though "khu 10" contains it.
        assert_eq!(ids("chi bo khu 1"), vec![3]);
        // A part of several names: all of them, in Vietnamese order.
        assert_eq!(ids("khu"), vec![3, 4, 5]);
        assert!(ids("khu 99").is_empty());
    }

    #[test]
    fn the_tree_is_indented_under_its_top_or_under_the_given_organisation() {
        let o = orgs();
        let all = tree_lines(&o, None);
        assert_eq!(all.len(), 5);
        assert!(
            all[0].ends_with("Đảng bộ tỉnh Quảng Ninh (dang_bo_tinh)"),
            "{all:?}"
        );
        assert!(all[1].contains("  Đảng bộ phường Uông Bí"));
        assert!(all[2].contains("    Chi bộ khu 1 "));
        let under = tree_lines(&o, Some(OrgId(2)));
        assert_eq!(under.len(), 4);
        assert!(under[0].contains(" Đảng bộ phường Uông Bí"));
    }
}
