//! The demo's 2018 review of Uông Bí: the levels of the article — 9 HTXS and 36 HTT
//! grassroots organisations (the other 5 split as 4 HT and 1 KHT, which the article does not
//! say), 67 / 218 / 14 / 3 chi bộ trực thuộc, 1,025 / 4,942 / 561 / 35 members — given to the
//! demo's organisations and members within every rule (the members disciplined in 2018 are
//! KHT, R25; no HTXS cell or đảng bộ below the R26 condition; every grassroots organisation
//! within the member quota, R27), then decided one by one through the same use cases a user's
//! actions call, bottom-up, and locked.

use std::collections::BTreeMap;

use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::org::OrgKind;
use dangvu_domain::review::{Level, Period, best_allowed, member_bounds, member_not_classified};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::review::{MemberDecision, member_facts};
use crate::{Actor, App, AppError, AppResult};

/// The article's figures: members, chi bộ trực thuộc, grassroots organisations (HTXS, HTT, HT,
/// KHT).
pub const MEMBERS_2018: [u32; 4] = [1025, 4942, 561, 35];
pub const CELLS_2018: [u32; 4] = [67, 218, 14, 3];
pub const GRASSROOTS_2018: [u32; 4] = [9, 36, 4, 1];

/// A rated unit: a chi bộ trực thuộc, or a chi bộ cơ sở rated for its own members.
struct Unit {
    org: OrgId,
    grassroots: OrgId,
    /// Members to classify, with whether the register forces KHT.
    members: Vec<(MemberId, bool)>,
    level: Level,
}

/// The units whose members are rated together under a grassroots organisation: its chi bộ
/// trực thuộc, or the chi bộ cơ sở itself.
fn rated_units(tree: &[ostore::OrgPeriod], g: OrgId, kind: OrgKind) -> Vec<OrgId> {
    if kind == OrgKind::ChiBoCoSo {
        vec![g]
    } else {
        tree.iter()
            .filter(|p| p.parent == Some(g) && p.kind == OrgKind::ChiBoTrucThuoc)
            .map(|p| p.org)
            .collect()
    }
}

fn planning_error(what: &str) -> AppError {
    tracing::error!(what, "demo review: the plan does not fit the demo");
    AppError::Domain(dangvu_domain::DomainError::rule("demo_review_plan"))
}

