//! Hội thi Bí thư chi bộ giỏi (R36): the skills contest of cell secretaries: a question bank,
//! rounds with their questions and participants, scores entered or computed from answers, and
//! the ranking.

use crate::error::FieldError;

/// The fewest and the most options a question has.
pub const OPTIONS: std::ops::RangeInclusive<usize> = 2..=6;
/// The longest question, option, topic or source.
pub const TEXT_MAX: usize = 2000;
/// The most questions of a round.
pub const ROUND_QUESTIONS_MAX: usize = 200;
/// The highest score, in tenths (100 points).
pub const SCORE_MAX_TENTHS: u32 = 1000;

/// R36: checks a question's options and its answer (the index of the right option): 2 to 6
/// options, none empty or repeated, the answer one of them.
pub fn check_question(options: &[String], answer: usize) -> Result<(), FieldError> {
    if !OPTIONS.contains(&options.len()) {
        return Err(FieldError::new("options", "options_count"));
    }
    if options.iter().any(|o| o.trim().is_empty()) {
        return Err(FieldError::new("options", "required"));
    }
    if options.iter().any(|o| o.chars().count() > TEXT_MAX) {
        return Err(FieldError::new("options", "too_long"));
    }
    let folded: Vec<String> = options.iter().map(|o| crate::text::fold(o)).collect();
    if (1..folded.len()).any(|i| folded[..i].contains(&folded[i])) {
        return Err(FieldError::new("options", "options_repeated"));
    }
    if answer >= options.len() {
        return Err(FieldError::new("answer", "answer_not_an_option"));
    }
    Ok(())
}

/// R36: the score of a participant's answers to a round's questions, in tenths of a point out
/// of 100: each right answer is worth the same; an answer missing or out of range is wrong.
pub fn score_from_answers(answers: &[Option<usize>], key: &[usize]) -> u32 {
    if key.is_empty() {
        return 0;
    }
    let right = key
        .iter()
        .enumerate()
        .filter(|(i, k)| answers.get(*i).copied().flatten() == Some(**k))
        .count();
    let tenths = (right as u64 * u64::from(SCORE_MAX_TENTHS) * 2 + key.len() as u64)
        / (key.len() as u64 * 2);
    u32::try_from(tenths).unwrap_or(SCORE_MAX_TENTHS)
}

/// R36: the competition rank of each score (1 for the best; equal scores share a rank and the
/// next rank skips: 1, 1, 3), in the order given.
pub fn ranks(scores: &[u32]) -> Vec<u32> {
    scores
        .iter()
        .map(|s| 1 + scores.iter().filter(|o| *o > s).count() as u32)
        .collect()
}

/// A score in tenths as Vietnamese writes it: "87,5".
pub fn score_text(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn opts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn questions_have_distinct_options_and_an_answer_among_them() {
        assert!(check_question(&opts(&["12 tháng", "18 tháng", "24 tháng"]), 0).is_ok());
        assert_eq!(
            check_question(&opts(&["Có"]), 0).unwrap_err().code,
            "options_count"
        );
        assert_eq!(
            check_question(&opts(&["Chi ủy", "chi uy"]), 0)
                .unwrap_err()
                .code,
            "options_repeated"
        );
        assert_eq!(
            check_question(&opts(&["A", "B"]), 2).unwrap_err().code,
            "answer_not_an_option"
        );
    }

    #[test]
    fn scores_and_ranks() {
        assert_eq!(
            score_from_answers(&[Some(1), Some(0), None], &[1, 0, 2]),
            667
        );
        assert_eq!(
            score_from_answers(&[Some(1), Some(0), Some(2)], &[1, 0, 2]),
            1000
        );
        assert_eq!(score_from_answers(&[], &[1, 0]), 0);
        assert_eq!(ranks(&[900, 950, 900, 700]), [2, 1, 2, 4]);
        assert_eq!(score_text(875), "87,5");
        assert_eq!(score_text(900), "90");
    }

    proptest! {
        /// A better score never ranks behind a worse one, equal scores share a rank, and a
        /// rank is one more than the number of strictly better scores.
        #[test]
        fn ranks_follow_scores(scores in proptest::collection::vec(0u32..=1000, 0..40)) {
            let r = ranks(&scores);
            for i in 0..scores.len() {
                for j in 0..scores.len() {
                    if scores[i] > scores[j] { prop_assert!(r[i] < r[j]); }
                    if scores[i] == scores[j] { prop_assert_eq!(r[i], r[j]); }
                }
            }
            if let Some(best) = scores.iter().max() {
                prop_assert!(scores.iter().zip(&r).all(|(s, k)| (s == best) == (*k == 1)));
            }
        }

        /// A score from answers is between 0 and 100 points and grows with right answers.
        #[test]
        fn scores_are_bounded(key in proptest::collection::vec(0usize..4, 1..50), flips in proptest::collection::vec(any::<bool>(), 50)) {
            let answers: Vec<Option<usize>> = key.iter().zip(&flips).map(|(k, f)| Some(if *f { *k } else { k + 1 })).collect();
            let s = score_from_answers(&answers, &key);
            prop_assert!(s <= SCORE_MAX_TENTHS);
            let all_right: Vec<Option<usize>> = key.iter().map(|k| Some(*k)).collect();
            prop_assert_eq!(score_from_answers(&all_right, &key), SCORE_MAX_TENTHS);
            prop_assert!(s <= score_from_answers(&all_right, &key));
        }
    }
}
