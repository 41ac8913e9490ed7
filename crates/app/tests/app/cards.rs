//! Member cards (R5): the issuing committee, lost and recovered cards, and a subtree's list of
//! who needs a card and whose card is to be recovered.

use dangvu_app::AppError;
use dangvu_app::members::NewEvent;
use dangvu_domain::access::Role;
use dangvu_domain::card::{CardNeed, CardStatus};
use dangvu_domain::decision::Decision;
use dangvu_domain::member::{CardGeneration, EventKind};
use dangvu_testkit::{d, on_every_backend, signed_in};

use super::{actor, field_codes, fixture, member};

#[tokio::test]
async fn cards_are_issued_lost_replaced_and_recovered_and_the_subtree_knows_who_needs_one() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let today = d(2026, 6, 15);
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2011, 1, 1), true).await;
        let cuong = member(&app, "Lê Văn Cường", f.cell_b, d(2012, 1, 1), true).await;
        let dung = member(&app, "Phạm Thị Dung", f.cell_a, d(2025, 10, 1), false).await;
        app.add_card(
            &actor(),
            an,
            "10000001",
            CardGeneration::Ct29_2003,
            d(2012, 3, 1),
        )
        .await
        .unwrap();
        app.add_card(
            &actor(),
            cuong,
            "10000003",
            CardGeneration::Ct29_2003,
            d(2013, 3, 1),
        )
        .await
        .unwrap();
        // Issued by the committee above the grassroots đảng bộ: the city.
        let cards = app.member(&actor(), an, today).await.unwrap().cards;
        assert_eq!(cards[0].issuer, Some(f.city));
        assert_eq!(cards[0].status, CardStatus::InUse);

        // Today (Chỉ thị 51 in force): An and Cường hold 2003 cards, Bình has none; Dung is
        // probationary and holds none by right.
        let w = app.card_work(&actor(), f.g1, today).await.unwrap();
        let got: Vec<(&str, CardNeed)> =
            w.needed.iter().map(|l| (l.name.as_str(), l.need)).collect();
        assert_eq!(
            got,
            [
                ("Nguyễn Văn An", CardNeed::Campaign),
                ("Trần Thị Bình", CardNeed::NoCard),
                ("Lê Văn Cường", CardNeed::Campaign),
            ]
        );
        assert!(w.needed.iter().all(|l| l.member != dung));
        assert_eq!(w.needed[1].member, binh);
        assert_eq!(w.campaign.map(|c| c.id), Some("ct51-2025"));
        // Before the campaign only Bình needed one.
        let w = app.card_work(&actor(), f.g1, d(2025, 1, 1)).await.unwrap();
        assert_eq!(w.needed.len(), 1);

        // Cường loses his card; a new-format card settles him, the lost one stays lost.
        let id = app.member(&actor(), cuong, today).await.unwrap().cards[0].id;
        let e = app
            .end_card(&actor(), id, CardStatus::Lost, d(2010, 1, 1), "")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("on", "date_out_of_range")]);
        let e = app
            .end_card(&actor(), id, CardStatus::Recovered, d(2026, 5, 1), "")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "card_holder_in_party");
        app.end_card(
            &actor(),
            id,
            CardStatus::Lost,
            d(2026, 5, 1),
            "Mất khi đi công tác",
        )
        .await
        .unwrap();
        let w = app.card_work(&actor(), f.g1, today).await.unwrap();
        assert!(
            w.needed
                .iter()
                .any(|l| l.member == cuong && l.need == CardNeed::Lost)
        );
        app.add_card(
            &actor(),
            cuong,
            "QN2025000123",
            CardGeneration::Ct51_2025,
            d(2026, 6, 1),
        )
        .await
        .unwrap();
        let cards = app.member(&actor(), cuong, today).await.unwrap().cards;
        let st: Vec<CardStatus> = cards.iter().map(|c| c.status).collect();
        assert_eq!(st, [CardStatus::Lost, CardStatus::InUse]);
        let w = app.card_work(&actor(), f.g1, today).await.unwrap();
        assert!(w.needed.iter().all(|l| l.member != cuong));

        // An is removed from the rolls: his card is to be recovered, then recovered.
        let decision = Decision {
            reference: Some("20-QĐ/ĐU".into()),
            date: Some(d(2026, 5, 20)),
            body: Some("Ban Thường vụ Đảng ủy".into()),
        };
        app.record_event(
            &actor(),
            an,
            NewEvent::simple(EventKind::RemovedFromRolls, d(2026, 5, 20)).decided(&decision),
        )
        .await
        .unwrap();
        let w = app.card_work(&actor(), f.g1, today).await.unwrap();
        assert_eq!(w.to_recover.len(), 1);
        assert_eq!(w.to_recover[0].card.number, "10000001");
        assert!(
            w.needed.iter().all(|l| l.member != an),
            "no longer a member"
        );
        let card = w.to_recover[0].card.id;
        // Another cell's secretary: the card does not exist for her, nor the đảng bộ's list.
        let other = signed_in(&app, "bithu_khu2", Role::Secretary, f.cell_b).await;
        let e = app
            .end_card(&other, card, CardStatus::Recovered, d(2026, 6, 1), "")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("card")), "{e:?}");
        let e = app.card_work(&other, f.g1, today).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
        app.end_card(
            &actor(),
            card,
            CardStatus::Recovered,
            d(2026, 6, 1),
            "Chi ủy đã thu hồi",
        )
        .await
        .unwrap();
        let w = app.card_work(&actor(), f.g1, today).await.unwrap();
        assert!(w.to_recover.is_empty());
        let e = app
            .end_card(&actor(), card, CardStatus::Lost, d(2026, 6, 2), "")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "card_not_in_use");
    });
}

/// The demo's cards: the ward of the demo accounts renewed its cards in August 2025 except a
/// few members, one new card lost since.
pub(crate) async fn check_demo_cards(app: &dangvu_app::App) {
    let today = d(2026, 6, 15);
    let tree = app.tree(&actor(), today).await.unwrap();
    let mut needs = Vec::new();
    for w in tree
        .nodes
        .iter()
        .filter(|n| n.kind == dangvu_domain::org::OrgKind::DangBoXa)
    {
        needs.extend(app.card_work(&actor(), w.id, today).await.unwrap().needed);
    }
    assert!(needs.iter().any(|l| l.need == CardNeed::Lost), "one lost");
    let waiting = needs
        .iter()
        .filter(|l| l.need == CardNeed::Campaign)
        .count();
    assert!(waiting > 0, "a few still waiting for the new card");
}
