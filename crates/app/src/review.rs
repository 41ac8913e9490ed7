//! Review periods and members' levels (R23–R27, R31): opening a period
//! under the rule set in force, deciding members' levels within the bounds the register imposes
//! (R24 not classified, R25 forced and capped levels) and the quota of their grassroots
//! organisation (R27, an override needs a reason), and the members' counts of a period.

use crate::committed;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, EventKind, Status, state_on};
use dangvu_domain::org::OrgKind;
use dangvu_domain::review::{
    Level, LevelCounts, MemberFacts, Period, RuleSet, check_member_decision, member_not_classified,
    rule_set_for,
};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use dangvu_store::reviews::{self as rstore, Decision, ReviewPeriod};
use serde_json::json;
use std::collections::BTreeMap;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

mod report;
pub use report::*;

/// A member's decision to record.
#[derive(Debug, Clone, Default)]
pub struct MemberDecision {
    /// None: not classified (the register must say why).
    pub level: Option<Level>,
    /// The 100-point score, under a rule set with points.
    pub points: Option<u8>,
    pub decision_ref: Option<String>,
}

/// The members' side of a period's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberCounts {
    pub levels: LevelCounts,
    /// Not classified, by reason code.
    pub not_classified: BTreeMap<String, u32>,
}

/// The most review periods an organisation may have open at once (a year, its quarters and a
/// term overlap; more is a mistake or abuse).
const MAX_OPEN_REVIEWS: usize = 8;

/// A review period the actor may see, or "not found", the same answer as for an id nobody
/// uses: one of an organisation in her scope today, or of an organisation above it whose
/// subtree held one of hers (or, for a member, her cell) at the period's end.
pub(crate) async fn period(conn: &mut Conn, actor: &Actor, id: i64) -> AppResult<ReviewPeriod> {
    let p = rstore::period(conn, id)
        .await
        .map_err(|_| AppError::NotFound("review"))?;
    if covers(conn, actor, &p).await? {
        Ok(p)
    } else {
        Err(AppError::NotFound("review"))
    }
}

/// Whether the actor may see a period (see [`period`]).
async fn covers(conn: &mut Conn, actor: &Actor, p: &ReviewPeriod) -> AppResult<bool> {
    let a = &actor.access;
    if a.org_in_scope(p.org) {
        return Ok(true);
    }
    if a.orgs.is_empty() && a.own_member.is_none() {
        return Ok(false);
    }
    let sub = ostore::subtree_ids(conn, p.org, p.period.end).await?;
    if sub.iter().any(|o| a.org_in_scope(*o)) {
        return Ok(true);
    }
    Ok(match a.own_member {
        Some(m) => member_facts(conn, m, p.period)
            .await?
            .1
            .is_some_and(|c| sub.contains(&c)),
        None => false,
    })
}

/// A review period the actor may see, still open to decisions; a locked one changes only by
/// recorded corrections.
pub(crate) async fn open_period(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> AppResult<ReviewPeriod> {
    let p = period(conn, actor, id).await?;
    if p.status != "open" {
        return Err(DomainError::rule("review_locked").into());
    }
    Ok(p)
}

pub(crate) fn rule_set_of(p: &ReviewPeriod) -> AppResult<&'static RuleSet> {
    rule_set_for(p.period.start)
        .filter(|r| r.id == p.rule_set)
        .ok_or(AppError::Domain(DomainError::rule("no_rule_set")))
}

/// An organisation and its ancestors on a date, nearest first, with the grassroots
/// organisation among them (itself when it is one).
pub(crate) async fn ancestry(
    conn: &mut Conn,
    org: OrgId,
    on: chrono::NaiveDate,
) -> AppResult<(Vec<OrgId>, Option<OrgId>)> {
    crate::orgs::memo::OrgMemo::default()
        .ancestry(conn, org, on)
        .await
}

