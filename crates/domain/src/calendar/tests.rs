use super::*;
use proptest::prelude::*;

use crate::date::d;

#[test]
fn a_deadline_across_tet_2026_counts_only_working_days() {
    let c = WorkCalendar::vietnam();
    // R7: the decision is due within 60 working days of the cell's resolution of Monday
    // 2/2/2026. Tết (16–20/2), the day in lieu of Giỗ Tổ (27/4), 30/4 and 1/5 are not counted.
    assert_eq!(c.add_working_days(d(2026, 2, 2), 60), d(2026, 5, 7));
    // Weekends alone would have made it Monday 27/4.
    assert_eq!(
        WorkCalendar::default().add_working_days(d(2026, 2, 2), 60),
        d(2026, 4, 27)
    );
    // R7: the ceremony within 30 working days of a decision signed on Friday 6/2/2026.
    assert_eq!(c.add_working_days(d(2026, 2, 6), 30), d(2026, 3, 27));
    assert!(!c.is_working(d(2026, 2, 17)));
    assert!(c.is_working(d(2026, 2, 23)));
}

#[test]
fn make_up_saturdays_are_working_days_and_exchanged_days_are_not() {
    let c = WorkCalendar::vietnam();
    assert!(c.is_working(d(2024, 5, 4)), "Saturday 4/5/2024 was worked");
    assert!(!c.is_working(d(2024, 4, 29)), "Monday 29/4/2024 was off");
    assert!(!c.is_working(d(2018, 12, 31)));
    assert!(c.is_working(d(2019, 1, 5)));
    // Friday 26/4/2024 + 1 working day: Monday 29/4 is off, so Thursday 2/5.
    assert_eq!(c.add_working_days(d(2024, 4, 26), 1), d(2024, 5, 2));
}

#[test]
fn every_year_from_2018_to_2027_has_its_five_tet_days_and_the_fixed_holidays() {
    let c = WorkCalendar::vietnam();
    for y in 2018..=2027 {
        let days = c.special_days(y);
        let tet = days.iter().filter(|s| s.note == "Tết Nguyên đán").count();
        assert_eq!(tet, 5, "{y}: five weekdays of Tết");
        for s in &days {
            let weekend = matches!(s.day.weekday(), Weekday::Sat | Weekday::Sun);
            match s.kind {
                DayKind::Off => assert!(!weekend, "{y}: {} off on a weekend", s.day),
                DayKind::Work => assert!(weekend, "{y}: {} made-up on a weekday", s.day),
            }
        }
        assert!(WorkCalendar::knows(y));
    }
    assert!(!WorkCalendar::knows(2028));
}

#[test]
fn an_administrators_change_is_laid_over_the_built_in_days() {
    let c = WorkCalendar::vietnam().with([
        (
            d(2026, 1, 2),
            Some(DayKind::Off),
            "nghỉ hoán đổi".to_owned(),
        ),
        (d(2026, 1, 10), Some(DayKind::Work), "làm bù".to_owned()),
        (d(2026, 9, 1), None, String::new()),
    ]);
    assert!(!c.is_working(d(2026, 1, 2)));
    assert!(c.is_working(d(2026, 1, 10)));
    assert!(c.is_working(d(2026, 9, 1)), "back to the week's rule");
    assert_eq!(
        c.special_days(2026).first().map(|s| s.day),
        Some(d(2026, 1, 1))
    );
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day_that_many_working_days_later(
        offset in 0i64..4000, n in 0u32..200,
    ) {
        let c = WorkCalendar::vietnam();
        let from = d(2017, 6, 1) + chrono::Duration::days(offset);
        let to = c.add_working_days(from, n);
        prop_assert_eq!(c.working_days_between(from, to), n);
        if n > 0 {
            prop_assert!(c.is_working(to));
            prop_assert!(to > from);
        } else {
            prop_assert_eq!(to, from);
        }
        // A deadline never comes sooner than the same count of calendar days, nor later than
        // the weekends and the longest holiday could push it.
        prop_assert!(to >= from + chrono::Duration::days(i64::from(n)));
        prop_assert!(c.add_working_days(from, n + 1) > to);
    }
}

#[test]
fn a_probation_consideration_is_due_for_30_working_days_after_the_twelve_months() {
    let c = WorkCalendar::vietnam();
    // Admitted 20/1/2025: 12 months on 20/1/2026; 30 working days after it, across Tết 2026.
    let eligible = crate::member::official_date(d(2025, 1, 20));
    assert_eq!(eligible, d(2026, 1, 20));
    let dl = c.deadline(eligible, PROBATION_CONSIDERATION_DAYS);
    assert_eq!(dl.due_by, d(2026, 3, 10));
    assert_eq!(dl.state(d(2026, 1, 19)), DueState::NotYet);
    assert_eq!(dl.state(d(2026, 1, 20)), DueState::Due);
    assert_eq!(dl.state(d(2026, 3, 10)), DueState::Due);
    assert_eq!(dl.state(d(2026, 3, 11)), DueState::Overdue);
}
