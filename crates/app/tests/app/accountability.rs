//! The accountability registers: asset-declaration supervision (R33) behind its narrow grant,
//! with its dated thresholds, and the opinions of the Front and the people (R34), their
//! working-day deadlines, the dashboard's overdue list and their place in a review (R28).

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dangvu_app::assets::{Conclusion, NewCadre, NewDeclaration, NewSupervision};
use dangvu_app::commitments::CommitSubject;
use dangvu_app::contest::{NewQuestion, Score};
use dangvu_app::opinions::{Assignment, NewOpinion};
use dangvu_app::regulations::{NewRegulation, NewVersion};
use dangvu_app::trail::TrailFilter;
use dangvu_app::{App, AppError, ManualClock};
use dangvu_domain::access::Role;
use dangvu_domain::assets::{DeclarationKind, DeclarationState, SupervisionKind, Trigger};
use dangvu_domain::calendar::DueState;
use dangvu_domain::opinion::{OpinionSource, OpinionStatus};
use dangvu_domain::regulation::RegulationKind;
use dangvu_domain::review::Period;
use dangvu_testkit::{TestDb, d, on_every_backend, signed_in, signed_in_with};

use super::{actor, field_codes, fixture, member};

fn manual_app(db: &TestDb) -> (App, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 6, 15, 3, 0, 0).unwrap(),
    ));
    (App::new(db.store.clone(), clock.clone()), clock)
}

fn cadre(committee: dangvu_domain::ids::OrgId, name: &str) -> NewCadre {
    NewCadre {
        committee,
        full_name: name.into(),
        position: "Phó Chủ tịch UBND thành phố".into(),
        workplace: Some("UBND thành phố Uông Bí".into()),
        from_date: d(2021, 7, 1),
    }
}

fn annual(cadre: i64, year: i32) -> NewDeclaration {
    NewDeclaration {
        cadre,
        kind: DeclarationKind::Annual,
        year: Some(year),
        event_on: None,
        due_on: None,
        note: None,
    }
}

fn is_hidden(e: AppError) -> bool {
    matches!(e, AppError::NotFound("page"))
}

