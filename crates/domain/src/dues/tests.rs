use proptest::prelude::*;

use super::*;
use crate::date::d;

fn basis(category: DuesCategory, income: Option<i64>, flat: Option<i64>) -> DuesBasis {
    DuesBasis {
        category,
        income,
        flat,
    }
}

#[test]
fn qd342_governs_from_april_2011() {
    assert_eq!(rules_for(d(2011, 3, 31)), None);
    assert_eq!(rules_for(d(2011, 4, 1)).map(|r| r.id), Some("qd342-2011"));
    assert_eq!(rules_for(d(2026, 12, 15)).map(|r| r.id), Some("qd342-2011"));
}

#[test]
fn each_category_priced_by_hand() {
    let r = rules_for(d(2026, 1, 1)).unwrap();
    // 1 % of 8,432,000 = 84,320 → 84,000.
    let cadre = basis(DuesCategory::Salaried, Some(8_432_000), None);
    assert_eq!(monthly_due(r, &cadre, false), 84_000);
    // 1 % of 6,250,000 = 62,500 → half up → 63,000.
    let worker = basis(DuesCategory::Enterprise, Some(6_250_000), None);
    assert_eq!(monthly_due(r, &worker, false), 63_000);
    // 0.5 % of 5,100,000 = 25,500 → 26,000; age does not change a pension's share.
    let retired = basis(DuesCategory::Pensioner, Some(5_100_000), None);
    assert_eq!(monthly_due(r, &retired, true), 26_000);
    // A farmer's flat 10,000; beyond working age 50 % = 5,000.
    let farmer = basis(DuesCategory::Other, None, Some(10_000));
    assert_eq!(monthly_due(r, &farmer, false), 10_000);
    assert_eq!(monthly_due(r, &farmer, true), 5_000);
    // 50 % of an odd flat amount rounds half up to the đồng.
    let odd = basis(DuesCategory::Other, None, Some(3_001));
    assert_eq!(monthly_due(r, &odd, true), 1_501);
    let exempt = basis(DuesCategory::Exempt, None, None);
    assert_eq!(monthly_due(r, &exempt, false), 0);
}

#[test]
fn a_basis_needs_what_prices_it() {
    let r = rules_for(d(2026, 1, 1)).unwrap();
    let codes = |b: DuesBasis| -> Vec<(&'static str, &'static str)> {
        b.check(r)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| (e.field, e.code))
            .collect()
    };
    assert_eq!(
        codes(basis(DuesCategory::Salaried, None, None)),
        [("income", "required")]
    );
    assert_eq!(
        codes(basis(DuesCategory::Pensioner, Some(0), None)),
        [("income", "out_of_range")]
    );
    assert_eq!(
        codes(basis(DuesCategory::Other, None, Some(1_999))),
        [("flat", "dues_flat_range")]
    );
    assert_eq!(
        codes(basis(DuesCategory::Other, None, Some(30_001))),
        [("flat", "dues_flat_range")]
    );
    assert!(codes(basis(DuesCategory::Other, None, Some(30_000))).is_empty());
    assert!(codes(basis(DuesCategory::Exempt, None, None)).is_empty());
}

#[test]
fn working_age_follows_the_2019_labour_code() {
    // Before 2021: 60 and 55.
    assert_eq!(working_age_end(d(1955, 5, 10), Sex::Male), d(2015, 5, 10));
    assert_eq!(working_age_end(d(1960, 3, 2), Sex::Female), d(2015, 3, 2));
    // A man born 1/1961 retires at 60 y 3 m in 4/2021; one born 10/1961 reaches 60 y 3 m in
    // 2022, whose age is 60 y 6 m: 4/2022 (NĐ 135/2020, phụ lục I).
    assert_eq!(working_age_end(d(1961, 1, 15), Sex::Male), d(2021, 4, 15));
    assert_eq!(working_age_end(d(1961, 10, 1), Sex::Male), d(2022, 4, 1));
    // Capped at 62 from 2028.
    assert_eq!(working_age_end(d(1970, 6, 1), Sex::Male), d(2032, 6, 1));
    // A woman born 1/1966: 55 y 4 m → 5/2021; born 1980: 60 years (2040).
    assert_eq!(working_age_end(d(1966, 1, 1), Sex::Female), d(2021, 5, 1));
    assert_eq!(working_age_end(d(1980, 2, 1), Sex::Female), d(2040, 2, 1));
    assert!(beyond_working_age(d(1961, 1, 15), Sex::Male, d(2021, 5, 1)));
    assert!(!beyond_working_age(
        d(1961, 1, 15),
        Sex::Male,
        d(2021, 4, 1)
    ));
}

