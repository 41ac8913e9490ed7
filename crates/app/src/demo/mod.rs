//! The demo: Đảng bộ thành phố Uông Bí (under Đảng bộ tỉnh Quảng Ninh) in 2018–2019, and the
//! 1/7/2025 regrouping into the wards Uông Bí, Yên Tử and Vàng Danh directly under the province.
//!
//! Built only through the app's use cases (the calls a user's actions make), one transaction per
//! grassroots organisation. Deterministic: the same data every time.
//!
//! Counts (the 2018 review is checked against them): 50 grassroots organisations (30 đảng bộ cơ
//! sở, 20 chi bộ cơ sở), 302 chi bộ trực thuộc, and 6,563 members who can be rated for 2018 (on
//! the rolls on 31/12/2018, admitted by 30/6/2018, not exempt). Beside them the register holds
//! members who are not rated for 2018: exempt members, members admitted after 30/6/2018, and
//! members who left before 2018 or joined after.

mod accountability;
pub mod accounts;
mod badges;
mod cards;
mod documents;
mod dues;
pub mod generate;
mod lifecycle;
pub mod meetings;
pub mod review;
mod uong_bi;

use crate::members::{NewEvent, NewMember, record_event_in};
use crate::orgs::Appointment;
use crate::orgs::NewOrg;
use crate::people::{Milieu, date_between, person};
use crate::rng::Rng;
use crate::{Actor, App, AppResult};
use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{CardGeneration, DisciplineForm, EventKind};
use dangvu_domain::org::{OrgKind, Position};
use uong_bi::*;

/// Members rated in the 2018 review (R31, the article's paragraph 8).
pub const RATED_2018: usize = 6563;

/// Chi bộ trực thuộc in 2018.
pub const CELLS_2018: usize = 302;

pub const GRASSROOTS_2018: usize = 50;

const SEED: u64 = 2018;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// One member as the loader tracks her, to pick committees and later events.
#[derive(Clone)]
struct Tracked {
    id: MemberId,
    admitted_on: NaiveDate,
    rated: bool,
}

/// The cells of one grassroots organisation with their tracked members.
type CellsOf = Vec<(OrgId, Vec<Tracked>)>;

/// What was loaded.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub orgs: usize,
    pub members: usize,
    pub rated_2018: usize,
}

/// Splits `total` into `n` parts by weight, each at least `min`.
fn allocate(rng: &mut Rng, total: usize, weights: &[f64], min: usize) -> Vec<usize> {
    let jittered: Vec<f64> = weights
        .iter()
        .map(|w| w * (0.7 + 0.6 * (rng.below(1000) as f64 / 1000.0)))
        .collect();
    let sum: f64 = jittered.iter().sum();
    let free = total.saturating_sub(min * weights.len()) as f64;
    let raw: Vec<f64> = jittered.iter().map(|w| w / sum * free).collect();
    let mut out: Vec<usize> = raw.iter().map(|r| min + r.floor() as usize).collect();
    let mut rest = total.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|a, b| (raw[*b] - raw[*b].floor()).total_cmp(&(raw[*a] - raw[*a].floor())));
    for i in order.iter().cycle() {
        if rest == 0 {
            break;
        }
        out[*i] += 1;
        rest -= 1;
    }
    out
}

