//! What an attacker with a cell secretary's account tried, on every backend: each path now
//! answers an id outside her scope exactly as an id nobody uses, and every input is bounded.

use dangvu_app::auth::SessionPolicy;
use dangvu_app::members::{NewEvent, NewMember};
use dangvu_app::programme::ItemInput;
use dangvu_app::{Actor, App, AppError};
use dangvu_domain::access::Role;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::{Attendance, ItemKind};
use dangvu_domain::member::{CardGeneration, EventKind, MemberRecord};
use dangvu_testkit::{TEST_PASSWORD, d, on_every_backend, signed_in, user_with};

use super::meetings::{meeting, seat};
use super::{actor, field_codes, fixture, member};

fn record_with(name: &str, cccd: &str) -> MemberRecord {
    dangvu_testkit::record(
        name,
        &[
            ("sex", "male"),
            ("birth_date", "1985-03-02"),
            ("cccd", cccd),
        ],
    )
}

fn new_member(name: &str, cccd: &str, cell: OrgId, card_issued: chrono::NaiveDate) -> NewMember {
    NewMember {
        record: record_with(name, cccd),
        cell,
        admitted_on: d(2010, 5, 19),
        joined_on: None,
        official: true,
        decision_ref: None,
        card: Some(("12345678".into(), CardGeneration::Ct29_2003, card_issued)),
    }
}

fn not_found_member(r: Result<impl std::fmt::Debug, AppError>) {
    match r {
        Err(AppError::NotFound("member")) => {}
        other => panic!("expected the answer of an unknown member, got {other:?}"),
    }
}

#[tokio::test]
async fn a_member_arrives_only_where_her_transfer_sends_her() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let c1 = member(&app, "Phạm Văn Đức", f.cell_c, d(2002, 1, 1), true).await;
        let c2 = member(&app, "Trần Thị Lan", f.cell_c, d(2003, 1, 1), true).await;
        let namkhe = signed_in(&app, "bithu.namkhe", Role::Secretary, f.g1).await;
        let bacson = signed_in(&app, "bithu.bacson", Role::Secretary, f.g2).await;
        let today = d(2026, 6, 15);
        // c1 leaves the system; c2 stays in Bắc Sơn.
        app.record_event(
            &bacson,
            c1,
            NewEvent::simple(EventKind::TransferredOut, d(2020, 1, 1)),
        )
        .await
        .unwrap();
        // Whatever the member's state or dates, the answer is that of an unused id: no code
        // tells a date of birth, a death or a transfer.
        for m in [c1, c2, MemberId(999_999)] {
            for on in [d(1900, 1, 1), d(2021, 1, 1), d(2026, 6, 1), d(2030, 1, 1)] {
                not_found_member(
                    app.record_event(
                        &namkhe,
                        m,
                        NewEvent::simple(EventKind::TransferredIn, on).with_org(f.cell_a),
                    )
                    .await,
                );
            }
            not_found_member(app.member(&namkhe, m, today).await);
        }
        // Bắc Sơn sends c2 to Nam Khê with the letter's number: Nam Khê sees her coming and
        // receives her into one of its cells.
        let mut out = NewEvent::simple(EventKind::TransferredOut, d(2026, 3, 1))
            .with_org(f.g1)
            .with_decision("15-GGT/ĐU");
        out.destination = None;
        app.record_event(&bacson, c2, out).await.unwrap();
        app.member(&namkhe, c2, today).await.unwrap();
        app.record_event(
            &namkhe,
            c2,
            NewEvent::simple(EventKind::TransferredIn, d(2026, 3, 10)).with_org(f.cell_a),
        )
        .await
        .unwrap();
        let l = app
            .list_members(&namkhe, f.cell_a, today, None, 1, 50)
            .await
            .unwrap();
        assert!(l.items.iter().any(|i| i.id == c2));
        // Sent elsewhere, by name: only an officer whose scope covers the receiving cell
        // records her arrival; the secretary still sees nothing.
        let mut away = NewEvent::simple(EventKind::TransferredOut, d(2026, 4, 1));
        away.destination = Some("Đảng bộ phường Hồng Gai".into());
        app.record_event(&namkhe, c2, away).await.unwrap();
        let events = app.member(&actor(), c2, today).await.unwrap().events;
        assert_eq!(
            events.last().and_then(|e| e.destination.as_deref()),
            Some("Đảng bộ phường Hồng Gai")
        );
        let officer = signed_in(&app, "bantochuc", Role::Officer, f.city).await;
        app.record_event(
            &officer,
            c1,
            NewEvent::simple(EventKind::TransferredIn, d(2026, 5, 1)).with_org(f.cell_b),
        )
        .await
        .unwrap();
        not_found_member(
            app.record_event(
                &officer,
                MemberId(999_999),
                NewEvent::simple(EventKind::TransferredIn, d(2026, 5, 1)).with_org(f.cell_b),
            )
            .await,
        );
    });
}

