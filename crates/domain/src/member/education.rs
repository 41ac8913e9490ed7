//! Giáo dục, giúp đỡ đảng viên (R11): a cell puts a member who falls short under education and
//! help; after 12 months without progress the cell considers removing her from the rolls. The
//! system flags it, never acts.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// R11: the months of education after which a member without progress is flagged.
pub const EDUCATION_MONTHS: u32 = 12;

/// How a period of education ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationOutcome {
    /// Tiến bộ: she improved; the case is closed.
    Progressed,
    /// Không tiến bộ: the cell found no improvement.
    NoProgress,
}

impl EducationOutcome {
    pub fn code(self) -> &'static str {
        match self {
            EducationOutcome::Progressed => "progressed",
            EducationOutcome::NoProgress => "no_progress",
        }
    }
    pub fn from_code(s: &str) -> Option<EducationOutcome> {
        [EducationOutcome::Progressed, EducationOutcome::NoProgress]
            .into_iter()
            .find(|o| o.code() == s)
    }
}

/// One period of education of a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Education {
    pub started_on: NaiveDate,
    /// The cell's conclusion, and its day.
    pub ended: Option<(NaiveDate, EducationOutcome)>,
}

impl Education {
    /// R11 on `on`: 12 months of education passed without progress — still open after 12
    /// months, or concluded without progress after 12 months. Answers the day the 12 months
    /// ended.
    pub fn without_progress(&self, on: NaiveDate) -> Option<NaiveDate> {
        let due = self
            .started_on
            .checked_add_months(Months::new(EDUCATION_MONTHS))?;
        let progressed =
            matches!(self.ended, Some((day, EducationOutcome::Progressed)) if day <= on);
        (on >= due && !progressed).then_some(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::date::d;

    #[test]
    fn twelve_months_without_progress_are_flagged_and_progress_clears_it() {
        let open = Education {
            started_on: d(2025, 5, 1),
            ended: None,
        };
        assert_eq!(open.without_progress(d(2026, 4, 30)), None);
        assert_eq!(open.without_progress(d(2026, 5, 1)), Some(d(2026, 5, 1)));
        let better = Education {
            ended: Some((d(2026, 3, 1), EducationOutcome::Progressed)),
            ..open
        };
        assert_eq!(better.without_progress(d(2026, 6, 15)), None);
        let worse = Education {
            ended: Some((d(2026, 5, 10), EducationOutcome::NoProgress)),
            ..open
        };
        assert_eq!(worse.without_progress(d(2026, 5, 9)), Some(d(2026, 5, 1)));
        assert_eq!(worse.without_progress(d(2026, 6, 15)), Some(d(2026, 5, 1)));
    }

    proptest! {
        /// Never flagged before 12 months have passed, whatever the conclusion.
        #[test]
        fn nothing_is_flagged_within_twelve_months(
            start in 0u64..15_000, at in 0u64..365, end in proptest::option::of((0u64..800, any::<bool>())),
        ) {
            let started_on = d(1990, 1, 1) + chrono::Days::new(start);
            let ended = end.map(|(e, p)| (
                started_on + chrono::Days::new(e),
                if p { EducationOutcome::Progressed } else { EducationOutcome::NoProgress },
            ));
            let c = Education { started_on, ended };
            let on = started_on + chrono::Days::new(at);
            if on < started_on.checked_add_months(Months::new(12)).unwrap_or(on) {
                prop_assert_eq!(c.without_progress(on), None);
            }
        }
    }
}
