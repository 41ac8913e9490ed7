//! Use cases against real databases (SQLite, and PostgreSQL when DANGVU_TEST_PG is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dangvu_app::members::{NewEvent, NewMember};
use dangvu_app::orgs::Appointment;
use dangvu_app::orgs::NewOrg;
use dangvu_app::{Actor, App, AppError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{CardGeneration, DisciplineForm, EventKind, MemberRecord, Status};
use dangvu_domain::org::{OrgKind, Position};
use dangvu_store::Backend;
use dangvu_testkit::{TestDb, d, on_every_backend};

fn actor() -> Actor {
    Actor::new("kiểm thử")
}

fn record(name: &str, birth: chrono::NaiveDate) -> MemberRecord {
    dangvu_testkit::record(name, &[("birth_date", &dangvu_domain::date::iso(birth))])
}

struct Fixture {
    province: OrgId,
    city: OrgId,
    g1: OrgId,
    g2: OrgId,
    cell_a: OrgId,
    cell_b: OrgId,
    cell_c: OrgId,
}

async fn org(
    app: &App,
    name: &str,
    kind: OrgKind,
    parent: Option<OrgId>,
    on: chrono::NaiveDate,
) -> OrgId {
    app.create_org(
        &actor(),
        NewOrg {
            name: name.into(),
            kind,
            parent,
            founded_on: on,
            decision_ref: None,
        },
    )
    .await
    .unwrap()
}

async fn fixture(app: &App) -> Fixture {
    let f = d(1975, 1, 1);
    let province = org(
        app,
        "Đảng bộ tỉnh Quảng Ninh",
        OrgKind::DangBoTinh,
        None,
        d(1963, 10, 30),
    )
    .await;
    let city = org(
        app,
        "Đảng bộ thành phố Uông Bí",
        OrgKind::DangBoHuyen,
        Some(province),
        d(1970, 1, 1),
    )
    .await;
    let g1 = org(
        app,
        "Đảng bộ phường Nam Khê",
        OrgKind::DangBoCoSo,
        Some(city),
        f,
    )
    .await;
    let g2 = org(
        app,
        "Đảng bộ phường Bắc Sơn",
        OrgKind::DangBoCoSo,
        Some(city),
        f,
    )
    .await;
    let cell_a = org(app, "Chi bộ Khu 1", OrgKind::ChiBoTrucThuoc, Some(g1), f).await;
    let cell_b = org(app, "Chi bộ Khu 2", OrgKind::ChiBoTrucThuoc, Some(g1), f).await;
    let cell_c = org(app, "Chi bộ Khu 1", OrgKind::ChiBoTrucThuoc, Some(g2), f).await;
    Fixture {
        province,
        city,
        g1,
        g2,
        cell_a,
        cell_b,
        cell_c,
    }
}

async fn member(
    app: &App,
    name: &str,
    cell: OrgId,
    admitted: chrono::NaiveDate,
    official: bool,
) -> MemberId {
    app.create_member(
        &actor(),
        NewMember {
            record: record(name, d(1980, 5, 1)),
            cell,
            admitted_on: admitted,
            joined_on: None,
            official,
            decision_ref: None,
            card: None,
        },
    )
    .await
    .unwrap()
}

fn code(e: AppError) -> &'static str {
    e.code()
}

fn closing(on: chrono::NaiveDate, reason: &str) -> dangvu_app::Closing {
    dangvu_app::Closing {
        on,
        reason: reason.to_owned(),
    }
}

fn field_codes(e: &AppError) -> Vec<(&'static str, &'static str)> {
    e.fields().iter().map(|f| (f.field, f.code)).collect()
}

#[tokio::test]
async fn moves_never_make_cycles_and_kinds_follow_r1() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let err = app
            .move_org(&actor(), f.g1, f.cell_a, d(2020, 1, 1), "thử")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("parent", "tree_cycle")]);
        let err = app
            .move_org(&actor(), f.city, f.g1, d(2020, 1, 1), "thử")
            .await
            .unwrap_err();
        assert_eq!(code(err), "tree_cycle");
        let err = app
            .move_org(&actor(), f.cell_a, f.city, d(2020, 1, 1), "thử")
            .await
            .unwrap_err();
        assert_eq!(code(err), "parent_kind_not_allowed");
        let err = app
            .move_org(&actor(), f.cell_a, f.g2, d(2020, 1, 1), "")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("reason", "required")]);
        // A district-level organisation cannot be founded after 1/7/2025.
        let err = app
            .create_org(
                &actor(),
                NewOrg {
                    name: "Đảng bộ huyện mới".into(),
                    kind: OrgKind::DangBoHuyen,
                    parent: Some(f.province),
                    founded_on: d(2025, 7, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(code(err), "district_level_abolished");
        // A valid move shows on its date, not before.
        app.move_org(&actor(), f.cell_a, f.g2, d(2020, 1, 1), "Sắp xếp lại")
            .await
            .unwrap();
        let before = app.org(&actor(), f.cell_a, d(2019, 12, 31)).await.unwrap();
        let after = app.org(&actor(), f.cell_a, d(2020, 1, 1)).await.unwrap();
        assert_eq!(before.ancestors.last().unwrap().0, f.g1);
        assert_eq!(after.ancestors.last().unwrap().0, f.g2);
        // A backdated move that would make a cycle later is refused too.
        app.move_org(&actor(), f.g2, f.province, d(2021, 1, 1), "Chuyển")
            .await
            .unwrap();
        let err = app
            .move_org(&actor(), f.city, f.g1, d(2021, 6, 1), "thử")
            .await
            .unwrap_err();
        assert_eq!(code(err), "tree_cycle");
    });
}

