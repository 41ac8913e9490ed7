//! Cell meetings: recording a meeting with the attendance of every member
//! on the cell's rolls that day, its vote within the quorum, the length check of its date (R16,
//! R18, R19); what fell due and what is missing over a cell's life; the 3-month flags of a member
//! (R11), shown to the cell committee and never acted on.

use crate::committed;
use chrono::{NaiveDate, NaiveTime};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{
    Attendance, DueReport, Flag, Lapse, MeetingKind, Quorum, Score, ScoringTemplate, Sitter,
    SittingFault, assemblies_missing, check_sitting, due_meetings, duration_flag, quorum,
    removal_flags, template_on, vote_passes,
};
use dangvu_domain::member::{Status, attached_cell};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
pub use dangvu_store::meetings::Sitting;
use dangvu_store::meetings::{self as store, Meeting, Seat};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

mod changes;

/// A member's line as the secretary records it.
#[derive(Debug, Clone)]
pub struct SeatInput {
    pub member: MemberId,
    pub attendance: Attendance,
    pub reason: String,
    pub dues_paid: bool,
}

/// A meeting to record.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// The times as typed ("HH:MM"), checked when the meeting is recorded.
    pub sitting: Sitting,
    pub superior_guests: String,
    pub topic: String,
    /// Who paid dues at the meeting is `dues_paid` of each seat: the ledger records the month
    /// for each of them and the meeting's "dues collected" is the sum of those rows.
    pub seats: Vec<SeatInput>,
    pub resolution: String,
    /// For, against, abstaining.
    pub votes: Option<(u32, u32, u32)>,
    /// The programme items the meeting took up (R17): items of this organisation.
    pub items: Vec<i64>,
    /// The superior committee members who attended (members of a committee above the cell).
    pub guests: Vec<MemberId>,
    /// Tasks for next month, each to a named member of the meeting.
    pub tasks: Vec<(MemberId, String)>,
    /// The quality score under the template of the meeting's date, when scored now:
    /// points per criterion code.
    pub scores: Vec<(String, u32)>,
}

impl std::ops::Deref for NewMeeting {
    type Target = Sitting;
    fn deref(&self) -> &Sitting {
        &self.sitting
    }
}

impl std::ops::DerefMut for NewMeeting {
    fn deref_mut(&mut self) -> &mut Sitting {
        &mut self.sitting
    }
}

/// A recorded meeting with what the rules say of it.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub seats: Vec<(Seat, String)>,
    pub minutes_long: u32,
    pub quorum: Quorum,
    pub passed: Option<bool>,
    pub flags: Vec<Flag>,
    /// The programme items it took up (R17).
    pub items: Vec<dangvu_store::programme::Item>,
    /// The superior committee members who attended.
    pub guests: Vec<(MemberId, String)>,
    /// Tasks for next month: member, name, task.
    pub tasks: Vec<(MemberId, String, String)>,
    /// The template of the meeting's date and the score, when scored.
    pub template: Option<ScoringTemplate>,
    pub score: Option<Score>,
    /// Changes recorded after adoption (R15).
    pub corrections: Vec<store::Correction>,
}

/// A change to a recorded meeting: before adoption an edit, after it a correction with its
/// reason (R15).
#[derive(Debug, Clone)]
pub enum MeetingChange {
    /// One of `place`, `topic`, `resolution`, `superior_guests`, `starts_at`, `ends_at`.
    Text { field: String, value: String },
    /// One member's attendance line.
    Seat(SeatInput),
}

fn time(field: &'static str, s: &str) -> Result<NaiveTime, FieldError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| FieldError::new(field, "time_format"))
}

fn minutes(start: NaiveTime, end: NaiveTime) -> u32 {
    u32::try_from((end - start).num_minutes()).unwrap_or(0)
}

/// A stored meeting's length in minutes ("HH:MM" to "HH:MM"; 0 when unreadable).
pub(crate) fn length_of(m: &Meeting) -> u32 {
    match (time("starts_at", &m.starts_at), time("ends_at", &m.ends_at)) {
        (Ok(s), Ok(e)) => minutes(s, e),
        _ => 0,
    }
}

