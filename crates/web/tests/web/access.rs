//! The route × role × scope matrix: every page and API operation, for every role, inside and
//! outside its scope, gives the expected allow or deny; a denial out of scope looks exactly like
//! an id nobody uses; an anonymous request is sent to the sign-in page or refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dangvu_app::Actor;
use dangvu_app::members::NewMember;
use dangvu_app::orgs::Appointment;
use dangvu_app::orgs::NewOrg;
use dangvu_domain::access::Role;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::org::OrgKind;
use dangvu_testkit::{d, on_every_backend};
use serde_json::json;

use super::{Client, fixture, get, post_bytes, post_form, post_json, record, send};

/// The roles of the matrix, in column order.
const ROLES: [&str; 6] = ["admin", "officer", "sec_g1", "sec_cell", "member", "sec_g2"];

/// Expected outcome: allowed, or denied (403 when the thing is within sight, 404 when not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum E {
    A,
    Forbid,
    Hidden,
    Other(u16),
}
use E::*;

fn verdict(status: StatusCode) -> E {
    match status.as_u16() {
        200..=399 => A,
        403 => Forbid,
        404 => Hidden,
        other => Other(other),
    }
}

struct World {
    clients: Vec<Client>,
    cell: OrgId,
    cell3: OrgId,
    g1: OrgId,
    duc: MemberId,
    an: MemberId,
    hoa: MemberId,
    /// One empty cell under g1 per role, for the destructive operations.
    spare: Vec<OrgId>,
    spare_move: Vec<OrgId>,
    spare_merge: Vec<OrgId>,
    g2: OrgId,
    cell2: OrgId,
    /// A committee position per role, to end.
    positions: Vec<i64>,
    /// One member of the cell per role, for events that can happen once.
    spare_members: Vec<MemberId>,
    /// The 2025 review of the city, with the collectives of g1 and g2 reviewed.
    review: i64,
    /// A 2024 review to lock.
    review_lock: i64,
    /// One empty cell under g1 per role, to decide.
    spare_review: Vec<OrgId>,
}

