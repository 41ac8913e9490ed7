//! Hội thi Bí thư chi bộ giỏi (R36): a committee's question bank, its contest rounds (who
//! organises, when, which questions), the participants from its subtree with their scores
//! entered or computed from their answers, and the ranking.

use chrono::NaiveDate;
use dangvu_domain::contest::{
    ROUND_QUESTIONS_MAX, SCORE_MAX_TENTHS, TEXT_MAX, check_question, ranks, score_from_answers,
};
use dangvu_domain::date::check_near;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::{DomainError, FieldError};
use dangvu_store::Conn;
use dangvu_store::contest::{self as store, Entry, Question, Round};
use dangvu_store::members as mstore;
use dangvu_store::orgs as ostore;
use serde_json::json;

use crate::audit_log::Action;
use crate::{Actor, App, AppError, AppResult, optional_text, required_text};

/// The most questions a bank lists.
const BANK_MAX: i64 = 5000;

/// A question to add to the bank.
#[derive(Debug, Clone, Default)]
pub struct NewQuestion {
    pub topic: String,
    pub question: String,
    pub options: Vec<String>,
    /// The index of the right option.
    pub answer: usize,
    pub source: Option<String>,
}

/// A participant's result: a score entered (tenths of a point out of 100), or the option
/// chosen for each of the round's questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Score {
    Entered(u32),
    Answers(Vec<Option<usize>>),
}

/// A participant's line of the results.
#[derive(Debug, Clone)]
pub struct ResultLine {
    pub member: MemberId,
    pub name: String,
    /// Her cell on the day of the round.
    pub cell: Option<OrgId>,
    pub score_tenths: u32,
    pub rank: u32,
    pub answered: bool,
}

/// A round with its questions and its ranked results.
#[derive(Debug, Clone)]
pub struct RoundResults {
    pub round: Round,
    pub questions: Vec<Question>,
    /// By rank, then Vietnamese name order.
    pub lines: Vec<ResultLine>,
}

impl App {
    /// A round the actor may read, or "not found".
    async fn round_in_scope(&self, conn: &mut Conn, actor: &Actor, id: i64) -> AppResult<Round> {
        let r = store::round_by_id(conn, id)
            .await?
            .ok_or(AppError::NotFound("contest_round"))?;
        self.require_org_as(actor, r.committee, "contest_round")?;
        Ok(r)
    }

    /// Refuses, as "not found", a round the actor may not change: the pages and the API ask
    /// this before they read the rest of a request.
    pub async fn round_scope(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.read().await?;
        let r = self.round_in_scope(&mut tx, actor, id).await;
        tx.commit().await?;
        self.require_org_write_as(actor, r?.committee, "contest_round")
    }