impl App {
    /// Records a meeting (R19): every member on the cell's rolls that day has her line (an
    /// exempt member may be marked exempt, nobody else), an excused absence names its reason,
    /// the chair and the minute-taker were present, the votes do not exceed the official members
    /// present and the quorum is reached for a resolution. One transaction, audited. Returns the
    /// meeting and the flags of its date's rules (R18: too short).
    pub async fn record_meeting(
        &self,
        actor: &Actor,
        m: NewMeeting,
    ) -> AppResult<(i64, Vec<Flag>)> {
        self.require_org_write(actor, m.org)?;
        let mut errors = Vec::new();
        let start = time("starts_at", &m.starts_at)
            .map_err(|e| errors.push(e))
            .ok();
        let end = time("ends_at", &m.ends_at).map_err(|e| errors.push(e)).ok();
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            errors.push(FieldError::new("ends_at", "time_before_start"));
        }
        if clean(&m.place).is_empty() {
            errors.push(FieldError::new("place", "required"));
        }
        for s in &m.seats {
            if s.attendance == Attendance::AbsentExcused && clean(&s.reason).is_empty() {
                errors.push(FieldError::new("reason", "required"));
                break;
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let mut tx = self.store.begin().await?;
        let (id, flags) = self.record_meeting_in(&mut tx, actor, m).await?;
        committed(tx, (id, flags)).await
    }

    /// [`App::record_meeting`] inside the caller's transaction (the demo records a cell's year
    /// in one).
    pub(crate) async fn record_meeting_in(
        &self,
        tx: &mut dangvu_store::Conn,
        actor: &Actor,
        m: NewMeeting,
    ) -> AppResult<(i64, Vec<Flag>)> {
        self.require_org_write(actor, m.org)?;
        let (start, end) = match (time("starts_at", &m.starts_at), time("ends_at", &m.ends_at)) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => {
                return Err(DomainError::Invalid(
                    [s.err(), e.err()].into_iter().flatten().collect(),
                )
                .into());
            }
        };
        let org = ostore::period_on(&mut *tx, m.org, m.held_on)
            .await?
            .ok_or(AppError::Domain(DomainError::rule_on(
                "org_not_active",
                "held_on",
            )))?;
        let fits = match m.kind {
            MeetingKind::Assembly => org.kind.is_grassroots() && !org.kind.is_cell(),
            _ => org.kind.is_cell(),
        };
        if !fits {
            return Err(DomainError::rule_on("meeting_kind_not_for_org", "kind").into());
        }
        // The rolls that day, each member's standing as her timeline projects it.
        let roll = mstore::roll_on(&mut *tx, m.org, m.held_on).await?;
        let mut seats = Vec::with_capacity(m.seats.len());
        for (member, _, status, official) in &roll {
            let given = m
                .seats
                .iter()
                .find(|s| s.member == *member)
                .ok_or(AppError::Domain(DomainError::rule_on(
                    "attendance_incomplete",
                    "attendance",
                )))?;
            if given.attendance == Attendance::Exempt && *status != Status::Exempt {
                return Err(DomainError::rule_on("not_exempt", "attendance").into());
            }
            seats.push(Seat {
                member: *member,
                attendance: given.attendance,
                reason: Some(clean(&given.reason)).filter(|r| !r.is_empty()),
                official: *official,
                dues_paid: given.dues_paid,
            });
        }
        // Members attached from elsewhere (R10) attend but are not on these rolls: only those
        // whose temporary transfer names this cell on the day. Any other id, a stranger's or
        // one nobody uses, gets the same answer.
        for s in m
            .seats
            .iter()
            .filter(|s| !roll.iter().any(|(r, ..)| *r == s.member))
        {
            let events: Vec<_> = mstore::events_of(&mut *tx, s.member)
                .await?
                .into_iter()
                .map(|e| e.event)
                .collect();
            if s.attendance != Attendance::Attached
                || attached_cell(&events, m.held_on) != Some(m.org)
            {
                return Err(DomainError::rule_on("member_not_in_org", "attendance").into());
            }
            seats.push(Seat {
                member: s.member,
                attendance: Attendance::Attached,
                reason: None,
                official: false,
                dues_paid: s.dues_paid,
            });
        }
        check_sitting(&sitters(&seats), m.chair, m.minute_taker, m.votes).map_err(|f| match f {
            SittingFault::ChairAbsent => DomainError::rule_on("chair_absent", "chair"),
            SittingFault::MinuteTakerAbsent => {
                DomainError::rule_on("minute_taker_absent", "minute_taker")
            }
            SittingFault::Votes(code) => DomainError::rule_on(code, "votes"),
            SittingFault::NoQuorum => DomainError::rule_on("no_quorum", "votes"),
        })?;
        let record = Meeting {
            id: 0,
            sitting: Sitting {
                starts_at: start.format("%H:%M").to_string(),
                ends_at: end.format("%H:%M").to_string(),
                place: clean(&m.place),
                ..m.sitting.clone()
            },
            superior_guests: Some(clean(&m.superior_guests)).filter(|s| !s.is_empty()),
            topic: Some(clean(&m.topic)).filter(|s| !s.is_empty()),
            dues_collected: 0,
            resolution: Some(m.resolution.trim().to_owned()).filter(|s| !s.is_empty()),
            votes: m
                .votes
                .map(|(y, n, a)| (i64::from(y), i64::from(n), i64::from(a))),
            status: "draft".into(),
        };
        // Tasks go to members of the meeting, each with its text.
        let mut tasks = Vec::with_capacity(m.tasks.len());
        for (who, task) in &m.tasks {
            let task = clean(task);
            if task.is_empty() {
                return Err(DomainError::rule_on("task_empty", "tasks").into());
            }
            if !seats.iter().any(|s| s.member == *who) {
                return Err(DomainError::rule_on("task_member_not_in_meeting", "tasks").into());
            }
            tasks.push((*who, task));
        }
        // Guests are members of a committee above the cell that day.
        let mut guests = m.guests.clone();
        guests.sort_unstable();
        guests.dedup();
        if !guests.is_empty() {
            let superior = superior_committee(&mut *tx, m.org, m.held_on).await?;
            if guests
                .iter()
                .any(|g| !superior.iter().any(|h| h.member == *g))
            {
                return Err(DomainError::rule_on("guest_not_superior", "guests").into());
            }
        }
        let score = if m.scores.is_empty() {
            None
        } else {
            let templates = store::templates(&mut *tx).await?;
            let t = template_on(&templates, m.held_on).ok_or(AppError::Domain(
                DomainError::rule_on("no_template", "score"),
            ))?;
            Some(t.score(&m.scores)?)
        };
        let id =
            store::insert_meeting(&mut *tx, &record, &seats, &self.now_text(), &actor.name).await?;
        store::insert_guests_and_tasks(&mut *tx, id, &guests, &tasks).await?;
        if let Some(sc) = &score {
            store::put_scores(&mut *tx, id, sc).await?;
        }
        // The programme items it took up must be this organisation's (R17).
        for i in &m.items {
            let item = dangvu_store::programme::item(&mut *tx, *i).await?;
            if item.is_none_or(|it| it.org != m.org) {
                return Err(DomainError::rule_on("item_not_in_programme", "items").into());
            }
        }
        let mut items = m.items.clone();
        items.sort_unstable();
        items.dedup();
        dangvu_store::programme::link(&mut *tx, id, &items).await?;
        let paid: Vec<MemberId> = seats
            .iter()
            .filter(|s| s.dues_paid)
            .map(|s| s.member)
            .collect();
        let dues =
            crate::dues::collect_at_meeting(self, &mut *tx, actor, id, m.org, m.held_on, &paid)
                .await?;
        self.audit(
            &mut *tx,
            actor,
            Action::MeetingRecord
                .on("org", m.org.0)
                .after(Some(json!({"meeting": id, "kind": m.kind.code(), "held_on": m.held_on.to_string(), "present": seats.iter().filter(|s| s.attendance.present()).count(), "of": seats.len(), "dues_collected": dues}))),
        )
        .await?;
        let flags = duration_flag(m.kind, m.held_on, minutes(start, end))
            .into_iter()
            .collect();
        Ok((id, flags))
    }

