//! The pool, the backend chosen from the URL, migrations.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

mod migrations;
pub(crate) use migrations::{migrations, statements};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor, Row};

use crate::error::{Result, StoreError};

/// A connection inside a transaction: every store function takes one, so a use case can put
/// several calls into one transaction.
pub type Conn = sqlx::AnyConnection;
/// A transaction.
/// The page cache of a writing SQLite connection, in KiB (as `WRITER_PRAGMAS` and
/// `RESET_CACHE` set it).
pub(crate) const CACHE_KIB: i64 = 65_536;

/// A writing connection's usual page cache (`CACHE_KIB`).
const RESET_CACHE: &str = "PRAGMA cache_size=-65536";

/// The connections a process keeps to its database: `DANGVU_DB_CONNECTIONS` (1–100), else 8 on
/// SQLite and 10 on PostgreSQL. Several `dangvu serve` processes on one PostgreSQL share its
/// `max_connections` between them.
fn pool_size(default: u32) -> u32 {
    std::env::var("DANGVU_DB_CONNECTIONS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (1..=100).contains(n))
        .unwrap_or(default)
}

/// What every writing SQLite connection is set to (its cache: `CACHE_KIB`).
const WRITER_PRAGMAS: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Runs a query and reads every row it returns with `map`.
pub(crate) async fn all<T>(
    conn: &mut Conn,
    q: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    map: impl FnMut(&sqlx::any::AnyRow) -> crate::error::Result<T>,
) -> crate::error::Result<Vec<T>> {
    q.fetch_all(&mut *conn).await?.iter().map(map).collect()
}

/// The query of a set of organisations.
pub(crate) type OrgsQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Runs a query over a set of organisations, `{orgs}` in `sql` standing for their ids, with
/// `bind` adding its parameters, and reads every row with `map`; an empty set has no rows and
/// runs no query.
pub(crate) async fn all_of_orgs<'q, T>(
    conn: &mut Conn,
    orgs: &[dangvu_domain::ids::OrgId],
    sql: &str,
    bind: impl FnOnce(OrgsQuery<'q>) -> OrgsQuery<'q>,
    map: impl FnMut(&sqlx::any::AnyRow) -> crate::error::Result<T>,
) -> crate::error::Result<Vec<T>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::members::id_list(orgs.iter().map(|o| o.0));
    let q = sqlx::query(sqlx::AssertSqlSafe(sql.replace("{orgs}", &list)));
    all(conn, bind(q), map).await
}

/// Reads a decision kept in three columns: its reference, date and deciding body.
pub(crate) fn decision_in(
    r: &sqlx::any::AnyRow,
    reference: &str,
    date: &str,
    body: &str,
) -> crate::error::Result<dangvu_domain::decision::Decision> {
    use sqlx::Row;
    Ok(dangvu_domain::decision::Decision {
        reference: r.try_get(reference)?,
        date: crate::orgs::opt_date(r, date)?,
        body: r.try_get(body)?,
    })
}

/// The insert of a decided record, returning its id.
pub(crate) type InsertId<'q> =
    sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments>;

/// Binds, in this order, a decision (reference, date, body), the reason and who recorded it
/// when: the last six columns of every record a decision approves.
pub(crate) fn bind_decided<'q>(
    q: InsertId<'q>,
    d: &dangvu_domain::decision::Decision,
    reason: &str,
    recorded_at: &str,
    recorded_by: &str,
) -> InsertId<'q> {
    q.bind(d.reference.clone())
        .bind(d.date.map(dangvu_domain::date::iso))
        .bind(d.body.clone())
        .bind(reason.to_owned())
        .bind(recorded_at.to_owned())
        .bind(recorded_by.to_owned())
}

/// Runs a query and reads the row it returns, if any, with `map`.
pub(crate) async fn optional<T>(
    conn: &mut Conn,
    q: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    map: impl FnOnce(&sqlx::any::AnyRow) -> crate::error::Result<T>,
) -> crate::error::Result<Option<T>> {
    q.fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(map)
        .transpose()
}

