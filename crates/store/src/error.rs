//! Store errors.

/// What went wrong in storage, without SQL details leaking into the layers above.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write; `constraint` names it.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The database URL or file is wrong; the message says what to fix.
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Other(sqlx::Error),
}

/// Every sqlx error, whether by `?` or by name, goes through the one mapping below: a unique
/// violation is a `Conflict`, never an unexplained failure.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::from_sqlx(e)
    }
}

impl StoreError {
    /// Maps a sqlx error: unique/foreign-key violations become `Conflict` with the constraint
    /// (index) name when the backend gives it, or the column list that SQLite reports.
    pub fn from_sqlx(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &e {
            let kind = db.kind();
            if matches!(
                kind,
                sqlx::error::ErrorKind::UniqueViolation
                    | sqlx::error::ErrorKind::ForeignKeyViolation
            ) {
                let constraint = db
                    .constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| sqlite_constraint(db.message()));
                return StoreError::Conflict { constraint };
            }
        }
        if matches!(e, sqlx::Error::RowNotFound) {
            return StoreError::NotFound;
        }
        StoreError::Other(e)
    }
}

/// SQLite says "UNIQUE constraint failed: member_cards.card_number": map the column to our
/// index name so both backends report the same constraint.
fn sqlite_constraint(msg: &str) -> String {
    let cols = msg.rsplit(": ").next().unwrap_or(msg);
    match cols {
        "member_cards.card_number" => "member_cards_number".into(),
        "members.cccd" => "members_cccd".into(),
        "members.history_number" => "members_history_number".into(),
        "users.username" => "users_username".into(),
        "badges.number" => "badges_number".into(),
        "badges.member_id, badges.years" => "badges_member_years".into(),
        other => other.to_owned(),
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// A stored value this program cannot read (a code it does not know).
    pub(crate) fn bad_stored(what: &str) -> StoreError {
        StoreError::Config(format!("bad stored {what}"))
    }
}