#[tokio::test]
async fn only_a_member_attached_to_the_cell_sits_as_attached() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a1 = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let c3 = member(&app, "Lê Thị Hoa", f.cell_c, d(2001, 1, 1), true).await;
        let namkhe = signed_in(&app, "bithu.namkhe", Role::Secretary, f.g1).await;
        let bacson = signed_in(&app, "bithu.bacson", Role::Secretary, f.g2).await;
        let on = d(2026, 5, 12);
        let with = |m: MemberId| {
            meeting(
                f.cell_a,
                on,
                vec![seat(a1, Attendance::Present), seat(m, Attendance::Attached)],
            )
        };
        // A stranger and an unused id get the same refusal, and nothing is written.
        let codes = |e: AppError| field_codes(&e);
        let stranger = codes(app.record_meeting(&namkhe, with(c3)).await.unwrap_err());
        let unused = codes(
            app.record_meeting(&namkhe, with(MemberId(999_999)))
                .await
                .unwrap_err(),
        );
        assert_eq!(stranger, unused);
        assert_eq!(stranger, [("attendance", "member_not_in_org")]);
        assert!(
            app.meetings_of(&namkhe, f.cell_a, d(2026, 1, 1), d(2026, 12, 31))
                .await
                .unwrap()
                .is_empty()
        );
        // Her own cell attaches her to Khu 1 for a while (R10): now she sits there.
        app.record_event(
            &bacson,
            c3,
            NewEvent::simple(EventKind::TemporaryOut, d(2026, 4, 1)).with_org(f.cell_a),
        )
        .await
        .unwrap();
        app.record_meeting(&namkhe, with(c3)).await.unwrap();
        // Back home, she is a stranger to Khu 1 again.
        app.record_event(
            &bacson,
            c3,
            NewEvent::simple(EventKind::TemporaryReturn, d(2026, 6, 1)),
        )
        .await
        .unwrap();
        let later = meeting(
            f.cell_a,
            d(2026, 6, 10),
            vec![
                seat(a1, Attendance::Present),
                seat(c3, Attendance::Attached),
            ],
        );
        assert_eq!(
            codes(app.record_meeting(&namkhe, later).await.unwrap_err()),
            [("attendance", "member_not_in_org")]
        );
    });
}

