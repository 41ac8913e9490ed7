//! Members: the record, search tokens, cards, events, memberships, corrections.

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};
use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{EventId, MemberId, OrgId};
use dangvu_domain::member::{
    Cccd, DisciplineForm, Event, EventKind, HistoryNumber, MemberRecord, Sex, Span, Status,
};
use dangvu_domain::text::{SORT_KEY_VERSION, fold, name_sort_key, search_tokens};
use sqlx::any::AnyArguments;
use sqlx::any::AnyRow;
use sqlx::query::Query;
use sqlx::{Any, Row};

pub mod cards;
pub mod coded;
pub mod education;
pub mod facts;
mod list;
pub mod roster;
pub use cards::*;
pub use list::*;

pub(crate) const RECORD_COLS: &str = "id, full_name, birth_name, aliases, sex, birth_date, birth_place, home_town, residence, ethnicity, religion, cccd, education, political_theory, professional, occupation, workplace, history_number, army, police, retired";

/// `1,2,3` for an `IN (…)` list of ids (integers, so nothing to escape).
pub(crate) fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

pub(crate) fn bad(what: &str) -> StoreError {
    StoreError::Config(format!("bad stored value: {what}"))
}

pub(crate) fn record(r: &AnyRow) -> Result<(MemberId, MemberRecord)> {
    let sex: String = r.try_get("sex")?;
    let flag = |col: &str| -> Result<bool> { Ok(r.try_get::<i64, _>(col)? != 0) };
    let record = from_columns![r; MemberRecord {
            full_name, birth_name, aliases, birth_place, home_town, residence, ethnicity,
            religion, education, political_theory, professional, occupation, workplace
        }
        sex: Sex::from_code(&sex).ok_or_else(|| bad("sex"))?,
        birth_date: date(r, "birth_date")?,
        cccd: parsed(r, "cccd", Cccd::parse)?,
        history_number: parsed(r, "history_number", HistoryNumber::parse)?,
        army: flag("army")?,
        police: flag("police")?,
        retired: flag("retired")?,
    ];
    Ok((MemberId(r.try_get("id")?), record))
}

/// A nullable column holding a checked value; stored text the check refuses is a fault.
fn parsed<T, E>(
    r: &AnyRow,
    col: &'static str,
    parse: fn(&str) -> std::result::Result<T, E>,
) -> Result<Option<T>> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| parse(&s)).transpose().map_err(|_| bad(col))
}

/// The columns of a member's record, in the order `bind_record` binds them.
pub(crate) const RECORD_COLUMNS: &str = "full_name, sort_key, sort_key_version, folded_name, birth_name, aliases, sex, birth_date,
    birth_place, home_town, residence, ethnicity, religion, cccd, education, political_theory, professional,
    occupation, workplace, history_number, army, police, retired";

/// Binds a member's record, its sort key and folded name as `$1`…`$23` of an insert or an
/// update, in the column order both use (`RECORD_COLUMNS`).
pub(crate) fn bind_record<'q>(
    q: Query<'q, Any, AnyArguments>,
    rec: &'q MemberRecord,
) -> Query<'q, Any, AnyArguments> {
    bind_record_keyed(q, rec, name_sort_key(&rec.full_name))
}

/// `bind_record` with the name's sort key already made.
pub(crate) fn bind_record_keyed<'q>(
    q: Query<'q, Any, AnyArguments>,
    rec: &'q MemberRecord,
    sort_key: Vec<u8>,
) -> Query<'q, Any, AnyArguments> {
    q.bind(&rec.full_name)
        .bind(sort_key)
        .bind(SORT_KEY_VERSION)
        .bind(fold(&rec.full_name))
        .bind(&rec.birth_name)
        .bind(&rec.aliases)
        .bind(rec.sex.code())
        .bind(iso(rec.birth_date))
        .bind(&rec.birth_place)
        .bind(&rec.home_town)
        .bind(&rec.residence)
        .bind(&rec.ethnicity)
        .bind(&rec.religion)
        .bind(rec.cccd.as_ref().map(|c| c.as_str().to_owned()))
        .bind(&rec.education)
        .bind(&rec.political_theory)
        .bind(&rec.professional)
        .bind(&rec.occupation)
        .bind(&rec.workplace)
        .bind(rec.history_number.as_ref().map(|c| c.as_str().to_owned()))
        .bind(i64::from(rec.army))
        .bind(i64::from(rec.police))
        .bind(i64::from(rec.retired))
}

