//! The member's path and its deadlines: the working-day calendar (R7, R8, R10) and events
//! corrected (R15).

use dangvu_app::AppError;
use dangvu_app::admission::{StepDetails, StepInput};
use dangvu_app::decisions::NewDecision;
use dangvu_app::members::{EventFix, NewEvent};
use dangvu_domain::access::Role;
use dangvu_domain::admission::Stage;
use dangvu_domain::calendar::{DayKind, DueState};
use dangvu_domain::decision::{Decision, DecisionKind};
use dangvu_domain::ids::MemberId;
use dangvu_domain::member::{EventKind, Status};
use dangvu_testkit::{d, on_every_backend, signed_in};

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
        let officer = signed_in(&app, "bantochuc", Role::Officer, f.city).await;
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
                NewEvent::simple(EventKind::Exempted, d(2024, 6, 1)).from_old_file(),
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
            NewEvent::simple(EventKind::Exempted, d(2024, 6, 1)).from_old_file(),
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
        let other = signed_in(&app, "bithu_b", Role::Secretary, f.cell_b).await;
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
            reg.decisions
                .iter()
                .map(|d| d.reference())
                .collect::<Vec<_>>(),
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
        let g2 = signed_in(&app, "bithu_g2", Role::Secretary, f.g2).await;
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
            app.decision_register(&g2, f.g2, 2024)
                .await
                .unwrap()
                .decisions
                .len(),
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
            NewEvent::simple(EventKind::MadeOfficial, d(2026, 1, 20)).from_old_file(),
        )
        .await
        .unwrap();
        let s = app.member(&actor(), lan, on).await.unwrap().state;
        assert_eq!(s.official_on, Some(d(2026, 1, 20)));
        let v = app.probations(&actor(), f.g1, on).await.unwrap();
        assert_eq!(v.iter().map(|l| l.member).collect::<Vec<_>>(), vec![minh]);
    });
}

fn applicant(name: &str, birth: chrono::NaiveDate) -> dangvu_domain::member::MemberRecord {
    dangvu_testkit::record(
        name,
        &[
            ("birth_date", &dangvu_domain::date::iso(birth)),
            ("sex", "female"),
        ],
    )
}

fn step(stage: Stage, on: chrono::NaiveDate, details: StepDetails) -> StepInput {
    StepInput { stage, on, details }
}

