//! Rows new to the register, created together. A chunk's rows whose numbers (CCCD, history
//! number, card number) and whose name with date of birth no member holds, and that no earlier
//! row of the file wrote, are checked in memory exactly as the "add a member" form and its
//! events check them, then written with a few multi-row statements and one audit entry each.
//! Every other row takes the row-by-row way, which matches and corrects.

use std::collections::HashSet;

use dangvu_domain::DomainError;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, spans, state_on};
use dangvu_domain::text::fold;
use dangvu_store::Conn;
use dangvu_store::bulk::{self, BulkCard, BulkMember, Table};
use dangvu_store::imports::{self as istore, RegisterKey};
use dangvu_store::members::roster;
use serde_json::json;

use super::members::{Ctx, Parsed, column_of_field, unchanged};
use super::{Row, RowAction, RowError, RowOutcome, WeakMatch};
use crate::audit_log::Action;
use crate::members::cards::{card_holder, card_issuer};
use crate::members::{NewMember, admission_events, check_new_member};
use crate::orgs::memo::OrgMemo;
use crate::{Actor, App, AppResult};

/// What an import carries from chunk to chunk: the organisations read so far, and the keys of
/// the members the chunk has written (the register answers for earlier chunks).
#[derive(Default)]
pub(super) struct Progress {
    orgs: OrgMemo,
    written: HashSet<RegisterKey>,
    /// The members the chunk has changed.
    changed: HashSet<MemberId>,
}

/// The keys a row identifies its member by; her name and date of birth only when a member
/// found by them is not taken as a new one.
fn keys_of(p: &Parsed, weak: WeakMatch) -> Vec<RegisterKey> {
    let r = &p.record;
    let mut k = Vec::with_capacity(4);
    if weak != WeakMatch::New {
        k.push(RegisterKey::NameBirth(fold(&r.full_name), r.birth_date));
    }
    if let Some(c) = &r.cccd {
        k.push(RegisterKey::Cccd(c.as_str().to_owned()));
    }
    if let Some(h) = &r.history_number {
        k.push(RegisterKey::History(h.as_str().to_owned()));
    }
    if let Some((n, _, _)) = &p.card {
        k.push(RegisterKey::Card(n.as_str().to_owned()));
    }
    k
}

/// A new member checked and ready to write, with the row it came from.
struct Planned {
    /// Its place among the chunk's rows.
    index: usize,
    member: BulkMember,
    /// The cell she is in (the audit entry's organisation).
    cell: OrgId,
    /// Her record as the audit entry keeps it.
    body: serde_json::Value,
}

