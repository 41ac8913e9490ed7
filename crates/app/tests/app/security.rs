//! Accounts, scopes, the audit chain and backups, on every backend.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use dangvu_app::auth::{NewUser, SessionPolicy};
use dangvu_app::{App, AppError, ManualClock};
use dangvu_domain::access::{NewGrant, Role};
use dangvu_domain::audit_chain::ChainBreak;
use dangvu_store::Backend;
use dangvu_testkit::{TEST_PASSWORD, TestDb, d, on_every_backend, user_with};

use super::{actor, fixture, member};

/// The app on a clock the test moves.
fn manual_app(db: &TestDb) -> (App, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 6, 15, 3, 0, 0).unwrap(),
    ));
    (App::new(db.store.clone(), clock.clone()), clock)
}

async fn exec(db: &TestDb, sql: &str) -> Result<u64, dangvu_store::SqlxError> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&db.store.pool)
        .await
        .map(|r| r.rows_affected())
}

#[tokio::test]
async fn the_audit_chain_detects_a_changed_or_removed_row() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        for i in 0..5 {
            let name = ["An", "Bình", "Cường", "Dũng", "Đức"][i];
            member(
                &app,
                &format!("Nguyễn Văn {name}"),
                f.cell_a,
                d(2000, 1, 1),
                true,
            )
            .await;
        }
        let v = app.verify_audit().await.unwrap();
        assert_eq!(v.broken, None, "{:?}", db.backend);
        assert!(v.checked >= 12, "{}", v.checked);
        assert_eq!(v.checked, v.head_seq);

        // The database itself refuses to change or remove an entry.
        assert!(
            exec(&db, "UPDATE audit_log SET actor = 'x' WHERE seq = 3")
                .await
                .is_err()
        );
        assert!(
            exec(&db, "DELETE FROM audit_log WHERE seq = 3")
                .await
                .is_err()
        );

        // Someone with the database's own rights drops the guard and edits a row.
        db.drop_audit_guards().await;
        let old: String = sqlx::query_scalar("SELECT new_value FROM audit_log WHERE seq = 7")
            .fetch_one(&db.store.pool)
            .await
            .unwrap();
        exec(
            &db,
            "UPDATE audit_log SET new_value = '{\"full_name\":\"Lê Thị Giả\"}' WHERE seq = 7",
        )
        .await
        .unwrap();
        let v = app.verify_audit().await.unwrap();
        assert!(
            matches!(v.broken, Some(ChainBreak::Altered { seq: 7, .. })),
            "{:?}: {:?}",
            db.backend,
            v.broken
        );
        assert_eq!(v.checked, 6);
        // Put it back: whole again.
        sqlx::query("UPDATE audit_log SET new_value = $1 WHERE seq = 7")
            .bind(&old)
            .execute(&db.store.pool)
            .await
            .unwrap();
        assert_eq!(app.verify_audit().await.unwrap().broken, None);
        // A removed row in the middle, then the last row.
        exec(&db, "DELETE FROM audit_log WHERE seq = 4")
            .await
            .unwrap();
        let v = app.verify_audit().await.unwrap();
        assert!(
            matches!(
                v.broken,
                Some(ChainBreak::Missing {
                    expected: 4,
                    found: 5
                })
            ),
            "{:?}",
            v.broken
        );
        let last = v.head_seq;
        exec(
            &db,
            &format!("DELETE FROM audit_log WHERE seq IN (4, {last})"),
        )
        .await
        .unwrap();
        exec(&db, "UPDATE audit_log SET seq = seq WHERE 1 = 0")
            .await
            .unwrap();
        // Forge the missing middle back with a fresh hash of its own: the link breaks.
        exec(
            &db,
            "INSERT INTO audit_log (at, actor, action, entity, seq, prev_hash, hash) VALUES ('2026-01-01T00:00:00+00:00', 'x', 'x', 'x', 4, 'forged', 'forged')",
        )
        .await
        .unwrap();
        let v = app.verify_audit().await.unwrap();
        assert!(
            matches!(v.broken, Some(ChainBreak::Unlinked { seq: 4, .. })),
            "{:?}",
            v.broken
        );
    });
}

