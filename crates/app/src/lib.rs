//! Đảng vụ use cases: one function per user action, each one transaction with its audit entry.
//!
//! The web pages, the JSON API, the command line and the demo loader all go through here.

pub mod access;
pub mod admission;
pub mod assets;
pub mod audit_log;
pub mod auth;
pub mod badges;
pub mod cache;
pub mod calendar;
pub mod clock;
pub mod codes;
pub mod commitments;
pub mod contest;
pub mod decisions;
pub mod demo;
pub mod dues;
pub mod error;
pub mod export;
pub mod import;
pub mod meeting_report;
pub mod meetings;
pub mod members;
pub mod opinions;
pub mod orgs;
pub mod people;
pub mod probation;
pub mod programme;
pub mod regulations;
pub mod residence;
pub mod review;
pub mod review_flow;
pub mod rng;
pub mod sent_keys;
pub mod stats;
pub mod trail;
pub mod transfers;
pub mod views;
pub mod wording;

use std::sync::Arc;

use dangvu_store::Store;

pub use access::{Access, Actor};
pub use clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use error::{AppError, AppResult};

/// A text a user types that may be left out: cleaned, empty as none, at most `max` characters.
pub(crate) fn optional_text(
    field: &'static str,
    s: Option<&str>,
    max: usize,
) -> AppResult<Option<String>> {
    let s = s.map(dangvu_domain::text::clean).filter(|s| !s.is_empty());
    if s.as_ref().is_some_and(|s| s.chars().count() > max) {
        return Err(dangvu_domain::FieldError::new(field, "too_long").into());
    }
    Ok(s)
}

/// A text a user must type: cleaned, not empty, at most `max` characters.
pub(crate) fn required_text(field: &'static str, s: &str, max: usize) -> AppResult<String> {
    optional_text(field, Some(s), max)?
        .ok_or_else(|| dangvu_domain::FieldError::new(field, "required").into())
}

/// An app-level check of one field as its field error, to collect several at once.
pub(crate) fn as_field<T>(r: AppResult<T>) -> Result<T, dangvu_domain::FieldError> {
    r.map_err(|e| {
        e.fields()
            .into_iter()
            .next()
            .unwrap_or(dangvu_domain::FieldError::new("input", "invalid"))
    })
}

/// The day and the reason something is closed (a transfer's letter returned, a badge taken back
/// or withdrawn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub on: chrono::NaiveDate,
    pub reason: String,
}

impl Closing {
    /// The reason, cleaned and required; the day between `since` and `today`.
    pub(crate) fn checked(
        &self,
        since: chrono::NaiveDate,
        today: chrono::NaiveDate,
    ) -> AppResult<String> {
        let reason = required_text("reason", &self.reason, 300)?;
        if self.on < since || self.on > today {
            return Err(dangvu_domain::DomainError::rule_on("date_out_of_range", "on").into());
        }
        Ok(reason)
    }
}

/// Commits a use case's transaction, then answers its result.
pub(crate) async fn committed<T>(tx: dangvu_store::Tx, value: T) -> AppResult<T> {
    tx.commit().await?;
    Ok(value)
}

/// The application: the store, the clock, and a small cache of derived counts.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub(crate) counts: Arc<cache::counts::CountsCache>,
    pub(crate) lists: Arc<cache::lists::ListCache>,
    pub(crate) timeline: Arc<cache::timeline::Timeline>,
    pub(crate) scopes: Arc<cache::scopes::ScopeCache>,
    /// Bounds the Argon2 computations running at once.
    pub(crate) argon2: Arc<tokio::sync::Semaphore>,
    /// Bounds the expensive reports running at once.
    pub(crate) reports: Arc<tokio::sync::Semaphore>,
    /// Trees slower than this to count are recounted in the background after a change.
    pub(crate) slow_tree: std::time::Duration,
}

/// How many expensive reports (a subtree's meetings or classification) run at once; the
/// others wait up to [`REPORT_WAIT`], then are told the server is busy.
pub const REPORTS_AT_ONCE: usize = 3;
/// How long a report waits for its turn.
pub const REPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl App {
    /// A turn to run an expensive report, or [`AppError::Busy`] after waiting
    /// [`REPORT_WAIT`].
    pub(crate) async fn report_turn(&self) -> AppResult<tokio::sync::SemaphorePermit<'_>> {
        match tokio::time::timeout(REPORT_WAIT, self.reports.acquire()).await {
            Ok(Ok(p)) => Ok(p),
            _ => Err(AppError::Busy),
        }
    }

    pub fn new(store: Store, clock: Arc<dyn Clock>) -> App {
        App {
            store,
            clock,
            counts: Arc::new(cache::counts::CountsCache::default()),
            lists: Arc::new(cache::lists::ListCache::default()),
            timeline: Arc::new(cache::timeline::Timeline::default()),
            scopes: Arc::new(cache::scopes::ScopeCache::default()),
            argon2: Arc::new(tokio::sync::Semaphore::new(auth::ARGON2_AT_ONCE)),
            reports: Arc::new(tokio::sync::Semaphore::new(REPORTS_AT_ONCE)),
            slow_tree: cache::counts::SLOW_TREE,
        }
    }

    /// Sets how slow a tree count must be before it is redone in the background (tests).
    pub fn with_slow_tree(mut self, threshold: std::time::Duration) -> App {
        self.slow_tree = threshold;
        self
    }

    pub(crate) fn now_text(&self) -> String {
        self.clock.now().to_rfc3339()
    }

    /// A year from its first day to its last or to today, whichever is earlier; a year before
    /// 1930 (the Party's founding) or after next year is refused on the field `year`.
    pub fn year_so_far(&self, year: i32) -> AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
        use chrono::Datelike;
        use dangvu_domain::FieldError;
        let today = self.clock.today();
        chrono::NaiveDate::from_ymd_opt(year, 1, 1)
            .zip(chrono::NaiveDate::from_ymd_opt(year, 12, 31))
            .filter(|_| (1930..=today.year() + 1).contains(&year))
            .map(|(from, to)| (from, to.min(today)))
            .ok_or_else(|| AppError::Domain(FieldError::new("year", "invalid").into()))
    }

    /// Writes a correction of a register (R15), recorded by the actor now.
    pub(crate) async fn write_correction<R: dangvu_store::corrections::Corrected>(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        c: dangvu_store::corrections::Correction<R>,
    ) -> AppResult<()> {
        let c = dangvu_store::corrections::Correction {
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
            ..c
        };
        Ok(dangvu_store::corrections::insert(conn, &c).await?)
    }
}
