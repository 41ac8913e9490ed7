//! Review periods and members' levels (issue 4, R23–R27, R31): a first slice — opening a period
//! under the rule set in force, deciding members' levels within the bounds the register imposes
//! (R24 not classified, R25 forced and capped levels) and the quota of their grassroots
//! organisation (R27, an override needs a reason), and the members' counts of a period.

use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{Event, EventKind, Status, state_on};
use dangvu_domain::review::{
    Level, LevelCounts, MemberFacts, Period, RuleSet, best_allowed, member_bounds,
    member_not_classified, rule_set_for,
};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use dangvu_store::reviews::{self as rstore, Decision, ReviewPeriod};
use serde_json::json;
use std::collections::BTreeMap;

use crate::{Actor, App, AppError, AppResult};

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

/// A period's report (R31).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassificationReport {
    pub period_id: i64,
    pub label: String,
    /// Đảng bộ cơ sở.
    pub grassroots_dang_bo: LevelCounts,
    /// Chi bộ cơ sở.
    pub grassroots_cells: LevelCounts,
    /// Chi bộ trực thuộc and đảng bộ bộ phận.
    pub cells: LevelCounts,
    pub members: MemberCounts,
    pub paragraph: String,
}

/// A review period, or "not found".
async fn period(conn: &mut Conn, id: i64) -> AppResult<ReviewPeriod> {
    rstore::period(conn, id)
        .await
        .map_err(|_| AppError::NotFound("review"))
}

/// A review period still open to decisions; a locked one changes only by recorded corrections.
async fn open_period(conn: &mut Conn, id: i64) -> AppResult<ReviewPeriod> {
    let p = period(conn, id).await?;
    if p.status != "open" {
        return Err(DomainError::rule("review_locked").into());
    }
    Ok(p)
}

fn rule_set_of(p: &ReviewPeriod) -> AppResult<&'static RuleSet> {
    rule_set_for(p.period.start)
        .filter(|r| r.id == p.rule_set)
        .ok_or(AppError::Domain(DomainError::rule("no_rule_set")))
}

