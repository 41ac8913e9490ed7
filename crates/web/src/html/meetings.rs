//! A cell's meetings of a year (R16): the list, the months and quarters missing, and the form
//! that records a meeting with its attendance.

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::extract::Page;
use crate::html::PageResult;
use crate::html::minutes::CriterionLine;
use crate::html::programme::ItemLine;
use crate::html::programme::item_line;
use crate::html::shown;
use crate::html::year_so_far;
use crate::i18n::half_year;
use crate::input::Fields;
use crate::input::meeting::form_seats;
use crate::input::meeting::meeting_input;
use crate::session::CurrentActor;
use crate::view::ANY;
use crate::view::Feedback;
use crate::view::{Opt, vn};
use askama::Template;
use axum::extract::Path;
use chrono::Datelike;
use dangvu_domain::ids::OrgId;
use dangvu_domain::meeting::{ItemKind, MeetingKind};
use serde::Deserialize;

/// The year a page of a year shows (`nam`, this year by default), and its notice.
#[derive(Debug, Deserialize, Default)]
pub struct YearQuery {
    pub nam: Option<i32>,
    pub ok: Option<String>,
}

impl YearQuery {
    /// The year asked for, or this year.
    pub fn year(&self, state: &AppState) -> i32 {
        self.nam.unwrap_or_else(|| state.app.clock.today().year())
    }

    /// The page's feedback after a redirect: the notice `table` gives the `ok` code.
    pub fn notice(&self, table: &[(&str, &str)]) -> Feedback {
        Feedback::after(self.ok.as_deref(), table)
    }
}

pub struct MeetingRow {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub time: String,
    pub adopted: bool,
}

/// Committee members as picker options, each member once: "name (position)".
pub(crate) fn committee_opts<'a>(
    holders: impl IntoIterator<Item = &'a dangvu_store::orgs::Holder>,
) -> Vec<Opt> {
    let mut v: Vec<Opt> = Vec::new();
    for h in holders {
        if !v.iter().any(|o| o.id == h.member.0) {
            v.push(Opt::id(
                h.member.0,
                format!("{} ({})", h.member_name, crate::i18n::position(h.position)),
            ));
        }
    }
    v
}

pub struct RollLine {
    pub id: i64,
    pub name: String,
    pub exempt: bool,
}

#[derive(Template)]
#[template(path = "meetings/meetings.html")]
pub struct MeetingsPage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub year: i32,
    pub meetings: Vec<MeetingRow>,
    pub missing_months: Vec<String>,
    pub missing_quarters: Vec<String>,
    /// Half-years without a meeting of the whole đảng bộ (a grassroots đảng bộ, R16).
    pub missing_halves: Vec<String>,
    pub flags: Vec<String>,
    pub roll: Vec<RollLine>,
    pub kinds: Vec<Opt>,
    /// The year's programme, month by month.
    pub programme: Vec<ItemLine>,
    pub item_kinds: Vec<Opt>,
    /// Members of the committees above, who may attend for the superior committee.
    pub superiors: Vec<Opt>,
    /// The scoring template of today.
    pub criteria: Vec<CriterionLine>,
    pub is_cell: bool,
    pub today: String,
    pub feedback: Feedback,
}

pub(crate) async fn meetings_page(
    me: &CurrentActor,
    state: &AppState,
    org: OrgId,
    year: i32,
    fb: Feedback,
) -> PageResult {
    let a = me.actor();
    let today = state.app.clock.today();
    let (from, to) = year_so_far(year, today);
    let meetings = state.app.meetings_of(&a, org, from, to).await?;
    let due = state.app.meetings_due(&a, org, from, to).await?;
    let roll = state.app.meeting_roll(&a, org, today).await?;
    let kind = state.app.org(&a, org, today).await?.period.map(|p| p.kind);
    let missing_halves = state
        .app
        .assemblies_due(&a, org, from, to)
        .await?
        .iter()
        .map(half_year)
        .collect();
    let mut flags = Vec::new();
    for (m, name, _) in &roll {
        for (y, f) in state.app.attendance_flags(&a, *m, from, to).await? {
            flags.push(format!(
                "{name}: {} trong năm {y} ({})",
                crate::i18n::message(f.code),
                f.rule
            ));
        }
    }
    let page = MeetingsPage {
        me: me.clone(),
        org: org.0,
        org_name: state.app.org_name(org, today).await.unwrap_or_default(),
        year,
        meetings: meetings
            .iter()
            .map(|m| MeetingRow {
                id: m.id,
                date: vn(m.held_on),
                kind: crate::i18n::meeting_kind(m.kind),
                time: format!("{}–{}", m.starts_at, m.ends_at),
                adopted: m.status == "adopted",
            })
            .collect(),
        missing_months: due
            .months_missing
            .iter()
            .map(|(y, m)| format!("{m:02}/{y}"))
            .collect(),
        missing_quarters: due
            .quarters_missing
            .iter()
            .map(|(y, q)| format!("quý {q}/{y}"))
            .collect(),
        missing_halves,
        flags,
        roll: roll
            .into_iter()
            .map(|(m, name, exempt)| RollLine {
                id: m.0,
                name,
                exempt,
            })
            .collect(),
        kinds: MeetingKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), crate::i18n::meeting_kind(*k)))
            .collect(),
        programme: state
            .app
            .programme(&a, org, year)
            .await?
            .iter()
            .map(item_line)
            .collect(),
        item_kinds: ItemKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), crate::i18n::item_kind(*k)))
            .collect(),
        superiors: committee_opts(&state.app.superior_committee(&a, org, today).await?),
        criteria: dangvu_domain::meeting::template_on(&state.app.scoring_templates().await?, today)
            .map(|t| {
                t.criteria
                    .iter()
                    .map(|c| CriterionLine {
                        code: c.code.clone(),
                        name: c.name.clone(),
                        max: c.max,
                        points: String::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        is_cell: kind.is_none_or(|k| k.is_cell()),
        today: vn(today),
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

pub async fn cell_meetings(Cx(me, state): Cx, Page(id, q): Page<YearQuery>) -> PageResult {
    let fb = q.notice(&[
        ("item", "Đã thêm nội dung vào chương trình."),
        (ANY, "Đã ghi."),
    ]);
    meetings_page(&me, &state, OrgId(id), q.year(&state), fb).await
}

pub async fn record(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let actor = me.actor();
    let r = state
        .app
        .once(&actor, &f.get("_key"), async || {
            let seats = form_seats(&f)?;
            let m = meeting_input(&f, OrgId(id), seats)?;
            let (mid, _) = state.app.record_meeting(&actor, m).await?;
            Ok(format!("/sinh-hoat/{mid}?ok=recorded"))
        })
        .await;
    let year = state.app.clock.today().year();
    finish(r, f, async |fb| {
        meetings_page(&me, &state, OrgId(id), year, fb).await
    })
    .await
}
