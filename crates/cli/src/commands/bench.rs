//! `dangvu bench`: server-side timings of the pages the issue names, on the current database,
//! through the real router (handler, use case, SQL, template), without the network.

use std::time::{Duration, Instant};

use anyhow::Context;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use dangvu_app::{Actor, App};
use dangvu_domain::ids::OrgId;
use tower::ServiceExt;

/// Picks the organisation whose subtree holds closest to 50,000 members today.
async fn pick_subtree(app: &App) -> anyhow::Result<(OrgId, String, i64)> {
    let today = app.clock.today();
    let orgs = app.orgs_on(&Actor::system(), today).await?;
    let mut best: Option<(OrgId, String, i64)> = None;
    for p in orgs.iter().filter(|p| !p.kind.is_cell()) {
        // Only the upper levels: a few dozen organisations at most.
        if !(p.kind.is_above_grassroots() || p.parent.is_none()) {
            continue;
        }
        let n = app.count_in_subtree(&Actor::system(), p.org, today).await?;
        let better = match &best {
            None => true,
            Some((_, _, b)) => (n - 50_000).abs() < (b - 50_000).abs(),
        };
        if better {
            best = Some((p.org, p.name.clone(), n));
        }
    }
    best.context(
        "the database holds no organisation: run `dangvu gen --members N` or `dangvu demo` first",
    )
}

fn stats(mut v: Vec<Duration>) -> (f64, f64, f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(v[((v.len() as f64 - 1.0) * q).round() as usize]);
    (ms(v[0]), p(0.5), p(0.95), ms(v[v.len() - 1]))
}

/// Signs in as the bench's own administrator account (created on first use, with a random
/// password nobody needs) and returns the session cookie.
async fn bench_session(app: &App) -> anyhow::Result<String> {
    const NAME: &str = "dangvu-bench";
    let password = dangvu_app::auth::generate_password().map_err(|e| anyhow::anyhow!("{e}"))?;
    let system = Actor::new("dangvu bench");
    let id = match app.user_id(NAME).await {
        Ok(id) => {
            app.set_password(&system, id, None, &password).await?;
            id
        }
        Err(_) => {
            let id = app
                .add_user(
                    &system,
                    dangvu_app::auth::NewUser {
                        username: NAME.into(),
                        display_name: "Đo hiệu năng".into(),
                        password: password.clone(),
                        member: None,
                    },
                )
                .await?;
            app.grant_role(
                &system,
                id,
                &dangvu_domain::access::NewGrant::new(
                    dangvu_domain::access::Role::Admin,
                    None,
                    app.clock.today(),
                ),
            )
            .await?;
            id
        }
    };
    let s = app.sign_in(NAME, &password, Some("127.0.0.1")).await?;
    debug_assert_eq!(s.user_id, id);
    Ok(format!("{}={}", dangvu_web::session::COOKIE, s.token))
}

/// What each run of a case asks, and whether a change comes before it.
struct Case {
    label: &'static str,
    /// The path of run `i`.
    path: Box<dyn Fn(usize) -> String>,
    /// Correct this member's name before each run (which moves her in every list and in the
    /// search), so that no kept order or count holds the answer.
    change_first: Option<dangvu_domain::ids::MemberId>,
}

fn case(label: &'static str, path: String) -> Case {
    Case {
        label,
        path: Box::new(move |_| path.clone()),
        change_first: None,
    }
}

