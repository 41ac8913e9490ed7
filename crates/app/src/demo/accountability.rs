//! The demo's accountability registers: a year (2024, the city's last full year) of the
//! supervision of the asset declarations of the cadres the city's standing committee managed
//! (R33), and the opinions of the Front and the people taken in by the ward Uông Bí, dated from
//! today so that some are answered, some due and some overdue (R34), and the Hồ Chí Minh study
//! commitments of that ward, its first cell and the cell's members, last year's assessed and
//! this year's commented at mid-year once it has passed (R35).

use chrono::{Days, NaiveDate};
use dangvu_domain::assets::{DeclarationKind, SupervisionKind, Trigger};
use dangvu_domain::ids::OrgId;
use dangvu_domain::opinion::OpinionSource;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::assets::{Conclusion, NewCadre, NewDeclaration, NewSupervision};
use crate::commitments::CommitSubject;
use crate::opinions::{Assignment, NewOpinion};
use crate::{Actor, App, AppResult};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// The cadres of the city's standing committee's list: name, post, and the day each
/// declaration of 2024 came in (None: not received).
/// The day a declaration came in: month, day, year.
type Received = Option<(u32, u32, i32)>;

const CADRES: [(&str, &str, Received); 8] = [
    ("Nguyễn Văn Hùng", "Bí thư Thành ủy", Some((12, 10, 2024))),
    (
        "Trần Thị Thanh Hương",
        "Phó Bí thư Thường trực Thành ủy",
        Some((12, 12, 2024)),
    ),
    (
        "Phạm Quốc Cường",
        "Phó Bí thư Thành ủy, Chủ tịch UBND thành phố",
        Some((12, 16, 2024)),
    ),
    (
        "Lê Văn Thành",
        "Phó Chủ tịch UBND thành phố",
        Some((1, 6, 2025)),
    ),
    (
        "Đỗ Thị Minh Nguyệt",
        "Trưởng Ban Tổ chức Thành ủy",
        Some((12, 18, 2024)),
    ),
    (
        "Vũ Đình Long",
        "Chủ nhiệm Ủy ban Kiểm tra Thành ủy",
        Some((12, 20, 2024)),
    ),
    (
        "Hoàng Văn Sơn",
        "Giám đốc Ban Quản lý dự án đầu tư xây dựng",
        Some((12, 23, 2024)),
    ),
    (
        "Ngô Thị Bích Ngọc",
        "Trưởng phòng Tài chính - Kế hoạch",
        None,
    ),
];

/// The opinions taken in by the ward: source, who, days before today it came in, content,
/// and what happened to it: (given to answer `n` days before today, working days, answered
/// `m` days before today).
type DemoOpinion = (
    OpinionSource,
    &'static str,
    u64,
    &'static str,
    Option<(u64, u32, Option<u64>)>,
);

const OPINIONS: [DemoOpinion; 6] = [
    (
        OpinionSource::Front,
        "Ủy ban MTTQ phường Uông Bí",
        70,
        "Đề nghị chi bộ nhắc nhở đảng viên gương mẫu thực hiện quy ước khu dân cư về giữ gìn vệ sinh môi trường.",
        Some((65, 15, Some(40))),
    ),
    (
        OpinionSource::MassOrg,
        "Hội Cựu chiến binh phường",
        45,
        "Phản ánh việc sinh hoạt chi bộ ở một số khu còn hình thức, chưa bàn việc thiết thực của khu dân cư.",
        Some((42, 15, None)),
    ),
    (
        OpinionSource::Citizen,
        "Công dân khu 3",
        30,
        "Đề nghị công khai kết quả giải quyết các kiến nghị về cải tạo đường nội khu.",
        Some((28, 10, None)),
    ),
    (
        OpinionSource::Meeting,
        "Hội nghị đối thoại giữa Bí thư Đảng ủy với nhân dân",
        12,
        "Nhân dân đề nghị tăng cường đối thoại định kỳ giữa cấp ủy với người dân về công tác xây dựng Đảng.",
        Some((10, 20, None)),
    ),
    (
        OpinionSource::MassOrg,
        "Hội Liên hiệp Phụ nữ phường",
        5,
        "Đánh giá cao đảng viên trong chi bộ tích cực vận động hội viên tham gia xây dựng nông thôn mới kiểu mẫu.",
        None,
    ),
    (
        OpinionSource::Front,
        "Ban Thanh tra nhân dân phường",
        3,
        "Đề nghị làm rõ việc một đảng viên chậm nộp đảng phí nhiều tháng.",
        None,
    ),
];