#[tokio::test]
async fn dissolving_asks_where_members_go_and_moves_them_in_one_transaction() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a = member(&app, "Nguyễn Thị An", f.cell_a, d(2010, 1, 1), true).await;
        let b = member(&app, "Trần Văn Bình", f.cell_a, d(2011, 1, 1), true).await;
        let err = app
            .dissolve_org(&actor(), f.g1, d(2024, 1, 1), None, "Giải thể")
            .await
            .unwrap_err();
        assert_eq!(code(err), "org_has_children");
        let err = app
            .dissolve_org(&actor(), f.cell_a, d(2024, 1, 1), None, "Giải thể")
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&err),
            vec![("members_to", "members_need_destination")]
        );
        // A destination that is not a cell: refused, and nobody moved.
        let err = app
            .dissolve_org(&actor(), f.cell_a, d(2024, 1, 1), Some(f.g2), "Giải thể")
            .await
            .unwrap_err();
        assert_eq!(code(err), "not_a_cell");
        assert_eq!(
            app.member(&actor(), a, d(2024, 6, 1))
                .await
                .unwrap()
                .state
                .cell,
            Some(f.cell_a)
        );
        let moved = app
            .dissolve_org(
                &actor(),
                f.cell_a,
                d(2024, 1, 1),
                Some(f.cell_b),
                "Hợp nhất khu dân cư",
            )
            .await
            .unwrap();
        assert_eq!(moved, 2);
        for m in [a, b] {
            let v = app.member(&actor(), m, d(2024, 6, 1)).await.unwrap();
            assert_eq!(v.state.cell, Some(f.cell_b));
            assert_eq!(v.events.last().unwrap().event.kind, EventKind::MovedCell);
            assert_eq!(
                app.member(&actor(), m, d(2023, 6, 1))
                    .await
                    .unwrap()
                    .state
                    .cell,
                Some(f.cell_a)
            );
        }
        assert!(
            app.org(&actor(), f.cell_a, d(2024, 1, 1))
                .await
                .unwrap()
                .period
                .is_none()
        );
        assert!(
            app.org(&actor(), f.cell_a, d(2023, 12, 31))
                .await
                .unwrap()
                .period
                .is_some()
        );
    });
}

#[tokio::test]
async fn merge_and_split_keep_everyone_and_are_atomic() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a = member(&app, "Nguyễn Thị An", f.cell_a, d(2010, 1, 1), true).await;
        let c = member(&app, "Lê Văn Cường", f.cell_c, d(2012, 1, 1), true).await;
        // Merging g2 into g1: g2's cells move under g1, g2 is dissolved.
        app.merge_orgs(&actor(), &[f.g2], f.g1, d(2024, 1, 1), "Sáp nhập phường")
            .await
            .unwrap();
        let g1 = app.org(&actor(), f.g1, d(2024, 1, 1)).await.unwrap();
        assert_eq!(g1.subtree.len(), 4);
        assert_eq!(g1.subtree[0].counts.total, 2);
        assert!(
            app.org(&actor(), f.g2, d(2024, 1, 1))
                .await
                .unwrap()
                .period
                .is_none()
        );
        // Merging a cell with members into a đảng bộ is refused as a whole: nothing changes.
        let err = app
            .merge_orgs(&actor(), &[f.cell_b, f.cell_c], f.g1, d(2024, 6, 1), "thử")
            .await
            .unwrap_err();
        assert_eq!(code(err), "not_a_cell");
        assert!(
            app.org(&actor(), f.cell_b, d(2024, 6, 1))
                .await
                .unwrap()
                .period
                .is_some()
        );
        assert_eq!(
            app.member(&actor(), c, d(2024, 6, 1))
                .await
                .unwrap()
                .state
                .cell,
            Some(f.cell_c)
        );
        // Split: a new cell beside cell_a takes member a.
        let new = app
            .split_org(
                &actor(),
                f.cell_a,
                "Chi bộ Khu 1B",
                &[a],
                &[],
                d(2025, 1, 1),
                "Chia tách khu",
            )
            .await
            .unwrap();
        assert_eq!(
            app.member(&actor(), a, d(2025, 1, 1))
                .await
                .unwrap()
                .state
                .cell,
            Some(new)
        );
        let nv = app.org(&actor(), new, d(2025, 1, 1)).await.unwrap();
        assert_eq!(nv.period.unwrap().parent, Some(f.g1));
        let err = app
            .split_org(
                &actor(),
                f.cell_b,
                "Chi bộ X",
                &[c],
                &[],
                d(2025, 2, 1),
                "thử",
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("members", "member_not_in_org")]);
        assert!(
            app.orgs_on(&actor(), d(2025, 2, 1))
                .await
                .unwrap()
                .iter()
                .all(|p| p.name != "Chi bộ X")
        );
    });
}

