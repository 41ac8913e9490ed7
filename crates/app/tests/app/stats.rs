//! Membership statistics and movements on the demo (R5, R9): every breakdown adds up to the
//! roll, the movements of any period reconcile, the tables kept as data agree with both.

use dangvu_app::App;
use dangvu_domain::access::Role;
use dangvu_domain::ids::OrgId;
use dangvu_domain::stats::{Dimension, Move};
use dangvu_testkit::{d, on_every_backend, signed_in};

use super::{actor, fixture, member};

pub async fn check_demo_statistics(app: &App, city: OrgId) {
    // The city's đảng bộ until the district level ended (1/7/2025), the province's after.
    let province = app.roots(&actor(), d(2026, 6, 30)).await.unwrap()[0];
    for (org, on) in [(city, d(2018, 12, 31)), (province, d(2026, 6, 30))] {
        let s = app.member_statistics(&actor(), org, on).await.unwrap();
        let roll = app.count_in_subtree(&actor(), org, on).await.unwrap();
        assert_eq!(i64::from(s.tally.total), roll, "{on}");
        for b in &s.tally.breakdowns {
            assert_eq!(
                b.groups.iter().map(|g| g.1).sum::<u32>(),
                s.tally.total,
                "{on} {:?}",
                b.dimension
            );
        }
        let eth = s
            .tally
            .breakdowns
            .iter()
            .find(|b| b.dimension == Dimension::Ethnicity)
            .unwrap();
        assert_eq!(eth.groups[0].0, "Kinh");
        assert!(
            eth.groups[0].1 * 10 > s.tally.total * 9,
            "mostly Kinh: {:?}",
            eth.groups
        );
        let pyramid: u32 = s.tally.pyramid.iter().map(|(_, m, f)| m + f).sum();
        assert_eq!(pyramid, s.tally.total);
    }
    // Movements reconcile over a year and over eight years, and their ends are the rolls.
    for (org, from, to) in [
        (city, d(2018, 1, 1), d(2018, 12, 31)),
        (province, d(2019, 1, 1), d(2026, 11, 30)),
    ] {
        let m = app.member_movements(&actor(), org, from, to).await.unwrap();
        assert!(m.reconciles(), "{m:?}");
        let opening = app
            .count_in_subtree(&actor(), org, from.pred_opt().unwrap())
            .await
            .unwrap();
        let closing = app.count_in_subtree(&actor(), org, to).await.unwrap();
        assert_eq!(
            (i64::from(m.opening), i64::from(m.closing)),
            (opening, closing),
            "{from}–{to}"
        );
        if from.year_ce().1 == 2019 {
            assert!(
                m.ins.iter().any(|(k, n)| *k == Move::Admitted && *n > 0),
                "{m:?}"
            );
            assert!(
                m.outs.iter().any(|(k, n)| *k == Move::Died && *n > 0),
                "{m:?}"
            );
        }
        // The movements table kept as data reads the same numbers.
        let t = app
            .statistical_table(&actor(), org, "bieu-2-bien-dong", to, Some(from))
            .await
            .unwrap();
        let row = |measure: &str| {
            let i = t
                .table
                .rows
                .iter()
                .position(|r| r.measure.as_deref() == Some(measure))
                .unwrap();
            t.cells[i][0]
        };
        assert_eq!(
            (row("opening"), row("in"), row("out"), row("closing")),
            (m.opening, m.total_in(), m.total_out(), m.closing)
        );
    }
    let t = app
        .statistical_table(&actor(), province, "bieu-1-co-cau", d(2026, 6, 30), None)
        .await
        .unwrap();
    let total = app
        .count_in_subtree(&actor(), province, d(2026, 6, 30))
        .await
        .unwrap();
    assert_eq!(i64::from(t.cells[0][0]), total);
    // Women, minorities, believers and probationers are parts of the whole.
    assert!(t.cells[0][1..].iter().all(|n| *n <= t.cells[0][0]));
    use chrono::Datelike;
}

#[tokio::test]
async fn statistics_are_read_in_the_actors_scope_only() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        member(&app, "Trần Thị Bình", f.cell_c, d(2011, 1, 1), true).await;
        let sec_g2 = signed_in(&app, "bithu_g2", Role::Secretary, f.g2).await;
        let s = app
            .member_statistics(&sec_g2, f.g2, d(2026, 6, 15))
            .await
            .unwrap();
        assert_eq!(s.tally.total, 1);
        let theirs = app
            .member_statistics(&sec_g2, f.g1, d(2026, 6, 15))
            .await
            .unwrap_err();
        let missing = app
            .member_statistics(&sec_g2, OrgId(999_999), d(2026, 6, 15))
            .await
            .unwrap_err();
        assert_eq!(format!("{theirs:?}"), format!("{missing:?}"));
        let theirs = app
            .member_movements(&sec_g2, f.g1, d(2026, 1, 1), d(2026, 6, 15))
            .await
            .unwrap_err();
        assert_eq!(format!("{theirs:?}"), format!("{missing:?}"));
        // The whole tree seen from the top counts both.
        let s = app
            .member_statistics(&actor(), f.city, d(2026, 6, 15))
            .await
            .unwrap();
        assert_eq!(s.tally.total, 2);
        let m = app
            .member_movements(&actor(), f.city, d(2010, 1, 1), d(2026, 6, 15))
            .await
            .unwrap();
        assert_eq!(
            (m.opening, m.closing, m.ins.clone()),
            (0, 2, vec![(Move::Admitted, 2)])
        );
        assert_eq!(m.made_official, 2);
    });
}

