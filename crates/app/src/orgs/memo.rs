//! Organisation histories read once and kept for the length of one operation, so that the
//! organisations of many rows (an import) are looked up in memory, not one query each.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_store::Conn;
use dangvu_store::orgs::{self as ostore, OrgPeriod};

use crate::AppResult;

/// The periods of the organisations asked about so far, each read at its first question.
#[derive(Default)]
pub(crate) struct OrgMemo {
    histories: HashMap<OrgId, Vec<OrgPeriod>>,
}

impl OrgMemo {
    /// An organisation's period on a date (as `orgs::period_on` gives it).
    pub(crate) async fn period_on(
        &mut self,
        conn: &mut Conn,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<Option<&OrgPeriod>> {
        let h = match self.histories.entry(org) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(ostore::history(conn, org).await?)
            }
        };
        Ok(h.iter()
            .find(|p| p.valid_from <= on && p.valid_to.is_none_or(|t| t > on)))
    }

    /// An organisation and its ancestors on a date, nearest first, with the grassroots
    /// organisation among them (itself when it is one).
    pub(crate) async fn ancestry(
        &mut self,
        conn: &mut Conn,
        org: OrgId,
        on: NaiveDate,
    ) -> AppResult<(Vec<OrgId>, Option<OrgId>)> {
        let mut chain = Vec::new();
        let mut grassroots = None;
        let mut cur = Some(org);
        while let Some(o) = cur {
            if chain.len() >= 32 {
                break;
            }
            match self.period_on(conn, o, on).await? {
                Some(p) => {
                    if p.kind.is_grassroots() && grassroots.is_none() {
                        grassroots = Some(o);
                    }
                    chain.push(o);
                    cur = p.parent;
                }
                None => break,
            }
        }
        Ok((chain, grassroots))
    }
}
