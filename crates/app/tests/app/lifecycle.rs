//! The member's path and its deadlines: the working-day calendar (R7, R8, R10).

use dangvu_app::AppError;
use dangvu_domain::access::Role;
use dangvu_domain::calendar::DayKind;
use dangvu_testkit::{TEST_PASSWORD, d, on_every_backend, user_with};

use super::{actor, field_codes, fixture};

#[tokio::test]
async fn the_calendar_counts_tet_and_an_administrators_days_and_only_she_may_change_it() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        // A deadline across Tết 2026 (R7: the decision within 60 working days).
        assert_eq!(
            app.deadline(d(2026, 2, 2), 60).await.unwrap(),
            d(2026, 5, 7)
        );
        let y = app.calendar_year(2026).await.unwrap();
        assert!(y.known);
        assert!(
            y.days
                .iter()
                .any(|x| x.day == d(2026, 2, 17) && x.kind == DayKind::Off)
        );

        // The government moves a day: the administrator records it and the deadline follows.
        app.set_calendar_day(
            &actor(),
            d(2026, 4, 29),
            Some(DayKind::Off),
            "Thông báo hoán đổi",
        )
        .await
        .unwrap();
        app.set_calendar_day(&actor(), d(2026, 5, 9), Some(DayKind::Work), "làm bù")
            .await
            .unwrap();
        assert_eq!(
            app.deadline(d(2026, 2, 2), 60).await.unwrap(),
            d(2026, 5, 8)
        );
        let y = app.calendar_year(2026).await.unwrap();
        let moved = y.days.iter().find(|x| x.day == d(2026, 4, 29)).unwrap();
        assert_eq!(moved.changed_by.as_deref(), Some("kiểm thử"));
        assert_eq!(moved.note, "Thông báo hoán đổi");
        // Back to the week's rule.
        app.set_calendar_day(&actor(), d(2026, 4, 29), None, "bỏ hoán đổi")
            .await
            .unwrap();
        assert_eq!(
            app.deadline(d(2026, 2, 2), 60).await.unwrap(),
            d(2026, 5, 7)
        );

        // Refusals, each naming its field.
        let e = app
            .set_calendar_day(&actor(), d(2026, 5, 9), Some(DayKind::Work), "làm bù")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("kind", "unchanged")]);
        let e = app
            .set_calendar_day(&actor(), d(2026, 6, 1), Some(DayKind::Off), "  ")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("note", "required")]);
        let e = app
            .set_calendar_day(&actor(), d(1990, 6, 1), Some(DayKind::Off), "xa quá")
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("day", "invalid")]);
        let e = app.deadline(d(2026, 1, 1), 5_000).await.unwrap_err();
        assert_eq!(field_codes(&e), vec![("days", "too_large")]);

        // An officer reads the calendar but may not change it.
        user_with(&app, "bantochuc", Role::Officer, Some(f.city), None).await;
        let s = app.sign_in("bantochuc", TEST_PASSWORD, None).await.unwrap();
        let officer = app
            .session(&s.token, None, dangvu_app::auth::SessionPolicy::default())
            .await
            .unwrap()
            .unwrap()
            .actor;
        assert!(app.calendar_year(2026).await.is_ok());
        let e = app
            .set_calendar_day(&officer, d(2026, 6, 1), Some(DayKind::Off), "thử")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e:?}");
        assert!(app.calendar().await.unwrap().is_working(d(2026, 6, 1)));

        // Every change is in the trail with its note.
        let trail = app
            .audit_trail(&actor(), &dangvu_app::trail::TrailFilter::default())
            .await
            .unwrap();
        let changes: Vec<_> = trail
            .iter()
            .filter(|r| r.entry.action == "calendar.day")
            .collect();
        assert_eq!(changes.len(), 3);
        assert!(
            changes
                .iter()
                .any(|r| r.entry.reason.as_deref() == Some("bỏ hoán đổi"))
        );
    });
}
