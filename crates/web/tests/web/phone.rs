//! The pages of the people who record, on a 360 × 740 phone in headless Chromium: no sideways
//! scrolling of the page, every control a 44 px target, and the accessibility checks (a label
//! for every input, one `h1`, text contrast of at least 4.5:1, every control in the keyboard's
//! order), as a cell secretary, a grassroots secretary and a member.

use std::time::Duration;

use fantoccini::Locator;

use crate::browser::{
    ONE_BROWSER, driver_or_skip, sign_in, sign_out, start, submit, ward_with_cell,
};

/// Checks the page in the browser and answers its problems, one line each.
const AUDIT: &str = r#"
const problems = [];
const root = document.documentElement;
const width = root.clientWidth;
const label = el => {
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' «' + text + '»';
};
const shown = el => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
};
if (root.scrollWidth > width + 1) {
  problems.push('trang cuộn ngang: rộng ' + root.scrollWidth + ' px trên màn hình ' + width + ' px');
  // What sticks out, outside any box that scrolls by itself.
  let n = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (n >= 5 || !shown(el) || el.getBoundingClientRect().right <= width + 1) continue;
    let boxed = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { boxed = true; break; }
    }
    if (!boxed) { problems.push('  vượt khung: ' + label(el)); n++; }
  }
}
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(h1 + ' thẻ h1 (cần đúng 1)');
for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
  if (!shown(el)) continue;
  // A link inside a sentence is exempt from the target size (WCAG 2.5.8, inline).
  const inline = el.tagName === 'A' && el.closest('p, .legend, .summary');
  if (!inline) {
    let r = el.getBoundingClientRect();
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) {
      r = el.closest('label').getBoundingClientRect();
    }
    if (r.width < 43.5 || r.height < 43.5) {
      problems.push('nhỏ hơn 44 px (' + Math.round(r.width) + ' × ' + Math.round(r.height) + '): ' + label(el));
    }
  }
  if (el.tabIndex < 0 || el.disabled && el.tagName === 'A') {
    problems.push('không tới được bằng bàn phím: ' + label(el));
  }
  if (el.matches('input, select, textarea') && !['submit', 'button', 'reset', 'image'].includes(el.type)) {
    const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!named) problems.push('ô nhập không có nhãn: ' + label(el));
  }
}
for (const el of document.querySelectorAll('[tabindex]')) {
  if (el.tabIndex > 0) problems.push('tabindex dương làm đảo thứ tự bàn phím: ' + label(el));
}
for (const el of document.querySelectorAll('[onclick], [role=button]')) {
  if (el.tabIndex < 0) problems.push('bấm được mà không tới được bằng bàn phím: ' + label(el));
}
const rgba = c => { const m = (c.match(/[\d.]+/g) || ['0', '0', '0', '0']).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
const lum = c => {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
};
const under = el => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let out = [255, 255, 255];
  for (let i = layers.length - 1; i >= 0; i--) {
    const [r, g, b, a] = layers[i];
    out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
  }
  return out;
};
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const seen = new Set();
while (walker.nextNode()) {
  const t = walker.currentNode;
  const el = t.parentElement;
  if (!t.nodeValue.trim() || !el || seen.has(el)) continue;
  seen.add(el);
  if (!shown(el) || el.closest('svg') || el.closest(':disabled')) continue;
  const b = under(el);
  const f = rgba(getComputedStyle(el).color);
  const fg = [0, 1, 2].map(i => f[i] * f[3] + b[i] * (1 - f[3]));
  const l1 = lum(fg), l2 = lum(b);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  if (ratio < 4.5) problems.push('tương phản ' + ratio.toFixed(2) + ':1 < 4,5:1: ' + label(el));
}
return problems;
"#;

