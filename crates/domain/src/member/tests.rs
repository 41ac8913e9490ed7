use super::*;
use crate::ids::OrgId;
use proptest::prelude::*;

use crate::date::d;
fn ev(kind: EventKind, on: NaiveDate) -> Event {
    Event {
        kind,
        on,
        org: if kind.places_in_cell() {
            Some(OrgId(7))
        } else {
            None
        },
        discipline: None,
    }
}
fn disc(form: DisciplineForm, on: NaiveDate) -> Event {
    Event {
        kind: EventKind::Disciplined,
        on,
        org: None,
        discipline: Some(form),
    }
}

#[test]
fn validated_numbers() {
    assert_eq!(
        Cccd::parse("0221 9000 1234").unwrap().as_str(),
        "022190001234"
    );
    assert_eq!(Cccd::parse("12345").unwrap_err().code, "cccd_format");
    assert_eq!(
        HistoryNumber::parse("123456qn").unwrap().as_str(),
        "123456-QN"
    );
    assert_eq!(
        HistoryNumber::parse("123456-QNIN").unwrap_err().code,
        "history_number_format"
    );
    assert!(CardNumber::parse("12345678", CardGeneration::Ct29_2003).is_ok());
    assert!(CardNumber::parse("1234567", CardGeneration::Ct29_2003).is_err());
    assert!(CardNumber::parse("QN2025000123", CardGeneration::Ct51_2025).is_ok());
}

#[test]
fn person_names() {
    assert_eq!(
        parse_person_name("full_name", " nguyễn  văn Đức ").unwrap(),
        "nguyễn văn Đức"
    );
    assert_eq!(
        parse_person_name("full_name", "Đức").unwrap_err().code,
        "name_format"
    );
    assert_eq!(
        parse_person_name("full_name", "Nguyễn V4n")
            .unwrap_err()
            .code,
        "name_format"
    );
}

#[test]
fn status_follows_events() {
    let birth = d(1980, 5, 1);
    let events = vec![
        ev(EventKind::Admitted, d(2010, 3, 2)),
        ev(EventKind::MadeOfficial, d(2011, 3, 2)),
        ev(EventKind::Exempted, d(2016, 1, 1)),
    ];
    assert_eq!(
        state_on(birth, &events, d(2010, 12, 31)).unwrap().status,
        Status::Probationary
    );
    assert_eq!(
        state_on(birth, &events, d(2012, 1, 1)).unwrap().status,
        Status::Official
    );
    let now = state_on(birth, &events, d(2018, 1, 1)).unwrap();
    assert_eq!(now.status, Status::Exempt);
    assert!(now.official);
    assert_eq!(now.admitted_on, Some(d(2010, 3, 2)));
    assert_eq!(now.official_on, Some(d(2011, 3, 2)));
    assert_eq!(
        state_on(birth, &events, d(2000, 1, 1)).unwrap().status,
        Status::NotMember
    );
}

#[test]
fn official_is_exactly_12_months_after_admission() {
    let birth = d(1980, 5, 1);
    let late = vec![
        ev(EventKind::Admitted, d(2010, 3, 2)),
        ev(EventKind::MadeOfficial, d(2011, 4, 10)),
    ];
    let (i, err) = replay(birth, &late).unwrap_err();
    assert_eq!((i, err.code()), (1, "official_date_12_months"));
    assert_eq!(official_date(d(2020, 2, 29)), d(2021, 2, 28));
}

#[test]
fn r12_probationary_members_only_get_reprimand_or_warning() {
    let birth = d(1990, 1, 1);
    let base = ev(EventKind::Admitted, d(2018, 3, 1));
    for form in DisciplineForm::ALL {
        let r = replay(birth, &[base.clone(), disc(form, d(2018, 6, 1))]);
        assert_eq!(r.is_ok(), form.allowed_for_probationary(), "{form:?}");
        if let Err((_, e)) = r {
            assert_eq!(e.code(), "discipline_not_allowed_probationary");
        }
    }
}

#[test]
fn expulsion_ends_membership_and_nothing_follows_death() {
    let birth = d(1960, 1, 1);
    let mut events = vec![
        ev(EventKind::Admitted, d(1990, 1, 1)),
        ev(EventKind::MadeOfficial, d(1991, 1, 1)),
        disc(DisciplineForm::KhaiTru, d(2000, 1, 1)),
    ];
    let s = replay(birth, &events).unwrap();
    assert_eq!(s[2].status, Status::Expelled);
    assert_eq!(s[2].cell, None);
    events.push(ev(EventKind::Exempted, d(2001, 1, 1)));
    assert_eq!(replay(birth, &events).unwrap_err().1.code(), "not_a_member");
    let dead = vec![
        ev(EventKind::Admitted, d(1990, 1, 1)),
        ev(EventKind::Died, d(2010, 1, 1)),
        ev(EventKind::Exempted, d(2011, 1, 1)),
    ];
    assert_eq!(replay(birth, &dead).unwrap_err().1.code(), "member_died");
}

