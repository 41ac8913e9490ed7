//! `dangvu`: the command line of Đảng vụ.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use dangvu_app::{App, SystemClock};
use dangvu_store::{DbTarget, Store};
use indicatif::{ProgressBar, ProgressStyle};

mod commands;

/// mimalloc in place of the system allocator: the history in memory and the import's chunks
/// allocate and free many small values, where glibc's allocator spent a third of an import's
/// time (measured with `dangvu bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use commands::org::OrgCommand;
use commands::report::ReportCommand;

/// Đảng vụ: Party-building administration for a Party Committee — the organisation tree, the
/// member register, cell meetings and residence contact, the annual review and its reports.
#[derive(Parser, Debug)]
#[command(name = "dangvu", version, about, long_about = None)]
struct Cli {
    /// Folder for the default SQLite database (data/dangvu.sqlite3).
    #[arg(long, env = "DANGVU_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Database to use instead: sqlite:PATH, a file path, or postgres://USER@HOST/DB.
    #[arg(long, env = "DANGVU_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Create the SQLite file named by --database-url if it does not exist yet.
    #[arg(long, global = true)]
    create: bool,
    /// The audit chain's key file (created at first start, readable by this account only);
    /// by default audit.key in the data folder. Keep it outside the database's reach.
    #[arg(long, env = "DANGVU_AUDIT_KEY", global = true)]
    audit_key: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web app and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DANGVU_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Load the Uông Bí demo first if the database is empty, and create one demo account
        /// per role (their passwords are printed once).
        #[arg(long)]
        demo: bool,
        /// Mark the session cookie Secure: set this when served over HTTPS or behind a TLS proxy.
        #[arg(long, env = "DANGVU_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Behind a reverse proxy: take the client address from X-Forwarded-For.
        #[arg(long, env = "DANGVU_BEHIND_PROXY")]
        behind_proxy: bool,
        /// Sign out after this many minutes without a request.
        #[arg(long, env = "DANGVU_IDLE_MINUTES", default_value_t = 60)]
        idle_minutes: i64,
        /// Sign out this many hours after signing in, however active.
        #[arg(long, env = "DANGVU_SESSION_HOURS", default_value_t = 12)]
        session_hours: i64,
        /// The largest file the import page takes, in MB (1–200).
        #[arg(long, env = "DANGVU_IMPORT_MAX_MB", default_value_t = 20)]
        import_max_mb: usize,
    },
    /// Accounts and roles.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Organisations: find their ids.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// The member's path: deadlines in working days, probations, transfers, a committee's
    /// decisions.
    #[command(flatten)]
    Path(commands::path::PathCommand),
    /// The badge list of a presentation day (3/2, 19/5, 2/9, 7/11) for a subtree (R13).
    Badges {
        /// The organisation (its id or name).
        #[arg(long)]
        org: String,
        /// The presentation day (dd/mm/yyyy); the next one by default.
        #[arg(long)]
        day: Option<String>,
        /// Also write the list as an Excel workbook to this file.
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Party dues: a cell's book, a subtree's year, the members who owe.
    Dues {
        #[command(subcommand)]
        command: commands::dues::DuesCommand,
    },
    /// Bring members or organisations in from an Excel workbook or a CSV file.
    Import {
        #[command(subcommand)]
        command: commands::import::ImportCommand,
    },
    /// Take a member list or the register of members (Mẫu 7-HSĐV) out as a workbook (audited).
    Export {
        #[command(subcommand)]
        command: commands::stats::ExportCommand,
    },
    /// Code lists of the record's coded fields (ethnicity, religion, …).
    Codes {
        #[command(subcommand)]
        command: commands::import::CodesCommand,
    },
    /// Reports.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Take a consistent backup of the whole database into a file, while the server runs.
    Backup {
        /// The file to write (it must not exist).
        path: PathBuf,
    },
    /// Restore a backup into a new, empty database (of either kind).
    Restore {
        /// The backup file.
        path: PathBuf,
    },
    /// Load the Uông Bí demo into an empty database.
    Demo,
    /// Create or update the database tables.
    Migrate,
    /// Generate a synthetic, realistic dataset (same seed, same data) into an empty database.
    Gen {
        /// How many members.
        #[arg(long)]
        members: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also decide and lock a review of this year over the whole tree (synthetic levels),
        /// for benchmarks of the classification report.
        #[arg(long)]
        review: Option<i32>,
        /// Also write a year of dues (a basis for every member and almost every month paid),
        /// for benchmarks of the dues reports.
        #[arg(long)]
        dues: Option<i32>,
    },
    /// Measure the member list, the search and the tree page on the current database.
    Bench {
        /// Repetitions of each measurement.
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Only the measurements whose label contains this text (e.g. "statistics").
        #[arg(long)]
        only: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account. Without --password-stdin a strong password is generated and
    /// printed once.
    Add {
        /// The user name (letters without diacritics, digits, . _ -).
        username: String,
        /// The name shown in the app.
        #[arg(long)]
        name: Option<String>,
        /// Make the account a system administrator.
        #[arg(long)]
        admin: bool,
        /// The member this account belongs to (her own record).
        #[arg(long)]
        member: Option<i64>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Grant a role: admin, officer, secretary, asset_supervisor (these three with --org) or
    /// member.
    Grant {
        username: String,
        #[arg(long)]
        role: String,
        /// The organisation whose subtree is the scope: its id or its name.
        #[arg(long)]
        org: Option<String>,
        /// First day (dd/mm/yyyy); default today.
        #[arg(long)]
        from: Option<String>,
        /// Day the grant ends (dd/mm/yyyy), exclusive.
        #[arg(long)]
        to: Option<String>,
    },
    /// List the accounts and their roles.
    List,
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Check the keyed chain of the audit trail from the first entry to the last, reading the
    /// database only (nothing is sealed or migrated); exits non-zero and names the first bad
    /// entry, or a missing guard of the table.
    Verify {
        /// Also prove that nothing up to the checkpoints kept in this file changed.
        #[arg(long)]
        against: Option<PathBuf>,
    },
    /// Print a signed checkpoint of the chain's head (sequence number and seal), to keep
    /// somewhere the database's owner cannot write.
    Checkpoint {
        /// Also append the checkpoint to this file.
        #[arg(long)]
        append: Option<PathBuf>,
    },
}

fn target(cli: &Cli) -> anyhow::Result<DbTarget> {
    Ok(match &cli.database_url {
        Some(url) => DbTarget::parse(url, cli.create)?,
        None => DbTarget::Sqlite {
            path: cli.data_dir.join("dangvu.sqlite3"),
            create: true,
        },
    })
}

fn key_path(cli: &Cli) -> PathBuf {
    cli.audit_key
        .clone()
        .unwrap_or_else(|| cli.data_dir.join("audit.key"))
}

async fn open(cli: &Cli) -> anyhow::Result<App> {
    let t = target(cli)?;
    let store = Store::connect(&t).await?;
    store
        .migrate()
        .await
        .with_context(|| format!("cannot prepare the tables in {}", t.describe()))?;
    // The key is made at first start; entries already written keep their unkeyed seal.
    let mut conn = store.pool.acquire().await?;
    let (head, _) = dangvu_store::audit::head(&mut conn).await?;
    drop(conn);
    let sealer = dangvu_store::files::load_or_create_key(&key_path(cli), head + 1)?;
    Ok(App::new(
        store.with_audit_key(sealer),
        Arc::new(SystemClock),
    ))
}

/// The database opened for reading only, with the audit key that must already exist.
async fn open_read_only(cli: &Cli) -> anyhow::Result<Store> {
    let path = key_path(cli);
    if !path.exists() {
        anyhow::bail!(
            "no audit key at {}: give the installation's key with --audit-key",
            path.display()
        );
    }
    let sealer = dangvu_store::files::load_or_create_key(&path, 1)?;
    Ok(Store::connect_read_only(&target(cli)?)
        .await?
        .with_audit_key(sealer))
}

fn bar(len: u64, msg: &'static str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(msg);
    pb
}

async fn load_demo(app: &App) -> anyhow::Result<()> {
    let pb = bar(1, "Đang nạp dữ liệu mẫu Uông Bí");
    let pbc = pb.clone();
    let s = app
        .load_demo(&move |done, total| {
            pbc.set_length(total);
            pbc.set_position(done);
        })
        .await?;
    pb.finish_and_clear();
    eprintln!(
        "Đã nạp dữ liệu mẫu: {} tổ chức đảng, {} đảng viên.",
        s.orgs, s.members
    );
    Ok(())
}

fn print_demo_accounts(accounts: &[dangvu_app::demo::accounts::DemoAccount]) {
    if accounts.is_empty() {
        return;
    }
    eprintln!();
    eprintln!("Tài khoản dùng thử (mật khẩu chỉ hiện một lần, hãy ghi lại):");
    for a in accounts {
        eprintln!(
            "  {:<12} {:<20} {} — {}",
            a.username, a.password, a.role, a.scope
        );
    }
    eprintln!();
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Migrate => {
            let t = target(&cli)?;
            let store = Store::connect(&t).await?;
            let n = store.migrate().await?;
            eprintln!("{}: {n} migration(s) applied.", t.describe());
        }
        Command::Demo => {
            let app = open(&cli).await?;
            if !app.store.is_empty().await? {
                anyhow::bail!(
                    "the database already holds data: the demo loads only into an empty database"
                );
            }
            load_demo(&app).await?;
        }
        Command::Serve {
            bind,
            demo,
            secure_cookies,
            behind_proxy,
            idle_minutes,
            session_hours,
            import_max_mb,
        } => {
            let app = open(&cli).await?;
            if *demo {
                if app.store.is_empty().await? {
                    load_demo(&app).await?;
                }
                print_demo_accounts(&app.create_demo_accounts().await?);
            }
            let config = dangvu_web::WebConfig {
                secure_cookies: *secure_cookies,
                behind_proxy: *behind_proxy,
                session: dangvu_app::auth::SessionPolicy {
                    idle: chrono::Duration::minutes((*idle_minutes).max(1)),
                    absolute: chrono::Duration::hours((*session_hours).max(1)),
                },
                import_max_bytes: (*import_max_mb).clamp(1, 200) * 1024 * 1024,
            };
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on {bind}"))?;
            eprintln!("Đảng vụ đang chạy tại http://{}", listener.local_addr()?);
            dangvu_web::serve(app, config, listener).await?;
        }
        Command::User { command } => commands::users::run(&open(&cli).await?, command).await?,
        Command::Audit {
            command: AuditCommand::Verify { against },
        } => {
            let store = open_read_only(&cli).await?;
            let v = dangvu_store::audit::verify(&store).await?;
            if let Some(b) = &v.broken {
                anyhow::bail!(
                    "the audit chain is broken after {} good entries: {b}",
                    v.checked
                );
            }
            if let Some(file) = against {
                let n = commands::audit::check_against(&store, file).await?;
                eprintln!("Khớp {n} mốc kiểm tra trong {}.", file.display());
            }
            if !v.missing_guards.is_empty() {
                anyhow::bail!(
                    "the audit table has lost its guard ({}): someone with the database's rights removed it; entries could be changed from now on",
                    v.missing_guards.join(", ")
                );
            }
            eprintln!(
                "Nhật ký toàn vẹn: {} mục (niêm phong bằng khóa từ mục #{}), mục cuối #{}, mã {}.",
                v.checked,
                v.unkeyed + 1,
                v.head_seq,
                v.head_hash
            );
        }
        Command::Audit {
            command: AuditCommand::Checkpoint { append },
        } => {
            let store = open_read_only(&cli).await?;
            let now = dangvu_app::Clock::now(&SystemClock).to_rfc3339();
            let line = commands::audit::checkpoint(&store, &now).await?;
            println!("{line}");
            if let Some(file) = append {
                commands::audit::append(file, &line)?;
            }
        }
        Command::Report { command } => commands::report::run(&open(&cli).await?, command).await?,
        Command::Dues { command } => commands::dues::run(&open(&cli).await?, command).await?,
        Command::Badges { org, day, xlsx } => {
            commands::badges::run(&open(&cli).await?, org, day.as_deref(), xlsx.as_deref()).await?
        }
        Command::Org { command } => commands::org::run(&open(&cli).await?, command).await?,
        Command::Import { command } => commands::import::run(&open(&cli).await?, command).await?,
        Command::Export { command } => commands::stats::export(&open(&cli).await?, command).await?,
        Command::Codes { command } => commands::import::codes(&open(&cli).await?, command).await?,
        Command::Path(command) => commands::path::run(&open(&cli).await?, command).await?,
        Command::Backup { path } => {
            let app = open(&cli).await?;
            if path.exists() {
                anyhow::bail!("{} already exists: choose a new file name", path.display());
            }
            let tmp = path.with_extension("partial");
            // A backup is personal data: readable by this account only, never written through
            // a link left where the partial file goes.
            dangvu_store::files::remove_stale(&tmp)
                .with_context(|| format!("cannot remove the stale {}", tmp.display()))?;
            let file = dangvu_store::files::create_private(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let s = dangvu_store::backup::backup(&app.store, &app.clock.now().to_rfc3339(), &mut w)
                .await?;
            use std::io::Write;
            w.flush()?;
            w.get_ref().sync_all()?;
            drop(w);
            std::fs::rename(&tmp, path)?;
            eprintln!(
                "Đã sao lưu {} bảng, {} dòng vào {}.",
                s.tables,
                s.rows,
                path.display()
            );
        }
        Command::Restore { path } => {
            let app = open(&cli).await?;
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let mut r = std::io::BufReader::new(file);
            let s = dangvu_store::backup::restore(&app.store, &mut r).await?;
            eprintln!("Đã khôi phục {} bảng, {} dòng.", s.tables, s.rows);
        }
        Command::Gen {
            members,
            seed,
            review,
            dues,
        } => {
            let app = open(&cli).await?;
            if !app.store.is_empty().await? {
                anyhow::bail!(
                    "the database already holds data: gen writes only into an empty database"
                );
            }
            let pb = bar(*members, "Đang sinh dữ liệu");
            let pbc = pb.clone();
            let started = std::time::Instant::now();
            let s = app
                .generate(*members, *seed, &move |done, _| pbc.set_position(done))
                .await?;
            pb.finish_and_clear();
            eprintln!(
                "Đã sinh {} tổ chức và {} đảng viên trong {:.1} s.",
                s.orgs,
                s.members,
                started.elapsed().as_secs_f64()
            );
            if let Some(year) = review {
                let started = std::time::Instant::now();
                let (id, n) = app.generate_review(*year).await?;
                eprintln!(
                    "Đã xếp loại {} đối tượng trong kỳ đánh giá #{id} năm {year} trong {:.1} s.",
                    n,
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(year) = dues {
                let started = std::time::Instant::now();
                let n = app.generate_dues(*year).await?;
                eprintln!(
                    "Đã ghi {n} tháng đảng phí năm {year} trong {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Bench { runs, only } => {
            let app = open(&cli).await?;
            commands::bench::run(&app, *runs, only.as_deref()).await?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DANGVU_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line that says what to fix.
            let mut msg = String::new();
            for c in e.chain().map(|c| c.to_string()) {
                if !msg.contains(&c) {
                    if !msg.is_empty() {
                        msg.push_str(": ");
                    }
                    msg.push_str(&c);
                }
            }
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
