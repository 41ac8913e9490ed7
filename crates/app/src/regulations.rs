//! Quy chế, quy định của cấp ủy (R32): a committee's regulations as versioned documents, each
//! provision's task with the person responsible, the list due for review, an attached file kept
//! with its checksum, and search by title and content.

use chrono::NaiveDate;
use dangvu_domain::date::{check_near, check_past};
use dangvu_domain::ids::OrgId;
use dangvu_domain::regulation::{
    self as rules, FileKind, REVIEW_MONTHS_MAX, RegulationKind, check_file, checksum,
    parse_provisions, safe_file_name,
};
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::orgs as ostore;
use dangvu_store::regulations::{self as store, Provision, Regulation, Version};
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, as_field as field, optional_text, required_text};

/// The longest title.
const TITLE_MAX: usize = 300;
/// The longest number or issuing body.
const NAME_MAX: usize = 200;
/// The longest note of changes.
const CHANGES_MAX: usize = 4000;
/// The longest text of a version.
const BODY_MAX: usize = 200_000;
/// The most regulations a list shows.
const LIST_MAX: i64 = 500;
/// Days ahead the list of regulations due for review looks.
pub const REVIEW_AHEAD_DAYS: u64 = 30;

/// A version to issue: the first, or a revision.
#[derive(Debug, Clone, Default)]
pub struct NewVersion {
    pub number: String,
    pub signed_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    /// What the revision changed (required for a revision).
    pub changes: Option<String>,
    pub body: String,
    /// `article | task | responsible`, one per line.
    pub provisions: String,
}

/// A regulation to issue, with its first version.
#[derive(Debug, Clone)]
pub struct NewRegulation {
    pub committee: OrgId,
    pub kind: RegulationKind,
    pub title: String,
    pub issuing_body: String,
    pub review_months: Option<u32>,
    pub first: NewVersion,
}

/// A regulation with the version in force today (the latest one when none is yet).
#[derive(Debug, Clone)]
pub struct RegulationLine {
    pub regulation: Regulation,
    pub current: Option<Version>,
    /// Its review is due within [`REVIEW_AHEAD_DAYS`] or overdue.
    pub review_due: bool,
}

/// A committee's regulations, searched.
#[derive(Debug, Clone)]
pub struct RegulationList {
    pub committee: OrgId,
    pub lines: Vec<RegulationLine>,
}

impl RegulationList {
    pub fn due_for_review(&self) -> Vec<&RegulationLine> {
        self.lines.iter().filter(|l| l.review_due).collect()
    }
}

/// A regulation with every version, each with its provisions.
#[derive(Debug, Clone)]
pub struct RegulationView {
    pub regulation: Regulation,
    pub versions: Vec<(Version, Vec<Provision>)>,
}

/// An attached file as it is sent back: its safe name, kind, bytes and checksum.
#[derive(Debug, Clone)]
pub struct RegulationFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

fn current(versions: &[Version], today: NaiveDate) -> Option<Version> {
    versions
        .iter()
        .filter(|v| v.effective_on <= today)
        .max_by_key(|v| v.version)
        .or_else(|| versions.iter().max_by_key(|v| v.version))
        .cloned()
}