#[tokio::test]
async fn the_register_enforces_r5_to_r15() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        // Under 18 at admission.
        let err = app
            .create_member(
                &actor(),
                NewMember {
                    record: record("Phạm Thị Dung", d(2000, 6, 1)),
                    cell: f.cell_a,
                    admitted_on: d(2018, 5, 31),
                    joined_on: None,
                    official: false,
                    decision_ref: None,
                    card: None,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&err),
            vec![("admitted_on", "admission_under_18")]
        );
        // Not a cell.
        let err = app
            .create_member(
                &actor(),
                NewMember {
                    record: record("Phạm Thị Dung", d(1990, 6, 1)),
                    cell: f.g1,
                    admitted_on: d(2018, 5, 31),
                    joined_on: None,
                    official: false,
                    decision_ref: None,
                    card: None,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("cell", "not_a_cell")]);
        // A probationary member: official 12 months after admission (R8), no cách chức (R12).
        let p = member(&app, "Phạm Thị Dung", f.cell_a, d(2026, 1, 10), false).await;
        let v = app.member(&actor(), p, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.state.status, Status::Probationary);
        let err = app
            .record_event(
                &actor(),
                p,
                NewEvent::simple(EventKind::Disciplined, d(2026, 3, 1))
                    .from_old_file()
                    .with_discipline(DisciplineForm::CachChuc),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&err),
            vec![("discipline", "discipline_not_allowed_probationary")]
        );
        app.record_event(
            &actor(),
            p,
            NewEvent::simple(EventKind::Disciplined, d(2026, 3, 1))
                .from_old_file()
                .with_discipline(DisciplineForm::KhienTrach),
        )
        .await
        .unwrap();
        let err = app
            .record_event(
                &actor(),
                p,
                NewEvent {
                    kind: Some(EventKind::MadeOfficial),
                    old_file: true,
                    ..NewEvent::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("on", "date_in_future")]);
        // An official member with a card; the card number cannot be reused.
        let a = app
            .create_member(
                &actor(),
                NewMember {
                    record: record("Nguyễn Thị An", d(1980, 1, 1)),
                    cell: f.cell_a,
                    admitted_on: d(2005, 3, 2),
                    joined_on: None,
                    official: true,
                    decision_ref: Some("12-QĐ/ĐU".into()),
                    card: Some(("12345678".into(), CardGeneration::Ct29_2003, d(2006, 6, 1))),
                },
            )
            .await
            .unwrap();
        let v = app.member(&actor(), a, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.state.official_on, Some(d(2006, 3, 2)));
        assert_eq!(v.seniority_months, 21 * 12 + 3);
        assert_eq!(v.cards.len(), 1);
        let b = member(&app, "Trần Văn Bình", f.cell_b, d(2001, 1, 1), true).await;
        let err = app
            .add_card(
                &actor(),
                b,
                "12345678",
                CardGeneration::Ct29_2003,
                d(2010, 1, 1),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&err),
            vec![("card_number", "card_number_taken")]
        );
        let err = app
            .add_card(
                &actor(),
                p,
                "87654321",
                CardGeneration::Ct29_2003,
                d(2026, 5, 1),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&err),
            vec![("card_number", "card_needs_official")]
        );
        // A new card replaces the old one in the history.
        app.add_card(
            &actor(),
            a,
            "QN2025000001",
            CardGeneration::Ct51_2025,
            d(2025, 8, 20),
        )
        .await
        .unwrap();
        let cards = app.member(&actor(), a, d(2026, 6, 15)).await.unwrap().cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].ended_on, Some(d(2025, 8, 20)));
        assert_eq!(cards[0].status, dangvu_domain::card::CardStatus::Replaced);
        // Corrections keep the old value, the reason, and write an audit row (R15).
        let err = app
            .correct_field(
                &actor(),
                a,
                "cccd",
                "123",
                "Nhập sai",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("cccd", "cccd_format")]);
        let err = app
            .correct_field(
                &actor(),
                a,
                "cccd",
                "022080000001",
                " ",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&err), vec![("reason", "required")]);
        app.correct_field(
            &actor(),
            a,
            "full_name",
            "Nguyễn Thị Ân",
            "Sai dấu so với CCCD",
            &dangvu_domain::decision::Decision::reference("Công văn 5-CV/ĐU"),
        )
        .await
        .unwrap();
        let v = app.member(&actor(), a, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.record.full_name, "Nguyễn Thị Ân");
        assert_eq!(v.corrections[0].old_value.as_deref(), Some("Nguyễn Thị An"));
        assert_eq!(v.corrections[0].reason, "Sai dấu so với CCCD");
        let err = app
            .correct_field(
                &actor(),
                a,
                "birth_date",
                "01/01/1990",
                "Sai năm sinh",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&err),
            vec![("value", "birth_date_contradicts_events")]
        );
        // The renamed member is found by her new name, without diacritics.
        let l = app
            .list_members(
                &actor(),
                f.province,
                d(2026, 6, 15),
                Some("nguyen thi an".into()),
                1,
                50,
            )
            .await
            .unwrap();
        assert_eq!(l.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![a]);
        let mut c = db.store.pool.acquire().await.unwrap();
        let trail = dangvu_store::audit::for_entity(&mut c, "member", a.0)
            .await
            .unwrap();
        let correction = trail.iter().find(|e| e.action == "member.correct").unwrap();
        assert_eq!(
            correction.old_value.as_deref(),
            Some("{\"full_name\":\"Nguyễn Thị An\"}")
        );
        assert_eq!(correction.actor, "kiểm thử");
    });
}

