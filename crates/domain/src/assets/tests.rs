use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn thresholds_switch_on_the_first_of_july_2026() {
    let before = thresholds_on(d(2026, 6, 30));
    assert_eq!(
        (before.item_vnd, before.change_vnd),
        (50_000_000, 300_000_000)
    );
    let after = thresholds_on(d(2026, 7, 1));
    assert_eq!(
        (after.item_vnd, after.change_vnd),
        (150_000_000, 1_000_000_000)
    );
    // Before the 2018 law was in force, the oldest thresholds are the nearest rule.
    assert_eq!(thresholds_on(d(2010, 1, 1)).change_vnd, 300_000_000);
}

#[test]
fn an_additional_declaration_follows_the_threshold_of_the_day() {
    assert!(additional_required(300_000_000, d(2026, 6, 30)));
    assert!(!additional_required(299_999_999, d(2026, 6, 30)));
    assert!(!additional_required(999_999_999, d(2026, 7, 1)));
    assert!(additional_required(1_000_000_000, d(2026, 7, 1)));
}

#[test]
fn due_days_of_each_kind() {
    assert_eq!(
        due_on(DeclarationKind::Annual, 2026, None),
        Some(d(2026, 12, 31))
    );
    assert_eq!(
        due_on(DeclarationKind::Additional, 2025, Some(d(2025, 3, 1))),
        Some(d(2025, 12, 31))
    );
    assert_eq!(
        due_on(DeclarationKind::First, 2026, Some(d(2026, 12, 28))),
        Some(d(2027, 1, 7))
    );
    assert_eq!(
        due_on(DeclarationKind::Personnel, 2026, Some(d(2026, 3, 5))),
        Some(d(2026, 2, 23))
    );
    assert_eq!(due_on(DeclarationKind::First, 2026, None), None);
    assert_eq!(
        declaration_year(DeclarationKind::Personnel, d(2025, 12, 25)),
        2026
    );
    assert_eq!(
        declaration_year(DeclarationKind::First, d(2027, 1, 7)),
        2027
    );
}

#[test]
fn codes_read_back() {
    for k in DeclarationKind::ALL {
        assert_eq!(DeclarationKind::from_code(k.code()), Some(k));
    }
    for k in SupervisionKind::ALL {
        assert_eq!(SupervisionKind::from_code(k.code()), Some(k));
    }
    for t in Trigger::ALL {
        assert_eq!(Trigger::from_code(t.code()), Some(t));
    }
    assert_eq!(Trigger::from_code("rumour"), None);
}

proptest! {
    /// The thresholds of a day are those of the latest rule in force on it, and they never
    /// go down over time.
    #[test]
    fn thresholds_are_the_latest_in_force(days in 0i64..20_000) {
        let on = d(2000, 1, 1) + chrono::Duration::days(days);
        let t = thresholds_on(on);
        let later = thresholds_on(on + chrono::Duration::days(1));
        prop_assert!(later.change_vnd >= t.change_vnd && later.item_vnd >= t.item_vnd);
        prop_assert_eq!(t.change_vnd == 1_000_000_000, on >= d(2026, 7, 1));
    }

    /// A declaration received is on time exactly when it came by its due day; one not received
    /// is overdue exactly when the day has passed.
    #[test]
    fn states_follow_the_due_day(due in 0i64..3000, got in proptest::option::of(0i64..3000), today in 0i64..3000) {
        let base = d(2020, 1, 1);
        let at = |n: i64| base + chrono::Duration::days(n);
        let s = declaration_state(at(due), got.map(at), at(today));
        let expected = match got {
            Some(g) if g <= due => DeclarationState::OnTime,
            Some(_) => DeclarationState::Late,
            None if today > due => DeclarationState::Overdue,
            None => DeclarationState::Due,
        };
        prop_assert_eq!(s, expected);
    }
}
