//! Membership statistics of a subtree (R5, R9): the structure of the roll on any day, the
//! movements of any period, and the statistical report's tables kept as data.

use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, Sex, Status, seniority_months};
use dangvu_domain::stats::template::{Table, TableKind};
use dangvu_domain::stats::{Facts, Movements, Presence, Tally, movements, tally};
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
        let mut ids = self.subtree_id_list(conn, org, on).await?;
        if let Some(scope) = actor.access.org_filter() {
            ids.retain(|o| scope.contains(o));
        }
        Ok(ids)
    }

    /// `None` (the whole register, read in one sequential pass) when the subtree holds every
    /// organisation of the day; the subtree's organisations otherwise.
    async fn whole_register<'a>(
        &self,
        conn: &mut Conn,
        ids: &'a [OrgId],
        on: NaiveDate,
    ) -> AppResult<Option<&'a [OrgId]>> {
        let all = roster::count_orgs_on(conn, on).await?;
        Ok(if i64::try_from(ids.len()).unwrap_or(0) == all {
            None
        } else {
            Some(ids)
        })
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
        let scope = self.whole_register(&mut tx, &ids, on).await?;
        let version = dangvu_store::audit::last_id(&mut tx).await?;
        let kept = match self.timeline_at(&mut tx, version).await? {
            Some(snap) => {
                let orgs: Option<std::collections::HashSet<OrgId>> =
                    scope.map(|s| s.iter().copied().collect());
                snap.facts_on(orgs.as_ref(), on)
            }
            None => None,
        };
        let facts = match kept {
            Some(f) => f,
            None => facts_in_database(&mut tx, scope, on).await?,
        };
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
        let scope = self.whole_register(&mut tx, &ids, to).await?;
        let spans = roster::spans_overlapping(&mut tx, scope, from, to).await?;
        // Only the period's events say why a member came or left, and what changed meanwhile.
        let before = from.pred_opt().unwrap_or(from);
        let mut events = roster::events_in_period(&mut tx, scope, before, to).await?;
        // The spans come in member order: one presence per run of a member's spans.
        let presences: Vec<Presence> = spans
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| Presence {
                spans: run.iter().map(|s| (s.1, s.2)).collect(),
                events: events.remove(&run[0].0).unwrap_or_default(),
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

/// The facts of the members on the rolls of `scope` (the whole register for `None`) on a day,
/// read from the database (when the history in memory is not at hand).
async fn facts_in_database(
    conn: &mut Conn,
    scope: Option<&[OrgId]>,
    on: NaiveDate,
) -> AppResult<Vec<Facts>> {
    let rows = roster::facts_on(conn, scope, on).await?;
    // Readmitted members: seniority without the time out of the Party (R9).
    let readmitted = roster::readmitted_on(conn, scope, on).await?;
    let mut exact: std::collections::HashMap<MemberId, i32> = std::collections::HashMap::new();
    for (m, ev) in roster::events_of_many(conn, &readmitted).await? {
        let ev: Vec<Event> = ev.into_iter().map(|e| e.event).collect();
        exact.insert(m, seniority_months(&ev, on));
    }
    let mut facts = Vec::with_capacity(rows.len());
    for r in rows {
        let months = |m: i64| i32::try_from(m).unwrap_or(0).max(0);
        facts.push(Facts {
            sex: Sex::from_code(&r.sex).unwrap_or(Sex::Male),
            age: months(r.age_months).div_euclid(12),
            ethnicity: r.ethnicity,
            religion: r.religion.unwrap_or_default(),
            education: r.education.unwrap_or_default(),
            political_theory: r.political_theory.unwrap_or_default(),
            professional: r.professional.unwrap_or_default(),
            occupation: r.occupation.unwrap_or_default(),
            seniority_months: exact
                .get(&r.member)
                .copied()
                .unwrap_or_else(|| months(r.seniority_months.unwrap_or(0))),
            status: Status::from_code(&r.status).unwrap_or(Status::Official),
            official: r.official,
        });
    }
    Ok(facts)
}
