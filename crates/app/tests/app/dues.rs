//! Party dues (R14): bases by category, the ledger with payments at meetings and outside them,
//! "paid up to" on the transfer letter, the R11 flag from the ledger, the cell's book and the
//! subtree's totals with the shares each level keeps.

use dangvu_app::dues::{BasisInput, PayDues};
use dangvu_app::members::NewMember;
use dangvu_app::trail::TrailFilter;
use dangvu_app::transfers::{SendTransfer, TransferDetails};
use dangvu_app::{App, AppError};
use dangvu_domain::access::Role;
use dangvu_domain::dues::{DuesBasis, DuesCategory, DuesLevel};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::meeting::Attendance;
use dangvu_domain::transfer::{TransferKind, TransferReason};
use dangvu_testkit::{d, on_every_backend, signed_in};

use super::meetings::{meeting, seat};
use super::{actor, field_codes, fixture, member};

async fn born(app: &App, name: &str, cell: OrgId, birth: chrono::NaiveDate, sex: &str) -> MemberId {
    use chrono::Datelike;
    app.create_member(
        &actor(),
        NewMember {
            record: dangvu_testkit::record(
                name,
                &[
                    ("birth_date", &dangvu_domain::date::iso(birth)),
                    ("sex", sex),
                ],
            ),
            cell,
            admitted_on: d(birth.year() + 25, 1, 1),
            joined_on: None,
            official: true,
            decision_ref: None,
            card: None,
        },
    )
    .await
    .unwrap()
}

fn basis(
    from: chrono::NaiveDate,
    category: DuesCategory,
    income: Option<i64>,
    flat: Option<i64>,
) -> BasisInput {
    BasisInput {
        from,
        basis: DuesBasis {
            category,
            income,
            flat,
        },
        note: None,
    }
}

fn pay(from: chrono::NaiveDate, to: chrono::NaiveDate, on: chrono::NaiveDate) -> PayDues {
    PayDues {
        from,
        to,
        paid_on: on,
        amount: None,
        received_by: Some("Nguyễn Thị Thu".into()),
    }
}

/// The totals kept beside the ledger equal a recount of its rows.
async fn totals_match(app: &App) {
    let mut tx = app.store.read().await.unwrap();
    let kept = dangvu_store::dues::kept_totals(&mut tx).await.unwrap();
    let recount = dangvu_store::dues::recount(&mut tx).await.unwrap();
    assert_eq!(kept, recount);
    assert!(!kept.is_empty());
}

async fn due_in(app: &App, m: MemberId, month: chrono::NaiveDate) -> Option<i64> {
    let v = app.member_dues(&actor(), m).await.unwrap();
    v.months
        .iter()
        .find(|(x, _)| x.month == month)
        .and_then(|(x, _)| x.due)
}

