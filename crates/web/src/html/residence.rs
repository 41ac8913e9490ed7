//! Members' contact with their place of residence (R20–R22): the introduction from a member's
//! page, and the residence committee's page (attach, half-yearly meeting, comments).

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::extract::Page;
use crate::html::PageResult;
use crate::html::meetings::YearQuery;
use crate::html::shown;
use crate::i18n::half_year;
use crate::input::Fields;
use crate::input::invalid;
use crate::input::meeting::form_seats;
use crate::session::CurrentActor;
use crate::view::ANY;
use crate::view::Feedback;
use crate::view::{Opt, vn};
use askama::Template;
use axum::extract::Path;
use chrono::Datelike;
use dangvu_app::AppError;
use dangvu_app::residence::ResidenceView;
use dangvu_domain::date::parse_date;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::Attendance;

// ---------------------------------------------------------------- residence (R20–R22)

pub struct LinkLine {
    pub link: i64,
    pub member: i64,
    pub name: String,
    pub workplace: String,
    pub introduced: String,
    pub cell: String,
    pub exempt: bool,
    pub open: bool,
    pub comment: String,
    pub certified: String,
}

#[derive(Template)]
#[template(path = "residence/residence.html")]
pub struct ResidencePage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub year: i32,
    pub links: Vec<LinkLine>,
    pub cells: Vec<Opt>,
    pub halves_missing: Vec<String>,
    pub today: String,
    pub feedback: Feedback,
}

/// The page of a residence committee's view, which the app has read in the actor's scope.
pub(crate) async fn residence_page(
    me: &CurrentActor,
    state: &AppState,
    v: ResidenceView,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let (org, year) = (v.residence, v.year);
    let today = state.app.clock.today();
    let mut links = Vec::new();
    for (l, name) in &v.links {
        let comment = v.comments.iter().find(|c| c.member == l.member);
        links.push(LinkLine {
            link: l.id,
            member: l.member.0,
            name: name.clone(),
            workplace: state
                .app
                .org_name(l.workplace, today)
                .await
                .unwrap_or_default(),
            introduced: vn(l.introduced_on),
            cell: match l.cell {
                Some(c) => state.app.org_name(c, today).await.unwrap_or_default(),
                None => String::new(),
            },
            exempt: l.exempt_category.is_some(),
            open: l.ended_on.is_none(),
            comment: comment.map(|c| c.content.clone()).unwrap_or_default(),
            certified: comment
                .and_then(|c| c.certified_on)
                .map(vn)
                .unwrap_or_default(),
        });
    }
    let cells = state
        .app
        .orgs_on(&a, today)
        .await?
        .into_iter()
        .filter(|o| o.kind.is_cell())
        .map(|o| Opt::id(o.org.0, o.name))
        .collect();
    let page = ResidencePage {
        me: me.clone(),
        org: org.0,
        org_name: state.app.org_name(org, today).await.unwrap_or_default(),
        year,
        links,
        cells,
        halves_missing: v.halves_missing.iter().map(half_year).collect(),
        today: vn(today),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

/// A residence committee's attached members, half-yearly meetings and comments.
pub async fn residence(Cx(me, state): Cx, Page(id, q): Page<YearQuery>) -> PageResult {
    let (a, year) = (me.actor(), q.year(&state));
    let v = state.app.residence_view(&a, OrgId(id), year).await?;
    residence_page(&me, &state, v, q.notice(&[(ANY, "Đã ghi.")])).await
}

/// The residence page's forms: attach, record the half-yearly meeting, write and certify a
/// comment.
pub async fn residence_action(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let a = me.actor();
    let year = state.app.clock.today().year();
    let member = || {
        f.get("member")
            .parse::<i64>()
            .map(MemberId)
            .map_err(|_| invalid(vec![FieldError::new("member", "invalid")]))
    };
    let r: Result<(), AppError> = async {
        match f.get("action").as_str() {
            "attach" => {
                let link = f
                    .get("link")
                    .parse::<i64>()
                    .map_err(|_| invalid(vec![FieldError::new("link", "invalid")]))?;
                let cell = crate::input::org_ref(&f, "cell").map_err(|e| invalid(vec![e]))?;
                let on = parse_date("on", &f.get("on")).map_err(|e| invalid(vec![e]))?;
                state.app.attach_to_cell(&a, link, cell, on).await
            }
            "meeting" => {
                let on = parse_date("held_on", &f.get("held_on")).map_err(|e| invalid(vec![e]))?;
                let seats: Vec<(MemberId, Attendance, String)> = form_seats(&f)?
                    .into_iter()
                    .map(|s| (s.member, s.attendance, s.reason))
                    .collect();
                state
                    .app
                    .record_residence_meeting(&a, OrgId(id), on, &f.get("place"), &seats)
                    .await
                    .map(|_| ())
            }
            "comment" => {
                state
                    .app
                    .write_residence_comment(&a, member()?, year, &f.get("content"))
                    .await
            }
            "certify" => {
                state
                    .app
                    .certify_residence_comment(&a, member()?, year)
                    .await
            }
            _ => Err(invalid(vec![FieldError::new("action", "invalid")])),
        }
    }
    .await;
    let r = r.map(|()| format!("/to-chuc/{id}/noi-cu-tru?ok=1"));
    finish(r, Fields::default(), async |fb| {
        let v = state
            .app
            .residence_view(&me.actor(), OrgId(id), year)
            .await?;
        residence_page(&me, &state, v, fb).await
    })
    .await
}