/// Inserts a member's record with its sort key and search tokens.
pub async fn insert_member(conn: &mut Conn, rec: &MemberRecord, now: &str) -> Result<MemberId> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO members ({RECORD_COLUMNS}, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
         RETURNING id"
    )));
    let row = bind_record(q, rec)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    let id: i64 = row.try_get("id")?;
    write_tokens(conn, MemberId(id), &rec.full_name).await?;
    Ok(MemberId(id))
}

async fn write_tokens(conn: &mut Conn, id: MemberId, full_name: &str) -> Result<()> {
    sqlx::query("DELETE FROM member_tokens WHERE member_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for t in search_tokens(full_name) {
        sqlx::query("INSERT INTO member_tokens (token, member_id) VALUES ($1, $2)")
            .bind(t)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rewrites a member's record (after a recorded correction), keys and tokens included.
pub async fn update_member(conn: &mut Conn, id: MemberId, rec: &MemberRecord) -> Result<()> {
    let q = sqlx::query(
        "UPDATE members SET full_name = $1, sort_key = $2, sort_key_version = $3, folded_name = $4, birth_name = $5,
            aliases = $6, sex = $7, birth_date = $8, birth_place = $9, home_town = $10, residence = $11, ethnicity = $12,
            religion = $13, cccd = $14, education = $15, political_theory = $16, professional = $17, occupation = $18,
            workplace = $19, history_number = $20, army = $21, police = $22, retired = $23
         WHERE id = $24",
    );
    let n = bind_record(q, rec)
        .bind(id.0)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query("UPDATE memberships SET sort_key = $1 WHERE member_id = $2")
        .bind(name_sort_key(&rec.full_name))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    write_tokens(conn, id, &rec.full_name).await
}

pub async fn get_member(conn: &mut Conn, id: MemberId) -> Result<MemberRecord> {
    let sql = format!("SELECT {RECORD_COLS} FROM members WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(record(&row)?.1)
}

/// Recomputes the sort keys made by an older key version (after an ICU or key-layout change),
/// in members and in the spans that repeat them. Returns how many members were refreshed.
pub async fn refresh_sort_keys(conn: &mut Conn) -> Result<usize> {
    let rows = sqlx::query("SELECT id, full_name FROM members WHERE sort_key_version <> $1")
        .bind(SORT_KEY_VERSION)
        .fetch_all(&mut *conn)
        .await?;
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let name: String = r.try_get("full_name")?;
        let key = name_sort_key(&name);
        sqlx::query("UPDATE members SET sort_key = $1, sort_key_version = $2 WHERE id = $3")
            .bind(key.clone())
            .bind(SORT_KEY_VERSION)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE memberships SET sort_key = $1 WHERE member_id = $2")
            .bind(key)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows.len())
}

/// A stored event with its decision details.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventRow {
    pub id: EventId,
    pub member: MemberId,
    pub event: Event,
    pub decision_ref: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// Nơi chuyển đến: the receiving organisation outside this system, by name.
    pub destination: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl EventRow {
    /// An event that takes effect by a decision, recorded without its reference, date or
    /// deciding body (an old, incomplete file).
    pub fn decision_missing(&self) -> bool {
        self.event.kind.needs_decision()
            && (self.decision_ref.is_none()
                || self.decided_on.is_none()
                || self.decided_by.is_none())
    }
}

pub(crate) fn event_row(r: &AnyRow) -> Result<EventRow> {
    let kind: String = r.try_get("kind")?;
    let disc: Option<String> = r.try_get("discipline")?;
    Ok(EventRow {
        id: EventId(r.try_get("id")?),
        member: MemberId(r.try_get("member_id")?),
        event: Event {
            kind: EventKind::from_code(&kind).ok_or_else(|| bad("event kind"))?,
            on: date(r, "occurred_on")?,
            org: r.try_get::<Option<i64>, _>("org_id")?.map(OrgId),
            discipline: disc
                .map(|d| DisciplineForm::from_code(&d).ok_or_else(|| bad("discipline")))
                .transpose()?,
        },
        decision_ref: r.try_get("decision_ref")?,
        decided_by: r.try_get("decided_by")?,
        decided_on: opt_date(r, "decided_on")?,
        note: r.try_get("note")?,
        destination: r.try_get("destination")?,
        recorded_at: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

pub(crate) const EVENT_COLS: &str = "id, member_id, kind, occurred_on, org_id, discipline, decision_ref, decided_by, decided_on, note, destination, recorded_at, recorded_by";

pub async fn insert_event(conn: &mut Conn, e: &EventRow) -> Result<EventId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO member_events (member_id, kind, occurred_on, org_id, discipline, decision_ref, decided_by, decided_on, note, recorded_at, recorded_by, destination)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(e.member.0)
    .bind(e.event.kind.code())
    .bind(iso(e.event.on))
    .bind(e.event.org.map(|o| o.0))
    .bind(e.event.discipline.map(|d| d.code()))
    .bind(&e.decision_ref)
    .bind(&e.decided_by)
    .bind(e.decided_on.map(iso))
    .bind(&e.note)
    .bind(&e.recorded_at)
    .bind(&e.recorded_by)
    .bind(&e.destination)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    Ok(EventId(id))
}

/// A member's timeline in force, in order (date, then order of entry): the voided events are
/// left out.
pub async fn events_of(conn: &mut Conn, member: MemberId) -> Result<Vec<EventRow>> {
    let sql = format!(
        "SELECT {EVENT_COLS} FROM member_events WHERE member_id = $1 AND voided = 0 ORDER BY occurred_on, id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0);
    crate::db::all(conn, q, event_row).await
}

/// One event of a member's timeline in force.
pub async fn live_event(
    conn: &mut Conn,
    member: MemberId,
    id: EventId,
) -> Result<Option<EventRow>> {
    let sql = format!(
        "SELECT {EVENT_COLS} FROM member_events WHERE id = $1 AND member_id = $2 AND voided = 0"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .bind(member.0);
    crate::db::optional(conn, q, event_row).await
}

/// A correction of an event (R15): the event it voided, the event that replaced it (if any),
/// why, and the decision that approved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCorrection {
    pub id: i64,
    pub member: MemberId,
    pub event: EventId,
    pub replacement: Option<EventId>,
    pub reason: String,
    pub decision: dangvu_domain::decision::Decision,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// Completes the decision and note of an event just recorded in the caller's transaction (the
/// admission an admission ceremony creates: the deciding body and date, and the ceremony).
pub async fn complete_event(
    conn: &mut Conn,
    id: EventId,
    decided_by: Option<&str>,
    decided_on: Option<NaiveDate>,
    note: Option<&str>,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE member_events SET decided_by = $2, decided_on = $3, note = $4 WHERE id = $1 AND voided = 0",
    )
    .bind(id.0)
    .bind(decided_by)
    .bind(decided_on.map(iso))
    .bind(note);
    crate::db::update_one(conn, q).await
}

/// Marks an event in force void; [`StoreError::NotFound`] when it is not in force.
pub async fn void_event(conn: &mut Conn, id: EventId) -> Result<()> {
    let q =
        sqlx::query("UPDATE member_events SET voided = 1 WHERE id = $1 AND voided = 0").bind(id.0);
    crate::db::update_one(conn, q).await
}

pub async fn insert_event_correction(conn: &mut Conn, c: &EventCorrection) -> Result<i64> {
    let q = sqlx::query_scalar(
        "INSERT INTO member_event_corrections (member_id, event_id, replacement_id, decision_ref, decided_on, decided_by, reason, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.member.0)
    .bind(c.event.0)
    .bind(c.replacement.map(|e| e.0));
    let (at, by) = (&c.recorded_at, &c.recorded_by);
    let id: i64 = crate::db::bind_decided(q, &c.decision, &c.reason, at, by)
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    Ok(id)
}

/// A member's voided events, each with the correction that voided it, in the order they were
/// corrected.
pub async fn voided_events_of(
    conn: &mut Conn,
    member: MemberId,
) -> Result<Vec<(EventRow, EventCorrection)>> {
    let cols: String = EVENT_COLS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {cols}, c.id AS correction_id, c.replacement_id, c.reason, c.decision_ref AS c_ref,
                c.decided_on AS c_on, c.decided_by AS c_by, c.recorded_at AS c_at, c.recorded_by AS c_who
         FROM member_event_corrections c JOIN member_events e ON e.id = c.event_id
         WHERE c.member_id = $1 ORDER BY c.id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0);
    crate::db::all(conn, q, |r| {
        let e = event_row(r)?;
        let c = EventCorrection {
            id: r.try_get("correction_id")?,
            member: e.member,
            event: e.id,
            replacement: r.try_get::<Option<i64>, _>("replacement_id")?.map(EventId),
            reason: r.try_get("reason")?,
            decision: crate::db::decision_in(r, "c_ref", "c_on", "c_by")?,
            recorded_at: r.try_get("c_at")?,
            recorded_by: r.try_get("c_who")?,
        };
        Ok((e, c))
    })
    .await
}

/// Replaces a member's spans on the rolls (the read model of her timeline).
pub async fn replace_memberships(conn: &mut Conn, member: MemberId, spans: &[Span]) -> Result<()> {
    sqlx::query("DELETE FROM memberships WHERE member_id = $1")
        .bind(member.0)
        .execute(&mut *conn)
        .await?;
    for s in spans {
        sqlx::query(
            "INSERT INTO memberships (member_id, org_id, status, official, valid_from, valid_to, sort_key)
             SELECT $1, $2, $3, $4, $5, $6, sort_key FROM members WHERE id = $1",
        )
        .bind(member.0)
        .bind(s.cell.0)
        .bind(s.status.code())
        .bind(i64::from(s.official))
        .bind(iso(s.from))
        .bind(s.to.map(iso))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_sqlx)?;
    }
    Ok(())
}

/// A member's spans on the rolls, oldest first.
pub async fn spans_of(conn: &mut Conn, member: MemberId) -> Result<Vec<Span>> {
    let q = sqlx::query("SELECT org_id, status, official, valid_from, valid_to FROM memberships WHERE member_id = $1 ORDER BY valid_from, id")
        .bind(member.0);
    crate::db::all(conn, q, |r| {
        let st: String = r.try_get("status")?;
        Ok(Span {
            cell: OrgId(r.try_get("org_id")?),
            status: Status::from_code(&st).ok_or_else(|| bad("status"))?,
            official: r.try_get::<i64, _>("official")? != 0,
            from: date(r, "valid_from")?,
            to: opt_date(r, "valid_to")?,
        })
    })
    .await
}

/// Members on the rolls on `on`, counted by cell, status and official/probationary; only the
/// given cells when `orgs` is set.
pub async fn cell_counts(
    conn: &mut Conn,
    on: NaiveDate,
    orgs: Option<&[OrgId]>,
) -> Result<Vec<(OrgId, Status, bool, i64)>> {
    let filter = match orgs {
        Some([]) => return Ok(Vec::new()),
        Some(list) => format!(" AND org_id IN ({})", id_list(list.iter().map(|o| o.0))),
        None => String::new(),
    };
    let sql = format!(
        "SELECT org_id, status, official, COUNT(*) AS n FROM memberships
         WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1){filter} GROUP BY org_id, status, official"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(iso(on));
    crate::db::all(conn, q, |r| {
        let st: String = r.try_get("status")?;
        Ok((
            OrgId(r.try_get("org_id")?),
            Status::from_code(&st).ok_or_else(|| bad("status"))?,
            r.try_get::<i64, _>("official")? != 0,
            r.try_get("n")?,
        ))
    })
    .await
}

/// Every membership span: member, cell, from, to, status, official — the whole register's
/// history, for the in-memory timeline, handed to `each` row by row (the rows are never all in
/// memory at once).
pub async fn all_spans(
    conn: &mut Conn,
    mut each: impl FnMut(MemberId, OrgId, NaiveDate, Option<NaiveDate>, Status, bool),
) -> Result<()> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, (i64, i64, String, Option<String>, String, i64)>(
        "SELECT member_id, org_id, valid_from, valid_to, status, official FROM memberships",
    )
    .fetch(&mut *conn);
    while let Some((member, org, from, to, st, official)) = rows.try_next().await? {
        each(
            MemberId(member),
            OrgId(org),
            day(&from).ok_or_else(|| bad("date"))?,
            match to {
                Some(t) => Some(day(&t).ok_or_else(|| bad("date"))?),
                None => None,
            },
            Status::from_code(&st).ok_or_else(|| bad("status"))?,
            official != 0,
        );
    }
    Ok(())
}

/// A stored "YYYY-MM-DD" day, read without a format parser (a million rows at a time).
pub(crate) fn day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return dangvu_domain::date::from_iso(s);
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(5..7)?, n(8..10)?)
}

/// Members on the rolls of the given organisations on `on`.
pub async fn count_on_rolls(conn: &mut Conn, orgs: &[OrgId], on: NaiveDate) -> Result<i64> {
    if orgs.is_empty() {
        return Ok(0);
    }
    let list = id_list(orgs.iter().map(|o| o.0));
    let sql = format!(
        "SELECT COUNT(*) FROM memberships WHERE org_id IN ({list}) AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)"
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(iso(on))
        .fetch_one(&mut *conn)
        .await?)
}

/// Members on the rolls of these organisations on `on`.
pub async fn members_on_rolls(
    conn: &mut Conn,
    orgs: &[OrgId],
    on: NaiveDate,
) -> Result<Vec<(MemberId, OrgId)>> {
    rolls(conn, orgs, on, "").await
}

/// The probationary members on the rolls of these organisations on `on`, with their cells, in
/// name order.
pub async fn probationary_on(
    conn: &mut Conn,
    orgs: &[OrgId],
    on: NaiveDate,
) -> Result<Vec<(MemberId, OrgId)>> {
    rolls(
        conn,
        orgs,
        on,
        "AND official = 0 ORDER BY sort_key, member_id",
    )
    .await
}

pub(crate) async fn rolls(
    conn: &mut Conn,
    orgs: &[OrgId],
    on: NaiveDate,
    rest: &str,
) -> Result<Vec<(MemberId, OrgId)>> {
    let sql = format!(
        "SELECT member_id, org_id FROM memberships WHERE org_id IN ({{orgs}}) AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) {rest}"
    );
    crate::db::all_of_orgs(
        conn,
        orgs,
        &sql,
        |q| q.bind(iso(on)),
        |r| {
            Ok((
                MemberId(r.try_get("member_id")?),
                OrgId(r.try_get("org_id")?),
            ))
        },
    )
    .await
}

/// The members on one organisation's rolls on `on`, with their names and their standing that
/// day (status, official), from the membership spans the timeline projects: the lines of a
/// meeting's attendance in one query.
pub async fn roll_on(
    conn: &mut Conn,
    org: OrgId,
    on: NaiveDate,
) -> Result<Vec<(MemberId, String, Status, bool)>> {
    let q = sqlx::query(
        "SELECT s.member_id, m.full_name, s.status, s.official FROM memberships s JOIN members m ON m.id = s.member_id
         WHERE s.org_id = $1 AND s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to > $2)",
    )
    .bind(org.0)
    .bind(iso(on));
    crate::db::all(conn, q, |r| {
        let st: String = r.try_get("status")?;
        Ok((
            MemberId(r.try_get("member_id")?),
            r.try_get("full_name")?,
            Status::from_code(&st).ok_or_else(|| bad("status"))?,
            r.try_get::<i64, _>("official")? != 0,
        ))
    })
    .await
}