async fn world(app: &dangvu_app::App) -> World {
    let fx = fixture(app).await;
    let sys = Actor::new("kiểm thử");
    let g2 = app
        .create_org(
            &sys,
            NewOrg {
                name: "Đảng bộ phường Bắc Sơn".into(),
                kind: OrgKind::DangBoCoSo,
                parent: Some(fx.city),
                founded_on: d(1975, 1, 1),
                decision_ref: None,
            },
        )
        .await
        .unwrap();
    let cell3 = app
        .create_org(
            &sys,
            NewOrg {
                name: "Chi bộ Khu 7".into(),
                kind: OrgKind::ChiBoTrucThuoc,
                parent: Some(g2),
                founded_on: d(1975, 1, 1),
                decision_ref: None,
            },
        )
        .await
        .unwrap();
    let hoa = app
        .create_member(
            &sys,
            NewMember {
                record: record("Lê Thị Hoa", "022080000009"),
                cell: cell3,
                admitted_on: d(2004, 1, 1),
                joined_on: None,
                official: true,
                decision_ref: None,
                card: None,
            },
        )
        .await
        .unwrap();
    let mut spare = Vec::new();
    let mut spare_move = Vec::new();
    let mut spare_merge = Vec::new();
    for r in ROLES {
        for (list, what) in [(&mut spare_move, "chuyển"), (&mut spare_merge, "sáp nhập")] {
            list.push(
                app.create_org(
                    &sys,
                    NewOrg {
                        name: format!("Chi bộ {what} {r}"),
                        kind: OrgKind::ChiBoTrucThuoc,
                        parent: Some(fx.g1),
                        founded_on: d(2020, 1, 1),
                        decision_ref: None,
                    },
                )
                .await
                .unwrap(),
            );
        }
        spare.push(
            app.create_org(
                &sys,
                NewOrg {
                    name: format!("Chi bộ dự phòng {r}"),
                    kind: OrgKind::ChiBoTrucThuoc,
                    parent: Some(fx.g1),
                    founded_on: d(2020, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap(),
        );
    }
    let mut spare_members = Vec::new();
    for (i, name) in [
        "Đỗ Văn Bảo",
        "Đỗ Văn Cảnh",
        "Đỗ Văn Dân",
        "Đỗ Văn Giang",
        "Đỗ Văn Hải",
        "Đỗ Văn Khoa",
    ]
    .into_iter()
    .enumerate()
    {
        spare_members.push(
            app.create_member(
                &sys,
                NewMember {
                    record: record(name, &format!("02208000010{i}")),
                    cell: fx.cell,
                    admitted_on: d(2004, 1, 1),
                    joined_on: None,
                    official: true,
                    decision_ref: None,
                    card: None,
                },
            )
            .await
            .unwrap(),
        );
    }
    let mut positions = Vec::new();
    for m in &spare_members {
        positions.push(
            app.appoint(
                &sys,
                fx.cell,
                &Appointment::new(
                    *m,
                    dangvu_domain::org::Position::UyVienUbkt,
                    "2025–2030",
                    d(2025, 1, 1),
                    None,
                ),
            )
            .await
            .unwrap(),
        );
    }
    // A member of g1's committee, whom g1 may assign to attend its cells' meetings.
    app.appoint(
        &sys,
        fx.g1,
        &Appointment::new(
            fx.an,
            dangvu_domain::org::Position::CapUyVien,
            "2025–2030",
            d(2025, 1, 1),
            None,
        ),
    )
    .await
    .unwrap();
    let mut spare_review = Vec::new();
    for r in ROLES {
        spare_review.push(
            app.create_org(
                &sys,
                NewOrg {
                    name: format!("Chi bộ đánh giá {r}"),
                    kind: OrgKind::ChiBoTrucThuoc,
                    parent: Some(fx.g1),
                    founded_on: d(2020, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap(),
        );
    }
    let review = app
        .open_review(
            &sys,
            fx.city,
            "Năm 2025",
            dangvu_domain::review::Period::year(2025),
        )
        .await
        .unwrap();
    let review_lock = app
        .open_review(
            &sys,
            fx.city,
            "Năm 2024",
            dangvu_domain::review::Period::year(2024),
        )
        .await
        .unwrap();
    for g in [fx.g1, g2] {
        app.record_step(
            &sys,
            review,
            dangvu_app::review_flow::Subject::Collective(g),
            dangvu_app::review_flow::StepKind::SelfAssessment,
            dangvu_app::review_flow::StepInput {
                content: "Tập thể đảng ủy tự kiểm điểm".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let clients = vec![
        Client::as_role(app, "quantri", Role::Admin, None, None).await,
        Client::as_role(app, "bantochuc", Role::Officer, Some(fx.city), None).await,
        Client::as_role(app, "bithu.g1", Role::Secretary, Some(fx.g1), None).await,
        Client::as_role(app, "bithu.khu3", Role::Secretary, Some(fx.cell), None).await,
        Client::as_role(app, "duc", Role::Member, None, Some(fx.duc)).await,
        Client::as_role(app, "bithu.g2", Role::Secretary, Some(g2), None).await,
    ];
    World {
        clients,
        cell: fx.cell,
        cell3,
        g1: fx.g1,
        duc: fx.duc,
        an: fx.an,
        hoa,
        spare,
        spare_move,
        spare_merge,
        g2,
        cell2: fx.cell2,
        spare_members,
        positions,
        review,
        review_lock,
        spare_review,
    }
}

#[tokio::test]
async fn every_route_for_every_role_inside_and_outside_its_scope() {
    on_every_backend!(|db| {
        let app = db.app();
        let w = world(&app).await;
        let (cell, cell3, g1) = (w.cell.0, w.cell3.0, w.g1.0);
        let (duc, an, hoa) = (w.duc.0, w.an.0, w.hoa.0);
        let (p, p_lock) = (w.review, w.review_lock);
        let reads: Vec<(String, [E; 6])> = vec![
            ("/to-chuc".into(), [A, A, A, A, A, A]),
            (format!("/to-chuc/{cell}"), [A, A, A, A, Hidden, Hidden]),
            (
                format!("/to-chuc/{cell}?ngay=31/12/2018"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/dang-vien"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/du-bi"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/disciplines"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/ket-nap"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/candidates"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/probations"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/chuyen-sinh-hoat"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/dang-phi"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/nhap"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/thong-ke?ngay=15/06/2026"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/thong-ke.xlsx"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/bieu-thong-ke?bieu=bieu-2-bien-dong"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/bieu-thong-ke.xlsx?bieu=bieu-1-co-cau"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/xuat"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/xuat.xlsx?cot=full_name&cot=cccd"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/so-dang-vien"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/so-dang-vien.xlsx"),
                [A, A, A, A, Hidden, Hidden],
            ),
            // A document's PDF answers as its page does, the scope first.
            (
                format!("/to-chuc/{g1}/so-dang-vien.pdf"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/dang-phi.pdf"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/bieu-thong-ke.pdf?bieu=bieu-2-bien-dong"),
                [A, A, A, A, Hidden, Hidden],
            ),
            // A page that is not a document has no PDF, for anyone.
            (
                format!("/to-chuc/{cell}/dang-vien.pdf"),
                [Hidden, Hidden, Hidden, Hidden, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/statistics"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell3}/movements?from=2020-01-01"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/orgs/{g1}/report-tables/bieu-1-co-cau"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/export?columns=full_name,birth_date"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/register"),
                [A, A, A, A, Hidden, Hidden],
            ),
            ("/api/v1/report-tables".to_string(), [A, A, A, A, A, A]),
            ("/api/v1/codes/ethnicity".to_string(), [A, A, A, A, A, A]),
            (
                format!("/to-chuc/{cell}/the-dang-vien"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/huy-hieu?ngay=02/09/2026"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/huy-hieu.xlsx?ngay=07%2F11%2F2026"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell3}/badges?day=02/09/2026"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/members/{duc}/badges"),
                [A, A, A, A, A, Hidden],
            ),
            (
                format!("/api/v1/orgs/{g1}/cards"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/dang-phi.xlsx?thang=06%2F2026"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/dang-phi/tong-hop?nam=2026"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/dang-phi/tong-hop.xlsx"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/dang-phi/no-dong"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/dang-vien/{duc}/dang-phi"),
                [A, A, A, A, A, Hidden],
            ),
            (
                format!("/dang-vien/{hoa}/dang-phi"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/members/{duc}/dues"),
                [A, A, A, A, A, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/dues/book?month=06/2026"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell3}/dues/totals?year=2026"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/orgs/{g1}/dues/arrears"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/viec-den-han"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/due"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/transfers"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/quyet-dinh?nam=2025"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/decisions?year=2025"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{g1}/decisions"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/y-kien"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/cam-ket"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/commitments"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/quy-che"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{g1}/regulations?q=quy+che"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/hoi-thi"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{g1}/contest-rounds"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{g1}/opinions"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            // The asset register: no role of the matrix holds its grant, the administrator's
            // included (R33).
            (
                format!("/to-chuc/{g1}/ke-khai-tai-san"),
                [Hidden, Hidden, Hidden, Hidden, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{g1}/asset-register"),
                [Hidden, Hidden, Hidden, Hidden, Hidden, Hidden],
            ),
            (
                "/ke-khai-tai-san".into(),
                [Hidden, Hidden, Hidden, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell3}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (format!("/to-chuc/{g1}"), [A, A, A, Hidden, Hidden, Hidden]),
            (format!("/dang-vien/{duc}"), [A, A, A, A, A, Hidden]),
            (format!("/dang-vien/{an}"), [A, A, A, A, Hidden, Hidden]),
            (
                format!("/dang-vien/{hoa}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            ("/tim-kiem?q=duc".into(), [A, A, A, A, Hidden, A]),
            ("/nhat-ky".into(), [A, A, A, A, Forbid, A]),
            (
                format!("/nhat-ky?to_chuc={cell}"),
                [A, A, A, A, Forbid, Hidden],
            ),
            (
                "/quan-tri/tai-khoan".into(),
                [A, Forbid, Forbid, Forbid, Forbid, Forbid],
            ),
            ("/tai-khoan".into(), [A, A, A, A, A, A]),
            ("/api/v1/orgs".into(), [A, A, A, A, A, A]),
            (format!("/api/v1/orgs/{cell}"), [A, A, A, A, Hidden, Hidden]),
            (
                format!("/api/v1/orgs/{cell}/members"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell3}/members"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (format!("/api/v1/members/{duc}"), [A, A, A, A, A, Hidden]),
            (
                format!("/api/v1/members/{an}/education"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/members/{hoa}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            ("/api/v1/audit".into(), [A, A, A, A, Forbid, A]),
            ("/api/v1/me".into(), [A, A, A, A, A, A]),
            ("/api/v1/members?q=duc".into(), [A, A, A, A, Hidden, A]),
            (
                format!("/api/v1/members?q=duc&org={cell3}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/members/{duc}/residence"),
                [A, A, A, A, A, Hidden],
            ),
            (
                format!("/api/v1/members/{hoa}/residence"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/orgs/{g1}/residence"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            ("/to-chuc/moi".into(), [A, A, A, A, A, A]),
            ("/dang-vien/moi".into(), [A, A, A, A, A, A]),
            ("/".into(), [A, A, A, A, A, A]),
            (
                format!("/to-chuc/{cell}/sinh-hoat"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell3}/sinh-hoat"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/orgs/{cell}/meetings"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/chuong-trinh"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{g1}/bao-cao-sinh-hoat"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/to-chuc/{cell}/bao-cao-sinh-hoat.xlsx"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell}/meetings/report"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/orgs/{cell3}/meetings/report"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            ("/api/v1/scoring-templates".into(), [A, A, A, A, A, A]),
            (
                format!("/to-chuc/{g1}/noi-cu-tru"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            ("/danh-gia".into(), [A, A, A, A, A, A]),
            (format!("/danh-gia/{p}"), [A, A, A, A, A, A]),
            (format!("/danh-gia/{p}/bao-cao"), [A, A, A, A, Hidden, A]),
            (
                format!("/danh-gia/{p}/bao-cao?to-chuc={cell3}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/danh-gia/{p}/bao-cao.pdf"),
                [A, A, A, A, Hidden, A],
            ),
            (
                format!("/danh-gia/{p}/bao-cao.pdf?to-chuc={cell3}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/to-chuc/{g1}/bao-cao-sinh-hoat.pdf"),
                [A, A, A, Hidden, Hidden, Hidden],
            ),
            (
                format!("/danh-gia/{p}/bao-cao.xlsx"),
                [A, A, A, A, Hidden, A],
            ),
            (
                format!("/danh-gia/{p}/to-chuc/{cell}"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/danh-gia/{p}/to-chuc/{cell3}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/danh-gia/{p}/dang-vien/{duc}"),
                [A, A, A, A, A, Hidden],
            ),
            (
                format!("/danh-gia/{p}/dang-vien/{hoa}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            ("/api/v1/reviews".into(), [A, A, A, A, A, A]),
            (format!("/api/v1/reviews/{p}"), [A, A, A, A, A, A]),
            (
                format!("/api/v1/reviews/{p}/report"),
                [A, A, A, A, Hidden, A],
            ),
            (
                format!("/api/v1/reviews/{p}/report.xlsx?org={cell}"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/reviews/{p}/orgs/{cell}"),
                [A, A, A, A, Hidden, Hidden],
            ),
            (
                format!("/api/v1/reviews/{p}/members/{duc}"),
                [A, A, A, A, A, Hidden],
            ),
            (
                format!("/api/v1/reviews/{p}/members/{hoa}"),
                [A, A, Hidden, Hidden, Hidden, A],
            ),
            (
                format!("/api/v1/reviews/{p}/commendations"),
                [A, A, A, A, Hidden, A],
            ),
        ];
        let mut failures = Vec::new();
        for (path, expected) in &reads {
            for (i, c) in w.clients.iter().enumerate() {
                let r = get(c, path).await;
                let got = verdict(r.status);
                if got != expected[i] {
                    failures.push(format!(
                        "GET {path} as {}: {got:?}, expected {:?}",
                        ROLES[i], expected[i]
                    ));
                }
            }
        }
        // A draft meeting of the cell, to score and edit.
        let held = d(2025, 12, 5);
        let seats = app
            .meeting_roll(&Actor::new("kiểm thử"), w.cell, held)
            .await
            .unwrap()
            .iter()
            .map(|(m, _, exempt)| dangvu_app::meetings::SeatInput {
                member: *m,
                attendance: if *exempt {
                    dangvu_domain::meeting::Attendance::Exempt
                } else {
                    dangvu_domain::meeting::Attendance::Present
                },
                reason: String::new(),
                dues_paid: true,
            })
            .collect();
        let (base_meeting, _) = app
            .record_meeting(
                &Actor::new("kiểm thử"),
                dangvu_app::meetings::NewMeeting {
                    sitting: dangvu_app::meetings::Sitting {
                        org: w.cell,
                        kind: dangvu_domain::meeting::MeetingKind::Regular,
                        held_on: held,
                        starts_at: "19:00".into(),
                        ends_at: "21:00".into(),
                        place: "Nhà văn hóa".into(),
                        chair: None,
                        minute_taker: None,
                    },
                    superior_guests: String::new(),
                    topic: String::new(),
                    seats,
                    resolution: String::new(),
                    votes: None,
                    items: Vec::new(),
                    guests: Vec::new(),
                    tasks: Vec::new(),
                    scores: Vec::new(),
                },
            )
            .await
            .unwrap();
        // Residence contact (R21, R22): for each role, a member of the cell introduced to the
        // Bắc Sơn committee to be attached, and one attached already whose 2026 comment is
        // written, to be written again and certified.
        let sys = Actor::new("kiểm thử");
        let (mut to_attach, mut residents) = (Vec::new(), Vec::new());
        let given = [
            "An", "Bình", "Cường", "Dũng", "Giao", "Hà", "Khánh", "Lâm", "Minh", "Nam", "Phong",
            "Quân",
        ];
        for (k, name) in given.iter().enumerate() {
            let rec = record(&format!("Hồ Văn {name}"), &format!("0220800002{k:02}"));
            let new = NewMember::admitted(rec, w.cell, d(2004, 1, 1));
            let m = app.create_member(&sys, new).await.unwrap();
            let link = app
                .introduce_to_residence(&sys, m, w.g2, d(2026, 2, 1), None)
                .await
                .unwrap();
            if k < ROLES.len() {
                to_attach.push(link);
            } else {
                app.attach_to_cell(&sys, link, w.cell3, d(2026, 3, 1))
                    .await
                    .unwrap();
                app.write_residence_comment(&sys, m, 2026, "Gương mẫu.")
                    .await
                    .unwrap();
                residents.push(m.0);
            }
        }
        // Writes. Each role gets its own value or its own spare cell, so one role's success
        // does not change what the next one finds.
        for (i, c) in w.clients.iter().enumerate() {
            let role = ROLES[i];
            // Renames must come in date order: the form's in an odd month, the API's in the next.
            let day = format!("01/{:02}/2025", 2 * i + 1);
            let iso = format!("2025-{:02}-15", 2 * i + 2);
            let spare = w.spare[i].0;
            let (spare_move, spare_merge) = (w.spare_move[i].0, w.spare_merge[i].0);
            let (g2, cell2) = (w.g2.0, w.cell2.0);
            let mine = w.spare_members[i].0;
            let card = format!("{}", 31_000_000 + i);
            let review_cell = w.spare_review[i].0;
            // Each role records its own meeting of the cell (one month each), through the API,
            // with every member on the rolls that day.
            let held = d(2026, i as u32 + 1, 5);
            let attendance: Vec<serde_json::Value> = app
                .meeting_roll(&Actor::new("kiểm thử"), w.cell, held)
                .await
                .unwrap()
                .iter()
                .map(|(m, _, exempt)| json!({"member": m.0, "attendance": if *exempt { "exempt" } else { "present" }, "dues_paid": true}))
                .collect();
            let meeting = json!({"org": cell, "kind": "regular", "held_on": format!("2026-{:02}-05", i + 1), "starts_at": "19:00", "ends_at": "21:00", "place": "Nhà văn hóa", "attendance": attendance});
            let (link, resident, cell3) = (to_attach[i], residents[i], w.cell3.0);
            // An event recorded by mistake on the role's own member, to cancel.
            let slip = app
                .record_event(
                    &Actor::new("kiểm thử"),
                    w.spare_members[i],
                    dangvu_app::members::NewEvent::simple(
                        dangvu_domain::member::EventKind::Disciplined,
                        d(2005, 6, 1),
                    )
                    .from_old_file()
                    .with_discipline(dangvu_domain::member::DisciplineForm::KhienTrach),
                )
                .await
                .unwrap();
            let writes: Vec<(String, crate::Resp, [E; 6])> = vec![
                (
                    format!("API propose a candidate in the cell {role}"),
                    post_json(c, &format!("/api/v1/orgs/{cell}/candidates"), json!({"full_name": format!("Quần Chúng {}", ["An", "Bình", "Chi", "Dũng", "Hà", "Lan"][i]), "sex": "male", "birth_date": "2000-01-01", "ethnicity": "Kinh", "on": "2025-09-01"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API discipline of cell 3 {role}"),
                    post_json(c, &format!("/api/v1/orgs/{}/disciplines", w.cell3.0), json!({"discipline": "khien_trach", "decision_ref": format!("{i}-QĐ/ĐU"), "decided_on": "2025-03-01", "decided_by": "Ban Thường vụ", "reason": "Thử"})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API decision of the cell {role}"),
                    post_json(c, &format!("/api/v1/orgs/{cell}/decisions"), json!({"decision_kind": "other", "signed_on": iso, "summary": format!("Phân công {role}")})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API opinion about the cell {role}"),
                    post_json(c, &format!("/api/v1/orgs/{cell}/opinions"), json!({"source": "citizen", "received_on": iso, "subject_org": cell, "content": format!("Góp ý {role}")})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("opinion in the other đảng bộ {role}"),
                    post_form(c, &format!("/to-chuc/{}/y-kien", w.g2.0), &[("action", "take"), ("source", "front"), ("received_on", &day), ("content", "Góp ý")]).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API commitment of a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/commitments"), json!({"year": 2025, "items": [format!("Cam kết {role}")], "registered_on": "2025-01-10"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API regulation of the đảng bộ {role}"),
                    post_json(c, &format!("/api/v1/orgs/{g1}/regulations"), json!({"regulation_kind": "other", "regulation_title": format!("Quy chế {role}"), "issuing_body": "Đảng ủy", "number": format!("{i}-QC/ĐU"), "signed_on": iso})).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("API contest question of the đảng bộ {role}"),
                    post_json(c, &format!("/api/v1/orgs/{g1}/contest-questions"), json!({"topic": "Điều lệ", "question": format!("Câu hỏi {role}?"), "options": ["Có", "Không"], "answer": 1})).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("API cadre in the asset register {role}"),
                    post_json(c, &format!("/api/v1/orgs/{g1}/asset-cadres"), json!({"full_name": "Trần Văn Bình", "position": "Bí thư", "from_date": "2021-01-01"})).await,
                    [Hidden, Hidden, Hidden, Hidden, Hidden, Hidden],
                ),
                (
                    format!("decision of the other đảng bộ {role}"),
                    post_form(c, &format!("/to-chuc/{}/quyet-dinh", w.g2.0), &[("decision_kind", "other"), ("signed_on", &day), ("summary", "Phân công")]).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API cancel an event of a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/event-corrections"), json!({"event": slip.0, "reason": "Ghi nhầm", "decision_ref": "1-QĐ/ĐU", "decided_on": "2025-01-02", "decided_by": "Đảng ủy phường"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API attach a member to a cell where she lives {role}"),
                    post_json(c, &format!("/api/v1/residence/links/{link}/attach"), json!({"cell": cell3, "on": "2026-03-01"})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API half-yearly meeting of the residence committee {role}"),
                    post_json(c, &format!("/api/v1/orgs/{g2}/residence/meetings"), json!({"held_on": format!("2026-01-{:02}", 10 + i), "place": "Nhà văn hóa khu 7", "attendance": []})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API comment on a resident {role}"),
                    post_json(c, &format!("/api/v1/members/{resident}/residence/comments"), json!({"year": 2026, "content": format!("Nhận xét {i}")})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API certify a resident's comment {role}"),
                    post_json(c, &format!("/api/v1/members/{resident}/residence/certify"), json!({"year": 2026})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("push an item to g1's cells {role}"),
                    post_form(c, &format!("/to-chuc/{g1}/chuong-trinh"), &[("month", "07/2026"), ("item_kind", "current_affairs")]).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("API add an item to the cell's programme {role}"),
                    post_json(c, &format!("/api/v1/orgs/{cell}/programme"), json!({"month": "07/2026", "item_kind": "other", "title": format!("Nội dung {i}")})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API dry run of an import into the cell {role}"),
                    post_bytes(c, &format!("/api/v1/orgs/{cell}/import/members?dry_run=true"), "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Ngày vào Đảng\nLý Văn Tư,nam,01/01/1990,Kinh,01/01/2015\n".as_bytes().to_vec()).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("page dry run of an import into the other đảng bộ {role}"),
                    post_bytes(c, &format!("/to-chuc/{}/nhap?thu=1", w.cell3), "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Ngày vào Đảng\nLý Văn Tư,nam,01/01/1990,Kinh,01/01/2015\n".as_bytes().to_vec()).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API dues basis of a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/dues/bases"), json!({"from_month": "01/2026", "category": "other", "flat": 20000})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API dues paid by a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/dues/payments"), json!({"from_month": "01/2026", "to_month": "02/2026", "paid_on": "2026-02-10"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API dues paid by Hoa of the other đảng bộ {role}"),
                    post_json(c, &format!("/api/v1/members/{}/dues/payments", w.hoa.0), json!({"from_month": format!("{:02}/2026", i + 1), "paid_on": "2026-05-10", "amount": 20000})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API record a meeting of the cell {role}"),
                    post_json(c, "/api/v1/meetings", meeting).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("self-assessment of a member of the cell {role}"),
                    post_form(c, &format!("/danh-gia/{p}/dang-vien/{mine}"), &[("step", "self"), ("content", "Tự kiểm điểm")]).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API self-assessment of Đức, by herself or her cell {role}"),
                    post_json(c, &format!("/api/v1/reviews/{p}/steps"), json!({"subject_kind": "member", "subject": duc, "step": "self", "content": format!("Tự kiểm điểm {i}")})).await,
                    [A, A, A, A, A, Hidden],
                ),
                (
                    format!("API proposal for Đức {role}"),
                    post_json(c, &format!("/api/v1/reviews/{p}/steps"), json!({"subject_kind": "member", "subject": duc, "step": "proposal", "level": "htt"})).await,
                    [A, A, A, A, Forbid, Hidden],
                ),
                (
                    format!("API comment on a member of the other đảng bộ {role}"),
                    post_json(c, &format!("/api/v1/reviews/{p}/steps"), json!({"subject_kind": "member", "subject": hoa, "step": "comment", "body": "cell_committee", "content": format!("Nhận xét {i}")})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("API decide a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/reviews/{p}/decisions"), json!({"subject_kind": "member", "subject": mine, "level": "htt"})).await,
                    [A, A, A, Forbid, Hidden, Hidden],
                ),
                (
                    format!("decide an empty cell under g1 {role}"),
                    post_form(c, &format!("/danh-gia/{p}/to-chuc/{review_cell}"), &[("action", "decide_org"), ("level", "htt")]).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("API score the cell's meeting {role}"),
                    post_json(c, &format!("/api/v1/meetings/{base_meeting}/score"), json!({"scores": {"preparation": 20, "attendance": 18, "conduct": 18, "principles": 17, "resolution": i + 10}})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API edit the cell's draft minutes {role}"),
                    post_json(c, &format!("/api/v1/meetings/{base_meeting}/corrections"), json!({"field": "place", "value": format!("Nhà văn hóa {i}")})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API assign g1's committee member to a cell {role}"),
                    post_json(c, "/api/v1/meetings/assignments", json!({"cell": review_cell, "member": w.an.0, "from": "2026-01-01"})).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("lock the 2024 review {role}"),
                    post_form(c, &format!("/danh-gia/{p_lock}/khoa"), &[]).await,
                    [A, Other(422), Hidden, Hidden, Hidden, Hidden],
                ),
                (
                    format!("rename cell {role}"),
                    post_form(c, &format!("/to-chuc/{cell}/doi-ten"), &[("name", &format!("Chi bộ Khu 3 {i}")), ("on", &day), ("reason", "Đổi tên")]).await,
                    [A, A, A, Forbid, Hidden, Hidden],
                ),
                (
                    format!("add a cell under g1 {role}"),
                    post_form(c, &format!("/to-chuc/{g1}/them-truc-thuoc"), &[("name", &format!("Chi bộ Khu mới {i}")), ("kind", "chi_bo_truc_thuoc"), ("founded_on", &day)]).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("correct duc {role}"),
                    post_form(c, &format!("/dang-vien/{duc}/dinh-chinh"), &[("field", "residence"), ("value", &format!("Khu 3, số {i}")), ("reason", "Chuyển nhà")]).await,
                    [A, A, A, A, Forbid, Hidden],
                ),
                (
                    format!("correct hoa {role}"),
                    post_form(c, &format!("/dang-vien/{hoa}/dinh-chinh"), &[("field", "residence"), ("value", &format!("Khu 7, số {i}")), ("reason", "Chuyển nhà")]).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("dissolve a spare cell {role}"),
                    post_form(c, &format!("/to-chuc/{spare}/giai-the"), &[("on", &day), ("reason", "Giải thể")]).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("API rename cell {role}"),
                    post_json(c, &format!("/api/v1/orgs/{cell}/rename"), json!({"name": format!("Chi bộ Khu 3 API {i}"), "on": iso, "reason": "Đổi tên"})).await,
                    [A, A, A, Forbid, Hidden, Hidden],
                ),
                (
                    format!("API new member in cell {role}"),
                    post_json(c, "/api/v1/members", json!({"full_name": "Vũ Thị Mai", "sex": "female", "birth_date": "1990-01-31", "ethnicity": "Kinh", "cell": cell, "admitted_on": "2016-05-19"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API introduce a member of the cell to where she lives {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/residence"), json!({"residence": g2, "on": "2026-02-01"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API event for a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{}/events", w.spare_members[i].0), json!({"kind": "exempted", "on": iso, "note": "Ốm", "decision_ref": "3-NQ/CB", "decided_on": iso, "decided_by": "Chi bộ"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("end a position in the cell {role}"),
                    post_form(c, &format!("/to-chuc/{cell}/ket-thuc-chuc-vu"), &[("position_id", &w.positions[i].to_string()), ("on", &day), ("reason", "Chuyển công tác")]).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API appoint in the cell {role}"),
                    post_json(c, &format!("/api/v1/orgs/{cell}/committee"), json!({"position": "cap_uy_vien", "member": mine, "term_label": "2025–2030", "on": day})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API correction for a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/corrections"), json!({"field": "occupation", "value": "Giáo viên", "reason": "Bổ sung"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API card for a member of the cell {role}"),
                    post_json(c, &format!("/api/v1/members/{mine}/cards"), json!({"card_number": format!("{}", 41_000_000 + i), "generation": "ct29_2003", "issued_on": "2011-01-01"})).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API correction for a member of the other đảng bộ {role}"),
                    post_json(c, &format!("/api/v1/members/{hoa}/corrections"), json!({"field": "occupation", "value": format!("Nghề {i}"), "reason": "Bổ sung"})).await,
                    [A, A, Hidden, Hidden, Hidden, A],
                ),
                (
                    format!("found a top organisation {role}"),
                    post_form(c, "/to-chuc/moi", &[("name", &format!("Đảng bộ tỉnh Mới {i}")), ("kind", "dang_bo_tinh"), ("founded_on", "01/01/2020")]).await,
                    [A, Forbid, Forbid, Forbid, Forbid, Forbid],
                ),
                (
                    format!("move a spare cell to g2 {role}"),
                    post_form(c, &format!("/to-chuc/{spare_move}/chuyen"), &[("parent", &g2.to_string()), ("on", &day), ("reason", "Sắp xếp")]).await,
                    [A, A, Hidden, Hidden, Hidden, Hidden],
                ),
                (
                    format!("merge a spare cell into cell 2 {role}"),
                    post_form(c, &format!("/to-chuc/{cell2}/sap-nhap"), &[("sources", &spare_merge.to_string()), ("on", &day), ("reason", "Sáp nhập")]).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("split cell 2 {role}"),
                    post_form(c, &format!("/to-chuc/{cell2}/chia-tach"), &[("new_name", &format!("Chi bộ tách {i}")), ("on", &day), ("reason", "Chia tách")]).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("appoint in the cell {role}"),
                    post_form(c, &format!("/to-chuc/{cell}/bo-nhiem"), &[("position", "cap_uy_vien"), ("member", &mine.to_string()), ("term_label", "2025–2030"), ("on", &day)]).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("discipline a member of the cell {role}"),
                    post_form(c, &format!("/dang-vien/{mine}/su-kien"), &[("kind", "disciplined"), ("on", &day), ("discipline", "khien_trach"), ("decision_ref", "1-QĐ/CB"), ("decided_on", &day), ("decided_by", "Chi bộ")]).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("card for a member of the cell {role}"),
                    post_form(c, &format!("/dang-vien/{mine}/the"), &[("card_number", &card), ("generation", "ct29_2003"), ("issued_on", "01/01/2010")]).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("new member through the form {role}"),
                    post_form(c, "/dang-vien/moi", &[("cell", &cell.to_string()), ("full_name", "Vũ Văn Tâm"), ("sex", "male"), ("birth_date", "01/06/1990"), ("ethnicity", "Kinh"), ("admitted_on", "01/06/2015")]).await,
                    [A, A, A, A, Hidden, Hidden],
                ),
                (
                    format!("API new organisation under g1 {role}"),
                    post_json(c, "/api/v1/orgs", json!({"name": format!("Chi bộ API {i}"), "kind": "chi_bo_truc_thuoc", "parent": g1, "founded_on": "2020-01-01"})).await,
                    [A, A, A, Hidden, Hidden, Hidden],
                ),
                (
                    format!("API grant a role {role}"),
                    post_json(c, "/api/v1/grants", json!({"user": 1, "role": "member", "valid_from": "2026-01-01"})).await,
                    [Other(422), Forbid, Forbid, Forbid, Forbid, Forbid],
                ),
                (
                    format!("create an account through the form {role}"),
                    post_form(c, "/quan-tri/tai-khoan", &[("username", &format!("form.{i}")), ("display_name", "Mới"), ("password", "Trời xanh mây trắng 2026")]).await,
                    [A, Forbid, Forbid, Forbid, Forbid, Forbid],
                ),
                (
                    format!("API create account {role}"),
                    post_json(c, "/api/v1/users", json!({"username": format!("moi.{i}"), "display_name": "Mới", "password": "Trời xanh mây trắng 2026"})).await,
                    [A, Forbid, Forbid, Forbid, Forbid, Forbid],
                ),
            ];
            for (label, r, expected) in writes {
                let got = verdict(r.status);
                if got != expected[i] {
                    failures.push(format!(
                        "{label}: {got:?} ({}), expected {:?}: {}",
                        r.status,
                        expected[i],
                        &r.body[..r.body.len().min(200)]
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{:?}:\n{}",
            db.backend,
            failures.join("\n")
        );
    });
}

#[tokio::test]
async fn nothing_outside_the_scope_leaks_through_pages_counts_or_errors() {
    on_every_backend!(|db| {
        let app = db.app();
        let w = world(&app).await;
        let g2_sec = &w.clients[5];
        let cell_sec = &w.clients[3];
        // The tree of the Bắc Sơn secretary: her đảng bộ only, its one member counted.
        let r = get(g2_sec, "/to-chuc").await;
        assert!(r.has("Đảng bộ phường Bắc Sơn") && r.has("Chi bộ Khu 7"));
        for outside in ["Nam Khê", "Khu 3", "Uông Bí", "Quảng Ninh"] {
            assert!(!r.has(outside), "{outside} leaked into the tree");
        }
        let v = get(g2_sec, "/api/v1/orgs").await.json();
        let nodes = v["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 2, "{v}");
        assert_eq!(nodes[0]["counts"]["total"], 1);
        // Search: the other đảng bộ's Đức is not found.
        let r = get(g2_sec, "/tim-kiem?q=duc").await;
        assert!(!r.has("Nguyễn Văn Đức"));
        let r = get(&w.clients[0], "/tim-kiem?q=duc").await;
        assert!(r.has("Nguyễn Văn Đức"));
        // "Not found" reads the same for a member out of scope and for an id nobody uses.
        let out = get(cell_sec, &format!("/dang-vien/{}", w.hoa.0)).await;
        let none = get(cell_sec, "/dang-vien/987654").await;
        assert_eq!(out.status, StatusCode::NOT_FOUND);
        assert_eq!(out.status, none.status);
        assert_eq!(out.body, none.body);
        let out = get(cell_sec, &format!("/api/v1/members/{}", w.hoa.0)).await;
        let none = get(cell_sec, "/api/v1/members/987654").await;
        assert_eq!((out.status, out.body), (none.status, none.body));
        let out = get(cell_sec, &format!("/api/v1/orgs/{}/members", w.cell3.0)).await;
        let none = get(cell_sec, "/api/v1/orgs/987654/members").await;
        assert_eq!((out.status, out.body), (none.status, none.body));
        // Her own cell's page offers what she may do, not what her superior decides.
        let r = get(cell_sec, &format!("/to-chuc/{}", w.cell.0)).await;
        assert!(r.has("Ghi nhận chức vụ cấp ủy"));
        assert!(!r.has("<summary>Giải thể</summary>") && !r.has("<summary>Đổi tên</summary>"));
        let r = get(&w.clients[2], &format!("/to-chuc/{}", w.cell.0)).await;
        assert!(
            r.has("<summary>Giải thể</summary>"),
            "the đảng bộ's secretary may"
        );
        // The member sees her own record and nothing of the cell's list.
        let me = &w.clients[4];
        let r = get(me, "/").await;
        assert_eq!(
            r.location.as_deref(),
            Some(format!("/dang-vien/{}", w.duc.0).as_str())
        );
        let r = get(me, &format!("/dang-vien/{}", w.duc.0)).await;
        assert!(r.has("Nguyễn Văn Đức") && r.has("Hồ sơ của tôi"));
        assert!(!r.has("Tổ chức đảng</a>"), "no tree link for a member");
        // The cell secretary's audit trail: her cell's entries, never the other đảng bộ's.
        let v = get(cell_sec, "/api/v1/audit").await.json();
        let items = v["items"].as_array().unwrap();
        assert!(!items.is_empty());
        assert!(items.iter().all(|i| i["org_id"] == w.cell.0), "{v}");
    });
}

#[tokio::test]
async fn anonymous_requests_and_forged_forms_are_refused() {
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let fx = fixture(&app).await;
    let admin = Client::admin(&app).await;
    let anon = Client::anonymous(&app);
    // Pages send to the sign-in page and come back; the API answers 401 in JSON.
    let r = get(&anon, &format!("/dang-vien/{}", fx.duc.0)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/dang-nhap?tiep=/dang-vien/{}", fx.duc.0).as_str())
    );
    let r = get(&anon, "/api/v1/orgs").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthenticated");
    let r = post_json(&anon, "/api/v1/members", json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The sign-in page is open, and carries the security headers.
    let r = get(&anon, "/dang-nhap").await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    // No inline script anywhere in our pages.
    let r = get(&admin, &format!("/to-chuc/{}", fx.cell.0)).await;
    assert!(!r.body.contains("<script>") && !r.body.contains(" onclick="));
    assert_eq!(r.headers["cache-control"], "no-store");
    assert!(r.has("name=\"_csrf\""), "every form carries the token");
    // A form without the token, with a wrong one, or from another site: refused, nothing written.
    let no_token = Request::post(format!("/to-chuc/{}/doi-ten", fx.cell.0))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "name=Chi+b%E1%BB%99+Gi%E1%BA%A3&on=01/01/2026&reason=x",
        ))
        .unwrap();
    assert_eq!(send(&admin, no_token).await.status, StatusCode::FORBIDDEN);
    let wrong = Request::post(format!("/to-chuc/{}/doi-ten", fx.cell.0))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "_csrf=0000&name=Chi+b%E1%BB%99+Gi%E1%BA%A3&on=01/01/2026&reason=x",
        ))
        .unwrap();
    assert_eq!(send(&admin, wrong).await.status, StatusCode::FORBIDDEN);
    let cross = Request::post(format!("/to-chuc/{}/doi-ten", fx.cell.0))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!(
            "_csrf={}&name=Chi+b%E1%BB%99+Gi%E1%BA%A3&on=01/01/2026&reason=x",
            admin.csrf
        )))
        .unwrap();
    assert_eq!(send(&admin, cross).await.status, StatusCode::FORBIDDEN);
    let api_no_token = Request::post(format!("/api/v1/orgs/{}/rename", fx.cell.0))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": "Chi bộ Giả", "on": "2026-01-01", "reason": "x"}).to_string(),
        ))
        .unwrap();
    assert_eq!(
        send(&admin, api_no_token).await.status,
        StatusCode::FORBIDDEN
    );
    let r = get(&admin, &format!("/to-chuc/{}", fx.cell.0)).await;
    assert!(!r.has("Chi bộ Giả"), "nothing was renamed");
    // Sign in through the form; a wrong password answers in Vietnamese without saying more.
    let bad = Request::post("/dang-nhap")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "username=quantri&password=sai+roi+nhe+ban&tiep=/nhat-ky",
        ))
        .unwrap();
    let r = send(&anon, bad).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.has("Tên đăng nhập hoặc mật khẩu không đúng"));
    let good = Request::post("/dang-nhap")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "username=quantri&password={}&tiep=//evil.example/x",
            dangvu_web::html::url_escape(dangvu_testkit::TEST_PASSWORD)
        )))
        .unwrap();
    let r = send(&anon, good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/"), "no open redirect");
    // A tab (or a line break) that a browser drops would make `/\t/evil` leave the site.
    for target in ["/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example"] {
        let tricky = Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username=quantri&password={}&tiep={target}",
                dangvu_web::html::url_escape(dangvu_testkit::TEST_PASSWORD)
            )))
            .unwrap();
        let r = send(&anon, tricky).await;
        assert_eq!(r.location.as_deref(), Some("/"), "{target}");
    }
    let cookie = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!r.headers.contains_key("x-dangvu-leak"));
    // Sign out: the session no longer opens anything.
    let r = post_form(&admin, "/dang-xuat", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = get(&admin, "/to-chuc").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    db.cleanup().await;
}

#[tokio::test]
async fn the_trail_filters_by_person_entity_action_and_date_and_a_record_shows_as_it_was() {
    on_every_backend!(|db| {
        let app = db.app();
        let w = world(&app).await;
        let officer = &w.clients[1];
        let duc = w.duc.0;
        let r = post_form(
            officer,
            &format!("/dang-vien/{duc}/dinh-chinh"),
            &[
                ("field", "home_town"),
                ("value", "Thái Bình"),
                ("reason", "Theo lý lịch gốc"),
                ("decision_ref", "15-QĐ/ĐU"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // Filter: by person and action.
        let r = get(officer, "/nhat-ky?nguoi=bantochuc&thao_tac=member.correct").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has("Đính chính hồ sơ") && r.has("Thái Bình") && r.has("Theo lý lịch gốc · 15-QĐ/ĐU")
        );
        assert!(r.has(&format!("/dang-vien/{duc}?ngay=2026-06-15")));
        let r = get(officer, "/nhat-ky?nguoi=quantri&thao_tac=member.correct").await;
        assert!(!r.has("Thái Bình"), "another person's filter");
        // By entity and id, and by organisation.
        let v = get(officer, &format!("/api/v1/audit?doi_tuong=member&ma={duc}"))
            .await
            .json();
        let items = v["items"].as_array().unwrap();
        assert!(items.iter().all(|i| i["entity_id"] == duc));
        assert_eq!(items[0]["action"], "member.correct");
        assert_eq!(items[0]["actor"], "bantochuc");
        let v = get(officer, &format!("/api/v1/audit?to_chuc={}", w.cell3.0))
            .await
            .json();
        assert!(
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["org_id"] == w.cell3.0)
        );
        // By date range: nothing before the fixture's day, everything on it.
        let v = get(officer, "/api/v1/audit?den=14/06/2026").await.json();
        assert_eq!(v["items"].as_array().unwrap().len(), 0);
        let v = get(officer, "/api/v1/audit?tu=15/06/2026&den=15/06/2026")
            .await
            .json();
        assert!(!v["items"].as_array().unwrap().is_empty());
        let r = get(officer, "/nhat-ky?tu=31/02/2026").await;
        assert!(r.has("là ngày không có thật"), "a bad date is named");
        // The record as it was the day before the correction, and as it is.
        let before = get(officer, &format!("/dang-vien/{duc}?ngay=14/06/2026")).await;
        let row = "<th scope=\"row\">Quê quán</th><td>Thái Bình</td>";
        assert!(!before.has(row), "the record of 14/06 has no home town yet");
        assert!(before.has("như ghi nhận đến hết ngày 14/06/2026"));
        let now = get(officer, &format!("/dang-vien/{duc}")).await;
        assert!(now.has(row));
    });
}

#[tokio::test]
async fn the_administrator_disables_an_account_and_ends_a_grant() {
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let w = world(&app).await;
    let admin = &w.clients[0];
    let officer = &w.clients[1];
    let officer_id = app.user_id("bantochuc").await.unwrap();
    // Only the administrator may; the officer gets 403 and nothing changes.
    let r = post_form(
        officer,
        "/quan-tri/khoa-tai-khoan",
        &[
            ("user", &officer_id.to_string()),
            ("disabled", "true"),
            ("reason", "Thử"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(get(officer, "/to-chuc").await.status, StatusCode::OK);
    // A reason is required.
    let r = post_form(
        admin,
        "/quan-tri/khoa-tai-khoan",
        &[
            ("user", &officer_id.to_string()),
            ("disabled", "true"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.has("Lý do"), "{}", r.body);
    // Disabled: her open session ends at once, and she cannot sign in again.
    let r = post_form(
        admin,
        "/quan-tri/khoa-tai-khoan",
        &[
            ("user", &officer_id.to_string()),
            ("disabled", "true"),
            ("reason", "Chuyển công tác"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.has("Đã khóa tài khoản") && r.has("bantochuc (đã khóa)"));
    assert_eq!(get(officer, "/to-chuc").await.status, StatusCode::SEE_OTHER);
    let e = app
        .sign_in("bantochuc", dangvu_testkit::TEST_PASSWORD, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "login_failed");
    // The administrator cannot lock herself out.
    let admin_id = app.user_id("quantri").await.unwrap();
    let r = post_form(
        admin,
        "/quan-tri/khoa-tai-khoan",
        &[
            ("user", &admin_id.to_string()),
            ("disabled", "true"),
            ("reason", "Thử"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.has("không thể tự khóa tài khoản của mình"));
    // Ending the cell secretary's grant today takes her scope away.
    let sec = &w.clients[3];
    let sec_id = app.user_id("bithu.khu3").await.unwrap();
    let grant = app
        .users(&Actor::new("kiểm thử"))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.user.id == sec_id)
        .unwrap()
        .grants[0]
        .id;
    assert_eq!(
        get(sec, &format!("/to-chuc/{}", w.cell.0)).await.status,
        StatusCode::OK
    );
    let r = post_form(
        admin,
        "/quan-tri/ket-thuc-vai-tro",
        &[
            ("user", &sec_id.to_string()),
            ("grant", &grant.to_string()),
            ("reason", "Hết nhiệm kỳ"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.has("Đã kết thúc vai trò"));
    assert_eq!(
        get(sec, &format!("/to-chuc/{}", w.cell.0)).await.status,
        StatusCode::NOT_FOUND
    );
    // Both are in the trail with their reasons.
    let v = get(admin, "/api/v1/audit?doi_tuong=user").await.json();
    let actions: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"user.disable") && actions.contains(&"user.end_grant"),
        "{actions:?}"
    );
    db.cleanup().await;
}

/// Behind a TLS proxy: the client address is the hop the proxy appended (not what the client
/// wrote first), browsers are told to keep to HTTPS; a password changes only with the current
/// one; signing in can end the account's other sessions.
#[tokio::test]
async fn behind_a_tls_proxy_accounts_hold() {
    use tower::ServiceExt;
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let fx = fixture(&app).await;
    let tls = dangvu_web::WebConfig {
        secure_cookies: true,
        behind_proxy: true,
        ..Default::default()
    };
    let call = |req: Request<Body>, config: dangvu_web::WebConfig| {
        dangvu_web::router_with(app.clone(), config).oneshot(req)
    };
    let r = call(Request::get("/dang-nhap").body(Body::empty()).unwrap(), tls)
        .await
        .unwrap();
    assert_eq!(
        r.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
    let plain = call(
        Request::get("/dang-nhap").body(Body::empty()).unwrap(),
        dangvu_web::WebConfig::default(),
    )
    .await
    .unwrap();
    assert!(
        !plain
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    // The client forges a first hop; the proxy appended the real one.
    dangvu_testkit::user_with(&app, "bithu.khu1", Role::Secretary, Some(fx.cell), None).await;
    let r = call(
        Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "6.6.6.6, 203.0.113.9")
            .body(Body::from("username=bithu.khu1&password=sai+roi+nhe+ban"))
            .unwrap(),
        tls,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let failed = app
        .audit_trail(
            &Actor::new("kiểm thử"),
            &dangvu_app::trail::TrailFilter {
                action: Some("auth.sign_in_failed".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(failed[0].entry.address.as_deref(), Some("203.0.113.9"));
    // A password changes only with the current one.
    let c = Client::as_role(&app, "bithu.doimk", Role::Secretary, Some(fx.cell), None).await;
    let new = "Mưa xuân trên đồi chè 2026";
    let r = post_form(
        &c,
        "/tai-khoan/mat-khau",
        &[("password", new), ("password2", new)],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.has("Mật khẩu hiện tại"), "{}", r.body);
    let r = post_form(
        &c,
        "/tai-khoan/mat-khau",
        &[
            ("current_password", "không phải mật khẩu"),
            ("password", new),
            ("password2", new),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.has("không đúng"), "{}", r.body);
    let r = post_form(
        &c,
        "/tai-khoan/mat-khau",
        &[
            ("current_password", dangvu_testkit::TEST_PASSWORD),
            ("password", new),
            ("password2", new),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Signing in again and asking to end the other sessions closes the first one.
    let first = Client::as_role(&app, "bithu.haimay", Role::Secretary, Some(fx.cell), None).await;
    assert_eq!(get(&first, "/to-chuc").await.status, StatusCode::OK);
    let r = send(
        &Client::anonymous(&app),
        Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username=bithu.haimay&password={}&end_others=1",
                dangvu_web::html::url_escape(dangvu_testkit::TEST_PASSWORD)
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(get(&first, "/to-chuc").await.status, StatusCode::SEE_OTHER);
    db.cleanup().await;
}

/// A transfer through the pages: the sending cell names the receiving đảng bộ by its code, the
/// receiving secretary then sees the member and seats her in one of her cells; before that she
/// saw nothing of her.
#[tokio::test]
async fn a_transfer_goes_from_one_scope_to_another_through_the_pages() {
    on_every_backend!(|db| {
        let app = db.app();
        let fx = fixture(&app).await;
        let a = Actor::new("kiểm thử");
        let g2 = app
            .create_org(
                &a,
                NewOrg {
                    name: "Đảng bộ phường Bắc Sơn".into(),
                    kind: OrgKind::DangBoCoSo,
                    parent: Some(fx.city),
                    founded_on: d(1975, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap();
        let khu = app
            .create_org(
                &a,
                NewOrg {
                    name: "Chi bộ Khu 5".into(),
                    kind: OrgKind::ChiBoTrucThuoc,
                    parent: Some(g2),
                    founded_on: d(1975, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap();
        let sender = Client::as_role(&app, "bithu.gui", Role::Secretary, Some(fx.cell), None).await;
        let receiver = Client::as_role(&app, "bithu.nhan", Role::Secretary, Some(g2), None).await;
        let page = format!("/dang-vien/{}", fx.duc.0);
        assert_eq!(get(&receiver, &page).await.status, StatusCode::NOT_FOUND);
        let r = post_form(
            &sender,
            &format!("{page}/su-kien"),
            &[
                ("kind", "transferred_out"),
                ("on", "01/03/2026"),
                ("destination_org", &g2.0.to_string()),
                ("decision_ref", "15-GGT/ĐU"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&receiver, &page).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.has("15-GGT/ĐU"), "the letter's number is on her timeline");
        let r = post_form(
            &receiver,
            &format!("{page}/su-kien"),
            &[
                ("kind", "transferred_in"),
                ("on", "10/03/2026"),
                ("org", &khu.0.to_string()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = get(&receiver, &format!("/to-chuc/{}/dang-vien", khu.0)).await;
        assert!(r.has("Nguyễn Văn Đức"), "{}", r.body);
    });
}

/// The content security policy allows no inline script, so an inline event handler in a
/// template would silently do nothing (print buttons did): none may be there.
#[test]
fn no_template_has_an_inline_event_handler() {
    let mut found = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let text = std::fs::read_to_string(&p).unwrap();
                for handler in [" onclick=", " onsubmit=", " onchange=", " onload="] {
                    if text.contains(handler) {
                        found.push(format!("{}: {handler}", p.display()));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
}
