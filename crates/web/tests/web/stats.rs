//! Statistics, exports and the register of members on the pages and in the API (R5, R9): the
//! charts and the reconciled movements, the register's columns, every export in the audit
//! trail with its filter, another subtree answered as a missing one.

use super::*;

#[tokio::test]
async fn a_secretary_sees_her_cells_statistics_register_and_exports_and_each_export_is_audited() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sec = Client::as_role(&app, "bithu.khu3", Role::Secretary, Some(fx.cell), None).await;
        let stranger =
            Client::as_role(&app, "bithu.khu4", Role::Secretary, Some(fx.cell2), None).await;

        let r = get(
            &sec,
            &format!(
                "/to-chuc/{}/thong-ke?ngay=15/06/2026&tu=01/01/2006",
                fx.cell.0
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.has("Tháp tuổi đảng viên theo giới tính") && r.has("<svg"),
            "{}",
            r.body
        );
        assert!(r.has("Đầu kỳ + tăng − giảm = cuối kỳ: khớp."));
        assert!(r.has("Kết nạp"));
        let api = get(
            &sec,
            &format!("/api/v1/orgs/{}/statistics?on=2026-06-15", fx.cell.0),
        )
        .await
        .json();
        let total = api["total"].as_u64().unwrap();
        assert!(total >= 2);
        let sex: u64 = api["breakdowns"][0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["count"].as_u64().unwrap())
            .sum();
        assert_eq!(sex, total);
        let m = get(
            &sec,
            &format!(
                "/api/v1/orgs/{}/movements?from=2000-01-01&on=2026-06-15",
                fx.cell.0
            ),
        )
        .await
        .json();
        assert_eq!(m["reconciles"], true);
        assert_eq!(m["closing"].as_u64(), Some(total));
        let t = get(
            &sec,
            &format!(
                "/api/v1/orgs/{}/report-tables/bieu-1-co-cau?on=2026-06-15",
                fx.cell.0
            ),
        )
        .await
        .json();
        assert_eq!(t["rows"][0]["cells"][0].as_u64(), Some(total));
        let codes = get(&sec, "/api/v1/codes/ethnicity").await.json();
        assert_eq!(codes["codes"][0]["code"], "01");
        assert_eq!(codes["codes"].as_array().unwrap().len(), 55);

        let r = get(
            &sec,
            &format!("/to-chuc/{}/so-dang-vien?ngay=15/06/2026", fx.cell.0),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.has("SỔ DANH SÁCH ĐẢNG VIÊN") && r.has("Ngày từ trần") && r.has("(14)"));
        assert!(r.has("Nguyễn Văn Đức"));
        let reg = get(
            &sec,
            &format!("/api/v1/orgs/{}/register?on=2026-06-15", fx.cell.0),
        )
        .await
        .json();
        assert_eq!(reg["rows"][0]["cells"].as_array().unwrap().len(), 14);

        let x = get(
            &sec,
            &format!(
                "/to-chuc/{}/xuat.xlsx?tinh_trang=official&tuoi_tu=30&cot=full_name&cot=cccd",
                fx.cell.0
            ),
        )
        .await;
        assert_eq!(x.status, StatusCode::OK);
        let disposition = x.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.contains(&format!("danh-sach-dang-vien-{}-", fx.cell.0)),
            "{disposition}"
        );
        let r = get(
            &sec,
            &format!("/to-chuc/{}/xuat.xlsx?tinh_trang=secret", fx.cell.0),
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);

        // Each export is in the trail, with its filter.
        let trail = get(&sec, "/nhat-ky").await;
        assert!(trail.has("Xuất danh sách đảng viên"), "{}", trail.body);
        let admin = Client::admin(&app).await;
        let entries = get(&admin, "/api/v1/audit").await.json();
        let export = entries["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| {
                e["action"] == "member.export" && e["new_value"].to_string().contains("official")
            })
            .unwrap_or_else(|| panic!("{entries}"));
        let filter: Value = match &export["new_value"] {
            Value::String(s) => serde_json::from_str(s).unwrap(),
            v => v.clone(),
        };
        assert_eq!(
            (filter["status"].as_str(), filter["age_min"].as_i64()),
            (Some("official"), Some(30)),
            "{filter}"
        );
        assert_eq!(export["entity_id"].as_i64(), Some(fx.cell.0));

        // Another cell's secretary gets what a missing organisation gets, for every page.
        for path in ["thong-ke", "so-dang-vien", "xuat.xlsx", "bieu-thong-ke"] {
            let theirs = get(&stranger, &format!("/to-chuc/{}/{path}", fx.cell.0)).await;
            let missing = get(&stranger, &format!("/to-chuc/999999/{path}")).await;
            assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(theirs.status, missing.status, "{path}");
        }
        // A cell of her own subtree only, in the export's filter.
        let r = get(
            &sec,
            &format!("/api/v1/orgs/{}/export?cell={}", fx.cell.0, fx.cell2.0),
        )
        .await;
        let missing = get(
            &sec,
            &format!("/api/v1/orgs/{}/export?cell=999999", fx.cell.0),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.body, missing.body);
    });
}
