//! End to end in headless Chromium (Debian `chromium` + `chromium-driver`): open the demo,
//! walk the tree to a cell, open a member, find her by a search without diacritics.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_driver() -> Option<&'static str> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

#[tokio::test]
async fn a_secretary_finds_a_member_in_the_demo() {
    let Some(driver) = find_driver() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but chromedriver is missing: install chromium and chromium-driver");
        }
        eprintln!("SKIPPED: chromedriver not installed (apt-get install chromium chromium-driver)");
        return;
    };
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
        c.find(Locator::Css("form button[type=submit]"))
            .await?
            .click()
            .await?;
        // The tree: open the ward's đảng bộ, then one of its cells.
        let ward = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::LinkText("Đảng bộ phường Vàng Danh"))
            .await?;
        assert_eq!(c.current_url().await?.path(), "/to-chuc");
        ward.click().await?;
        assert!(
            c.find(Locator::Css("h1"))
                .await?
                .text()
                .await?
                .contains("Đảng bộ phường Vàng Danh")
        );
        c.find(Locator::LinkText("Đảng bộ phường Nam Khê"))
            .await?
            .click()
            .await?;
        c.find(Locator::LinkText("Chi bộ Khu 1"))
            .await?
            .click()
            .await?;
        assert_eq!(
            c.find(Locator::Css("h1")).await?.text().await?,
            "Chi bộ Khu 1"
        );
        c.find(Locator::LinkText("Danh sách đảng viên"))
            .await?
            .click()
            .await?;
        let first = c.find(Locator::Css("table.members tbody tr td a")).await?;
        let name = first.text().await?;
        first.click().await?;
        assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, name);
        assert!(c.source().await?.contains("Quá trình"));
        // Search her without diacritics.
        let folded = dangvu_domain::text::fold(&name);
        let search = c
            .find(Locator::Css("header form.search input[name=q]"))
            .await?;
        search.send_keys(&folded).await?;
        c.find(Locator::Css("header form.search button"))
            .await?
            .click()
            .await?;
        let src = c.source().await?;
        assert!(src.contains("khớp với"), "search page");
        let hit = c.find(Locator::LinkText(&name)).await?;
        hit.click().await?;
        assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, name);
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    db.cleanup().await;
    r.unwrap();
}
