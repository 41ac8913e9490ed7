//! Member lists taken out (R5, R15): any list of a subtree on a day (a search, probationary,
//! official or exempt members, a cell, an age range) with its records, and the register of
//! members (Mẫu 7-HSĐV) with the year's comings and goings. Every export of personal data is
//! audited with its filter.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use dangvu_domain::DomainError;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{DisciplineForm, EventKind, MemberRecord, Status, seniority_months};
use dangvu_domain::text::fold;
use dangvu_store::members::{EventRow, roster};
use dangvu_store::orgs as ostore;
use serde::Serialize;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// The most rows one export takes.
pub const EXPORT_MAX_ROWS: usize = 200_000;

/// Which members of a subtree on a day.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportQuery {
    pub org: Option<OrgId>,
    pub on: Option<NaiveDate>,
    /// Words that begin words of the name (diacritics ignored).
    pub search: Option<String>,
    /// `probationary`, `official` or `exempt`.
    pub status: Option<String>,
    /// One cell of the subtree.
    pub cell: Option<OrgId>,
    pub age_min: Option<i32>,
    pub age_max: Option<i32>,
    /// The register of members: also those who left the subtree this year (by death,
    /// transfer, leaving the Party), with the dates of the register's columns 10–13.
    pub register: bool,
}

/// A member as an export writes her.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub id: MemberId,
    pub record: MemberRecord,
    /// Her cell (the last one in the subtree, for one who left).
    pub cell: Option<OrgId>,
    pub cell_name: String,
    /// On the roll on the day (false: left this year, in the register only).
    pub on_roll: bool,
    pub status: Option<Status>,
    pub official: bool,
    pub admitted_on: Option<NaiveDate>,
    pub official_on: Option<NaiveDate>,
    pub card: Option<String>,
    pub seniority_months: i32,
    /// (day, from where) of the latest arrival from outside.
    pub transferred_in: Option<(NaiveDate, String)>,
    /// (day, to where) of the latest transfer out.
    pub transferred_out: Option<(NaiveDate, String)>,
    pub died_on: Option<NaiveDate>,
    /// (day, form) of leaving the Party: xóa tên, xin ra, khai trừ.
    pub left_party: Option<(NaiveDate, &'static str)>,
}

/// What an export read.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub org: OrgId,
    pub org_name: String,
    pub on: NaiveDate,
    pub rows: Vec<ExportRow>,
}

/// A member found for the list: id, record, cell and status on the roll (none for one who
/// left), official.
type Listed = (MemberId, MemberRecord, Option<OrgId>, Option<Status>, bool);

fn left_form(e: &EventRow) -> Option<&'static str> {
    match e.event.kind {
        EventKind::RemovedFromRolls => Some("Xóa tên"),
        EventKind::Resigned => Some("Xin ra khỏi Đảng"),
        EventKind::Disciplined if e.event.discipline == Some(DisciplineForm::KhaiTru) => {
            Some("Khai trừ")
        }
        _ => None,
    }
}

