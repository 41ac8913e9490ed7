//! Every member's lasting facts in memory (sex, date of birth, the coded fields interned, the
//! first admission), kept with the history of the register, so that the statistics of any
//! subtree on any date are counted from memory: her age and seniority on the date are worked
//! out from her dates, her status and cell come from the history's spans.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use dangvu_domain::date::months_between;
use dangvu_domain::ids::MemberId;
use dangvu_domain::member::{Event, Sex, Status, seniority_months};
use dangvu_domain::stats::Facts;
use dangvu_store::Conn;
use dangvu_store::members::facts::{LastingFacts, lasting_facts};
use dangvu_store::members::roster;

use crate::AppResult;
use crate::cache::chunks::ById;

/// One member's lasting facts, compact: the coded fields as numbers of `FactTable::words`.
#[derive(Debug, Clone, Copy)]
struct Lasting {
    sex: Sex,
    birth: NaiveDate,
    admitted: Option<NaiveDate>,
    codes: [u32; 6],
}

/// The lasting facts of the register, by member id (a copy shares every chunk of members but
/// those changed since).
#[derive(Clone, Default)]
pub(crate) struct FactTable {
    rows: ById<Lasting>,
    /// The distinct values of the coded fields (codes, or text kept from before the lists).
    words: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
    /// The timelines of members ever readmitted: their seniority leaves out the time out of
    /// the Party (R9).
    readmitted: HashMap<MemberId, Vec<Event>>,
}

impl FactTable {
    /// Reads the whole register's.
    pub(crate) async fn read(conn: &mut Conn) -> AppResult<FactTable> {
        let mut t = FactTable::default();
        t.word("");
        let mut again = Vec::new();
        lasting_facts(conn, None, |f| {
            if f.readmitted {
                again.push(f.member);
            }
            t.put(f);
        })
        .await?;
        t.read_timelines(conn, &again).await?;
        Ok(t)
    }

    /// Reads these members' again (their records or timelines changed).
    pub(crate) async fn reread(&mut self, conn: &mut Conn, members: &[MemberId]) -> AppResult<()> {
        for m in members {
            self.rows.set(*m, None);
            self.readmitted.remove(m);
        }
        let mut again = Vec::new();
        lasting_facts(conn, Some(members), |f| {
            if f.readmitted {
                again.push(f.member);
            }
            self.put(f);
        })
        .await?;
        self.read_timelines(conn, &again).await
    }

    async fn read_timelines(&mut self, conn: &mut Conn, members: &[MemberId]) -> AppResult<()> {
        for (m, ev) in roster::events_of_many(conn, members).await? {
            self.readmitted
                .insert(m, ev.into_iter().map(|e| e.event).collect());
        }
        Ok(())
    }

    fn word(&mut self, s: &str) -> u32 {
        if let Some(i) = self.index.get(s) {
            return *i;
        }
        let i = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        let w: Arc<str> = Arc::from(s);
        self.words.push(w.clone());
        self.index.insert(w, i);
        i
    }

    fn put(&mut self, f: LastingFacts) {
        let codes = f.codes.map(|c| c.as_deref().map_or(0, |s| self.word(s)));
        self.rows.set(
            f.member,
            Some(Lasting {
                sex: Sex::from_code(&f.sex).unwrap_or(Sex::Male),
                birth: f.birth_date,
                admitted: f.admitted_on,
                codes,
            }),
        );
    }

    /// A member's facts on a day, with her status on the rolls that day; `None` when the
    /// table does not know her.
    pub(crate) fn facts(
        &self,
        member: MemberId,
        status: Status,
        official: bool,
        on: NaiveDate,
    ) -> Option<Facts> {
        let l = *self.rows.get(member)?;
        let w = |k: usize| {
            l.codes
                .get(k)
                .and_then(|c| self.words.get(*c as usize))
                .map_or_else(String::new, |s| s.to_string())
        };
        let seniority = match self.readmitted.get(&member) {
            Some(events) => seniority_months(events, on),
            None => l.admitted.map_or(0, |a| months_between(a, on)).max(0),
        };
        Some(Facts {
            sex: l.sex,
            age: months_between(l.birth, on).max(0).div_euclid(12),
            ethnicity: w(0),
            religion: w(1),
            education: w(2),
            political_theory: w(3),
            professional: w(4),
            occupation: w(5),
            seniority_months: seniority,
            status,
            official,
        })
    }
}