#[tokio::test]
async fn committee_positions_need_official_members_of_the_subtree() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a = member(&app, "Nguyễn Thị An", f.cell_a, d(2010, 1, 1), true).await;
        let p = member(&app, "Phạm Thị Dung", f.cell_a, d(2026, 1, 10), false).await;
        let c = member(&app, "Lê Văn Cường", f.cell_c, d(2012, 1, 1), true).await;
        app.appoint(
            &actor(),
            f.cell_a,
            &Appointment::new(a, Position::BiThu, "2025–2030", d(2026, 2, 1), None),
        )
        .await
        .unwrap();
        let err = app
            .appoint(
                &actor(),
                f.cell_a,
                &Appointment::new(p, Position::PhoBiThu, "2025–2030", d(2026, 2, 1), None),
            )
            .await
            .unwrap_err();
        assert_eq!(code(err), "position_needs_official");
        let err = app
            .appoint(
                &actor(),
                f.cell_a,
                &Appointment::new(c, Position::PhoBiThu, "2025–2030", d(2026, 2, 1), None),
            )
            .await
            .unwrap_err();
        assert_eq!(code(err), "member_not_in_org");
        // The grassroots committee may take members of any of its cells.
        app.appoint(
            &actor(),
            f.g1,
            &Appointment::new(a, Position::BiThu, "2025–2030", d(2026, 2, 1), None),
        )
        .await
        .unwrap();
        let v = app.org(&actor(), f.cell_a, d(2026, 6, 1)).await.unwrap();
        assert_eq!(v.committee.len(), 1);
        assert_eq!(v.committee[0].member_name, "Nguyễn Thị An");
        assert!(
            app.org(&actor(), f.cell_a, d(2026, 1, 31))
                .await
                .unwrap()
                .committee
                .is_empty()
        );
    });
}

