//! The demo's admission work, probations and decisions, dated from today so that the pages show
//! steps due and overdue: people on the way to admission at every stage in a ward's cell,
//! probationary members whose twelve months end this month, and the numbered decisions of the
//! city committee in 2018 and of the ward this year, a transfer waiting to be accepted and a
//! temporary stay past its planned return.

use chrono::{Datelike, Months, NaiveDate};
use dangvu_domain::admission::Stage;
use dangvu_domain::decision::DecisionKind;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::Status;
use dangvu_domain::org::OrgKind;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::admission::{StepDetails, StepInput};
use crate::decisions::NewDecision;
use crate::members::NewMember;
use crate::transfers::{SendTransfer, TransferDetails};
use crate::{Actor, App, AppResult};
use dangvu_domain::transfer::{TransferKind, TransferReason};

/// The people on the way to admission: name, birth year, and the stage each has reached.
const CANDIDATES: [(&str, i32, Stage); 8] = [
    ("Nguyễn Thị Thu Hà", 1999, Stage::Outstanding),
    ("Trần Minh Khôi", 1997, Stage::Candidate),
    ("Lê Thị Ngọc Ánh", 2000, Stage::AwarenessClass),
    ("Phạm Đức Thắng", 1995, Stage::FileComplete),
    ("Vũ Thị Hồng Nhung", 1998, Stage::CellResolution),
    ("Đặng Văn Toàn", 1996, Stage::GrassrootsResolution),
    ("Bùi Thị Lan Anh", 2001, Stage::Decision),
    ("Hoàng Quốc Việt", 1994, Stage::Ceremony),
];

/// A person's record with what the demo knows of her: name, sex by the middle name, birth.
fn record(name: &str, birth: NaiveDate) -> AppResult<dangvu_domain::member::MemberRecord> {
    let female = name.contains(" Thị ");
    let birth = dangvu_domain::date::iso(birth);
    Ok(dangvu_domain::member::MemberRecord::parse(|k| {
        match k {
            "full_name" => name,
            "sex" if female => "female",
            "sex" => "male",
            "birth_date" => &birth,
            "ethnicity" => "Kinh",
            "residence" => "Khu dân cư",
            _ => "",
        }
        .to_owned()
    })?)
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(chrono::Days::new(n)).unwrap_or(d)
}

impl App {
    /// Loads the admission work, the probations and the decisions registers (see the module).
    pub(crate) async fn load_demo_lifecycle(&self) -> AppResult<()> {
        let actor = Actor::system();
        let today = self.clock.today();
        let Some((ward, cell, officials)) = self.demo_ward_cell(today).await? else {
            return Ok(());
        };
        self.demo_decisions(&actor, ward, today).await?;
        self.demo_candidates(&actor, cell, &officials, today)
            .await?;
        // Probationary members whose twelve months end this month or ended last month.
        let mut tx = self.store.begin().await?;
        for (i, (name, back)) in [("Đinh Thị Mai", 370u64), ("Lương Văn Bảo", 350)]
            .into_iter()
            .enumerate()
        {
            let born = NaiveDate::from_ymd_opt(1996 + i as i32, 5, 12).unwrap_or(today);
            let record = record(name, born)?;
            let new = NewMember {
                official: false,
                ..NewMember::admitted(record, cell, days_before(today, back))
            };
            self.create_member_in(&mut tx, &actor, new).await?;
        }
        tx.commit().await?;
        self.demo_transfers(&actor, cell, today).await?;
        self.demo_cards(&actor, ward, today).await?;
        self.demo_badges(&actor, ward, today).await
    }

