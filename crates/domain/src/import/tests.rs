use super::*;

fn t(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

fn fields_of(b: &HeaderBlock) -> Vec<Option<&'static str>> {
    b.columns
        .iter()
        .map(|c| c.field.map(ImportField::key))
        .collect()
}

#[test]
fn the_register_form_with_merged_headers_is_recognised() {
    // Mẫu 7-HSĐV as committees keep it: a title, then two header rows where "Ngày, tháng,
    // năm" spans "Vào Đảng" and "Chính thức", and "Ngày sinh" spans "Nam" and "Nữ"; then a
    // row of column numbers.
    let top = vec![
        vec![t("SỔ DANH SÁCH ĐẢNG VIÊN")],
        vec![],
        vec![
            t("STT"),
            t("Họ và tên đang dùng"),
            t("Ngày sinh"),
            CellValue::Empty,
            t("Dân tộc"),
            t("Quê quán"),
            t("Ngày, tháng, năm"),
            CellValue::Empty,
            t("Số thẻ đảng viên"),
            t("Chi bộ"),
        ],
        vec![
            CellValue::Empty,
            CellValue::Empty,
            t("Nam"),
            t("Nữ"),
            CellValue::Empty,
            CellValue::Empty,
            t("Vào Đảng"),
            t("Chính thức"),
        ],
        vec![t("(1)"), t("(2)"), t("(3)"), t("(4)"), t("(5)")],
    ];
    let merges = [
        Merge {
            rows: (2, 2),
            cols: (2, 3),
        },
        Merge {
            rows: (2, 2),
            cols: (6, 7),
        },
        Merge {
            rows: (2, 3),
            cols: (0, 0),
        },
        Merge {
            rows: (2, 3),
            cols: (1, 1),
        },
    ];
    let b = find_headers(&top, &merges, ImportField::MEMBER).unwrap();
    assert_eq!(b.last_row, 3);
    assert_eq!(
        fields_of(&b),
        vec![
            Some("ordinal"),
            Some("full_name"),
            Some("birth_date_male"),
            Some("birth_date_female"),
            Some("ethnicity"),
            Some("home_town"),
            Some("admitted_on"),
            Some("official_on"),
            Some("card_number"),
            Some("cell"),
        ]
    );
    assert!(is_numbering_row(&top[4]));
    assert!(!is_numbering_row(&[t("1"), t("Nguyễn Văn An")]));
}

#[test]
fn headers_without_diacritics_in_any_order_are_recognised() {
    let top = vec![vec![
        t("so CCCD"),
        t("HO TEN"),
        t("ngay vao dang"),
        t("gioi tinh"),
        t("Ngay sinh"),
        t("Trinh do LLCT"),
        t("Ghi chu"),
        t("Cot la"),
    ]];
    let b = find_headers(&top, &[], ImportField::MEMBER).unwrap();
    assert_eq!(
        fields_of(&b),
        vec![
            Some("cccd"),
            Some("full_name"),
            Some("admitted_on"),
            Some("sex"),
            Some("birth_date"),
            Some("political_theory"),
            Some("notes"),
            None
        ]
    );
    assert_eq!(b.columns[7].letters(), "H");
    // The same layout written with other capitals has the same key.
    let again = vec![top[0].iter().map(|c| t(&c.text().to_uppercase())).collect()];
    assert_eq!(
        find_headers(&again, &[], ImportField::MEMBER)
            .unwrap()
            .layout_key(),
        b.layout_key()
    );
}

#[test]
fn a_sheet_without_headers_has_none() {
    let top = vec![vec![t("1"), t("2")], vec![t("Nguyễn Văn An"), t("Kinh")]];
    assert_eq!(find_headers(&top, &[], ImportField::MEMBER), None);
}

