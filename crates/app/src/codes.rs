//! Moving the coded record fields from the free text written before the code lists to their
//! codes, with a report of what nothing matched.

use dangvu_domain::codes::CodedField;
use dangvu_store::members::coded;
use serde::Serialize;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppResult};

/// What a move to codes changed or would change, and the values no code matched.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CodeMigration {
    /// (field, text, code, members) for each value matched.
    pub matched: Vec<(String, String, String, i64)>,
    /// (field, text, members) for each value left as it is.
    pub unmatched: Vec<(String, String, i64)>,
}

impl CodeMigration {
    pub fn members_recoded(&self) -> i64 {
        self.matched.iter().map(|m| m.3).sum()
    }
    pub fn members_unmatched(&self) -> i64 {
        self.unmatched.iter().map(|m| m.2).sum()
    }
}

impl App {
    /// Replaces every stored text of a coded field that a code matches by the code, in one
    /// transaction audited per value (with the number of members), unless `dry_run`; values
    /// already codes are left alone and values nothing matches are reported. Administrators
    /// only: it rewrites the whole register.
    pub async fn migrate_codes(&self, actor: &Actor, dry_run: bool) -> AppResult<CodeMigration> {
        self.require_admin(actor)?;
        let mut tx = self.store.begin().await?;
        let mut report = CodeMigration::default();
        for f in CodedField::ALL {
            for (text, n) in coded::distinct_values(&mut tx, f.field()).await? {
                if f.is_code(&text) {
                    continue;
                }
                match f.find(&text) {
                    Some(code) => {
                        if !dry_run {
                            coded::recode(&mut tx, f.field(), &text, code.code).await?;
                            self.audit(
                                &mut tx,
                                actor,
                                Action::MemberRecode
                                    .on("register", 0)
                                    .before(Some(json!({ f.field(): text })))
                                    .after(Some(json!({ f.field(): code.code, "members": n }))),
                            )
                            .await?;
                        }
                        report
                            .matched
                            .push((f.field().into(), text, code.code.into(), n));
                    }
                    None => report.unmatched.push((f.field().into(), text, n)),
                }
            }
        }
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(report)
    }
}
