//! What follows the decisions: corrections of a locked period's decisions with their reason
//! and document (R15), the committee's collective decision, and commendation suggestions
//! (R30).

use super::*;
use crate::audit_log::Action;
use crate::review::{ancestry, member_facts_in, open_period, period, rule_set_of};
use crate::{Actor, App, AppError, AppResult};
use chrono::Datelike;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::review::{Level, best_allowed, member_bounds, member_not_classified};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use dangvu_store::reviews::{self as rstore, Decision};
use serde_json::json;

impl App {
    /// Corrects a decision of a locked period (R15, R28): the new level must still respect the
    /// rules, and the correction carries its reason and the decision that ordered it; the old
    /// level stays in the audit trail.
    pub async fn correct_decision(
        &self,
        actor: &Actor,
        period_id: i64,
        subject: Subject,
        level: Level,
        reason: &str,
        decision: &dangvu_domain::decision::Decision,
    ) -> AppResult<()> {
        let reason = clean(reason);
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "required"));
        }
        // R15: the document that ordered it, whole.
        if let Err(e) = decision.check(self.clock.today(), true) {
            errors.extend(e.fields());
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let decision_ref = decision.reference.clone().unwrap_or_default();
        let mut tx = self.store.begin().await?;
        let p = period(&mut tx, actor, period_id).await?;
        if p.status != "locked" {
            return Err(DomainError::rule("review_not_locked").into());
        }
        let (kinds, id): (&[&str], i64) = match subject {
            Subject::Member(m) => {
                self.require_member_write(&mut tx, actor, m).await?;
                let (facts, cell) = member_facts_in(&mut tx, m, &p).await?;
                if let Some(c) = cell
                    && let (_, Some(g)) = ancestry(&mut tx, c, p.period.end).await?
                {
                    self.require_grassroots_write(actor, g)?;
                }
                if member_not_classified(rule_set_of(&p)?, p.period, &facts).is_some() {
                    return Err(DomainError::rule_on("not_classified_correction", "level").into());
                }
                let bounds = member_bounds(&facts);
                if !best_allowed(&bounds).at_least(level) {
                    let b = bounds
                        .iter()
                        .filter(|b| !b.best.at_least(level))
                        .map(|b| b.code)
                        .next()
                        .unwrap_or("level_above_bound");
                    return Err(DomainError::rule_on(b, "level").into());
                }
                (&["member"], m.0)
            }
            Subject::Org(o) | Subject::Collective(o) => {
                let parent = ostore::period_on(&mut tx, o, p.period.end)
                    .await?
                    .and_then(|x| x.parent)
                    .ok_or(AppError::NotFound("org"))?;
                self.require_org_write(actor, parent)?;
                (&["subordinate_org", "grassroots"], o.0)
            }
        };
        let mut old = None;
        for k in kinds {
            if let Some(d) = rstore::decision(&mut tx, period_id, k, id).await? {
                old = Some(d);
            }
        }
        let old = old.ok_or(AppError::Domain(DomainError::rule_on(
            "nothing_to_correct",
            "subject",
        )))?;
        let new = Decision {
            level: Some(level),
            not_classified: None,
            decision_ref: Some(decision_ref.clone()),
            decided_at: self.now_text(),
            decided_by: actor.name.clone(),
            ..old.clone()
        };
        rstore::put_decision(&mut tx, &new).await?;
        let kept = rstore::decision_id(&mut tx, period_id, &new.subject_kind, id)
            .await?
            .ok_or(AppError::NotFound("review"))?;
        let correction = rstore::Correction {
            field: "level".into(),
            old_value: old.level.map(|l| l.code().to_owned()),
            new_value: Some(level.code().to_owned()),
            reason: reason.clone(),
            ..rstore::Correction::blank(rstore::OfDecision { decision: kept })
        }
        .decided(decision);
        self.write_correction(&mut tx, actor, correction).await?;
        self.commit_audited(
            tx,
            actor,
            Action::ReviewCorrect
                .on(if old.subject_kind == "member" { "member" } else { "org" }, id)
                .before(Some(json!({"period": period_id, "level": old.level.map(Level::code), "decision_ref": old.decision_ref})))
                .after(Some(json!({"period": period_id, "level": level.code(), "decision_ref": decision_ref, "decided_on": decision.date, "decided_by": decision.body})))
                .reason(Some(&reason))
                .decision(Some(&decision_ref)),
            (),
        )
        .await
    }

    /// Decides the level of an organisation's leadership collective (tập thể lãnh đạo, R26) by
    /// the organisation's superior: KHT at best when a member of the committee was disciplined
    /// in the period (cảnh cáo or heavier under HD 21, any discipline from QĐ 124 on).
    pub async fn decide_collective(
        &self,
        actor: &Actor,
        period_id: i64,
        org: OrgId,
        level: Level,
        decision_ref: Option<&str>,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let p = open_period(&mut tx, actor, period_id).await?;
        self.require_org(actor, org)?;
        let rs = rule_set_of(&p)?;
        let end = p.period.end;
        let this = ostore::period_on(&mut tx, org, end)
            .await?
            .ok_or(AppError::NotFound("org"))?;
        let parent = this
            .parent
            .ok_or(AppError::Domain(DomainError::rule("org_not_rated")))?;
        self.require_org_write(actor, parent)?;
        if !ostore::subtree_ids(&mut tx, p.org, end)
            .await?
            .contains(&org)
        {
            return Err(DomainError::rule_on("org_not_in_review", "org").into());
        }
        let mut forms = Vec::new();
        for h in ostore::committee_on(&mut tx, org, end).await? {
            let (facts, _) = member_facts_in(&mut tx, h.member, &p).await?;
            forms.extend(facts.disciplines.iter().map(|(_, f)| *f));
        }
        let subtree = ostore::subtree_ids(&mut tx, org, end).await?;
        let units = subtree.len().saturating_sub(1);
        // R12 → R26: the organisation's own discipline in the period, and its units'.
        let disciplined =
            ostore::disciplines_between(&mut tx, &subtree, p.period.start, end).await?;
        let collective_disciplined = disciplined.iter().any(|d| d.org == org);
        let mut units_disciplined: Vec<OrgId> = disciplined
            .iter()
            .map(|d| d.org)
            .filter(|o| *o != org)
            .collect();
        units_disciplined.sort();
        units_disciplined.dedup();
        if let Some(b) = dangvu_domain::review::collective_bound(
            rs,
            collective_disciplined,
            &forms,
            units,
            units_disciplined.len(),
        ) && !b.best.at_least(level)
        {
            return Err(DomainError::rule_on(b.code, "level").into());
        }
        let old = rstore::decision(&mut tx, period_id, "collective", org.0).await?;
        let decision = Decision {
            period_id,
            subject_kind: "collective".into(),
            subject_id: org.0,
            grassroots: None,
            unit: Some(org),
            level: Some(level),
            not_classified: None,
            points: None,
            decision_ref: decision_ref.map(str::to_owned),
            decided_at: self.now_text(),
            decided_by: actor.name.clone(),
        };
        rstore::put_decision(&mut tx, &decision).await?;
        self.commit_audited(
            tx,
            actor,
            Action::ReviewDecideCollective
                .on("org", org.0)
                .before(
                    old.map(|o| json!({"period": period_id, "level": o.level.map(Level::code)})),
                )
                .after(Some(json!({"period": period_id, "level": level.code()})))
                .decision(decision_ref),
            (),
        )
        .await
    }

    /// Commendation suggestions of a period (R30): every member and organisation rated HTXS,
    /// with the run of consecutive years HTXS ending this year (5 or more: the 5-year
    /// commendation).
    pub async fn commendations(
        &self,
        actor: &Actor,
        period_id: i64,
    ) -> AppResult<Vec<Commendation>> {
        let p = self.review_period(actor, period_id).await?;
        if !actor.access.writes() {
            return Err(AppError::NotFound("review"));
        }
        let mut tx = self.store.read().await?;
        let year = p.period.start.year();
        let periods = rstore::all_periods(&mut tx).await?;
        let mut out = Vec::new();
        for kind in ["member", "subordinate_org", "grassroots"] {
            let decided = rstore::decisions(&mut tx, period_id, kind).await?;
            for d in decided.into_iter().filter(|d| d.level == Some(Level::Htxs)) {
                if let Some(g) = d.grassroots.or(d.unit)
                    && !actor.access.org_in_scope(g)
                {
                    continue;
                }
                let mut years = 1;
                'back: for y in (year - 10..year).rev() {
                    for q in periods.iter().filter(|q| q.period.start.year() == y) {
                        if rstore::decision(&mut tx, q.id, kind, d.subject_id)
                            .await?
                            .is_some_and(|x| x.level == Some(Level::Htxs))
                        {
                            years += 1;
                            continue 'back;
                        }
                    }
                    break;
                }
                let name = if kind == "member" {
                    mstore::get_member(&mut tx, MemberId(d.subject_id))
                        .await
                        .map(|m| m.full_name)
                        .unwrap_or_default()
                } else {
                    ostore::period_on(&mut tx, OrgId(d.subject_id), p.period.end)
                        .await?
                        .map(|o| o.name)
                        .unwrap_or_default()
                };
                out.push(Commendation {
                    subject_kind: kind.to_owned(),
                    subject_id: d.subject_id,
                    name,
                    years,
                });
            }
        }
        tx.commit().await?;
        out.sort_by(|a, b| b.years.cmp(&a.years).then(a.subject_id.cmp(&b.subject_id)));
        Ok(out)
    }
}