#[tokio::test]
async fn a_candidate_goes_from_outstanding_to_probationary_member_through_every_stage() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let helper = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let second = member(&app, "Trần Văn Bình", f.cell_a, d(2001, 1, 1), true).await;
        member(&app, "Lê Văn Cường", f.cell_a, d(2002, 1, 1), true).await;
        let probationary = member(&app, "Phạm Thị Dung", f.cell_a, d(2026, 1, 5), false).await;
        let id = app
            .add_candidate(
                &actor(),
                f.cell_a,
                applicant("Võ Thị Hạnh", d(1998, 4, 2)),
                d(2025, 9, 1),
            )
            .await
            .unwrap();
        // Stages in order only.
        let e = app
            .record_candidate_step(
                &actor(),
                id,
                step(Stage::AwarenessClass, d(2025, 9, 5), StepDetails::default()),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("stage", "stage_out_of_order")]);
        // The helper is an official member of the cell, not a probationary one.
        let e = app
            .record_candidate_step(
                &actor(),
                id,
                step(
                    Stage::Candidate,
                    d(2025, 9, 10),
                    StepDetails {
                        helper: Some(probationary),
                        ..Default::default()
                    },
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("helper", "helper_not_official_of_cell")]
        );
        app.record_candidate_step(
            &actor(),
            id,
            step(
                Stage::Candidate,
                d(2025, 9, 10),
                StepDetails {
                    helper: Some(helper),
                    ..Default::default()
                },
            ),
        )
        .await
        .unwrap();
        let e = app
            .record_candidate_step(
                &actor(),
                id,
                step(
                    Stage::AwarenessClass,
                    d(2025, 9, 9),
                    StepDetails {
                        certificate: Some("123/CN".into()),
                        ..Default::default()
                    },
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("on", "before_previous_stage")]);
        app.record_candidate_step(
            &actor(),
            id,
            step(
                Stage::AwarenessClass,
                d(2025, 10, 20),
                StepDetails {
                    certificate: Some("123/CN".into()),
                    ..Default::default()
                },
            ),
        )
        .await
        .unwrap();
        app.record_candidate_step(
            &actor(),
            id,
            step(Stage::FileComplete, d(2025, 11, 3), StepDetails::default()),
        )
        .await
        .unwrap();
        // One introducer without a union resolution, and too few votes: refused, each named.
        let e = app
            .record_candidate_step(
                &actor(),
                id,
                step(
                    Stage::CellResolution,
                    d(2026, 2, 2),
                    StepDetails {
                        introducers: vec![helper],
                        votes_for: Some(1),
                        votes_against: Some(0),
                        ..Default::default()
                    },
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![
                ("introducers", "introducers_insufficient"),
                ("votes_for", "resolution_not_passed")
            ]
        );
        // The probationary member does not vote: three official members, two thirds is 2.
        app.record_candidate_step(
            &actor(),
            id,
            step(
                Stage::CellResolution,
                d(2026, 2, 2),
                StepDetails {
                    introducers: vec![helper, second],
                    votes_for: Some(2),
                    votes_against: Some(1),
                    ..Default::default()
                },
            ),
        )
        .await
        .unwrap();
        let v = app.candidate(&actor(), id).await.unwrap();
        assert_eq!(v.steps.last().unwrap().1.voters, Some(3));
        // R7: the decision within 60 working days of the resolution, across Tết: 7/5/2026.
        let (deadline, state) = v.due.unwrap();
        assert_eq!(deadline.due_by, d(2026, 5, 7));
        assert_eq!(state, DueState::Overdue, "today is 15/6/2026");
        app.record_candidate_step(
            &actor(),
            id,
            step(
                Stage::GrassrootsResolution,
                d(2026, 2, 10),
                StepDetails::default(),
            ),
        )
        .await
        .unwrap();
        let dec = Decision {
            reference: Some("12-QĐ/ĐU".into()),
            date: Some(d(2026, 3, 2)),
            body: Some("Ban Thường vụ Đảng ủy".into()),
        };
        let e = app
            .record_candidate_step(
                &actor(),
                id,
                step(
                    Stage::Decision,
                    d(2026, 3, 2),
                    StepDetails {
                        decision: Some(Decision::reference("12-QĐ/ĐU")),
                        ..Default::default()
                    },
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("decided_on", "required"), ("decided_by", "required")]
        );
        app.record_candidate_step(
            &actor(),
            id,
            step(
                Stage::Decision,
                d(2026, 3, 2),
                StepDetails {
                    decision: Some(dec.clone()),
                    ..Default::default()
                },
            ),
        )
        .await
        .unwrap();
        let m = app
            .record_candidate_step(
                &actor(),
                id,
                step(
                    Stage::Ceremony,
                    d(2026, 3, 20),
                    StepDetails {
                        place: Some("Hội trường khu 3".into()),
                        ..Default::default()
                    },
                ),
            )
            .await
            .unwrap()
            .expect("the member");
        // She is a probationary member admitted on the decision's day, with her ceremony.
        let v = app.member(&actor(), m, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.record.full_name, "Võ Thị Hạnh");
        assert_eq!(v.state.status, Status::Probationary);
        assert_eq!(v.state.admitted_on, Some(d(2026, 3, 2)));
        assert_eq!(v.state.cell, Some(f.cell_a));
        let admitted = &v.events[0];
        assert_eq!(admitted.decision_ref.as_deref(), Some("12-QĐ/ĐU"));
        assert_eq!(
            admitted.decided_by.as_deref(),
            Some("Ban Thường vụ Đảng ủy")
        );
        assert_eq!(
            admitted.note.as_deref(),
            Some("Lễ kết nạp ngày 20/03/2026 tại Hội trường khu 3")
        );
        let p = app
            .probations(&actor(), f.cell_a, d(2026, 6, 15))
            .await
            .unwrap();
        assert!(
            p.iter()
                .any(|l| l.member == m && l.eligible_on == d(2027, 3, 2))
        );
        let v = app.candidate(&actor(), id).await.unwrap();
        assert_eq!((v.next, v.candidate.member), (None, Some(m)));
        let e = app
            .record_candidate_step(
                &actor(),
                id,
                step(Stage::Ceremony, d(2026, 3, 21), StepDetails::default()),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("stage", "already_admitted")]);
    });
}

