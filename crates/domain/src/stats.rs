//! Membership statistics (R5, R9): the members of a subtree on a day counted by sex, age band,
//! ethnicity, religion, education, political theory, professional level, occupation,
//! seniority band, probationary or official, exempt; and the movements of a period, whose
//! counts reconcile (opening + in − out = closing).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::codes::CodedField;
use crate::member::{Sex, Status};

mod movements;
pub mod template;
pub use movements::*;

/// The fields of a member's record that `Facts` carries as they are, in its order (beside sex
/// and the dates its age and seniority come from).
pub const RECORD_FACTS: [&str; 6] = [
    "ethnicity",
    "religion",
    "education",
    "political_theory",
    "professional",
    "occupation",
];

/// What a statistic knows of one member on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub sex: Sex,
    /// Whole years on the day.
    pub age: i32,
    /// Codes (or text kept from before the lists); empty when not recorded.
    pub ethnicity: String,
    pub religion: String,
    pub education: String,
    pub political_theory: String,
    pub professional: String,
    pub occupation: String,
    /// Tuổi đảng in whole months (R9).
    pub seniority_months: i32,
    pub status: Status,
    pub official: bool,
}

impl Facts {
    /// A field as a filter or a dimension reads it.
    pub fn value(&self, field: &str) -> Value<'_> {
        match field {
            "sex" => Value::Text(self.sex.code()),
            "age" => Value::Number(i64::from(self.age)),
            "ethnicity" => Value::Text(&self.ethnicity),
            "religion" => Value::Text(&self.religion),
            "education" => Value::Text(&self.education),
            "political_theory" => Value::Text(&self.political_theory),
            "professional" => Value::Text(&self.professional),
            "occupation" => Value::Text(&self.occupation),
            "seniority_years" => Value::Number(i64::from(self.seniority_months / 12)),
            "official" => Value::Text(if self.official {
                "official"
            } else {
                "probationary"
            }),
            "exempt" => Value::Text(if self.status == Status::Exempt {
                "exempt"
            } else {
                "active"
            }),
            _ => Value::Text(""),
        }
    }
}

/// A value of a member's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Text(&'a str),
    Number(i64),
}

/// A band of a number (age, seniority): from `min` to `max` inclusive, either open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    pub label: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Band {
    pub fn contains(&self, n: i64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }
}

/// Age bands of the statistical reports.
pub const AGE_BANDS: [Band; 7] = [
    Band {
        label: "Đến 30 tuổi",
        min: None,
        max: Some(30),
    },
    Band {
        label: "Từ 31 đến 40 tuổi",
        min: Some(31),
        max: Some(40),
    },
    Band {
        label: "Từ 41 đến 50 tuổi",
        min: Some(41),
        max: Some(50),
    },
    Band {
        label: "Từ 51 đến 60 tuổi",
        min: Some(51),
        max: Some(60),
    },
    Band {
        label: "Từ 61 đến 70 tuổi",
        min: Some(61),
        max: Some(70),
    },
    Band {
        label: "Từ 71 đến 80 tuổi",
        min: Some(71),
        max: Some(80),
    },
    Band {
        label: "Trên 80 tuổi",
        min: Some(81),
        max: None,
    },
];

/// Seniority bands, in whole years of tuổi đảng.
pub const SENIORITY_BANDS: [Band; 6] = [
    Band {
        label: "Dưới 10 năm",
        min: None,
        max: Some(9),
    },
    Band {
        label: "Từ 10 đến dưới 20 năm",
        min: Some(10),
        max: Some(19),
    },
    Band {
        label: "Từ 20 đến dưới 30 năm",
        min: Some(20),
        max: Some(29),
    },
    Band {
        label: "Từ 30 đến dưới 40 năm",
        min: Some(30),
        max: Some(39),
    },
    Band {
        label: "Từ 40 đến dưới 50 năm",
        min: Some(40),
        max: Some(49),
    },
    Band {
        label: "Từ 50 năm trở lên",
        min: Some(50),
        max: None,
    },
];

/// A way of dividing the members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Sex,
    Age,
    Ethnicity,
    Religion,
    Education,
    PoliticalTheory,
    Professional,
    Occupation,
    Seniority,
    Official,
    Exempt,
}

