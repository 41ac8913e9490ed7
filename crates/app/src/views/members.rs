//! The member register's read models: a member on a date, and a page of the members on an
//! organisation's rolls with search.

use crate::cache::lists::CachedList;
use crate::cache::lists::MAX_KEPT_ORDER;
use crate::{Actor, App, AppError, AppResult};
use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, MemberRecord, MemberState, Status, seniority_months, state_on};
use dangvu_store::members::{
    self as mstore, Card, Correction, EventCorrection, EventRow, ListEntry, ListQuery,
};
use dangvu_store::orgs::{self as ostore, Holder};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A member's page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub id: MemberId,
    pub record: MemberRecord,
    pub on: NaiveDate,
    pub state: MemberState,
    /// Tuổi đảng in whole months (R9).
    pub seniority_months: i32,
    /// The cell and its ancestors, nearest first.
    pub cell_path: Vec<(OrgId, String)>,
    #[serde(skip)]
    pub events: Vec<EventRow>,
    #[serde(skip)]
    pub cards: Vec<Card>,
    #[serde(skip)]
    pub corrections: Vec<Correction>,
    #[serde(skip)]
    pub positions: Vec<Holder>,
    /// What the rules ask the cell to consider about her (R11), never acted on.
    pub flags: Vec<MemberFlag>,
    /// Events cancelled or replaced, each with its correction (R15).
    #[serde(skip)]
    pub voided: Vec<(EventRow, EventCorrection)>,
}

/// A flag on a member for her cell to consider (R11): the rule, a stable code, the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberFlag {
    pub rule: &'static str,
    pub code: &'static str,
    pub year: i32,
}

/// One row of the member list.
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    pub id: MemberId,
    pub full_name: String,
    pub sex: dangvu_domain::member::Sex,
    pub birth_date: NaiveDate,
    pub cell: OrgId,
    pub cell_name: String,
    pub status: Status,
}

/// A page of the member list.
#[derive(Debug, Clone, Serialize)]
pub struct MemberList {
    pub org: OrgId,
    pub on: NaiveDate,
    pub search: Option<String>,
    pub items: Vec<ListItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl MemberList {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

impl App {
    /// A member on a date.
    pub async fn member(
        &self,
        actor: &Actor,
        id: MemberId,
        on: NaiveDate,
    ) -> AppResult<MemberView> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, id).await?;
        // A former organisation sees her as she was up to the day she left it.
        let horizon = self.read_horizon(&mut tx, actor, id).await?;
        let on = match horizon.and_then(|h| h.pred_opt()) {
            Some(last) => on.min(last),
            None => on,
        };
        let before = |d: NaiveDate| horizon.is_none_or(|h| d < h);
        let record = mstore::get_member(&mut tx, id)
            .await
            .map_err(|_| AppError::NotFound("member"))?;
        let mut events = mstore::events_of(&mut tx, id).await?;
        events.retain(|e| before(e.event.on));
        let timeline: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
        let state = state_on(record.birth_date, &timeline, on)?;
        let seniority = seniority_months(&timeline, on);
        let mut cell_path = Vec::new();
        let mut cur = state.cell;
        while let Some(c) = cur {
            match ostore::period_on(&mut tx, c, on).await? {
                Some(p) if cell_path.len() < 32 => {
                    cell_path.push((c, p.name.clone()));
                    cur = p.parent;
                }
                _ => break,
            }
        }
        let mut cards = mstore::cards_of(&mut tx, id).await?;
        cards.retain(|c| before(c.issued_on));
        // A card that ended after the horizon was still in use then.
        for c in &mut cards {
            if c.ended_on.is_some_and(|d| !before(d)) {
                c.ended_on = None;
                c.status = dangvu_domain::card::CardStatus::InUse;
            }
        }
        let mut corrections = mstore::corrections_of(&mut tx, id).await?;
        // The record as it was at the end of `on`: undo, newest first, the corrections
        // recorded after that day (R15 keeps every old value).
        let mut record = record;
        let end_of_day = on
            .succ_opt()
            .map(|d| (d.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(7)).and_utc());
        for c in corrections.iter().rev() {
            let at = chrono::DateTime::parse_from_rfc3339(&c.recorded_at).ok();
            if let (Some(at), Some(end)) = (at, end_of_day)
                && at >= end
                && let Ok(prev) = record.with_field(&c.field, c.old_value.as_deref().unwrap_or(""))
            {
                record = prev;
            }
        }
        // Corrections after that day are undone above; they are not listed either.
        corrections.retain(|c| {
            chrono::DateTime::parse_from_rfc3339(&c.recorded_at)
                .is_ok_and(|at| before(at.date_naive()))
        });
        let mut positions = ostore::positions_of(&mut tx, id).await?;
        positions.retain(|p| before(p.valid_from));
        let levels: Vec<(i32, dangvu_domain::review::Level)> =
            dangvu_store::reviews::member_levels(&mut tx, id.0)
                .await?
                .into_iter()
                .filter(|(end, _)| *end <= on && before(*end))
                .map(|(end, l)| (chrono::Datelike::year(&end), l))
                .collect();
        let mut flags: Vec<MemberFlag> = dangvu_domain::review::kht_two_years(&levels)
            .map(|year| MemberFlag {
                rule: "R11",
                code: "kht_two_years",
                year,
            })
            .into_iter()
            .collect();
        // R11: 12 months of education and help without progress.
        for c in dangvu_store::members::education::of_member(&mut tx, id).await? {
            if before(c.case.started_on)
                && let Some(due) = c.case.without_progress(on)
            {
                flags.push(MemberFlag {
                    rule: "R11",
                    code: "education_no_progress",
                    year: chrono::Datelike::year(&due),
                });
            }
        }
        let mut voided = mstore::voided_events_of(&mut tx, id).await?;
        voided.retain(|(e, _)| before(e.event.on));
        tx.commit().await?;
        Ok(MemberView {
            id,
            record,
            on,
            state,
            seniority_months: seniority,
            cell_path,
            events,
            cards,
            corrections,
            positions,
            flags,
            voided,
        })
    }

