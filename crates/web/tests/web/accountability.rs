//! The accountability registers through HTTP: the asset register's narrow grant (a page and an
//! API path that do not exist for anyone else), its forms, and the opinions of the Front and the
//! people on the dashboard and in a member's review.

use axum::http::StatusCode;
use dangvu_app::Actor;
use dangvu_app::opinions::{Assignment, NewOpinion};
use dangvu_domain::access::Role;
use dangvu_domain::opinion::OpinionSource;
use dangvu_domain::review::Period;
use dangvu_testkit::{d, on_every_backend};
use serde_json::json;

use super::{Client, fixture, get, post_form, post_json};

#[tokio::test]
async fn the_asset_register_is_a_missing_page_for_anyone_without_the_grant() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let keeper =
            Client::as_role(&app, "giamsat", Role::AssetSupervisor, Some(fx.city), None).await;
        let officer = Client::as_role(&app, "bantochuc", Role::Officer, Some(fx.city), None).await;
        let admin = Client::admin(&app).await;
        let city = fx.city.0;
        let page = format!("/to-chuc/{city}/ke-khai-tai-san");

        // The keeper adds a cadre and a declaration with the page's forms.
        let r = post_form(
            &keeper,
            &page,
            &[
                ("action", "cadre"),
                ("year", "2026"),
                ("full_name", "Trần Văn Bình"),
                ("position", "Phó Bí thư Thành ủy"),
                ("from_date", "01/07/2021"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let j = get(
            &keeper,
            &format!("/api/v1/orgs/{city}/asset-register?year=2026"),
        )
        .await
        .json();
        let cadre = j["cadres"][0]["id"].as_i64().unwrap();
        assert_eq!(j["thresholds"]["change_vnd"], 300_000_000);
        let r = post_json(
            &keeper,
            &format!("/api/v1/asset-cadres/{cadre}/declarations"),
            json!({"declaration_kind": "annual", "year": 2025}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // A bad date names its field in Vietnamese, and the cadre's name is kept in the form.
        let r = post_form(
            &keeper,
            &page,
            &[
                ("action", "cadre"),
                ("full_name", "Lê Thị Cúc"),
                ("position", "Trưởng ban"),
                ("from_date", "31/02/2021"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.has("Thuộc diện quản lý từ ngày: là ngày không có thật"),
            "{}",
            r.body
        );
        assert!(r.has("Lê Thị Cúc"));

        let shown = get(&keeper, &format!("{page}?nam=2026")).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.has("Trần Văn Bình"));
        assert!(shown.has("50.000.000 đ"));
        assert!(shown.has("300.000.000 đ"));
        assert!(get(&keeper, "/").await.location.as_deref() == Some("/ke-khai-tai-san"));
        assert!(
            get(&keeper, "/ke-khai-tai-san")
                .await
                .has("Đảng bộ thành phố Uông Bí")
        );

        // Anyone else: exactly what a page nobody made answers, whatever the year or body.
        for who in [&officer, &admin] {
            let missing = get(who, &format!("/to-chuc/{city}/khong-co-trang-nay")).await;
            assert_eq!(missing.status, StatusCode::NOT_FOUND);
            let missing_api = get(who, "/api/v1/khong-co-duong-dan-nay").await;
            for path in [
                page.clone(),
                format!("{page}?nam=abc"),
                "/ke-khai-tai-san".into(),
            ] {
                let r = get(who, &path).await;
                assert_eq!(
                    (r.status, &r.body),
                    (missing.status, &missing.body),
                    "{path}"
                );
            }
            let r = post_form(
                who,
                &page,
                &[("action", "cadre"), ("from_date", "không phải ngày")],
            )
            .await;
            assert_eq!((r.status, &r.body), (missing.status, &missing.body));
            for (path, body) in [
                (format!("/api/v1/orgs/{city}/asset-register?year=abc"), None),
                (
                    format!("/api/v1/asset-cadres/{cadre}/declarations"),
                    Some(json!({"declaration_kind": "x"})),
                ),
                (
                    format!("/api/v1/asset-cadres/{cadre}/supervisions"),
                    Some(json!({})),
                ),
            ] {
                let r = match body {
                    None => get(who, &path).await,
                    Some(b) => post_json(who, &path, b).await,
                };
                assert_eq!(r.status, missing_api.status, "{path}");
                assert_eq!(r.json(), missing_api.json(), "{path}");
            }
        }
        // The officer's own pages do not offer it.
        assert!(
            !get(&officer, &format!("/to-chuc/{city}"))
                .await
                .has("ke-khai-tai-san")
        );
    });
}

#[tokio::test]
async fn an_overdue_opinion_is_on_the_dashboard_and_an_attached_one_in_the_review() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sys = Actor::new("kiểm thử");
        let sec = Client::as_role(&app, "bithu", Role::Secretary, Some(fx.g1), None).await;
        let g1 = fx.g1.0;
        // Taken in and given to answer through the page: 3 working days from 1/6/2026.
        let r = post_form(
            &sec,
            &format!("/to-chuc/{g1}/y-kien"),
            &[
                ("action", "take"),
                ("source", "front"),
                ("source_name", "Ủy ban MTTQ phường"),
                ("received_on", "01/06/2026"),
                ("subject_member", &fx.duc.0.to_string()),
                (
                    "content",
                    "Đề nghị chi bộ nhắc nhở việc chấp hành quy định nơi cư trú",
                ),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let list = get(&sec, &format!("/api/v1/orgs/{g1}/opinions"))
            .await
            .json();
        let id = list["opinions"][0]["id"].as_i64().unwrap();
        let r = post_json(
            &sec,
            &format!("/api/v1/opinions/{id}/assignment"),
            json!({"assigned_body": "Chi bộ", "assigned_person": "Bí thư chi bộ", "assigned_on": "01/06/2026", "days": 3}),
        )
        .await;
        assert_eq!(r.json()["due_by"], "2026-06-04");
        let due = get(&sec, &format!("/to-chuc/{g1}/viec-den-han")).await;
        assert!(due.has("Ý kiến góp ý quá hạn trả lời"), "{}", due.body);
        assert!(due.has("chấp hành quy định nơi cư trú"));
        // A second opinion, attached to the 2026 review of the ward, shows in her review.
        let review = app
            .open_review(&sys, fx.g1, "Năm 2026", Period::year(2026))
            .await
            .unwrap();
        let second = app
            .take_opinion(
                &sys,
                NewOpinion {
                    committee: fx.g1,
                    source: OpinionSource::MassOrg,
                    source_name: Some("Hội Phụ nữ phường".into()),
                    received_on: d(2026, 6, 2),
                    subject_org: None,
                    subject_member: Some(fx.duc),
                    content: "Gia đình đồng chí gương mẫu thực hiện nếp sống văn minh".into(),
                },
            )
            .await
            .unwrap();
        app.assign_opinion(
            &sys,
            second,
            Assignment {
                body: "Chi bộ".into(),
                person: "Bí thư".into(),
                on: d(2026, 6, 2),
                days: None,
            },
        )
        .await
        .unwrap();
        let r = post_form(
            &sec,
            &format!("/to-chuc/{g1}/y-kien"),
            &[
                ("action", "attach"),
                ("opinion", &second.to_string()),
                ("review", &review.to_string()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // Her study commitment of the year, registered through the API, shows there too.
        let r = post_json(
            &sec,
            &format!("/api/v1/members/{}/commitments", fx.duc.0),
            json!({"year": 2026, "items": ["Gương mẫu giữ gìn vệ sinh khu dân cư", "Tham gia đủ sinh hoạt chi bộ"], "registered_on": "2026-01-15"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let page = get(&sec, &format!("/danh-gia/{review}/dang-vien/{}", fx.duc.0)).await;
        assert!(
            page.has("Ý kiến của Mặt trận Tổ quốc, đoàn thể và nhân dân"),
            "{}",
            page.body
        );
        assert!(page.has("nếp sống văn minh"));
        assert!(page.has("Cam kết học tập và làm theo Bác năm 2026"));
        assert!(page.has("Gương mẫu giữ gìn vệ sinh khu dân cư"));
        assert!(page.has("Đánh giá cuối năm: chưa đánh giá"));
        // Another ward's secretary: the opinion does not exist.
        let other =
            Client::as_role(&app, "bithu.khac", Role::Secretary, Some(fx.cell2), None).await;
        let r = post_json(
            &other,
            &format!("/api/v1/opinions/{id}/answer"),
            json!({"response": "x", "answered_on": "bad"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let nobody = post_json(
            &other,
            "/api/v1/opinions/999999/answer",
            json!({"response": "x", "answered_on": "bad"}),
        )
        .await;
        assert_eq!(r.json(), nobody.json());
    });
}

#[tokio::test]
async fn a_regulation_file_goes_up_and_comes_back_with_its_checksum() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sec = Client::as_role(&app, "bithu", Role::Secretary, Some(fx.g1), None).await;
        let g1 = fx.g1.0;
        let r = post_form(
            &sec,
            &format!("/to-chuc/{g1}/quy-che"),
            &[
                ("regulation_kind", "executive_rules"),
                ("regulation_title", "Quy chế làm việc của Ban Chấp hành"),
                ("issuing_body", "Ban Chấp hành Đảng bộ phường"),
                ("number", "01-QC/ĐU"),
                ("signed_on", "15/10/2025"),
                ("review_months", "12"),
                (
                    "full_text",
                    "Điều 4. Ban Chấp hành họp thường kỳ 3 tháng một lần.",
                ),
                (
                    "provisions",
                    "Điều 4 | Chuẩn bị hội nghị | Văn phòng Đảng ủy",
                ),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = r.location.unwrap();
        let id: i64 = page
            .trim_start_matches("/quy-che/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let j = get(&sec, &format!("/api/v1/regulations/{id}")).await.json();
        let version = j["versions"][0]["id"].as_i64().unwrap();
        assert_eq!(
            j["versions"][0]["provisions"][0]["responsible"],
            "Văn phòng Đảng ủy"
        );
        // A PDF sent as the body, named in Vietnamese.
        let pdf = b"%PDF-1.4\nQuy che lam viec\n".to_vec();
        let req = axum::http::Request::post(format!(
            "/api/v1/regulation-versions/{version}/file?ten={}",
            dangvu_web::html::url_escape("Quy chế làm việc.pdf")
        ))
        .header("content-type", "application/octet-stream")
        .header("x-csrf-token", sec.csrf.as_str())
        .body(axum::body::Body::from(pdf.clone()))
        .unwrap();
        let r = super::send(&sec, req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let sum = r.json()["sha256"].as_str().unwrap().to_owned();
        assert_eq!(sum, dangvu_domain::regulation::checksum(&pdf));
        let back = get(&sec, &format!("/quy-che/phien-ban/{version}/tep")).await;
        assert_eq!(back.status, StatusCode::OK);
        assert_eq!(back.body.as_bytes(), pdf.as_slice());
        assert_eq!(back.headers["content-type"], "application/pdf");
        assert_eq!(back.headers["x-checksum-sha256"], sum.as_str());
        let disposition = back.headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.contains("filename*=UTF-8''Quy%20ch"),
            "{disposition}"
        );
        // The page lists it; a search without diacritics finds it by its text.
        let shown = get(&sec, &format!("/quy-che/{id}")).await;
        assert!(shown.has("Quy chế làm việc.pdf") && shown.has(&sum));
        let found = get(&sec, &format!("/to-chuc/{g1}/quy-che?q=hop+thuong+ky")).await;
        assert!(found.has("Quy chế làm việc của Ban Chấp hành"));
        // Another ward: the version and its file do not exist.
        let other =
            Client::as_role(&app, "bithu.khac", Role::Secretary, Some(fx.cell2), None).await;
        let r = get(
            &other,
            &format!("/api/v1/regulation-versions/{version}/file"),
        )
        .await;
        let nobody = get(&other, "/api/v1/regulation-versions/999999/file").await;
        assert_eq!((r.status, r.json()), (nobody.status, nobody.json()));
    });
}

#[tokio::test]
async fn commitments_and_a_contest_round_through_the_pages() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sec = Client::as_role(&app, "bithu", Role::Secretary, Some(fx.g1), None).await;
        let (g1, cell, duc) = (fx.g1.0, fx.cell.0, fx.duc.0);
        let r = post_form(
            &sec,
            &format!("/to-chuc/{cell}/cam-ket"),
            &[
                ("action", "member"),
                ("year", "2026"),
                ("member", &duc.to_string()),
                ("items", "- Gương mẫu nơi cư trú\n- Đóng đảng phí đúng hạn"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get(&sec, &format!("/to-chuc/{cell}/cam-ket?nam=2026")).await;
        assert!(page.has("Đóng đảng phí đúng hạn"));
        assert!(
            page.has("Đảng viên chưa đăng ký cam kết"),
            "another member has none"
        );
        // A contest round through the API, its results page ranked.
        let q = post_json(
            &sec,
            &format!("/api/v1/orgs/{g1}/contest-questions"),
            json!({"topic": "Điều lệ Đảng", "question": "Thời gian dự bị?", "options": ["6 tháng", "12 tháng"], "answer": 2}),
        )
        .await;
        assert_eq!(q.status, StatusCode::CREATED, "{}", q.body);
        let qid = q.json()["id"].as_i64().unwrap();
        let round = post_json(
            &sec,
            &format!("/api/v1/orgs/{g1}/contest-rounds"),
            json!({"name": "Vòng sơ khảo", "contest_day": "05/06/2026", "questions": [qid]}),
        )
        .await;
        let rid = round.json()["id"].as_i64().unwrap();
        let r = post_form(
            &sec,
            &format!("/hoi-thi/{rid}"),
            &[("member", &duc.to_string()), ("answers", "2")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post_form(
            &sec,
            &format!("/hoi-thi/{rid}"),
            &[("member", &fx.an.0.to_string()), ("contest_score", "87,5")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let bad = post_form(
            &sec,
            &format!("/hoi-thi/{rid}"),
            &[("member", &fx.an.0.to_string()), ("contest_score", "101")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.has("Điểm: phải là điểm từ 0 đến 100"), "{}", bad.body);
        let j = get(&sec, &format!("/api/v1/contest-rounds/{rid}"))
            .await
            .json();
        assert_eq!(j["results"][0]["member"], duc);
        assert_eq!(j["results"][0]["score"], 100.0);
        assert_eq!(j["results"][1]["score"], 87.5);
        assert_eq!(j["results"][1]["rank"], 2);
        let page = get(&sec, &format!("/hoi-thi/{rid}")).await;
        assert!(page.has("87,5"));
    });
}