#[tokio::test]
async fn each_category_owes_what_the_rules_of_the_month_say() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let jan = d(2026, 1, 1);
        let cadre = born(&app, "Vũ Văn Cán", f.cell_a, d(1980, 3, 3), "male").await;
        let retired = born(&app, "Đỗ Thị Hưu", f.cell_a, d(1955, 3, 3), "female").await;
        let worker = born(&app, "Ngô Văn Thợ", f.cell_a, d(1990, 3, 3), "male").await;
        let farmer = born(&app, "Lý Văn Nông", f.cell_a, d(1992, 3, 3), "male").await;
        // A woman born 1962 reached 55 in 2017: beyond working age, she pays half.
        let elder = born(&app, "Bùi Thị Cao", f.cell_a, d(1962, 3, 3), "female").await;
        let poor = born(&app, "Mai Văn Khó", f.cell_a, d(1985, 3, 3), "male").await;
        let set = |m, b| {
            let app = app.clone();
            async move { app.set_dues_basis(&actor(), m, b).await }
        };
        set(
            cadre,
            basis(jan, DuesCategory::Salaried, Some(8_432_000), None),
        )
        .await
        .unwrap();
        set(
            retired,
            basis(jan, DuesCategory::Pensioner, Some(5_100_000), None),
        )
        .await
        .unwrap();
        set(
            worker,
            basis(jan, DuesCategory::Enterprise, Some(6_250_000), None),
        )
        .await
        .unwrap();
        set(farmer, basis(jan, DuesCategory::Other, None, Some(10_000)))
            .await
            .unwrap();
        set(elder, basis(jan, DuesCategory::Other, None, Some(10_000)))
            .await
            .unwrap();
        // An exemption needs the committee's reason.
        let e = set(poor, basis(jan, DuesCategory::Exempt, None, None))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("note", "required")]);
        let mut ex = basis(jan, DuesCategory::Exempt, None, None);
        ex.note = Some("Hoàn cảnh khó khăn, Đảng ủy đồng ý miễn".into());
        set(poor, ex).await.unwrap();
        assert_eq!(due_in(&app, cadre, jan).await, Some(84_000));
        assert_eq!(due_in(&app, retired, jan).await, Some(26_000));
        assert_eq!(due_in(&app, worker, jan).await, Some(63_000));
        assert_eq!(due_in(&app, farmer, jan).await, Some(10_000));
        assert_eq!(due_in(&app, elder, jan).await, Some(5_000));
        assert_eq!(due_in(&app, poor, jan).await, Some(0));

        // A raise from April is a new basis; January keeps its price.
        set(
            cadre,
            basis(
                d(2026, 4, 20),
                DuesCategory::Salaried,
                Some(9_100_000),
                None,
            ),
        )
        .await
        .unwrap();
        assert_eq!(due_in(&app, cadre, jan).await, Some(84_000));
        assert_eq!(due_in(&app, cadre, d(2026, 4, 1)).await, Some(91_000));
        let v = app.member_dues(&actor(), cadre).await.unwrap();
        assert_eq!(v.bases.len(), 2);

        // What a form would refuse, each named.
        let e = set(farmer, basis(jan, DuesCategory::Other, None, Some(1_000)))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("flat", "dues_flat_range")]);
        let e = set(cadre, basis(jan, DuesCategory::Salaried, None, None))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("income", "required")]);
        let e = set(
            cadre,
            basis(d(2010, 1, 1), DuesCategory::Salaried, Some(1), None),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code(), "dues_no_rules");
        // A correction of January's income replaces it, audited with the old and new values.
        set(
            cadre,
            basis(jan, DuesCategory::Salaried, Some(8_500_000), None),
        )
        .await
        .unwrap();
        assert_eq!(due_in(&app, cadre, jan).await, Some(85_000));
        let trail = app
            .audit_trail(
                &actor(),
                &TrailFilter {
                    entity: Some("member".into()),
                    entity_id: Some(cadre.0),
                    action: Some("dues.basis".into()),
                    limit: 50,
                    ..TrailFilter::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(trail.len(), 3);
        let last = &trail[0].entry;
        assert!(
            last.old_value
                .as_deref()
                .unwrap_or_default()
                .contains("8432000"),
            "{last:?}"
        );
        assert!(
            last.new_value
                .as_deref()
                .unwrap_or_default()
                .contains("8500000"),
            "{last:?}"
        );
    });
}

