//! Importing members and organisations from workbooks (R5, R15): the register form with merged
//! headers, CSV, the dry run, one transaction, no duplicates, scope, remembered mappings, and
//! files that are not what they claim.

use std::collections::BTreeMap;

use dangvu_app::import::{ImportFile, ImportOptions, ImportReport, RowAction, WeakMatch};
use dangvu_app::{Actor, App};
use dangvu_domain::access::Role;
use dangvu_domain::ids::OrgId;
use dangvu_domain::import::ImportField;
use dangvu_domain::member::Status;
use dangvu_testkit::{Cell, d, on_every_backend, s, signed_in, xlsx};

use super::{actor, fixture};

fn opts(root: OrgId, dry_run: bool) -> ImportOptions {
    ImportOptions {
        root: Some(root),
        dry_run,
        ..ImportOptions::default()
    }
}

async fn run(app: &App, who: &Actor, bytes: &[u8], o: ImportOptions) -> ImportReport {
    app.import_members(
        who,
        ImportFile {
            name: "so-dang-vien.xlsx".into(),
            bytes: bytes.to_vec(),
        },
        o,
        &|_| {},
    )
    .await
    .unwrap()
}

/// Mẫu 7-HSĐV as a committee keeps it: a title, two header rows with merged cells ("Ngày
/// sinh" over "Nam" / "Nữ", "Ngày, tháng, năm" over "Vào Đảng" / "Chính thức"), a row of
/// column numbers, then the members.
fn register_form(rows: Vec<Vec<Cell>>) -> Vec<u8> {
    let mut all = vec![
        vec![s("SỔ DANH SÁCH ĐẢNG VIÊN")],
        vec![],
        vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            s("Dân tộc"),
            s("Tôn giáo"),
            s("Số CCCD"),
            Cell::Empty,
            Cell::Empty,
            s("Lý luận chính trị"),
            s("Số thẻ đảng viên"),
            s("Chi bộ"),
            s("Nơi cư trú"),
        ],
        vec![
            Cell::Empty,
            Cell::Empty,
            s("Nam"),
            s("Nữ"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            s("Vào Đảng"),
            s("Chính thức"),
        ],
        (1..=13).map(|i| s(&format!("({i})"))).collect(),
    ];
    all.extend(rows);
    xlsx(
        "Sổ đảng viên",
        &all,
        &[
            (2, 0, 3, 0, "STT"),
            (2, 1, 3, 1, "Họ và tên"),
            (2, 2, 2, 3, "Ngày sinh"),
            (2, 7, 2, 8, "Ngày, tháng, năm"),
        ],
    )
}

#[allow(clippy::too_many_arguments)]
fn member_row(
    n: u32,
    name: &str,
    born: Cell,
    female: bool,
    ethnicity: &str,
    cccd: Cell,
    admitted: Cell,
    official: Cell,
    card: &str,
    cell: &str,
    residence: &str,
) -> Vec<Cell> {
    let (m, f) = if female {
        (Cell::Empty, born)
    } else {
        (born, Cell::Empty)
    };
    vec![
        Cell::N(f64::from(n)),
        s(name),
        m,
        f,
        s(ethnicity),
        s("Không"),
        cccd,
        admitted,
        official,
        s("Trung cấp"),
        s(card),
        s(cell),
        s(residence),
    ]
}

