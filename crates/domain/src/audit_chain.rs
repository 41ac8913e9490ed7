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

/// Feeds the previous hash and every field of an entry to a digest, each field tagged and
/// length prefixed (so no two different entries serialise alike).
fn feed(h: &mut Sha256, prev_hash: &str, f: &ChainFields<'_>) {
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
}

/// The unkeyed hash of an entry: SHA-256 over the previous hash and every field, as
/// lower-case hex. Entries written before the chain had a key keep it; anyone can recompute
/// it, so it proves nothing against whoever holds the database.
pub fn entry_hash(prev_hash: &str, f: &ChainFields<'_>) -> String {
    let mut h = Sha256::new();
    feed(&mut h, prev_hash, f);
    hex(&h.finalize())
}

/// The key of the audit chain: 32 random bytes kept outside the database (a file readable by
/// the server's account only), so that whoever can write the database cannot recompute the
/// chain after changing it.
#[derive(Clone, PartialEq, Eq)]
pub struct ChainKey([u8; 32]);

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(…)")
    }
}

impl ChainKey {
    pub fn from_bytes(bytes: [u8; 32]) -> ChainKey {
        ChainKey(bytes)
    }

    /// The key as written in its file: 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// Reads a key file's text (64 hex digits, surrounding space ignored).
    pub fn parse_hex(s: &str) -> Option<ChainKey> {
        let s = s.trim();
        if s.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(ChainKey(out))
    }

    /// HMAC-SHA-256 (RFC 2104) of a message given to `write`, as lower-case hex.
    fn hmac(&self, write: impl FnOnce(&mut Sha256)) -> String {
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&self.0);
        let mut inner = Sha256::new();
        inner.update(block.map(|b| b ^ 0x36));
        write(&mut inner);
        let mut outer = Sha256::new();
        outer.update(block.map(|b| b ^ 0x5c));
        outer.update(inner.finalize());
        hex(&outer.finalize())
    }

    /// The keyed seal of an entry: HMAC-SHA-256 over what [`entry_hash`] covers.
    pub fn entry_mac(&self, prev_hash: &str, f: &ChainFields<'_>) -> String {
        self.hmac(|h| feed(h, prev_hash, f))
    }

    /// The signature of a checkpoint: the head's sequence number and seal, under the key.
    pub fn checkpoint_mac(&self, seq: i64, hash: &str) -> String {
        self.hmac(|h| {
            h.update(b"dangvu-audit-checkpoint\0");
            h.update(seq.to_le_bytes());
            h.update(hash.as_bytes());
        })
    }
}

/// How an entry is sealed: keyed from sequence number `keyed_from` on, unkeyed before it
/// (entries written before the installation had a key). Both live in the key file, outside
/// the database, so that whoever writes the database cannot move where the keyed part begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealer {
    pub key: ChainKey,
    pub keyed_from: i64,
}

impl Sealer {
    /// The key file's text.
    pub fn to_file_text(&self) -> String {
        format!(
            "# Khóa niêm phong nhật ký Đảng vụ: giữ bí mật, chỉ tài khoản chạy máy chủ được đọc.\n{}\nkeyed-from {}\n",
            self.key.to_hex(),
            self.keyed_from
        )
    }

    /// Reads a key file's text: the key (64 hex digits) on a line of its own, and optionally
    /// `keyed-from N` (1 when absent); lines starting with `#` are comments.
    pub fn parse_file_text(text: &str) -> Option<Sealer> {
        let mut key = None;
        let mut keyed_from = 1;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(n) = line.strip_prefix("keyed-from ") {
                keyed_from = n.trim().parse().ok().filter(|n| *n >= 1)?;
            } else if key.is_none() {
                key = Some(ChainKey::parse_hex(line)?);
            } else {
                return None;
            }
        }
        Some(Sealer {
            key: key?,
            keyed_from,
        })
    }

    pub fn seal(&self, prev_hash: &str, f: &ChainFields<'_>) -> String {
        if f.seq >= self.keyed_from {
            self.key.entry_mac(prev_hash, f)
        } else {
            entry_hash(prev_hash, f)
        }
    }
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

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Altered { seq, id } => write!(
                f,
                "entry #{seq} (row id {id}) was changed after it was written, or was never sealed by the application"
            ),
            ChainBreak::Unlinked { seq, id } => write!(
                f,
                "entry #{seq} (row id {id}) does not follow the entry before it: a row was changed or replaced"
            ),
            ChainBreak::Missing { expected, found } => write!(
                f,
                "entries #{expected} to #{} are missing (removed)",
                found - 1
            ),
            ChainBreak::Truncated { head_seq, last_seq } => write!(
                f,
                "the trail ends at #{last_seq} but {head_seq} entries were written: the last ones were removed"
            ),
            ChainBreak::HeadMismatch { seq } => {
                write!(f, "the last entry #{seq} differs from what was written")
            }
        }
    }
}

