//! The classification report (R31): a subtree's levels as the tree stood on a date, counted
//! per kind of organisation and for the members, with the reasons members are not classified
//! and the paragraph in the article's style.

use super::*;
use crate::{Actor, App, AppResult};
use dangvu_domain::ids::OrgId;
use dangvu_domain::org::OrgKind;
use dangvu_domain::review::{Level, LevelCounts};
use dangvu_store::orgs as ostore;
use dangvu_store::reviews::{self as rstore, ReviewPeriod};

/// Which part of the tree a report covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportQuery {
    /// The subtree's root; None: the period's organisation.
    pub org: Option<OrgId>,
    /// The tree as it stood on this date; None: the period's end.
    pub as_of: Option<chrono::NaiveDate>,
}

/// The counts of one part of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportCounts {
    /// Đảng bộ cơ sở.
    pub grassroots_dang_bo: LevelCounts,
    /// Chi bộ cơ sở.
    pub grassroots_cells: LevelCounts,
    /// Chi bộ trực thuộc and đảng bộ bộ phận.
    pub cells: LevelCounts,
    pub members: MemberCounts,
}

impl ReportCounts {
    fn add(
        &mut self,
        subject_kind: &str,
        kind: OrgKind,
        level: Option<Level>,
        not_classified: Option<&str>,
        n: u32,
    ) {
        match (subject_kind, level) {
            ("member", Some(l)) => self.members.levels.add_n(l, n),
            ("member", None) => {
                if let Some(r) = not_classified {
                    *self.members.not_classified.entry(r.to_owned()).or_default() += n;
                }
            }
            ("grassroots", Some(l)) if kind == OrgKind::ChiBoCoSo => {
                self.grassroots_cells.add_n(l, n)
            }
            ("grassroots", Some(l)) => self.grassroots_dang_bo.add_n(l, n),
            ("subordinate_org", Some(l)) => self.cells.add_n(l, n),
            _ => {}
        }
    }

    /// Every grassroots organisation, both kinds.
    pub fn grassroots(&self) -> LevelCounts {
        let mut g = self.grassroots_dang_bo;
        for l in Level::ALL {
            g.add_n(l, self.grassroots_cells.get(l));
        }
        g
    }

    fn is_empty(&self) -> bool {
        self.grassroots().total() == 0
            && self.cells.total() == 0
            && self.members.levels.total() == 0
            && self.members.not_classified.is_empty()
    }
}

/// One directly subordinate organisation's line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub org: OrgId,
    pub name: String,
    pub kind: OrgKind,
    pub counts: ReportCounts,
}

/// A period's report (R31).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassificationReport {
    pub period: ReviewPeriod,
    pub org: OrgId,
    pub org_name: String,
    pub as_of: chrono::NaiveDate,
    /// Đảng bộ cơ sở.
    pub grassroots_dang_bo: LevelCounts,
    /// Chi bộ cơ sở.
    pub grassroots_cells: LevelCounts,
    /// Chi bộ trực thuộc and đảng bộ bộ phận.
    pub cells: LevelCounts,
    pub members: MemberCounts,
    /// A line per directly subordinate organisation with something counted (the root's own
    /// members first, when it has any).
    pub rows: Vec<ReportRow>,
    pub paragraph: String,
}

