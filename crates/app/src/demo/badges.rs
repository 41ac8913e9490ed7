//! The demo's badges (R13) in the demo accounts' ward: this year's 2/9 list proposed and
//! approved by the provincial standing committee (and presented with numbers once the day has
//! passed), and the 7/11 list proposed.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::decision::Decision;
use dangvu_domain::ids::OrgId;
use dangvu_store::badges::BadgeStatus;

use crate::{Actor, App, AppResult};

impl App {
    pub(crate) async fn demo_badges(
        &self,
        actor: &Actor,
        ward: OrgId,
        today: NaiveDate,
    ) -> AppResult<()> {
        let year = today.year();
        let (Some(sept), Some(nov)) = (
            NaiveDate::from_ymd_opt(year, 9, 2),
            NaiveDate::from_ymd_opt(year, 11, 7),
        ) else {
            return Ok(());
        };
        self.propose_badges(actor, ward, sept, Vec::new()).await?;
        let decided = (sept - chrono::Days::new(12)).min(today);
        let decision = Decision {
            reference: Some(format!("{}-QĐ/TU", 300 + year % 100)),
            date: Some(decided),
            body: Some("Ban Thường vụ Tỉnh ủy Quảng Ninh".into()),
        };
        self.approve_badges(actor, ward, sept, &decision).await?;
        if today >= sept {
            let list = self.badge_list(actor, ward, sept).await?;
            for (i, b) in list
                .lines
                .iter()
                .filter_map(|l| l.badge.as_ref())
                .enumerate()
            {
                if b.status != BadgeStatus::Approved {
                    continue;
                }
                let e = if b.years == 45 { "E" } else { "" };
                let number = format!("QN{e}{:06}", 410_000 + i);
                self.present_badge(actor, b.id, &number, sept).await?;
            }
        }
        self.propose_badges(actor, ward, nov, Vec::new()).await?;
        Ok(())
    }
}