/// One stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub id: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// Walks a chain in sequence order, one entry at a time.
#[derive(Debug)]
pub struct Verifier {
    sealer: Sealer,
    expected_seq: i64,
    last_hash: String,
    pub checked: i64,
}

impl Verifier {
    pub fn new(sealer: Sealer) -> Verifier {
        Verifier {
            sealer,
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
        if self.sealer.seal(&e.prev_hash, f) != e.hash {
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

    /// The seal of the last entry checked (empty before the first).
    pub fn last_hash(&self) -> &str {
        &self.last_hash
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

    fn sealer(keyed_from: i64) -> Sealer {
        Sealer {
            key: ChainKey::from_bytes([7u8; 32]),
            keyed_from,
        }
    }

    fn chain(actors: &[String]) -> Vec<(StoredEntry, i64)> {
        let mut prev = String::new();
        let mut out = Vec::new();
        for (i, a) in actors.iter().enumerate() {
            let seq = i as i64 + 1;
            let hash = sealer(3).seal(&prev, &fields(seq, a));
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

    /// RFC 4231, test case 2: HMAC-SHA-256 with the key "Jefe" (zero-padded to 32 bytes gives
    /// the same result, as HMAC pads short keys with zeros).
    #[test]
    fn hmac_matches_the_rfc() {
        let mut k = [0u8; 32];
        k[..4].copy_from_slice(b"Jefe");
        let mac = ChainKey::from_bytes(k).hmac(|h| h.update(b"what do ya want for nothing?"));
        assert_eq!(
            mac,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_chain_recomputed_without_the_key_does_not_verify() {
        let actors: Vec<String> = ["an", "binh", "cuong", "dung"].map(String::from).to_vec();
        // Whoever holds only the database rewrites entry 4 and re-chains it with the public
        // hash: the keyed part of the chain no longer verifies.
        let mut c = chain(&actors);
        let forged = entry_hash(&c[2].0.hash, &fields(4, "mallory"));
        c[3].0.hash = forged;
        let mut v = Verifier::new(sealer(3));
        let mut broke = None;
        for (e, seq) in &c {
            let actor = if *seq == 4 {
                "mallory"
            } else {
                &actors[*seq as usize - 1]
            };
            if let Err(b) = v.next(e, &fields(*seq, actor)) {
                broke = Some(b);
                break;
            }
        }
        assert!(
            matches!(broke, Some(ChainBreak::Altered { seq: 4, .. })),
            "{broke:?}"
        );
        // A different key does not verify the keyed part either.
        let c = chain(&actors);
        let mut other = Verifier::new(Sealer {
            key: ChainKey::from_bytes([8u8; 32]),
            keyed_from: 3,
        });
        for (e, seq) in c.iter().take(2) {
            other
                .next(e, &fields(*seq, &actors[*seq as usize - 1]))
                .unwrap();
        }
        assert!(other.next(&c[2].0, &fields(3, &actors[2])).is_err());
        assert_eq!(
            ChainKey::parse_hex(&ChainKey::from_bytes([9u8; 32]).to_hex()),
            Some(ChainKey::from_bytes([9u8; 32]))
        );
        assert_eq!(ChainKey::parse_hex("abc"), None);
        let s = sealer(42);
        assert_eq!(Sealer::parse_file_text(&s.to_file_text()), Some(s));
        assert_eq!(
            Sealer::parse_file_text(&"ab".repeat(32)).map(|s| s.keyed_from),
            Some(1)
        );
        assert_eq!(Sealer::parse_file_text("keyed-from 3"), None);
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
            let mut v = Verifier::new(sealer(3));
            for (e, seq) in &c {
                v.next(e, &fields(*seq, &actors[*seq as usize - 1])).unwrap();
            }
            let head = &c.last().unwrap().0.hash;
            prop_assert!(v.finish(actors.len() as i64, head).is_ok());

            let k = pick.index(actors.len());
            let mut v = Verifier::new(sealer(3));
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