impl App {
    /// Imports one chunk of rows (with what each says, parsed), answering each row's outcome
    /// in row order.
    pub(super) async fn import_chunk(
        &self,
        tx: &mut Conn,
        ctx: &Ctx<'_>,
        rows: &[Row<'_>],
        parsed: Vec<Result<Parsed, Vec<RowError>>>,
        progress: &mut Progress,
    ) -> AppResult<Vec<RowOutcome>> {
        progress.written.clear();
        progress.changed.clear();
        let keys: Vec<Vec<RegisterKey>> = parsed
            .iter()
            .map(|p| p.as_ref().map(|p| keys_of(p, ctx.weak)).unwrap_or_default())
            .collect();
        let asked: Vec<RegisterKey> = keys.iter().flatten().cloned().collect();
        let held = istore::keys_held(tx, self.store.backend, &asked).await?;
        // The member each row's numbers point to, when they point to one.
        let matched: Vec<Option<MemberId>> = keys
            .iter()
            .map(|k| {
                let mut ids = k
                    .iter()
                    .filter(|k| !matches!(k, RegisterKey::NameBirth(..)))
                    .filter_map(|k| held.get(k))
                    .flatten();
                let first = *ids.next()?;
                ids.all(|m| *m == first).then_some(first)
            })
            .collect();
        let wanted: Vec<MemberId> = matched.iter().flatten().copied().collect();
        let records = roster::records_of(tx, &wanted).await?;
        let mut outcomes: Vec<RowOutcome> = Vec::with_capacity(rows.len());
        let mut planned: Vec<Planned> = Vec::new();
        for (i, (row, (p, k))) in rows.iter().zip(parsed.iter().zip(keys)).enumerate() {
            let fresh = k
                .iter()
                .all(|k| !held.contains_key(k) && !progress.written.contains(k));
            // A member found by her numbers whose record the row leaves as it is.
            let same = match (p, matched.get(i).copied().flatten()) {
                (Ok(p), Some(m))
                    if !progress.changed.contains(&m)
                        && !k.iter().any(|k| progress.written.contains(k))
                        && records.get(&m).is_some_and(|r| unchanged(row, p, r))
                        && self.require_member_write(tx, ctx.actor, m).await.is_ok() =>
                {
                    Some(m)
                }
                _ => None,
            };
            if let Some(m) = same {
                let mut out = RowOutcome::of(row);
                out.action = RowAction::Unchanged;
                out.id = Some(m.0);
                outcomes.push(out);
                continue;
            }
            match p {
                Ok(p) if fresh => {
                    let mut out = RowOutcome::of(row);
                    match self
                        .plan(tx, ctx, &mut progress.orgs, row, p, &mut out)
                        .await
                    {
                        Ok((member, cell)) => {
                            out.action = RowAction::Create;
                            progress.written.extend(k);
                            planned.push(Planned {
                                index: i,
                                member,
                                cell,
                                body: p.body.clone(),
                            });
                        }
                        Err(e) => out.errors = super::field_errors(row, &e, column_of_field),
                    }
                    outcomes.push(out);
                }
                _ => {
                    // The row-by-row way reads the register, which must hold what came before.
                    self.write_planned(tx, ctx.actor, std::mem::take(&mut planned), &mut outcomes)
                        .await?;
                    let out = self.import_parsed(tx, ctx, row, p.clone()).await?;
                    if matches!(out.action, RowAction::Create | RowAction::Update) {
                        progress.written.extend(k);
                        progress.changed.extend(out.id.map(MemberId));
                    }
                    outcomes.push(out);
                }
            }
        }
        self.write_planned(tx, ctx.actor, planned, &mut outcomes)
            .await?;
        Ok(outcomes)
    }

    /// Checks a new member's row as `create_member_in` and `record_event_in` would, in memory:
    /// the form's checks, her cell alive that day, the timeline, the card.
    async fn plan(
        &self,
        conn: &mut Conn,
        ctx: &Ctx<'_>,
        orgs: &mut OrgMemo,
        row: &Row<'_>,
        p: &Parsed,
        out: &mut RowOutcome,
    ) -> AppResult<(BulkMember, OrgId)> {
        let input: NewMember = ctx.new_member(row, p, out)?;
        self.require_org_write(ctx.actor, input.cell)?;
        let number = check_new_member(&input, ctx.today)?;
        let joined = input.joined_on.unwrap_or(input.admitted_on);
        let period = orgs
            .period_on(conn, input.cell, joined)
            .await?
            .ok_or(DomainError::rule_on("cell_not_active", "cell"))?;
        if !period.kind.is_cell() {
            return Err(DomainError::rule_on("not_a_cell", "cell").into());
        }
        let birth = input.record.birth_date;
        let events: Vec<Event> = admission_events(&input)
            .into_iter()
            .filter_map(|e| {
                Some(Event {
                    kind: e.kind?,
                    on: e.on?,
                    org: e.org,
                    discipline: None,
                })
            })
            .collect();
        let spans = spans(birth, &events)?;
        let card = match (number, &input.card) {
            (Some(n), Some((_, generation, issued_on))) => {
                let state = state_on(birth, &events, *issued_on)?;
                card_holder(&state)?;
                let issuer = match state.cell {
                    Some(c) => card_issuer(orgs.ancestry(conn, c, *issued_on).await?),
                    None => None,
                };
                Some(BulkCard {
                    number: n.as_str().to_owned(),
                    generation: *generation,
                    issued_on: *issued_on,
                    issuer,
                })
            }
            _ => None,
        };
        let cell = spans
            .iter()
            .max_by_key(|s| s.from)
            .map_or(input.cell, |s| s.cell);
        let member = BulkMember {
            record: input.record,
            events,
            spans,
            card,
            keys: Some(p.keys.clone()),
        };
        Ok((member, cell))
    }

    /// Writes the planned members of a chunk in one go, each with its audit entry. Every
    /// check was made before; should the register still refuse the batch (a member written
    /// meanwhile by another session), the import fails whole.
    async fn write_planned(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        planned: Vec<Planned>,
        outcomes: &mut [RowOutcome],
    ) -> AppResult<()> {
        if planned.is_empty() {
            return Ok(());
        }
        let ids = self.write_members(tx, actor, &planned).await?;
        for (p, id) in planned.iter().zip(ids) {
            if let Some(o) = outcomes.get_mut(p.index) {
                o.id = Some(id.0);
            }
        }
        Ok(())
    }

    async fn write_members(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        planned: &[Planned],
    ) -> AppResult<Vec<MemberId>> {
        let backend = self.store.backend;
        let ids = bulk::reserve_ids(tx, backend, Table::Members, planned.len()).await?;
        let members: Vec<&BulkMember> = planned.iter().map(|p| &p.member).collect();
        bulk::insert_members(tx, backend, &ids, &members, &self.now_text(), &actor.name).await?;
        let entries = planned
            .iter()
            .zip(&ids)
            .map(|(p, id)| {
                let m = &p.member;
                let mut body = p.body.clone();
                if let Some(o) = body.as_object_mut() {
                    o.insert(
                        "events".into(),
                        m.events
                            .iter()
                            .map(|e| json!({"kind": e.kind.code(), "on": iso(e.on), "org": e.org.map(|o| o.0)}))
                            .collect(),
                    );
                    if let Some(c) = &m.card {
                        o.insert("card".into(), json!({"card_number": c.number, "generation": c.generation.code(), "issued_on": iso(c.issued_on), "issuer": c.issuer.map(|o| o.0)}));
                    }
                }
                (
                    Action::MemberCreate.on("member", *id).after(Some(body)),
                    p.cell,
                )
            })
            .collect();
        self.audit_new_members(tx, actor, entries).await?;
        Ok(ids.into_iter().map(MemberId).collect())
    }
}