#[tokio::test]
async fn the_ledger_answers_paid_up_to_the_letter_and_r11() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        for m in [an, binh] {
            app.set_dues_basis(
                &actor(),
                m,
                basis(d(2026, 1, 1), DuesCategory::Other, None, Some(20_000)),
            )
            .await
            .unwrap();
        }
        // January and February at once, outside a meeting.
        let receipt = app
            .pay_dues(
                &actor(),
                an,
                pay(d(2026, 1, 1), d(2026, 2, 1), d(2026, 2, 10)),
            )
            .await
            .unwrap();
        assert!(receipt > 0);
        app.pay_dues(
            &actor(),
            binh,
            pay(d(2026, 1, 1), d(2026, 2, 1), d(2026, 2, 11)),
        )
        .await
        .unwrap();
        // A month paid twice, an amount below what is due, a payment in the future: refused.
        let e = app
            .pay_dues(
                &actor(),
                an,
                pay(d(2026, 2, 1), d(2026, 2, 1), d(2026, 2, 10)),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "dues_month_paid");
        let mut low = pay(d(2026, 3, 1), d(2026, 3, 1), d(2026, 3, 10));
        low.amount = Some(5_000);
        let e = app.pay_dues(&actor(), an, low).await.unwrap_err();
        assert_eq!(field_codes(&e), [("amount", "dues_below_due")]);
        let e = app
            .pay_dues(
                &actor(),
                an,
                pay(d(2026, 3, 1), d(2026, 3, 1), d(2026, 7, 1)),
            )
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), [("paid_on", "date_in_future")]);

        // March's meeting: Bình pays at it, An does not; the meeting's total is the ledger's.
        let mut seats = vec![
            seat(an, Attendance::Present),
            seat(binh, Attendance::Present),
        ];
        seats[0].dues_paid = false;
        let (mid, _) = app
            .record_meeting(&actor(), meeting(f.cell_a, d(2026, 3, 12), seats))
            .await
            .unwrap();
        let v = app.meeting(&actor(), mid).await.unwrap();
        assert_eq!(v.meeting.dues_collected, 20_000);
        let b = app.member_dues(&actor(), binh).await.unwrap();
        let march = b
            .months
            .iter()
            .find(|(m, _)| m.month == d(2026, 3, 1))
            .unwrap();
        assert_eq!(march.1.as_ref().and_then(|p| p.meeting), Some(mid));
        // A row the minutes hold is changed by correcting the minutes, not cancelled here.
        let e = app
            .cancel_dues(&actor(), march.1.as_ref().unwrap().id, "nhầm")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "dues_in_minutes");

        // By 15/6 An owes March, April and May: three months in the year, flagged (R11).
        let a = app.member_dues(&actor(), an).await.unwrap();
        assert_eq!(a.paid_to, Some(d(2026, 2, 1)));
        assert_eq!(a.owed_months, [d(2026, 3, 1), d(2026, 4, 1), d(2026, 5, 1)]);
        assert_eq!(a.owed, 60_000);
        let flags = app
            .attendance_flags(&actor(), an, d(2026, 1, 1), d(2026, 12, 31))
            .await
            .unwrap();
        assert!(
            flags
                .iter()
                .any(|(y, f)| *y == 2026 && f.code == "dues_three_months"),
            "{flags:?}"
        );
        // Bình paid March at the meeting; her unpaid April and May are two months: no flag.
        let flags = app
            .attendance_flags(&actor(), binh, d(2026, 1, 1), d(2026, 12, 31))
            .await
            .unwrap();
        assert!(flags.is_empty(), "{flags:?}");
        // The arrears list of the đảng bộ names both, An first by the Vietnamese order.
        let arrears = app
            .dues_arrears(&actor(), f.g1, d(2026, 6, 15))
            .await
            .unwrap();
        let names: Vec<&str> = arrears.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Nguyễn Văn An", "Trần Thị Bình"]);
        assert_eq!(arrears[0].owed, 60_000);

        // A back payment of March to May lifts the flag; a wrong entry is cancelled and kept.
        app.pay_dues(
            &actor(),
            an,
            pay(d(2026, 3, 1), d(2026, 5, 1), d(2026, 6, 1)),
        )
        .await
        .unwrap();
        let flags = app
            .attendance_flags(&actor(), an, d(2026, 1, 1), d(2026, 12, 31))
            .await
            .unwrap();
        assert!(
            flags.is_empty(),
            "{flags:?} {:?}",
            app.member_dues(&actor(), an).await.unwrap()
        );
        let a = app.member_dues(&actor(), an).await.unwrap();
        assert_eq!(a.paid_to, Some(d(2026, 5, 1)));
        let may = a
            .months
            .iter()
            .find(|(m, _)| m.month == d(2026, 5, 1))
            .unwrap()
            .1
            .clone()
            .unwrap();
        let e = app.cancel_dues(&actor(), may.id, " ").await.unwrap_err();
        assert_eq!(field_codes(&e), [("reason", "required")]);
        app.cancel_dues(&actor(), may.id, "Ghi nhầm tháng")
            .await
            .unwrap();
        let a = app.member_dues(&actor(), an).await.unwrap();
        assert_eq!(a.paid_to, Some(d(2026, 4, 1)));
        assert_eq!(a.cancelled.len(), 1);
        totals_match(&app).await;
        assert_eq!(
            a.cancelled[0].cancel_reason.as_deref(),
            Some("Ghi nhầm tháng")
        );

        // The transfer letter's "paid up to" comes from the ledger when the sender leaves it out.
        let t = app
            .send_transfer(
                &actor(),
                an,
                SendTransfer {
                    kind: TransferKind::Official,
                    on: d(2026, 6, 10),
                    to_org: Some(f.cell_c),
                    to_name: None,
                    details: TransferDetails {
                        reason: Some(TransferReason::NewJob),
                        letter_number: None,
                        dues_paid_to: None,
                        trigger_on: None,
                        planned_return: None,
                    },
                    note: None,
                },
            )
            .await
            .unwrap();
        let letter = app.transfer_letter(&actor(), t).await.unwrap();
        assert_eq!(letter.line.transfer.dues_paid_to, Some(d(2026, 4, 1)));
    });
}