#[tokio::test]
async fn the_register_form_is_imported_once_with_a_dry_run_first_and_corrections_after() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let today = d(2026, 6, 15);
        // Already in the register: Lê Văn Cường (with his CCCD) and Phạm Thị Dung (without).
        let cuong = app
            .create_member(
                &actor(),
                dangvu_app::members::NewMember::admitted(
                    dangvu_testkit::record(
                        "Lê Văn Cường",
                        &[
                            ("sex", "male"),
                            ("birth_date", "1975-03-02"),
                            ("cccd", "022075000111"),
                        ],
                    ),
                    f.cell_b,
                    d(2000, 1, 5),
                ),
            )
            .await
            .unwrap();
        let dung = app
            .create_member(
                &actor(),
                dangvu_app::members::NewMember::admitted(
                    dangvu_testkit::record("Phạm Thị Dung", &[("birth_date", "1990-07-08")]),
                    f.cell_a,
                    d(2015, 2, 3),
                ),
            )
            .await
            .unwrap();
        let file = register_form(vec![
            // A CCCD kept as a number loses its leading zero; the import puts it back.
            member_row(
                1,
                "Nguyễn Văn Ân",
                Cell::D(1985, 4, 30),
                false,
                "Kinh",
                Cell::N(22085000123.0),
                Cell::D(2010, 5, 19),
                Cell::D(2011, 5, 19),
                "12345678",
                "Khu 1",
                "Tổ 5, Khu 1",
            ),
            member_row(
                2,
                "Hoàng Thị Lan",
                s("31/01/1992"),
                true,
                "tay",
                s("022192000456"),
                s("19/05/2016"),
                s("19/05/2017"),
                "",
                "Chi bộ Khu 2",
                "",
            ),
            // The same Cường, now living elsewhere: a correction with the file as its source.
            member_row(
                3,
                "Lê Văn Cường",
                s("02/03/1975"),
                false,
                "Kinh",
                s("022075000111"),
                s("05/01/2000"),
                s("05/01/2001"),
                "",
                "Khu 2",
                "Tổ 9, Khu 2",
            ),
            // Dung without a number: found by name and date of birth only, left to decide.
            member_row(
                4,
                "Phạm Thị Dung",
                s("08/07/1990"),
                true,
                "Kinh",
                Cell::Empty,
                s("03/02/2015"),
                s("03/02/2016"),
                "",
                "Khu 1",
                "",
            ),
        ]);
        let before = app.count_in_subtree(&actor(), f.g1, today).await.unwrap();
        assert_eq!(before, 2);

        let dry = run(&app, &actor(), &file, opts(f.g1, true)).await;
        assert_eq!(dry.sheet, "Sổ đảng viên");
        assert_eq!(
            (dry.created, dry.updated, dry.weak, dry.errors),
            (2, 1, 1, 0),
            "{dry:?}"
        );
        assert!(!dry.committed);
        let recognised: Vec<Option<&str>> = dry
            .columns
            .iter()
            .map(|c| c.field.map(ImportField::key))
            .collect();
        assert_eq!(
            &recognised[..4],
            &[
                Some("ordinal"),
                Some("full_name"),
                Some("birth_date_male"),
                Some("birth_date_female")
            ]
        );
        let rows: Vec<(u32, RowAction)> = dry.rows.iter().map(|r| (r.row, r.action)).collect();
        assert_eq!(
            rows,
            vec![
                (6, RowAction::Create),
                (7, RowAction::Create),
                (8, RowAction::Update),
                (9, RowAction::WeakMatch)
            ]
        );
        // What the register lacked or held otherwise: the residence, and the religion and
        // political theory it did not have.
        assert_eq!(
            dry.rows[2].changed,
            vec!["residence", "religion", "political_theory"]
        );
        assert_eq!(dry.rows[3].id, Some(dung.0));
        // Nothing written by the dry run.
        assert_eq!(
            app.count_in_subtree(&actor(), f.g1, today).await.unwrap(),
            2
        );

        let done = run(&app, &actor(), &file, opts(f.g1, false)).await;
        assert!(done.committed);
        assert_eq!((done.created, done.updated, done.weak), (2, 1, 1));
        assert_eq!(
            app.count_in_subtree(&actor(), f.g1, today).await.unwrap(),
            4
        );
        let an = dangvu_domain::ids::MemberId(done.rows[0].id.unwrap());
        let v = app.member(&actor(), an, today).await.unwrap();
        assert_eq!(v.record.full_name, "Nguyễn Văn Ân");
        assert_eq!(v.record.sex, dangvu_domain::member::Sex::Male);
        assert_eq!(v.record.birth_date, d(1985, 4, 30));
        assert_eq!(v.record.cccd.as_ref().unwrap().as_str(), "022085000123");
        assert_eq!(v.record.ethnicity, "01");
        assert_eq!(v.record.political_theory.as_deref(), Some("TC"));
        assert_eq!(v.state.status, Status::Official);
        assert!(v.state.official);
        assert_eq!(v.cell_path[0].0, f.cell_a);
        assert_eq!(v.cards.len(), 1);
        let lan = dangvu_domain::ids::MemberId(done.rows[1].id.unwrap());
        let v = app.member(&actor(), lan, today).await.unwrap();
        assert_eq!(v.record.sex, dangvu_domain::member::Sex::Female);
        assert_eq!(v.record.ethnicity, "02");
        assert_eq!(v.cell_path[0].0, f.cell_b);
        let v = app.member(&actor(), cuong, today).await.unwrap();
        assert_eq!(v.record.residence.as_deref(), Some("Tổ 9, Khu 2"));
        let c = v
            .corrections
            .iter()
            .find(|c| c.field == "residence")
            .unwrap();
        assert_eq!(
            (c.field.as_str(), c.new_value.as_deref()),
            ("residence", Some("Tổ 9, Khu 2"))
        );
        assert!(
            c.reason.contains("so-dang-vien.xlsx") && c.reason.contains("dòng 8"),
            "{}",
            c.reason
        );

        // The same file again creates nothing and changes nothing.
        let again = run(&app, &actor(), &file, opts(f.g1, false)).await;
        assert_eq!(
            (again.created, again.updated, again.unchanged, again.weak),
            (0, 0, 3, 1)
        );
        assert_eq!(
            app.count_in_subtree(&actor(), f.g1, today).await.unwrap(),
            4
        );

        // Deciding that row 4 is the same Dung updates her; nothing new is made.
        let same = run(
            &app,
            &actor(),
            &file,
            ImportOptions {
                weak: WeakMatch::Same,
                ..opts(f.g1, false)
            },
        )
        .await;
        assert_eq!((same.created, same.weak), (0, 0));
        assert_eq!(
            app.count_in_subtree(&actor(), f.g1, today).await.unwrap(),
            4
        );
    });
}

