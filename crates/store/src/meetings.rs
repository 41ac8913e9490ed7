//! Cell meetings and the attendance of every member (R16–R19).

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, MeetingKind, Score, ScoringTemplate};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::members::id_list;
use crate::orgs::{date, opt_date};

/// Who met, when and where, and who chaired and took the minutes: what a meeting asked for
/// and a meeting stored have in common.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitting {
    pub org: OrgId,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    /// "HH:MM".
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub chair: Option<MemberId>,
    pub minute_taker: Option<MemberId>,
}

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub sitting: Sitting,
    pub superior_guests: Option<String>,
    pub topic: Option<String>,
    /// Đảng phí thu được, in đồng.
    pub dues_collected: i64,
    pub resolution: Option<String>,
    pub votes: Option<(i64, i64, i64)>,
    /// `draft` or `adopted`.
    pub status: String,
}

/// A member's line of a meeting's attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub member: MemberId,
    pub attendance: Attendance,
    pub reason: Option<String>,
    /// Official on the day (may vote).
    pub official: bool,
    pub dues_paid: bool,
}

impl std::ops::Deref for Meeting {
    type Target = Sitting;
    fn deref(&self) -> &Sitting {
        &self.sitting
    }
}

/// A member's line of a meeting's attendance, from its columns.
fn seat_row(r: &AnyRow) -> Result<Seat> {
    let a: String = r.try_get("attendance")?;
    Ok(Seat {
        member: MemberId(r.try_get("member_id")?),
        attendance: Attendance::from_code(&a)
            .ok_or_else(|| StoreError::bad_stored("attendance"))?,
        reason: r.try_get("reason")?,
        official: r.try_get::<i64, _>("official")? != 0,
        dues_paid: r.try_get::<i64, _>("dues_paid")? != 0,
    })
}

const COLS: &str = "id, org_id, kind, held_on, starts_at, ends_at, place, chair_id, minute_taker_id, superior_guests, topic, dues_collected, resolution, votes_yes, votes_no, votes_abstain, status";

fn meeting_row(r: &AnyRow) -> Result<Meeting> {
    let kind: String = r.try_get("kind")?;
    let yes: Option<i64> = r.try_get("votes_yes")?;
    let no: Option<i64> = r.try_get("votes_no")?;
    let abstain: Option<i64> = r.try_get("votes_abstain")?;
    Ok(Meeting {
        id: r.try_get("id")?,
        sitting: Sitting {
            org: OrgId(r.try_get("org_id")?),
            kind: MeetingKind::from_code(&kind)
                .ok_or_else(|| StoreError::bad_stored("meeting kind"))?,
            held_on: date(r, "held_on")?,
            starts_at: r.try_get("starts_at")?,
            ends_at: r.try_get("ends_at")?,
            place: r.try_get("place")?,
            chair: r.try_get::<Option<i64>, _>("chair_id")?.map(MemberId),
            minute_taker: r
                .try_get::<Option<i64>, _>("minute_taker_id")?
                .map(MemberId),
        },
        superior_guests: r.try_get("superior_guests")?,
        topic: r.try_get("topic")?,
        dues_collected: r.try_get("dues_collected")?,
        resolution: r.try_get("resolution")?,
        votes: match (yes, no, abstain) {
            (Some(y), Some(n), Some(a)) => Some((y, n, a)),
            _ => None,
        },
        status: r.try_get("status")?,
    })
}

/// Writes a meeting and its attendance; the caller holds the transaction.
pub async fn insert_meeting(
    conn: &mut Conn,
    m: &Meeting,
    seats: &[Seat],
    now: &str,
    by: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (org_id, kind, held_on, starts_at, ends_at, place, chair_id, minute_taker_id, superior_guests, topic, dues_collected, resolution, votes_yes, votes_no, votes_abstain, status, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(m.org.0)
    .bind(m.kind.code())
    .bind(iso(m.held_on))
    .bind(&m.starts_at)
    .bind(&m.ends_at)
    .bind(&m.place)
    .bind(m.chair.map(|x| x.0))
    .bind(m.minute_taker.map(|x| x.0))
    .bind(&m.superior_guests)
    .bind(&m.topic)
    .bind(m.dues_collected)
    .bind(&m.resolution)
    .bind(m.votes.map(|v| v.0))
    .bind(m.votes.map(|v| v.1))
    .bind(m.votes.map(|v| v.2))
    .bind(&m.status)
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    insert_seats(conn, id, seats).await?;
    Ok(id)
}

/// Attendance lines, 100 to a statement.
async fn insert_seats(conn: &mut Conn, meeting: i64, seats: &[Seat]) -> Result<()> {
    for chunk in seats.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO meeting_attendance (meeting_id, member_id, attendance, reason, official, dues_paid) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in chunk {
            q = q
                .bind(meeting)
                .bind(s.member.0)
                .bind(s.attendance.code())
                .bind(s.reason.clone())
                .bind(i64::from(s.official))
                .bind(i64::from(s.dues_paid));
        }
        q.execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
    }
    Ok(())
}