#[tokio::test]
async fn the_cell_book_and_the_totals_keep_and_remit_by_level_within_scope() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let an = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 1, 1), true).await;
        let binh = member(&app, "Trần Thị Bình", f.cell_a, d(2010, 1, 1), true).await;
        let cuong = member(&app, "Lê Văn Cường", f.cell_b, d(2010, 1, 1), true).await;
        let dung = member(&app, "Phạm Thị Dung", f.cell_a, d(2010, 1, 1), true).await;
        let jun = d(2026, 6, 1);
        app.set_dues_basis(
            &actor(),
            an,
            basis(jun, DuesCategory::Salaried, Some(10_000_000), None),
        )
        .await
        .unwrap();
        app.set_dues_basis(
            &actor(),
            binh,
            basis(jun, DuesCategory::Other, None, Some(30_000)),
        )
        .await
        .unwrap();
        app.set_dues_basis(
            &actor(),
            cuong,
            basis(jun, DuesCategory::Pensioner, Some(8_000_000), None),
        )
        .await
        .unwrap();
        app.pay_dues(&actor(), an, pay(jun, jun, d(2026, 6, 5)))
            .await
            .unwrap();
        app.pay_dues(&actor(), cuong, pay(jun, jun, d(2026, 6, 5)))
            .await
            .unwrap();
        // Bình gives more than she owes, of her own will.
        let mut more = pay(jun, jun, d(2026, 6, 6));
        more.amount = Some(50_000);
        app.pay_dues(&actor(), binh, more).await.unwrap();

        let book = app.dues_book(&actor(), f.cell_a, jun).await.unwrap();
        let names: Vec<&str> = book.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Nguyễn Văn An", "Trần Thị Bình", "Phạm Thị Dung"]);
        assert_eq!(book.due_total, 100_000 + 30_000);
        assert_eq!(book.collected, 150_000);
        assert_eq!((book.payers, book.unpaid, book.without_basis), (2, 0, 1));
        assert_eq!(book.level, DuesLevel::Cell);
        assert_eq!((book.kept, book.remitted), (45_000, 105_000));
        assert!(
            book.lines
                .iter()
                .any(|l| l.member == dung && l.due.is_none())
        );
        assert_eq!(book.chain.last().map(String::as_str), Some("Chi bộ Khu 1"));

        // The đảng bộ phường keeps the ward share of what its cells remit.
        let t = app.dues_totals(&actor(), f.g1, 2026).await.unwrap();
        assert_eq!(t.collected, 150_000 + 40_000);
        assert_eq!(t.by_month[5], 190_000);
        let g = t.grassroots.iter().find(|g| g.org == f.g1).unwrap();
        assert_eq!(g.level, DuesLevel::WardGrassroots);
        assert_eq!(g.cells_kept, 45_000 + 12_000);
        assert_eq!(g.received, 105_000 + 28_000);
        assert_eq!((g.kept, g.remitted), (119_700, 13_300));
        assert_eq!(t.upward, 13_300);
        // The city sees the same through its own subtree, the other đảng bộ's cells at nothing.
        let city = app.dues_totals(&actor(), f.city, 2026).await.unwrap();
        assert_eq!(city.upward, 13_300);
        assert!(city.cells.iter().any(|c| c.org == f.cell_c && c.total == 0));

        // Scope: another cell's secretary meets what does not exist, whatever she asks.
        let other = signed_in(&app, "bithu_khu2", Role::Secretary, f.cell_b).await;
        let e = app.dues_book(&other, f.cell_a, jun).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
        let e = app.dues_totals(&other, f.g1, 2026).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("org")), "{e:?}");
        let e = app
            .pay_dues(
                &other,
                an,
                pay(d(2026, 7, 1), d(2026, 7, 1), d(2026, 6, 10)),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");
        let e = app.member_dues(&other, an).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");
        let mine = app.member_dues(&actor(), an).await.unwrap();
        let row = mine.months[0].1.clone().unwrap();
        let e = app.cancel_dues(&other, row.id, "thử").await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("dues_payment")), "{e:?}");
        let e = app.cancel_dues(&other, 999_999, "thử").await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("dues_payment")), "{e:?}");
        // Her own cell works: the book of Khu 2.
        let own = app.dues_book(&other, f.cell_b, jun).await.unwrap();
        assert_eq!(own.collected, 40_000);
        // A cancelled payment leaves the totals; what is kept still equals a recount.
        let binh_june = app.member_dues(&actor(), binh).await.unwrap().months[0]
            .1
            .clone()
            .unwrap();
        app.cancel_dues(&actor(), binh_june.id, "Ghi nhầm số tiền")
            .await
            .unwrap();
        let t = app.dues_totals(&actor(), f.g1, 2026).await.unwrap();
        assert_eq!(t.collected, 100_000 + 40_000);
        totals_match(&app).await;
        // A đảng bộ is not a cell: it has no book.
        let e = app.dues_book(&actor(), f.g1, jun).await.unwrap_err();
        assert_eq!(e.code(), "not_a_cell");
    });
}

/// The demo's dues: phường Uông Bí collected every month of this year up to the last whole
/// one, every member of its cells has a basis, and a few owe — some three months or more.
pub(crate) async fn check_demo_dues(app: &App) {
    let today = d(2026, 6, 15);
    let tree = app.tree(&actor(), today).await.unwrap();
    let ward = tree
        .nodes
        .iter()
        .find(|n| n.name == "Đảng bộ phường Uông Bí")
        .unwrap()
        .id;
    let t = app.dues_totals(&actor(), ward, 2026).await.unwrap();
    assert!(t.by_month[..5].iter().all(|m| *m > 0), "{:?}", t.by_month);
    assert_eq!(t.by_month[6..].iter().sum::<i64>(), 0);
    assert!(t.upward > 0 && t.upward < t.collected / 2, "{t:?}");
    let arrears = app.dues_arrears(&actor(), ward, today).await.unwrap();
    assert!(!arrears.is_empty());
    assert!(arrears.iter().any(|l| l.months.len() >= 3), "an R11 case");
    let members = t.cells.iter().map(|c| c.payments).sum::<i64>();
    assert!(
        arrears.len() as i64 * 10 < members / 5,
        "a few, not most: {} of {members}",
        arrears.len()
    );
}
