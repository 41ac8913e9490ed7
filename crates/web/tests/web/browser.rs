//! End to end in headless Chromium (Debian `chromium` + `chromium-driver`): open the demo,
//! walk the tree to a cell, open a member, find her by a search without diacritics.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn find_driver() -> Option<&'static str> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

/// One Chromium at a time: two at once on two cores make page loads race their checks.
pub(crate) static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The driver, or None (the test is skipped) when Chromium is not installed, except on CI.
pub(crate) fn driver_or_skip() -> Option<&'static str> {
    let d = find_driver();
    if d.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but chromedriver is missing: install chromium and chromium-driver");
        }
        eprintln!("SKIPPED: chromedriver not installed (apt-get install chromium chromium-driver)");
    }
    d
}

/// Serves the app on a free port and opens headless Chromium on a phone-sized window.
pub(crate) async fn start(
    app: &dangvu_app::App,
    driver: &str,
) -> (
    fantoccini::Client,
    Driver,
    tokio::task::JoinHandle<std::io::Result<()>>,
    String,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let server = tokio::spawn(dangvu_web::serve(
        app.clone(),
        dangvu_web::WebConfig::default(),
        listener,
    ));

    let port = dangvu_testkit::free_port();
    let _driver = Driver(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"binary": "/usr/bin/chromium", "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=412,915"]}),
    );
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("chromedriver did not start");
    let base = format!("http://{addr}");
    (c, _driver, server, base)
}

/// Clicks a form's button, waits for the next page to replace this one, and returns the
/// message the form left (success or error box).
pub(crate) async fn submit(
    c: &fantoccini::Client,
    button: &str,
) -> Result<String, fantoccini::error::CmdError> {
    click_and_wait(c, button).await?;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("div.alert"))
        .await?
        .text()
        .await
}

/// Clicks and waits until the next page has replaced this one.
pub(crate) async fn click_and_wait(
    c: &fantoccini::Client,
    css: &str,
) -> Result<(), fantoccini::error::CmdError> {
    follow(c, Locator::Css(css)).await
}