#[tokio::test]
async fn one_bad_row_keeps_the_whole_file_out_and_every_error_names_its_cell() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let today = d(2026, 6, 15);
        let file = register_form(vec![
            member_row(
                1,
                "Nguyễn Văn An",
                s("01/01/1980"),
                false,
                "Kinh",
                Cell::Empty,
                s("01/01/2010"),
                s("01/01/2011"),
                "",
                "Khu 1",
                "",
            ),
            member_row(
                2,
                "Trần Văn Bình",
                s("31/02/1980"),
                false,
                "Người sao Hỏa",
                s("12345"),
                s("01/01/2010"),
                Cell::Empty,
                "",
                "Khu 1",
                "",
            ),
            member_row(
                3,
                "Lê Văn Cường",
                s("01/01/1980"),
                false,
                "Kinh",
                Cell::Empty,
                s("01/01/2010"),
                Cell::Empty,
                "",
                "Khu 99",
                "",
            ),
        ]);
        let r = run(&app, &actor(), &file, opts(f.g1, false)).await;
        assert!(!r.committed);
        assert_eq!((r.created, r.errors), (1, 2));
        let errs: Vec<(u32, Option<&str>, &str)> = r
            .rows
            .iter()
            .flat_map(|o| o.errors.iter())
            .map(|e| (e.row, e.column.as_deref(), e.code.as_str()))
            .collect();
        assert!(
            errs.contains(&(7, Some("C"), "date_impossible")),
            "{errs:?}"
        );
        assert!(errs.contains(&(7, Some("E"), "code_unknown")), "{errs:?}");
        assert!(errs.contains(&(7, Some("G"), "cccd_format")), "{errs:?}");
        assert!(errs.contains(&(8, Some("L"), "cell_unknown")), "{errs:?}");
        // The good row was not written either.
        assert_eq!(
            app.count_in_subtree(&actor(), f.g1, today).await.unwrap(),
            0
        );
    });
}

#[tokio::test]
async fn an_import_sees_only_the_actors_subtree_and_says_nothing_of_the_rest() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        app.create_member(
            &actor(),
            dangvu_app::members::NewMember::admitted(
                dangvu_testkit::record("Lê Văn Cường", &[("cccd", "022075000111")]),
                f.cell_a,
                d(2000, 1, 5),
            ),
        )
        .await
        .unwrap();
        let sec_g2 = signed_in(&app, "bithu_g2", Role::Secretary, f.g2).await;
        // Another subtree's root is refused as a missing one is.
        let err = app
            .import_members(
                &sec_g2,
                ImportFile {
                    name: "x.xlsx".into(),
                    bytes: register_form(vec![]),
                },
                opts(f.g1, true),
                &|_| {},
            )
            .await
            .unwrap_err();
        let missing = app
            .import_members(
                &sec_g2,
                ImportFile {
                    name: "x.xlsx".into(),
                    bytes: register_form(vec![]),
                },
                opts(OrgId(999_999), true),
                &|_| {},
            )
            .await
            .unwrap_err();
        assert_eq!(format!("{err:?}"), format!("{missing:?}"));
        let file = register_form(vec![
            // Cường's CCCD belongs to a member of another subtree: a neutral refusal.
            member_row(
                1,
                "Lê Văn Cường",
                s("01/05/1980"),
                false,
                "Kinh",
                s("022075000111"),
                s("05/01/2000"),
                Cell::Empty,
                "",
                "Khu 1",
                "",
            ),
            // "Khu 2" is a cell of g1 only: unknown here, as a cell that does not exist.
            member_row(
                2,
                "Vũ Văn Mạnh",
                s("01/05/1980"),
                false,
                "Kinh",
                Cell::Empty,
                s("05/01/2000"),
                Cell::Empty,
                "",
                "Khu 2",
                "",
            ),
            member_row(
                3,
                "Vũ Văn Nam",
                s("01/05/1980"),
                false,
                "Kinh",
                Cell::Empty,
                s("05/01/2000"),
                Cell::Empty,
                "",
                "Khu 77",
                "",
            ),
        ]);
        let r = run(&app, &sec_g2, &file, opts(f.g2, true)).await;
        let codes: Vec<&str> = r
            .rows
            .iter()
            .flat_map(|o| o.errors.iter())
            .map(|e| e.code.as_str())
            .collect();
        assert_eq!(
            codes,
            vec!["identifier_unavailable", "cell_unknown", "cell_unknown"]
        );
    });
}

