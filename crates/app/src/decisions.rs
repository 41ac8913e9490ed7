//! Sổ quyết định: the decisions a committee issues, numbered per committee and year in the
//! Party's form (45-QĐ/ĐU), for admissions, official membership, transfers, discipline,
//! exemptions, removals, appointments and reviews.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::decision::{Decision, DecisionKind, check_abbreviation, issuer_abbreviation};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::text::clean;
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::decisions::{self as store, Registered};
use dangvu_store::orgs as ostore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult};

/// The longest trích yếu of a decision.
const SUBJECT_MAX: usize = 500;
/// The longest name of a signer.
const SIGNER_MAX: usize = 200;

/// Input of "issue a decision".
#[derive(Debug, Clone)]
pub struct NewDecision {
    /// The committee that issues it.
    pub issuer: OrgId,
    pub kind: DecisionKind,
    pub signed_on: NaiveDate,
    /// Trích yếu: what it decides ("Kết nạp đảng viên Nguyễn Văn A").
    pub subject: String,
    /// The member it is about, if one.
    pub member: Option<MemberId>,
    /// Who signed (T/M Ban Thường vụ, Bí thư …).
    pub signer: Option<String>,
    /// The issuing body's abbreviation, when it is not the usual one of its kind.
    pub abbreviation: Option<String>,
}

/// A committee's register of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRegister {
    pub issuer: OrgId,
    pub year: i32,
    /// By number.
    pub decisions: Vec<Registered>,
}

/// A decision just issued: its place in the register and the decision as events carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub id: i64,
    pub number: i64,
    pub decision: Decision,
}

/// The decision of an event, to be numbered in a committee's register: its kind and trích yếu.
pub(crate) async fn of_event(
    conn: &mut dangvu_store::Conn,
    member: MemberId,
    issuer: OrgId,
    input: &crate::members::NewEvent,
) -> AppResult<NewDecision> {
    use dangvu_domain::decision::DecisionKind as K;
    let kind = input.kind.ok_or(FieldError::new("kind", "required"))?;
    let (decision_kind, what) = match kind {
        dangvu_domain::member::EventKind::Admitted => (K::Admission, "Kết nạp đảng viên"),
        dangvu_domain::member::EventKind::Readmitted => (K::Admission, "Kết nạp lại đảng viên"),
        dangvu_domain::member::EventKind::MadeOfficial => {
            (K::Official, "Công nhận đảng viên chính thức")
        }
        dangvu_domain::member::EventKind::Disciplined => {
            (K::Discipline, "Thi hành kỷ luật đảng viên")
        }
        dangvu_domain::member::EventKind::Exempted => {
            (K::Exemption, "Miễn công tác và sinh hoạt đảng")
        }
        dangvu_domain::member::EventKind::RemovedFromRolls
        | dangvu_domain::member::EventKind::Resigned => (K::Removal, "Xóa tên đảng viên"),
        dangvu_domain::member::EventKind::TransferredOut => (K::Transfer, "Chuyển sinh hoạt đảng"),
        dangvu_domain::member::EventKind::Suspended => (K::Other, "Đình chỉ sinh hoạt đảng"),
        _ => return Err(DomainError::rule_on("no_decision_for_event", "register").into()),
    };
    let name = dangvu_store::members::get_member(conn, member)
        .await
        .map_err(|_| AppError::NotFound("member"))?
        .full_name;
    let signed_on = input
        .decided_on
        .or(input.on)
        .ok_or(FieldError::new("decided_on", "required"))?;
    Ok(NewDecision {
        issuer,
        kind: decision_kind,
        signed_on,
        subject: format!("{what} {name}"),
        member: Some(member),
        signer: None,
        abbreviation: None,
    })
}

impl App {
    /// Issues a decision: it takes the committee's next number of the year it is signed in,
    /// in the same transaction as its audit entry. Two officers numbering at the same moment
    /// cannot get one number: the second is refused by the register's unique number and tries
    /// again with the next.
    pub async fn issue_decision(&self, actor: &Actor, input: NewDecision) -> AppResult<Issued> {
        let mut attempt = 0;
        loop {
            match self.issue_decision_once(actor, input.clone()).await {
                Err(AppError::Domain(e)) if e.code() == "conflict" && attempt < 3 => attempt += 1,
                r => return r,
            }
        }
    }