#[tokio::test]
async fn counts_follow_the_events_and_the_date() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let a = member(&app, "Nguyễn Thị An", f.cell_a, d(2010, 1, 1), true).await;
        member(&app, "Trần Văn Bình", f.cell_a, d(2026, 1, 1), false).await;
        let c = member(&app, "Lê Văn Cường", f.cell_b, d(2000, 1, 1), true).await;
        app.record_event(
            &actor(),
            a,
            NewEvent::simple(EventKind::Exempted, d(2020, 1, 1)).from_old_file(),
        )
        .await
        .unwrap();
        app.record_event(
            &actor(),
            c,
            NewEvent::simple(EventKind::Died, d(2022, 5, 5)),
        )
        .await
        .unwrap();
        let t = app.tree(&actor(), d(2026, 6, 1)).await.unwrap();
        let g1 = t.nodes.iter().find(|n| n.id == f.g1).unwrap();
        assert_eq!(
            (
                g1.counts.total,
                g1.counts.official,
                g1.counts.probationary,
                g1.counts.exempt
            ),
            (2, 1, 1, 1)
        );
        let t2019 = app.tree(&actor(), d(2019, 6, 1)).await.unwrap();
        let g1 = t2019.nodes.iter().find(|n| n.id == f.g1).unwrap();
        assert_eq!(
            (g1.counts.total, g1.counts.official, g1.counts.exempt),
            (2, 2, 0)
        );
        let root = t.nodes.iter().find(|n| n.id == f.province).unwrap();
        assert_eq!(root.counts.total, 2);
        assert_eq!(root.depth, 0);
        // Tree order: children by Vietnamese name order (Bắc Sơn before Nam Khê).
        let order: Vec<OrgId> = t
            .nodes
            .iter()
            .filter(|n| n.depth == 2)
            .map(|n| n.id)
            .collect();
        assert_eq!(order, vec![f.g2, f.g1]);
        // A backdated event that contradicts a later one is refused.
        let err = app
            .record_event(
                &actor(),
                c,
                NewEvent::simple(EventKind::Exempted, d(2021, 1, 1)).from_old_file(),
            )
            .await;
        assert!(err.is_ok());
        let err = app
            .record_event(
                &actor(),
                c,
                NewEvent::simple(EventKind::ExemptionEnded, d(2023, 1, 1)),
            )
            .await
            .unwrap_err();
        assert_eq!(code(err), "member_died");
    });
}

#[tokio::test]
async fn the_demo_is_uong_bi_as_the_article_describes() {
    // The demo is big: SQLite always; PostgreSQL in CI (DANGVU_TEST_PG) as well.
    for backend in dangvu_testkit::backends() {
        let db = TestDb::new(backend).await;
        let app = db.app();
        let s = app.load_demo(&|_, _| {}).await.unwrap();
        assert_eq!(s.rated_2018, 6563);
        let t2018 = app.tree(&actor(), d(2018, 12, 31)).await.unwrap();
        let city = t2018
            .nodes
            .iter()
            .find(|n| n.name == "Đảng bộ thành phố Uông Bí")
            .unwrap();
        let under_city: Vec<_> = t2018
            .nodes
            .iter()
            .filter(|n| n.parent == Some(city.id))
            .collect();
        assert_eq!(under_city.len(), 50);
        review::check_demo_review(&app, city.id).await;
        review::check_demo_review_2025(&app).await;
        meetings::check_demo_meetings_2019(&app, city.id).await;
        lifecycle::check_demo_lifecycle(&app, city.id).await;
        dues::check_demo_dues(&app).await;
        cards::check_demo_cards(&app).await;
        badges::check_demo_badges(&app).await;
        stats::check_demo_statistics(&app, city.id).await;
        accountability::check_demo_accountability(&app, city.id).await;
        // The history in memory gives the very tree and counts the database gives, on any date
        // (before, across and after the 2025 regrouping), and the same organisation pages.
        let fresh = db.app();
        fresh.build_timeline().await.unwrap();
        for on in [
            d(2018, 12, 31),
            d(2019, 6, 30),
            d(2025, 6, 30),
            d(2025, 7, 1),
            d(2026, 6, 15),
        ] {
            let a = app.tree(&actor(), on).await.unwrap();
            let b = fresh.tree(&actor(), on).await.unwrap();
            let row = |n: &dangvu_app::views::TreeNode| {
                (
                    n.id,
                    n.name.clone(),
                    n.parent,
                    n.depth,
                    n.counts,
                    n.children,
                )
            };
            assert_eq!(
                a.nodes.iter().map(row).collect::<Vec<_>>(),
                b.nodes.iter().map(row).collect::<Vec<_>>(),
                "{on}"
            );
        }
        let ward_now = fresh
            .tree(&actor(), d(2026, 6, 15))
            .await
            .unwrap()
            .nodes
            .iter()
            .find(|n| n.name == "Đảng bộ phường Yên Tử")
            .map(|n| n.id)
            .unwrap();
        let fresh2 = db.app();
        fresh2.build_timeline().await.unwrap();
        let from_memory = fresh2
            .org(&actor(), ward_now, d(2026, 6, 15))
            .await
            .unwrap();
        let from_db = db
            .app()
            .org(&actor(), ward_now, d(2026, 6, 15))
            .await
            .unwrap();
        assert_eq!(
            from_memory
                .subtree
                .iter()
                .map(|n| (n.id, n.counts))
                .collect::<Vec<_>>(),
            from_db
                .subtree
                .iter()
                .map(|n| (n.id, n.counts))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            under_city
                .iter()
                .filter(|n| n.kind == OrgKind::DangBoCoSo)
                .count(),
            30
        );
        assert_eq!(
            t2018
                .nodes
                .iter()
                .filter(|n| n.kind == OrgKind::ChiBoTrucThuoc)
                .count(),
            302
        );
        // On the rolls at the end of 2018: the rated members plus the exempt and the recently admitted.
        assert!(
            city.counts.total > 6563 && city.counts.exempt > 0 && city.counts.probationary > 0,
            "{:?}",
            city.counts
        );
        assert_eq!(
            city.counts.total - city.counts.exempt - late_2018(&app).await,
            6563
        );
        // Today the city level is gone: three wards directly under the province hold the same organisations.
        let now = app.tree(&actor(), d(2026, 6, 15)).await.unwrap();
        assert!(
            now.nodes
                .iter()
                .all(|n| n.name != "Đảng bộ thành phố Uông Bí")
        );
        let wards: Vec<_> = now
            .nodes
            .iter()
            .filter(|n| n.kind == OrgKind::DangBoXa)
            .collect();
        assert_eq!(
            wards.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(),
            vec![
                "Đảng bộ phường Uông Bí",
                "Đảng bộ phường Vàng Danh",
                "Đảng bộ phường Yên Tử"
            ]
        );
        assert_eq!(
            wards
                .iter()
                .map(|w| now.nodes.iter().filter(|n| n.parent == Some(w.id)).count())
                .sum::<usize>(),
            50
        );
        // Committees exist for the current term.
        let g = under_city[0].id;
        assert!(
            !app.org(&actor(), g, d(2026, 6, 15))
                .await
                .unwrap()
                .committee
                .is_empty()
        );
        if backend == Backend::Sqlite {
            let l = app
                .list_members(
                    &actor(),
                    now.nodes[0].id,
                    d(2026, 6, 15),
                    Some("duc".into()),
                    1,
                    50,
                )
                .await
                .unwrap();
            assert!(l.total > 10);
            assert!(l.items.iter().all(|i| {
                dangvu_domain::text::fold(&i.full_name)
                    .split(' ')
                    .any(|w| w.starts_with("duc"))
            }));
        }
        db.cleanup().await;
    }
}