/// The grassroots organisation an organisation belongs to on a date (itself when it is one).
async fn grassroots_of(
    conn: &mut Conn,
    org: OrgId,
    on: chrono::NaiveDate,
) -> AppResult<Option<OrgId>> {
    Ok(ancestry(conn, org, on).await?.1)
}

/// What the register says of a member for a period (R24, R25).
pub(crate) async fn member_facts(
    conn: &mut Conn,
    member: MemberId,
    period: Period,
) -> AppResult<(MemberFacts, Option<OrgId>)> {
    let rec = mstore::get_member(conn, member)
        .await
        .map_err(|_| AppError::NotFound("member"))?;
    let rows = mstore::events_of(conn, member).await?;
    let timeline: Vec<Event> = rows.iter().map(|e| e.event.clone()).collect();
    let state = state_on(rec.birth_date, &timeline, period.end)?;
    let disciplines = rows
        .iter()
        .filter(|e| e.event.kind == EventKind::Disciplined && period.contains(e.event.on))
        .filter_map(|e| {
            e.event.discipline.map(|d| {
                // One violation counts once: the decision reference names it, or the event.
                let v = e
                    .decision_ref
                    .clone()
                    .unwrap_or_else(|| format!("event-{}", e.id.0));
                (v, d)
            })
        })
        .collect();
    let facts = MemberFacts {
        admitted_on: state.admitted_on,
        on_rolls: state.status.on_rolls(),
        exempt: state.status == Status::Exempt,
        suspended: state.status == Status::Suspended,
        disciplines,
        ..Default::default()
    };
    Ok((facts, state.cell))
}

/// The kind of an organisation among periods.
fn by_kind(orgs: &[ostore::OrgPeriod], org: OrgId) -> Option<OrgKind> {
    orgs.iter().find(|o| o.org == org).map(|o| o.kind)
}

impl App {
    /// Refuses a decision to an actor who does not hold the deciding grassroots organisation:
    /// forbidden when she sees the member (a cell's secretary proposes, the committee above
    /// decides).
    pub(crate) fn require_grassroots_write(&self, actor: &Actor, g: OrgId) -> AppResult<()> {
        if actor.access.org_in_scope(g) && actor.access.writes() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// May the actor decide the members of this grassroots organisation?
    pub fn decides_for(&self, actor: &Actor, g: Option<OrgId>) -> bool {
        g.is_none_or(|g| self.require_grassroots_write(actor, g).is_ok())
    }
}

/// What the register and the review's own steps say of a member for a period: the head of
/// agency's civil-service rating and the months of sick leave the cell committee noted (R25).
pub(crate) async fn member_facts_in(
    conn: &mut Conn,
    member: MemberId,
    p: &ReviewPeriod,
) -> AppResult<(MemberFacts, Option<OrgId>)> {
    let (mut facts, cell) = member_facts(conn, member, p.period).await?;
    for s in rstore::steps_of(conn, p.id, "member", &[member.0]).await? {
        match (s.step.as_str(), s.body.as_str()) {
            ("comment", "agency") => facts.civil_service = s.level,
            ("comment", "cell_committee") => {
                facts.sick_leave_months = s
                    .sick_leave_months
                    .and_then(|m| u8::try_from(m).ok())
                    .unwrap_or(0)
            }
            _ => {}
        }
    }
    Ok((facts, cell))
}

impl App {
    /// Opens a review period of an organisation's subtree under the rule set in force at its
    /// start (R23).
    pub async fn open_review(
        &self,
        actor: &Actor,
        org: OrgId,
        label: &str,
        period: Period,
    ) -> AppResult<i64> {
        self.require_org_write(actor, org)?;
        // A year, a quarter or a term (R23), within real years.
        dangvu_domain::date::check_range(
            period.start,
            period.end,
            60,
            self.clock.today(),
            ("period_start", "period_end"),
        )?;
        let rs = rule_set_for(period.start).ok_or(AppError::Domain(DomainError::rule_on(
            "no_rule_set",
            "period_start",
        )))?;
        let label = clean(label);
        if label.is_empty() {
            return Err(FieldError::new("label", "required").into());
        }
        let mut tx = self.store.begin().await?;
        ostore::org_dates(&mut tx, org)
            .await
            .map_err(|_| AppError::NotFound("org"))?;
        let open = rstore::periods_of(&mut tx, org)
            .await?
            .iter()
            .filter(|p| p.status == "open")
            .count();
        if open >= MAX_OPEN_REVIEWS {
            return Err(DomainError::rule_on("too_many_open_reviews", "period_start").into());
        }
        let id =
            rstore::insert_period(&mut tx, org, &label, period, rs.id, &self.now_text()).await?;
        self.commit_audited(
            tx,
            actor,
            Action::ReviewOpen
                .on("org", org.0)
                .after(Some(json!({"period": id, "label": label, "start": period.start.to_string(), "end": period.end.to_string(), "rule_set": rs.id}))),
            id,
        )
        .await
    }

