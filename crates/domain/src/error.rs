//! Stable error codes. Wording lives in the web layer (`dangvu-web::i18n`).

use serde::Serialize;

/// One invalid field: which field, and a stable code for what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the form and the API call it.
    pub field: &'static str,
    /// A stable code (`date_impossible`, `cccd_format`, …).
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.code)
    }
}

/// A rule of the domain refused an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One or more fields are invalid.
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A rule was broken; the code names it (`tree_cycle`, `discipline_not_allowed`, …).
    #[error("rule broken: {code}")]
    Rule {
        code: &'static str,
        field: Option<&'static str>,
    },
}

impl DomainError {
    pub fn rule(code: &'static str) -> Self {
        DomainError::Rule { code, field: None }
    }
    pub fn rule_on(code: &'static str, field: &'static str) -> Self {
        DomainError::Rule {
            code,
            field: Some(field),
        }
    }
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid(_) => "invalid_input",
            DomainError::Rule { code, .. } => code,
        }
    }
    /// The fields this error is about, each with its code.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            DomainError::Invalid(v) => v.clone(),
            DomainError::Rule {
                code,
                field: Some(f),
            } => vec![FieldError::new(f, code)],
            DomainError::Rule { .. } => Vec::new(),
        }
    }
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        DomainError::Invalid(vec![e])
    }
}

/// Collects field errors so a form can show them all at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }
    /// Takes in the field errors of a whole part of a form (a record, a decision): its value, or
    /// none with its fields' errors kept; a broken rule ends the reading.
    pub fn take_part<T>(&mut self, r: Result<T, DomainError>) -> Result<Option<T>, DomainError> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(DomainError::Invalid(v)) => {
                self.0.extend(v);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }
    pub fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }
    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}
