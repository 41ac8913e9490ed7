use super::*;
use crate::member::{DisciplineForm, Event, EventKind, Sex, Status};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fact(sex: Sex, age: i32, ethnicity: &str, official: bool) -> Facts {
    Facts {
        sex,
        age,
        ethnicity: ethnicity.into(),
        religion: "00".into(),
        education: "12/12".into(),
        political_theory: String::new(),
        professional: String::new(),
        occupation: "Hưu trí".into(),
        seniority_months: age * 6,
        status: Status::Official,
        official,
    }
}

#[test]
fn every_breakdown_adds_up_to_the_total_and_names_its_groups() {
    let facts = vec![
        fact(Sex::Male, 25, "01", false),
        fact(Sex::Female, 45, "01", true),
        fact(Sex::Female, 82, "09", true),
        fact(Sex::Male, 61, "Mán", true),
    ];
    let t = tally(&facts);
    assert_eq!(t.total, 4);
    for b in &t.breakdowns {
        assert_eq!(
            b.groups.iter().map(|g| g.1).sum::<u32>(),
            4,
            "{:?}",
            b.dimension
        );
    }
    let eth = t
        .breakdowns
        .iter()
        .find(|b| b.dimension == Dimension::Ethnicity)
        .unwrap();
    // In the list's order, then text kept from before the lists.
    assert_eq!(
        eth.groups,
        vec![("Kinh".into(), 2), ("Dao".into(), 1), ("Mán".into(), 1)]
    );
    let age = t
        .breakdowns
        .iter()
        .find(|b| b.dimension == Dimension::Age)
        .unwrap();
    assert_eq!(age.groups[0], ("Đến 30 tuổi".into(), 1));
    assert_eq!(age.groups.last().unwrap(), &("Trên 80 tuổi".into(), 1));
    assert_eq!(t.pyramid[0], ("Đến 30 tuổi", 1, 0));
    assert_eq!(t.pyramid[6], ("Trên 80 tuổi", 0, 1));
    let theory = t
        .breakdowns
        .iter()
        .find(|b| b.dimension == Dimension::PoliticalTheory)
        .unwrap();
    assert_eq!(theory.groups, vec![("Chưa qua đào tạo".into(), 4)]);
}

fn ev(kind: EventKind, on: NaiveDate) -> Event {
    Event {
        kind,
        on,
        org: None,
        discipline: None,
    }
}

#[test]
fn movements_say_why_members_came_and_left() {
    let year = (d(2026, 1, 1), d(2026, 12, 31));
    let members = vec![
        // On the roll all year, made official in March.
        Presence {
            spans: vec![(d(2025, 3, 1), Some(d(2026, 3, 1))), (d(2026, 3, 1), None)],
            events: vec![
                ev(EventKind::Admitted, d(2025, 3, 1)),
                ev(EventKind::MadeOfficial, d(2026, 3, 1)),
            ],
        },
        // Admitted in May.
        Presence {
            spans: vec![(d(2026, 5, 19), None)],
            events: vec![ev(EventKind::Admitted, d(2026, 5, 19))],
        },
        // Died in June.
        Presence {
            spans: vec![(d(2000, 1, 1), Some(d(2026, 6, 2)))],
            events: vec![ev(EventKind::Died, d(2026, 6, 2))],
        },
        // Expelled in July.
        Presence {
            spans: vec![(d(2000, 1, 1), Some(d(2026, 7, 2)))],
            events: vec![Event {
                discipline: Some(DisciplineForm::KhaiTru),
                ..ev(EventKind::Disciplined, d(2026, 7, 2))
            }],
        },
        // Left last year: not counted at all.
        Presence {
            spans: vec![(d(2000, 1, 1), Some(d(2025, 6, 2)))],
            events: vec![ev(EventKind::TransferredOut, d(2025, 6, 2))],
        },
    ];
    let m = movements(&members, year.0, year.1);
    assert_eq!((m.opening, m.closing), (3, 2));
    assert_eq!(m.ins, vec![(Move::Admitted, 1)]);
    assert_eq!(m.outs, vec![(Move::Died, 1), (Move::Expelled, 1)]);
    assert_eq!((m.made_official, m.disciplined), (1, 1));
    assert!(m.reconciles());
}

#[test]
fn tables_kept_as_data_count_their_cells() {
    let t = template::Table::from_json(
        r#"{"id": "t", "title": "T", "form": "F", "kind": "structure",
            "columns": [{"label": "Tổng số"}, {"label": "Nữ", "filter": {"field": "sex", "eq": "female"}}],
            "rows": [{"label": "Tổng số"},
                     {"label": "Dân tộc thiểu số", "filter": {"all": [{"field": "ethnicity", "ne": "01"}, {"field": "ethnicity", "empty": false}]}},
                     {"label": "Đến 30 tuổi", "filter": {"field": "age", "max": 30}}]}"#,
    )
    .unwrap();
    let facts = vec![
        fact(Sex::Male, 25, "01", false),
        fact(Sex::Female, 45, "09", true),
        fact(Sex::Female, 29, "01", true),
    ];
    assert_eq!(t.count(&facts), vec![vec![3, 2], vec![1, 1], vec![2, 1]]);
    assert!(template::Table::from_json(r#"{"id": "t", "title": "T", "form": "F", "kind": "structure", "columns": [], "rows": [{"label": "x", "filter": {"field": "salary", "eq": "1"}}]}"#).is_err());
    assert!(template::Table::from_json(r#"{"id": "t", "title": "T", "form": "F", "kind": "movements", "columns": [], "rows": [{"label": "x", "measure": "births"}]}"#).is_err());
}

fn day(n: u16) -> NaiveDate {
    d(2024, 1, 1) + chrono::Days::new(u64::from(n))
}

proptest! {
    /// Whatever the members' spans on the roll and their events, the period's movements
    /// reconcile: opening + in − out = closing.
    #[test]
    fn movements_always_reconcile(
        members in prop::collection::vec(
            (prop::collection::vec((0u16..1500, prop::option::of(1u16..400)), 0..4),
             prop::collection::vec((0usize..16, 0u16..1500), 0..5)),
            0..30),
        from in 0u16..1000,
        len in 0u16..500,
    ) {
        let presences: Vec<Presence> = members
            .iter()
            .map(|(spans, events)| Presence {
                spans: spans.iter().map(|(f, l)| (day(*f), l.map(|l| day(f + l)))).collect(),
                events: events.iter().map(|(k, on)| ev(EventKind::ALL[*k], day(*on))).collect(),
            })
            .collect();
        let m = movements(&presences, day(from), day(from + len));
        prop_assert!(m.reconciles(), "{m:?}");
    }
}
