//! Synthetic, realistic Vietnamese people for the demo and `dangvu gen`.

use chrono::NaiveDate;
use dangvu_domain::codes::CodedField;
use dangvu_domain::member::{Cccd, HistoryNumber, MemberRecord, Sex};

use crate::rng::Rng;

/// Family names with their approximate share in Vietnam (per mille).
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 40),
    ("Huỳnh", 10),
    ("Phan", 45),
    ("Vũ", 35),
    ("Võ", 4),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đào", 5),
    ("Đinh", 5),
    ("Lương", 4),
    ("Mai", 4),
    ("Trịnh", 4),
    ("Tạ", 3),
    ("Cao", 3),
    ("Lâm", 2),
    ("Phùng", 2),
    ("Hà", 3),
    ("Tô", 2),
    ("Chu", 2),
    ("Triệu", 2),
    ("Đoàn", 3),
    ("Vương", 1),
];
const MIDDLE_M: &[(&str, u32)] = &[
    ("Văn", 45),
    ("Đức", 8),
    ("Minh", 8),
    ("Quang", 6),
    ("Hữu", 6),
    ("Xuân", 5),
    ("Thanh", 5),
    ("Mạnh", 3),
    ("Tiến", 3),
    ("Ngọc", 3),
    ("Công", 4),
    ("Anh", 2),
    ("Đình", 5),
    ("Trọng", 3),
    ("Bá", 2),
    ("Duy", 2),
];
const MIDDLE_F: &[(&str, u32)] = &[
    ("Thị", 50),
    ("Thị Thu", 6),
    ("Thị Minh", 4),
    ("Thu", 4),
    ("Ngọc", 4),
    ("Thị Hồng", 5),
    ("Thị Thanh", 5),
    ("Thị Kim", 4),
    ("Phương", 3),
    ("Thị Ngọc", 4),
    ("Hồng", 3),
    ("Thị Lan", 2),
    ("Thị Bích", 2),
];
const GIVEN_M: &[&str] = &[
    "An",
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hùng",
    "Hưng",
    "Huy",
    "Khánh",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quân",
    "Quang",
    "Sơn",
    "Thắng",
    "Thành",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hiếu",
    "Trung",
    "Hòa",
    "Kiên",
    "Đạt",
    "Hậu",
    "Toàn",
    "Tâm",
    "Lợi",
    "Chiến",
    "Dương",
    "Hoàng",
    "Khoa",
    "Lực",
    "Mạnh",
    "Nghĩa",
    "Phúc",
    "Thái",
    "Thịnh",
    "Tiến",
    "Trường",
    "Tú",
    "Văn",
    "Ánh",
];
const GIVEN_F: &[&str] = &[
    "Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hồng", "Huệ", "Hương",
    "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm",
    "Thảo", "Thơm", "Thu", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "An", "Bích", "Diệp", "Hiền",
    "Huyền", "Lệ", "Ly", "My", "Nhàn", "Thoa", "Thúy", "Xuân",
];
const PLACES: &[(&str, u32)] = &[
    ("Uông Bí, Quảng Ninh", 40),
    ("Đông Triều, Quảng Ninh", 8),
    ("Hạ Long, Quảng Ninh", 6),
    ("Thái Bình", 10),
    ("Nam Định", 8),
    ("Hải Dương", 8),
    ("Hưng Yên", 4),
    ("Hải Phòng", 6),
    ("Bắc Giang", 3),
    ("Thanh Hóa", 4),
    ("Nghệ An", 3),
    ("Hà Nam", 2),
    ("Ninh Bình", 2),
    ("Quảng Yên, Quảng Ninh", 4),
];
const RELIGION: &[(&str, u32)] = &[("Không", 955), ("Phật giáo", 35), ("Công giáo", 10)];
const THEORY: &[(&str, u32)] = &[
    ("Sơ cấp", 50),
    ("Trung cấp", 30),
    ("Cao cấp", 5),
    ("Cử nhân", 1),
    ("", 14),
];

