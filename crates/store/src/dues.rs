//! Đảng phí (R14): members' dues bases over time and the cells' ledger of payments.

use chrono::NaiveDate;
use dangvu_domain::date::iso;
use dangvu_domain::dues::{DuesBasis, DuesCategory};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Sex, Span, Status};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::members::id_list;
use crate::orgs::{date, opt_date};

/// How many member ids one query names.
const CHUNK: usize = 2_000;

/// A dues basis from its first month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisRow {
    pub id: i64,
    pub member: MemberId,
    /// The first day of its first month.
    pub from: NaiveDate,
    pub basis: DuesBasis,
    pub note: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

fn basis_row(r: &AnyRow) -> Result<BasisRow> {
    let category: String = r.try_get("category")?;
    Ok(BasisRow {
        id: r.try_get("id")?,
        member: MemberId(r.try_get("member_id")?),
        from: date(r, "valid_from")?,
        basis: DuesBasis {
            category: DuesCategory::from_code(&category)
                .ok_or_else(|| StoreError::bad_stored("dues category"))?,
            income: r.try_get("income")?,
            flat: r.try_get("flat")?,
        },
        note: r.try_get("note")?,
        recorded_at: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

const BASIS_COLS: &str =
    "id, member_id, valid_from, category, income, flat, note, recorded_at, recorded_by";

/// A member's bases, oldest first.
pub async fn bases_of(conn: &mut Conn, member: MemberId) -> Result<Vec<BasisRow>> {
    let sql =
        format!("SELECT {BASIS_COLS} FROM dues_bases WHERE member_id = $1 ORDER BY valid_from");
    crate::db::all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0),
        basis_row,
    )
    .await
}

/// The bases of many members, each member's oldest first.
pub async fn bases_of_many(conn: &mut Conn, members: &[MemberId]) -> Result<Vec<BasisRow>> {
    let mut out = Vec::new();
    for chunk in members.chunks(CHUNK) {
        let list = id_list(chunk.iter().map(|m| m.0));
        let sql = format!(
            "SELECT {BASIS_COLS} FROM dues_bases WHERE member_id IN ({list}) ORDER BY member_id, valid_from"
        );
        out.extend(crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), basis_row).await?);
    }
    Ok(out)
}

/// Records a basis from its month, replacing the one that starts the same month: answers the
/// replaced one.
pub async fn put_basis(conn: &mut Conn, b: &BasisRow) -> Result<Option<BasisRow>> {
    let sql =
        format!("SELECT {BASIS_COLS} FROM dues_bases WHERE member_id = $1 AND valid_from = $2");
    let old = crate::db::optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(b.member.0)
            .bind(iso(b.from)),
        basis_row,
    )
    .await?;
    // The same month again replaces its row; a new month adds one.
    let sql = if old.is_some() {
        "UPDATE dues_bases SET category = $3, income = $4, flat = $5, note = $6, recorded_at = $7, recorded_by = $8
         WHERE member_id = $1 AND valid_from = $2"
    } else {
        "INSERT INTO dues_bases (member_id, valid_from, category, income, flat, note, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    };
    sqlx::query(sql)
        .bind(b.member.0)
        .bind(iso(b.from))
        .bind(b.basis.category.code())
        .bind(b.basis.income)
        .bind(b.basis.flat)
        .bind(&b.note)
        .bind(&b.recorded_at)
        .bind(&b.recorded_by)
        .execute(&mut *conn)
        .await?;
    Ok(old)
}

/// One month of a member's dues in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub member: MemberId,
    /// The first day of the month paid for.
    pub month: NaiveDate,
    /// The cell that collected it.
    pub cell: OrgId,
    /// What was due that month, when her basis priced it.
    pub due: Option<i64>,
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub received_by: Option<String>,
    /// The first row of the payment this month was part of.
    pub receipt: Option<i64>,
    pub meeting: Option<i64>,
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
}

const PAY_COLS: &str = "id, member_id, month, cell_id, due, amount, paid_on, received_by, receipt, meeting_id, cancelled_on, cancel_reason, recorded_at, recorded_by";

fn payment_row(r: &AnyRow) -> Result<Payment> {
    Ok(from_columns![r; Payment {
            id, due, amount, received_by, receipt, cancel_reason, recorded_at, recorded_by
        }
        member: MemberId(r.try_get("member_id")?),
        month: date(r, "month")?,
        cell: OrgId(r.try_get("cell_id")?),
        paid_on: date(r, "paid_on")?,
        meeting: r.try_get("meeting_id")?,
        cancelled_on: opt_date(r, "cancelled_on")?,
    ])
}

