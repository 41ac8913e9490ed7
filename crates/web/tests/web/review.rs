//! The review's pages and API through the router: the workflow forms with Vietnamese errors
//! that name the field, the sheet showing what is missing, the report page with its chart,
//! the Excel export and the JSON report agreeing with each other.

use dangvu_testkit::on_every_backend;
use serde_json::json;

use super::{Client, fixture, get, post_form, post_json};

#[tokio::test]
async fn a_cell_is_reviewed_through_the_forms_and_reported_everywhere_alike() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let (city, g1, cell, duc, an) = (fx.city.0, fx.g1.0, fx.cell.0, fx.duc.0, fx.an.0);
        // Open the 2019 period for the city: the rule set is chosen by its start (R23).
        let r = post_form(
            &c,
            "/danh-gia",
            &[("org", &city.to_string()), ("year", "19")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Năm: không hợp lệ"), "{}", r.body);
        let r = post_form(
            &c,
            "/danh-gia",
            &[("org", &city.to_string()), ("year", "2019")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let loc = r.location.clone().unwrap();
        let p: i64 = loc
            .trim_start_matches("/danh-gia/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let page = get(&c, &format!("/danh-gia/{p}")).await;
        assert!(
            page.has("Quy định 132-QĐ/TW, Hướng dẫn 21-HD/BTCTW"),
            "2019 is under QĐ 132 and HD 21"
        );
        // The member's self-assessment waits for the collective (R28); the message says so.
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/dang-vien/{duc}"),
            &[("step", "self"), ("content", "Tôi đã hoàn thành")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.has("tập thể cấp ủy phải kiểm điểm trước"), "{}", r.body);
        assert!(r.has("Tôi đã hoàn thành"), "the typed text is kept");
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/to-chuc/{g1}"),
            &[
                ("action", "collective_step"),
                ("step", "self"),
                ("content", "Đảng ủy tự kiểm điểm"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        for m in [duc, an] {
            let r = post_form(
                &c,
                &format!("/danh-gia/{p}/dang-vien/{m}"),
                &[("step", "self"), ("content", "Tự kiểm điểm")],
            )
            .await;
            assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        }
        // A proposal without a level is refused with the field named in Vietnamese.
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/dang-vien/{duc}"),
            &[("step", "proposal"), ("level", "")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Mức xếp loại: chưa nhập"), "{}", r.body);
        let sheet = get(&c, &format!("/danh-gia/{p}/to-chuc/{cell}")).await;
        assert!(
            sheet.has("Còn 2 đảng viên chưa đủ các bước"),
            "{}",
            sheet.body
        );
        assert!(sheet.has("Nhận xét của chi ủy"));
        for (m, l) in [(duc, "htxs"), (an, "htt")] {
            let r = post_json(&c, &format!("/api/v1/reviews/{p}/steps"), json!({"subject_kind": "member", "subject": m, "step": "comment", "body": "cell_committee", "content": "Tốt"})).await;
            assert_eq!(r.status.as_u16(), 201, "{}", r.body);
            let r = post_form(
                &c,
                &format!("/danh-gia/{p}/dang-vien/{m}"),
                &[("step", "proposal"), ("level", l)],
            )
            .await;
            assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        }
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/to-chuc/{cell}"),
            &[("action", "decide_all"), ("decision_ref", "12-QĐ/ĐU")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let sheet = get(&c, &format!("/danh-gia/{p}/to-chuc/{cell}")).await;
        assert!(!sheet.has("chưa đủ các bước"), "{}", sheet.body);
        // The quota as levels are given: 1 HTXS of 2 HTT-or-better, cap 0.
        assert!(sheet.has("1 / tối đa 0 — vượt tỷ lệ"), "{}", sheet.body);
        // Bottom-up through the API: g1 before its cells is refused.
        let r = post_json(
            &c,
            &format!("/api/v1/reviews/{p}/decisions"),
            json!({"subject_kind": "org", "subject": g1, "level": "htt"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.json()["error"], "subordinates_undecided");
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/to-chuc/{cell}"),
            &[("action", "decide_org"), ("level", "htxs")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/reviews/{p}/decisions"),
            json!({"subject_kind": "org", "subject": fx.cell2.0, "level": "htt"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/reviews/{p}/decisions"),
            json!({"subject_kind": "org", "subject": g1, "level": "htt"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        // The report: JSON, page and workbook say the same.
        let j = get(&c, &format!("/api/v1/reviews/{p}/report")).await.json();
        assert_eq!(j["counts"]["members"]["htxs"], 1);
        assert_eq!(j["counts"]["members"]["htt"], 1);
        assert_eq!(j["counts"]["cells"]["total"], 2);
        assert_eq!(j["counts"]["grassroots_dang_bo"]["htt"], 1);
        assert_eq!(j["rows"][0]["org"], g1);
        let paragraph = j["paragraph"].as_str().unwrap().to_owned();
        assert!(
            paragraph.starts_with("Năm 2019, Đảng bộ TP Uông Bí có 1/1 cơ sở đảng"),
            "{paragraph}"
        );
        let page = get(&c, &format!("/danh-gia/{p}/bao-cao")).await;
        assert_eq!(page.status.as_u16(), 200);
        assert!(page.has(&paragraph));
        assert!(page.has("<svg"), "the chart");
        assert!(
            page.has("1 (50,0%)"),
            "counts with Vietnamese shares: {}",
            page.body
        );
        assert!(page.has("ĐẢNG CỘNG SẢN VIỆT NAM"));
        let x = get(&c, &format!("/danh-gia/{p}/bao-cao.xlsx?to-chuc={city}")).await;
        assert_eq!(x.status.as_u16(), 200);
        assert_eq!(
            x.headers[axum::http::header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(x.body.starts_with("PK"), "a zip file");
        // A cell's own report is its line of the parent's.
        let j2 = get(&c, &format!("/api/v1/reviews/{p}/report?org={cell}"))
            .await
            .json();
        assert_eq!(j2["counts"]["members"]["total"], 2);
        assert_eq!(j2["org_name"], "Chi bộ Khu 3");
        // Lock, then a correction through the form keeps the rule and records the reason.
        let r = post_form(&c, &format!("/danh-gia/{p}/khoa"), &[]).await;
        assert_eq!(r.status.as_u16(), 422, "one HTXS of two is over 20 %");
        assert!(r.has("vượt tỷ lệ hoàn thành xuất sắc"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/khoa"),
            &[(&format!("override_{g1}"), "Thành tích đột xuất")],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/dang-vien/{duc}"),
            &[
                ("action", "correct"),
                ("level", "htt"),
                ("reason", ""),
                ("decision_ref", ""),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.has("Lý do: chưa nhập"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("/danh-gia/{p}/dang-vien/{duc}"),
            &[
                ("action", "correct"),
                ("level", "htt"),
                ("reason", "Tổng hợp nhầm"),
                ("decision_ref", "15-QĐ/ĐU"),
                ("decided_on", "02/02/2026"),
                ("decided_by", "Ban Thường vụ Đảng ủy"),
            ],
        )
        .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let j = get(&c, &format!("/api/v1/reviews/{p}/report")).await.json();
        assert_eq!(j["counts"]["members"]["htt"], 2);
        // The correction's row, with its decision whole (R15).
        let j = get(&c, &format!("/api/v1/reviews/{p}/members/{duc}"))
            .await
            .json();
        let fix = &j["corrections"][0];
        assert_eq!(fix["new_value"], "htt");
        assert_eq!(fix["reason"], "Tổng hợp nhầm");
        assert_eq!(fix["decided_on"], "2026-02-02");
        assert_eq!(fix["decided_by"], "Ban Thường vụ Đảng ủy");
        let page = get(&c, &format!("/danh-gia/{p}/dang-vien/{duc}")).await;
        assert!(
            page.has("15-QĐ/ĐU, Ban Thường vụ Đảng ủy, ngày 02/02/2026"),
            "{}",
            page.body
        );
        let overview = get(&c, &format!("/danh-gia/{p}")).await;
        assert!(overview.has("Đã khóa"));
    });
}
