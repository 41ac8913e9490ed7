//! Test helpers: a fresh database per test on every backend, the app on a fixed clock.
//!
//! SQLite always; PostgreSQL too when `DANGVU_TEST_PG` holds a server URL (a schema per test).
//! Under CI (`CI=true`) a missing `DANGVU_TEST_PG` is a failure, never a silent skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use dangvu_app::{App, FixedClock};
use dangvu_store::{Backend, DbTarget, Store};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database made for one test; `cleanup` removes it.
pub struct TestDb {
    pub store: Store,
    pub backend: Backend,
    dir: Option<PathBuf>,
    schema: Option<(String, String)>,
    /// A folder of the test's own, holding the audit key file.
    key_dir: PathBuf,
}

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}{}_{n}_{nanos}", std::process::id())
}

/// The PostgreSQL URL to test against, if any. Panics under CI when it is missing.
pub fn pg_url() -> Option<String> {
    match std::env::var("DANGVU_TEST_PG") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            if std::env::var("CI")
                .map(|v| v == "true" || v == "1")
                .unwrap_or(false)
            {
                panic!(
                    "CI=true but DANGVU_TEST_PG is not set: the PostgreSQL tests must run in CI"
                );
            }
            None
        }
    }
}

/// The backends to run a storage test on.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if pg_url().is_some() {
        v.push(Backend::Postgres);
    }
    v
}

impl TestDb {
    /// A fresh, migrated database on `backend`, with an audit key of its own in a key file
    /// (as `dangvu` makes one at first start).
    pub async fn new(backend: Backend) -> TestDb {
        let key_dir = std::env::temp_dir().join(unique("dangvu-key-"));
        std::fs::create_dir_all(&key_dir).unwrap();
        let sealer =
            dangvu_store::files::load_or_create_key(&key_dir.join("audit.key"), 1).unwrap();
        let mut db = TestDb::without_key(backend, key_dir).await;
        db.store = db.store.clone().with_audit_key(sealer);
        db
    }

    /// The audit key file another process (the `dangvu` binary) can use.
    pub fn key_path(&self) -> PathBuf {
        self.key_dir.join("audit.key")
    }

    /// This database sealing with another's key (a restore of the other's backup on the same
    /// installation).
    pub fn with_key_of(mut self, other: &TestDb) -> TestDb {
        self.store = self
            .store
            .clone()
            .with_audit_key(other.store.audit_key().unwrap().clone());
        std::fs::copy(other.key_path(), self.key_path()).unwrap();
        self
    }