/// Ethnic mix of Quảng Ninh's party members (mostly Kinh; Dao, Tày, Sán Dìu).
pub const ETHNICITY_LOWLAND: &[(&str, u32)] = &[
    ("Kinh", 970),
    ("Tày", 12),
    ("Dao", 6),
    ("Sán Dìu", 8),
    ("Hoa", 3),
    ("Sán Chay", 1),
];
/// Hill communes (Thượng Yên Công, Vàng Danh) have more Dao and Tày members.
pub const ETHNICITY_HILLS: &[(&str, u32)] =
    &[("Kinh", 780), ("Dao", 130), ("Tày", 50), ("Sán Dìu", 40)];

/// What kind of workplace a cell is, which shapes ages and occupations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milieu {
    /// Residential (khu phố, thôn): many retired members.
    Residential,
    /// State agencies: civil servants.
    Agency,
    School,
    Health,
    /// Coal companies, the power plant, other enterprises.
    Enterprise,
    Police,
    Military,
}

/// A synthetic person and their party dates.
pub struct Person {
    pub record: MemberRecord,
    pub admitted_on: NaiveDate,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// A random date in `[from, to]`.
pub fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days().max(0);
    from + chrono::Duration::days(rng.range(0, days))
}

/// Makes one person. `serial` makes the CCCD and the history number unique; `admit_by` is the
/// latest admission date allowed, `admit_from` the earliest.
pub fn person(
    rng: &mut Rng,
    serial: u64,
    milieu: Milieu,
    hills: bool,
    place: &str,
    admit_from: NaiveDate,
    admit_by: NaiveDate,
) -> Person {
    let female_share = match milieu {
        Milieu::Police | Milieu::Military => 0.12,
        Milieu::Enterprise => 0.22,
        Milieu::School | Milieu::Health => 0.68,
        Milieu::Agency => 0.45,
        Milieu::Residential => 0.38,
    };
    let sex = if rng.chance(female_share) {
        Sex::Female
    } else {
        Sex::Male
    };
    let (born_lo, born_hi) = match milieu {
        Milieu::Residential => (1936, 1988),
        Milieu::Police | Milieu::Military => (1966, 1996),
        _ => (1960, 1995),
    };
    // Admission at 18–40, never before admit_from, never after admit_by.
    let mut birth = date_between(
        rng,
        d(born_hi.min(admit_by.year_ce().1 as i32 - 19), 1, 1).min(d(born_lo, 1, 1)),
        d(born_hi, 12, 31),
    );
    birth = birth.min(admit_by - chrono::Duration::days(365 * 19));
    let earliest = (birth + chrono::Duration::days(365 * 18 + 5)).max(admit_from);
    let latest = (birth + chrono::Duration::days(365 * 40))
        .min(admit_by)
        .max(earliest);
    let admitted_on = date_between(rng, earliest, latest).min(admit_by);
    let family = rng.weighted(FAMILY);
    let (middle, given) = match sex {
        Sex::Male => (rng.weighted(MIDDLE_M), rng.pick(GIVEN_M)),
        Sex::Female => (rng.weighted(MIDDLE_F), rng.pick(GIVEN_F)),
    };
    let full_name = format!("{family} {middle} {given}");
    let ethnicity = rng
        .weighted(if hills {
            ETHNICITY_HILLS
        } else {
            ETHNICITY_LOWLAND
        })
        .to_string();
    let ethnicity = coded(CodedField::Ethnicity, &ethnicity);
    let retired_age = if sex == Sex::Male { 61 } else { 56 };
    let age_2018 = dangvu_domain::date::age_years(birth, d(2018, 12, 31));
    let retired = milieu == Milieu::Residential && age_2018 >= retired_age;
    let occupation = match milieu {
        Milieu::Residential if retired => "Hưu trí",
        Milieu::Residential => *rng.pick(&[
            "Kinh doanh",
            "Lao động tự do",
            "Cán bộ khu phố",
            "Nông nghiệp",
            "Công nhân",
        ]),
        Milieu::Agency => *rng.pick(&["Công chức", "Công chức", "Viên chức", "Chuyên viên"]),
        Milieu::School => *rng.pick(&["Giáo viên", "Giáo viên", "Cán bộ quản lý giáo dục"]),
        Milieu::Health => *rng.pick(&["Bác sĩ", "Điều dưỡng", "Dược sĩ", "Kỹ thuật viên y tế"]),
        Milieu::Enterprise => *rng.pick(&[
            "Công nhân khai thác",
            "Thợ cơ điện",
            "Kỹ sư mỏ",
            "Nhân viên văn phòng",
            "Công nhân vận hành",
        ]),
        Milieu::Police => "Sĩ quan công an",
        Milieu::Military => "Quân nhân",
    };
    let yy = birth.format("%y").to_string();
    let century =
        if birth.year_ce().1 >= 2000 { 2 } else { 0 } + if sex == Sex::Female { 1 } else { 0 };
    let cccd = Cccd::parse(&format!("022{century}{yy}{:06}", serial % 1_000_000)).ok();
    let history_number = HistoryNumber::parse(&format!("{:06}QN", serial % 1_000_000)).ok();
    let birth_place = rng.weighted(PLACES).to_string();
    let home_town = if rng.chance(0.7) {
        birth_place.clone()
    } else {
        rng.weighted(PLACES).to_string()
    };
    let theory = rng.weighted(THEORY).to_string();
    let religion: &&str = rng.weighted(RELIGION);
    Person {
        record: MemberRecord {
            full_name,
            birth_name: None,
            aliases: None,
            sex,
            birth_date: birth,
            birth_place: Some(birth_place),
            home_town: Some(home_town),
            residence: Some(format!("{place}, Uông Bí, Quảng Ninh")),
            ethnicity,
            religion: Some(coded(CodedField::Religion, religion)),
            cccd,
            education: Some("12/12".into()),
            political_theory: if theory.is_empty() {
                None
            } else {
                Some(coded(CodedField::PoliticalTheory, &theory))
            },
            professional: professional_of(occupation),
            occupation: Some(occupation.into()),
            workplace: None,
            history_number,
            army: milieu == Milieu::Military,
            police: milieu == Milieu::Police,
            retired,
        },
        admitted_on,
    }
}

