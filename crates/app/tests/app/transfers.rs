//! Transfers of party activity (R10): two-sided official transfers, returns, temporary stays and
//! their letters, with their deadlines in working days.

use dangvu_app::transfers::{SendTransfer, Side, TransferDetails};
use dangvu_app::{Actor, App, AppError};
use dangvu_domain::access::Role;
use dangvu_domain::calendar::DueState;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{CardGeneration, EventKind, Status, attached_cell};
use dangvu_domain::transfer::{TransferKind, TransferReason, TransferStatus};
use dangvu_testkit::{d, on_every_backend, signed_in};

use super::{actor, closing, field_codes, fixture, member};

async fn signed(app: &App, name: &str, org: OrgId) -> Actor {
    signed_in(app, name, Role::Secretary, org).await
}

fn letter(kind: TransferKind, on: chrono::NaiveDate, to: OrgId) -> SendTransfer {
    SendTransfer {
        kind,
        on,
        to_org: Some(to),
        to_name: None,
        details: TransferDetails {
            reason: Some(TransferReason::NewJob),
            letter_number: None,
            dues_paid_to: Some(d(2026, 5, 1)),
            trigger_on: Some(d(2026, 5, 4)),
            planned_return: None,
        },
        note: None,
    }
}

async fn status(app: &App, m: MemberId) -> (Status, Option<OrgId>) {
    let v = app.member(&actor(), m, d(2026, 6, 15)).await.unwrap();
    (v.state.status, v.state.cell)
}

