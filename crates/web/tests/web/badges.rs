//! Party badges on the pages and in the API: a day's list, proposed, approved, presented with
//! its number, in Excel, and out of scope.

use super::*;

#[tokio::test]
async fn a_grassroots_secretary_proposes_the_may_list_records_the_decision_and_the_numbers() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sys = Actor::new("kiểm thử");
        let mut rec = record("Lê Thị Thanh", "022080000011");
        rec.birth_date = d(1960, 2, 2);
        let thanh = app
            .create_member(&sys, NewMember::admitted(rec, fx.cell, d(1996, 4, 10)))
            .await
            .unwrap();
        let sec = Client::as_role(&app, "bithu.g1", Role::Secretary, Some(fx.g1), None).await;
        let page = format!("/to-chuc/{}/huy-hieu", fx.g1.0);
        let r = get(&sec, &format!("{page}?ngay=19/05/2026")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.has("Lê Thị Thanh")
                && r.has("Huy hiệu 30 năm tuổi Đảng")
                && r.has("Đủ điều kiện, chưa đề nghị"),
            "{}",
            r.body
        );
        // Not a presentation day: said so.
        let r = get(&sec, &format!("{page}?ngay=20/05/2026")).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.has("không phải ngày trao huy hiệu"), "{}", r.body);

        let post = |pairs: Vec<(&'static str, String)>| {
            let sec = sec.clone();
            let page = page.clone();
            async move {
                let v: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post_form(&sec, &page, &v).await
            }
        };
        let r = post(vec![
            ("day", "19/05/2026".into()),
            ("action", "propose_all".into()),
        ])
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post(vec![
            ("day", "19/05/2026".into()),
            ("action", "approve".into()),
            ("decision_ref", "88-QĐ/TU".into()),
            ("decided_on", "10/05/2026".into()),
            ("decided_by", "Ban Thường vụ Tỉnh ủy".into()),
        ])
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let j = get(
            &sec,
            &format!("/api/v1/orgs/{}/badges?day=19/05/2026", fx.g1.0),
        )
        .await
        .json();
        let line = j["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["member"] == thanh.0)
            .unwrap()
            .clone();
        assert_eq!(line["badge"]["status"], "approved");
        let badge = line["badge"]["id"].as_i64().unwrap();
        // A wrong number is named; the right one recorded.
        let r = post(vec![
            ("day", "19/05/2026".into()),
            ("action", "present".into()),
            ("badge", badge.to_string()),
            ("number", "12".into()),
            ("presented_on", "19/05/2026".into()),
        ])
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(r.has("Số huy hiệu: không đúng dạng"), "{}", r.body);
        let r = post(vec![
            ("day", "19/05/2026".into()),
            ("action", "present".into()),
            ("badge", badge.to_string()),
            ("number", "QN 300001".into()),
            ("presented_on", "19/05/2026".into()),
        ])
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&sec, &format!("/dang-vien/{}", thanh.0)).await;
        assert!(
            r.has("Huy hiệu 30 năm tuổi Đảng — Đã trao, số QN300001, trao ngày 19/05/2026"),
            "{}",
            r.body
        );
        let x = get(
            &sec,
            &format!("/to-chuc/{}/huy-hieu.xlsx?ngay=19%2F05%2F2026", fx.g1.0),
        )
        .await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(
            x.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("huy-hieu-")
        );
        let mine = get(&sec, &format!("/api/v1/members/{}/badges", thanh.0))
            .await
            .json();
        assert_eq!(mine[0]["number"], "QN300001");

        // Another đảng bộ's secretary: no list, no badge.
        let other =
            Client::as_role(&app, "bithu.khu4", Role::Secretary, Some(fx.cell2), None).await;
        let r = get(&other, &format!("{page}?ngay=19/05/2026")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post_json(
            &other,
            &format!("/api/v1/badges/{badge}/return"),
            json!({"on": "2026-06-01", "reason": "thử"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    });
}
