//! Party badges (R13): a hand-computed 2/9/2026 list, the exceptions, proposals, approval,
//! presentation with the number, return of an expelled member's badge, and scope.

use chrono::Datelike;
use dangvu_app::badges::Proposal;
use dangvu_app::members::{NewEvent, NewMember};
use dangvu_app::{App, AppError};
use dangvu_domain::access::Role;
use dangvu_domain::badge::BadgeException;
use dangvu_domain::decision::Decision;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{DisciplineForm, EventKind};
use dangvu_store::badges::BadgeStatus;
use dangvu_testkit::{d, on_every_backend, signed_in};

use super::{actor, closing, field_codes, fixture};

/// A member admitted on a day, born 25 years before.
async fn admitted(app: &App, name: &str, cell: OrgId, on: chrono::NaiveDate) -> MemberId {
    let birth = d(on.year() - 25, 3, 1);
    app.create_member(
        &actor(),
        NewMember::admitted(
            dangvu_testkit::record(name, &[("birth_date", &dangvu_domain::date::iso(birth))]),
            cell,
            on,
        ),
    )
    .await
    .unwrap()
}

fn decision(on: chrono::NaiveDate) -> Decision {
    Decision {
        reference: Some("125-QĐ/TU".into()),
        date: Some(on),
        body: Some("Ban Thường vụ Tỉnh ủy".into()),
    }
}

fn proposal(member: MemberId, years: u32, exception: BadgeException, reason: &str) -> Proposal {
    Proposal {
        member,
        years,
        exception,
        reason: Some(reason.to_owned()).filter(|r| !r.is_empty()),
    }
}

