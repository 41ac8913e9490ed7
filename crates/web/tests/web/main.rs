//! Router tests for every page and API route, on every backend, and one end-to-end test in
//! headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod offline;
mod pdf;
mod phone;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dangvu_app::members::NewMember;
use dangvu_app::orgs::Appointment;
use dangvu_app::orgs::NewOrg;
use dangvu_app::{Actor, App};
use dangvu_domain::access::Role;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::MemberRecord;
use dangvu_domain::org::{OrgKind, Position};
use dangvu_testkit::{d, on_every_backend};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    location: Option<String>,
    headers: axum::http::HeaderMap,
    body: String,
    raw: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    fn has(&self, s: &str) -> bool {
        self.body.contains(s)
    }
}

/// A signed-in browser or API client: its session cookie and CSRF token.
#[derive(Clone)]
struct Client {
    app: App,
    cookie: Option<String>,
    csrf: String,
}

impl Client {
    /// Signs in as a new account with the given role.
    async fn as_role(
        app: &App,
        username: &str,
        role: Role,
        org: Option<OrgId>,
        member: Option<MemberId>,
    ) -> Client {
        dangvu_testkit::user_with(app, username, role, org, member).await;
        let (cookie, csrf) = dangvu_testkit::session(app, username).await;
        Client {
            app: app.clone(),
            cookie: Some(cookie),
            csrf,
        }
    }
    /// Signs in as a system administrator.
    async fn admin(app: &App) -> Client {
        Client::as_role(app, "quantri", Role::Admin, None, None).await
    }
    /// Nobody signed in.
    fn anonymous(app: &App) -> Client {
        Client {
            app: app.clone(),
            cookie: None,
            csrf: String::new(),
        }
    }
}