    /// Decides a member's level (R24, R25). Refused: a level for a member the register says is
    /// not classified, or none for one who is; a level better than a forced or capped one (the
    /// rule's code is in the error); a score that does not give the level. The quota (R27) is a
    /// property of the whole grassroots organisation, so it is shown as levels are assigned and
    /// enforced when the period is locked.
    pub async fn decide_member(
        &self,
        actor: &Actor,
        period_id: i64,
        member: MemberId,
        d: MemberDecision,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, actor, period_id).await?;
        self.decide_member_in(&mut tx, actor, &p, member, d).await?;
        committed(tx, ()).await
    }

    /// Decides a member's level inside a transaction (the one-by-one and the whole-cell paths).
    async fn decide_member_in(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        p: &ReviewPeriod,
        member: MemberId,
        d: MemberDecision,
    ) -> AppResult<()> {
        // The deciding body is the member's own grassroots committee: the write check on the
        // member below, not the period's organisation, decides who may.
        let period_id = p.id;
        self.require_member_write(tx, actor, member).await?;
        let rs = rule_set_of(p)?;
        let (facts, cell) = member_facts_in(tx, member, p).await?;
        // The member must belong to the reviewed subtree at the end of the period.
        let (chain, grassroots) = match cell {
            Some(c) => ancestry(tx, c, p.period.end).await?,
            None => (Vec::new(), None),
        };
        if facts.on_rolls && !chain.contains(&p.org) {
            return Err(DomainError::rule_on("member_not_in_review", "member").into());
        }
        // R28: the grassroots committee decides (a chi bộ cơ sở is its own grassroots); a
        // chi bộ trực thuộc proposes.
        if let Some(g) = grassroots {
            self.require_grassroots_write(actor, g)?;
        }
        let (level, not_classified) =
            check_member_decision(rs, p.period, &facts, d.level, d.points)?;
        let decision = Decision {
            period_id,
            subject_kind: "member".into(),
            subject_id: member.0,
            grassroots,
            unit: cell,
            level,
            not_classified: not_classified.map(|r| r.code().to_owned()),
            points: d.points.map(i64::from),
            decision_ref: d.decision_ref.clone(),
            decided_at: self.now_text(),
            decided_by: actor.name.clone(),
        };
        let old = rstore::decision(tx, period_id, "member", member.0).await?;
        rstore::put_decision(tx, &decision).await?;
        self.audit(
            tx,
            actor,
            Action::ReviewDecide
                .on("member", member.0)
                .before(old.map(|o| json!({"period": period_id, "level": o.level.map(Level::code), "not_classified": o.not_classified})))
                .after(Some(json!({"period": period_id, "level": level.map(Level::code), "not_classified": decision.not_classified, "points": d.points})))
                .decision(d.decision_ref.as_deref()),
        )
        .await?;
        Ok(())
    }

