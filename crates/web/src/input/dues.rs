//! The dues inputs, read the same from the pages' forms and the API's bodies.

use dangvu_app::AppError;
use dangvu_app::dues::{BasisInput, PayDues};
use dangvu_domain::date::{parse_date, parse_month};
use dangvu_domain::dues::{DuesBasis, DuesCategory, parse_amount};
use dangvu_domain::error::{DomainError, Errors, FieldError};

use crate::input::Fields;

/// An amount field, absent when empty.
fn opt_amount(f: &Fields, name: &'static str, e: &mut Errors) -> Option<i64> {
    f.opt(name).and_then(|v| e.take(parse_amount(name, &v)))
}

/// A month field (`mm/yyyy`), required.
fn month(f: &Fields, name: &'static str, e: &mut Errors) -> Option<chrono::NaiveDate> {
    match f.opt(name) {
        None => {
            e.push(name, "required");
            None
        }
        Some(v) => e.take(parse_month(name, &v)),
    }
}

/// A dues basis: `from_month` (mm/yyyy), `category` (`salaried`, `pensioner`, `enterprise`, `other`,
/// `exempt`), `income` or `flat` (đồng, "1.250.000" or 1250000), `note`.
pub fn basis(f: &Fields) -> Result<BasisInput, AppError> {
    let mut e = Errors::default();
    let from = month(f, "from_month", &mut e);
    let category = match f.opt("category") {
        None => {
            e.push("category", "required");
            None
        }
        Some(c) => {
            e.take(DuesCategory::from_code(&c).ok_or(FieldError::new("category", "invalid")))
        }
    };
    let income = opt_amount(f, "income", &mut e);
    let flat = opt_amount(f, "flat", &mut e);
    e.finish()?;
    let (Some(from), Some(category)) = (from, category) else {
        return Err(DomainError::rule("invalid_input").into());
    };
    Ok(BasisInput {
        from,
        basis: DuesBasis {
            category,
            income,
            flat,
        },
        note: f.opt("note"),
    })
}

/// A payment: `from_month` and `to_month` (mm/yyyy; `to_month` defaults to `from_month`), `paid_on` (dd/mm/yyyy),
/// `amount` a month (đồng; default what is due), `received_by`.
pub fn payment(f: &Fields) -> Result<PayDues, AppError> {
    let mut e = Errors::default();
    let from = month(f, "from_month", &mut e);
    let to = match f.opt("to_month") {
        None => from,
        Some(v) => e.take(parse_month("to_month", &v)),
    };
    let paid_on = e.take(parse_date("paid_on", &f.get("paid_on")));
    let amount = opt_amount(f, "amount", &mut e);
    e.finish()?;
    let (Some(from), Some(to), Some(paid_on)) = (from, to, paid_on) else {
        return Err(DomainError::rule("invalid_input").into());
    };
    Ok(PayDues {
        from,
        to,
        paid_on,
        amount,
        received_by: f.opt("received_by"),
    })
}
