//! Changing a meeting's record: edits of a draft, corrections of adopted minutes with their
//! reason and document (R15), each seat re-checked against the sitting's rules (R19); and the
//! quality score of a meeting under the template of its date.

use dangvu_domain::decision::Decision;
use dangvu_domain::meeting::{Attendance, Score, SittingFault, check_sitting, template_on};
use dangvu_domain::member::Status;
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::meetings::{self as store, Seat};
use dangvu_store::members as mstore;
use serde_json::json;

use super::{MeetingChange, sitters, time};
use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

impl App {
    /// Changes a recorded meeting. Before adoption this is an edit; after it, a correction
    /// (R15) that needs its reason and keeps the old value beside the new. Either way the
    /// meeting must still hold: times in order, a place, an excused absence with its reason, the
    /// chair and minute-taker present, the votes within the official members present.
    pub async fn change_meeting(
        &self,
        actor: &Actor,
        id: i64,
        change: MeetingChange,
        reason: &str,
        decision: &Decision,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let (m, seats) = store::meeting(&mut tx, id)
            .await
            .map_err(|_| AppError::NotFound("meeting"))?;
        self.require_org_write_as(actor, m.org, "meeting")?;
        let adopted = m.status == "adopted";
        let reason = clean(reason);
        if adopted && reason.is_empty() {
            return Err(DomainError::Invalid(vec![FieldError::new("reason", "required")]).into());
        }
        decision.check(self.clock.today(), false)?;
        let (field, old, new) = match change {
            MeetingChange::Text { field, value } => {
                let Some(col) = store::TEXT_FIELDS.iter().find(|f| **f == field) else {
                    return Err(
                        DomainError::Invalid(vec![FieldError::new("field", "invalid")]).into(),
                    );
                };
                let value = if *col == "resolution" {
                    value.trim().to_owned()
                } else {
                    clean(&value)
                };
                let old = match *col {
                    "place" => Some(m.place.clone()),
                    "topic" => m.topic.clone(),
                    "resolution" => m.resolution.clone(),
                    "superior_guests" => m.superior_guests.clone(),
                    "starts_at" => Some(m.starts_at.clone()),
                    _ => Some(m.ends_at.clone()),
                };
                let new = match *col {
                    "starts_at" | "ends_at" => {
                        let t = time(col, &value).map_err(|e| DomainError::Invalid(vec![e]))?;
                        let (s, e) = if *col == "starts_at" {
                            (Some(t), time("ends_at", &m.ends_at).ok())
                        } else {
                            (time("starts_at", &m.starts_at).ok(), Some(t))
                        };
                        if let (Some(s), Some(e)) = (s, e)
                            && e <= s
                        {
                            return Err(DomainError::Invalid(vec![FieldError::new(
                                "ends_at",
                                "time_before_start",
                            )])
                            .into());
                        }
                        Some(t.format("%H:%M").to_string())
                    }
                    "place" if value.is_empty() => {
                        return Err(DomainError::Invalid(vec![FieldError::new(
                            "place", "required",
                        )])
                        .into());
                    }
                    _ => Some(value).filter(|v| !v.is_empty()),
                };
                store::set_text(&mut tx, id, col, new.as_deref()).await?;
                (col.to_string(), old, new)
            }
            MeetingChange::Seat(s) => {
                let Some(line) = seats.iter().find(|x| x.member == s.member) else {
                    return Err(DomainError::rule_on("member_not_in_meeting", "member").into());
                };
                let absence = clean(&s.reason);
                if s.attendance == Attendance::AbsentExcused && absence.is_empty() {
                    return Err(
                        DomainError::Invalid(vec![FieldError::new("absence", "required")]).into(),
                    );
                }
                if (s.attendance == Attendance::Attached)
                    != (line.attendance == Attendance::Attached)
                {
                    return Err(DomainError::rule_on("member_not_in_org", "attendance").into());
                }
                if s.attendance == Attendance::Exempt {
                    let roll = mstore::roll_on(&mut tx, m.org, m.held_on).await?;
                    if !roll
                        .iter()
                        .any(|(r, _, st, _)| *r == s.member && *st == Status::Exempt)
                    {
                        return Err(DomainError::rule_on("not_exempt", "attendance").into());
                    }
                }
                let next = Seat {
                    member: s.member,
                    attendance: s.attendance,
                    reason: Some(absence).filter(|r| !r.is_empty()),
                    official: line.official,
                    dues_paid: s.dues_paid,
                };
                let after: Vec<Seat> = seats
                    .iter()
                    .map(|x| {
                        if x.member == s.member {
                            next.clone()
                        } else {
                            x.clone()
                        }
                    })
                    .collect();
                let c = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
                let votes = m.votes.map(|(y, n, a)| (c(y), c(n), c(a)));
                check_sitting(&sitters(&after), m.chair, m.minute_taker, votes).map_err(
                    |f| match f {
                        SittingFault::ChairAbsent | SittingFault::MinuteTakerAbsent => {
                            DomainError::rule_on("chair_absent", "attendance")
                        }
                        SittingFault::Votes(code) => DomainError::rule_on(code, "attendance"),
                        SittingFault::NoQuorum => DomainError::rule_on("no_quorum", "attendance"),
                    },
                )?;
                store::set_seat(&mut tx, id, &next).await?;
                if next.dues_paid && !line.dues_paid {
                    crate::dues::collect_at_meeting(
                        self,
                        &mut tx,
                        actor,
                        id,
                        m.org,
                        m.held_on,
                        &[s.member],
                    )
                    .await?;
                } else if !next.dues_paid && line.dues_paid {
                    crate::dues::uncollect_at_meeting(self, &mut tx, id, s.member).await?;
                }
                let show = |x: &Seat| {
                    format!(
                        "{}{}{}",
                        x.attendance.code(),
                        x.reason
                            .as_deref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default(),
                        if x.dues_paid { "" } else { ", dues_unpaid" }
                    )
                };
                (
                    format!("attendance:{}", s.member.0),
                    Some(show(line)),
                    Some(show(&next)),
                )
            }
        };
        if adopted {
            let correction = store::Correction {
                field: field.clone(),
                old_value: old.clone(),
                new_value: new.clone(),
                reason: reason.clone(),
                ..store::Correction::blank(store::OfMeeting { meeting: id })
            }
            .decided(decision);
            self.write_correction(&mut tx, actor, correction).await?;
        }
        self.commit_audited(
            tx,
            actor,
            (if adopted {
                Action::MeetingCorrect
            } else {
                Action::MeetingEdit
            })
            .on("org", m.org.0)
            .before(Some(json!({"meeting": id, "field": field, "value": old})))
            .after(Some(json!({"meeting": id, "field": field, "value": new})))
            .reason(Some(reason.as_str()).filter(|r| !r.is_empty()))
            .decision(decision.reference.as_deref()),
            (),
        )
        .await
    }