#[tokio::test]
async fn csv_files_and_unknown_columns_mapped_by_hand_are_remembered() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        // A CSV with a BOM, semicolons, headers without diacritics, a quoted field and a
        // column nobody would recognise ("Cot 7") that holds the ethnicity.
        let csv = "\u{feff}Ho va ten;Gioi tinh;Ngay sinh;Cot 7;Ngay vao Dang;Chi bo\r\n\
                   \"Đinh Thị Hoa\";nữ;12/12/1988;Mường;02/09/2012;\"Chi bộ Khu 1\"\r\n";
        let file = |bytes: &str| ImportFile {
            name: "ds.csv".into(),
            bytes: bytes.as_bytes().to_vec(),
        };
        let r = app
            .import_members(&actor(), file(csv), opts(f.g1, true), &|_| {})
            .await
            .unwrap();
        assert_eq!(r.columns[3].field, None);
        assert_eq!(r.rows[0].errors[0].code, "required");
        assert_eq!(r.rows[0].errors[0].field.as_deref(), Some("ethnicity"));
        let mut mapping = BTreeMap::new();
        mapping.insert(3, Some(ImportField::Ethnicity));
        let r = app
            .import_members(
                &actor(),
                file(csv),
                ImportOptions {
                    mapping,
                    ..opts(f.g1, false)
                },
                &|_| {},
            )
            .await
            .unwrap();
        assert!(r.committed, "{r:?}");
        let v = app
            .member(
                &actor(),
                dangvu_domain::ids::MemberId(r.rows[0].id.unwrap()),
                d(2026, 6, 15),
            )
            .await
            .unwrap();
        assert_eq!(v.record.ethnicity, "04");
        // The next file of this layout is read with the mapping confirmed before.
        let next = csv.replace("Đinh Thị Hoa", "Đinh Thị Huệ");
        let r = app
            .import_members(&actor(), file(&next), opts(f.g1, true), &|_| {})
            .await
            .unwrap();
        assert_eq!(r.columns[3].field, Some(ImportField::Ethnicity));
        assert_eq!((r.created, r.errors), (1, 0));
        // A cell may be given by its number in the system; another subtree's is unknown.
        let by_id = next.replace("\"Chi bộ Khu 1\"", &f.cell_b.0.to_string());
        let r = app
            .import_members(&actor(), file(&by_id), opts(f.g1, false), &|_| {})
            .await
            .unwrap();
        assert!(r.committed, "{r:?}");
        let v = app
            .member(
                &actor(),
                dangvu_domain::ids::MemberId(r.rows[0].id.unwrap()),
                d(2026, 6, 15),
            )
            .await
            .unwrap();
        assert_eq!(v.cell_path[0].0, f.cell_b);
        let other = next
            .replace("\"Chi bộ Khu 1\"", &f.cell_c.0.to_string())
            .replace("Huệ", "Hằng");
        let r = app
            .import_members(&actor(), file(&other), opts(f.g1, true), &|_| {})
            .await
            .unwrap();
        assert_eq!(r.rows[0].errors[0].code, "cell_unknown");
    });
}

