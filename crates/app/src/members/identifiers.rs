//! The register's numbers (CCCD, history number, card number) are each held by one member; a
//! number held by a member the actor may not read is refused without saying so.

use dangvu_domain::DomainError;
use dangvu_domain::error::FieldError;
use dangvu_domain::ids::MemberId;
use dangvu_domain::member::MemberRecord;
use dangvu_store::Conn;
use dangvu_store::members as mstore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// A CCCD, history or card number held by a member the actor may not read.
pub(crate) struct HiddenHolder {
    holder: MemberId,
    field: &'static str,
}

impl App {
    /// Checks that no other member holds the record's CCCD or history number, or the card
    /// number. A holder the actor may read is named (the field's "already used" error); one
    /// she may not read is returned, for [`App::refuse_hidden_holder`], so that nobody learns
    /// through this form whether a stranger is in the register.
    pub(crate) async fn identifiers_free(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        me: Option<MemberId>,
        record: Option<&MemberRecord>,
        card: Option<&str>,
    ) -> AppResult<Option<HiddenHolder>> {
        let holders = mstore::identifier_holders(
            conn,
            record.and_then(|r| r.cccd.as_ref()).map(|c| c.as_str()),
            record
                .and_then(|r| r.history_number.as_ref())
                .map(|h| h.as_str()),
            card,
        )
        .await?;
        let mut hidden = None;
        for (field, holder) in holders.into_iter().filter(|(_, h)| Some(*h) != me) {
            if self.require_member_read(conn, actor, holder).await.is_ok() {
                let code = match field {
                    "cccd" => "cccd_taken",
                    "history_number" => "history_number_taken",
                    _ => "card_number_taken",
                };
                return Err(FieldError::new(field, code).into());
            }
            hidden = hidden.or(Some(HiddenHolder { holder, field }));
        }
        Ok(hidden)
    }

    /// Refuses a write whose register number is held by a member the actor may not read, with
    /// the same neutral answer whichever number and whoever holds it, and records the attempt
    /// in the audit trail under the holder, where her own officers see it.
    pub(crate) async fn refuse_hidden_holder(&self, actor: &Actor, h: HiddenHolder) -> AppError {
        let logged = async {
            let mut tx = self.store.begin().await?;
            self.audit(
                &mut tx,
                actor,
                Action::MemberIdentifierConflict
                    .on("member", h.holder.0)
                    .after(Some(json!({ "field": h.field }))),
            )
            .await?;
            tx.commit().await?;
            AppResult::Ok(())
        };
        if let Err(e) = logged.await {
            tracing::error!(error = %e, "cannot record an identifier conflict");
        }
        DomainError::rule("identifier_unavailable").into()
    }
}
