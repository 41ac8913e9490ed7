//! Imports through the page and the API (R5): the report in Vietnamese naming row and column,
//! nothing written before the confirmation, the whole file at once, and the size limit.

use super::*;
use dangvu_testkit::{Cell, s, xlsx};

fn sheet(rows: Vec<Vec<Cell>>) -> Vec<u8> {
    let mut all = vec![vec![
        s("STT"),
        s("Họ và tên"),
        s("Giới tính"),
        s("Ngày sinh"),
        s("Dân tộc"),
        s("Số CCCD"),
        s("Ngày vào Đảng"),
        s("Chi bộ"),
        s("Nơi cư trú"),
    ]];
    all.extend(rows);
    xlsx("Danh sách", &all, &[])
}

#[tokio::test]
async fn an_officer_checks_a_workbook_on_the_page_then_imports_it_through_the_api() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let officer = Client::as_role(&app, "bantochuc", Role::Officer, Some(fx.g1), None).await;
        let r = get(&officer, &format!("/to-chuc/{}/nhap", fx.g1.0)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has("Nhập từ Excel")
                && r.has("name=\"_csrf\"")
                && r.has("accept=\".xlsx,.xls,.csv\"")
        );

        let bad = sheet(vec![
            vec![
                Cell::N(1.0),
                s("Lý Thị Mai"),
                s("Nữ"),
                s("30/02/1991"),
                s("Kinh"),
                Cell::Empty,
                s("01/01/2015"),
                s("Khu 3"),
                Cell::Empty,
            ],
            vec![
                Cell::N(2.0),
                s("Lý Văn Tư"),
                s("Nam"),
                Cell::D(1990, 1, 1),
                s("Kinh"),
                Cell::Empty,
                s("01/01/2015"),
                s("Khu 9"),
                Cell::Empty,
            ],
        ]);
        let r = post_bytes(
            &officer,
            &format!("/to-chuc/{}/nhap?thu=1&ten=ds.xlsx", fx.g1.0),
            bad,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.has("Dòng 2, cột D — Ngày sinh: là ngày không có thật"),
            "{}",
            r.body
        );
        assert!(
            r.has("Dòng 3, cột H — Chi bộ: không có chi bộ này trong tổ chức đã chọn"),
            "{}",
            r.body
        );
        assert!(r.has("Chưa ghi gì"));
        // The columns with their recognised fields, each a choice for the next sending.
        assert!(
            r.has("name=\"cot_4\"") && r.has("<option value=\"ethnicity\" selected>"),
            "{}",
            r.body
        );

        // Đức is already in the register (same CCCD): his new residence is a correction.
        let good = sheet(vec![
            vec![
                Cell::N(1.0),
                s("Lý Thị Mai"),
                s("Nữ"),
                s("28/02/1991"),
                s("Kinh"),
                Cell::Empty,
                s("01/01/2015"),
                s("Khu 3"),
                Cell::Empty,
            ],
            vec![
                Cell::N(2.0),
                s("Nguyễn Văn Đức"),
                s("Nam"),
                s("01/05/1980"),
                s("Kinh"),
                s("022080000001"),
                Cell::Empty,
                s("Khu 3"),
                s("Tổ 3, Khu 3"),
            ],
        ]);
        let r = post_bytes(
            &officer,
            &format!("/to-chuc/{}/nhap?thu=1&ten=ds.xlsx", fx.g1.0),
            good.clone(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.has("1 thêm mới, 1 cập nhật"), "{}", r.body);
        assert!(r.has("Kiểm tra xong, chưa ghi gì"));
        let before = get(&officer, &format!("/api/v1/orgs/{}/members", fx.cell.0))
            .await
            .json();

        let api = format!("/api/v1/orgs/{}/import/members?file_name=ds.xlsx", fx.g1.0);
        let r = post_bytes(&officer, &api, good.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let j = r.json();
        assert_eq!(
            (
                j["committed"].as_bool(),
                j["created"].as_u64(),
                j["updated"].as_u64()
            ),
            (Some(true), Some(1), Some(1))
        );
        let after = get(&officer, &format!("/api/v1/orgs/{}/members", fx.cell.0))
            .await
            .json();
        assert_eq!(
            after["total"].as_i64().unwrap(),
            before["total"].as_i64().unwrap() + 1
        );
        let duc = get(&officer, &format!("/api/v1/members/{}", fx.duc.0))
            .await
            .json();
        assert_eq!(duc["record"]["residence"], "Tổ 3, Khu 3");
        assert!(
            duc["corrections"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("ds.xlsx")
        );
        // Again: nothing new. Mai has no number, so she is found by name and date of birth
        // and shown for a person to decide.
        let j = post_bytes(&officer, &api, good).await.json();
        assert_eq!(
            (
                j["created"].as_u64(),
                j["updated"].as_u64(),
                j["unchanged"].as_u64(),
                j["weak"].as_u64()
            ),
            (Some(0), Some(0), Some(1), Some(1))
        );
        // The import is in the audit trail with its file.
        let trail = get(&officer, "/nhat-ky").await;
        assert!(trail.has("Nhập đảng viên"), "{}", trail.body);
    });
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_before_it_is_read() {
    use tower::ServiceExt;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let fx = fixture(&app).await;
    let officer = Client::as_role(&app, "bantochuc", Role::Officer, Some(fx.g1), None).await;
    let config = dangvu_web::WebConfig {
        import_max_bytes: 1024,
        ..Default::default()
    };
    let req = Request::post(format!("/api/v1/orgs/{}/import/members", fx.g1.0))
        .header(header::COOKIE, officer.cookie.clone().unwrap())
        .header("x-csrf-token", officer.csrf.as_str())
        .body(Body::from(vec![b'a'; 4096]))
        .unwrap();
    let r = dangvu_web::router_with(app.clone(), config)
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    let j: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(j["error"], "import_too_large");
    assert!(j["message"].as_str().unwrap().contains("Tệp: tệp quá lớn"));
}
