use super::*;
use proptest::prelude::*;

#[test]
fn the_54_ethnic_groups_have_the_statistics_office_codes() {
    let list = CodedField::Ethnicity.list();
    assert_eq!(list.codes.len(), 55);
    assert_eq!(list.from(), NaiveDate::from_ymd_opt(2008, 11, 12).unwrap());
    let code = |s: &str| CodedField::Ethnicity.find(s).map(|c| c.code);
    assert_eq!(code("Kinh"), Some("01"));
    assert_eq!(code("kinh (việt)"), Some("01"));
    assert_eq!(code("Mường"), Some("04"));
    assert_eq!(code("Khmer"), Some("05"));
    assert_eq!(code("Hoa"), Some("06"));
    assert_eq!(code("H'Mông"), Some("08"));
    assert_eq!(code("HMONG"), Some("08"));
    assert_eq!(code("Mèo"), Some("08"));
    assert_eq!(code("san diu"), Some("17"));
    assert_eq!(code("Ơ Đu"), Some("54"));
    assert_eq!(code("17"), Some("17"));
    assert_eq!(code("Người sao Hỏa"), None);
    assert_eq!(code(""), None);
    assert_eq!(CodedField::Ethnicity.name("08"), "Mông");
    // A value kept from before the lists shows as it was written.
    assert_eq!(CodedField::Ethnicity.name("Kinh"), "Kinh");
    assert!(CodedField::Ethnicity.is_code("54") && !CodedField::Ethnicity.is_code("56"));
}

#[test]
fn levels_match_their_usual_spellings() {
    let code = |f: CodedField, s: &str| f.find(s).map(|c| c.code);
    assert_eq!(code(CodedField::Education, "12/12"), Some("12/12"));
    assert_eq!(code(CodedField::Education, "12 / 12"), Some("12/12"));
    assert_eq!(
        code(CodedField::Education, "Tốt nghiệp THPT"),
        Some("12/12")
    );
    assert_eq!(code(CodedField::Education, "10/10"), Some("10/10"));
    assert_eq!(code(CodedField::Education, "13/12"), None);
    assert_eq!(
        code(CodedField::PoliticalTheory, "cao cấp LLCT"),
        Some("CC")
    );
    assert_eq!(code(CodedField::PoliticalTheory, "Sơ cấp"), Some("SC"));
    assert_eq!(code(CodedField::Religion, "Thiên chúa giáo"), Some("02"));
    assert_eq!(code(CodedField::Religion, "không"), Some("00"));
    // Professional levels match the level a qualification begins with.
    assert_eq!(
        code(CodedField::Professional, "Kỹ sư khai thác mỏ"),
        Some("DH")
    );
    assert_eq!(
        code(CodedField::Professional, "Thạc sĩ Kinh tế"),
        Some("THS")
    );
    assert_eq!(code(CodedField::Professional, "Cử nhân"), Some("DH"));
    assert_eq!(code(CodedField::Professional, "Cử nhân Luật"), Some("DH"));
    assert_eq!(code(CodedField::Professional, "Nghệ nhân"), None);
    // Only the professional list matches by the beginning.
    assert_eq!(code(CodedField::PoliticalTheory, "Cao cấp quân sự"), None);
}

#[test]
fn every_code_finds_itself_and_its_names() {
    for f in CodedField::ALL {
        let list = f.list();
        let mut seen = std::collections::HashSet::new();
        for c in list.codes {
            assert!(seen.insert(c.code), "{f:?} {} twice", c.code);
            assert_eq!(
                f.find(c.code).map(|x| x.code),
                Some(c.code),
                "{f:?} {}",
                c.code
            );
            assert_eq!(
                f.find(c.name).map(|x| x.code),
                Some(c.code),
                "{f:?} {}",
                c.name
            );
            for a in c.aliases {
                assert_eq!(f.find(a).map(|x| x.code), Some(c.code), "{f:?} {a}");
            }
            assert_eq!(f.name(c.code), c.name);
        }
        assert!(std::ptr::eq(f.list_on(f.list().from()), f.list()));
    }
}

proptest! {
    /// Matching ignores case and diacritics: any name written in capitals or folded finds
    /// the same code.
    #[test]
    fn case_and_marks_do_not_matter(i in 0usize..55) {
        let c = CodedField::Ethnicity.list().codes[i];
        let upper = c.name.to_uppercase();
        let folded = crate::text::fold(c.name);
        prop_assert_eq!(CodedField::Ethnicity.find(&upper).map(|x| x.code), Some(c.code));
        prop_assert_eq!(CodedField::Ethnicity.find(&folded).map(|x| x.code), Some(c.code));
    }
}
