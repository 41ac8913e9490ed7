//! One error for every use case.

use dangvu_domain::{DomainError, FieldError};
use dangvu_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The rules refused the action (stable code, maybe fields).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The thing asked for does not exist (entity name).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The actor may see the thing but not do this to it.
    #[error("forbidden")]
    Forbidden,
    /// Signing in failed or is locked for a while (the code says which; never whether the
    /// account exists).
    #[error("sign-in refused: {0}")]
    SignIn(&'static str),
    /// Too many expensive requests at once: try again shortly (nothing was done).
    #[error("busy")]
    Busy,
    /// Storage failed unexpectedly.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { constraint } => {
                let f = match constraint.as_str() {
                    "member_cards_number" => FieldError::new("card_number", "card_number_taken"),
                    "badges_number" => FieldError::new("badge_number", "badge_number_taken"),
                    "members_cccd" => FieldError::new("cccd", "cccd_taken"),
                    "members_history_number" => {
                        FieldError::new("history_number", "history_number_taken")
                    }
                    "users_username" => FieldError::new("username", "username_taken"),
                    _ => return AppError::Domain(DomainError::rule("conflict")),
                };
                AppError::Domain(DomainError::Invalid(vec![f]))
            }
            other => AppError::Store(other),
        }
    }
}

impl From<sqlx_error::Error> for AppError {
    fn from(e: sqlx_error::Error) -> Self {
        AppError::from(StoreError::from_sqlx(e))
    }
}

mod sqlx_error {
    pub use dangvu_store::SqlxError as Error;
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Domain(d) => d.code(),
            AppError::NotFound(_) => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::SignIn(code) => code,
            AppError::Busy => "busy",
            AppError::Store(_) => "internal",
        }
    }
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            AppError::Domain(d) => d.fields(),
            _ => Vec::new(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Domain(e.into())
    }
}