async fn send(c: &Client, req: Request<Body>) -> Resp {
    let mut req = req;
    if let Some(cookie) = &c.cookie {
        req.headers_mut()
            .insert(header::COOKIE, cookie.parse().unwrap());
    }
    let r = dangvu_web::router(c.app.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let location = headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(r.into_body(), 20 << 20).await.unwrap();
    Resp {
        status,
        location,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        raw: bytes.to_vec(),
    }
}

async fn get(c: &Client, path: &str) -> Resp {
    send(c, Request::get(path).body(Body::empty()).unwrap()).await
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                dangvu_web::html::url_escape(k),
                dangvu_web::html::url_escape(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Posts a form with the session's CSRF token, as the page's hidden field does.
async fn post_form(c: &Client, path: &str, pairs: &[(&str, &str)]) -> Resp {
    let mut all: Vec<(&str, &str)> = vec![("_csrf", c.csrf.as_str())];
    all.extend_from_slice(pairs);
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form_body(&all)))
        .unwrap();
    send(c, req).await
}

/// Posts JSON with the session's CSRF token in its header.
async fn post_json(c: &Client, path: &str, v: Value) -> Resp {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", c.csrf.as_str())
        .body(Body::from(v.to_string()))
        .unwrap();
    send(c, req).await
}

/// Posts a file as the import page's script does: the bytes as the body, the token in its
/// header.
async fn post_bytes(c: &Client, path: &str, bytes: Vec<u8>) -> Resp {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header("x-csrf-token", c.csrf.as_str())
        .body(Body::from(bytes))
        .unwrap();
    send(c, req).await
}

struct Fx {
    province: OrgId,
    city: OrgId,
    g1: OrgId,
    cell: OrgId,
    cell2: OrgId,
    duc: MemberId,
    an: MemberId,
}

fn record(name: &str, cccd: &str) -> MemberRecord {
    dangvu_testkit::record(name, &[("sex", "male"), ("cccd", cccd)])
}

async fn fixture(app: &App) -> Fx {
    let a = Actor::new("kiểm thử");
    let mk = |name: &str, kind, parent, on| NewOrg {
        name: name.into(),
        kind,
        parent,
        founded_on: on,
        decision_ref: None,
    };
    let province = app
        .create_org(
            &a,
            mk(
                "Đảng bộ tỉnh Quảng Ninh",
                OrgKind::DangBoTinh,
                None,
                d(1963, 10, 30),
            ),
        )
        .await
        .unwrap();
    let city = app
        .create_org(
            &a,
            mk(
                "Đảng bộ thành phố Uông Bí",
                OrgKind::DangBoHuyen,
                Some(province),
                d(1970, 1, 1),
            ),
        )
        .await
        .unwrap();
    let g1 = app
        .create_org(
            &a,
            mk(
                "Đảng bộ phường Nam Khê",
                OrgKind::DangBoCoSo,
                Some(city),
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
    let cell = app
        .create_org(
            &a,
            mk(
                "Chi bộ Khu 3",
                OrgKind::ChiBoTrucThuoc,
                Some(g1),
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
    let cell2 = app
        .create_org(
            &a,
            mk(
                "Chi bộ Khu 4",
                OrgKind::ChiBoTrucThuoc,
                Some(g1),
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
    let nm = |r, cell, on| NewMember {
        record: r,
        cell,
        admitted_on: on,
        joined_on: None,
        official: true,
        decision_ref: None,
        card: None,
    };
    let duc = app
        .create_member(
            &a,
            nm(
                record("Nguyễn Văn Đức", "022080000001"),
                cell,
                d(2005, 1, 1),
            ),
        )
        .await
        .unwrap();
    let an = app
        .create_member(
            &a,
            nm(record("Trần Văn An", "022080000002"), cell, d(2006, 1, 1)),
        )
        .await
        .unwrap();
    app.appoint(
        &a,
        cell,
        &Appointment::new(duc, Position::BiThu, "2025–2030", d(2025, 9, 1), None),
    )
    .await
    .unwrap();
    Fx {
        province,
        city,
        g1,
        cell,
        cell2,
        duc,
        an,
    }
}

#[tokio::test]
async fn pages_render_the_tree_organisations_and_members() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let r = get(&c, "/").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/to-chuc"));

        let r = get(&c, "/to-chuc").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has("Đảng bộ phường Nam Khê") && r.has("Chi bộ Khu 3") && r.has("Chi bộ trực thuộc")
        );
        assert!(r.has("lang=\"vi\""));
        assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
        let r = get(&c, "/to-chuc?ngay=31/02/2018").await;
        assert!(r.has("Ngày xem: là ngày không có thật"), "{}", r.body);
        let r = get(&c, "/to-chuc?ngay=01/01/1965").await;
        assert!(r.has("Đảng bộ tỉnh Quảng Ninh") && !r.has("Đảng bộ thành phố Uông Bí"));

        let r = get(&c, &format!("/to-chuc/{}", fx.cell.0)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has("<h1>Chi bộ Khu 3</h1>")
                && r.has("Bí thư")
                && r.has("Nguyễn Văn Đức")
                && r.has("2025–2030")
        );
        assert!(r.has("Đảng bộ phường Nam Khê") && r.has("Thành lập") && r.has("01/01/1975"));
        let r = get(&c, &format!("/to-chuc/{}?ngay=2025-01-01", fx.cell.0)).await;
        assert!(r.has("Chưa có cấp ủy"), "committee before its term");
        let r = get(&c, "/to-chuc/99999").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.has("Tổ chức đảng: không tìm thấy"));

        let r = get(&c, &format!("/to-chuc/{}/dang-vien", fx.g1.0)).await;
        assert_eq!(r.status, StatusCode::OK);
        let (an, duc) = (
            r.body.find("Trần Văn An").unwrap(),
            r.body.find("Nguyễn Văn Đức").unwrap(),
        );
        assert!(an < duc, "An sorts before Đức");
        assert!(r.has("2 đảng viên"));
        let r = get(&c, "/tim-kiem?q=nguyen+van+duc").await;
        assert!(r.has("Nguyễn Văn Đức") && !r.has("Trần Văn An") && r.has("1 đảng viên khớp"));
        let r = get(&c, "/tim-kiem?q=duc").await;
        assert!(r.has(&format!("/dang-vien/{}", fx.duc.0)));
        // A search longer than a name: the page says so, keeps the words, lists everyone.
        let r = get(&c, "/tim-kiem?q=nguyen+van+duc+an+binh+cuong+dung").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.has("tối đa 6 từ"), "{}", r.body);
        assert!(r.has("nguyen van duc an binh cuong dung"));
        assert!(r.has("Nguyễn Văn Đức") && r.has("Trần Văn An"));

        let r = get(&c, &format!("/dang-vien/{}", fx.duc.0)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has("Đảng viên chính thức")
                && r.has("01/01/2005")
                && r.has("Kết nạp vào Đảng")
                && r.has("022080000001")
        );
        assert!(r.has("21 năm 5 tháng"), "seniority on 15/6/2026");
        let r = get(&c, &format!("/dang-vien/{}?ngay=2005-06-01", fx.duc.0)).await;
        assert!(r.has("Đảng viên dự bị"));
        assert_eq!(
            get(&c, "/dang-vien/424242").await.status,
            StatusCode::NOT_FOUND
        );
        let r = get(&c, &format!("/dang-vien/moi?chi_bo={}", fx.cell.0)).await;
        assert!(
            r.has("Thêm đảng viên vào sổ") && r.has(&format!("value=\"{}\" selected", fx.cell.0))
        );
        assert!(
            get(&c, "/to-chuc/moi")
                .await
                .has("Thêm tổ chức đảng cấp cao nhất")
        );
        assert!(get(&c, "/static/app.css").await.has("--red"));
        assert!(get(&c, "/static/app.js").await.has("data-confirm"));
        assert_eq!(get(&c, "/khong-co").await.status, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn forms_validate_in_vietnamese_keep_input_and_write_on_success() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let cell = fx.cell.0.to_string();
        // Bad member: impossible date, short CCCD, duplicate card impossible to check yet.
        let r = post_form(
            &c,
            "/dang-vien/moi",
            &[
                ("cell", &cell),
                ("full_name", "Lê Thị Hoa"),
                ("sex", "female"),
                ("birth_date", "31/02/1990"),
                ("ethnicity", "Kinh"),
                ("cccd", "12345"),
                ("admitted_on", "01/01/2015"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.has("Ngày sinh: là ngày không có thật") && r.has("Số CCCD: phải gồm đúng 12 chữ số"),
            "{}",
            r.body
        );
        assert!(r.has("value=\"Lê Thị Hoa\""), "input kept");
        // Under 18 at admission.
        let r = post_form(
            &c,
            "/dang-vien/moi",
            &[
                ("cell", &cell),
                ("full_name", "Lê Thị Hoa"),
                ("sex", "female"),
                ("birth_date", "01/06/2000"),
                ("ethnicity", "Kinh"),
                ("admitted_on", "01/01/2018"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.has("Ngày kết nạp: đảng viên phải đủ 18 tuổi khi kết nạp"));
        // Same CCCD as another member.
        let r = post_form(
            &c,
            "/dang-vien/moi",
            &[
                ("cell", &cell),
                ("full_name", "Lê Thị Hoa"),
                ("sex", "female"),
                ("birth_date", "01/06/1990"),
                ("ethnicity", "Kinh"),
                ("cccd", "022080000001"),
                ("admitted_on", "01/01/2015"),
            ],
        )
        .await;
        assert!(r.has("Số CCCD: đã được dùng cho một đảng viên khác"));
        let r = post_form(
            &c,
            "/dang-vien/moi",
            &[
                ("cell", &cell),
                ("full_name", "Lê Thị Hoa"),
                ("sex", "female"),
                ("birth_date", "01/06/1990"),
                ("ethnicity", "Kinh"),
                ("admitted_on", "01/01/2015"),
                ("official", "true"),
                ("card_number", "12345678"),
                ("issued_on", "01/06/2016"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let loc = r.location.unwrap();
        let page = get(&c, loc.as_str()).await;
        assert!(
            page.has("Đã thêm đảng viên vào sổ") && page.has("Lê Thị Hoa") && page.has("12345678")
        );
        let hoa = loc
            .trim_start_matches("/dang-vien/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();

        // Events: a probationary-only rule and a valid exemption.
        let r = post_form(
            &c,
            &format!("/dang-vien/{hoa}/su-kien"),
            &[
                ("kind", "exempted"),
                ("on", "01/03/2020"),
                ("note", "Ốm dài ngày"),
                ("decision_ref", "2-NQ/CB"),
                ("decided_on", "01/03/2020"),
                ("decided_by", "Chi bộ Khu 3"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&c, &format!("/dang-vien/{hoa}")).await;
        assert!(page.has("Miễn công tác và sinh hoạt đảng") && page.has("Ốm dài ngày"));
        let r = post_form(
            &c,
            &format!("/dang-vien/{hoa}/su-kien"),
            &[("kind", "exempted"), ("on", "01/04/2020")],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.has("Số quyết định: chưa nhập"), "{}", r.body);
        let r = post_form(
            &c,
            &format!("/dang-vien/{hoa}/su-kien"),
            &[
                ("kind", "exempted"),
                ("on", "01/04/2020"),
                ("old_file", "true"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.has("Đảng viên không đang sinh hoạt bình thường"),
            "{}",
            r.body
        );
        // Correction with reason, then its row with the old value.
        let r = post_form(
            &c,
            &format!("/dang-vien/{hoa}/dinh-chinh"),
            &[
                ("field", "home_town"),
                ("value", "Thái Bình"),
                ("reason", ""),
            ],
        )
        .await;
        assert!(r.has("Lý do: chưa nhập") && r.has("value=\"Thái Bình\""));
        let r = post_form(
            &c,
            &format!("/dang-vien/{hoa}/dinh-chinh"),
            &[
                ("field", "home_town"),
                ("value", "Thái Bình"),
                ("reason", "Bổ sung theo lý lịch"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            get(&c, &format!("/dang-vien/{hoa}"))
                .await
                .has("Bổ sung theo lý lịch")
        );
        // Card: a number already used.
        let r = post_form(
            &c,
            &format!("/dang-vien/{}/the", fx.an.0),
            &[
                ("card_number", "12345678"),
                ("generation", "ct29_2003"),
                ("issued_on", "01/01/2010"),
            ],
        )
        .await;
        assert!(r.has("Số thẻ đảng viên: đã được cấp cho một đảng viên khác"));
        let r = post_form(
            &c,
            &format!("/dang-vien/{}/the", fx.an.0),
            &[
                ("card_number", "22345678"),
                ("generation", "ct29_2003"),
                ("issued_on", "01/01/2010"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);

        // Organisation forms.
        let g1 = fx.g1.0;
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/chuyen", fx.city.0),
            &[
                ("parent", &g1.to_string()),
                ("on", "01/01/2020"),
                ("reason", "thử"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.has("Tổ chức cấp trên: không thể chuyển một tổ chức vào chính nó"),
            "{}",
            r.body
        );
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/doi-ten", fx.cell.0),
            &[
                ("name", "Chi bộ Khu 3A"),
                ("on", "01/01/2021"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.has("Lý do: chưa nhập") && r.has("value=\"Chi bộ Khu 3A\""));
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/doi-ten", fx.cell.0),
            &[
                ("name", "Chi bộ Khu 3A"),
                ("on", "01/01/2021"),
                ("reason", "Đổi tên khu phố"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&c, r.location.as_deref().unwrap()).await;
        assert!(page.has("<h1>Chi bộ Khu 3A</h1>") && page.has("Đổi tên"));
        assert!(
            get(&c, &format!("/to-chuc/{}?ngay=31/12/2020", fx.cell.0))
                .await
                .has("<h1>Chi bộ Khu 3</h1>")
        );
        let r = post_form(
            &c,
            &format!("/to-chuc/{g1}/them-truc-thuoc"),
            &[
                ("name", "Chi bộ Khu 5"),
                ("kind", "chi_bo_truc_thuoc"),
                ("founded_on", "01/01/2022"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let new_cell = r
            .location
            .unwrap()
            .trim_start_matches("/to-chuc/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/bo-nhiem", fx.cell.0),
            &[
                ("position", "pho_bi_thu"),
                ("member", &fx.an.0.to_string()),
                ("term_label", "2025–2030"),
                ("on", "01/09/2025"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = get(&c, &format!("/to-chuc/{}", fx.cell.0)).await;
        assert!(page.has("Phó Bí thư"));
        let pid = page
            .body
            .split("name=\"position_id\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/ket-thuc-chuc-vu", fx.cell.0),
            &[
                ("position_id", &pid),
                ("on", "01/01/2026"),
                ("reason", "Chuyển công tác"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/chia-tach", fx.cell.0),
            &[
                ("new_name", "Chi bộ Khu 3B"),
                ("members_text", &fx.an.0.to_string()),
                ("on", "01/02/2026"),
                ("reason", "Chia khu"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/sap-nhap", fx.cell2.0),
            &[
                ("sources", &new_cell),
                ("on", "01/03/2026"),
                ("reason", "Sáp nhập khu"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/giai-the", fx.cell.0),
            &[("on", "01/04/2026"), ("reason", "Giải thể")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.has("Chi bộ nhận đảng viên: tổ chức còn đảng viên"),
            "{}",
            r.body
        );
        let r = post_form(
            &c,
            &format!("/to-chuc/{}/giai-the", fx.cell.0),
            &[
                ("on", "01/04/2026"),
                ("reason", "Giải thể"),
                ("members_to", &fx.cell2.0.to_string()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            get(&c, &format!("/to-chuc/{}", fx.cell.0))
                .await
                .has("không tồn tại vào ngày")
        );
        let r = post_form(
            &c,
            "/to-chuc/moi",
            &[
                ("name", "Đảng bộ tỉnh Bắc Ninh"),
                ("kind", "dang_bo_tinh"),
                ("founded_on", "01/01/1997"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let _ = fx.province;
    });
}

#[tokio::test]
async fn the_api_offers_what_the_pages_offer_with_json_errors() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let c = Client::admin(&app).await;
        let r = get(&c, "/api/v1/orgs?on=2018-12-31").await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert_eq!(v["nodes"][0]["name"], "Đảng bộ tỉnh Quảng Ninh");
        assert_eq!(v["nodes"][0]["counts"]["total"], 2);
        let r = get(&c, "/api/v1/orgs?on=2018-02-31").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["fields"]["on"], "là ngày không có thật");

        let r = post_json(&c, "/api/v1/orgs", json!({"name": "Chi bộ Khu 9", "kind": "chi_bo_truc_thuoc", "parent": fx.g1.0, "founded_on": "2020-01-01"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let k9 = r.json()["id"].as_i64().unwrap();
        let r = post_json(
            &c,
            "/api/v1/orgs",
            json!({"kind": "chi_bo_truc_thuoc", "parent": fx.city.0, "founded_on": "2020-02-30"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let v = r.json();
        assert_eq!(v["error"], "invalid_input");
        assert_eq!(v["fields"]["founded_on"], "là ngày không có thật");
        assert_eq!(v["fields"]["name"], "chưa nhập");
        let r = post_json(&c, "/api/v1/orgs", json!({"name": "X", "kind": "chi_bo_truc_thuoc", "parent": fx.city.0, "founded_on": "2020-01-01"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"], "parent_kind_not_allowed");

        let r = get(&c, &format!("/api/v1/orgs/{}", fx.g1.0)).await;
        assert_eq!(r.json()["period"]["name"], "Đảng bộ phường Nam Khê");
        assert_eq!(
            get(&c, "/api/v1/orgs/99999").await.json()["error"],
            "not_found"
        );
        let r = post_json(
            &c,
            &format!("/api/v1/orgs/{k9}/rename"),
            json!({"name": "Chi bộ Khu 9A", "on": "2021-01-01", "reason": "Đổi tên"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/orgs/{}/move", fx.g1.0),
            json!({"parent": k9, "on": "2021-01-01", "reason": "thử"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"], "tree_cycle");
        let r = post_json(&c, &format!("/api/v1/orgs/{}/committee", fx.cell.0), json!({"position": "pho_bi_thu", "member": fx.an.0, "term_label": "2025–2030", "on": "2025-09-01"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = post_json(&c, &format!("/api/v1/orgs/{}/split", fx.cell.0), json!({"new_name": "Chi bộ Khu 3B", "members": [fx.an.0], "children": [], "on": "2026-01-01", "reason": "Chia"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let k3b = r.json()["id"].as_i64().unwrap();
        let r = post_json(
            &c,
            &format!("/api/v1/orgs/{k9}/merge"),
            json!({"sources": [k3b], "on": "2026-02-01", "reason": "Gộp"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/orgs/{}/dissolve", fx.cell2.0),
            json!({"on": "2026-03-01", "reason": "Không còn đảng viên"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["members_moved"], 0);

        let r = get(
            &c,
            &format!("/api/v1/orgs/{}/members?q=duc&per_page=10", fx.province.0),
        )
        .await;
        let v = r.json();
        assert_eq!(v["total"], 1);
        assert_eq!(v["items"][0]["full_name"], "Nguyễn Văn Đức");
        let r = get(&c, &format!("/api/v1/orgs/{}/members", fx.province.0)).await;
        let names: Vec<String> = r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["full_name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, vec!["Trần Văn An", "Nguyễn Văn Đức"]);

        let r = post_json(&c, "/api/v1/members", json!({"full_name": "Hoàng Thị Lan", "sex": "female", "birth_date": "1992-31-01", "ethnicity": "Tày", "cccd": "0123", "cell": k9, "admitted_on": "2016-05-19"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let v = r.json();
        assert_eq!(v["fields"]["cccd"], "phải gồm đúng 12 chữ số");
        assert!(v["fields"]["birth_date"].is_string());
        let r = post_json(&c, "/api/v1/members", json!({"full_name": "Hoàng Thị Lan", "sex": "female", "birth_date": "1992-01-31", "ethnicity": "Tày", "cell": k9, "admitted_on": "2016-05-19", "joined_on": "2020-02-01", "official": true})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let lan = r.json()["id"].as_i64().unwrap();
        let r = post_json(&c, &format!("/api/v1/members/{lan}/events"), json!({"kind": "disciplined", "on": "2020-06-01", "discipline": "canh_cao", "decision_ref": "5-QĐ/ĐU"})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(
            r.json()["fields"]["decided_by"],
            "chưa nhập",
            "R15: the decision whole"
        );
        let r = post_json(&c, &format!("/api/v1/members/{lan}/events"), json!({"kind": "disciplined", "on": "2020-06-01", "discipline": "canh_cao", "decision_ref": "5-QĐ/ĐU", "decided_on": "2020-06-01", "decided_by": "Ủy ban Kiểm tra Đảng ủy"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/members/{lan}/corrections"),
            json!({"field": "ethnicity", "value": "Dao", "reason": "Theo giấy khai sinh"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = post_json(
            &c,
            &format!("/api/v1/members/{lan}/cards"),
            json!({"card_number": "1234", "issued_on": "2018-01-01"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            r.json()["fields"]["card_number"],
            "không đúng dạng (thẻ 2003: 8 chữ số)"
        );
        let r = post_json(
            &c,
            &format!("/api/v1/members/{lan}/cards"),
            json!({"card_number": "55555555", "issued_on": "2018-01-01"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let v = get(&c, &format!("/api/v1/members/{lan}")).await.json();
        assert_eq!(v["status"], "official");
        // Coded fields are kept as codes (Dao is 09, Tày 02) and named beside the record.
        assert_eq!(v["record"]["ethnicity"], "09");
        assert_eq!(v["record_names"]["ethnicity"], "Dao");
        assert_eq!(v["corrections"][0]["old_value"], "02");
        let kinds: Vec<&str> = v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            vec!["admitted", "made_official", "transferred_in", "disciplined"]
        );
        assert_eq!(v["cards"][0]["number"], "55555555");
        assert_eq!(
            get(&c, "/api/v1/members/999999").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&c, "/api/v1/khong-co").await.json()["error"],
            "not_found"
        );
    });
}

#[tokio::test]
async fn openapi_document_and_swagger_ui_are_served() {
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    // Public: no sign-in needed to read the API's description.
    let c = Client::anonymous(&app);
    let r = get(&c, "/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    for p in [
        "/api/v1/orgs",
        "/api/v1/orgs/{id}/move",
        "/api/v1/members/{id}/events",
        "/api/v1/orgs/{id}/members",
        "/api/v1/session",
        "/api/v1/audit",
        "/api/v1/reviews",
        "/api/v1/reviews/{id}/report",
        "/api/v1/reviews/{id}/report.xlsx",
        "/api/v1/reviews/{id}/steps",
        "/api/v1/reviews/{id}/decisions",
        "/api/v1/reviews/{id}/lock",
        "/api/v1/reviews/{id}/corrections",
        "/api/v1/reviews/{id}/commendations",
        "/api/v1/reviews/{id}/orgs/{org}",
        "/api/v1/reviews/{id}/members/{member}",
        "/api/v1/meetings",
        "/api/v1/meetings/{id}",
        "/api/v1/meetings/{id}/adopt",
        "/api/v1/orgs/{id}/meetings",
        "/api/v1/orgs/{id}/programme",
        "/api/v1/orgs/{id}/programme/pushes",
        "/api/v1/programme/pushes/{id}",
    ] {
        assert!(v["paths"][p].is_object(), "{p} missing");
    }
    assert!(v["components"]["schemas"]["ApiErrorBody"].is_object());
    assert_eq!(
        v["components"]["securitySchemes"]["csrf"]["name"],
        "X-CSRF-Token"
    );
    assert_eq!(
        v["components"]["securitySchemes"]["session"]["in"],
        "cookie"
    );
    let r = get(&c, "/api/docs/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has("swagger"), "{}", &r.body[..r.body.len().min(300)]);
    db.cleanup().await;
}

mod access;
mod accountability;
mod api_doc;
mod badges;
mod cards;
mod dues;
mod import;
mod lifecycle;
mod meetings;
mod review;
mod stats;
mod transfers;