/// Whoever holds the database but not the key: a dropped guard, a back-dated row chained with
/// the public hash, a row slipped in unsealed, an old entry edited and the chain recomputed
/// after it — each is named by the verification, which itself writes nothing.
#[tokio::test]
async fn the_keyed_chain_names_what_the_database_owner_did() {
    use dangvu_domain::audit_chain::entry_hash;
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        for name in ["An", "Bình", "Cường"] {
            member(
                &app,
                &format!("Nguyễn Văn {name}"),
                f.cell_a,
                d(2000, 1, 1),
                true,
            )
            .await;
        }
        let v = app.verify_audit().await.unwrap();
        assert_eq!(v.broken, None);
        assert!(v.missing_guards.is_empty(), "{:?}", v.missing_guards);
        assert_eq!(v.unkeyed, 0, "a new database is keyed from its first entry");
        // The SQLite file holds personal data: readable by its owner only.
        if let Some(path) = db.url().strip_prefix("sqlite:") {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        let head = v.head_seq;

        // A dropped guard is named.
        db.drop_audit_guards().await;
        let v = app.verify_audit().await.unwrap();
        assert_eq!(v.broken, None);
        assert!(!v.missing_guards.is_empty(), "{:?}", db.backend);

        // A row inserted with a back-dated time, linked and hashed the public way.
        let last = db.audit_entries().await.pop().unwrap();
        let mut forged = last.clone();
        forged.seq = head + 1;
        forged.entry.at = "2019-01-01T00:00:00+00:00".into();
        forged.entry.action = "member.correct".into();
        let hash = entry_hash(&last.hash, &forged.entry.chain_fields(forged.seq));
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, seq, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&forged.entry.at)
        .bind(&forged.entry.actor)
        .bind(&forged.entry.action)
        .bind(&forged.entry.entity)
        .bind(forged.entry.entity_id)
        .bind(forged.seq)
        .bind(&last.hash)
        .bind(&hash)
        .execute(&db.store.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(head + 1)
            .bind(&hash)
            .execute(&db.store.pool)
            .await
            .unwrap();
        let v = app.verify_audit().await.unwrap();
        assert!(
            matches!(v.broken, Some(ChainBreak::Altered { seq, .. }) if seq == head + 1),
            "{:?}: {:?}",
            db.backend,
            v.broken
        );
        exec(
            &db,
            &format!("DELETE FROM audit_log WHERE seq = {}", head + 1),
        )
        .await
        .unwrap();
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(head)
            .bind(&last.hash)
            .execute(&db.store.pool)
            .await
            .unwrap();
        assert_eq!(app.verify_audit().await.unwrap().broken, None);

        // A row slipped in without a seal stays unsealed: neither verifying nor opening the
        // database again (migrations) adds it to the chain.
        exec(
            &db,
            "INSERT INTO audit_log (at, actor, action, entity) VALUES ('2019-01-01T00:00:00+00:00', 'x', 'member.correct', 'member')",
        )
        .await
        .unwrap();
        for _ in 0..2 {
            let v = app.verify_audit().await.unwrap();
            assert!(
                matches!(v.broken, Some(ChainBreak::Altered { .. })),
                "{:?}",
                v.broken
            );
            db.store.migrate().await.unwrap();
        }
        exec(&db, "DELETE FROM audit_log WHERE hash IS NULL")
            .await
            .unwrap();
        assert_eq!(app.verify_audit().await.unwrap().broken, None);

        // An old entry edited and every seal after it recomputed the public way.
        let mut chain = db.audit_entries().await;
        let k = 3usize;
        chain[k].entry.new_value = Some("{\"full_name\":\"Lê Thị Giả\"}".into());
        let mut prev = chain[k - 1].hash.clone();
        for s in chain.iter_mut().skip(k) {
            s.prev_hash = prev.clone();
            s.hash = entry_hash(&prev, &s.entry.chain_fields(s.seq));
            prev = s.hash.clone();
            sqlx::query(
                "UPDATE audit_log SET new_value = $1, prev_hash = $2, hash = $3 WHERE id = $4",
            )
            .bind(&s.entry.new_value)
            .bind(&s.prev_hash)
            .bind(&s.hash)
            .bind(s.id)
            .execute(&db.store.pool)
            .await
            .unwrap();
        }
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&prev)
            .execute(&db.store.pool)
            .await
            .unwrap();
        let v = app.verify_audit().await.unwrap();
        let first = chain[k].seq;
        assert!(
            matches!(v.broken, Some(ChainBreak::Altered { seq, .. }) if seq == first),
            "{:?}: {:?}",
            db.backend,
            v.broken
        );
        assert_eq!(v.checked, first - 1);
    });
}