impl Dimension {
    pub const ALL: [Dimension; 11] = [
        Dimension::Sex,
        Dimension::Age,
        Dimension::Ethnicity,
        Dimension::Religion,
        Dimension::Education,
        Dimension::PoliticalTheory,
        Dimension::Professional,
        Dimension::Occupation,
        Dimension::Seniority,
        Dimension::Official,
        Dimension::Exempt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dimension::Sex => "sex",
            Dimension::Age => "age",
            Dimension::Ethnicity => "ethnicity",
            Dimension::Religion => "religion",
            Dimension::Education => "education",
            Dimension::PoliticalTheory => "political_theory",
            Dimension::Professional => "professional",
            Dimension::Occupation => "occupation",
            Dimension::Seniority => "seniority",
            Dimension::Official => "official",
            Dimension::Exempt => "exempt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Sex => "Giới tính",
            Dimension::Age => "Độ tuổi",
            Dimension::Ethnicity => "Dân tộc",
            Dimension::Religion => "Tôn giáo",
            Dimension::Education => "Giáo dục phổ thông",
            Dimension::PoliticalTheory => "Lý luận chính trị",
            Dimension::Professional => "Chuyên môn nghiệp vụ",
            Dimension::Occupation => "Nghề nghiệp",
            Dimension::Seniority => "Tuổi đảng",
            Dimension::Official => "Chính thức, dự bị",
            Dimension::Exempt => "Miễn công tác và sinh hoạt đảng",
        }
    }

    /// The group a member falls in, cheaply: a band's index or the stored value.
    fn raw(self, f: &Facts) -> (i64, &str) {
        let band =
            |bands: &[Band], n: i64| bands.iter().position(|b| b.contains(n)).unwrap_or(0) as i64;
        match self {
            Dimension::Sex => (i64::from(f.sex == Sex::Female), ""),
            Dimension::Age => (band(&AGE_BANDS, i64::from(f.age)), ""),
            Dimension::Ethnicity => (0, &f.ethnicity),
            Dimension::Religion => (0, &f.religion),
            Dimension::Education => (0, &f.education),
            Dimension::PoliticalTheory => (0, &f.political_theory),
            Dimension::Professional => (0, &f.professional),
            Dimension::Occupation => (0, &f.occupation),
            Dimension::Seniority => (
                band(&SENIORITY_BANDS, i64::from(f.seniority_months / 12)),
                "",
            ),
            Dimension::Official => (i64::from(f.official), ""),
            Dimension::Exempt => (i64::from(f.status == Status::Exempt), ""),
        }
    }

    /// The group a member falls in: (sort key, label).
    fn group(self, f: &Facts) -> (String, String) {
        let coded = |c: CodedField, v: &str| {
            if v.is_empty() {
                ("~".to_owned(), "Chưa ghi".to_owned())
            } else {
                let pos = c.list().codes.iter().position(|x| x.code == v);
                (
                    pos.map_or_else(|| format!("~{v}"), |p| format!("{p:04}")),
                    c.name(v),
                )
            }
        };
        let band = |bands: &[Band], n: i64| {
            let i = bands.iter().position(|b| b.contains(n)).unwrap_or(0);
            (format!("{i:04}"), bands[i].label.to_owned())
        };
        match self {
            Dimension::Sex => match f.sex {
                Sex::Male => ("0".into(), "Nam".into()),
                Sex::Female => ("1".into(), "Nữ".into()),
            },
            Dimension::Age => band(&AGE_BANDS, i64::from(f.age)),
            Dimension::Ethnicity => coded(CodedField::Ethnicity, &f.ethnicity),
            Dimension::Religion => coded(CodedField::Religion, &f.religion),
            Dimension::Education => coded(CodedField::Education, &f.education),
            Dimension::PoliticalTheory => {
                if f.political_theory.is_empty() {
                    ("~".into(), "Chưa qua đào tạo".into())
                } else {
                    coded(CodedField::PoliticalTheory, &f.political_theory)
                }
            }
            Dimension::Professional => coded(CodedField::Professional, &f.professional),
            Dimension::Occupation => {
                if f.occupation.is_empty() {
                    ("~".into(), "Chưa ghi".into())
                } else {
                    (crate::text::fold(&f.occupation), f.occupation.clone())
                }
            }
            Dimension::Seniority => band(&SENIORITY_BANDS, i64::from(f.seniority_months / 12)),
            Dimension::Official => {
                if f.official {
                    ("0".into(), "Đảng viên chính thức".into())
                } else {
                    ("1".into(), "Đảng viên dự bị".into())
                }
            }
            Dimension::Exempt => {
                if f.status == Status::Exempt {
                    ("1".into(), "Được miễn".into())
                } else {
                    ("0".into(), "Không miễn".into())
                }
            }
        }
    }
}

/// One dimension's groups with their counts, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub dimension: Dimension,
    pub label: &'static str,
    pub groups: Vec<(String, u32)>,
}

/// The statistics of a roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub total: u32,
    pub breakdowns: Vec<Breakdown>,
    /// The age pyramid: per age band, (label, men, women).
    pub pyramid: Vec<(&'static str, u32, u32)>,
}

/// Counts a roll by every dimension. Every breakdown's groups add up to the total.
pub fn tally(facts: &[Facts]) -> Tally {
    let breakdowns = Dimension::ALL
        .into_iter()
        .map(|d| {
            // Counted by a borrowed key first; each distinct key is named once.
            let mut raw: HashMap<(i64, &str), (u32, &Facts)> = HashMap::new();
            for f in facts {
                raw.entry(d.raw(f)).or_insert((0, f)).0 += 1;
            }
            let mut m: BTreeMap<String, (String, u32)> = BTreeMap::new();
            for (n, f) in raw.into_values() {
                let (k, label) = d.group(f);
                m.entry(k).or_insert((label, 0)).1 += n;
            }
            Breakdown {
                dimension: d,
                label: d.label(),
                groups: m.into_values().collect(),
            }
        })
        .collect();
    let mut by_band = [(0u32, 0u32); AGE_BANDS.len()];
    for f in facts {
        if let Some(i) = AGE_BANDS.iter().position(|b| b.contains(i64::from(f.age))) {
            match f.sex {
                Sex::Male => by_band[i].0 += 1,
                Sex::Female => by_band[i].1 += 1,
            }
        }
    }
    let pyramid = AGE_BANDS
        .iter()
        .zip(by_band)
        .map(|(b, (m, w))| (b.label, m, w))
        .collect();
    Tally {
        total: facts.len() as u32,
        breakdowns,
        pyramid,
    }
}

#[cfg(test)]
mod tests;