/// The superior committee members who attended a meeting, and the tasks it gave.
pub async fn insert_guests_and_tasks(
    conn: &mut Conn,
    meeting: i64,
    guests: &[MemberId],
    tasks: &[(MemberId, String)],
) -> Result<()> {
    for g in guests {
        sqlx::query("INSERT INTO meeting_guests (meeting_id, member_id) VALUES ($1, $2)")
            .bind(meeting)
            .bind(g.0)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_sqlx)?;
    }
    for (m, t) in tasks {
        sqlx::query("INSERT INTO meeting_tasks (meeting_id, member_id, task) VALUES ($1, $2, $3)")
            .bind(meeting)
            .bind(m.0)
            .bind(t)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_sqlx)?;
    }
    Ok(())
}

/// The superior committee members at a meeting, with their names.
pub async fn guests_of(conn: &mut Conn, meeting: i64) -> Result<Vec<(MemberId, String)>> {
    let q = sqlx::query(
        "SELECT g.member_id, m.full_name FROM meeting_guests g JOIN members m ON m.id = g.member_id WHERE g.meeting_id = $1 ORDER BY g.id",
    )
    .bind(meeting);
    crate::db::all(conn, q, |r| {
        Ok((MemberId(r.try_get("member_id")?), r.try_get("full_name")?))
    })
    .await
}

/// The tasks a meeting gave, with the members' names.
pub async fn tasks_of(conn: &mut Conn, meeting: i64) -> Result<Vec<(MemberId, String, String)>> {
    let q = sqlx::query(
        "SELECT t.member_id, m.full_name, t.task FROM meeting_tasks t JOIN members m ON m.id = t.member_id WHERE t.meeting_id = $1 ORDER BY t.id",
    )
    .bind(meeting);
    crate::db::all(conn, q, |r| {
        Ok((
            MemberId(r.try_get("member_id")?),
            r.try_get("full_name")?,
            r.try_get("task")?,
        ))
    })
    .await
}

/// What a template's stored body holds.
#[derive(serde::Deserialize)]
struct TemplateBody {
    criteria: Vec<dangvu_domain::meeting::Criterion>,
    bands: Vec<dangvu_domain::meeting::Band>,
}

/// Every scoring template, oldest first.
pub async fn templates(conn: &mut Conn) -> Result<Vec<ScoringTemplate>> {
    let rows =
        sqlx::query("SELECT id, code, name, valid_from, body FROM scoring_templates ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            let body: String = r.try_get("body")?;
            let body: TemplateBody = serde_json::from_str(&body)
                .map_err(|_| StoreError::bad_stored("scoring template"))?;
            Ok(ScoringTemplate {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                valid_from: opt_date(r, "valid_from")?,
                criteria: body.criteria,
                bands: body.bands,
            })
        })
        .collect()
}

/// Replaces a meeting's scores.
pub async fn put_scores(conn: &mut Conn, meeting: i64, s: &Score) -> Result<()> {
    sqlx::query("DELETE FROM meeting_scores WHERE meeting_id = $1")
        .bind(meeting)
        .execute(&mut *conn)
        .await?;
    for (c, p) in &s.points {
        sqlx::query(
            "INSERT INTO meeting_scores (meeting_id, template_id, criterion, points) VALUES ($1, $2, $3, $4)",
        )
        .bind(meeting)
        .bind(s.template)
        .bind(c)
        .bind(i64::from(*p))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    }
    Ok(())
}

