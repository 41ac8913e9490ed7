//! Importing organisations: a tree from a sheet of name, kind, parent and founding date (R1).
//! Parents are found by name in the chosen subtree or among the sheet's rows above; an
//! organisation already in the subtree under the same parent is not created again.

use std::collections::HashMap;

use dangvu_domain::DomainError;
use dangvu_domain::ids::OrgId;
use dangvu_domain::import::{ImportField as F, ORG_FIELDS, cell_date};
use dangvu_domain::org::OrgKind;
use dangvu_domain::text::fold;
use dangvu_store::Conn;
use dangvu_store::db::{release, rollback_to, savepoint};
use dangvu_store::orgs as ostore;
use serde_json::json;

use super::{ImportFile, ImportOptions, ImportReport, Row, RowAction, RowOutcome};
use crate::audit_log::Action;
use crate::orgs::NewOrg;
use crate::{Actor, App, AppResult};

/// An organisation's kind as a sheet writes it ("Chi bộ trực thuộc", "dang bo co so", or the
/// code), or as its name begins when the sheet has no kind: a "Chi bộ" under a grassroots
/// đảng bộ is a chi bộ trực thuộc, elsewhere a chi bộ cơ sở.
pub fn kind_of(text: &str, name: &str, parent: Option<OrgKind>) -> Option<OrgKind> {
    let t = fold(text).replace('_', " ");
    let labels = [
        ("chi bo truc thuoc", OrgKind::ChiBoTrucThuoc),
        ("chi bo co so", OrgKind::ChiBoCoSo),
        ("dang bo co so", OrgKind::DangBoCoSo),
        ("dang bo bo phan", OrgKind::DangBoBoPhan),
        ("to dang", OrgKind::ToDang),
        ("dang bo xa", OrgKind::DangBoXa),
        ("dang bo phuong", OrgKind::DangBoXa),
        ("dang bo dac khu", OrgKind::DangBoXa),
        ("dang bo huyen", OrgKind::DangBoHuyen),
        ("dang bo tinh", OrgKind::DangBoTinh),
        ("trung uong", OrgKind::TrungUong),
    ];
    if let Some((_, k)) = labels
        .iter()
        .find(|(l, _)| t == *l || t.starts_with(&format!("{l} ")))
    {
        return Some(*k);
    }
    if !t.is_empty() {
        return None;
    }
    let n = fold(name);
    let under_grassroots =
        parent.is_some_and(|p| matches!(p, OrgKind::DangBoCoSo | OrgKind::DangBoBoPhan));
    if n.starts_with("chi bo ") {
        Some(if under_grassroots {
            OrgKind::ChiBoTrucThuoc
        } else {
            OrgKind::ChiBoCoSo
        })
    } else if n.starts_with("to dang ") {
        Some(OrgKind::ToDang)
    } else if n.starts_with("dang bo ") {
        Some(if under_grassroots {
            OrgKind::DangBoBoPhan
        } else {
            OrgKind::DangBoCoSo
        })
    } else {
        None
    }
}

/// The subtree's organisations by folded name: (id, kind, parent).
type Known = HashMap<String, Vec<(OrgId, OrgKind, Option<OrgId>)>>;