#[tokio::test]
async fn register_numbers_say_nothing_of_members_out_of_sight() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a1 = app
            .create_member(
                &actor(),
                new_member("Nguyễn Văn An", "022085000001", f.cell_a, d(2012, 1, 1)),
            )
            .await
            .unwrap();
        let mut c = new_member("Phạm Văn Đức", "022085000002", f.cell_c, d(2012, 1, 1));
        c.card = Some(("87654321".into(), CardGeneration::Ct29_2003, d(2012, 1, 1)));
        let c1 = app.create_member(&actor(), c).await.unwrap();
        let namkhe = signed_in(&app, "bithu.namkhe", Role::Secretary, f.g1).await;
        let tomorrow = d(2026, 6, 16);
        // Everything the form alone decides comes first: a card issued tomorrow is refused the
        // same way whether the CCCD is a stranger's, nobody's or one she sees.
        for cccd in ["022085000002", "022085000099", "022085000001"] {
            let e = app
                .create_member(
                    &namkhe,
                    new_member("Hoàng Văn Mới", cccd, f.cell_a, tomorrow),
                )
                .await
                .unwrap_err();
            assert_eq!(field_codes(&e), [("issued_on", "date_in_future")], "{cccd}");
        }
        // A valid form: her own member's number is named, a stranger's gets a neutral answer
        // without a field, and the attempt is in the audit trail under the stranger.
        let seen = app
            .create_member(
                &namkhe,
                new_member("Hoàng Văn Mới", "022085000001", f.cell_a, d(2012, 1, 1)),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&seen), [("cccd", "cccd_taken")]);
        let mut m = new_member("Hoàng Văn Mới", "022085000002", f.cell_a, d(2012, 1, 1));
        m.card = None;
        let hidden = app.create_member(&namkhe, m).await.unwrap_err();
        assert_eq!(hidden.code(), "identifier_unavailable");
        assert!(hidden.fields().is_empty());
        let mut m = new_member("Hoàng Văn Mới", "022085000077", f.cell_a, d(2012, 1, 1));
        m.card = Some(("87654321".into(), CardGeneration::Ct29_2003, d(2012, 1, 1)));
        let card = app.create_member(&namkhe, m).await.unwrap_err();
        assert_eq!(card.code(), "identifier_unavailable");
        let e = app
            .correct_field(
                &namkhe,
                a1,
                "cccd",
                "022085000002",
                "Nhập sai",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "identifier_unavailable");
        let e = app
            .add_card(
                &namkhe,
                a1,
                "87654321",
                CardGeneration::Ct29_2003,
                d(2020, 1, 1),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "identifier_unavailable");
        let logged = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    action: Some("member.identifier_conflict".into()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(logged.len(), 4);
        assert!(logged.iter().all(|r| r.entry.entity_id == Some(c1.0)));
        // Nothing was written for the refused forms: the register still has two members.
        assert_eq!(
            app.list_members(&actor(), f.province, d(2026, 6, 15), None, 1, 50)
                .await
                .unwrap()
                .total,
            2
        );
    });
}

#[tokio::test]
async fn past_dates_never_widen_todays_scope() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        member(&app, "Lê Thị Bình", f.cell_b, d(2000, 1, 1), true).await;
        // Khu 2 leaves Nam Khê for Bắc Sơn at the start of 2025.
        app.move_org(
            &actor(),
            f.cell_b,
            f.g2,
            d(2025, 1, 1),
            "Điều chỉnh địa giới",
        )
        .await
        .unwrap();
        let namkhe = signed_in(&app, "bithu.namkhe", Role::Secretary, f.g1).await;
        // The 2024 report of Nam Khê as its secretary sees it today: Khu 1 only.
        let r = app
            .meetings_report(&namkhe, f.g1, d(2024, 1, 1), d(2024, 12, 31))
            .await
            .unwrap();
        let cells: Vec<OrgId> = r.cells.iter().map(|c| c.org).collect();
        assert_eq!(cells, [f.cell_a]);
        // The whole-system view of the same year still has both.
        let all = app
            .meetings_report(&actor(), f.g1, d(2024, 1, 1), d(2024, 12, 31))
            .await
            .unwrap();
        assert_eq!(all.cells.len(), 2);
        // A push for a past month reaches only her cells of today.
        let (_, n) = app
            .push_programme_item(
                &namkhe,
                f.g1,
                &ItemInput::new(
                    (2024, 5),
                    ItemKind::Disseminate,
                    "Quán triệt Nghị quyết 57",
                    "57-NQ/TW",
                ),
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert!(
            app.programme(&actor(), f.cell_b, 2024)
                .await
                .unwrap()
                .is_empty()
        );
        // A review period of Bắc Sơn is, for her, a period nobody opened.
        let p = app
            .open_review(
                &actor(),
                f.g2,
                "Năm 2025",
                dangvu_domain::review::Period::year(2025),
            )
            .await
            .unwrap();
        for id in [p, 999_999] {
            assert!(matches!(
                app.review_period(&namkhe, id).await,
                Err(AppError::NotFound("review"))
            ));
            assert!(matches!(
                app.classification_report(&namkhe, id, Default::default())
                    .await,
                Err(AppError::NotFound("review"))
            ));
            assert!(matches!(
                app.quota_status(&namkhe, id).await,
                Err(AppError::NotFound("review"))
            ));
        }
    });
}