/// Members admitted after 30/6/2018 and on the rolls at the end of 2018 (not rated in 2018).
async fn late_2018(app: &App) -> i64 {
    let root = app.tree(&actor(), d(2018, 12, 31)).await.unwrap().nodes[0].id;
    let mut n = 0;
    let mut page = 1;
    loop {
        let l = app
            .list_members(&actor(), root, d(2018, 12, 31), None, page, 500)
            .await
            .unwrap();
        for it in &l.items {
            if it.status == Status::Probationary {
                let v = app.member(&actor(), it.id, d(2018, 12, 31)).await.unwrap();
                if v.state.admitted_on.unwrap() > d(2018, 6, 30) {
                    n += 1;
                }
            }
        }
        if page >= l.pages() {
            break;
        }
        page += 1;
    }
    n
}

#[derive(Debug, Clone)]
enum Op {
    Move(usize, usize),
    Merge(usize, usize),
    Split(usize, usize),
    Dissolve(usize, usize),
}

fn op_strategy() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        (0usize..7, 0usize..7).prop_map(|(a, b)| Op::Move(a, b)),
        (0usize..7, 0usize..7).prop_map(|(a, b)| Op::Merge(a, b)),
        (0usize..7, 0usize..6).prop_map(|(a, m)| Op::Split(a, m)),
        (0usize..7, 0usize..7).prop_map(|(a, b)| Op::Dissolve(a, b)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]
    /// Tree invariants under random moves, merges, splits and dissolutions through the use
    /// cases: the tree stays acyclic on every date, no member is ever lost or counted twice,
    /// and an action the rules refuse writes nothing at all.
    #[test]
    fn random_reorganisations_keep_the_tree_and_the_members(ops in proptest::collection::vec(op_strategy(), 1..8)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let db = TestDb::new(Backend::Sqlite).await;
            let app = db.app();
            let f = fixture(&app).await;
            let names = ["Nguyễn Thị An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"];
            let cells = [f.cell_a, f.cell_b, f.cell_c];
            let mut members = Vec::new();
            for (i, n) in names.iter().enumerate() {
                members.push(member(&app, n, cells[i % 3], d(2010, 1, 1), true).await);
            }
            let mut orgs = vec![f.province, f.city, f.g1, f.g2, f.cell_a, f.cell_b, f.cell_c];
            for (i, op) in ops.iter().enumerate() {
                let on = d(2020, 1 + (i as u32 % 12), 1) + chrono::Duration::days(400 * (i as i64 / 12));
                let before = {
                    let mut c = db.store.pool.acquire().await.unwrap();
                    dangvu_store::audit::count(&mut c).await.unwrap()
                };
                let r: Result<(), AppError> = match op {
                    Op::Move(a, b) => app.move_org(&actor(), orgs[*a], orgs[*b], on, "thử").await,
                    Op::Merge(a, b) => app.merge_orgs(&actor(), &[orgs[*a]], orgs[*b], on, "thử").await,
                    Op::Split(a, m) => app.split_org(&actor(), orgs[*a], "Tổ chức tách ra", &[members[*m]], &[], on, "thử").await.map(|id| orgs.push(id)),
                    Op::Dissolve(a, b) => app.dissolve_org(&actor(), orgs[*a], on, Some(orgs[*b]), "thử").await.map(|_| ()),
                };
                let after = {
                    let mut c = db.store.pool.acquire().await.unwrap();
                    dangvu_store::audit::count(&mut c).await.unwrap()
                };
                match &r {
                    Ok(()) => assert!(after > before, "{op:?} changed nothing"),
                    Err(e) => {
                        assert!(matches!(e, AppError::Domain(_)), "{op:?}: {e:?}");
                        assert_eq!(after, before, "{op:?} was refused ({}) but wrote", e.code());
                    }
                }
                let mut snap = dangvu_domain::org::TreeSnapshot::default();
                for p in app.orgs_on(&actor(), on).await.unwrap() {
                    snap.insert(p.org, p.kind, p.parent);
                }
                assert!(snap.is_acyclic(), "cycle after {op:?}");
                assert_eq!(app.count_in_subtree(&actor(), f.province, on).await.unwrap(), 6, "members lost or doubled after {op:?}");
                for m in &members {
                    let cell = app.member(&actor(), *m, on).await.unwrap().state.cell.unwrap();
                    assert!(snap.kind.get(&cell).is_some_and(|k| k.is_cell()), "member in a dead organisation after {op:?}");
                }
            }
            db.cleanup().await;
        });
    }
}

