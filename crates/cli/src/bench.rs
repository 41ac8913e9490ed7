//! `dangvu bench`: server-side timings of the list, the search and the tree.

use std::time::Instant;

use dangvu_app::App;

pub async fn run(app: &App, runs: usize) -> anyhow::Result<()> {
    let _ = (app, runs);
    anyhow::bail!("bench: not available yet")
}
