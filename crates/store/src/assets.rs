//! Giám sát kê khai tài sản (R33): the cadres a committee manages, their declarations and the
//! supervisions of them. Metadata only, never a declaration's content.

use chrono::NaiveDate;
use dangvu_domain::assets::{DeclarationKind, SupervisionKind, Trigger};
use dangvu_domain::date::iso;
use dangvu_domain::ids::OrgId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Conn, all, optional, update_one};
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// Cán bộ thuộc diện quản lý: a cadre in a committee's register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadre {
    pub id: i64,
    pub committee: OrgId,
    pub full_name: String,
    /// Chức vụ.
    pub position: String,
    /// Cơ quan, đơn vị công tác.
    pub workplace: Option<String>,
    /// Managed by the committee from this day…
    pub from_date: NaiveDate,
    /// …to this one (exclusive), if no longer.
    pub to_date: Option<NaiveDate>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A declaration a cadre must make, and when it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub id: i64,
    pub cadre: i64,
    pub kind: DeclarationKind,
    pub year: i32,
    pub due_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
    /// Cơ quan tiếp nhận bản kê khai.
    pub receiving_body: Option<String>,
    pub note: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A supervision or an inspection of a cadre's declarations of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    pub id: i64,
    pub cadre: i64,
    pub year: i32,
    pub kind: SupervisionKind,
    pub trigger: Trigger,
    pub started_on: NaiveDate,
    /// The change of assets or income found in the year, in VND, when one was.
    pub change_vnd: Option<i64>,
    /// Kết quả: what it found.
    pub findings: Option<String>,
    /// Xử lý sau giám sát: what followed (explanations asked, discipline proposed…).
    pub follow_up: Option<String>,
    pub concluded_on: Option<NaiveDate>,
    pub recorded_at: String,
    pub recorded_by: String,
}

fn year(r: &AnyRow) -> Result<i32> {
    i32::try_from(r.try_get::<i64, _>("year")?).map_err(|_| StoreError::bad_stored("year"))
}

const CADRE_COLS: &str = "id, committee_id, full_name, position, workplace, from_date, to_date, recorded_at, recorded_by";

fn cadre(r: &AnyRow) -> Result<Cadre> {
    Ok(
        from_columns!(r; Cadre { full_name, position, workplace, recorded_at, recorded_by }
            id: r.try_get("id")?,
            committee: OrgId(r.try_get("committee_id")?),
            from_date: date(r, "from_date")?,
            to_date: opt_date(r, "to_date")?,
        ),
    )
}

const DECLARATION_COLS: &str =
    "id, cadre_id, kind, year, due_on, received_on, receiving_body, note, recorded_at, recorded_by";

fn declaration(r: &AnyRow) -> Result<Declaration> {
    let kind: String = r.try_get("kind")?;
    Ok(
        from_columns!(r; Declaration { id, receiving_body, note, recorded_at, recorded_by }
            cadre: r.try_get("cadre_id")?,
            kind: DeclarationKind::from_code(&kind)
                .ok_or_else(|| StoreError::bad_stored("declaration kind"))?,
            year: year(r)?,
            due_on: date(r, "due_on")?,
            received_on: opt_date(r, "received_on")?,
        ),
    )
}

const SUPERVISION_COLS: &str = "id, cadre_id, year, kind, trigger_code, started_on, change_vnd, findings, follow_up, concluded_on, recorded_at, recorded_by";

fn supervision(r: &AnyRow) -> Result<Supervision> {
    let kind: String = r.try_get("kind")?;
    let trigger: String = r.try_get("trigger_code")?;
    Ok(
        from_columns!(r; Supervision { id, change_vnd, findings, follow_up, recorded_at, recorded_by }
            cadre: r.try_get("cadre_id")?,
            year: year(r)?,
            kind: SupervisionKind::from_code(&kind)
                .ok_or_else(|| StoreError::bad_stored("supervision kind"))?,
            trigger: Trigger::from_code(&trigger)
                .ok_or_else(|| StoreError::bad_stored("supervision trigger"))?,
            started_on: date(r, "started_on")?,
            concluded_on: opt_date(r, "concluded_on")?,
        ),
    )
}

/// Adds a cadre to a committee's register.
pub async fn insert_cadre(conn: &mut Conn, c: &Cadre) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO asset_cadres (committee_id, full_name, sort_key, position, workplace, from_date, to_date, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.committee.0)
    .bind(&c.full_name)
    .bind(dangvu_domain::text::collation_key(&c.full_name))
    .bind(&c.position)
    .bind(&c.workplace)
    .bind(iso(c.from_date))
    .bind(c.to_date.map(iso))
    .bind(&c.recorded_at)
    .bind(&c.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

/// Ends a cadre's place in the register (she left the post or the committee's management).
pub async fn end_cadre(conn: &mut Conn, id: i64, on: NaiveDate) -> Result<()> {
    let q = sqlx::query("UPDATE asset_cadres SET to_date = $1 WHERE id = $2 AND to_date IS NULL")
        .bind(iso(on))
        .bind(id);
    update_one(conn, q).await
}

pub async fn cadre_by_id(conn: &mut Conn, id: i64) -> Result<Option<Cadre>> {
    let sql = format!("SELECT {CADRE_COLS} FROM asset_cadres WHERE id = $1");
    optional(conn, sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id), cadre).await
}

