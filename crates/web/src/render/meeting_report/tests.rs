#![allow(clippy::unwrap_used)]
use std::io::Read;

use chrono::NaiveDate;
use dangvu_app::meeting_report::{AssemblyLine, ResidenceLine};
use dangvu_domain::ids::OrgId;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_workbook_holds_every_cell_the_total_and_the_residence_side() {
    let cell = CellLine {
        org: OrgId(5),
        name: "Chi bộ Khu 3".into(),
        grassroots: "Đảng bộ phường Nam Khê".into(),
        months_due: 12,
        months_held: 11,
        months_missing: vec![(2019, 4)],
        quarters_due: 4,
        meetings: 11,
        short: 1,
        avg_minutes: Some(104),
        expected: 200,
        present: 180,
        with_superior: 3,
        assigned: vec!["Trần Văn An".into()],
        assigned_meetings: 11,
        assigned_attended: 3,
        scored: 6,
        avg_score: Some(87),
        topics: vec!["Học tập tư tưởng Hồ Chí Minh".into()],
        ..CellLine::default()
    };
    let r = MeetingsReport {
        org: OrgId(3),
        name: "Đảng bộ phường Nam Khê".into(),
        from: d(2019, 1, 1),
        to: d(2019, 12, 31),
        as_of: d(2019, 12, 31),
        total: cell.clone(),
        cells: vec![cell],
        assemblies: vec![AssemblyLine {
            org: OrgId(3),
            name: "Đảng bộ phường Nam Khê".into(),
            held: 1,
            halves_missing: vec![(2019, 2)],
        }],
        residence: vec![ResidenceLine {
            org: OrgId(3),
            name: "Đảng bộ phường Nam Khê".into(),
            attached: 40,
            exempt: 2,
            meetings: 2,
            halves_missing: Vec::new(),
            comments_written: 38,
            comments_certified: 35,
        }],
        introduced: 12,
        introduced_commented: 10,
        comment_year: 2019,
    };
    let b = xlsx(&r).unwrap();
    let strings = part(&b, "xl/sharedStrings.xml");
    for s in [
        "Chi bộ Khu 3",
        "04/2019",
        "Trần Văn An",
        "Học tập tư tưởng Hồ Chí Minh",
        "Tổng cộng",
        "6 tháng cuối năm 2019",
        "Phiếu nhận xét đã xác nhận",
    ] {
        assert!(strings.contains(s), "{s}: {strings}");
    }
    let sheet = part(&b, "xl/worksheets/sheet1.xml");
    // 180 of 200 present, as a share; 104 minutes on average; 3 of 11 attended.
    assert!(sheet.contains("<v>0.9</v>"), "{sheet}");
    assert!(sheet.contains("<v>104</v>"));
    let res = part(&b, "xl/worksheets/sheet3.xml");
    assert!(
        res.contains("<v>35</v>") && res.contains("<v>40</v>"),
        "{res}"
    );
    assert!(strings.contains("3/11"));
}
