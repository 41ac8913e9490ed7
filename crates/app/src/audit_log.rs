//! The audit entry every change writes (who, when, old value, new value, reason, document):
//! the kinds of change as an enum, each with its stored code and what it does to what the app
//! keeps in memory, and a builder for the entry.

use dangvu_domain::ids::OrgId;
use dangvu_store::audit::{self, AuditEntry};
use serde_json::Value;

use crate::{Actor, App, AppResult};

/// A kind of change, as the audit trail records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AssetCadreAdd,
    AssetCadreEnd,
    AssetDeclarationAdd,
    AssetDeclarationReceive,
    AssetRead,
    AssetSupervisionAdd,
    AssetSupervisionConclude,
    AuthSignIn,
    AuthSignInFailed,
    AuthSignInLocked,
    AuthSignOut,
    AuthSignOutEverywhere,
    AuthSignOutOthers,
    BadgeApprove,
    BadgePresent,
    BadgePropose,
    BadgeReturn,
    CalendarDay,
    CandidateAdd,
    CandidateStep,
    CommitmentAssess,
    CommitmentComment,
    CommitmentRegister,
    ContestQuestion,
    ContestResult,
    ContestRound,
    DecisionIssue,
    DuesBasis,
    DuesCancel,
    DuesPay,
    MeetingAdopt,
    MeetingAssign,
    MeetingCorrect,
    MeetingEdit,
    MeetingRecord,
    MeetingScore,
    MemberCard,
    MemberCorrect,
    MemberCreate,
    MemberEducation,
    MemberEvent,
    MemberEventCorrect,
    MemberIdentifierConflict,
    MemberImport,
    MemberRecode,
    MemberExport,
    OrgAppoint,
    OrgCreate,
    OrgDiscipline,
    OrgDissolve,
    OrgEndPosition,
    OrgKind,
    OrgMerge,
    OrgMove,
    OrgRename,
    OrgSplit,
    OpinionAnswer,
    OpinionAssign,
    OpinionAttach,
    OpinionTake,
    ProgrammeAdd,
    ProgrammePush,
    RegulationCreate,
    RegulationFile,
    RegulationVersion,
    ResidenceAttach,
    ResidenceCertify,
    ResidenceComment,
    ResidenceIntroduce,
    ResidenceMeeting,
    ReviewCorrect,
    ReviewDecide,
    ReviewDecideCollective,
    ReviewGenerate,
    ReviewLock,
    ReviewOpen,
    ReviewStep,
    TransferReturn,
    UserCreate,
    UserDisable,
    UserEnable,
    UserEndGrant,
    UserGrant,
    UserPassword,
}

/// What a change does to the kept counts, member lists, history and scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shapes {
    /// Nothing they are made of (reviews, meetings, cards, accounts…).
    Nothing,
    /// Organisations or memberships.
    Structure,
    /// A member's name or a fact the statistics count, when the correction is of one.
    RecordIfCorrected,
}

/// Whether the statistics kept in memory count a field of the record.
fn counted(field: &str) -> bool {
    matches!(field, "sex" | "birth_date") || dangvu_domain::stats::RECORD_FACTS.contains(&field)
}

/// The fields a correction's entry names: the keys of its new value, or its list of fields.
fn corrected_fields(new: Option<&Value>) -> Vec<&str> {
    match new {
        Some(Value::Object(o)) => match o.get("fields").and_then(Value::as_array) {
            Some(list) => list.iter().filter_map(Value::as_str).collect(),
            None => o.keys().map(String::as_str).collect(),
        },
        _ => Vec::new(),
    }
}