#[tokio::test]
async fn an_official_transfer_waits_on_both_sides_until_the_receiving_side_accepts_or_returns_it() {
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let m = member(&app, "Nguyễn Văn An", f.cell_a, d(2010, 5, 1), true).await;
        app.add_card(
            &actor(),
            m,
            "12345678",
            CardGeneration::Ct29_2003,
            d(2012, 5, 1),
        )
        .await
        .unwrap();
        let sender = signed(&app, "bithu_g1", f.g1).await;
        let receiver = signed(&app, "bithu_g2", f.g2).await;
        let stranger = signed(&app, "bithu_b", f.cell_b).await;

        // The letter needs its reason, its dues month and a destination, each named.
        let mut bare = letter(TransferKind::Official, d(2026, 6, 1), f.cell_c);
        bare.to_org = None;
        bare.details.reason = None;
        bare.details.dues_paid_to = None;
        let e = app.send_transfer(&sender, m, bare).await.unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![
                ("reason", "required"),
                ("dues_paid_to", "required"),
                ("destination", "required")
            ]
        );
        // A stranger's send is the answer of a member that does not exist.
        let e = app
            .send_transfer(
                &stranger,
                m,
                letter(TransferKind::Official, d(2026, 6, 1), f.cell_c),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("member")), "{e:?}");

        let t = app
            .send_transfer(
                &sender,
                m,
                letter(TransferKind::Official, d(2026, 6, 1), f.cell_c),
            )
            .await
            .unwrap();
        // Đang chuyển: off the sending cell's rolls, on nobody's yet, seen by both sides.
        assert_eq!(status(&app, m).await, (Status::TransferredOut, None));
        let due = app.deadline(d(2026, 6, 1), 30).await.unwrap();
        let out = app.transfers(&sender, f.g1, d(2026, 6, 15)).await.unwrap();
        let line = out.lines.iter().find(|l| l.transfer.id == t).unwrap();
        assert_eq!(line.side, Side::Sending);
        assert_eq!(line.transfer.status, TransferStatus::Pending);
        assert_eq!(line.transfer.letter_number.as_deref(), Some("1"));
        assert_eq!(line.clock.presentation.map(|p| p.due_by), Some(due));
        assert_eq!(line.clock.state, Some(DueState::Due));
        assert!(!line.clock.sent_late && !line.incomplete);
        let inbox = app
            .transfers(&receiver, f.g2, d(2026, 6, 15))
            .await
            .unwrap();
        assert_eq!(inbox.lines.len(), 1);
        assert_eq!(inbox.lines[0].side, Side::Receiving);
        assert_eq!(inbox.pending(Side::Receiving), 1);
        assert_eq!(inbox.lines[0].member_name, "Nguyễn Văn An");

        // Neither a third cell nor the sending side may see or accept what is not addressed
        // to them; for the stranger it does not exist.
        let e = app.transfer(&stranger, t).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound("transfer")));
        let e = app
            .accept_transfer(&stranger, t, Some(f.cell_b), d(2026, 6, 10))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("transfer")));
        let e = app
            .accept_transfer(&sender, t, Some(f.cell_a), d(2026, 6, 10))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("transfer")));
        assert!(
            app.transfers(&stranger, f.cell_b, d(2026, 6, 15))
                .await
                .unwrap()
                .lines
                .is_empty()
        );

        // The letter carries what R10 names.
        let l = app.transfer_letter(&sender, t).await.unwrap();
        assert_eq!(l.card_number.as_deref(), Some("12345678"));
        assert_eq!(
            l.header.first().map(String::as_str),
            Some("Đảng bộ tỉnh Quảng Ninh")
        );
        assert_eq!(l.issuer_name, "Đảng bộ phường Nam Khê");
        assert_eq!(l.line.to_name, "Chi bộ Khu 1");
        assert_eq!(l.admitted_on, Some(d(2010, 5, 1)));

        // Accepted: she is in the receiving cell, and the timeline keeps where she went.
        app.accept_transfer(&receiver, t, Some(f.cell_c), d(2026, 6, 10))
            .await
            .unwrap();
        assert_eq!(status(&app, m).await, (Status::Official, Some(f.cell_c)));
        let v = app.member(&actor(), m, d(2026, 6, 15)).await.unwrap();
        let kinds: Vec<_> = v
            .events
            .iter()
            .map(|e| (e.event.kind, e.event.org))
            .collect();
        assert!(kinds.contains(&(EventKind::TransferredOut, Some(f.cell_c))));
        assert!(kinds.contains(&(EventKind::TransferredIn, Some(f.cell_c))));
        let done = app.transfer(&receiver, t).await.unwrap();
        assert_eq!(done.transfer.status, TransferStatus::Accepted);
        assert_eq!(done.transfer.closed_cell, Some(f.cell_c));
        assert_eq!(done.accepted_in.as_deref(), Some("Chi bộ Khu 1"));
        let e = app
            .accept_transfer(&receiver, t, Some(f.cell_c), d(2026, 6, 11))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("transfer", "transfer_closed")]);

        // A letter not presented within 30 working days is overdue; the receiving side
        // returns it and she is back in her cell as if she had not left.
        let late = member(&app, "Trần Thị Bình", f.cell_a, d(2012, 3, 1), true).await;
        let mut early = letter(TransferKind::Official, d(2026, 4, 1), f.cell_c);
        let e = app
            .send_transfer(&sender, late, early.clone())
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("trigger_on", "after_letter")]);
        // Sent more than 60 working days after the decision that caused it: flagged.
        early.details.trigger_on = Some(d(2025, 12, 1));
        early.details.dues_paid_to = Some(d(2026, 3, 1));
        let t2 = app.send_transfer(&sender, late, early).await.unwrap();
        let inbox = app
            .transfers(&receiver, f.g2, d(2026, 6, 15))
            .await
            .unwrap();
        assert_eq!(inbox.overdue(), 1);
        assert_eq!(inbox.lines[0].transfer.id, t2, "the overdue come first");
        assert_eq!(inbox.lines[0].clock.state, Some(DueState::Overdue));
        assert!(inbox.lines[0].clock.sent_late);
        // The receiving side's dashboard counts it; the sending side's counts it as leaving.
        let w = app.due_work(&receiver, f.g2).await.unwrap();
        assert_eq!(
            (w.transfers_in, w.transfers_out, w.transfers_overdue),
            (1, 0, 1)
        );
        let w = app.due_work(&sender, f.g1).await.unwrap();
        assert_eq!(
            (w.transfers_in, w.transfers_out, w.transfers_overdue),
            (0, 1, 1)
        );
        let e = app
            .return_transfer(&receiver, t2, &closing(d(2026, 6, 12), "  "))
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("reason", "required")]);
        app.return_transfer(
            &receiver,
            t2,
            &closing(d(2026, 6, 12), "Không có chi bộ phù hợp"),
        )
        .await
        .unwrap();
        assert_eq!(status(&app, late).await, (Status::Official, Some(f.cell_a)));
        let back = app.transfer(&sender, t2).await.unwrap();
        assert_eq!(back.transfer.status, TransferStatus::Returned);
        assert_eq!(
            back.transfer.close_reason.as_deref(),
            Some("Không có chi bộ phù hợp")
        );
        let v = app.member(&actor(), late, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.voided.len(), 1);
        assert_eq!(v.voided[0].0.event.kind, EventKind::TransferredOut);
        // The next letter takes the next number of the committee's register.
        let t3 = app
            .send_transfer(
                &sender,
                late,
                letter(TransferKind::Official, d(2026, 6, 13), f.cell_c),
            )
            .await
            .unwrap();
        let again = app.transfer(&sender, t3).await.unwrap();
        assert_eq!(again.transfer.letter_number.as_deref(), Some("3"));
    });
}

