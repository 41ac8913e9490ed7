#![allow(clippy::unwrap_used)]
use super::*;
use proptest::prelude::*;

use crate::date::d;

#[test]
fn the_minimum_length_starts_with_chi_thi_50() {
    let before = d(2025, 7, 22);
    let after = d(2025, 7, 23);
    assert_eq!(duration_flag(MeetingKind::Regular, before, 45), None);
    assert_eq!(
        duration_flag(MeetingKind::Regular, after, 89).map(|f| f.code),
        Some("meeting_short")
    );
    assert_eq!(duration_flag(MeetingKind::Regular, after, 90), None);
    assert_eq!(
        duration_flag(MeetingKind::Combined, after, 100).map(|f| (f.rule, f.code)),
        Some(("R18", "meeting_short_combined"))
    );
    assert_eq!(duration_flag(MeetingKind::Combined, after, 120), None);
    assert_eq!(duration_flag(MeetingKind::Extraordinary, after, 20), None);
}

#[test]
fn due_meetings_follow_the_cells_life_across_a_merger() {
    // A cell merged away on 15/5/2019 and refounded on 1/9/2019.
    let alive = [(d(2010, 1, 1), Some(d(2019, 5, 15))), (d(2019, 9, 1), None)];
    let held = [
        (d(2019, 1, 10), MeetingKind::Regular),
        (d(2019, 2, 10), MeetingKind::Combined),
        (d(2019, 9, 5), MeetingKind::Regular),
        (d(2019, 10, 5), MeetingKind::Thematic),
    ];
    let r = due_meetings(&alive, d(2019, 1, 1), d(2019, 12, 31), &held);
    // Due: January–April and September–December; May (cut) and June–August are not.
    assert_eq!(
        r.months_due,
        vec![
            (2019, 1),
            (2019, 2),
            (2019, 3),
            (2019, 4),
            (2019, 9),
            (2019, 10),
            (2019, 11),
            (2019, 12)
        ]
    );
    assert_eq!(
        r.months_missing,
        vec![(2019, 3), (2019, 4), (2019, 10), (2019, 11), (2019, 12)]
    );
    // Q1 held (the combined meeting of February), Q2 and Q3 not whole, Q4 held.
    assert_eq!(r.quarters_due, vec![(2019, 1), (2019, 4)]);
    assert!(r.quarters_missing.is_empty());
}

#[test]
fn quorum_counts_official_members_expected() {
    let s = |a, official| Seat {
        attendance: a,
        official,
    };
    let seats = [
        s(Attendance::Present, true),
        s(Attendance::Present, true),
        s(Attendance::AbsentExcused, true),
        s(Attendance::Exempt, true),
        s(Attendance::Present, false),
        s(Attendance::Present, false),
    ];
    let q = quorum(&seats);
    // 3 official expected (the exempt one is not), 2 present: quorum.
    assert_eq!(
        (q.expected_voters, q.present_voters, q.reached),
        (3, 2, true)
    );
    assert_eq!(vote_passes(&q, 2, 0, 0), Ok(true));
    assert_eq!(vote_passes(&q, 1, 1, 0), Ok(false));
    assert_eq!(vote_passes(&q, 3, 0, 0), Err("votes_exceed_voters"));
    let q2 = quorum(
        &seats[..3]
            .iter()
            .copied()
            .chain([s(Attendance::AbsentUnexcused, true)])
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        (q2.expected_voters, q2.present_voters, q2.reached),
        (4, 2, false)
    );
}

#[test]
fn three_months_are_counted_within_a_calendar_year() {
    let l = |y, m| Lapse {
        month: (y, m),
        unexcused_absence: true,
        dues_unpaid: false,
    };
    assert!(removal_flags(&[l(2019, 11), l(2019, 12), l(2020, 1)]).is_empty());
    assert_eq!(
        removal_flags(&[l(2019, 2), l(2019, 7), l(2019, 12)]),
        vec![(
            2019,
            Flag {
                rule: "R11",
                code: "absent_three_months"
            }
        )]
    );
}

