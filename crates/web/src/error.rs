//! One error, rendered as an HTML page or as JSON `{ "error", "message", "fields" }`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangvu_app::AppError;
use dangvu_domain::{DomainError, FieldError};
use serde::Serialize;

use crate::i18n;
use crate::session::CurrentActor;

/// The status of an app error.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Domain(DomainError::Invalid(_)) => StatusCode::BAD_REQUEST,
        AppError::Domain(DomainError::Rule { .. }) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::SignIn("login_locked") => StatusCode::TOO_MANY_REQUESTS,
        AppError::SignIn(_) => StatusCode::UNAUTHORIZED,
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Vietnamese messages of an error: one per field, or one for the whole action.
pub fn messages(e: &AppError) -> Vec<String> {
    let fields = e.fields();
    if fields.is_empty() {
        vec![match e {
            AppError::NotFound(what) => format!(
                "{}: {}",
                not_found_subject(what),
                i18n::message("not_found")
            ),
            AppError::Store(_) => {
                "Lỗi hệ thống; thao tác chưa được ghi. Vui lòng thử lại hoặc báo quản trị."
                    .to_owned()
            }
            AppError::Domain(d) => capitalise(i18n::message(d.code())),
            other => capitalise(i18n::message(other.code())),
        }]
    } else {
        fields
            .iter()
            .map(|f| i18n::field_message(f.field, f.code))
            .collect()
    }
}

fn not_found_subject(what: &str) -> &'static str {
    match what {
        "org" => "Tổ chức đảng",
        "member" => "Đảng viên",
        "event" => "Sự kiện",
        "decision" => "Quyết định",
        "candidate" => "Người được xem xét kết nạp",
        "transfer" => "Việc chuyển sinh hoạt đảng",
        "education" => "Đợt giáo dục, giúp đỡ",
        "position" => "Chức vụ",
        "user" => "Tài khoản",
        _ => "Trang",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn log_unexpected(e: &AppError) {
    if let AppError::Store(inner) = e {
        // The cause chain, never the data.
        let mut chain = inner.to_string();
        let mut src = std::error::Error::source(inner);
        while let Some(s) = src {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            src = s.source();
        }
        tracing::error!(error = %chain, "unexpected error");
    }
}

/// The JSON body of an API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// Stable code (`invalid_input`, `tree_cycle`, `not_found`, …).
    pub error: String,
    /// Vietnamese message.
    pub message: String,
    /// Offending fields: field name → Vietnamese message.
    pub fields: std::collections::BTreeMap<String, String>,
}

/// An error of a JSON API call.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError(AppError::from(e))
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError(AppError::from(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_unexpected(&self.0);
        let status = status_of(&self.0);
        let fields = self
            .0
            .fields()
            .iter()
            .map(|f| (f.field.to_owned(), i18n::message(f.code).to_owned()))
            .collect();
        let body = ApiErrorBody {
            error: self.0.code().to_owned(),
            message: messages(&self.0).join("; "),
            fields,
        };
        (status, Json(body)).into_response()
    }
}

/// An error of an HTML page: a page in the site's layout.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

/// An error page whose body is drawn last, by [`draw_error_pages`], in the layout of the user
/// it is shown to (a handler's error knows the error, not who asked).
#[derive(Debug, Clone)]
struct PendingErrorPage {
    title: String,
    messages: Vec<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_unexpected(&self.0);
        let status = status_of(&self.0);
        let mut r = status.into_response();
        r.extensions_mut().insert(PendingErrorPage {
            title: title_of(status),
            messages: messages(&self.0),
        });
        r
    }
}

/// Middleware, outside everything that can fail: draws each pending error page for the user
/// the sign-in gate found (anonymous when the request never reached it).
pub async fn draw_error_pages(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    draw_pending(next.run(req).await)
}

/// Draws the response's pending error page, if it has one, for the user it carries.
pub fn draw_pending(mut r: Response) -> Response {
    if let Some(p) = r.extensions_mut().remove::<PendingErrorPage>() {
        let me = r
            .extensions()
            .get::<CurrentActor>()
            .cloned()
            .unwrap_or_else(CurrentActor::anonymous);
        let page = crate::view::ErrorPage {
            me,
            title: p.title,
            messages: p.messages,
        };
        let (mut parts, _) = r.into_parts();
        parts.headers.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
        );
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        r = Response::from_parts(parts, axum::body::Body::from(crate::view::render(&page)));
    }
    r
}

fn title_of(s: StatusCode) -> String {
    match s {
        StatusCode::NOT_FOUND => "Không tìm thấy".into(),
        StatusCode::FORBIDDEN => "Không có quyền".into(),
        StatusCode::INTERNAL_SERVER_ERROR => "Lỗi hệ thống".into(),
        _ => "Không thực hiện được".into(),
    }
}

/// The messages of a refused form, or the error page itself when there is nothing to show
/// again (not found, forbidden, storage failure).
pub fn page_failed(e: AppError) -> Result<Vec<String>, PageError> {
    if matches!(
        e,
        AppError::NotFound(_) | AppError::Store(_) | AppError::Forbidden
    ) {
        return Err(e.into());
    }
    Ok(messages(&e))
}

/// A refused form: its page again, drawn by `again` with what was typed and the messages, at
/// the refusal's status; or the error page itself when there is nothing to show again.
pub async fn form_failed<T: askama::Template>(
    e: AppError,
    form: &str,
    values: crate::input::Fields,
    again: impl AsyncFnOnce(crate::view::Feedback) -> Result<T, AppError>,
) -> Result<Response, PageError> {
    let status = status_of(&e);
    let errors = page_failed(e)?;
    let page = again(crate::view::Feedback {
        form: form.into(),
        errors,
        ok: None,
        echo: values,
        status,
    })
    .await?;
    Ok((status, axum::response::Html(crate::view::render(&page))).into_response())
}

/// A form's outcome: on to `to` when it was done, else the page again (drawn by `again`) with
/// what was typed (`echo`), the messages and the status of the refusal.
pub async fn finish(
    r: Result<String, AppError>,
    echo: crate::input::Fields,
    again: impl AsyncFnOnce(crate::view::Feedback) -> Result<Response, PageError>,
) -> Result<Response, PageError> {
    match r {
        Ok(to) => Ok(axum::response::Redirect::to(&to).into_response()),
        Err(e) => {
            let status = status_of(&e);
            let errors = page_failed(e)?;
            again(crate::view::Feedback {
                errors,
                echo,
                status,
                ..crate::view::Feedback::default()
            })
            .await
        }
    }
}
