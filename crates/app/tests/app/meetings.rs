//! Meetings, on every backend.

use dangvu_app::meetings::{NewMeeting, SeatInput, Sitting};
use dangvu_app::members::NewEvent;
use dangvu_app::orgs::Appointment;
use dangvu_app::programme::ItemInput;
use dangvu_domain::ids::MemberId;
use dangvu_domain::meeting::{Attendance, MeetingKind};
use dangvu_domain::member::EventKind;
use dangvu_testkit::{d, on_every_backend};

use super::{actor, field_codes, fixture, member};

pub(super) fn seat(m: MemberId, a: Attendance) -> SeatInput {
    SeatInput {
        member: m,
        attendance: a,
        reason: if a == Attendance::AbsentExcused {
            "Đi công tác".into()
        } else {
            String::new()
        },
        dues_paid: a.present(),
    }
}

pub(super) fn meeting(
    org: dangvu_domain::ids::OrgId,
    on: chrono::NaiveDate,
    seats: Vec<SeatInput>,
) -> NewMeeting {
    NewMeeting {
        sitting: Sitting {
            org,
            kind: MeetingKind::Regular,
            held_on: on,
            starts_at: "19:30".into(),
            ends_at: "21:15".into(),
            place: "Nhà văn hóa khu 1".into(),
            chair: seats.first().map(|s| s.member),
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
    }
}

#[tokio::test]
async fn a_meeting_records_every_member_and_votes_within_the_quorum() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        let cuong = member(&app, "Lê Văn Cường", f.cell_a, d(2010, 1, 1), true).await;
        let dung = member(&app, "Phạm Thị Dung", f.cell_a, d(2025, 3, 1), false).await;
        let em = member(&app, "Hoàng Văn Em", f.cell_a, d(2000, 1, 1), true).await;
        app.record_event(
            &actor(),
            em,
            NewEvent::simple(EventKind::Exempted, d(2024, 1, 1)).from_old_file(),
        )
        .await
        .unwrap();
        let on = d(2025, 9, 10);
        // Every member of the cell must have her line; nothing is written otherwise.
        let mut m = meeting(
            f.cell_a,
            on,
            vec![
                seat(an, Attendance::Present),
                seat(binh, Attendance::Present),
            ],
        );
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "attendance_incomplete");
        // Only an exempt member may be marked exempt; an excused absence names its reason.
        m.seats = vec![
            seat(an, Attendance::Present),
            seat(binh, Attendance::Exempt),
            seat(cuong, Attendance::AbsentExcused),
            seat(dung, Attendance::Present),
            seat(em, Attendance::Exempt),
        ];
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "not_exempt");
        m.seats[1] = seat(binh, Attendance::Present);
        m.seats[2].reason = " ".into();
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(field_codes(&e), vec![("reason", "required")]);
        m.seats[2] = seat(cuong, Attendance::AbsentExcused);
        // Votes: 2 official present of 3 expected (the exempt one is not, the probationary one
        // does not vote) — 3 votes are too many.
        m.resolution = "Chi bộ thống nhất nhiệm vụ tháng 10.".into();
        m.votes = Some((3, 0, 0));
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "votes_exceed_voters");
        m.votes = Some((2, 0, 0));
        m.ends_at = "20:30".into();
        let (id, flags) = app.record_meeting(&actor(), m.clone()).await.unwrap();
        // 60 minutes after Chỉ thị 50: flagged with the rule, still recorded.
        assert_eq!(
            flags.iter().map(|f| (f.rule, f.code)).collect::<Vec<_>>(),
            vec![("R18", "meeting_short")]
        );
        let v = app.meeting(&actor(), id).await.unwrap();
        assert_eq!(v.minutes_long, 60);
        assert_eq!(
            (
                v.quorum.expected_voters,
                v.quorum.present_voters,
                v.quorum.reached
            ),
            (3, 2, true)
        );
        assert_eq!(v.passed, Some(true));
        assert_eq!(v.seats.len(), 5);
        assert_eq!(v.seats[0].1, "Nguyễn Văn An", "Vietnamese name order");
        // The end before the start is named; a chair who was absent is refused.
        m.ends_at = "19:00".into();
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(field_codes(&e), vec![("ends_at", "time_before_start")]);
        m.ends_at = "21:30".into();
        m.chair = Some(cuong);
        let e = app.record_meeting(&actor(), m).await.unwrap_err();
        assert_eq!(e.code(), "chair_absent");
    });
}

