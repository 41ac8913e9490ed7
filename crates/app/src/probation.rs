//! Probation (dự bị, R8): who is on probation in a subtree, when each becomes eligible for
//! official membership, and whether the cell's consideration is due or overdue.

use chrono::NaiveDate;
use dangvu_domain::calendar::{DueState, PROBATION_CONSIDERATION_DAYS};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, official_date, state_on};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::{Actor, App, AppResult, committed};

/// The most probationary members one list shows.
const MAX_LINES: usize = 5_000;

/// A probationary member and where her consideration stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbationLine {
    pub member: MemberId,
    pub name: String,
    pub cell: OrgId,
    pub cell_name: String,
    pub admitted_on: NaiveDate,
    /// 12 months after admission: official from this day when approved (R8), even when the
    /// decision comes later.
    pub eligible_on: NaiveDate,
    /// The last day of the cell's consideration: 30 working days after `eligible_on`.
    pub due_by: NaiveDate,
    pub state: DueState,
}

impl App {
    /// The probationary members of an organisation's subtree on a day, the overdue first, then
    /// those due, then the others by the day they become eligible.
    pub async fn probations(
        &self,
        actor: &Actor,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Vec<ProbationLine>> {
        self.require_org(actor, org)?;
        let calendar = self.calendar().await?;
        let mut tx = self.store.read().await?;
        let orgs = ostore::subtree_ids(&mut tx, org, on).await?;
        let members = mstore::probationary_on(&mut tx, &orgs, on).await?;
        let mut lines = Vec::new();
        for (member, cell) in members.into_iter().take(MAX_LINES) {
            let rec = mstore::get_member(&mut tx, member).await?;
            let events: Vec<Event> = mstore::events_of(&mut tx, member)
                .await?
                .into_iter()
                .map(|e| e.event)
                .collect();
            let Some(admitted_on) = state_on(rec.birth_date, &events, on)?.admitted_on else {
                continue;
            };
            let eligible_on = official_date(admitted_on);
            let deadline = calendar.deadline(eligible_on, PROBATION_CONSIDERATION_DAYS);
            let cell_name = ostore::period_on(&mut tx, cell, on)
                .await?
                .map(|p| p.name)
                .unwrap_or_default();
            lines.push(ProbationLine {
                member,
                name: rec.full_name,
                cell,
                cell_name,
                admitted_on,
                eligible_on,
                due_by: deadline.due_by,
                state: deadline.state(on),
            });
        }
        let rank = |s: DueState| match s {
            DueState::Overdue => 0,
            DueState::Due => 1,
            DueState::NotYet => 2,
        };
        lines.sort_by_key(|l| (rank(l.state), l.eligible_on));
        committed(tx, lines).await
    }
}