impl App {
    /// A regulation the actor may read, or "not found".
    async fn regulation_in_scope(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Regulation> {
        let g = store::by_id(conn, id)
            .await?
            .ok_or(AppError::NotFound("regulation"))?;
        self.require_org_as(actor, g.committee, "regulation")?;
        Ok(g)
    }

    /// Refuses, as "not found", a regulation the actor may not change: the pages and the API
    /// ask this before they read the rest of a request.
    pub async fn regulation_scope(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let g = self.regulation_in_scope(&mut tx, actor, id).await;
        tx.commit().await?;
        self.require_org_write_as(actor, g?.committee, "regulation")
    }

    /// Refuses, as "not found", a version of a regulation the actor may not change.
    pub async fn regulation_version_scope(&self, actor: &Actor, version: i64) -> AppResult<i64> {
        let mut tx = self.store.read().await?;
        let v = store::version_by_id(&mut tx, version).await?;
        tx.commit().await?;
        let v = v.ok_or(AppError::NotFound("regulation"))?;
        self.regulation_scope(actor, v.regulation).await?;
        Ok(v.regulation)
    }

    /// Checks a version's fields and gives it its number.
    fn version_of(
        &self,
        regulation: i64,
        number: u32,
        v: &NewVersion,
        review_months: Option<u32>,
        actor: &Actor,
    ) -> AppResult<(Version, Vec<Provision>)> {
        let today = self.clock.today();
        let mut e = dangvu_domain::error::Errors::default();
        let num = e.take(field(required_text("number", &v.number, NAME_MAX)));
        let signed_on = e.take(v.signed_on.ok_or(FieldError::new("signed_on", "required")));
        if let Some(d) = signed_on {
            e.take(check_past("signed_on", d, today));
        }
        let effective_on = v.effective_on.or(signed_on);
        if let (Some(eff), Some(s)) = (effective_on, signed_on) {
            e.take(check_near("effective_on", eff, today));
            if eff < s {
                e.push("effective_on", "date_before_start");
            }
        }
        let changes = e
            .take(field(optional_text(
                "changes",
                v.changes.as_deref(),
                CHANGES_MAX,
            )))
            .flatten();
        if number > 1 && changes.is_none() {
            e.push("changes", "required");
        }
        let body = v.body.trim().to_owned();
        if body.chars().count() > BODY_MAX {
            e.push("full_text", "too_long");
        }
        let provisions = e.take(parse_provisions(&v.provisions));
        e.finish()?;
        let (Some(num), Some(signed_on), Some(effective_on), Some(provisions)) =
            (num, signed_on, effective_on, provisions)
        else {
            return Err(FieldError::new("number", "required").into());
        };
        Ok((
            Version {
                id: 0,
                regulation,
                version: number,
                number: num,
                signed_on,
                effective_on,
                changes,
                body,
                review_due: rules::review_due(effective_on, review_months),
                file: None,
                recorded_at: self.now_text(),
                recorded_by: actor.name.clone(),
            },
            provisions
                .into_iter()
                .map(|(article, task, responsible)| Provision {
                    article,
                    task,
                    responsible,
                })
                .collect(),
        ))
    }

    /// Issues a regulation of a committee with its first version.
    pub async fn issue_regulation(&self, actor: &Actor, input: NewRegulation) -> AppResult<i64> {
        self.require_org_write(actor, input.committee)?;
        let title = required_text("regulation_title", &input.title, TITLE_MAX)?;
        let issuing_body = required_text("issuing_body", &input.issuing_body, NAME_MAX)?;
        if input
            .review_months
            .is_some_and(|m| m == 0 || m > REVIEW_MONTHS_MAX)
        {
            return Err(FieldError::new("review_months", "review_months_range").into());
        }
        let mut tx = self.store.begin().await?;
        let g = Regulation {
            id: 0,
            committee: input.committee,
            kind: input.kind,
            title,
            issuing_body,
            review_months: input.review_months,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let (v, provisions) = self.version_of(0, 1, &input.first, g.review_months, actor)?;
        ostore::period_on(&mut tx, g.committee, v.signed_on)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "signed_on"))?;
        let id = store::insert(&mut tx, &g).await?;
        let v = Version {
            regulation: id,
            ..v
        };
        let vid = store::insert_version(&mut tx, &v, &provisions).await?;
        let entry = Action::RegulationCreate
            .on("org", g.committee.0)
            .after(Some(json!({
                "regulation": id, "version": vid, "kind": g.kind.code(), "title": g.title,
                "issuing_body": g.issuing_body, "number": v.number, "signed_on": v.signed_on,
                "effective_on": v.effective_on, "provisions": provisions.len(),
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// Issues a revision: the next version, saying what it changed.
    pub async fn revise_regulation(
        &self,
        actor: &Actor,
        id: i64,
        input: NewVersion,
    ) -> AppResult<i64> {
        let mut tx = self.store.begin().await?;
        let g = self.regulation_in_scope(&mut tx, actor, id).await?;
        self.require_org_write_as(actor, g.committee, "regulation")?;
        let versions = store::versions_of(&mut tx, id).await?;
        let next = versions.iter().map(|v| v.version).max().unwrap_or(0) + 1;
        let (v, provisions) = self.version_of(id, next, &input, g.review_months, actor)?;
        if versions.iter().any(|o| v.effective_on < o.effective_on) {
            return Err(FieldError::new("effective_on", "before_last_version").into());
        }
        let vid = store::insert_version(&mut tx, &v, &provisions).await?;
        let entry = Action::RegulationVersion
            .on("org", g.committee.0)
            .after(Some(json!({
                "regulation": id, "version": vid, "seq": next, "number": v.number,
                "signed_on": v.signed_on, "effective_on": v.effective_on, "changes": v.changes,
                "provisions": provisions.len(),
            })));
        self.commit_audited(tx, actor, entry, vid).await
    }

    /// Attaches a PDF or DOCX to a version, kept with its SHA-256 checksum.
    pub async fn attach_regulation_file(
        &self,
        actor: &Actor,
        version: i64,
        name: &str,
        bytes: &[u8],
    ) -> AppResult<String> {
        let regulation = self.regulation_version_scope(actor, version).await?;
        let name = safe_file_name(name);
        let kind = check_file(&name, bytes)?;
        let sum = checksum(bytes);
        let mut tx = self.store.begin().await?;
        let g = self.regulation_in_scope(&mut tx, actor, regulation).await?;
        let old = store::version_by_id(&mut tx, version)
            .await?
            .and_then(|v| v.file);
        store::attach_file(&mut tx, version, &name, kind, bytes, &sum).await?;
        let entry = Action::RegulationFile
            .on("org", g.committee.0)
            .before(old.map(|(n, _, s)| json!({"version": version, "file": n, "sha256": s})))
            .after(Some(json!({
                "version": version, "file": name, "kind": kind.code(),
                "bytes": bytes.len(), "sha256": sum,
            })));
        self.commit_audited(tx, actor, entry, sum).await
    }

    /// A version's attached file, checked against its checksum.
    pub async fn regulation_file(&self, actor: &Actor, version: i64) -> AppResult<RegulationFile> {
        let mut tx = self.store.read().await?;
        let v = store::version_by_id(&mut tx, version)
            .await?
            .ok_or(AppError::NotFound("regulation"))?;
        self.regulation_in_scope(&mut tx, actor, v.regulation)
            .await?;
        let (name, kind, sha256) = v.file.ok_or(AppError::NotFound("file"))?;
        let bytes = store::file_bytes(&mut tx, version)
            .await?
            .ok_or(AppError::NotFound("file"))?;
        tx.commit().await?;
        if checksum(&bytes) != sha256 {
            tracing::error!(version, "a regulation file does not match its checksum");
            return Err(DomainError::rule("file_corrupt").into());
        }
        Ok(RegulationFile {
            name,
            kind,
            bytes,
            sha256,
        })
    }

    /// A committee's regulations whose title or text holds every word of `query` (with or
    /// without diacritics), by title, with those due for review marked.
    pub async fn regulations(
        &self,
        actor: &Actor,
        committee: OrgId,
        query: &str,
    ) -> AppResult<RegulationList> {
        self.require_org(actor, committee)?;
        let words: Vec<String> = dangvu_domain::text::fold(query)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if words.len() > 8 || query.chars().count() > 200 {
            return Err(FieldError::new("q", "search_too_long").into());
        }
        let today = self.clock.today();
        let ahead = today
            .checked_add_days(chrono::Days::new(REVIEW_AHEAD_DAYS))
            .unwrap_or(today);
        let mut tx = self.store.read().await?;
        let found = store::search(&mut tx, &[committee], &words, LIST_MAX).await?;
        let mut lines = Vec::with_capacity(found.len());
        for g in found {
            let versions = store::versions_of(&mut tx, g.id).await?;
            let cur = current(&versions, today);
            let review_due = cur
                .as_ref()
                .and_then(|v| v.review_due)
                .is_some_and(|d| d <= ahead);
            lines.push(RegulationLine {
                regulation: g,
                current: cur,
                review_due,
            });
        }
        tx.commit().await?;
        Ok(RegulationList { committee, lines })
    }

    /// A regulation with its versions and their provisions.
    pub async fn regulation(&self, actor: &Actor, id: i64) -> AppResult<RegulationView> {
        let mut tx = self.store.read().await?;
        let g = self.regulation_in_scope(&mut tx, actor, id).await?;
        let mut versions = Vec::new();
        for v in store::versions_of(&mut tx, id).await? {
            let p = store::provisions_of(&mut tx, v.id).await?;
            versions.push((v, p));
        }
        tx.commit().await?;
        Ok(RegulationView {
            regulation: g,
            versions,
        })
    }
}
