//! Values by organisation id in a vector (ids are small and dense: a national tree has a
//! quarter of a million organisations, looked up millions of times a request), with a map for
//! the ids a vector cannot hold.

use std::collections::HashMap;

use dangvu_domain::ids::OrgId;

/// The largest id held in the vector; larger (or negative) ids go to the map.
const MAX_DENSE: i64 = 50_000_000;

#[derive(Debug, Clone)]
pub(crate) struct OrgMap<T> {
    dense: Vec<T>,
    others: HashMap<OrgId, T>,
    empty: T,
}

impl<T: Clone + Default + PartialEq> OrgMap<T> {
    /// A map for ids up to `max` in its vector.
    pub(crate) fn up_to(max: OrgId) -> OrgMap<T> {
        let len = usize::try_from(max.0.clamp(-1, MAX_DENSE) + 1).unwrap_or(0);
        OrgMap {
            dense: vec![T::default(); len],
            others: HashMap::new(),
            empty: T::default(),
        }
    }

    /// A map sized for these ids.
    pub(crate) fn for_ids(ids: impl Iterator<Item = OrgId>) -> OrgMap<T> {
        OrgMap::up_to(ids.max().unwrap_or(OrgId(-1)))
    }

    fn index(&self, o: OrgId) -> Option<usize> {
        usize::try_from(o.0).ok().filter(|i| *i < self.dense.len())
    }

    /// The value of an organisation (the default when none was set).
    pub(crate) fn get(&self, o: OrgId) -> &T {
        match self.index(o) {
            Some(i) => &self.dense[i],
            None => self.others.get(&o).unwrap_or(&self.empty),
        }
    }

    /// The value of an organisation, to change.
    pub(crate) fn slot(&mut self, o: OrgId) -> &mut T {
        match self.index(o) {
            Some(i) => &mut self.dense[i],
            None => self.others.entry(o).or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_beyond_the_vector_are_kept_in_the_map() {
        let mut m: OrgMap<u32> = OrgMap::up_to(OrgId(10));
        *m.slot(OrgId(3)) += 1;
        *m.slot(OrgId(3)) += 1;
        *m.slot(OrgId(-4)) = 7;
        *m.slot(OrgId(1 << 40)) = 9;
        *m.slot(OrgId(11)) = 5;
        assert_eq!(
            (
                *m.get(OrgId(3)),
                *m.get(OrgId(-4)),
                *m.get(OrgId(1 << 40)),
                *m.get(OrgId(11)),
                *m.get(OrgId(4)),
                *m.get(OrgId(12))
            ),
            (2, 7, 9, 5, 0, 0)
        );
        assert_eq!(OrgMap::<u8>::for_ids(std::iter::empty()).dense.len(), 0);
    }
}