/// The statistics of every subtree and date, counted from the history in memory and read from
/// the database, after readmissions, corrections of counted fields and new members.
#[tokio::test]
async fn statistics_kept_in_memory_equal_those_read_from_the_database() {
    use dangvu_app::members::NewEvent;
    use dangvu_domain::member::EventKind;
    on_every_backend!(|db| {
        let kept = db.app();
        let f = fixture(&kept).await;
        let a = member(&kept, "Nguyễn Văn An", f.cell_a, d(2000, 3, 2), true).await;
        member(&kept, "Trần Thị Bích", f.cell_a, d(2025, 10, 1), false).await;
        member(&kept, "Lê Văn Cường", f.cell_c, d(1999, 9, 9), true).await;
        let c = member(&kept, "Phạm Văn Dũng", f.cell_b, d(1999, 1, 10), true).await;
        for e in [
            NewEvent::simple(EventKind::RemovedFromRolls, d(2003, 5, 5)).from_old_file(),
            NewEvent::simple(EventKind::Readmitted, d(2012, 6, 6))
                .with_org(f.cell_b)
                .from_old_file(),
        ] {
            kept.record_event(&actor(), c, e).await.unwrap();
        }
        kept.build_timeline().await.unwrap();
        let compare = |label: &'static str| {
            let kept = kept.clone();
            // A new app on the same database has no history in memory: it reads the database.
            let read = App::new(kept.store.clone(), kept.clock.clone());
            async move {
                for (org, on) in [
                    (f.province, d(2026, 6, 15)),
                    (f.g1, d(2026, 6, 15)),
                    (f.cell_b, d(2008, 1, 1)),
                    (f.cell_b, d(2020, 1, 1)),
                    (f.g2, d(2001, 2, 3)),
                ] {
                    let m = kept.member_statistics(&actor(), org, on).await.unwrap();
                    let r = read.member_statistics(&actor(), org, on).await.unwrap();
                    let sorted = |s: &dangvu_app::stats::Statistics| {
                        let mut v: Vec<String> = s.facts.iter().map(|f| format!("{f:?}")).collect();
                        v.sort();
                        v
                    };
                    assert_eq!(sorted(&m), sorted(&r), "{label} {on}");
                    assert_eq!(m.tally, r.tally, "{label} {on}");
                }
            }
        };
        compare("at the start").await;
        let s = kept
            .member_statistics(&actor(), f.cell_b, d(2020, 1, 1))
            .await
            .unwrap();
        // 1999–2003 (four years and three months), then from 2012 (seven years and six).
        assert_eq!(s.facts.len(), 1);
        assert_eq!(s.facts[0].seniority_months, 4 * 12 + 3 + 7 * 12 + 6);

        kept.correct_field(
            &actor(),
            a,
            "ethnicity",
            "Tày",
            "Ghi sai dân tộc",
            &dangvu_domain::decision::Decision::default(),
        )
        .await
        .unwrap();
        compare("after a correction").await;
        let s = kept
            .member_statistics(&actor(), f.cell_a, d(2026, 6, 15))
            .await
            .unwrap();
        let eth = s
            .tally
            .breakdowns
            .iter()
            .find(|b| b.dimension == Dimension::Ethnicity)
            .unwrap();
        assert!(eth.groups.contains(&("Tày".to_owned(), 1)), "{eth:?}");

        member(&kept, "Đỗ Thị Én", f.cell_c, d(2010, 4, 4), true).await;
        compare("after a new member").await;
    });
}

