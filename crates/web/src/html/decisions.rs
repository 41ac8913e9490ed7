//! Sổ quyết định: a committee's numbered decisions of a year, and the form to issue one.

use askama::Template;
use axum::extract::Path;
use dangvu_app::decisions::DecisionRegister;
use dangvu_domain::decision::DecisionKind;
use dangvu_domain::ids::OrgId;

use crate::AppState;
use crate::error::finish;
use crate::extract::{Cx, Page};
use crate::html::meetings::YearQuery;
use crate::html::{PageResult, shown};
use crate::i18n;
use crate::input::Fields;
use crate::input::decisions::issue;
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

pub struct DecisionRow {
    pub number: String,
    pub signed_on: String,
    pub kind: &'static str,
    pub subject: String,
    pub member: Option<(i64, String)>,
    pub signer: String,
    pub recorded_by: String,
}

#[derive(Template)]
#[template(path = "decisions/register.html")]
pub struct RegisterPage {
    pub me: CurrentActor,
    pub feedback: Feedback,
    /// The issuing committee: id and name.
    pub org: i64,
    pub org_name: String,
    pub year: i32,
    pub today: String,
    pub rows: Vec<DecisionRow>,
    pub kinds: Vec<Opt>,
    pub head: crate::view::Letterhead,
}

/// The page of a committee's register, which the app has read in the actor's scope.
pub(crate) async fn register_page(
    me: &CurrentActor,
    state: &AppState,
    reg: DecisionRegister,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let today = state.app.clock.today();
    let (org, year) = (reg.issuer, reg.year);
    let mut rows = Vec::with_capacity(reg.decisions.len());
    for d in &reg.decisions {
        let member = match d.member {
            Some(m) => Some((
                m.0,
                state
                    .app
                    .member(&a, m, today)
                    .await
                    .map(|v| v.record.full_name)
                    .unwrap_or_default(),
            )),
            None => None,
        };
        rows.push(DecisionRow {
            number: d.reference(),
            signed_on: vn(d.signed_on),
            kind: i18n::decision_kind(d.kind),
            subject: d.subject.clone(),
            member,
            signer: d.signer.clone().unwrap_or_default(),
            recorded_by: d.recorded_by.clone(),
        });
    }
    let head = crate::view::Letterhead::of(&state.app, &a, org, today).await?;
    let page = RegisterPage {
        head,
        me: me.clone(),
        feedback: fb,
        org: org.0,
        org_name: state.app.org_name(org, today).await.unwrap_or_default(),
        year,
        today: vn(today),
        rows,
        kinds: DecisionKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), i18n::decision_kind(*k)))
            .collect(),
    };
    shown(page.feedback.status, &page)
}

/// The register of a year.
pub async fn register(Cx(me, state): Cx, Page(id, q): Page<YearQuery>) -> PageResult {
    let fb = q.notice(&[("issued", "Đã vào sổ quyết định.")]);
    let reg = state
        .app
        .decision_register(&me.actor(), OrgId(id), q.year(&state))
        .await?;
    register_page(&me, &state, reg, fb).await
}

/// Issues a decision: it takes the next number of its year.
pub async fn issue_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = issue(&me, &state, OrgId(id), &f).await.map(|d| {
        let year = d
            .decision
            .date
            .map(|x| chrono::Datelike::year(&x))
            .unwrap_or_default();
        format!("/to-chuc/{id}/quyet-dinh?nam={year}&ok=issued")
    });
    let year = state.app.clock.today();
    let year = chrono::Datelike::year(&year);
    finish(r, f, async |fb| {
        let a = me.actor();
        let reg = state.app.decision_register(&a, OrgId(id), year).await?;
        register_page(&me, &state, reg, fb).await
    })
    .await
}
