//! A meeting's minutes: attendance, quorum, vote and flags, adoption, corrections after
//! adoption and the quality score (R17–R19).

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::extract::Page;
use crate::html::PageResult;
use crate::html::meetings::YearQuery;
use crate::html::shown;
use crate::input::Fields;
use crate::input::invalid;
use crate::input::meeting::score_fields;
use crate::session::CurrentActor;
use crate::view::Feedback;
use crate::view::Opt;
use askama::Template;
use axum::extract::Path;
use chrono::Datelike;
use dangvu_app::AppError;
use dangvu_app::meetings::{MeetingChange, MeetingView, SeatInput};
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::MemberId;
use dangvu_domain::meeting::Attendance;

pub struct SeatLine {
    pub name: String,
    pub attendance: &'static str,
    pub reason: String,
    pub dues: bool,
}

#[derive(Template)]
#[template(path = "meetings/meeting.html")]
pub struct MinutesPage {
    pub me: CurrentActor,
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
    pub feedback: Feedback,
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
pub(crate) fn correction_field(field: &str, v: &MeetingView) -> String {
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
pub(crate) fn correction_value(field: &str, value: Option<&str>) -> String {
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

pub(crate) fn name_of(v: &MeetingView, who: Option<MemberId>) -> String {
    who.and_then(|w| v.seats.iter().find(|(s, _)| s.member == w))
        .map(|(_, n)| n.clone())
        .unwrap_or_default()
}

pub(crate) async fn minutes_page(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    fb: Feedback,
) -> PageResult {
    let v = state.app.meeting(&me.actor(), id).await?;
    let m = &v.meeting;
    let org = state
        .app
        .org_name(m.org, m.held_on)
        .await
        .unwrap_or_default();
    let parent_name = state
        .app
        .org(&me.actor(), m.org, m.held_on)
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
        me: me.clone(),
        id,
        org: m.org.0,
        org_name: org.clone(),
        parent_name,
        kind: crate::i18n::meeting_kind(m.kind),
        kind_upper: crate::i18n::meeting_kind(m.kind).to_uppercase(),
        place: place_short,
        date_line: crate::view::long_date(m.held_on),
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
                decision_ref: crate::view::decision_text(
                    c.decision_ref.as_deref(),
                    c.decided_by.as_deref(),
                    c.decided_on,
                ),
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
        feedback: fb,
    };
    shown(page.feedback.status, &page)
}

pub async fn minutes(Cx(me, state): Cx, Page(id, q): Page<YearQuery>) -> PageResult {
    let fb = q.notice(&[
        ("recorded", "Đã ghi biên bản; hãy kiểm tra rồi thông qua."),
        ("adopted", "Biên bản đã được thông qua và khóa."),
        ("corrected", "Đã ghi đính chính."),
        ("edited", "Đã sửa biên bản."),
        ("scored", "Đã chấm điểm chất lượng buổi sinh hoạt."),
    ]);
    minutes_page(&me, &state, id, fb).await
}

pub async fn adopt(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let r = state
        .app
        .adopt_meeting(&me.actor(), id)
        .await
        .map(|()| format!("/sinh-hoat/{id}?ok=adopted"));
    finish(r, Fields::default(), async |fb| {
        minutes_page(&me, &state, id, fb).await
    })
    .await
}

/// A change from a form's or a JSON body's fields: `field` (`resolution`, `place`, `topic`,
/// `superior_guests`, `starts_at`, `ends_at`, `attendance`) and `value`; for
/// `attendance`, `member`, `attendance` (the code), `absence` (its reason) and `dues_paid`.
pub(crate) fn change_of(f: &Fields) -> Result<MeetingChange, AppError> {
    match f.get("field").trim() {
        "" => Err(invalid(vec![FieldError::new("field", "required")])),
        // The total is the sum of the meeting's ledger rows: a member's tick changes it.
        "dues_collected" => Err(AppError::Domain(
            dangvu_domain::error::DomainError::rule_on("dues_in_ledger", "dues_collected"),
        )),
        "attendance" => {
            let member = f
                .get("member")
                .trim()
                .parse::<i64>()
                .map(MemberId)
                .map_err(|_| invalid(vec![FieldError::new("member", "required")]))?;
            let attendance = Attendance::from_code(f.get("attendance").trim())
                .ok_or_else(|| invalid(vec![FieldError::new("attendance", "invalid")]))?;
            Ok(MeetingChange::Seat(SeatInput {
                member,
                attendance,
                reason: f.get("absence"),
                dues_paid: dangvu_domain::text::truthy(&f.get("dues_paid")),
            }))
        }
        other => Ok(MeetingChange::Text {
            field: other.to_owned(),
            value: f.get("value"),
        }),
    }
}

/// The change the fields describe, with its reason and document, applied.
pub(crate) async fn apply_change(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<(), AppError> {
    state
        .app
        .change_meeting(
            &me.actor(),
            id,
            change_of(f)?,
            &f.get("reason"),
            &crate::input::decision(f)?,
        )
        .await
}

/// Edits or corrects the minutes, from the minutes page.
pub async fn change(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = async {
        let adopted = state.app.meeting(&me.actor(), id).await?.meeting.status == "adopted";
        apply_change(&me, &state, id, &f).await?;
        Ok::<_, AppError>(format!(
            "/sinh-hoat/{id}?ok={}",
            if adopted { "corrected" } else { "edited" }
        ))
    }
    .await;
    finish(r, Fields::default(), async |fb| {
        minutes_page(&me, &state, id, fb).await
    })
    .await
}

/// Scores the meeting, from the minutes page.
pub async fn score(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = async {
        let points = score_fields(&f).map_err(|e| invalid(vec![e]))?;
        state.app.score_meeting(&me.actor(), id, &points).await?;
        Ok::<_, AppError>(format!("/sinh-hoat/{id}?ok=scored"))
    }
    .await;
    finish(r, Fields::default(), async |fb| {
        minutes_page(&me, &state, id, fb).await
    })
    .await
}
