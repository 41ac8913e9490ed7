//! The member's path and its deadlines: the working-day calendar (R7, R8, R10) and events
//! corrected (R15).

use dangvu_app::AppError;
use dangvu_app::decisions::NewDecision;
use dangvu_app::members::{EventFix, NewEvent};
use dangvu_domain::access::Role;
use dangvu_domain::calendar::{DayKind, DueState};
use dangvu_domain::decision::{Decision, DecisionKind};
use dangvu_domain::member::{EventKind, Status};
use dangvu_testkit::{TEST_PASSWORD, d, on_every_backend, user_with};

use super::{actor, field_codes, fixture, member};

#[tokio::test]
async fn the_calendar_counts_tet_and_an_administrators_days_and_only_she_may_change_it() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        // A deadline across Tết 2026 (R7: the decision within 60 working days).
        assert_eq!(
            app.deadline(d(2026, 2, 2), 60).await.unwrap(),
            d(2026, 5, 7)
        );
        let y = app.calendar_year(2026).await.unwrap();
        assert!(y.known);
        assert!(
            y.days
                .iter()
                .any(|x| x.day == d(2026, 2, 17) && x.kind == DayKind::Off)
        );

        // The government moves a day: the administrator records it and the deadline follows.
        app.set_calendar_day(
            &actor(),
            d(2026, 4, 29),
            Some(DayKind::Off),
            "Thông báo hoán đổi",
        )
        .await
        .unwrap();
        app.set_calendar_day(&actor(), d(2026, 5, 9), Some(DayKind::Work), "làm bù")
            .await
            .unwrap();
        assert_eq!(
            app.deadline(d(2026, 2, 2), 60).await.unwrap(),
            d(2026, 5, 8)
        );
        let y = app.calendar_year(2026).await.unwrap();
        let moved = y.days.iter().find(|x| x.day == d(2026, 4, 29)).unwrap();
        assert_eq!(moved.changed_by.as_deref(), Some("kiểm thử"));
        assert_eq!(moved.note, "Thông báo hoán đổi");
        // Back to the week's rule.
        app.set_calendar_day(&actor(), d(2026, 4, 29), None, "bỏ hoán đổi")
            .await
            .unwrap();
        assert_eq!(
            app.deadline(d(2026, 2, 2), 60).await.unwrap(),
            d(2026, 5, 7)
        );

        // Refusals, each naming its field.
        let e = app
            .set_calendar_day(&actor(), d(2026, 5, 9), Some(DayKind::Work), "làm bù")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("kind", "unchanged")]);
        let e = app
            .set_calendar_day(&actor(), d(2026, 6, 1), Some(DayKind::Off), "  ")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("note", "required")]);
        let e = app
            .set_calendar_day(&actor(), d(1990, 6, 1), Some(DayKind::Off), "xa quá")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("day", "invalid")]);
        let e = app.deadline(d(2026, 1, 1), 5_000).await.unwrap_err();
        assert_eq!(field_codes(&e), vec![("days", "too_large")]);

        // An officer reads the calendar but may not change it.
        user_with(&app, "bantochuc", Role::Officer, Some(f.city), None).await;
        let s = app.sign_in("bantochuc", TEST_PASSWORD, None).await.unwrap();
        let officer = app
            .session(&s.token, None, dangvu_app::auth::SessionPolicy::default())
            .await
            .unwrap()
            .unwrap()
            .actor;
        assert!(app.calendar_year(2026).await.is_ok());
        let e = app
            .set_calendar_day(&officer, d(2026, 6, 1), Some(DayKind::Off), "thử")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
        assert!(app.calendar().await.unwrap().is_working(d(2026, 6, 1)));

        // Every change is in the trail with its note.
        let trail = app
            .audit_trail(&actor(), &dangvu_app::trail::TrailFilter::default())
            .await
            .unwrap();
        let changes: Vec<_> = trail
            .iter()
            .filter(|r| r.entry.action == "calendar.day")
            .collect();
        assert_eq!(changes.len(), 3);
        assert!(
            changes
                .iter()
                .any(|r| r.entry.reason.as_deref() == Some("bỏ hoán đổi"))
        );
    });
}

fn decision() -> Decision {
    Decision {
        reference: Some("15-QĐ/ĐU".into()),
        date: Some(d(2024, 3, 1)),
        body: Some("Ban Thường vụ Đảng ủy".into()),
    }
}