impl App {
    /// Imports organisations into a subtree, in one transaction or not at all (R1).
    pub async fn import_orgs(
        &self,
        actor: &Actor,
        file: ImportFile,
        opts: ImportOptions,
        progress: &(dyn Fn(usize) + Sync),
    ) -> AppResult<ImportReport> {
        let root = opts.root.ok_or(DomainError::rule_on("required", "org"))?;
        self.require_org_write(actor, root)?;
        let _turn = self.report_turn().await?;
        let today = self.clock.today();
        let mut tx = self.store.begin().await?;
        // The subtree's organisations by folded name: (id, kind, parent).
        let ids = ostore::subtree_ids(&mut tx, root, today).await?;
        let mut known: Known = HashMap::new();
        for p in ostore::tree_on(&mut tx, today).await? {
            if ids.contains(&p.org) {
                known
                    .entry(fold(&p.name))
                    .or_default()
                    .push((p.org, p.kind, p.parent));
            }
        }
        let root_kind = Some(
            ostore::period_on(&mut tx, root, today)
                .await?
                .ok_or(crate::AppError::NotFound("org"))?
                .kind,
        );
        let super::Opened {
            mut rx,
            headers,
            first,
            mut report,
        } = super::open(&mut tx, "orgs", ORG_FIELDS, file, &opts).await?;
        let mut chunk = first;
        loop {
            for (index, cells) in &chunk {
                let row = Row {
                    number: index + 1,
                    cells,
                    headers: &headers,
                };
                let mut out = RowOutcome {
                    row: row.number,
                    name: row.text(F::OrgName).chars().take(100).collect(),
                    action: RowAction::Error,
                    id: None,
                    changed: Vec::new(),
                    errors: row.cell_errors(),
                    notes: Vec::new(),
                };
                if out.errors.is_empty() {
                    savepoint(&mut tx).await?;
                    match self
                        .org_row(&mut tx, actor, &row, root, root_kind, &mut known, &mut out)
                        .await
                    {
                        Ok(()) => release(&mut tx).await?,
                        Err(e) => {
                            rollback_to(&mut tx).await?;
                            out.action = RowAction::Error;
                            out.errors = super::field_errors(&row, &e, org_column);
                        }
                    }
                }
                report.count(out);
            }
            progress(report.total_rows);
            let (back, next) = super::next_chunk(&mut rx, tx).await?;
            tx = back;
            match next {
                Some(r) => chunk = r,
                None => break,
            }
        }
        let entry = Action::OrgCreate.on("org", root.0).after(Some(
            json!({"file": report.file, "rows": report.total_rows, "created": report.created}),
        ));
        self.finish_import(tx, actor, "orgs", &headers, report, entry)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn org_row(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        row: &Row<'_>,
        root: OrgId,
        root_kind: Option<OrgKind>,
        known: &mut Known,
        out: &mut RowOutcome,
    ) -> AppResult<()> {
        let name = row.text(F::OrgName);
        if name.is_empty() {
            return Err(DomainError::rule_on("required", "name").into());
        }
        let parent_name = row.text(F::OrgParent);
        let (parent, parent_kind) = if parent_name.is_empty() {
            (root, root_kind)
        } else {
            match known.get(&fold(&parent_name)).map(Vec::as_slice) {
                Some([(id, kind, _)]) => (*id, Some(*kind)),
                Some([_, _, ..]) => {
                    return Err(DomainError::rule_on("parent_ambiguous", "parent").into());
                }
                _ => return Err(DomainError::rule_on("parent_unknown", "parent").into()),
            }
        };
        let kind = kind_of(&row.text(F::OrgKind), &name, parent_kind)
            .ok_or(DomainError::rule_on("kind_unknown", "kind"))?;
        if let Some((id, _, _)) = known
            .get(&fold(&name))
            .and_then(|v| v.iter().find(|(_, _, p)| *p == Some(parent)))
        {
            out.action = RowAction::Unchanged;
            out.id = Some(id.0);
            return Ok(());
        }
        let founded_on = row
            .cell(F::OrgFounded)
            .map(|c| cell_date("founded_on", &c))
            .transpose()?
            .flatten()
            .ok_or(DomainError::rule_on("required", "founded_on"))?;
        let decision = row.text(F::OrgDecision);
        let id = self
            .create_org_in(
                conn,
                actor,
                NewOrg {
                    name: name.clone(),
                    kind,
                    parent: Some(parent),
                    founded_on,
                    decision_ref: (!decision.is_empty()).then_some(decision),
                },
            )
            .await?;
        known
            .entry(fold(&name))
            .or_default()
            .push((id, kind, Some(parent)));
        out.action = RowAction::Create;
        out.id = Some(id.0);
        Ok(())
    }
}

/// The imported field holding an organisation's field.
fn org_column(f: &str) -> Option<F> {
    Some(match f {
        "name" => F::OrgName,
        "kind" => F::OrgKind,
        "parent" => F::OrgParent,
        "founded_on" => F::OrgFounded,
        "decision_ref" => F::OrgDecision,
        _ => return None,
    })
}