#[tokio::test]
async fn files_that_are_not_registers_are_refused_whole() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let try_import = |bytes: Vec<u8>, max_rows: Option<usize>| {
            let app = app.clone();
            async move {
                app.import_members(
                    &actor(),
                    ImportFile {
                        name: "x".into(),
                        bytes,
                    },
                    ImportOptions {
                        max_rows,
                        ..opts(f.g1, false)
                    },
                    &|_| {},
                )
                .await
            }
        };
        let code = |r: Result<ImportReport, dangvu_app::AppError>| match r {
            Ok(r) => panic!("{r:?}"),
            Err(e) => e.code(),
        };
        assert_eq!(
            code(try_import(b"PK\x03\x04 not a zip".to_vec(), None).await),
            "import_unreadable"
        );
        assert_eq!(
            code(try_import(vec![0xff, 0xfe, 0x00, 0x41], None).await),
            "import_encoding"
        );
        assert_eq!(
            code(try_import(b"a,b\n1,2\n".to_vec(), None).await),
            "import_no_headers"
        );
        let many: Vec<Vec<Cell>> =
            std::iter::once(vec![s("Họ và tên"), s("Ngày sinh"), s("Dân tộc")])
                .chain((0..10).map(|i| {
                    vec![
                        s(&format!("Nguyễn Văn {}", ["An", "Bình"][i % 2])),
                        s("01/01/1980"),
                        s("Kinh"),
                    ]
                }))
                .collect();
        assert_eq!(
            code(try_import(xlsx("S", &many, &[]), Some(5)).await),
            "import_too_many_rows"
        );
        // Random cells: formulas, errors, huge strings, numbers where text is due. Whatever the
        // file, the answer is a report or a file error, and nothing is half written.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        for _ in 0..12 {
            let mut rows = vec![vec![
                s("Họ và tên"),
                s("Ngày sinh"),
                s("Dân tộc"),
                s("Số CCCD"),
                s("Ngày vào Đảng"),
                s("Chi bộ"),
            ]];
            for _ in 0..(next() % 30) {
                rows.push(
                    (0..6)
                        .map(|_| match next() % 7 {
                            0 => Cell::N((next() % 100_000) as f64 - 50.0),
                            1 => Cell::F("=1/0".into(), "#DIV/0!".into()),
                            2 => s(&"Ư".repeat((next() % 3_000) as usize)),
                            3 => Cell::D(
                                1900 + (next() % 150) as u16,
                                1 + (next() % 12) as u8,
                                1 + (next() % 28) as u8,
                            ),
                            4 => Cell::B(next() % 2 == 0),
                            5 => Cell::Empty,
                            _ => s([
                                "Khu 1",
                                "Kinh",
                                "Nguyễn Văn An",
                                "31/02/2000",
                                "=cmd|' /C calc'!A0",
                            ][(next() % 5) as usize]),
                        })
                        .collect(),
                );
            }
            let before = app
                .count_in_subtree(&actor(), f.g1, d(2026, 6, 15))
                .await
                .unwrap();
            match try_import(xlsx("S", &rows, &[]), None).await {
                Ok(r) if r.committed => assert_eq!(r.errors, 0),
                Ok(r) => {
                    assert!(r.errors > 0 || r.total_rows == r.weak + r.unchanged);
                    assert_eq!(
                        app.count_in_subtree(&actor(), f.g1, d(2026, 6, 15))
                            .await
                            .unwrap(),
                        before
                    );
                }
                Err(e) => assert!(e.code().starts_with("import_"), "{e:?}"),
            }
        }
    });
}

#[tokio::test]
async fn a_tree_of_organisations_is_imported_under_its_parents() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let rows = vec![
            vec![s("DANH SÁCH TỔ CHỨC ĐẢNG")],
            vec![
                s("STT"),
                s("Tên tổ chức đảng"),
                s("Loại"),
                s("Trực thuộc"),
                s("Ngày thành lập"),
            ],
            vec![
                Cell::N(1.0),
                s("Đảng bộ phường Thanh Sơn"),
                s("Đảng bộ cơ sở"),
                Cell::Empty,
                s("01/01/1980"),
            ],
            vec![
                Cell::N(2.0),
                s("Chi bộ Khu 5"),
                Cell::Empty,
                s("Đảng bộ phường Thanh Sơn"),
                Cell::D(1981, 2, 3),
            ],
            vec![
                Cell::N(3.0),
                s("Chi bộ Khu 6"),
                s("chi bo truc thuoc"),
                s("dang bo phuong thanh son"),
                s("03/02/1981"),
            ],
        ];
        let file = xlsx("Tổ chức", &rows, &[]);
        let import = |dry_run| {
            let app = app.clone();
            let bytes = file.clone();
            async move {
                app.import_orgs(
                    &actor(),
                    ImportFile {
                        name: "to-chuc.xlsx".into(),
                        bytes,
                    },
                    opts(f.city, dry_run),
                    &|_| {},
                )
                .await
                .unwrap()
            }
        };
        let dry = import(true).await;
        assert_eq!((dry.created, dry.errors), (3, 0), "{dry:?}");
        let done = import(false).await;
        assert!(done.committed);
        let tree = app.tree(&actor(), d(2026, 6, 15)).await.unwrap();
        let node = |name: &str| tree.nodes.iter().find(|n| n.name == name).unwrap().clone();
        let ts = node("Đảng bộ phường Thanh Sơn");
        assert_eq!(ts.parent, Some(f.city));
        assert_eq!(node("Chi bộ Khu 5").parent, Some(ts.id));
        assert_eq!(
            node("Chi bộ Khu 5").kind,
            dangvu_domain::org::OrgKind::ChiBoTrucThuoc
        );
        assert_eq!(node("Chi bộ Khu 6").parent, Some(ts.id));
        let again = import(false).await;
        assert_eq!((again.created, again.unchanged), (0, 3));
    });
}

