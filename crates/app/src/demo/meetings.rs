//! The demo's 2019 meetings, recorded through the same use cases a cell secretary's
//! actions call: every cell of Uông Bí meets monthly with a thematic meeting each quarter — most
//! without a gap, some missing a month or two, a few missing more — with the attendance of every
//! member, the vote, tasks, often a score, sometimes the superior committee member assigned to
//! the cell, a few short meetings; the city pushes one item to every cell for May; each
//! grassroots đảng bộ meets twice (a few only once). Members working in the city's agencies
//! are introduced to the ward or commune where they live (a few in an exempt category),
//! attached to a residential cell, met there twice (some wards only once), and commented on.
//! The cells of phường Uông Bí (where the demo accounts work) also have this year's meetings up
//! to the last whole month, so the dashboards show the present, with the year's dues: a basis for
//! every member, the dues paid at each meeting in the ledger, most missed months paid later.

use crate::committed;
use crate::programme::ItemInput;
use chrono::{Datelike, NaiveDate};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, ItemKind, MeetingKind};
use dangvu_domain::member::Status;
use dangvu_domain::org::Position;
use dangvu_store::members as mstore;
use dangvu_store::orgs::{self as ostore, OrgPeriod};

use crate::meetings::{NewMeeting, SeatInput, Sitting};
use crate::rng::Rng;
use crate::{Actor, App, AppError, AppResult};

const SEED: u64 = 2019;
const YEAR: i32 = 2019;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// Topics of the quarterly thematic meetings.
const THEMES: [&str; 4] = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý thức tổ chức kỷ luật",
    "Nâng cao chất lượng sinh hoạt chi bộ, vai trò tiên phong, gương mẫu của đảng viên",
    "Công tác phát triển đảng viên và quản lý đảng viên",
    "Kiểm điểm, đánh giá, xếp loại chất lượng đảng viên cuối năm",
];

const ABSENCE_REASONS: [&str; 4] = ["Ốm", "Đi công tác", "Việc gia đình", "Trực cơ quan"];

/// The city pushes this item to every cell for May.
const PUSHED: (&str, &str) = (
    "Quán triệt Chỉ thị 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "05-CT/TW",
);

