use super::*;
use proptest::prelude::*;

use crate::date::d;

fn classified() -> MemberFacts {
    MemberFacts {
        admitted_on: Some(d(2010, 5, 19)),
        on_rolls: true,
        ..Default::default()
    }
}

#[test]
fn each_period_has_its_rule_set() {
    assert_eq!(rule_set_for(d(2017, 12, 31)), None);
    assert_eq!(
        rule_set_for(d(2018, 1, 1)).unwrap().guidance,
        "Hướng dẫn 16-HD/BTCTW"
    );
    assert_eq!(rule_set_for(d(2022, 1, 1)).unwrap().id, "2019");
    assert_eq!(rule_set_for(d(2024, 10, 1)).unwrap().id, "2023");
    assert_eq!(rule_set_for(d(2026, 1, 1)).unwrap().id, "2025");
}

#[test]
fn the_article_figures_respect_the_2018_quota_only_counted_inclusively() {
    let q = rule_set_for(d(2018, 1, 1)).unwrap().quota;
    // Grassroots organisations of Uông Bí 2018: 9 HTXS of 45 HTT or better (R27).
    assert!(!q.check(9, 36).exceeded);
    let exclusive = Quota {
        base: QuotaBase::HttOnly,
        ..q
    };
    assert!(exclusive.check(9, 36).exceeded);
    // Members city-wide: 1,025 HTXS, 4,942 HTT only.
    assert_eq!(q.check(1025, 4942).cap, 1193);
    assert!(exclusive.check(1025, 4942).exceeded);
    // A cell exactly at the quota, and one over.
    assert!(!q.check(2, 8).exceeded);
    assert!(q.check(3, 8).exceeded);
}

#[test]
fn r24_who_is_not_classified() {
    let y2018 = rule_set_for(d(2018, 1, 1)).unwrap();
    let y2019 = rule_set_for(d(2019, 1, 1)).unwrap();
    let p = Period::year(2019);
    assert_eq!(member_not_classified(y2019, p, &classified()), None);
    let late = MemberFacts {
        admitted_on: Some(d(2019, 7, 2)),
        ..classified()
    };
    assert_eq!(
        member_not_classified(y2019, p, &late),
        Some(NotClassified::AdmittedLate),
        "admitted 5 months before year-end"
    );
    let just = MemberFacts {
        admitted_on: Some(d(2019, 6, 30)),
        ..classified()
    };
    assert_eq!(member_not_classified(y2019, p, &just), None);
    let exempt = MemberFacts {
        exempt: true,
        ..classified()
    };
    assert_eq!(
        member_not_classified(y2019, p, &exempt),
        Some(NotClassified::Exempt)
    );
    let suspended = MemberFacts {
        suspended: true,
        ..classified()
    };
    assert_eq!(
        member_not_classified(y2019, p, &suspended),
        Some(NotClassified::Suspended)
    );
    assert_eq!(
        member_not_classified(y2018, Period::year(2018), &suspended),
        None,
        "HD 16 classified suspended members"
    );
    assert_eq!(
        org_not_classified(p, d(2019, 7, 2)),
        Some(NotClassified::OrgTooYoung)
    );
    assert_eq!(org_not_classified(p, d(2019, 6, 30)), None);
}

#[test]
fn r25_forced_and_capped_levels() {
    let disciplined = MemberFacts {
        disciplines: vec![("vp-1".into(), DisciplineForm::KhienTrach)],
        ..classified()
    };
    assert_eq!(best_allowed(&member_bounds(&disciplined)), Level::Kht);
    let civil_kht = MemberFacts {
        civil_service: Some(Level::Kht),
        ..classified()
    };
    assert_eq!(best_allowed(&member_bounds(&civil_kht)), Level::Kht);
    let civil_htt = MemberFacts {
        civil_service: Some(Level::Htt),
        ..classified()
    };
    assert_eq!(best_allowed(&member_bounds(&civil_htt)), Level::Htt);
    let sick = MemberFacts {
        sick_leave_months: 3,
        ..classified()
    };
    assert_eq!(best_allowed(&member_bounds(&sick)), Level::Ht);
    assert_eq!(best_allowed(&member_bounds(&classified())), Level::Htxs);
    assert_eq!(
        distinct_violations(&[
            ("vp-1".into(), DisciplineForm::KhienTrach),
            ("vp-1".into(), DisciplineForm::CanhCao),
            ("vp-2".into(), DisciplineForm::KhienTrach),
        ]),
        2,
        "one violation counts once"
    );
}