    async fn issue_decision_once(&self, actor: &Actor, input: NewDecision) -> AppResult<Issued> {
        let mut tx = self.store.begin().await?;
        let issued = self.issue_decision_in(&mut tx, actor, input).await?;
        crate::committed(tx, issued).await
    }

    /// Issues a decision inside the caller's transaction (an event recorded with the decision
    /// it numbers), with its audit entry.
    pub(crate) async fn issue_decision_in(
        &self,
        tx: &mut dangvu_store::Conn,
        actor: &Actor,
        input: NewDecision,
    ) -> AppResult<Issued> {
        // Scope first: the issuing committee, then the member it names.
        self.require_org_write(actor, input.issuer)?;
        if let Some(m) = input.member {
            self.require_member_read(tx, actor, m).await?;
        }
        let subject = clean(&input.subject);
        let signer =
            Some(clean(input.signer.as_deref().unwrap_or_default())).filter(|s| !s.is_empty());
        let mut errors = Vec::new();
        if subject.is_empty() {
            errors.push(FieldError::new("summary", "required"));
        } else if subject.chars().count() > SUBJECT_MAX {
            errors.push(FieldError::new("summary", "too_long"));
        }
        if signer
            .as_ref()
            .is_some_and(|s| s.chars().count() > SIGNER_MAX)
        {
            errors.push(FieldError::new("signer", "too_long"));
        }
        let today = self.clock.today();
        if input.signed_on > today {
            errors.push(FieldError::new("signed_on", "date_in_future"));
        } else if input.signed_on.year() < 1930 {
            errors.push(FieldError::new("signed_on", "date_too_early"));
        }
        let abbreviation = match input.abbreviation.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => match check_abbreviation(a) {
                Ok(a) => Some(a),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            _ => None,
        };
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors).into());
        }
        let issuer = ostore::period_on(tx, input.issuer, input.signed_on)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "signed_on"))?;
        let abbreviation =
            abbreviation.unwrap_or_else(|| issuer_abbreviation(issuer.kind).to_owned());
        let year = input.signed_on.year();
        let number = store::next_number(tx, input.issuer, year).await?;
        let row = Registered {
            id: 0,
            issuer: input.issuer,
            year,
            number,
            abbreviation,
            kind: input.kind,
            signed_on: input.signed_on,
            subject,
            member: input.member,
            signer,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert(tx, &row).await?;
        let decision = Decision {
            reference: Some(row.reference()),
            date: Some(row.signed_on),
            body: Some(issuer.name.clone()),
        };
        let entry = Action::DecisionIssue
            .on("org", input.issuer.0)
            .after(Some(json!({"decision": id, "number": row.reference(), "kind": row.kind.code(), "signed_on": row.signed_on.to_string(), "member": row.member.map(|m| m.0), "summary": row.subject})));
        self.audit(tx, actor, entry).await?;
        Ok(Issued {
            id,
            number,
            decision,
        })
    }

    /// A committee's register of decisions for a year, by number.
    pub async fn decision_register(
        &self,
        actor: &Actor,
        issuer: OrgId,
        year: i32,
    ) -> AppResult<DecisionRegister> {
        self.require_org(actor, issuer)?;
        self.year_so_far(year)?;
        let mut tx = self.store.read().await?;
        let decisions = store::of_year(&mut tx, issuer, year).await?;
        tx.commit().await?;
        Ok(DecisionRegister {
            issuer,
            year,
            decisions,
        })
    }

    /// The decisions about a member the actor may read (they are part of her file, whoever
    /// issued them).
    pub async fn decisions_of_member(
        &self,
        actor: &Actor,
        member: MemberId,
    ) -> AppResult<Vec<Registered>> {
        let mut tx = self.store.read().await?;
        self.require_member_read(&mut tx, actor, member).await?;
        let v = store::of_member(&mut tx, member).await?;
        tx.commit().await?;
        Ok(v.into_iter()
            .filter(|d| actor.access.org_in_scope(d.issuer) || actor.access.all)
            .collect())
    }
}