/// Clicks what the locator finds (waiting for it to appear) and waits until the next page has
/// replaced this one.
pub(crate) async fn follow(
    c: &fantoccini::Client,
    what: Locator<'_>,
) -> Result<(), fantoccini::error::CmdError> {
    let target = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(what)
        .await?;
    let old = c.find(Locator::Css("body")).await?;
    target.click().await?;
    for _ in 0..100 {
        if old.text().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Signs out through the header's menu (opened first where it is folded, as on a phone).
pub(crate) async fn sign_out(c: &fantoccini::Client) -> Result<(), fantoccini::error::CmdError> {
    open_menu(c).await?;
    click_and_wait(c, "details.menu form.inline button").await
}

/// Opens the header's menu where it is folded (a phone's width).
pub(crate) async fn open_menu(c: &fantoccini::Client) -> Result<(), fantoccini::error::CmdError> {
    let menu = c.find(Locator::Css("details.menu")).await?;
    if menu.attr("open").await?.is_none() {
        c.find(Locator::Css("details.menu > summary"))
            .await?
            .click()
            .await?;
    }
    Ok(())
}

/// A province, a grassroots đảng bộ under it and a cell under that (founded in 1975), with
/// the cell's members (name, official, admission date), each born on 2/3/1980 with `fields`.
pub(crate) async fn ward_with_cell(
    app: &dangvu_app::App,
    ward: &str,
    cell: &str,
    members: &[(&str, bool, chrono::NaiveDate)],
    fields: &[(&str, &str)],
) -> (
    dangvu_domain::ids::OrgId,
    dangvu_domain::ids::OrgId,
    Vec<dangvu_domain::ids::MemberId>,
) {
    use dangvu_app::members::NewMember;
    use dangvu_app::orgs::NewOrg;
    use dangvu_domain::org::OrgKind;
    let sys = dangvu_app::Actor::new("kiểm thử");
    let mk = |name: &str, kind, parent| NewOrg {
        name: name.into(),
        kind,
        parent,
        founded_on: dangvu_testkit::d(1975, 1, 1),
        decision_ref: None,
    };
    let province = app
        .create_org(
            &sys,
            mk("Đảng bộ tỉnh Quảng Ninh", OrgKind::DangBoTinh, None),
        )
        .await
        .unwrap();
    let g = app
        .create_org(&sys, mk(ward, OrgKind::DangBoCoSo, Some(province)))
        .await
        .unwrap();
    let c = app
        .create_org(&sys, mk(cell, OrgKind::ChiBoTrucThuoc, Some(g)))
        .await
        .unwrap();
    let mut record_fields = vec![("birth_date", "1980-03-02")];
    record_fields.extend_from_slice(fields);
    let mut ids = Vec::new();
    for (n, official, admitted) in members {
        ids.push(
            app.create_member(
                &sys,
                NewMember {
                    record: dangvu_testkit::record(n, &record_fields),
                    cell: c,
                    admitted_on: *admitted,
                    joined_on: None,
                    official: *official,
                    decision_ref: None,
                    card: None,
                },
            )
            .await
            .unwrap(),
        );
    }
    (g, c, ids)
}

/// Signs in through the form.
pub(crate) async fn sign_in(
    c: &fantoccini::Client,
    base: &str,
    user: &str,
) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/dang-nhap")).await?;
    c.find(Locator::Css("input[name=username]"))
        .await?
        .send_keys(user)
        .await?;
    c.find(Locator::Css("input[name=password]"))
        .await?
        .send_keys(dangvu_testkit::TEST_PASSWORD)
        .await?;
    click_and_wait(c, "form button[type=submit]").await
}

#[tokio::test]
async fn a_secretary_finds_a_member_in_the_demo() {
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    app.load_demo(&|_, _| {}).await.unwrap();
    let province = app
        .roots(&dangvu_app::Actor::system(), app.clock.today())
        .await
        .unwrap()[0];
    dangvu_testkit::user_with(
        &app,
        "bantochuc",
        dangvu_domain::access::Role::Officer,
        Some(province),
        None,
    )
    .await;
    let (c, _driver, server, base) = start(&app, driver).await;
    let run = async {
        c.goto(&format!("{base}/")).await?;
        // Not signed in: the sign-in page, then back to where she was going.
        assert!(c.current_url().await?.path().starts_with("/dang-nhap"));
        c.find(Locator::Css("input[name=username]"))
            .await?
            .send_keys("bantochuc")
            .await?;
        c.find(Locator::Css("input[name=password]"))
            .await?
            .send_keys(dangvu_testkit::TEST_PASSWORD)
            .await?;
        follow(&c, Locator::Css("form button[type=submit]")).await?;
        // The tree: open the ward's đảng bộ, then one of its cells.
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::LinkText("Đảng bộ phường Vàng Danh"))
            .await?;
        assert_eq!(c.current_url().await?.path(), "/to-chuc");
        follow(&c, Locator::LinkText("Đảng bộ phường Vàng Danh")).await?;
        assert!(
            c.find(Locator::Css("h1"))
                .await?
                .text()
                .await?
                .contains("Đảng bộ phường Vàng Danh")
        );
        follow(&c, Locator::LinkText("Đảng bộ phường Nam Khê")).await?;
        follow(&c, Locator::LinkText("Chi bộ Khu 1")).await?;
        assert_eq!(
            c.find(Locator::Css("h1")).await?.text().await?,
            "Chi bộ Khu 1"
        );
        follow(&c, Locator::LinkText("Danh sách đảng viên")).await?;
        let name = c
            .find(Locator::Css("table.members tbody tr td a"))
            .await?
            .text()
            .await?;
        follow(&c, Locator::Css("table.members tbody tr td a")).await?;
        assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, name);
        assert!(c.source().await?.contains("Quá trình"));
        // Search her without diacritics.
        let folded = dangvu_domain::text::fold(&name);
        let search = c
            .find(Locator::Css("header form.search input[name=q]"))
            .await?;
        search.send_keys(&folded).await?;
        follow(&c, Locator::Css("header form.search button")).await?;
        let src = c.source().await?;
        assert!(src.contains("khớp với"), "search page");
        follow(&c, Locator::LinkText(&name)).await?;
        assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, name);
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    db.cleanup().await;
    r.unwrap();
}