#[tokio::test]
async fn the_cell_considers_ages_in_months_and_one_introducer_needs_a_union_resolution() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let b = member(&app, "Trần Văn Bình", f.cell_a, d(2001, 1, 1), true).await;
        let to_file = |name: &str, birth| {
            let app = app.clone();
            let name = name.to_owned();
            async move {
                let id = app
                    .add_candidate(&actor(), f.cell_a, applicant(&name, birth), d(2025, 1, 2))
                    .await
                    .unwrap();
                for (s, on, det) in [
                    (
                        Stage::Candidate,
                        d(2025, 1, 3),
                        StepDetails {
                            helper: Some(a),
                            ..Default::default()
                        },
                    ),
                    (
                        Stage::AwarenessClass,
                        d(2025, 2, 3),
                        StepDetails {
                            certificate: Some("1".into()),
                            ..Default::default()
                        },
                    ),
                    (Stage::FileComplete, d(2025, 3, 3), StepDetails::default()),
                ] {
                    app.record_candidate_step(&actor(), id, step(s, on, det))
                        .await
                        .unwrap();
                }
                id
            }
        };
        let vote =
            |intro: Vec<MemberId>, union: Option<&str>, approval: Option<&str>| StepDetails {
                introducers: intro,
                union_resolution: union.map(str::to_owned),
                over_60_approval: approval.map(str::to_owned),
                votes_for: Some(2),
                votes_against: Some(0),
                ..Default::default()
            };
        // Born 15/3/1966: 59 years 11 months on 1/3/2026, accepted.
        let x = to_file("Đỗ Văn Một", d(1966, 3, 15)).await;
        app.record_candidate_step(
            &actor(),
            x,
            step(
                Stage::CellResolution,
                d(2026, 3, 1),
                vote(vec![a, b], None, None),
            ),
        )
        .await
        .unwrap();
        // 60 years 1 month on 15/4/2026: only with the recorded approval.
        let y = to_file("Đỗ Văn Hai", d(1966, 3, 15)).await;
        let e = app
            .record_candidate_step(
                &actor(),
                y,
                step(
                    Stage::CellResolution,
                    d(2026, 4, 15),
                    vote(vec![a, b], None, None),
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("over_60_approval", "over_60_needs_approval")]
        );
        app.record_candidate_step(
            &actor(),
            y,
            step(
                Stage::CellResolution,
                d(2026, 4, 15),
                vote(vec![a, b], None, Some("Công văn 5-CV/TU")),
            ),
        )
        .await
        .unwrap();
        // One introducer: refused alone, accepted with the Youth Union's resolution.
        let z = to_file("Đỗ Thị Ba", d(2000, 1, 1)).await;
        let e = app
            .record_candidate_step(
                &actor(),
                z,
                step(
                    Stage::CellResolution,
                    d(2026, 4, 1),
                    vote(vec![a], None, None),
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("introducers", "introducers_insufficient")]
        );
        app.record_candidate_step(
            &actor(),
            z,
            step(
                Stage::CellResolution,
                d(2026, 4, 1),
                vote(vec![a], Some("NQ 3-NQ/ĐTN"), None),
            ),
        )
        .await
        .unwrap();
        // The list: the people of the subtree, with the next stage and its deadline.
        let l = app.candidates(&actor(), f.g1).await.unwrap().people;
        assert_eq!(l.len(), 3);
        assert!(
            l.iter()
                .all(|v| v.next == Some(Stage::GrassrootsResolution))
        );
        // Outside the scope, a person of the register does not exist.
        let other = signed_in(&app, "bithu_b2", Role::Secretary, f.cell_b).await;
        let e = app.candidate(&other, z).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("candidate")), "{e:?}");
        let e = app
            .record_candidate_step(
                &other,
                z,
                step(
                    Stage::GrassrootsResolution,
                    d(2026, 4, 2),
                    StepDetails::default(),
                ),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("candidate")), "{e:?}");
    });
}

