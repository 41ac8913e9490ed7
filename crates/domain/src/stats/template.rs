//! Statistical report tables kept as data: a table's rows and columns are definitions over the
//! register (filters on a member's facts, or the measures of a period's movements), so that a
//! year's official form is added as a JSON file, without code.

use serde::{Deserialize, Serialize};

use super::{Facts, Movements, Value};

/// A table of a statistical report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// A stable id (`bieu-1-co-cau`).
    pub id: String,
    pub title: String,
    /// The official form it follows, and how closely.
    pub form: String,
    /// `structure` (members on a day) or `movements` (a period).
    pub kind: TableKind,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Structure,
    Movements,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub label: String,
    /// Members counted in this column (all when absent).
    #[serde(default)]
    pub filter: Option<Filter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub label: String,
    /// Structure tables: members counted in this row (all when absent).
    #[serde(default)]
    pub filter: Option<Filter>,
    /// Movement tables: the measure of the row (`opening`, `closing`, `in`, `out`,
    /// `in:admitted`, `out:died`, `made_official`, `exempted`, `disciplined`,
    /// `temporary_out`, `temporary_back`).
    #[serde(default)]
    pub measure: Option<String>,
}

/// A condition on a member's facts (`sex`, `age`, `ethnicity`, `religion`, `education`,
/// `political_theory`, `professional`, `occupation`, `seniority_years`, `official`,
/// `exempt`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Filter {
    All { all: Vec<Filter> },
    Any { any: Vec<Filter> },
    Not { not: Box<Filter> },
    Field(FieldTest),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTest {
    pub field: String,
    #[serde(default)]
    pub eq: Option<String>,
    #[serde(default)]
    pub ne: Option<String>,
    #[serde(default, rename = "in")]
    pub one_of: Option<Vec<String>>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// True: the field is not recorded; false: it is.
    #[serde(default)]
    pub empty: Option<bool>,
}

/// The fields a filter may name besides the record's own (`RECORD_FACTS`).
const DERIVED_FIELDS: [&str; 5] = ["sex", "age", "seniority_years", "official", "exempt"];

fn is_field(name: &str) -> bool {
    DERIVED_FIELDS.contains(&name) || super::RECORD_FACTS.contains(&name)
}

const MEASURES: [&str; 11] = [
    "opening",
    "closing",
    "in",
    "out",
    "made_official",
    "exempted",
    "disciplined",
    "temporary_out",
    "temporary_back",
    "in:",
    "out:",
];

impl Filter {
    pub fn matches(&self, f: &Facts) -> bool {
        match self {
            Filter::All { all } => all.iter().all(|x| x.matches(f)),
            Filter::Any { any } => any.iter().any(|x| x.matches(f)),
            Filter::Not { not } => !not.matches(f),
            Filter::Field(t) => t.matches(f),
        }
    }

    fn check(&self) -> Result<(), String> {
        match self {
            Filter::All { all: v } | Filter::Any { any: v } => v.iter().try_for_each(Filter::check),
            Filter::Not { not } => not.check(),
            Filter::Field(t) if is_field(&t.field) => Ok(()),
            Filter::Field(t) => Err(format!("unknown field {}", t.field)),
        }
    }
}

impl FieldTest {
    fn matches(&self, f: &Facts) -> bool {
        let (text, num) = match f.value(&self.field) {
            Value::Text(s) => (std::borrow::Cow::Borrowed(s), None),
            Value::Number(n) => (std::borrow::Cow::Owned(n.to_string()), Some(n)),
        };
        let text = text.as_ref();
        self.eq.as_deref().is_none_or(|e| e == text)
            && self.ne.as_deref().is_none_or(|e| e != text)
            && self
                .one_of
                .as_ref()
                .is_none_or(|l| l.iter().any(|x| x == text))
            && self.min.is_none_or(|m| num.is_some_and(|n| n >= m))
            && self.max.is_none_or(|m| num.is_some_and(|n| n <= m))
            && self.empty.is_none_or(|e| e == text.is_empty())
    }
}

impl Table {
    /// Reads a table from its JSON, checking its fields and measures.
    pub fn from_json(s: &str) -> Result<Table, String> {
        let t: Table = serde_json::from_str(s).map_err(|e| e.to_string())?;
        for r in &t.rows {
            if let Some(f) = &r.filter {
                f.check()?;
            }
            if let Some(m) = &r.measure
                && !MEASURES
                    .iter()
                    .any(|k| m == k || (k.ends_with(':') && m.starts_with(k)))
            {
                return Err(format!("unknown measure {m}"));
            }
        }
        for c in &t.columns {
            if let Some(f) = &c.filter {
                f.check()?;
            }
        }
        Ok(t)
    }

    /// The cells of a structure table over a roll: rows × columns counts.
    pub fn count(&self, facts: &[Facts]) -> Vec<Vec<u32>> {
        self.rows
            .iter()
            .map(|r| {
                let in_row: Vec<&Facts> = facts
                    .iter()
                    .filter(|f| r.filter.as_ref().is_none_or(|x| x.matches(f)))
                    .collect();
                self.columns
                    .iter()
                    .map(|c| {
                        in_row
                            .iter()
                            .filter(|f| c.filter.as_ref().is_none_or(|x| x.matches(f)))
                            .count() as u32
                    })
                    .collect()
            })
            .collect()
    }

    /// The cells of a movements table: each row's measure (one column).
    pub fn measure(&self, m: &Movements) -> Vec<Vec<u32>> {
        self.rows
            .iter()
            .map(|r| {
                let v = match r.measure.as_deref().unwrap_or_default() {
                    "opening" => m.opening,
                    "closing" => m.closing,
                    "in" => m.total_in(),
                    "out" => m.total_out(),
                    "made_official" => m.made_official,
                    "exempted" => m.exempted,
                    "disciplined" => m.disciplined,
                    "temporary_out" => m.temporary_out,
                    "temporary_back" => m.temporary_back,
                    other => {
                        let (list, key) = match other.split_once(':') {
                            Some(("in", k)) => (&m.ins, k),
                            Some(("out", k)) => (&m.outs, k),
                            _ => (&m.ins, ""),
                        };
                        list.iter()
                            .filter(|(mv, _)| {
                                serde_json::to_value(mv)
                                    .ok()
                                    .and_then(|v| v.as_str().map(str::to_owned))
                                    .as_deref()
                                    == Some(key)
                            })
                            .map(|(_, n)| *n)
                            .sum()
                    }
                };
                vec![v]
            })
            .collect()
    }
}