#[tokio::test]
async fn the_list_for_2_september_2026_is_computed_proposed_approved_and_kept() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let sept = d(2026, 9, 2);
        let an = admitted(&app, "Nguyễn Văn An", f.cell_a, d(1996, 7, 15)).await; // 30 on 15/7
        let binh = admitted(&app, "Trần Thị Bình", f.cell_a, d(1986, 9, 2)).await; // 40 on the day
        let cuong = admitted(&app, "Lê Văn Cường", f.cell_b, d(1981, 9, 3)).await; // 45 a day after
        let dung = admitted(&app, "Phạm Thị Dung", f.cell_b, d(1976, 6, 1)).await; // 50, exempt
        app.record_event(
            &actor(),
            dung,
            NewEvent::simple(EventKind::Exempted, d(2024, 1, 1)).decided(&decision(d(2024, 1, 1))),
        )
        .await
        .unwrap();
        let giang = admitted(&app, "Đỗ Văn Giang", f.cell_a, d(1976, 7, 1)).await; // 50, expelled
        app.record_event(
            &actor(),
            giang,
            NewEvent::simple(EventKind::Disciplined, d(2020, 3, 1))
                .with_discipline(DisciplineForm::KhaiTru)
                .decided(&decision(d(2020, 3, 1))),
        )
        .await
        .unwrap();
        let ha = admitted(&app, "Vũ Thị Hà", f.cell_a, d(1996, 5, 19)).await; // 30 on 19/5
        admitted(&app, "Ngô Văn Ích", f.cell_c, d(1996, 8, 1)).await; // 30, but in the other đảng bộ
        let khoa = admitted(&app, "Lý Văn Khoa", f.cell_b, d(1977, 1, 10)).await;
        app.record_event(
            &actor(),
            khoa,
            NewEvent::simple(EventKind::Died, d(2026, 3, 10)),
        )
        .await
        .unwrap();

        // By hand: Dung 50 (exempt members are eligible), Bình 40, An 30; not Cường (7/11),
        // not Giang (expelled), not Hà (19/5), not Ích (g2), not Khoa (died).
        let list = app.badge_list(&actor(), f.g1, sept).await.unwrap();
        let got: Vec<(&str, u32)> = list
            .lines
            .iter()
            .map(|l| (l.name.as_str(), l.years))
            .collect();
        assert_eq!(
            got,
            [
                ("Phạm Thị Dung", 50),
                ("Trần Thị Bình", 40),
                ("Nguyễn Văn An", 30)
            ]
        );
        assert_eq!(list.lines[2].reach_on, Some(d(2026, 7, 15)));
        assert_eq!(list.lines[1].seniority, 40 * 12);
        assert_eq!(list.counts(), [(50, 1), (40, 1), (30, 1)]);
        let e = app
            .badge_list(&actor(), f.g1, d(2026, 9, 3))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "badge_day");

        // The whole list proposed at once, then the exceptions one by one.
        assert_eq!(
            app.propose_badges(&actor(), f.g1, sept, vec![])
                .await
                .unwrap(),
            3
        );
        let e = app
            .propose_badges(
                &actor(),
                f.g1,
                sept,
                vec![proposal(an, 30, BadgeException::None, "")],
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "badge_already");
        let e = app
            .propose_badges(
                &actor(),
                f.g1,
                sept,
                vec![proposal(cuong, 45, BadgeException::SeriouslyIll, "")],
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("reason", "required")]);
        let e = app
            .propose_badges(
                &actor(),
                f.g1,
                sept,
                vec![proposal(cuong, 45, BadgeException::None, "")],
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "badge_not_reached");
        let n = app
            .propose_badges(
                &actor(),
                f.g1,
                sept,
                vec![
                    proposal(
                        cuong,
                        45,
                        BadgeException::SeriouslyIll,
                        "Ốm nặng, điều trị dài ngày",
                    ),
                    proposal(
                        khoa,
                        50,
                        BadgeException::Posthumous,
                        "Từ trần ngày 10/3/2026",
                    ),
                    proposal(ha, 30, BadgeException::Missed, "Bổ sung đợt 19/5"),
                ],
            )
            .await
            .unwrap();
        assert_eq!(n, 3);
        let list = app.badge_list(&actor(), f.g1, sept).await.unwrap();
        assert_eq!(list.lines.len(), 6);
        assert!(list.lines.iter().all(|l| {
            l.badge
                .as_ref()
                .is_some_and(|b| b.status == BadgeStatus::Proposed)
        }));
        let khoa_line = list.lines.iter().find(|l| l.member == khoa).unwrap();
        assert_eq!(khoa_line.exception, BadgeException::Posthumous);
        assert_eq!(khoa_line.reach_on, Some(d(2027, 1, 10)));

        // Approval needs the whole decision.
        let e = app
            .approve_badges(
                &actor(),
                f.g1,
                sept,
                &Decision {
                    body: None,
                    ..decision(d(2026, 6, 1))
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "decision_incomplete");
        assert_eq!(
            app.approve_badges(&actor(), f.g1, sept, &decision(d(2026, 6, 1)))
                .await
                .unwrap(),
            6
        );

        // Scope: the other đảng bộ's secretary sees no list, proposes nobody, presents nothing.
        let other = signed_in(&app, "bithu_g2", Role::Secretary, f.g2).await;
        let e = app.badge_list(&other, f.g1, sept).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
        let e = app
            .propose_badges(
                &other,
                f.g2,
                sept,
                vec![proposal(an, 30, BadgeException::None, "")],
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");
        let badge = app.badges_of(&actor(), binh).await.unwrap()[0].clone();
        let e = app
            .present_badge(&other, badge.id, "QN100001", d(2026, 6, 10))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("badge")), "{e:?}");
        // A withdrawn proposal is kept as cancelled.
        app.return_badge(
            &actor(),
            badge.id,
            &closing(d(2026, 6, 12), "Gia đình xin trao vào dịp khác"),
        )
        .await
        .unwrap();
        assert_eq!(
            app.badges_of(&actor(), binh).await.unwrap()[0].status,
            BadgeStatus::Cancelled
        );
    });
}

