//! Thẻ đảng viên (R5): issuing a card (the one in use is then replaced), a card lost or
//! recovered when its holder leaves the Party, and the lists of a subtree: who needs a card
//! (newly official, lost, a replacement campaign) and whose card is to be recovered.

use chrono::NaiveDate;
use dangvu_domain::card::{CardCampaign, CardNeed, CardStatus, campaign_on, card_need};
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{CardGeneration, CardNumber, MemberState, Status};
use dangvu_store::Conn;
use dangvu_store::members::{self as mstore, Card};
use dangvu_store::orgs as ostore;
use serde_json::json;

use super::state_in;
use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, committed};

/// The most members a card list reads.
const LIST_MAX: usize = 100_000;

/// A member of a subtree who needs a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardNeedLine {
    pub member: MemberId,
    pub name: String,
    pub cell: OrgId,
    pub cell_name: String,
    pub need: CardNeed,
    /// The card in use (for a campaign) or the one lost.
    pub card: Option<String>,
}

/// A former member whose card is still marked in use: to be recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecoverLine {
    pub member: MemberId,
    pub name: String,
    pub status: Status,
    pub card: Card,
}

/// The card work of a subtree on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardWork {
    pub on: NaiveDate,
    pub campaign: Option<&'static CardCampaign>,
    pub needed: Vec<CardNeedLine>,
    pub to_recover: Vec<CardRecoverLine>,
}

/// Left the Party: her card is to be recovered.
fn left(s: Status) -> bool {
    matches!(
        s,
        Status::Expelled | Status::RemovedFromRolls | Status::Resigned
    )
}

impl App {
    /// Issues a card to an official member; the card in use is kept in the history as
    /// replaced (R5). The issuing committee is the one above her grassroots organisation that
    /// day.
    pub async fn add_card(
        &self,
        actor: &Actor,
        member: MemberId,
        number: &str,
        generation: CardGeneration,
        issued_on: NaiveDate,
    ) -> AppResult<()> {
        let number = CardNumber::parse(number, generation)?;
        if issued_on > self.clock.today() {
            return Err(DomainError::rule_on("date_in_future", "issued_on").into());
        }
        let mut tx = self.store.begin().await?;
        self.require_member_write(&mut tx, actor, member).await?;
        if let Some(h) = self
            .identifiers_free(&mut tx, actor, Some(member), None, Some(number.as_str()))
            .await?
        {
            tx.rollback().await?;
            return Err(self.refuse_hidden_holder(actor, h).await);
        }
        self.add_card_in(&mut tx, actor, member, number, generation, issued_on)
            .await?;
        committed(tx, ()).await
    }

    pub(crate) async fn add_card_in(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        member: MemberId,
        number: CardNumber,
        generation: CardGeneration,
        issued_on: NaiveDate,
    ) -> AppResult<()> {
        if issued_on > self.clock.today() {
            return Err(DomainError::rule_on("date_in_future", "issued_on").into());
        }
        let state = state_in(conn, member, issued_on).await?;
        card_holder(&state)?;
        let issuer = match state.cell {
            Some(cell) => card_issuer(crate::review::ancestry(conn, cell, issued_on).await?),
            None => None,
        };
        mstore::replace_current_card(conn, member, issued_on).await?;
        mstore::insert_card(
            conn,
            &Card {
                id: 0,
                member,
                number: number.as_str().to_owned(),
                generation,
                issued_on,
                issuer,
                status: CardStatus::InUse,
                ended_on: None,
                note: None,
            },
        )
        .await?;
        self.audit(
            conn,
            actor,
            Action::MemberCard
                .on("member", member.0)
                .after(Some(json!({"card_number": number.as_str(), "generation": generation.code(), "issued_on": issued_on.to_string(), "issuer": issuer.map(|o| o.0)}))),
        )
        .await?;
        Ok(())
    }

    /// Marks a card in use lost (báo mất) or recovered (thu hồi) on a day, with a note. A card is
    /// recovered only from a member who has left the Party by then.
    pub async fn end_card(
        &self,
        actor: &Actor,
        card: i64,
        status: CardStatus,
        on: NaiveDate,
        note: &str,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let c = mstore::card(&mut tx, card)
            .await?
            .ok_or(AppError::NotFound("card"))?;
        self.require_member_write(&mut tx, actor, c.member)
            .await
            .map_err(|_| AppError::NotFound("card"))?;
        let note = crate::optional_text("note", Some(note), 200)?;
        if !matches!(status, CardStatus::Lost | CardStatus::Recovered) {
            return Err(FieldError::new("card_status", "invalid").into());
        }
        if on > self.clock.today() {
            return Err(FieldError::new("on", "date_in_future").into());
        }
        if on < c.issued_on {
            return Err(FieldError::new("on", "date_out_of_range").into());
        }
        if c.status != CardStatus::InUse {
            return Err(DomainError::rule_on("card_not_in_use", "card_status").into());
        }
        if status == CardStatus::Recovered && !left(state_in(&mut tx, c.member, on).await?.status) {
            return Err(DomainError::rule_on("card_holder_in_party", "card_status").into());
        }
        mstore::end_card(&mut tx, c.id, status, on, note.as_deref()).await?;
        let entry = Action::MemberCard
            .on("member", c.member.0)
            .before(Some(json!({"card": c.id, "status": c.status.code()})))
            .after(Some(
                json!({"card": c.id, "status": status.code(), "on": on}),
            ))
            .reason(note.as_deref());
        self.commit_audited(tx, actor, entry, ()).await
    }