impl Action {
    /// Every kind of change, in the order the trail's filter offers them.
    pub const ALL: [Action; 84] = [
        Action::AssetCadreAdd,
        Action::AssetCadreEnd,
        Action::AssetDeclarationAdd,
        Action::AssetDeclarationReceive,
        Action::AssetRead,
        Action::AssetSupervisionAdd,
        Action::AssetSupervisionConclude,
        Action::AuthSignIn,
        Action::AuthSignInFailed,
        Action::AuthSignInLocked,
        Action::AuthSignOut,
        Action::AuthSignOutEverywhere,
        Action::AuthSignOutOthers,
        Action::BadgeApprove,
        Action::BadgePresent,
        Action::BadgePropose,
        Action::BadgeReturn,
        Action::CalendarDay,
        Action::CandidateAdd,
        Action::CandidateStep,
        Action::CommitmentAssess,
        Action::CommitmentComment,
        Action::CommitmentRegister,
        Action::ContestQuestion,
        Action::ContestResult,
        Action::ContestRound,
        Action::DecisionIssue,
        Action::DuesBasis,
        Action::DuesCancel,
        Action::DuesPay,
        Action::MeetingAdopt,
        Action::MeetingAssign,
        Action::MeetingCorrect,
        Action::MeetingEdit,
        Action::MeetingRecord,
        Action::MeetingScore,
        Action::MemberCard,
        Action::MemberCorrect,
        Action::MemberCreate,
        Action::MemberEducation,
        Action::MemberEvent,
        Action::MemberEventCorrect,
        Action::MemberIdentifierConflict,
        Action::MemberImport,
        Action::MemberRecode,
        Action::MemberExport,
        Action::OrgAppoint,
        Action::OrgCreate,
        Action::OrgDiscipline,
        Action::OrgDissolve,
        Action::OrgEndPosition,
        Action::OrgKind,
        Action::OrgMerge,
        Action::OrgMove,
        Action::OrgRename,
        Action::OrgSplit,
        Action::OpinionAnswer,
        Action::OpinionAssign,
        Action::OpinionAttach,
        Action::OpinionTake,
        Action::ProgrammeAdd,
        Action::ProgrammePush,
        Action::RegulationCreate,
        Action::RegulationFile,
        Action::RegulationVersion,
        Action::ResidenceAttach,
        Action::ResidenceCertify,
        Action::ResidenceComment,
        Action::ResidenceIntroduce,
        Action::ResidenceMeeting,
        Action::ReviewCorrect,
        Action::ReviewDecide,
        Action::ReviewDecideCollective,
        Action::ReviewGenerate,
        Action::ReviewLock,
        Action::ReviewOpen,
        Action::ReviewStep,
        Action::TransferReturn,
        Action::UserCreate,
        Action::UserDisable,
        Action::UserEnable,
        Action::UserEndGrant,
        Action::UserGrant,
        Action::UserPassword,
    ];