#[tokio::test]
async fn a_mistaken_died_is_cancelled_and_later_events_come_in_again() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let died = app
            .record_event(
                &actor(),
                an,
                NewEvent::simple(EventKind::Died, d(2024, 1, 10)),
            )
            .await
            .unwrap();
        // A died blocks every later event.
        let e = app
            .record_event(
                &actor(),
                an,
                NewEvent::simple(EventKind::Exempted, d(2024, 6, 1)),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "member_died");
        let on_rolls = |app: dangvu_app::App| async move {
            app.list_members(&actor(), f.cell_a, d(2024, 5, 1), None, 1, 50)
                .await
                .unwrap()
                .total
        };
        assert_eq!(on_rolls(app.clone()).await, 0);

        // Refused without the whole decision and a reason; nothing changes.
        let e = app
            .correct_event(
                &actor(),
                an,
                died,
                EventFix {
                    replacement: None,
                    reason: "".into(),
                    decision: Decision::reference("15-QĐ/ĐU"),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![
                ("reason", "required"),
                ("decided_on", "required"),
                ("decided_by", "required")
            ]
        );
        assert_eq!(on_rolls(app.clone()).await, 0);

        // Cancelled: she is on the rolls again and a later event comes in.
        let fix = EventFix {
            replacement: None,
            reason: "Ghi nhầm đảng viên khác".into(),
            decision: decision(),
        };
        assert_eq!(
            app.correct_event(&actor(), an, died, fix.clone())
                .await
                .unwrap(),
            None
        );
        assert_eq!(on_rolls(app.clone()).await, 1);
        app.record_event(
            &actor(),
            an,
            NewEvent::simple(EventKind::Exempted, d(2024, 6, 1)),
        )
        .await
        .unwrap();
        let v = app.member(&actor(), an, d(2024, 7, 1)).await.unwrap();
        assert_eq!(v.state.status, Status::Exempt);
        assert!(v.events.iter().all(|e| e.event.kind != EventKind::Died));
        let (gone, why) = &v.voided[0];
        assert_eq!((gone.id, gone.event.kind), (died, EventKind::Died));
        assert_eq!(why.reason, "Ghi nhầm đảng viên khác");
        assert_eq!(why.decision, decision());
        // A voided event cannot be corrected again.
        let e = app
            .correct_event(&actor(), an, died, fix)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("event")), "{e:?}");
    });
}

#[tokio::test]
async fn an_event_is_replaced_by_the_right_one_and_a_cancel_that_breaks_the_timeline_is_refused() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        let moved = app
            .record_event(
                &actor(),
                binh,
                NewEvent::simple(EventKind::MovedCell, d(2023, 5, 1)).with_org(f.cell_b),
            )
            .await
            .unwrap();
        // The move was to cell C, not B.
        let replacement = NewEvent::simple(EventKind::MovedCell, d(2023, 5, 1)).with_org(f.cell_c);
        let new = app
            .correct_event(
                &actor(),
                binh,
                moved,
                EventFix {
                    replacement: Some(replacement),
                    reason: "Ghi nhầm chi bộ".into(),
                    decision: decision(),
                },
            )
            .await
            .unwrap()
            .expect("a replacement");
        let count = |org| {
            let app = app.clone();
            async move {
                app.list_members(&actor(), org, d(2023, 6, 1), None, 1, 50)
                    .await
                    .unwrap()
                    .total
            }
        };
        assert_eq!((count(f.cell_b).await, count(f.cell_c).await), (0, 1));
        let v = app.member(&actor(), binh, d(2023, 6, 1)).await.unwrap();
        assert_eq!(v.state.cell, Some(f.cell_c));
        let kept = v.events.iter().find(|e| e.id == new).unwrap();
        assert_eq!(
            kept.decision_ref.as_deref(),
            Some("15-QĐ/ĐU"),
            "the correction's decision"
        );
        assert_eq!(v.voided[0].1.replacement, Some(new));

        // Cancelling the admission would leave a move without a member: refused, nothing lost.
        let admitted = v
            .events
            .iter()
            .find(|e| e.event.kind == EventKind::Admitted)
            .unwrap()
            .id;
        let e = app
            .correct_event(
                &actor(),
                binh,
                admitted,
                EventFix {
                    replacement: None,
                    reason: "thử".into(),
                    decision: decision(),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("event", "cancel_breaks_timeline")]);
        assert_eq!(count(f.cell_c).await, 1);

        // Outside the actor's scope, the member does not exist.
        user_with(&app, "bithu_b", Role::Secretary, Some(f.cell_b), None).await;
        let s = app.sign_in("bithu_b", TEST_PASSWORD, None).await.unwrap();
        let other = app
            .session(&s.token, None, dangvu_app::auth::SessionPolicy::default())
            .await
            .unwrap()
            .unwrap()
            .actor;
        let e = app
            .correct_event(
                &other,
                binh,
                new,
                EventFix {
                    replacement: None,
                    reason: "thử".into(),
                    decision: decision(),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");
    });
}

