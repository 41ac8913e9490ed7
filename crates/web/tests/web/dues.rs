//! Party dues on the pages and in the API (R14): the basis form with its Vietnamese messages,
//! payments, the meeting's total from the ledger, the cell's book on screen and in Excel.

use super::*;

#[tokio::test]
async fn a_secretary_keeps_the_cells_dues_book_from_the_member_page_to_the_printed_book() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sec = Client::as_role(&app, "bithu.khu3", Role::Secretary, Some(fx.cell), None).await;
        let stranger =
            Client::as_role(&app, "bithu.khu4", Role::Secretary, Some(fx.cell2), None).await;
        let page = format!("/dang-vien/{}/dang-phi", fx.duc.0);
        let r = get(&sec, &page).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.has("Chưa khai căn cứ đóng đảng phí"), "{}", r.body);

        // A flat amount out of the range: named in Vietnamese, what was typed kept, nothing written.
        let r = post_form(
            &sec,
            &format!("{page}/can-cu"),
            &[
                ("from_month", "01/2026"),
                ("category", "other"),
                ("flat", "1.000"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(
            r.has("Mức khoán hằng tháng: mức khoán phải từ 2.000 đ đến 30.000 đ"),
            "{}",
            r.body
        );
        assert!(r.has("value=\"1.000\""));
        let r = post_form(
            &sec,
            &format!("{page}/can-cu"),
            &[
                ("from_month", "01/2026"),
                ("category", "other"),
                ("flat", "20.000 đ"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // January to March at once.
        let r = post_form(
            &sec,
            &format!("{page}/nop"),
            &[
                ("from_month", "01/2026"),
                ("to_month", "03/2026"),
                ("paid_on", "20/03/2026"),
                ("received_by", "Trần Văn An"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&sec, &page).await;
        assert!(
            r.has("Đã đóng đảng phí hết tháng <strong>03/2026</strong>"),
            "{}",
            r.body
        );
        assert!(r.has("20.000 đ"));
        // Paying March again is refused with the reason.
        let r = post_form(
            &sec,
            &format!("{page}/nop"),
            &[("from_month", "03/2026"), ("paid_on", "20/03/2026")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.has("mỗi tháng chỉ ghi một lần"), "{}", r.body);
        // April entered on a phone without a network, then sent twice with its key (the first
        // answer lost on the way): paid once, and the second sending is not refused as a
        // second payment of the month.
        let april = [
            ("_key", "3c0d9f5e-2a41-4f7b-8d3e-9b6a1c2e4f70"),
            ("from_month", "04/2026"),
            ("paid_on", "20/04/2026"),
        ];
        let first = post_form(&sec, &format!("{page}/nop"), &april).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
        let again = post_form(&sec, &format!("{page}/nop"), &april).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(again.location, first.location);
        let r = get(&sec, &page).await;
        assert!(
            r.has("Đã đóng đảng phí hết tháng <strong>04/2026</strong>"),
            "{}",
            r.body
        );

        // June's meeting: Đức pays at it; the meeting's total is what the ledger holds.
        let due = get(&sec, &format!("/api/v1/members/{}/dues", fx.duc.0))
            .await
            .json()["months"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["month"] == "06/2026")
            .map(|m| m["due"].as_i64().unwrap())
            .unwrap();
        let r = post_json(
            &sec,
            "/api/v1/meetings",
            json!({
                "org": fx.cell.0, "kind": "regular", "held_on": "2026-06-10", "starts_at": "19:30",
                "ends_at": "21:15", "place": "Nhà văn hóa khu 3", "chair": fx.duc.0,
                "minute_taker": fx.an.0,
                "attendance": [
                    {"member": fx.duc.0, "attendance": "present", "dues_paid": true},
                    {"member": fx.an.0, "attendance": "present", "dues_paid": false},
                ],
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let mid = r.json()["id"].as_i64().unwrap();
        let m = get(&sec, &format!("/api/v1/meetings/{mid}")).await.json();
        assert_eq!(m["dues_collected"].as_i64(), Some(due));

        // The book of June, on screen, in the API and in Excel.
        let r = get(
            &sec,
            &format!("/to-chuc/{}/dang-phi?thang=06/2026", fx.cell.0),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.has("SỔ THU ĐẢNG PHÍ") && r.has("THÁNG 06/2026"),
            "{}",
            r.body
        );
        assert!(r.has("Nguyễn Văn Đức") && r.has("Trần Văn An"));
        assert!(r.has("chưa khai"), "An has no basis: {}", r.body);
        let b = get(
            &sec,
            &format!("/api/v1/orgs/{}/dues/book?month=06/2026", fx.cell.0),
        )
        .await
        .json();
        assert_eq!(b["collected"].as_i64(), Some(due));
        assert_eq!(b["without_basis"], 1);
        assert_eq!(
            b["kept"].as_i64().unwrap() + b["remitted"].as_i64().unwrap(),
            due
        );
        let x = get(
            &sec,
            &format!("/to-chuc/{}/dang-phi.xlsx?thang=06%2F2026", fx.cell.0),
        )
        .await;
        assert_eq!(x.status, StatusCode::OK);
        assert_eq!(
            x.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            x.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("so-dang-phi-")
        );
        // A đảng bộ's dues page is its year's totals.
        let admin = Client::admin(&app).await;
        let t = get(&admin, &format!("/to-chuc/{}/dang-phi", fx.g1.0)).await;
        assert!(t.has("Tổng hợp thu đảng phí năm 2026"), "{}", t.body);
        assert!(t.has("Chi bộ Khu 3"));

        // Another cell's secretary: the page and the form answer like a member nobody has.
        let r = get(&stranger, &page).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post_form(
            &stranger,
            &format!("{page}/nop"),
            &[("from_month", "04/2026"), ("paid_on", "01/06/2026")],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = get(&stranger, &format!("/to-chuc/{}/dang-phi", fx.cell.0)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    });
}