/// Runs an update that must touch a row: [`StoreError::NotFound`] when it touched none.
pub(crate) async fn update_one(
    conn: &mut Conn,
    q: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
) -> crate::error::Result<()> {
    match q.execute(&mut *conn).await?.rows_affected() {
        0 => Err(crate::error::StoreError::NotFound),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives, parsed from `--database-url` or a bare path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// A SQLite file; `create` allows creating it (and its folder) when missing.
    Sqlite {
        path: PathBuf,
        create: bool,
    },
    Postgres {
        url: String,
    },
}

impl DbTarget {
    /// Parses `sqlite:PATH`, `sqlite://PATH`, `postgres://…`, `postgresql://…`, or a bare path.
    /// `create` says whether a missing SQLite file may be created.
    pub fn parse(input: &str, create: bool) -> Result<DbTarget> {
        let s = input.trim();
        if s.is_empty() {
            return Err(StoreError::Config("the database URL is empty".into()));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(DbTarget::Postgres { url: s.to_owned() });
        }
        if let Some(rest) = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
        {
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            if path.is_empty() || path == ":memory:" {
                return Err(StoreError::Config(
                    "an in-memory SQLite database would lose every change: give a file path, e.g. sqlite:data/dangvu.sqlite3".into(),
                ));
            }
            let create = create || query.split('&').any(|kv| kv == "mode=rwc");
            return Ok(DbTarget::Sqlite {
                path: PathBuf::from(path),
                create,
            });
        }
        if let Some((scheme, _)) = s.split_once(':')
            && scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
            && (s.contains("://") || !Path::new(s).exists())
        {
            return Err(StoreError::Config(format!(
                "unknown database URL scheme \"{scheme}\": use sqlite:PATH or postgres://USER@HOST/DB"
            )));
        }
        Ok(DbTarget::Sqlite {
            path: PathBuf::from(s),
            create,
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbTarget::Sqlite { .. } => Backend::Sqlite,
            DbTarget::Postgres { .. } => Backend::Postgres,
        }
    }

    /// The target without a password, for messages.
    pub fn describe(&self) -> String {
        match self {
            DbTarget::Sqlite { path, .. } => format!("SQLite {}", path.display()),
            DbTarget::Postgres { url } => match url::Url::parse(url) {
                Ok(u) => format!(
                    "PostgreSQL {}:{}{}",
                    u.host_str().unwrap_or("localhost"),
                    u.port().unwrap_or(5432),
                    u.path()
                ),
                Err(_) => "PostgreSQL".into(),
            },
        }
    }
}

/// The store: a pool, its backend, and the key that seals the audit chain.
#[derive(Clone, Debug)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The audit chain's key (kept outside the database); writing an audit entry needs it.
    audit_key: Option<std::sync::Arc<dangvu_domain::audit_chain::Sealer>>,
}

impl Store {
    /// Connects to the target. Errors are one line that says what to fix.
    pub async fn connect(target: &DbTarget) -> Result<Store> {
        Store::connect_with(target, false).await
    }

    /// Connects for reading only: every connection refuses writes (SQLite `query_only`,
    /// PostgreSQL read-only transactions), nothing is created or migrated. For checks that
    /// must not change what they check, such as verifying the audit chain.
    pub async fn connect_read_only(target: &DbTarget) -> Result<Store> {
        let target = match target {
            DbTarget::Sqlite { path, .. } => DbTarget::Sqlite {
                path: path.clone(),
                create: false,
            },
            other => other.clone(),
        };
        Store::connect_with(&target, true).await
    }

    async fn connect_with(target: &DbTarget, read_only: bool) -> Result<Store> {
        sqlx::any::install_default_drivers();
        match target {
            DbTarget::Sqlite { path, create } => {
                if !path.exists() {
                    if !*create {
                        return Err(StoreError::Config(format!(
                            "the SQLite database {} does not exist: check the path, or add --create to make a new empty one",
                            path.display()
                        )));
                    }
                    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            StoreError::Config(format!(
                                "cannot create the folder {}: {e}",
                                dir.display()
                            ))
                        })?;
                    }
                    // Personal data: readable by the server's account only.
                    crate::files::create_private(path).map_err(|e| {
                        StoreError::Config(format!(
                            "cannot create the database file {}: {e}",
                            path.display()
                        ))
                    })?;
                }
                let url = format!("sqlite://{}", path.display());
                let opts = AnyConnectOptions::from_str(&url)
                    .map_err(|e| {
                        StoreError::Config(format!("bad SQLite path {}: {e}", path.display()))
                    })?
                    .disable_statement_logging();
                let pool = AnyPoolOptions::new()
                    .max_connections(pool_size(8))
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            conn.execute(if read_only {
                                "PRAGMA busy_timeout=10000; PRAGMA query_only=ON;"
                            } else {
                                WRITER_PRAGMAS
                            })
                            .await?;
                            Ok(())
                        })
                    })
                    // A bulk write's larger page cache (`bulk::bulk_cache`) and its unchecked
                    // foreign keys (`begin_bulk`) end with its transaction, whichever way
                    // that ends.
                    .after_release(move |conn, _| {
                        Box::pin(async move {
                            if !read_only {
                                conn.execute(RESET_CACHE).await?;
                                // Only when a bulk write turned them off: setting the pragma
                                // makes SQLite prepare every cached statement again.
                                let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                                    .fetch_one(&mut *conn)
                                    .await?;
                                if on == 0 {
                                    conn.execute("PRAGMA foreign_keys=ON").await?;
                                }
                            }
                            Ok(true)
                        })
                    })
                    .connect_with(opts)
                    .await
                    .map_err(|e| {
                        StoreError::Config(format!("cannot open {}: {e}", path.display()))
                    })?;
                Ok(Store {
                    pool,
                    backend: Backend::Sqlite,
                    audit_key: None,
                })
            }
            DbTarget::Postgres { url } => {
                let opts = AnyConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?
                    .disable_statement_logging();
                // One connection first: its error says what is wrong (refused, bad password, no
                // such database) where a pool would only time out.
                let probe = tokio_timeout(<sqlx::AnyConnection as sqlx::Connection>::connect_with(
                    &opts,
                ))
                .await;
                match probe {
                    Some(Ok(c)) => {
                        let _ = sqlx::Connection::close(c).await;
                    }
                    Some(Err(e)) => {
                        return Err(StoreError::Config(format!(
                            "cannot reach {}: {e}; is the server running and the URL right?",
                            target.describe()
                        )));
                    }
                    None => {
                        return Err(StoreError::Config(format!(
                            "cannot reach {}: no answer within 10 seconds; is the server running and the URL right?",
                            target.describe()
                        )));
                    }
                }
                let pool = AnyPoolOptions::new()
                    .max_connections(pool_size(10))
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            if read_only {
                                conn.execute("SET default_transaction_read_only = on")
                                    .await?;
                            }
                            Ok(())
                        })
                    })
                    .connect_with(opts)
                    .await
                    .map_err(|e| {
                        StoreError::Config(format!(
                            "cannot reach {}: {e}; is the server running and the URL right?",
                            target.describe()
                        ))
                    })?;
                Ok(Store {
                    pool,
                    backend: Backend::Postgres,
                    audit_key: None,
                })
            }
        }
    }

    /// The store with the audit chain's key (see [`crate::files::load_or_create_key`]).
    pub fn with_audit_key(mut self, key: dangvu_domain::audit_chain::Sealer) -> Store {
        self.audit_key = Some(std::sync::Arc::new(key));
        self
    }

    /// The audit chain's key, or a configuration error when none was loaded.
    pub fn audit_key(&self) -> Result<&dangvu_domain::audit_chain::Sealer> {
        self.audit_key.as_deref().ok_or_else(|| {
            StoreError::Config("the audit key is not loaded: nothing can be written".into())
        })
    }

    /// Applies the embedded migrations that are not yet applied, each in one transaction.
    /// Returns how many were applied.
    /// Every migration the database has applied is one this program carries, unchanged: a
    /// migration edited after it ran, or a database migrated by a newer program, is refused
    /// before anything else is done. A migration applied before checksums were kept gets its
    /// checksum now.
    async fn check_applied(&self, list: &[(i64, &str, &str)]) -> Result<()> {
        let mut tx = self.begin().await?;
        let rows =
            sqlx::query("SELECT version, name, checksum FROM dangvu_migrations ORDER BY version")
                .fetch_all(&mut *tx)
                .await?;
        for r in &rows {
            let version: i64 = r.try_get("version")?;
            let stored: Option<String> = r.try_get("checksum")?;
            let Some((_, name, sql)) = list.iter().find(|(v, _, _)| *v == version) else {
                return Err(StoreError::Config(format!(
                    "the database has migration {version}, which this program does not know: it was migrated by a newer version"
                )));
            };
            match stored {
                Some(c) if c == checksum(sql) => {}
                Some(_) => {
                    return Err(StoreError::Config(format!(
                        "migration {version} ({name}) was changed after it was applied to this database"
                    )));
                }
                None => {
                    sqlx::query("UPDATE dangvu_migrations SET checksum = $1 WHERE version = $2")
                        .bind(checksum(sql))
                        .bind(version)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn migrate(&self) -> Result<usize> {
        let mut conn = self.pool.acquire().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS dangvu_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT)",
        )
        .await?;
        // A table made before migrations were checksummed gets the column (SQLite has no
        // ADD COLUMN IF NOT EXISTS, so ask first).
        if conn
            .execute("SELECT checksum FROM dangvu_migrations WHERE 1 = 0")
            .await
            .is_err()
        {
            conn.execute("ALTER TABLE dangvu_migrations ADD COLUMN checksum TEXT")
                .await?;
        }
        drop(conn);
        let list = migrations(self.backend);
        self.check_applied(list).await?;
        let mut applied = 0;
        let mut chain_created = false;
        for (version, name, sql) in list {
            let mut tx = self.begin().await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM dangvu_migrations WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            for stmt in statements(sql) {
                tx.execute(sqlx::AssertSqlSafe(stmt))
                    .await
                    .map_err(StoreError::from_sqlx)?;
            }
            sqlx::query(
                "INSERT INTO dangvu_migrations (version, name, applied_at, checksum) VALUES ($1, $2, $3, $4)",
            )
            .bind(*version)
            .bind(*name)
            .bind(migration_time())
            .bind(checksum(sql))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            applied += 1;
            chain_created |= *version == 2;
        }
        let mut tx = self.begin().await?;
        let refreshed = crate::members::refresh_sort_keys(&mut tx).await?;
        tx.commit().await?;
        if refreshed > 0 {
            tracing::info!(refreshed, "name sort keys recomputed for a new key version");
        }
        // Entries written before the chain existed join it once, when the chain is created.
        let sealed = if chain_created {
            crate::audit::seal_unsealed(self).await?
        } else {
            0
        };
        if sealed > 0 {
            tracing::info!(
                sealed,
                "audit entries of an older version added to the hash chain"
            );
        }
        Ok(applied)
    }

    /// Begins a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`) so
    /// concurrent writers wait instead of failing half-way.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Begins a bulk write transaction (an import): as `begin`, but on SQLite with the
    /// foreign keys unchecked until the connection goes back to the pool. A multi-row insert
    /// into a table with a foreign key otherwise copies every page it changes into a
    /// statement journal, so that it could undo itself half-way (`bulk::insert_into`); the
    /// bulk writer only writes rows whose references it has checked itself, and its
    /// transaction fails whole on any error.
    pub async fn begin_bulk(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => {
                self.pool
                    .begin_with("PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE")
                    .await?
            }
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Begins a read-only transaction (a consistent snapshot for reads that span queries).
    pub async fn read(&self) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    /// True when the database holds no organisation yet.
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// SQLite: copies the write-ahead log into the database file and truncates it. Readers that
    /// never pause would otherwise keep the log growing ("checkpoint starvation"); the server
    /// calls this every minute. Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Runs a future for at most 10 seconds.
async fn tokio_timeout<F: std::future::Future>(f: F) -> Option<F::Output> {
    tokio::time::timeout(Duration::from_secs(10), f).await.ok()
}

/// The SHA-256 of a migration's text, in hex: what an applied migration must still match.
fn checksum(sql: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// When a migration was applied: the one place outside the app's clock that reads the time.
#[allow(clippy::disallowed_methods)]
fn migration_time() -> String {
    chrono::Utc::now().to_rfc3339()
}

/// A savepoint inside a transaction, so that one part of a long write (a row of an import) can
/// be undone alone: `SAVEPOINT`, then `RELEASE` it or `ROLLBACK TO` it (both backends).
pub async fn savepoint(conn: &mut Conn) -> Result<()> {
    sqlx::query("SAVEPOINT part").execute(&mut *conn).await?;
    Ok(())
}

/// Keeps what was written since the savepoint.
pub async fn release(conn: &mut Conn) -> Result<()> {
    sqlx::query("RELEASE SAVEPOINT part")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Undoes what was written since the savepoint.
pub async fn rollback_to(conn: &mut Conn) -> Result<()> {
    sqlx::query("ROLLBACK TO SAVEPOINT part")
        .execute(&mut *conn)
        .await?;
    sqlx::query("RELEASE SAVEPOINT part")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_gets_and_gets_back_the_same_usual_cache() {
        let usual = format!("cache_size=-{CACHE_KIB}");
        assert!(WRITER_PRAGMAS.contains(&usual));
        assert!(RESET_CACHE.ends_with(&usual));
    }

    #[test]
    fn parses_targets() {
        assert_eq!(
            DbTarget::parse("postgres://postgres@127.0.0.1/test", false)
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        assert_eq!(
            DbTarget::parse("sqlite:data/x.sqlite3", false).unwrap(),
            DbTarget::Sqlite {
                path: "data/x.sqlite3".into(),
                create: false
            }
        );
        assert_eq!(
            DbTarget::parse("sqlite://data/x.sqlite3?mode=rwc", false).unwrap(),
            DbTarget::Sqlite {
                path: "data/x.sqlite3".into(),
                create: true
            }
        );
        assert_eq!(
            DbTarget::parse("./x.sqlite3", true).unwrap(),
            DbTarget::Sqlite {
                path: "./x.sqlite3".into(),
                create: true
            }
        );
        let err = DbTarget::parse("mysql://root@localhost/x", false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown database URL scheme \"mysql\""),
            "{err}"
        );
        assert!(DbTarget::parse("sqlite::memory:", false).is_err());
    }

    #[test]
    fn describe_hides_password() {
        let t = DbTarget::parse("postgres://u:secret@db.example:5433/prod", false).unwrap();
        assert_eq!(t.describe(), "PostgreSQL db.example:5433/prod");
    }
}