#[tokio::test]
async fn missing_months_and_three_month_absences_are_flagged() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_b, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_b, d(2010, 1, 1), true).await;
        // Bình misses November and December 2019, then January, March and April 2020, without
        // a reason.
        for (y, m) in [
            (2019, 10),
            (2019, 11),
            (2019, 12),
            (2020, 1),
            (2020, 3),
            (2020, 4),
        ] {
            let b = if [(2019, 11), (2019, 12), (2020, 1), (2020, 3), (2020, 4)].contains(&(y, m)) {
                Attendance::AbsentUnexcused
            } else {
                Attendance::Present
            };
            app.record_meeting(
                &actor(),
                meeting(
                    f.cell_b,
                    d(y, m, 5),
                    vec![seat(an, Attendance::Present), seat(binh, b)],
                ),
            )
            .await
            .unwrap();
        }
        // Two months in 2019 and one in 2020 by March: nothing; April makes three in 2020.
        let flags = app
            .attendance_flags(&actor(), binh, d(2019, 1, 1), d(2020, 3, 31))
            .await
            .unwrap();
        assert!(flags.is_empty(), "{flags:?}");
        let flags = app
            .attendance_flags(&actor(), binh, d(2019, 1, 1), d(2020, 12, 31))
            .await
            .unwrap();
        let codes: Vec<(i32, &str)> = flags.iter().map(|(y, f)| (*y, f.code)).collect();
        assert!(codes.contains(&(2020, "absent_three_months")), "{codes:?}");
        assert!(!codes.iter().any(|(y, _)| *y == 2019));
        assert!(
            app.attendance_flags(&actor(), an, d(2019, 1, 1), d(2020, 12, 31))
                .await
                .unwrap()
                .is_empty()
        );
        // Due: October 2019 – April 2020; February 2020 missing; no thematic meeting in Q4/Q1.
        let due = app
            .meetings_due(&actor(), f.cell_b, d(2019, 10, 1), d(2020, 4, 30))
            .await
            .unwrap();
        assert_eq!(due.months_due.len(), 7);
        assert_eq!(due.months_missing, vec![(2020, 2)]);
        assert_eq!(due.quarters_missing, vec![(2019, 4), (2020, 1)]);
    });
}

#[tokio::test]
async fn a_superior_pushes_an_item_and_sees_which_cells_scheduled_and_held_it() {
    use dangvu_domain::meeting::{ItemKind, PushState};
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        member(&app, "Trần Thị Bình", f.cell_b, d(2010, 1, 1), true).await;
        // A dissemination names its document; a free item its title.
        let e = app
            .add_programme_item(
                &actor(),
                f.cell_a,
                &ItemInput::new((2026, 5), ItemKind::Disseminate, "", ""),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("reference", "required")]);
        let e = app
            .add_programme_item(
                &actor(),
                f.cell_a,
                &ItemInput::new((2026, 5), ItemKind::Other, " ", ""),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("title", "required")]);
        let own = app
            .add_programme_item(
                &actor(),
                f.cell_a,
                &ItemInput::new((2026, 5), ItemKind::HoChiMinh, "", ""),
            )
            .await
            .unwrap();
        // A đảng bộ above grassroots level plans no programme of its own.
        let e = app
            .add_programme_item(
                &actor(),
                f.city,
                &ItemInput::new((2026, 5), ItemKind::CurrentAffairs, "", ""),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "programme_not_for_org");
        // g1 pushes the dissemination of a resolution to its two cells in one go.
        let (push, n) = app
            .push_programme_item(
                &actor(),
                f.g1,
                &ItemInput::new(
                    (2026, 5),
                    ItemKind::Disseminate,
                    "Quán triệt Nghị quyết 57",
                    "57-NQ/TW",
                ),
            )
            .await
            .unwrap();
        assert_eq!(n, 2);
        let items = app.programme(&actor(), f.cell_a, 2026).await.unwrap();
        assert_eq!(items.len(), 2);
        let pushed = items.iter().find(|i| i.push == Some(push)).unwrap().id;
        assert_eq!(
            items.iter().find(|i| i.id == own).unwrap().title,
            "",
            "a standard item without a title: the catalogue names it"
        );
        // Cell A takes it up at its May meeting; an item of another cell is refused.
        let other = app.programme(&actor(), f.cell_b, 2026).await.unwrap()[0].id;
        let mut m = meeting(f.cell_a, d(2026, 5, 8), vec![seat(an, Attendance::Present)]);
        m.items = vec![other];
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "item_not_in_programme");
        m.items = vec![pushed, own];
        app.record_meeting(&actor(), m).await.unwrap();
        let (_, cells) = app.push_status(&actor(), push).await.unwrap();
        let state = |o| cells.iter().find(|(c, _, _)| *c == o).unwrap().2;
        assert_eq!(state(f.cell_a), PushState::Held);
        assert_eq!(state(f.cell_b), PushState::Scheduled);
        assert!(
            cells.iter().all(|(c, _, _)| *c != f.cell_c),
            "only g1's cells"
        );
        assert!(
            app.programme(&actor(), f.cell_a, 2026)
                .await
                .unwrap()
                .iter()
                .all(|i| i.held)
        );
    });
}

