//! Quy chế, quy định của cấp ủy (R32): a committee's regulations (searched, those due for
//! review first), one regulation with its versions and provisions, and its files.

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::IntoResponse;
use dangvu_app::regulations::{RegulationList, RegulationView};
use dangvu_domain::ids::OrgId;
use dangvu_domain::regulation::RegulationKind;
use serde::Deserialize;

use crate::AppState;
use crate::error::finish;
use crate::extract::{Cx, Page};
use crate::html::{PageResult, shown};
use crate::i18n;
use crate::input::Fields;
use crate::input::accountability::{issue_regulation, revise_regulation};
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

/// Query of the list: the words searched and a notice.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub ok: Option<String>,
}

pub struct LineView {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub number: String,
    pub effective_on: String,
    pub versions: String,
    pub review_due: String,
    pub due: bool,
}

#[derive(Template)]
#[template(path = "regulations/list.html")]
pub struct ListPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub org: i64,
    pub org_name: String,
    pub q: String,
    pub today: String,
    pub lines: Vec<LineView>,
    pub due: Vec<LineView>,
    pub kinds: Vec<Opt>,
}

fn line(l: &dangvu_app::regulations::RegulationLine) -> LineView {
    let g = &l.regulation;
    LineView {
        id: g.id,
        title: g.title.clone(),
        kind: i18n::regulation_kind(g.kind),
        number: l
            .current
            .as_ref()
            .map(|v| v.number.clone())
            .unwrap_or_default(),
        effective_on: l
            .current
            .as_ref()
            .map(|v| vn(v.effective_on))
            .unwrap_or_default(),
        versions: l
            .current
            .as_ref()
            .map(|v| format!("lần {}", v.version))
            .unwrap_or_default(),
        review_due: l
            .current
            .as_ref()
            .and_then(|v| v.review_due)
            .map(vn)
            .unwrap_or_default(),
        due: l.review_due,
    }
}

async fn list_page(
    me: &CurrentActor,
    state: &AppState,
    r: RegulationList,
    q: String,
    fb: Feedback,
) -> PageResult {
    let (org_name, today) = crate::html::org_today(state, r.committee).await;
    let page = ListPage {
        me: me.clone(),
        feedback: fb,
        org: r.committee.0,
        org_name,
        q,
        today: vn(today),
        due: r.due_for_review().into_iter().map(line).collect(),
        lines: r.lines.iter().map(line).collect(),
        kinds: RegulationKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), i18n::regulation_kind(*k)))
            .collect(),
    };
    shown(page.feedback.status, &page)
}

/// A committee's regulations (`?q=` searches titles and texts).
pub async fn list(Cx(me, state): Cx, Page(id, q): Page<ListQuery>) -> PageResult {
    let a = me.actor();
    state.app.org_scope(&a, OrgId(id))?;
    let words = q.q.clone().unwrap_or_default();
    let fb = Feedback::after(q.ok.as_deref(), &[("issued", "Đã ban hành quy chế.")]);
    let r = state.app.regulations(&a, OrgId(id), &words).await?;
    list_page(&me, &state, r, words, fb).await
}

/// Issues a regulation with its first version.
pub async fn issue(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = issue_regulation(&me, &state, OrgId(id), &f)
        .await
        .map(|g| format!("/quy-che/{g}?ok=issued"));
    finish(r, f, async |fb| {
        let r = state.app.regulations(&me.actor(), OrgId(id), "").await?;
        list_page(&me, &state, r, String::new(), fb).await
    })
    .await
}

pub struct VersionView {
    pub id: i64,
    pub version: u32,
    pub number: String,
    pub signed_on: String,
    pub effective_on: String,
    pub changes: String,
    pub body: String,
    pub review_due: String,
    pub file: Option<(String, String)>,
    pub provisions: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "regulations/regulation.html")]
pub struct RegulationPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub id: i64,
    pub org: i64,
    pub org_name: String,
    pub title: String,
    pub kind: &'static str,
    pub issuing_body: String,
    pub review_months: String,
    pub today: String,
    /// Newest first.
    pub versions: Vec<VersionView>,
}

