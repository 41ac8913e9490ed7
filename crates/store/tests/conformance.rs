//! The store conformance suite: the same assertions on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dangvu_domain::ids::OrgId;
use dangvu_domain::member::{Event, EventKind, MemberRecord, Sex, Span, Status};
use dangvu_domain::org::OrgKind;
use dangvu_store::members::{self as m, EventRow, ListQuery};
use dangvu_store::orgs::{self as o, OrgPeriod};
use dangvu_store::{StoreError, audit};
use dangvu_testkit::{d, on_every_backend};

fn rec(name: &str, cccd: Option<&str>) -> MemberRecord {
    MemberRecord {
        full_name: name.into(),
        birth_name: None,
        aliases: None,
        sex: Sex::Female,
        birth_date: d(1980, 2, 29),
        birth_place: Some("Uông Bí, Quảng Ninh".into()),
        home_town: None,
        residence: None,
        ethnicity: "Kinh".into(),
        religion: None,
        cccd: cccd.map(|c| dangvu_domain::member::Cccd::parse(c).unwrap()),
        education: None,
        political_theory: None,
        professional: None,
        occupation: None,
        workplace: None,
        history_number: None,
        army: false,
        police: true,
        retired: false,
    }
}

/// A card in use, issued on 1/1/2010 (the 2003 generation), of `member`.
fn card_of(member: dangvu_domain::ids::MemberId, number: &str) -> m::Card {
    m::Card {
        id: 0,
        member,
        number: number.into(),
        generation: dangvu_domain::member::CardGeneration::Ct29_2003,
        issued_on: d(2010, 1, 1),
        issuer: None,
        status: dangvu_domain::card::CardStatus::InUse,
        ended_on: None,
        note: None,
    }
}

