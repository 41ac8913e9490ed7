//! Đảng vụ store: SQL on one sqlx `AnyPool`, SQLite by default and PostgreSQL by URL.
//!
//! SQL is written once with `$1…$n` placeholders and runs on both backends. Dates are ISO text.
//! The store never decides whether something is allowed: that is the app's and the domain's job.

/// A struct from a row: each listed field read from the column of its name, then the fields
/// that need more than that, as `field: expression`.
macro_rules! from_columns {
    ($r:expr; $ty:ident { $($f:ident),* $(,)? } $($g:ident: $e:expr),* $(,)?) => {
        $ty { $($f: $r.try_get(stringify!($f))?,)* $($g: $e,)* }
    };
}

pub mod assets;
pub mod audit;
pub mod backup;
pub mod badges;
pub mod bulk;
pub mod calendar;
pub mod candidates;
pub mod commitments;
pub mod contest;
pub mod corrections;
pub mod db;
pub mod decisions;
pub mod dues;
pub mod error;
pub mod files;
pub mod imports;
pub mod meetings;
pub mod members;
pub mod opinions;
pub mod orgs;
pub mod programme;
pub mod regulations;
pub mod residence;
pub mod reviews;
pub mod sent_keys;
pub mod transfers;
pub mod users;

pub use db::{Backend, Conn, DbTarget, Store, Tx};
pub use error::StoreError;
pub use sqlx::Error as SqlxError;