#[tokio::test]
async fn only_an_account_granted_the_register_reaches_it_and_every_read_is_audited() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let keeper = signed_in(&app, "giamsat.tp", Role::AssetSupervisor, f.city).await;
        let officer = signed_in(&app, "bantochuc", Role::Officer, f.city).await;
        let admin = signed_in_with(&app, "quantri", Role::Admin, None, None).await;
        let ward_keeper = signed_in(&app, "giamsat.g1", Role::AssetSupervisor, f.g1).await;

        let c = app
            .add_asset_cadre(&keeper, cadre(f.city, "Trần Văn Bình"))
            .await
            .unwrap();
        let a = app
            .add_asset_cadre(&keeper, cadre(f.city, "Đỗ Thị An"))
            .await
            .unwrap();
        let dec = app
            .add_asset_declaration(&keeper, annual(c, 2025))
            .await
            .unwrap();
        app.add_asset_declaration(&keeper, annual(a, 2025))
            .await
            .unwrap();
        let sup = app
            .add_asset_supervision(
                &keeper,
                NewSupervision {
                    cadre: c,
                    year: 2025,
                    kind: SupervisionKind::Inspection,
                    trigger: Trigger::Complaint,
                    started_on: d(2026, 3, 2),
                },
            )
            .await
            .unwrap();

        // The keeper reads the city's register in Vietnamese name order (An before Bình),
        // with the 2025 annual declarations overdue since 31/12/2025.
        let reg = app.asset_register(&keeper, f.city, 2025).await.unwrap();
        let names: Vec<&str> = reg
            .cadres
            .iter()
            .map(|l| l.cadre.full_name.as_str())
            .collect();
        assert_eq!(names, ["Đỗ Thị An", "Trần Văn Bình"]);
        let binh = &reg.cadres[1];
        assert_eq!(binh.declarations[0].declaration.due_on, d(2025, 12, 31));
        assert_eq!(binh.declarations[0].state, DeclarationState::Overdue);
        assert_eq!(binh.supervisions[0].supervision.trigger, Trigger::Complaint);
        assert_eq!(reg.overdue(), 2);

        // Anyone else gets the answer of a page that does not exist: the committee's own
        // officer, the administrator, a keeper of a ward below, for the register and each id.
        for who in [&officer, &admin, &ward_keeper] {
            assert!(is_hidden(
                app.asset_register(who, f.city, 2025).await.unwrap_err()
            ));
            assert!(is_hidden(
                app.add_asset_declaration(who, annual(c, 2026))
                    .await
                    .unwrap_err()
            ));
            assert!(is_hidden(
                app.receive_asset_declaration(who, dec, d(2026, 1, 5), None)
                    .await
                    .unwrap_err()
            ));
            assert!(is_hidden(
                app.add_asset_cadre(who, cadre(f.city, "Lê Văn Cường"))
                    .await
                    .unwrap_err()
            ));
            // An invalid body gets the same answer as a valid one: nothing is checked first.
            assert!(is_hidden(
                app.conclude_asset_supervision(
                    who,
                    sup,
                    Conclusion {
                        change_vnd: Some(-1),
                        findings: String::new(),
                        follow_up: None,
                        concluded_on: d(1900, 1, 1),
                    },
                )
                .await
                .unwrap_err()
            ));
        }
        // An id nobody uses answers the same.
        assert!(is_hidden(
            app.receive_asset_declaration(&keeper, 999_999, d(2026, 1, 5), None)
                .await
                .unwrap_err()
        ));
        // A keeper of the city reaches the ward's register below it.
        app.asset_register(&keeper, f.g1, 2025).await.unwrap();

        // Received late, concluded with a change above the thresholds of 31/12/2025.
        let state = app
            .receive_asset_declaration(
                &keeper,
                dec,
                d(2026, 1, 5),
                Some("Ủy ban Kiểm tra Thành ủy"),
            )
            .await
            .unwrap();
        assert_eq!(state, DeclarationState::Late);
        app.conclude_asset_supervision(
            &keeper,
            sup,
            Conclusion {
                change_vnd: Some(400_000_000),
                findings: "Tài sản tăng 400 triệu đồng, đã giải trình nguồn gốc".into(),
                follow_up: Some("Yêu cầu kê khai bổ sung".into()),
                concluded_on: d(2026, 4, 20),
            },
        )
        .await
        .unwrap();
        let reg = app.asset_register(&keeper, f.city, 2025).await.unwrap();
        let binh = &reg.cadres[1];
        assert_eq!(binh.declarations[0].state, DeclarationState::Late);
        assert_eq!(binh.supervisions[0].additional_required, Some(true));
        assert_eq!(reg.overdue(), 1);

        // Every read and change is audited, and the trail shows these entries to nobody who
        // may not read every register: not the administrator.
        let entries = db.audit_entries().await;
        let reads = entries
            .iter()
            .filter(|e| e.entry.action == "asset.read")
            .count();
        assert_eq!(reads, 3, "three reads of registers");
        assert!(entries.iter().any(|e| {
            e.entry.action == "asset.supervision_conclude"
                && e.entry
                    .new_value
                    .as_deref()
                    .unwrap_or_default()
                    .contains("400000000")
        }));
        let trail = app
            .audit_trail(
                &admin,
                &TrailFilter {
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(!trail.iter().any(|e| e.entry.action.starts_with("asset.")));
        assert!(trail.iter().any(|e| e.entry.action == "user.grant"));
        let all = app
            .audit_trail(
                &actor(),
                &TrailFilter {
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(all.iter().any(|e| e.entry.action == "asset.read"));
    });
}

#[tokio::test]
async fn the_thresholds_switch_on_the_first_of_july_2026() {
    on_every_backend!(|db| {
        let (app, clock) = manual_app(&db);
        let f = fixture(&app).await;
        let c = app
            .add_asset_cadre(&actor(), cadre(f.city, "Trần Văn Bình"))
            .await
            .unwrap();
        app.add_asset_supervision(
            &actor(),
            NewSupervision {
                cadre: c,
                year: 2026,
                kind: SupervisionKind::Supervision,
                trigger: Trigger::Plan,
                started_on: d(2026, 6, 1),
            },
        )
        .await
        .unwrap();
        let sup = app
            .asset_register(&actor(), f.city, 2026)
            .await
            .unwrap()
            .cadres[0]
            .supervisions[0]
            .supervision
            .id;
        app.conclude_asset_supervision(
            &actor(),
            sup,
            Conclusion {
                change_vnd: Some(500_000_000),
                findings: "Biến động tăng 500 triệu đồng".into(),
                follow_up: None,
                concluded_on: d(2026, 6, 10),
            },
        )
        .await
        .unwrap();
        // 30/6/2026: 50 million per item, 300 million of change: 500 million calls for an
        // additional declaration.
        clock.advance(chrono::Duration::days(15));
        assert_eq!(app.clock.today(), d(2026, 6, 30));
        let reg = app.asset_register(&actor(), f.city, 2026).await.unwrap();
        assert_eq!(
            (reg.thresholds.item_vnd, reg.thresholds.change_vnd),
            (50_000_000, 300_000_000)
        );
        assert_eq!(
            reg.cadres[0].supervisions[0].additional_required,
            Some(true)
        );
        // 1/7/2026: 150 million and 1 billion: the same change no longer does.
        clock.advance(chrono::Duration::days(1));
        let reg = app.asset_register(&actor(), f.city, 2026).await.unwrap();
        assert_eq!(
            (reg.thresholds.item_vnd, reg.thresholds.change_vnd),
            (150_000_000, 1_000_000_000)
        );
        assert_eq!(
            reg.cadres[0].supervisions[0].additional_required,
            Some(false)
        );
        // The register of 2025 keeps the thresholds of its last day.
        let old = app.asset_register(&actor(), f.city, 2025).await.unwrap();
        assert_eq!(old.thresholds.change_vnd, 300_000_000);
    });
}

#[tokio::test]
async fn declarations_due_follow_their_kind_and_bad_input_names_the_field() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let c = app
            .add_asset_cadre(&actor(), cadre(f.city, "Trần Văn Bình"))
            .await
            .unwrap();
        let first = app
            .add_asset_declaration(
                &actor(),
                NewDeclaration {
                    cadre: c,
                    kind: DeclarationKind::First,
                    year: None,
                    event_on: Some(d(2026, 6, 10)),
                    due_on: None,
                    note: None,
                },
            )
            .await
            .unwrap();
        let reg = app.asset_register(&actor(), f.city, 2026).await.unwrap();
        let line = &reg.cadres[0].declarations[0];
        assert_eq!(line.declaration.id, first);
        assert_eq!(line.declaration.due_on, d(2026, 6, 20));
        assert_eq!(line.state, DeclarationState::Due);
        assert_eq!(reg.due.len(), 1, "due within 30 days");
        // The same declaration twice is refused on its kind.
        let e = app
            .add_asset_declaration(
                &actor(),
                NewDeclaration {
                    cadre: c,
                    kind: DeclarationKind::First,
                    year: None,
                    event_on: Some(d(2026, 6, 10)),
                    due_on: None,
                    note: None,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            [("declaration_kind", "declaration_exists")]
        );
        // A first declaration needs the day the post was taken up.
        let e = app
            .add_asset_declaration(
                &actor(),
                NewDeclaration {
                    cadre: c,
                    kind: DeclarationKind::Personnel,
                    year: None,
                    event_on: None,
                    due_on: None,
                    note: None,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("event_on", "required")]);
        let e = app
            .add_asset_cadre(
                &actor(),
                NewCadre {
                    full_name: " ".into(),
                    position: String::new(),
                    from_date: d(2027, 1, 1),
                    ..cadre(f.city, "x")
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            [
                ("full_name", "required"),
                ("position", "required"),
                ("from_date", "date_in_future")
            ]
        );
    });
}