#[tokio::test]
async fn a_sheet_reaching_the_last_row_or_past_the_row_limit_is_refused_whole() {
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let f = fixture(&app).await;
    let header = vec![
        s("Họ và tên"),
        s("Giới tính"),
        s("Ngày sinh"),
        s("Dân tộc"),
        s("Ngày vào Đảng"),
        s("Chi bộ"),
    ];
    let row = |i: usize| {
        vec![
            s(&format!("Nguyễn Văn {}", ["An", "Bình", "Cường"][i % 3])),
            s("nam"),
            s("01/01/1980"),
            s("Kinh"),
            s("01/01/2010"),
            s("Khu 1"),
        ]
    };
    // A cell on Excel's last row (1,048,576) and nothing between: the rows are counted as
    // they come, nothing is read whole.
    let mut sparse: Vec<Vec<Cell>> = vec![header.clone(), row(0)];
    sparse.resize(1_048_575, Vec::new());
    sparse.push(row(1));
    let r = app
        .import_members(
            &actor(),
            ImportFile {
                name: "x.xlsx".into(),
                bytes: xlsx("S", &sparse, &[]),
            },
            opts(f.g1, true),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(r.total_rows, 2);
    assert_eq!(r.rows.last().unwrap().row, 1_048_576);
    // More rows than an import takes: refused, nothing written.
    let many: Vec<Vec<Cell>> = std::iter::once(header).chain((0..1_001).map(row)).collect();
    let err = app
        .import_members(
            &actor(),
            ImportFile {
                name: "x.xlsx".into(),
                bytes: xlsx("S", &many, &[]),
            },
            ImportOptions {
                max_rows: Some(1_000),
                ..opts(f.g1, false)
            },
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "import_too_many_rows");
    assert_eq!(
        app.count_in_subtree(&actor(), f.g1, d(2026, 6, 15))
            .await
            .unwrap(),
        0
    );
    db.cleanup().await;
}

#[tokio::test]
async fn free_text_of_coded_fields_moves_to_codes_and_what_nothing_matches_is_listed() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = super::member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = super::member(&app, "Trần Thị Bình", f.cell_a, d(2011, 1, 1), true).await;
        // Records written before the code lists: free text, as an old version stored it.
        let mut conn = db.store.pool.acquire().await.unwrap();
        for (m, eth, rel) in [(an, "Kinh", "Phật giáo"), (binh, "Người Mán cổ", "không")]
        {
            sqlx::query("UPDATE members SET ethnicity = $1, religion = $2 WHERE id = $3")
                .bind(eth)
                .bind(rel)
                .bind(m.0)
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        drop(conn);
        let dry = app.migrate_codes(&actor(), true).await.unwrap();
        assert_eq!(dry.members_unmatched(), 1);
        assert!(
            dry.unmatched
                .contains(&("ethnicity".into(), "Người Mán cổ".into(), 1)),
            "{dry:?}"
        );
        assert!(
            dry.matched
                .contains(&("religion".into(), "Phật giáo".into(), "01".into(), 1)),
            "{dry:?}"
        );
        assert_eq!(
            app.member(&actor(), an, d(2026, 6, 15))
                .await
                .unwrap()
                .record
                .ethnicity,
            "Kinh"
        );
        let done = app.migrate_codes(&actor(), false).await.unwrap();
        assert_eq!(done.members_recoded(), dry.members_recoded());
        let v = app.member(&actor(), an, d(2026, 6, 15)).await.unwrap();
        assert_eq!(
            (v.record.ethnicity.as_str(), v.record.religion.as_deref()),
            ("01", Some("01"))
        );
        let v = app.member(&actor(), binh, d(2026, 6, 15)).await.unwrap();
        assert_eq!(
            (v.record.ethnicity.as_str(), v.record.religion.as_deref()),
            ("Người Mán cổ", Some("00"))
        );
        // A correction of another field keeps the text nothing matched.
        app.correct_field(
            &actor(),
            binh,
            "residence",
            "Tổ 1",
            "Chuyển nhà",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        let v = app.member(&actor(), binh, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.record.ethnicity, "Người Mán cổ");
        // Run again: nothing left to move.
        let again = app.migrate_codes(&actor(), false).await.unwrap();
        assert_eq!(again.members_recoded(), 0);
        // Only an administrator moves the whole register.
        let sec = signed_in(&app, "bithu_g1", Role::Secretary, f.g1).await;
        assert!(app.migrate_codes(&sec, true).await.is_err());
    });
}

