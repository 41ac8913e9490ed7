//! Forms sent at most once: a page that may send a form again (a record entered offline and
//! sent when the network returns, then sent again because the answer was lost) sends a key with
//! it (`_key`); the second sending with the same key answers where the first went.

use dangvu_domain::DomainError;
use dangvu_store::sent_keys::{self, Claim};

use crate::{Actor, App, AppResult};

/// The longest key accepted.
const MAX_KEY: usize = 64;

fn valid(key: &str) -> bool {
    (8..=MAX_KEY).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl App {
    /// Runs `run` (which answers where its result is shown) once per key and user: a key sent
    /// again after success answers the first result without running again; after a refusal the
    /// key is free again, so the corrected form can be sent with it. An empty key runs as usual.
    pub async fn once(
        &self,
        actor: &Actor,
        key: &str,
        run: impl AsyncFnOnce() -> AppResult<String>,
    ) -> AppResult<String> {
        let key = key.trim();
        if key.is_empty() {
            return run().await;
        }
        if !valid(key) {
            return Err(DomainError::rule_on("send_key_invalid", "_key").into());
        }
        let user = match actor.user_id {
            Some(id) => format!("#{id}"),
            None => actor.name.clone(),
        };
        let claim = {
            let mut tx = self.store.begin().await?;
            let c = sent_keys::claim(&mut tx, key, &user, &self.now_text()).await?;
            tx.commit().await?;
            c
        };
        match claim {
            Claim::Done(to) => return Ok(to),
            Claim::Taken => return Err(DomainError::rule_on("send_key_taken", "_key").into()),
            Claim::New => {}
        }
        let r = run().await;
        let mut tx = self.store.begin().await?;
        match &r {
            Ok(to) => sent_keys::done(&mut tx, key, &user, to).await?,
            Err(_) => sent_keys::release(&mut tx, key, &user).await?,
        }
        tx.commit().await?;
        r
    }
}
