//! The meetings report of an organisation for a period: for every cell of its subtree,
//! the meetings held against those due (R16), their length (R18), attendance, the superior
//! committee members who attended (and whether the one assigned to the cell did), the quality
//! scores and the thematic topics; the twice-yearly meetings of each grassroots đảng bộ; and the
//! residence side (R20–R22): attached members, half-yearly meetings, comments returned. The
//! superior's dashboard is this report for the year so far. Also the assignment of superior
//! committee members to cells (phân công cấp ủy viên dự sinh hoạt chi bộ).

use crate::committed;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use dangvu_domain::DomainError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{
    Lapse, MeetingKind, Month, assemblies_missing, due_meetings, duration_flag, halves_missing,
    removal_flags, template_on,
};
use dangvu_store::meetings::{self as store, Assignment};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use dangvu_store::residence as rstore;
use serde::Serialize;
use serde_json::json;

use crate::audit_log::Action;
use crate::meetings::{length_of, superior_committee};
use crate::{Actor, App, AppError, AppResult};

/// One cell's line of the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CellLine {
    pub org: OrgId,
    pub name: String,
    /// Its grassroots organisation (itself for a chi bộ cơ sở).
    pub grassroots: String,
    pub months_due: usize,
    pub months_held: usize,
    pub months_missing: Vec<Month>,
    pub quarters_due: usize,
    pub quarters_missing: Vec<(i32, u32)>,
    pub meetings: usize,
    /// Shorter than the minimum of their date (R18).
    pub short: usize,
    pub avg_minutes: Option<u32>,
    /// The sum of the meetings' lengths in minutes, and of their scores.
    pub minutes_total: u64,
    pub score_total: i64,
    /// Members expected at the meetings (not exempt, not attached) and those present.
    pub expected: i64,
    pub present: i64,
    /// Meetings a superior committee member attended.
    pub with_superior: usize,
    /// Who is assigned to attend, in the period.
    pub assigned: Vec<String>,
    /// Meetings during an assignment, and those the assigned member attended.
    pub assigned_meetings: usize,
    pub assigned_attended: usize,
    pub scored: usize,
    pub avg_score: Option<u32>,
    /// Scored meetings per band, named as the template names it.
    pub bands: Vec<(String, usize)>,
    /// Topics of its thematic (and combined) meetings.
    pub topics: Vec<String>,
    /// Members who missed regular meetings without a reason, or dues, in 3 months of a
    /// calendar year of the period (R11): flagged for the cell committee.
    pub flagged: Vec<String>,
}

/// A grassroots đảng bộ's meetings of the whole đảng bộ (R16, twice a year).
#[derive(Debug, Clone, Serialize)]
pub struct AssemblyLine {
    pub org: OrgId,
    pub name: String,
    pub held: usize,
    pub halves_missing: Vec<(i32, u32)>,
}