#[tokio::test]
async fn a_register_with_the_forms_shared_columns_is_read_a_field_a_line() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        // The register as the form prints it: several fields in one column, one a line.
        let rows = vec![
            vec![s("SỔ DANH SÁCH ĐẢNG VIÊN")],
            vec![
                s("Số TT"),
                s("Họ và tên khai sinh, họ và tên đang dùng"),
                s("Giới tính, dân tộc, tôn giáo"),
                s("Ngày sinh"),
                s("Trình độ GDPT, LLCT, chuyên môn"),
                s("Ngày vào Đảng, ngày chính thức"),
                s("Số thẻ đảng viên, số lý lịch"),
                s("Quân đội, công an, nghỉ hưu"),
                s("Ngày chuyển đi, nơi chuyển đến"),
                s("Ngày chuyển đến, nơi chuyển đi"),
                s("Chi bộ"),
            ],
            vec![
                Cell::N(1.0),
                s("Nguyễn Thị Hoa\nNguyễn Thị Hoa"),
                s("Nữ\nTày\nKhông"),
                s("08/03/1950"),
                s("10/10\nTrung cấp\nĐại học"),
                s("19/05/1975\n19/05/1976"),
                s("12345678\n123456-QN"),
                s("Nghỉ hưu"),
                Cell::Empty,
                Cell::Empty,
                s("Khu 1"),
            ],
        ];
        let r = run(&app, &actor(), &xlsx("Sổ", &rows, &[]), opts(f.g1, false)).await;
        assert!(r.committed, "{r:?}");
        let v = app
            .member(
                &actor(),
                dangvu_domain::ids::MemberId(r.rows[0].id.unwrap()),
                d(2026, 6, 15),
            )
            .await
            .unwrap();
        let rec = &v.record;
        assert_eq!(
            (rec.full_name.as_str(), rec.birth_name.as_deref()),
            ("Nguyễn Thị Hoa", None)
        );
        assert_eq!(
            (rec.ethnicity.as_str(), rec.religion.as_deref()),
            ("02", Some("00"))
        );
        assert_eq!(
            (
                rec.education.as_deref(),
                rec.political_theory.as_deref(),
                rec.professional.as_deref()
            ),
            (Some("10/10"), Some("TC"), Some("DH"))
        );
        assert!(rec.retired && !rec.army);
        assert_eq!(rec.history_number.as_ref().unwrap().as_str(), "123456-QN");
        assert_eq!(v.cards.len(), 1);
        assert!(v.state.official);
    });
}

