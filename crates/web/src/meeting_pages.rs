//! Cell meetings on the web and in the API (issue 5): a cell's meetings of a year with what fell
//! due and what is missing (R16) and its members' 3-month flags (R11), the form that records a
//! meeting with every member's attendance and the vote (R19), the minutes in the Party's document
//! layout on A4, and their adoption, after which they are locked.

use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use dangvu_app::AppError;
use dangvu_app::meetings::{MeetingView, NewMeeting, SeatInput};
use dangvu_domain::date::parse_date;
use dangvu_domain::error::{DomainError, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, ItemKind, MeetingKind, PushState};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::{ApiError, PageError, finish};
use crate::input::Fields;
use crate::session::actor;
use crate::view::{Opt, render, vn};

type PageResult = Result<Response, PageError>;
type ApiResult = Result<Response, ApiError>;

pub(crate) fn invalid(errors: Vec<FieldError>) -> AppError {
    AppError::Domain(DomainError::Invalid(errors))
}

fn opt_member(f: &Fields, name: &'static str) -> Result<Option<MemberId>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(|i| Some(MemberId(i)))
            .map_err(|_| FieldError::new(name, "invalid")),
    }
}

fn count(f: &Fields, name: &'static str) -> Result<Option<u32>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => v
            .replace('.', "")
            .parse::<u32>()
            .map(Some)
            .map_err(|_| FieldError::new(name, "invalid")),
    }
}

/// A meeting from a form's or a JSON body's fields and its attendance lines.
pub fn meeting_input(
    f: &Fields,
    org: OrgId,
    seats: Vec<SeatInput>,
) -> Result<NewMeeting, AppError> {
    let mut errors = Vec::new();
    let kind = MeetingKind::from_code(f.get("kind").trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "invalid"));
    }
    let held_on = parse_date("held_on", &f.get("held_on"))
        .map_err(|e| errors.push(e))
        .ok();
    let chair = opt_member(f, "chair")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let minute_taker = opt_member(f, "minute_taker")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let dues = match f.opt("dues_collected") {
        None => 0,
        Some(v) => v.replace('.', "").parse::<i64>().unwrap_or_else(|_| {
            errors.push(FieldError::new("dues_collected", "invalid"));
            0
        }),
    };
    let yes = count(f, "votes_yes")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let no = count(f, "votes_no")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let abstain = count(f, "votes_abstain")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let mut guests = Vec::new();
    for g in f.all("guests") {
        match g.trim().parse::<i64>() {
            Ok(i) => guests.push(MemberId(i)),
            Err(_) if g.trim().is_empty() => {}
            Err(_) => errors.push(FieldError::new("guests", "invalid")),
        }
    }
    let mut tasks = Vec::new();
    for (who, text) in f.all("task_member").iter().zip(f.all("task_text")) {
        match (who.trim(), text.trim()) {
            ("", "") => {}
            ("", _) => errors.push(FieldError::new("tasks", "task_member_missing")),
            (w, t) => match w.parse::<i64>() {
                Ok(i) => tasks.push((MemberId(i), t.to_owned())),
                Err(_) => errors.push(FieldError::new("tasks", "invalid")),
            },
        }
    }
    let scores = match score_fields(f) {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let (Some(kind), Some(held_on)) = (kind, held_on) else {
        return Err(invalid(Vec::new()));
    };
    Ok(NewMeeting {
        org,
        kind,
        held_on,
        starts_at: f.get("starts_at"),
        ends_at: f.get("ends_at"),
        place: f.get("place"),
        chair,
        minute_taker,
        superior_guests: f.get("superior_guests"),
        topic: f.get("topic"),
        dues_collected: dues,
        seats,
        resolution: f.get("resolution"),
        votes: yes.map(|y| (y, no.unwrap_or(0), abstain.unwrap_or(0))),
        items: f
            .all("items")
            .iter()
            .filter_map(|i| i.trim().parse::<i64>().ok())
            .collect(),
        guests,
        tasks,
        scores,
    })
}