#[test]
fn serial_dates_follow_excel() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(serial_date(1.0), Some(d(1900, 1, 1)));
    assert_eq!(serial_date(59.0), Some(d(1900, 2, 28)));
    assert_eq!(serial_date(61.0), Some(d(1900, 3, 1)));
    assert_eq!(serial_date(25569.0), Some(d(1970, 1, 1)));
    assert_eq!(serial_date(45658.75), Some(d(2025, 1, 1)));
    assert_eq!(serial_date(0.0), None);
    assert_eq!(serial_date(f64::NAN), None);
    assert_eq!(serial_date(1e12), None);
    assert_eq!(
        cell_date("birth_date", &CellValue::Date(25569.0)),
        Ok(Some(d(1970, 1, 1)))
    );
    assert_eq!(
        cell_date("birth_date", &t("05/03/1970")),
        Ok(Some(d(1970, 3, 5)))
    );
    assert_eq!(cell_date("birth_date", &CellValue::Empty), Ok(None));
    assert_eq!(
        cell_date("birth_date", &t("31/02/1970")).unwrap_err().code,
        "date_impossible"
    );
    assert!(cell_date("birth_date", &CellValue::Error("#REF!".into())).is_err());
}

#[test]
fn column_letters_are_excel_s() {
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
    assert_eq!(column_letters(701), "ZZ");
    assert_eq!(column_letters(702), "AAA");
}

#[test]
fn numbers_read_as_text_without_a_decimal_point() {
    assert_eq!(CellValue::Number(22085012345.0).text(), "22085012345");
    assert_eq!(CellValue::Number(1.5).text(), "1.5");
    assert_eq!(CellValue::Date(25569.0).text(), "01/01/1970");
}

#[test]
fn the_registers_shared_columns_are_read_a_field_a_line() {
    let all = |h: &str| -> Vec<&'static str> {
        ImportField::recognise_all(&crate::text::fold(h), ImportField::MEMBER)
            .into_iter()
            .map(ImportField::key)
            .collect()
    };
    assert_eq!(
        all("Giới tính, dân tộc, tôn giáo"),
        vec!["sex", "ethnicity", "religion"]
    );
    assert_eq!(
        all("Họ và tên khai sinh, họ và tên đang dùng"),
        vec!["birth_name", "full_name"]
    );
    assert_eq!(
        all("Ngày vào Đảng, ngày chính thức"),
        vec!["admitted_on", "official_on"]
    );
    assert_eq!(
        all("Số thẻ đảng viên, số lý lịch"),
        vec!["card_number", "history_number"]
    );
    assert_eq!(
        all("Trình độ GDPT, LLCT, chuyên môn"),
        vec!["education", "political_theory", "professional"]
    );
    assert_eq!(
        all("Ngày chuyển đi, nơi chuyển đến"),
        vec!["transferred_out_on", "place_to"]
    );
    assert_eq!(
        all("Ngày chuyển đến, nơi chuyển đi"),
        vec!["joined_on", "place_from"]
    );
    // One field is not a shared column.
    assert!(all("Họ và tên khai sinh").is_empty());
    assert!(all("Ngày sinh").is_empty());
    let top = vec![vec![
        t("Họ và tên khai sinh, họ và tên đang dùng"),
        t("Giới tính, dân tộc, tôn giáo"),
        t("Ngày sinh"),
        t("Quân đội, công an, nghỉ hưu"),
    ]];
    let b = find_headers(&top, &[], ImportField::MEMBER).unwrap();
    let row = vec![
        t("Nguyễn Thị Hoa\nNguyễn Thị Hoa"),
        t("Nữ\nTày"),
        t("01/02/1950"),
        t("Nghỉ hưu"),
    ];
    let v = |f| b.value(&row, f);
    assert_eq!(v(ImportField::FullName), Some(t("Nguyễn Thị Hoa")));
    assert_eq!(v(ImportField::Ethnicity), Some(t("Tày")));
    assert_eq!(v(ImportField::Religion), Some(CellValue::Empty));
    assert_eq!(v(ImportField::Retired), Some(t("x")));
    assert_eq!(v(ImportField::Army), Some(CellValue::Empty));
    assert_eq!(b.column_of(ImportField::Ethnicity), Some(1));
}
