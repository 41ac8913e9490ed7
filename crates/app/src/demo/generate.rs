//! `dangvu gen`: a synthetic, realistic dataset of any size, deterministic from a seed.
//!
//! A province with wards of about 50,000 members each, grassroots đảng bộ of about 24 cells,
//! cells of about 24 members. The tree is built through the same use cases as a user's; members
//! are validated by the domain (record and timeline) and loaded in bulk, one audit entry per batch.

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_domain::member::{
    CardGeneration, Cccd, Event, EventKind, HistoryNumber, official_date, spans,
};
use dangvu_domain::org::OrgKind;
use dangvu_store::bulk::{self, BulkCard, BulkMember};
use serde_json::json;

use crate::audit_log::Action;
use crate::orgs::NewOrg;
use crate::people::{Milieu, date_between, person};
use crate::rng::Rng;
use crate::{Actor, App, AppResult};

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct GenSummary {
    pub orgs: u64,
    pub members: u64,
}

const WARD_NAMES: &[&str] = &[
    "Hồng Hà",
    "Bạch Đằng",
    "Cao Xanh",
    "Hà Tu",
    "Việt Hưng",
    "Tuần Châu",
    "Hoành Bồ",
    "Cẩm Phả",
    "Mông Dương",
    "Quang Hanh",
    "Cửa Ông",
    "Móng Cái",
    "Trà Cổ",
    "Hải Hòa",
    "Đông Triều",
    "Mạo Khê",
    "Hoàng Quế",
    "Quảng Yên",
    "Hà An",
    "Phong Cốc",
    "Tiên Yên",
    "Đầm Hà",
    "Hải Hà",
    "Bình Liêu",
    "Ba Chẽ",
    "Vân Đồn",
    "Cô Tô",
    "Hạ Long",
];
const UNIT_KINDS: &[(&str, Milieu)] = &[
    ("Đảng bộ Khu dân cư", Milieu::Residential),
    ("Đảng bộ Công ty Than", Milieu::Enterprise),
    ("Đảng bộ Trường", Milieu::School),
    ("Đảng bộ Cơ quan", Milieu::Agency),
    ("Đảng bộ Bệnh viện", Milieu::Health),
    ("Đảng bộ Công an", Milieu::Police),
];

const MEMBERS_PER_WARD: u64 = 50_000;
const CELL_SIZE: u64 = 24;
const CELLS_PER_GRASSROOTS: u64 = 24;
const BATCH: usize = 5_000;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