#[test]
fn a_missing_half_year_of_residence_meetings_shows() {
    let held = [d(2019, 3, 1), d(2019, 11, 20), d(2020, 5, 2)];
    assert_eq!(
        halves_missing(d(2019, 1, 1), d(2020, 12, 31), &held),
        vec![(2020, 2)]
    );
}

fn template() -> ScoringTemplate {
    let c = |code: &str, max| Criterion {
        code: code.into(),
        name: code.into(),
        max,
    };
    let b = |min, code: &str| Band {
        min,
        code: code.into(),
        name: code.into(),
    };
    ScoringTemplate {
        id: 7,
        code: "t".into(),
        name: "t".into(),
        valid_from: None,
        criteria: vec![
            c("preparation", 20),
            c("attendance", 20),
            c("resolution", 60),
        ],
        bands: vec![b(90, "good"), b(70, "fair"), b(50, "average"), b(0, "weak")],
    }
}

#[test]
fn a_score_gives_every_criterion_within_its_maximum() {
    let t = template();
    let p = |a, b, c| {
        vec![
            ("preparation".to_owned(), a),
            ("attendance".to_owned(), b),
            ("resolution".to_owned(), c),
        ]
    };
    let s = t.score(&p(20, 15, 55)).unwrap();
    assert_eq!((s.total, s.band.as_str(), s.template), (90, "good", 7));
    assert_eq!(t.score(&p(20, 15, 34)).unwrap().band, "average");
    assert_eq!(t.score(&p(0, 0, 10)).unwrap().band, "weak");
    assert_eq!(
        t.score(&p(21, 0, 0)).unwrap_err().code(),
        "score_out_of_range"
    );
    assert_eq!(
        t.score(&p(1, 1, 1)[..2]).unwrap_err().code(),
        "score_missing"
    );
    let mut extra = p(1, 1, 1);
    extra.push(("music".into(), 1));
    assert_eq!(
        t.score(&extra).unwrap_err().code(),
        "score_unknown_criterion"
    );
    assert_eq!(t.max_total(), 100);
}

#[test]
fn the_template_of_a_date_is_the_latest_started() {
    let mut old = template();
    old.id = 1;
    let mut new = template();
    new.id = 2;
    new.valid_from = Some(d(2025, 7, 23));
    let all = [old, new];
    assert_eq!(template_on(&all, d(2019, 5, 1)).unwrap().id, 1);
    assert_eq!(template_on(&all, d(2025, 7, 23)).unwrap().id, 2);
}

#[test]
fn a_grassroots_dang_bo_meets_twice_a_year() {
    let held = [
        (d(2019, 6, 20), MeetingKind::Assembly),
        (d(2019, 10, 1), MeetingKind::Regular),
    ];
    assert_eq!(
        assemblies_missing(d(2019, 1, 1), d(2019, 12, 31), &held),
        vec![(2019, 2)]
    );
}

fn lapse() -> impl Strategy<Value = Lapse> {
    (2018i32..2022, 1u32..=12, any::<bool>(), any::<bool>()).prop_map(|(y, m, a, p)| Lapse {
        month: (y, m),
        unexcused_absence: a,
        dues_unpaid: p,
    })
}