#[tokio::test]
async fn a_cell_secretary_enters_the_review_and_the_grassroots_committee_decides() {
    use dangvu_app::Actor;
    use dangvu_app::members::NewMember;
    use dangvu_app::orgs::NewOrg;
    use dangvu_app::review_flow::{StepInput, StepKind, Subject};
    use dangvu_domain::access::Role;
    use dangvu_domain::org::OrgKind;
    use dangvu_testkit::d;
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let sys = Actor::new("kiểm thử");
    let mk = |name: &str, kind, parent| NewOrg {
        name: name.into(),
        kind,
        parent,
        founded_on: d(1975, 1, 1),
        decision_ref: None,
    };
    let province = app
        .create_org(
            &sys,
            mk("Đảng bộ tỉnh Quảng Ninh", OrgKind::DangBoTinh, None),
        )
        .await
        .unwrap();
    let city = app
        .create_org(
            &sys,
            mk(
                "Đảng bộ thành phố Uông Bí",
                OrgKind::DangBoHuyen,
                Some(province),
            ),
        )
        .await
        .unwrap();
    let g1 = app
        .create_org(
            &sys,
            mk("Đảng bộ phường Nam Khê", OrgKind::DangBoCoSo, Some(city)),
        )
        .await
        .unwrap();
    let cell = app
        .create_org(&sys, mk("Chi bộ Khu 5", OrgKind::ChiBoTrucThuoc, Some(g1)))
        .await
        .unwrap();
    let mut names = Vec::new();
    for (i, n) in ["Phạm Thị Ánh", "Đỗ Văn Bình"].iter().enumerate() {
        app.create_member(
            &sys,
            NewMember {
                record: dangvu_testkit::record(
                    n,
                    &[
                        ("sex", if i == 0 { "female" } else { "male" }),
                        ("birth_date", "1985-03-02"),
                    ],
                ),
                cell,
                admitted_on: d(2008, 1, 1),
                joined_on: None,
                official: true,
                decision_ref: None,
                card: None,
            },
        )
        .await
        .unwrap();
        names.push(*n);
    }
    let p = app
        .open_review(
            &sys,
            city,
            "Đánh giá năm 2019",
            dangvu_domain::review::Period::year(2019),
        )
        .await
        .unwrap();
    // The grassroots committee has reviewed itself (R28).
    app.record_step(
        &sys,
        p,
        Subject::Collective(g1),
        StepKind::SelfAssessment,
        StepInput {
            content: "Đảng ủy phường tự kiểm điểm".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    dangvu_testkit::user_with(&app, "bithu.khu5", Role::Secretary, Some(cell), None).await;
    dangvu_testkit::user_with(&app, "bithu.namkhe", Role::Secretary, Some(g1), None).await;
    let (c, _driver, server, base) = start(&app, driver).await;
    let run = async {
        sign_in(&c, &base, "bithu.khu5").await?;
        open_menu(&c).await?;
        follow(&c, Locator::LinkText("Đánh giá, xếp loại")).await?;
        follow(&c, Locator::LinkText("Đánh giá năm 2019")).await?;
        follow(&c, Locator::Css("form.filter button")).await?;
        assert!(
            c.find(Locator::Css("h1"))
                .await?
                .text()
                .await?
                .starts_with("Chi bộ Khu 5")
        );
        for name in &names {
            follow(&c, Locator::LinkText(name)).await?;
            c.find(Locator::Css(
                "form:has(input[name=step][value=self]) textarea[name=content]",
            ))
            .await?
            .send_keys("Đã hoàn thành tốt nhiệm vụ được giao; còn ít phát biểu.")
            .await?;
            assert_eq!(
                submit(&c, "form:has(input[name=step][value=self]) button").await?,
                "Đã ghi."
            );
            c.find(Locator::Css(
                "form:has(input[name=step][value=proposal]) select[name=level]",
            ))
            .await?
            .select_by_value("htt")
            .await?;
            assert_eq!(
                submit(&c, "form:has(input[name=step][value=proposal]) button").await?,
                "Đã ghi."
            );
            assert!(c.source().await?.contains("Đề xuất xếp loại"));
            follow(&c, Locator::LinkText("Phiếu của chi bộ")).await?;
        }
        // The sheet shows both proposals; the cell's secretary is not the deciding body of
        // her own cell, but the members' decisions are the grassroots committee's to take.
        let src = c.source().await?;
        assert_eq!(
            src.matches("hoàn thành tốt nhiệm vụ</td>").count(),
            2,
            "two proposals"
        );
        sign_out(&c).await?;
        sign_in(&c, &base, "bithu.namkhe").await?;
        c.goto(&format!("{base}/danh-gia/{p}/to-chuc/{}", cell.0))
            .await?;
        assert_eq!(
            submit(&c, "form:has(input[name=action][value=decide_all]) button").await?,
            "Đã xếp loại theo đề xuất."
        );
        c.find(Locator::Css(
            "form:has(input[name=action][value=decide_org]) select[name=level]",
        ))
        .await?
        .select_by_value("htt")
        .await?;
        assert_eq!(
            submit(&c, "form:has(input[name=action][value=decide_org]) button").await?,
            "Đã ghi quyết định xếp loại."
        );
        follow(&c, Locator::LinkText("Báo cáo")).await?;
        let text = c.find(Locator::Css("p.paragraph")).await?.text().await?;
        assert!(text.contains("1 chi bộ hoàn thành tốt nhiệm vụ"), "{text}");
        assert!(
            text.contains("2 đảng viên hoàn thành tốt nhiệm vụ"),
            "{text}"
        );
        assert!(
            c.find(Locator::Css("figure svg")).await.is_ok(),
            "the chart"
        );
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    db.cleanup().await;
    r.unwrap();
}

#[tokio::test]
async fn a_cell_secretary_records_a_meeting_adopts_and_prints_its_minutes() {
    use dangvu_domain::access::Role;
    use dangvu_testkit::d;
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let (_, cell, ids) = ward_with_cell(
        &app,
        "Đảng bộ phường Yên Tử",
        "Chi bộ Khu 2",
        &[
            ("Vũ Thị Lan", true, d(2001, 3, 1)),
            ("Đinh Văn Hùng", true, d(2003, 5, 1)),
            ("Hà Văn Nam", true, d(2005, 9, 2)),
            ("Lương Thị Mai", false, d(2026, 1, 10)),
        ],
        &[],
    )
    .await;
    dangvu_testkit::user_with(&app, "bithu.khu2", Role::Secretary, Some(cell), None).await;
    let (c, _driver, server, base) = start(&app, driver).await;
    let run = async {
        sign_in(&c, &base, "bithu.khu2").await?;
        c.goto(&format!("{base}/to-chuc/{}", cell.0)).await?;
        follow(&c, Locator::LinkText("Sinh hoạt chi bộ")).await?;
        let field = |name: &'static str| format!("form.meeting [name={name}]");
        let fill = |name: &'static str, value: &'static str| {
            let c = c.clone();
            let css = field(name);
            async move {
                let e = c.find(Locator::Css(&css)).await?;
                e.clear().await?;
                e.send_keys(value).await
            }
        };
        fill("held_on", "10/06/2026").await?;
        fill("starts_at", "19:30").await?;
        fill("ends_at", "21:10").await?;
        fill("place", "Nhà văn hóa khu 2").await?;
        fill(
            "resolution",
            "Chi bộ thống nhất tổ chức ra quân vệ sinh môi trường.",
        )
        .await?;
        // Two of three official members present: the quorum; the probationary one does not vote.
        fill("votes_yes", "2").await?;
        c.find(Locator::Css(&field("chair")))
            .await?
            .select_by_value(&ids[0].0.to_string())
            .await?;
        c.find(Locator::Css(&field("minute_taker")))
            .await?
            .select_by_value(&ids[3].0.to_string())
            .await?;
        c.find(Locator::Css(&format!("select[name=att_{}]", ids[1].0)))
            .await?
            .select_by_value("absent_excused")
            .await?;
        c.find(Locator::Css(&format!("input[name=reason_{}]", ids[1].0)))
            .await?
            .send_keys("Đi công tác")
            .await?;
        assert_eq!(
            submit(&c, "form.meeting button[type=submit]").await?,
            "Đã ghi biên bản; hãy kiểm tra rồi thông qua."
        );
        let text = c
            .find(Locator::Css("article.minutes"))
            .await?
            .text()
            .await?;
        for s in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "BIÊN BẢN",
            "vắng có lý do: 1 (Đinh Văn Hùng (Đi công tác))",
            "tán thành 2",
            "Nghị quyết được thông qua.",
            "THƯ KÝ",
            "CHỦ TRÌ",
        ] {
            assert!(text.contains(s), "{s}: {text}");
        }
        // Adopt (the page asks to confirm), then the minutes are locked.
        let old = c.find(Locator::Css("body")).await?;
        c.find(Locator::Css("form.actions button"))
            .await?
            .click()
            .await?;
        c.accept_alert().await?;
        for _ in 0..100 {
            if old.text().await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let src = c.source().await?;
        assert!(
            src.contains("Biên bản đã được thông qua và khóa."),
            "adopted"
        );
        assert!(
            !src.contains("Thông qua biên bản</button>"),
            "no second adoption"
        );
        // Print: the page's print link opens the browser's printing of the A4 layout.
        c.find(Locator::Css("a[data-print]")).await?.click().await?;
        assert!(c.find(Locator::Css("article.minutes")).await.is_ok());
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    db.cleanup().await;
    r.unwrap();
}

/// The import page in Chromium: a file chosen, sent by the page's script, its report shown
/// below the form (a wrong row named by its row and column), then a good file checked and
/// imported after the confirmation.
#[tokio::test]
async fn an_officer_imports_a_workbook_through_the_page() {
    use dangvu_app::Actor;
    use dangvu_app::orgs::NewOrg;
    use dangvu_domain::access::Role;
    use dangvu_domain::org::OrgKind;
    use dangvu_testkit::{Cell, d, s, xlsx};
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let sys = Actor::new("kiểm thử");
    let mk = |name: &str, kind, parent| NewOrg {
        name: name.into(),
        kind,
        parent,
        founded_on: d(1975, 1, 1),
        decision_ref: None,
    };
    let province = app
        .create_org(
            &sys,
            mk("Đảng bộ tỉnh Quảng Ninh", OrgKind::DangBoTinh, None),
        )
        .await
        .unwrap();
    let g = app
        .create_org(
            &sys,
            mk("Đảng bộ phường Yên Tử", OrgKind::DangBoCoSo, Some(province)),
        )
        .await
        .unwrap();
    app.create_org(&sys, mk("Chi bộ Khu 5", OrgKind::ChiBoTrucThuoc, Some(g)))
        .await
        .unwrap();
    dangvu_testkit::user_with(&app, "bantochuc", Role::Officer, Some(g), None).await;
    let dir = std::env::temp_dir().join(format!("dangvu-browser-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let head = vec![
        s("Họ và tên"),
        s("Giới tính"),
        s("Ngày sinh"),
        s("Dân tộc"),
        s("Ngày vào Đảng"),
        s("Chi bộ"),
    ];
    let bad = dir.join("loi.xlsx");
    std::fs::write(
        &bad,
        xlsx(
            "DS",
            &[
                head.clone(),
                vec![
                    s("Phùng Văn Khải"),
                    s("Nam"),
                    s("31/04/1980"),
                    s("Kinh"),
                    s("01/01/2010"),
                    s("Khu 5"),
                ],
            ],
            &[],
        ),
    )
    .unwrap();
    let good = dir.join("dung.xlsx");
    std::fs::write(
        &good,
        xlsx(
            "DS",
            &[
                head,
                vec![
                    s("Phùng Văn Khải"),
                    s("Nam"),
                    Cell::D(1980, 4, 30),
                    s("Kinh"),
                    s("01/01/2010"),
                    s("Khu 5"),
                ],
            ],
            &[],
        ),
    )
    .unwrap();
    let (c, _driver, server, base) = start(&app, driver).await;
    let run = async {
        sign_in(&c, &base, "bantochuc").await?;
        c.goto(&format!("{base}/to-chuc/{}", g.0)).await?;
        follow(&c, Locator::LinkText("Nhập từ Excel")).await?;
        let report = |text: &'static str| {
            let c = c.clone();
            async move {
                for _ in 0..100 {
                    let t = c.find(Locator::Css("#import-report")).await?.text().await?;
                    if t.contains(text) {
                        return Ok::<String, fantoccini::error::CmdError>(t);
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                let t = c.find(Locator::Css("#import-report")).await?.text().await?;
                panic!("no «{text}» in the report: {t}")
            }
        };
        c.find(Locator::Css("input[name=tep]"))
            .await?
            .send_keys(bad.to_str().unwrap())
            .await?;
        c.find(Locator::Css("button[value='1']"))
            .await?
            .click()
            .await?;
        report("Dòng 2, cột C — Ngày sinh: là ngày không có thật").await?;
        let t = report("Chưa ghi gì").await?;
        assert!(t.contains("1 dòng có lỗi"), "{t}");
        // The good file: checked, then written after the confirmation.
        let input = c.find(Locator::Css("input[name=tep]")).await?;
        input.clear().await?;
        input.send_keys(good.to_str().unwrap()).await?;
        c.find(Locator::Css("button[value='1']"))
            .await?
            .click()
            .await?;
        report("1 thêm mới").await?;
        report("Kiểm tra xong, chưa ghi gì").await?;
        c.find(Locator::Css("button[value='0']"))
            .await?
            .click()
            .await?;
        c.accept_alert().await?;
        report("Đã nhập toàn bộ tệp.").await?;
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    r.unwrap();
    let n = app
        .count_in_subtree(&sys, g, app.clock.today())
        .await
        .unwrap();
    assert_eq!(n, 1);
    std::fs::remove_dir_all(&dir).ok();
    db.cleanup().await;
}