#[tokio::test]
async fn an_opinion_is_given_a_working_day_deadline_and_shows_overdue_on_the_dashboard() {
    on_every_backend!(|db| {
        let (app, clock) = manual_app(&db);
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let sec = signed_in(&app, "bithu.g1", Role::Secretary, f.g1).await;
        let other = signed_in(&app, "bithu.g2", Role::Secretary, f.g2).await;
        let id = app
            .take_opinion(
                &sec,
                NewOpinion {
                    committee: f.g1,
                    source: OpinionSource::Front,
                    source_name: Some("Ủy ban MTTQ phường Nam Khê".into()),
                    received_on: d(2026, 6, 12),
                    subject_org: None,
                    subject_member: Some(an),
                    content: "Đảng viên chưa gương mẫu trong việc giữ vệ sinh khu dân cư".into(),
                },
            )
            .await
            .unwrap();
        // Friday 12/6 → given on Monday 15/6 for 3 working days: due Thursday 18/6.
        let due = app
            .assign_opinion(
                &sec,
                id,
                Assignment {
                    body: "Chi bộ Khu 1".into(),
                    person: "Bí thư chi bộ".into(),
                    on: d(2026, 6, 15),
                    days: Some(3),
                },
            )
            .await
            .unwrap();
        assert_eq!(due, d(2026, 6, 18));
        let w = app.due_work(&sec, f.g1).await.unwrap();
        assert_eq!((w.opinions_due, w.opinions_overdue.len()), (1, 0));
        // Out of scope: the opinion does not exist for another ward.
        let e = app
            .answer_opinion(&other, id, "Đã trả lời", d(2026, 6, 15))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("opinion")));
        assert_eq!(app.due_work(&other, f.g2).await.unwrap().opinions_due, 0);
        // On Friday 19/6 it is overdue, on the ward's dashboard and the city's.
        clock.advance(chrono::Duration::days(4));
        let w = app.due_work(&sec, f.g1).await.unwrap();
        assert_eq!(w.opinions_overdue.len(), 1);
        assert_eq!(w.opinions_overdue[0].opinion.id, id);
        assert_eq!(w.opinions_overdue[0].status, OpinionStatus::Assigned);
        assert_eq!(
            app.due_work(&actor(), f.city)
                .await
                .unwrap()
                .opinions_overdue
                .len(),
            1
        );
        let reg = app
            .opinion_register(&sec, f.g1, d(2026, 1, 1), d(2026, 6, 19))
            .await
            .unwrap();
        assert_eq!(reg.lines[0].due, Some(DueState::Overdue));
        assert_eq!(reg.overdue.len(), 1);
        // Answered, it leaves the dashboard.
        app.answer_opinion(
            &sec,
            id,
            "Chi bộ đã nhắc nhở, đảng viên đã khắc phục",
            d(2026, 6, 19),
        )
        .await
        .unwrap();
        let w = app.due_work(&sec, f.g1).await.unwrap();
        assert_eq!((w.opinions_due, w.opinions_overdue.len()), (0, 0));
        let e = app
            .answer_opinion(&sec, id, "Lần hai", d(2026, 6, 19))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "opinion_answered");
    });
}