/// A change of organisations updates the history in memory by what it changed, without reading
/// the whole register again: after a move, a rename, a founding, a split, a dissolution and a
/// merger, the tree, member lists and statistics of any date from memory equal those a new app
/// reads from the database.
#[tokio::test]
async fn a_change_of_organisations_updates_the_history_in_memory_without_reading_it_again() {
    use dangvu_app::orgs::NewOrg;
    use dangvu_domain::org::OrgKind;
    on_every_backend!(|db| {
        let kept = db.app();
        let f = fixture(&kept).await;
        let an = member(&kept, "Nguyễn Văn An", f.cell_a, d(2000, 3, 2), true).await;
        member(&kept, "Trần Thị Bích", f.cell_b, d(2010, 10, 1), true).await;
        let cuong = member(&kept, "Lê Văn Cường", f.cell_b, d(1999, 9, 9), true).await;
        member(&kept, "Phạm Văn Dũng", f.cell_c, d(2005, 1, 10), true).await;
        member(&kept, "Hoàng Thị Em", f.cell_c, d(2015, 5, 19), false).await;
        kept.build_timeline().await.unwrap();
        assert_eq!(kept.history_state().0, 1);
        let read = App::new(kept.store.clone(), kept.clock.clone());
        let compare = |step: &'static str| {
            let (kept, read) = (kept.clone(), read.clone());
            async move {
                for on in [
                    d(2019, 6, 1),
                    d(2024, 6, 1),
                    d(2025, 4, 1),
                    d(2025, 7, 1),
                    d(2026, 6, 15),
                ] {
                    // Organisation pages before the tree of the date is kept: a subtree
                    // counted alone, from memory and from the database.
                    for org in [f.province, f.g1, f.g2, f.cell_a, f.cell_c] {
                        let m = kept.org(&actor(), org, on).await.unwrap();
                        let r = read.org(&actor(), org, on).await.unwrap();
                        assert_eq!(
                            format!("{:?}", m.subtree),
                            format!("{:?}", r.subtree),
                            "{step}: subtree of {org:?} on {on}"
                        );
                        let mut m = kept.subtree_ids(&actor(), org, on).await.unwrap();
                        let mut r = read.subtree_ids(&actor(), org, on).await.unwrap();
                        assert_eq!(m.first(), Some(&org));
                        m.sort();
                        r.sort();
                        assert_eq!(m, r, "{step}: ids under {org:?} on {on}");
                    }
                    let m = kept.tree(&actor(), on).await.unwrap();
                    let r = read.tree(&actor(), on).await.unwrap();
                    assert_eq!(
                        format!("{:?}", m.nodes),
                        format!("{:?}", r.nodes),
                        "{step}: tree on {on}"
                    );
                    for org in [f.province, f.g1, f.g2] {
                        let m = kept
                            .list_members(&actor(), org, on, None, 1, 50)
                            .await
                            .unwrap();
                        let r = read
                            .list_members(&actor(), org, on, None, 1, 50)
                            .await
                            .unwrap();
                        assert_eq!(
                            format!("{:?}", m.items),
                            format!("{:?}", r.items),
                            "{step}: list of {org:?} on {on}"
                        );
                        let m = kept.member_statistics(&actor(), org, on).await.unwrap();
                        let r = read.member_statistics(&actor(), org, on).await.unwrap();
                        assert_eq!(m.tally, r.tally, "{step}: statistics of {org:?} on {on}");
                    }
                }
                // Served from memory at the current version, read whole only once.
                let now = kept.data_version().await.unwrap();
                assert_eq!(kept.history_state(), (1, Some(now)), "{step}");
            }
        };
        compare("at the start").await;
        kept.move_org(&actor(), f.cell_a, f.g2, d(2024, 1, 1), "Điều chỉnh")
            .await
            .unwrap();
        compare("a move").await;
        kept.rename_org(
            &actor(),
            f.g1,
            "Đảng bộ phường Nam Khê mới",
            d(2025, 1, 1),
            "Đổi tên",
        )
        .await
        .unwrap();
        compare("a rename").await;
        let new_cell = kept
            .create_org(
                &actor(),
                NewOrg {
                    name: "Chi bộ Khu 9".into(),
                    kind: OrgKind::ChiBoTrucThuoc,
                    parent: Some(f.g1),
                    founded_on: d(2020, 1, 1),
                    decision_ref: None,
                },
            )
            .await
            .unwrap();
        compare("a founding").await;
        let split = kept
            .split_org(
                &actor(),
                f.cell_b,
                "Chi bộ Khu 2B",
                &[cuong],
                &[],
                d(2025, 3, 1),
                "Tách",
            )
            .await
            .unwrap();
        compare("a split").await;
        kept.dissolve_org(
            &actor(),
            f.cell_c,
            d(2025, 6, 1),
            Some(f.cell_a),
            "Giải thể",
        )
        .await
        .unwrap();
        compare("a dissolution").await;
        kept.merge_orgs(
            &actor(),
            &[split, new_cell],
            f.cell_b,
            d(2026, 1, 1),
            "Hợp nhất",
        )
        .await
        .unwrap();
        compare("a merger").await;
        // An, moved with cell A, and Dũng, moved into it by the dissolution, are counted there.
        let list = kept
            .list_members(&actor(), f.g2, d(2026, 6, 15), None, 1, 50)
            .await
            .unwrap();
        assert!(list.items.iter().any(|i| i.id == an));
        assert_eq!(list.total, 3, "An, Dũng and Em in cell A under g2");
    });
}