#[tokio::test]
async fn a_badge_is_presented_with_its_number_and_returned_after_expulsion() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let may = d(2026, 5, 19);
        let ha = admitted(&app, "Vũ Thị Hà", f.cell_a, d(1996, 5, 19)).await;
        let lan = admitted(&app, "Mai Thị Lan", f.cell_a, d(1981, 4, 1)).await; // 45 on 1/4/2026
        assert_eq!(
            app.propose_badges(&actor(), f.g1, may, vec![])
                .await
                .unwrap(),
            2
        );
        app.approve_badges(&actor(), f.g1, may, &decision(d(2026, 5, 10)))
            .await
            .unwrap();
        let of = |m| {
            let app = app.clone();
            async move { app.badges_of(&actor(), m).await.unwrap()[0].clone() }
        };
        let (b_ha, b_lan) = (of(ha).await, of(lan).await);
        // The 45-year badge's number has E before its digits; a number is used once.
        let e = app
            .present_badge(&actor(), b_lan.id, "QN 200001", may)
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("badge_number", "badge_number_format")]);
        app.present_badge(&actor(), b_lan.id, "QN E200001", may)
            .await
            .unwrap();
        let e = app
            .present_badge(&actor(), b_ha.id, "QNE200001", may)
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("badge_number", "badge_number_format")]);
        app.present_badge(&actor(), b_ha.id, "QN200001", may)
            .await
            .unwrap();
        assert_eq!(of(lan).await.number.as_deref(), Some("QNE200001"));
        assert_eq!(of(ha).await.status, BadgeStatus::Presented);
        let e = app
            .return_badge(&actor(), b_ha.id, &closing(d(2026, 6, 1), "Thu hồi"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "badge_holder_not_expelled");
        // Hà is expelled: her badge is listed for return until it is returned.
        app.record_event(
            &actor(),
            ha,
            NewEvent::simple(EventKind::Disciplined, d(2026, 6, 5))
                .with_discipline(DisciplineForm::KhaiTru)
                .decided(&decision(d(2026, 6, 5))),
        )
        .await
        .unwrap();
        let list = app.badge_list(&actor(), f.g1, may).await.unwrap();
        assert_eq!(list.to_return.len(), 1);
        assert_eq!(list.to_return[0].member, ha);
        app.return_badge(
            &actor(),
            b_ha.id,
            &closing(d(2026, 6, 10), "Đã thu hồi theo quy định"),
        )
        .await
        .unwrap();
        let list = app.badge_list(&actor(), f.g1, may).await.unwrap();
        assert!(list.to_return.is_empty());
        assert_eq!(of(ha).await.returned_on, Some(d(2026, 6, 10)));
    });
}

/// The demo's badges: the ward's 2/9 list approved, its 7/11 list proposed.
pub(crate) async fn check_demo_badges(app: &App) {
    let today = d(2026, 6, 15);
    let tree = app.tree(&actor(), today).await.unwrap();
    let mut sept = Vec::new();
    let mut nov = Vec::new();
    for w in tree
        .nodes
        .iter()
        .filter(|n| n.kind == dangvu_domain::org::OrgKind::DangBoXa)
    {
        sept.extend(
            app.badge_list(&actor(), w.id, d(2026, 9, 2))
                .await
                .unwrap()
                .lines,
        );
        nov.extend(
            app.badge_list(&actor(), w.id, d(2026, 11, 7))
                .await
                .unwrap()
                .lines,
        );
    }
    assert!(!sept.is_empty() && !nov.is_empty());
    assert!(sept.iter().any(|l| {
        l.badge
            .as_ref()
            .is_some_and(|b| b.status == BadgeStatus::Approved)
    }));
    assert!(nov.iter().any(|l| {
        l.badge
            .as_ref()
            .is_some_and(|b| b.status == BadgeStatus::Proposed)
    }));
}
