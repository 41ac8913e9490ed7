//! The days off and make-up working days of Vietnam's state bodies, 2018–2027: Tết Dương lịch
//! (1/1), Tết Nguyên đán (5 days), Giỗ Tổ Hùng Vương (10/3 âm lịch), Ngày Thống nhất (30/4),
//! Quốc tế Lao động (1/5) and Quốc khánh (2/9; 2 days from 2021), each moved to the next working
//! day when it falls on a weekend (Bộ luật Lao động 2012 art. 115, 2019 art. 112), and the days
//! the government exchanged in the year's notice (Thông báo of the Ministry of Labour, Invalids
//! and Social Affairs for the years to 2025, of the Ministry of Home Affairs for 2026). Only
//! weekdays off and weekend working days are listed: a Saturday or Sunday that is a holiday
//! changes nothing by itself (its day in lieu is listed).
//!
//! 2027 follows the Labour Code's pattern until the government's notice is known (Tết from the
//! two days before the new year, the second Quốc khánh day after 2/9); an administrator corrects
//! it from the notice on the calendar page.

use super::DayKind::{self, Off, Work};

/// The years this table holds.
pub const YEARS: std::ops::RangeInclusive<i32> = 2018..=2027;

const TDL: &str = "Tết Dương lịch";
const TET: &str = "Tết Nguyên đán";
const GIO_TO: &str = "Giỗ Tổ Hùng Vương";
const THONG_NHAT: &str = "Ngày Chiến thắng 30/4";
const LAO_DONG: &str = "Ngày Quốc tế Lao động 1/5";
const QUOC_KHANH: &str = "Quốc khánh 2/9";
const BU: &str = "nghỉ bù";
const HOAN_DOI: &str = "nghỉ hoán đổi";
const LAM_BU: &str = "làm bù";