fn before(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(n)).unwrap_or(today)
}

impl App {
    /// Loads the demo's asset supervision and opinions (see the module).
    pub(crate) async fn load_demo_accountability(&self) -> AppResult<()> {
        let actor = Actor::system();
        let mut tx = self.store.read().await?;
        let city = ostore::tree_on(&mut tx, d(2024, 12, 31))
            .await?
            .into_iter()
            .find(|p| p.name == "Đảng bộ thành phố Uông Bí")
            .map(|p| p.org);
        tx.commit().await?;
        if let Some(city) = city {
            self.demo_assets(&actor, city).await?;
        }
        self.demo_opinions(&actor).await?;
        self.demo_commitments(&actor).await
    }

    async fn demo_commitments(&self, actor: &Actor) -> AppResult<()> {
        use chrono::Datelike;
        let today = self.clock.today();
        let Some((ward, cells)) = self.uong_bi_cells(today).await? else {
            return Ok(());
        };
        let Some(cell) = cells.first().copied() else {
            return Ok(());
        };
        let mut tx = self.store.read().await?;
        let roll = mstore::roll_on(&mut tx, cell, today).await?;
        tx.commit().await?;
        const MEMBER: &str = "Gương mẫu chấp hành chủ trương của Đảng, pháp luật của Nhà nước và quy định nơi cư trú\nTham gia đầy đủ sinh hoạt chi bộ, đóng đảng phí đúng hạn\nThực hành tiết kiệm, chống lãng phí trong gia đình\nGiữ mối liên hệ với nhân dân, vận động gia đình tham gia phong trào khu dân cư";
        const COLLECTIVE: &str = "Duy trì sinh hoạt định kỳ, nâng cao chất lượng sinh hoạt chuyên đề\nMỗi cấp ủy viên phụ trách một khu dân cư, tiếp nhận và giải quyết kiến nghị của nhân dân\nĐưa việc học tập và làm theo Bác vào nội dung sinh hoạt hằng tháng";
        for year in [today.year() - 1, today.year()] {
            let registered = d(year, 1, 12);
            if registered < ward.valid_from || registered > today {
                continue;
            }
            let mut ids = vec![
                self.register_commitment(
                    actor,
                    CommitSubject::Collective(ward.org),
                    year,
                    COLLECTIVE,
                    registered,
                )
                .await?,
                self.register_commitment(
                    actor,
                    CommitSubject::Collective(cell),
                    year,
                    COLLECTIVE,
                    registered,
                )
                .await?,
            ];
            // Two members of this year's list have not registered theirs yet.
            let skip = if year == today.year() { 2 } else { 0 };
            for (m, _, _, _) in roll.iter().skip(skip) {
                ids.push(
                    self.register_commitment(
                        actor,
                        CommitSubject::Member(*m),
                        year,
                        MEMBER,
                        registered,
                    )
                    .await?,
                );
            }
            let mid = d(year, 7, 15);
            if mid <= today {
                for id in &ids {
                    self.comment_commitment(
                        actor,
                        *id,
                        "Thực hiện tốt các nội dung đã đăng ký trong 6 tháng đầu năm.",
                        mid,
                    )
                    .await?;
                }
            }
            let end = d(year, 12, 20);
            if end <= today {
                for id in &ids {
                    self.assess_commitment(
                        actor,
                        *id,
                        "Hoàn thành các nội dung cam kết; là tấm gương để quần chúng noi theo.",
                        end,
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn demo_assets(&self, actor: &Actor, city: OrgId) -> AppResult<()> {
        let mut ids = Vec::new();
        for (name, post, received) in CADRES {
            let c = self
                .add_asset_cadre(
                    actor,
                    NewCadre {
                        committee: city,
                        full_name: name.into(),
                        position: post.into(),
                        workplace: Some("Thành phố Uông Bí".into()),
                        from_date: d(2020, 10, 15),
                    },
                )
                .await?;
            let dec = self
                .add_asset_declaration(
                    actor,
                    NewDeclaration {
                        cadre: c,
                        kind: DeclarationKind::Annual,
                        year: Some(2024),
                        event_on: None,
                        due_on: None,
                        note: None,
                    },
                )
                .await?;
            if let Some((m, day, y)) = received {
                self.receive_asset_declaration(
                    actor,
                    dec,
                    d(y, m, day),
                    Some("Ủy ban Kiểm tra Thành ủy"),
                )
                .await?;
            }
            ids.push(c);
        }
        // Supervision by plan of two cadres, and an inspection after a complaint that found a
        // change above the 300 million đồng of 2024, so an additional declaration.
        let plan = [
            (
                ids[2],
                SupervisionKind::Supervision,
                Trigger::Plan,
                d(2024, 8, 5),
                None,
                "Kê khai đầy đủ, đúng thời hạn; biến động tài sản có giải trình hợp lý.",
                None,
            ),
            (
                ids[6],
                SupervisionKind::Supervision,
                Trigger::Plan,
                d(2024, 8, 5),
                None,
                "Kê khai đầy đủ; tài sản tăng do thừa kế, đã giải trình.",
                None,
            ),
            (
                ids[3],
                SupervisionKind::Inspection,
                Trigger::Complaint,
                d(2024, 10, 1),
                Some(420_000_000),
                "Tài sản tăng 420 triệu đồng trong năm, chưa kê khai bổ sung; đã giải trình nguồn gốc hợp pháp.",
                Some("Yêu cầu kê khai bổ sung trước 31/12/2024; nhắc nhở rút kinh nghiệm."),
            ),
        ];
        for (cadre, kind, trigger, started_on, change, findings, follow_up) in plan {
            let s = self
                .add_asset_supervision(
                    actor,
                    NewSupervision {
                        cadre,
                        year: 2024,
                        kind,
                        trigger,
                        started_on,
                    },
                )
                .await?;
            self.conclude_asset_supervision(
                actor,
                s,
                Conclusion {
                    change_vnd: change,
                    findings: findings.into(),
                    follow_up: follow_up.map(str::to_owned),
                    concluded_on: started_on + chrono::Duration::days(45),
                },
            )
            .await?;
        }
        let extra = self
            .add_asset_declaration(
                actor,
                NewDeclaration {
                    cadre: ids[3],
                    kind: DeclarationKind::Additional,
                    year: Some(2024),
                    event_on: None,
                    due_on: None,
                    note: Some("Theo kết luận kiểm tra ngày 15/11/2024".into()),
                },
            )
            .await?;
        self.receive_asset_declaration(actor, extra, d(2024, 12, 27), None)
            .await?;
        Ok(())
    }

    async fn demo_opinions(&self, actor: &Actor) -> AppResult<()> {
        let today = self.clock.today();
        let Some((ward, mut cells)) = self.uong_bi_cells(today).await? else {
            return Ok(());
        };
        cells.truncate(3);
        let mut tx = self.store.read().await?;
        let members = match cells.first() {
            Some(c) => mstore::roll_on(&mut tx, *c, today).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        for (i, (source, who, ago, content, handled)) in OPINIONS.into_iter().enumerate() {
            let received_on = before(today, ago);
            if received_on < ward.valid_from {
                continue;
            }
            let (subject_org, subject_member) = match i % 3 {
                0 => (cells.get(i % cells.len().max(1)).copied(), None),
                1 => (None, members.get(i).map(|m| m.0)),
                _ => (None, None),
            };
            let id = self
                .take_opinion(
                    actor,
                    NewOpinion {
                        committee: ward.org,
                        source,
                        source_name: Some(who.into()),
                        received_on,
                        subject_org,
                        subject_member,
                        content: content.into(),
                    },
                )
                .await?;
            let Some((assigned, days, answered)) = handled else {
                continue;
            };
            self.assign_opinion(
                actor,
                id,
                Assignment {
                    body: "Văn phòng Đảng ủy phường".into(),
                    person: "Phó Bí thư Thường trực Đảng ủy".into(),
                    on: before(today, assigned),
                    days: Some(days),
                },
            )
            .await?;
            if let Some(a) = answered {
                self.answer_opinion(
                    actor,
                    id,
                    "Đảng ủy đã chỉ đạo các chi bộ quán triệt, kiểm tra việc thực hiện và trả lời bằng văn bản.",
                    before(today, a),
                )
                .await?;
            }
        }
        Ok(())
    }
}