#[path = "app/security.rs"]
mod security;

#[path = "app/review.rs"]
mod review;

#[path = "app/meetings.rs"]
mod meetings;

#[path = "app/abuse.rs"]
mod abuse;

/// A kept member list follows renames in place (the order moves, nothing is read again), and
/// whatever renames come, every page shows the Vietnamese order a fresh read would give; any
/// other change makes the list be read again.
#[tokio::test]
async fn kept_lists_follow_renames_in_vietnamese_order() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        const NAMES: [&str; 12] = [
            "Nguyễn Văn An",
            "Trần Thị Ánh",
            "Lê Văn Ăn",
            "Phạm Thị Bình",
            "Hoàng Văn Dũng",
            "Vũ Văn Đức",
            "Đỗ Thị Giang",
            "Bùi Văn Hải",
            "Ngô Thị Lan",
            "Dương Văn Minh",
            "Lý Thị Nga",
            "Đặng Văn Yên",
        ];
        let mut ids = Vec::new();
        for n in NAMES {
            ids.push(member(&app, n, f.cell_a, d(2010, 1, 1), true).await);
        }
        let on = d(2026, 6, 15);
        let all = |app: App| async move {
            let mut names = Vec::new();
            for page in 1..=3 {
                let l = app
                    .list_members(&actor(), f.g1, on, None, page, 5)
                    .await
                    .unwrap();
                names.extend(l.items.into_iter().map(|i| i.full_name));
            }
            names
        };
        // Page 2 keeps the whole order in the background.
        app.list_members(&actor(), f.g1, on, None, 2, 5)
            .await
            .unwrap();
        for _ in 0..100 {
            if app.kept_list_version(f.g1, on).is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(
            app.kept_list_version(f.g1, on).is_some(),
            "the order is kept"
        );
        let mut current: Vec<String> = NAMES.iter().map(|s| s.to_string()).collect();
        let mut seed = 7u64;
        let given = ["Anh", "Ân", "Bảo", "Chi", "Duy", "Đào", "Hà", "Yến", "Ý"];
        for round in 0..8 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let who = (seed >> 33) as usize % ids.len();
            let name = format!("Trần Văn {}", given[(seed >> 13) as usize % given.len()]);
            app.correct_field(
                &actor(),
                ids[who],
                "full_name",
                &name,
                "Đổi tên",
                &dangvu_domain::decision::Decision::default(),
            )
            .await
            .unwrap();
            current[who] = name;
            let mut expected = current.clone();
            expected.sort_by_cached_key(|n| dangvu_domain::text::name_sort_key(n));
            let got = all(app.clone()).await;
            // Ties (the same new name twice) are in id order; compare the names.
            assert_eq!(got, expected, "round {round}");
            assert_eq!(
                app.kept_list_version(f.g1, on),
                Some(app.data_version().await.unwrap()),
                "moved in place, round {round}"
            );
        }
        // Another kind of change: the kept order is not trusted.
        member(&app, "Mai Thị Zoan", f.cell_a, d(2011, 1, 1), true).await;
        current.push("Mai Thị Zoan".into());
        current.sort_by_cached_key(|n| dangvu_domain::text::name_sort_key(n));
        let l = app
            .list_members(&actor(), f.g1, on, None, 3, 5)
            .await
            .unwrap();
        assert_eq!(l.total, 13);
        let mut got = all(app.clone()).await;
        got.extend(
            app.list_members(&actor(), f.g1, on, None, 4, 5)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|i| i.full_name),
        );
        assert_eq!(got.len(), 13);
        assert_eq!(got, current, "the new member in her place");
    });
}

