//! The demo's regulations and contest in the ward Uông Bí: its executive committee's working
//! regulations issued at the start of the 2025–2030 term and revised once (R32), its rules on
//! cadre work, and one round of the cell secretaries' skills contest held last month with a
//! small question bank and the secretaries of its cells taking part (R36).

use chrono::{Datelike, Days, NaiveDate};
use dangvu_domain::ids::MemberId;
use dangvu_domain::org::Position;
use dangvu_domain::regulation::RegulationKind;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;

use crate::contest::{NewQuestion, Score};
use crate::regulations::{NewRegulation, NewVersion};
use crate::{Actor, App, AppResult};

const RULES_V1: &str = "Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định nguyên tắc, chế độ làm việc, trách nhiệm, quyền hạn của Ban Chấp hành, Ban Thường vụ Đảng ủy phường nhiệm kỳ 2025–2030.\nĐiều 4. Chế độ hội nghị\nBan Chấp hành họp thường kỳ 3 tháng một lần; Ban Thường vụ họp thường kỳ mỗi tháng một lần.\nĐiều 9. Kiểm tra, giám sát\nỦy ban Kiểm tra giúp Ban Chấp hành kiểm tra, giám sát việc thực hiện Quy chế.";
const RULES_V2: &str = "Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định nguyên tắc, chế độ làm việc, trách nhiệm, quyền hạn của Ban Chấp hành, Ban Thường vụ Đảng ủy phường nhiệm kỳ 2025–2030.\nĐiều 4. Chế độ hội nghị\nBan Chấp hành họp thường kỳ 2 tháng một lần; Ban Thường vụ họp thường kỳ mỗi tháng hai lần.\nĐiều 9. Kiểm tra, giám sát\nỦy ban Kiểm tra giúp Ban Chấp hành kiểm tra, giám sát việc thực hiện Quy chế; báo cáo 6 tháng một lần.";
const PROVISIONS: &str = "Điều 4 | Chuẩn bị nội dung, tài liệu hội nghị Ban Chấp hành | Văn phòng Đảng ủy\nĐiều 4 | Chủ trì hội nghị Ban Thường vụ | Bí thư Đảng ủy\nĐiều 9 | Kiểm tra, giám sát việc thực hiện Quy chế | Chủ nhiệm Ủy ban Kiểm tra Đảng ủy";

