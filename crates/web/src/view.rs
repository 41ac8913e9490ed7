//! Building blocks shared by every page model: rendering, select options, a failed form's echo,
//! the error page, counts and dates as shown.

use crate::i18n;
use crate::input::Fields;
use crate::session::CurrentActor;
use askama::Template;
use dangvu_app::views::Counts;
use dangvu_domain::date::{format_vn, iso};

/// Renders a template; a rendering failure is logged and shown as a short message.
pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template rendering failed");
        "Lỗi hiển thị trang.".to_owned()
    })
}

/// An option of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    pub id: i64,
    pub code: String,
    pub label: String,
}

impl Opt {
    pub fn id(id: i64, label: impl Into<String>) -> Opt {
        Opt {
            id,
            code: id.to_string(),
            label: label.into(),
        }
    }
    pub fn code(code: &str, label: &str) -> Opt {
        Opt {
            id: 0,
            code: code.into(),
            label: label.into(),
        }
    }
}

/// A page with several forms that shows a failed one again: the value each of its fields was
/// sent with (the other forms start empty, or from their defaults).
pub trait Refill {
    /// The failed form's name and what it sent.
    fn refill(&self) -> (&str, &Fields);

    /// The value a failed form sent, for that form only.
    fn v(&self, form: &str, k: &str) -> String {
        let (failed, values) = self.refill();
        if failed == form {
            values.get(k)
        } else {
            String::new()
        }
    }

    /// The same, or `default` for a form that did not fail.
    fn v_or(&self, form: &str, k: &str, default: &str) -> String {
        let (failed, values) = self.refill();
        if failed == form {
            values.get(k)
        } else {
            default.to_owned()
        }
    }
}

/// What a page shows beside its data, and the status it is answered with: the notice of a
/// change just made, or the messages of a refused form with what was typed.
#[derive(Debug, Clone, Default)]
pub struct Feedback {
    /// The refused form, on a page with several (its name in the page's `Refill`).
    pub form: String,
    pub errors: Vec<String>,
    pub ok: Option<String>,
    pub echo: Fields,
    pub status: axum::http::StatusCode,
}

impl Feedback {
    /// A page shown again with what a form got wrong, at 400.
    pub fn refused(errors: Vec<String>) -> Feedback {
        Feedback {
            errors,
            status: axum::http::StatusCode::BAD_REQUEST,
            ..Feedback::default()
        }
    }

    /// A page as it is opened, with the notice of a change just made, if any.
    pub fn notice(ok: Option<String>) -> Feedback {
        Feedback {
            ok,
            ..Feedback::default()
        }
    }

    /// A page as it is opened after a redirect that carried `?ok=<code>`: the notice is the
    /// table's message for the code (`ANY` matches every code), none when nothing matches.
    pub fn after(ok: Option<&str>, table: &[(&str, &str)]) -> Feedback {
        Feedback::notice(notice(ok, table))
    }
}

/// In a notice table, the code that matches any code.
pub const ANY: &str = "*";

/// The message of a notice table for the code a redirect carried (see [`Feedback::after`]).
pub fn notice(ok: Option<&str>, table: &[(&str, &str)]) -> Option<String> {
    let code = ok?;
    table
        .iter()
        .find(|(c, _)| *c == code || *c == ANY)
        .map(|(_, m)| (*m).to_owned())
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub me: CurrentActor,
    pub title: String,
    pub messages: Vec<String>,
}

/// Counts as shown.
#[derive(Debug, Clone, Default)]
pub struct CountsText {
    pub total: String,
    pub official: String,
    pub probationary: String,
    pub exempt: String,
    pub suspended: String,
    pub away: String,
}

impl From<&Counts> for CountsText {
    fn from(c: &Counts) -> Self {
        CountsText {
            total: i18n::number(c.total),
            official: i18n::number(c.official),
            probationary: i18n::number(c.probationary),
            exempt: i18n::number(c.exempt),
            suspended: i18n::number(c.suspended),
            away: i18n::number(c.temporarily_away),
        }
    }
}

pub fn vn(d: chrono::NaiveDate) -> String {
    format_vn(d)
}

/// A decision as a register writes it: "45-QĐ/ĐU, Ban Thường vụ Đảng ủy, ngày 03/02/2026", with
/// the parts that are known.
pub fn decision_text(
    reference: Option<&str>,
    body: Option<&str>,
    date: Option<chrono::NaiveDate>,
) -> String {
    let date = date.map(|d| format!("ngày {}", vn(d)));
    [reference, body, date.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The header block of a document: the issuing body's names (its superior first) and the
/// date line.
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    pub lines: Vec<String>,
    pub date_line: String,
}

impl Letterhead {
    /// The header block of what `org` issues today, with the names it had on `names_on` (the
    /// day the document is about); the app checks the scope.
    pub async fn of(
        app: &dangvu_app::App,
        actor: &dangvu_app::Actor,
        org: dangvu_domain::ids::OrgId,
        names_on: chrono::NaiveDate,
    ) -> Result<Letterhead, dangvu_app::AppError> {
        Ok(Letterhead {
            lines: app.letterhead(actor, org, names_on).await?,
            date_line: long_date(app.clock.today()),
        })
    }
}

/// A date as a Party document's place-and-date line writes it: "ngày 05 tháng 03 năm 2026".
pub fn long_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "ngày {:02} tháng {:02} năm {}",
        d.day(),
        d.month(),
        d.year()
    )
}

pub fn iso_of(d: chrono::NaiveDate) -> String {
    iso(d)
}

#[cfg(test)]
mod tests {
    use super::{ANY, notice};

    #[test]
    fn a_notice_is_the_tables_message_for_the_code_and_any_matches_the_rest() {
        let table = [("item", "Đã thêm."), (ANY, "Đã ghi.")];
        assert_eq!(notice(Some("item"), &table).as_deref(), Some("Đã thêm."));
        assert_eq!(notice(Some("khác"), &table).as_deref(), Some("Đã ghi."));
        assert_eq!(notice(None, &table), None);
        assert_eq!(notice(Some("khác"), &[("item", "Đã thêm.")]), None);
    }
}