async fn regulation_page(
    me: &CurrentActor,
    state: &AppState,
    r: RegulationView,
    fb: Feedback,
) -> PageResult {
    let g = &r.regulation;
    let (org_name, today) = crate::html::org_today(state, g.committee).await;
    let mut versions: Vec<VersionView> = r
        .versions
        .iter()
        .map(|(v, p)| VersionView {
            id: v.id,
            version: v.version,
            number: v.number.clone(),
            signed_on: vn(v.signed_on),
            effective_on: vn(v.effective_on),
            changes: v.changes.clone().unwrap_or_default(),
            body: v.body.clone(),
            review_due: v.review_due.map(vn).unwrap_or_default(),
            file: v.file.as_ref().map(|(n, _, s)| (n.clone(), s.clone())),
            provisions: p
                .iter()
                .map(|p| (p.article.clone(), p.task.clone(), p.responsible.clone()))
                .collect(),
        })
        .collect();
    versions.reverse();
    let page = RegulationPage {
        me: me.clone(),
        feedback: fb,
        id: g.id,
        org: g.committee.0,
        org_name,
        title: g.title.clone(),
        kind: i18n::regulation_kind(g.kind),
        issuing_body: g.issuing_body.clone(),
        review_months: g
            .review_months
            .map(|m| format!("{m} tháng"))
            .unwrap_or_default(),
        today: vn(today),
        versions,
    };
    shown(page.feedback.status, &page)
}

/// A regulation with its versions.
pub async fn regulation(Cx(me, state): Cx, Page(id, q): Page<ListQuery>) -> PageResult {
    let r = state.app.regulation(&me.actor(), id).await?;
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("issued", "Đã ban hành quy chế."),
            ("revised", "Đã ghi lần sửa đổi, bổ sung."),
            ("file", "Đã đính kèm tệp."),
        ],
    );
    regulation_page(&me, &state, r, fb).await
}

/// Issues the next version.
pub async fn revise(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = revise_regulation(&me, &state, id, &f)
        .await
        .map(|_| format!("/quy-che/{id}?ok=revised"));
    finish(r, f, async |fb| {
        let r = state.app.regulation(&me.actor(), id).await?;
        regulation_page(&me, &state, r, fb).await
    })
    .await
}

/// Query of a file sent as the body: its name.
#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
pub struct FileQuery {
    /// The file's name (its extension says PDF or DOCX).
    pub ten: Option<String>,
}

/// Attaches the file sent as the body to a version (the page's script sends it).
pub async fn attach(
    Cx(me, state): Cx,
    Path(version): Path<i64>,
    Query(q): Query<FileQuery>,
    body: Body,
) -> PageResult {
    let a = me.actor();
    // Scope first: the version, before the body is read.
    let regulation = state.app.regulation_version_scope(&a, version).await?;
    let bytes =
        crate::html::import::read_upload(body, dangvu_domain::regulation::FILE_MAX_BYTES).await?;
    state
        .app
        .attach_regulation_file(&a, version, q.ten.as_deref().unwrap_or_default(), &bytes)
        .await?;
    Ok(axum::response::Redirect::to(&format!("/quy-che/{regulation}?ok=file")).into_response())
}

/// A version's file, checked against its checksum.
pub async fn download(Cx(me, state): Cx, Path(version): Path<i64>) -> PageResult {
    let f = state.app.regulation_file(&me.actor(), version).await?;
    Ok(file_response(f))
}

/// A file as an attachment, named in UTF-8 (RFC 5987), with its checksum in a header.
pub(crate) fn file_response(
    f: dangvu_app::regulations::RegulationFile,
) -> axum::response::Response {
    let ascii: String = f
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    // RFC 5987: every byte but the unreserved ones percent-encoded (a space is %20, not +).
    let encoded: String = f
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, f.kind.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::HeaderName::from_static("x-checksum-sha256"),
                f.sha256,
            ),
        ],
        f.bytes,
    )
        .into_response()
}
