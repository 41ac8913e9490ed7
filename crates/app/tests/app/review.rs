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
