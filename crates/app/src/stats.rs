//! Membership statistics of a subtree (R5, R9): the structure of the roll on any day, the
//! movements of any period, and the statistical report's tables kept as data.

use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, seniority_months};
use dangvu_domain::stats::template::{Table, TableKind};
use dangvu_domain::stats::{Facts, Movements, Presence, Tally, facts, movements, tally};
use dangvu_store::Conn;
use dangvu_store::members::roster;
use dangvu_store::orgs as ostore;
use serde::Serialize;

use crate::{Actor, App, AppError, AppResult, committed};

/// The statistical tables shipped with the system (JSON, one file a table).
const BUILT_IN: [&str; 2] = [
    include_str!("../report_tables/bieu-1-co-cau.json"),
    include_str!("../report_tables/bieu-2-bien-dong.json"),
];

/// Every table: the built-in ones, then those in the folder named by
/// `DANGVU_REPORT_TABLES` (each `*.json` a table; one with a built-in's id replaces it).
pub fn report_tables() -> Result<Vec<Table>, String> {
    let mut out: Vec<Table> = BUILT_IN
        .iter()
        .map(|s| Table::from_json(s))
        .collect::<Result<_, _>>()?;
    if let Ok(dir) = std::env::var("DANGVU_REPORT_TABLES") {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{dir}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let t = Table::from_json(&text).map_err(|e| format!("{}: {e}", p.display()))?;
            out.retain(|x| x.id != t.id);
            out.push(t);
        }
    }
    Ok(out)
}

/// The statistics of a subtree on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Statistics {
    pub org: OrgId,
    pub on: NaiveDate,
    pub tally: Tally,
    #[serde(skip)]
    pub facts: Vec<Facts>,
}

/// A table of the statistical report, filled.
#[derive(Debug, Clone, Serialize)]
pub struct FilledTable {
    pub table: Table,
    pub cells: Vec<Vec<u32>>,
    pub on: NaiveDate,
    pub from: Option<NaiveDate>,
}

impl App {
    /// The organisations of a subtree on a day that the actor may see.
    async fn scoped_subtree(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<OrgId>> {
        self.require_org(actor, org)?;
        if ostore::period_on(conn, org, on).await?.is_none() {
            return Err(AppError::NotFound("org"));
        }
        let mut ids = ostore::subtree_ids(conn, org, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        Ok(ids)
    }

    /// The members of a subtree on a day counted by every dimension, with the age pyramid.
    pub async fn member_statistics(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Statistics> {
        self.require_org(actor, org)?;
        let _turn = self.report_turn().await?;
        let mut tx = self.store.read().await?;
        let ids = self.scoped_subtree(&mut tx, actor, org, on).await?;
        let roll = roster::roster(&mut tx, Some(&ids), on).await?;
        let members: Vec<MemberId> = roll.iter().map(|r| r.id).collect();
        let mut events = roster::events_of_many(&mut tx, &members).await?;
        let facts: Vec<Facts> = roll
            .iter()
            .map(|r| {
                let ev: Vec<Event> = events
                    .remove(&r.id)
                    .map(|v| v.into_iter().map(|e| e.event).collect())
                    .unwrap_or_default();
                facts(
                    &r.record,
                    r.status,
                    r.official,
                    seniority_months(&ev, on),
                    on,
                )
            })
            .collect();
        let t = tally(&facts);
        committed(
            tx,
            Statistics {
                org,
                on,
                tally: t,
                facts,
            },
        )
        .await
    }

    /// The movements of a subtree's roll from `from` to `to` (both included); the subtree is
    /// read as it was on `to`.
    pub async fn member_movements(
        &self,
        actor: &Actor,
        org: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Movements> {
        self.require_org(actor, org)?;
        if from > to || from < dangvu_domain::date::EARLIEST || (to - from).num_days() > 36_600 {
            return Err(dangvu_domain::DomainError::rule_on("period_invalid", "from").into());
        }
        let _turn = self.report_turn().await?;
        let mut tx = self.store.read().await?;
        let ids = self.scoped_subtree(&mut tx, actor, org, to).await?;
        let spans = roster::spans_overlapping(&mut tx, &ids, from, to).await?;
        let mut members: Vec<MemberId> = spans.iter().map(|s| s.0).collect();
        members.dedup();
        let mut events = roster::events_of_many(&mut tx, &members).await?;
        // The spans come in member order: one presence per run of a member's spans.
        let presences: Vec<Presence> = spans
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| Presence {
                spans: run.iter().map(|s| (s.1, s.2)).collect(),
                events: events
                    .remove(&run[0].0)
                    .map(|v| v.into_iter().map(|e| e.event).collect())
                    .unwrap_or_default(),
            })
            .collect();
        committed(tx, movements(&presences, from, to)).await
    }

    /// A table of the statistical report for a subtree: structure tables on `on`, movement
    /// tables from `from` (the first of `on`'s year by default) to `on`.
    pub async fn statistical_table(
        &self,
        actor: &Actor,
        org: OrgId,
        table_id: &str,
        on: NaiveDate,
        from: Option<NaiveDate>,
    ) -> AppResult<FilledTable> {
        self.require_org(actor, org)?;
        let tables = report_tables().map_err(|e| {
            tracing::error!(error = %e, "a report table cannot be read");
            dangvu_domain::DomainError::rule("report_tables_invalid")
        })?;
        let table = tables
            .into_iter()
            .find(|t| t.id == table_id)
            .ok_or(AppError::NotFound("table"))?;
        match table.kind {
            TableKind::Structure => {
                let s = self.member_statistics(actor, org, on).await?;
                Ok(FilledTable {
                    cells: table.count(&s.facts),
                    table,
                    on,
                    from: None,
                })
            }
            TableKind::Movements => {
                let from = from.unwrap_or_else(|| {
                    NaiveDate::from_ymd_opt(chrono::Datelike::year(&on), 1, 1).unwrap_or(on)
                });
                let m = self.member_movements(actor, org, from, on).await?;
                Ok(FilledTable {
                    cells: table.measure(&m),
                    table,
                    on,
                    from: Some(from),
                })
            }
        }
    }
}