#[tokio::test]
async fn a_working_member_is_attached_where_she_lives_and_her_comment_reaches_her_review() {
    use dangvu_app::review_flow::{Body, StepKind};
    use dangvu_domain::review::Period;
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        // She works in g1's cell A and lives in g2's area (cell C is its residential cell).
        let an = member(&app, "Nguyễn Thị An", f.cell_a, d(2010, 1, 1), true).await;
        let e = app
            .introduce_to_residence(&actor(), an, f.g2, d(2019, 1, 10), Some("nowhere"))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("exempt_category", "invalid")]);
        let link = app
            .introduce_to_residence(&actor(), an, f.g2, d(2019, 1, 10), None)
            .await
            .unwrap();
        let e = app
            .attach_to_cell(&actor(), link, f.cell_a, d(2019, 1, 20))
            .await
            .unwrap_err();
        assert_eq!(
            e.code(),
            "not_a_cell",
            "a cell of the residence committee only"
        );
        app.attach_to_cell(&actor(), link, f.cell_c, d(2019, 1, 20))
            .await
            .unwrap();
        // The residence committee's half-yearly meeting: she must have her line.
        let e = app
            .record_residence_meeting(&actor(), f.g2, d(2019, 6, 1), "Nhà văn hóa", &[])
            .await
            .unwrap_err();
        assert_eq!(e.code(), "attendance_incomplete");
        app.record_residence_meeting(
            &actor(),
            f.g2,
            d(2019, 6, 1),
            "Nhà văn hóa",
            &[(an, Attendance::Present, String::new())],
        )
        .await
        .unwrap();
        let v = app.residence_view(&actor(), f.g2, 2019).await.unwrap();
        assert_eq!(v.links.len(), 1);
        assert_eq!(
            v.halves_missing,
            vec![(2019, 2)],
            "no meeting in the second half"
        );
        // Her workplace's review of 2019 waits for the residence comment…
        let p = app
            .open_review(&actor(), f.city, "Năm 2019", Period::year(2019))
            .await
            .unwrap();
        let sheet = app.review_sheet(&actor(), p, f.cell_a).await.unwrap();
        assert!(sheet.lines[0].missing().contains(&"residence"));
        // …which the residence cell writes and the residence committee certifies.
        app.write_residence_comment(
            &actor(),
            an,
            2019,
            "Gương mẫu, tham gia tốt các hoạt động ở khu dân cư.",
        )
        .await
        .unwrap();
        let sheet = app.review_sheet(&actor(), p, f.cell_a).await.unwrap();
        assert!(
            sheet.lines[0].missing().contains(&"residence"),
            "not certified yet"
        );
        app.certify_residence_comment(&actor(), an, 2019)
            .await
            .unwrap();
        let e = app
            .write_residence_comment(&actor(), an, 2019, "Sửa lại")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "comment_certified");
        let sheet = app.review_sheet(&actor(), p, f.cell_a).await.unwrap();
        let line = &sheet.lines[0];
        assert!(!line.missing().contains(&"residence"));
        let c = line.step(StepKind::Comment(Body::Residence)).unwrap();
        assert!(c.content.starts_with("Gương mẫu"));
        // She moves: a new introduction ends the old link on that day.
        app.introduce_to_residence(&actor(), an, f.g1, d(2020, 3, 1), Some("mobile"))
            .await
            .unwrap();
        let links = app.residence_links(&actor(), an).await.unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].ended_on, Some(d(2020, 3, 1)));
        assert_eq!(links[1].exempt_category.as_deref(), Some("mobile"));
    });
}