/// An organisation and its ancestors on a date, nearest first, with the grassroots
/// organisation among them (itself when it is one).
async fn ancestry(
    conn: &mut Conn,
    org: OrgId,
    on: chrono::NaiveDate,
) -> AppResult<(Vec<OrgId>, Option<OrgId>)> {
    let mut chain = Vec::new();
    let mut grassroots = None;
    let mut cur = Some(org);
    while let Some(o) = cur {
        if chain.len() >= 32 {
            break;
        }
        match ostore::period_on(conn, o, on).await? {
            Some(p) => {
                if p.kind.is_grassroots() && grassroots.is_none() {
                    grassroots = Some(o);
                }
                chain.push(o);
                cur = p.parent;
            }
            None => break,
        }
    }
    Ok((chain, grassroots))
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
        if period.end < period.start {
            return Err(FieldError::new("period_end", "date_before_start").into());
        }
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
        let id =
            rstore::insert_period(&mut tx, org, &label, period, rs.id, &self.now_text()).await?;
        self.audit(
            &mut tx,
            actor,
            "review.open",
            "org",
            org.0,
            None,
            Some(json!({"period": id, "label": label, "start": period.start.to_string(), "end": period.end.to_string(), "rule_set": rs.id})),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
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
        // The deciding body is the member's own grassroots committee: the write check on the
        // member below, not the period's organisation, decides who may.
        let p = open_period(&mut tx, period_id).await?;
        self.require_member_write(&mut tx, actor, member, None)
            .await?;
        let rs = rule_set_of(&p)?;
        let (facts, cell) = member_facts(&mut tx, member, p.period).await?;
        // The member must belong to the reviewed subtree at the end of the period.
        let (chain, grassroots) = match cell {
            Some(c) => ancestry(&mut tx, c, p.period.end).await?,
            None => (Vec::new(), None),
        };
        if facts.on_rolls && !chain.contains(&p.org) {
            return Err(DomainError::rule_on("member_not_in_review", "member").into());
        }
        let not_classified = member_not_classified(rs, p.period, &facts);
        let level = match (d.level, not_classified) {
            (Some(_), Some(reason)) => {
                return Err(DomainError::Rule {
                    code: match reason.code() {
                        "exempt" => "not_classified_exempt",
                        "suspended" => "not_classified_suspended",
                        "admitted_late" => "not_classified_admitted_late",
                        _ => "not_classified_not_on_rolls",
                    },
                    field: Some("level"),
                }
                .into());
            }
            (None, None) => return Err(FieldError::new("level", "required").into()),
            (level, _) => level,
        };
        if let (Some(l), Some(points)) = (level, d.points)
            && rs
                .level_from_points(points)
                .is_some_and(|by_points| by_points != l)
        {
            return Err(DomainError::rule_on("level_not_from_points", "points").into());
        }
        if let Some(l) = level {
            let bounds = member_bounds(&facts);
            if !best_allowed(&bounds).at_least(l) {
                let b = bounds
                    .iter()
                    .filter(|b| !b.best.at_least(l))
                    .max_by_key(|b| b.best)
                    .map(|b| b.code)
                    .unwrap_or("level_above_bound");
                return Err(DomainError::rule_on(b, "level").into());
            }
        }
        let decision = Decision {
            period_id,
            subject_kind: "member".into(),
            subject_id: member.0,
            grassroots,
            level,
            not_classified: not_classified.map(|r| r.code().to_owned()),
            points: d.points.map(i64::from),
            decision_ref: d.decision_ref.clone(),
            decided_at: self.now_text(),
            decided_by: actor.name.clone(),
        };
        let old = rstore::decision(&mut tx, period_id, "member", member.0).await?;
        rstore::put_decision(&mut tx, &decision).await?;
        self.audit(
            &mut tx,
            actor,
            "review.decide",
            "member",
            member.0,
            old.map(|o| json!({"period": period_id, "level": o.level.map(Level::code), "not_classified": o.not_classified})),
            Some(json!({"period": period_id, "level": level.map(Level::code), "not_classified": decision.not_classified, "points": d.points})),
            None,
            d.decision_ref.as_deref(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The quota of every grassroots organisation of a period (R27): HTXS against the cap.
    pub async fn quota_status(
        &self,
        actor: &Actor,
        period_id: i64,
    ) -> AppResult<Vec<(OrgId, dangvu_domain::review::QuotaCheck)>> {
        let mut tx = self.store.read().await?;
        let p = period(&mut tx, period_id).await?;
        let rs = rule_set_of(&p)?;
        let mut by: BTreeMap<OrgId, (u32, u32)> = BTreeMap::new();
        for d in rstore::decisions(&mut tx, period_id, "member").await? {
            if let Some(g) = d.grassroots
                && actor.access.org_in_scope(g)
            {
                let e = by.entry(g).or_default();
                match d.level {
                    Some(Level::Htxs) => e.0 += 1,
                    Some(Level::Htt) => e.1 += 1,
                    _ => {}
                }
            }
        }
        tx.commit().await?;
        Ok(by
            .into_iter()
            .map(|(g, (x, t))| (g, rs.quota.check(x, t)))
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
        let quotas = self.quota_status(actor, period_id).await?;
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, period_id).await?;
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
        self.audit(
            &mut tx,
            actor,
            "review.lock",
            "org",
            p.org.0,
            Some(json!({"period": period_id, "status": "open"})),
            Some(json!({"period": period_id, "status": "locked", "quota_overrides": overridden})),
            Some(&reasons.join("; "))
                .filter(|s| !s.is_empty())
                .map(String::as_str),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
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
        let p = open_period(&mut tx, period_id).await?;
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
            level,
            not_classified: not_classified.map(|r| r.code().to_owned()),
            points: None,
            decision_ref: decision_ref.map(str::to_owned),
            decided_at: self.now_text(),
            decided_by: actor.name.clone(),
        };
        let old = rstore::decision(&mut tx, period_id, kind, org.0).await?;
        rstore::put_decision(&mut tx, &decision).await?;
        self.audit(
            &mut tx,
            actor,
            "review.decide",
            "org",
            org.0,
            old.map(|o| json!({"period": period_id, "level": o.level.map(Level::code)})),
            Some(json!({"period": period_id, "level": level.map(Level::code), "not_classified": decision.not_classified})),
            None,
            decision_ref,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The classification report of a period (R31): grassroots organisations split into đảng
    /// bộ cơ sở and chi bộ cơ sở, subordinate cells, members, each recounted from the
    /// individual decisions, and the paragraph in the article's style.
    pub async fn classification_report(
        &self,
        actor: &Actor,
        period_id: i64,
    ) -> AppResult<ClassificationReport> {
        let members = self.member_counts(actor, period_id).await?;
        let mut tx = self.store.read().await?;
        let p = period(&mut tx, period_id).await?;
        self.require_org(actor, p.org)?;
        let mut r = ClassificationReport {
            period_id,
            label: p.label.clone(),
            members,
            ..Default::default()
        };
        for d in rstore::decisions(&mut tx, period_id, "grassroots").await? {
            let Some(l) = d.level else { continue };
            match ostore::period_on(&mut tx, OrgId(d.subject_id), p.period.end).await? {
                Some(o) if o.kind == dangvu_domain::org::OrgKind::ChiBoCoSo => {
                    r.grassroots_cells.add(l)
                }
                _ => r.grassroots_dang_bo.add(l),
            }
        }
        for d in rstore::decisions(&mut tx, period_id, "subordinate_org").await? {
            if let Some(l) = d.level {
                r.cells.add(l);
            }
        }
        let name = ostore::period_on(&mut tx, p.org, p.period.end)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        tx.commit().await?;
        let mut grassroots = r.grassroots_dang_bo;
        for l in Level::ALL {
            for _ in 0..r.grassroots_cells.get(l) {
                grassroots.add(l);
            }
        }
        r.paragraph = dangvu_domain::review::report_paragraph(
            dangvu_domain::review::review_year(p.period),
            &name,
            &grassroots,
            &r.cells,
            &r.members.levels,
        );
        Ok(r)
    }

    /// The review periods of an organisation, oldest first.
    pub async fn reviews_of(&self, actor: &Actor, org: OrgId) -> AppResult<Vec<ReviewPeriod>> {
        self.require_org(actor, org)?;
        let mut tx = self.store.read().await?;
        let v = rstore::periods_of(&mut tx, org).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// The members' counts of a period, recounted from the individual decisions (R31).
    pub async fn member_counts(&self, actor: &Actor, period_id: i64) -> AppResult<MemberCounts> {
        let mut tx = self.store.read().await?;
        let p = period(&mut tx, period_id).await?;
        self.require_org(actor, p.org)?;
        let mut out = MemberCounts::default();
        for d in rstore::decisions(&mut tx, period_id, "member").await? {
            if let Some(g) = d.grassroots
                && !actor.access.org_in_scope(g)
            {
                continue;
            }
            match (d.level, d.not_classified) {
                (Some(l), _) => out.levels.add(l),
                (None, Some(r)) => *out.not_classified.entry(r).or_default() += 1,
                (None, None) => {}
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}