/// The members holding a CCCD, a history number or a card number (any card, current or
/// replaced), with the field each is held under: at most one per field, the unique indexes
/// see to that.
pub async fn identifier_holders(
    conn: &mut Conn,
    cccd: Option<&str>,
    history_number: Option<&str>,
    card_number: Option<&str>,
) -> Result<Vec<(&'static str, MemberId)>> {
    let mut out = Vec::new();
    let asks: [(&'static str, Option<&str>, &str); 3] = [
        ("cccd", cccd, "SELECT id FROM members WHERE cccd = $1"),
        (
            "history_number",
            history_number,
            "SELECT id FROM members WHERE history_number = $1",
        ),
        (
            "card_number",
            card_number,
            "SELECT member_id FROM member_cards WHERE card_number = $1",
        ),
    ];
    for (field, value, sql) in asks {
        if let Some(v) = value {
            let held: Option<i64> = sqlx::query_scalar(sql)
                .bind(v)
                .fetch_optional(&mut *conn)
                .await?;
            if let Some(m) = held {
                out.push((field, MemberId(m)));
            }
        }
    }
    Ok(out)
}

crate::corrections::corrected_register!(
    /// A member's record as the subject of a correction.
    OfMember { member: MemberId },
    "member_corrections",
    "member_id"
);

/// Number of members in the register.
pub async fn count_members(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(&mut *conn)
        .await?)
}