#[test]
fn shares_add_up() {
    let r = rules_for(d(2026, 1, 1)).unwrap();
    assert_eq!(split(r, DuesLevel::Cell, 100_000), (30_000, 70_000));
    assert_eq!(split(r, DuesLevel::WardGrassroots, 70_000), (63_000, 7_000));
    assert_eq!(split(r, DuesLevel::Grassroots, 70_001), (35_000, 35_001));
}

#[test]
fn ward_grassroots_keep_the_ward_share() {
    assert_eq!(
        grassroots_level("Đảng bộ phường Nam Khê"),
        DuesLevel::WardGrassroots
    );
    assert_eq!(
        grassroots_level("Chi bộ xã Thượng Yên Công"),
        DuesLevel::WardGrassroots
    );
    assert_eq!(
        grassroots_level("Đảng bộ Công ty Than Uông Bí"),
        DuesLevel::Grassroots
    );
    assert_eq!(
        grassroots_level("Đảng bộ Trường Đại học Hạ Long"),
        DuesLevel::Grassroots
    );
    // "Phường" inside a name is not the ward's own organisation.
    assert_eq!(
        grassroots_level("Đảng bộ Trường THPT phường Vàng Danh"),
        DuesLevel::Grassroots
    );
}

#[test]
fn money_is_written_the_vietnamese_way() {
    assert_eq!(vnd(1_250_000), "1.250.000 đ");
    assert_eq!(vnd(0), "0 đ");
    assert_eq!(vnd(999), "999 đ");
    assert_eq!(vnd(-12_000), "-12.000 đ");
    assert_eq!(parse_amount("a", "1.250.000 đ"), Ok(1_250_000));
    assert_eq!(parse_amount("a", "1 250 000"), Ok(1_250_000));
    assert_eq!(parse_amount("a", "20000 VND"), Ok(20_000));
    for bad in ["", "-5", "12,5", "1.25", "abc", "1.2345"] {
        assert_eq!(
            parse_amount("a", bad).map_err(|e| e.code),
            Err("amount_format"),
            "{bad}"
        );
    }
}

#[test]
fn months_run_inclusive() {
    let all: Vec<_> = months(d(2025, 11, 20), d(2026, 2, 3)).collect();
    assert_eq!(
        all,
        [d(2025, 11, 1), d(2025, 12, 1), d(2026, 1, 1), d(2026, 2, 1)]
    );
    assert_eq!(month_end(d(2024, 2, 10)), d(2024, 2, 29));
}

proptest! {
    /// Income-based dues are a multiple of the unit and within half a unit of the exact share.
    #[test]
    fn income_dues_round_to_the_unit(income in 1i64..INCOME_MAX, cat in 0usize..3) {
        let r = rules_for(d(2026, 1, 1)).unwrap();
        let category = [DuesCategory::Salaried, DuesCategory::Pensioner, DuesCategory::Enterprise][cat];
        let bp = [r.salaried_bp, r.pension_bp, r.enterprise_bp][cat];
        let due = monthly_due(r, &basis(category, Some(income), None), false);
        prop_assert_eq!(due % r.round_to, 0);
        let exact = i128::from(income) * i128::from(bp); // in 1/10,000 đồng
        let diff = (i128::from(due) * 10_000 - exact).abs();
        prop_assert!(diff <= i128::from(r.round_to) * 5_000);
    }

    /// Kept and remitted always add up to what was received, neither negative.
    #[test]
    fn split_is_exact(amount in 0i64..1_000_000_000_000, level in 0usize..4) {
        let r = rules_for(d(2026, 1, 1)).unwrap();
        let l = [DuesLevel::Cell, DuesLevel::WardGrassroots, DuesLevel::Grassroots, DuesLevel::Higher][level];
        let (kept, up) = split(r, l, amount);
        prop_assert_eq!(kept + up, amount);
        prop_assert!(kept >= 0 && up >= 0);
    }

    /// The end of working age never comes before the old ages nor after the final ones.
    #[test]
    fn working_age_is_bounded(days in 0i64..40_000, male in any::<bool>()) {
        let birth = d(1930, 1, 1) + chrono::Duration::days(days);
        let sex = if male { Sex::Male } else { Sex::Female };
        let end = working_age_end(birth, sex);
        let (lo, hi) = if male { (60, 62) } else { (55, 60) };
        prop_assert!(end >= birth.checked_add_months(Months::new(lo * 12)).unwrap());
        prop_assert!(end <= birth.checked_add_months(Months::new(hi * 12)).unwrap());
    }

    /// Grouped writing reads back to the same amount.
    #[test]
    fn amounts_round_trip(n in 0i64..INCOME_MAX) {
        prop_assert_eq!(parse_amount("a", &vnd(n)), Ok(n));
    }
}