async fn measure(
    app: &App,
    cookie: &str,
    c: &Case,
    runs: usize,
) -> anyhow::Result<(f64, f64, f64, f64, f64, usize)> {
    let router = dangvu_web::router(app.clone());
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    let mut first = 0.0;
    for i in 0..runs + 1 {
        if let Some(m) = c.change_first {
            const NAMES: [&str; 2] = ["Nguyễn Văn Thử", "Trần Thị Thử"];
            let now = app
                .member(&Actor::system(), m, app.clock.today())
                .await?
                .record
                .full_name;
            let next = if now == NAMES[i % 2] {
                NAMES[(i + 1) % 2]
            } else {
                NAMES[i % 2]
            };
            app.correct_field(
                &Actor::new("dangvu bench"),
                m,
                "full_name",
                next,
                "Đo hiệu năng sau một thay đổi",
                &dangvu_domain::decision::Decision::default(),
            )
            .await?;
        }
        let path = (c.path)(i);
        let path = path.as_str();
        let req = Request::get(path)
            .header("cookie", cookie)
            .body(Body::empty())?;
        let t = Instant::now();
        let r = router.clone().oneshot(req).await?;
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 64 << 20).await?;
        let el = t.elapsed();
        if status != StatusCode::OK {
            anyhow::bail!("{path} answered {status}");
        }
        size = body.len();
        if i > 0 {
            times.push(el);
        } else {
            first = el.as_secs_f64() * 1000.0;
        }
    }
    let (a, b, c, d) = stats(times);
    Ok((first, a, b, c, d, size))
}

const WHOLE_REPORT: &str = "report, whole tree (API)";

/// Which figure of a case its target bounds.
#[derive(Clone, Copy)]
enum Figure {
    First,
    P95,
}

/// A case's target in ms, as the issues set them (the import's depends on the database).
fn target(label: &str, postgres: bool) -> Option<(Figure, f64)> {
    Some(match label {
        WHOLE_REPORT => (Figure::P95, 500.0),
        "tree page, a new date each time" | "organisation page, a new date each time" => {
            (Figure::P95, 100.0)
        }
        "search 'nguyen van duc', whole register" => (Figure::First, 100.0),
        "search a new given name each time" => (Figure::P95, 20.0),
        "statistics of the subtree (API)" => (Figure::P95, 200.0),
        "statistics of the whole register (API)" => (Figure::P95, 2000.0),
        "export of the subtree (Excel, 9 columns)" => (Figure::P95, 5000.0),
        l if l.starts_with("import") && l.contains("100,000") => {
            (Figure::P95, if postgres { 20_000.0 } else { 10_000.0 })
        }
        _ => return None,
    })
}

/// "≤ 500 p95: met" for a case with a target, empty for one without.
fn verdict(label: &str, postgres: bool, first: f64, p95: f64) -> String {
    let Some((figure, limit)) = target(label, postgres) else {
        return String::new();
    };
    let (value, name) = match figure {
        Figure::First => (first, "first"),
        Figure::P95 => (p95, "p95"),
    };
    let met = if value <= limit { "met" } else { "NOT MET" };
    format!("≤ {limit:.0} {name}: {met}")
}

/// The rows of the imports of new members.
const IMPORT_ROWS: usize = 100_000;

const IMPORT_LABELS: [&str; 3] = [
    "import dry run, the subtree's export (unchanged)",
    "import dry run, 100,000 new members",
    "import, 100,000 new members (committed)",
];