/// The points of a score: `score_<criterion>` fields; none when every one is blank.
pub(crate) fn score_fields(f: &Fields) -> Result<Vec<(String, u32)>, FieldError> {
    let mut out = Vec::new();
    let mut keys: Vec<&String> = f.0.keys().filter(|k| k.starts_with("score_")).collect();
    keys.sort();
    for k in keys {
        let v = f.get(k);
        if v.trim().is_empty() {
            continue;
        }
        let p = v
            .trim()
            .parse::<u32>()
            .map_err(|_| FieldError::new("score", "invalid"))?;
        out.push((k.trim_start_matches("score_").to_owned(), p));
    }
    Ok(out)
}

/// A JSON body's `tasks: [{member, task}]` and `scores: {criterion: points}` as the form's
/// fields, so both are read by one parser.
pub(crate) fn json_extras(body: &Value, f: &mut Fields) {
    if let Some(list) = body.get("tasks").and_then(Value::as_array) {
        for t in list {
            let who = t
                .get("member")
                .map(|v| {
                    v.as_i64()
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| v.to_string())
                })
                .unwrap_or_default();
            let text = t
                .get("task")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            f.0.entry("task_member".into()).or_default().push(who);
            f.0.entry("task_text".into()).or_default().push(text);
        }
    }
    if let Some(obj) = body.get("scores").and_then(Value::as_object) {
        for (k, v) in obj {
            let p = v
                .as_u64()
                .map(|n| n.to_string())
                .unwrap_or_else(|| v.to_string());
            f.0.insert(format!("score_{k}"), vec![p]);
        }
    }
}

/// The attendance lines of the form: `att_<member>`, `reason_<member>`, `dues_<member>`.
fn form_seats(f: &Fields) -> Result<Vec<SeatInput>, AppError> {
    let mut seats = Vec::new();
    for (k, v) in &f.0 {
        let Some(id) = k.strip_prefix("att_").and_then(|i| i.parse::<i64>().ok()) else {
            continue;
        };
        let code = v.first().cloned().unwrap_or_default();
        let attendance = Attendance::from_code(&code)
            .ok_or_else(|| invalid(vec![FieldError::new("attendance", "invalid")]))?;
        seats.push(SeatInput {
            member: MemberId(id),
            attendance,
            reason: f.get(&format!("reason_{id}")),
            dues_paid: !f.get(&format!("dues_{id}")).is_empty(),
        });
    }
    seats.sort_by_key(|s| s.member);
    Ok(seats)
}