fn hm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl App {
    /// Records the demo's 2019 meetings and residence contact (see the module's text).
    pub async fn load_demo_meetings_2019(&self) -> AppResult<()> {
        let actor = Actor::system();
        let mut rng = Rng::new(SEED);
        let mut tx = self.store.read().await?;
        let tree = ostore::tree_on(&mut tx, d(YEAR, 6, 30)).await?;
        let city = tree
            .iter()
            .find(|p| p.name == "Đảng bộ thành phố Uông Bí")
            .cloned()
            .ok_or(AppError::NotFound("org"))?;
        let grassroots: Vec<OrgPeriod> = tree
            .iter()
            .filter(|p| p.parent == Some(city.org))
            .cloned()
            .collect();
        let cells_of = |g: &OrgPeriod| cells_of(&tree, g);
        let mut committees = Vec::with_capacity(grassroots.len());
        for g in &grassroots {
            committees.push(ostore::committee_on(&mut tx, g.org, d(YEAR, 1, 1)).await?);
        }
        let criteria: Vec<(String, u32)> = dangvu_store::meetings::templates(&mut tx)
            .await?
            .into_iter()
            .next()
            .map(|t| t.criteria.into_iter().map(|c| (c.code, c.max)).collect())
            .unwrap_or_default();
        tx.commit().await?;

        // The city's item for May, in every cell's programme.
        self.push_programme_item(
            &actor,
            city.org,
            &ItemInput::new((YEAR, 5), ItemKind::Disseminate, PUSHED.0, PUSHED.1),
        )
        .await?;

        for (g, committee) in grassroots.iter().zip(&committees) {
            let cells = cells_of(g);
            // Each cell of a đảng bộ cơ sở is followed by a member of its committee.
            let mut assigned: Vec<Option<MemberId>> = Vec::with_capacity(cells.len());
            for (i, c) in cells.iter().enumerate() {
                let who = (!g.kind.is_cell() && !committee.is_empty())
                    .then(|| committee[i % committee.len()].member);
                if let Some(w) = who {
                    self.assign_attendee(&actor, c.org, w, d(YEAR, 1, 1))
                        .await?;
                }
                assigned.push(who);
            }
            for (c, who) in cells.iter().zip(assigned) {
                self.demo_cell_year(&actor, &mut rng, c, who, &criteria, YEAR, 12)
                    .await?;
            }
            if !g.kind.is_cell() {
                let mut tx = self.store.begin().await?;
                for (m, day) in [(6u32, 25u32), (12, 20)] {
                    if m == 12 && rng.chance(0.12) {
                        continue;
                    }
                    self.record_meeting_in(
                        &mut tx,
                        &actor,
                        NewMeeting {
                            sitting: Sitting {
                                org: g.org,
                                kind: MeetingKind::Assembly,
                                held_on: d(YEAR, m, day),
                                starts_at: "08:00".into(),
                                ends_at: "11:00".into(),
                                place: format!(
                                    "Hội trường {}",
                                    g.name.trim_start_matches("Đảng bộ ")
                                ),
                                chair: None,
                                minute_taker: None,
                            },
                            superior_guests: String::new(),
                            topic: if m == 6 {
                                "Sơ kết 6 tháng đầu năm, nhiệm vụ 6 tháng cuối năm".into()
                            } else {
                                "Tổng kết công tác xây dựng Đảng năm 2019".into()
                            },
                            seats: Vec::new(),
                            resolution: String::new(),
                            votes: None,
                            items: Vec::new(),
                            guests: Vec::new(),
                            tasks: Vec::new(),
                            scores: Vec::new(),
                        },
                    )
                    .await?;
                }
                tx.commit().await?;
            }
        }
        self.demo_residence_2019(&actor, &mut rng, &grassroots, &tree)
            .await?;
        self.demo_meetings_this_year(&actor, &criteria).await
    }

    /// This year's meetings, up to the last whole month, of the cells of the ward the demo
    /// accounts work in (phường Uông Bí), so its dashboards show the present — with the 90 and
    /// 120 minutes of Chỉ thị 50 in force, a short meeting is flagged (R18).
    async fn demo_meetings_this_year(
        &self,
        actor: &Actor,
        criteria: &[(String, u32)],
    ) -> AppResult<()> {
        let today = self.clock.today();
        let year = today.year();
        let last_month = today.month() - 1;
        if last_month == 0 {
            return Ok(());
        }
        let mut rng = Rng::new(SEED + u64::from(year.unsigned_abs()));
        let start = d(year, 1, 1);
        let mut tx = self.store.read().await?;
        let tree = ostore::tree_on(&mut tx, start).await?;
        let Some(ward) = tree
            .iter()
            .find(|p| p.name == "Đảng bộ phường Uông Bí")
            .cloned()
        else {
            tx.commit().await?;
            return Ok(());
        };
        let grassroots: Vec<OrgPeriod> = tree
            .iter()
            .filter(|p| p.parent == Some(ward.org))
            .cloned()
            .collect();
        let mut committees = Vec::with_capacity(grassroots.len());
        for g in &grassroots {
            committees.push(ostore::committee_on(&mut tx, g.org, start).await?);
        }
        tx.commit().await?;
        let ward_cells: Vec<OrgId> = grassroots
            .iter()
            .flat_map(|g| cells_of(&tree, g))
            .map(|c| c.org)
            .collect();
        self.demo_dues_bases(&ward_cells, start).await?;
        for (g, committee) in grassroots.iter().zip(&committees) {
            let cells = cells_of(&tree, g);
            for (i, c) in cells.iter().enumerate() {
                let who = (!g.kind.is_cell() && !committee.is_empty())
                    .then(|| committee[(i + 1) % committee.len()].member);
                if let Some(w) = who {
                    self.assign_attendee(actor, c.org, w, start).await?;
                }
                self.demo_cell_year(actor, &mut rng, c, who, criteria, year, last_month)
                    .await?;
            }
        }
        self.demo_dues_back_pay(&ward_cells).await
    }

    /// One cell's meetings of a year, January to `last_month`, in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn demo_cell_year(
        &self,
        actor: &Actor,
        rng: &mut Rng,
        c: &OrgPeriod,
        assigned: Option<MemberId>,
        criteria: &[(String, u32)],
        year: i32,
        last_month: u32,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        // Most cells meet every month; some miss one or two; a few miss four.
        let gaps = match rng.below(100) {
            0..84 => 0,
            84..96 => rng.range(1, 2) as usize,
            _ => 4,
        };
        let mut missing: Vec<u32> = Vec::new();
        while missing.len() < gaps {
            let m = rng.range(1, 12) as u32;
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
        let separate_thematic = rng.chance(0.25);
        let evening = c.name.starts_with("Chi bộ Khu") || c.name.starts_with("Chi bộ Thôn");
        let place = if evening {
            format!("Nhà văn hóa {}", c.name.trim_start_matches("Chi bộ "))
        } else {
            format!("Phòng họp {}", c.name.trim_start_matches("Chi bộ "))
        };
        let secretary = ostore::committee_on(&mut tx, c.org, d(year, 1, 1))
            .await?
            .into_iter()
            .find(|h| h.position == Position::BiThu)
            .map(|h| h.member);
        let pushed: Option<i64> = dangvu_store::programme::items_of(
            &mut tx,
            c.org,
            &format!("{year}-05"),
            &format!("{year}-05"),
        )
        .await?
        .into_iter()
        .find(|i| i.push.is_some())
        .map(|i| i.id);
        for month in 1..=last_month {
            if missing.contains(&month) {
                continue;
            }
            let quarter_end = month % 3 == 0;
            let mut kinds = vec![if quarter_end && !separate_thematic {
                MeetingKind::Combined
            } else {
                MeetingKind::Regular
            }];
            if quarter_end && separate_thematic {
                kinds.push(MeetingKind::Thematic);
            }
            for (k, kind) in kinds.into_iter().enumerate() {
                let day = rng.range(3, 12) as u32 + 12 * k as u32;
                let on = d(year, month, day);
                let roll = mstore::roll_on(&mut tx, c.org, on).await?;
                if roll.is_empty() {
                    continue;
                }
                let mut seats: Vec<SeatInput> = roll
                    .iter()
                    .map(|(m, _, status, _)| {
                        let (attendance, reason) = if *status == Status::Exempt {
                            (Attendance::Exempt, String::new())
                        } else {
                            match rng.below(1000) {
                                0..12 => (Attendance::AbsentUnexcused, String::new()),
                                12..85 => (
                                    Attendance::AbsentExcused,
                                    (*rng.pick(&ABSENCE_REASONS)).to_owned(),
                                ),
                                _ => (Attendance::Present, String::new()),
                            }
                        };
                        let dues_paid = match attendance {
                            Attendance::AbsentUnexcused => rng.chance(0.4),
                            _ => true,
                        };
                        SeatInput {
                            member: *m,
                            attendance,
                            reason,
                            dues_paid,
                        }
                    })
                    .collect();
                // The secretary chairs (present); another present member takes the minutes.
                let chair = secretary
                    .filter(|s| seats.iter().any(|x| x.member == *s))
                    .or_else(|| {
                        seats
                            .iter()
                            .find(|x| x.attendance != Attendance::Exempt)
                            .map(|x| x.member)
                    });
                if let Some(ch) = chair
                    && let Some(x) = seats.iter_mut().find(|x| x.member == ch)
                {
                    x.attendance = Attendance::Present;
                    x.reason.clear();
                    x.dues_paid = true;
                }
                let minute_taker = seats
                    .iter()
                    .find(|x| x.attendance == Attendance::Present && Some(x.member) != chair)
                    .map(|x| x.member);
                let present_voters = seats
                    .iter()
                    .zip(&roll)
                    .filter(|(x, r)| r.3 && x.attendance == Attendance::Present)
                    .count() as u32;
                let expected_voters = seats
                    .iter()
                    .zip(&roll)
                    .filter(|(x, r)| r.3 && x.attendance != Attendance::Exempt)
                    .count() as u32;
                let votes =
                    (present_voters * 2 > expected_voters).then_some((present_voters, 0, 0));
                // Lengths: usually 1½–2½ hours; now and then a short one.
                let start = if evening { 19 * 60 + 30 } else { 14 * 60 };
                let long = if rng.chance(0.04) {
                    rng.range(45, 75)
                } else if kind == MeetingKind::Combined {
                    rng.range(120, 170)
                } else {
                    rng.range(90, 140)
                };
                let thematic = kind.is_thematic();
                let topic = if thematic {
                    THEMES[(month as usize - 1) / 3].to_owned()
                } else {
                    String::new()
                };
                let task_to = seats
                    .iter()
                    .filter(|x| x.attendance == Attendance::Present)
                    .nth(rng.below(3) as usize)
                    .map(|x| x.member);
                let scores = if rng.chance(0.6) {
                    criteria
                        .iter()
                        .map(|(code, max)| {
                            let lo = i64::from(*max) * 6 / 10;
                            (code.clone(), rng.range(lo, i64::from(*max)) as u32)
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let guests = match assigned {
                    Some(a) if rng.chance(if thematic { 0.6 } else { 0.3 }) => vec![a],
                    _ => Vec::new(),
                };
                let items = match pushed {
                    Some(i) if month == 5 && k == 0 && rng.chance(0.9) => vec![i],
                    _ => Vec::new(),
                };
                let (id, _) = self
                    .record_meeting_in(
                        &mut tx,
                        actor,
                        NewMeeting {
                            sitting: Sitting {
                                org: c.org,
                                kind,
                                held_on: on,
                                starts_at: hm(start),
                                ends_at: hm(start + long),
                                place: place.clone(),
                                chair,
                                minute_taker,
                            },
                            superior_guests: String::new(),
                            topic,
                            seats,
                            resolution: format!(
                                "Chi bộ thống nhất đánh giá kết quả thực hiện nhiệm vụ tháng {month}/{year} và đề ra nhiệm vụ tháng tới: tiếp tục thực hiện tốt nhiệm vụ chính trị của đơn vị, nâng cao chất lượng sinh hoạt chi bộ."
                            ),
                            votes,
                            items,
                            guests,
                            tasks: task_to
                                .map(|t| vec![(t, "Chuẩn bị nội dung sinh hoạt tháng tới".to_owned())])
                                .unwrap_or_default(),
                            scores,
                        },
                    )
                    .await?;
                self.adopt_meeting_in(&mut tx, actor, id).await?;
            }
        }
        committed(tx, ()).await
    }

    /// Members of the agencies introduced to their ward or commune, attached, met and
    /// commented on (R20–R22).
    async fn demo_residence_2019(
        &self,
        actor: &Actor,
        rng: &mut Rng,
        grassroots: &[OrgPeriod],
        tree: &[OrgPeriod],
    ) -> AppResult<()> {
        let agencies = crate::demo::agency_grassroots();
        let wards: Vec<&OrgPeriod> = grassroots
            .iter()
            .filter(|g| g.name.starts_with("Đảng bộ phường") || g.name.starts_with("Đảng bộ xã"))
            .collect();
        let ward_cells: Vec<Vec<OrgId>> = wards
            .iter()
            .map(|w| {
                tree.iter()
                    .filter(|p| p.parent == Some(w.org) && p.kind.is_cell())
                    .map(|p| p.org)
                    .collect()
            })
            .collect();
        let agency_cells: Vec<OrgId> = grassroots
            .iter()
            .filter(|g| agencies.contains(&g.name.as_str()))
            .flat_map(|g| {
                if g.kind.is_cell() {
                    vec![g.org]
                } else {
                    tree.iter()
                        .filter(|p| p.parent == Some(g.org) && p.kind.is_cell())
                        .map(|p| p.org)
                        .collect()
                }
            })
            .collect();
        let on = d(YEAR, 3, 1);
        let mut tx = self.store.read().await?;
        let mut members: Vec<MemberId> = mstore::members_on_rolls(&mut tx, &agency_cells, on)
            .await?
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        tx.commit().await?;
        members.sort_unstable();
        let mut attached: Vec<Vec<MemberId>> = vec![Vec::new(); wards.len()];
        for m in members {
            let w = rng.below(wards.len() as u64) as usize;
            let introduced = d(YEAR, 3, rng.range(1, 20) as u32);
            let exempt = rng
                .chance(0.06)
                .then(|| *rng.pick(&["mobile", "full_time_study", "other"]));
            let link = self
                .introduce_to_residence(actor, m, wards[w].org, introduced, exempt)
                .await?;
            if exempt.is_none()
                && let Some(cell) =
                    ward_cells[w].get(rng.below(ward_cells[w].len().max(1) as u64) as usize)
            {
                self.attach_to_cell(actor, link, *cell, introduced + chrono::Duration::days(10))
                    .await?;
                attached[w].push(m);
            }
        }
        for (w, people) in wards.iter().zip(&attached) {
            if people.is_empty() {
                continue;
            }
            for (m, day) in [(6u32, 15u32), (12, 10)] {
                if m == 12 && rng.chance(0.2) {
                    continue;
                }
                let seats: Vec<(MemberId, Attendance, String)> = people
                    .iter()
                    .map(|p| {
                        if rng.chance(0.85) {
                            (*p, Attendance::Present, String::new())
                        } else {
                            (
                                *p,
                                Attendance::AbsentExcused,
                                (*rng.pick(&ABSENCE_REASONS)).to_owned(),
                            )
                        }
                    })
                    .collect();
                self.record_residence_meeting(
                    actor,
                    w.org,
                    d(YEAR, m, day),
                    &format!("Hội trường {}", w.name.trim_start_matches("Đảng bộ ")),
                    &seats,
                )
                .await?;
            }
            for p in people {
                if rng.chance(0.9) {
                    self.write_residence_comment(
                        actor,
                        *p,
                        YEAR,
                        "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định nơi cư trú; tham gia đầy đủ các buổi sinh hoạt, hoạt động của khu dân cư.",
                    )
                    .await?;
                    if rng.chance(0.9) {
                        self.certify_residence_comment(actor, *p, YEAR).await?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The cells of a grassroots organisation in a tree: itself when it is a cell.
fn cells_of(tree: &[OrgPeriod], g: &OrgPeriod) -> Vec<OrgPeriod> {
    if g.kind.is_cell() {
        return vec![g.clone()];
    }
    tree.iter()
        .filter(|p| p.parent == Some(g.org) && p.kind.is_cell())
        .cloned()
        .collect()
}
