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
            app.set_password(&system, id, &password).await?;
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

async fn measure(
    app: &App,
    cookie: &str,
    path: &str,
    runs: usize,
) -> anyhow::Result<(f64, f64, f64, f64, f64, usize)> {
    let router = dangvu_web::router(app.clone());
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    let mut first = 0.0;
    for i in 0..runs + 1 {
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

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(app: &App, runs: usize) -> anyhow::Result<()> {
    let runs = runs.max(1);
    let cookie = bench_session(app).await?;
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
    let cases = [
        (
            "member list, page 1",
            format!("/to-chuc/{}/dang-vien", org.0),
        ),
        (
            "member list, page 200",
            format!("/to-chuc/{}/dang-vien?trang=200", org.0),
        ),
        (
            "search 'duc' in the subtree",
            format!("/to-chuc/{}/dang-vien?q=duc", org.0),
        ),
        (
            "search 'nguyen van duc' in the subtree",
            format!("/to-chuc/{}/dang-vien?q=nguyen+van+duc", org.0),
        ),
        (
            "search 'nguyen van duc', whole register",
            "/tim-kiem?q=nguyen+van+duc".to_owned(),
        ),
        (
            "API member list, page 200",
            format!("/api/v1/orgs/{}/members?page=200", org.0),
        ),
        (
            "organisation page of the subtree",
            format!("/to-chuc/{}", org.0),
        ),
        ("tree page (today)", "/to-chuc".to_owned()),
        (
            "tree page (as of 31/12/2018)",
            "/to-chuc?ngay=31/12/2018".to_owned(),
        ),
    ];
    for (label, path) in cases {
        let (first, min, med, p95, max, size) = measure(app, &cookie, &path, runs).await?;
        println!("{label:<44} {first:>8.1} {min:>8.1} {med:>8.1} {p95:>8.1} {max:>8.1} {size:>9}");
    }
    if let Some(mb) = peak_rss_mib() {
        println!("Peak memory of this process: {mb:.0} MiB");
    }
    Ok(())
}
