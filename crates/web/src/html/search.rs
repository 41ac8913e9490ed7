//! Finding a member by name, with or without diacritics, in the actor's whole scope.

use crate::extract::Cx;
use crate::html::PageQuery;
use crate::html::PageResult;
use crate::html::as_of;
use crate::html::members::members_page;
use axum::extract::Query;
use dangvu_app::AppError;

pub async fn search(Cx(me, state): Cx, Query(q): Query<PageQuery>) -> PageResult {
    let mut errors = Vec::new();
    let on = as_of(&state, &q, &mut errors);
    let roots = state.app.roots(&me.actor(), on).await?;
    match roots.first() {
        Some(r) => {
            members_page(
                &me,
                &state,
                *r,
                "Tìm đảng viên".into(),
                "/tim-kiem".into(),
                q,
            )
            .await
        }
        None => Err(AppError::NotFound("org").into()),
    }
}
