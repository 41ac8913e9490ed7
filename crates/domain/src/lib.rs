//! Đảng vụ domain: pure types and rules of Party-building administration.
//!
//! No IO, no clock: every function that depends on "today" takes the date as a parameter.
//! Rules cite their ids from `shared/domain/RULES.md` (R1…).

pub mod access;
pub mod admission;
pub mod assets;
pub mod audit_chain;
pub mod badge;
pub mod calendar;
pub mod card;
pub mod codes;
pub mod commitment;
pub mod contest;
pub mod date;
pub mod decision;
pub mod dues;
pub mod error;
pub mod ids;
pub mod import;
pub mod meeting;
pub mod member;
pub mod opinion;
pub mod org;
pub mod regulation;
pub mod review;
pub mod stats;
pub mod text;
pub mod transfer;

pub use error::{DomainError, FieldError};