impl App {
    /// The classification report of a period (R31) for an organisation's subtree as it stood on
    /// a date (by default the period's organisation at the period's end): grassroots
    /// organisations split into đảng bộ cơ sở and chi bộ cơ sở, subordinate cells, members with
    /// the reasons some are not classified, a row per directly subordinate organisation, each
    /// recounted from the individual decisions by the index, and the paragraph in the article's
    /// style. Only what the actor's scope reaches is counted.
    pub async fn classification_report(
        &self,
        actor: &Actor,
        period_id: i64,
        q: ReportQuery,
    ) -> AppResult<ClassificationReport> {
        let _turn = self.report_turn().await?;
        let mut tx = self.store.read().await?;
        let p = period(&mut tx, actor, period_id).await?;
        let root = match q.org {
            Some(o) => o,
            None if actor.access.org_in_scope(p.org) => p.org,
            // A secretary below the period's organisation sees her own subtree by default.
            None => {
                let sub = ostore::subtree_ids(&mut tx, p.org, p.period.end).await?;
                actor
                    .access
                    .roots
                    .iter()
                    .copied()
                    .find(|r| sub.contains(r))
                    .unwrap_or(p.org)
            }
        };
        self.require_org(actor, root)?;
        let as_of = q.as_of.unwrap_or(p.period.end);
        let orgs = self.subtree_periods(&mut tx, root, as_of).await?;
        let name = match orgs.iter().find(|o| o.org == root) {
            Some(o) => o.name.clone(),
            None => ostore::period_on(&mut tx, root, p.period.end)
                .await?
                .map(|o| o.name)
                .unwrap_or_default(),
        };
        let in_scope: Vec<&ostore::OrgPeriod> = orgs
            .iter()
            .filter(|o| actor.access.org_in_scope(o.org))
            .collect();
        let whole = root == p.org && as_of == p.period.end && actor.access.org_filter().is_none();
        let units: Vec<OrgId> = in_scope.iter().map(|o| o.org).collect();
        // Above grassroots level, and grouped as at the decisions' own date, every member and
        // cell falls where its grassroots organisation does: count per grassroots organisation.
        let above = by_kind(&orgs, root).is_some_and(OrgKind::is_above_grassroots);
        let counts = if whole && above {
            rstore::counts_by_grassroots(&mut tx, period_id).await?
        } else {
            rstore::counts_by_unit(&mut tx, period_id, (!whole).then_some(&units[..])).await?
        };
        tx.commit().await?;

        // Each unit's kind and the directly subordinate organisation it falls under.
        let by_id: std::collections::HashMap<OrgId, &ostore::OrgPeriod> =
            in_scope.iter().map(|o| (o.org, *o)).collect();
        let top_of = |unit: OrgId| -> Option<OrgId> {
            let mut cur = unit;
            for _ in 0..64 {
                let o = by_id.get(&cur)?;
                if cur == root {
                    return Some(root);
                }
                if o.parent == Some(root) {
                    return Some(cur);
                }
                cur = o.parent?;
            }
            None
        };
        let mut rows: Vec<ReportRow> = in_scope
            .iter()
            .filter(|o| o.parent == Some(root))
            .map(|o| ReportRow {
                org: o.org,
                name: o.name.clone(),
                kind: o.kind,
                counts: ReportCounts::default(),
            })
            .collect();
        let row_index: std::collections::HashMap<OrgId, usize> =
            rows.iter().enumerate().map(|(i, r)| (r.org, i)).collect();
        let mut total = ReportCounts::default();
        let mut direct = ReportCounts::default();
        for c in &counts {
            let Some(unit) = c.unit else { continue };
            let Some(o) = by_id.get(&unit) else { continue };
            let Some(top) = top_of(unit) else { continue };
            let n = u32::try_from(c.count).unwrap_or(u32::MAX);
            let row = match row_index.get(&top) {
                Some(&i) => &mut rows[i].counts,
                None => &mut direct,
            };
            for target in [&mut total, row] {
                target.add(
                    &c.subject_kind,
                    o.kind,
                    c.level,
                    c.not_classified.as_deref(),
                    n,
                );
            }
        }
        rows.retain(|r| !r.counts.is_empty());
        if !direct.is_empty() {
            rows.insert(
                0,
                ReportRow {
                    org: root,
                    name: name.clone(),
                    kind: by_id.get(&root).map_or(OrgKind::DangBoCoSo, |o| o.kind),
                    counts: direct,
                },
            );
        }
        let paragraph = crate::wording::report_paragraph(
            dangvu_domain::review::review_year(p.period),
            &name,
            &total.grassroots(),
            &total.cells,
            &total.members.levels,
        );
        Ok(ClassificationReport {
            period: p.clone(),
            org: root,
            org_name: name,
            as_of,
            grassroots_dang_bo: total.grassroots_dang_bo,
            grassroots_cells: total.grassroots_cells,
            cells: total.cells,
            members: total.members,
            rows,
            paragraph,
        })
    }
}