proptest! {
    /// R11 flags a year exactly when three distinct months of that year lapse, whatever
    /// the order, repetitions or lapses of other years.
    #[test]
    fn removal_flags_are_per_calendar_year(lapses in proptest::collection::vec(lapse(), 0..40)) {
        let flags = removal_flags(&lapses);
        for y in 2018..2022 {
            let months = |f: fn(&Lapse) -> bool| {
                let mut v: Vec<u32> = lapses.iter().filter(|l| l.month.0 == y && f(l)).map(|l| l.month.1).collect();
                v.sort_unstable();
                v.dedup();
                v.len()
            };
            let absent = flags.iter().any(|(fy, f)| *fy == y && f.code == "absent_three_months");
            let dues = flags.iter().any(|(fy, f)| *fy == y && f.code == "dues_three_months");
            prop_assert_eq!(absent, months(|l| l.unexcused_absence) >= 3);
            prop_assert_eq!(dues, months(|l| l.dues_unpaid) >= 3);
        }
    }

    /// A month is missing exactly when it is due and no regular (or combined) meeting was
    /// held in it; every due month lies inside the cell's life and the asked span.
    #[test]
    fn due_months_are_inside_life_and_missing_ones_unmet(
        start_month in 1u32..=12, end_gap in 0u32..30, merged in any::<bool>(),
        held_months in proptest::collection::vec((1u32..=12, 0usize..5), 0..12)
    ) {
        let born = d(2019, start_month, 1);
        let died = merged.then(|| d(2020, 1 + end_gap % 12, 1 + end_gap % 27));
        let alive = [(born, died)];
        let held: Vec<(NaiveDate, MeetingKind)> = held_months.iter().map(|(m, k)| (d(2019, *m, 10), MeetingKind::ALL[*k])).collect();
        let r = due_meetings(&alive, d(2019, 1, 1), d(2020, 12, 31), &held);
        for m in &r.months_due {
            let first = d(m.0, m.1, 1);
            prop_assert!(first >= born);
            if let Some(e) = died { prop_assert!(first < e); }
            let met = held.iter().any(|(hd, k)| k.is_regular() && (hd.year(), hd.month()) == *m);
            prop_assert_eq!(r.months_missing.contains(m), !met);
        }
        for m in &r.months_missing {
            prop_assert!(r.months_due.contains(m));
        }
    }

    /// The quorum never counts more present than expected, and adding a present official
    /// member never loses it.
    #[test]
    fn quorum_is_monotonic(att in proptest::collection::vec((0usize..5, any::<bool>()), 0..30)) {
        let seats: Vec<Seat> = att.iter().map(|(a, o)| Seat { attendance: Attendance::ALL[*a], official: *o }).collect();
        let q = quorum(&seats);
        prop_assert!(q.present_voters <= q.expected_voters);
        let mut more = seats.clone();
        more.push(Seat { attendance: Attendance::Present, official: true });
        prop_assert!(!q.reached || quorum(&more).reached);
    }
}

fn sitter() -> impl Strategy<Value = Sitter> {
    (1i64..12, 0usize..5, any::<bool>()).prop_map(|(m, a, official)| Sitter {
        member: MemberId(m),
        attendance: Attendance::ALL[a],
        official,
    })
}

proptest! {
    /// A sitting passes exactly when its chair and minute-taker are present and, with a
    /// vote, the vote fits the voters present and more than half of the official members
    /// expected (attached members aside) are there.
    #[test]
    fn a_sitting_passes_only_with_its_officers_present_and_a_quorum_for_a_vote(
        sitters in proptest::collection::vec(sitter(), 0..12),
        chair in proptest::option::of(1i64..12), taker in proptest::option::of(1i64..12),
        votes in proptest::option::of((0u32..8, 0u32..8, 0u32..8))
    ) {
        let (chair, taker) = (chair.map(MemberId), taker.map(MemberId));
        let here = |w: Option<MemberId>| w.is_none_or(|w| sitters.iter().any(|s| s.member == w && s.attendance.present()));
        let seats: Vec<Seat> = sitters.iter().filter(|s| s.attendance != Attendance::Attached)
            .map(|s| Seat { attendance: s.attendance, official: s.official }).collect();
        let q = quorum(&seats);
        let expected = if !here(chair) {
            Err(SittingFault::ChairAbsent)
        } else if !here(taker) {
            Err(SittingFault::MinuteTakerAbsent)
        } else if let Some((y, n, a)) = votes {
            if y + n + a > q.present_voters {
                Err(SittingFault::Votes("votes_exceed_voters"))
            } else if !q.reached {
                Err(SittingFault::NoQuorum)
            } else {
                Ok(())
            }
        } else {
            Ok(())
        };
        prop_assert_eq!(check_sitting(&sitters, chair, taker, votes), expected);
    }
}
