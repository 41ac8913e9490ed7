//! Thẻ đảng viên (R5): the states a card goes through, the replacement campaigns (dated data),
//! and who needs a card on a day.

use chrono::NaiveDate;
use serde::Serialize;

use crate::member::CardGeneration;

/// Where a card stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    /// Đang sử dụng.
    InUse,
    /// Bị mất (báo mất).
    Lost,
    /// Đã đổi, thay bằng thẻ mới.
    Replaced,
    /// Đã thu hồi khi ra khỏi Đảng (khai trừ, xóa tên, xin ra).
    Recovered,
}

impl CardStatus {
    pub const ALL: [CardStatus; 4] = [
        CardStatus::InUse,
        CardStatus::Lost,
        CardStatus::Replaced,
        CardStatus::Recovered,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CardStatus::InUse => "in_use",
            CardStatus::Lost => "lost",
            CardStatus::Replaced => "replaced",
            CardStatus::Recovered => "recovered",
        }
    }
    pub fn from_code(s: &str) -> Option<CardStatus> {
        CardStatus::ALL.into_iter().find(|c| c.code() == s)
    }
}

/// Đợt đổi thẻ: from a day, every card of an older generation held by an official member is
/// to be replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardCampaign {
    pub id: &'static str,
    pub title: &'static str,
    pub from: NaiveDate,
    /// The day the campaign asked the replacement to be done by.
    pub by: NaiveDate,
    pub replaces: CardGeneration,
}

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => NaiveDate::MIN,
    }
}

/// The campaigns, oldest first. Chỉ thị 51-CT/TW (8/8/2025): every card replaced by the new
/// card tied to the member database, before 2/9/2025.
static CAMPAIGNS: [CardCampaign; 1] = [CardCampaign {
    id: "ct51-2025",
    title: "Chỉ thị 51-CT/TW ngày 08/8/2025 của Ban Bí thư về đổi thẻ đảng viên",
    from: day(2025, 8, 8),
    by: day(2025, 9, 2),
    replaces: CardGeneration::Ct29_2003,
}];

/// The campaign in force on `on`, if any: the latest begun.
pub fn campaign_on(on: NaiveDate) -> Option<&'static CardCampaign> {
    CAMPAIGNS.iter().rev().find(|c| c.from <= on)
}

/// Why a member needs a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardNeed {
    /// An official member without a card: newly official, or never issued one.
    NoCard,
    /// Her last card was lost and none issued since.
    Lost,
    /// She holds a card the campaign in force replaces.
    Campaign,
}

impl CardNeed {
    pub fn code(self) -> &'static str {
        match self {
            CardNeed::NoCard => "no_card",
            CardNeed::Lost => "lost",
            CardNeed::Campaign => "campaign",
        }
    }
}

/// Whether an official member needs a card on `on`, from her cards issued by then (generation,
/// status), oldest first. Only official members hold cards (research §4.10).
pub fn card_need(
    official: bool,
    cards: &[(CardGeneration, CardStatus)],
    on: NaiveDate,
) -> Option<CardNeed> {
    if !official {
        return None;
    }
    match cards.iter().rev().find(|c| c.1 == CardStatus::InUse) {
        Some((generation, _)) => campaign_on(on)
            .filter(|c| c.replaces == *generation)
            .map(|_| CardNeed::Campaign),
        None if cards.last().is_some_and(|c| c.1 == CardStatus::Lost) => Some(CardNeed::Lost),
        None => Some(CardNeed::NoCard),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::d;
    use proptest::prelude::*;

    const OLD: CardGeneration = CardGeneration::Ct29_2003;
    const NEW: CardGeneration = CardGeneration::Ct51_2025;

    #[test]
    fn who_needs_a_card() {
        let before = d(2025, 8, 7);
        let after = d(2026, 6, 15);
        assert_eq!(card_need(true, &[], after), Some(CardNeed::NoCard));
        assert_eq!(
            card_need(false, &[], after),
            None,
            "a probationary member has none"
        );
        let lost = [(OLD, CardStatus::Lost)];
        assert_eq!(card_need(true, &lost, after), Some(CardNeed::Lost));
        let old = [(OLD, CardStatus::InUse)];
        assert_eq!(card_need(true, &old, before), None);
        assert_eq!(card_need(true, &old, after), Some(CardNeed::Campaign));
        let renewed = [(OLD, CardStatus::Replaced), (NEW, CardStatus::InUse)];
        assert_eq!(card_need(true, &renewed, after), None);
        assert_eq!(campaign_on(after).map(|c| c.id), Some("ct51-2025"));
        assert_eq!(campaign_on(before), None);
    }

    proptest! {
        /// An official member holding a card of the newest generation in use never needs one;
        /// one with no card in use always does.
        #[test]
        fn a_card_in_use_of_the_new_generation_suffices(n in 0usize..4, lost_last in any::<bool>(), days in 0i64..8000) {
            let on = d(2010, 1, 1) + chrono::Duration::days(days);
            let mut cards = vec![(OLD, CardStatus::Replaced); n];
            cards.push((NEW, CardStatus::InUse));
            prop_assert_eq!(card_need(true, &cards, on), None);
            cards.pop();
            if lost_last { cards.push((OLD, CardStatus::Lost)); }
            prop_assert!(card_need(true, &cards, on).is_some());
        }
    }
}
