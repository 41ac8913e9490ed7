//! Transfers of party activity on the pages and in the API (R10): the letter, the lists of
//! both sides, the acceptance and the printed letter.

use super::*;

#[tokio::test]
async fn a_transfer_letter_is_issued_seen_by_both_sides_printed_and_accepted() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let a = Actor::new("kiểm thử");
        let g2 = app
            .create_org(
                &a,
                NewOrg {
                    name: "Đảng bộ phường Bắc Sơn".into(),
                    kind: OrgKind::DangBoCoSo,
                    parent: Some(fx.city),
                    founded_on: d(1975, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap();
        let host = app
            .create_org(
                &a,
                NewOrg {
                    name: "Chi bộ Khu 7".into(),
                    kind: OrgKind::ChiBoTrucThuoc,
                    parent: Some(g2),
                    founded_on: d(1975, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap();
        app.add_card(
            &a,
            fx.an,
            "87654321",
            dangvu_domain::member::CardGeneration::Ct29_2003,
            d(2008, 3, 2),
        )
        .await
        .unwrap();
        let sender = Client::as_role(&app, "bithu.g1", Role::Secretary, Some(fx.g1), None).await;
        let receiver = Client::as_role(&app, "bithu.g2", Role::Secretary, Some(g2), None).await;
        let stranger =
            Client::as_role(&app, "bithu.khu4", Role::Secretary, Some(fx.cell2), None).await;
        let page = format!("/dang-vien/{}", fx.an.0);
        let r = get(&sender, &page).await;
        assert!(r.has("Lập giấy giới thiệu"), "{}", r.body);

        // Refused with the field named in Vietnamese, and what was typed kept.
        let r = post_form(
            &sender,
            &format!("{page}/chuyen-sinh-hoat"),
            &[
                ("transfer_kind", "official"),
                ("on", "01/06/2026"),
                ("destination_org", &host.0.to_string()),
                ("dues_paid_to", "13/2026"),
                ("transfer_reason", "new_job"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(
            r.has("Đã đóng đảng phí hết tháng: không đúng dạng tháng/năm"),
            "{}",
            r.body
        );
        assert!(r.has("value=\"13/2026\""));

        let r = post_form(
            &sender,
            &format!("{page}/chuyen-sinh-hoat"),
            &[
                ("transfer_kind", "official"),
                ("on", "01/06/2026"),
                ("destination_org", &host.0.to_string()),
                ("dues_paid_to", "05/2026"),
                ("transfer_reason", "moved_home"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let location = r.location.clone().unwrap();
        let (to, ok) = location.split_once('?').unwrap();
        assert_eq!(ok, "ok=sent");
        let to = to.to_owned();
        let id: i64 = to.trim_start_matches("/chuyen-sinh-hoat/").parse().unwrap();
        let r = get(&sender, &location).await;
        assert!(r.has("Đã ghi giấy giới thiệu sinh hoạt đảng."));
        assert!(r.has("Đang chuyển (chờ tiếp nhận)"), "{}", r.body);
        assert!(!r.has("Tiếp nhận đảng viên"), "the sender does not accept");

        // The printed letter: the committee, the card, the dues month, the validity.
        let r = get(&sender, &format!("{to}/giay-gioi-thieu")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.has("GIẤY GIỚI THIỆU"));
        assert!(r.has("ĐẢNG BỘ TỈNH QUẢNG NINH"), "{}", r.body);
        assert!(r.has("Số thẻ đảng viên (TĐV): 87654321"));
        assert!(r.has("Đã đóng đảng phí hết tháng 05/2026."));
        let valid = app.deadline(d(2026, 6, 1), 30).await.unwrap();
        assert!(r.has(&format!(
            "có giá trị đến hết {}",
            dangvu_domain::date::format_vn(valid)
        )));
        assert!(r.has("Thay đổi nơi cư trú"));
        // The same letter as a PDF, every diacritic kept.
        let r = get(&sender, &format!("{to}/giay-gioi-thieu.pdf")).await;
        if let Some(text) = crate::pdf::text_of(&r) {
            for s in [
                "GIẤY GIỚI THIỆU",
                "ĐẢNG BỘ TỈNH QUẢNG NINH",
                "ĐẢNG CỘNG SẢN VIỆT NAM",
                "Số thẻ đảng viên (TĐV): 87654321",
                "Đã đóng đảng phí hết tháng 05/2026.",
                "BÍ THƯ",
            ] {
                assert!(text.contains(s), "{s}: {text}");
            }
        }

        // Both sides' lists; nobody else sees it.
        let r = get(&sender, &format!("/to-chuc/{}/chuyen-sinh-hoat", fx.g1.0)).await;
        assert!(
            r.has("<strong>1</strong> đảng viên đang chuyển đi"),
            "{}",
            r.body
        );
        assert!(r.has("Trần Văn An"));
        let r = get(&receiver, &format!("/to-chuc/{}/chuyen-sinh-hoat", g2.0)).await;
        assert!(r.has("<strong>1</strong> đang chuyển đến"), "{}", r.body);
        let j = get(&receiver, &format!("/api/v1/orgs/{}/due", g2.0))
            .await
            .json();
        assert_eq!(j["due"]["transfers_in"], 1);
        assert_eq!(j["due"]["transfers_overdue"], 0);
        let r = get(&receiver, &format!("/to-chuc/{}/viec-den-han", g2.0)).await;
        assert!(r.has("Chuyển sinh hoạt chính thức chờ tiếp nhận (30 ngày làm việc): 0 chuyển đi, 1 chuyển đến"), "{}", r.body);
        let j = get(&receiver, &format!("/api/v1/orgs/{}/transfers", g2.0))
            .await
            .json();
        assert_eq!(j["transfers"][0]["status"], "pending");
        assert_eq!(j["transfers"][0]["side"], "receiving");
        assert_eq!(j["transfers"][0]["dues_paid_to"], "05/2026");
        assert_eq!(
            j["transfers"][0]["present_by"],
            dangvu_domain::date::iso(valid)
        );
        for path in [
            to.clone(),
            format!("/api/v1/transfers/{id}"),
            format!("{to}/giay-gioi-thieu"),
        ] {
            assert_eq!(
                get(&stranger, &path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let r = post_json(
            &stranger,
            &format!("/api/v1/transfers/{id}/accept"),
            json!({"on": "2026-06-10"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post_json(
            &stranger,
            &format!("/api/v1/transfers/{}/accept", id + 1000),
            json!({"on": "2026-06-10"}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "the same answer as a transfer nobody has"
        );

        // The receiving side accepts her on its page: she is in its cell, with her path kept.
        let r = get(&receiver, &to).await;
        assert!(r.has("Tiếp nhận đảng viên"), "{}", r.body);
        let r = post_form(
            &receiver,
            &format!("{to}/tiep-nhan"),
            &[("org", &host.0.to_string()), ("on", "10/06/2026")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&receiver, &format!("/to-chuc/{}/dang-vien", host.0)).await;
        assert!(r.has("Trần Văn An"), "{}", r.body);
        let j = get(&receiver, &format!("/api/v1/members/{}", fx.an.0))
            .await
            .json();
        let events = j["events"].as_array().unwrap();
        assert!(
            events
                .iter()
                .any(|e| e["kind"] == "transferred_out" && e["org"] == host.0)
        );
        assert!(
            events
                .iter()
                .any(|e| e["kind"] == "transferred_in" && e["org"] == host.0)
        );
        let j = get(&sender, &format!("/api/v1/transfers/{id}"))
            .await
            .json();
        assert_eq!(j["status"], "accepted");
        assert_eq!(j["accepted_cell"], host.0);

        // The API names a bad field in Vietnamese.
        let r = post_json(
            &receiver,
            &format!("/api/v1/members/{}/transfers", fx.an.0),
            json!({"transfer_kind": "temporary", "on": "2026-06-12", "destination_org": fx.cell.0, "transfer_reason": "study", "dues_paid_to": "06/2026", "planned_return": "2028-07-01"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(
            r.json()["fields"]["planned_return"],
            "quá thời hạn sinh hoạt tạm thời (tối đa 1 năm; đi học tập trung tối đa 2 năm)"
        );
    });
}

#[tokio::test]
async fn education_without_progress_is_flagged_on_the_member_page_and_in_the_api() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::as_role(&app, "bithu.khu3", Role::Secretary, Some(fx.cell), None).await;
        let page = format!("/dang-vien/{}", fx.an.0);
        let r = post_form(
            &c,
            &format!("{page}/giao-duc"),
            &[("on", "01/05/2025"), ("reason", "")],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.has("Lý do: chưa nhập"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("{page}/giao-duc"),
            &[
                ("on", "01/05/2025"),
                ("reason", "Chưa gương mẫu ở khu dân cư"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&c, &page).await;
        assert!(
            r.has("Chưa gương mẫu ở khu dân cư — đang giáo dục, giúp đỡ"),
            "{}",
            r.body
        );
        assert!(r.has("Đã quá 12 tháng giáo dục, giúp đỡ"), "{}", r.body);
        let j = get(&c, &format!("/api/v1/members/{}", fx.an.0))
            .await
            .json();
        assert_eq!(j["flags"][0]["code"], "education_no_progress");
        let j = get(&c, &format!("/api/v1/members/{}/education", fx.an.0))
            .await
            .json();
        let case = j["education"][0]["id"].as_i64().unwrap();
        let r = post_json(
            &c,
            &format!("/api/v1/members/{}/education/{case}", fx.an.0),
            json!({"on": "2026-06-01", "outcome": "progressed"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let j = get(&c, &format!("/api/v1/members/{}", fx.an.0))
            .await
            .json();
        assert_eq!(j["flags"], json!([]));
        assert!(get(&c, &page).await.has("Tiến bộ ngày 01/06/2026"));
    });
}