/// Records one month paid; answers its id. A month already paid (and not cancelled) is
/// refused by the database.
pub async fn insert_payment(conn: &mut Conn, p: &Payment) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO dues_payments (member_id, month, cell_id, due, amount, paid_on, received_by, receipt, meeting_id, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(p.member.0)
    .bind(iso(p.month))
    .bind(p.cell.0)
    .bind(p.due)
    .bind(p.amount)
    .bind(iso(p.paid_on))
    .bind(&p.received_by)
    .bind(p.receipt)
    .bind(p.meeting)
    .bind(&p.recorded_at)
    .bind(&p.recorded_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)?;
    add_to_month(conn, p.cell, p.month, 1, p.amount).await?;
    Ok(id)
}

/// Adds to (or, negative, takes from) what a cell collected for a month.
async fn add_to_month(
    conn: &mut Conn,
    cell: OrgId,
    month: NaiveDate,
    payers: i64,
    amount: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO dues_cell_months (cell_id, month, payers, amount) VALUES ($1, $2, $3, $4)
         ON CONFLICT (cell_id, month) DO UPDATE SET payers = dues_cell_months.payers + excluded.payers,
             amount = dues_cell_months.amount + excluded.amount",
    )
    .bind(cell.0)
    .bind(iso(month))
    .bind(payers)
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks the rows of a payment with its receipt (the first row's id).
pub async fn set_receipt(conn: &mut Conn, ids: &[i64], receipt: i64) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE dues_payments SET receipt = $1 WHERE id IN ({})",
        id_list(ids.iter().copied())
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(receipt)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Cancels a row entered in error, keeping it with the day and the reason.
pub async fn cancel_payment(conn: &mut Conn, id: i64, on: NaiveDate, reason: &str) -> Result<()> {
    let p = payment(conn, id).await?.ok_or(StoreError::NotFound)?;
    let q = sqlx::query(
        "UPDATE dues_payments SET cancelled_on = $1, cancel_reason = $2 WHERE id = $3 AND cancelled_on IS NULL",
    )
    .bind(iso(on))
    .bind(reason.to_owned())
    .bind(id);
    crate::db::update_one(conn, q).await?;
    add_to_month(conn, p.cell, p.month, -1, -p.amount).await
}

pub async fn payment(conn: &mut Conn, id: i64) -> Result<Option<Payment>> {
    let sql = format!("SELECT {PAY_COLS} FROM dues_payments WHERE id = $1");
    crate::db::optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id),
        payment_row,
    )
    .await
}

/// A member's ledger, cancelled rows included, oldest month first.
pub async fn payments_of(conn: &mut Conn, member: MemberId) -> Result<Vec<Payment>> {
    let sql =
        format!("SELECT {PAY_COLS} FROM dues_payments WHERE member_id = $1 ORDER BY month, id");
    crate::db::all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0),
        payment_row,
    )
    .await
}

/// The months paid (not cancelled) by many members from `from` to `to`, both first days.
pub async fn paid_by(
    conn: &mut Conn,
    members: &[MemberId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Payment>> {
    let mut out = Vec::new();
    for chunk in members.chunks(CHUNK) {
        let list = id_list(chunk.iter().map(|m| m.0));
        let sql = format!(
            "SELECT {PAY_COLS} FROM dues_payments WHERE member_id IN ({list}) AND month >= $1 AND month <= $2 AND cancelled_on IS NULL ORDER BY member_id, month"
        );
        let q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(iso(from))
            .bind(iso(to));
        out.extend(crate::db::all(conn, q, payment_row).await?);
    }
    Ok(out)
}

/// The rows a cell collected for a month (not cancelled).
pub async fn collected(conn: &mut Conn, cell: OrgId, month: NaiveDate) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT {PAY_COLS} FROM dues_payments WHERE cell_id = $1 AND month = $2 AND cancelled_on IS NULL ORDER BY id"
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(cell.0)
        .bind(iso(month));
    crate::db::all(conn, q, payment_row).await
}

/// The rows collected at a meeting (not cancelled).
pub async fn of_meeting(conn: &mut Conn, meeting: i64) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT {PAY_COLS} FROM dues_payments WHERE meeting_id = $1 AND cancelled_on IS NULL ORDER BY id"
    );
    crate::db::all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(meeting),
        payment_row,
    )
    .await
}

/// What a set of cells collected, per cell and month paid for, from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellMonth {
    pub cell: OrgId,
    pub month: NaiveDate,
    pub payers: i64,
    pub amount: i64,
}