#[tokio::test]
async fn decisions_are_numbered_per_committee_and_year_in_the_partys_form() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let issue = |issuer, on, kind, summary: &str, member| {
            let app = app.clone();
            let input = NewDecision {
                issuer,
                kind,
                signed_on: on,
                subject: summary.into(),
                member,
                signer: Some("Bí thư".into()),
                abbreviation: None,
            };
            async move { app.issue_decision(&actor(), input).await }
        };
        let a = issue(
            f.g1,
            d(2024, 3, 1),
            DecisionKind::Admission,
            "Kết nạp đảng viên",
            Some(an),
        )
        .await
        .unwrap();
        let b = issue(
            f.g1,
            d(2024, 5, 2),
            DecisionKind::Official,
            "Công nhận chính thức",
            None,
        )
        .await
        .unwrap();
        let c = issue(
            f.g1,
            d(2025, 1, 3),
            DecisionKind::Other,
            "Quyết định đầu năm",
            None,
        )
        .await
        .unwrap();
        let other = issue(
            f.g2,
            d(2024, 6, 1),
            DecisionKind::Discipline,
            "Kỷ luật",
            None,
        )
        .await
        .unwrap();
        assert_eq!(a.decision.reference.as_deref(), Some("1-QĐ/ĐU"));
        assert_eq!(b.decision.reference.as_deref(), Some("2-QĐ/ĐU"));
        assert_eq!(
            c.decision.reference.as_deref(),
            Some("1-QĐ/ĐU"),
            "a new year starts at 1"
        );
        assert_eq!(other.number, 1, "each committee numbers its own");
        assert_eq!(a.decision.date, Some(d(2024, 3, 1)));
        assert!(a.decision.is_complete(), "{:?}", a.decision);
        let reg = app.decision_register(&actor(), f.g1, 2024).await.unwrap();
        assert_eq!(
            reg.iter().map(|d| d.reference()).collect::<Vec<_>>(),
            vec!["1-QĐ/ĐU", "2-QĐ/ĐU"]
        );
        let mine = app.decisions_of_member(&actor(), an).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].kind, DecisionKind::Admission);

        // A typed abbreviation, and the refusals, each naming its field.
        let input = NewDecision {
            issuer: f.city,
            kind: DecisionKind::Appointment,
            signed_on: d(2024, 7, 1),
            subject: "Chỉ định bí thư".into(),
            member: None,
            signer: None,
            abbreviation: Some("thu".into()),
        };
        let x = app.issue_decision(&actor(), input.clone()).await.unwrap();
        assert_eq!(x.decision.reference.as_deref(), Some("1-QĐ/THU"));
        let e = app
            .issue_decision(
                &actor(),
                NewDecision {
                    subject: " ".into(),
                    signed_on: d(2099, 1, 1),
                    ..input.clone()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("summary", "required"), ("signed_on", "date_in_future")]
        );
        let e = app
            .issue_decision(
                &actor(),
                NewDecision {
                    signed_on: d(1950, 1, 1),
                    ..input.clone()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("signed_on", "org_not_active")]);

        // Scope: another committee's register, or a member out of sight, does not exist.
        user_with(&app, "bithu_g2", Role::Secretary, Some(f.g2), None).await;
        let s = app.sign_in("bithu_g2", TEST_PASSWORD, None).await.unwrap();
        let g2 = app
            .session(&s.token, None, dangvu_app::auth::SessionPolicy::default())
            .await
            .unwrap()
            .unwrap()
            .actor;
        let e = app.decision_register(&g2, f.g1, 2024).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
        let e = app
            .issue_decision(
                &g2,
                NewDecision {
                    issuer: f.g2,
                    member: Some(an),
                    ..input
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");
        assert_eq!(
            app.decision_register(&g2, f.g2, 2024).await.unwrap().len(),
            1
        );
    });
}

#[tokio::test]
async fn probations_are_due_thirty_working_days_after_twelve_months_and_then_overdue() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let lan = member(&app, "Lê Thị Lan", f.cell_a, d(2025, 1, 20), false).await;
        let minh = member(&app, "Phạm Văn Minh", f.cell_b, d(2025, 6, 2), false).await;
        member(&app, "Hoàng Văn Nam", f.cell_a, d(2010, 1, 1), true).await;
        let on = d(2026, 3, 11);
        let v = app.probations(&actor(), f.g1, on).await.unwrap();
        let got: Vec<_> = v
            .iter()
            .map(|l| (l.member, l.eligible_on, l.due_by, l.state))
            .collect();
        assert_eq!(
            got,
            vec![
                // 30 working days after 20/1/2026, across Tết: 10/3, so overdue on 11/3.
                (lan, d(2026, 1, 20), d(2026, 3, 10), DueState::Overdue),
                (minh, d(2026, 6, 2), d(2026, 7, 14), DueState::NotYet),
            ]
        );
        let v = app
            .probations(&actor(), f.cell_a, d(2026, 2, 1))
            .await
            .unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].state, v[0].cell), (DueState::Due, f.cell_a));
        // Made official late: from the twelve months all the same (R8), and off the list.
        app.record_event(
            &actor(),
            lan,
            NewEvent::simple(EventKind::MadeOfficial, d(2026, 1, 20)),
        )
        .await
        .unwrap();
        let s = app.member(&actor(), lan, on).await.unwrap().state;
        assert_eq!(s.official_on, Some(d(2026, 1, 20)));
        let v = app.probations(&actor(), f.g1, on).await.unwrap();
        assert_eq!(v.iter().map(|l| l.member).collect::<Vec<_>>(), vec![minh]);
    });
}
