//! Scenario tests of the review rules (research.md §1), on every backend.

use dangvu_app::AppError;
use dangvu_app::members::NewEvent;
use dangvu_app::orgs::Appointment;
use dangvu_app::review::{MemberDecision, ReportQuery};
use dangvu_app::review_flow::{Body, StepInput, StepKind, Subject};
use dangvu_domain::member::{DisciplineForm, EventKind};
use dangvu_domain::review::{Level, Period};
use dangvu_testkit::{d, on_every_backend};

use super::{actor, field_codes, fixture, member};

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
                .from_old_file()
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
            NewEvent::simple(EventKind::Exempted, d(2015, 1, 1)).from_old_file(),
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

fn text(s: &str) -> StepInput {
    StepInput {
        content: s.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_workflow_runs_top_down_and_its_steps_feed_the_rules() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        let cuong = member(&app, "Lê Văn Cường", f.cell_a, d(2010, 1, 1), true).await;
        let p = app
            .open_review(&actor(), f.city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        // R28: the collective of the grassroots committee reviews itself first.
        let e = app
            .record_step(
                &actor(),
                p,
                Subject::Member(an),
                StepKind::SelfAssessment,
                text("Tôi đã…"),
            )
            .await
            .unwrap_err();
        assert_eq!(rule(e), "collective_first");
        app.record_step(
            &actor(),
            p,
            Subject::Collective(f.g1),
            StepKind::SelfAssessment,
            text("Đảng ủy lãnh đạo hoàn thành các chỉ tiêu; còn chậm sửa đổi quy chế."),
        )
        .await
        .unwrap();
        // A self-assessment needs its text; the field is named.
        let e = app
            .record_step(
                &actor(),
                p,
                Subject::Member(an),
                StepKind::SelfAssessment,
                text("  "),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("content", "required")]);
        for m in [an, binh, cuong] {
            app.record_step(
                &actor(),
                p,
                Subject::Member(m),
                StepKind::SelfAssessment,
                text("Tự kiểm điểm"),
            )
            .await
            .unwrap();
            app.record_step(
                &actor(),
                p,
                Subject::Member(m),
                StepKind::Comment(Body::CellCommittee),
                StepInput {
                    content: "Chi ủy nhận xét".into(),
                    sick_leave_months: (m == binh).then_some(4),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        // The head of agency rates Cường's civil service KHT: forced KHT (R25).
        app.record_step(
            &actor(),
            p,
            Subject::Member(cuong),
            StepKind::Comment(Body::Agency),
            StepInput {
                content: "Không hoàn thành nhiệm vụ công chức".into(),
                level: Some(Level::Kht),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let sheet = app.review_sheet(&actor(), p, f.cell_a).await.unwrap();
        let line = |m| sheet.lines.iter().find(|l| l.member == m).unwrap().clone();
        assert_eq!(line(cuong).best, Level::Kht);
        assert_eq!(
            line(binh).best,
            Level::Ht,
            "4 months of sick leave cap at HT"
        );
        assert_eq!(line(an).best, Level::Htxs);
        assert_eq!(line(an).missing(), vec!["proposal", "decision"]);
        // Vietnamese order: An, Bình, Cường.
        let names: Vec<&str> = sheet.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]);
        let e = app
            .decide_member(&actor(), p, cuong, level(Level::Ht))
            .await
            .unwrap_err();
        assert_eq!(rule(e), "civil_service_kht");
        let e = app
            .decide_member(&actor(), p, binh, level(Level::Htt))
            .await
            .unwrap_err();
        assert_eq!(rule(e), "sick_leave");
        // Proposals, then the whole cell decided as proposed in one transaction: a proposal
        // above a member's bound refuses the lot and writes nothing.
        for (m, l) in [(an, Level::Htxs), (binh, Level::Htt), (cuong, Level::Kht)] {
            app.record_step(
                &actor(),
                p,
                Subject::Member(m),
                StepKind::Proposal,
                StepInput {
                    level: Some(l),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let e = app
            .decide_as_proposed(&actor(), p, f.cell_a, None)
            .await
            .unwrap_err();
        assert_eq!(rule(e), "sick_leave");
        let c = app.member_counts(&actor(), p).await.unwrap();
        assert_eq!(c.levels.total(), 0, "nothing written by a refused batch");
        app.record_step(
            &actor(),
            p,
            Subject::Member(binh),
            StepKind::Proposal,
            StepInput {
                level: Some(Level::Ht),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            app.decide_as_proposed(&actor(), p, f.cell_a, Some("05-QĐ/ĐU"))
                .await
                .unwrap(),
            3
        );
        // R29: a conclusion names strengths, weaknesses and remedies.
        let e = app
            .record_step(
                &actor(),
                p,
                Subject::Member(an),
                StepKind::Conclusion,
                text("x"),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![
                ("strengths", "required"),
                ("weaknesses", "required"),
                ("remedies", "required")
            ]
        );
        let conclusion = StepInput {
            strengths: "Gương mẫu".into(),
            weaknesses: "Ít phát biểu trong sinh hoạt".into(),
            remedies: "Chuẩn bị ý kiến trước mỗi kỳ họp".into(),
            ..Default::default()
        };
        app.record_step(
            &actor(),
            p,
            Subject::Member(an),
            StepKind::Conclusion,
            conclusion.clone(),
        )
        .await
        .unwrap();
        // One HTXS of one HTT-or-better is over 20 %: the lock needs a reason (R27).
        app.lock_review(
            &actor(),
            p,
            &[(f.g1, "Chi bộ nhỏ, thành tích nổi bật".into())],
        )
        .await
        .unwrap();
        // After the lock: steps refused; a correction needs its reason and decision, keeps
        // the rules, and the old level stays in the audit trail.
        let e = app
            .record_step(
                &actor(),
                p,
                Subject::Member(an),
                StepKind::SelfAssessment,
                text("muộn"),
            )
            .await
            .unwrap_err();
        assert_eq!(rule(e), "review_locked");
        let e = app
            .correct_decision(
                &actor(),
                p,
                Subject::Member(an),
                Level::Htt,
                "",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![
                ("reason", "required"),
                ("decision_ref", "required"),
                ("decided_on", "required"),
                ("decided_by", "required")
            ]
        );
        let e = app
            .correct_decision(
                &actor(),
                p,
                Subject::Member(cuong),
                Level::Htt,
                "Sai sót",
                &dangvu_domain::decision::Decision {
                    reference: Some("07-QĐ/ĐU".into()),
                    date: Some(d(2026, 2, 2)),
                    body: Some("Ban Thường vụ Đảng ủy".into()),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(rule(e), "civil_service_kht");
        app.correct_decision(
            &actor(),
            p,
            Subject::Member(an),
            Level::Htt,
            "Nhầm khi tổng hợp",
            &dangvu_domain::decision::Decision {
                reference: Some("07-QĐ/ĐU".into()),
                date: Some(d(2026, 2, 2)),
                body: Some("Ban Thường vụ Đảng ủy".into()),
            },
        )
        .await
        .unwrap();
        let c = app.member_counts(&actor(), p).await.unwrap();
        assert_eq!(c.levels.0, [0, 1, 1, 1]);
        let trail = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    action: Some("review.correct".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].entry.reason.as_deref(), Some("Nhầm khi tổng hợp"));
        assert!(
            trail[0]
                .entry
                .old_value
                .as_deref()
                .unwrap()
                .contains("\"htxs\"")
        );
        // The next year's conclusion must say whether last year's remedies were carried out.
        let p2 = app
            .open_review(&actor(), f.city, "Năm 2020", Period::year(2020))
            .await
            .unwrap();
        let r = app.member_review(&actor(), p2, an).await.unwrap();
        assert_eq!(
            r.previous_remedies.as_deref(),
            Some("Chuẩn bị ý kiến trước mỗi kỳ họp")
        );
        let e = app
            .record_step(
                &actor(),
                p2,
                Subject::Member(an),
                StepKind::Conclusion,
                conclusion.clone(),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("remedies_done", "required")]);
        app.record_step(
            &actor(),
            p2,
            Subject::Member(an),
            StepKind::Conclusion,
            StepInput {
                remedies_done: "Đã khắc phục".into(),
                ..conclusion
            },
        )
        .await
        .unwrap();
    });
}

#[tokio::test]
async fn commendations_count_consecutive_years_and_reports_cover_any_subtree() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let others: Vec<_> = other_members(&app, &f).await;
        let mut last = 0;
        for y in 2018..=2022 {
            let p = app
                .open_review(&actor(), f.city, &format!("Năm {y}"), Period::year(y))
                .await
                .unwrap();
            // 2019 breaks nothing; An is HTXS every year from 2018.
            app.decide_member(&actor(), p, an, level(Level::Htxs))
                .await
                .unwrap();
            for m in &others {
                app.decide_member(&actor(), p, *m, level(Level::Htt))
                    .await
                    .unwrap();
            }
            last = p;
        }
        let c = app.commendations(&actor(), last).await.unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].subject_id, c[0].years), (an.0, 5));
        // A subtree's report is its line in the parent's report; lines add up to the total.
        let city = app
            .classification_report(&actor(), last, Default::default())
            .await
            .unwrap();
        let g1 = app
            .classification_report(
                &actor(),
                last,
                ReportQuery {
                    org: Some(f.g1),
                    as_of: None,
                },
            )
            .await
            .unwrap();
        let row = city.rows.iter().find(|r| r.org == f.g1).unwrap();
        assert_eq!(row.counts.members.levels, g1.members.levels);
        let sum: u32 = city
            .rows
            .iter()
            .map(|r| r.counts.members.levels.total())
            .sum();
        assert_eq!(sum, city.members.levels.total());
        assert_eq!(g1.rows.len(), 2, "g1's two cells");
        // As of a later date, after cell A moved to g2, the same decisions group differently.
        app.move_org(
            &actor(),
            f.cell_a,
            f.g2,
            d(2023, 3, 1),
            "Điều chỉnh địa giới",
        )
        .await
        .unwrap();
        let later = app
            .classification_report(
                &actor(),
                last,
                ReportQuery {
                    org: Some(f.g2),
                    as_of: Some(d(2023, 6, 1)),
                },
            )
            .await
            .unwrap();
        assert_eq!(
            later.members.levels.get(Level::Htxs),
            1,
            "An counted under g2 now"
        );
        let g2_then = app
            .classification_report(
                &actor(),
                last,
                ReportQuery {
                    org: Some(f.g2),
                    as_of: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(g2_then.members.levels.get(Level::Htxs), 0);
        // With the history in memory the subtrees come from it: the same reports as a new app
        // on the same database reads from it, for any root and date.
        app.build_timeline().await.unwrap();
        let read = dangvu_app::App::new(app.store.clone(), app.clock.clone());
        for org in [None, Some(f.g1), Some(f.g2), Some(f.cell_a)] {
            for as_of in [None, Some(d(2023, 2, 28)), Some(d(2023, 6, 1))] {
                let q = ReportQuery { org, as_of };
                let m = app.classification_report(&actor(), last, q).await.unwrap();
                let r = read.classification_report(&actor(), last, q).await.unwrap();
                assert_eq!(format!("{m:?}"), format!("{r:?}"), "{org:?} {as_of:?}");
            }
        }
    });
}

/// Two more members in other cells, so that reports have several lines.
async fn other_members(
    app: &dangvu_app::App,
    f: &super::Fixture,
) -> Vec<dangvu_domain::ids::MemberId> {
    vec![
        member(app, "Trần Thị Bình", f.cell_b, d(2010, 1, 1), true).await,
        member(app, "Lê Văn Cường", f.cell_c, d(2010, 1, 1), true).await,
    ]
}

#[derive(Debug, Clone)]
enum ReviewOp {
    /// Member index, level index (4: not classified).
    Member(usize, usize),
    /// Organisation index (cell A, cell B, cell C, g1, g2), level index.
    Org(usize, usize),
    /// Lock, with or without quota override reasons.
    Lock(bool),
    /// Correct a member's level after the lock.
    Correct(usize, usize),
}

fn review_op() -> impl proptest::strategy::Strategy<Value = ReviewOp> {
    use proptest::prelude::*;
    prop_oneof![
        6 => (0usize..6, 0usize..5).prop_map(|(m, l)| ReviewOp::Member(m, l)),
        3 => (0usize..5, 0usize..4).prop_map(|(o, l)| ReviewOp::Org(o, l)),
        1 => any::<bool>().prop_map(ReviewOp::Lock),
        1 => (0usize..6, 0usize..4).prop_map(|(m, l)| ReviewOp::Correct(m, l)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]
    /// Any sequence of the review's use cases (those every API call and form goes through):
    /// no organisation is ever decided before what is below it, no member above what the
    /// register allows, a period locks over its quota only with a reason, a refused call writes
    /// nothing, and the report always equals a recount of the accepted decisions.
    #[test]
    fn no_sequence_of_calls_breaks_the_review_rules(ops in proptest::collection::vec(review_op(), 1..24)) {
        use std::collections::HashMap;
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
            let app = db.app();
            let f = fixture(&app).await;
            let cells = [f.cell_a, f.cell_b, f.cell_c];
            let names = ["Nguyễn Thị An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"];
            let mut members = Vec::new();
            for (i, n) in names.iter().enumerate() {
                members.push(member(&app, n, cells[i % 3], d(2010, 1, 1), true).await);
            }
            // Member 5 was disciplined in the year: KHT at best (R25).
            app.record_event(
                &actor(),
                members[5],
                NewEvent::simple(EventKind::Disciplined, d(2019, 4, 1)).from_old_file()
                    .with_discipline(DisciplineForm::KhienTrach),
            )
            .await
            .unwrap();
            let orgs = [f.cell_a, f.cell_b, f.cell_c, f.g1, f.g2];
            let p = app.open_review(&actor(), f.city, "Năm 2019", Period::year(2019)).await.unwrap();
            let mut model: HashMap<usize, Level> = HashMap::new();
            let mut org_model: HashMap<usize, Level> = HashMap::new();
            let mut locked = false;
            for op in &ops {
                let before = {
                    let mut c = db.store.pool.acquire().await.unwrap();
                    dangvu_store::audit::count(&mut c).await.unwrap()
                };
                let r = match op {
                    ReviewOp::Member(m, l) => {
                        let level = Level::ALL.get(*l).copied();
                        app.decide_member(&actor(), p, members[*m], MemberDecision { level, ..Default::default() }).await
                    }
                    ReviewOp::Org(o, l) => app.decide_org(&actor(), p, orgs[*o], Some(Level::ALL[*l]), None).await,
                    ReviewOp::Lock(with_reason) => {
                        let reasons: Vec<_> = if *with_reason {
                            vec![(f.g1, "Lý do".to_owned()), (f.g2, "Lý do".to_owned())]
                        } else {
                            Vec::new()
                        };
                        app.lock_review(&actor(), p, &reasons).await
                    }
                    ReviewOp::Correct(m, l) => app.correct_decision(&actor(), p, Subject::Member(members[*m]), Level::ALL[*l], "Sai sót", &dangvu_domain::decision::Decision { reference: Some("01-QĐ".into()), date: Some(d(2026, 2, 2)), body: Some("Đảng ủy".into()) }).await,
                };
                let after = {
                    let mut c = db.store.pool.acquire().await.unwrap();
                    dangvu_store::audit::count(&mut c).await.unwrap()
                };
                match &r {
                    Ok(()) => {
                        assert_eq!(after, before + 1, "{op:?} wrote one audited change");
                        match op {
                            ReviewOp::Member(m, l) | ReviewOp::Correct(m, l) => {
                                let level = Level::ALL.get(*l).copied();
                                assert!(level.is_some(), "a classified member without a level was accepted");
                                if *m == 5 {
                                    assert_eq!(level, Some(Level::Kht), "R25 broken");
                                }
                                model.insert(*m, level.unwrap_or(Level::Kht));
                            }
                            ReviewOp::Org(o, l) => {
                                // Bottom-up: everything below was decided first.
                                let below: &[usize] = match o { 0 => &[0, 3], 1 => &[1, 4], 2 => &[2, 5], _ => &[] };
                                for m in below {
                                    assert!(model.contains_key(m), "cell decided before member {m}");
                                }
                                let subs: &[usize] = match o { 3 => &[0, 1], 4 => &[2], _ => &[] };
                                for s in subs {
                                    assert!(org_model.contains_key(s), "grassroots decided before cell {s}");
                                }
                                org_model.insert(*o, Level::ALL[*l]);
                            }
                            ReviewOp::Lock(with_reason) => {
                                if !with_reason {
                                    let q = app.quota_status(&actor(), p).await.unwrap();
                                    assert!(q.iter().all(|(_, c)| !c.exceeded), "locked over the quota without a reason");
                                }
                                locked = true;
                            }
                        }
                    }
                    Err(e) => {
                        assert!(matches!(e, AppError::Domain(_)), "{op:?}: {e:?}");
                        assert_eq!(after, before, "{op:?} was refused ({}) but wrote", e.code());
                        if let ReviewOp::Member(..) | ReviewOp::Org(..) = op
                            && locked
                        {
                            assert_eq!(e.code(), "review_locked");
                        }
                    }
                }
                // The report is a recount of the accepted decisions.
                let r = app.classification_report(&actor(), p, Default::default()).await.unwrap();
                let mut expect = [0u32; 4];
                for l in model.values() {
                    expect[*l as usize] += 1;
                }
                assert_eq!(r.members.levels.0, expect);
                let mut cells_expect = [0u32; 4];
                let mut g_expect = [0u32; 4];
                for (o, l) in &org_model {
                    if *o < 3 { cells_expect[*l as usize] += 1 } else { g_expect[*l as usize] += 1 }
                }
                assert_eq!(r.cells.0, cells_expect);
                assert_eq!(r.grassroots_dang_bo.0, g_expect);
            }
            db.cleanup().await;
        });
    }
}

/// The demo's 2025 review: one new ward under QĐ 366 with 100-point scores, every member's
/// score giving her level, decided bottom-up and locked within the quota.
pub async fn check_demo_review_2025(app: &dangvu_app::App) {
    let periods = app.reviews_visible(&actor()).await.unwrap();
    let p = periods
        .iter()
        .find(|p| p.rule_set == "2025")
        .expect("a 2025 review");
    assert_eq!(p.status, "locked");
    let rs = dangvu_domain::review::rule_set_for(p.period.start).unwrap();
    let r = app
        .classification_report(&actor(), p.id, Default::default())
        .await
        .unwrap();
    assert!(r.org_name.starts_with("Đảng bộ phường"), "{}", r.org_name);
    assert!(r.members.levels.total() > 300, "{:?}", r.members);
    assert!(r.members.levels.get(Level::Htxs) > 0);
    assert!(r.grassroots_dang_bo.total() + r.grassroots_cells.total() > 0);
    assert!(
        r.paragraph.starts_with("Năm 2025, Đảng bộ phường"),
        "{}",
        r.paragraph
    );
    // Scores and levels agree for every member of the first line's cells.
    let first = r
        .rows
        .iter()
        .find(|x| x.counts.members.levels.total() > 0)
        .unwrap();
    let sheet_org = app
        .orgs_on(&actor(), p.period.end)
        .await
        .unwrap()
        .into_iter()
        .find(|o| {
            o.parent == Some(first.org)
                || o.org == first.org && o.kind == dangvu_domain::org::OrgKind::ChiBoCoSo
        })
        .unwrap()
        .org;
    let sheet = app.review_sheet(&actor(), p.id, sheet_org).await.unwrap();
    assert!(!sheet.lines.is_empty());
    for l in &sheet.lines {
        let d = l.decision.as_ref().expect("every member decided");
        if let Some(level) = d.level {
            let pts = d.points.expect("a score under the 2025 rule set");
            assert_eq!(rs.level_from_points(pts as u8), Some(level));
        }
    }
    assert!(
        app.quota_status(&actor(), p.id)
            .await
            .unwrap()
            .iter()
            .all(|(_, q)| !q.exceeded)
    );
}

#[tokio::test]
async fn a_collective_is_kht_when_a_committee_member_was_disciplined_as_its_rule_set_says() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let secretary = member(&app, "Nguyễn Văn An", f.cell_a, d(2005, 1, 1), true).await;
        app.appoint(
            &actor(),
            f.g1,
            &Appointment::new(
                secretary,
                dangvu_domain::org::Position::BiThu,
                "2015–2020",
                d(2015, 6, 1),
                None,
            ),
        )
        .await
        .unwrap();
        for (on, form) in [
            (d(2019, 5, 1), DisciplineForm::KhienTrach),
            (d(2023, 5, 1), DisciplineForm::KhienTrach),
        ] {
            app.record_event(
                &actor(),
                secretary,
                NewEvent::simple(EventKind::Disciplined, on)
                    .from_old_file()
                    .with_discipline(form),
            )
            .await
            .unwrap();
        }
        // HD 21 (2019): a khiển trách of a committee member does not make the collective KHT.
        let p2019 = app
            .open_review(&actor(), f.city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        app.decide_collective(&actor(), p2019, f.g1, Level::Htt, None)
            .await
            .unwrap();
        // QĐ 124 (2023): any discipline does.
        let p2023 = app
            .open_review(&actor(), f.city, "Năm 2023", Period::year(2023))
            .await
            .unwrap();
        let e = app
            .decide_collective(&actor(), p2023, f.g1, Level::Htt, None)
            .await
            .unwrap_err();
        assert_eq!(rule(e), "collective_member_disciplined");
        app.decide_collective(&actor(), p2023, f.g1, Level::Kht, Some("40-QĐ/TU"))
            .await
            .unwrap();
        // A collective's decision is not counted among organisations in the report.
        let r = app
            .classification_report(&actor(), p2023, Default::default())
            .await
            .unwrap();
        assert_eq!(r.grassroots_dang_bo.total() + r.cells.total(), 0);
    });
}

