//! The register's history in memory against the database: after any change, what the server
//! answers from memory (tree, lists, searches, statistics) equals what a new app on the same
//! database reads from it, and a change of organisations does not read the register again.

use dangvu_app::App;
use dangvu_testkit::{d, on_every_backend};

use super::{actor, fixture, member};

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

/// A search of any subtree and date from the history in memory finds what the database finds,
/// in the same order, after renames and new members, with and without diacritics.
#[tokio::test]
async fn searches_from_memory_equal_those_of_the_database() {
    use dangvu_domain::decision::Decision;
    on_every_backend!(|db| {
        let kept = db.app();
        let f = fixture(&kept).await;
        let an = member(&kept, "Nguyễn Văn An", f.cell_a, d(2000, 3, 2), true).await;
        member(&kept, "Nguyễn Thị Anh", f.cell_b, d(2010, 10, 1), true).await;
        member(&kept, "Lê Văn Đức", f.cell_c, d(1999, 9, 9), true).await;
        member(&kept, "Tôn Nữ Thị Ngọc Hà", f.cell_a, d(2015, 5, 19), false).await;
        member(&kept, "Trần Đức Anh", f.cell_b, d(2021, 1, 1), true).await;
        kept.build_timeline().await.unwrap();
        let read = App::new(kept.store.clone(), kept.clock.clone());
        let compare = |step: &'static str| {
            let (kept, read) = (kept.clone(), read.clone());
            async move {
                for q in [
                    "an",
                    "nguyen",
                    "Nguyễn V",
                    "duc",
                    "đức anh",
                    "ton ha",
                    "thi",
                    "x",
                    "anh tran",
                ] {
                    for org in [f.province, f.g1, f.cell_b] {
                        for on in [d(2012, 1, 1), d(2026, 6, 15)] {
                            let m = kept
                                .list_members(&actor(), org, on, Some(q.into()), 1, 50)
                                .await
                                .unwrap();
                            let r = read
                                .list_members(&actor(), org, on, Some(q.into()), 1, 50)
                                .await
                                .unwrap();
                            let names = |l: &dangvu_app::views::MemberList| {
                                l.items
                                    .iter()
                                    .map(|i| i.full_name.clone())
                                    .collect::<Vec<_>>()
                            };
                            assert_eq!(names(&m), names(&r), "{step}: {q:?} in {org:?} on {on}");
                            assert_eq!(m.total, r.total, "{step}: {q:?} in {org:?} on {on}");
                        }
                    }
                }
            }
        };
        compare("at the start").await;
        let hits = kept
            .list_members(
                &actor(),
                f.province,
                d(2026, 6, 15),
                Some("anh".into()),
                1,
                50,
            )
            .await
            .unwrap();
        assert_eq!(hits.total, 2, "Nguyễn Thị Anh and Trần Đức Anh");
        kept.correct_field(
            &actor(),
            an,
            "full_name",
            "Phạm Văn Anh",
            "Sai tên",
            &Decision::default(),
        )
        .await
        .unwrap();
        member(&kept, "Đỗ Thị Anh Thư", f.cell_c, d(2022, 2, 2), true).await;
        compare("after a rename and a new member").await;
        let hits = kept
            .list_members(
                &actor(),
                f.province,
                d(2026, 6, 15),
                Some("anh".into()),
                1,
                50,
            )
            .await
            .unwrap();
        assert_eq!(hits.total, 4);
        assert_eq!(kept.history_state().0, 1, "the register was read once");
    });
}