/// The demo's admission work: a person at every stage in one ward's cell, the decision of the
/// one past the grassroots resolution overdue; probationary members due; the city's numbered
/// decisions of 2018; a transfer waiting to be accepted and a temporary stay overrun.
pub(crate) async fn check_demo_lifecycle(app: &dangvu_app::App, city: dangvu_domain::ids::OrgId) {
    let today = d(2026, 6, 15);
    let reg = app.decision_register(&actor(), city, 2018).await.unwrap();
    assert_eq!(
        reg.decisions
            .iter()
            .map(|d| d.reference())
            .collect::<Vec<_>>(),
        vec!["1-QĐ/THU", "2-QĐ/THU", "3-QĐ/THU", "4-QĐ/THU"]
    );
    let tree = app.tree(&actor(), today).await.unwrap();
    let wards: Vec<_> = tree
        .nodes
        .iter()
        .filter(|n| n.name.starts_with("Đảng bộ phường"))
        .collect();
    let mut people = Vec::new();
    let mut probations = Vec::new();
    for w in &wards {
        people.extend(app.candidates(&actor(), w.id).await.unwrap().people);
        probations.extend(app.probations(&actor(), w.id, today).await.unwrap());
    }
    let mut stages: Vec<_> = people.iter().map(|v| v.candidate.stage).collect();
    stages.sort();
    assert_eq!(stages, Stage::ALL.to_vec(), "one person at every stage");
    assert!(
        people
            .iter()
            .any(|v| v.due.is_some_and(|(_, s)| s == DueState::Overdue))
    );
    let admitted = people
        .iter()
        .find(|v| v.candidate.stage == Stage::Ceremony)
        .unwrap();
    assert!(admitted.candidate.member.is_some());
    assert!(
        probations.iter().any(|l| l.state == DueState::Due),
        "a probation due this month"
    );
    // A transfer waiting to be accepted, and a temporary stay overrun (R10).
    let mut open = Vec::new();
    for root in tree.nodes.iter().filter(|n| n.parent.is_none()) {
        open.extend(app.transfers(&actor(), root.id, today).await.unwrap().lines);
    }
    use dangvu_domain::transfer::TransferStatus;
    assert!(
        open.iter()
            .any(|l| l.transfer.status == TransferStatus::Pending
                && l.clock.state == Some(DueState::Due))
    );
    assert!(
        open.iter()
            .any(|l| l.transfer.status == TransferStatus::Away
                && l.clock.state == Some(DueState::Overdue))
    );
}

#[tokio::test]
async fn cach_chuc_ends_the_positions_and_a_small_organisation_is_warned() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        member(&app, "Trần Văn Bình", f.cell_a, d(2001, 1, 1), true).await;
        app.appoint(
            &actor(),
            f.cell_a,
            &dangvu_app::orgs::Appointment::new(
                an,
                dangvu_domain::org::Position::BiThu,
                "2025–2030",
                d(2025, 1, 1),
                None,
            ),
        )
        .await
        .unwrap();
        let v = app.org(&actor(), f.cell_a, d(2026, 1, 1)).await.unwrap();
        assert_eq!(v.committee.len(), 1);
        // Two official members: fewer than R3's three.
        assert_eq!(
            v.warnings(),
            vec![dangvu_domain::org::OrgWarning::TooFewOfficial]
        );
        app.record_event(
            &actor(),
            an,
            NewEvent::simple(EventKind::Disciplined, d(2026, 2, 1))
                .from_old_file()
                .with_discipline(dangvu_domain::member::DisciplineForm::CachChuc),
        )
        .await
        .unwrap();
        let v = app.org(&actor(), f.cell_a, d(2026, 3, 1)).await.unwrap();
        assert!(v.committee.is_empty(), "cách chức ends her position (R4)");
        let v = app.org(&actor(), f.cell_a, d(2026, 1, 15)).await.unwrap();
        assert_eq!(v.committee.len(), 1, "she held it until then");
    });
}

#[tokio::test]
async fn a_canh_cao_of_an_organisation_makes_its_collective_kht() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let dec = Decision {
            reference: Some("25-QĐ/TU".into()),
            date: Some(d(2023, 4, 3)),
            body: Some("Ban Thường vụ Thành ủy".into()),
        };
        let form = dangvu_domain::org::OrgDiscipline::CanhCao;
        // Refusals: no reason, an incomplete decision.
        let e = app
            .discipline_org(&actor(), f.g1, form, &Decision::reference("25-QĐ/TU"), "")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("reason", "required")]);
        let e = app
            .discipline_org(
                &actor(),
                f.g1,
                form,
                &Decision::reference("25-QĐ/TU"),
                "Vi phạm",
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("decided_on", "required"), ("decided_by", "required")]
        );
        app.discipline_org(&actor(), f.g1, form, &dec, "Buông lỏng lãnh đạo")
            .await
            .unwrap();
        let list = app.org_disciplines(&actor(), f.g1).await.unwrap();
        assert_eq!((list.len(), list[0].form), (1, form));
        // R26: the collective of a disciplined organisation is KHT at best that year.
        let p2023 = app
            .open_review(
                &actor(),
                f.city,
                "Năm 2023",
                dangvu_domain::review::Period::year(2023),
            )
            .await
            .unwrap();
        let e = app
            .decide_collective(
                &actor(),
                p2023,
                f.g1,
                dangvu_domain::review::Level::Ht,
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "collective_disciplined");
        app.decide_collective(
            &actor(),
            p2023,
            f.g1,
            dangvu_domain::review::Level::Kht,
            None,
        )
        .await
        .unwrap();
        // The year after, it is not.
        let p2024 = app
            .open_review(
                &actor(),
                f.city,
                "Năm 2024",
                dangvu_domain::review::Period::year(2024),
            )
            .await
            .unwrap();
        app.decide_collective(
            &actor(),
            p2024,
            f.g1,
            dangvu_domain::review::Level::Htt,
            None,
        )
        .await
        .unwrap();
        // The secretary of a cell may not discipline her own đảng bộ: its superior decides.
        let g1 = signed_in(&app, "bithu_g1", Role::Secretary, f.g1).await;
        let e = app
            .discipline_org(&g1, f.g1, form, &dec, "thử")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
        let e = app
            .discipline_org(&g1, f.g2, form, &dec, "thử")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
    });
}