    /// The members on the rolls of an organisation's subtree on a date, in Vietnamese name
    /// order, optionally filtered by a search without diacritics, a page at a time.
    pub async fn list_members(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
        search: Option<String>,
        page: i64,
        per_page: i64,
    ) -> AppResult<MemberList> {
        let per_page = per_page.clamp(1, 500);
        let page = page.max(1);
        self.require_org(actor, org)?;
        let search = match search {
            Some(s) => dangvu_domain::text::search_terms(&s)?,
            None => None,
        };
        let mut tx = self.store.read().await?;
        ostore::org_dates(&mut tx, org)
            .await
            .map_err(|_| AppError::NotFound("org"))?;
        let version = dangvu_store::audit::last_id(&mut tx).await?;
        // A scoped list may be shorter than the whole subtree's: keep it per account.
        let scope_tag = match actor.access.all {
            true => String::new(),
            false => format!("{}\u{0}", actor.user_id.unwrap_or(-1)),
        };
        let key = (org, on, scope_tag + &search.clone().unwrap_or_default());
        let mut cached = self.lists.get(&key, version);
        if cached.is_none()
            && search.is_none()
            && let Some(old) = self.lists.older(&key, version)
            && let Some(order) = &old.order
            && let Some(renamed) =
                dangvu_store::audit::renames_between(&mut tx, old.version, version).await?
        {
            // Only renames since: move each renamed member to her new place (a plain list
            // holds the same members; only the order changed).
            let mut order: Vec<ListEntry> = order.as_ref().clone();
            for m in renamed {
                let m = MemberId(m);
                if let Some(i) = order.iter().position(|e| e.id == m) {
                    let mut e = order.remove(i);
                    e.key = mstore::sort_key_of(&mut tx, m).await?;
                    let at = order.partition_point(|x| (&x.key, x.id) < (&e.key, e.id));
                    order.insert(at, e);
                }
            }
            let c = CachedList {
                version,
                total: old.total,
                order: Some(Arc::new(order)),
            };
            self.lists.put(key.clone(), c.clone());
            cached = Some(c);
        }
        let offset = ((page - 1) * per_page) as usize;
        let (rows, total) = match cached {
            Some(CachedList {
                total,
                order: Some(order),
                ..
            }) => (page_rows(&mut tx, &order, offset, per_page).await?, total),
            cached => {
                // The only top organisation: its subtree is the whole register.
                let orgs = if actor.access.all && ostore::roots_on(&mut tx, on).await? == [org] {
                    None
                } else {
                    let mut ids = self.subtree_id_list(&mut tx, org, on).await?;
                    if let Some(scope) = actor.access.org_filter() {
                        ids.retain(|o| scope.contains(o));
                    }
                    Some(ids)
                };
                let q = ListQuery {
                    orgs,
                    on,
                    search: search.clone(),
                    offset: offset as i64,
                    limit: per_page,
                    known_total: cached.as_ref().map(|c| c.total),
                };
                let huge = q.orgs.is_none()
                    || cached
                        .as_ref()
                        .is_some_and(|c| c.total as usize > MAX_KEPT_ORDER);
                // The history in memory holds the order of any plain list: sort it there and
                // keep it (a 50,000-member subtree: a few tens of milliseconds).
                let from_memory = match (&q.orgs, search.is_none() && !huge) {
                    (Some(cells), true) => self
                        .list_order_from_memory(&mut tx, version, cells, on)
                        .await?
                        .filter(|o| o.len() <= MAX_KEPT_ORDER),
                    _ => None,
                };
                if let Some(order) = from_memory {
                    let total = order.len() as i64;
                    let rows = page_rows(&mut tx, &order, offset, per_page).await?;
                    self.lists.put(
                        key,
                        CachedList {
                            version,
                            total,
                            order: Some(Arc::new(order)),
                        },
                    );
                    (rows, total)
                } else {
                    if search.is_none() && page > 1 && !huge && self.lists.claim(&key) {
                        // Another page of a plain list not kept yet: read the order in the
                        // background for the pages to come.
                        let (app, q, key) = (self.clone(), q.clone(), key.clone());
                        tokio::spawn(async move {
                            let kept = async {
                                let mut tx = app.store.read().await?;
                                let order = mstore::list_order(&mut tx, &q).await?;
                                tx.commit().await?;
                                AppResult::Ok(order)
                            }
                            .await;
                            match kept {
                                Ok(order) => app.lists.put(
                                    key.clone(),
                                    CachedList {
                                        version,
                                        total: order.len() as i64,
                                        order: Some(Arc::new(order)),
                                    },
                                ),
                                Err(e) => {
                                    tracing::warn!(error = %e, "member list: keeping the order failed")
                                }
                            }
                            app.lists.release(&key);
                        });
                    }
                    if search.is_none() {
                        // A plain list not kept yet: the database sorts and skips (a top-N sort is
                        // quicker than reading the whole order); keep the length for the next pages.
                        let (rows, total) = mstore::list_members(&mut tx, &q).await?;
                        self.lists.put(
                            key,
                            CachedList {
                                version,
                                total,
                                order: None,
                            },
                        );
                        (rows, total)
                    } else {
                        let order = mstore::list_order(&mut tx, &q).await?;
                        let total = order.len() as i64;
                        let rows = page_rows(&mut tx, &order, offset, per_page).await?;
                        let keep = (order.len() <= MAX_KEPT_ORDER).then(|| Arc::new(order));
                        self.lists.put(
                            key,
                            CachedList {
                                version,
                                total,
                                order: keep,
                            },
                        );
                        (rows, total)
                    }
                }
            }
        };
        let mut names: HashMap<OrgId, String> = HashMap::new();
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let status = r.status;
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(r.org) {
                let n = ostore::period_on(&mut tx, r.org, on)
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default();
                slot.insert(n);
            }
            items.push(ListItem {
                id: r.id,
                full_name: r.full_name,
                sex: r.sex,
                birth_date: r.birth_date,
                cell: r.org,
                cell_name: names.get(&r.org).cloned().unwrap_or_default(),
                status,
            });
        }
        tx.commit().await?;
        Ok(MemberList {
            org,
            on,
            search,
            items,
            total,
            page,
            per_page,
        })
    }
}

/// The rows of one page of a list whose whole order is known.
async fn page_rows(
    conn: &mut dangvu_store::Conn,
    order: &[mstore::ListEntry],
    offset: usize,
    per_page: i64,
) -> AppResult<Vec<mstore::ListRow>> {
    let end = (offset + per_page as usize).min(order.len());
    let slice = order.get(offset.min(end)..end).unwrap_or_default();
    Ok(mstore::list_rows(conn, slice).await?)
}
