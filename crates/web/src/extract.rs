//! The extractors handlers share: who asks together with the application, and the fields a form
//! or a JSON body submitted.

use axum::extract::{Form, FromRequest, FromRequestParts, Json, Path, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use dangvu_app::AppError;
use dangvu_domain::error::{DomainError, FieldError};

use crate::AppState;
use crate::error::ApiError;
use crate::input::Fields;
use crate::session::CurrentActor;

/// Who is asking and the application: `Cx(me, state): Cx` in a handler's arguments.
pub struct Cx(pub CurrentActor, pub AppState);

impl FromRequestParts<AppState> for Cx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let me = CurrentActor::from_request_parts(parts, state).await?;
        Ok(Cx(me, state.clone()))
    }
}

/// A page's path id and its query, read together: `Page(id, q): Page<YearQuery>` for
/// `/to-chuc/{id}/sinh-hoat?nam=2024&ok=…`. Each part is refused as its own extractor would.
pub struct Page<Q>(pub i64, pub Q);

impl<S: Send + Sync, Q: serde::de::DeserializeOwned> FromRequestParts<S> for Page<Q> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<i64>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Query(q) = Query::<Q>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Page(id, q))
    }
}

/// A JSON body (`Content-Type: application/json`, an object) or an HTML form's fields; the
/// handler parses both the same way, so a page and the API give the same field messages.
impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if json {
            let JsonObject(v) = JsonObject::from_request(req, state).await?;
            Ok(Fields::from_json(&v))
        } else {
            let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(Fields::from_pairs(pairs))
        }
    }
}

/// A JSON object as it was sent, for the bodies whose nested lists a handler reads itself; a
/// body that is not a JSON object gets the API's error, in Vietnamese.
pub struct JsonObject(pub serde_json::Value);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(v)) if v.is_object() => Ok(JsonObject(v)),
            _ => Err(not_json()),
        }
    }
}

/// A JSON body read into the type the API documents for it; a body that is not that type's
/// object gets the same error as one that is not JSON.
pub struct Typed<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Typed<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonObject(v) = JsonObject::from_request(req, state).await?;
        serde_json::from_value(v).map(Typed).map_err(|_| not_json())
    }
}

fn not_json() -> Response {
    let invalid = DomainError::Invalid(vec![FieldError::new("json", "json_invalid")]);
    ApiError(AppError::Domain(invalid)).into_response()
}
