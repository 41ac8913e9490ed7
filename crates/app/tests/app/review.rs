//! Scenario tests of the review rules (research.md §1), on every backend.

use dangvu_app::AppError;
use dangvu_app::members::NewEvent;
use dangvu_app::review::MemberDecision;
use dangvu_domain::member::{DisciplineForm, EventKind};
use dangvu_domain::review::{Level, Period};
use dangvu_testkit::{d, on_every_backend};

use super::{actor, fixture, member};

fn level(l: Level) -> MemberDecision {
    MemberDecision {
        level: Some(l),
        ..Default::default()
    }
}

fn rule(e: AppError) -> &'static str {
    e.code()
}

#[tokio::test]
async fn members_are_decided_within_the_register_and_the_quota() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let names = [
            "Nguyễn Văn An",
            "Trần Thị Bình",
            "Lê Văn Cường",
            "Phạm Thị Dung",
            "Hoàng Văn Em",
            "Vũ Thị Giang",
            "Đỗ Văn Hải",
            "Bùi Thị Hoa",
            "Đặng Văn Khoa",
            "Ngô Thị Lan",
        ];
        let mut ids = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let cell = if i % 2 == 0 { f.cell_a } else { f.cell_b };
            ids.push(member(&app, n, cell, d(2010, 1, 1), true).await);
        }
        let disciplined = member(&app, "Cao Văn Phúc", f.cell_a, d(2010, 1, 1), true).await;
        app.record_event(
            &actor(),
            disciplined,
            NewEvent::simple(EventKind::Disciplined, d(2019, 9, 1))
                .with_discipline(DisciplineForm::KhienTrach)
                .with_decision("12-QĐ/ĐU"),
        )
        .await
        .unwrap();
        let late = member(&app, "Lý Thị Quyên", f.cell_b, d(2019, 8, 1), false).await;
        let exempt = member(&app, "Mai Văn Sơn", f.cell_b, d(2000, 1, 1), true).await;
        app.record_event(
            &actor(),
            exempt,
            NewEvent::simple(EventKind::Exempted, d(2015, 1, 1)),
        )
        .await
        .unwrap();

        let period = app
            .open_review(&actor(), f.city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        // R25: disciplined in the year — KHT at best, the rule named.
        let e = app
            .decide_member(&actor(), period, disciplined, level(Level::Htt))
            .await
            .unwrap_err();
        assert_eq!(rule(e), "disciplined_in_period");
        app.decide_member(&actor(), period, disciplined, level(Level::Kht))
            .await
            .unwrap();
        // R24: admitted 5 months before year-end, and exempt: not classified, with the reason.
        let e = app
            .decide_member(&actor(), period, late, level(Level::Htt))
            .await
            .unwrap_err();
        assert_eq!(rule(e), "not_classified_admitted_late");
        app.decide_member(&actor(), period, late, MemberDecision::default())
            .await
            .unwrap();
        app.decide_member(&actor(), period, exempt, MemberDecision::default())
            .await
            .unwrap();
        let e = app
            .decide_member(&actor(), period, ids[0], MemberDecision::default())
            .await
            .unwrap_err();
        assert_eq!(
            e.fields()[0].field,
            "level",
            "a classified member needs a level"
        );
        // R27 in g1 (HTT or better as the base): 3 HTXS of 10 is over the cap of 2, in
        // whatever order the levels are given; the lock asks for the override's reason.
        for (i, m) in ids.iter().enumerate() {
            let l = if i < 3 { Level::Htxs } else { Level::Htt };
            app.decide_member(&actor(), period, *m, level(l))
                .await
                .unwrap();
        }
        let q = app.quota_status(&actor(), period).await.unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(
            (q[0].0, q[0].1.htxs, q[0].1.cap, q[0].1.exceeded),
            (f.g1, 3, 2, true)
        );
        let e = app.lock_review(&actor(), period, &[]).await.unwrap_err();
        assert_eq!(rule(e), "quota_exceeded");
        // The counts are a recount of the decisions.
        let c = app.member_counts(&actor(), period).await.unwrap();
        assert_eq!(c.levels.0, [3, 7, 0, 1]);
        assert_eq!(c.not_classified.get("admitted_late"), Some(&1));
        assert_eq!(c.not_classified.get("exempt"), Some(&1));
        app.lock_review(
            &actor(),
            period,
            &[(f.g1, "Thành tích đột xuất được tỉnh khen".into())],
        )
        .await
        .unwrap();
        let e = app
            .decide_member(&actor(), period, ids[3], level(Level::Ht))
            .await
            .unwrap_err();
        assert_eq!(rule(e), "review_locked");
        // The override is in the audit trail with its reason.
        let trail = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    action: Some("review.lock".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            trail[0].entry.reason.as_deref(),
            Some("Thành tích đột xuất được tỉnh khen")
        );
        assert!(
            trail[0]
                .entry
                .new_value
                .as_deref()
                .unwrap()
                .contains("\"cap\":2")
        );
        // Under the 2025 rule set a score must give the level (bands 90 / 70 / 50).
        let p2025 = app
            .open_review(&actor(), f.g1, "Năm 2025", Period::year(2025))
            .await
            .unwrap();
        let e = app
            .decide_member(
                &actor(),
                p2025,
                ids[3],
                MemberDecision {
                    level: Some(Level::Htxs),
                    points: Some(85),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(rule(e), "level_not_from_points");
        app.decide_member(
            &actor(),
            p2025,
            ids[3],
            MemberDecision {
                level: Some(Level::Htt),
                points: Some(85),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Before 2018 there is no rule set.
        let e = app
            .open_review(&actor(), f.city, "Năm 2017", Period::year(2017))
            .await
            .unwrap_err();
        assert_eq!(rule(e), "no_rule_set");
    });
}

#[tokio::test]
async fn organisations_are_decided_bottom_up_and_the_report_recounts_every_decision() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let given = ["An", "Bình", "Cường", "Dung", "Em"];
        let mut a = Vec::new();
        let mut b = Vec::new();
        for g in given {
            a.push(
                member(
                    &app,
                    &format!("Nguyễn Văn {g}"),
                    f.cell_a,
                    d(2010, 1, 1),
                    true,
                )
                .await,
            );
            b.push(
                member(
                    &app,
                    &format!("Trần Thị {g}"),
                    f.cell_b,
                    d(2010, 1, 1),
                    true,
                )
                .await,
            );
        }
        let c1 = member(&app, "Lê Văn Hùng", f.cell_c, d(2010, 1, 1), true).await;
        let period = app
            .open_review(&actor(), f.city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        // Bottom-up: a cell before its members is refused.
        let e = app
            .decide_org(&actor(), period, f.cell_a, Some(Level::Htt), None)
            .await
            .unwrap_err();
        assert_eq!(rule(e), "subordinates_undecided");
        for (i, m) in a.iter().enumerate() {
            let l = if i == 0 { Level::Htxs } else { Level::Htt };
            app.decide_member(&actor(), period, *m, level(l))
                .await
                .unwrap();
        }
        for (i, m) in b.iter().enumerate() {
            let l = if i < 2 { Level::Htt } else { Level::Ht };
            app.decide_member(&actor(), period, *m, level(l))
                .await
                .unwrap();
        }
        app.decide_member(&actor(), period, c1, level(Level::Htt))
            .await
            .unwrap();
        // R26: cell A has every member HTT or better; cell B only 40 %.
        app.decide_org(&actor(), period, f.cell_a, Some(Level::Htxs), None)
            .await
            .unwrap();
        let e = app
            .decide_org(&actor(), period, f.cell_b, Some(Level::Htxs), None)
            .await
            .unwrap_err();
        assert_eq!(rule(e), "subordinates_below_htxs_condition");
        // A grassroots đảng bộ waits for its cells.
        let e = app
            .decide_org(&actor(), period, f.g1, Some(Level::Htt), None)
            .await
            .unwrap_err();
        assert_eq!(rule(e), "subordinates_undecided");
        app.decide_org(&actor(), period, f.cell_b, Some(Level::Ht), None)
            .await
            .unwrap();
        app.decide_org(&actor(), period, f.cell_c, Some(Level::Htt), None)
            .await
            .unwrap();
        // 1 of 2 cells HTT or better: not HTXS.
        let e = app
            .decide_org(&actor(), period, f.g1, Some(Level::Htxs), None)
            .await
            .unwrap_err();
        assert_eq!(rule(e), "subordinates_below_htxs_condition");
        // The grassroots secretary cannot decide her own organisation: its superior does.
        dangvu_testkit::user_with(
            &app,
            "bithu.g1",
            dangvu_domain::access::Role::Secretary,
            Some(f.g1),
            None,
        )
        .await;
        let s = app
            .sign_in("bithu.g1", dangvu_testkit::TEST_PASSWORD, None)
            .await
            .unwrap();
        let sec = app
            .session(&s.token, None, dangvu_app::auth::SessionPolicy::default())
            .await
            .unwrap()
            .unwrap()
            .actor;
        assert!(
            app.decide_org(&sec, period, f.g1, Some(Level::Htt), None)
                .await
                .is_err()
        );
        app.decide_org(&actor(), period, f.g1, Some(Level::Htt), Some("30-QĐ/TU"))
            .await
            .unwrap();
        app.decide_org(&actor(), period, f.g2, Some(Level::Htxs), None)
            .await
            .unwrap();
        let r = app
            .classification_report(&actor(), period, Default::default())
            .await
            .unwrap();
        assert_eq!(r.grassroots_dang_bo.0, [1, 1, 0, 0]);
        assert_eq!(r.cells.0, [1, 1, 1, 0]);
        assert_eq!(r.members.levels.0, [1, 7, 3, 0]);
        assert_eq!(
            r.paragraph,
            "Năm 2019, Đảng bộ TP Uông Bí có 2/2 cơ sở đảng hoàn thành tốt nhiệm vụ; trong đó 1 cơ sở hoàn thành xuất sắc nhiệm vụ; 1 chi bộ hoàn thành xuất sắc nhiệm vụ; 1 chi bộ hoàn thành tốt nhiệm vụ; 1 chi bộ hoàn thành nhiệm vụ; 0 chi bộ không hoàn thành nhiệm vụ; 1 đảng viên hoàn thành xuất sắc nhiệm vụ; 7 đảng viên hoàn thành tốt nhiệm vụ; 3 đảng viên hoàn thành nhiệm vụ; 0 đảng viên không hoàn thành nhiệm vụ."
        );
    });
}