fn period(
    org: OrgId,
    parent: Option<OrgId>,
    name: &str,
    kind: OrgKind,
    from: chrono::NaiveDate,
) -> OrgPeriod {
    OrgPeriod {
        org,
        parent,
        name: name.into(),
        kind,
        valid_from: from,
        valid_to: None,
        change: "founded".into(),
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_the_database_starts_empty() {
    on_every_backend!(|db| {
        assert_eq!(db.store.migrate().await.unwrap(), 0, "{:?}", db.backend);
        assert!(db.store.is_empty().await.unwrap());
    });
}

#[tokio::test]
async fn applied_migrations_are_checksummed_and_a_changed_one_is_refused() {
    on_every_backend!(|db| {
        let mut conn = db.store.pool.acquire().await.unwrap();
        let sums: Vec<Option<String>> =
            sqlx::query_scalar("SELECT checksum FROM dangvu_migrations ORDER BY version")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert!(sums.len() >= 12, "{:?}", db.backend);
        assert!(
            sums.iter()
                .all(|c| c.as_ref().is_some_and(|c| c.len() == 64)),
            "{sums:?}"
        );
        // A database migrated before checksums were kept gets them, and migrates again.
        sqlx::query("UPDATE dangvu_migrations SET checksum = NULL")
            .execute(&mut *conn)
            .await
            .unwrap();
        assert_eq!(db.store.migrate().await.unwrap(), 0);
        let first: Option<String> =
            sqlx::query_scalar("SELECT checksum FROM dangvu_migrations WHERE version = 1")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(first, sums[0]);
        // A migration whose text changed after it ran is refused, and named.
        sqlx::query("UPDATE dangvu_migrations SET checksum = 'x' WHERE version = 3")
            .execute(&mut *conn)
            .await
            .unwrap();
        let e = db.store.migrate().await.unwrap_err().to_string();
        assert!(e.contains("migration 3") && e.contains("changed"), "{e}");
        // So is a database migrated by a newer program.
        sqlx::query("UPDATE dangvu_migrations SET checksum = $1 WHERE version = 3")
            .bind(&sums[2])
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("INSERT INTO dangvu_migrations (version, name, applied_at, checksum) VALUES (9999, 'future', '2030-01-01', 'y')")
            .execute(&mut *conn)
            .await
            .unwrap();
        let e = db.store.migrate().await.unwrap_err().to_string();
        assert!(e.contains("9999") && e.contains("newer"), "{e}");
    });
}

#[tokio::test]
async fn dated_tree_answers_as_of_any_date() {
    on_every_backend!(|db| {
        let mut tx = db.store.begin().await.unwrap();
        let now = "2026-01-01T00:00:00Z";
        let p = o::insert_org(&mut tx, d(1963, 10, 30), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                p,
                None,
                "Đảng bộ tỉnh Quảng Ninh",
                OrgKind::DangBoTinh,
                d(1963, 10, 30),
            ),
        )
        .await
        .unwrap();
        let city = o::insert_org(&mut tx, d(1970, 1, 1), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                city,
                Some(p),
                "Đảng bộ thành phố Uông Bí",
                OrgKind::DangBoHuyen,
                d(1970, 1, 1),
            ),
        )
        .await
        .unwrap();
        let ward = o::insert_org(&mut tx, d(2025, 7, 1), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                ward,
                Some(p),
                "Đảng bộ phường Vàng Danh",
                OrgKind::DangBoXa,
                d(2025, 7, 1),
            ),
        )
        .await
        .unwrap();
        let g = o::insert_org(&mut tx, d(1975, 1, 1), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                g,
                Some(city),
                "Đảng bộ phường Nam Khê",
                OrgKind::DangBoCoSo,
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
        // Regrouping on 1/7/2025.
        o::close_open_period(&mut tx, g, d(2025, 7, 1))
            .await
            .unwrap();
        o::insert_period(
            &mut tx,
            &OrgPeriod {
                change: "moved".into(),
                ..period(
                    g,
                    Some(ward),
                    "Đảng bộ phường Nam Khê",
                    OrgKind::DangBoCoSo,
                    d(2025, 7, 1),
                )
            },
        )
        .await
        .unwrap();
        o::close_open_period(&mut tx, city, d(2025, 7, 1))
            .await
            .unwrap();
        o::set_dissolved(&mut tx, city, d(2025, 7, 1))
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut c = db.store.pool.acquire().await.unwrap();
        let t2018 = o::tree_on(&mut c, d(2018, 12, 31)).await.unwrap();
        assert_eq!(
            t2018.iter().map(|p| p.org).collect::<Vec<_>>(),
            vec![p, city, g]
        );
        assert_eq!(
            o::period_on(&mut c, g, d(2018, 12, 31))
                .await
                .unwrap()
                .unwrap()
                .parent,
            Some(city)
        );
        assert_eq!(
            o::period_on(&mut c, g, d(2025, 7, 1))
                .await
                .unwrap()
                .unwrap()
                .parent,
            Some(ward)
        );
        assert!(
            o::period_on(&mut c, city, d(2025, 7, 1))
                .await
                .unwrap()
                .is_none()
        );
        let mut s2018 = o::subtree_ids(&mut c, p, d(2018, 12, 31)).await.unwrap();
        s2018.sort();
        assert_eq!(s2018, vec![p, city, g]);
        let mut now_ids = o::subtree_ids(&mut c, p, d(2026, 1, 1)).await.unwrap();
        now_ids.sort();
        assert_eq!(now_ids, vec![p, ward, g]);
        assert_eq!(o::history(&mut c, g).await.unwrap().len(), 2);
        assert_eq!(
            o::change_dates_after(&mut c, d(2020, 1, 1)).await.unwrap(),
            vec![d(2025, 7, 1)]
        );
        assert_eq!(
            o::org_dates(&mut c, city).await.unwrap().dissolved_on,
            Some(d(2025, 7, 1))
        );
    });
}

