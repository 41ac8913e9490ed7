//! The member's path and its deadlines on the pages and in the API: the working-day calendar.

use super::*;

#[tokio::test]
async fn the_calendar_page_and_api_count_working_days_and_only_an_administrator_sets_a_day() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let admin = Client::admin(&app).await;
        let officer = Client::as_role(&app, "bantochuc", Role::Officer, Some(fx.city), None).await;

        let r = get(&officer, "/lich-lam-viec?nam=2026&tu=02/02/2026&so-ngay=60").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.has("<h1>Lịch làm việc năm 2026</h1>"));
        assert!(r.has("<td>17/02/2026</td><td>Thứ Ba</td><td>Nghỉ</td><td>Tết Nguyên đán</td>"));
        assert!(
            r.has("60 ngày làm việc kể từ 02/02/2026: hạn cuối là <strong>Thứ Năm, 07/05/2026</strong>"),
            "{}",
            r.body
        );
        assert!(!r.has("Sửa một ngày"), "the form is the administrator's");
        let r = get(&officer, "/lich-lam-viec?nam=2026&tu=31/02/2026&so-ngay=60").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.has("Từ ngày: là ngày không có thật"), "{}", r.body);
        let r = get(&officer, "/lich-lam-viec?nam=2030").await;
        assert!(r.has("Chưa có lịch nghỉ lễ, Tết chính thức của năm 2030"));

        // The administrator records the government's exchange of a day off.
        let r = post_form(
            &admin,
            "/lich-lam-viec",
            &[
                ("day", "29/04/2026"),
                ("day_kind", "off"),
                ("note", "Hoán đổi ngày làm việc"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.location.as_deref(),
            Some("/lich-lam-viec?nam=2026&ok=set")
        );
        let r = get(&admin, "/lich-lam-viec?nam=2026&ok=set").await;
        assert!(r.has("Đã cập nhật lịch làm việc."));
        assert!(r.has("<td>29/04/2026</td><td>Thứ Tư</td><td>Nghỉ</td><td>Hoán đổi ngày làm việc</td><td>quantri</td>"));
        let r = post_form(
            &admin,
            "/lich-lam-viec",
            &[("day", "29/04/2026"), ("day_kind", "gi-do"), ("note", "x")],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.has("Loại ngày: không hợp lệ"), "{}", r.body);

        // The API: the deadline follows the change; an officer may not set a day.
        let r = get(
            &officer,
            "/api/v1/calendar/deadline?from=2026-02-02&days=60",
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["deadline"], "2026-05-08");
        let r = get(&officer, "/api/v1/calendar/deadline?from=2026-02-02&days=0").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            r.json()["fields"]["days"],
            "phải từ 1 đến 2.000 ngày làm việc"
        );
        let r = get(&officer, "/api/v1/calendar?year=2026").await;
        let days = r.json()["days"].as_array().unwrap().clone();
        assert!(days.iter().any(|x| x["day"] == "2026-04-29"
            && x["kind"] == "off"
            && x["changed_by"] == "quantri"));
        let r = post_json(
            &officer,
            "/api/v1/calendar",
            json!({"day": "2026-06-01", "day_kind": "off", "note": "thử"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = post_json(
            &admin,
            "/api/v1/calendar",
            json!({"day": "2026-04-29", "day_kind": "default", "note": "bỏ"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["working"], true);
        let r = get(
            &officer,
            "/api/v1/calendar/deadline?from=02/02/2026&days=60",
        )
        .await;
        assert_eq!(r.json()["deadline"], "2026-05-07");
    });
}

#[tokio::test]
async fn a_mistaken_event_is_cancelled_on_the_member_page_and_through_the_api() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let admin = Client::admin(&app).await;
        let died = app
            .record_event(
                &Actor::new("kiểm thử"),
                fx.an,
                dangvu_app::members::NewEvent::simple(
                    dangvu_domain::member::EventKind::Died,
                    d(2024, 1, 10),
                ),
            )
            .await
            .unwrap();
        let page = format!("/dang-vien/{}/sua-su-kien", fx.an.0);
        // Without the decision's date and body: the form again, with the field named, nothing lost.
        let r = post_form(
            &admin,
            &page,
            &[
                ("event", &died.0.to_string()),
                ("reason", "Ghi nhầm"),
                ("decision_ref", "15-QĐ/ĐU"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.has("Ngày quyết định: chưa nhập") && r.has("Cơ quan quyết định: chưa nhập"),
            "{}",
            r.body
        );
        assert!(r.has("value=\"15-QĐ/ĐU\""), "the typed reference is kept");
        let r = post_form(
            &admin,
            &page,
            &[
                ("event", &died.0.to_string()),
                ("reason", "Ghi nhầm người"),
                ("decision_ref", "15-QĐ/ĐU"),
                ("decided_on", "01/03/2024"),
                ("decided_by", "Ban Thường vụ Đảng ủy"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&admin, &format!("/dang-vien/{}?ok=event_fixed", fx.an.0)).await;
        assert!(r.has("Đã hủy hoặc thay thế sự kiện"));
        assert!(r.has("Sự kiện đã hủy hoặc thay thế"));
        assert!(
            r.has("<del><span class=\"date\">10/01/2024</span> Từ trần</del>")
                && r.has("lý do: Ghi nhầm người")
                && r.has("15-QĐ/ĐU, Ban Thường vụ Đảng ủy, ngày 01/03/2024"),
            "{}",
            r.body
        );
        // The API: the event is gone from the timeline; a second cancel finds nothing.
        let j = get(&admin, &format!("/api/v1/members/{}", fx.an.0))
            .await
            .json();
        assert!(
            j["events"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["kind"] != "died"),
            "{j}"
        );
        let r = post_json(
            &admin,
            &format!("/api/v1/members/{}/event-corrections", fx.an.0),
            json!({"event": died.0, "reason": "x", "decision_ref": "1", "decided_on": "2024-03-01", "decided_by": "Đảng ủy"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(r.json()["error"], "not_found");
    });
}

#[tokio::test]
async fn a_committee_numbers_its_decisions_on_its_register_page_and_in_the_api() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let admin = Client::admin(&app).await;
        let page = format!("/to-chuc/{}/quyet-dinh", fx.g1.0);
        let r = post_form(
            &admin,
            &page,
            &[
                ("decision_kind", "admission"),
                ("signed_on", "03/02/2026"),
                ("summary", "Kết nạp đảng viên Nguyễn Văn An"),
                ("member", &fx.an.0.to_string()),
                ("signer", "Bí thư Trần Văn Bình"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.location.as_deref(),
            Some(format!("{page}?nam=2026&ok=issued").as_str())
        );
        let r = post_form(
            &admin,
            &page,
            &[
                ("decision_kind", "admission"),
                ("signed_on", "31/02/2026"),
                ("summary", ""),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.has("Ngày ký: là ngày không có thật"), "{}", r.body);
        let j = post_json(
            &admin,
            &format!("/api/v1/orgs/{}/decisions", fx.g1.0),
            json!({"decision_kind": "official", "signed_on": "2026-02-10", "summary": "Công nhận đảng viên chính thức"}),
        )
        .await;
        assert_eq!(j.status, StatusCode::CREATED, "{}", j.body);
        assert_eq!(j.json()["number"], "2-QĐ/ĐU");
        let r = get(&admin, &format!("{page}?nam=2026&ok=issued")).await;
        assert!(r.has("Đã vào sổ quyết định."));
        assert!(
            r.has("<td>1-QĐ/ĐU</td><td>03/02/2026</td><td>Kết nạp đảng viên</td><td>Kết nạp đảng viên Nguyễn Văn An</td>"),
            "{}",
            r.body
        );
        assert!(r.has("<td>2-QĐ/ĐU</td><td>10/02/2026</td>"));
        let j = get(
            &admin,
            &format!("/api/v1/orgs/{}/decisions?year=2026", fx.g1.0),
        )
        .await
        .json();
        let numbers: Vec<_> = j["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["number"].clone())
            .collect();
        assert_eq!(numbers, vec![json!("1-QĐ/ĐU"), json!("2-QĐ/ĐU")]);
        assert_eq!(j["decisions"][0]["member"], fx.an.0);
        // The decision about her is on her page.
        let r = get(&admin, &format!("/dang-vien/{}", fx.an.0)).await;
        assert!(
            r.has("<strong>1-QĐ/ĐU</strong> — Kết nạp đảng viên: Kết nạp đảng viên Nguyễn Văn An"),
            "{}",
            r.body
        );
        let r = post_json(
            &admin,
            &format!("/api/v1/orgs/{}/decisions", fx.g1.0),
            json!({"decision_kind": "x", "signed_on": "2026-02-10", "summary": "y"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["fields"]["decision_kind"], "chưa nhập");
    });
}

#[tokio::test]
async fn the_probation_list_shows_who_is_due_and_who_is_overdue() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let admin = Client::admin(&app).await;
        let new = |name: &str, cccd: &str, on| {
            let app = app.clone();
            let m = dangvu_app::members::NewMember {
                official: false,
                ..dangvu_app::members::NewMember::admitted(record(name, cccd), fx.cell, on)
            };
            async move { app.create_member(&Actor::new("kiểm thử"), m).await.unwrap() }
        };
        // Today is 15/6/2026: twelve months ended 20/1/2026 (overdue since 11/3), and
        // 2/6/2026 (due until 14/7).
        new("Lê Thị Lan", "022080000901", d(2025, 1, 20)).await;
        new("Phạm Văn Minh", "022080000902", d(2025, 6, 2)).await;
        let r = get(&admin, &format!("/to-chuc/{}/du-bi", fx.g1.0)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has(
                "<strong>1</strong> đến hạn xét công nhận chính thức, <strong>1</strong> quá hạn"
            ),
            "{}",
            r.body
        );
        assert!(r.has("Lê Thị Lan</a></td><td>Chi bộ Khu 3</td><td>20/01/2025</td><td>20/01/2026</td><td>10/03/2026</td><td>Quá hạn</td>"), "{}", r.body);
        assert!(r.has("<td>02/06/2026</td><td>14/07/2026</td><td>Đến hạn xét</td>"));
        let j = get(
            &admin,
            &format!("/api/v1/orgs/{}/probations?on=2026-02-01", fx.g1.0),
        )
        .await
        .json();
        let states: Vec<_> = j["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["name"].clone(), m["state"].clone()))
            .collect();
        assert_eq!(
            states,
            vec![
                (json!("Lê Thị Lan"), json!("due")),
                (json!("Phạm Văn Minh"), json!("not_yet"))
            ]
        );
        // Two official members and two probationary ones: R3 asks for three official.
        let j = get(&admin, &format!("/api/v1/orgs/{}", fx.cell.0))
            .await
            .json();
        assert_eq!(j["warnings"], json!(["too_few_official"]), "{j}");
        let r = get(&admin, &format!("/to-chuc/{}", fx.cell.0)).await;
        assert!(r.has("Tổ chức có dưới 3 đảng viên chính thức (R3)"));
    });
}

#[tokio::test]
async fn a_cell_takes_a_candidate_to_her_ceremony_through_the_pages_and_the_api() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let admin = Client::admin(&app).await;
        let sys = Actor::new("kiểm thử");
        // A third official member, so that two of three make two thirds.
        let third = app
            .create_member(
                &sys,
                dangvu_app::members::NewMember::admitted(
                    record("Hoàng Văn Sơn", "022080000911"),
                    fx.cell,
                    d(2005, 1, 1),
                ),
            )
            .await
            .unwrap();
        let list = format!("/to-chuc/{}/ket-nap", fx.cell.0);
        let r = post_form(
            &admin,
            &list,
            &[
                ("full_name", "Võ Thị Hạnh"),
                ("sex", "female"),
                ("birth_date", "31/02/2000"),
                ("on", "01/09/2025"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.has("Ngày sinh: là ngày không có thật") && r.has("value=\"Võ Thị Hạnh\""),
            "{}",
            r.body
        );
        let r = post_form(
            &admin,
            &list,
            &[
                ("full_name", "Võ Thị Hạnh"),
                ("sex", "female"),
                ("birth_date", "02/04/1998"),
                ("ethnicity", "Kinh"),
                ("on", "01/09/2025"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let to = r.location.unwrap();
        let id: i64 = to
            .trim_start_matches("/ket-nap/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let r = get(&admin, &to).await;
        assert!(
            r.has("Đã ghi vào danh sách quần chúng ưu tú.")
                && r.has("Ghi bước tiếp theo: Đối tượng kết nạp"),
            "{}",
            r.body
        );
        let stage = |pairs: Vec<(&'static str, String)>| {
            let admin = admin.clone();
            async move {
                let p: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post_form(&admin, &format!("/ket-nap/{id}/buoc"), &p).await
            }
        };
        let (duc, an) = (fx.duc.0.to_string(), fx.an.0.to_string());
        for pairs in [
            vec![
                ("stage", "candidate".to_owned()),
                ("on", "10/09/2025".into()),
                ("helper", duc.clone()),
            ],
            vec![
                ("stage", "awareness_class".to_owned()),
                ("on", "20/10/2025".into()),
                ("certificate", "123/CN".into()),
            ],
            vec![
                ("stage", "file_complete".to_owned()),
                ("on", "03/11/2025".into()),
            ],
        ] {
            let r = stage(pairs).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        // One introducer and no union resolution: refused, with the Vietnamese message.
        let r = stage(vec![
            ("stage", "cell_resolution".into()),
            ("on", "02/02/2026".into()),
            ("introducers", duc.clone()),
            ("introducers", String::new()),
            ("votes_for", "3".into()),
        ])
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.has("Người giới thiệu: cần hai đảng viên chính thức giới thiệu"),
            "{}",
            r.body
        );
        let r = stage(vec![
            ("stage", "cell_resolution".into()),
            ("on", "02/02/2026".into()),
            ("introducers", duc.clone()),
            ("introducers", an.clone()),
            ("votes_for", "3".into()),
            ("votes_against", "0".into()),
        ])
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The API takes her on: the list shows the decision overdue (60 working days from
        // 2/2/2026 ended 7/5/2026; today is 15/6/2026).
        let j = get(&admin, &format!("/api/v1/orgs/{}/candidates", fx.g1.0))
            .await
            .json();
        let c = &j["candidates"][0];
        assert_eq!(
            (
                c["next"].clone(),
                c["due_by"].clone(),
                c["due_state"].clone()
            ),
            (
                json!("grassroots_resolution"),
                json!("2026-05-07"),
                json!("overdue")
            )
        );
        let r = post_json(
            &admin,
            &format!("/api/v1/candidates/{id}/stages"),
            json!({"stage": "grassroots_resolution", "on": "2026-02-10"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = post_json(&admin, &format!("/api/v1/candidates/{id}/stages"), json!({"stage": "decision", "on": "2026-03-02", "decision_ref": "12-QĐ/ĐU", "decided_on": "2026-03-02", "decided_by": "Ban Thường vụ Đảng ủy"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = post_json(
            &admin,
            &format!("/api/v1/candidates/{id}/stages"),
            json!({"stage": "ceremony", "on": "2026-03-20", "place": "Nhà văn hóa khu 3"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let m = r.json()["member"].as_i64().unwrap();
        let r = get(&admin, &format!("/dang-vien/{m}")).await;
        assert!(
            r.has("Võ Thị Hạnh") && r.has("Lễ kết nạp ngày 20/03/2026 tại Nhà văn hóa khu 3"),
            "{}",
            r.body
        );
        let r = get(&admin, &list).await;
        assert!(r.has("Đã kết nạp") && r.has(&format!("/dang-vien/{m}")));
        let _ = third;
    });
}
