//! Documents as PDF files: the text read back with `pdftotext` (poppler-utils) with every
//! diacritic, the first page drawn by `pdftoppm` and found not blank.

use super::*;

/// The PDF's text, after checking it is a PDF whose first page is not blank; None (the check
/// is skipped) when poppler-utils is not installed, except on CI.
pub(crate) fn text_of(r: &Resp) -> Option<String> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );
    let disposition = r.headers.get(header::CONTENT_DISPOSITION).unwrap();
    assert!(
        disposition
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=")
    );
    assert!(r.raw.starts_with(b"%PDF-"), "a PDF file");
    let tool = |name: &str| {
        ["/usr/bin", "/usr/local/bin"]
            .iter()
            .map(|d| std::path::Path::new(d).join(name))
            .find(|p| p.exists())
    };
    let (Some(totext), Some(toppm)) = (tool("pdftotext"), tool("pdftoppm")) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but pdftotext is missing: install poppler-utils");
        }
        eprintln!("SKIPPED: pdftotext not installed (apt-get install poppler-utils)");
        return None;
    };
    let dir =
        std::env::temp_dir().join(format!("dangvu-pdf-{}-{}", std::process::id(), r.raw.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, &r.raw).unwrap();
    let run = |tool: &std::path::Path, args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(tool)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let text = String::from_utf8(run(
        &totext,
        &[
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            file.as_os_str(),
            "-".as_ref(),
        ],
    ))
    .unwrap();
    // The first page as a grey picture: some of it is ink.
    let page = dir.join("page");
    let mut args: Vec<&std::ffi::OsStr> =
        ["-r", "30", "-gray", "-f", "1", "-l", "1", "-singlefile"]
            .iter()
            .map(|a| a.as_ref())
            .collect();
    args.extend([file.as_os_str(), page.as_os_str()]);
    run(&toppm, &args);
    let pgm = std::fs::read(dir.join("page.pgm")).unwrap();
    // P5 header: magic, width, height, max, then one byte per pixel.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 && at < pgm.len() {
        while at < pgm.len() && pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        while at < pgm.len() && !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    let pixels = &pgm[at + 1..];
    let ink = pixels.iter().filter(|p| **p < 128).count();
    assert!(
        ink * 1000 > pixels.len(),
        "the first page is not blank: {ink} dark pixels of {}",
        pixels.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    // Text laid out in columns may break a line anywhere: compare with single spaces.
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[tokio::test]
async fn the_printable_documents_download_as_pdf_files_with_their_text() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let sys = Actor::new("kiểm thử");
        let c = Client::as_role(&app, "bithu.g1", Role::Secretary, Some(fx.g1), None).await;
        let seats = app
            .meeting_roll(&sys, fx.cell, d(2026, 6, 10))
            .await
            .unwrap()
            .iter()
            .map(|(m, _, _)| dangvu_app::meetings::SeatInput {
                member: *m,
                attendance: dangvu_domain::meeting::Attendance::Present,
                reason: String::new(),
                dues_paid: true,
            })
            .collect();
        let (meeting, _) = app
            .record_meeting(
                &sys,
                dangvu_app::meetings::NewMeeting {
                    sitting: dangvu_app::meetings::Sitting {
                        org: fx.cell,
                        kind: dangvu_domain::meeting::MeetingKind::Regular,
                        held_on: d(2026, 6, 10),
                        starts_at: "19:30".into(),
                        ends_at: "21:00".into(),
                        place: "Nhà văn hóa khu 3".into(),
                        chair: Some(fx.duc),
                        minute_taker: Some(fx.an),
                    },
                    superior_guests: String::new(),
                    topic: "Quán triệt nghị quyết về xây dựng, chỉnh đốn Đảng".into(),
                    seats,
                    resolution: "Chi bộ thống nhất ra quân vệ sinh môi trường khu dân cư.".into(),
                    votes: None,
                    items: Vec::new(),
                    guests: Vec::new(),
                    tasks: Vec::new(),
                    scores: Vec::new(),
                },
            )
            .await
            .unwrap();
        let review = app
            .open_review(
                &sys,
                fx.g1,
                "Đánh giá năm 2025",
                dangvu_domain::review::Period::year(2025),
            )
            .await
            .unwrap();
        let (g1, cell) = (fx.g1, fx.cell);
        let docs: Vec<(String, Vec<&str>)> = vec![
            (
                format!("/sinh-hoat/{meeting}.pdf"),
                vec![
                    "ĐẢNG CỘNG SẢN VIỆT NAM",
                    "BIÊN BẢN",
                    "Nhà văn hóa khu 3",
                    "Chi bộ thống nhất ra quân vệ sinh môi trường khu dân cư.",
                    "Nguyễn Văn Đức",
                    "THƯ KÝ",
                ],
            ),
            (
                format!("/to-chuc/{g1}/bao-cao-sinh-hoat.pdf?tu=01/01/2026&den=30/06/2026"),
                vec![
                    "Chi bộ Khu 3",
                    "ĐẢNG CỘNG SẢN VIỆT NAM",
                    "ĐẢNG BỘ PHƯỜNG NAM KHÊ",
                    "NGƯỜI LẬP BÁO CÁO",
                ],
            ),
            (
                format!("/danh-gia/{review}/bao-cao.pdf"),
                vec![
                    "ĐẢNG CỘNG SẢN VIỆT NAM",
                    "Đảng bộ phường Nam Khê",
                    "ĐẢNG BỘ THÀNH PHỐ UÔNG BÍ",
                    "NGƯỜI LẬP BÁO CÁO",
                ],
            ),
            (
                format!("/to-chuc/{cell}/so-dang-vien.pdf"),
                vec![
                    "SỔ DANH SÁCH ĐẢNG VIÊN",
                    "ĐẢNG CỘNG SẢN VIỆT NAM",
                    "CHI BỘ KHU 3",
                    "Nguyễn Văn Đức",
                    "Trần Văn An",
                    "NGƯỜI LẬP SỔ",
                ],
            ),
            (
                format!("/to-chuc/{cell}/dang-phi.pdf?thang=06/2026"),
                vec![
                    "SỔ THU ĐẢNG PHÍ",
                    "THÁNG 06/2026",
                    "Nguyễn Văn Đức",
                    "BÍ THƯ",
                ],
            ),
            (
                format!("/to-chuc/{g1}/dang-phi/tong-hop.pdf?nam=2026"),
                vec!["Chi bộ Khu 3", "ĐẢNG BỘ PHƯỜNG NAM KHÊ", "NGƯỜI LẬP BIỂU"],
            ),
            (
                format!("/to-chuc/{g1}/dang-phi/no-dong.pdf"),
                vec!["Đảng viên nợ đảng phí", "NGƯỜI LẬP DANH SÁCH", "BÍ THƯ"],
            ),
            (
                format!("/to-chuc/{g1}/huy-hieu.pdf"),
                vec![
                    "Huy hiệu Đảng",
                    "ĐẢNG BỘ PHƯỜNG NAM KHÊ",
                    "NGƯỜI LẬP DANH SÁCH",
                ],
            ),
            (
                format!("/to-chuc/{g1}/quyet-dinh.pdf?nam=2026"),
                vec![
                    "Sổ quyết định năm 2026",
                    "ĐẢNG BỘ THÀNH PHỐ UÔNG BÍ",
                    "ĐẢNG BỘ PHƯỜNG NAM KHÊ",
                    "NGƯỜI VÀO SỔ",
                ],
            ),
            (
                format!("/to-chuc/{cell}/bieu-thong-ke.pdf?bieu=bieu-1-co-cau"),
                vec!["Chi bộ Khu 3", "CHI BỘ KHU 3", "NGƯỜI LẬP BIỂU"],
            ),
            (
                format!("/to-chuc/{g1}/the-dang-vien.pdf"),
                vec![
                    "Thẻ đảng viên",
                    "ĐẢNG BỘ PHƯỜNG NAM KHÊ",
                    "NGƯỜI LẬP DANH SÁCH",
                ],
            ),
        ];
        for (path, wanted) in &docs {
            let r = get(&c, path).await;
            let Some(text) = text_of(&r) else { continue };
            for s in wanted {
                assert!(text.contains(s), "{path}: «{s}» not in: {text}");
            }
        }
        // Out of scope: the PDF of the other ward's cell is answered as a cell that does not
        // exist; a page that is not a document has no PDF.
        let other =
            Client::as_role(&app, "bithu.khu4", Role::Secretary, Some(fx.cell2), None).await;
        let hidden = get(&other, &format!("/sinh-hoat/{meeting}.pdf")).await;
        let missing = get(&other, "/sinh-hoat/987654321.pdf").await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.body, missing.body);
        let r = get(&c, &format!("/to-chuc/{cell}/dang-vien.pdf")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.has("Không tìm thấy"), "{}", r.body);
    });
}