fn cell_month(r: &AnyRow) -> Result<CellMonth> {
    Ok(CellMonth {
        cell: OrgId(r.try_get("cell_id")?),
        month: date(r, "month")?,
        payers: r.try_get("payers")?,
        amount: r.try_get("amount")?,
    })
}

/// Totals per cell and month of these organisations, as the ledger keeps them beside its rows:
/// a row per cell and month.
pub async fn totals(
    conn: &mut Conn,
    orgs: &[OrgId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CellMonth>> {
    crate::db::all_of_orgs(
        conn,
        orgs,
        "SELECT cell_id, month, payers, amount FROM dues_cell_months
         WHERE cell_id IN ({orgs}) AND month >= $1 AND month <= $2 AND payers <> 0
         ORDER BY cell_id, month",
        |q| q.bind(iso(from)).bind(iso(to)),
        cell_month,
    )
    .await
}

/// The same totals recounted from the ledger's rows, to check the kept ones against.
pub async fn recount(conn: &mut Conn) -> Result<Vec<CellMonth>> {
    crate::db::all(
        conn,
        sqlx::query(
            "SELECT cell_id, month, COUNT(*) AS payers, CAST(SUM(amount) AS BIGINT) AS amount FROM dues_payments
             WHERE cancelled_on IS NULL GROUP BY cell_id, month ORDER BY cell_id, month",
        ),
        cell_month,
    )
    .await
}

/// The totals as kept, every cell and month with a payment.
pub async fn kept_totals(conn: &mut Conn) -> Result<Vec<CellMonth>> {
    crate::db::all(
        conn,
        sqlx::query(
            "SELECT cell_id, month, payers, amount FROM dues_cell_months WHERE payers <> 0 ORDER BY cell_id, month",
        ),
        cell_month,
    )
    .await
}

/// What the dues of a member need of her record: her name, its sort key, birth date and sex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub member: MemberId,
    pub name: String,
    pub sort_key: Vec<u8>,
    pub birth: NaiveDate,
    pub sex: Sex,
}

/// The people of many members, in Vietnamese name order.
pub async fn people(conn: &mut Conn, members: &[MemberId]) -> Result<Vec<Person>> {
    let mut out = Vec::new();
    for chunk in members.chunks(CHUNK) {
        let list = id_list(chunk.iter().map(|m| m.0));
        let sql = format!(
            "SELECT id, full_name, sort_key, birth_date, sex FROM members WHERE id IN ({list})"
        );
        out.extend(
            crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), |r| {
                let sex: String = r.try_get("sex")?;
                Ok(Person {
                    member: MemberId(r.try_get("id")?),
                    name: r.try_get("full_name")?,
                    sort_key: r.try_get("sort_key")?,
                    birth: date(r, "birth_date")?,
                    sex: Sex::from_code(&sex).ok_or_else(|| StoreError::bad_stored("sex"))?,
                })
            })
            .await?,
        );
    }
    out.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.member.cmp(&b.member)));
    Ok(out)
}

/// The spans on the rolls of many members, each member's in order.
pub async fn spans_of_many(conn: &mut Conn, members: &[MemberId]) -> Result<Vec<(MemberId, Span)>> {
    let mut out = Vec::new();
    for chunk in members.chunks(CHUNK) {
        let list = id_list(chunk.iter().map(|m| m.0));
        let sql = format!(
            "SELECT member_id, org_id, valid_from, valid_to, status, official FROM memberships WHERE member_id IN ({list}) ORDER BY member_id, valid_from"
        );
        out.extend(
            crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), |r| {
                let st: String = r.try_get("status")?;
                Ok((
                    MemberId(r.try_get("member_id")?),
                    Span {
                        cell: OrgId(r.try_get("org_id")?),
                        status: Status::from_code(&st)
                            .ok_or_else(|| StoreError::bad_stored("status"))?,
                        official: r.try_get::<i64, _>("official")? != 0,
                        from: date(r, "valid_from")?,
                        to: opt_date(r, "valid_to")?,
                    },
                ))
            })
            .await?,
        );
    }
    Ok(out)
}

/// The year of the latest month in the ledger, if any.
pub async fn latest_year(conn: &mut Conn) -> Result<Option<i32>> {
    let m: Option<String> =
        sqlx::query_scalar("SELECT MAX(month) FROM dues_payments WHERE cancelled_on IS NULL")
            .fetch_one(&mut *conn)
            .await?;
    Ok(m.and_then(|m| dangvu_domain::date::from_iso(&m))
        .map(|d| chrono::Datelike::year(&d)))
}