/// The attendance lines of a JSON body: `attendance: [{member, attendance, reason, dues_paid}]`.
fn json_seats(body: &Value) -> Result<Vec<SeatInput>, AppError> {
    let bad = || invalid(vec![FieldError::new("attendance", "invalid")]);
    let Some(list) = body.get("attendance").and_then(Value::as_array) else {
        return Err(invalid(vec![FieldError::new("attendance", "required")]));
    };
    list.iter()
        .map(|x| {
            Ok(SeatInput {
                member: MemberId(x.get("member").and_then(Value::as_i64).ok_or_else(bad)?),
                attendance: x
                    .get("attendance")
                    .and_then(Value::as_str)
                    .and_then(Attendance::from_code)
                    .ok_or_else(bad)?,
                reason: x
                    .get("reason")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                dues_paid: x.get("dues_paid").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

#[derive(Debug, Deserialize, Default)]
pub struct YearQuery {
    pub nam: Option<i32>,
    pub ok: Option<String>,
}

pub struct MeetingRow {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub time: String,
    pub adopted: bool,
}

pub struct ItemLine {
    pub id: i64,
    pub month: String,
    pub kind: &'static str,
    pub title: String,
    pub reference: String,
    pub pushed: bool,
    pub held: bool,
}

fn item_line(i: &dangvu_store::programme::Item) -> ItemLine {
    let month = match i.month.split_once('-') {
        Some((y, m)) => format!("{m}/{y}"),
        None => i.month.clone(),
    };
    ItemLine {
        id: i.id,
        month,
        kind: crate::i18n::item_kind(i.kind),
        title: crate::i18n::item_title(i.kind, &i.title),
        reference: i.reference.clone().unwrap_or_default(),
        pushed: i.push.is_some(),
        held: i.held,
    }
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

/// A half-year as a committee writes it: "6 tháng đầu năm 2019".
pub(crate) fn half_year((y, h): &(i32, u32)) -> String {
    format!("6 tháng {} năm {y}", if *h == 1 { "đầu" } else { "cuối" })
}

pub struct RollLine {
    pub id: i64,
    pub name: String,
    pub exempt: bool,
}

#[derive(Template)]
#[template(path = "meetings.html")]
pub struct MeetingsPage {
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
    pub errors: Vec<String>,
    pub ok: Option<String>,
    pub echo: Fields,
}

impl MeetingsPage {
    pub fn v(&self, k: &str) -> String {
        self.echo.get(k)
    }
}

async fn meetings_page(
    state: &AppState,
    org: OrgId,
    year: i32,
    errors: Vec<String>,
    ok: Option<String>,
    echo: Fields,
    status: StatusCode,
) -> PageResult {
    let a = actor();
    let today = state.app.clock.today();
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today);
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
        errors,
        ok,
        echo,
    };
    Ok((status, Html(render(&page))).into_response())
}

pub async fn cell_meetings(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.nam.unwrap_or_else(|| state.app.clock.today().year());
    let ok = match q.ok.as_deref() {
        Some("item") => Some("Đã thêm nội dung vào chương trình.".to_owned()),
        Some(_) => Some("Đã ghi.".to_owned()),
        None => None,
    };
    meetings_page(
        &state,
        OrgId(id),
        year,
        Vec::new(),
        ok,
        Fields::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn record(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = async {
        let seats = form_seats(&f)?;
        let m = meeting_input(&f, OrgId(id), seats)?;
        state.app.record_meeting(&actor(), m).await
    }
    .await;
    let r = r.map(|(mid, _)| format!("/sinh-hoat/{mid}?ok=recorded"));
    let year = state.app.clock.today().year();
    finish(r, async |errors, status| {
        meetings_page(&state, OrgId(id), year, errors, None, f, status).await
    })
    .await
}

pub struct SeatLine {
    pub name: String,
    pub attendance: &'static str,
    pub reason: String,
    pub dues: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MinutesPage {
    pub id: i64,
    pub org: i64,
    pub org_name: String,
    pub parent_name: String,
    pub kind: &'static str,
    pub kind_upper: String,
    pub place: String,
    pub date_line: String,
    pub month_year: String,
    pub time: String,
    pub ends: String,
    pub minutes_long: u32,
    pub chair: String,
    pub minute_taker: String,
    pub guests: String,
    pub topic: String,
    pub total: usize,
    pub present: usize,
    pub exempt: usize,
    pub absent_excused: Vec<String>,
    pub absent_unexcused: Vec<String>,
    pub seats: Vec<SeatLine>,
    pub dues: String,
    pub resolution: String,
    pub votes: Option<(i64, i64, i64)>,
    pub voters: String,
    pub passed: String,
    pub flags: Vec<String>,
    pub items: Vec<String>,
    pub adopted: bool,
    /// Tasks for next month: who, what.
    pub tasks: Vec<(String, String)>,
    /// The template's criteria with the points given (empty when not scored).
    pub criteria: Vec<CriterionLine>,
    pub template_name: String,
    /// "86/100 — Khá", when scored.
    pub score: String,
    pub corrections: Vec<CorrectionLine>,
    /// Members of the meeting, for the correction form.
    pub members: Vec<Opt>,
    pub attendances: Vec<Opt>,
    pub ok: Option<String>,
    pub errors: Vec<String>,
}

pub struct CriterionLine {
    pub code: String,
    pub name: String,
    pub max: u32,
    pub points: String,
}

pub struct CorrectionLine {
    pub at: String,
    pub by: String,
    pub field: String,
    pub old: String,
    pub new: String,
    pub reason: String,
    pub decision_ref: String,
}

/// The label of a corrected field; an attendance line names its member.
fn correction_field(field: &str, v: &MeetingView) -> String {
    match field.strip_prefix("attendance:") {
        Some(id) => {
            let who = id
                .parse::<i64>()
                .ok()
                .and_then(|i| v.seats.iter().find(|(s, _)| s.member.0 == i))
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            format!("Tình hình dự họp của {who}")
        }
        None => crate::i18n::field(field).to_owned(),
    }
}

/// A stored attendance value ("absent_excused (ốm)") in words.
fn correction_value(field: &str, value: Option<&str>) -> String {
    let v = value.unwrap_or_default();
    if field.starts_with("attendance:") {
        let (code, rest) = v.split_once([' ', ',']).map_or((v, ""), |(a, b)| (a, b));
        let rest = rest.replace("dues_unpaid", "chưa đóng đảng phí");
        match Attendance::from_code(code) {
            Some(a) => format!(
                "{}{}{}",
                crate::i18n::attendance(a),
                if rest.starts_with(' ') || rest.is_empty() {
                    ""
                } else {
                    " "
                },
                rest
            ),
            None => v.to_owned(),
        }
    } else {
        v.to_owned()
    }
}

fn name_of(v: &MeetingView, who: Option<MemberId>) -> String {
    who.and_then(|w| v.seats.iter().find(|(s, _)| s.member == w))
        .map(|(_, n)| n.clone())
        .unwrap_or_default()
}

pub(crate) async fn minutes_page(
    state: &AppState,
    id: i64,
    ok: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let v = state.app.meeting(&actor(), id).await?;
    let m = &v.meeting;
    let org = state
        .app
        .org_name(m.org, m.held_on)
        .await
        .unwrap_or_default();
    let parent_name = state
        .app
        .org(&actor(), m.org, m.held_on)
        .await
        .ok()
        .and_then(|o| o.ancestors.last().map(|(_, n)| n.clone()))
        .unwrap_or_default();
    let with = |a: Attendance| -> Vec<String> {
        v.seats
            .iter()
            .filter(|(s, _)| s.attendance == a)
            .map(|(s, n)| match &s.reason {
                Some(r) => format!("{n} ({r})"),
                None => n.clone(),
            })
            .collect()
    };
    let place_short = m.place.clone();
    let page = MinutesPage {
        id,
        org: m.org.0,
        org_name: org.clone(),
        parent_name,
        kind: crate::i18n::meeting_kind(m.kind),
        kind_upper: crate::i18n::meeting_kind(m.kind).to_uppercase(),
        place: place_short,
        date_line: format!(
            "ngày {:02} tháng {:02} năm {}",
            m.held_on.day(),
            m.held_on.month(),
            m.held_on.year()
        ),
        month_year: format!("{:02}/{}", m.held_on.month(), m.held_on.year()),
        time: format!("{} đến {}", m.starts_at, m.ends_at),
        ends: m.ends_at.clone(),
        minutes_long: v.minutes_long,
        chair: name_of(&v, m.chair),
        minute_taker: name_of(&v, m.minute_taker),
        guests: v
            .guests
            .iter()
            .map(|(_, n)| n.clone())
            .chain(m.superior_guests.clone())
            .collect::<Vec<_>>()
            .join(", "),
        topic: m.topic.clone().unwrap_or_default(),
        total: v
            .seats
            .iter()
            .filter(|(s, _)| s.attendance != Attendance::Attached)
            .count(),
        present: v
            .seats
            .iter()
            .filter(|(s, _)| s.attendance.present())
            .count(),
        exempt: with(Attendance::Exempt).len(),
        absent_excused: with(Attendance::AbsentExcused),
        absent_unexcused: with(Attendance::AbsentUnexcused),
        seats: v
            .seats
            .iter()
            .map(|(s, n)| SeatLine {
                name: n.clone(),
                attendance: crate::i18n::attendance(s.attendance),
                reason: s.reason.clone().unwrap_or_default(),
                dues: s.dues_paid,
            })
            .collect(),
        dues: crate::i18n::number(m.dues_collected),
        resolution: m.resolution.clone().unwrap_or_default(),
        votes: m.votes,
        voters: format!(
            "{}/{} đảng viên chính thức có mặt",
            v.quorum.present_voters, v.quorum.expected_voters
        ),
        passed: match v.passed {
            Some(true) => "Nghị quyết được thông qua.".into(),
            Some(false) => "Nghị quyết không được thông qua.".into(),
            None => String::new(),
        },
        flags: v
            .flags
            .iter()
            .map(|f| format!("{} ({})", crate::i18n::message(f.code), f.rule))
            .collect(),
        items: v
            .items
            .iter()
            .map(|i| {
                let t = crate::i18n::item_title(i.kind, &i.title);
                match &i.reference {
                    Some(r) => format!("{t} ({r})"),
                    None => t,
                }
            })
            .collect(),
        adopted: m.status == "adopted",
        tasks: v
            .tasks
            .iter()
            .map(|(_, n, t)| (n.clone(), t.clone()))
            .collect(),
        criteria: v
            .template
            .iter()
            .flat_map(|t| t.criteria.iter())
            .map(|c| CriterionLine {
                code: c.code.clone(),
                name: c.name.clone(),
                max: c.max,
                points: v
                    .score
                    .as_ref()
                    .and_then(|s| s.points.iter().find(|(k, _)| *k == c.code))
                    .map(|(_, p)| p.to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        template_name: v
            .template
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        score: match (&v.score, &v.template) {
            (Some(s), Some(t)) => format!(
                "{}/{} điểm — {}",
                s.total,
                t.max_total(),
                t.bands
                    .iter()
                    .find(|b| b.code == s.band)
                    .map_or(s.band.as_str(), |b| b.name.as_str())
            ),
            _ => String::new(),
        },
        corrections: v
            .corrections
            .iter()
            .map(|c| CorrectionLine {
                at: chrono::DateTime::parse_from_rfc3339(&c.recorded_at)
                    .map(|d| d.format("%d/%m/%Y %H:%M").to_string())
                    .unwrap_or_else(|_| c.recorded_at.clone()),
                by: c.recorded_by.clone(),
                field: correction_field(&c.field, &v),
                old: correction_value(&c.field, c.old_value.as_deref()),
                new: correction_value(&c.field, c.new_value.as_deref()),
                reason: c.reason.clone(),
                decision_ref: c.decision_ref.clone().unwrap_or_default(),
            })
            .collect(),
        members: v
            .seats
            .iter()
            .map(|(s, n)| Opt::id(s.member.0, n.clone()))
            .collect(),
        attendances: Attendance::ALL
            .iter()
            .map(|a| Opt::code(a.code(), crate::i18n::attendance(*a)))
            .collect(),
        ok,
        errors,
    };
    Ok((status, Html(render(&page))).into_response())
}

pub async fn minutes(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let ok = match q.ok.as_deref() {
        Some("recorded") => Some("Đã ghi biên bản; hãy kiểm tra rồi thông qua.".to_owned()),
        Some("adopted") => Some("Biên bản đã được thông qua và khóa.".to_owned()),
        Some("corrected") => Some("Đã ghi đính chính.".to_owned()),
        Some("edited") => Some("Đã sửa biên bản.".to_owned()),
        Some("scored") => Some("Đã chấm điểm chất lượng buổi sinh hoạt.".to_owned()),
        _ => None,
    };
    minutes_page(&state, id, ok, Vec::new(), StatusCode::OK).await
}

pub async fn adopt(State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let r = state
        .app
        .adopt_meeting(&actor(), id)
        .await
        .map(|()| format!("/sinh-hoat/{id}?ok=adopted"));
    finish(r, async |errors, status| {
        minutes_page(&state, id, None, errors, status).await
    })
    .await
}

// ---------------------------------------------------------------- API

pub(crate) fn meeting_json(v: &MeetingView) -> Value {
    let m = &v.meeting;
    json!({
        "id": m.id, "org": m.org.0, "kind": m.kind.code(), "held_on": m.held_on,
        "starts_at": m.starts_at, "ends_at": m.ends_at, "minutes_long": v.minutes_long,
        "place": m.place, "chair": m.chair.map(|x| x.0), "minute_taker": m.minute_taker.map(|x| x.0),
        "superior_guests": m.superior_guests, "topic": m.topic, "dues_collected": m.dues_collected,
        "resolution": m.resolution, "votes": m.votes.map(|(y, n, a)| json!({"yes": y, "no": n, "abstain": a})),
        "quorum": v.quorum, "passed": v.passed, "status": m.status,
        "flags": v.flags,
        "guests": v.guests.iter().map(|(g, n)| json!({"member": g.0, "name": n})).collect::<Vec<_>>(),
        "tasks": v.tasks.iter().map(|(g, n, t)| json!({"member": g.0, "name": n, "task": t})).collect::<Vec<_>>(),
        "score": v.score, "template": v.template.as_ref().map(|t| t.code.clone()),
        "corrections": v.corrections.iter().map(|c| json!({"field": c.field, "old_value": c.old_value, "new_value": c.new_value, "reason": c.reason, "decision_ref": c.decision_ref, "recorded_at": c.recorded_at, "recorded_by": c.recorded_by})).collect::<Vec<_>>(),
        "attendance": v.seats.iter().map(|(s, n)| json!({"member": s.member.0, "name": n, "attendance": s.attendance.code(), "reason": s.reason, "official": s.official, "dues_paid": s.dues_paid})).collect::<Vec<_>>(),
    })
}

/// Records a meeting: `org`, `kind` (regular, thematic, combined, extraordinary, assembly),
/// `held_on`, `starts_at`/`ends_at` (HH:MM), `place`, `chair`, `minute_taker`,
/// `superior_guests`, `topic`, `dues_collected`, `attendance` (every member on the rolls:
/// `{member, attendance, reason, dues_paid}`), `resolution`, `votes_yes`/`votes_no`/`votes_abstain`.
#[utoipa::path(post, path = "/api/v1/meetings", responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_record(State(state): State<AppState>, Json(body): Json<Value>) -> ApiResult {
    let mut f = Fields::from_json(&body);
    json_extras(&body, &mut f);
    let org = crate::input::org_ref(&f, "org").map_err(|e| invalid(vec![e]))?;
    let m = meeting_input(&f, org, json_seats(&body)?)?;
    let (id, flags) = state.app.record_meeting(&actor(), m).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "flags": flags}))).into_response())
}

/// A meeting with its attendance, quorum, vote and flags.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_meeting(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let v = state.app.meeting(&actor(), id).await?;
    Ok(Json(meeting_json(&v)).into_response())
}

/// Adopts the minutes; they are locked afterwards.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/adopt", params(("id" = i64, Path)), responses((status = 200), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_adopt(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    state.app.adopt_meeting(&actor(), id).await?;
    Ok(Json(json!({"ok": true})).into_response())
}

/// An organisation's meetings of a year (`?nam=`), the months and quarters missing (R16).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_org_meetings(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    let a = actor();
    let today = state.app.clock.today();
    let year = q.nam.unwrap_or_else(|| today.year());
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today);
    let ms = state.app.meetings_of(&a, OrgId(id), from, to).await?;
    let due = state.app.meetings_due(&a, OrgId(id), from, to).await?;
    Ok(Json(json!({
        "org": id, "year": year,
        "meetings": ms.iter().map(|m| json!({"id": m.id, "kind": m.kind.code(), "held_on": m.held_on, "starts_at": m.starts_at, "ends_at": m.ends_at, "status": m.status})).collect::<Vec<_>>(),
        "due": due,
    }))
    .into_response())
}