    /// The code stored in the trail.
    pub fn code(self) -> &'static str {
        match self {
            Action::AssetCadreAdd => "asset.cadre_add",
            Action::AssetCadreEnd => "asset.cadre_end",
            Action::AssetDeclarationAdd => "asset.declaration_add",
            Action::AssetDeclarationReceive => "asset.declaration_receive",
            Action::AssetRead => "asset.read",
            Action::AssetSupervisionAdd => "asset.supervision_add",
            Action::AssetSupervisionConclude => "asset.supervision_conclude",
            Action::AuthSignIn => "auth.sign_in",
            Action::AuthSignInFailed => "auth.sign_in_failed",
            Action::AuthSignInLocked => "auth.sign_in_locked",
            Action::AuthSignOut => "auth.sign_out",
            Action::AuthSignOutEverywhere => "auth.sign_out_everywhere",
            Action::AuthSignOutOthers => "auth.sign_out_others",
            Action::BadgeApprove => "badge.approve",
            Action::BadgePresent => "badge.present",
            Action::BadgePropose => "badge.propose",
            Action::BadgeReturn => "badge.return",
            Action::CalendarDay => "calendar.day",
            Action::CommitmentAssess => "commitment.assess",
            Action::CommitmentComment => "commitment.comment",
            Action::CommitmentRegister => "commitment.register",
            Action::ContestQuestion => "contest.question",
            Action::ContestResult => "contest.result",
            Action::ContestRound => "contest.round",
            Action::DecisionIssue => "decision.issue",
            Action::DuesBasis => "dues.basis",
            Action::DuesCancel => "dues.cancel",
            Action::DuesPay => "dues.pay",
            Action::CandidateAdd => "candidate.add",
            Action::CandidateStep => "candidate.step",
            Action::MeetingAdopt => "meeting.adopt",
            Action::MeetingAssign => "meeting.assign",
            Action::MeetingCorrect => "meeting.correct",
            Action::MeetingEdit => "meeting.edit",
            Action::MeetingRecord => "meeting.record",
            Action::MeetingScore => "meeting.score",
            Action::MemberCard => "member.card",
            Action::MemberCorrect => "member.correct",
            Action::MemberCreate => "member.create",
            Action::MemberEducation => "member.education",
            Action::MemberEvent => "member.event",
            Action::MemberEventCorrect => "member.event_correct",
            Action::MemberIdentifierConflict => "member.identifier_conflict",
            Action::MemberImport => "member.import",
            Action::MemberExport => "member.export",
            Action::MemberRecode => "member.recode",
            Action::OrgAppoint => "org.appoint",
            Action::OrgCreate => "org.create",
            Action::OrgDiscipline => "org.discipline",
            Action::OrgDissolve => "org.dissolve",
            Action::OrgEndPosition => "org.end_position",
            Action::OrgKind => "org.kind",
            Action::OrgMerge => "org.merge",
            Action::OrgMove => "org.move",
            Action::OrgRename => "org.rename",
            Action::OrgSplit => "org.split",
            Action::OpinionAnswer => "opinion.answer",
            Action::OpinionAssign => "opinion.assign",
            Action::OpinionAttach => "opinion.attach",
            Action::OpinionTake => "opinion.take",
            Action::ProgrammeAdd => "programme.add",
            Action::ProgrammePush => "programme.push",
            Action::RegulationCreate => "regulation.create",
            Action::RegulationFile => "regulation.file",
            Action::RegulationVersion => "regulation.version",
            Action::ResidenceAttach => "residence.attach",
            Action::ResidenceCertify => "residence.certify",
            Action::ResidenceComment => "residence.comment",
            Action::ResidenceIntroduce => "residence.introduce",
            Action::ResidenceMeeting => "residence.meeting",
            Action::ReviewCorrect => "review.correct",
            Action::ReviewDecide => "review.decide",
            Action::ReviewDecideCollective => "review.decide_collective",
            Action::ReviewGenerate => "review.generate",
            Action::ReviewLock => "review.lock",
            Action::ReviewOpen => "review.open",
            Action::ReviewStep => "review.step",
            Action::TransferReturn => "transfer.return",
            Action::UserCreate => "user.create",
            Action::UserDisable => "user.disable",
            Action::UserEnable => "user.enable",
            Action::UserEndGrant => "user.end_grant",
            Action::UserGrant => "user.grant",
            Action::UserPassword => "user.password",
        }
    }

    fn shapes(self) -> Shapes {
        match self {
            Action::AssetCadreAdd
            |             Action::AssetCadreEnd
            |             Action::AssetDeclarationAdd
            |             Action::AssetDeclarationReceive
            |             Action::AssetRead
            |             Action::AssetSupervisionAdd
            |             Action::AssetSupervisionConclude
            |             Action::OpinionAnswer
            |             Action::OpinionAssign
            |             Action::OpinionAttach
            |             Action::OpinionTake
            | Action::AuthSignIn
            | Action::AuthSignInFailed
            | Action::AuthSignInLocked
            | Action::AuthSignOut
            | Action::AuthSignOutEverywhere
            | Action::AuthSignOutOthers
            | Action::BadgeApprove
            | Action::BadgePresent
            | Action::BadgePropose
            | Action::BadgeReturn
            | Action::CalendarDay
            | Action::DecisionIssue
            | Action::CommitmentAssess
            | Action::CommitmentComment
            | Action::CommitmentRegister
            | Action::ContestQuestion
            | Action::ContestResult
            | Action::ContestRound
            | Action::DuesBasis
            | Action::DuesCancel
            | Action::DuesPay
            | Action::OrgDiscipline
            | Action::CandidateAdd
            | Action::CandidateStep
            | Action::MeetingAdopt
            | Action::MeetingAssign
            | Action::MeetingCorrect
            | Action::MeetingEdit
            | Action::MeetingRecord
            | Action::MeetingScore
            | Action::MemberCard
            | Action::MemberEducation
            | Action::MemberIdentifierConflict
            | Action::MemberExport
            // Each member an import writes moves the version by herself.
            | Action::MemberImport
            | Action::ProgrammeAdd
            | Action::ProgrammePush
            | Action::RegulationCreate
            | Action::RegulationFile
            | Action::RegulationVersion
            | Action::ResidenceAttach
            | Action::ResidenceCertify
            | Action::ResidenceComment
            | Action::ResidenceIntroduce
            | Action::ResidenceMeeting
            | Action::ReviewCorrect
            | Action::ReviewDecide
            | Action::ReviewDecideCollective
            | Action::ReviewGenerate
            | Action::ReviewLock
            | Action::ReviewOpen
            | Action::ReviewStep
            | Action::UserCreate
            | Action::UserDisable
            | Action::UserEnable
            | Action::UserEndGrant
            | Action::UserGrant
            | Action::UserPassword => Shapes::Nothing,
            Action::MemberCorrect => Shapes::RecordIfCorrected,
            _ => Shapes::Structure,
        }
    }

    /// An entry of this kind about one entity (`org`, `member`, `user`, …).
    pub(crate) fn on(self, entity: &str, id: i64) -> Entry<'_> {
        Entry {
            action: self,
            entity,
            id,
            old: None,
            new: None,
            reason: None,
            decision_ref: None,
        }
    }
}

