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