    async fn without_key(backend: Backend, key_dir: PathBuf) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("dangvu-test-"));
                std::fs::create_dir_all(&dir).unwrap();
                let target = DbTarget::Sqlite {
                    path: dir.join("test.sqlite3"),
                    create: true,
                };
                let store = Store::connect(&target).await.unwrap();
                store.migrate().await.unwrap();
                TestDb {
                    store,
                    backend,
                    dir: Some(dir),
                    schema: None,
                    key_dir,
                }
            }
            Backend::Postgres => {
                let base = pg_url().expect("DANGVU_TEST_PG");
                let schema = unique("t_");
                let admin = Store::connect(&DbTarget::Postgres { url: base.clone() })
                    .await
                    .unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&admin.pool)
                    .await
                    .unwrap();
                admin.close().await;
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
                let store = Store::connect(&DbTarget::Postgres { url }).await.unwrap();
                store.migrate().await.unwrap();
                TestDb {
                    store,
                    backend,
                    dir: None,
                    schema: Some((base, schema)),
                    key_dir,
                }
            }
        }
    }

    /// The database URL another process (the `dangvu` binary) can open.
    pub fn url(&self) -> String {
        match (&self.dir, &self.schema) {
            (Some(dir), _) => format!("sqlite:{}", dir.join("test.sqlite3").display()),
            (None, Some((base, schema))) => {
                let sep = if base.contains('?') { '&' } else { '?' };
                format!("{base}{sep}options=-c%20search_path%3D{schema}")
            }
            (None, None) => String::new(),
        }
    }

    /// The app on this database, with the clock stopped at 15/6/2026 10:00 (UTC+7).
    pub fn app(&self) -> App {
        App::new(
            self.store.clone(),
            Arc::new(FixedClock(
                Utc.with_ymd_and_hms(2026, 6, 15, 3, 0, 0).unwrap(),
            )),
        )
    }

    /// Drops the triggers that keep sealed audit entries from changing, as the database's
    /// owner can (tampering tests).
    pub async fn drop_audit_guards(&self) {
        let drops: &[&str] = match self.backend {
            Backend::Sqlite => &[
                "DROP TRIGGER audit_log_no_update",
                "DROP TRIGGER audit_log_no_delete",
            ],
            Backend::Postgres => &["DROP TRIGGER audit_log_no_change ON audit_log"],
        };
        for sql in drops {
            sqlx::query(sqlx::AssertSqlSafe(*sql))
                .execute(&self.store.pool)
                .await
                .unwrap();
        }
    }

    /// The audit entries as stored, oldest first.
    pub async fn audit_entries(&self) -> Vec<dangvu_store::audit::StoredAudit> {
        let mut conn = self.store.pool.acquire().await.unwrap();
        let mut v = dangvu_store::audit::search(
            &mut conn,
            &dangvu_store::audit::AuditQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        v.reverse();
        v
    }

    /// Removes the database now (closing its pool first); dropping a `TestDb` removes it too,
    /// even when the test panicked.
    pub async fn cleanup(self) {
        self.store.close().await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.key_dir);
        if let Some(dir) = self.dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((base, schema)) = self.schema.take() {
            // A thread of its own with its own runtime: this may run inside the test's runtime,
            // or while a panic unwinds it.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(admin) = Store::connect(&DbTarget::Postgres { url: base }).await {
                        if let Ok(mut c) = admin.pool.acquire().await {
                            // A connection the test left in a transaction must not hold this up.
                            let _ = sqlx::query("SET lock_timeout = '10s'")
                                .execute(&mut *c)
                                .await;
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                "DROP SCHEMA IF EXISTS {schema} CASCADE"
                            )))
                            .execute(&mut *c)
                            .await;
                        }
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A member's record with the fields every test needs (name, sex, birth date, ethnicity) and
/// any others given, as a form would send them; panics on a value the form would refuse.
pub fn record(full_name: &str, fields: &[(&str, &str)]) -> dangvu_domain::member::MemberRecord {
    dangvu_domain::member::MemberRecord::parse(|k| {
        if let Some((_, v)) = fields.iter().find(|(f, _)| *f == k) {
            return (*v).to_owned();
        }
        match k {
            "full_name" => full_name.to_owned(),
            "sex" => "female".to_owned(),
            "birth_date" => "1980-05-01".to_owned(),
            "ethnicity" => "Kinh".to_owned(),
            _ => String::new(),
        }
    })
    .unwrap_or_else(|e| panic!("record of {full_name}: {e:?}"))
}

/// Runs `f` on a fresh database of every backend, naming the backend in any failure.
#[macro_export]
macro_rules! on_every_backend {
    (|$db:ident| $body:expr) => {{
        for backend in $crate::backends() {
            let $db = $crate::TestDb::new(backend).await;
            let r = async { $body }.await;
            $db.cleanup().await;
            r
        }
    }};
}

pub fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The password of every test account.
pub const TEST_PASSWORD: &str = "Sông Hồng chảy mãi 1975";

/// Creates an account with one role (granted from 1/1/2000) and returns its id.
pub async fn user_with(
    app: &App,
    username: &str,
    role: dangvu_domain::access::Role,
    org: Option<dangvu_domain::ids::OrgId>,
    member: Option<dangvu_domain::ids::MemberId>,
) -> i64 {
    let system = dangvu_app::Actor::new("kiểm thử");
    let id = app
        .add_user(
            &system,
            dangvu_app::auth::NewUser {
                username: username.into(),
                display_name: username.into(),
                password: TEST_PASSWORD.into(),
                member,
            },
        )
        .await
        .unwrap();
    app.grant_role(
        &system,
        id,
        &dangvu_domain::access::NewGrant::new(role, org, d(2000, 1, 1)),
    )
    .await
    .unwrap();
    id
}