#[tokio::test]
async fn every_change_writes_one_chained_entry_in_its_transaction() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let m = member(&app, "Trần Thị Bình", f.cell_a, d(2000, 1, 1), true).await;
        let before = app.verify_audit().await.unwrap().head_seq;
        // A refused change writes nothing, not even its audit entry.
        let e = app
            .correct_field(
                &actor(),
                m,
                "cccd",
                "12",
                "Sai",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        app.correct_field(
            &actor(),
            m,
            "residence",
            "Khu 3, Nam Khê",
            "Chuyển nhà",
            &dangvu_domain::decision::Decision::reference("QĐ 12"),
        )
        .await
        .unwrap();
        let v = app.verify_audit().await.unwrap();
        assert_eq!(
            v.head_seq,
            before + 1,
            "one entry for the correction, none for the refusal"
        );
        assert_eq!(v.broken, None);
        let rows = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    entity: Some("member".into()),
                    entity_id: Some(m.0),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(rows[0].seq, v.head_seq);
        assert!(rows.iter().any(|r| r.entry.action == "member.create"));
        let c = &rows[0].entry;
        assert_eq!(c.action, "member.correct");
        assert_eq!(c.org_id, Some(f.cell_a.0), "filed under her cell");
        assert_eq!(c.reason.as_deref(), Some("Chuyển nhà"));
        assert_eq!(c.decision_ref.as_deref(), Some("QĐ 12"));
        assert!(c.new_value.as_deref().unwrap().contains("Khu 3"));
    });
}