/// A meeting's scores: the template and the points per criterion (none when not scored).
pub async fn scores_of(conn: &mut Conn, meeting: i64) -> Result<Option<(i64, Vec<(String, u32)>)>> {
    let rows = sqlx::query(
        "SELECT template_id, criterion, points FROM meeting_scores WHERE meeting_id = $1 ORDER BY id",
    )
    .bind(meeting)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let template: i64 = first.try_get("template_id")?;
    let points = rows
        .iter()
        .map(|r| {
            let p: i64 = r.try_get("points")?;
            Ok((r.try_get("criterion")?, u32::try_from(p).unwrap_or(0)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some((template, points)))
}

crate::corrections::corrected_register!(
    /// A meeting's minutes as the subject of a correction.
    OfMeeting { meeting: i64 },
    "meeting_corrections",
    "meeting_id"
);

/// The text fields of a meeting that a correction may change, with their columns.
pub const TEXT_FIELDS: [&str; 6] = [
    "place",
    "topic",
    "resolution",
    "superior_guests",
    "starts_at",
    "ends_at",
];

/// Sets one of [`TEXT_FIELDS`].
pub async fn set_text(
    conn: &mut Conn,
    meeting: i64,
    field: &str,
    value: Option<&str>,
) -> Result<()> {
    let col = TEXT_FIELDS
        .iter()
        .find(|f| **f == field)
        .ok_or_else(|| StoreError::bad_stored("meeting field"))?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE meetings SET {col} = $1 WHERE id = $2"
    )))
    .bind(value)
    .bind(meeting)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the dues collected at a meeting.
pub async fn set_dues(conn: &mut Conn, meeting: i64, dues: i64) -> Result<()> {
    let q = sqlx::query("UPDATE meetings SET dues_collected = $1 WHERE id = $2");
    crate::db::update_one(conn, q.bind(dues).bind(meeting)).await
}

/// Sets one member's attendance line.
pub async fn set_seat(conn: &mut Conn, meeting: i64, s: &Seat) -> Result<()> {
    let q = sqlx::query(
        "UPDATE meeting_attendance SET attendance = $1, reason = $2, dues_paid = $3 WHERE meeting_id = $4 AND member_id = $5",
    )
    .bind(s.attendance.code())
    .bind(&s.reason)
    .bind(i64::from(s.dues_paid))
    .bind(meeting)
    .bind(s.member.0);
    crate::db::update_one(conn, q).await
}

/// A superior committee member assigned to attend a cell's meetings (phân công cấp ủy viên dự
/// sinh hoạt chi bộ), from a date, until another is assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub id: i64,
    pub org: OrgId,
    pub member: MemberId,
    pub member_name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Assigns a member to a cell from a date, ending the cell's open assignment that day.
pub async fn assign(
    conn: &mut Conn,
    org: OrgId,
    member: MemberId,
    from: NaiveDate,
    now: &str,
    by: &str,
) -> Result<i64> {
    sqlx::query(
        "UPDATE meeting_assignments SET valid_to = $1 WHERE org_id = $2 AND valid_to IS NULL",
    )
    .bind(iso(from))
    .bind(org.0)
    .execute(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meeting_assignments (org_id, member_id, valid_from, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(member.0)
    .bind(iso(from))
    .bind(now)
    .bind(by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

/// The assignments of these cells that overlap two dates.
pub async fn assignments(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Assignment>> {
    let sql = "SELECT a.id, a.org_id, a.member_id, m.full_name, a.valid_from, a.valid_to FROM meeting_assignments a JOIN members m ON m.id = a.member_id
         WHERE a.org_id IN ({orgs}) AND a.valid_from <= $1 AND (a.valid_to IS NULL OR a.valid_to > $2) ORDER BY a.valid_from, a.id";
    crate::db::all_of_orgs(
        conn,
        orgs,
        sql,
        |q| q.bind(iso(to)).bind(iso(from)),
        |r| {
            Ok(Assignment {
                id: r.try_get("id")?,
                org: OrgId(r.try_get("org_id")?),
                member: MemberId(r.try_get("member_id")?),
                member_name: r.try_get("full_name")?,
                valid_from: date(r, "valid_from")?,
                valid_to: opt_date(r, "valid_to")?,
            })
        },
    )
    .await
}

/// The meetings of many organisations between two dates (inclusive).
pub async fn meetings_of_orgs(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Meeting>> {
    let sql = format!(
        "SELECT {COLS} FROM meetings WHERE org_id IN ({{orgs}}) AND held_on >= $1 AND held_on <= $2 ORDER BY held_on, id"
    );
    crate::db::all_of_orgs(
        conn,
        orgs,
        &sql,
        |q| q.bind(iso(from)).bind(iso(to)),
        meeting_row,
    )
    .await
}

/// Per meeting of these organisations between two dates: the members expected (on the rolls,
/// not exempt, not attached) and those of them present; the superior committee members who
/// attended; the total score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFigures {
    pub expected: i64,
    pub present: i64,
    pub guests: Vec<MemberId>,
    pub score: Option<i64>,
}

pub async fn figures(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<std::collections::HashMap<i64, MeetingFigures>> {
    let mut out: std::collections::HashMap<i64, MeetingFigures> = Default::default();
    if orgs.is_empty() {
        return Ok(out);
    }
    let within = format!(
        "SELECT id FROM meetings WHERE org_id IN ({}) AND held_on >= $1 AND held_on <= $2",
        id_list(orgs.iter().map(|o| o.0))
    );
    // One query per figure, each over the meetings `within` the organisations and dates.
    let mut per_meeting = async |select: &str, then: &str| -> Result<Vec<AnyRow>> {
        let sql = format!("{select} WHERE meeting_id IN ({within}) {then}");
        let q = sqlx::query(sqlx::AssertSqlSafe(sql));
        Ok(q.bind(iso(from))
            .bind(iso(to))
            .fetch_all(&mut *conn)
            .await?)
    };
    let attendance = per_meeting(
        "SELECT meeting_id, CAST(SUM(CASE WHEN attendance IN ('present', 'absent_excused', 'absent_unexcused') THEN 1 ELSE 0 END) AS BIGINT) AS expected,
                CAST(SUM(CASE WHEN attendance = 'present' THEN 1 ELSE 0 END) AS BIGINT) AS present
         FROM meeting_attendance",
        "GROUP BY meeting_id",
    );
    for r in &attendance.await? {
        let f = out.entry(r.try_get("meeting_id")?).or_default();
        f.expected = r.try_get("expected")?;
        f.present = r.try_get("present")?;
    }
    for r in &per_meeting(
        "SELECT meeting_id, member_id FROM meeting_guests",
        "ORDER BY id",
    )
    .await?
    {
        out.entry(r.try_get("meeting_id")?)
            .or_default()
            .guests
            .push(MemberId(r.try_get("member_id")?));
    }
    let scores = per_meeting(
        "SELECT meeting_id, CAST(SUM(points) AS BIGINT) AS total FROM meeting_scores",
        "GROUP BY meeting_id",
    );
    for r in &scores.await? {
        out.entry(r.try_get("meeting_id")?).or_default().score = Some(r.try_get("total")?);
    }
    Ok(out)
}

/// A meeting and its attendance.
pub async fn meeting(conn: &mut Conn, id: i64) -> Result<(Meeting, Vec<Seat>)> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM meetings WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let m = meeting_row(&r)?;
    let rows = sqlx::query(
        "SELECT member_id, attendance, reason, official, dues_paid FROM meeting_attendance WHERE meeting_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let seats = rows.iter().map(seat_row).collect::<Result<Vec<_>>>()?;
    Ok((m, seats))
}

/// The meetings of an organisation between two dates (inclusive), oldest first.
pub async fn meetings_of(
    conn: &mut Conn,
    org: OrgId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Meeting>> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM meetings WHERE org_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on, id"
    )))
    .bind(org.0)
    .bind(iso(from))
    .bind(iso(to));
    crate::db::all(conn, q, meeting_row).await
}

/// A member's seats at meetings between two dates: the day, the kind, and her line.
pub async fn seats_of(
    conn: &mut Conn,
    member: MemberId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, MeetingKind, Seat)>> {
    let q = sqlx::query(
        "SELECT m.held_on, m.kind, a.member_id, a.attendance, a.reason, a.official, a.dues_paid
         FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
         WHERE a.member_id = $1 AND m.held_on >= $2 AND m.held_on <= $3 ORDER BY m.held_on, m.id",
    )
    .bind(member.0)
    .bind(iso(from))
    .bind(iso(to));
    crate::db::all(conn, q, |r| {
        let kind: String = r.try_get("kind")?;
        Ok((
            date(r, "held_on")?,
            MeetingKind::from_code(&kind).ok_or_else(|| StoreError::bad_stored("meeting kind"))?,
            seat_row(r)?,
        ))
    })
    .await
}

/// Marks a meeting's minutes adopted (then locked).
pub async fn set_status(conn: &mut Conn, id: i64, status: &str) -> Result<()> {
    let q = sqlx::query("UPDATE meetings SET status = $1 WHERE id = $2");
    crate::db::update_one(conn, q.bind(status).bind(id)).await
}

/// The lapses at the regular (and combined) meetings of these organisations between two dates:
/// the meeting's organisation and day, the member and her name, and whether she was absent
/// without a reason and whether she did not pay her dues (R11). Only lines with a lapse.
pub async fn lapses(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(OrgId, NaiveDate, MemberId, String, bool, bool)>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT m.org_id, m.held_on, a.member_id, p.full_name, a.attendance, a.dues_paid
         FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id JOIN members p ON p.id = a.member_id
         WHERE m.org_id IN ({}) AND m.held_on >= $1 AND m.held_on <= $2 AND m.kind IN ('regular', 'combined')
           AND a.attendance <> 'exempt' AND (a.attendance = 'absent_unexcused' OR a.dues_paid = 0)
         ORDER BY m.held_on",
        id_list(orgs.iter().map(|o| o.0))
    )))
    .bind(iso(from))
    .bind(iso(to));
    crate::db::all(conn, q, |r| {
        let a: String = r.try_get("attendance")?;
        Ok((
            OrgId(r.try_get("org_id")?),
            date(r, "held_on")?,
            MemberId(r.try_get("member_id")?),
            r.try_get("full_name")?,
            a == "absent_unexcused",
            r.try_get::<i64, _>("dues_paid")? == 0,
        ))
    })
    .await
}