#[tokio::test]
async fn an_opinion_about_a_member_is_shown_in_her_review() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let review = app
            .open_review(&actor(), f.g1, "Năm 2026", Period::year(2026))
            .await
            .unwrap();
        let id = app
            .take_opinion(
                &actor(),
                NewOpinion {
                    committee: f.g1,
                    source: OpinionSource::MassOrg,
                    source_name: Some("Hội Cựu chiến binh phường".into()),
                    received_on: d(2026, 5, 4),
                    subject_org: None,
                    subject_member: Some(an),
                    content: "Đồng chí An tích cực vận động nhân dân hiến đất làm đường".into(),
                },
            )
            .await
            .unwrap();
        let before = app.member_review(&actor(), review, an).await.unwrap();
        assert!(before.opinions.is_empty());
        app.attach_opinion(&actor(), id, review).await.unwrap();
        let after = app.member_review(&actor(), review, an).await.unwrap();
        assert_eq!(after.opinions.len(), 1);
        assert!(after.opinions[0].content.contains("hiến đất làm đường"));
        // An opinion without a subject cannot be attached to a review.
        let loose = app
            .take_opinion(
                &actor(),
                NewOpinion {
                    committee: f.g1,
                    source: OpinionSource::Citizen,
                    source_name: None,
                    received_on: d(2026, 5, 4),
                    subject_org: None,
                    subject_member: None,
                    content: "Đề nghị tổ chức đối thoại định kỳ".into(),
                },
            )
            .await
            .unwrap();
        let e = app
            .attach_opinion(&actor(), loose, review)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "opinion_without_subject");
    });
}