/// The demo's 2018 review (loaded with the demo) regenerates the article's paragraph; called
/// by the demo test on every backend.
pub async fn check_demo_review(app: &dangvu_app::App, city: dangvu_domain::ids::OrgId) {
    let periods = app.reviews_of(&actor(), city).await.unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].status, "locked");
    assert_eq!(periods[0].rule_set, "2018");
    let period = periods[0].id;
    let r = app
        .classification_report(&actor(), period, Default::default())
        .await
        .unwrap();
    assert_eq!(
        r.paragraph,
        "Năm 2018, Đảng bộ TP Uông Bí có 45/50 cơ sở đảng hoàn thành tốt nhiệm vụ; trong đó 9 cơ sở hoàn thành xuất sắc nhiệm vụ; 67 chi bộ hoàn thành xuất sắc nhiệm vụ; 218 chi bộ hoàn thành tốt nhiệm vụ; 14 chi bộ hoàn thành nhiệm vụ; 3 chi bộ không hoàn thành nhiệm vụ; 1.025 đảng viên hoàn thành xuất sắc nhiệm vụ; 4.942 đảng viên hoàn thành tốt nhiệm vụ; 561 đảng viên hoàn thành nhiệm vụ; 35 đảng viên không hoàn thành nhiệm vụ."
    );
    // The other 5 grassroots organisations: 4 HT and 1 KHT, all chi bộ cơ sở.
    assert_eq!(r.grassroots_dang_bo.0[2..], [0, 0]);
    assert_eq!(r.grassroots_cells.0[2..], [4, 1]);
    assert_eq!(r.members.not_classified.get("exempt"), Some(&88));
    assert_eq!(r.members.not_classified.get("admitted_late"), Some(&27));
    // Every member quota holds without an override.
    assert!(
        app.quota_status(&actor(), period)
            .await
            .unwrap()
            .iter()
            .all(|(_, q)| !q.exceeded)
    );
}
