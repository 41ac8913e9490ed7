use proptest::prelude::*;

use super::*;
use crate::date::d;
use crate::member::seniority_months;

fn ev(kind: EventKind, on: NaiveDate) -> Event {
    Event {
        kind,
        on,
        org: None,
        discipline: None,
    }
}

#[test]
fn the_days_of_a_year_and_the_window() {
    assert_eq!(
        days_of(2026),
        [d(2026, 2, 3), d(2026, 5, 19), d(2026, 9, 2), d(2026, 11, 7)]
    );
    assert_eq!(previous_day(d(2026, 9, 2)), d(2026, 5, 19));
    assert_eq!(previous_day(d(2026, 2, 3)), d(2025, 11, 7));
    assert!(is_day(d(2026, 11, 7)) && !is_day(d(2026, 11, 8)));
}

#[test]
fn a_hand_computed_list_for_2_september_2026() {
    // Admitted 15/7/1996: 30 years on 15/7/2026, between 19/5 and 2/9: on the 2/9 list.
    let a = [ev(EventKind::Admitted, d(1996, 7, 15))];
    assert_eq!(due_on(&a, d(2026, 9, 2)), Some((30, d(2026, 7, 15))));
    // Admitted 2/9/1986: 40 years exactly on the day.
    let b = [ev(EventKind::Admitted, d(1986, 9, 2))];
    assert_eq!(due_on(&b, d(2026, 9, 2)), Some((40, d(2026, 9, 2))));
    // Admitted 3/9/1981: 45 years the day after: the 7/11 list, not this one.
    let c = [ev(EventKind::Admitted, d(1981, 9, 3))];
    assert_eq!(due_on(&c, d(2026, 9, 2)), None);
    assert_eq!(due_on(&c, d(2026, 11, 7)), Some((45, d(2026, 9, 3))));
    // Admitted 1/6/1976 but out of the Party for two years (removed 1/6/1980, readmitted
    // 1/6/1982): 50 years of seniority only on 1/6/2028.
    let e = [
        ev(EventKind::Admitted, d(1976, 6, 1)),
        ev(EventKind::RemovedFromRolls, d(1980, 6, 1)),
        ev(EventKind::Readmitted, d(1982, 6, 1)),
    ];
    assert_eq!(due_on(&e, d(2026, 9, 2)), None);
    assert_eq!(reach_date(&e, 50 * 12), Some(d(2028, 6, 1)));
    // 35 years: no badge.
    let f = [ev(EventKind::Admitted, d(1991, 8, 1))];
    assert_eq!(due_on(&f, d(2026, 9, 2)), None);
}

#[test]
fn exceptions_have_their_windows() {
    let day = d(2026, 9, 2);
    // 60 years on 1/6/2027: 9 months after the day, within 12 months early when seriously ill.
    let ill = [ev(EventKind::Admitted, d(1967, 6, 1))];
    assert_eq!(
        check_proposal(&ill, 60, day, BadgeException::SeriouslyIll),
        Ok(())
    );
    assert_eq!(
        check_proposal(&ill, 60, day, BadgeException::None),
        Err("badge_not_reached")
    );
    // 70 years on 1/6/2028: 21 months, allowed from 70 years (24 months).
    let old = [ev(EventKind::Admitted, d(1958, 6, 1))];
    assert_eq!(
        check_proposal(&old, 70, day, BadgeException::SeriouslyIll),
        Ok(())
    );
    // 65 years 21 months after the day: too early below 70.
    let mid = [ev(EventKind::Admitted, d(1963, 6, 1))];
    assert_eq!(
        check_proposal(&mid, 65, day, BadgeException::SeriouslyIll),
        Err("badge_too_early")
    );
    // Died 10/3/2026, 10 months before her 50 years (10/1/2027): posthumous.
    let gone = [
        ev(EventKind::Admitted, d(1977, 1, 10)),
        ev(EventKind::Died, d(2026, 3, 10)),
    ];
    assert_eq!(
        check_proposal(&gone, 50, day, BadgeException::Posthumous),
        Ok(())
    );
    assert_eq!(
        check_proposal(&gone, 50, day, BadgeException::SeriouslyIll),
        Err("badge_member_died")
    );
    assert_eq!(
        check_proposal(&ill, 60, day, BadgeException::Posthumous),
        Err("badge_not_died")
    );
    // 30 years reached in 2020 and never proposed: a supplement, not the regular list.
    let missed = [ev(EventKind::Admitted, d(1990, 1, 1))];
    assert_eq!(
        check_proposal(&missed, 30, day, BadgeException::None),
        Err("badge_missed")
    );
    assert_eq!(
        check_proposal(&missed, 30, day, BadgeException::Missed),
        Ok(())
    );
    assert_eq!(
        check_proposal(&missed, 35, day, BadgeException::Missed),
        Err("badge_milestone")
    );
}

#[test]
fn numbers_carry_the_province_and_the_45_year_letter() {
    assert_eq!(parse_number(30, "QN 123456"), Ok("QN123456".into()));
    assert_eq!(parse_number(45, "qn-e123456"), Ok("QNE123456".into()));
    assert_eq!(
        parse_number(45, "QN123456").map_err(|e| e.code),
        Err("badge_number_format")
    );
    assert_eq!(
        parse_number(30, "QN12345").map_err(|e| e.code),
        Err("badge_number_format")
    );
    assert_eq!(
        parse_number(30, "123456").map_err(|e| e.code),
        Err("badge_number_format")
    );
    assert_eq!(
        parse_number(30, "QNE123456").map_err(|e| e.code),
        Err("badge_number_format")
    );
}

proptest! {
    /// The reach date agrees with seniority: the day before it she has fewer months, on it
    /// she has them.
    #[test]
    fn reach_date_agrees_with_seniority(
        admitted in 0i64..15_000, out in proptest::option::of((0i64..6000, 1i64..3000)), years in 0usize..12
    ) {
        let start = d(1950, 1, 1) + chrono::Duration::days(admitted);
        let mut events = vec![ev(EventKind::Admitted, start)];
        if let Some((after, gap)) = out {
            let left = start + chrono::Duration::days(after + 1);
            events.push(ev(EventKind::RemovedFromRolls, left));
            events.push(ev(EventKind::Readmitted, left + chrono::Duration::days(gap)));
        }
        let months = rules_for(d(2026, 1, 1)).milestones[years] * 12;
        let r = reach_date(&events, months).unwrap();
        prop_assert!(seniority_months(&events, r) >= months as i32);
        prop_assert!(seniority_months(&events, r.pred_opt().unwrap()) < months as i32);
    }
}