    /// The card work of a subtree on `on`: the official members on its rolls who need a card,
    /// in Vietnamese name order, and the former members of its cells whose card is to be
    /// recovered.
    pub async fn card_work(&self, actor: &Actor, org: OrgId, on: NaiveDate) -> AppResult<CardWork> {
        self.require_org(actor, org)?;
        let on = on.min(self.clock.today());
        let mut tx = self.store.read().await?;
        let periods = ostore::subtree_periods(&mut tx, org, on).await?;
        if !periods.iter().any(|p| p.org == org) {
            return Err(AppError::NotFound("org"));
        }
        let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
        let rolls = mstore::officials_on(&mut tx, &ids, on).await?;
        if rolls.len() > LIST_MAX {
            return Err(DomainError::rule_on("too_many_members", "org").into());
        }
        let members: Vec<MemberId> = rolls.iter().map(|r| r.0).collect();
        let cards = mstore::cards_of_many(&mut tx, &members).await?;
        let names: std::collections::HashMap<MemberId, String> =
            mstore::names_of(&mut tx, &members)
                .await?
                .into_iter()
                .collect();
        let name_of = |o: OrgId| {
            periods
                .iter()
                .find(|p| p.org == o)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        let mut needed = Vec::new();
        for (m, cell) in &rolls {
            let mine: Vec<&Card> = cards
                .iter()
                .filter(|c| c.member == *m && c.issued_on <= on)
                .collect();
            // As the day saw them: a card that ended later was still in use.
            let seen: Vec<_> = mine
                .iter()
                .map(|c| {
                    let st = if c.ended_on.is_some_and(|e| e > on) {
                        CardStatus::InUse
                    } else {
                        c.status
                    };
                    (c.generation, st)
                })
                .collect();
            if let Some(need) = card_need(true, &seen, on) {
                needed.push(CardNeedLine {
                    member: *m,
                    name: names.get(m).cloned().unwrap_or_default(),
                    cell: *cell,
                    cell_name: name_of(*cell),
                    need,
                    card: mine.last().map(|c| c.number.clone()),
                });
            }
        }
        needed.sort_by_cached_key(|l| dangvu_domain::text::name_sort_key(&l.name));
        let mut to_recover = Vec::new();
        for m in mstore::cards_in_use_of_former(&mut tx, &ids).await? {
            let spans = mstore::spans_of(&mut tx, m).await?;
            if spans.last().is_none_or(|s| !ids.contains(&s.cell)) {
                continue;
            }
            let state = state_in(&mut tx, m, on).await?;
            if !left(state.status) {
                continue;
            }
            let name = mstore::names_of(&mut tx, &[m])
                .await?
                .pop()
                .map(|x| x.1)
                .unwrap_or_default();
            for card in mstore::cards_of(&mut tx, m).await? {
                if card.status == CardStatus::InUse {
                    to_recover.push(CardRecoverLine {
                        member: m,
                        name: name.clone(),
                        status: state.status,
                        card,
                    });
                }
            }
        }
        to_recover.sort_by_cached_key(|l| dangvu_domain::text::name_sort_key(&l.name));
        let work = CardWork {
            on,
            campaign: campaign_on(on),
            needed,
            to_recover,
        };
        committed(tx, work).await
    }
}

/// The committee that issues a card (R5): the one above the grassroots organisation, from an
/// ancestry as `review::ancestry` gives it.
pub(crate) fn card_issuer((chain, grassroots): (Vec<OrgId>, Option<OrgId>)) -> Option<OrgId> {
    grassroots
        .and_then(|g| chain.iter().position(|o| *o == g))
        .and_then(|i| chain.get(i + 1).copied())
}

/// A card is issued only to an official member still on the rolls that day (R5).
pub(crate) fn card_holder(state: &MemberState) -> AppResult<()> {
    if !state.official
        || matches!(
            state.status,
            Status::Expelled | Status::RemovedFromRolls | Status::Resigned | Status::Died
        )
    {
        return Err(DomainError::rule_on("card_needs_official", "card_number").into());
    }
    Ok(())
}