fn points(v: [u32; 5]) -> Vec<(String, u32)> {
    [
        "preparation",
        "attendance",
        "conduct",
        "principles",
        "resolution",
    ]
    .iter()
    .zip(v)
    .map(|(c, p)| ((*c).to_owned(), p))
    .collect()
}

#[tokio::test]
async fn guests_tasks_scores_and_corrections_of_adopted_minutes() {
    use dangvu_app::meetings::MeetingChange;
    use dangvu_domain::org::Position;
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        let cuong = member(&app, "Lê Văn Cường", f.cell_a, d(2010, 1, 1), true).await;
        // The grassroots committee: its deputy secretary works in cell B.
        let pho = member(&app, "Đỗ Văn Phó", f.cell_b, d(2005, 1, 1), true).await;
        let outsider = member(&app, "Vũ Thị Khác", f.cell_c, d(2005, 1, 1), true).await;
        app.appoint(
            &actor(),
            f.g1,
            &Appointment::new(pho, Position::PhoBiThu, "2015–2020", d(2015, 6, 1), None),
        )
        .await
        .unwrap();
        let on = d(2019, 4, 10);
        let mut m = meeting(
            f.cell_a,
            on,
            vec![
                seat(an, Attendance::Present),
                seat(binh, Attendance::Present),
                seat(cuong, Attendance::AbsentExcused),
            ],
        );
        m.resolution = "Chi bộ thống nhất nhiệm vụ tháng 5.".into();
        m.votes = Some((2, 0, 0));
        // A guest must sit on a committee above the cell that day.
        m.guests = vec![outsider];
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "guest_not_superior");
        m.guests = vec![pho];
        // A task goes to a member of the meeting, with its text.
        m.tasks = vec![(outsider, "Chuẩn bị báo cáo".into())];
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "task_member_not_in_meeting");
        m.tasks = vec![(binh, "  Chuẩn bị   báo cáo quý ".into())];
        // A score gives every criterion within its maximum.
        m.scores = points([20, 18, 21, 15, 15]);
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "score_out_of_range");
        m.scores = points([20, 18, 16, 15, 15])[..4].to_vec();
        let e = app.record_meeting(&actor(), m.clone()).await.unwrap_err();
        assert_eq!(e.code(), "score_missing");
        m.scores = points([20, 18, 16, 15, 15]);
        let (id, _) = app.record_meeting(&actor(), m).await.unwrap();
        let v = app.meeting(&actor(), id).await.unwrap();
        assert_eq!(v.guests, vec![(pho, "Đỗ Văn Phó".to_owned())]);
        assert_eq!(
            v.tasks,
            vec![(
                binh,
                "Trần Thị Bình".to_owned(),
                "Chuẩn bị báo cáo quý".to_owned()
            )]
        );
        let s = v.score.clone().unwrap();
        assert_eq!((s.total, s.band.as_str()), (84, "fair"));
        assert_eq!(v.template.as_ref().unwrap().code, "hd12-2018");
        // Before adoption a change is an edit: no reason needed, no correction recorded.
        app.change_meeting(
            &actor(),
            id,
            MeetingChange::Text {
                field: "place".into(),
                value: "Hội trường khu 1".into(),
            },
            "",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        assert!(
            app.meeting(&actor(), id)
                .await
                .unwrap()
                .corrections
                .is_empty()
        );
        app.adopt_meeting(&actor(), id).await.unwrap();
        // After adoption: a reason is required, the old value is kept beside the new (R15).
        let change = MeetingChange::Seat(SeatInput {
            member: cuong,
            attendance: Attendance::AbsentUnexcused,
            reason: String::new(),
            dues_paid: false,
        });
        let e = app
            .change_meeting(
                &actor(),
                id,
                change.clone(),
                " ",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("reason", "required")]);
        app.change_meeting(
            &actor(),
            id,
            change,
            "Xác minh lại: vắng không báo",
            &dangvu_domain::decision::Decision::reference("01-BB/CB"),
        )
        .await
        .unwrap();
        // The chair cannot be corrected into an absentee; the quorum must still hold for the vote.
        let e = app
            .change_meeting(
                &actor(),
                id,
                MeetingChange::Seat(SeatInput {
                    member: an,
                    attendance: Attendance::AbsentExcused,
                    reason: "Ốm".into(),
                    dues_paid: true,
                }),
                "Nhầm",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "chair_absent");
        let e = app
            .change_meeting(
                &actor(),
                id,
                MeetingChange::Text {
                    field: "ends_at".into(),
                    value: "19:00".into(),
                },
                "Nhầm giờ",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("ends_at", "time_before_start")]);
        app.change_meeting(
            &actor(),
            id,
            MeetingChange::Text {
                field: "resolution".into(),
                value: "Chi bộ thống nhất nhiệm vụ tháng 5 và quý II.".into(),
            },
            "Bổ sung nội dung đã thống nhất",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        let v = app.meeting(&actor(), id).await.unwrap();
        assert_eq!(v.meeting.place, "Hội trường khu 1");
        assert_eq!(
            v.meeting.resolution.as_deref(),
            Some("Chi bộ thống nhất nhiệm vụ tháng 5 và quý II.")
        );
        let seat_c = v.seats.iter().find(|(s, _)| s.member == cuong).unwrap();
        assert_eq!(
            (seat_c.0.attendance, seat_c.0.dues_paid),
            (Attendance::AbsentUnexcused, false)
        );
        assert_eq!(v.corrections.len(), 2);
        let c = &v.corrections[0];
        assert_eq!(c.field, format!("attendance:{}", cuong.0));
        assert_eq!(
            c.old_value.as_deref(),
            Some("absent_excused (Đi công tác), dues_unpaid")
        );
        assert_eq!(
            c.new_value.as_deref(),
            Some("absent_unexcused, dues_unpaid")
        );
        assert_eq!(
            (c.reason.as_str(), c.decision_ref.as_deref()),
            ("Xác minh lại: vắng không báo", Some("01-BB/CB"))
        );
        assert_eq!(
            v.corrections[1].old_value.as_deref(),
            Some("Chi bộ thống nhất nhiệm vụ tháng 5.")
        );
        // A new score replaces the old one.
        let s = app
            .score_meeting(&actor(), id, &points([20, 20, 20, 20, 15]))
            .await
            .unwrap();
        assert_eq!((s.total, s.band.as_str()), (95, "good"));
        assert_eq!(
            app.meeting(&actor(), id)
                .await
                .unwrap()
                .score
                .unwrap()
                .total,
            95
        );
        let trail = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    limit: 200,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(trail.iter().any(|e| e.entry.action == "meeting.correct"
            && e.entry.reason.as_deref() == Some("Xác minh lại: vắng không báo")));
        assert!(trail.iter().any(|e| e.entry.action == "meeting.score"));
    });
}

