//! Thẻ đảng viên: each member's cards over time, with the issuing committee and the status.

use chrono::NaiveDate;
use dangvu_domain::card::CardStatus;
use dangvu_domain::date::iso;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::CardGeneration;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Conn;
use crate::error::{Result, StoreError};
use crate::orgs::{date, opt_date};

/// A member card in the card history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Card {
    pub id: i64,
    pub member: MemberId,
    pub number: String,
    pub generation: CardGeneration,
    pub issued_on: NaiveDate,
    /// The committee that issued it, when known.
    pub issuer: Option<OrgId>,
    pub status: CardStatus,
    /// The day it stopped being in use (replaced, lost, recovered).
    pub ended_on: Option<NaiveDate>,
    pub note: Option<String>,
}

const COLS: &str =
    "id, member_id, card_number, generation, issued_on, issuer_id, status, ended_on, note";

fn card_row(r: &AnyRow) -> Result<Card> {
    let g: String = r.try_get("generation")?;
    let st: String = r.try_get("status")?;
    Ok(Card {
        id: r.try_get("id")?,
        member: MemberId(r.try_get("member_id")?),
        number: r.try_get("card_number")?,
        generation: CardGeneration::from_code(&g)
            .ok_or_else(|| StoreError::bad_stored("card generation"))?,
        issued_on: date(r, "issued_on")?,
        issuer: r.try_get::<Option<i64>, _>("issuer_id")?.map(OrgId),
        status: CardStatus::from_code(&st).ok_or_else(|| StoreError::bad_stored("card status"))?,
        ended_on: opt_date(r, "ended_on")?,
        note: r.try_get("note")?,
    })
}

pub async fn insert_card(conn: &mut Conn, c: &Card) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO member_cards (member_id, card_number, generation, issued_on, issuer_id, status, ended_on, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.member.0)
    .bind(&c.number)
    .bind(c.generation.code())
    .bind(iso(c.issued_on))
    .bind(c.issuer.map(|o| o.0))
    .bind(c.status.code())
    .bind(c.ended_on.map(iso))
    .bind(&c.note)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_sqlx)
}

/// Marks the member's card in use replaced on `on`.
pub async fn replace_current_card(conn: &mut Conn, member: MemberId, on: NaiveDate) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE member_cards SET status = 'replaced', ended_on = $1 WHERE member_id = $2 AND status = 'in_use'",
    )
    .bind(iso(on))
    .bind(member.0)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Ends a card in use: lost or recovered on `on`, with a note.
pub async fn end_card(
    conn: &mut Conn,
    id: i64,
    status: CardStatus,
    on: NaiveDate,
    note: Option<&str>,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE member_cards SET status = $1, ended_on = $2, note = $3 WHERE id = $4 AND status = 'in_use'",
    )
    .bind(status.code())
    .bind(iso(on))
    .bind(note.map(str::to_owned))
    .bind(id);
    crate::db::update_one(conn, q).await
}

pub async fn card(conn: &mut Conn, id: i64) -> Result<Option<Card>> {
    let sql = format!("SELECT {COLS} FROM member_cards WHERE id = $1");
    crate::db::optional(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id),
        card_row,
    )
    .await
}

pub async fn cards_of(conn: &mut Conn, member: MemberId) -> Result<Vec<Card>> {
    let sql =
        format!("SELECT {COLS} FROM member_cards WHERE member_id = $1 ORDER BY issued_on, id");
    crate::db::all(
        conn,
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member.0),
        card_row,
    )
    .await
}

/// The cards of many members, each member's oldest first.
pub async fn cards_of_many(conn: &mut Conn, members: &[MemberId]) -> Result<Vec<Card>> {
    let mut out = Vec::new();
    for chunk in members.chunks(2_000) {
        let list = crate::members::id_list(chunk.iter().map(|m| m.0));
        let sql = format!(
            "SELECT {COLS} FROM member_cards WHERE member_id IN ({list}) ORDER BY member_id, issued_on, id"
        );
        out.extend(crate::db::all(conn, sqlx::query(sqlx::AssertSqlSafe(sql)), card_row).await?);
    }
    Ok(out)
}

/// The official members on the rolls of these organisations on `on`, with their cells.
pub async fn officials_on(
    conn: &mut Conn,
    orgs: &[OrgId],
    on: NaiveDate,
) -> Result<Vec<(MemberId, OrgId)>> {
    crate::members::rolls(conn, orgs, on, "AND official = 1").await
}

/// The members once on the rolls of these organisations, on nobody's rolls now, who still
/// have a card in use.
pub async fn cards_in_use_of_former(conn: &mut Conn, orgs: &[OrgId]) -> Result<Vec<MemberId>> {
    crate::db::all_of_orgs(
        conn,
        orgs,
        "SELECT DISTINCT c.member_id FROM member_cards c
         WHERE c.status = 'in_use'
           AND c.member_id IN (SELECT member_id FROM memberships WHERE org_id IN ({orgs}))
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.member_id = c.member_id AND m.valid_to IS NULL)
         ORDER BY c.member_id",
        |q| q,
        |r| Ok(MemberId(r.try_get("member_id")?)),
    )
    .await
}
