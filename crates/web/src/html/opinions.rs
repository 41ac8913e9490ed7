//! Sổ tiếp nhận ý kiến góp ý xây dựng Đảng (R34): a committee's register of the opinions of the
//! Front, the mass organisations and the people, with the forms to take one in, give it to
//! answer, answer it and attach it to a review.

use askama::Template;
use axum::extract::Path;
use dangvu_app::opinions::{OpinionLine, OpinionRegister};
use dangvu_domain::calendar::DueState;
use dangvu_domain::ids::OrgId;
use dangvu_domain::opinion::{ANSWER_DAYS, DEFAULT_ANSWER_DAYS, OpinionSource, OpinionStatus};

use crate::AppState;
use crate::error::finish;
use crate::extract::{Cx, Page};
use crate::html::meeting_report::{ReportQuery, period};
use crate::html::{PageResult, shown};
use crate::i18n;
use crate::input::Fields;
use crate::input::accountability::apply_opinion;
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

/// An opinion as the register and the dashboard show it.
pub struct OpinionRow {
    pub id: i64,
    pub received_on: String,
    pub source: String,
    pub subject: Option<(String, String)>,
    pub content: String,
    pub assigned: String,
    pub due_by: String,
    pub status: &'static str,
    pub overdue: bool,
    pub answered: bool,
    pub response: String,
    pub in_review: bool,
}

/// The row of an opinion, with its subject's name and link.
pub(crate) async fn row(state: &AppState, me: &CurrentActor, l: &OpinionLine) -> OpinionRow {
    let o = &l.opinion;
    let today = state.app.clock.today();
    let subject = match (o.subject_org, o.subject_member) {
        (Some(g), _) => Some((
            format!("/to-chuc/{}", g.0),
            state.app.org_name(g, today).await.unwrap_or_default(),
        )),
        (_, Some(m)) => Some((
            format!("/dang-vien/{}", m.0),
            state
                .app
                .member(&me.actor(), m, today)
                .await
                .map(|v| v.record.full_name)
                .unwrap_or_default(),
        )),
        _ => None,
    };
    let source = match &o.source_name {
        Some(n) => format!("{}: {n}", i18n::opinion_source(o.source)),
        None => i18n::opinion_source(o.source).to_owned(),
    };
    OpinionRow {
        id: o.id,
        received_on: vn(o.received_on),
        source,
        subject,
        content: o.content.clone(),
        assigned: match (&o.assigned_body, &o.assigned_person, o.assigned_on) {
            (Some(b), Some(p), Some(on)) => format!("{b} — {p} (giao ngày {})", vn(on)),
            _ => String::new(),
        },
        due_by: o.due_by.map(vn).unwrap_or_default(),
        status: i18n::opinion_status(l.status),
        overdue: l.due == Some(DueState::Overdue),
        answered: l.status == OpinionStatus::Answered,
        response: match (&o.response, o.answered_on) {
            (Some(r), Some(on)) => format!("{r} ({})", vn(on)),
            _ => String::new(),
        },
        in_review: o.review_period.is_some(),
    }
}

/// An opinion as a review shows it among the comments (R28): when, from whom, what, and the
/// answer.
pub(crate) fn review_text(o: &dangvu_store::opinions::Opinion) -> String {
    let mut t = format!(
        "{} — {}{}: {}",
        vn(o.received_on),
        i18n::opinion_source(o.source),
        o.source_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        o.content
    );
    if let (Some(r), Some(on)) = (&o.response, o.answered_on) {
        t.push_str(&format!(". Trả lời ngày {}: {r}", vn(on)));
    }
    t
}

#[derive(Template)]
#[template(path = "opinions/register.html")]
pub struct RegisterPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    pub org: i64,
    pub org_name: String,
    pub from: String,
    pub to: String,
    pub today: String,
    pub rows: Vec<OpinionRow>,
    pub overdue: Vec<OpinionRow>,
    pub open: Vec<Opt>,
    pub attachable: Vec<Opt>,
    pub reviews: Vec<Opt>,
    pub sources: Vec<Opt>,
    pub default_days: u32,
    pub max_days: u32,
}

async fn page(me: &CurrentActor, state: &AppState, r: OpinionRegister, fb: Feedback) -> PageResult {
    let a = me.actor();
    let (org_name, today) = crate::html::org_today(state, r.committee).await;
    let mut rows = Vec::with_capacity(r.lines.len());
    let mut open = Vec::new();
    let mut attachable = Vec::new();
    for l in &r.lines {
        let row = row(state, me, l).await;
        let label = format!("{} — {}", row.received_on, short(&row.content));
        if !row.answered {
            open.push(Opt::id(row.id, label.clone()));
        }
        if row.subject.is_some() && !row.in_review {
            attachable.push(Opt::id(row.id, label));
        }
        rows.push(row);
    }
    let mut overdue = Vec::with_capacity(r.overdue.len());
    for l in &r.overdue {
        overdue.push(row(state, me, l).await);
    }
    let reviews = state
        .app
        .reviews_visible(&a)
        .await?
        .into_iter()
        .filter(|p| p.status == "open")
        .map(|p| Opt::id(p.id, p.label))
        .collect();
    let page = RegisterPage {
        me: me.clone(),
        feedback: fb,
        org: r.committee.0,
        org_name,
        from: vn(r.from),
        to: vn(r.to),
        today: vn(today),
        rows,
        overdue,
        open,
        attachable,
        reviews,
        sources: OpinionSource::ALL
            .iter()
            .map(|s| Opt::code(s.code(), i18n::opinion_source(*s)))
            .collect(),
        default_days: DEFAULT_ANSWER_DAYS,
        max_days: *ANSWER_DAYS.end(),
    };
    shown(page.feedback.status, &page)
}

/// The first words of a text, for a picker.
fn short(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(10).collect();
    let mut t = words.join(" ");
    if s.split_whitespace().count() > 10 {
        t.push('…');
    }
    t
}

/// The register over a span of days (`?tu=&den=`, default this year so far).
pub async fn register(Cx(me, state): Cx, Page(id, q): Page<ReportQuery>) -> PageResult {
    let org = OrgId(id);
    let a = me.actor();
    state.app.org_scope(&a, org)?;
    let (from, to) = period(&state, &q)?;
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("taken", "Đã vào sổ ý kiến."),
            ("assigned", "Đã giao giải quyết ý kiến."),
            ("answered", "Đã ghi nội dung trả lời."),
            ("attached", "Đã đưa ý kiến vào hồ sơ đánh giá."),
        ],
    );
    let r = state.app.opinion_register(&a, org, from, to).await?;
    page(&me, &state, r, fb).await
}

/// One action of the register page.
pub async fn action(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let org = OrgId(id);
    let r = apply_opinion(&me, &state, org, &f)
        .await
        .map(|ok| format!("/to-chuc/{id}/y-kien?ok={ok}"));
    finish(r, f, async |fb| {
        let today = state.app.clock.today();
        let from =
            chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
        let r = state
            .app
            .opinion_register(&me.actor(), org, from, today)
            .await?;
        page(&me, &state, r, fb).await
    })
    .await
}