#[tokio::test]
async fn names_round_trip_and_sort_in_vietnamese_order_identically() {
    on_every_backend!(|db| {
        let mut tx = db.store.begin().await.unwrap();
        let now = "2026-01-01T00:00:00Z";
        let cell = o::insert_org(&mut tx, d(1975, 1, 1), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                cell,
                None,
                "Chi bộ Khu 1",
                OrgKind::DangBoTinh,
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
        let names = [
            "Trần Văn Đức",
            "Lê Thị Ánh",
            "Nguyễn Văn Dũng",
            "Phạm Thị Ăn",
            "Hoàng Văn Bình",
            "Nguyễn Thị An",
            "Đỗ Văn An",
        ];
        for n in names {
            let id = m::insert_member(&mut tx, &rec(n, None), now).await.unwrap();
            m::replace_memberships(
                &mut tx,
                id,
                &[Span {
                    cell,
                    status: Status::Official,
                    official: true,
                    from: d(2000, 1, 1),
                    to: None,
                }],
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let mut c = db.store.pool.acquire().await.unwrap();
        let q = ListQuery {
            orgs: Some(vec![cell]),
            on: d(2018, 1, 1),
            search: None,
            offset: 0,
            limit: 50,
            known_total: None,
        };
        let (rows, total) = m::list_members(&mut c, &q).await.unwrap();
        assert_eq!(total, 7);
        let got: Vec<&str> = rows.iter().map(|r| r.full_name.as_str()).collect();
        assert_eq!(
            got,
            vec![
                "Nguyễn Thị An",
                "Đỗ Văn An",
                "Lê Thị Ánh",
                "Phạm Thị Ăn",
                "Hoàng Văn Bình",
                "Nguyễn Văn Dũng",
                "Trần Văn Đức"
            ],
            "{:?}",
            db.backend
        );
        // A known total is taken as it is (paging does not count again).
        let (_, t) = m::list_members(
            &mut c,
            &ListQuery {
                known_total: Some(99),
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(t, 99);
        // Pagination keeps the order.
        let (page2, _) = m::list_members(
            &mut c,
            &ListQuery {
                offset: 3,
                limit: 3,
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            page2
                .iter()
                .map(|r| r.full_name.as_str())
                .collect::<Vec<_>>(),
            vec!["Phạm Thị Ăn", "Hoàng Văn Bình", "Nguyễn Văn Dũng"]
        );
        // Search without diacritics, by any word prefix, the given name driving.
        for (search, expect) in [
            ("duc", vec!["Trần Văn Đức"]),
            ("Đức", vec!["Trần Văn Đức"]),
            ("tran van duc", vec!["Trần Văn Đức"]),
            ("nguyen", vec!["Nguyễn Thị An", "Nguyễn Văn Dũng"]),
            (
                "an",
                vec!["Nguyễn Thị An", "Đỗ Văn An", "Lê Thị Ánh", "Phạm Thị Ăn"],
            ),
            ("xyz", vec![]),
        ] {
            let (rows, total) = m::list_members(
                &mut c,
                &ListQuery {
                    search: Some(search.into()),
                    ..q.clone()
                },
            )
            .await
            .unwrap();
            assert_eq!(
                rows.iter()
                    .map(|r| r.full_name.as_str())
                    .collect::<Vec<_>>(),
                expect,
                "{search} on {:?}",
                db.backend
            );
            assert_eq!(total as usize, expect.len());
        }
        // The whole register gives the same answers.
        for search in ["duc", "tran van duc", "an", "nguyen"] {
            let part = m::list_members(
                &mut c,
                &ListQuery {
                    search: Some(search.into()),
                    ..q.clone()
                },
            )
            .await
            .unwrap();
            let all = m::list_members(
                &mut c,
                &ListQuery {
                    search: Some(search.into()),
                    orgs: None,
                    ..q.clone()
                },
            )
            .await
            .unwrap();
            assert_eq!(part, all, "{search}");
        }
        assert_eq!(
            m::list_members(
                &mut c,
                &ListQuery {
                    orgs: None,
                    ..q.clone()
                }
            )
            .await
            .unwrap()
            .1,
            7
        );
        assert_eq!(
            m::list_members(
                &mut c,
                &ListQuery {
                    orgs: Some(vec![]),
                    ..q.clone()
                }
            )
            .await
            .unwrap()
            .1,
            0
        );
        // Not on the rolls before the membership starts.
        let (none, _) = m::list_members(
            &mut c,
            &ListQuery {
                on: d(1999, 12, 31),
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert!(none.is_empty());
        let back = m::get_member(&mut c, rows[0].id).await.unwrap();
        assert_eq!(back, rec("Nguyễn Thị An", None));
    });
}

#[tokio::test]
async fn unique_numbers_report_the_same_constraint_on_both_backends() {
    on_every_backend!(|db| {
        let mut tx = db.store.begin().await.unwrap();
        let now = "2026-01-01T00:00:00Z";
        let a = m::insert_member(&mut tx, &rec("Nguyễn Văn A", Some("022080000001")), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        let err = m::insert_member(&mut tx, &rec("Nguyễn Văn B", Some("022080000001")), now)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict { constraint } if constraint == "members_cccd"),
            "{err:?} on {:?}",
            db.backend
        );
        tx.rollback().await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        let card = card_of(a, "12345678");
        m::insert_card(&mut tx, &card).await.unwrap();
        let err = m::insert_card(&mut tx, &card).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict { constraint } if constraint == "member_cards_number"),
            "{err:?}"
        );
        tx.rollback().await.unwrap();
        // The rollback left nothing behind.
        let mut c = db.store.pool.acquire().await.unwrap();
        assert!(m::cards_of(&mut c, a).await.unwrap().is_empty());
        assert_eq!(m::count_members(&mut c).await.unwrap(), 1);
    });
}

#[tokio::test]
async fn events_keep_their_order_and_audit_rows_their_values() {
    on_every_backend!(|db| {
        let mut tx = db.store.begin().await.unwrap();
        let now = "2026-01-01T00:00:00Z";
        let a = m::insert_member(&mut tx, &rec("Nguyễn Văn A", None), now)
            .await
            .unwrap();
        for (kind, on) in [
            (EventKind::MadeOfficial, d(2011, 3, 2)),
            (EventKind::Admitted, d(2010, 3, 2)),
            (EventKind::Exempted, d(2011, 3, 2)),
        ] {
            let row = EventRow {
                id: dangvu_domain::ids::EventId(0),
                member: a,
                event: Event {
                    kind,
                    on,
                    org: None,
                    discipline: None,
                },
                decision_ref: Some("12-QĐ/ĐU".into()),
                decided_by: None,
                decided_on: None,
                note: None,
                destination: None,
                recorded_at: now.into(),
                recorded_by: "test".into(),
            };
            m::insert_event(&mut tx, &row).await.unwrap();
        }
        audit::insert(
            &mut tx,
            db.store.audit_key().unwrap(),
            &audit::AuditEntry {
                at: now.into(),
                actor: "test".into(),
                action: "member.correct".into(),
                entity: "member".into(),
                entity_id: Some(a.0),
                old_value: Some("{\"cccd\":\"\"}".into()),
                new_value: Some("{\"cccd\":\"022080000001\"}".into()),
                reason: Some("Sai sót khi nhập".into()),
                decision_ref: None,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut c = db.store.pool.acquire().await.unwrap();
        let kinds: Vec<EventKind> = m::events_of(&mut c, a)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                EventKind::Admitted,
                EventKind::MadeOfficial,
                EventKind::Exempted
            ]
        );
        let rows = m::events_of(&mut c, a).await.unwrap();
        assert!(
            rows.iter()
                .all(|r| r.decision_ref.as_deref() == Some("12-QĐ/ĐU") && r.recorded_by == "test")
        );
        let trail = audit::for_entity(&mut c, "member", a.0).await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].reason.as_deref(), Some("Sai sót khi nhập"));
    });
}

#[tokio::test]
async fn spans_count_by_status_and_follow_name_corrections() {
    on_every_backend!(|db| {
        let mut tx = db.store.begin().await.unwrap();
        let now = "2026-01-01T00:00:00Z";
        let cell = o::insert_org(&mut tx, d(1975, 1, 1), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                cell,
                None,
                "Chi bộ Khu 1",
                OrgKind::DangBoTinh,
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
        let a = m::insert_member(&mut tx, &rec("Nguyễn Thị Bình", None), now)
            .await
            .unwrap();
        let b = m::insert_member(&mut tx, &rec("Lê Thị Cúc", None), now)
            .await
            .unwrap();
        let sp = |status, official, from, to| Span {
            cell,
            status,
            official,
            from,
            to,
        };
        m::replace_memberships(
            &mut tx,
            a,
            &[
                sp(
                    Status::Probationary,
                    false,
                    d(2010, 1, 1),
                    Some(d(2011, 1, 1)),
                ),
                sp(Status::Official, true, d(2011, 1, 1), Some(d(2020, 1, 1))),
                sp(Status::Exempt, true, d(2020, 1, 1), None),
            ],
        )
        .await
        .unwrap();
        m::replace_memberships(
            &mut tx,
            b,
            &[sp(Status::Official, true, d(2012, 1, 1), None)],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut c = db.store.pool.acquire().await.unwrap();
        let mut n2010 = m::cell_counts(&mut c, d(2010, 6, 1), None).await.unwrap();
        n2010.sort_by_key(|r| r.1.code());
        assert_eq!(n2010, vec![(cell, Status::Probationary, false, 1)]);
        let mut now_counts = m::cell_counts(&mut c, d(2021, 1, 1), Some(&[cell]))
            .await
            .unwrap();
        now_counts.sort_by_key(|r| r.1.code());
        assert_eq!(
            now_counts,
            vec![
                (cell, Status::Exempt, true, 1),
                (cell, Status::Official, true, 1)
            ]
        );
        assert!(
            m::cell_counts(&mut c, d(2021, 1, 1), Some(&[]))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(m::spans_of(&mut c, a).await.unwrap().len(), 3);
        // Renaming moves the member in the list order.
        let q = ListQuery {
            orgs: Some(vec![cell]),
            on: d(2021, 1, 1),
            search: None,
            offset: 0,
            limit: 10,
            known_total: None,
        };
        let names =
            |rows: Vec<m::ListRow>| rows.into_iter().map(|r| r.full_name).collect::<Vec<_>>();
        assert_eq!(
            names(m::list_members(&mut c, &q).await.unwrap().0),
            vec!["Nguyễn Thị Bình", "Lê Thị Cúc"]
        );
        drop(c);
        let mut tx = db.store.begin().await.unwrap();
        m::update_member(&mut tx, a, &rec("Nguyễn Thị Đào", None))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut c = db.store.pool.acquire().await.unwrap();
        let (rows, _) = m::list_members(&mut c, &q).await.unwrap();
        assert_eq!(rows[1].status, Status::Exempt);
        assert_eq!(names(rows), vec!["Lê Thị Cúc", "Nguyễn Thị Đào"]);
        let (rows, _) = m::list_members(
            &mut c,
            &ListQuery {
                search: Some("dao".into()),
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(names(rows), vec!["Nguyễn Thị Đào"]);
    });
}

#[tokio::test]
async fn migrate_recomputes_sort_keys_of_an_older_key_version() {
    on_every_backend!(|db| {
        let mut tx = db.store.begin().await.unwrap();
        let now = "2026-01-01T00:00:00Z";
        let cell = o::insert_org(&mut tx, d(1975, 1, 1), now).await.unwrap();
        o::insert_period(
            &mut tx,
            &period(
                cell,
                None,
                "Chi bộ Khu 1",
                OrgKind::DangBoTinh,
                d(1975, 1, 1),
            ),
        )
        .await
        .unwrap();
        let sp = Span {
            cell,
            status: Status::Official,
            official: true,
            from: d(2000, 1, 1),
            to: None,
        };
        for n in ["Trần Văn Đức", "Lê Thị An"] {
            let id = m::insert_member(&mut tx, &rec(n, None), now).await.unwrap();
            m::replace_memberships(&mut tx, id, std::slice::from_ref(&sp))
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        // Keys from an "older ICU": wrong order, old version.
        sqlx::query("UPDATE members SET sort_key_version = 0")
            .execute(&db.store.pool)
            .await
            .unwrap();
        let mut c = db.store.pool.acquire().await.unwrap();
        sqlx::query("UPDATE memberships SET sort_key = $1 WHERE member_id = (SELECT id FROM members WHERE full_name = 'Lê Thị An')")
            .bind(vec![0xFFu8; 8])
            .execute(&mut *c)
            .await
            .unwrap();
        let q = ListQuery {
            orgs: Some(vec![cell]),
            on: d(2020, 1, 1),
            search: None,
            offset: 0,
            limit: 10,
            known_total: None,
        };
        let names =
            |rows: Vec<m::ListRow>| rows.into_iter().map(|r| r.full_name).collect::<Vec<_>>();
        assert_eq!(
            names(m::list_members(&mut c, &q).await.unwrap().0),
            vec!["Trần Văn Đức", "Lê Thị An"]
        );
        drop(c);
        db.store.migrate().await.unwrap();
        let mut c = db.store.pool.acquire().await.unwrap();
        assert_eq!(
            names(m::list_members(&mut c, &q).await.unwrap().0),
            vec!["Lê Thị An", "Trần Văn Đức"]
        );
        drop(c);
        let mut tx = db.store.begin().await.unwrap();
        assert_eq!(
            m::refresh_sort_keys(&mut tx).await.unwrap(),
            0,
            "nothing stale any more"
        );
        tx.commit().await.unwrap();
    });
}

#[tokio::test]
async fn a_bulk_write_fails_on_a_taken_number_and_leaves_foreign_keys_checked_after_it() {
    use dangvu_store::bulk::{self, BulkMember, Table};
    on_every_backend!(|db| {
        let now = "2026-01-01T00:00:00Z";
        let mut tx = db.store.begin().await.unwrap();
        m::insert_member(&mut tx, &rec("Nguyễn Văn A", Some("022080000001")), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let member = |name: &str, cccd: &str| BulkMember {
            record: rec(name, Some(cccd)),
            events: Vec::new(),
            spans: Vec::new(),
            card: None,
            keys: None,
        };
        // Two new members, the second holding a taken CCCD: the statement fails with the
        // constraint's name, and the transaction leaves nothing behind.
        let mut tx = db.store.begin_bulk().await.unwrap();
        bulk::bulk_cache(&mut tx, db.backend, true).await.unwrap();
        let ids = bulk::reserve_ids(&mut tx, db.backend, Table::Members, 2)
            .await
            .unwrap();
        let batch = [
            member("Trần Thị B", "022080000002"),
            member("Lê Văn C", "022080000001"),
        ];
        let err = bulk::insert_members(&mut tx, db.backend, &ids, &batch, now, "test")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Conflict { constraint } if constraint == "members_cccd"),
            "{err:?} on {:?}",
            db.backend
        );
        drop(tx);
        let mut c = db.store.pool.acquire().await.unwrap();
        assert_eq!(m::count_members(&mut c).await.unwrap(), 1);
        drop(c);
        // The next ordinary transaction checks foreign keys again: a card of nobody is refused.
        let mut tx = db.store.begin().await.unwrap();
        let card = card_of(dangvu_domain::ids::MemberId(987_654), "87654321");
        assert!(
            m::insert_card(&mut tx, &card).await.is_err(),
            "{:?}",
            db.backend
        );
    });
}

/// A write to a review's decisions: put (insert or replace) a subject's decision, or delete it.
#[derive(Debug, Clone)]
enum DecisionOp {
    Put {
        subject: i64,
        kind: usize,
        unit: Option<usize>,
        grassroots: Option<usize>,
        level: Option<usize>,
        not_classified: Option<usize>,
    },
    Delete {
        subject: i64,
        kind: usize,
    },
}

const SUBJECT_KINDS: [&str; 3] = ["member", "subordinate_org", "grassroots"];

fn decision_op() -> impl proptest::strategy::Strategy<Value = DecisionOp> {
    use proptest::prelude::*;
    let pick = |n: usize| proptest::option::of(0..n);
    prop_oneof![
        5 => (0i64..8, 0usize..3, pick(4), pick(4), pick(4), pick(2)).prop_map(
            |(subject, kind, unit, grassroots, level, not_classified)| DecisionOp::Put {
                subject, kind, unit, grassroots, level, not_classified,
            }
        ),
        1 => (0i64..8, 0usize..3).prop_map(|(subject, kind)| DecisionOp::Delete { subject, kind }),
    ]
}

/// The counts the reports read (`review_counts`) always equal a recount of the decisions,
/// after any sequence of decisions, replacements (corrections write through the same
/// replacement) and deletions, on every backend.
#[test]
fn kept_review_counts_always_equal_a_recount() {
    use dangvu_domain::review::{Level, Period};
    use dangvu_store::reviews as r;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for backend in dangvu_testkit::backends() {
        let db = rt.block_on(dangvu_testkit::TestDb::new(backend));
        let now = "2026-01-01T00:00:00Z";
        let orgs: Vec<OrgId> = rt.block_on(async {
            let mut tx = db.store.begin().await.unwrap();
            let mut orgs = Vec::new();
            for i in 0..4 {
                let org = o::insert_org(&mut tx, d(2000, 1, 1), now).await.unwrap();
                let parent = orgs.first().copied();
                let kind = if i == 0 {
                    OrgKind::DangBoCoSo
                } else {
                    OrgKind::ChiBoTrucThuoc
                };
                o::insert_period(
                    &mut tx,
                    &period(org, parent, &format!("Tổ chức {i}"), kind, d(2000, 1, 1)),
                )
                .await
                .unwrap();
                orgs.push(org);
            }
            tx.commit().await.unwrap();
            orgs
        });
        let config = proptest::test_runner::Config {
            cases: 24,
            ..Default::default()
        };
        let mut runner = proptest::test_runner::TestRunner::new(config);
        let strategy = proptest::collection::vec(decision_op(), 1..30);
        let result = runner.run(&strategy, |ops| {
            rt.block_on(async {
                let mut tx = db.store.begin().await.unwrap();
                let p = r::insert_period(&mut tx, orgs[0], "Năm 2025", Period::year(2025), "2025", now)
                    .await
                    .unwrap();
                for op in &ops {
                    match op {
                        DecisionOp::Put { subject, kind, unit, grassroots, level, not_classified } => {
                            let decision = r::Decision {
                                period_id: p,
                                subject_kind: SUBJECT_KINDS[*kind].into(),
                                subject_id: *subject,
                                grassroots: grassroots.map(|i| orgs[i]),
                                unit: unit.map(|i| orgs[i]),
                                level: level.map(|l| Level::ALL[l]),
                                not_classified: not_classified.map(|n| ["sick", "new"][n].to_owned()),
                                points: None,
                                decision_ref: None,
                                decided_at: now.into(),
                                decided_by: "kiểm thử".into(),
                            };
                            r::put_decision(&mut tx, &decision).await.unwrap();
                        }
                        DecisionOp::Delete { subject, kind } => {
                            sqlx::query("DELETE FROM review_decisions WHERE period_id = $1 AND subject_kind = $2 AND subject_id = $3")
                                .bind(p)
                                .bind(SUBJECT_KINDS[*kind])
                                .bind(*subject)
                                .execute(&mut *tx)
                                .await
                                .unwrap();
                        }
                    }
                    let (kept, recounted) = r::kept_and_recounted(&mut tx, p).await.unwrap();
                    if kept != recounted {
                        return Err(proptest::test_runner::TestCaseError::fail(format!(
                            "{backend:?} after {op:?}: kept {kept:?}, recounted {recounted:?}"
                        )));
                    }
                }
                // What the report reads adds up to the decisions, whichever grouping it takes.
                let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_decisions WHERE period_id = $1")
                    .bind(p)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
                let by_unit: i64 = r::counts_by_unit(&mut tx, p, None).await.unwrap().iter().map(|c| c.count).sum();
                let by_grassroots: i64 = r::counts_by_grassroots(&mut tx, p).await.unwrap().iter().map(|c| c.count).sum();
                assert_eq!((by_unit, by_grassroots), (total, total), "{backend:?}");
                tx.commit().await.unwrap();
                Ok(())
            })
        });
        rt.block_on(db.cleanup());
        if let Err(e) = result {
            panic!("{e}");
        }
    }
}

/// Every table the migrations make is in the backup, or named as left out of it: a register
/// added without its place in the backup would be lost by a restore.
#[tokio::test]
async fn every_table_is_backed_up_or_named_as_left_out() {
    use dangvu_store::backup::{NOT_BACKED_UP, TABLES};
    on_every_backend!(|db| {
        let sql = match db.store.backend {
            dangvu_store::Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            dangvu_store::Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
            }
        };
        let tables: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&db.store.pool)
            .await
            .unwrap();
        assert!(tables.len() > 60, "{tables:?}");
        for t in &tables {
            assert!(
                TABLES.iter().any(|(name, _)| name == t) || NOT_BACKED_UP.contains(&t.as_str()),
                "{:?}: table {t} is not in the backup",
                db.store.backend
            );
        }
        for (name, _) in TABLES {
            assert!(tables.iter().any(|t| t == name), "{name} is not a table");
        }
    });
}
