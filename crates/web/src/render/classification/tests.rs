#![allow(clippy::unwrap_used)]
use super::*;
use dangvu_app::review::{MemberCounts, ReportRow};
use dangvu_domain::ids::OrgId;
use dangvu_domain::org::OrgKind;
use dangvu_domain::review::Period;
use dangvu_store::reviews::ReviewPeriod;
use std::io::Read;

fn sample() -> ClassificationReport {
    let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let members = MemberCounts {
        levels: LevelCounts([1025, 4942, 561, 35]),
        not_classified: [("exempt".to_owned(), 88)].into_iter().collect(),
    };
    ClassificationReport {
        period: ReviewPeriod {
            id: 1,
            org: OrgId(2),
            label: "Năm 2018".into(),
            period: Period::year(2018),
            rule_set: "2018".into(),
            status: "locked".into(),
        },
        org: OrgId(2),
        org_name: "Đảng bộ thành phố Uông Bí".into(),
        as_of: d(2018, 12, 31),
        grassroots_dang_bo: LevelCounts([9, 31, 0, 0]),
        grassroots_cells: LevelCounts([0, 5, 4, 1]),
        cells: LevelCounts([67, 218, 14, 3]),
        members: members.clone(),
        rows: vec![ReportRow {
            org: OrgId(3),
            name: "Đảng bộ phường Nam Khê".into(),
            kind: OrgKind::DangBoCoSo,
            counts: ReportCounts {
                members,
                ..Default::default()
            },
        }],
        paragraph: "Năm 2018, Đảng bộ TP Uông Bí có 45/50 cơ sở đảng".into(),
    }
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_workbook_holds_the_counts_the_shares_and_the_paragraph() {
    let b = xlsx(&sample()).unwrap();
    let strings = part(&b, "xl/sharedStrings.xml");
    for s in [
        "Tổ chức cơ sở đảng",
        "Đảng viên",
        "Năm 2018, Đảng bộ TP Uông Bí có 45/50 cơ sở đảng",
        "miễn sinh hoạt đảng",
        "Đảng bộ phường Nam Khê",
        "Quy định 132-QĐ/TW",
    ] {
        assert!(strings.contains(s), "{s} missing");
    }
    let sheet = part(&b, "xl/worksheets/sheet1.xml");
    // Members: 1.025 HTXS of 6.563 classified, the share as a fraction.
    assert!(sheet.contains("<v>1025</v>"), "{sheet}");
    assert!(sheet.contains("<v>6563</v>"));
    assert!(sheet.contains("<v>0.156178576870333"), "{sheet}");
    let by_org = part(&b, "xl/worksheets/sheet2.xml");
    assert!(by_org.contains("<v>4942</v>"));
}

#[test]
fn the_chart_has_a_bar_per_kind_and_segments_in_proportion() {
    let s = svg(&total(&sample()));
    assert!(s.starts_with("<svg"));
    assert_eq!(s.matches("<text x=\"0\"").count(), 3, "three bars");
    // Members: HTXS 1025 of 6563 on 460 px.
    assert!(s.contains("width=\"71.8\""), "{s}");
    assert!(!s.contains("style="), "no inline style under the CSP");
}

#[test]
fn shares_are_written_the_vietnamese_way() {
    let c = LevelCounts([9, 36, 4, 1]);
    assert_eq!(cell(&c, Level::Htxs), "9 (18,0%)");
    assert_eq!(htt_or_better(&c), "45 (90,0%)");
    assert_eq!(cell(&LevelCounts::default(), Level::Htxs), "0 (–)");
}
