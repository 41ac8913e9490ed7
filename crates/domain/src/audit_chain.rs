//! The audit chain: each audit entry holds the hash of the one before it, so a row changed or
//! removed behind the application's back breaks the chain at that row (R15).

use sha2::{Digest, Sha256};

/// The fields of an entry that the hash covers, in a fixed order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub actor_id: Option<i64>,
    pub address: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub org_id: Option<i64>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub decision_ref: Option<&'a str>,
}

/// The hash of an entry: SHA-256 over the previous hash and every field, each field length
/// prefixed (so no two different entries serialise alike), as lower-case hex.
pub fn entry_hash(prev_hash: &str, f: &ChainFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |tag: u8, bytes: Option<&[u8]>| {
        h.update([tag]);
        match bytes {
            None => h.update([0u8]),
            Some(b) => {
                h.update([1u8]);
                h.update((b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    };
    put(b'p', Some(prev_hash.as_bytes()));
    put(b's', Some(&f.seq.to_le_bytes()));
    put(b't', Some(f.at.as_bytes()));
    put(b'a', Some(f.actor.as_bytes()));
    let actor_id = f.actor_id.map(i64::to_le_bytes);
    put(b'u', actor_id.as_ref().map(|b| &b[..]));
    put(b'w', f.address.map(str::as_bytes));
    put(b'x', Some(f.action.as_bytes()));
    put(b'e', Some(f.entity.as_bytes()));
    let entity_id = f.entity_id.map(i64::to_le_bytes);
    put(b'i', entity_id.as_ref().map(|b| &b[..]));
    let org_id = f.org_id.map(i64::to_le_bytes);
    put(b'o', org_id.as_ref().map(|b| &b[..]));
    put(b'0', f.old_value.map(str::as_bytes));
    put(b'1', f.new_value.map(str::as_bytes));
    put(b'r', f.reason.map(str::as_bytes));
    put(b'd', f.decision_ref.map(str::as_bytes));
    hex(&h.finalize())
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// SHA-256 of a text, as hex (session tokens are stored this way, never in clear).
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Entry `seq` does not hash to what it holds: a field was changed.
    Altered { seq: i64, id: i64 },
    /// Entry `seq` does not point to the previous entry's hash.
    Unlinked { seq: i64, id: i64 },
    /// Entries are missing before `seq` (expected `expected`).
    Missing { expected: i64, found: i64 },
    /// The chain ends before the head says it does: the last entries were removed.
    Truncated { head_seq: i64, last_seq: i64 },
    /// The head's hash differs from the last entry's.
    HeadMismatch { seq: i64 },
}

/// One stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub id: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// Walks a chain in sequence order, one entry at a time.
#[derive(Debug, Default)]
pub struct Verifier {
    expected_seq: i64,
    last_hash: String,
    pub checked: i64,
}

impl Verifier {
    pub fn new() -> Verifier {
        Verifier {
            expected_seq: 1,
            last_hash: String::new(),
            checked: 0,
        }
    }

    /// Checks the next entry.
    pub fn next(&mut self, e: &StoredEntry, f: &ChainFields<'_>) -> Result<(), ChainBreak> {
        if f.seq != self.expected_seq {
            return Err(ChainBreak::Missing {
                expected: self.expected_seq,
                found: f.seq,
            });
        }
        if e.prev_hash != self.last_hash {
            return Err(ChainBreak::Unlinked {
                seq: f.seq,
                id: e.id,
            });
        }
        if entry_hash(&e.prev_hash, f) != e.hash {
            return Err(ChainBreak::Altered {
                seq: f.seq,
                id: e.id,
            });
        }
        self.expected_seq += 1;
        self.last_hash = e.hash.clone();
        self.checked += 1;
        Ok(())
    }

    /// Checks the end of the chain against the head (the last sequence number and hash).
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        let last_seq = self.expected_seq - 1;
        if head_seq != last_seq {
            return Err(ChainBreak::Truncated { head_seq, last_seq });
        }
        if head_hash != self.last_hash {
            return Err(ChainBreak::HeadMismatch { seq: last_seq });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(seq: i64, actor: &str) -> ChainFields<'_> {
        ChainFields {
            seq,
            at: "2026-06-15T03:00:00+00:00",
            actor,
            action: "member.create",
            entity: "member",
            entity_id: Some(seq),
            ..Default::default()
        }
    }

    fn chain(actors: &[String]) -> Vec<(StoredEntry, i64)> {
        let mut prev = String::new();
        let mut out = Vec::new();
        for (i, a) in actors.iter().enumerate() {
            let seq = i as i64 + 1;
            let hash = entry_hash(&prev, &fields(seq, a));
            out.push((
                StoredEntry {
                    id: seq * 10,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                },
                seq,
            ));
            prev = hash;
        }
        out
    }

    #[test]
    fn none_and_empty_hash_differently() {
        let a = ChainFields {
            reason: None,
            ..fields(1, "x")
        };
        let b = ChainFields {
            reason: Some(""),
            ..fields(1, "x")
        };
        assert_ne!(entry_hash("", &a), entry_hash("", &b));
    }

    proptest! {
        /// An intact chain verifies; changing any one entry's field, or removing any one
        /// entry, is detected at that entry.
        #[test]
        fn any_change_or_removal_is_found(
            actors in proptest::collection::vec("[a-z]{1,6}", 1..20),
            pick in any::<proptest::sample::Index>(),
            remove in any::<bool>(),
        ) {
            let c = chain(&actors);
            let mut v = Verifier::new();
            for (e, seq) in &c {
                v.next(e, &fields(*seq, &actors[*seq as usize - 1])).unwrap();
            }
            let head = &c.last().unwrap().0.hash;
            prop_assert!(v.finish(actors.len() as i64, head).is_ok());

            let k = pick.index(actors.len());
            let mut v = Verifier::new();
            let mut broke = None;
            for (e, seq) in &c {
                if remove && *seq as usize - 1 == k {
                    continue;
                }
                let mut actor = actors[*seq as usize - 1].clone();
                if !remove && *seq as usize - 1 == k {
                    actor.push('!');
                }
                if let Err(b) = v.next(e, &fields(*seq, &actor)) {
                    broke = Some(b);
                    break;
                }
            }
            let broke = match broke {
                Some(b) => b,
                None => v.finish(actors.len() as i64, head).unwrap_err(),
            };
            let expected_seq = k as i64 + 1;
            match broke {
                ChainBreak::Altered { seq, .. } => prop_assert!(!remove && seq == expected_seq),
                ChainBreak::Missing { expected, .. } => prop_assert!(remove && expected == expected_seq),
                ChainBreak::Truncated { last_seq, .. } => prop_assert!(remove && last_seq + 1 == expected_seq),
                other => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }
}
