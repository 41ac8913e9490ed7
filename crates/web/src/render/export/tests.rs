#![allow(clippy::unwrap_used)]
use super::*;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::Status;
use std::io::Read;

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn sample() -> Export {
    let mut record = dangvu_domain::member::MemberRecord::parse(|k| {
        match k {
            "full_name" => "Nguyễn Thị Hoa",
            "sex" => "female",
            "birth_date" => "1950-03-08",
            "ethnicity" => "Tày",
            "religion" => "Không",
            "political_theory" => "Trung cấp",
            "history_number" => "123456-QN",
            _ => "",
        }
        .to_owned()
    })
    .unwrap();
    // Text a record may hold that a spreadsheet would run as a formula.
    record.residence = Some("=HYPERLINK(\"http://x\",\"bấm\")".into());
    record.retired = true;
    Export {
        org: OrgId(7),
        org_name: "Chi bộ Khu 3".into(),
        on: d(2026, 6, 15),
        rows: vec![ExportRow {
            id: MemberId(1),
            record,
            cell: Some(OrgId(7)),
            cell_name: "Chi bộ Khu 3".into(),
            on_roll: true,
            status: Some(Status::Official),
            official: true,
            admitted_on: Some(d(1975, 5, 19)),
            official_on: Some(d(1976, 5, 19)),
            card: Some("12345678".into()),
            seniority_months: 613,
            transferred_in: None,
            transferred_out: None,
            died_on: None,
            left_party: None,
        }],
    }
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_list_has_the_picked_columns_as_values_never_formulas() {
    let e = sample();
    let cols = picked(&[
        "residence".into(),
        "full_name".into(),
        "ethnicity".into(),
        "seniority".into(),
        "nonsense".into(),
    ]);
    assert_eq!(
        cols.iter().map(|c| c.0).collect::<Vec<_>>(),
        vec!["full_name", "ethnicity", "residence", "seniority"]
    );
    let bytes = list_xlsx(&e, &cols, "tất cả đảng viên").unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let strings = part(&bytes, "xl/sharedStrings.xml");
    assert!(!sheet.contains("<f>"), "{sheet}");
    assert!(
        strings.contains("<t>=HYPERLINK(\"http://x\",\"bấm\")</t>"),
        "{strings}"
    );
    assert!(
        strings.contains("Nguyễn Thị Hoa") && strings.contains(">Tày<") && strings.contains(">51<")
    );
    // No column picked: the usual ones.
    assert_eq!(picked(&[]).len(), DEFAULT_COLUMNS.len());
}

#[test]
fn the_register_has_the_forms_fourteen_columns() {
    let e = sample();
    let cells = register_cells(0, &e.rows[0]);
    assert_eq!(cells[0], "1");
    assert_eq!(cells[2], "Nữ\nTày\nKhông");
    // One line a field: education (not recorded), political theory, professional level.
    assert_eq!(cells[4], "\nTrung cấp");
    assert_eq!(cells[1], "Nguyễn Thị Hoa\nNguyễn Thị Hoa");
    assert_eq!(cells[6], "19/05/1975\n19/05/1976");
    assert_eq!(cells[7], "12345678\n123456-QN");
    assert_eq!(cells[8], "Nghỉ hưu");
    let bytes = register_xlsx(&e).unwrap();
    let strings = part(&bytes, "xl/sharedStrings.xml");
    for h in REGISTER_HEADS {
        assert!(strings.contains(h), "{h}");
    }
    assert!(strings.contains("(14)"));
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"));
    // A4 (paper size 9), landscape.
    assert!(
        sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""),
        "{sheet}"
    );
}