#[tokio::test]
async fn searches_reports_and_periods_are_bounded() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let today = d(2026, 6, 15);
        let long = vec!["duc"; 900].join(" ");
        for q in [long.as_str(), "a b c d e f g", &"x".repeat(101)] {
            let e = app
                .list_members(&actor(), f.g1, today, Some(q.to_owned()), 1, 50)
                .await
                .unwrap_err();
            assert_eq!(field_codes(&e), [("q", "search_too_long")]);
        }
        app.list_members(&actor(), f.g1, today, Some("nguyen van duc".into()), 1, 50)
            .await
            .unwrap();
        let e = app
            .meetings_report(&actor(), f.g1, d(1, 1, 1), d(9999, 12, 31))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("from", "date_too_early")]);
        let e = app
            .meetings_report(&actor(), f.g1, d(2015, 1, 1), d(2026, 6, 1))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("to", "period_too_long")]);
        use dangvu_domain::review::Period;
        for (start, end, field) in [
            (d(1, 1, 1), d(1, 12, 31), "period_start"),
            (d(3000, 1, 1), d(3000, 12, 31), "period_end"),
            (d(2019, 1, 1), d(2026, 1, 1), "period_end"),
        ] {
            let e = app
                .open_review(&actor(), f.g1, "Thử", Period { start, end })
                .await
                .unwrap_err();
            assert_eq!(e.fields()[0].field, field, "{start}–{end}");
        }
        // A committee cannot open periods without end.
        let mut opened = 0;
        for q in 0..20u32 {
            let start = d(2025, 1, 1) + chrono::Days::new(u64::from(q));
            let period = Period {
                start,
                end: start + chrono::Days::new(90),
            };
            match app.open_review(&actor(), f.g1, "Quý", period).await {
                Ok(_) => opened += 1,
                Err(e) => assert_eq!(e.code(), "too_many_open_reviews"),
            }
        }
        assert_eq!(opened, 8);
    });
}

#[tokio::test]
async fn parallel_sign_ins_each_count_before_the_password_is_checked() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        user_with(&app, "bithu.khu1", Role::Secretary, Some(f.cell_a), None).await;
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                app.sign_in("bithu.khu1", "sai mật khẩu rồi", Some("10.1.1.1"))
                    .await
                    .unwrap_err()
                    .code()
            }));
        }
        let mut codes = Vec::new();
        for t in tasks {
            codes.push(t.await.unwrap());
        }
        // Five attempts reached Argon2, the other eleven were refused before it.
        assert_eq!(codes.iter().filter(|c| **c == "login_failed").count(), 4);
        assert_eq!(codes.iter().filter(|c| **c == "login_locked").count(), 12);
        let failed = app
            .audit_trail(
                &actor(),
                &dangvu_app::trail::TrailFilter {
                    action: Some("auth.sign_in_failed".into()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            failed.len(),
            5,
            "refusals while locked are counted, not audited"
        );
        // The right password is refused too while locked.
        assert_eq!(
            app.sign_in("bithu.khu1", TEST_PASSWORD, Some("10.1.1.2"))
                .await
                .unwrap_err()
                .code(),
            "login_locked"
        );
        // Good sign-ins from one office's address do not add up to a lock.
        user_with(&app, "bithu.khu2", Role::Secretary, Some(f.cell_b), None).await;
        for _ in 0..25 {
            app.sign_in("bithu.khu2", TEST_PASSWORD, Some("10.2.2.2"))
                .await
                .unwrap();
        }
    });
}

