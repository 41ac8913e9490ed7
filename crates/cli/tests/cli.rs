//! The `dangvu` binary as a process: killed with SIGKILL in the middle of a stream of writes it
//! loses no acknowledged write and leaves nothing half-written; stopped with SIGTERM it lets the
//! request in flight finish and closes the database. On every backend.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dangvu_app::Actor;
use dangvu_app::orgs::NewOrg;
use dangvu_domain::access::Role;
use dangvu_domain::org::OrgKind;
use dangvu_store::Backend;
use dangvu_testkit::{TEST_PASSWORD, TestDb, d, user_with};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A minimal HTTP/1.1 client: one request per connection.
async fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> std::io::Result<(u16, String, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    Ok((status, head.to_owned(), body.to_owned()))
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    async fn start(db: &TestDb) -> Server {
        Server::start_with(db, &[]).await
    }

    async fn start_with(db: &TestDb, env: &[(&str, &str)]) -> Server {
        let port = dangvu_testkit::free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_dangvu"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .envs(env.iter().copied())
            .env("DANGVU_DATABASE_URL", db.url())
            .env("DANGVU_AUDIT_KEY", db.key_path())
            .env("DANGVU_AUDIT_KEY", db.key_path())
            .env("DANGVU_LOG", "info,sqlx=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        loop {
            if let Ok((200, _, _)) = http(port, "GET", "/suc-khoe", &[], None).await {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, port }
    }

    /// Signs in through the API: (cookie, csrf).
    async fn sign_in(&self, username: &str) -> (String, String) {
        let (status, head, body) = http(
            self.port,
            "POST",
            "/api/v1/session",
            &[],
            Some(&json!({"username": username, "password": TEST_PASSWORD})),
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let cookie = head
            .lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned();
        let csrf = serde_json::from_str::<Value>(&body).unwrap()["csrf"]
            .as_str()
            .unwrap()
            .to_owned();
        (cookie, csrf)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A database with a cell and an account that may write in it; returns the cell.
async fn prepare(db: &TestDb) -> i64 {
    let app = db.app();
    let sys = Actor::new("kiểm thử");
    let mk = |name: &str, kind, parent| NewOrg {
        name: name.into(),
        kind,
        parent,
        founded_on: d(1975, 1, 1),
        decision_ref: None,
    };
    let p = app
        .create_org(
            &sys,
            mk("Đảng bộ tỉnh Quảng Ninh", OrgKind::DangBoTinh, None),
        )
        .await
        .unwrap();
    let city = app
        .create_org(
            &sys,
            mk("Đảng bộ thành phố Uông Bí", OrgKind::DangBoHuyen, Some(p)),
        )
        .await
        .unwrap();
    let g = app
        .create_org(
            &sys,
            mk("Đảng bộ phường Nam Khê", OrgKind::DangBoCoSo, Some(city)),
        )
        .await
        .unwrap();
    let cell = app
        .create_org(&sys, mk("Chi bộ Khu 1", OrgKind::ChiBoTrucThuoc, Some(g)))
        .await
        .unwrap();
    user_with(&app, "bithu.namkhe", Role::Secretary, Some(g), None).await;
    cell.0
}

const NAMES: [&str; 6] = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Đức",
    "Vũ Thị Hà",
];

fn member_body(cell: i64, serial: u64) -> Value {
    json!({
        "full_name": NAMES[(serial % 6) as usize],
        "sex": if serial.is_multiple_of(2) { "male" } else { "female" },
        "birth_date": "1985-03-14",
        "ethnicity": "Kinh",
        "cccd": format!("0220{serial:08}"),
        "cell": cell,
        "admitted_on": "2015-05-19",
        "official": true,
    })
}

#[tokio::test]
async fn killed_at_random_moments_it_loses_no_acknowledged_write() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        let mut acked: Vec<(i64, String)> = Vec::new();
        let mut serial = 0u64;
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        const KILLS: usize = 12;
        for round in 0..KILLS {
            let mut server = Server::start(&db).await;
            let (cookie, csrf) = server.sign_in("bithu.namkhe").await;
            // Two writers, each waiting for its answer before the next write.
            let port = server.port;
            let mut writers = Vec::new();
            for w in 0..2u64 {
                let (cookie, csrf) = (cookie.clone(), csrf.clone());
                let start = serial + w * 100_000;
                writers.push(tokio::spawn(async move {
                    let mut mine = Vec::new();
                    for k in 0.. {
                        let s = start + k;
                        let body = member_body(cell, s);
                        match http(
                            port,
                            "POST",
                            "/api/v1/members",
                            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
                            Some(&body),
                        )
                        .await
                        {
                            Ok((201, _, b)) => {
                                let id = serde_json::from_str::<Value>(&b).unwrap()["id"]
                                    .as_i64()
                                    .unwrap();
                                mine.push((id, body["cccd"].as_str().unwrap().to_owned()));
                            }
                            Ok((status, _, b)) => panic!("write refused: {status} {b}"),
                            // The server died under us: this write was never acknowledged.
                            Err(_) => break,
                        }
                    }
                    mine
                }));
            }
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let wait = 150 + rng % 600;
            tokio::time::sleep(Duration::from_millis(wait)).await;
            server.child.kill().unwrap(); // SIGKILL
            server.child.wait().unwrap();
            let mut n = 0;
            for w in writers {
                let mine = w.await.unwrap();
                n += mine.len();
                acked.extend(mine);
            }
            assert!(
                n > 0,
                "round {round}: no write was acknowledged in {wait} ms"
            );
            serial += 1_000_000;
        }
        // Every acknowledged write is there, whole; the audit chain verifies.
        let app = db.app();
        let sys = Actor::system();
        let ids: std::collections::HashSet<i64> = acked.iter().map(|(i, _)| *i).collect();
        assert_eq!(ids.len(), acked.len(), "ids are never reused");
        for (id, cccd) in &acked {
            let m = app
                .member(&sys, dangvu_domain::ids::MemberId(*id), d(2026, 6, 15))
                .await
                .unwrap_or_else(|e| panic!("{backend:?}: acknowledged member {id} lost: {e}"));
            assert_eq!(m.record.field("cccd").as_deref(), Some(cccd.as_str()));
            assert_eq!(
                m.state.cell.map(|c| c.0),
                Some(cell),
                "member {id} on the rolls of the cell"
            );
        }
        // Nothing half-written: every member row has its events, its span and its audit entry.
        let pool = &db.store.pool;
        let orphans: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = m.id)
               OR NOT EXISTS (SELECT 1 FROM memberships s WHERE s.member_id = m.id)
               OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'member' AND a.entity_id = m.id AND a.action = 'member.create')",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "{backend:?}: half-written members");
        let v = app.verify_audit().await.unwrap();
        assert_eq!(v.broken, None, "{backend:?}");
        eprintln!(
            "{backend:?}: {KILLS} kills, {} acknowledged writes, chain of {} entries intact",
            acked.len(),
            v.checked
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish_and_closes_the_database() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        prepare(&db).await;
        let mut server = Server::start(&db).await;
        let port = server.port;
        // A sign-in (an Argon2 hash: tens of milliseconds) is in flight when SIGTERM arrives.
        let in_flight = tokio::spawn(async move {
            http(
                port,
                "POST",
                "/api/v1/session",
                &[],
                Some(&json!({"username": "bithu.namkhe", "password": TEST_PASSWORD})),
            )
            .await
        });
        tokio::time::sleep(Duration::from_millis(15)).await;
        let pid = server.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let (status, _, body) = in_flight.await.unwrap().unwrap();
        assert_eq!(status, 200, "the request in flight finished: {body}");
        let started = Instant::now();
        let code = loop {
            if let Some(c) = server.child.try_wait().unwrap() {
                break c;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no exit after SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(code.success(), "{code:?}");
        let mut err = String::new();
        use std::io::Read;
        server
            .child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(err.contains("database closed"), "{err}");
        // New connections are refused once it is down.
        assert!(http(port, "GET", "/suc-khoe", &[], None).await.is_err());
        db.cleanup().await;
    }
}

/// A request never holds one database connection while it waits for another: with a single
/// connection in the pool, the pages that count the tree from the history in memory and the
/// writes that read the calendar still answer at once (a nested wait would last until the
/// request's time limit, and 64 such requests at once would stall a server of 8).
#[tokio::test]
async fn one_connection_is_enough_for_every_request() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        let server = Server::start_with(&db, &[("DANGVU_DB_CONNECTIONS", "1")]).await;
        let (cookie, csrf) = server.sign_in("bithu.namkhe").await;
        let (status, _, body) = http(
            server.port,
            "POST",
            "/api/v1/members",
            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            Some(&member_body(cell, 7)),
        )
        .await
        .unwrap();
        assert_eq!(status, 201, "{body}");
        // The history is read in the background at start; then pages count from it.
        tokio::time::sleep(Duration::from_millis(500)).await;
        for (i, path) in [
            format!("/to-chuc/{cell}?ngay=01/06/2020"),
            "/to-chuc?ngay=02/06/2020".to_owned(),
            format!("/to-chuc/{cell}?ngay=03/06/2021"),
            format!("/to-chuc/{cell}/viec-den-han"),
        ]
        .iter()
        .enumerate()
        {
            let started = Instant::now();
            let (status, _, body) = http(server.port, "GET", path, &[("Cookie", &cookie)], None)
                .await
                .unwrap();
            assert_eq!(status, 200, "{backend:?} {i} {path}: {body}");
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{backend:?} {path} took {:?}",
                started.elapsed()
            );
        }
        drop(server);
        db.cleanup().await;
    }
}