fn month_field(f: &Fields) -> Result<(i32, u32), FieldError> {
    let v = f.get("month");
    let (m, y) = v
        .trim()
        .split_once('/')
        .ok_or(FieldError::new("month", "month_format"))?;
    let (m, y) = (m.trim().parse::<u32>(), y.trim().parse::<i32>());
    match (m, y) {
        (Ok(m), Ok(y)) if (1..=12).contains(&m) && (2000..=2100).contains(&y) => Ok((y, m)),
        _ => Err(FieldError::new("month", "month_format")),
    }
}

fn item_kind(f: &Fields) -> Result<ItemKind, FieldError> {
    ItemKind::from_code(f.get("item_kind").trim()).ok_or(FieldError::new("item_kind", "invalid"))
}

/// The month and the catalogue kind of an item, both checked.
fn month_and_kind(f: &Fields) -> Result<((i32, u32), ItemKind), AppError> {
    match (month_field(f), item_kind(f)) {
        (Ok(m), Ok(k)) => Ok((m, k)),
        (m, k) => Err(invalid([m.err(), k.err()].into_iter().flatten().collect())),
    }
}

async fn add_item_from(state: &AppState, org: OrgId, f: &Fields) -> Result<i64, AppError> {
    let (month, kind) = month_and_kind(f)?;
    state
        .app
        .add_programme_item(
            &actor(),
            org,
            month,
            kind,
            &f.get("title"),
            &f.get("reference"),
        )
        .await
}