#[tokio::test]
async fn sign_in_locks_after_failures_without_telling_who_exists() {
    on_every_backend!(|db| {
        let (app, clock) = manual_app(&db);
        let f = fixture(&app).await;
        user_with(&app, "bithu.khu1", Role::Secretary, Some(f.cell_a), None).await;
        // The password policy refuses the obvious ones.
        for weak in ["matkhau123", "nguoi.moi2024", "1234567890", "ngắn"] {
            let e = app
                .add_user(
                    &actor(),
                    NewUser {
                        username: "nguoi.moi".into(),
                        display_name: "Người mới".into(),
                        password: weak.into(),
                        member: None,
                    },
                )
                .await
                .unwrap_err();
            assert_eq!(e.fields()[0].field, "password", "{weak}");
        }
        for _ in 0..4 {
            let e = app
                .sign_in("bithu.khu1", "sai mật khẩu rồi", Some("10.0.0.1"))
                .await
                .unwrap_err();
            assert_eq!(e.code(), "login_failed");
        }
        let e = app
            .sign_in("bithu.khu1", "sai mật khẩu rồi", Some("10.0.0.1"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "login_locked");
        // Locked: the right password from elsewhere gets the same answer.
        let e = app
            .sign_in("BiThu.Khu1", TEST_PASSWORD, Some("10.0.0.2"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "login_locked");
        // A name nobody has answers exactly the same way.
        let codes: Vec<&str> = {
            let mut v = Vec::new();
            for _ in 0..5 {
                v.push(
                    app.sign_in("khong.co.ai", "sai mật khẩu rồi", Some("10.0.0.3"))
                        .await
                        .unwrap_err()
                        .code(),
                );
            }
            v
        };
        assert_eq!(
            codes,
            [
                "login_failed",
                "login_failed",
                "login_failed",
                "login_failed",
                "login_locked"
            ]
        );
        // Fifteen minutes later the right password works again.
        clock.advance(Duration::minutes(16));
        app.sign_in("bithu.khu1", TEST_PASSWORD, Some("10.0.0.2"))
            .await
            .unwrap();
        // One address trying many names is locked too.
        for i in 0..20 {
            let _ = app
                .sign_in(&format!("ten{i}"), "sai mật khẩu rồi", Some("10.9.9.9"))
                .await;
        }
        let e = app
            .sign_in("bithu.khu1", TEST_PASSWORD, Some("10.9.9.9"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "login_locked");
        // Each attempt is in the audit trail, without the password.
        let failed = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    action: Some("auth.sign_in_failed".into()),
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(failed.len(), 4 + 1 + 5 + 20);
        assert!(failed.iter().all(|r| {
            !r.entry
                .new_value
                .as_deref()
                .unwrap_or("")
                .contains("sai mật khẩu")
        }));
        assert!(
            failed
                .iter()
                .any(|r| r.entry.address.as_deref() == Some("10.0.0.1"))
        );
    });
}

#[tokio::test]
async fn sessions_expire_when_idle_or_old_and_end_everywhere() {
    on_every_backend!(|db| {
        let (app, clock) = manual_app(&db);
        let f = fixture(&app).await;
        let uid = user_with(&app, "bithu.khu1", Role::Secretary, Some(f.cell_a), None).await;
        let policy = SessionPolicy::default();
        let s = app
            .sign_in("bithu.khu1", TEST_PASSWORD, None)
            .await
            .unwrap();
        let info = app.session(&s.token, None, policy).await.unwrap().unwrap();
        assert_eq!(info.user_id, uid);
        assert_eq!(info.csrf, s.csrf);
        assert!(info.actor.access.orgs.contains(&f.cell_a));
        assert!(!info.actor.access.orgs.contains(&f.cell_b));
        assert!(
            app.session("khong-phai-token", None, policy)
                .await
                .unwrap()
                .is_none()
        );
        // Active every 59 minutes: still in.
        for _ in 0..3 {
            clock.advance(Duration::minutes(59));
            assert!(app.session(&s.token, None, policy).await.unwrap().is_some());
        }
        // Idle for 61 minutes: out.
        clock.advance(Duration::minutes(61));
        assert!(app.session(&s.token, None, policy).await.unwrap().is_none());
        // However active, out after 12 hours.
        let s = app
            .sign_in("bithu.khu1", TEST_PASSWORD, None)
            .await
            .unwrap();
        let mut alive = 0;
        for _ in 0..15 {
            clock.advance(Duration::minutes(55));
            if app.session(&s.token, None, policy).await.unwrap().is_some() {
                alive += 1;
            }
        }
        assert_eq!(alive, 13, "12 h = 13 steps of 55 min");
        // Sign out everywhere ends every session of the account.
        let a = app
            .sign_in("bithu.khu1", TEST_PASSWORD, None)
            .await
            .unwrap();
        let b = app
            .sign_in("bithu.khu1", TEST_PASSWORD, None)
            .await
            .unwrap();
        let actor_a = app
            .session(&a.token, None, policy)
            .await
            .unwrap()
            .unwrap()
            .actor;
        assert_eq!(app.sign_out_everywhere(&actor_a).await.unwrap(), 2);
        assert!(app.session(&a.token, None, policy).await.unwrap().is_none());
        assert!(app.session(&b.token, None, policy).await.unwrap().is_none());
        // A secretary cannot create accounts or grant roles.
        let c = app
            .sign_in("bithu.khu1", TEST_PASSWORD, None)
            .await
            .unwrap();
        let sec = app
            .session(&c.token, None, policy)
            .await
            .unwrap()
            .unwrap()
            .actor;
        let e = app
            .grant_role(&sec, uid, &NewGrant::new(Role::Admin, None, d(2026, 1, 1)))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden));
    });
}

#[tokio::test]
async fn scopes_limit_every_read_and_write_in_the_app_layer() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a1 = member(&app, "Nguyễn Văn Đức", f.cell_a, d(2000, 1, 1), true).await;
        let b1 = member(&app, "Lê Thị Hoa", f.cell_b, d(2001, 1, 1), true).await;
        let c1 = member(&app, "Phạm Văn Đức", f.cell_c, d(2002, 1, 1), true).await;
        user_with(&app, "bithu.namkhe", Role::Secretary, Some(f.g1), None).await;
        let s = app
            .sign_in("bithu.namkhe", TEST_PASSWORD, None)
            .await
            .unwrap();
        let sec = app
            .session(&s.token, None, SessionPolicy::default())
            .await
            .unwrap()
            .unwrap()
            .actor;
        let today = d(2026, 6, 15);
        // The tree: her đảng bộ and its cells only, counts over them only.
        let t = app.tree(&sec, today).await.unwrap();
        let ids: Vec<_> = t.nodes.iter().map(|n| n.id).collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(t.nodes[0].id, f.g1);
        assert_eq!(t.nodes[0].depth, 0);
        assert_eq!(t.nodes[0].parent, None);
        assert_eq!(t.nodes[0].counts.total, 2);
        assert!(!ids.contains(&f.cell_c) && !ids.contains(&f.city));
        // Lists and search.
        assert!(matches!(
            app.list_members(&sec, f.city, today, None, 1, 50).await,
            Err(AppError::NotFound("org"))
        ));
        let l = app
            .list_members(&sec, f.g1, today, Some("duc".into()), 1, 50)
            .await
            .unwrap();
        assert_eq!(l.items.iter().map(|i| i.id).collect::<Vec<_>>(), [a1]);
        // Records: hers yes, the other đảng bộ's "not found", like an id nobody uses.
        app.member(&sec, b1, today).await.unwrap();
        assert!(matches!(
            app.member(&sec, c1, today).await,
            Err(AppError::NotFound("member"))
        ));
        assert!(matches!(
            app.member(&sec, dangvu_domain::ids::MemberId(999_999), today)
                .await,
            Err(AppError::NotFound("member"))
        ));
        // Writes: her members and her cells yes; her own đảng bộ's name is the superior's call.
        app.correct_field(
            &sec,
            a1,
            "residence",
            "Khu 2",
            "Chuyển nơi ở",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        assert!(matches!(
            app.correct_field(
                &sec,
                c1,
                "residence",
                "Khu 2",
                "Chuyển nơi ở",
                &dangvu_domain::decision::Decision::default()
            )
            .await,
            Err(AppError::NotFound("member"))
        ));
        app.rename_org(
            &sec,
            f.cell_a,
            "Chi bộ Khu 1A",
            today,
            "Đổi tên theo địa bàn",
        )
        .await
        .unwrap();
        assert!(matches!(
            app.rename_org(&sec, f.g1, "Đảng bộ Nam Khê", today, "Thử")
                .await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            app.rename_org(&sec, f.cell_c, "X", today, "Thử").await,
            Err(AppError::NotFound("org"))
        ));
        // Her audit trail holds her subtree's entries only.
        let rows = app
            .audit_trail(
                &sec,
                &dangvu_app::trail::TrailFilter {
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(!rows.is_empty());
        let mine = [f.g1.0, f.cell_a.0, f.cell_b.0];
        assert!(
            rows.iter()
                .all(|r| r.entry.org_id.is_some_and(|o| mine.contains(&o)))
        );
    });
}

#[tokio::test]
async fn a_backup_taken_during_writes_restores_whole_and_exact() {
    use std::sync::atomic::{AtomicBool, Ordering};
    for backend in dangvu_testkit::backends() {
        let src = TestDb::new(backend).await;
        let app = src.app();
        let f = fixture(&app).await;
        let stop = Arc::new(AtomicBool::new(false));
        let (w_app, w_stop, cell) = (app.clone(), stop.clone(), f.cell_a);
        let writer = tokio::spawn(async move {
            let mut n = 0u32;
            while !w_stop.load(Ordering::SeqCst) {
                member(&w_app, "Phạm Văn Ghi", cell, d(2000, 1, 1), true).await;
                n += 1;
            }
            n
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let mut buf = Vec::new();
        let summary =
            dangvu_store::backup::backup(&src.store, "2026-06-15T03:00:00+00:00", &mut buf)
                .await
                .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        stop.store(true, Ordering::SeqCst);
        let written = writer.await.unwrap();
        assert!(written > 2, "the writer kept writing ({written})");
        assert_eq!(summary.tables, dangvu_store::backup::TABLES.len());

        // Restore checks the chain it writes with this installation's key: under another key
        // the copy is refused whole.
        let stranger = TestDb::new(backend).await;
        let e = dangvu_store::backup::restore(&stranger.store, &mut &buf[..])
            .await
            .unwrap_err();
        assert!(e.to_string().contains("audit"), "{e}");
        assert!(stranger.store.is_empty().await.unwrap());
        stranger.cleanup().await;
        let dst = TestDb::new(backend).await.with_key_of(&src);
        dangvu_store::backup::restore(&dst.store, &mut &buf[..])
            .await
            .unwrap();
        let dapp = dst.app();
        // One snapshot: the chain is whole and every member has her entry.
        let v = dapp.verify_audit().await.unwrap();
        assert_eq!(v.broken, None, "{backend:?}");
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(&dst.store.pool)
            .await
            .unwrap();
        let created: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'member.create'")
                .fetch_one(&dst.store.pool)
                .await
                .unwrap();
        assert_eq!(members, created);
        assert!(
            members > 0 && members < i64::from(written),
            "{members} of {written}"
        );
        // Every table comes back exactly: a backup of the copy equals the backup.
        let mut again = Vec::new();
        dangvu_store::backup::backup(&dst.store, "2026-06-15T03:00:00+00:00", &mut again)
            .await
            .unwrap();
        let body = |b: &[u8]| {
            String::from_utf8(b.to_vec())
                .unwrap()
                .lines()
                .skip(1)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(body(&buf), body(&again));
        // The copy keeps working: new ids follow the restored ones.
        member(&dapp, "Hoàng Thị Mới", f.cell_b, d(2010, 1, 1), true).await;
        assert_eq!(dapp.verify_audit().await.unwrap().broken, None);
        // Into a database that holds data: refused, nothing written.
        assert!(
            dangvu_store::backup::restore(&dst.store, &mut &buf[..])
                .await
                .is_err()
        );
        // A cut file: refused whole.
        let third = TestDb::new(backend).await;
        let mut at = buf.len() * 2 / 3;
        while buf[at - 1] != b'\n' {
            at -= 1;
        }
        let cut = &buf[..at];
        let e = dangvu_store::backup::restore(&third.store, &mut &cut[..])
            .await
            .unwrap_err();
        assert!(e.to_string().contains("ends too early"), "{e}");
        assert!(third.store.is_empty().await.unwrap());
        src.cleanup().await;
        dst.cleanup().await;
        third.cleanup().await;
    }
}

#[tokio::test]
async fn a_checkpoint_empties_the_sqlite_write_ahead_log_while_readers_read() {
    let db = TestDb::new(Backend::Sqlite).await;
    let app = db.app();
    let f = fixture(&app).await;
    for _ in 0..20 {
        member(&app, "Đinh Văn Sơn", f.cell_a, d(2000, 1, 1), true).await;
    }
    let path = db.url().trim_start_matches("sqlite:").to_owned() + "-wal";
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    // A reader in the middle of its snapshot does not stop the log from being emptied for long.
    let reader = {
        let app = app.clone();
        tokio::spawn(async move {
            for _ in 0..20 {
                app.tree(&actor(), d(2026, 6, 15)).await.unwrap();
            }
        })
    };
    db.store.checkpoint().await.unwrap();
    reader.await.unwrap();
    db.store.checkpoint().await.unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    assert_eq!(app.verify_audit().await.unwrap().broken, None);
    db.cleanup().await;
}

#[tokio::test]
async fn pages_read_from_the_kept_order_agree_with_the_database_and_follow_changes() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let names = [
            "Nguyễn Văn An",
            "Lê Thị Ánh",
            "Trần Văn Ăn",
            "Phạm Thị Bình",
            "Vũ Văn Dũng",
            "Đỗ Thị Đức",
            "Hồ Văn Em",
        ];
        for (i, n) in names.iter().enumerate() {
            let cell = if i % 2 == 0 { f.cell_a } else { f.cell_b };
            member(&app, n, cell, d(2000, 1, 1), true).await;
        }
        let today = d(2026, 6, 15);
        let page = |p: i64| {
            let app = app.clone();
            async move {
                app.list_members(&actor(), f.g1, today, None, p, 3)
                    .await
                    .unwrap()
            }
        };
        // Page 1 from the database, then pages 2 and 3 from the kept order, then page 1 again.
        let mut seen = Vec::new();
        for p in [1, 2, 3] {
            let l = page(p).await;
            assert_eq!(l.total, 7);
            seen.extend(l.items.iter().map(|i| i.full_name.clone()));
        }
        assert_eq!(page(1).await.items.len(), 3);
        assert_eq!(
            seen,
            [
                "Nguyễn Văn An",
                "Lê Thị Ánh",
                "Trần Văn Ăn",
                "Phạm Thị Bình",
                "Vũ Văn Dũng",
                "Đỗ Thị Đức",
                "Hồ Văn Em"
            ]
        );
        // A change anywhere: the next pages see it.
        member(&app, "Lý Thị Cúc", f.cell_a, d(2001, 1, 1), true).await;
        let l = page(2).await;
        assert_eq!(l.total, 8);
        assert_eq!(
            l.items
                .iter()
                .map(|i| i.full_name.as_str())
                .collect::<Vec<_>>(),
            ["Phạm Thị Bình", "Lý Thị Cúc", "Vũ Văn Dũng"]
        );
        // Searches page from their kept results too.
        let s = app
            .list_members(&actor(), f.g1, today, Some("thi".into()), 2, 2)
            .await
            .unwrap();
        assert_eq!(s.total, 4);
        assert_eq!(
            s.items
                .iter()
                .map(|i| i.full_name.as_str())
                .collect::<Vec<_>>(),
            ["Lý Thị Cúc", "Đỗ Thị Đức"]
        );
        // Beyond the end: an empty page, the right total.
        let l = page(9).await;
        assert!(l.items.is_empty());
        assert_eq!(l.total, 8);
    });
}

#[tokio::test]
async fn a_slow_tree_is_served_from_its_last_count_while_it_is_recounted() {
    on_every_backend!(|db| {
        // Every count counts as slow here, as a million members' would.
        let app = db.app().with_slow_tree(std::time::Duration::ZERO);
        let f = fixture(&app).await;
        member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let today = d(2026, 6, 15);
        let total = |t: &dangvu_app::views::TreeView| t.nodes[0].counts.total;
        let t = app.tree(&actor(), today).await.unwrap();
        assert!(!t.stale);
        assert_eq!(total(&t), 1);
        member(&app, "Trần Thị Bình", f.cell_b, d(2000, 1, 1), true).await;
        // Right after the change: the last count, said to be stale, at once.
        let t = app.tree(&actor(), today).await.unwrap();
        assert!(t.stale);
        assert_eq!(total(&t), 1);
        // Soon after: the new count.
        let mut fresh = None;
        for _ in 0..100 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let t = app.tree(&actor(), today).await.unwrap();
            if !t.stale {
                fresh = Some(t);
                break;
            }
        }
        assert_eq!(total(&fresh.expect("recounted in the background")), 2);
        // A quick tree (the default threshold) is always counted on the spot.
        let quick = db.app();
        member(&quick, "Lê Văn Cường", f.cell_b, d(2000, 1, 1), true).await;
        let t = quick.tree(&actor(), today).await.unwrap();
        assert!(!t.stale);
        assert_eq!(total(&t), 3);
    });
}

#[tokio::test]
async fn an_organisation_cut_from_the_counted_tree_equals_one_counted_alone() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        for (i, n) in ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Văn Ăn"]
            .iter()
            .enumerate()
        {
            let cell = [f.cell_a, f.cell_b, f.cell_c][i];
            member(&app, n, cell, d(2000, 1, 1), true).await;
        }
        for on in [d(2026, 6, 15), d(2010, 1, 1)] {
            for org in [f.province, f.city, f.g1, f.cell_b] {
                let alone = serde_json::to_value(app.org(&actor(), org, on).await.unwrap().subtree)
                    .unwrap();
                app.tree(&actor(), on).await.unwrap();
                let cut = serde_json::to_value(app.org(&actor(), org, on).await.unwrap().subtree)
                    .unwrap();
                assert_eq!(alone, cut, "{org:?} on {on}");
            }
        }
    });
}