#[tokio::test]
async fn a_commitment_is_registered_commented_assessed_and_shown_in_the_review() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2012, 1, 1), true).await;
        // She registers her own; the cell registers its collective's.
        let own = signed_in_with(&app, "dangvien.an", Role::Member, None, Some(an)).await;
        let id = app
            .register_commitment(
                &own,
                CommitSubject::Member(an),
                2026,
                "1. Gương mẫu nơi cư trú\n2. Tham gia đủ sinh hoạt chi bộ",
                d(2026, 1, 15),
            )
            .await
            .unwrap();
        // Not someone else's.
        let e = app
            .register_commitment(
                &own,
                CommitSubject::Member(binh),
                2026,
                "Một việc",
                d(2026, 1, 15),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")));
        let sec = signed_in(&app, "bithu.khu1", Role::Secretary, f.cell_a).await;
        app.register_commitment(
            &sec,
            CommitSubject::Collective(f.cell_a),
            2026,
            "Sinh hoạt chuyên đề hằng quý",
            d(2026, 1, 10),
        )
        .await
        .unwrap();
        let cell = app.cell_commitments(&sec, f.cell_a, 2026).await.unwrap();
        let missing: Vec<&str> = cell.missing().iter().map(|l| l.1.as_str()).collect();
        assert_eq!(missing, ["Trần Thị Bình"]);
        assert!(cell.collective.is_some());
        // The member cannot comment on her own (she sees it, so the refusal says so); the cell
        // comments and assesses.
        let e = app
            .comment_commitment(&own, id, "Tốt", d(2026, 6, 1))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden));
        let other = signed_in(&app, "bithu.g2", Role::Secretary, f.g2).await;
        let e = app
            .assess_commitment(&other, id, "", d(1900, 1, 1))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("commitment")));
        app.comment_commitment(&sec, id, "Thực hiện tốt 6 tháng đầu năm", d(2026, 6, 10))
            .await
            .unwrap();
        app.assess_commitment(&sec, id, "Hoàn thành các nội dung cam kết", d(2026, 6, 14))
            .await
            .unwrap();
        let e = app
            .register_commitment(
                &own,
                CommitSubject::Member(an),
                2026,
                "Khác",
                d(2026, 6, 14),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "commitment_assessed");
        // The review of the year shows it beside her self-assessment.
        let review = app
            .open_review(&actor(), f.g1, "Năm 2026", Period::year(2026))
            .await
            .unwrap();
        let r = app.member_review(&actor(), review, an).await.unwrap();
        let c = r.commitment.expect("commitment in the review");
        assert_eq!(
            c.items,
            ["Gương mẫu nơi cư trú", "Tham gia đủ sinh hoạt chi bộ"]
        );
        assert_eq!(
            c.assessment.as_deref(),
            Some("Hoàn thành các nội dung cam kết")
        );
        assert!(
            app.member_review(&actor(), review, binh)
                .await
                .unwrap()
                .commitment
                .is_none()
        );
        let e = app
            .register_commitment(&sec, CommitSubject::Member(binh), 2026, "", d(2026, 1, 15))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("commitment_items", "required")]);
    });
}