mod ledgers {
    use super::*;
    use crate::ids::OrgId;
    use crate::member::{Span, Status};

    fn span(from: NaiveDate, to: Option<NaiveDate>) -> Span {
        Span {
            cell: OrgId(1),
            status: Status::Official,
            official: true,
            from,
            to,
        }
    }

    #[test]
    fn a_year_with_arrears_and_a_move() {
        let bases = [
            (
                d(2026, 1, 1),
                basis(DuesCategory::Other, None, Some(20_000)),
            ),
            (
                d(2026, 4, 1),
                basis(DuesCategory::Pensioner, Some(6_000_000), None),
            ),
        ];
        // On the rolls until 10/9, away (another system) from then on.
        let spans = [span(d(2015, 3, 1), Some(d(2026, 9, 10)))];
        let paid = [
            (d(2026, 1, 1), 20_000),
            (d(2026, 2, 1), 20_000),
            (d(2026, 4, 1), 30_000),
        ];
        let months = ledger(LedgerInput {
            birth: d(1960, 5, 5),
            sex: Sex::Female,
            bases: &bases,
            spans: &spans,
            paid: &paid,
            today: d(2026, 11, 30),
        });
        // January to August: she left on 10/9, so September's last day finds her gone.
        assert_eq!(months.len(), 8);
        // Beyond working age (a woman born 1960 reached 55 in 2015): the flat amount is halved.
        assert_eq!(months[0].due, Some(10_000));
        assert_eq!(months[3].due, Some(30_000)); // 0.5 % of 6,000,000
        assert_eq!(paid_to(&months), Some(d(2026, 2, 1)));
        assert_eq!(
            unpaid_ended(&months, d(2026, 11, 30)),
            [
                d(2026, 3, 1),
                d(2026, 5, 1),
                d(2026, 6, 1),
                d(2026, 7, 1),
                d(2026, 8, 1)
            ]
        );
    }

    #[test]
    fn the_current_month_is_not_yet_a_lapse() {
        let bases = [(
            d(2026, 11, 1),
            basis(DuesCategory::Salaried, Some(9_000_000), None),
        )];
        let spans = [span(d(2020, 1, 1), None)];
        let months = ledger(LedgerInput {
            birth: d(1985, 1, 1),
            sex: Sex::Male,
            bases: &bases,
            spans: &spans,
            paid: &[],
            today: d(2026, 11, 30),
        });
        assert_eq!(months.len(), 1);
        assert!(months[0].owing());
        assert!(unpaid_ended(&months, d(2026, 11, 30)).is_empty());
        assert_eq!(paid_to(&months), None);
    }

    proptest! {
        /// "Paid up to" never passes a month she owes, and paying every month she owes moves
        /// it to the ledger's last month.
        #[test]
        fn paid_to_stops_at_the_first_debt(paid_mask in proptest::collection::vec(any::<bool>(), 24)) {
            let bases = [(d(2025, 1, 1), basis(DuesCategory::Other, None, Some(10_000)))];
            let spans = [span(d(2010, 1, 1), None)];
            let all: Vec<NaiveDate> = months(d(2025, 1, 1), d(2026, 12, 1)).collect();
            let paid: Vec<(NaiveDate, i64)> = all.iter().zip(&paid_mask).filter(|(_, p)| **p).map(|(m, _)| (*m, 10_000)).collect();
            let input = LedgerInput { birth: d(1990, 1, 1), sex: Sex::Male, bases: &bases, spans: &spans, paid: &paid, today: d(2026, 12, 15) };
            let months_ = ledger(input);
            prop_assert_eq!(months_.len(), 24);
            let to = paid_to(&months_);
            let first_debt = months_.iter().find(|m| !m.settled()).map(|m| m.month);
            match (to, first_debt) {
                (Some(t), Some(debt)) => prop_assert!(t < debt),
                (Some(t), None) => prop_assert_eq!(t, d(2026, 12, 1)),
                (None, Some(debt)) => prop_assert_eq!(debt, d(2025, 1, 1)),
                (None, None) => prop_assert!(false, "a ledger of 24 months has a first month"),
            }
            let everything: Vec<(NaiveDate, i64)> = all.iter().map(|m| (*m, 10_000)).collect();
            let full = ledger(LedgerInput { paid: &everything, ..input });
            prop_assert_eq!(paid_to(&full), Some(d(2026, 12, 1)));
            prop_assert!(unpaid_ended(&full, d(2026, 12, 15)).is_empty());
        }
    }
}