/// (year, month, day, kind, what the day is).
pub const DAYS: &[(i32, u32, u32, DayKind, &str)] = &[
    // 2018: Tết Mậu Tuất 16/2; Quốc khánh on a Sunday.
    (2018, 1, 1, Off, TDL),
    (2018, 2, 14, Off, TET),
    (2018, 2, 15, Off, TET),
    (2018, 2, 16, Off, TET),
    (2018, 2, 19, Off, TET),
    (2018, 2, 20, Off, TET),
    (2018, 4, 25, Off, GIO_TO),
    (2018, 4, 30, Off, THONG_NHAT),
    (2018, 5, 1, Off, LAO_DONG),
    (2018, 9, 3, Off, BU),
    // 2019: Tết Kỷ Hợi 5/2; 31/12/2018 and 29/4 exchanged for Saturdays 5/1 and 4/5.
    (2018, 12, 31, Off, HOAN_DOI),
    (2019, 1, 1, Off, TDL),
    (2019, 1, 5, Work, LAM_BU),
    (2019, 2, 4, Off, TET),
    (2019, 2, 5, Off, TET),
    (2019, 2, 6, Off, TET),
    (2019, 2, 7, Off, TET),
    (2019, 2, 8, Off, TET),
    (2019, 4, 15, Off, BU),
    (2019, 4, 29, Off, HOAN_DOI),
    (2019, 4, 30, Off, THONG_NHAT),
    (2019, 5, 1, Off, LAO_DONG),
    (2019, 5, 4, Work, LAM_BU),
    (2019, 9, 2, Off, QUOC_KHANH),
    // 2020: Tết Canh Tý 25/1.
    (2020, 1, 1, Off, TDL),
    (2020, 1, 23, Off, TET),
    (2020, 1, 24, Off, TET),
    (2020, 1, 27, Off, TET),
    (2020, 1, 28, Off, TET),
    (2020, 1, 29, Off, TET),
    (2020, 4, 2, Off, GIO_TO),
    (2020, 4, 30, Off, THONG_NHAT),
    (2020, 5, 1, Off, LAO_DONG),
    (2020, 9, 2, Off, QUOC_KHANH),
    // 2021: Tết Tân Sửu 12/2; 1/5 on a Saturday; Quốc khánh 2 days from this year.
    (2021, 1, 1, Off, TDL),
    (2021, 2, 10, Off, TET),
    (2021, 2, 11, Off, TET),
    (2021, 2, 12, Off, TET),
    (2021, 2, 15, Off, TET),
    (2021, 2, 16, Off, TET),
    (2021, 4, 21, Off, GIO_TO),
    (2021, 4, 30, Off, THONG_NHAT),
    (2021, 5, 3, Off, BU),
    (2021, 9, 2, Off, QUOC_KHANH),
    (2021, 9, 3, Off, QUOC_KHANH),
    // 2022: Tết Nhâm Dần 1/2.
    (2022, 1, 3, Off, BU),
    (2022, 1, 31, Off, TET),
    (2022, 2, 1, Off, TET),
    (2022, 2, 2, Off, TET),
    (2022, 2, 3, Off, TET),
    (2022, 2, 4, Off, TET),
    (2022, 4, 11, Off, BU),
    (2022, 5, 2, Off, BU),
    (2022, 5, 3, Off, BU),
    (2022, 9, 1, Off, QUOC_KHANH),
    (2022, 9, 2, Off, QUOC_KHANH),
    // 2023: Tết Quý Mão 22/1; Giỗ Tổ and 30/4 on the weekend before 1/5.
    (2023, 1, 2, Off, BU),
    (2023, 1, 20, Off, TET),
    (2023, 1, 23, Off, TET),
    (2023, 1, 24, Off, TET),
    (2023, 1, 25, Off, TET),
    (2023, 1, 26, Off, TET),
    (2023, 5, 1, Off, LAO_DONG),
    (2023, 5, 2, Off, BU),
    (2023, 5, 3, Off, BU),
    (2023, 9, 1, Off, QUOC_KHANH),
    (2023, 9, 4, Off, BU),
    // 2024: Tết Giáp Thìn 10/2; 29/4 exchanged for Saturday 4/5.
    (2024, 1, 1, Off, TDL),
    (2024, 2, 8, Off, TET),
    (2024, 2, 9, Off, TET),
    (2024, 2, 12, Off, TET),
    (2024, 2, 13, Off, TET),
    (2024, 2, 14, Off, TET),
    (2024, 4, 18, Off, GIO_TO),
    (2024, 4, 29, Off, HOAN_DOI),
    (2024, 4, 30, Off, THONG_NHAT),
    (2024, 5, 1, Off, LAO_DONG),
    (2024, 5, 4, Work, LAM_BU),
    (2024, 9, 2, Off, QUOC_KHANH),
    (2024, 9, 3, Off, QUOC_KHANH),
    // 2025: Tết Ất Tỵ 29/1; 2/5 exchanged for Saturday 26/4.
    (2025, 1, 1, Off, TDL),
    (2025, 1, 27, Off, TET),
    (2025, 1, 28, Off, TET),
    (2025, 1, 29, Off, TET),
    (2025, 1, 30, Off, TET),
    (2025, 1, 31, Off, TET),
    (2025, 4, 7, Off, GIO_TO),
    (2025, 4, 26, Work, LAM_BU),
    (2025, 4, 30, Off, THONG_NHAT),
    (2025, 5, 1, Off, LAO_DONG),
    (2025, 5, 2, Off, HOAN_DOI),
    (2025, 9, 1, Off, QUOC_KHANH),
    (2025, 9, 2, Off, QUOC_KHANH),
    // 2026: Tết Bính Ngọ 17/2, off from Saturday 14/2 to Sunday 22/2; Giỗ Tổ on a Sunday.
    (2026, 1, 1, Off, TDL),
    (2026, 2, 16, Off, TET),
    (2026, 2, 17, Off, TET),
    (2026, 2, 18, Off, TET),
    (2026, 2, 19, Off, TET),
    (2026, 2, 20, Off, TET),
    (2026, 4, 27, Off, BU),
    (2026, 4, 30, Off, THONG_NHAT),
    (2026, 5, 1, Off, LAO_DONG),
    (2026, 9, 1, Off, QUOC_KHANH),
    (2026, 9, 2, Off, QUOC_KHANH),
    // 2027 (the Labour Code's pattern): Tết Đinh Mùi 6/2; 1/5 on a Saturday.
    (2027, 1, 1, Off, TDL),
    (2027, 2, 4, Off, TET),
    (2027, 2, 5, Off, TET),
    (2027, 2, 8, Off, TET),
    (2027, 2, 9, Off, TET),
    (2027, 2, 10, Off, TET),
    (2027, 4, 16, Off, GIO_TO),
    (2027, 4, 30, Off, THONG_NHAT),
    (2027, 5, 3, Off, BU),
    (2027, 9, 2, Off, QUOC_KHANH),
    (2027, 9, 3, Off, QUOC_KHANH),
];