trait YearCe {
    fn year_ce(&self) -> (bool, u32);
}
impl YearCe for NaiveDate {
    fn year_ce(&self) -> (bool, u32) {
        chrono::Datelike::year_ce(self)
    }
}

/// The professional level an occupation asks for (none for work that asks for none); drawn
/// from the occupation alone, so that the generator's other draws stay as they were.
fn professional_of(occupation: &str) -> Option<String> {
    let level = match occupation {
        "Công chức"
        | "Viên chức"
        | "Chuyên viên"
        | "Giáo viên"
        | "Cán bộ quản lý giáo dục"
        | "Bác sĩ"
        | "Dược sĩ"
        | "Kỹ sư mỏ"
        | "Sĩ quan công an" => "DH",
        "Điều dưỡng" | "Nhân viên văn phòng" => "CD",
        "Kỹ thuật viên y tế" | "Quân nhân" | "Cán bộ khu phố" => "TC",
        "Công nhân khai thác" | "Thợ cơ điện" | "Công nhân vận hành" | "Công nhân" => {
            "SC"
        }
        _ => return None,
    };
    Some(level.to_owned())
}

/// The code a generated value has in its list (the generator's names are all in the lists).
fn coded(f: CodedField, name: &str) -> String {
    f.parse(name)
        .map_or_else(|_| name.to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dangvu_domain::member::check_admission;

    #[test]
    fn people_are_valid_and_admitted_in_range() {
        let mut rng = Rng::new(42);
        for i in 0..2000 {
            let m = [Milieu::Residential, Milieu::Enterprise, Milieu::Police][i % 3];
            let p = person(
                &mut rng,
                i as u64,
                m,
                i % 5 == 0,
                "Khu 1",
                d(1976, 1, 1),
                d(2018, 6, 30),
            );
            check_admission(p.record.birth_date, p.admitted_on).unwrap();
            assert!(
                p.admitted_on >= d(1976, 1, 1) && p.admitted_on <= d(2018, 6, 30),
                "{}",
                p.admitted_on
            );
            assert!(
                dangvu_domain::member::parse_person_name("full_name", &p.record.full_name).is_ok()
            );
            assert!(p.record.cccd.is_some());
        }
    }
}
