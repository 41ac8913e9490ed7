//! The demo's cards (R5): in the demo ward the 2003 cards were replaced by new cards in the
//! Chỉ thị 51 campaign (August 2025), except for a few members still waiting; one new card was
//! since reported lost.

use chrono::NaiveDate;
use dangvu_domain::card::CardStatus;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{CardGeneration, CardNumber};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::{Actor, App, AppResult};

impl App {
    /// Replaces the cards of the official members of a ward's cells on 25/8/2025 (one in forty
    /// left waiting), and reports one of the new cards lost a month ago.
    pub(crate) async fn demo_cards(
        &self,
        actor: &Actor,
        ward: OrgId,
        today: NaiveDate,
    ) -> AppResult<()> {
        let Some(issued) = NaiveDate::from_ymd_opt(2025, 8, 25).filter(|d| *d <= today) else {
            return Ok(());
        };
        let mut tx = self.store.begin().await?;
        let ids = ostore::subtree_ids(&mut tx, ward, issued).await?;
        let officials: Vec<MemberId> = mstore::officials_on(&mut tx, &ids, issued)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let mut renewed = Vec::new();
        for (i, m) in officials.iter().enumerate() {
            if i % 40 == 39 {
                continue;
            }
            let number = CardNumber::parse(&format!("QN25{:08}", m.0), CardGeneration::Ct51_2025)?;
            self.add_card_in(
                &mut tx,
                actor,
                *m,
                number,
                CardGeneration::Ct51_2025,
                issued,
            )
            .await?;
            renewed.push(*m);
        }
        tx.commit().await?;
        if let Some(m) = renewed.get(7) {
            let card = self
                .member(actor, *m, today)
                .await?
                .cards
                .into_iter()
                .find(|c| c.status == CardStatus::InUse);
            if let Some(c) = card {
                let on = (today - chrono::Days::new(30)).max(issued);
                self.end_card(actor, c.id, CardStatus::Lost, on, "Mất khi đi đường")
                    .await?;
            }
        }
        Ok(())
    }
}