async fn push_from(state: &AppState, org: OrgId, f: &Fields) -> Result<(i64, usize), AppError> {
    let (month, kind) = month_and_kind(f)?;
    state
        .app
        .push_programme_item(
            &actor(),
            org,
            month,
            kind,
            &f.get("title"),
            &f.get("reference"),
        )
        .await
}

/// Adds an item to the cell's programme, from the meetings page.
pub async fn add_item(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = add_item_from(&state, OrgId(id), &f)
        .await
        .map(|_| format!("/to-chuc/{id}/sinh-hoat?ok=item"));
    let year = state.app.clock.today().year();
    finish(r, async |errors, status| {
        meetings_page(&state, OrgId(id), year, errors, None, f, status).await
    })
    .await
}

pub struct PushLine {
    pub id: i64,
    pub month: String,
    pub title: String,
    pub reference: String,
    pub cells: Vec<(i64, String, &'static str)>,
    pub scheduled: usize,
    pub held: usize,
}

#[derive(Template)]
#[template(path = "programme.html")]
pub struct PushesPage {
    pub org: i64,
    pub org_name: String,
    pub pushes: Vec<PushLine>,
    pub item_kinds: Vec<Opt>,
    pub errors: Vec<String>,
    pub ok: Option<String>,
    pub echo: Fields,
}

impl PushesPage {
    pub fn v(&self, k: &str) -> String {
        self.echo.get(k)
    }
}

async fn pushes_page(
    state: &AppState,
    org: OrgId,
    errors: Vec<String>,
    ok: Option<String>,
    echo: Fields,
    status: StatusCode,
) -> PageResult {
    let a = actor();
    let mut pushes = Vec::new();
    for p in state.app.pushes(&a, org).await? {
        let (_, cells) = state.app.push_status(&a, p.id).await?;
        pushes.push(PushLine {
            id: p.id,
            month: p.month.clone(),
            title: crate::i18n::item_title(p.kind, &p.title),
            reference: p.reference.clone().unwrap_or_default(),
            scheduled: cells
                .iter()
                .filter(|(_, _, s)| *s != PushState::NotScheduled)
                .count(),
            held: cells
                .iter()
                .filter(|(_, _, s)| *s == PushState::Held)
                .count(),
            cells: cells
                .into_iter()
                .map(|(o, n, s)| {
                    (
                        o.0,
                        n,
                        match s {
                            PushState::NotScheduled => "Chưa đưa vào chương trình",
                            PushState::Scheduled => "Đã đưa vào chương trình, chưa sinh hoạt",
                            PushState::Held => "Đã sinh hoạt",
                        },
                    )
                })
                .collect(),
        });
    }
    let page = PushesPage {
        org: org.0,
        org_name: state
            .app
            .org_name(org, state.app.clock.today())
            .await
            .unwrap_or_default(),
        pushes,
        item_kinds: ItemKind::ALL
            .iter()
            .map(|k| Opt::code(k.code(), crate::i18n::item_kind(*k)))
            .collect(),
        errors,
        ok,
        echo,
    };
    Ok((status, Html(render(&page))).into_response())
}

/// A superior committee's items pushed to its cells, with each cell's state.
pub async fn pushes(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let ok =
        q.ok.as_deref()
            .map(|_| "Đã đưa nội dung vào chương trình của các chi bộ.".to_owned());
    pushes_page(
        &state,
        OrgId(id),
        Vec::new(),
        ok,
        Fields::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn push(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let r = push_from(&state, OrgId(id), &f)
        .await
        .map(|_| format!("/to-chuc/{id}/chuong-trinh?ok=pushed"));
    finish(r, async |errors, status| {
        pushes_page(&state, OrgId(id), errors, None, f, status).await
    })
    .await
}

/// Pushes an item to every cell below (`month` "mm/yyyy", `item_kind`, `title`, `reference`).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/programme/pushes", params(("id" = i64, Path)), responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_push(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let (push, cells) = push_from(&state, OrgId(id), &Fields::from_json(&body)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": push, "cells": cells})),
    )
        .into_response())
}

