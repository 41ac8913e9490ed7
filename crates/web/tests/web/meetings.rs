//! Cell meetings through the router (issue 5): the form with every member's attendance and the
//! vote, Vietnamese errors, the minutes in the Party's layout, adoption and lock, the API.

use dangvu_testkit::on_every_backend;
use serde_json::json;

use super::{Client, fixture, get, post_form, post_json};

#[tokio::test]
async fn a_cell_records_a_meeting_adopts_and_locks_its_minutes() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
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
            ("dues_collected", "120.000"),
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
        form[10].1 = "3".into();
        let r = send(form.clone()).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(
            r.has("số phiếu vượt số đảng viên chính thức có mặt"),
            "{}",
            r.body
        );
        form[10].1 = "2".into();
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