#[tokio::test]
async fn new_members_written_together_are_written_as_the_form_writes_them() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let today = d(2026, 6, 15);
        // The form's twin of row 2: the same facts, added one by one through the form.
        let twin = app
            .create_member(
                &actor(),
                dangvu_app::members::NewMember {
                    joined_on: Some(d(2015, 10, 20)),
                    card: Some((
                        "23456780".into(),
                        dangvu_domain::member::CardGeneration::Ct29_2003,
                        d(2016, 3, 15),
                    )),
                    ..dangvu_app::members::NewMember::admitted(
                        dangvu_testkit::record(
                            "Trần Văn Bảo",
                            &[("sex", "male"), ("birth_date", "1980-10-10")],
                        ),
                        f.cell_b,
                        d(2005, 2, 1),
                    )
                },
            )
            .await
            .unwrap();
        let version = app.data_version().await.unwrap();
        let csv = "Ho va ten;Gioi tinh;Ngay sinh;Dan toc;So CCCD;Ngay vao Dang;Ngay chinh thuc;So the dang vien;Ngay cap the;Ngay chuyen den;Chi bo\r\n\
            Vũ Thị Hà;nữ;01/01/1990;Kinh;022190000301;02/09/2012;02/09/2013;34567890;01/12/2013;;Khu 1\r\n\
            Trần Văn Bình;nam;10/10/1980;Kinh;022080000201;01/02/2005;01/02/2006;23456789;15/03/2016;20/10/2015;Khu 2\r\n\
            Đỗ Văn Tú;nam;05/05/2000;Kinh;022000000401;10/10/2025;;;;;Khu 1\r\n\
            Vũ Thị Hà;nữ;01/01/1990;Kinh;022190000301;02/09/2012;02/09/2013;34567890;01/12/2013;;Khu 1\r\n\
            Lý Văn Sơn;nam;03/03/1970;Kinh;022070000501;07/07/1995;07/07/1996;;;;Khu 2\r\n";
        let file = ImportFile {
            name: "moi.csv".into(),
            bytes: csv.as_bytes().to_vec(),
        };
        let r = app
            .import_members(&actor(), file, opts(f.g1, false), &|_| {})
            .await
            .unwrap();
        assert!(r.committed, "{r:?}");
        // Row 5 repeats row 2 of the file: it finds the member row 2 made.
        assert_eq!((r.created, r.unchanged, r.errors), (4, 1, 0), "{r:?}");
        let id = |row: u32| {
            dangvu_domain::ids::MemberId(r.rows.iter().find(|o| o.row == row).unwrap().id.unwrap())
        };
        assert_eq!(
            app.count_in_subtree(&actor(), f.g1, today).await.unwrap(),
            5
        );
        // Four new members: four steps of the data version, each member's own.
        assert_eq!(app.data_version().await.unwrap(), version + 4);

        // Row 3 and the form's twin: the same timeline, cell, card and its issuer.
        let a = app.member(&actor(), id(3), today).await.unwrap();
        let b = app.member(&actor(), twin, today).await.unwrap();
        let events = |v: &dangvu_app::views::MemberView| {
            v.events
                .iter()
                .map(|e| (e.event.clone(), e.recorded_by.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(events(&a), events(&b));
        assert_eq!(a.events.len(), 3);
        assert_eq!(a.state, b.state);
        assert_eq!(a.cell_path, b.cell_path);
        assert_eq!(a.seniority_months, b.seniority_months);
        let card = |v: &dangvu_app::views::MemberView| {
            v.cards
                .iter()
                .map(|c| (c.generation, c.issued_on, c.issuer, c.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(card(&a), card(&b));
        assert_eq!(a.cards[0].number, "23456789");
        // Row 2 was official when its card was issued in its cell: the card's issuer is the
        // committee above the ward.
        let ha = app.member(&actor(), id(2), today).await.unwrap();
        assert_eq!(ha.cards[0].issuer, Some(f.city));
        // Row 4, admitted in October 2025, is probationary; no card.
        let tu = app.member(&actor(), id(4), today).await.unwrap();
        assert_eq!(tu.state.status, Status::Probationary);
        assert!(tu.cards.is_empty());
        // Each new member has her own audit entry in her cell, and the chain holds.
        let trail = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    entity: Some("member".into()),
                    entity_id: Some(id(3).0),
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(trail.len(), 1, "{trail:?}");
        let e = &trail[0].entry;
        assert_eq!(e.action, "member.create");
        assert_eq!(e.org_id, Some(f.cell_b.0));
        let body: serde_json::Value =
            serde_json::from_str(e.new_value.as_deref().unwrap()).unwrap();
        assert_eq!(body["full_name"], "Trần Văn Bình");
        assert_eq!(body["events"].as_array().unwrap().len(), 3);
        assert_eq!(body["card"]["card_number"], "23456789");
        assert_eq!(app.verify_audit().await.unwrap().broken, None);
        // A member made by the import is found by name like any other.
        let found = app
            .list_members(&actor(), f.g1, today, Some("tran van binh".into()), 1, 50)
            .await
            .unwrap();
        let ids: Vec<_> = found.items.iter().map(|m| m.id).collect();
        assert_eq!(ids, vec![id(3)]);

        // The same file again: everything is found, nothing is made.
        let file = ImportFile {
            name: "moi.csv".into(),
            bytes: csv.as_bytes().to_vec(),
        };
        let again = app
            .import_members(&actor(), file, opts(f.g1, false), &|_| {})
            .await
            .unwrap();
        assert_eq!((again.created, again.unchanged), (0, 5), "{again:?}");
    });
}