impl App {
    /// Opens, decides and locks the 2018 review of the demo city; returns the period.
    pub async fn load_demo_review_2018(&self) -> AppResult<i64> {
        let actor = Actor::system();
        let period = Period::year(2018);
        let end = period.end;
        let mut tx = self.store.read().await?;
        let tree = ostore::tree_on(&mut tx, end).await?;
        let city = tree
            .iter()
            .find(|p| p.name == "Đảng bộ thành phố Uông Bí")
            .ok_or(AppError::NotFound("org"))?
            .org;
        let mut grassroots: Vec<(OrgId, OrgKind)> = tree
            .iter()
            .filter(|p| p.parent == Some(city) && p.kind.is_grassroots())
            .map(|p| (p.org, p.kind))
            .collect();
        grassroots.sort_by_key(|(g, _)| *g);
        let mut units: Vec<Unit> = Vec::new();
        let mut not_classified: Vec<MemberId> = Vec::new();
        for (g, kind) in &grassroots {
            let cells = rated_units(&tree, *g, *kind);
            for c in cells {
                let mut members = Vec::new();
                for (m, _) in mstore::members_on_rolls(&mut tx, &[c], end).await? {
                    let (facts, _) = member_facts(&mut tx, m, period).await?;
                    let rs = dangvu_domain::review::rule_set_for(period.start)
                        .ok_or(AppError::NotFound("rule_set"))?;
                    if member_not_classified(rs, period, &facts).is_some() {
                        not_classified.push(m);
                    } else {
                        let forced = best_allowed(&member_bounds(&facts)) == Level::Kht;
                        members.push((m, forced));
                    }
                }
                units.push(Unit {
                    org: c,
                    grassroots: *g,
                    members,
                    level: Level::Htt,
                });
            }
        }
        tx.commit().await?;

        // Grassroots levels: the first 9 đảng bộ cơ sở HTXS; the last 5 chi bộ cơ sở HT or KHT.
        let mut g_level: BTreeMap<OrgId, Level> =
            grassroots.iter().map(|(g, _)| (*g, Level::Htt)).collect();
        let dang_bo: Vec<OrgId> = grassroots
            .iter()
            .filter(|(_, k)| *k == OrgKind::DangBoCoSo)
            .map(|(g, _)| *g)
            .collect();
        let chi_bo: Vec<OrgId> = grassroots
            .iter()
            .filter(|(_, k)| *k == OrgKind::ChiBoCoSo)
            .map(|(g, _)| *g)
            .collect();
        if dang_bo.len() < 9 || chi_bo.len() < 5 {
            return Err(planning_error("grassroots"));
        }
        for g in dang_bo.iter().take(GRASSROOTS_2018[0] as usize) {
            g_level.insert(*g, Level::Htxs);
        }
        let weak: Vec<OrgId> = chi_bo.iter().rev().take(5).copied().collect();
        g_level.insert(weak[0], Level::Kht);
        for g in &weak[1..] {
            g_level.insert(*g, Level::Ht);
        }

        // Cell levels: the 3 KHT and 14 HT cells in đảng bộ that are not HTXS, those with a
        // member forced to KHT first; 67 HTXS cells among those without one.
        let strong_g = |g: &OrgId| g_level.get(g) == Some(&Level::Htxs);
        let mut cell_idx: Vec<usize> = (0..units.len())
            .filter(|i| units[*i].org != units[*i].grassroots)
            .collect();
        cell_idx.sort_by_key(|i| {
            let u = &units[*i];
            (
                strong_g(&u.grassroots),
                !u.members.iter().any(|(_, f)| *f),
                u.org,
            )
        });
        let mut next = 0;
        for (level, n) in [(Level::Kht, CELLS_2018[3]), (Level::Ht, CELLS_2018[2])] {
            for _ in 0..n {
                let i = *cell_idx
                    .get(next)
                    .ok_or_else(|| planning_error("weak cells"))?;
                if strong_g(&units[i].grassroots) {
                    return Err(planning_error("weak cell in a strong đảng bộ"));
                }
                units[i].level = level;
                next += 1;
            }
        }
        let mut htxs_cells = 0;
        for i in cell_idx[next..].iter().rev() {
            if htxs_cells == CELLS_2018[0] {
                break;
            }
            let u = &mut units[*i];
            if !u.members.is_empty() && !u.members.iter().any(|(_, f)| *f) {
                u.level = Level::Htxs;
                htxs_cells += 1;
            }
        }
        if htxs_cells != CELLS_2018[0] {
            return Err(planning_error("htxs cells"));
        }

        // Member levels. KHT: the forced ones, then members of the weakest units.
        let mut level_of: BTreeMap<MemberId, Level> = BTreeMap::new();
        for u in &units {
            for (m, forced) in &u.members {
                level_of.insert(*m, if *forced { Level::Kht } else { Level::Htt });
            }
        }
        let forced = level_of.values().filter(|l| **l == Level::Kht).count() as u32;
        if forced > MEMBERS_2018[3] {
            return Err(planning_error("too many disciplined"));
        }
        // Units that may hold weak members: not HTXS cells, not HTXS grassroots cells; weakest
        // first.
        let unit_rank = |u: &Unit| match (u.level, g_level.get(&u.grassroots).copied()) {
            (Level::Kht, _) => 0,
            (_, Some(Level::Kht)) if u.org == u.grassroots => 0,
            (Level::Ht, _) => 1,
            (_, Some(Level::Ht)) if u.org == u.grassroots => 1,
            _ => 2,
        };
        let mut weak_units: Vec<&Unit> = units
            .iter()
            .filter(|u| u.level != Level::Htxs && !strong_g(&u.grassroots))
            .collect();
        weak_units.sort_by_key(|u| (unit_rank(u), u.org));
        let mut need_kht = MEMBERS_2018[3] - forced;
        let mut need_ht = MEMBERS_2018[2];
        // Round robin over the weak units, so no unit is emptied of good members.
        let mut cursors = vec![0usize; weak_units.len()];
        'fill: for want in [Level::Kht, Level::Ht] {
            loop {
                let mut progressed = false;
                for (k, u) in weak_units.iter().enumerate() {
                    let need = if want == Level::Kht {
                        &mut need_kht
                    } else {
                        &mut need_ht
                    };
                    if *need == 0 {
                        continue 'fill;
                    }
                    // Weak members only in weak units, and at most half of a HTT unit.
                    let limit = if unit_rank(u) < 2 {
                        u.members.len()
                    } else {
                        u.members.len() / 2
                    };
                    while cursors[k] < limit {
                        let (m, _) = u.members[cursors[k]];
                        cursors[k] += 1;
                        if level_of.get(&m) == Some(&Level::Htt) {
                            level_of.insert(m, want);
                            *need -= 1;
                            progressed = true;
                            break;
                        }
                    }
                }
                if !progressed {
                    return Err(planning_error("weak members"));
                }
            }
        }
        // HTXS members: within each grassroots organisation's quota (R27, HTT or better as the
        // base), shared out in proportion to the room each has.
        let mut room: BTreeMap<OrgId, u32> = BTreeMap::new();
        for u in &units {
            let good = u
                .members
                .iter()
                .filter(|(m, _)| level_of.get(m).is_some_and(|l| l.at_least(Level::Htt)))
                .count() as u32;
            *room.entry(u.grassroots).or_default() += good;
        }
        let caps: BTreeMap<OrgId, u32> = room.iter().map(|(g, n)| (*g, n / 5)).collect();
        let total_cap: u32 = caps.values().sum();
        if total_cap < MEMBERS_2018[0] {
            return Err(planning_error("quota room"));
        }
        let mut share: BTreeMap<OrgId, u32> = caps
            .iter()
            .map(|(g, c)| (*g, c * MEMBERS_2018[0] / total_cap))
            .collect();
        let mut left = MEMBERS_2018[0] - share.values().sum::<u32>();
        while left > 0 {
            let mut moved = false;
            for (g, c) in &caps {
                if left > 0 && share[g] < *c {
                    *share.entry(*g).or_default() += 1;
                    left -= 1;
                    moved = true;
                }
            }
            if !moved {
                return Err(planning_error("quota share"));
            }
        }
        for (g, mut n) in share {
            // Round robin over the grassroots organisation's units, HTXS cells first.
            let mut gu: Vec<&Unit> = units.iter().filter(|u| u.grassroots == g).collect();
            gu.sort_by_key(|u| (u.level != Level::Htxs, u.org));
            let mut pos = vec![0usize; gu.len()];
            while n > 0 {
                let mut moved = false;
                for (k, u) in gu.iter().enumerate() {
                    while n > 0 && pos[k] < u.members.len() {
                        let (m, _) = u.members[pos[k]];
                        pos[k] += 1;
                        if level_of.get(&m) == Some(&Level::Htt) {
                            level_of.insert(m, Level::Htxs);
                            n -= 1;
                            moved = true;
                            break;
                        }
                    }
                }
                if !moved {
                    return Err(planning_error("htxs members"));
                }
            }
        }
        let counts = Level::ALL.map(|l| level_of.values().filter(|x| **x == l).count() as u32);
        if counts != MEMBERS_2018 {
            tracing::error!(?counts, "demo review: member counts");
            return Err(planning_error("member counts"));
        }