/// A push and each cell's state: not scheduled, scheduled, held.
#[utoipa::path(get, path = "/api/v1/programme/pushes/{id}", params(("id" = i64, Path)), responses((status = 200), (status = 404, body = crate::error::ApiErrorBody)))]
pub async fn api_push_status(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let (p, cells) = state.app.push_status(&actor(), id).await?;
    Ok(Json(json!({
        "id": p.id, "org": p.org.0, "month": p.month, "kind": p.kind.code(), "title": p.title, "reference": p.reference,
        "cells": cells.iter().map(|(o, n, s)| json!({"org": o.0, "name": n, "state": s})).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// Adds an item to an organisation's programme (`month` "mm/yyyy", `item_kind`, `title`,
/// `reference`).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/programme", params(("id" = i64, Path)), responses((status = 201), (status = 400, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)))]
pub async fn api_add_item(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> ApiResult {
    let item = add_item_from(&state, OrgId(id), &Fields::from_json(&body)).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": item}))).into_response())
}

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
#[template(path = "residence.html")]
pub struct ResidencePage {
    pub org: i64,
    pub org_name: String,
    pub year: i32,
    pub links: Vec<LinkLine>,
    pub cells: Vec<Opt>,
    pub halves_missing: Vec<String>,
    pub today: String,
    pub errors: Vec<String>,
    pub ok: Option<String>,
}

async fn residence_page(
    state: &AppState,
    org: OrgId,
    year: i32,
    errors: Vec<String>,
    ok: Option<String>,
    status: StatusCode,
) -> PageResult {
    let a = actor();
    let today = state.app.clock.today();
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today);
    let v = state.app.residence_view(&a, org, from, to).await?;
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
        org: org.0,
        org_name: state.app.org_name(org, today).await.unwrap_or_default(),
        year,
        links,
        cells,
        halves_missing: v.halves_missing.iter().map(half_year).collect(),
        today: vn(today),
        errors,
        ok,
    };
    Ok((status, Html(render(&page))).into_response())
}

/// A residence committee's attached members, half-yearly meetings and comments.
pub async fn residence(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.nam.unwrap_or_else(|| state.app.clock.today().year());
    let ok = q.ok.as_deref().map(|_| "Đã ghi.".to_owned());
    residence_page(&state, OrgId(id), year, Vec::new(), ok, StatusCode::OK).await
}

/// The residence page's forms: attach, record the half-yearly meeting, write and certify a
/// comment.
pub async fn residence_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields::from_pairs(pairs);
    let a = actor();
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
    finish(r, async |errors, status| {
        residence_page(&state, OrgId(id), year, errors, None, status).await
    })
    .await
}