/// The ids a probe can take: an organisation, a member, a meeting, a push, a review period
/// and a residence link, each of one kind.
#[derive(Debug, Clone, Copy)]
struct Ids {
    org: OrgId,
    member: MemberId,
    meeting: i64,
    push: i64,
    period: i64,
    link: i64,
}

/// One route of the app layer, read or write, called by `sec` with the ids of `ids`; the
/// answer as its error shows it (code, fields, what was not found), or "written".
async fn probe(app: &App, sec: &Actor, route: usize, ids: Ids, own: Ids) -> String {
    use dangvu_app::review_flow::{StepInput, StepKind, Subject};
    let today = d(2026, 6, 15);
    let r: Result<(), AppError> = match route {
        0 => app.member(sec, ids.member, today).await.map(|_| ()),
        1 => app
            .record_event(
                sec,
                ids.member,
                NewEvent::simple(EventKind::Died, d(2026, 1, 1)),
            )
            .await
            .map(|_| ()),
        2 => app
            .record_event(
                sec,
                ids.member,
                NewEvent::simple(EventKind::TransferredIn, d(2026, 2, 1)).with_org(own.org),
            )
            .await
            .map(|_| ()),
        3 => {
            app.correct_field(
                sec,
                ids.member,
                "residence",
                "Khu 9",
                "Chuyển nhà",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
        }
        4 => {
            app.add_card(
                sec,
                ids.member,
                "55554444",
                CardGeneration::Ct29_2003,
                d(2020, 1, 1),
            )
            .await
        }
        5 => app.residence_links(sec, ids.member).await.map(|_| ()),
        6 => app
            .attendance_flags(sec, ids.member, d(2025, 1, 1), d(2025, 12, 31))
            .await
            .map(|_| ()),
        7 => app
            .introduce_to_residence(sec, ids.member, own.org, d(2026, 1, 1), None)
            .await
            .map(|_| ()),
        8 => app.meeting(sec, ids.meeting).await.map(|_| ()),
        9 => app.adopt_meeting(sec, ids.meeting).await,
        10 => app.push_status(sec, ids.push).await.map(|_| ()),
        11 => app.review_period(sec, ids.period).await.map(|_| ()),
        12 => app
            .classification_report(sec, ids.period, Default::default())
            .await
            .map(|_| ()),
        13 => app.quota_status(sec, ids.period).await.map(|_| ()),
        14 => {
            app.record_step(
                sec,
                ids.period,
                Subject::Member(own.member),
                StepKind::Proposal,
                StepInput::default(),
            )
            .await
        }
        15 => {
            app.record_step(
                sec,
                own.period,
                Subject::Member(ids.member),
                StepKind::Proposal,
                StepInput::default(),
            )
            .await
        }
        16 => app
            .list_members(sec, ids.org, today, None, 1, 20)
            .await
            .map(|_| ()),
        17 => app
            .meetings_report(sec, ids.org, d(2026, 1, 1), d(2026, 5, 31))
            .await
            .map(|_| ()),
        18 => app.programme(sec, ids.org, 2026).await.map(|_| ()),
        19 => {
            app.rename_org(sec, ids.org, "Tên mới", today, "Đổi tên")
                .await
        }
        20 => {
            app.attach_to_cell(sec, ids.link, own.org, d(2026, 2, 1))
                .await
        }
        21 => {
            app.write_residence_comment(sec, ids.member, 2025, "Gương mẫu ở khu dân cư")
                .await
        }
        22 => app.certify_residence_comment(sec, ids.member, 2025).await,
        23 => app
            .assign_attendee(sec, ids.org, own.member, d(2026, 1, 1))
            .await
            .map(|_| ()),
        _ => app
            .member_review(sec, own.period, ids.member)
            .await
            .map(|_| ()),
    };
    match r {
        Ok(()) => "written or read".to_owned(),
        Err(e) => format!("{e:?}"),
    }
}

const ROUTES: usize = 25;

/// Builds the two sides: the secretaries of Nam Khê and of Bắc Sơn and a member of Nam Khê
/// reading her own record, each with her ids and the other side's.
async fn two_sides(app: &App) -> Sides {
    let f = fixture(app).await;
    let a1 = member(app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
    let c1 = member(app, "Phạm Văn Đức", f.cell_c, d(2000, 1, 1), true).await;
    let meet = |org, m| meeting(org, d(2026, 3, 10), vec![seat(m, Attendance::Present)]);
    let (own_meeting, _) = app
        .record_meeting(&actor(), meet(f.cell_a, a1))
        .await
        .unwrap();
    let (other_meeting, _) = app
        .record_meeting(&actor(), meet(f.cell_c, c1))
        .await
        .unwrap();
    let admin = actor();
    let item = ItemInput::new((2026, 5), ItemKind::Disseminate, "Quán triệt", "57-NQ/TW");
    let push = |org| app.push_programme_item(&admin, org, &item);
    let (own_push, _) = push(f.g1).await.unwrap();
    let (other_push, _) = push(f.g2).await.unwrap();
    let period = |org| {
        app.open_review(
            &admin,
            org,
            "Năm 2025",
            dangvu_domain::review::Period::year(2025),
        )
    };
    let own_period = period(f.g1).await.unwrap();
    let other_period = period(f.g2).await.unwrap();
    let own_link = app
        .introduce_to_residence(&actor(), a1, f.g1, d(2025, 1, 1), None)
        .await
        .unwrap();
    let other_link = app
        .introduce_to_residence(&actor(), c1, f.g2, d(2025, 1, 1), None)
        .await
        .unwrap();
    // Attached to a residential cell of the other side, with a comment written there.
    app.attach_to_cell(&actor(), other_link, f.cell_c, d(2025, 2, 1))
        .await
        .unwrap();
    app.write_residence_comment(&actor(), c1, 2025, "Tham gia đầy đủ")
        .await
        .unwrap();
    // An organisation of the other side that no longer exists.
    let gone = app
        .create_org(
            &actor(),
            dangvu_app::orgs::NewOrg {
                name: "Chi bộ Khu 9".into(),
                kind: dangvu_domain::org::OrgKind::ChiBoTrucThuoc,
                parent: Some(f.g2),
                founded_on: d(2000, 1, 1),
                decision_ref: None,
            },
        )
        .await
        .unwrap();
    app.dissolve_org(&actor(), gone, d(2020, 1, 1), None, "Giải thể")
        .await
        .unwrap();
    let namkhe = signed_in(app, "bithu.namkhe", Role::Secretary, f.g1).await;
    let bacson = signed_in(app, "bithu.bacson", Role::Secretary, f.g2).await;
    user_with(app, "dangvien.an", Role::Member, None, Some(a1)).await;
    let s = app
        .sign_in("dangvien.an", TEST_PASSWORD, None)
        .await
        .unwrap();
    let own_record = app
        .session(&s.token, None, SessionPolicy::default())
        .await
        .unwrap()
        .unwrap()
        .actor;
    let own = Ids {
        org: f.cell_a,
        member: a1,
        meeting: own_meeting,
        push: own_push,
        period: own_period,
        link: own_link,
    };
    let other = Ids {
        org: f.cell_c,
        member: c1,
        meeting: other_meeting,
        push: other_push,
        period: other_period,
        link: other_link,
    };
    Sides {
        who: vec![
            (namkhe, own, other),
            (bacson, other, own),
            (own_record, own, other),
        ],
        gone,
    }
}

/// The actors of the property test, each with her own ids and the other side's, and an
/// organisation that was dissolved.
struct Sides {
    who: Vec<(Actor, Ids, Ids)>,
    gone: OrgId,
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, ..Default::default() })]
    /// Every route, in a random order, for a random actor (either secretary, or a member), with
    /// a random unused id: an id of the other đảng bộ, of a dissolved organisation and an id
    /// nobody uses get the very same answer, a "not found", and nothing is written.
    #[test]
    fn out_of_scope_ids_answer_as_unused_ones(
        routes in proptest::strategy::Strategy::prop_shuffle(proptest::strategy::Just((0..ROUTES).collect::<Vec<_>>())),
        who in 0usize..3,
        unused in 1_000_000i64..2_000_000,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
            let app = db.app();
            let sides = two_sides(&app).await;
            let (actor, own, other) = &sides.who[who];
            let nobody = Ids {
                org: OrgId(unused),
                member: MemberId(unused),
                meeting: unused,
                push: unused,
                period: unused,
                link: unused,
            };
            let gone = Ids {
                org: sides.gone,
                ..*other
            };
            let written = || async {
                let mut c = db.store.pool.acquire().await.unwrap();
                dangvu_store::audit::count(&mut c).await.unwrap()
            };
            let before = written().await;
            for route in routes {
                let unknown = probe(&app, actor, route, nobody, *own).await;
                assert!(unknown.starts_with("NotFound("), "actor {who}, route {route}: {unknown}");
                for ids in [*other, gone] {
                    let stranger = probe(&app, actor, route, ids, *own).await;
                    assert_eq!(stranger, unknown, "actor {who}, route {route}, ids {ids:?}");
                }
            }
            assert_eq!(written().await, before, "a refused call wrote");
            db.cleanup().await;
        });
    }
}

