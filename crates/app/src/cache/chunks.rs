//! Rows kept by member id in chunks that copies share: a copy taken after a change of a few
//! members copies the chunks that hold them (a few thousand rows each), never the register.

use std::sync::Arc;

use dangvu_domain::ids::{MemberId, OrgId};

/// Member ids per chunk (as a power of two).
const BITS: u32 = 12;

/// The chunk of a member id, `None` for an id no chunk can hold.
fn chunk_of(m: MemberId) -> Option<usize> {
    usize::try_from(m.0).ok().map(|i| i >> BITS)
}

/// Organisation ids per block of `ByOrg` (as a power of two).
const ORG_BITS: u32 = 8;

/// The block of an organisation id (any id maps to some block; the blocks stay few).
fn block_of(o: OrgId) -> usize {
    usize::try_from(o.0).map_or(0, |i| (i >> ORG_BITS).min(1 << 16))
}

/// Rows by organisation, in blocks of organisation ids, each block sorted by organisation:
/// reading every row is one pass over a few large vectors, an organisation's rows are a slice,
/// and a copy after a change copies only the blocks changed.
#[derive(Clone)]
pub(crate) struct ByOrg<T> {
    blocks: Vec<Arc<Vec<T>>>,
}

impl<T> Default for ByOrg<T> {
    fn default() -> Self {
        ByOrg { blocks: Vec::new() }
    }
}

impl<T: Clone> ByOrg<T> {
    /// Adds a row at the end of its block, out of order until `sorted`.
    pub(crate) fn push(&mut self, row: T, org_of: impl Fn(&T) -> OrgId) {
        let b = block_of(org_of(&row));
        if self.blocks.len() <= b {
            self.blocks.resize_with(b + 1, Default::default);
        }
        Arc::make_mut(&mut self.blocks[b]).push(row);
    }

    /// Puts every block in order after `push`es (`org_of` tells a row's organisation).
    pub(crate) fn sorted(mut self, org_of: impl Fn(&T) -> OrgId) -> ByOrg<T> {
        for b in &mut self.blocks {
            let v = Arc::make_mut(b);
            v.sort_by_key(&org_of);
            v.shrink_to_fit();
        }
        self
    }

    /// An organisation's rows.
    pub(crate) fn get(&self, o: OrgId, org_of: impl Fn(&T) -> OrgId) -> &[T] {
        let Some(b) = self.blocks.get(block_of(o)) else {
            return &[];
        };
        let from = b.partition_point(|r| org_of(r) < o);
        let to = b.partition_point(|r| org_of(r) <= o);
        &b[from..to]
    }

    /// Every row, organisation by organisation.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[T]> {
        self.blocks.iter().map(|b| b.as_slice())
    }

    /// Removes the rows `gone` picks (the blocks that hold none stay shared).
    pub(crate) fn remove(&mut self, gone: impl Fn(&T) -> bool) {
        for b in &mut self.blocks {
            if b.iter().any(&gone) {
                Arc::make_mut(b).retain(|r| !gone(r));
            }
        }
    }

    /// Adds a row in its place.
    pub(crate) fn insert(&mut self, row: T, org_of: impl Fn(&T) -> OrgId) {
        let o = org_of(&row);
        let b = block_of(o);
        if self.blocks.len() <= b {
            self.blocks.resize_with(b + 1, Default::default);
        }
        let v = Arc::make_mut(&mut self.blocks[b]);
        let at = v.partition_point(|r| org_of(r) <= o);
        v.insert(at, row);
    }
}

/// At most one row per member, by id.
#[derive(Clone)]
pub(crate) struct ById<T> {
    chunks: Vec<Arc<Vec<Option<T>>>>,
}

impl<T> Default for ById<T> {
    fn default() -> Self {
        ById { chunks: Vec::new() }
    }
}

impl<T: Clone> ById<T> {
    /// A member's row.
    pub(crate) fn get(&self, member: MemberId) -> Option<&T> {
        let i = usize::try_from(member.0).ok()?;
        self.chunks
            .get(i >> BITS)?
            .get(i & ((1 << BITS) - 1))?
            .as_ref()
    }

    /// Sets (or, with `None`, clears) a member's row; copies her chunk when another snapshot
    /// shares it.
    pub(crate) fn set(&mut self, member: MemberId, row: Option<T>) {
        let Some(c) = chunk_of(member) else {
            return;
        };
        if self.chunks.len() <= c {
            if row.is_none() {
                return;
            }
            self.chunks
                .resize_with(c + 1, || Arc::new(vec![None; 1 << BITS]));
        }
        let slot = usize::try_from(member.0).unwrap_or(0) & ((1 << BITS) - 1);
        if let Some(chunk) = self.chunks.get_mut(c)
            && let Some(s) = Arc::make_mut(chunk).get_mut(slot)
        {
            *s = row;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_shares_every_block_and_chunk_that_a_change_did_not_touch() {
        let org = |r: &(OrgId, u32)| r.0;
        let rows = (0..2_000).map(|i| (OrgId((i * 7919) % 1_000), i as u32));
        let mut by_org = ByOrg::default();
        for r in rows.chain([(OrgId(-3), 1), (OrgId(1 << 40), 2)]) {
            by_org.push(r, org);
        }
        let by_org = by_org.sorted(org);
        assert_eq!(by_org.get(OrgId(5), org).len(), 2);
        assert!(by_org.get(OrgId(5), org).iter().all(|r| r.0 == OrgId(5)));
        assert_eq!(by_org.get(OrgId(-3), org), &[(OrgId(-3), 1)]);
        assert_eq!(by_org.get(OrgId(1 << 40), org), &[(OrgId(1 << 40), 2)]);
        assert_eq!(by_org.get(OrgId(1_000), org).len(), 0);
        let mut changed = by_org.clone();
        changed.remove(|r| r.1 == 3);
        changed.insert((OrgId(300), 9), org);
        assert_eq!(changed.iter().map(<[_]>::len).sum::<usize>(), 2_002);
        assert_eq!(
            changed
                .get(OrgId(300), org)
                .iter()
                .filter(|r| r.1 == 9)
                .count(),
            1
        );
        let shared = by_org
            .blocks
            .iter()
            .zip(&changed.blocks)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        // Row 3 is of organisation 7919 * 3 % 1000 = 757 (block 2); 300 is in block 1.
        assert_eq!(
            (by_org.blocks.len(), shared),
            (by_org.blocks.len(), by_org.blocks.len() - 2)
        );

        let mut ids: ById<u32> = ById::default();
        ids.set(MemberId(70_000), Some(7));
        ids.set(MemberId(3), Some(3));
        let kept = ids.clone();
        ids.set(MemberId(3), None);
        assert_eq!(
            (ids.get(MemberId(3)), kept.get(MemberId(3))),
            (None, Some(&3))
        );
        assert_eq!(ids.get(MemberId(70_000)), Some(&7));
        assert_eq!(ids.get(MemberId(-1)), None);
        assert_eq!(ids.get(MemberId(1 << 40)), None);
        assert!(Arc::ptr_eq(&ids.chunks[17], &kept.chunks[17]));
    }
}