#[tokio::test]
async fn a_temporary_stay_attaches_her_to_the_host_cell_is_flagged_when_overrun_and_ends_on_return()
{
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let m = member(&app, "Lê Văn Cường", f.cell_a, d(2011, 1, 10), true).await;
        let sender = signed(&app, "bithu_g1", f.g1).await;
        let host = signed(&app, "bithu_g2", f.g2).await;
        let mut stay = letter(TransferKind::Temporary, d(2025, 10, 1), f.cell_c);
        // R10: 3 months to a year (study: two years), and the planned return is required.
        let e = app
            .send_transfer(&sender, m, stay.clone())
            .await
            .unwrap_err();
        assert_eq!(field_codes(&e), vec![("planned_return", "required")]);
        stay.details.dues_paid_to = Some(d(2025, 9, 1));
        stay.details.trigger_on = None;
        stay.details.planned_return = Some(d(2026, 10, 2));
        let e = app
            .send_transfer(&sender, m, stay.clone())
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("planned_return", "temporary_too_long")]
        );
        stay.details.planned_return = Some(d(2025, 12, 31));
        let e = app
            .send_transfer(&sender, m, stay.clone())
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("planned_return", "temporary_too_short")]
        );
        stay.details.planned_return = Some(d(2026, 4, 1));
        let t = app.send_transfer(&sender, m, stay).await.unwrap();

        let v = app.member(&actor(), m, d(2026, 6, 15)).await.unwrap();
        assert_eq!(v.state.status, Status::TemporarilyAway);
        let events: Vec<_> = v.events.iter().map(|e| e.event.clone()).collect();
        assert_eq!(attached_cell(&events, d(2026, 6, 15)), Some(f.cell_c));
        // Past its planned return: an overrun, on both sides.
        for (who, org, side) in [
            (&sender, f.g1, Side::Sending),
            (&host, f.g2, Side::Receiving),
        ] {
            let l = app.transfers(who, org, d(2026, 6, 15)).await.unwrap();
            assert_eq!(l.lines.len(), 1);
            assert_eq!(l.lines[0].side, side);
            assert_eq!(l.lines[0].transfer.status, TransferStatus::Away);
            assert_eq!(l.lines[0].clock.state, Some(DueState::Overdue));
        }
        // The host cannot record her return; her home side does.
        let e = app
            .end_temporary(&host, t, d(2026, 6, 14))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound("transfer")), "{e:?}");
        app.end_temporary(&sender, t, d(2026, 6, 14)).await.unwrap();
        assert_eq!(status(&app, m).await, (Status::Official, Some(f.cell_a)));
        let l = app.transfer(&sender, t).await.unwrap();
        assert_eq!(l.transfer.status, TransferStatus::Ended);
        assert_eq!(l.clock.state, None);
    });
}

#[tokio::test]
async fn a_transfer_recorded_as_a_bare_event_is_kept_and_flagged_and_a_cancelled_one_is_cancelled()
{
    on_every_backend!(|db| {
        let app = db.app();
        let f = fixture(&app).await;
        let m = member(&app, "Phạm Văn Dũng", f.cell_a, d(2009, 2, 3), true).await;
        let mut out =
            dangvu_app::members::NewEvent::simple(EventKind::TransferredOut, d(2026, 5, 20));
        out.destination = Some("Đảng bộ phường Hồng Gai".into());
        let event = app.record_event(&actor(), m, out).await.unwrap();
        let l = app.transfers(&actor(), f.g1, d(2026, 6, 15)).await.unwrap();
        assert_eq!(l.lines.len(), 1);
        let line = &l.lines[0];
        assert_eq!(line.transfer.status, TransferStatus::Outside);
        assert_eq!(line.to_name, "Đảng bộ phường Hồng Gai");
        assert!(line.incomplete, "no reason, letter or dues month");
        let fix = dangvu_app::members::EventFix {
            replacement: None,
            reason: "Ghi nhầm đảng viên".into(),
            decision: dangvu_domain::decision::Decision {
                reference: Some("12-QĐ/ĐU".into()),
                date: Some(d(2026, 6, 1)),
                body: Some("Ban Thường vụ Đảng ủy".into()),
            },
        };
        app.correct_event(&actor(), m, event, fix).await.unwrap();
        let l = app.transfer(&actor(), line.transfer.id).await.unwrap();
        assert_eq!(l.transfer.status, TransferStatus::Cancelled);
        assert_eq!(status(&app, m).await, (Status::Official, Some(f.cell_a)));
    });
}
