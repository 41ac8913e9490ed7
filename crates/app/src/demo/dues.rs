//! The demo's dues (R14) in phường Uông Bí this year: every member of its cells has a basis
//! from January — most residents retired on a pension, others on a flat amount (halved beyond
//! working age), some cadres and workers on their salaries, a few exempted — pays at the
//! month's meeting when present, and most who missed pay later; a few are left owing, some of
//! them three months or more (the R11 flag).

use chrono::{Datelike, NaiveDate};
use dangvu_domain::dues::{DuesBasis, DuesCategory, month_end, unpaid_ended};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::dues::{self as store, BasisRow, Payment};
use dangvu_store::members as mstore;

use crate::rng::Rng;
use crate::{App, AppResult};

const SEED: u64 = 342;
const BY: &str = "Dữ liệu mẫu";

/// A basis as the demo draws it.
fn draw(rng: &mut Rng) -> (DuesBasis, Option<String>) {
    let (category, income, flat) = match rng.below(100) {
        0..45 => (
            DuesCategory::Pensioner,
            Some(rng.range(35, 95) * 100_000),
            None,
        ),
        45..75 => (DuesCategory::Other, None, Some(rng.range(1, 4) * 5_000)),
        75..88 => (
            DuesCategory::Salaried,
            Some(rng.range(50, 160) * 100_000),
            None,
        ),
        88..98 => (
            DuesCategory::Enterprise,
            Some(rng.range(60, 200) * 100_000),
            None,
        ),
        _ => (DuesCategory::Exempt, None, None),
    };
    let note = (category == DuesCategory::Exempt)
        .then(|| "Hoàn cảnh đặc biệt khó khăn; Đảng ủy đồng ý miễn đảng phí".to_owned());
    (
        DuesBasis {
            category,
            income,
            flat,
        },
        note,
    )
}

impl App {
    /// The bases of every member on the rolls of these cells on `from`, from that month.
    pub(crate) async fn demo_dues_bases(&self, cells: &[OrgId], from: NaiveDate) -> AppResult<()> {
        let mut rng = Rng::new(SEED);
        let mut tx = self.store.begin().await?;
        let members = mstore::members_on_rolls(&mut tx, cells, from).await?;
        let now = self.now_text();
        for (m, _) in members {
            let (basis, note) = draw(&mut rng);
            store::put_basis(
                &mut tx,
                &BasisRow {
                    id: 0,
                    member: m,
                    from,
                    basis,
                    note,
                    recorded_at: now.clone(),
                    recorded_by: BY.into(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// After the year's meetings: most months a member missed are paid in the following
    /// month's first days; about one member in twenty-five leaves them owing.
    pub(crate) async fn demo_dues_back_pay(&self, cells: &[OrgId]) -> AppResult<()> {
        let mut rng = Rng::new(SEED + 1);
        let today = self.clock.today();
        let mut tx = self.store.begin().await?;
        let members: Vec<(MemberId, OrgId)> =
            mstore::members_on_rolls(&mut tx, cells, today).await?;
        let ids: Vec<MemberId> = members.iter().map(|m| m.0).collect();
        let l = crate::dues::ledgers(&mut tx, &ids, today).await?;
        let now = self.now_text();
        for (m, cell) in members {
            if rng.chance(0.04) {
                continue;
            }
            let months = l.of(m);
            for owed in unpaid_ended(months, today) {
                let due = months.iter().find(|x| x.month == owed).and_then(|x| x.due);
                let Some(due) = due else { continue };
                let paid_on = month_end(owed)
                    .succ_opt()
                    .map(|first| first + chrono::Days::new(rng.below(20)))
                    .unwrap_or(today)
                    .min(today);
                store::insert_payment(
                    &mut tx,
                    &Payment {
                        id: 0,
                        member: m,
                        month: owed,
                        cell,
                        due: Some(due),
                        amount: due,
                        paid_on,
                        received_by: Some(format!(
                            "Chi ủy (nộp bù tháng {:02}/{})",
                            owed.month(),
                            owed.year()
                        )),
                        receipt: None,
                        meeting: None,
                        cancelled_on: None,
                        cancel_reason: None,
                        recorded_at: now.clone(),
                        recorded_by: BY.into(),
                    },
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