fn version(
    number: &str,
    signed: chrono::NaiveDate,
    changes: Option<&str>,
    text: &str,
) -> NewVersion {
    NewVersion {
        number: number.into(),
        signed_on: Some(signed),
        effective_on: None,
        changes: changes.map(str::to_owned),
        body: text.into(),
        provisions: "Điều 4 | Chuẩn bị nội dung hội nghị Ban Chấp hành | Văn phòng Đảng ủy\nĐiều 7 | Kiểm tra, giám sát thực hiện quy chế | Ủy ban Kiểm tra Đảng ủy".into(),
    }
}

#[tokio::test]
async fn a_regulation_is_versioned_searched_due_for_review_and_its_file_checked() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let sec = signed_in(&app, "bithu.g1", Role::Secretary, f.g1).await;
        let id = app
            .issue_regulation(
                &sec,
                NewRegulation {
                    committee: f.g1,
                    kind: RegulationKind::ExecutiveRules,
                    title: "Quy chế làm việc của Ban Chấp hành Đảng bộ phường khóa 2025–2030"
                        .into(),
                    issuing_body: "Ban Chấp hành Đảng bộ phường Nam Khê".into(),
                    review_months: Some(12),
                    first: version(
                        "01-QC/ĐU",
                        d(2025, 6, 1),
                        None,
                        "Điều 1. Phạm vi điều chỉnh: hội nghị thường kỳ mỗi quý một lần.",
                    ),
                },
            )
            .await
            .unwrap();
        // Review due 1/6/2026, a fortnight ago: on the list.
        let list = app.regulations(&sec, f.g1, "").await.unwrap();
        assert_eq!(list.due_for_review().len(), 1);
        // A revision must say what changed.
        let e = app
            .revise_regulation(&sec, id, version("02-QC/ĐU", d(2026, 6, 10), None, ""))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("changes", "required")]);
        let v2 = app
            .revise_regulation(
                &sec,
                id,
                version(
                    "02-QC/ĐU",
                    d(2026, 6, 10),
                    Some("Sửa Điều 1: hội nghị thường kỳ hai tháng một lần"),
                    "Điều 1. Hội nghị thường kỳ hai tháng một lần.",
                ),
            )
            .await
            .unwrap();
        let list = app.regulations(&sec, f.g1, "").await.unwrap();
        assert_eq!(list.lines[0].current.as_ref().unwrap().number, "02-QC/ĐU");
        assert!(
            list.due_for_review().is_empty(),
            "the revision is reviewed in a year"
        );
        // Search by words of the text, without diacritics; of the title.
        assert_eq!(
            app.regulations(&sec, f.g1, "hai thang mot lan")
                .await
                .unwrap()
                .lines
                .len(),
            1
        );
        assert_eq!(
            app.regulations(&sec, f.g1, "Ban Chấp hành")
                .await
                .unwrap()
                .lines
                .len(),
            1
        );
        assert!(
            app.regulations(&sec, f.g1, "tài chính")
                .await
                .unwrap()
                .lines
                .is_empty()
        );
        let view = app.regulation(&sec, id).await.unwrap();
        assert_eq!(view.versions.len(), 2);
        assert_eq!(view.versions[1].1[1].responsible, "Ủy ban Kiểm tra Đảng ủy");
        // A PDF kept with its checksum; a file that is not what its name says is refused.
        let pdf = b"%PDF-1.4 quy che".to_vec();
        let sum = app
            .attach_regulation_file(&sec, v2, "Quy chế làm việc.pdf", &pdf)
            .await
            .unwrap();
        let got = app.regulation_file(&sec, v2).await.unwrap();
        assert_eq!((got.bytes, got.sha256), (pdf, sum));
        let e = app
            .attach_regulation_file(&sec, v2, "qc.pdf", b"MZ not a pdf")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("file", "file_type")]);
        // Another ward: none of it exists.
        let other = signed_in(&app, "bithu.g2", Role::Secretary, f.g2).await;
        assert!(matches!(
            app.regulation(&other, id).await.unwrap_err(),
            AppError::NotFound("regulation")
        ));
        assert!(matches!(
            app.regulation_file(&other, v2).await.unwrap_err(),
            AppError::NotFound("regulation")
        ));
        assert!(matches!(
            app.revise_regulation(&other, id, NewVersion::default())
                .await
                .unwrap_err(),
            AppError::NotFound("regulation")
        ));
    });
}

