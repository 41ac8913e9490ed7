//! `dangvu user …`: accounts and roles from the command line (the first administrator).

use dangvu_app::auth::{NewUser, generate_password};
use dangvu_app::{Actor, App};
use dangvu_domain::access::{NewGrant, Role};
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::MemberId;

use crate::UserCommand;

/// What a chain break means, in one line.
fn explain(e: dangvu_app::AppError) -> anyhow::Error {
    let fields: Vec<String> = e
        .fields()
        .iter()
        .map(|f| format!("{}: {}", f.field, f.code))
        .collect();
    if fields.is_empty() {
        anyhow::anyhow!("{}", e.code())
    } else {
        anyhow::anyhow!("{}", fields.join(", "))
    }
}

pub async fn run(app: &App, command: &UserCommand) -> anyhow::Result<()> {
    let actor = Actor::new("dòng lệnh");
    match command {
        UserCommand::Add {
            username,
            name,
            admin,
            member,
            password_stdin,
        } => {
            let (password, generated) = if *password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                (line.trim_end_matches(['\n', '\r']).to_owned(), false)
            } else {
                (generate_password().map_err(explain)?, true)
            };
            let id = app
                .add_user(
                    &actor,
                    NewUser {
                        username: username.clone(),
                        display_name: name.clone().unwrap_or_else(|| username.clone()),
                        password: password.clone(),
                        member: member.map(MemberId),
                    },
                )
                .await
                .map_err(explain)?;
            if *admin {
                app.grant_role(
                    &actor,
                    id,
                    &NewGrant::new(Role::Admin, None, app.clock.today()),
                )
                .await
                .map_err(explain)?;
            }
            eprintln!(
                "Đã tạo tài khoản {username}{}.",
                if *admin {
                    " (quản trị hệ thống)"
                } else {
                    ""
                }
            );
            if generated {
                eprintln!("Mật khẩu (chỉ hiện một lần): {password}");
            }
        }
        UserCommand::Grant {
            username,
            role,
            org,
            from,
            to,
        } => {
            let id = app.user_id(username).await.map_err(explain)?;
            let role = Role::parse(role).map_err(|e| anyhow::anyhow!("{e}"))?;
            let from = match from {
                Some(s) => parse_date("from", s).map_err(|e| anyhow::anyhow!("{e}"))?,
                None => app.clock.today(),
            };
            let to = match to {
                Some(s) => Some(parse_date("to", s).map_err(|e| anyhow::anyhow!("{e}"))?),
                None => None,
            };
            let org_id = match org {
                Some(o) => Some(super::org::resolve(app, &actor, o, from).await?),
                None => None,
            };
            app.grant_role(
                &actor,
                id,
                &NewGrant {
                    valid_to: to,
                    ..NewGrant::new(role, org_id, from)
                },
            )
            .await
            .map_err(explain)?;
            eprintln!("Đã giao vai trò {} cho {username}.", role.code());
        }
        UserCommand::List => {
            for u in app.users(&actor).await.map_err(explain)? {
                let grants: Vec<String> = u
                    .grants
                    .iter()
                    .map(|g| {
                        format!(
                            "{}{}{}",
                            g.role.code(),
                            g.org.map(|o| format!("@{o}")).unwrap_or_default(),
                            if g.active_on(app.clock.today()) {
                                ""
                            } else {
                                " (hết hiệu lực)"
                            }
                        )
                    })
                    .collect();
                println!(
                    "{}\t{}\t{}",
                    u.user.username,
                    u.user.display_name,
                    grants.join(", ")
                );
            }
        }
    }
    Ok(())
}
