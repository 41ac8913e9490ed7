//! Without a network, in headless Chromium (its offline emulation): the pages opened before
//! load again, a meeting's record and a dues payment are kept on the phone as "chưa gửi", and
//! once the network returns they are sent and stored once; a record the server refuses comes
//! back with the reason, her text kept.

use std::time::Duration;

use fantoccini::Locator;

use crate::browser::{ONE_BROWSER, driver_or_skip, sign_in, start, ward_with_cell};

/// Chromium's network emulation, through ChromeDriver.
#[derive(Debug)]
struct Network {
    offline: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Network {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = serde_json::json!({"network_conditions": {
            "offline": self.offline,
            "latency": 0,
            "download_throughput": 1_000_000,
            "upload_throughput": 1_000_000,
        }});
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

/// Waits until the script answers true.
async fn until(
    c: &fantoccini::Client,
    script: &str,
    what: &str,
) -> Result<(), fantoccini::error::CmdError> {
    for _ in 0..100 {
        if c.execute(script, vec![]).await?.as_bool() == Some(true) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!("waited in vain for: {what}");
}

/// Fills the meeting form and sends it with its button (the page's script takes it over).
async fn record(
    c: &fantoccini::Client,
    fields: &[(&str, &str)],
) -> Result<(), fantoccini::error::CmdError> {
    for (name, value) in fields {
        let e = c
            .find(Locator::Css(&format!("form.meeting [name={name}]")))
            .await?;
        e.clear().await?;
        e.send_keys(value).await?;
    }
    c.find(Locator::Css("form.meeting button[type=submit]"))
        .await?
        .click()
        .await
}

const QUEUE: &str = "return JSON.parse(localStorage.getItem('dangvu.chua-gui') || '[]')";

#[tokio::test]
async fn a_meeting_recorded_offline_is_sent_when_the_network_returns_and_stored_once() {
    use dangvu_app::Actor;
    use dangvu_domain::access::Role;
    use dangvu_testkit::d;
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let admitted = d(2001, 3, 1);
    let (_, cell, members) = ward_with_cell(
        &app,
        "Đảng bộ phường Yên Thanh",
        "Chi bộ Khu 7",
        &[
            ("Vũ Thị Lan", true, admitted),
            ("Đinh Văn Hùng", true, admitted),
            ("Hà Văn Nam", true, admitted),
        ],
        &[],
    )
    .await;
    let sys = Actor::new("kiểm thử");
    // Her dues are 1 % of 6,000,000 a month, paid through December 2025.
    app.set_dues_basis(
        &sys,
        members[0],
        dangvu_app::dues::BasisInput {
            from: d(2026, 1, 1),
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
    dangvu_testkit::user_with(&app, "bithu.khu7", Role::Secretary, Some(cell), None).await;
    let (c, _driver, server, base) = start(&app, driver).await;
    let page = format!("{base}/to-chuc/{}/sinh-hoat", cell.0);
    let dues = format!("{base}/dang-vien/{}/dang-phi", members[0].0);
    let run = async {
        sign_in(&c, &base, "bithu.khu7").await?;
        c.goto(&page).await?;
        // The service worker takes the page over; the page is then kept on the device.
        until(
            &c,
            "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
            "the service worker",
        )
        .await
        .or_else(|_| Ok::<(), fantoccini::error::CmdError>(()))?;
        c.refresh().await?;
        until(
            &c,
            "return !!navigator.serviceWorker.controller",
            "the service worker controls the page",
        )
        .await?;
        c.refresh().await?;
        c.goto(&dues).await?;
        c.goto(&page).await?;

        c.issue_cmd(Network { offline: true }).await?;
        c.refresh().await?;
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("form.meeting"))
            .await?;
        assert_eq!(
            c.execute("return navigator.onLine", vec![])
                .await?
                .as_bool(),
            Some(false),
            "offline"
        );
        // A good record and one the server will refuse (more votes than members present).
        let good = [
            ("held_on", "10/06/2026"),
            ("starts_at", "19:30"),
            ("ends_at", "21:00"),
            ("place", "Nhà văn hóa khu 7"),
            (
                "resolution",
                "Chi bộ thống nhất ra quân vệ sinh môi trường.",
            ),
            ("votes_yes", "3"),
        ];
        record(&c, &good).await?;
        until(
            &c,
            "const b = document.getElementById('chua-gui'); return !!b && b.textContent.includes('Chưa gửi (1)') && b.textContent.includes('chưa gửi')",
            "the record kept as chưa gửi",
        )
        .await?;
        let refused = [
            ("held_on", "24/06/2026"),
            ("starts_at", "19:30"),
            ("ends_at", "21:00"),
            ("place", "Nhà văn hóa khu 7"),
            ("resolution", "Văn bản của chị được giữ nguyên."),
            ("votes_yes", "9"),
        ];
        record(&c, &refused).await?;
        until(
            &c,
            "return document.getElementById('chua-gui').textContent.includes('Chưa gửi (2)')",
            "both records kept",
        )
        .await?;
        // A dues payment too, on her dues page opened before.
        c.goto(&dues).await?;
        for (name, value) in [
            ("from_month", "01/2026"),
            ("to_month", "05/2026"),
            ("paid_on", "20/05/2026"),
        ] {
            let e = c
                .find(Locator::Css(&format!("form[data-offline] [name={name}]")))
                .await?;
            e.clear().await?;
            e.send_keys(value).await?;
        }
        c.find(Locator::Css("form[data-offline] button[type=submit]"))
            .await?
            .click()
            .await?;
        until(
            &c,
            "const b = document.getElementById('chua-gui'); return !!b && b.textContent.includes('Chưa gửi (3)') && b.textContent.includes('Thu đảng phí')",
            "the payment kept too",
        )
        .await?;
        c.goto(&page).await?;
        let kept = c.execute(QUEUE, vec![]).await?;
        assert_eq!(kept.as_array().map(Vec::len), Some(3), "{kept}");
        let good_body = kept[0]["body"].as_str().unwrap_or_default().to_string();
        assert!(good_body.contains("_key="), "{good_body}");

        // The network returns: the kept records are sent.
        c.issue_cmd(Network { offline: false }).await?;
        c.refresh().await?;
        until(
            &c,
            "const q = JSON.parse(localStorage.getItem('dangvu.chua-gui') || '[]'); return q.length === 1 && q[0].reason !== ''",
            "the good record sent, the other refused",
        )
        .await?;
        let left = c.execute(QUEUE, vec![]).await?;
        let reason = left[0]["reason"].as_str().unwrap_or_default().to_string();
        assert!(reason.contains("phiếu"), "the refusal's reason: {reason}");
        assert!(
            left[0]["body"]
                .as_str()
                .unwrap_or_default()
                .contains("V%C4%83n+b%E1%BA%A3n+c%E1%BB%A7a+ch%E1%BB%8B"),
            "her text is kept: {left}"
        );
        c.refresh().await?;
        let shown = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("chua-gui"))
            .await?
            .text()
            .await?;
        assert!(shown.contains("bị từ chối"), "{shown}");
        c.goto(&dues).await?;
        // January to May from the payment, June from the meeting's dues column.
        let src = c.source().await?;
        assert!(
            src.contains("Đã đóng đảng phí hết tháng <strong>06/2026</strong>")
                && src.contains("20/05/2026"),
            "the payment sent"
        );
        c.goto(&page).await?;
        // Sending the good record once more (an answer lost on the way) records nothing new.
        let status = c
            .execute(
                "const p = new URLSearchParams(arguments[0]); p.set('_csrf', document.querySelector('input[name=_csrf]').value); \
                 return fetch(arguments[1], {method: 'POST', body: p.toString(), credentials: 'same-origin', headers: {'Content-Type': 'application/x-www-form-urlencoded'}}).then(r => r.url);",
                vec![
                    serde_json::Value::String(good_body),
                    serde_json::Value::String(format!("/to-chuc/{}/sinh-hoat", cell.0)),
                ],
            )
            .await?;
        assert!(
            status.as_str().unwrap_or_default().contains("/sinh-hoat/"),
            "{status}"
        );
        // "Mở lại để sửa": her text back in the form.
        c.find(Locator::LinkText("Mở lại để sửa"))
            .await?
            .click()
            .await?;
        until(
            &c,
            "const r = document.querySelector('form.meeting [name=resolution]'); return !!r && r.value === 'Văn bản của chị được giữ nguyên.'",
            "the refused record back in the form",
        )
        .await?;
        // Or she drops it, after a confirmation: nothing is left on the phone.
        c.find(Locator::Css("#chua-gui button.danger"))
            .await?
            .click()
            .await?;
        c.accept_alert().await?;
        until(
            &c,
            "return !document.getElementById('chua-gui') && localStorage.getItem('dangvu.chua-gui') === '[]'",
            "the refused record dropped",
        )
        .await?;
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    r.unwrap();
    let held = app
        .meetings_of(&sys, cell, d(2026, 6, 1), d(2026, 6, 30))
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "the meeting is stored once");
    assert_eq!(held[0].held_on, d(2026, 6, 10));
    db.cleanup().await;
}

/// Installable: the manifest names the app and its icons (served, of their stated sizes), the
/// service worker is served from the root for every visitor, and every page links them.
#[tokio::test]
async fn the_app_is_installable_with_its_manifest_icons_and_service_worker() {
    use crate::{Client, get};
    use axum::http::header;
    dangvu_testkit::on_every_backend!(|db| {
        let app = db.app();
        let c = Client::anonymous(&app);
        let m = get(&c, "/manifest.webmanifest").await;
        assert_eq!(m.status.as_u16(), 200);
        assert_eq!(
            m.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/manifest+json"
        );
        let j = m.json();
        assert_eq!(j["name"], "Đảng vụ");
        assert_eq!(j["display"], "standalone");
        assert_eq!(j["start_url"], "/");
        let icons = j["icons"].as_array().unwrap();
        for size in [192u32, 512] {
            let icon = icons
                .iter()
                .find(|i| i["sizes"] == format!("{size}x{size}"))
                .expect("an icon of each size");
            let r = get(&c, icon["src"].as_str().unwrap()).await;
            assert_eq!(r.status.as_u16(), 200);
            assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "image/png");
            assert!(r.raw.starts_with(b"\x89PNG"));
            let w = u32::from_be_bytes(r.raw[16..20].try_into().unwrap());
            let h = u32::from_be_bytes(r.raw[20..24].try_into().unwrap());
            assert_eq!((w, h), (size, size));
        }
        let sw = get(&c, "/sw.js").await;
        assert_eq!(sw.status.as_u16(), 200);
        assert!(
            sw.headers
                .get(header::CONTENT_TYPE)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("text/javascript")
        );
        assert!(sw.has("addEventListener(\"fetch\""));
        assert!(
            !sw.has("http://") && !sw.has("https://"),
            "nothing from another site"
        );
        let login = get(&c, "/dang-nhap").await;
        assert!(login.has("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"));
    });
}