/// Imports: as dry runs (the whole work, then rolled back), the subtree's own export read
/// back (every row found unchanged) and 100,000 new members (the subtree's people with new
/// CCCDs, every row created); then the same 100,000 committed, once (they stay in the
/// register).
async fn import_cases(
    app: &App,
    org: OrgId,
    runs: usize,
    wanted: &dyn Fn(&str) -> bool,
) -> anyhow::Result<()> {
    if !IMPORT_LABELS.iter().any(|l| wanted(l)) {
        return Ok(());
    }
    use dangvu_app::import::{ImportFile, ImportOptions, WeakMatch};
    let actor = Actor::new("dangvu bench");
    let e = app
        .export_members(
            &actor,
            dangvu_app::export::ExportQuery {
                org: Some(org),
                ..Default::default()
            },
        )
        .await?;
    let cols: Vec<String> = [
        "full_name",
        "sex",
        "birth_date",
        "ethnicity",
        "religion",
        "cccd",
        "history_number",
        "cell",
        "admitted_on",
        "official_on",
        "residence",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let picked = dangvu_web::render::export::picked(&cols);
    let same = dangvu_web::render::export::list_xlsx(&e, &picked, "bench")?;
    // New members go to their cells by number (cell names repeat across a large subtree's
    // đảng bộ bộ phận, and a name shared by two cells is rightly refused as ambiguous).
    let mut fresh = e.clone();
    for r in &mut fresh.rows {
        r.cell_name = r.cell.map(|c| c.0.to_string()).unwrap_or_default();
        r.record.history_number = None;
    }
    // 100,000 new members: the subtree's people twice over, with CCCDs nobody holds (the
    // generator's begin with 099, `first` keeps each committed run's apart).
    let hundred_k = |first: u64| -> anyhow::Result<Vec<u8>> {
        let mut rows = Vec::with_capacity(IMPORT_ROWS);
        for (i, r) in fresh.rows.iter().cycle().take(IMPORT_ROWS).enumerate() {
            let mut r = r.clone();
            r.record.cccd =
                dangvu_domain::member::Cccd::parse(&format!("{:012}", first + i as u64)).ok();
            rows.push(r);
        }
        let file = dangvu_app::export::Export {
            rows,
            ..fresh.clone()
        };
        Ok(dangvu_web::render::export::list_xlsx(
            &file, &picked, "bench",
        )?)
    };
    let new = hundred_k(97_000_000_000)?;
    // A committed run leaves its members in the register: each run takes CCCDs after the last.
    let taken = {
        let mut conn = app.store.read().await?;
        dangvu_store::members::count_members(&mut conn).await?
    };
    let committed = hundred_k(96_000_000_000 + u64::try_from(taken).unwrap_or(0))?;
    for (label, bytes, weak, dry_run, runs) in [
        (IMPORT_LABELS[0], same, WeakMatch::Skip, true, runs),
        (IMPORT_LABELS[1], new, WeakMatch::New, true, runs),
        (IMPORT_LABELS[2], committed, WeakMatch::New, false, 1),
    ] {
        if !wanted(label) {
            continue;
        }
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let r = app
                .import_members(
                    &actor,
                    ImportFile {
                        name: "bench.xlsx".into(),
                        bytes: bytes.clone(),
                    },
                    ImportOptions {
                        root: Some(org),
                        dry_run,
                        weak,
                        ..Default::default()
                    },
                    &|_| {},
                )
                .await?;
            times.push(t.elapsed());
            rows = r.total_rows;
            if let Some(o) = r.rows.iter().find(|o| !o.errors.is_empty()) {
                anyhow::bail!(
                    "{label}: {} rows in error, the first: {:?}",
                    r.errors,
                    o.errors
                );
            }
        }
        let (min, med, p95, max) = stats(times);
        let verdict = verdict(
            label,
            app.store.backend == dangvu_store::Backend::Postgres,
            min,
            p95,
        );
        println!(
            "{label:<44} {rows:>8} rows {min:>8.1} {med:>8.1} {p95:>8.1} {max:>8.1} ({} KB)  {verdict}",
            bytes.len() / 1024
        );
    }
    Ok(())
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs the benchmark; `only` keeps the measurements whose label contains it.
pub async fn run(app: &App, runs: usize, only: Option<&str>) -> anyhow::Result<()> {
    let wanted = |label: &str| only.is_none_or(|o| label.contains(o));
    let runs = runs.max(1);
    let cookie = bench_session(app).await?;
    // What `serve` does when it starts, before the first visitor: count today's tree, then
    // read the history into memory.
    let t = Instant::now();
    app.tree(&Actor::system(), app.clock.today()).await?;
    let counted = t.elapsed();
    let t = Instant::now();
    app.build_timeline().await?;
    println!(
        "Start (as `serve` does): today's tree counted in {:.0} ms, the history read into memory in {:.0} ms",
        counted.as_secs_f64() * 1000.0,
        t.elapsed().as_secs_f64() * 1000.0
    );
    let (org, name, n) = pick_subtree(app).await?;
    let total = app
        .count_in_subtree(
            &Actor::system(),
            app.orgs_on(&Actor::system(), app.clock.today())
                .await?
                .iter()
                .find(|p| p.parent.is_none())
                .map(|p| p.org)
                .unwrap_or(org),
            app.clock.today(),
        )
        .await?;
    println!(
        "Database: {} ({} members on the rolls today)",
        app.store_description(),
        total
    );
    println!("Subtree: {name} (#{}, {n} members)", org.0);
    println!(
        "{:<44} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "request (server time, ms)", "first", "min", "median", "p95", "max", "bytes"
    );
    // A member of the subtree, to change before the "after a change" cases.
    let someone = app
        .list_members(&Actor::system(), org, app.clock.today(), None, 1, 1)
        .await?
        .items
        .first()
        .map(|i| i.id);
    const NAMES: [&str; 21] = [
        "an", "binh", "cuong", "dung", "duc", "giang", "ha", "hai", "hoa", "hung", "huong", "lan",
        "linh", "mai", "minh", "nam", "nga", "phuong", "quang", "thanh", "thu",
    ];
    let o = org.0;
    let cases = vec![
        case("member list, page 1", format!("/to-chuc/{o}/dang-vien")),
        case(
            "member list, page 200",
            format!("/to-chuc/{o}/dang-vien?trang=200"),
        ),
        Case {
            label: "member list, page 1, after a change",
            path: Box::new(move |_| format!("/to-chuc/{o}/dang-vien")),
            change_first: someone,
        },
        Case {
            label: "member list, page 200, after a change",
            path: Box::new(move |_| format!("/to-chuc/{o}/dang-vien?trang=200")),
            change_first: someone,
        },
        case(
            "search 'duc' in the subtree",
            format!("/to-chuc/{o}/dang-vien?q=duc"),
        ),
        Case {
            label: "search a new given name each time",
            path: Box::new(move |i| format!("/to-chuc/{o}/dang-vien?q={}", NAMES[i % NAMES.len()])),
            change_first: None,
        },
        case(
            "search 'nguyen van duc' in the subtree",
            format!("/to-chuc/{o}/dang-vien?q=nguyen+van+duc"),
        ),
        case(
            "search 'nguyen van duc', whole register",
            "/tim-kiem?q=nguyen+van+duc".to_owned(),
        ),
        case(
            "API member list, page 200",
            format!("/api/v1/orgs/{o}/members?page=200"),
        ),
        case("organisation page of the subtree", format!("/to-chuc/{o}")),
        case("tree page (today)", "/to-chuc".to_owned()),
        case(
            "tree page (as of 31/12/2018)",
            "/to-chuc?ngay=31/12/2018".to_owned(),
        ),
        Case {
            label: "tree page, a new date each time",
            path: Box::new(|i| {
                format!(
                    "/to-chuc?ngay={:02}/{:02}/{}",
                    1 + i % 28,
                    1 + (i / 28) % 12,
                    2015 + i % 9
                )
            }),
            change_first: None,
        },
        Case {
            label: "organisation page, a new date each time",
            path: Box::new(move |i| {
                format!("/to-chuc/{o}?ngay={:02}/06/{}", 1 + i % 28, 2018 + i % 8)
            }),
            change_first: None,
        },
        Case {
            label: "tree page (today), after a change",
            path: Box::new(|_| "/to-chuc".to_owned()),
            change_first: someone,
        },
    ];
    let mut cases = cases;
    // The classification report when the database holds a decided review.
    let locked = app
        .reviews_visible(&Actor::system())
        .await?
        .into_iter()
        .find(|p| p.status == "locked");
    if let Some(p) = &locked {
        let id = p.id;
        println!("Review: #{id} {} ({})", p.label, p.rule_set);
        cases.push(case(WHOLE_REPORT, format!("/api/v1/reviews/{id}/report")));
        cases.push(case(
            "report, whole tree (page)",
            format!("/danh-gia/{id}/bao-cao"),
        ));
        cases.push(case(
            "report, the subtree (API)",
            format!("/api/v1/reviews/{id}/report?org={o}"),
        ));
        cases.push(case(
            "report, the subtree (Excel)",
            format!("/danh-gia/{id}/bao-cao.xlsx?to-chuc={o}"),
        ));
    }
    // The badge list of this year's 2/9 for the subtree (R13): seniority of every member.
    let sept = format!("02/09/{}", chrono::Datelike::year(&app.clock.today()));
    cases.push(case(
        "badge list of the subtree, 2/9 (API)",
        format!("/api/v1/orgs/{o}/badges?day={sept}"),
    ));
    cases.push(case(
        "badge list of the subtree, 2/9 (page)",
        format!("/to-chuc/{o}/huy-hieu?ngay={sept}"),
    ));
    // The dues reports when the ledger holds a year.
    if let Some(y) = app.latest_dues_year().await? {
        println!("Dues: the ledger of {y}");
        cases.push(case(
            "dues totals of the subtree, a year (API)",
            format!("/api/v1/orgs/{o}/dues/totals?year={y}"),
        ));
        cases.push(case(
            "dues totals of the subtree (page)",
            format!("/to-chuc/{o}/dang-phi/tong-hop?nam={y}"),
        ));
    }
    // Statistics, the register and exports (audited at every run).
    let root = app
        .roots(&Actor::system(), app.clock.today())
        .await?
        .first()
        .copied()
        .unwrap_or(org);
    cases.push(case(
        "statistics of the subtree (API)",
        format!("/api/v1/orgs/{o}/statistics"),
    ));
    cases.push(case(
        "statistics of the whole register (API)",
        format!("/api/v1/orgs/{}/statistics", root.0),
    ));
    cases.push(case(
        "movements of the subtree, this year (API)",
        format!("/api/v1/orgs/{o}/movements"),
    ));
    cases.push(case(
        "export of the subtree (Excel, 9 columns)",
        format!("/to-chuc/{o}/xuat.xlsx"),
    ));
    let postgres = app.store.backend == dangvu_store::Backend::Postgres;
    let mut medians = std::collections::HashMap::new();
    for c in cases.iter().filter(|c| wanted(c.label)) {
        let (first, min, med, p95, max, size) = measure(app, &cookie, c, runs).await?;
        let label = c.label;
        let verdict = verdict(label, postgres, first, p95);
        println!(
            "{label:<44} {first:>8.1} {min:>8.1} {med:>8.1} {p95:>8.1} {max:>8.1} {size:>9}  {verdict}"
        );
        medians.insert(label, med);
    }
    if let (Some(p), Some(report)) = (locked.map(|p| p.id), medians.get(WHOLE_REPORT)) {
        // The naive floor: the database's own GROUP BY over every decision of the period.
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let mut conn = app.store.read().await?;
            let t = Instant::now();
            dangvu_store::reviews::plain_group_by(&mut conn, p).await?;
            times.push(t.elapsed());
        }
        let (_, med, _, _) = stats(times);
        let ratio = med / report.max(0.001);
        println!(
            "plain GROUP BY subject_kind, level over the period's decisions: median {med:.1} ms; the report (API, whole tree) is {ratio:.1}× faster (target ≥ 20×: {})",
            if ratio >= 20.0 { "met" } else { "NOT MET" }
        );
    }
    import_cases(app, org, runs.min(3), &wanted).await?;
    if let Some(mb) = peak_rss_mib() {
        println!("Peak memory of this process: {mb:.0} MiB");
    }
    Ok(())
}