#[test]
fn r26_organisation_conditions() {
    use Level::*;
    assert_eq!(org_htxs_condition(&[Htxs, Htt, Htt, Htt, Ht]), None);
    assert_eq!(
        org_htxs_condition(&[Htxs, Htt, Htt, Ht, Ht]).map(|b| b.best),
        Some(Htt),
        "60 % HTT or better"
    );
    assert!(
        org_htxs_condition(&[Htxs, Htt, Htt, Htt, Kht]).is_some(),
        "a KHT below"
    );
    let y2019 = rule_set_for(d(2019, 1, 1)).unwrap();
    let y2023 = rule_set_for(d(2023, 1, 1)).unwrap();
    assert_eq!(
        collective_bound(y2019, false, &[DisciplineForm::KhienTrach], 10, 0),
        None,
        "HD 21: khiển trách of a member does not sink the collective"
    );
    assert!(collective_bound(y2023, false, &[DisciplineForm::KhienTrach], 10, 0).is_some());
    assert!(collective_bound(y2019, false, &[DisciplineForm::CanhCao], 10, 0).is_some());
    assert_eq!(
        collective_bound(y2023, false, &[], 10, 2),
        None,
        "exactly 20 %"
    );
    assert!(collective_bound(y2023, false, &[], 10, 3).is_some());
    assert_eq!(collective_bound(y2019, false, &[], 10, 3), None);
}

proptest! {
    /// 2025 points: the level falls as the score falls, at the bands 90 / 70 / 50.
    #[test]
    fn points_bands_are_monotone(a in 0u8..=100, b in 0u8..=100) {
        let rs = rule_set_for(d(2025, 1, 1)).unwrap();
        let (la, lb) = (rs.level_from_points(a).unwrap(), rs.level_from_points(b).unwrap());
        if a >= b { prop_assert!(la <= lb); }
        prop_assert_eq!(la == Level::Htxs, a >= 90);
        prop_assert_eq!(la == Level::Kht, a < 50);
    }

    /// The quota's cap is the largest HTXS count not exceeding it.
    #[test]
    fn quota_cap_is_tight(htxs in 0u32..500, htt in 0u32..3000) {
        let q = rule_set_for(d(2019, 1, 1)).unwrap().quota;
        let c = q.check(htxs, htt);
        prop_assert_eq!(c.exceeded, htxs > c.cap);
        prop_assert!(u64::from(c.cap) * 5 <= u64::from(htxs + htt));
    }

    /// Bounds only ever lower a level, and a discipline always gives KHT.
    #[test]
    fn bounds_lower_only(disciplined in any::<bool>(), sick in 0u8..12, cs in 0usize..5) {
        let f = MemberFacts {
            disciplines: if disciplined { vec![("v".into(), DisciplineForm::KhienTrach)] } else { vec![] },
            sick_leave_months: sick,
            civil_service: Level::ALL.get(cs).copied(),
            ..classified()
        };
        let best = best_allowed(&member_bounds(&f));
        if disciplined { prop_assert_eq!(best, Level::Kht); }
        if sick >= 3 { prop_assert!(Level::Ht.at_least(best)); }
        prop_assert!(Level::Htxs.at_least(best));
    }
}

proptest! {
    /// A decision the check lets through never gives a level to a member the register does
    /// not classify, never goes above her bounds, and agrees with her points.
    #[test]
    fn a_member_decision_stays_within_the_register_bounds_and_points(
        on_rolls in any::<bool>(), exempt in any::<bool>(), disciplined in any::<bool>(),
        sick in 0u8..12, level in proptest::option::of(0usize..4),
        points in proptest::option::of(0u8..=100), year in prop_oneof![Just(2018), Just(2025)]
    ) {
        let rs = rule_set_for(d(year, 12, 31)).unwrap();
        let f = MemberFacts {
            on_rolls,
            exempt,
            disciplines: if disciplined { vec![("v".into(), DisciplineForm::KhienTrach)] } else { vec![] },
            sick_leave_months: sick,
            ..classified()
        };
        let level = level.map(|i| Level::ALL[i]);
        let period = Period::year(year);
        match check_member_decision(rs, period, &f, level, points) {
            Ok((given, reason)) => {
                prop_assert_eq!(given, level);
                prop_assert_eq!(reason, member_not_classified(rs, period, &f));
                prop_assert_eq!(given.is_some(), reason.is_none());
                if let Some(l) = given {
                    prop_assert!(best_allowed(&member_bounds(&f)).at_least(l));
                    if let Some(by_points) = points.and_then(|p| rs.level_from_points(p)) {
                        prop_assert_eq!(by_points, l);
                    }
                }
            }
            Err(_) => {
                let nc = member_not_classified(rs, period, &f);
                let refused = match level {
                    None => nc.is_none(),
                    Some(l) => nc.is_some()
                        || !best_allowed(&member_bounds(&f)).at_least(l)
                        || points.and_then(|p| rs.level_from_points(p)).is_some_and(|b| b != l),
                };
                prop_assert!(refused);
            }
        }
    }
}

#[test]
fn two_consecutive_kht_years_are_flagged_under_r11() {
    use crate::review::{Level, kht_two_years};
    assert_eq!(
        kht_two_years(&[(2022, Level::Kht), (2023, Level::Kht)]),
        Some(2022)
    );
    assert_eq!(
        kht_two_years(&[(2021, Level::Kht), (2023, Level::Kht), (2022, Level::Ht)]),
        None
    );
    assert_eq!(
        kht_two_years(&[(2024, Level::Kht), (2019, Level::Htt), (2023, Level::Kht)]),
        Some(2023)
    );
    assert_eq!(kht_two_years(&[]), None);
}