/// The cadres of a committee managed at some time in `[from, to]`, in Vietnamese name order.
pub async fn cadres_of(
    conn: &mut Conn,
    committee: OrgId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Cadre>> {
    let sql = format!(
        "SELECT {CADRE_COLS} FROM asset_cadres
         WHERE committee_id = $1 AND from_date <= $2 AND (to_date IS NULL OR to_date > $3)
         ORDER BY sort_key, id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(committee.0)
        .bind(iso(to))
        .bind(iso(from));
    all(conn, q, cadre).await
}

/// Records a declaration to be made; the same kind due the same day twice is a
/// [`StoreError::Conflict`].
pub async fn insert_declaration(conn: &mut Conn, d: &Declaration) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO asset_declarations (cadre_id, kind, year, due_on, received_on, receiving_body, note, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(d.cadre)
    .bind(d.kind.code())
    .bind(i64::from(d.year))
    .bind(iso(d.due_on))
    .bind(d.received_on.map(iso))
    .bind(&d.receiving_body)
    .bind(&d.note)
    .bind(&d.recorded_at)
    .bind(&d.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn declaration_by_id(conn: &mut Conn, id: i64) -> Result<Option<Declaration>> {
    let sql = format!("SELECT {DECLARATION_COLS} FROM asset_declarations WHERE id = $1");
    optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id),
        declaration,
    )
    .await
}

/// Marks a declaration received.
pub async fn receive_declaration(
    conn: &mut Conn,
    id: i64,
    on: NaiveDate,
    body: Option<&str>,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE asset_declarations SET received_on = $1, receiving_body = $2 WHERE id = $3",
    )
    .bind(iso(on))
    .bind(body.map(str::to_owned))
    .bind(id);
    update_one(conn, q).await
}

/// The declarations of a committee's cadres of a year, by cadre and due day.
pub async fn declarations_of(
    conn: &mut Conn,
    committee: OrgId,
    year: i32,
) -> Result<Vec<Declaration>> {
    let sql = format!(
        "SELECT {} FROM asset_declarations d JOIN asset_cadres c ON c.id = d.cadre_id
         WHERE c.committee_id = $1 AND d.year = $2 ORDER BY d.cadre_id, d.due_on, d.id",
        prefixed("d", DECLARATION_COLS)
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(committee.0)
        .bind(i64::from(year));
    all(conn, q, declaration).await
}

/// The declarations of a committee's cadres not received, due on or before `by`, oldest due
/// first.
pub async fn unreceived_of(
    conn: &mut Conn,
    committee: OrgId,
    by: NaiveDate,
) -> Result<Vec<Declaration>> {
    let sql = format!(
        "SELECT {} FROM asset_declarations d JOIN asset_cadres c ON c.id = d.cadre_id
         WHERE c.committee_id = $1 AND d.received_on IS NULL AND d.due_on <= $2
         ORDER BY d.due_on, d.id",
        prefixed("d", DECLARATION_COLS)
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(committee.0)
        .bind(iso(by));
    all(conn, q, declaration).await
}

/// Records a supervision or an inspection.
pub async fn insert_supervision(conn: &mut Conn, s: &Supervision) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO asset_supervisions (cadre_id, year, kind, trigger_code, started_on, change_vnd, findings, follow_up, concluded_on, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(s.cadre)
    .bind(i64::from(s.year))
    .bind(s.kind.code())
    .bind(s.trigger.code())
    .bind(iso(s.started_on))
    .bind(s.change_vnd)
    .bind(&s.findings)
    .bind(&s.follow_up)
    .bind(s.concluded_on.map(iso))
    .bind(&s.recorded_at)
    .bind(&s.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

pub async fn supervision_by_id(conn: &mut Conn, id: i64) -> Result<Option<Supervision>> {
    let sql = format!("SELECT {SUPERVISION_COLS} FROM asset_supervisions WHERE id = $1");
    optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id),
        supervision,
    )
    .await
}

/// Writes a supervision's conclusion: the change found, findings, follow-up and the day.
pub async fn conclude_supervision(conn: &mut Conn, s: &Supervision) -> Result<()> {
    let q = sqlx::query(
        "UPDATE asset_supervisions SET change_vnd = $1, findings = $2, follow_up = $3, concluded_on = $4 WHERE id = $5",
    )
    .bind(s.change_vnd)
    .bind(&s.findings)
    .bind(&s.follow_up)
    .bind(s.concluded_on.map(iso))
    .bind(s.id);
    update_one(conn, q).await
}

/// The supervisions of a committee's cadres of a year, by cadre and start.
pub async fn supervisions_of(
    conn: &mut Conn,
    committee: OrgId,
    year: i32,
) -> Result<Vec<Supervision>> {
    let sql = format!(
        "SELECT {} FROM asset_supervisions s JOIN asset_cadres c ON c.id = s.cadre_id
         WHERE c.committee_id = $1 AND s.year = $2 ORDER BY s.cadre_id, s.started_on, s.id",
        prefixed("s", SUPERVISION_COLS)
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(committee.0)
        .bind(i64::from(year));
    all(conn, q, supervision).await
}

/// A column list with each column named from a table alias.
fn prefixed(alias: &str, cols: &str) -> String {
    cols.split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