    /// Adds a question to a committee's bank.
    pub async fn add_question(
        &self,
        actor: &Actor,
        committee: OrgId,
        q: NewQuestion,
    ) -> AppResult<i64> {
        self.require_org_write(actor, committee)?;
        let topic = required_text("topic", &q.topic, 200)?;
        let question = required_text("question", &q.question, TEXT_MAX)?;
        let options: Vec<String> = q
            .options
            .iter()
            .map(|o| dangvu_domain::text::clean(o))
            .collect();
        check_question(&options, q.answer)?;
        let source = optional_text("source", q.source.as_deref(), 500)?;
        let mut tx = self.store.begin().await?;
        let row = Question {
            id: 0,
            committee,
            topic,
            question,
            options,
            answer: q.answer,
            source,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert_question(&mut tx, &row).await?;
        let entry = Action::ContestQuestion
            .on("org", committee.0)
            .after(Some(json!({
                "question": id, "topic": row.topic, "question_text": row.question,
                "options": row.options, "answer": row.answer, "source": row.source,
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// A committee's question bank, by topic.
    pub async fn question_bank(&self, actor: &Actor, committee: OrgId) -> AppResult<Vec<Question>> {
        self.require_org(actor, committee)?;
        let mut tx = self.store.read().await?;
        let v = store::questions_of(&mut tx, committee, BANK_MAX).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Opens a round of a committee on a day with questions of its bank, in order.
    pub async fn open_round(
        &self,
        actor: &Actor,
        committee: OrgId,
        name: &str,
        held_on: NaiveDate,
        questions: Vec<i64>,
    ) -> AppResult<i64> {
        self.require_org_write(actor, committee)?;
        // A bound that depends on no data, before the ids are looked up.
        if questions.len() > ROUND_QUESTIONS_MAX {
            return Err(FieldError::new("questions", "too_many_items").into());
        }
        let mut tx = self.store.begin().await?;
        // The questions named must be of this committee's bank: any other is "not found".
        let found = store::questions_by_id(&mut tx, &questions).await?;
        if questions
            .iter()
            .any(|q| !found.iter().any(|f| f.id == *q && f.committee == committee))
        {
            return Err(AppError::NotFound("question"));
        }
        let name = required_text("name", name, 300)?;
        check_near("contest_day", held_on, self.clock.today())?;
        let mut seen = std::collections::HashSet::new();
        if !questions.iter().all(|q| seen.insert(*q)) {
            return Err(FieldError::new("questions", "options_repeated").into());
        }
        ostore::period_on(&mut tx, committee, held_on)
            .await?
            .ok_or(DomainError::rule_on("org_not_active", "contest_day"))?;
        let r = Round {
            id: 0,
            committee,
            name,
            held_on,
            questions,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let id = store::insert_round(&mut tx, &r).await?;
        let entry = Action::ContestRound
            .on("org", committee.0)
            .after(Some(json!({
                "round": id, "name": r.name, "held_on": r.held_on, "questions": r.questions,
            })));
        self.commit_audited(tx, actor, entry, id).await
    }

    /// A committee's rounds, newest first.
    pub async fn rounds(&self, actor: &Actor, committee: OrgId) -> AppResult<Vec<Round>> {
        self.require_org(actor, committee)?;
        let mut tx = self.store.read().await?;
        let v = store::rounds_of(&mut tx, committee).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Records (or corrects) a participant's result: she must be on the rolls of a cell of the
    /// organising committee's subtree on the day of the round.
    pub async fn enter_result(
        &self,
        actor: &Actor,
        round: i64,
        member: MemberId,
        score: Score,
    ) -> AppResult<u32> {
        let mut tx = self.store.begin().await?;
        let r = self.round_in_scope(&mut tx, actor, round).await?;
        self.require_org_write_as(actor, r.committee, "contest_round")?;
        self.require_member_read(&mut tx, actor, member).await?;
        let subtree = ostore::subtree_ids(&mut tx, r.committee, r.held_on).await?;
        let there = mstore::spans_of(&mut tx, member).await?.iter().any(|s| {
            subtree.contains(&s.cell) && s.from <= r.held_on && s.to.is_none_or(|t| r.held_on < t)
        });
        if !there {
            return Err(DomainError::rule_on("not_in_contest_subtree", "member").into());
        }
        let (tenths, answers) = match score {
            Score::Entered(t) if t <= SCORE_MAX_TENTHS => (t, None),
            Score::Entered(_) => return Err(FieldError::new("contest_score", "score_range").into()),
            Score::Answers(a) => {
                if a.len() != r.questions.len() {
                    return Err(FieldError::new("answers", "answers_count").into());
                }
                let qs = store::questions_by_id(&mut tx, &r.questions).await?;
                let key: Vec<usize> = r
                    .questions
                    .iter()
                    .filter_map(|id| qs.iter().find(|q| q.id == *id).map(|q| q.answer))
                    .collect();
                (score_from_answers(&a, &key), Some(a))
            }
        };
        let e = Entry {
            id: 0,
            round,
            member,
            score_tenths: tenths,
            answers,
            recorded_at: self.now_text(),
            recorded_by: actor.name.clone(),
        };
        let old = store::put_entry(&mut tx, &e).await?;
        let entry = Action::ContestResult
            .on("member", member.0)
            .before(old.map(|o| json!({"round": round, "score_tenths": o.score_tenths})))
            .after(Some(
                json!({"round": round, "score_tenths": tenths, "answers": e.answers}),
            ));
        self.commit_audited(tx, actor, entry, tenths).await
    }

    /// A round's questions and its results ranked (equal scores share a rank).
    pub async fn round_results(&self, actor: &Actor, round: i64) -> AppResult<RoundResults> {
        let mut tx = self.store.read().await?;
        let r = self.round_in_scope(&mut tx, actor, round).await?;
        let found = store::questions_by_id(&mut tx, &r.questions).await?;
        let questions = r
            .questions
            .iter()
            .filter_map(|id| found.iter().find(|q| q.id == *id).cloned())
            .collect();
        let entries = store::entries_of(&mut tx, round).await?;
        let scores: Vec<u32> = entries.iter().map(|e| e.score_tenths).collect();
        let rank = ranks(&scores);
        let mut lines = Vec::with_capacity(entries.len());
        for (e, k) in entries.iter().zip(rank) {
            let name = mstore::get_member(&mut tx, e.member).await?.full_name;
            let cell = mstore::spans_of(&mut tx, e.member)
                .await?
                .into_iter()
                .find(|s| s.from <= r.held_on && s.to.is_none_or(|t| r.held_on < t))
                .map(|s| s.cell);
            lines.push(ResultLine {
                member: e.member,
                name,
                cell,
                score_tenths: e.score_tenths,
                rank: k,
                answered: e.answers.is_some(),
            });
        }
        tx.commit().await?;
        lines.sort_by_cached_key(|l| (l.rank, dangvu_domain::text::collation_key(&l.name)));
        Ok(RoundResults {
            round: r,
            questions,
            lines,
        })
    }
}
