//! A meeting's input (R16–R19), from a form or a JSON body: the record, attendance, scores,
//! and the programme's month and item kind.

use crate::input::Fields;
use crate::input::invalid;
use dangvu_app::AppError;
use dangvu_app::meetings::{MeetingView, NewMeeting, SeatInput, Sitting};
use dangvu_app::programme::ItemInput;
use dangvu_domain::date::parse_date;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, ItemKind, MeetingKind};
use serde_json::{Value, json};

pub(crate) fn opt_member(f: &Fields, name: &'static str) -> Result<Option<MemberId>, FieldError> {
    match f.opt(name) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(|i| Some(MemberId(i)))
            .map_err(|_| FieldError::new(name, "invalid")),
    }
}

pub(crate) fn count(f: &Fields, name: &'static str) -> Result<Option<u32>, FieldError> {
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
        sitting: Sitting {
            org,
            kind,
            held_on,
            starts_at: f.get("starts_at"),
            ends_at: f.get("ends_at"),
            place: f.get("place"),
            chair,
            minute_taker,
        },
        superior_guests: f.get("superior_guests"),
        topic: f.get("topic"),
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
pub(crate) fn form_seats(f: &Fields) -> Result<Vec<SeatInput>, AppError> {
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
pub(crate) fn json_seats(body: &Value) -> Result<Vec<SeatInput>, AppError> {
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

pub(crate) fn month_field(f: &Fields) -> Result<(i32, u32), FieldError> {
    use chrono::Datelike;
    dangvu_domain::date::parse_month("month", &f.get("month")).map(|d| (d.year(), d.month()))
}

pub(crate) fn item_kind(f: &Fields) -> Result<ItemKind, FieldError> {
    ItemKind::from_code(f.get("item_kind").trim()).ok_or(FieldError::new("item_kind", "invalid"))
}

/// The month and the catalogue kind of an item, both checked.
/// A programme item: `month`, `kind`, `title`, `reference`.
pub(crate) fn item_input(f: &Fields) -> Result<ItemInput, AppError> {
    let (month, kind) = super::both(month_field(f), item_kind(f))?;
    Ok(ItemInput::new(
        month,
        kind,
        &f.get("title"),
        &f.get("reference"),
    ))
}