        // Decide, bottom-up, through the use cases.
        let p = self.open_review(&actor, city, "Năm 2018", period).await?;
        for m in &not_classified {
            self.decide_member(&actor, p, *m, MemberDecision::default())
                .await?;
        }
        for (m, l) in &level_of {
            self.decide_member(
                &actor,
                p,
                *m,
                MemberDecision {
                    level: Some(*l),
                    ..Default::default()
                },
            )
            .await?;
        }
        for u in units.iter().filter(|u| u.org != u.grassroots) {
            self.decide_org(
                &actor,
                p,
                u.org,
                Some(u.level),
                Some("Quyết định của Đảng ủy cơ sở"),
            )
            .await?;
        }
        for (g, l) in &g_level {
            self.decide_org(
                &actor,
                p,
                *g,
                Some(*l),
                Some("Quyết định của Ban Thường vụ Thành ủy"),
            )
            .await?;
        }
        self.lock_review(&actor, p, &[]).await?;
        Ok(p)
    }
}

/// A rated unit, its grassroots organisation, and its members with their scores (None: not
/// classified).
type ScoredUnit = (OrgId, OrgId, Vec<(MemberId, Option<u8>)>);

/// A spread of a member's 2025 score from her id: about 14 % HTXS, 78 % HTT, 7 % HT, 1 % KHT.
fn points_2025(member: MemberId) -> u8 {
    let h = (member.0 as u64).wrapping_mul(2_654_435_761) % 1000;
    let r = (h / 10) as u8;
    let fine = (h % 10) as u8;
    match r {
        0..=13 => 90 + fine % 9,
        14..=91 => 70 + (h % 20) as u8,
        92..=98 => 50 + (h % 20) as u8,
        _ => 30 + fine,
    }
}