impl App {
    /// Generates `members` members into an empty database. Deterministic from `seed`.
    pub async fn generate(
        &self,
        members: u64,
        seed: u64,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> AppResult<GenSummary> {
        let actor = Actor::system();
        let mut rng = Rng::new(seed);
        let today = self.clock.today();
        let founded = d(1975, 1, 1);
        let mut summary = GenSummary::default();
        let n_cells = members.div_ceil(CELL_SIZE).max(1);
        let n_grassroots = n_cells.div_ceil(CELLS_PER_GRASSROOTS).max(1);
        let grassroots_per_ward = MEMBERS_PER_WARD.div_ceil(CELL_SIZE * CELLS_PER_GRASSROOTS);
        let n_wards = n_grassroots.div_ceil(grassroots_per_ward).max(1);

        // The tree, one transaction per ward.
        let mut tx = self.store.begin().await?;
        let province = self
            .found_province(&mut tx, &actor, "Đảng bộ tỉnh Mẫu")
            .await?;
        tx.commit().await?;
        summary.orgs += 1;
        let mut cells: Vec<(OrgId, Milieu)> = Vec::with_capacity(n_cells as usize);
        let mut g_made = 0;
        for w in 0..n_wards {
            let mut tx = self.store.begin().await?;
            let base = WARD_NAMES[(w as usize) % WARD_NAMES.len()];
            let name = if (w as usize) < WARD_NAMES.len() {
                format!("Đảng bộ phường {base}")
            } else {
                format!(
                    "Đảng bộ phường {base} {}",
                    w as usize / WARD_NAMES.len() + 1
                )
            };
            let ward = self
                .create_org_in(
                    &mut tx,
                    &actor,
                    NewOrg {
                        name,
                        kind: OrgKind::DangBoXa,
                        parent: Some(province),
                        founded_on: founded,
                        decision_ref: None,
                    },
                )
                .await?;
            summary.orgs += 1;
            for gi in 0..grassroots_per_ward {
                if g_made >= n_grassroots {
                    break;
                }
                g_made += 1;
                let (label, milieu) = *rng.pick(UNIT_KINDS);
                let g = self
                    .create_org_in(
                        &mut tx,
                        &actor,
                        NewOrg::new(
                            format!("{label} số {}", gi + 1),
                            OrgKind::DangBoCoSo,
                            Some(ward),
                            founded,
                        ),
                    )
                    .await?;
                summary.orgs += 1;
                for ci in 0..CELLS_PER_GRASSROOTS {
                    if cells.len() as u64 >= n_cells {
                        break;
                    }
                    let c = self
                        .create_org_in(
                            &mut tx,
                            &actor,
                            NewOrg::new(
                                format!("Chi bộ số {}", ci + 1),
                                OrgKind::ChiBoTrucThuoc,
                                Some(g),
                                founded,
                            ),
                        )
                        .await?;
                    summary.orgs += 1;
                    cells.push((c, milieu));
                }
            }
            tx.commit().await?;
        }

        tracing::info!(orgs = summary.orgs, "gen: tree built");
        // Members, in batches.
        let mut tx = self.store.begin().await?;
        let mut next_id = bulk::next_member_id(&mut tx).await?;
        bulk::drop_secondary_indexes(&mut tx, self.store.backend).await?;
        tx.commit().await?;
        let now = self.now_text();
        let mut serial: u64 = 0;
        while serial < members {
            let n = ((members - serial) as usize).min(BATCH);
            let mut batch = Vec::with_capacity(n);
            for _ in 0..n {
                serial += 1;
                let (cell, milieu) = cells[((serial - 1) / CELL_SIZE) as usize % cells.len()];
                let recent = rng.chance(0.03);
                let (from, by) = if recent {
                    (today - chrono::Duration::days(330), today)
                } else {
                    (d(1976, 1, 1), d(2024, 12, 31))
                };
                let mut p = person(&mut rng, serial, milieu, false, "Khu dân cư", from, by);
                p.record.cccd = Cccd::parse(&format!("099{serial:09}")).ok();
                p.record.history_number = HistoryNumber::parse(&format!(
                    "{:06}{}",
                    serial % 1_000_000,
                    ["TM", "TN", "TP", "TQ", "TR", "TS", "TT", "TU", "TV", "TX"]
                        [(serial / 1_000_000) as usize % 10]
                ))
                .ok();
                let mut events = vec![Event {
                    kind: EventKind::Admitted,
                    on: p.admitted_on,
                    org: Some(cell),
                    discipline: None,
                }];
                let off = official_date(p.admitted_on);
                let official = off <= today;
                if official {
                    events.push(Event {
                        kind: EventKind::MadeOfficial,
                        on: off,
                        org: None,
                        discipline: None,
                    });
                    if milieu == Milieu::Residential && rng.chance(0.04) {
                        events.push(Event {
                            kind: EventKind::Exempted,
                            on: date_between(&mut rng, off, today),
                            org: None,
                            discipline: None,
                        });
                    }
                }
                let spans = spans(p.record.birth_date, &events)?;
                let card = official.then(|| BulkCard {
                    number: format!("{:08}", 10_000_000 + serial),
                    generation: CardGeneration::Ct29_2003,
                    issued_on: (off + chrono::Duration::days(90))
                        .max(d(2004, 3, 3))
                        .min(today),
                    issuer: None,
                });
                batch.push(BulkMember {
                    record: p.record,
                    events,
                    spans,
                    card,
                    keys: None,
                });
            }
            let mut tx = self.store.begin().await?;
            let ids: Vec<i64> = (next_id..).take(batch.len()).collect();
            bulk::insert_members(&mut tx, self.store.backend, &ids, &batch, &now, &actor.name)
                .await?;
            self.audit(
                &mut tx,
                &actor,
                Action::MemberImport
                    .on("import", next_id)
                    .after(Some(
                        json!({"members": batch.len(), "first_id": next_id, "seed": seed}),
                    ))
                    .reason(Some("dangvu gen")),
            )
            .await?;
            tx.commit().await?;
            next_id += batch.len() as i64;
            summary.members += batch.len() as u64;
            progress(summary.members, members);
        }
        let mut tx = self.store.begin().await?;
        bulk::create_secondary_indexes(&mut tx, self.store.backend).await?;
        bulk::sync_sequences(&mut tx, self.store.backend).await?;
        tx.commit().await?;
        tracing::info!("gen: members loaded");
        let mut conn = self.store.pool.acquire().await?;
        bulk::analyze(&mut conn).await?;
        Ok(summary)
    }
}

impl App {
    /// A decided and locked review of a year over the whole generated tree, for benchmarks of
    /// the report (`dangvu gen --review YEAR`): the period is opened and locked through the use
    /// cases (audited; every over-quota organisation gets the override reason "dữ liệu mẫu"),
    /// the decisions are bulk-written in one transaction. Returns the period and how many
    /// decisions.
    pub async fn generate_review(&self, year: i32) -> AppResult<(i64, u64)> {
        let actor = Actor::system();
        let roots = self.roots(&actor, self.clock.today()).await?;
        let root = *roots.first().ok_or(crate::AppError::NotFound("org"))?;
        let period = dangvu_domain::review::Period::year(year);
        let id = self
            .open_review(&actor, root, &format!("Năm {year} (dữ liệu mẫu)"), period)
            .await?;
        let mut tx = self.store.begin().await?;
        let n = bulk::synthetic_review(&mut tx, id, period.end, &self.now_text()).await?;
        // Fresh statistics, so that the planner knows the review's indexes.
        bulk::analyze(&mut tx).await?;
        self.audit(
            &mut tx,
            &actor,
            Action::ReviewGenerate
                .on("org", root.0)
                .after(Some(json!({"period": id, "decisions": n})))
                .reason(Some("dữ liệu mẫu")),
        )
        .await?;
        tx.commit().await?;
        let overrides: Vec<(OrgId, String)> = self
            .quota_status(&actor, id)
            .await?
            .into_iter()
            .filter(|(_, q)| q.exceeded)
            .map(|(g, _)| (g, "dữ liệu mẫu".to_owned()))
            .collect();
        self.lock_review(&actor, id, &overrides).await?;
        Ok((id, n))
    }

    /// A year of dues over the whole generated register (`dangvu gen --dues YEAR`): a flat
    /// basis for every member and a payment for almost every month, bulk-written in one
    /// transaction, for benchmarks of the dues reports. Returns how many payments.
    pub async fn generate_dues(&self, year: i32) -> AppResult<u64> {
        let mut tx = self.store.begin().await?;
        let n = bulk::synthetic_dues(&mut tx, year, &self.now_text()).await?;
        bulk::analyze(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The year of the latest month in the dues ledger, for the benchmark.
    pub async fn latest_dues_year(&self) -> AppResult<Option<i32>> {
        let mut tx = self.store.read().await?;
        let y = dangvu_store::dues::latest_year(&mut tx).await?;
        crate::committed(tx, y).await
    }
}