/// The history in memory follows changes: after a member's change it re-reads her spans, after
/// an organisation's change the organisation periods; either way the tree and the member list
/// of any date equal the database's, sorted in memory.
#[tokio::test]
async fn the_history_in_memory_follows_changes_of_members_and_organisations() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_b, d(2012, 1, 1), true).await;
        member(&app, "Lê Văn Cường", f.cell_c, d(2015, 1, 1), false).await;
        app.build_timeline().await.unwrap();
        let dates = [
            d(2011, 6, 1),
            d(2019, 12, 31),
            d(2024, 2, 1),
            d(2026, 6, 15),
        ];
        let same = |step: &'static str| {
            let app = app.clone();
            let sql = db.app();
            async move {
                for on in dates {
                    let row = |n: &dangvu_app::views::TreeNode| (n.id, n.parent, n.counts);
                    let a: Vec<_> = app
                        .tree(&actor(), on)
                        .await
                        .unwrap()
                        .nodes
                        .iter()
                        .map(row)
                        .collect();
                    let b: Vec<_> = sql
                        .tree(&actor(), on)
                        .await
                        .unwrap()
                        .nodes
                        .iter()
                        .map(row)
                        .collect();
                    assert_eq!(a, b, "{step} on {on}");
                    // The member list of the city on that date, sorted in memory when the
                    // history holds (then kept from the first page), by the database otherwise.
                    let item =
                        |i: dangvu_app::views::ListItem| (i.id, i.full_name, i.cell, i.status);
                    let a: Vec<_> = app
                        .list_members(&actor(), f.city, on, None, 1, 500)
                        .await
                        .unwrap()
                        .items
                        .into_iter()
                        .map(item)
                        .collect();
                    let b: Vec<_> = sql
                        .list_members(&actor(), f.city, on, None, 1, 500)
                        .await
                        .unwrap()
                        .items
                        .into_iter()
                        .map(item)
                        .collect();
                    assert_eq!(a, b, "list: {step} on {on}");
                    assert_eq!(
                        app.kept_list_version(f.city, on),
                        Some(app.data_version().await.unwrap()),
                        "sorted in memory: {step} on {on}"
                    );
                }
            }
        };
        same("built").await;
        app.record_event(
            &actor(),
            an,
            NewEvent::simple(EventKind::Exempted, d(2019, 1, 1)).from_old_file(),
        )
        .await
        .unwrap();
        same("an exempted").await;
        member(&app, "Phạm Thị Dung", f.cell_b, d(2023, 5, 1), false).await;
        app.correct_field(
            &actor(),
            binh,
            "full_name",
            "Trần Thị Bính",
            "Sai chính tả",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        same("a member added, another renamed").await;
        app.record_event(
            &actor(),
            binh,
            NewEvent::simple(EventKind::Died, d(2025, 1, 10)),
        )
        .await
        .unwrap();
        same("binh died").await;
        // An organisation's change: the history in memory takes the organisation periods again.
        app.move_org(
            &actor(),
            f.cell_c,
            f.g1,
            d(2020, 1, 1),
            "Điều chỉnh địa giới",
        )
        .await
        .unwrap();
        same("cell C moved under g1").await;
        app.build_timeline().await.unwrap();
        same("read again").await;
    });
}

#[path = "app/lifecycle.rs"]
mod lifecycle;

#[path = "app/transfers.rs"]
mod transfers;

#[path = "app/dues.rs"]
mod dues;

#[path = "app/cards.rs"]
mod cards;

#[path = "app/badges.rs"]
mod badges;

#[path = "app/import.rs"]
mod import;

#[path = "app/stats.rs"]
mod stats;

#[path = "app/accountability.rs"]
mod accountability;