impl App {
    /// The demo's 2025 review of the smallest of the new wards under the 2025 rule set (QĐ 366,
    /// 100-point scores with bands 90 / 70 / 50): every member scored and decided through the
    /// use cases within her grassroots organisation's quota (a score over the quota is lowered
    /// to 89), her cell and grassroots organisation decided bottom-up within R26, then locked.
    /// Returns the period.
    pub async fn load_demo_review_2025(&self) -> AppResult<i64> {
        let actor = Actor::system();
        let period = Period::year(2025);
        let end = period.end;
        let rs = dangvu_domain::review::rule_set_for(period.start)
            .ok_or(AppError::NotFound("rule_set"))?;
        let mut tx = self.store.read().await?;
        let tree = ostore::tree_on(&mut tx, end).await?;
        // The wards founded on 1/7/2025 directly under the province; the smallest one.
        let mut ward: Option<(OrgId, usize)> = None;
        for w in tree
            .iter()
            .filter(|p| p.kind == OrgKind::DangBoXa && p.valid_from == crate::demo::REGROUPED_ON)
        {
            let sub = ostore::subtree_ids(&mut tx, w.org, end).await?;
            let n = mstore::members_on_rolls(&mut tx, &sub, end).await?.len();
            if ward.is_none_or(|(_, m)| n < m) {
                ward = Some((w.org, n));
            }
        }
        let ward = ward
            .ok_or_else(|| planning_error("no ward founded on 1/7/2025"))?
            .0;
        let grassroots: Vec<(OrgId, OrgKind)> = tree
            .iter()
            .filter(|p| p.parent == Some(ward) && p.kind.is_grassroots())
            .map(|p| (p.org, p.kind))
            .collect();
        // Plan: each rated unit's members with their scores, the quota kept per grassroots.
        let mut plan: Vec<ScoredUnit> = Vec::new();
        for (g, kind) in &grassroots {
            let cells = rated_units(&tree, *g, *kind);
            let mut units = Vec::new();
            for c in cells {
                let mut members = Vec::new();
                for (m, _) in mstore::members_on_rolls(&mut tx, &[c], end).await? {
                    let (facts, _) = member_facts(&mut tx, m, period).await?;
                    if member_not_classified(rs, period, &facts).is_some() {
                        members.push((m, None));
                    } else {
                        let mut pts = points_2025(m);
                        if best_allowed(&member_bounds(&facts)) == Level::Kht {
                            pts = pts.min(45);
                        }
                        members.push((m, Some(pts)));
                    }
                }
                units.push((c, *g, members));
            }
            // R27 within the grassroots organisation: lower the last HTXS scores to 89 until
            // HTXS is within the cap.
            loop {
                let levels: Vec<Level> = units
                    .iter()
                    .flat_map(|(_, _, ms)| ms.iter().filter_map(|(_, p)| *p))
                    .filter_map(|p| rs.level_from_points(p))
                    .collect();
                let htxs = levels.iter().filter(|l| **l == Level::Htxs).count() as u32;
                let htt = levels.iter().filter(|l| **l == Level::Htt).count() as u32;
                if !rs.quota.check(htxs, htt).exceeded {
                    break;
                }
                let last = units
                    .iter_mut()
                    .rev()
                    .flat_map(|(_, _, ms)| ms.iter_mut().rev())
                    .find(|(_, p)| p.is_some_and(|x| x >= 90))
                    .ok_or_else(|| planning_error("quota"))?;
                last.1 = Some(89);
            }
            plan.extend(units);
        }
        tx.commit().await?;
        let p = self
            .open_review(
                &actor,
                ward,
                "Đánh giá, xếp loại chất lượng năm 2025",
                period,
            )
            .await?;
        let mut sub_levels: BTreeMap<OrgId, Vec<Level>> = BTreeMap::new();
        for (i, (unit, g, members)) in plan.iter().enumerate() {
            let mut levels = Vec::new();
            for (m, pts) in members {
                let level = pts.and_then(|x| rs.level_from_points(x));
                levels.extend(level);
                self.decide_member(
                    &actor,
                    p,
                    *m,
                    MemberDecision {
                        level,
                        points: *pts,
                        decision_ref: Some("Quyết định của đảng ủy cơ sở".into()),
                    },
                )
                .await?;
            }
            // The unit: HTXS for one in five that meets R26, HT when a member is KHT.
            let level = if levels.contains(&Level::Kht) {
                Level::Ht
            } else if i % 5 == 0 && dangvu_domain::review::org_htxs_condition(&levels).is_none() {
                Level::Htxs
            } else {
                Level::Htt
            };
            if unit != g {
                self.decide_org(&actor, p, *unit, Some(level), None).await?;
                sub_levels.entry(*g).or_default().push(level);
            } else {
                sub_levels.entry(*g).or_default().extend(levels);
                sub_levels.entry(*g).or_default();
            }
        }
        for (i, (g, kind)) in grassroots.iter().enumerate() {
            let below = sub_levels.get(g).cloned().unwrap_or_default();
            let level = if *kind == OrgKind::ChiBoCoSo {
                // A chi bộ cơ sở is judged by its members.
                if below.contains(&Level::Kht) {
                    Level::Ht
                } else {
                    Level::Htt
                }
            } else if i % 4 == 0 && dangvu_domain::review::org_htxs_condition(&below).is_none() {
                Level::Htxs
            } else {
                Level::Htt
            };
            self.decide_org(
                &actor,
                p,
                *g,
                Some(level),
                Some("Quyết định của đảng ủy phường"),
            )
            .await?;
        }
        self.lock_review(&actor, p, &[]).await?;
        Ok(p)
    }
}