#[tokio::test]
async fn two_kht_years_in_a_row_flag_a_member_for_her_cell_under_r11() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let mut conn = db.store.begin().await.unwrap();
        for (year, level) in [
            (2021, dangvu_domain::review::Level::Kht),
            (2022, dangvu_domain::review::Level::Ht),
            (2023, dangvu_domain::review::Level::Kht),
            (2024, dangvu_domain::review::Level::Kht),
        ] {
            let p = dangvu_store::reviews::insert_period(
                &mut conn,
                f.city,
                &format!("Năm {year}"),
                dangvu_domain::review::Period::year(year),
                "hd21_2019",
                "2026-01-01T00:00:00Z",
            )
            .await
            .unwrap();
            dangvu_store::reviews::put_decision(
                &mut conn,
                &dangvu_store::reviews::Decision {
                    period_id: p,
                    subject_kind: "member".into(),
                    subject_id: an.0,
                    grassroots: Some(f.g1),
                    unit: Some(f.cell_a),
                    level: Some(level),
                    not_classified: None,
                    points: None,
                    decision_ref: None,
                    decided_at: "2026-01-01T00:00:00Z".into(),
                    decided_by: "kiểm thử".into(),
                },
            )
            .await
            .unwrap();
        }
        conn.commit().await.unwrap();
        let v = app.member(&actor(), an, d(2026, 6, 15)).await.unwrap();
        assert_eq!(
            v.flags,
            vec![dangvu_app::views::MemberFlag {
                rule: "R11",
                code: "kht_two_years",
                year: 2023
            }]
        );
        // Seen as of 2024, before the 2024 review, nothing is flagged.
        let v = app.member(&actor(), an, d(2024, 6, 1)).await.unwrap();
        assert!(v.flags.is_empty(), "{:?}", v.flags);
    });
}

#[tokio::test]
async fn an_event_that_takes_effect_by_a_decision_carries_it_unless_the_file_is_old() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let warn = NewEvent::simple(EventKind::Disciplined, d(2026, 3, 2))
            .with_discipline(dangvu_domain::member::DisciplineForm::KhienTrach);
        // R12, R15: the discipline takes effect by a decision, recorded whole.
        let e = app
            .record_event(&actor(), an, warn.clone().with_decision("12-QĐ/UBKT"))
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("decided_on", "required"), ("decided_by", "required")]
        );
        let decision = Decision {
            reference: Some("12-QĐ/UBKT".into()),
            date: Some(d(2026, 3, 2)),
            body: Some("Ủy ban Kiểm tra Đảng ủy".into()),
        };
        app.record_event(&actor(), an, warn.clone().decided(&decision))
            .await
            .unwrap();
        // A member's old file may lack it: kept, and shown as lacking it.
        app.record_event(
            &actor(),
            an,
            NewEvent::simple(EventKind::Exempted, d(2026, 4, 1)).from_old_file(),
        )
        .await
        .unwrap();
        let v = app.member(&actor(), an, d(2026, 6, 15)).await.unwrap();
        let missing: Vec<_> = v
            .events
            .iter()
            .filter(|e| e.decision_missing())
            .map(|e| (e.event.kind, e.event.on))
            .collect();
        // The admission recorded without its decision is an old file's too.
        assert_eq!(
            missing,
            vec![
                (EventKind::Admitted, d(2000, 1, 1)),
                (EventKind::MadeOfficial, d(2001, 1, 1)),
                (EventKind::Exempted, d(2026, 4, 1))
            ]
        );
        // Events that need none (a move, a death) need none.
        app.record_event(
            &actor(),
            an,
            NewEvent::simple(EventKind::MovedCell, d(2026, 5, 1)).with_org(f.cell_b),
        )
        .await
        .unwrap();
    });
}