/// Opens the page and answers its problems, each with the page's path.
async fn audit(
    c: &fantoccini::Client,
    base: &str,
    path: &str,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    c.goto(&format!("{base}{path}")).await?;
    let h1 = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("h1"))
        .await?
        .text()
        .await?;
    // An error page would pass the layout checks and prove nothing.
    assert!(
        !["Không tìm thấy", "Không có quyền", "Lỗi hệ thống"].contains(&h1.as_str()),
        "{path}: {h1}"
    );
    let found = c.execute(AUDIT, vec![]).await?;
    Ok(found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .map(|p| format!("{path}: {p}"))
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn the_recording_pages_fit_a_360_px_phone_and_pass_the_accessibility_checks() {
    use dangvu_app::Actor;
    use dangvu_domain::access::Role;
    use dangvu_testkit::d;
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let (g, cell, ids) = ward_with_cell(
        &app,
        "Đảng bộ phường Quang Trung, thành phố Uông Bí",
        "Chi bộ Khu dân cư số 12 Quang Trung",
        &[
            ("Nguyễn Thị Phương Thảo", true, d(2001, 3, 1)),
            ("Trương Văn Hoàng Nguyên", true, d(2003, 5, 1)),
            ("Hà Văn Nam", true, d(2005, 9, 2)),
            ("Lương Thị Mai", false, d(2026, 1, 10)),
        ],
        &[(
            "hometown",
            "Xã Thượng Yên Công, thành phố Uông Bí, Quảng Ninh",
        )],
    )
    .await;
    let sys = Actor::new("kiểm thử");
    let period = app
        .open_review(
            &sys,
            g,
            "Đánh giá, xếp loại năm 2025",
            dangvu_domain::review::Period::year(2025),
        )
        .await
        .unwrap();
    dangvu_testkit::user_with(&app, "bithu.khu12", Role::Secretary, Some(cell), None).await;
    dangvu_testkit::user_with(&app, "bithu.phuong", Role::Secretary, Some(g), None).await;
    dangvu_testkit::user_with(&app, "dangvien.thao", Role::Member, None, Some(ids[0])).await;
    let (c, _driver, server, base) = start(&app, driver).await;
    let run = async {
        c.set_window_size(360, 740).await?;
        sign_in(&c, &base, "bithu.khu12").await?;
        let inner = c.execute("return window.innerWidth", vec![]).await?;
        assert_eq!(inner.as_u64(), Some(360), "the window is a 360 px phone");
        // She records a meeting on the phone, through the one-column form.
        c.goto(&format!("{base}/to-chuc/{}/sinh-hoat", cell.0))
            .await?;
        for (name, value) in [
            ("held_on", "10/06/2026"),
            ("starts_at", "19:30"),
            ("ends_at", "21:10"),
            ("place", "Nhà văn hóa khu 12"),
            (
                "resolution",
                "Chi bộ thống nhất ra quân vệ sinh môi trường.",
            ),
            ("votes_yes", "3"),
        ] {
            let e = c
                .find(Locator::Css(&format!("form.meeting [name={name}]")))
                .await?;
            e.clear().await?;
            e.send_keys(value).await?;
        }
        c.find(Locator::Css("form.meeting [name=chair]"))
            .await?
            .select_by_value(&ids[0].0.to_string())
            .await?;
        c.find(Locator::Css("form.meeting [name=minute_taker]"))
            .await?
            .select_by_value(&ids[1].0.to_string())
            .await?;
        assert_eq!(
            submit(&c, "form.meeting button[type=submit]").await?,
            "Đã ghi biên bản; hãy kiểm tra rồi thông qua."
        );
        let meeting = c.current_url().await?.path().to_string();
        assert!(meeting.starts_with("/sinh-hoat/"), "{meeting}");

        let mut problems = Vec::new();
        let m = ids[0].0;
        let cid = cell.0;
        for path in [
            format!("/to-chuc/{cid}"),
            format!("/to-chuc/{cid}/dang-vien"),
            format!("/to-chuc/{cid}/sinh-hoat"),
            meeting.clone(),
            format!("/to-chuc/{cid}/chuong-trinh"),
            format!("/to-chuc/{cid}/noi-cu-tru"),
            "/danh-gia".to_string(),
            format!("/danh-gia/{period}/to-chuc/{cid}"),
            format!("/danh-gia/{period}/dang-vien/{m}"),
            format!("/to-chuc/{cid}/dang-phi"),
            format!("/dang-vien/{m}/dang-phi"),
            format!("/to-chuc/{cid}/huy-hieu"),
            format!("/dang-vien/{m}"),
            "/tai-khoan".to_string(),
        ] {
            problems.extend(audit(&c, &base, &path).await?);
        }
        // The menu, opened on a phone: its links are targets too, and it fits.
        c.find(Locator::Css("details.menu > summary"))
            .await?
            .click()
            .await?;
        let open = c.execute(AUDIT, vec![]).await?;
        for p in open.as_array().into_iter().flatten() {
            problems.push(format!("menu: {}", p.as_str().unwrap_or_default()));
        }
        assert!(
            c.find(Locator::LinkText("Tổ chức đảng"))
                .await?
                .is_displayed()
                .await?,
            "the menu opens"
        );
        sign_out(&c).await?;

        sign_in(&c, &base, "bithu.phuong").await?;
        let gid = g.0;
        for path in [
            format!("/to-chuc/{gid}"),
            format!("/to-chuc/{gid}/dang-vien"),
            format!("/to-chuc/{gid}/bao-cao-sinh-hoat"),
            format!("/to-chuc/{gid}/chuong-trinh"),
            format!("/danh-gia/{period}"),
            format!("/danh-gia/{period}/to-chuc/{gid}"),
            format!("/danh-gia/{period}/to-chuc/{cid}"),
            format!("/to-chuc/{gid}/ket-nap"),
            format!("/to-chuc/{gid}/chuyen-sinh-hoat"),
            format!("/to-chuc/{gid}/dang-phi/tong-hop"),
            format!("/to-chuc/{gid}/dang-phi/no-dong"),
            format!("/to-chuc/{gid}/du-bi"),
            format!("/to-chuc/{gid}/quyet-dinh"),
            format!("/to-chuc/{gid}/the-dang-vien"),
            format!("/to-chuc/{gid}/viec-den-han"),
            format!("/to-chuc/{gid}/thong-ke"),
            format!("/to-chuc/{gid}/huy-hieu"),
            format!("/to-chuc/{cid}/so-dang-vien"),
            "/to-chuc".to_string(),
            "/tim-kiem?q=nguyen".to_string(),
            "/lich-lam-viec".to_string(),
        ] {
            problems.extend(audit(&c, &base, &path).await?);
        }
        sign_out(&c).await?;

        sign_in(&c, &base, "dangvien.thao").await?;
        for path in [
            format!("/dang-vien/{m}"),
            format!("/dang-vien/{m}/dang-phi"),
            "/danh-gia".to_string(),
            format!("/danh-gia/{period}/dang-vien/{m}"),
        ] {
            problems.extend(audit(&c, &base, &path).await?);
        }
        // Keyboard: Tab from the top of the record reaches the menu, then the page's links.
        c.goto(&format!("{base}/dang-vien/{m}")).await?;
        let mut reached = Vec::new();
        for _ in 0..4 {
            c.active_element()
                .await?
                .send_keys(&char::from(fantoccini::key::Key::Tab).to_string())
                .await?;
            reached.push(
                c.execute(
                    "const e = document.activeElement; return e.tagName + ':' + (e.innerText || e.getAttribute('aria-label') || '').trim()",
                    vec![],
                )
                .await?
                .as_str()
                .unwrap_or_default()
                .to_string(),
            );
        }
        assert_eq!(reached[0], "A:Đảng vụ", "{reached:?}");
        assert_eq!(reached[1], "SUMMARY:Menu", "{reached:?}");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        Ok::<(), fantoccini::error::CmdError>(())
    };
    let r = run.await;
    let _ = c.close().await;
    server.abort();
    db.cleanup().await;
    r.unwrap();
}