/// Creates an account with one role on one organisation's subtree, signs it in and answers its
/// actor, as the use cases see a signed-in user.
pub async fn signed_in(
    app: &App,
    username: &str,
    role: dangvu_domain::access::Role,
    org: dangvu_domain::ids::OrgId,
) -> dangvu_app::Actor {
    signed_in_with(app, username, role, Some(org), None).await
}

/// [`signed_in`] for any grant: a role with or without an organisation, and the account's
/// member record (the member role).
pub async fn signed_in_with(
    app: &App,
    username: &str,
    role: dangvu_domain::access::Role,
    org: Option<dangvu_domain::ids::OrgId>,
    member: Option<dangvu_domain::ids::MemberId>,
) -> dangvu_app::Actor {
    user_with(app, username, role, org, member).await;
    let s = app.sign_in(username, TEST_PASSWORD, None).await.unwrap();
    app.session(&s.token, None, dangvu_app::auth::SessionPolicy::default())
        .await
        .unwrap()
        .unwrap()
        .actor
}

/// Signs in and returns (the `Cookie` header value, the CSRF token).
pub async fn session(app: &App, username: &str) -> (String, String) {
    let s = app
        .sign_in(username, TEST_PASSWORD, Some("127.0.0.1"))
        .await
        .unwrap();
    (format!("dangvu_session={}", s.token), s.csrf)
}

/// A TCP port free on loopback right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Where a test database lives: its folder, or its PostgreSQL schema.
    fn place(db: &TestDb) -> (Option<PathBuf>, Option<String>) {
        (db.dir.clone(), db.schema.as_ref().map(|(_, s)| s.clone()))
    }

    async fn schema_exists(schema: &str) -> bool {
        let admin = Store::connect(&DbTarget::Postgres {
            url: pg_url().expect("DANGVU_TEST_PG"),
        })
        .await
        .unwrap();
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = $1",
        )
        .bind(schema)
        .fetch_one(&admin.pool)
        .await
        .unwrap();
        admin.close().await;
        n == 1
    }

    #[tokio::test]
    async fn a_test_that_panics_leaves_no_database_behind() {
        for backend in backends() {
            let db = TestDb::new(backend).await;
            let (dir, schema) = place(&db);
            let key_dir = db.key_dir.clone();
            assert!(key_dir.exists());
            if let Some(s) = &schema {
                assert!(schema_exists(s).await);
            }
            // The test's body panics while it holds the database.
            let r = tokio::spawn(async move {
                let _db = db;
                panic!("a failing test");
            })
            .await;
            assert!(r.is_err());
            assert!(!key_dir.exists());
            if let Some(d) = dir {
                assert!(!d.exists(), "{} left behind", d.display());
            }
            if let Some(s) = schema {
                assert!(!schema_exists(&s).await, "schema {s} left behind");
            }
        }
    }
}

/// A cell of a test workbook.
#[derive(Debug, Clone)]
pub enum Cell {
    S(String),
    N(f64),
    /// A date, written as Excel writes one (a serial number with a date format).
    D(u16, u8, u8),
    /// A formula with the value Excel would have cached for it.
    F(String, String),
    B(bool),
    Empty,
}

/// Text cell.
pub fn s(t: &str) -> Cell {
    Cell::S(t.to_owned())
}

/// A workbook (.xlsx bytes) of one sheet named `sheet`: the rows from the first, and merged
/// header regions (first row, first column, last row, last column, text), all 0-based.
pub fn xlsx(sheet: &str, rows: &[Vec<Cell>], merges: &[(u32, u16, u32, u16, &str)]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let plain = Format::new();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap();
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap();
            match cell {
                Cell::S(t) => {
                    ws.write_string(r, c, t).unwrap();
                }
                Cell::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                Cell::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                Cell::F(f, v) => {
                    let f = rust_xlsxwriter::Formula::new(f).set_result(v);
                    ws.write_formula(r, c, f).unwrap();
                }
                Cell::B(b) => {
                    ws.write_boolean(r, c, *b).unwrap();
                }
                Cell::Empty => {}
            }
        }
    }
    for (r1, c1, r2, c2, t) in merges {
        ws.merge_range(*r1, *c1, *r2, *c2, t, &plain).unwrap();
    }
    wb.save_to_buffer().unwrap()
}
