use super::*;

#[test]
fn ranges_are_real_and_bounded() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let today = d(2026, 11, 30);
    let f = ("from", "to");
    assert!(check_range(d(2019, 1, 1), d(2019, 12, 31), 60, today, f).is_ok());
    assert!(check_range(d(2021, 1, 1), d(2025, 12, 31), 60, today, f).is_ok());
    assert_eq!(
        check_range(d(2021, 1, 1), d(2026, 1, 1), 60, today, f)
            .unwrap_err()
            .code,
        "period_too_long"
    );
    assert_eq!(
        check_range(d(2019, 2, 1), d(2019, 1, 1), 60, today, f)
            .unwrap_err()
            .code,
        "date_before_start"
    );
    assert_eq!(
        check_range(d(1, 1, 1), d(1, 2, 1), 60, today, f)
            .unwrap_err()
            .code,
        "date_too_early"
    );
    assert_eq!(
        check_range(d(2027, 1, 1), d(2028, 1, 1), 60, today, f)
            .unwrap_err()
            .code,
        "date_too_late"
    );
}

use crate::date::d;

#[test]
fn parses_vietnamese_and_iso_dates() {
    assert_eq!(parse_date("f", "03/02/1990").unwrap(), d(1990, 2, 3));
    assert_eq!(parse_date("f", "3/2/1990").unwrap(), d(1990, 2, 3));
    assert_eq!(parse_date("f", "1990-02-03").unwrap(), d(1990, 2, 3));
}

#[test]
fn refuses_impossible_and_malformed_dates() {
    assert_eq!(
        parse_date("ngay", "31/02/2020").unwrap_err().code,
        "date_impossible"
    );
    assert_eq!(parse_date("ngay", "31/02/2020").unwrap_err().field, "ngay");
    assert_eq!(parse_date("f", "hôm qua").unwrap_err().code, "date_format");
    assert_eq!(parse_date("f", "").unwrap_err().code, "required");
    assert_eq!(parse_date("f", "12/12/12").unwrap_err().code, "date_format");
}

#[test]
fn formats_dd_mm_yyyy() {
    assert_eq!(format_vn(d(2018, 12, 31)), "31/12/2018");
    assert_eq!(format_vn(d(2025, 7, 1)), "01/07/2025");
}

#[test]
fn months_and_age_count_whole_months() {
    assert_eq!(months_between(d(2000, 1, 15), d(2018, 1, 14)), 215);
    assert_eq!(age_years(d(2000, 1, 15), d(2018, 1, 14)), 17);
    assert_eq!(age_years(d(2000, 1, 15), d(2018, 1, 15)), 18);
    assert_eq!(age_years(d(2000, 2, 29), d(2018, 2, 28)), 17);
}

proptest::proptest! {
    /// The hand-written ISO date is chrono's, for every day of every year it can hold, and
    /// reads back as the same day.
    #[test]
    fn iso_is_chronos_format(days in -800_000i32..3_700_000) {
        let day = NaiveDate::from_num_days_from_ce_opt(days);
        proptest::prop_assume!(day.is_some());
        let Some(day) = day else { return Ok(()) };
        proptest::prop_assert_eq!(iso(day), day.format("%Y-%m-%d").to_string());
        if (0..=9999).contains(&day.year()) {
            proptest::prop_assert_eq!(from_iso(&iso(day)), Some(day));
        }
    }
}