    /// A transfer to another cell waiting to be accepted, sent twelve days ago, and a temporary
    /// stay in that cell whose planned return passed two months ago (R10).
    async fn demo_transfers(&self, actor: &Actor, cell: OrgId, today: NaiveDate) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let other = ostore::tree_on(&mut tx, today)
            .await?
            .into_iter()
            .find(|p| p.kind.is_cell() && p.org != cell)
            .map(|p| p.org);
        tx.commit().await?;
        let Some(other) = other else {
            return Ok(());
        };
        let first_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
        let away = today.checked_sub_months(Months::new(8)).unwrap_or(today);
        let moves = [
            (
                "Trịnh Văn Hùng",
                1978,
                TransferKind::Official,
                days_before(today, 12),
            ),
            ("Ngô Thị Hạnh", 1985, TransferKind::Temporary, away),
        ];
        for (name, born, kind, on) in moves {
            let birth = NaiveDate::from_ymd_opt(born, 3, 20).unwrap_or(today);
            // Admitted after 2018, so that the article's figures stay as they are.
            let admitted = NaiveDate::from_ymd_opt(2020, 9, 2).unwrap_or(today);
            let mut tx = self.store.begin().await?;
            let member = self
                .create_member_in(
                    &mut tx,
                    actor,
                    NewMember::admitted(record(name, birth)?, cell, admitted),
                )
                .await?;
            tx.commit().await?;
            let details = TransferDetails {
                reason: Some(TransferReason::NewJob),
                letter_number: None,
                dues_paid_to: Some(first_of(on)),
                trigger_on: Some(days_before(on, 20)),
                planned_return: (kind == TransferKind::Temporary)
                    .then(|| on.checked_add_months(Months::new(6)).unwrap_or(on)),
            };
            let input = SendTransfer {
                kind,
                on,
                to_org: Some(other),
                to_name: None,
                details,
                note: None,
            };
            self.send_transfer(actor, member, input).await?;
        }
        Ok(())
    }

    /// A cell of a ward (đảng bộ xã, phường) with at least four official members today: the
    /// ward, the cell and its official members.
    async fn demo_ward_cell(
        &self,
        today: NaiveDate,
    ) -> AppResult<Option<(OrgId, OrgId, Vec<MemberId>)>> {
        let mut tx = self.store.read().await?;
        let tree = ostore::tree_on(&mut tx, today).await?;
        for ward in tree.iter().filter(|p| p.kind == OrgKind::DangBoXa) {
            for cell in tree
                .iter()
                .filter(|p| p.parent == Some(ward.org) && p.kind.is_cell())
            {
                let officials: Vec<MemberId> = mstore::roll_on(&mut tx, cell.org, today)
                    .await?
                    .into_iter()
                    .filter(|(_, _, st, official)| *official && *st == Status::Official)
                    .map(|(m, ..)| m)
                    .collect();
                if officials.len() >= 4 {
                    tx.commit().await?;
                    return Ok(Some((ward.org, cell.org, officials)));
                }
            }
        }
        tx.commit().await?;
        Ok(None)
    }

    async fn demo_decisions(&self, actor: &Actor, ward: OrgId, today: NaiveDate) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let city = ostore::tree_on(
            &mut tx,
            NaiveDate::from_ymd_opt(2018, 6, 1).unwrap_or(today),
        )
        .await?
        .into_iter()
        .find(|p| p.kind == OrgKind::DangBoHuyen)
        .map(|p| p.org);
        tx.commit().await?;
        if let Some(city) = city {
            for (month, kind, summary) in [
                (
                    3,
                    DecisionKind::Admission,
                    "Kết nạp đảng viên (đợt tháng 3)",
                ),
                (5, DecisionKind::Official, "Công nhận đảng viên chính thức"),
                (
                    9,
                    DecisionKind::Admission,
                    "Kết nạp đảng viên (đợt tháng 9)",
                ),
                (
                    12,
                    DecisionKind::Review,
                    "Công nhận kết quả xếp loại chất lượng tổ chức đảng năm 2018",
                ),
            ] {
                let input = NewDecision {
                    issuer: city,
                    kind,
                    signed_on: NaiveDate::from_ymd_opt(2018, month, 10).unwrap_or(today),
                    subject: summary.into(),
                    member: None,
                    signer: Some("T/M Ban Thường vụ Thành ủy".into()),
                    abbreviation: Some("ThU".into()),
                };
                self.issue_decision(actor, input).await?;
            }
        }
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 15).unwrap_or(today);
        if year_start <= today && year_start >= crate::demo::REGROUPED_ON {
            let input = NewDecision {
                issuer: ward,
                kind: DecisionKind::Appointment,
                signed_on: year_start,
                subject: "Phân công cấp ủy viên phụ trách các chi bộ".into(),
                member: None,
                signer: Some("T/M Ban Thường vụ Đảng ủy".into()),
                abbreviation: None,
            };
            self.issue_decision(actor, input).await?;
        }
        Ok(())
    }

    async fn demo_candidates(
        &self,
        actor: &Actor,
        cell: OrgId,
        officials: &[MemberId],
        today: NaiveDate,
    ) -> AppResult<()> {
        // Each person started about a year ago; the further she went, the more recent her
        // last stage, so that the decision of the one at the grassroots resolution is
        // overdue and the ceremony of the one with a decision is due.
        let start = today.checked_sub_months(Months::new(13)).unwrap_or(today);
        let day = |n: u64| {
            start
                .checked_add_days(chrono::Days::new(n))
                .unwrap_or(start)
                .min(today)
        };
        let ward_name = self.org_name(cell, today).await.unwrap_or_default();
        for (name, year, reached) in CANDIDATES {
            let birth = NaiveDate::from_ymd_opt(year, 3, 8).unwrap_or(start);
            let record = record(name, birth)?;
            let id = self.add_candidate(actor, cell, record, day(0)).await?;
            let mut next = Stage::Candidate;
            let mut offset = 20;
            while next <= reached {
                let details = match next {
                    Stage::Candidate => StepDetails {
                        helper: officials.first().copied(),
                        ..StepDetails::default()
                    },
                    Stage::AwarenessClass => StepDetails {
                        certificate: Some(format!("{}/CN-TTCT", 100 + offset)),
                        ..StepDetails::default()
                    },
                    Stage::CellResolution => {
                        let voters = officials.len() as u32;
                        StepDetails {
                            introducers: officials.iter().take(2).copied().collect(),
                            votes_for: Some(voters),
                            votes_against: Some(0),
                            ..StepDetails::default()
                        }
                    }
                    Stage::GrassrootsResolution => StepDetails::default(),
                    Stage::Decision => StepDetails {
                        decision: Some(dangvu_domain::decision::Decision {
                            reference: Some(format!("{}-QĐ/ĐU", 30 + offset / 10)),
                            date: Some(day(offset)),
                            body: Some(format!("Ban Thường vụ {ward_name}")),
                        }),
                        ..StepDetails::default()
                    },
                    Stage::Ceremony => StepDetails {
                        place: Some("Nhà văn hóa khu dân cư".into()),
                        ..StepDetails::default()
                    },
                    _ => StepDetails::default(),
                };
                let input = StepInput {
                    stage: next,
                    on: day(offset),
                    details,
                };
                self.record_candidate_step(actor, id, input).await?;
                offset += if next >= Stage::CellResolution {
                    25
                } else {
                    40
                };
                match next.next() {
                    Some(s) => next = s,
                    None => break,
                }
            }
        }
        Ok(())
    }
}
