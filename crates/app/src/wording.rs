//! The wording of reports that go upward: the levels as the reports write them and the
//! classification paragraph in the article's style. The pages, the workbooks, the API and the
//! command line all take their words from here, so a report reads the same wherever it is made.

use dangvu_domain::review::{Level, LevelCounts};
use dangvu_domain::text::number;

/// "hoàn thành xuất sắc nhiệm vụ", as the reports write a level.
pub fn level_phrase(l: Level) -> &'static str {
    match l {
        Level::Htxs => "hoàn thành xuất sắc nhiệm vụ",
        Level::Htt => "hoàn thành tốt nhiệm vụ",
        Level::Ht => "hoàn thành nhiệm vụ",
        Level::Kht => "không hoàn thành nhiệm vụ",
    }
}

/// The report paragraph in the article's style (R31): grassroots organisations inclusively
/// ("X/N … hoàn thành tốt nhiệm vụ; trong đó Y … xuất sắc"), cells and members as exclusive
/// buckets, numbers with "." between thousands.
pub fn report_paragraph(
    year: i32,
    org_name: &str,
    grassroots: &LevelCounts,
    cells: &LevelCounts,
    members: &LevelCounts,
) -> String {
    let n = |x: u32| number(i64::from(x));
    let mut parts = vec![format!(
        "Năm {year}, {} có {}/{} cơ sở đảng {}; trong đó {} cơ sở {}",
        short_org_name(org_name),
        n(grassroots.htt_or_better()),
        n(grassroots.total()),
        level_phrase(Level::Htt),
        n(grassroots.get(Level::Htxs)),
        level_phrase(Level::Htxs)
    )];
    for (what, counts) in [("chi bộ", cells), ("đảng viên", members)] {
        for l in Level::ALL {
            parts.push(format!("{} {what} {}", n(counts.get(l)), level_phrase(l)));
        }
    }
    format!("{}.", parts.join("; "))
}

/// "Đảng bộ thành phố Uông Bí" → "Đảng bộ TP Uông Bí", as reports abbreviate.
pub fn short_org_name(name: &str) -> String {
    name.replacen("thành phố", "TP", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraph_reads_as_the_article() {
        let g = LevelCounts([9, 36, 4, 1]);
        let c = LevelCounts([67, 218, 14, 3]);
        let m = LevelCounts([1025, 4942, 561, 35]);
        assert_eq!(
            report_paragraph(2018, "Đảng bộ thành phố Uông Bí", &g, &c, &m),
            "Năm 2018, Đảng bộ TP Uông Bí có 45/50 cơ sở đảng hoàn thành tốt nhiệm vụ; trong đó 9 cơ sở hoàn thành xuất sắc nhiệm vụ; 67 chi bộ hoàn thành xuất sắc nhiệm vụ; 218 chi bộ hoàn thành tốt nhiệm vụ; 14 chi bộ hoàn thành nhiệm vụ; 3 chi bộ không hoàn thành nhiệm vụ; 1.025 đảng viên hoàn thành xuất sắc nhiệm vụ; 4.942 đảng viên hoàn thành tốt nhiệm vụ; 561 đảng viên hoàn thành nhiệm vụ; 35 đảng viên không hoàn thành nhiệm vụ."
        );
        assert_eq!(m.total(), 6563);
        assert_eq!(c.total(), 302);
    }
}
