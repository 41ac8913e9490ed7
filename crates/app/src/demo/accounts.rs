//! Demo accounts: one per role, on the demo's organisations as they stand today, with random
//! passwords shown once. Never a default password.

use dangvu_domain::access::{NewGrant, Role};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::org::OrgKind;
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use dangvu_store::users as ustore;

use crate::auth::NewUser;
use crate::{Actor, App, AppError, AppResult};

/// A demo account as printed for the user.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    /// What the account may do, in Vietnamese.
    pub role: String,
    /// The scope's name (or the member's).
    pub scope: String,
}

fn random_password() -> AppResult<String> {
    crate::auth::generate_password()
}

impl App {
    /// Creates the demo accounts when the database has no account yet; returns them (with
    /// their passwords, which are not kept anywhere) or nothing when accounts already exist.
    pub async fn create_demo_accounts(&self) -> AppResult<Vec<DemoAccount>> {
        let today = self.clock.today();
        let mut tx = self.store.read().await?;
        if !ustore::list_users(&mut tx).await?.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let tree = ostore::tree_on(&mut tx, today).await?;
        let find =
            |pred: &dyn Fn(&ostore::OrgPeriod) -> bool| tree.iter().find(|p| pred(p)).cloned();
        let ward = find(&|p| p.name == "Đảng bộ phường Uông Bí")
            .or_else(|| find(&|p| p.parent.is_none()))
            .ok_or(AppError::NotFound("org"))?;
        let grassroots = find(&|p| {
            p.parent == Some(ward.org)
                && p.kind == OrgKind::DangBoCoSo
                && tree.iter().any(|c| c.parent == Some(p.org))
        })
        .ok_or(AppError::NotFound("org"))?;
        let cell = find(&|p| p.parent == Some(grassroots.org)).ok_or(AppError::NotFound("org"))?;
        // The city committee, dissolved on 1/7/2025: its asset supervision register is kept.
        let city = ostore::tree_on(&mut tx, super::d(2024, 12, 31))
            .await?
            .into_iter()
            .find(|p| p.name == "Đảng bộ thành phố Uông Bí");
        let on_rolls = mstore::members_on_rolls(&mut tx, &[cell.org], today).await?;
        let member: Option<MemberId> = on_rolls.first().map(|(m, _)| *m);
        let member_name = match member {
            Some(m) => Some(mstore::get_member(&mut tx, m).await?.full_name),
            None => None,
        };
        tx.commit().await?;

        let system = Actor::system();
        let plan: Vec<(&str, &str, Role, Option<OrgId>, String)> = vec![
            (
                "quantri",
                "Quản trị hệ thống",
                Role::Admin,
                None,
                "toàn hệ thống".into(),
            ),
            (
                "bantochuc",
                "Cán bộ Ban Tổ chức",
                Role::Officer,
                Some(ward.org),
                ward.name.clone(),
            ),
            (
                "bithu.coso",
                "Bí thư đảng ủy cơ sở",
                Role::Secretary,
                Some(grassroots.org),
                grassroots.name.clone(),
            ),
            (
                "bithu.chibo",
                "Bí thư chi bộ",
                Role::Secretary,
                Some(cell.org),
                cell.name.clone(),
            ),
        ];
        let mut plan = plan;
        if let Some(c) = city {
            plan.push((
                "giamsat",
                "Giám sát kê khai tài sản",
                Role::AssetSupervisor,
                Some(c.org),
                c.name,
            ));
        }
        let mut out = Vec::new();
        let from = today;
        for (username, label, role, org, scope) in plan {
            let password = random_password()?;
            let id = self
                .add_user(
                    &system,
                    NewUser {
                        username: username.into(),
                        display_name: label.into(),
                        password: password.clone(),
                        member: None,
                    },
                )
                .await?;
            self.grant_role(&system, id, &NewGrant::new(role, org, from))
                .await?;
            out.push(DemoAccount {
                username: username.into(),
                password,
                role: label.into(),
                scope,
            });
        }
        if let (Some(m), Some(name)) = (member, member_name) {
            let password = random_password()?;
            let id = self
                .add_user(
                    &system,
                    NewUser {
                        username: "dangvien".into(),
                        display_name: name.clone(),
                        password: password.clone(),
                        member: Some(m),
                    },
                )
                .await?;
            self.grant_role(&system, id, &NewGrant::new(Role::Member, None, from))
                .await?;
            out.push(DemoAccount {
                username: "dangvien".into(),
                password,
                role: "Đảng viên (xem hồ sơ của mình)".into(),
                scope: name,
            });
        }
        Ok(out)
    }
}