#[tokio::test]
async fn twelve_months_of_education_without_progress_are_flagged_never_acted_on() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let e = app
            .start_education(&actor(), an, d(2025, 5, 1), " ")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("reason", "required")]);
        let e = app
            .start_education(&actor(), an, d(1999, 5, 1), "Vi phạm tư cách")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("on", "not_a_member")]);
        let case = app
            .start_education(&actor(), an, d(2025, 5, 1), "Không gương mẫu nơi cư trú")
            .await
            .unwrap();
        let e = app
            .start_education(&actor(), an, d(2025, 6, 1), "Lần hai")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "education_open");
        // Within 12 months: nothing; after: flagged (R11), and she stays on the rolls.
        let v = app.member(&actor(), an, d(2026, 4, 30)).await.unwrap();
        assert!(v.flags.is_empty(), "{:?}", v.flags);
        let v = app.member(&actor(), an, d(2026, 6, 15)).await.unwrap();
        assert_eq!(
            v.flags,
            vec![dangvu_app::views::MemberFlag {
                rule: "R11",
                code: "education_no_progress",
                year: 2026
            }]
        );
        assert_eq!(v.state.status, Status::Official);
        // Outside the scope, her education does not exist.
        let other = signed_in(&app, "bithu_c", Role::Secretary, f.cell_c).await;
        let e = app
            .conclude_education(
                &other,
                an,
                case,
                d(2026, 6, 1),
                dangvu_domain::member::EducationOutcome::Progressed,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");
        // The cell concludes she progressed: the flag goes from that day.
        app.conclude_education(
            &actor(),
            an,
            case,
            d(2026, 6, 1),
            dangvu_domain::member::EducationOutcome::Progressed,
        )
        .await
        .unwrap();
        let v = app.member(&actor(), an, d(2026, 6, 15)).await.unwrap();
        assert!(v.flags.is_empty(), "{:?}", v.flags);
        let e = app
            .conclude_education(
                &actor(),
                an,
                case,
                d(2026, 6, 2),
                dangvu_domain::member::EducationOutcome::NoProgress,
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "education_closed");
        let cases = app.education_of(&actor(), an).await.unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].reason, "Không gương mẫu nơi cư trú");
    });
}

#[tokio::test]
async fn an_event_numbers_its_decision_in_the_committees_register_in_one_transaction() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let mut warn = NewEvent::simple(EventKind::Disciplined, d(2026, 3, 2))
            .with_discipline(dangvu_domain::member::DisciplineForm::KhienTrach);
        warn.register = Some(f.g1);
        let id = app.record_event(&actor(), an, warn.clone()).await.unwrap();
        let v = app.member(&actor(), an, d(2026, 6, 15)).await.unwrap();
        let e = v.events.iter().find(|e| e.id == id).unwrap();
        assert_eq!(e.decision_ref.as_deref(), Some("1-QĐ/ĐU"));
        assert_eq!(e.decided_on, Some(d(2026, 3, 2)));
        assert_eq!(e.decided_by.as_deref(), Some("Đảng bộ phường Nam Khê"));
        let reg = app.decision_register(&actor(), f.g1, 2026).await.unwrap();
        assert_eq!(reg.decisions.len(), 1);
        assert_eq!(reg.decisions[0].kind, DecisionKind::Discipline);
        assert_eq!(reg.decisions[0].member, Some(an));
        assert_eq!(
            reg.decisions[0].subject,
            "Thi hành kỷ luật đảng viên Nguyễn Văn An"
        );
        // An event the timeline refuses takes no number: one transaction.
        let mut again = warn.clone();
        again.on = Some(d(1990, 1, 1));
        again.decided_on = Some(d(2026, 4, 1));
        app.record_event(&actor(), an, again).await.unwrap_err();
        let reg = app.decision_register(&actor(), f.g1, 2026).await.unwrap();
        assert_eq!(reg.decisions.len(), 1);
        // A committee outside the actor's scope does not exist for her register.
        let sec = signed_in(&app, "bithu_a", Role::Secretary, f.cell_a).await;
        let e = app.record_event(&sec, an, warn).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
    });
}