#[test]
fn admitted_elsewhere_then_transferred_in() {
    let birth = d(1990, 1, 1);
    let cell = Some(OrgId(9));
    let events = vec![
        Event {
            kind: EventKind::Admitted,
            on: d(2016, 5, 19),
            org: None,
            discipline: None,
        },
        ev(EventKind::MadeOfficial, d(2017, 5, 19)),
        Event {
            kind: EventKind::TransferredIn,
            on: d(2020, 2, 1),
            org: cell,
            discipline: None,
        },
    ];
    let s = replay(birth, &events).unwrap();
    assert_eq!((s[0].status, s[0].cell), (Status::TransferredOut, None));
    assert!(s[1].official);
    assert_eq!((s[2].status, s[2].cell), (Status::Official, cell));
}

#[test]
fn admission_age_rules() {
    assert_eq!(
        check_admission(d(2000, 6, 1), d(2018, 5, 31))
            .unwrap_err()
            .code(),
        "admission_under_18"
    );
    assert!(check_admission(d(2000, 6, 1), d(2018, 6, 1)).is_ok());
    assert_eq!(
        check_admission(d(2000, 6, 1), d(1999, 1, 1))
            .unwrap_err()
            .code(),
        "admission_before_birth"
    );
    let r = replay(d(2000, 6, 1), &[ev(EventKind::Admitted, d(2017, 1, 1))]);
    assert_eq!(r.unwrap_err().1.code(), "admission_under_18");
}

#[test]
fn seniority_subtracts_time_out_of_the_party() {
    let events = vec![
        ev(EventKind::Admitted, d(1990, 1, 1)),
        ev(EventKind::MadeOfficial, d(1991, 1, 1)),
        ev(EventKind::RemovedFromRolls, d(2000, 1, 1)),
        ev(EventKind::Readmitted, d(2005, 1, 1)),
    ];
    assert_eq!(seniority_months(&events, d(2010, 1, 1)), 120 + 60);
    assert_eq!(seniority_months(&events, d(1989, 1, 1)), 0);
    assert_eq!(seniority_months(&events[..1], d(2018, 12, 31)), 347);
}

#[test]
fn record_correction_validates_the_new_value() {
    let rec = MemberRecord::parse(|k| match k {
        "full_name" => "Nguyễn Văn Đức".into(),
        "sex" => "male".into(),
        "birth_date" => "01/02/1980".into(),
        "ethnicity" => "Kinh".into(),
        _ => String::new(),
    })
    .unwrap();
    assert_eq!(
        rec.with_field("cccd", "123").unwrap_err().fields()[0].field,
        "cccd"
    );
    let fixed = rec.with_field("cccd", "022080001234").unwrap();
    assert_eq!(fixed.field("cccd").unwrap(), "022080001234");
    assert_eq!(fixed.full_name, rec.full_name);
    assert_eq!(
        rec.with_field("birth_date", "31/02/1980")
            .unwrap_err()
            .fields()[0]
            .code,
        "date_impossible"
    );
}

#[test]
fn record_parse_reports_every_bad_field() {
    let err = MemberRecord::parse(|k| match k {
        "full_name" => "X".into(),
        "birth_date" => "31/02/1990".into(),
        "cccd" => "12ab".into(),
        _ => String::new(),
    })
    .unwrap_err();
    let fields: Vec<_> = err.fields().iter().map(|f| f.field).collect();
    assert_eq!(
        fields,
        vec!["full_name", "sex", "birth_date", "ethnicity", "cccd"]
    );
}

fn arb_event() -> impl Strategy<Value = (usize, i64, u8)> {
    (0usize..EventKind::ALL.len(), 0i64..4000, 0u8..4)
}

