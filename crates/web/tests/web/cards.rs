//! Member cards on the pages and in the API: a card marked lost from the member page, the
//! subtree's list of who needs a card.

use super::*;

#[tokio::test]
async fn a_lost_card_is_marked_on_the_member_page_and_listed_for_a_new_one() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sec = Client::as_role(&app, "bithu.khu3", Role::Secretary, Some(fx.cell), None).await;
        app.add_card(
            &Actor::new("kiểm thử"),
            fx.an,
            "22334455",
            dangvu_domain::member::CardGeneration::Ct29_2003,
            d(2008, 3, 2),
        )
        .await
        .unwrap();
        let page = format!("/dang-vien/{}", fx.an.0);
        let r = get(&sec, &page).await;
        assert!(
            r.has("22334455") && r.has("Đang sử dụng") && r.has("Đảng bộ thành phố Uông Bí"),
            "{}",
            r.body
        );
        let card = app
            .member(&Actor::new("kiểm thử"), fx.an, d(2026, 6, 15))
            .await
            .unwrap()
            .cards[0]
            .id;
        // A date in the future: named in Vietnamese.
        let r = post_form(
            &sec,
            &format!("/the-dang-vien/{card}/tinh-trang"),
            &[
                ("member", &fx.an.0.to_string()),
                ("card_status", "lost"),
                ("on", "01/01/2030"),
                ("note", ""),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(r.has("không được sau ngày hôm nay"), "{}", r.body);
        let r = post_form(
            &sec,
            &format!("/the-dang-vien/{card}/tinh-trang"),
            &[
                ("member", &fx.an.0.to_string()),
                ("card_status", "lost"),
                ("on", "01/06/2026"),
                ("note", "Mất ví"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&sec, &page).await;
        assert!(r.has("Đã báo mất — Mất ví"), "{}", r.body);
        let r = get(&sec, &format!("/to-chuc/{}/the-dang-vien", fx.cell.0)).await;
        assert!(
            r.has("Mất thẻ, chưa cấp lại") && r.has("Trần Văn An"),
            "{}",
            r.body
        );
        let j = get(&sec, &format!("/api/v1/orgs/{}/cards", fx.cell.0))
            .await
            .json();
        let an = j["needed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["member"] == fx.an.0)
            .unwrap()
            .clone();
        assert_eq!(an["need"], "lost");
        // Another cell's secretary: the card does not exist.
        let other =
            Client::as_role(&app, "bithu.khu4", Role::Secretary, Some(fx.cell2), None).await;
        let r = post_json(
            &other,
            &format!("/api/v1/cards/{card}/status"),
            json!({"card_status": "recovered", "on": "2026-06-02"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    });
}
