//! Giấy giới thiệu sinh hoạt đảng: the letter a member carries to her new (or host) cell, with
//! what R10 says it records: the issuing committee and its number, her card and history
//! numbers, the month her dues are paid up to, where she goes and until when it is valid.

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_domain::member::{Event, Sex, state_on};
use dangvu_domain::org::Position;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use super::{TransferLine, name_on};
use crate::{Actor, App, AppResult, committed};

/// Everything the printed letter shows.
#[derive(Debug, Clone)]
pub struct Letter {
    pub line: TransferLine,
    /// The organisations above the issuing committee, the highest first (tỉnh, huyện …), then
    /// the issuing committee itself.
    pub header: Vec<String>,
    pub issuer_name: String,
    pub member_name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub home_town: Option<String>,
    pub admitted_on: Option<NaiveDate>,
    pub official_on: Option<NaiveDate>,
    /// Số thẻ đảng viên in use on the letter's date.
    pub card_number: Option<String>,
    /// Số lý lịch.
    pub history_number: Option<String>,
    /// The secretary (bí thư) of the issuing committee on the letter's date, who signs it.
    pub signer: Option<String>,
}

impl App {
    /// The letter of a transfer, for either side to print.
    pub async fn transfer_letter(&self, actor: &Actor, id: i64) -> AppResult<Letter> {
        let line = self.transfer(actor, id).await?;
        let t = &line.transfer;
        let on = t.sent_on;
        let mut tx = self.store.read().await?;
        let rec = mstore::get_member(&mut tx, t.member).await?;
        let events: Vec<Event> = mstore::events_of(&mut tx, t.member)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        // Her state the day before she left: her admission and official dates.
        let before = on.pred_opt().unwrap_or(on);
        let state = state_on(rec.birth_date, &events, before)?;
        let card_number = mstore::cards_of(&mut tx, t.member)
            .await?
            .into_iter()
            .filter(|c| c.issued_on <= on && c.ended_on.is_none_or(|r| r > on))
            .map(|c| c.number)
            .next_back();
        let issuer = t.issuer.or(t.from_org);
        let mut header = Vec::new();
        if let Some(i) = issuer {
            let chain: Vec<OrgId> = crate::review::ancestry(&mut tx, i, on).await?.0;
            for o in chain.iter().rev() {
                header.push(name_on(&mut tx, Some(*o), on).await?);
            }
        }
        let issuer_name = name_on(&mut tx, issuer, on).await?;
        let signer = match issuer {
            Some(i) => ostore::committee_on(&mut tx, i, on)
                .await?
                .into_iter()
                .find(|h| h.position == Position::BiThu)
                .map(|h| h.member_name),
            None => None,
        };
        let letter = Letter {
            header,
            issuer_name,
            member_name: rec.full_name.clone(),
            sex: rec.sex,
            birth_date: rec.birth_date,
            home_town: rec.home_town.clone(),
            admitted_on: state.admitted_on,
            official_on: state.official_on,
            card_number,
            history_number: rec.history_number.as_ref().map(|h| h.as_str().to_owned()),
            signer,
            line,
        };
        committed(tx, letter).await
    }
}