proptest! {
    /// Status derivation from random event sequences: whatever prefix is accepted, the
    /// derived state is consistent (official only while in the Party, a cell only while on
    /// the rolls, no probationary member holding a heavy discipline), and seniority never
    /// decreases with time.
    #[test]
    fn random_timelines_stay_consistent(raw in proptest::collection::vec(arb_event(), 0..25)) {
        let birth = d(1970, 1, 1);
        let start = d(1995, 1, 1);
        let mut events: Vec<Event> = raw.iter().map(|(k, days, f)| {
            let kind = EventKind::ALL[*k];
            let on = start + chrono::Duration::days(*days);
            Event { kind, on, org: if kind.places_in_cell() { Some(OrgId(1 + *days % 3)) } else { None },
                    discipline: if kind == EventKind::Disciplined { Some(DisciplineForm::ALL[*f as usize]) } else { None } }
        }).collect();
        events.sort_by_key(|e| e.on);
        // Keep the longest valid prefix.
        let valid = match replay(birth, &events) { Ok(_) => events.len(), Err((i, _)) => i };
        let events = &events[..valid];
        let states = replay(birth, events).unwrap();
        for (s, e) in states.iter().zip(events) {
            prop_assert_eq!(s.cell.is_some(), s.status.on_rolls());
            if s.official { prop_assert!(s.status.on_rolls() || s.status == Status::TransferredOut || s.status == Status::Died); }
            if s.status == Status::Probationary { prop_assert!(!s.official); }
            if e.kind == EventKind::Disciplined && !e.discipline.unwrap().allowed_for_probationary() {
                prop_assert!(states.iter().zip(events).any(|(st, ev)| ev.kind == EventKind::MadeOfficial && ev.on <= e.on && st.official));
            }
        }
        let sp = spans(birth, events).unwrap();
        for y in 1995..2010 {
            let on = d(y, 6, 1);
            let st = state_on(birth, events, on).unwrap();
            let covering: Vec<&Span> = sp.iter().filter(|x| x.from <= on && x.to.is_none_or(|t| t > on)).collect();
            prop_assert!(covering.len() <= 1);
            match covering.first() {
                Some(x) => prop_assert_eq!((Some(x.cell), x.status, x.official), (st.cell, st.status, st.official)),
                None => prop_assert!(st.cell.is_none()),
            }
        }
        let mut last = 0;
        for y in 1995..2010 {
            let m = seniority_months(events, d(y, 6, 1));
            prop_assert!(m >= last);
            last = m;
        }
    }
}

#[test]
fn a_transfer_out_names_who_may_receive_her() {
    let admitted = ev(EventKind::Admitted, d(2000, 1, 1));
    let mut out = ev(EventKind::TransferredOut, d(2010, 1, 1));
    assert_eq!(awaiting_arrival(std::slice::from_ref(&admitted)), None);
    assert_eq!(
        awaiting_arrival(&[admitted.clone(), out.clone()]),
        Some(None)
    );
    out.org = Some(OrgId(42));
    assert_eq!(
        awaiting_arrival(&[admitted.clone(), out.clone()]),
        Some(Some(OrgId(42)))
    );
    // Official membership while away does not end the wait; arriving or dying does.
    let official = ev(EventKind::MadeOfficial, d(2001, 1, 1));
    let mut later = vec![admitted.clone(), official, out.clone()];
    assert_eq!(awaiting_arrival(&later), Some(Some(OrgId(42))));
    later.push(ev(EventKind::TransferredIn, d(2010, 3, 1)));
    assert_eq!(awaiting_arrival(&later), None);
    let died = vec![
        admitted.clone(),
        out.clone(),
        ev(EventKind::Died, d(2011, 1, 1)),
    ];
    assert_eq!(awaiting_arrival(&died), None);
    // Admitted elsewhere: expected from outside.
    let elsewhere = Event {
        org: None,
        ..admitted
    };
    assert_eq!(awaiting_arrival(&[elsewhere]), Some(None));
    // The destination changes nothing in the member's own timeline.
    let birth = d(1970, 1, 1);
    let named = [ev(EventKind::Admitted, d(2000, 1, 1)), out.clone()];
    let unnamed = [
        ev(EventKind::Admitted, d(2000, 1, 1)),
        Event { org: None, ..out },
    ];
    assert_eq!(
        replay(birth, &named).unwrap(),
        replay(birth, &unnamed).unwrap()
    );
    assert_eq!(
        spans(birth, &named).unwrap(),
        spans(birth, &unnamed).unwrap()
    );
}

#[test]
fn attached_only_while_temporarily_away_to_that_cell() {
    let mut away = ev(EventKind::TemporaryOut, d(2020, 1, 1));
    let events = vec![ev(EventKind::Admitted, d(2000, 1, 1)), away.clone()];
    assert_eq!(attached_cell(&events, d(2020, 6, 1)), None);
    away.org = Some(OrgId(9));
    let mut events = vec![ev(EventKind::Admitted, d(2000, 1, 1)), away];
    assert_eq!(attached_cell(&events, d(2019, 12, 31)), None);
    assert_eq!(attached_cell(&events, d(2020, 6, 1)), Some(OrgId(9)));
    events.push(ev(EventKind::TemporaryReturn, d(2020, 9, 1)));
    assert_eq!(attached_cell(&events, d(2020, 8, 31)), Some(OrgId(9)));
    assert_eq!(attached_cell(&events, d(2020, 9, 1)), None);
}