/// Two `dangvu serve` processes on one database, as a national deployment runs several behind a
/// round-robin: what one writes, the other shows on the very next request, whatever it kept in
/// memory before (member lists, search, the tree and its counts, the history, sessions).
#[tokio::test]
async fn two_servers_on_one_database_serve_each_others_changes_at_once() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        user_with(&db.app(), "quantri", Role::Admin, None, None).await;
        let a = Server::start(&db).await;
        let b = Server::start(&db).await;
        // One session serves on both: sessions live in the database.
        let (cookie, csrf) = a.sign_in("bithu.namkhe").await;
        let (admin, admin_csrf) = b.sign_in("quantri").await;
        let get = |port: u16, path: String, cookie: String| async move {
            let (status, _, body) = http(port, "GET", &path, &[("Cookie", &cookie)], None)
                .await
                .unwrap();
            (status, body)
        };
        let post = |port: u16, path: String, cookie: String, csrf: String, body: Value| async move {
            let (status, _, body) = http(
                port,
                "POST",
                &path,
                &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
                Some(&body),
            )
            .await
            .unwrap();
            (status, body)
        };
        let list = format!("/api/v1/orgs/{cell}/members");
        let tree = "/api/v1/orgs".to_owned();
        // B keeps its list, its tree counts and its history before anything changes.
        let (status, before) = get(b.port, list.clone(), cookie.clone()).await;
        assert_eq!(status, 200, "{backend:?}: {before}");
        assert!(!before.contains("Nguyễn Văn An"), "{before}");
        let (_, tree_before) = get(b.port, tree.clone(), cookie.clone()).await;
        // A new member through A is in B's list and search at once.
        let (status, made) = post(
            a.port,
            "/api/v1/members".into(),
            cookie.clone(),
            csrf.clone(),
            member_body(cell, 0),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let id = serde_json::from_str::<Value>(&made).unwrap()["id"]
            .as_i64()
            .unwrap();
        let (_, after) = get(b.port, list.clone(), cookie.clone()).await;
        assert!(
            after.contains("Nguyễn Văn An"),
            "{backend:?}: B still shows {after}"
        );
        let (_, tree_after) = get(b.port, tree.clone(), cookie.clone()).await;
        assert_ne!(
            tree_before, tree_after,
            "{backend:?}: B's tree counts did not move"
        );
        // A rename through A: B's kept list and search follow.
        let (status, body) = post(
            a.port,
            format!("/api/v1/members/{id}/corrections"),
            cookie.clone(),
            csrf.clone(),
            json!({"field": "full_name", "value": "Nguyễn Văn Ân", "reason": "Sai chính tả"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (_, renamed) = get(b.port, list.clone(), cookie.clone()).await;
        assert!(
            renamed.contains("Nguyễn Văn Ân") && !renamed.contains("Nguyễn Văn An"),
            "{backend:?}: {renamed}"
        );
        let (_, found) = get(b.port, format!("{list}?q=an"), cookie.clone()).await;
        assert!(found.contains("Nguyễn Văn Ân"), "{backend:?}: {found}");
        // A change of organisations through B (the administrator founds a cell): A's tree has
        // it, and A's secretary may write in it at once.
        let parent = serde_json::from_str::<Value>(
            &get(a.port, format!("/api/v1/orgs/{cell}"), cookie.clone())
                .await
                .1,
        )
        .unwrap();
        let g = parent["period"]["parent"]
            .as_i64()
            .unwrap_or_else(|| panic!("{parent}"));
        let (status, body) = post(
            b.port,
            "/api/v1/orgs".into(),
            admin.clone(),
            admin_csrf.clone(),
            json!({"name": "Chi bộ Khu 9", "kind": "chi_bo_truc_thuoc", "parent": g, "founded_on": "2010-01-01"}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let new_cell = serde_json::from_str::<Value>(&body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let (_, tree_a) = get(a.port, tree.clone(), cookie.clone()).await;
        assert!(tree_a.contains("Chi bộ Khu 9"), "{backend:?}: {tree_a}");
        let (status, body) = post(
            a.port,
            "/api/v1/members".into(),
            cookie.clone(),
            csrf.clone(),
            member_body(new_cell, 1),
        )
        .await;
        assert_eq!(status, 201, "{backend:?}: {body}");
        // Signed out through A, the session is gone on B too.
        let (status, _, _) = http(
            a.port,
            "DELETE",
            "/api/v1/session",
            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(status, 204);
        let (status, _) = get(b.port, list.clone(), cookie.clone()).await;
        assert_eq!(
            status, 401,
            "{backend:?}: B still honours a session ended on A"
        );
        drop((a, b));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn report_classification_prints_the_counts_and_the_paragraph() {
    use dangvu_app::members::NewMember;
    use dangvu_app::review::MemberDecision;
    use dangvu_domain::review::{Level, Period};
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        let app = db.app();
        let sys = Actor::new("kiểm thử");
        let mut ids = Vec::new();
        for (i, n) in NAMES.iter().enumerate() {
            let cccd = format!("02208500000{i}");
            let record =
                dangvu_testkit::record(n, &[("birth_date", "1985-03-14"), ("cccd", &cccd)]);
            ids.push(
                app.create_member(
                    &sys,
                    NewMember {
                        record,
                        cell: dangvu_domain::ids::OrgId(cell),
                        admitted_on: d(2010, 1, 1),
                        joined_on: None,
                        official: true,
                        decision_ref: None,
                        card: None,
                    },
                )
                .await
                .unwrap(),
            );
        }
        let root = app.roots(&sys, d(2019, 12, 31)).await.unwrap()[0];
        let city = app.subtree_ids(&sys, root, d(2019, 12, 31)).await.unwrap()[1];
        let period = app
            .open_review(&sys, city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        for (i, m) in ids.iter().enumerate() {
            let level = [
                Level::Htxs,
                Level::Htt,
                Level::Htt,
                Level::Htt,
                Level::Ht,
                Level::Kht,
            ][i];
            app.decide_member(
                &sys,
                period,
                *m,
                MemberDecision {
                    level: Some(level),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let out = Command::new(env!("CARGO_BIN_EXE_dangvu"))
            .args([
                "report",
                "classification",
                "--org",
                &city.0.to_string(),
                "--period",
                "2019",
            ])
            .env("DANGVU_DATABASE_URL", db.url())
            .env("DANGVU_AUDIT_KEY", db.key_path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("Đảng viên                       1        3        1        1"),
            "{text}"
        );
        assert!(
            text.contains("1 đảng viên hoàn thành xuất sắc nhiệm vụ; 3 đảng viên hoàn thành tốt nhiệm vụ; 1 đảng viên hoàn thành nhiệm vụ; 1 đảng viên không hoàn thành nhiệm vụ."),
            "{text}"
        );
        // The Excel export beside the printout, and a bad date named.
        let xlsx = std::env::temp_dir().join(format!("dangvu-report-{}.xlsx", std::process::id()));
        let out = Command::new(env!("CARGO_BIN_EXE_dangvu"))
            .args([
                "report",
                "classification",
                "--org",
                &city.0.to_string(),
                "--period",
                "2019",
                "--as-of",
                "31/12/2019",
                "--xlsx",
            ])
            .arg(&xlsx)
            .env("DANGVU_DATABASE_URL", db.url())
            .env("DANGVU_AUDIT_KEY", db.key_path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&xlsx).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip file");
        let _ = std::fs::remove_file(&xlsx);
        let out = Command::new(env!("CARGO_BIN_EXE_dangvu"))
            .args([
                "report",
                "classification",
                "--org",
                &city.0.to_string(),
                "--period",
                "2019",
                "--as-of",
                "2019-31-12",
            ])
            .env("DANGVU_DATABASE_URL", db.url())
            .env("DANGVU_AUDIT_KEY", db.key_path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("--as-of 2019-31-12: write the date as dd/mm/yyyy")
        );
        // A year without a review says so.
        let out = Command::new(env!("CARGO_BIN_EXE_dangvu"))
            .args([
                "report",
                "classification",
                "--org",
                &city.0.to_string(),
                "--period",
                "2020",
            ])
            .env("DANGVU_DATABASE_URL", db.url())
            .env("DANGVU_AUDIT_KEY", db.key_path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("no review period in 2020"));
        db.cleanup().await;
    }
}

/// Runs `dangvu` on a test database with its audit key; returns (success, stdout, stderr).
fn dangvu(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dangvu"))
        .args(args)
        .env("DANGVU_DATABASE_URL", db.url())
        .env("DANGVU_AUDIT_KEY", db.key_path())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn checkpoints_kept_elsewhere_prove_the_trail_before_them_unchanged() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        prepare(&db).await;
        let dir =
            std::env::temp_dir().join(format!("dangvu-ckpt-{}-{backend:?}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let kept = dir.join("moc-kiem-tra.txt");
        let _ = std::fs::remove_file(&kept);
        let (ok, line, err) = dangvu(
            &db,
            &["audit", "checkpoint", "--append", kept.to_str().unwrap()],
        );
        assert!(ok, "{err}");
        assert!(line.starts_with("dangvu-audit-checkpoint seq="), "{line}");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), line);
        let (ok, _, err) = dangvu(
            &db,
            &["audit", "verify", "--against", kept.to_str().unwrap()],
        );
        assert!(ok, "{err}");
        assert!(err.contains("Khớp 1 mốc"), "{err}");
        // Verifying writes nothing: the data version and the chain head stay.
        let head_before: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_one(&db.store.pool)
            .await
            .unwrap();
        // Someone holding the database and the key rewrites an early entry and re-seals the
        // whole chain with the key: the chain verifies, the checkpoint does not.
        let app = db.app();
        let sealer = db.store.audit_key().unwrap().clone();
        db.drop_audit_guards().await;
        let mut rows = db.audit_entries().await;
        let mut prev = String::new();
        for (i, r) in rows.iter_mut().enumerate() {
            if i == 1 {
                r.entry.actor = "người khác".into();
            }
            let f = r.entry.chain_fields(r.seq);
            let hash = sealer.seal(&prev, &f);
            sqlx::query("UPDATE audit_log SET actor = $1, prev_hash = $2, hash = $3 WHERE id = $4")
                .bind(&r.entry.actor)
                .bind(&prev)
                .bind(&hash)
                .bind(r.id)
                .execute(&db.store.pool)
                .await
                .unwrap();
            prev = hash;
        }
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&prev)
            .execute(&db.store.pool)
            .await
            .unwrap();
        assert_eq!(app.verify_audit().await.unwrap().broken, None);
        let (ok, _, err) = dangvu(
            &db,
            &["audit", "verify", "--against", kept.to_str().unwrap()],
        );
        assert!(!ok);
        assert!(err.contains("was rewritten"), "{err}");
        // A checkpoint line signed by another key is refused as such.
        std::fs::write(
            &kept,
            format!("dangvu-audit-checkpoint seq={head_before} hash={prev} at=x mac=00\n"),
        )
        .unwrap();
        let (ok, _, err) = dangvu(
            &db,
            &["audit", "verify", "--against", kept.to_str().unwrap()],
        );
        assert!(!ok);
        assert!(err.contains("not signed"), "{err}");
        // A backup is created readable by its owner only, never through a link.
        let backup = dir.join("sao-luu.jsonl");
        let partial = backup.with_extension("partial");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "giữ nguyên").unwrap();
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_file(&backup);
        std::os::unix::fs::symlink(&victim, &partial).unwrap();
        let (ok, _, err) = dangvu(&db, &["backup", backup.to_str().unwrap()]);
        assert!(ok, "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "giữ nguyên");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        let _ = std::fs::remove_dir_all(&dir);
        db.cleanup().await;
    }
}

/// A client that sends its request headers a little at a time (slowloris) is cut off after the
/// header-read timeout, while everyone else is served meanwhile.
#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    let db = TestDb::new(Backend::Sqlite).await;
    prepare(&db).await;
    let server = Server::start(&db).await;
    let mut slow = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    slow.write_all(b"GET /suc-khoe HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (status, _, _) = http(server.port, "GET", "/suc-khoe", &[], None)
        .await
        .unwrap();
    assert_eq!(status, 200, "others are served while one client dawdles");
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), slow.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the dawdling connection is still open after 20 s"
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(8) && waited < Duration::from_secs(16),
        "cut off after {waited:?}"
    );
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    drop(server);
    db.cleanup().await;
}

#[tokio::test]
async fn an_organisation_is_named_by_id_or_by_name_and_org_list_shows_the_ids() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        let (ok, out, err) = dangvu(&db, &["org", "list", "--on", "31/12/2019"]);
        assert!(ok, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(
            lines[0].ends_with("Đảng bộ tỉnh Quảng Ninh (dang_bo_tinh)"),
            "{out}"
        );
        assert!(
            lines[3].contains("      Chi bộ Khu 1 (chi_bo_truc_thuoc)"),
            "{out}"
        );
        assert!(
            lines[3].trim_start().starts_with(&cell.to_string()),
            "{out}"
        );
        // A subtree, named without diacritics.
        let (ok, out, err) = dangvu(&db, &["org", "list", "--under", "phuong nam khe"]);
        assert!(ok, "{err}");
        assert_eq!(out.lines().count(), 2, "{out}");
        // A report by name, the same as by id.
        let by = |org: &str| {
            dangvu(
                &db,
                &[
                    "report",
                    "meetings",
                    "--org",
                    org,
                    "--from",
                    "01/01/2019",
                    "--to",
                    "31/12/2019",
                ],
            )
        };
        let (ok, by_name, err) = by("Thành phố Uông Bí");
        assert!(ok, "{err}");
        assert!(
            by_name.starts_with("Đảng bộ thành phố Uông Bí — sinh hoạt"),
            "{by_name}"
        );
        let city = out_id(
            &dangvu(&db, &["org", "list"]).1,
            "Đảng bộ thành phố Uông Bí",
        );
        assert_eq!(by(&city.to_string()).1, by_name);
        // Several matches: refused, with the candidates and their ids.
        let (ok, _, err) = by("đảng bộ");
        assert!(!ok);
        assert!(
            err.contains("--org đảng bộ: 3 organisations match"),
            "{err}"
        );
        assert!(
            err.contains(&format!("{city}  Đảng bộ thành phố Uông Bí")),
            "{err}"
        );
        let (ok, _, err) = by("Khu 9");
        assert!(!ok);
        assert!(
            err.contains("--org Khu 9: no organisation of that name"),
            "{err}"
        );
        db.cleanup().await;
    }
}

/// The id printed before a name in `org list`.
fn out_id(list: &str, name: &str) -> i64 {
    list.lines()
        .find(|l| l.contains(&format!(" {name} (")))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{name} not in {list}"))
}

#[tokio::test]
async fn deadlines_probations_and_decisions_from_the_command_line() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        // Sixty working days from Monday 2/2/2026, across Tết 2026.
        let (ok, out, err) = dangvu(&db, &["deadline", "--from", "02/02/2026", "--days", "60"]);
        assert!(ok, "{err}");
        assert_eq!(out.trim(), "07/05/2026");
        let (ok, _, err) = dangvu(&db, &["deadline", "--from", "31/02/2026", "--days", "6"]);
        assert!(!ok && err.contains("--from 31/02/2026"), "{err}");
        let app = db.app();
        let sys = Actor::new("kiểm thử");
        app.issue_decision(
            &sys,
            dangvu_app::decisions::NewDecision {
                issuer: dangvu_domain::ids::OrgId(cell),
                kind: dangvu_domain::decision::DecisionKind::Other,
                signed_on: d(2026, 3, 2),
                subject: "Phân công đảng viên".into(),
                member: None,
                signer: None,
                abbreviation: None,
            },
        )
        .await
        .unwrap();
        let (ok, out, err) = dangvu(
            &db,
            &["decisions", "--org", &cell.to_string(), "--year", "2026"],
        );
        assert!(ok, "{err}");
        assert_eq!(
            out.trim(),
            "1-QĐ/CB  02/03/2026  other  Phân công đảng viên"
        );
        let (ok, out, err) = dangvu(&db, &["probations", "--org", "Chi bộ Khu 1"]);
        assert!(ok, "{err}");
        assert!(out.is_empty(), "no probationary member: {out}");
        // A transfer out of the system, listed with where she went (R10).
        let ba = app
            .create_member(
                &sys,
                dangvu_app::members::NewMember::admitted(
                    dangvu_testkit::record("Nguyễn Văn Ba", &[("birth_date", "1980-05-01")]),
                    dangvu_domain::ids::OrgId(cell),
                    d(2010, 5, 1),
                ),
            )
            .await
            .unwrap();
        let details = dangvu_app::transfers::TransferDetails {
            reason: Some(dangvu_domain::transfer::TransferReason::Retired),
            dues_paid_to: Some(d(2026, 5, 1)),
            ..Default::default()
        };
        let letter = dangvu_app::transfers::SendTransfer {
            kind: dangvu_domain::transfer::TransferKind::Official,
            on: d(2026, 6, 1),
            to_org: None,
            to_name: Some("Đảng bộ phường Hồng Gai".into()),
            details,
            note: None,
        };
        app.send_transfer(&sys, ba, letter).await.unwrap();
        let (ok, out, err) = dangvu(
            &db,
            &["transfers", "--org", "Chi bộ Khu 1", "--on", "20/06/2026"],
        );
        assert!(ok, "{err}");
        assert!(
            out.contains("outside")
                && out.contains(
                    "Nguyễn Văn Ba  Chi bộ Khu 1 → Đảng bộ phường Hồng Gai  giới thiệu 01/06/2026"
                ),
            "{out}"
        );
        // A month's dues book, printed and written to Excel, and the members owing (R14).
        let tu = app
            .create_member(
                &sys,
                dangvu_app::members::NewMember::admitted(
                    dangvu_testkit::record(
                        "Lê Thị Tư",
                        &[("birth_date", "1980-05-01"), ("sex", "female")],
                    ),
                    dangvu_domain::ids::OrgId(cell),
                    d(2010, 5, 1),
                ),
            )
            .await
            .unwrap();
        app.set_dues_basis(
            &sys,
            tu,
            dangvu_app::dues::BasisInput {
                from: d(2026, 1, 1),
                basis: dangvu_domain::dues::DuesBasis {
                    category: dangvu_domain::dues::DuesCategory::Other,
                    income: None,
                    flat: Some(10_000),
                },
                note: None,
            },
        )
        .await
        .unwrap();
        app.pay_dues(
            &sys,
            tu,
            dangvu_app::dues::PayDues {
                from: d(2026, 1, 1),
                to: d(2026, 3, 1),
                paid_on: d(2026, 3, 5),
                amount: None,
                received_by: None,
            },
        )
        .await
        .unwrap();
        let book = db.key_path().with_file_name("so-dang-phi.xlsx");
        let (ok, out, err) = dangvu(
            &db,
            &[
                "dues",
                "book",
                "--org",
                "Chi bộ Khu 1",
                "--month",
                "03/2026",
                "--xlsx",
                book.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        assert!(
            out.contains("Chi bộ Khu 1 — sổ thu đảng phí tháng 03/2026"),
            "{out}"
        );
        assert!(
            out.contains("Lê Thị Tư")
                && out.contains("10.000 đ")
                && out.contains("hết tháng 03/2026"),
            "{out}"
        );
        assert!(
            std::fs::read(&book).unwrap().starts_with(b"PK"),
            "an xlsx is a zip"
        );
        let (ok, out, err) = dangvu(&db, &["dues", "arrears", "--org", "Chi bộ Khu 1"]);
        assert!(ok, "{err}");
        assert!(
            out.contains("Lê Thị Tư") && out.contains("04/2026"),
            "{out}"
        );
        let (ok, _, err) = dangvu(
            &db,
            &[
                "dues",
                "book",
                "--org",
                "Chi bộ Khu 1",
                "--month",
                "13/2026",
            ],
        );
        assert!(!ok && err.contains("--month 13/2026"), "{err}");
        // The 2/9/2026 badge list: thirty years on 15/7/2026 (R13).
        app.create_member(
            &sys,
            dangvu_app::members::NewMember::admitted(
                dangvu_testkit::record("Phan Văn Sáu", &[("birth_date", "1970-05-01")]),
                dangvu_domain::ids::OrgId(cell),
                d(1996, 7, 15),
            ),
        )
        .await
        .unwrap();
        let xlsx = db.key_path().with_file_name("huy-hieu.xlsx");
        let (ok, out, err) = dangvu(
            &db,
            &[
                "badges",
                "--org",
                "Chi bộ Khu 1",
                "--day",
                "02/09/2026",
                "--xlsx",
                xlsx.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        assert!(out.contains("huy hiệu Đảng đợt 02/09/2026"), "{out}");
        assert!(
            out.contains("Phan Văn Sáu") && out.contains("Huy hiệu 30 năm tuổi Đảng"),
            "{out}"
        );
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
        let (ok, _, err) = dangvu(
            &db,
            &["badges", "--org", "Chi bộ Khu 1", "--day", "03/09/2026"],
        );
        assert!(!ok && err.contains("badge_day"), "{err}");
    }
}

#[tokio::test]
async fn a_register_is_imported_reported_and_exported_from_the_command_line() {
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let cell = prepare(&db).await;
        let dir =
            std::env::temp_dir().join(format!("dangvu-import-{}-{}", std::process::id(), cell));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("so-dang-vien.csv");
        std::fs::write(
            &good,
            "Họ và tên;Giới tính;Ngày sinh;Dân tộc;Số CCCD;Ngày vào Đảng;Ngày chính thức\n\
             Đỗ Thị Thu;Nữ;12/03/1985;Tày;022185000777;19/05/2010;19/05/2011\n",
        )
        .unwrap();
        let bad = dir.join("loi.csv");
        std::fs::write(&bad, "Họ và tên;Giới tính;Ngày sinh;Dân tộc;Ngày vào Đảng\nĐỗ Văn Hải;Nam;30/02/1985;Kinh;19/05/2010\n").unwrap();
        let cell_s = cell.to_string();
        let run = |file: &std::path::Path, extra: &[&str]| {
            let mut args = vec![
                "import",
                "members",
                file.to_str().unwrap(),
                "--org",
                &cell_s,
            ];
            args.extend_from_slice(extra);
            dangvu(&db, &args)
        };
        let (ok, out, err) = run(&bad, &[]);
        assert!(!ok, "{out}");
        assert!(
            out.contains("Dòng 2, cột C — Ngày sinh: là ngày không có thật"),
            "{out}"
        );
        assert!(err.contains("1 dòng có lỗi: chưa ghi gì"), "{err}");
        let (ok, out, err) = run(&good, &["--dry-run"]);
        assert!(ok, "{err}");
        assert!(
            out.contains("1 thêm mới") && out.contains("chưa ghi gì"),
            "{out}"
        );
        let (ok, out, err) = run(&good, &[]);
        assert!(ok, "{err}");
        assert!(out.contains("Đã nhập toàn bộ tệp."), "{out}");
        let (ok, out, _) = run(&good, &[]);
        assert!(
            ok && out.contains("0 thêm mới, 0 cập nhật, 1 không thay đổi"),
            "{out}"
        );

        let (ok, out, err) = dangvu(
            &db,
            &[
                "report",
                "members",
                "--org",
                &cell_s,
                "--from",
                "01/01/2010",
            ],
        );
        assert!(ok, "{err}");
        assert!(
            out.contains("Tày") && out.contains("Kết nạp") && out.contains("cuối kỳ: khớp"),
            "{out}"
        );
        let book = dir.join("so.xlsx");
        let (ok, out, err) = dangvu(
            &db,
            &[
                "export",
                "register",
                "--org",
                &cell_s,
                "--xlsx",
                book.to_str().unwrap(),
            ],
        );
        assert!(ok, "{err}");
        assert!(out.contains("đảng viên"), "{out}");
        assert!(std::fs::metadata(&book).unwrap().len() > 1000);
        let (ok, out, _) = dangvu(&db, &["codes", "list", "ethnicity"]);
        assert!(
            ok && out.contains("   01  Kinh") && out.contains("1019/QĐ-TCTK"),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
