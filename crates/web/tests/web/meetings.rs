//! Cell meetings through the router: the form with every member's attendance and the
//! vote, Vietnamese errors, the minutes in the Party's layout, adoption and lock, the API.

use dangvu_app::orgs::Appointment;
use dangvu_testkit::on_every_backend;
use serde_json::json;

use super::{Client, fixture, get, post_form, post_json};

#[tokio::test]
async fn a_cell_records_a_meeting_adopts_and_locks_its_minutes() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        // Both pay 1 % of 6,000,000 a month: the meeting's total comes from the ledger.
        for m in [fx.duc, fx.an] {
            app.set_dues_basis(
                &dangvu_app::Actor::new("kiểm thử"),
                m,
                dangvu_app::dues::BasisInput {
                    from: dangvu_testkit::d(2026, 1, 1),
                    basis: dangvu_domain::dues::DuesBasis {
                        category: dangvu_domain::dues::DuesCategory::Salaried,
                        income: Some(6_000_000),
                        flat: None,
                    },
                    note: None,
                },
            )
            .await
            .unwrap();
        }
        let c = Client::admin(&app).await;
        let (cell, duc, an) = (fx.cell.0, fx.duc.0, fx.an.0);
        let page = get(&c, &format!("/to-chuc/{cell}/sinh-hoat")).await;
        assert_eq!(page.status.as_u16(), 200);
        assert!(
            page.has("Tình hình dự họp của Nguyễn Văn Đức"),
            "{}",
            page.body
        );
        let org_page = get(&c, &format!("/to-chuc/{cell}")).await;
        assert!(org_page.has(&format!("/to-chuc/{cell}/sinh-hoat")));
        // g1 pushes a dissemination to its cells; the cell adds an item of its own.
        let g1 = fx.g1.0;
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/chuong-trinh"),
            &[
                ("month", "13/2026"),
                ("item_kind", "disseminate"),
                ("title", "Quán triệt Nghị quyết 57"),
                ("reference", "57-NQ/TW"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Tháng: không đúng dạng tháng/năm"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/chuong-trinh"),
            &[
                ("month", "06/2026"),
                ("item_kind", "disseminate"),
                ("title", "Quán triệt Nghị quyết 57"),
                ("reference", "57-NQ/TW"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{cell}/noi-dung"),
            &[("month", "06/2026"), ("item_kind", "ho_chi_minh")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let back = get(&c, r.location.as_deref().unwrap()).await;
        assert!(
            back.has("Đã thêm nội dung vào chương trình."),
            "{}",
            back.body
        );
        assert!(
            back.has("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
            "the catalogue names it"
        );
        let items = app
            .programme(&dangvu_app::Actor::new("kiểm thử"), fx.cell, 2026)
            .await
            .unwrap();
        assert_eq!(items.len(), 2);
        let pushed_item = items
            .iter()
            .find(|i| i.push.is_some())
            .unwrap()
            .id
            .to_string();
        let (duc_s, an_s) = (duc.to_string(), an.to_string());
        let mut form: Vec<(String, String)> = [
            ("kind", "regular"),
            ("held_on", "10/06/2026"),
            ("starts_at", "19:30"),
            ("ends_at", "20:15"),
            ("place", ""),
            ("chair", duc_s.as_str()),
            ("minute_taker", an_s.as_str()),
            ("topic", "Quán triệt Nghị quyết; nhiệm vụ tháng 7"),
            ("resolution", "Chi bộ thống nhất nhiệm vụ tháng 7."),
            ("votes_yes", "2"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        form.push((format!("att_{duc}"), "present".into()));
        form.push((format!("dues_{duc}"), "1".into()));
        form.push((format!("att_{an}"), "present".into()));
        form.push((format!("dues_{an}"), "1".into()));
        form.push(("items".into(), pushed_item.clone()));
        let send = |f: Vec<(String, String)>| {
            let c = c.clone();
            async move {
                let v: Vec<(&str, &str)> =
                    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                post_form(&c, &format!("/to-chuc/{cell}/sinh-hoat"), &v).await
            }
        };
        let r = send(form.clone()).await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Địa điểm: chưa nhập"), "{}", r.body);
        assert!(r.has("Quán triệt Nghị quyết"), "the typed text is kept");
        form[4].1 = "Nhà văn hóa khu 3".into();
        // Three votes from two official members present: refused with the rule's words.
        form[9].1 = "3".into();
        let r = send(form.clone()).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(
            r.has("số phiếu vượt số đảng viên chính thức có mặt"),
            "{}",
            r.body
        );
        form[9].1 = "2".into();
        let r = send(form.clone()).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let loc = r.location.clone().unwrap();
        let id: i64 = loc
            .trim_start_matches("/sinh-hoat/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let minutes = get(&c, &format!("/sinh-hoat/{id}")).await;
        for s in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "CHI BỘ KHU 3",
            "BIÊN BẢN",
            "SINH HOẠT THƯỜNG KỲ THÁNG 06/2026",
            "Nhà văn hóa khu 3, ngày 10 tháng 06 năm 2026",
            "Đảng phí thu được: 120.000 đồng",
            "tán thành 2",
            "Nghị quyết được thông qua.",
            "Quán triệt Nghị quyết 57 (57-NQ/TW)",
            // 45 minutes after Chỉ thị 50.
            "dưới 90 phút",
        ] {
            assert!(minutes.has(s), "{s}: {}", minutes.body);
        }
        let pushes = get(&c, &format!("/to-chuc/{g1}/chuong-trinh")).await;
        assert!(
            pushes.has("2/2 chi bộ đã đưa vào chương trình; 1 chi bộ đã sinh hoạt."),
            "{}",
            pushes.body
        );
        let r = post_form(&c, &format!("/sinh-hoat/{id}/thong-qua"), &[]).await;
        assert_eq!(r.status.as_u16(), 303);
        let r = post_form(&c, &format!("/sinh-hoat/{id}/thong-qua"), &[]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(
            r.has("đã được thông qua và khóa: thay đổi phải ghi thành đính chính"),
            "{}",
            r.body
        );
        // The API: the meeting as recorded, a new one through JSON, the year's due months.
        let j = get(&c, &format!("/api/v1/meetings/{id}")).await.json();
        assert_eq!(j["status"], "adopted");
        assert_eq!(j["quorum"]["present_voters"], 2);
        assert_eq!(j["flags"][0]["rule"], "R18");
        let r = post_json(&c, "/api/v1/meetings", json!({"org": cell, "kind": "thematic", "held_on": "2026-06-12", "starts_at": "08:00", "ends_at": "10:00", "place": "Hội trường", "attendance": [{"member": duc, "attendance": "present", "dues_paid": true}]})).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert_eq!(r.json()["error"], "attendance_incomplete");
        let r = post_json(&c, "/api/v1/meetings", json!({"org": cell, "kind": "thematic", "held_on": "2026-06-12", "starts_at": "08:00", "ends_at": "10:00", "place": "Hội trường", "attendance": [{"member": duc, "attendance": "present", "dues_paid": true}, {"member": an, "attendance": "absent_excused", "reason": "Ốm"}]})).await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let j = get(&c, &format!("/api/v1/orgs/{cell}/meetings?nam=2026"))
            .await
            .json();
        assert_eq!(j["meetings"].as_array().unwrap().len(), 2);
        // The cell existed all year: January–May had no regular meeting.
        assert_eq!(j["due"]["months_missing"].as_array().unwrap().len(), 5);
    });
}

#[tokio::test]
async fn a_member_is_introduced_attached_met_and_commented_where_she_lives() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let (g1, cell2, duc) = (fx.g1.0, fx.cell2.0, fx.duc.0);
        // The workplace introduces Đức to the residence committee (here g1, its cell Khu 4).
        let r = post_form(
            &c,
            &format!("/dang-vien/{duc}/noi-cu-tru"),
            &[("residence_org", &g1.to_string()), ("on", "32/01/2026")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Ngày: là ngày không có thật"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("/dang-vien/{duc}/noi-cu-tru"),
            &[("residence_org", &g1.to_string()), ("on", "05/01/2026")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let record = get(&c, &format!("/dang-vien/{duc}")).await;
        assert!(record.has("Sinh hoạt nơi cư trú") && record.has("05/01/2026"));
        let page = get(&c, &format!("/to-chuc/{g1}/noi-cu-tru")).await;
        assert!(page.has("Nguyễn Văn Đức"), "{}", page.body);
        assert!(
            !page.has("6 tháng đầu năm 2026"),
            "the half-year is not over"
        );
        let link = app
            .residence_links(&dangvu_app::Actor::new("kiểm thử"), fx.duc)
            .await
            .unwrap()[0]
            .id
            .to_string();
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/noi-cu-tru"),
            &[
                ("action", "attach"),
                ("link", &link),
                ("cell", &cell2.to_string()),
                ("on", "10/01/2026"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/noi-cu-tru"),
            &[
                ("action", "meeting"),
                ("held_on", "01/03/2026"),
                ("place", "Nhà văn hóa khu 4"),
                (&format!("att_{duc}"), "present"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/noi-cu-tru"),
            &[
                ("action", "comment"),
                ("member", &duc.to_string()),
                ("content", ""),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Nội dung: chưa nhập"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/noi-cu-tru"),
            &[
                ("action", "comment"),
                ("member", &duc.to_string()),
                ("content", "Gương mẫu ở khu dân cư."),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/noi-cu-tru"),
            &[("action", "certify"), ("member", &duc.to_string())],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = get(&c, &format!("/to-chuc/{g1}/noi-cu-tru")).await;
        assert!(
            page.has("Gương mẫu ở khu dân cư. <em>(đã xác nhận 15/06/2026)</em>"),
            "{}",
            page.body
        );
    });
}

#[tokio::test]
async fn minutes_are_scored_corrected_and_the_superior_sees_its_cells() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let (g1, cell, duc, an) = (fx.g1.0, fx.cell.0, fx.duc.0, fx.an.0);
        // An sits on g1's committee: he may attend for the superior and be assigned to Khu 3.
        app.appoint(
            &dangvu_app::Actor::new("kiểm thử"),
            fx.g1,
            &Appointment::new(
                fx.an,
                dangvu_domain::org::Position::PhoBiThu,
                "2025–2030",
                dangvu_domain::date::parse_date("x", "01/01/2026").unwrap(),
                None,
            ),
        )
        .await
        .unwrap();
        let report = format!("/to-chuc/{g1}/bao-cao-sinh-hoat?tu=01/01/2026&den=31/05/2026");
        let page = get(&c, &report).await;
        assert!(
            page.has("Phân công cấp ủy viên dự sinh hoạt chi bộ"),
            "{}",
            page.body
        );
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/phan-cong"),
            &[
                ("cell", &cell.to_string()),
                ("member", &duc.to_string()),
                ("from", "01/01/2026"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(
            r.has("không phải cấp ủy viên cấp trên của chi bộ vào ngày đó"),
            "{}",
            r.body
        );
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/phan-cong"),
            &[
                ("cell", &cell.to_string()),
                ("member", &an.to_string()),
                ("from", "01/01/2026"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let form_page = get(&c, &format!("/to-chuc/{cell}/sinh-hoat")).await;
        assert!(
            form_page.has("Cấp ủy viên cấp trên dự"),
            "{}",
            form_page.body
        );
        assert!(
            form_page.has("Công tác chuẩn bị"),
            "the template's criteria"
        );
        let (duc_s, an_s) = (duc.to_string(), an.to_string());
        let mut form: Vec<(String, String)> = [
            ("kind", "combined"),
            ("held_on", "10/03/2026"),
            ("starts_at", "19:30"),
            ("ends_at", "21:45"),
            ("place", "Nhà văn hóa khu 3"),
            ("chair", duc_s.as_str()),
            ("minute_taker", an_s.as_str()),
            ("topic", "Học tập tư tưởng Hồ Chí Minh"),
            ("resolution", "Chi bộ thống nhất nhiệm vụ quý II."),
            ("votes_yes", "2"),
            ("guests", an_s.as_str()),
            ("task_member", an_s.as_str()),
            ("task_text", "Chuẩn bị báo cáo quý II"),
            ("task_member", ""),
            ("task_text", ""),
            ("score_preparation", "21"),
            ("score_attendance", "18"),
            ("score_conduct", "18"),
            ("score_principles", "17"),
            ("score_resolution", "17"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for m in [duc, an] {
            form.push((format!("att_{m}"), "present".into()));
            form.push((format!("dues_{m}"), "1".into()));
        }
        let send = |f: Vec<(String, String)>| {
            let c = c.clone();
            async move {
                let v: Vec<(&str, &str)> =
                    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                post_form(&c, &format!("/to-chuc/{cell}/sinh-hoat"), &v).await
            }
        };
        let r = send(form.clone()).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(
            r.has("Chấm điểm chất lượng sinh hoạt: điểm vượt mức tối đa của tiêu chí"),
            "{}",
            r.body
        );
        form[15].1 = "20".into();
        let r = send(form.clone()).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let id: i64 = r
            .location
            .as_deref()
            .unwrap()
            .trim_start_matches("/sinh-hoat/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let minutes = get(&c, &format!("/sinh-hoat/{id}")).await;
        for s in [
            "Cấp ủy cấp trên dự: Trần Văn An",
            "Phân công nhiệm vụ tháng tới",
            "Trần Văn An: Chuẩn bị báo cáo quý II",
            "90/100 điểm — Tốt",
        ] {
            assert!(minutes.has(s), "{s}: {}", minutes.body);
        }
        // A new score from the minutes page.
        let r = post_form(
            &c,
            &format!("/sinh-hoat/{id}/cham-diem"),
            &[
                ("score_preparation", "15"),
                ("score_attendance", "15"),
                ("score_conduct", "15"),
                ("score_principles", "15"),
                ("score_resolution", "15"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(
            get(&c, r.location.as_deref().unwrap())
                .await
                .has("75/100 điểm — Khá")
        );
        // Adopted, then corrected with a reason (R15): the old value stays beside the new.
        let r = post_form(&c, &format!("/sinh-hoat/{id}/thong-qua"), &[]).await;
        assert_eq!(r.status.as_u16(), 303);
        let corr = format!("/sinh-hoat/{id}/dinh-chinh");
        let r = post_form(
            &c,
            &corr,
            &[
                ("field", "place"),
                ("value", "Hội trường khu 3"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Lý do"), "{}", r.body);
        let r = post_form(
            &c,
            &corr,
            &[
                ("field", "place"),
                ("value", "Hội trường khu 3"),
                ("reason", "Ghi nhầm địa điểm"),
                ("decision_ref", "02-BB/CB"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let minutes = get(&c, r.location.as_deref().unwrap()).await;
        for s in [
            "Đã ghi đính chính.",
            "Đính chính biên bản (R15)",
            "Nhà văn hóa khu 3",
            "Hội trường khu 3",
            "Ghi nhầm địa điểm",
            "02-BB/CB",
        ] {
            assert!(minutes.has(s), "{s}: {}", minutes.body);
        }
        // The API: a correction of one member's attendance, a score, the templates.
        let r = post_json(&c, &format!("/api/v1/meetings/{id}/corrections"), json!({"field": "attendance", "member": an, "attendance": "absent_excused", "absence": "Ốm", "dues_paid": true, "reason": "Xác minh lại"})).await;
        assert_eq!(
            r.status.as_u16(),
            422,
            "the minute-taker was present: {}",
            r.body
        );
        assert_eq!(r.json()["error"], "chair_absent");
        let r = post_json(
            &c,
            &format!("/api/v1/meetings/{id}/corrections"),
            json!({"field": "dues_collected", "value": "40.000", "reason": "Thu bổ sung"}),
        )
        .await;
        // The total is the ledger's: it cannot be typed over.
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert_eq!(r.json()["error"], "dues_in_ledger");
        let j = get(&c, &format!("/api/v1/meetings/{id}")).await.json();
        assert_eq!(j["corrections"].as_array().unwrap().len(), 1);
        assert_eq!(j["guests"][0]["name"], "Trần Văn An");
        let r = post_json(&c, &format!("/api/v1/meetings/{id}/score"), json!({"scores": {"preparation": 20, "attendance": 20, "conduct": 20, "principles": 20, "resolution": 20}})).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(r.json()["total"], 100);
        let t = get(&c, "/api/v1/scoring-templates").await.json();
        assert_eq!(t[0]["criteria"].as_array().unwrap().len(), 5);
        // The superior's report: Khu 3 met in March (combined), Khu 4 never; January, February,
        // April and May have no regular meeting in Khu 3; the assigned member attended 1/1.
        let page = get(&c, &report).await;
        for s in [
            "Báo cáo tình hình sinh hoạt chi bộ",
            "Chi bộ Khu 3",
            "Chi bộ Khu 4",
            "01/2026, 02/2026, 04/2026, 05/2026",
            "Trần Văn An (dự 1/1)",
            "100 (1 buổi: Tốt 1)",
            "Học tập tư tưởng Hồ Chí Minh",
            "Chưa sinh hoạt đủ (R16)",
            "Đảng bộ phường Nam Khê",
        ] {
            assert!(page.has(s), "{s}: {}", page.body);
        }
        let j = get(
            &c,
            &format!("/api/v1/orgs/{g1}/meetings/report?tu=2026-01-01&den=2026-05-31"),
        )
        .await
        .json();
        assert_eq!(j["total"]["meetings"], 1);
        assert_eq!(j["total"]["months_due"], 10);
        assert_eq!(j["total"]["months_held"], 1);
        assert_eq!(j["cells"].as_array().unwrap().len(), 2);
        assert_eq!(
            j["assemblies"][0]["halves_missing"]
                .as_array()
                .unwrap()
                .len(),
            0,
            "no whole half-year yet"
        );
        let r = get(
            &c,
            &format!("/api/v1/orgs/{g1}/meetings/report?tu=31/05/2026&den=01/01/2026"),
        )
        .await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.json()["error"], "period_reversed");
        for x in [
            format!("/to-chuc/{g1}/bao-cao-sinh-hoat.xlsx?tu=01/01/2026&den=31/05/2026"),
            format!("/api/v1/orgs/{g1}/meetings/report.xlsx?tu=01/01/2026"),
        ] {
            let x = get(&c, &x).await;
            assert_eq!(x.status.as_u16(), 200);
            assert_eq!(
                x.headers[axum::http::header::CONTENT_TYPE],
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
            assert!(x.body.starts_with("PK"));
        }
        // g1's own page: it never met as a whole đảng bộ in 2025 (R16: twice a year).
        let own = get(&c, &format!("/to-chuc/{g1}/sinh-hoat?nam=2025")).await;
        assert!(own.has("Chưa họp toàn đảng bộ (2 lần/năm, R16): 6 tháng đầu năm 2025, 6 tháng cuối năm 2025."), "{}", own.body);
        assert!(own.has("Tình hình sinh hoạt các chi bộ năm 2025"));
        let r = post_json(
            &c,
            "/api/v1/meetings/assignments",
            json!({"cell": g1, "member": an, "from": "2026-02-01"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.json()["error"], "not_a_cell");
        let r = post_json(
            &c,
            "/api/v1/meetings/assignments",
            json!({"cell": fx.cell2.0, "member": an, "from": "2026-02-01"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    });
}

#[tokio::test]
async fn residence_contact_and_member_search_work_through_the_api() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let (g1, cell2, duc) = (fx.g1.0, fx.cell2.0, fx.duc.0);
        // A bad date and a missing committee are named, field by field.
        let r = post_json(
            &c,
            &format!("/api/v1/members/{duc}/residence"),
            json!({"on": "32/01/2026"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        let e = r.json();
        assert!(
            e["fields"]["residence"].is_string() && e["fields"]["on"].is_string(),
            "{e}"
        );
        let r = post_json(
            &c,
            &format!("/api/v1/members/{duc}/residence"),
            json!({"residence": g1, "on": "2026-01-05"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let link = r.json()["id"].as_i64().unwrap();
        let j = get(&c, &format!("/api/v1/members/{duc}/residence"))
            .await
            .json();
        assert_eq!(j["links"][0]["id"], link);
        assert_eq!(j["links"][0]["introduced_on"], "2026-01-05");
        assert_eq!(j["links"][0]["residence"], g1);
        let r = post_json(
            &c,
            &format!("/api/v1/residence/links/{link}/attach"),
            json!({"cell": cell2, "on": "10/01/2026"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/orgs/{g1}/residence/meetings"),
            json!({"held_on": "2026-03-01", "place": "Nhà văn hóa khu 4",
                   "attendance": [{"member": duc, "attendance": "present"}]}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/members/{duc}/residence/comments"),
            json!({"year": 2026, "content": ""}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(r.json()["fields"]["content"].is_string(), "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/members/{duc}/residence/comments"),
            json!({"year": 2026, "content": "Gương mẫu ở khu dân cư."}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/members/{duc}/residence/certify"),
            json!({"year": 2026}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let j = get(&c, &format!("/api/v1/orgs/{g1}/residence?year=2026"))
            .await
            .json();
        assert_eq!(j["links"][0]["name"], "Nguyễn Văn Đức");
        assert_eq!(j["links"][0]["cell"], cell2);
        assert_eq!(j["comments"][0]["content"], "Gương mẫu ở khu dân cư.");
        assert_eq!(j["comments"][0]["certified_on"], "2026-06-15");
        // A second certification is refused.
        let r = post_json(
            &c,
            &format!("/api/v1/members/{duc}/residence/certify"),
            json!({"year": 2026}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert_eq!(r.json()["error"], "comment_certified");
        // Member search: without diacritics, in the actor's whole scope or one subtree.
        let j = get(&c, "/api/v1/members?q=nguyen%20van%20duc").await.json();
        assert_eq!(j["total"], 1, "{j}");
        assert_eq!(j["items"][0]["full_name"], "Nguyễn Văn Đức");
        let j = get(&c, &format!("/api/v1/members?q=duc&org={cell2}"))
            .await
            .json();
        assert_eq!(j["total"], 0, "{j}");
        let r = get(&c, "/api/v1/members?q=a%20b%20c%20d%20e%20f%20g").await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(r.json()["fields"]["q"].is_string(), "{}", r.body);
    });
}

/// A record sent again with the same key (a phone that lost the answer and sends what it kept
/// offline) is recorded once; a refused sending frees its key for the corrected one; a key that
/// is not a key is refused by name.
#[tokio::test]
async fn a_meeting_sent_twice_with_its_key_is_recorded_once() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::as_role(
            &app,
            "bithu.khu3",
            dangvu_domain::access::Role::Secretary,
            Some(fx.cell),
            None,
        )
        .await;
        let (duc, an, cell) = (fx.duc.to_string(), fx.an.to_string(), fx.cell);
        let att_duc = format!("att_{duc}");
        let att_an = format!("att_{an}");
        let form = |place: &'static str, key: &'static str| {
            vec![
                ("_key", key),
                ("kind", "regular"),
                ("held_on", "10/06/2026"),
                ("starts_at", "19:30"),
                ("ends_at", "20:30"),
                ("place", place),
                ("resolution", "Chi bộ thống nhất nhiệm vụ tháng 7."),
                ("votes_yes", "2"),
                (att_duc.as_str(), "present"),
                (att_an.as_str(), "present"),
            ]
        };
        let path = format!("/to-chuc/{cell}/sinh-hoat");
        let key = "7f7e2a9c-0b1d-4c55-9a51-2f0d3c1e8b11";
        // Refused (no place): nothing recorded, and the key is free again.
        let r = post_form(&c, &path, &form("", key)).await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(
            r.has(&format!("value=\"{key}\"")),
            "the key is kept in the form"
        );
        let first = post_form(&c, &path, &form("Nhà văn hóa khu 3", key)).await;
        assert_eq!(first.status.as_u16(), 303, "{}", first.body);
        let again = post_form(&c, &path, &form("Nhà văn hóa khu 3", key)).await;
        assert_eq!(again.status.as_u16(), 303, "{}", again.body);
        assert_eq!(
            again.location, first.location,
            "the second sending shows the first"
        );
        let held = app
            .meetings_of(
                &dangvu_app::Actor::new("kiểm thử"),
                fx.cell,
                dangvu_testkit::d(2026, 6, 1),
                dangvu_testkit::d(2026, 6, 30),
            )
            .await
            .unwrap();
        assert_eq!(held.len(), 1, "recorded once");
        // Another key is another record.
        let other = post_form(&c, &path, &form("Nhà văn hóa khu 3", "a1b2c3d4e5f6")).await;
        assert_eq!(other.status.as_u16(), 303);
        assert_ne!(other.location, first.location);
        let r = post_form(&c, &path, &form("Nhà văn hóa khu 3", "x y;")).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.has("Khóa gửi"), "{}", r.body);
    });
}