    /// A recorded meeting with the names, the quorum, the vote's outcome and the flags.
    pub async fn meeting(&self, actor: &Actor, id: i64) -> AppResult<MeetingView> {
        let mut tx = self.store.read().await?;
        let (m, seats) = store::meeting(&mut tx, id)
            .await
            .map_err(|_| AppError::NotFound("meeting"))?;
        self.require_org_as(actor, m.org, "meeting")?;
        let items = dangvu_store::programme::items_of_meeting(&mut tx, id).await?;
        let ids: Vec<MemberId> = seats.iter().map(|s| s.member).collect();
        let names = mstore::names_of(&mut tx, &ids).await?;
        let mut named = Vec::with_capacity(seats.len());
        for s in seats {
            let name = names
                .iter()
                .find(|(i, _)| *i == s.member)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            named.push((s, name));
        }
        let guests = store::guests_of(&mut tx, id).await?;
        let tasks = store::tasks_of(&mut tx, id).await?;
        let templates = store::templates(&mut tx).await?;
        let stored = store::scores_of(&mut tx, id).await?;
        let corrections = store::corrections_of(&mut tx, id).await?;
        tx.commit().await?;
        let (template, score) = match stored {
            Some((tid, points)) => {
                let t = templates.iter().find(|t| t.id == tid).cloned();
                let sc = t.as_ref().and_then(|t| t.score(&points).ok());
                (t, sc)
            }
            None => (template_on(&templates, m.held_on).cloned(), None),
        };
        named.sort_by_cached_key(|(_, n)| dangvu_domain::text::name_sort_key(n));
        let plain: Vec<Seat> = named.iter().map(|(s, _)| s.clone()).collect();
        let q = quorum(&quorum_seats(&plain));
        let long = length_of(&m);
        let passed = m.votes.and_then(|(y, n, a)| {
            vote_passes(
                &q,
                u32::try_from(y).ok()?,
                u32::try_from(n).ok()?,
                u32::try_from(a).ok()?,
            )
            .ok()
        });
        Ok(MeetingView {
            flags: duration_flag(m.kind, m.held_on, long).into_iter().collect(),
            meeting: m,
            seats: named,
            minutes_long: long,
            quorum: q,
            passed,
            items,
            guests,
            tasks,
            template,
            score,
            corrections,
        })
    }