#[tokio::test]
async fn a_contest_round_scores_from_answers_and_ranks_its_participants() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_b, d(2011, 1, 1), true).await;
        let cuc = member(&app, "Lê Thị Cúc", f.cell_b, d(2012, 1, 1), true).await;
        let far = member(&app, "Phạm Văn Dũng", f.cell_c, d(2012, 1, 1), true).await;
        let sec = signed_in(&app, "bithu.g1", Role::Secretary, f.g1).await;
        let mut ids = Vec::new();
        for (q, opts, right) in [
            (
                "Thời gian dự bị của đảng viên là bao lâu?",
                vec!["6 tháng", "12 tháng", "18 tháng"],
                1,
            ),
            (
                "Chi bộ có bao nhiêu đảng viên chính thức thì bầu chi ủy?",
                vec!["Từ 5", "Từ 7", "Từ 9"],
                2,
            ),
        ] {
            ids.push(
                app.add_question(
                    &sec,
                    f.g1,
                    NewQuestion {
                        topic: "Điều lệ Đảng".into(),
                        question: q.into(),
                        options: opts.into_iter().map(str::to_owned).collect(),
                        answer: right,
                        source: Some("Điều lệ Đảng, Quy định 232-QĐ/TW".into()),
                    },
                )
                .await
                .unwrap(),
            );
        }
        let e = app
            .add_question(
                &sec,
                f.g1,
                NewQuestion {
                    topic: "Điều lệ".into(),
                    question: "Hỏi?".into(),
                    options: vec!["Có".into(), "có".into()],
                    answer: 0,
                    source: None,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("options", "options_repeated")]);
        let round = app
            .open_round(&sec, f.g1, "Vòng sơ khảo", d(2026, 6, 5), ids.clone())
            .await
            .unwrap();
        // A question of another committee's bank does not exist here.
        let other = app
            .add_question(
                &actor(),
                f.g2,
                NewQuestion {
                    topic: "Khác".into(),
                    question: "Câu hỏi của phường khác?".into(),
                    options: vec!["A".into(), "B".into()],
                    answer: 0,
                    source: None,
                },
            )
            .await
            .unwrap();
        let e = app
            .open_round(&sec, f.g1, "Vòng 2", d(2026, 6, 5), vec![other])
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("question")));
        assert_eq!(
            app.enter_result(&sec, round, an, Score::Answers(vec![Some(1), Some(2)]))
                .await
                .unwrap(),
            1000
        );
        assert_eq!(
            app.enter_result(&sec, round, binh, Score::Answers(vec![Some(1), None]))
                .await
                .unwrap(),
            500
        );
        app.enter_result(&sec, round, cuc, Score::Entered(1000))
            .await
            .unwrap();
        // Outside the ward on the day: refused; out of scope: does not exist.
        let e = app
            .enter_result(&actor(), round, far, Score::Entered(500))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "not_in_contest_subtree");
        let e = app
            .enter_result(&sec, round, far, Score::Entered(500))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")));
        let e = app
            .enter_result(&sec, round, an, Score::Answers(vec![Some(1)]))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("answers", "answers_count")]);
        let r = app.round_results(&sec, round).await.unwrap();
        let table: Vec<(u32, &str, u32)> = r
            .lines
            .iter()
            .map(|l| (l.rank, l.name.as_str(), l.score_tenths))
            .collect();
        assert_eq!(
            table,
            [
                (1, "Lê Thị Cúc", 1000),
                (1, "Nguyễn Văn An", 1000),
                (3, "Trần Thị Bình", 500)
            ]
        );
        assert_eq!(r.lines[2].cell, Some(f.cell_b));
        let g2 = signed_in(&app, "bithu.g2", Role::Secretary, f.g2).await;
        assert!(matches!(
            app.round_results(&g2, round).await.unwrap_err(),
            AppError::NotFound("contest_round")
        ));
    });
}