#[tokio::test]
async fn the_report_counts_meetings_due_held_attended_and_the_residence_side() {
    use dangvu_domain::org::Position;
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        let cuong = member(&app, "Lê Văn Cường", f.cell_b, d(2010, 1, 1), true).await;
        let pho = member(&app, "Đỗ Văn Phó", f.cell_b, d(2005, 1, 1), true).await;
        app.appoint(
            &actor(),
            f.g1,
            &Appointment::new(pho, Position::PhoBiThu, "2015–2020", d(2015, 6, 1), None),
        )
        .await
        .unwrap();
        // The deputy secretary follows cell A; only a committee member above may be assigned.
        let e = app
            .assign_attendee(&actor(), f.cell_a, an, d(2019, 1, 1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "guest_not_superior");
        let e = app
            .assign_attendee(&actor(), f.g1, pho, d(2019, 1, 1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "not_a_cell");
        app.assign_attendee(&actor(), f.cell_a, pho, d(2019, 1, 1))
            .await
            .unwrap();
        // Cell A meets January–March (a combined meeting in March, 150 minutes), she attends
        // in February; cell B meets only in January.
        for (month, kind, guest) in [
            (1, MeetingKind::Regular, false),
            (2, MeetingKind::Regular, true),
            (3, MeetingKind::Combined, false),
        ] {
            let mut m = meeting(
                f.cell_a,
                d(2019, month, 10),
                vec![
                    seat(an, Attendance::Present),
                    seat(
                        binh,
                        if month == 2 {
                            Attendance::AbsentExcused
                        } else {
                            Attendance::Present
                        },
                    ),
                ],
            );
            m.kind = kind;
            // Bình pays no dues three months running: flagged for the cell committee (R11).
            m.seats[1].dues_paid = false;
            if kind == MeetingKind::Combined {
                m.topic = "Học tập và làm theo tư tưởng Hồ Chí Minh".into();
                m.ends_at = "22:00".into();
            }
            if guest {
                m.guests = vec![pho];
            }
            m.scores = if month == 1 {
                points([20, 20, 20, 20, 10])
            } else {
                Vec::new()
            };
            app.record_meeting(&actor(), m).await.unwrap();
        }
        let mut m = meeting(
            f.cell_b,
            d(2019, 1, 12),
            vec![
                seat(cuong, Attendance::Present),
                seat(pho, Attendance::Present),
            ],
        );
        m.chair = Some(pho);
        app.record_meeting(&actor(), m).await.unwrap();
        // A grassroots đảng bộ meets twice a year: g1 only in June.
        let mut a = meeting(f.g1, d(2019, 6, 20), Vec::new());
        a.kind = MeetingKind::Assembly;
        app.record_meeting(&actor(), a).await.unwrap();
        // An agency member of cell B lives in g2's area.
        let link = app
            .introduce_to_residence(&actor(), cuong, f.g2, d(2019, 1, 5), None)
            .await
            .unwrap();
        app.attach_to_cell(&actor(), link, f.cell_c, d(2019, 1, 10))
            .await
            .unwrap();
        app.record_residence_meeting(
            &actor(),
            f.g2,
            d(2019, 6, 1),
            "Hội trường",
            &[(cuong, Attendance::Present, String::new())],
        )
        .await
        .unwrap();
        app.write_residence_comment(&actor(), cuong, 2019, "Gương mẫu nơi cư trú.")
            .await
            .unwrap();

        let r = app
            .meetings_report(&actor(), f.city, d(2019, 1, 1), d(2019, 12, 31))
            .await
            .unwrap();
        let a_line = r.cells.iter().find(|c| c.org == f.cell_a).unwrap();
        assert_eq!((a_line.months_due, a_line.months_held), (12, 3));
        assert_eq!(a_line.months_missing.first(), Some(&(2019, 4)));
        assert_eq!((a_line.quarters_due, a_line.quarters_missing.len()), (4, 3));
        assert_eq!(a_line.meetings, 3);
        // 105 + 105 + 150 minutes.
        assert_eq!(a_line.avg_minutes, Some(120));
        assert_eq!((a_line.expected, a_line.present), (6, 5));
        assert_eq!(a_line.with_superior, 1);
        assert_eq!(a_line.assigned, vec!["Đỗ Văn Phó".to_owned()]);
        assert_eq!((a_line.assigned_attended, a_line.assigned_meetings), (1, 3));
        assert_eq!((a_line.scored, a_line.avg_score), (1, Some(90)));
        assert_eq!(
            a_line.topics,
            vec!["Học tập và làm theo tư tưởng Hồ Chí Minh".to_owned()]
        );
        assert_eq!(a_line.flagged, vec!["Trần Thị Bình".to_owned()]);
        let b_line = r.cells.iter().find(|c| c.org == f.cell_b).unwrap();
        assert!(b_line.flagged.is_empty());
        assert_eq!(
            (
                b_line.meetings,
                b_line.months_held,
                b_line.assigned_meetings
            ),
            (1, 1, 0)
        );
        // Cells are grouped under their grassroots organisation, in Vietnamese order: Bắc Sơn first.
        assert_eq!(r.cells[0].org, f.cell_c);
        assert_eq!(r.total.meetings, 4);
        assert_eq!(r.total.months_held, 4);
        assert_eq!(r.total.months_due, 36);
        let g1 = r.assemblies.iter().find(|x| x.org == f.g1).unwrap();
        assert_eq!((g1.held, g1.halves_missing.clone()), (1, vec![(2019, 2)]));
        let g2 = r.assemblies.iter().find(|x| x.org == f.g2).unwrap();
        assert_eq!(g2.halves_missing.len(), 2);
        let res = r.residence.iter().find(|x| x.org == f.g2).unwrap();
        assert_eq!(
            (
                res.attached,
                res.meetings,
                res.comments_written,
                res.comments_certified
            ),
            (1, 1, 1, 0)
        );
        assert_eq!(res.halves_missing, vec![(2019, 2)]);
        assert_eq!((r.introduced, r.introduced_commented), (1, 0));
        app.certify_residence_comment(&actor(), cuong, 2019)
            .await
            .unwrap();
        let r = app
            .meetings_report(&actor(), f.g1, d(2019, 1, 1), d(2019, 12, 31))
            .await
            .unwrap();
        // g1's own subtree: its two cells; its member introduced elsewhere has her comment now.
        assert_eq!(r.cells.len(), 2);
        assert_eq!((r.introduced, r.introduced_commented), (1, 1));
        assert!(r.residence.is_empty(), "g2 is not in g1's subtree");
        let e = app
            .meetings_report(&actor(), f.g1, d(2019, 12, 31), d(2019, 1, 1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "period_reversed");
    });
}

/// The demo's 2019 meetings: every cell has its year, a realistic mix.
pub async fn check_demo_meetings_2019(app: &dangvu_app::App, city: dangvu_domain::ids::OrgId) {
    let r = app
        .meetings_report(&actor(), city, d(2019, 1, 1), d(2019, 12, 31))
        .await
        .unwrap();
    assert_eq!(
        r.cells.len(),
        322,
        "302 chi bộ trực thuộc and 20 chi bộ cơ sở"
    );
    let t = &r.total;
    assert_eq!(t.months_due, 322 * 12);
    // Most cells meet every month; some miss a month or more.
    let complete = r
        .cells
        .iter()
        .filter(|c| c.months_missing.is_empty())
        .count();
    assert!(complete > 250 && complete < 322, "{complete}");
    assert!(
        t.months_held * 100 > t.months_due * 95,
        "{} of {}",
        t.months_held,
        t.months_due
    );
    assert!(t.short > 0 || t.avg_minutes.is_some_and(|m| m >= 90));
    let rate = t.present * 100 / t.expected;
    assert!((85..=97).contains(&rate), "attendance {rate}%");
    assert!(t.with_superior > 300 && t.scored > 1000);
    assert!(t.assigned_attended > 0 && t.assigned_attended <= t.assigned_meetings);
    assert_eq!(r.assemblies.len(), 30);
    assert!(r.assemblies.iter().all(|a| a.held >= 1));
    assert!(r.assemblies.iter().any(|a| !a.halves_missing.is_empty()));
    // Agency members introduced to the 11 wards and communes, commented on.
    assert!(r.introduced > 100, "{}", r.introduced);
    assert!(r.introduced_commented * 10 > r.introduced * 6);
    assert_eq!(r.residence.len(), 11);
    assert!(
        r.residence
            .iter()
            .all(|x| x.meetings >= 1 && x.attached > 0)
    );
    // The city's pushed item: most cells held it in May.
    let pushes = app.pushes(&actor(), city).await.unwrap();
    assert_eq!(pushes.len(), 1);
    let (_, cells) = app.push_status(&actor(), pushes[0].id).await.unwrap();
    let held = cells
        .iter()
        .filter(|(_, _, s)| *s == dangvu_domain::meeting::PushState::Held)
        .count();
    assert!(
        held > 250 && held < cells.len(),
        "{held} of {}",
        cells.len()
    );
    // This year (the clock stands at 15/6/2026): phường Uông Bí's cells met January–May, under
    // Chỉ thị 50 — the few short meetings are flagged (R18).
    let today = app.tree(&actor(), d(2026, 6, 15)).await.unwrap();
    let ward = today
        .nodes
        .iter()
        .find(|n| n.name == "Đảng bộ phường Uông Bí")
        .unwrap();
    let r = app
        .meetings_report(&actor(), ward.id, d(2026, 1, 1), d(2026, 6, 15))
        .await
        .unwrap();
    assert!(r.cells.len() > 100, "{}", r.cells.len());
    assert_eq!(r.total.months_due, r.cells.len() * 5);
    assert!(r.total.months_held * 100 > r.total.months_due * 90);
    assert!(r.total.short > 0, "a few meetings under 90 minutes");
    assert!(r.total.assigned_attended > 0);
}
