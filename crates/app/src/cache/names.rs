//! The words of every member's name (folded, as the search tokens in the database hold them),
//! kept beside the history in memory so that a search of any subtree on any date is answered
//! without the database: every word typed must begin a word of the name, as
//! `dangvu_store::members::list` asks.

use std::collections::HashMap;

use dangvu_domain::ids::MemberId;

/// Every member's words, numbered.
#[derive(Default)]
pub(crate) struct NameWords {
    /// Every distinct word, numbered by its place.
    words: Vec<Box<str>>,
    numbers: HashMap<Box<str>, u32>,
    /// A member's words: up to four numbers of 16 bits, each plus one (0: none).
    packed: HashMap<MemberId, u64>,
    /// The names of more words, or of words numbered past 16 bits.
    wide: HashMap<MemberId, Box<[u32]>>,
}

/// Which known words a typed word begins, one flag per known word.
pub(crate) struct Begun(Vec<Vec<bool>>);

impl NameWords {
    fn number(&mut self, w: &str) -> u32 {
        if let Some(n) = self.numbers.get(w) {
            return *n;
        }
        let n = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.words.push(w.into());
        self.numbers.insert(w.into(), n);
        n
    }

    /// Sets a member's words (her search tokens).
    pub(crate) fn set(&mut self, member: MemberId, tokens: &[String]) {
        let numbers: Vec<u32> = tokens.iter().map(|t| self.number(t)).collect();
        self.packed.remove(&member);
        self.wide.remove(&member);
        if numbers.len() <= 4 && numbers.iter().all(|n| *n < 0xFFFF) {
            let packed = numbers
                .iter()
                .enumerate()
                .fold(0u64, |p, (i, n)| p | (u64::from(n + 1) << (16 * i)));
            self.packed.insert(member, packed);
        } else {
            self.wide.insert(member, numbers.into_boxed_slice());
        }
    }

    /// The known words each typed word begins.
    pub(crate) fn begun(&self, typed: &[String]) -> Begun {
        Begun(
            typed
                .iter()
                .map(|t| {
                    self.words
                        .iter()
                        .map(|w| w.starts_with(t.as_str()))
                        .collect()
                })
                .collect(),
        )
    }

    /// Whether every typed word begins a word of the member's name; None when her name is not
    /// known here.
    pub(crate) fn matches(&self, member: MemberId, begun: &Begun) -> Option<bool> {
        let mut numbers = [0u32; 4];
        let mine: &[u32] = match self.packed.get(&member) {
            Some(p) => {
                let mut n = 0;
                for i in 0..4 {
                    let x = (p >> (16 * i)) & 0xFFFF;
                    if x != 0 {
                        numbers[n] = u32::try_from(x - 1).unwrap_or(u32::MAX);
                        n += 1;
                    }
                }
                &numbers[..n]
            }
            None => self.wide.get(&member)?,
        };
        Some(begun.0.iter().all(|flags| {
            mine.iter()
                .any(|n| flags.get(*n as usize).copied().unwrap_or(false))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn every_typed_word_begins_a_word_of_the_name() {
        let mut n = NameWords::default();
        n.set(MemberId(1), &words("an nguyen van"));
        n.set(MemberId(2), &words("anh ngoc thi ton nu tran"));
        n.set(MemberId(3), &words("binh le"));
        let hits = |n: &NameWords, q: &str| -> Vec<i64> {
            let b = n.begun(&words(q));
            (1..=4)
                .filter(|m| n.matches(MemberId(*m), &b) == Some(true))
                .collect()
        };
        assert_eq!(hits(&n, "an"), vec![1, 2]);
        assert_eq!(hits(&n, "nguyen an"), vec![1]);
        assert_eq!(hits(&n, "ton an"), vec![2], "a name of six words");
        assert_eq!(hits(&n, "b"), vec![3]);
        assert_eq!(hits(&n, "x"), Vec::<i64>::new());
        // Unknown members are not guessed at.
        assert_eq!(n.matches(MemberId(4), &n.begun(&words("an"))), None);
        // A renamed member matches her new words only.
        n.set(MemberId(3), &words("binh pham"));
        assert_eq!(hits(&n, "le"), Vec::<i64>::new());
        assert_eq!(hits(&n, "pham b"), vec![3]);
    }
}
