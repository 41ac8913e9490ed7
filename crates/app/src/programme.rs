//! The term programme (R17): each cell (and grassroots committee) plans the content of
//! each month from the catalogue of standard items plus free text; a superior committee pushes an
//! item to every cell of its subtree and sees which cells scheduled it and which held it.

use crate::committed;
use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_domain::meeting::{ItemKind, Month, PushState};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::orgs as ostore;
use dangvu_store::programme::{self as store, Item, NewItem, Push};
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// "YYYY-MM".
pub fn month_key((y, m): Month) -> String {
    format!("{y:04}-{m:02}")
}

fn first_day((y, m): Month) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1).ok_or(AppError::Domain(DomainError::Invalid(vec![
        FieldError::new("month", "invalid"),
    ])))
}

/// An item's text checked against its kind: a dissemination names its document, a thematic or
/// free item its title; a standard item may go without one (the catalogue names it).
fn checked(kind: ItemKind, title: &str, reference: &str) -> AppResult<(String, Option<String>)> {
    let (title, reference) = (clean(title), clean(reference));
    match kind.needs() {
        Some("reference") if reference.is_empty() => {
            return Err(FieldError::new("reference", "required").into());
        }
        Some("title") if title.is_empty() => {
            return Err(FieldError::new("title", "required").into());
        }
        _ => {}
    }
    Ok((title, Some(reference).filter(|r| !r.is_empty())))
}

/// An item of a programme as it is asked for: its month, kind and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInput {
    pub month: Month,
    pub kind: ItemKind,
    /// The theme of a thematic or free item.
    pub title: String,
    /// The document a dissemination item names.
    pub reference: String,
}

impl ItemInput {
    pub fn new(month: Month, kind: ItemKind, title: &str, reference: &str) -> ItemInput {
        ItemInput {
            month,
            kind,
            title: title.to_owned(),
            reference: reference.to_owned(),
        }
    }
}

/// An item whose text passed [`checked`], ready to write now.
struct Checked {
    key: String,
    kind: ItemKind,
    title: String,
    reference: Option<String>,
    at: String,
}

impl Checked {
    fn new(app: &App, item: &ItemInput) -> AppResult<Checked> {
        let (title, reference) = checked(item.kind, &item.title, &item.reference)?;
        let (key, at) = (month_key(item.month), app.now_text());
        let kind = item.kind;
        Ok(Checked {
            key,
            kind,
            title,
            reference,
            at,
        })
    }

    fn row<'a>(&'a self, by: &'a str) -> NewItem<'a> {
        NewItem {
            month: &self.key,
            kind: self.kind,
            title: &self.title,
            reference: self.reference.as_deref(),
            created_at: &self.at,
            created_by: by,
        }
    }

    /// Its audit entry, with `extra` (the item's or the push's id, the cells reached).
    fn audited(&self, extra: serde_json::Value) -> serde_json::Value {
        let mut v = json!({"month": self.key, "kind": self.kind.code(), "title": self.title, "reference": self.reference});
        if let (Some(m), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
            m.extend(e);
        }
        v
    }
}

impl App {
    /// Adds an item to an organisation's programme for a month.
    pub async fn add_programme_item(
        &self,
        actor: &Actor,
        org: OrgId,
        item: &ItemInput,
    ) -> AppResult<i64> {
        self.require_org_write(actor, org)?;
        let c = Checked::new(self, item)?;
        let mut tx = self.store.begin().await?;
        let on = first_day(item.month)?;
        let o = ostore::period_on(&mut tx, org, on).await?;
        if !o.is_some_and(|o| o.kind.is_cell() || o.kind.is_grassroots()) {
            return Err(DomainError::rule_on("programme_not_for_org", "month").into());
        }
        let id = store::insert_item(&mut tx, org, &c.row(&actor.name), None).await?;
        let after = c.audited(json!({ "item": id }));
        let entry = Action::ProgrammeAdd.on("org", org.0).after(Some(after));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Pushes an item to the programme of every cell of an organisation's subtree for a month
    /// (the cells alive on its first day), in one transaction. Returns the push and how many
    /// cells received it.
    pub async fn push_programme_item(
        &self,
        actor: &Actor,
        org: OrgId,
        item: &ItemInput,
    ) -> AppResult<(i64, usize)> {
        self.require_org_write(actor, org)?;
        let c = Checked::new(self, item)?;
        let mut tx = self.store.begin().await?;
        let on = first_day(item.month)?;
        let cells: Vec<OrgId> = ostore::subtree_periods(&mut tx, org, on)
            .await?
            .into_iter()
            .filter(|p| p.kind.is_cell() && p.org != org && actor.access.org_in_scope(p.org))
            .map(|p| p.org)
            .collect();
        if cells.is_empty() {
            return Err(DomainError::rule_on("no_cells_below", "month").into());
        }
        let row = c.row(&actor.name);
        let push = store::insert_push(&mut tx, org, &row).await?;
        for cell in &cells {
            store::insert_item(&mut tx, *cell, &row, Some(push)).await?;
        }
        let after = c.audited(json!({ "push": push, "cells": cells.len() }));
        let entry = Action::ProgrammePush.on("org", org.0).after(Some(after));
        self.commit_audited(tx, actor, entry, (push, cells.len()))
            .await
    }

    /// An organisation's programme for a year, month by month, each item with whether a meeting
    /// took it up.
    pub async fn programme(&self, actor: &Actor, org: OrgId, year: i32) -> AppResult<Vec<Item>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let v =
            store::items_of(&mut tx, org, &month_key((year, 1)), &month_key((year, 12))).await?;
        committed(tx, v).await
    }

    /// The pushes an organisation made.
    pub async fn pushes(&self, actor: &Actor, org: OrgId) -> AppResult<Vec<Push>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let v = store::pushes_of(&mut tx, org).await?;
        committed(tx, v).await
    }

    /// How a push stands in each cell of the pushing organisation's subtree at the end of the
    /// push's month: not scheduled (a cell founded that month after the push), scheduled, or
    /// held at a meeting.
    pub async fn push_status(
        &self,
        actor: &Actor,
        push: i64,
    ) -> AppResult<(Push, Vec<(OrgId, String, PushState)>)> {
        let mut tx = self.store.read().await?;
        let p = store::push(&mut tx, push)
            .await?
            .ok_or(AppError::NotFound("push"))?;
        self.require_org_as(actor, p.org, "push")?;
        let items = store::items_of_push(&mut tx, push).await?;
        // The subtree as it stood at the end of the push's month (today, if sooner): a cell
        // founded in the month after the push did not receive it.
        let today = self.clock.today();
        let on = p
            .month
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
            .and_then(|(y, m)| {
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
            })
            .map_or(today, |last| last.min(today));
        let mut out = Vec::new();
        for c in ostore::subtree_periods(&mut tx, p.org, on)
            .await?
            .into_iter()
            .filter(|c| c.kind.is_cell() && c.org != p.org && actor.access.org_in_scope(c.org))
        {
            let state = match items.iter().find(|i| i.org == c.org) {
                Some(i) if i.held => PushState::Held,
                Some(_) => PushState::Scheduled,
                None => PushState::NotScheduled,
            };
            out.push((c.org, c.name, state));
        }
        tx.commit().await?;
        out.sort_by_cached_key(|(_, n, _)| dangvu_domain::text::collation_key(n));
        Ok((p, out))
    }
}