/// The bank: question, options, the right one (from 0), source.
const QUESTIONS: [(&str, &str, [&str; 4], usize, &str); 5] = [
    (
        "Điều lệ Đảng",
        "Thời gian dự bị của đảng viên là bao lâu?",
        ["6 tháng", "12 tháng", "18 tháng", "24 tháng"],
        1,
        "Điều lệ Đảng, Điều 5",
    ),
    (
        "Điều lệ Đảng",
        "Chi bộ có từ bao nhiêu đảng viên chính thức trở lên thì bầu chi ủy?",
        ["5", "7", "9", "11"],
        2,
        "Quy định 232-QĐ/TW",
    ),
    (
        "Sinh hoạt chi bộ",
        "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
        ["Mỗi tuần", "Mỗi tháng", "Mỗi quý", "6 tháng"],
        1,
        "Điều lệ Đảng, Điều 24",
    ),
    (
        "Sinh hoạt chi bộ",
        "Sinh hoạt chuyên đề của chi bộ ít nhất bao lâu một lần?",
        ["Mỗi tháng", "Mỗi quý", "6 tháng", "Mỗi năm"],
        1,
        "Hướng dẫn 12-HD/BTCTW",
    ),
    (
        "Công tác đảng viên",
        "Đảng viên bỏ sinh hoạt chi bộ bao nhiêu tháng trong năm không có lý do chính đáng thì bị xóa tên?",
        ["2 tháng", "3 tháng", "4 tháng", "6 tháng"],
        1,
        "Điều lệ Đảng, Điều 8",
    ),
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

impl App {
    /// Loads the demo's regulations and contest (see the module).
    pub(crate) async fn load_demo_documents(&self) -> AppResult<()> {
        let actor = Actor::system();
        let today = self.clock.today();
        let Some((ward, cells)) = self.uong_bi_cells(today).await? else {
            return Ok(());
        };
        let mut tx = self.store.read().await?;
        let mut secretaries: Vec<MemberId> = Vec::new();
        for c in &cells {
            let roll = mstore::roll_on(&mut tx, *c, today).await?;
            let sec = ostore::committee_on(&mut tx, *c, today)
                .await?
                .into_iter()
                .find(|p| p.position == Position::BiThu)
                .map(|p| p.member)
                .filter(|m| roll.iter().any(|r| r.0 == *m))
                .or_else(|| roll.first().map(|r| r.0));
            secretaries.extend(sec);
        }
        tx.commit().await?;
        let issued = ward.valid_from.max(d(2025, 10, 15));
        if issued > today {
            return Ok(());
        }
        let id = self
            .issue_regulation(
                &actor,
                NewRegulation {
                    committee: ward.org,
                    kind: RegulationKind::ExecutiveRules,
                    title: "Quy chế làm việc của Ban Chấp hành Đảng bộ phường Uông Bí nhiệm kỳ 2025–2030".into(),
                    issuing_body: "Ban Chấp hành Đảng bộ phường Uông Bí".into(),
                    review_months: Some(12),
                    first: NewVersion {
                        number: "01-QC/ĐU".into(),
                        signed_on: Some(issued),
                        effective_on: None,
                        changes: None,
                        body: RULES_V1.into(),
                        provisions: PROVISIONS.into(),
                    },
                },
            )
            .await?;
        let revised = issued
            .checked_add_days(Days::new(120))
            .unwrap_or(issued)
            .min(today);
        if revised > issued {
            self.revise_regulation(
                &actor,
                id,
                NewVersion {
                    number: "02-QC/ĐU".into(),
                    signed_on: Some(revised),
                    effective_on: None,
                    changes: Some("Sửa Điều 4: Ban Chấp hành họp 2 tháng một lần, Ban Thường vụ mỗi tháng hai lần; bổ sung Điều 9: Ủy ban Kiểm tra báo cáo 6 tháng một lần.".into()),
                    body: RULES_V2.into(),
                    provisions: PROVISIONS.into(),
                },
            )
            .await?;
        }
        self.issue_regulation(
            &actor,
            NewRegulation {
                committee: ward.org,
                kind: RegulationKind::OrganisationCadres,
                title: "Quy định về phân cấp quản lý cán bộ của Đảng ủy phường Uông Bí".into(),
                issuing_body: "Ban Thường vụ Đảng ủy phường Uông Bí".into(),
                review_months: None,
                first: NewVersion {
                    number: "03-QĐ/ĐU".into(),
                    signed_on: Some(issued),
                    effective_on: None,
                    changes: None,
                    body: "Điều 2. Ban Thường vụ Đảng ủy quản lý bí thư, phó bí thư các chi bộ trực thuộc.".into(),
                    provisions: "Điều 2 | Theo dõi, đánh giá bí thư chi bộ | Ban Xây dựng Đảng".into(),
                },
            },
        )
        .await?;
        // The contest: last month, the secretaries of the cells.
        let mut ids = Vec::new();
        for (topic, q, opts, right, source) in QUESTIONS {
            ids.push(
                self.add_question(
                    &actor,
                    ward.org,
                    NewQuestion {
                        topic: topic.into(),
                        question: q.into(),
                        options: opts.iter().map(|o| (*o).to_owned()).collect(),
                        answer: right,
                        source: Some(source.into()),
                    },
                )
                .await?,
            );
        }
        let held = today
            .checked_sub_days(Days::new(u64::from(today.day()) + 10))
            .unwrap_or(today)
            .max(issued);
        let round = self
            .open_round(&actor, ward.org, "Vòng sơ khảo", held, ids)
            .await?;
        for (i, m) in secretaries.iter().enumerate() {
            // Answers: each secretary misses the questions at a position of her own.
            let answers: Vec<Option<usize>> = QUESTIONS
                .iter()
                .enumerate()
                .map(|(k, q)| Some(if (k + i) % 4 == 3 { (q.3 + 1) % 4 } else { q.3 }))
                .collect();
            // A secretary who was not in the ward on the day is left out.
            match self
                .enter_result(&actor, round, *m, Score::Answers(answers))
                .await
            {
                Ok(_) | Err(crate::AppError::Domain(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}