    /// Scores a meeting's quality under the template of its date (any time: the score is an
    /// assessment of the meeting, not part of its minutes); a new score replaces the old, both
    /// kept in the audit trail.
    pub async fn score_meeting(
        &self,
        actor: &Actor,
        id: i64,
        points: &[(String, u32)],
    ) -> AppResult<Score> {
        let mut tx = self.store.begin().await?;
        let (m, _) = store::meeting(&mut tx, id)
            .await
            .map_err(|_| AppError::NotFound("meeting"))?;
        self.require_org_write_as(actor, m.org, "meeting")?;
        let templates = store::templates(&mut tx).await?;
        let old = match store::scores_of(&mut tx, id).await? {
            Some((tid, p)) => templates
                .iter()
                .find(|t| t.id == tid)
                .and_then(|t| t.score(&p).ok()),
            None => None,
        };
        let t = template_on(&templates, m.held_on).ok_or(AppError::Domain(
            DomainError::rule_on("no_template", "score"),
        ))?;
        let score = t.score(points)?;
        store::put_scores(&mut tx, id, &score).await?;
        self.commit_audited(
            tx,
            actor,
            Action::MeetingScore
                .on("org", m.org.0)
                .before(old.map(|o| json!({"meeting": id, "total": o.total, "band": o.band})))
                .after(Some(json!({"meeting": id, "template": t.code, "total": score.total, "band": score.band}))),
            score,
        )
        .await
    }
}