#[tokio::test]
async fn a_former_cell_reads_her_record_as_it_stood_when_she_left() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a1 = member(&app, "Nguyễn Văn An", f.cell_a, d(2000, 1, 1), true).await;
        let namkhe = signed_in(&app, "bithu.namkhe", Role::Secretary, f.g1).await;
        let bacson = signed_in(&app, "bithu.bacson", Role::Secretary, f.g2).await;
        let today = d(2026, 6, 15);
        // Nam Khê sends her to Bắc Sơn, which receives her, corrects her residence and later
        // disciplines her.
        app.record_event(
            &namkhe,
            a1,
            NewEvent::simple(EventKind::TransferredOut, d(2025, 1, 1)).with_org(f.g2),
        )
        .await
        .unwrap();
        app.record_event(
            &bacson,
            a1,
            NewEvent::simple(EventKind::TransferredIn, d(2025, 1, 10)).with_org(f.cell_c),
        )
        .await
        .unwrap();
        app.correct_field(
            &bacson,
            a1,
            "residence",
            "Tổ 5 Bắc Sơn",
            "Chuyển nơi ở",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        app.record_event(
            &bacson,
            a1,
            NewEvent::simple(EventKind::Disciplined, d(2026, 3, 1))
                .from_old_file()
                .with_discipline(dangvu_domain::member::DisciplineForm::KhienTrach),
        )
        .await
        .unwrap();
        let now = app.member(&bacson, a1, today).await.unwrap();
        assert_eq!(
            now.record.field("residence").as_deref(),
            Some("Tổ 5 Bắc Sơn")
        );
        assert!(
            now.events
                .iter()
                .any(|e| e.event.kind == EventKind::Disciplined)
        );
        // Her former cell: the record up to the day she left, nothing after.
        let then = app.member(&namkhe, a1, today).await.unwrap();
        assert_eq!(then.on, d(2024, 12, 31));
        assert!(
            then.events.iter().all(|e| e.event.on < d(2025, 1, 1)),
            "{:?}",
            then.events
        );
        assert_ne!(
            then.record.field("residence").as_deref(),
            Some("Tổ 5 Bắc Sơn")
        );
        assert!(then.corrections.is_empty());
        assert!(
            app.attendance_flags(&namkhe, a1, d(2025, 1, 1), d(2026, 12, 31))
                .await
                .unwrap()
                .is_empty()
        );
    });
}