    /// The scoring templates, oldest first.
    pub async fn scoring_templates(&self) -> AppResult<Vec<ScoringTemplate>> {
        let mut tx = self.store.read().await?;
        let t = store::templates(&mut tx).await?;
        committed(tx, t).await
    }

    /// The members of the committees above a cell on a date: who may attend its meetings for
    /// the superior committee, and be assigned to.
    pub async fn superior_committee(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<ostore::Holder>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let v = superior_committee(&mut tx, org, on).await?;
        committed(tx, v).await
    }

    /// Adopts a meeting's minutes (R19): from then on they are locked; a later change is a
    /// recorded correction (R15).
    pub async fn adopt_meeting(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        self.adopt_meeting_in(&mut tx, actor, id).await?;
        committed(tx, ()).await
    }

    pub(crate) async fn adopt_meeting_in(
        &self,
        tx: &mut dangvu_store::Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<()> {
        let (m, _) = store::meeting(&mut *tx, id)
            .await
            .map_err(|_| AppError::NotFound("meeting"))?;
        self.require_org_write_as(actor, m.org, "meeting")?;
        if m.status != "draft" {
            return Err(DomainError::rule("minutes_adopted").into());
        }
        store::set_status(&mut *tx, id, "adopted").await?;
        self.audit(
            &mut *tx,
            actor,
            Action::MeetingAdopt
                .on("org", m.org.0)
                .before(Some(json!({"meeting": id, "status": "draft"})))
                .after(Some(json!({"meeting": id, "status": "adopted"}))),
        )
        .await?;
        Ok(())
    }

    /// The meetings of an organisation between two dates, oldest first.
    pub async fn meetings_of(
        &self,
        actor: &Actor,
        org: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<Meeting>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let v = store::meetings_of(&mut tx, org, from, to).await?;
        committed(tx, v).await
    }

    /// The members on an organisation's rolls on a date, in Vietnamese name order, with whether
    /// each is exempt that day: the lines of a meeting's attendance form.
    pub async fn meeting_roll(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<(MemberId, String, bool)>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let mut out: Vec<(MemberId, String, bool)> = mstore::roll_on(&mut tx, org, on)
            .await?
            .into_iter()
            .map(|(m, name, st, _)| (m, name, st == Status::Exempt))
            .collect();
        tx.commit().await?;
        out.sort_by_cached_key(|(_, n, _)| dangvu_domain::text::name_sort_key(n));
        Ok(out)
    }

    /// What fell due for a cell between two dates and what is missing (R16): a regular meeting
    /// each whole month of its life, a thematic one each whole quarter.
    pub async fn meetings_due(
        &self,
        actor: &Actor,
        org: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<DueReport> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let history = ostore::history(&mut tx, org).await?;
        // Spans of life: consecutive periods (renames, moves) join; a gap ends one.
        let mut alive: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for p in history.iter().filter(|p| p.kind.is_cell()) {
            match alive.last_mut() {
                Some((_, end)) if *end == Some(p.valid_from) => *end = p.valid_to,
                _ => alive.push((p.valid_from, p.valid_to)),
            }
        }
        let held = held_between(&mut tx, org, from, to).await?;
        committed(tx, due_meetings(&alive, from, to, &held)).await
    }

    /// R16: the half-years between two dates in which a grassroots đảng bộ held no meeting of
    /// the whole đảng bộ (none for any other organisation).
    pub async fn assemblies_due(
        &self,
        actor: &Actor,
        org: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<(i32, u32)>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let kind = ostore::period_on(&mut tx, org, to).await?.map(|p| p.kind);
        let held = held_between(&mut tx, org, from, to).await?;
        tx.commit().await?;
        Ok(match kind {
            Some(k) if k.is_grassroots() && !k.is_cell() => assemblies_missing(from, to, &held),
            _ => Vec::new(),
        })
    }

    /// R11: the years in which a member missed regular meetings without a valid reason, or did
    /// not pay dues at them, in 3 or more months — for the cell committee to consider.
    pub async fn attendance_flags(
        &self,
        actor: &Actor,
        member: MemberId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<(i32, Flag)>> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        // A former cell sees her meetings up to the day she left it.
        let to = match self
            .read_horizon(&mut tx, actor, member)
            .await?
            .and_then(|h| h.pred_opt())
        {
            Some(last) => to.min(last),
            None => to,
        };
        let seats = store::seats_of(&mut tx, member, from, to).await?;
        let record = crate::dues::dues_record(&mut tx, &[member], self.clock.today()).await?;
        tx.commit().await?;
        let (unpaid, priced) = record.get(&member).cloned().unwrap_or_default();
        let month = |d: &NaiveDate| (chrono::Datelike::year(d), chrono::Datelike::month(d));
        // Where her basis prices a month the ledger is the record of her dues; elsewhere the
        // meeting's tick is.
        let mut lapses: Vec<Lapse> = seats
            .iter()
            .filter(|(_, k, _)| k.is_regular())
            .map(|(d, _, s)| Lapse {
                month: month(d),
                unexcused_absence: s.attendance == Attendance::AbsentUnexcused,
                dues_unpaid: !s.dues_paid
                    && s.attendance != Attendance::Exempt
                    && !priced.contains(&dangvu_domain::dues::month_start(*d)),
            })
            .collect();
        lapses.extend(
            unpaid
                .iter()
                .filter(|m| **m >= dangvu_domain::dues::month_start(from) && **m <= to)
                .map(|m| Lapse {
                    month: month(m),
                    unexcused_absence: false,
                    dues_unpaid: true,
                }),
        );
        Ok(removal_flags(&lapses))
    }
}

/// The committee members, on a date, of every organisation above a cell.
pub(crate) async fn superior_committee(
    conn: &mut dangvu_store::Conn,
    org: OrgId,
    on: NaiveDate,
) -> AppResult<Vec<ostore::Holder>> {
    let mut out = Vec::new();
    let mut at = ostore::period_on(&mut *conn, org, on).await?;
    while let Some(parent) = at.and_then(|p| p.parent) {
        out.extend(ostore::committee_on(&mut *conn, parent, on).await?);
        at = ostore::period_on(&mut *conn, parent, on).await?;
    }
    Ok(out)
}

fn quorum_seats(seats: &[Seat]) -> Vec<dangvu_domain::meeting::Seat> {
    seats
        .iter()
        .filter(|s| s.attendance != Attendance::Attached)
        .map(|s| dangvu_domain::meeting::Seat {
            attendance: s.attendance,
            official: s.official,
        })
        .collect()
}

/// The lines of a meeting as the validity checks read them.
fn sitters(seats: &[Seat]) -> Vec<Sitter> {
    seats
        .iter()
        .map(|s| Sitter {
            member: s.member,
            attendance: s.attendance,
            official: s.official,
        })
        .collect()
}

/// The day and kind of each meeting an organisation held between two dates (inclusive).
async fn held_between(
    conn: &mut dangvu_store::Conn,
    org: OrgId,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(NaiveDate, MeetingKind)>> {
    let meetings = store::meetings_of(conn, org, from, to).await?;
    Ok(meetings.into_iter().map(|m| (m.held_on, m.kind)).collect())
}