impl App {
    /// Reads a member list for export, in Vietnamese name order, and records in the audit
    /// trail who took it out, with its filter and length.
    pub async fn export_members(&self, actor: &Actor, q: ExportQuery) -> AppResult<Export> {
        let org = q.org.ok_or(DomainError::rule_on("required", "org"))?;
        let on = q.on.unwrap_or_else(|| self.clock.today());
        // Scope first: the organisation, then the cell named in the filter.
        self.require_org(actor, org)?;
        if let Some(c) = q.cell {
            self.require_org(actor, c)?;
        }
        let search = match q.search.as_deref() {
            Some(s) => dangvu_domain::text::search_terms(s)?,
            None => None,
        };
        if q.age_min.is_some_and(|a| !(0..=150).contains(&a))
            || q.age_max.is_some_and(|a| !(0..=150).contains(&a))
        {
            return Err(FieldError::new("age", "out_of_range").into());
        }
        let status = match q.status.as_deref() {
            None | Some("") => None,
            Some(s @ ("probationary" | "official" | "exempt")) => Some(s),
            Some(_) => return Err(FieldError::new("status", "invalid").into()),
        };
        let _turn = self.report_turn().await?;
        let mut tx = self.store.begin().await?;
        if ostore::period_on(&mut tx, org, on).await?.is_none() {
            return Err(AppError::NotFound("org"));
        }
        let mut ids = ostore::subtree_ids(&mut tx, org, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        if let Some(c) = q.cell {
            if !ids.contains(&c) {
                return Err(AppError::NotFound("org"));
            }
            ids = vec![c];
        }
        let tree: HashMap<OrgId, String> = ostore::tree_on(&mut tx, on)
            .await?
            .into_iter()
            .filter(|p| ids.contains(&p.org))
            .map(|p| (p.org, p.name))
            .collect();
        let roll = roster::roster(&mut tx, Some(&ids), on).await?;
        let mut members: Vec<Listed> = roll
            .into_iter()
            .map(|r| (r.id, r.record, Some(r.org), Some(r.status), r.official))
            .collect();
        if q.register {
            let year_start = NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on);
            let on_roll: std::collections::HashSet<MemberId> =
                members.iter().map(|m| m.0).collect();
            let left: Vec<MemberId> = roster::left_between(&mut tx, &ids, year_start, on)
                .await?
                .into_iter()
                .filter(|m| !on_roll.contains(m))
                .collect();
            let mut records = roster::records_of(&mut tx, &left).await?;
            for m in left {
                if let Some(r) = records.remove(&m) {
                    members.push((m, r, None, None, false));
                }
            }
        }
        // Filters on the record.
        let tokens: Vec<String> = search
            .as_deref()
            .map(fold)
            .unwrap_or_default()
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        members.retain(|(_, rec, _, st, official)| {
            let words: Vec<String> = fold(&rec.full_name).split(' ').map(str::to_owned).collect();
            let age = dangvu_domain::date::age_years(rec.birth_date, on);
            tokens
                .iter()
                .all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
                && q.age_min.is_none_or(|a| age >= a)
                && q.age_max.is_none_or(|a| age <= a)
                && match status {
                    None => true,
                    Some("exempt") => *st == Some(Status::Exempt),
                    Some("probationary") => st.is_some() && !official,
                    Some(_) => st.is_some() && *official,
                }
        });
        if members.len() > EXPORT_MAX_ROWS {
            return Err(DomainError::rule_on("export_too_large", "org").into());
        }
        let ids_read: Vec<MemberId> = members.iter().map(|m| m.0).collect();
        let mut events = roster::events_of_many(&mut tx, &ids_read).await?;
        let mut cards = roster::cards_in_use(&mut tx, &ids_read).await?;
        let mut rows = Vec::with_capacity(members.len());
        for (id, record, cell, status, official) in members {
            let ev = events.remove(&id).unwrap_or_default();
            let of_kind = |k: EventKind| ev.iter().rev().find(|e| e.event.kind == k);
            let cell = cell.or_else(|| {
                ev.iter()
                    .rev()
                    .filter_map(|e| e.event.org)
                    .find(|o| tree.contains_key(o))
            });
            let plain: Vec<dangvu_domain::member::Event> =
                ev.iter().map(|e| e.event.clone()).collect();
            let org_name =
                |o: Option<OrgId>| o.and_then(|o| tree.get(&o).cloned()).unwrap_or_default();
            rows.push(ExportRow {
                id,
                cell_name: org_name(cell),
                cell,
                on_roll: status.is_some(),
                status,
                official,
                admitted_on: ev
                    .iter()
                    .find(|e| matches!(e.event.kind, EventKind::Admitted | EventKind::Readmitted))
                    .map(|e| e.event.on),
                official_on: of_kind(EventKind::MadeOfficial).map(|e| e.event.on),
                card: cards.remove(&id),
                seniority_months: seniority_months(&plain, on),
                transferred_in: of_kind(EventKind::TransferredIn)
                    .map(|e| (e.event.on, e.note.clone().unwrap_or_default())),
                transferred_out: of_kind(EventKind::TransferredOut)
                    .map(|e| (e.event.on, e.destination.clone().unwrap_or_default())),
                died_on: of_kind(EventKind::Died).map(|e| e.event.on),
                left_party: ev
                    .iter()
                    .rev()
                    .find_map(|e| left_form(e).map(|f| (e.event.on, f))),
                record,
            });
        }
        let org_name = ostore::period_on(&mut tx, org, on)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        self.audit(
            &mut tx,
            actor,
            Action::MemberExport.on("org", org.0).after(Some(json!({
                "on": on, "search": search, "status": status, "cell": q.cell.map(|c| c.0),
                "age_min": q.age_min, "age_max": q.age_max, "register": q.register, "rows": rows.len(),
            }))),
        )
        .await?;
        tx.commit().await?;
        Ok(Export {
            org,
            org_name,
            on,
            rows,
        })
    }
}
