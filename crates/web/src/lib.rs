//! Đảng vụ web: the HTML pages, the JSON API (`/api/v1`), its OpenAPI document and Swagger UI.
//!
//! Handlers extract and validate input, call one use case of `dangvu-app`, and render a view.
//! They never touch SQL.

pub mod api;
pub mod error;
pub mod i18n;
pub mod input;
pub mod pages;
mod routes;
pub mod view;

use dangvu_app::App;

pub use routes::router;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
}

/// Serves until Ctrl-C or SIGTERM, letting requests in flight finish, then closes the pool.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let store = app.store.clone();
    let router = router(app);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    store.close().await;
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
