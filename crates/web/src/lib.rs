//! Đảng vụ web: the HTML pages, the JSON API (`/api/v1`), its OpenAPI document and Swagger UI.
//!
//! Handlers extract and validate input, call one use case of `dangvu-app`, and render a view.
//! They never touch SQL.

pub mod api;
pub mod error;
pub mod extract;
pub mod html;
pub mod i18n;
pub mod input;
mod pdf;
pub mod render;
mod routes;
pub mod session;
pub mod view;

use dangvu_app::App;

pub use routes::{router, router_with};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: WebConfig,
}

/// How the web app treats sessions and the network in front of it.
#[derive(Debug, Clone, Copy)]
pub struct WebConfig {
    /// Mark cookies `Secure`: served over TLS, or behind a TLS proxy.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub behind_proxy: bool,
    pub session: dangvu_app::auth::SessionPolicy,
    /// The largest file an import page or the import API takes, in bytes.
    pub import_max_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            behind_proxy: false,
            session: dangvu_app::auth::SessionPolicy::default(),
            import_max_bytes: dangvu_app::import::DEFAULT_MAX_BYTES,
        }
    }
}

/// How long a client may take to send a request's headers: a client that trickles them
/// (slowloris) loses its connection instead of holding it.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Connections served at once; more wait in the listening socket's queue.
pub const MAX_CONNECTIONS: usize = 512;
/// How long requests in flight may take to finish after a shutdown signal.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves until Ctrl-C or SIGTERM, letting requests in flight finish, then closes the pool.
/// HTTP/1.1 with a header-read timeout, a bound on connections, and the time limit of every
/// request (see the router).
pub async fn serve(
    app: App,
    config: WebConfig,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    use tower::ServiceExt;
    let store = app.store.clone();
    // Count today's tree once before the first visitor asks (a million members: a second or two).
    {
        let app = app.clone();
        tokio::spawn(async move {
            let today = app.clock.today();
            if let Err(e) = app.tree(&dangvu_app::Actor::system(), today).await {
                tracing::warn!(error = %e, "could not count today's tree ahead");
            }
            // Then the whole history into memory, for the tree of any other date.
            if let Err(e) = app.build_timeline().await {
                tracing::warn!(error = %e, "could not read the history ahead");
            }
        });
    }
    let router = router_with(app, config);
    let checkpoints = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            every.tick().await;
            loop {
                every.tick().await;
                if let Err(e) = store.checkpoint().await {
                    tracing::warn!(error = %e, "checkpoint failed; will try again");
                }
            }
        })
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, do not spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req.map(axum::body::Body::new)
            },
        );
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(
                hyper_util::rt::TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(service),
            );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "a connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIME) => {
            tracing::warn!("requests still running after the drain time; closing anyway");
        }
    }
    checkpoints.abort();
    tracing::info!("requests finished; closing the database");
    store.close().await;
    tracing::info!("database closed");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