/// The cases of research.md §1 under every rule set: 2018 (HD 16), 2020 (HD 21), 2023 (QĐ 124),
/// 2025 (QĐ 366 with points).
#[tokio::test]
async fn the_research_cases_hold_under_every_rule_set() {
    on_every_backend!(|db| {
        for year in [2018, 2020, 2023, 2025] {
            let app = db.app();
            let f = fixture(&app).await;
            let rs = dangvu_domain::review::rule_set_for(d(year, 1, 1)).unwrap();
            let pts = |l: Level| match rs.method {
                dangvu_domain::review::Method::Points { .. } => Some(match l {
                    Level::Htxs => 92,
                    Level::Htt => 80,
                    Level::Ht => 60,
                    Level::Kht => 40,
                }),
                _ => None,
            };
            let dec = |l: Level| MemberDecision {
                level: Some(l),
                points: pts(l),
                ..Default::default()
            };
            let m = |n: &'static str, cell| {
                let app = app.clone();
                async move { member(&app, n, cell, d(2005, 1, 1), true).await }
            };
            // Cell A: five ordinary members — at the quota with one HTXS, over it with two.
            let mut ordinary = Vec::new();
            for n in [
                "Nguyễn Văn An",
                "Trần Văn Bảo",
                "Lê Văn Cường",
                "Phạm Văn Dũng",
                "Hoàng Văn Đạt",
            ] {
                ordinary.push(m(n, f.cell_a).await);
            }
            // Cell B: a disciplined member, one admitted 5 months before year-end, an exempt
            // member, a suspended member, a civil servant the agency rated KHT.
            let disciplined = m("Vũ Văn Giang", f.cell_b).await;
            app.record_event(
                &actor(),
                disciplined,
                NewEvent::simple(EventKind::Disciplined, d(year, 3, 1))
                    .from_old_file()
                    .with_discipline(DisciplineForm::KhienTrach)
                    .with_decision(&format!("3-QĐ/ĐU-{year}")),
            )
            .await
            .unwrap();
            let late = member(&app, "Đỗ Thị Hạnh", f.cell_b, d(year, 8, 1), false).await;
            let exempt = m("Bùi Văn Khánh", f.cell_b).await;
            app.record_event(
                &actor(),
                exempt,
                NewEvent::simple(EventKind::Exempted, d(year - 1, 1, 1)).from_old_file(),
            )
            .await
            .unwrap();
            let suspended = m("Ngô Văn Lâm", f.cell_b).await;
            app.record_event(
                &actor(),
                suspended,
                NewEvent::simple(EventKind::Suspended, d(year, 2, 1)).from_old_file(),
            )
            .await
            .unwrap();
            let civil = m("Dương Văn Minh", f.cell_b).await;
            let p = app
                .open_review(&actor(), f.city, &format!("Năm {year}"), Period::year(year))
                .await
                .unwrap();
            app.record_step(
                &actor(),
                p,
                Subject::Member(civil),
                StepKind::Comment(Body::Agency),
                StepInput {
                    content: "Không hoàn thành nhiệm vụ công chức".into(),
                    level: Some(Level::Kht),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let e = app
                .decide_member(&actor(), p, disciplined, dec(Level::Ht))
                .await
                .unwrap_err();
            assert_eq!(rule(e), "disciplined_in_period", "{year}");
            app.decide_member(&actor(), p, disciplined, dec(Level::Kht))
                .await
                .unwrap();
            let e = app
                .decide_member(&actor(), p, late, dec(Level::Htt))
                .await
                .unwrap_err();
            assert_eq!(rule(e), "not_classified_admitted_late", "{year}");
            app.decide_member(&actor(), p, late, MemberDecision::default())
                .await
                .unwrap();
            let e = app
                .decide_member(&actor(), p, exempt, dec(Level::Htt))
                .await
                .unwrap_err();
            assert_eq!(rule(e), "not_classified_exempt", "{year}");
            app.decide_member(&actor(), p, exempt, MemberDecision::default())
                .await
                .unwrap();
            // Suspension: classified under HD 16 (2018), not classified from HD 21 on.
            if rs.suspended_not_classified {
                let e = app
                    .decide_member(&actor(), p, suspended, dec(Level::Ht))
                    .await
                    .unwrap_err();
                assert_eq!(rule(e), "not_classified_suspended", "{year}");
                app.decide_member(&actor(), p, suspended, MemberDecision::default())
                    .await
                    .unwrap();
            } else {
                app.decide_member(&actor(), p, suspended, dec(Level::Ht))
                    .await
                    .unwrap();
            }
            let e = app
                .decide_member(&actor(), p, civil, dec(Level::Ht))
                .await
                .unwrap_err();
            assert_eq!(rule(e), "civil_service_kht", "{year}");
            app.decide_member(&actor(), p, civil, dec(Level::Kht))
                .await
                .unwrap();
            // Exactly at the quota: 1 HTXS of 5 HTT-or-better (cap 1) in g1 … then one over.
            for (i, o) in ordinary.iter().enumerate() {
                let l = if i == 0 { Level::Htxs } else { Level::Htt };
                app.decide_member(&actor(), p, *o, dec(l)).await.unwrap();
            }
            let q = app.quota_of(&actor(), p, Some(f.g1)).await.unwrap();
            assert_eq!(
                (q[0].1.htxs, q[0].1.cap, q[0].1.exceeded),
                (1, 1, false),
                "{year}"
            );
            app.decide_member(&actor(), p, ordinary[1], dec(Level::Htxs))
                .await
                .unwrap();
            let q = app.quota_of(&actor(), p, Some(f.g1)).await.unwrap();
            assert_eq!(
                (q[0].1.htxs, q[0].1.cap, q[0].1.exceeded),
                (2, 1, true),
                "{year}"
            );
            // A cell with KHT members, and an organisation whose subordinate is KHT: not HTXS.
            let e = app
                .decide_org(&actor(), p, f.cell_b, Some(Level::Htxs), None)
                .await
                .unwrap_err();
            assert_eq!(rule(e), "subordinates_below_htxs_condition", "{year}");
            app.decide_org(&actor(), p, f.cell_b, Some(Level::Kht), None)
                .await
                .unwrap();
            app.decide_org(&actor(), p, f.cell_a, Some(Level::Htxs), None)
                .await
                .unwrap();
            let e = app
                .decide_org(&actor(), p, f.g1, Some(Level::Htxs), None)
                .await
                .unwrap_err();
            assert_eq!(rule(e), "subordinates_below_htxs_condition", "{year}");
            app.decide_org(&actor(), p, f.g1, Some(Level::Ht), None)
                .await
                .unwrap();
            // Over the quota: the lock needs the reason.
            let e = app.lock_review(&actor(), p, &[]).await.unwrap_err();
            assert_eq!(rule(e), "quota_exceeded", "{year}");
            app.lock_review(
                &actor(),
                p,
                &[(f.g1, "Đơn vị có thành tích đột xuất".into())],
            )
            .await
            .unwrap();
            let r = app
                .classification_report(&actor(), p, Default::default())
                .await
                .unwrap();
            let nc = |k: &str| r.members.not_classified.get(k).copied().unwrap_or(0);
            assert_eq!((nc("exempt"), nc("admitted_late")), (1, 1), "{year}");
            assert_eq!(
                nc("suspended"),
                u32::from(rs.suspended_not_classified),
                "{year}"
            );
            assert_eq!(r.members.levels.get(Level::Kht), 2, "{year}");
            assert_eq!(r.cells.0, [1, 0, 0, 1], "{year}");
        }
    });
}

#[tokio::test]
async fn reviews_and_other_fields_leave_the_kept_counts_and_lists_valid() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let version = || {
            let store = db.store.clone();
            async move {
                let mut c = store.pool.acquire().await.unwrap();
                dangvu_store::audit::last_id(&mut c).await.unwrap()
            }
        };
        let v0 = version().await;
        let p = app
            .open_review(&actor(), f.city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        app.decide_member(&actor(), p, an, level(Level::Htt))
            .await
            .unwrap();
        app.correct_field(
            &actor(),
            an,
            "workplace",
            "Trường THCS Nam Khê",
            "Bổ sung",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            version().await,
            v0,
            "reviews and fields nothing counts keep the data version"
        );
        // A name moves her in every list: the version moves.
        app.correct_field(
            &actor(),
            an,
            "full_name",
            "Nguyễn Văn Ân",
            "Sai chính tả",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        assert_eq!(version().await, v0 + 1);
        let l = app
            .list_members(&actor(), f.cell_a, d(2026, 1, 1), Some("an".into()), 1, 50)
            .await
            .unwrap();
        assert_eq!(l.items[0].full_name, "Nguyễn Văn Ân");
    });
}