/// A residence committee's side (R20–R22).
#[derive(Debug, Clone, Serialize)]
pub struct ResidenceLine {
    pub org: OrgId,
    pub name: String,
    /// Working members attached in the period (not exempt), and those exempt.
    pub attached: usize,
    pub exempt: usize,
    pub meetings: usize,
    pub halves_missing: Vec<(i32, u32)>,
    /// Comments of the period's last year written and certified.
    pub comments_written: usize,
    pub comments_certified: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingsReport {
    pub org: OrgId,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The tree the cells are grouped by: as it stood on this day.
    pub as_of: NaiveDate,
    pub cells: Vec<CellLine>,
    /// The sums over the cells (names empty).
    pub total: CellLine,
    pub assemblies: Vec<AssemblyLine>,
    pub residence: Vec<ResidenceLine>,
    /// Members of this subtree introduced to their place of residence (not exempt) in the
    /// period, and those whose comment of the last year is certified.
    pub introduced: usize,
    pub introduced_commented: usize,
    /// The year the comments counted are of.
    pub comment_year: i32,
}

impl App {
    /// The meetings report of an organisation's subtree between two dates, the cells grouped
    /// as the tree stood on the last day (or today, if earlier).
    pub async fn meetings_report(
        &self,
        actor: &Actor,
        org: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<MeetingsReport> {
        self.require_org(actor, org)?;
        if to < from {
            return Err(DomainError::rule_on("period_reversed", "to").into());
        }
        // At most a term, within real years: a range of centuries costs the server for nothing.
        dangvu_domain::date::check_range(from, to, 60, self.clock.today(), ("from", "to"))?;
        let _turn = self.report_turn().await?;
        let as_of = to.min(self.clock.today()).max(from);
        let mut tx = self.store.read().await?;
        // The tree of that date, cut to what the actor may see today: a cell that has since
        // left her subtree is not hers to read.
        let mut periods = self.subtree_periods(&mut tx, org, as_of).await?;
        periods.retain(|p| actor.access.org_in_scope(p.org));
        let root = periods
            .iter()
            .find(|p| p.org == org)
            .cloned()
            .ok_or(AppError::NotFound("org"))?;
        let name_of = |id: Option<OrgId>| {
            periods
                .iter()
                .find(|p| Some(p.org) == id)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        let ids: Vec<OrgId> = periods.iter().map(|p| p.org).collect();
        let cells: Vec<&ostore::OrgPeriod> = periods.iter().filter(|p| p.kind.is_cell()).collect();
        let cell_ids: Vec<OrgId> = cells.iter().map(|p| p.org).collect();
        let meetings = store::meetings_of_orgs(&mut tx, &ids, from, to).await?;
        let figures = store::figures(&mut tx, &ids, from, to).await?;
        let assignments = store::assignments(&mut tx, &cell_ids, from, to).await?;
        let templates = store::templates(&mut tx).await?;
        let lapses = store::lapses(&mut tx, &cell_ids, from, to).await?;
        let lapses = with_ledger(
            &mut tx,
            lapses,
            &cell_ids,
            (from, to, as_of),
            self.clock.today(),
        )
        .await?;
        let mut by_org: HashMap<OrgId, Vec<&store::Meeting>> = HashMap::new();
        for m in &meetings {
            by_org.entry(m.org).or_default().push(m);
        }
        let mut lines = Vec::with_capacity(cells.len());
        for c in &cells {
            let history = ostore::history(&mut tx, c.org).await?;
            let mut alive: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
            for p in history.iter().filter(|p| p.kind.is_cell()) {
                match alive.last_mut() {
                    Some((_, end)) if *end == Some(p.valid_from) => *end = p.valid_to,
                    _ => alive.push((p.valid_from, p.valid_to)),
                }
            }
            let own: Vec<&store::Meeting> = by_org.get(&c.org).cloned().unwrap_or_default();
            let held: Vec<(NaiveDate, MeetingKind)> =
                own.iter().map(|m| (m.held_on, m.kind)).collect();
            let due = due_meetings(&alive, from, to, &held);
            let mut line = CellLine {
                org: c.org,
                name: c.name.clone(),
                grassroots: if c.kind.is_grassroots() {
                    c.name.clone()
                } else {
                    name_of(c.parent)
                },
                months_due: due.months_due.len(),
                months_held: due.months_due.len() - due.months_missing.len(),
                months_missing: due.months_missing,
                quarters_due: due.quarters_due.len(),
                quarters_missing: due.quarters_missing,
                meetings: own.len(),
                ..CellLine::default()
            };
            let mine: Vec<&Assignment> = assignments.iter().filter(|a| a.org == c.org).collect();
            for a in &mine {
                if !line.assigned.contains(&a.member_name) {
                    line.assigned.push(a.member_name.clone());
                }
            }
            for m in &own {
                let long = length_of(m);
                line.minutes_total += u64::from(long);
                if duration_flag(m.kind, m.held_on, long).is_some() {
                    line.short += 1;
                }
                if m.kind.is_thematic()
                    && let Some(t) = &m.topic
                {
                    line.topics.push(t.clone());
                }
                let f = figures.get(&m.id).cloned().unwrap_or_default();
                line.expected += f.expected;
                line.present += f.present;
                if !f.guests.is_empty() {
                    line.with_superior += 1;
                }
                let assigned: Option<MemberId> = mine
                    .iter()
                    .find(|a| a.valid_from <= m.held_on && a.valid_to.is_none_or(|e| m.held_on < e))
                    .map(|a| a.member);
                if let Some(a) = assigned {
                    line.assigned_meetings += 1;
                    if f.guests.contains(&a) {
                        line.assigned_attended += 1;
                    }
                }
                if let Some(s) = f.score {
                    line.scored += 1;
                    line.score_total += s;
                    // The band as the template of the meeting's date names it.
                    let band = template_on(&templates, m.held_on)
                        .and_then(|t| {
                            let code = t.band(u32::try_from(s).unwrap_or(0));
                            t.bands.iter().find(|b| b.code == code)
                        })
                        .map(|b| b.name.clone())
                        .unwrap_or_default();
                    match line.bands.iter_mut().find(|(b, _)| *b == band) {
                        Some((_, n)) => *n += 1,
                        None => line.bands.push((band, 1)),
                    }
                }
            }
            averages(&mut line);
            line.flagged = flagged(lapses.iter().filter(|l| l.0 == c.org));
            lines.push(line);
        }
        lines.sort_by(|a, b| {
            dangvu_domain::text::compare(&a.grassroots, &b.grassroots)
                .then_with(|| (a.grassroots != a.name).cmp(&(b.grassroots != b.name)))
                .then_with(|| dangvu_domain::text::compare(&a.name, &b.name))
        });
        let total = sum(&lines);
        // Grassroots đảng bộ (not chi bộ cơ sở): twice a year the whole đảng bộ meets.
        let assemblies = periods
            .iter()
            .filter(|p| p.kind.is_grassroots() && !p.kind.is_cell())
            .map(|p| {
                let held: Vec<(NaiveDate, MeetingKind)> = by_org
                    .get(&p.org)
                    .map(|v| v.iter().map(|m| (m.held_on, m.kind)).collect())
                    .unwrap_or_default();
                AssemblyLine {
                    org: p.org,
                    name: p.name.clone(),
                    held: held
                        .iter()
                        .filter(|(_, k)| *k == MeetingKind::Assembly)
                        .count(),
                    halves_missing: assemblies_missing(from, to, &held),
                }
            })
            .collect();
        // The residence side.
        let links = rstore::links_touching(&mut tx, &ids).await?;
        let in_period =
            |l: &&rstore::Link| l.introduced_on <= to && l.ended_on.is_none_or(|e| e > from);
        let comment_year = to.year();
        let members: Vec<i64> = links.iter().filter(in_period).map(|l| l.member.0).collect();
        let comments = rstore::comments(&mut tx, &members, comment_year).await?;
        let days = rstore::meeting_days_of(&mut tx, &ids, from, to).await?;
        tx.commit().await?;
        let mut residence_orgs: Vec<OrgId> = links
            .iter()
            .filter(in_period)
            .map(|l| l.residence)
            .filter(|r| ids.contains(r))
            .chain(days.iter().map(|(o, _)| *o))
            .collect();
        residence_orgs.sort_unstable();
        residence_orgs.dedup();
        let residence = residence_orgs
            .iter()
            .map(|r| {
                let mine: Vec<&rstore::Link> = links
                    .iter()
                    .filter(in_period)
                    .filter(|l| l.residence == *r)
                    .collect();
                let held: Vec<NaiveDate> = days
                    .iter()
                    .filter(|(o, _)| o == r)
                    .map(|(_, d)| *d)
                    .collect();
                let of_mine = |certified: bool| {
                    comments
                        .iter()
                        .filter(|c| {
                            mine.iter()
                                .any(|l| l.member == c.member && l.exempt_category.is_none())
                                && (!certified || c.certified_on.is_some())
                        })
                        .count()
                };
                ResidenceLine {
                    org: *r,
                    name: name_of(Some(*r)),
                    attached: mine.iter().filter(|l| l.exempt_category.is_none()).count(),
                    exempt: mine.iter().filter(|l| l.exempt_category.is_some()).count(),
                    meetings: held.len(),
                    halves_missing: halves_missing(from, to, &held),
                    comments_written: of_mine(false),
                    comments_certified: of_mine(true),
                }
            })
            .collect();
        let introduced: Vec<&rstore::Link> = links
            .iter()
            .filter(in_period)
            .filter(|l| ids.contains(&l.workplace) && l.exempt_category.is_none())
            .collect();
        let introduced_commented = introduced
            .iter()
            .filter(|l| {
                comments
                    .iter()
                    .any(|c| c.member == l.member && c.certified_on.is_some())
            })
            .count();
        Ok(MeetingsReport {
            org,
            name: root.name,
            from,
            to,
            as_of,
            cells: lines,
            total,
            assemblies,
            residence,
            introduced: introduced.len(),
            introduced_commented,
            comment_year,
        })
    }

    /// Assigns a member of a committee above a cell to attend its meetings from a date
    /// (replacing the one assigned before). Decided by the committee above: write access to
    /// the cell's parent.
    pub async fn assign_attendee(
        &self,
        actor: &Actor,
        cell: OrgId,
        member: MemberId,
        from: NaiveDate,
    ) -> AppResult<i64> {
        // Scope first: a cell out of sight answers as one that does not exist.
        self.require_org(actor, cell)?;
        let mut tx = self.store.begin().await?;
        let p = ostore::period_on(&mut tx, cell, from)
            .await?
            .ok_or(AppError::Domain(DomainError::rule_on(
                "org_not_active",
                "from",
            )))?;
        if !p.kind.is_cell() {
            return Err(DomainError::rule_on("not_a_cell", "org").into());
        }
        let parent = p
            .parent
            .ok_or(AppError::Domain(DomainError::rule_on("not_a_cell", "org")))?;
        self.require_org_write(actor, parent)?;
        let superior = superior_committee(&mut tx, cell, from).await?;
        if !superior.iter().any(|h| h.member == member) {
            return Err(DomainError::rule_on("guest_not_superior", "member").into());
        }
        let id = store::assign(&mut tx, cell, member, from, &self.now_text(), &actor.name).await?;
        self.commit_audited(
            tx,
            actor,
            Action::MeetingAssign
                .on("org", cell.0)
                .after(Some(json!({"member": member.0, "from": from.to_string()}))),
            id,
        )
        .await
    }

    /// The assignments of a cell overlapping two dates.
    pub async fn assignments(
        &self,
        actor: &Actor,
        cell: OrgId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<Assignment>> {
        self.require_org(actor, cell)?;
        let mut tx = self.store.read().await?;
        let v = store::assignments(&mut tx, &[cell], from, to).await?;
        committed(tx, v).await
    }
}

/// The members with R11 flags among a cell's lapses, in Vietnamese name order.
fn flagged<'a>(lapses: impl Iterator<Item = &'a LapseRow>) -> Vec<String> {
    let mut by_member: HashMap<MemberId, (String, Vec<Lapse>)> = HashMap::new();
    for (_, on, m, name, absent, unpaid) in lapses {
        by_member
            .entry(*m)
            .or_insert_with(|| (name.clone(), Vec::new()))
            .1
            .push(Lapse {
                month: (on.year(), on.month()),
                unexcused_absence: *absent,
                dues_unpaid: *unpaid,
            });
    }
    let mut out: Vec<String> = by_member
        .into_values()
        .filter(|(_, l)| !removal_flags(l).is_empty())
        .map(|(n, _)| n)
        .collect();
    out.sort_by_cached_key(|n| dangvu_domain::text::name_sort_key(n));
    out
}

/// The sums of the cells' lines (averages weighted by meetings).
fn sum(lines: &[CellLine]) -> CellLine {
    let mut t = CellLine::default();
    for l in lines {
        t.minutes_total += l.minutes_total;
        t.score_total += l.score_total;
        t.months_due += l.months_due;
        t.months_held += l.months_held;
        t.quarters_due += l.quarters_due;
        t.meetings += l.meetings;
        t.short += l.short;
        t.expected += l.expected;
        t.present += l.present;
        t.with_superior += l.with_superior;
        t.assigned_meetings += l.assigned_meetings;
        t.assigned_attended += l.assigned_attended;
        t.scored += l.scored;
        t.months_missing.extend(l.months_missing.iter().copied());
        t.quarters_missing
            .extend(l.quarters_missing.iter().copied());
        t.flagged.extend(l.flagged.iter().cloned());
        for (b, n) in &l.bands {
            match t.bands.iter_mut().find(|(x, _)| x == b) {
                Some((_, m)) => *m += n,
                None => t.bands.push((b.clone(), *n)),
            }
        }
    }
    averages(&mut t);
    t
}

/// The average length and score of a line's meetings, rounded to the nearest unit.
fn averages(l: &mut CellLine) {
    if l.meetings > 0 {
        let n = l.meetings as u64;
        l.avg_minutes = u32::try_from((l.minutes_total + n / 2) / n).ok();
    }
    if l.scored > 0 {
        let n = l.scored as i64;
        l.avg_score = u32::try_from((l.score_total + n / 2) / n).ok();
    }
}

/// One member's lapse in a cell: the cell, the day, the member, her name, an unexcused
/// absence, dues unpaid.
type LapseRow = (OrgId, NaiveDate, MemberId, String, bool, bool);

/// The lapses of the meetings with the ledger's word on dues (R11, R14): where a member's
/// basis prices a month, an unticked meeting is not a lapse of dues, and each month she owes
/// is one, meeting or not.
async fn with_ledger(
    conn: &mut dangvu_store::Conn,
    mut lapses: Vec<LapseRow>,
    cells: &[OrgId],
    (from, to, as_of): (NaiveDate, NaiveDate, NaiveDate),
    today: NaiveDate,
) -> AppResult<Vec<LapseRow>> {
    use dangvu_domain::dues::month_start;
    let rolls = mstore::members_on_rolls(conn, cells, as_of).await?;
    let mut members: Vec<MemberId> = rolls.iter().map(|r| r.0).collect();
    members.extend(lapses.iter().map(|l| l.2));
    members.sort_unstable();
    members.dedup();
    let record = crate::dues::dues_record(conn, &members, today).await?;
    for l in &mut lapses {
        if record
            .get(&l.2)
            .is_some_and(|(_, priced)| priced.contains(&month_start(l.1)))
        {
            l.5 = false;
        }
    }
    let names: HashMap<MemberId, String> = mstore::names_of(conn, &members)
        .await?
        .into_iter()
        .collect();
    for (member, cell) in rolls {
        let Some((unpaid, _)) = record.get(&member) else {
            continue;
        };
        for m in unpaid
            .iter()
            .filter(|m| **m >= month_start(from) && **m <= to)
        {
            let name = names.get(&member).cloned().unwrap_or_default();
            lapses.push((cell, *m, member, name, false, true));
        }
    }
    Ok(lapses)
}