/// The day the city level ended and the new wards were founded under the province.
pub const REGROUPED_ON: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl App {
    /// The ward Uông Bí on a day, with the cells directly under it, when it exists then.
    pub(crate) async fn uong_bi_cells(
        &self,
        on: NaiveDate,
    ) -> AppResult<Option<(dangvu_store::orgs::OrgPeriod, Vec<OrgId>)>> {
        let mut tx = self.store.read().await?;
        let tree = dangvu_store::orgs::tree_on(&mut tx, on).await?;
        tx.commit().await?;
        let Some(ward) = tree
            .iter()
            .find(|p| p.name == "Đảng bộ phường Uông Bí")
            .cloned()
        else {
            return Ok(None);
        };
        let cells = tree
            .iter()
            .filter(|p| p.parent == Some(ward.org) && p.kind.is_cell())
            .map(|p| p.org)
            .collect();
        Ok(Some((ward, cells)))
    }

    /// Admits a generated person to a cell, official from the start, nothing else recorded.
    /// A province's Party committee, founded on 30/10/1963 (the demo's and the generator's).
    async fn found_province(
        &self,
        tx: &mut dangvu_store::Conn,
        actor: &Actor,
        name: &str,
    ) -> AppResult<OrgId> {
        let new = NewOrg::new(name, OrgKind::DangBoTinh, None, d(1963, 10, 30));
        self.create_org_in(tx, actor, new).await
    }

    async fn admit_official(
        &self,
        tx: &mut dangvu_store::Conn,
        actor: &Actor,
        cell: OrgId,
        record: dangvu_domain::member::MemberRecord,
        admitted_on: NaiveDate,
    ) -> AppResult<MemberId> {
        let new = NewMember::admitted(record, cell, admitted_on);
        self.create_member_in(tx, actor, new).await
    }

    /// Loads the demo into an empty database. `progress(done, total)` is called per grassroots
    /// organisation.
    pub async fn load_demo(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> AppResult<DemoSummary> {
        let actor = Actor::system();
        let mut rng = Rng::new(SEED);
        let mut summary = DemoSummary::default();
        let list = grassroots_list();
        let total_steps = list.len() as u64 + 2;

        let mut tx = self.store.begin().await?;
        let province = self
            .found_province(&mut tx, &actor, "Đảng bộ tỉnh Quảng Ninh")
            .await?;
        let city = self
            .create_org_in(
                &mut tx,
                &actor,
                NewOrg::new(
                    "Đảng bộ thành phố Uông Bí",
                    OrgKind::DangBoHuyen,
                    Some(province),
                    d(1970, 1, 1),
                ),
            )
            .await?;
        tx.commit().await?;
        summary.orgs += 2;

        // Sizes: chi bộ cơ sở 12–28 members; the rest spread over the 302 cells.
        let cbcs_sizes: Vec<usize> = list
            .iter()
            .filter(|g| g.cells == 0)
            .map(|_| rng.range(12, 28) as usize)
            .collect();
        let cell_weights: Vec<f64> = list
            .iter()
            .filter(|g| g.cells > 0)
            .flat_map(|g| {
                let w = match g.milieu {
                    Milieu::Residential => 1.25,
                    Milieu::Enterprise => 1.1,
                    Milieu::Police => 1.0,
                    _ => 0.7,
                };
                std::iter::repeat_n(w, g.cells)
            })
            .collect();
        let cell_sizes = allocate(
            &mut rng,
            RATED_2018 - cbcs_sizes.iter().sum::<usize>(),
            &cell_weights,
            6,
        );
        let (mut cbcs_iter, mut cell_iter) = (cbcs_sizes.into_iter(), cell_sizes.into_iter());

        let mut serial: u64 = 100_000;
        let mut ward_members: Vec<(NewWard, CellsOf, OrgId)> = Vec::new();
        for (gi, g) in list.iter().enumerate() {
            progress(gi as u64 + 1, total_steps);
            let mut tx = self.store.begin().await?;
            let founded = d(1975, 1, 1);
            let kind = if g.cells > 0 {
                OrgKind::DangBoCoSo
            } else {
                OrgKind::ChiBoCoSo
            };
            let gid = self
                .create_org_in(
                    &mut tx,
                    &actor,
                    NewOrg {
                        name: g.name.into(),
                        kind,
                        parent: Some(city),
                        founded_on: founded,
                        decision_ref: None,
                    },
                )
                .await?;
            summary.orgs += 1;
            let mut cells: Vec<(OrgId, String, usize)> = Vec::new();
            if g.cells == 0 {
                cells.push((gid, g.name.into(), cbcs_iter.next().unwrap_or(15)));
            } else {
                for i in 0..g.cells {
                    let name = match g.cell_names {
                        CellNames::Khu => format!("Chi bộ Khu {}", i + 1),
                        CellNames::Thon => format!("Chi bộ Thôn {}", i + 1),
                        CellNames::Units(u) => {
                            format!("Chi bộ {}", u.get(i).copied().unwrap_or("Khối Văn phòng"))
                        }
                    };
                    let cid = self
                        .create_org_in(
                            &mut tx,
                            &actor,
                            NewOrg::new(name.clone(), OrgKind::ChiBoTrucThuoc, Some(gid), founded),
                        )
                        .await?;
                    summary.orgs += 1;
                    cells.push((cid, name, cell_iter.next().unwrap_or(20)));
                }
            }
            let mut tracked_cells = Vec::new();
            for (cid, cname, size) in &cells {
                let place = cname.trim_start_matches("Chi bộ ").to_string();
                let mut tracked = Vec::new();
                for k in 0..*size {
                    serial += 1;
                    // A few members admitted in the first half of 2018: probationary at year end.
                    let (from, by) = if k == 0 && rng.chance(0.45) {
                        (d(2018, 1, 2), d(2018, 6, 30))
                    } else {
                        (d(1976, 1, 1), d(2017, 12, 31))
                    };
                    let p = person(&mut rng, serial, g.milieu, g.hills, &place, from, by);
                    let card = Some((
                        format!("{:08}", 10_000_000 + serial),
                        CardGeneration::Ct29_2003,
                        (p.admitted_on + chrono::Duration::days(365 + 90))
                            .max(d(2004, 3, 3))
                            .min(self.clock.today()),
                    ));
                    let id = self
                        .create_member_in(
                            &mut tx,
                            &actor,
                            NewMember {
                                decision_ref: Some(format!("{}-QĐ/ĐU", 100 + serial % 900)),
                                card,
                                ..NewMember::admitted(p.record, *cid, p.admitted_on)
                            },
                        )
                        .await?;
                    tracked.push(Tracked {
                        id,
                        admitted_on: p.admitted_on,
                        rated: true,
                    });
                    summary.members += 1;
                    summary.rated_2018 += 1;
                }
                // Not rated in 2018: exempt elderly members of residential cells, and members
                // admitted in the second half of 2018.
                let unrated = [
                    (true, 0.55, d(1976, 1, 1), d(1990, 12, 31)),
                    (false, 0.08, d(2018, 7, 2), d(2018, 11, 30)),
                ];
                for (exempt, chance, from, by) in unrated {
                    if (exempt && g.milieu != Milieu::Residential) || !rng.chance(chance) {
                        continue;
                    }
                    serial += 1;
                    let p = person(&mut rng, serial, g.milieu, g.hills, &place, from, by);
                    let id = self
                        .admit_official(&mut tx, &actor, *cid, p.record, p.admitted_on)
                        .await?;
                    if exempt {
                        let on = date_between(&mut rng, d(2012, 1, 1), d(2017, 12, 31));
                        let e = NewEvent::simple(EventKind::Exempted, on);
                        let e = e.with_note("Tuổi cao, sức khỏe yếu");
                        record_event_in(self, &mut tx, &actor, id, e).await?;
                    }
                    tracked.push(Tracked {
                        id,
                        admitted_on: p.admitted_on,
                        rated: false,
                    });
                    summary.members += 1;
                }
                tracked_cells.push((*cid, tracked));
            }
            // Committees (R3, R4): two terms.
            for (term, from, to) in [
                ("2015–2020", d(2015, 7, 1), Some(d(2020, 7, 1))),
                ("2020–2025", d(2020, 7, 1), None),
            ] {
                let eligible = |t: &Tracked| {
                    t.rated && dangvu_domain::member::official_date(t.admitted_on) <= from
                };
                // The grassroots committee.
                let all: Vec<&Tracked> = tracked_cells
                    .iter()
                    .flat_map(|(_, v)| v.iter())
                    .filter(|t| eligible(t))
                    .collect();
                let positions: &[Position] = if g.cells > 0 {
                    &[
                        Position::BiThu,
                        Position::PhoBiThu,
                        Position::UyVienThuongVu,
                        Position::CapUyVien,
                        Position::CapUyVien,
                    ]
                } else if all.len() >= 9 {
                    &[Position::BiThu, Position::PhoBiThu, Position::CapUyVien]
                } else {
                    &[Position::BiThu]
                };
                for (i, pos) in positions.iter().enumerate() {
                    if let Some(t) = all.get(i * 3) {
                        let pid = self
                            .appoint_in(
                                &mut tx,
                                &actor,
                                gid,
                                &Appointment::new(
                                    t.id,
                                    *pos,
                                    term,
                                    from,
                                    Some("Nghị quyết đại hội"),
                                ),
                            )
                            .await?;
                        if let Some(to) = to {
                            dangvu_store::orgs::end_position(&mut tx, pid, to).await?;
                        }
                    }
                }
                if g.cells > 0 {
                    for (cid, members) in &tracked_cells {
                        let el: Vec<&Tracked> = members.iter().filter(|t| eligible(t)).collect();
                        let positions: &[Position] = if el.len() >= 9 {
                            &[Position::BiThu, Position::PhoBiThu, Position::CapUyVien]
                        } else {
                            &[Position::BiThu]
                        };
                        for (i, pos) in positions.iter().enumerate() {
                            if let Some(t) = el.get(i + 1) {
                                let pid = self
                                    .appoint_in(
                                        &mut tx,
                                        &actor,
                                        *cid,
                                        &Appointment::new(t.id, *pos, term, from, None),
                                    )
                                    .await?;
                                if let Some(to) = to {
                                    dangvu_store::orgs::end_position(&mut tx, pid, to).await?;
                                }
                            }
                        }
                    }
                }
            }
            // A few disciplined in 2018 (R12): reprimand or warning, never to a committee member.
            for (_, members) in &tracked_cells {
                if rng.chance(0.04)
                    && let Some(t) = members.iter().rev().find(|t| t.rated)
                {
                    let form = if rng.chance(0.6) {
                        DisciplineForm::KhienTrach
                    } else {
                        DisciplineForm::CanhCao
                    };
                    let on = date_between(&mut rng, d(2018, 3, 1), d(2018, 11, 30))
                        .max(t.admitted_on + chrono::Duration::days(30));
                    record_event_in(
                        self,
                        &mut tx,
                        &actor,
                        t.id,
                        NewEvent::simple(EventKind::Disciplined, on)
                            .with_discipline(form)
                            .with_decision("Quyết định kỷ luật của Đảng ủy"),
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            ward_members.push((g.ward, tracked_cells, gid));
        }

        // History that happened after: a few members left, on 1/7/2025 the city level ended.
        progress(total_steps - 1, total_steps);
        let mut tx = self.store.begin().await?;
        let mut n_events = 0;
        for (_, cells, _) in &ward_members {
            for (_, members) in cells {
                if rng.chance(0.05)
                    && let Some(t) = members.iter().find(|t| t.rated)
                {
                    let on = date_between(&mut rng, d(2020, 1, 1), d(2024, 12, 31));
                    record_event_in(
                        self,
                        &mut tx,
                        &actor,
                        t.id,
                        NewEvent::simple(EventKind::Died, on),
                    )
                    .await?;
                    n_events += 1;
                }
            }
        }
        tracing::debug!(n_events, "demo: later events");
        let wards = [
            (NewWard::UongBi, "Đảng bộ phường Uông Bí"),
            (NewWard::YenTu, "Đảng bộ phường Yên Tử"),
            (NewWard::VangDanh, "Đảng bộ phường Vàng Danh"),
        ];
        let regroup = REGROUPED_ON;
        let change = crate::orgs::Restructure::new(
            &actor,
            regroup,
            "Sắp xếp tổ chức đảng theo Quy định 294-QĐ/TW; kết thúc hoạt động cấp huyện",
        )?;
        for (w, name) in wards {
            let wid = self
                .create_org_in(
                    &mut tx,
                    &actor,
                    NewOrg {
                        name: name.into(),
                        kind: OrgKind::DangBoXa,
                        parent: Some(province),
                        founded_on: regroup,
                        decision_ref: Some("Quyết định của Ban Thường vụ Tỉnh ủy".into()),
                    },
                )
                .await?;
            summary.orgs += 1;
            for (_, _, gid) in ward_members.iter().filter(|(ww, _, _)| *ww == w) {
                self.move_org_in(&mut tx, &change, *gid, wid).await?;
            }
        }
        self.dissolve_org_in(&mut tx, &change, city, None).await?;
        // Members admitted in 2026 in the new wards: probationary today.
        for (_, cells, _) in ward_members.iter().filter(|(_, c, _)| c.len() > 1).take(
            if self.clock.today() >= d(2026, 3, 1) {
                6
            } else {
                0
            },
        ) {
            if let Some((cid, _)) = cells.first() {
                serial += 1;
                let p = person(
                    &mut rng,
                    serial,
                    Milieu::Residential,
                    false,
                    "Khu 1",
                    d(2026, 2, 1),
                    d(2026, 9, 30).min(self.clock.today()),
                );
                let new = NewMember {
                    official: false,
                    ..NewMember::admitted(p.record, *cid, p.admitted_on)
                };
                self.create_member_in(&mut tx, &actor, new).await?;
                summary.members += 1;
            }
        }
        tx.commit().await?;
        // The 2018 review, decided through the review use cases.
        self.load_demo_review_2018().await?;
        // The 2019 meetings of every cell, and the residence contact of agency members.
        self.load_demo_meetings_2019().await?;
        // The 2025 review of one new ward under the 2025 rule set, once the year is over.
        if self.clock.today() > d(2025, 12, 31) {
            self.load_demo_review_2025().await?;
        }
        // Admission work, probations due and the decisions registers, dated from today.
        self.load_demo_lifecycle().await?;
        // Asset-declaration supervision of the city's cadres, the ward's opinions register and
        // its members' study commitments.
        self.load_demo_accountability().await?;
        // The ward's regulations and its secretaries' contest.
        self.load_demo_documents().await?;
        progress(total_steps, total_steps);
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_shape_matches_the_article() {
        let list = grassroots_list();
        assert_eq!(list.len(), GRASSROOTS_2018);
        assert_eq!(list.iter().map(|g| g.cells).sum::<usize>(), CELLS_2018);
        assert_eq!(list.iter().filter(|g| g.cells > 0).count(), 30);
    }

    #[test]
    fn allocation_is_exact() {
        let mut rng = Rng::new(1);
        let v = allocate(&mut rng, 6000, &[1.0, 2.0, 0.5, 1.5], 6);
        assert_eq!(v.iter().sum::<usize>(), 6000);
        assert!(v.iter().all(|x| *x >= 6));
    }
}