    /// Decides, in one transaction, every member of an organisation who has a proposal and no
    /// decision yet, at the proposed level (each within the rules, or nothing is written); the
    /// members the register does not classify are recorded as such. Returns how many.
    pub async fn decide_as_proposed(
        &self,
        actor: &Actor,
        period_id: i64,
        org: OrgId,
        decision_ref: Option<&str>,
    ) -> AppResult<usize> {
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, actor, period_id).await?;
        self.require_org_write(actor, org)?;
        if let Some(g) = grassroots_of(&mut tx, org, p.period.end).await? {
            self.require_grassroots_write(actor, g)?;
        }
        let members = mstore::members_on_rolls(&mut tx, &[org], p.period.end).await?;
        let ids: Vec<i64> = members.iter().map(|(m, _)| m.0).collect();
        let steps = rstore::steps_of(&mut tx, period_id, "member", &ids).await?;
        let decided = rstore::decisions_of(&mut tx, period_id, "member", &ids).await?;
        let mut n = 0;
        for (m, _) in &members {
            if decided.iter().any(|d| d.subject_id == m.0) {
                continue;
            }
            let (facts, _) = member_facts_in(&mut tx, *m, &p).await?;
            let nc = member_not_classified(rule_set_of(&p)?, p.period, &facts).is_some();
            let proposal = steps
                .iter()
                .find(|s| s.subject_id == m.0 && s.step == "proposal");
            let d = match (nc, proposal) {
                (true, _) => MemberDecision {
                    decision_ref: decision_ref.map(str::to_owned),
                    ..Default::default()
                },
                (false, Some(s)) => MemberDecision {
                    level: s.level,
                    points: s.points.and_then(|x| u8::try_from(x).ok()),
                    decision_ref: decision_ref.map(str::to_owned),
                },
                (false, None) => continue,
            };
            self.decide_member_in(&mut tx, actor, &p, *m, d).await?;
            n += 1;
        }
        committed(tx, n).await
    }

    /// The quota of every grassroots organisation of a period (R27): HTXS against the cap.
    pub async fn quota_status(
        &self,
        actor: &Actor,
        period_id: i64,
    ) -> AppResult<Vec<(OrgId, dangvu_domain::review::QuotaCheck)>> {
        self.quota_of(actor, period_id, None).await
    }

    /// The quota of one grassroots organisation, or of every one (R27), counted by the index.
    pub async fn quota_of(
        &self,
        actor: &Actor,
        period_id: i64,
        only: Option<OrgId>,
    ) -> AppResult<Vec<(OrgId, dangvu_domain::review::QuotaCheck)>> {
        let mut tx = self.store.read().await?;
        let p = period(&mut tx, actor, period_id).await?;
        let rs = rule_set_of(&p)?;
        let counts = rstore::quota_counts(&mut tx, period_id, only).await?;
        tx.commit().await?;
        Ok(counts
            .into_iter()
            .filter(|(g, _, _)| actor.access.org_in_scope(*g))
            .map(|(g, x, t)| (g, rs.quota.check(x, t)))
            .collect())
    }

    /// Locks a period: no decision changes afterwards except as recorded corrections (R28).
    /// A grassroots organisation over the quota needs an override reason (R27), kept in the
    /// audit trail.
    pub async fn lock_review(
        &self,
        actor: &Actor,
        period_id: i64,
        overrides: &[(OrgId, String)],
    ) -> AppResult<()> {
        {
            let mut tx = self.store.read().await?;
            let p = period(&mut tx, actor, period_id).await?;
            tx.commit().await?;
            self.require_org_write(actor, p.org)?;
        }
        let quotas = self.quota_status(actor, period_id).await?;
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, actor, period_id).await?;
        self.require_org_write(actor, p.org)?;
        let mut overridden = Vec::new();
        for (g, check) in quotas.iter().filter(|(_, c)| c.exceeded) {
            match overrides
                .iter()
                .find(|(o, r)| o == g && !clean(r).is_empty())
            {
                Some((_, reason)) => overridden.push(json!({"grassroots": g.0, "htxs": check.htxs, "cap": check.cap, "reason": clean(reason)})),
                None => return Err(DomainError::rule_on("quota_exceeded", "override_reason").into()),
            }
        }
        rstore::set_status(&mut tx, period_id, "locked").await?;
        let reasons: Vec<String> = overridden
            .iter()
            .filter_map(|o| o["reason"].as_str().map(str::to_owned))
            .collect();
        self.commit_audited(
            tx,
            actor,
            Action::ReviewLock
                .on("org", p.org.0)
                .before(Some(json!({"period": period_id, "status": "open"})))
                .after(Some(
                    json!({"period": period_id, "status": "locked", "quota_overrides": overridden}),
                ))
                .reason(
                    Some(&reasons.join("; "))
                        .filter(|s| !s.is_empty())
                        .map(String::as_str),
                ),
            (),
        )
        .await
    }

    /// Decides the level of an organisation (R26, R28): a chi bộ trực thuộc or đảng bộ bộ phận
    /// by its grassroots committee, a grassroots organisation by its superior's standing
    /// committee (the actor must hold the parent). Bottom-up: every member on its rolls and
    /// every subordinate organisation must be decided first. HTXS needs all of them HT or better
    /// and 80 % HTT or better; an organisation under 6 months old is not classified (R24).
    pub async fn decide_org(
        &self,
        actor: &Actor,
        period_id: i64,
        org: OrgId,
        level: Option<Level>,
        decision_ref: Option<&str>,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, actor, period_id).await?;
        self.require_org(actor, org)?;
        let end = p.period.end;
        let this = ostore::period_on(&mut tx, org, end)
            .await?
            .ok_or(AppError::NotFound("org"))?;
        let kind = if this.kind.is_grassroots() {
            "grassroots"
        } else if matches!(
            this.kind,
            dangvu_domain::org::OrgKind::ChiBoTrucThuoc | dangvu_domain::org::OrgKind::DangBoBoPhan
        ) {
            "subordinate_org"
        } else {
            return Err(DomainError::rule_on("org_not_rated", "org").into());
        };
        let subtree = ostore::subtree_ids(&mut tx, p.org, end).await?;
        if !subtree.contains(&org) {
            return Err(DomainError::rule_on("org_not_in_review", "org").into());
        }
        // The deciding body: the grassroots committee above a subordinate organisation, the
        // superior above a grassroots one.
        let parent = this
            .parent
            .ok_or(AppError::Domain(DomainError::rule("org_not_rated")))?;
        self.require_org_write(actor, parent)?;
        let grassroots = if kind == "subordinate_org" {
            grassroots_of(&mut tx, parent, end).await?
        } else {
            None
        };
        let dates = ostore::org_dates(&mut tx, org).await?;
        let not_classified = dangvu_domain::review::org_not_classified(p.period, dates.founded_on);
        match (level, not_classified) {
            (Some(_), Some(_)) => {
                return Err(DomainError::rule_on("not_classified_org_too_young", "level").into());
            }
            (None, None) => return Err(FieldError::new("level", "required").into()),
            _ => {}
        }
        // Bottom-up: what is below must be decided first.
        let below_ids = ostore::subtree_ids(&mut tx, org, end).await?;
        let members = mstore::members_on_rolls(&mut tx, &below_ids, end).await?;
        let mut member_levels = Vec::new();
        let mut undecided = 0usize;
        for (m, _) in &members {
            match rstore::decision(&mut tx, period_id, "member", m.0).await? {
                Some(d) => member_levels.extend(d.level),
                None => undecided += 1,
            }
        }
        let mut sub_levels = Vec::new();
        let tree = ostore::tree_on(&mut tx, end).await?;
        for c in tree.iter().filter(|c| c.parent == Some(org)) {
            match rstore::decision(&mut tx, period_id, "subordinate_org", c.org.0).await? {
                Some(d) => sub_levels.extend(d.level),
                None if c.kind.is_cell() || c.kind == dangvu_domain::org::OrgKind::DangBoBoPhan => {
                    undecided += 1
                }
                None => {}
            }
        }
        if undecided > 0 {
            return Err(DomainError::rule_on("subordinates_undecided", "org").into());
        }
        if level == Some(Level::Htxs) {
            // A cell is judged by its members, a đảng bộ by its subordinate organisations.
            let below = if sub_levels.is_empty() {
                &member_levels
            } else {
                &sub_levels
            };
            if let Some(b) = dangvu_domain::review::org_htxs_condition(below) {
                return Err(DomainError::rule_on(b.code, "level").into());
            }
        }
        let decision = Decision {
            period_id,
            subject_kind: kind.into(),
            subject_id: org.0,
            grassroots,
            unit: Some(org),
            level,
            not_classified: not_classified.map(|r| r.code().to_owned()),
            points: None,
            decision_ref: decision_ref.map(str::to_owned),
            decided_at: self.now_text(),
            decided_by: actor.name.clone(),
        };
        let old = rstore::decision(&mut tx, period_id, kind, org.0).await?;
        rstore::put_decision(&mut tx, &decision).await?;
        self.commit_audited(
            tx,
            actor,
            Action::ReviewDecide
                .on("org", org.0)
                .before(old.map(|o| json!({"period": period_id, "level": o.level.map(Level::code)})))
                .after(Some(json!({"period": period_id, "level": level.map(Level::code), "not_classified": decision.not_classified})))
                .decision(decision_ref),
            (),
        )
        .await
    }

    /// The review periods of an organisation, oldest first.
    pub async fn reviews_of(&self, actor: &Actor, org: OrgId) -> AppResult<Vec<ReviewPeriod>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let v = rstore::periods_of(&mut tx, org).await?;
        committed(tx, v).await
    }

    /// The review periods the actor may see (those of an organisation in her scope, or of an
    /// ancestor of one), newest first.
    pub async fn reviews_visible(&self, actor: &Actor) -> AppResult<Vec<ReviewPeriod>> {
        let mut tx = self.store.read().await?;
        let all = rstore::all_periods(&mut tx).await?;
        let mut out = Vec::new();
        for p in all {
            if covers(&mut tx, actor, &p).await? {
                out.push(p);
            }
        }
        committed(tx, out).await
    }

    /// The review period of a year that covers an organisation: its own, else the nearest
    /// ancestor's (a city's period covers its wards' reports).
    pub async fn period_covering(
        &self,
        actor: &Actor,
        org: OrgId,
        year: i32,
    ) -> AppResult<Option<ReviewPeriod>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let mut best: Option<(usize, ReviewPeriod)> = None;
        for p in rstore::all_periods(&mut tx).await? {
            if dangvu_domain::review::review_year(p.period) != year {
                continue;
            }
            let sub = ostore::subtree_ids(&mut tx, p.org, p.period.end).await?;
            // The smaller the subtree, the nearer the period's organisation.
            if sub.contains(&org) && best.as_ref().is_none_or(|(n, _)| sub.len() < *n) {
                best = Some((sub.len(), p));
            }
        }
        committed(tx, best.map(|(_, p)| p)).await
    }

    /// A review period the actor may see.
    pub async fn review_period(&self, actor: &Actor, period_id: i64) -> AppResult<ReviewPeriod> {
        self.reviews_visible(actor)
            .await?
            .into_iter()
            .find(|p| p.id == period_id)
            .ok_or(AppError::NotFound("review"))
    }

    /// The members' counts of a period, recounted from the individual decisions (R31).
    pub async fn member_counts(&self, actor: &Actor, period_id: i64) -> AppResult<MemberCounts> {
        Ok(self
            .classification_report(actor, period_id, ReportQuery::default())
            .await?
            .members)
    }
}