/// The demo's accountability registers, on the test clock (15/6/2026).
pub(crate) async fn check_demo_accountability(app: &App, city: dangvu_domain::ids::OrgId) {
    let sys = actor();
    let reg = app.asset_register(&sys, city, 2024).await.unwrap();
    assert_eq!(reg.cadres.len(), 8);
    let states: Vec<DeclarationState> = reg
        .cadres
        .iter()
        .flat_map(|c| c.declarations.iter().map(|d| d.state))
        .collect();
    assert_eq!(
        states
            .iter()
            .filter(|s| **s == DeclarationState::Overdue)
            .count(),
        1
    );
    assert_eq!(
        states
            .iter()
            .filter(|s| **s == DeclarationState::Late)
            .count(),
        1
    );
    let inspected = reg
        .cadres
        .iter()
        .find(|c| c.cadre.full_name == "Lê Văn Thành")
        .unwrap();
    assert_eq!(
        inspected.supervisions[0].supervision.trigger,
        Trigger::Complaint
    );
    assert_eq!(inspected.supervisions[0].additional_required, Some(true));
    let tree = app.tree(&sys, app.clock.today()).await.unwrap();
    let ward = tree
        .nodes
        .iter()
        .find(|n| n.name == "Đảng bộ phường Uông Bí")
        .unwrap()
        .id;
    let w = app.due_work(&sys, ward).await.unwrap();
    assert_eq!((w.opinions_due, w.opinions_overdue.len()), (1, 2));
    let regs = app.regulations(&sys, ward, "").await.unwrap();
    assert_eq!(regs.lines.len(), 2);
    let rules = regs
        .lines
        .iter()
        .find(|l| l.regulation.kind == RegulationKind::ExecutiveRules)
        .unwrap();
    assert_eq!(rules.current.as_ref().unwrap().number, "02-QC/ĐU");
    // One cell of the ward has its commitments: its collective's and all but two members'.
    let mut with = Vec::new();
    for n in tree
        .nodes
        .iter()
        .filter(|n| n.parent == Some(ward) && n.kind.is_cell())
    {
        let c = app.cell_commitments(&sys, n.id, 2026).await.unwrap();
        if c.collective.is_some() {
            with.push(c);
        }
    }
    assert_eq!(with.len(), 1);
    assert_eq!(with[0].missing().len(), 2);
    assert!(with[0].lines.len() > 2);
    let rounds = app.rounds(&sys, ward).await.unwrap();
    assert_eq!(rounds.len(), 1);
    let results = app.round_results(&sys, rounds[0].id).await.unwrap();
    assert!(
        results.lines.len() >= 3,
        "{} participants",
        results.lines.len()
    );
    assert_eq!(results.questions.len(), 5);
}