/// One audit entry being written.
pub(crate) struct Entry<'a> {
    action: Action,
    entity: &'a str,
    id: i64,
    old: Option<Value>,
    new: Option<Value>,
    reason: Option<&'a str>,
    decision_ref: Option<&'a str>,
}

impl<'a> Entry<'a> {
    pub(crate) fn before(mut self, v: Option<Value>) -> Self {
        self.old = v;
        self
    }
    pub(crate) fn after(mut self, v: Option<Value>) -> Self {
        self.new = v;
        self
    }
    pub(crate) fn reason(mut self, r: Option<&'a str>) -> Self {
        self.reason = r;
        self
    }
    pub(crate) fn decision(mut self, d: Option<&'a str>) -> Self {
        self.decision_ref = d;
        self
    }
}

impl App {
    /// Ends a change: writes its audit entry in the change's transaction and commits both,
    /// answering `value`.
    pub(crate) async fn commit_audited<T>(
        &self,
        mut tx: dangvu_store::Tx,
        actor: &Actor,
        e: Entry<'_>,
        value: T,
    ) -> AppResult<T> {
        self.audit(&mut tx, actor, e).await?;
        crate::committed(tx, value).await
    }

    /// Writes one audit entry inside the caller's transaction, and moves the data version when
    /// the change reshapes what the caches hold.
    pub(crate) async fn audit(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        e: Entry<'_>,
    ) -> AppResult<()> {
        let org_id = match e.entity {
            "org" => Some(e.id),
            "member" => dangvu_store::members::spans_of(conn, dangvu_domain::ids::MemberId(e.id))
                .await?
                .iter()
                .max_by_key(|s| s.from)
                .map(|s| s.cell.0),
            _ => None,
        };
        // The data version keys the kept tree counts, member lists and scopes: it moves only
        // with what they are made of (organisations, memberships, names), not with reviews,
        // cards or corrections of other fields.
        let corrected = corrected_fields(e.new.as_ref());
        let shapes = match e.action.shapes() {
            Shapes::Nothing => false,
            Shapes::RecordIfCorrected => corrected.iter().any(|f| *f == "full_name" || counted(f)),
            Shapes::Structure => matches!(e.entity, "org" | "member" | "register"),
        };
        if shapes {
            audit::bump_data_version(conn).await?;
            // What changed: kept lists follow a rename, the history in memory re-reads a
            // member, a change of the whole register reads everything again.
            let change = match (e.action, e.entity) {
                (Action::MemberCorrect, _) if corrected == ["full_name"] => {
                    audit::DataChange::Rename(e.id)
                }
                (_, "member") => audit::DataChange::Member(e.id),
                _ => audit::DataChange::Org(e.id),
            };
            audit::record_change(conn, change).await?;
        }
        let stored = self.stored_entry(actor, e, org_id);
        audit::insert(conn, self.store.audit_key()?, &stored).await?;
        Ok(())
    }

    /// The entry as the trail stores it.
    fn stored_entry(&self, actor: &Actor, e: Entry<'_>, org_id: Option<i64>) -> AuditEntry {
        AuditEntry {
            at: self.now_text(),
            actor: actor.name.clone(),
            actor_id: actor.user_id,
            address: actor.address.clone(),
            action: e.action.code().into(),
            entity: e.entity.into(),
            entity_id: Some(e.id),
            org_id,
            old_value: e.old.map(|v| v.to_string()),
            new_value: e.new.map(|v| v.to_string()),
            reason: e.reason.map(str::to_owned),
            decision_ref: e.decision_ref.map(str::to_owned),
        }
    }

    /// Writes the entries of new members created together (each with the cell she is in), in
    /// the caller's transaction: a step of the data version for each, as `audit` would move it.
    pub(crate) async fn audit_new_members(
        &self,
        conn: &mut dangvu_store::Conn,
        actor: &Actor,
        entries: Vec<(Entry<'_>, OrgId)>,
    ) -> AppResult<()> {
        let ids: Vec<i64> = entries.iter().map(|(e, _)| e.id).collect();
        audit::record_member_changes(conn, self.store.backend, &ids).await?;
        let stored: Vec<AuditEntry> = entries
            .into_iter()
            .map(|(e, cell)| self.stored_entry(actor, e, Some(cell.0)))
            .collect();
        audit::insert_many(conn, self.store.backend, self.store.audit_key()?, &stored).await?;
        Ok(())
    }
}
