//! The lists' data. Ethnicity: the 54 ethnic groups of Viet Nam with the codes of the General
//! Statistics Office's list (Quyết định 1019/QĐ-TCTK, 12/11/2008), and 55 for a foreign
//! national. The other lists have no national code list the project knows of; their codes are
//! the project's own and stable.

use super::{Code, CodeList, CodedField};

pub(super) static EMPTY: CodeList = CodeList {
    source: "",
    from_ymd: (1930, 1, 1),
    prefix: false,
    codes: &[],
};

/// The versions of a field's list, oldest first.
pub(super) fn versions(f: CodedField) -> &'static [CodeList] {
    match f {
        CodedField::Ethnicity => &ETHNICITY,
        CodedField::Religion => &RELIGION,
        CodedField::Education => &EDUCATION,
        CodedField::PoliticalTheory => &THEORY,
        CodedField::Professional => &PROFESSIONAL,
    }
}

static ETHNICITY: [CodeList; 1] = [CodeList {
    source: "Quyết định 1019/QĐ-TCTK ngày 12/11/2008 của Tổng cục Thống kê",
    from_ymd: (2008, 11, 12),
    prefix: false,
    codes: &[
        Code {
            code: "01",
            name: "Kinh",
            aliases: &["Việt", "Kinh (Việt)"],
        },
        Code {
            code: "02",
            name: "Tày",
            aliases: &["Thổ Ngạn"],
        },
        Code {
            code: "03",
            name: "Thái",
            aliases: &["Thái trắng", "Thái đen"],
        },
        Code {
            code: "04",
            name: "Mường",
            aliases: &[],
        },
        Code {
            code: "05",
            name: "Khơ-me",
            aliases: &["Khmer", "Khơ me", "Khơ-me Krôm"],
        },
        Code {
            code: "06",
            name: "Hoa",
            aliases: &["Hán", "Hoa (Hán)"],
        },
        Code {
            code: "07",
            name: "Nùng",
            aliases: &[],
        },
        Code {
            code: "08",
            name: "Mông",
            aliases: &["H'Mông", "Hmông", "HMông", "Mèo"],
        },
        Code {
            code: "09",
            name: "Dao",
            aliases: &["Mán"],
        },
        Code {
            code: "10",
            name: "Gia-rai",
            aliases: &["Gia Lai", "Giơ-rai", "Jrai"],
        },
        Code {
            code: "11",
            name: "Ê-đê",
            aliases: &["Ra-đê", "Rađê"],
        },
        Code {
            code: "12",
            name: "Ba-na",
            aliases: &["Bana", "Bahnar"],
        },
        Code {
            code: "13",
            name: "Sán Chay",
            aliases: &["Cao Lan", "Sán Chỉ", "Cao Lan-Sán Chỉ"],
        },
        Code {
            code: "14",
            name: "Chăm",
            aliases: &["Chàm", "Chăm Pa"],
        },
        Code {
            code: "15",
            name: "Cơ-ho",
            aliases: &["Kơ-ho", "K'Ho"],
        },
        Code {
            code: "16",
            name: "Xơ-đăng",
            aliases: &["Xê-đăng", "Sedang"],
        },
        Code {
            code: "17",
            name: "Sán Dìu",
            aliases: &["Sán Déo", "Trại"],
        },
        Code {
            code: "18",
            name: "Hrê",
            aliases: &["Chăm Rê"],
        },
        Code {
            code: "19",
            name: "Ra-glai",
            aliases: &["Raglai", "Ra-glay"],
        },
        Code {
            code: "20",
            name: "Mnông",
            aliases: &["M'nông", "Pnông"],
        },
        Code {
            code: "21",
            name: "Thổ",
            aliases: &[],
        },
        Code {
            code: "22",
            name: "Xtiêng",
            aliases: &["X'tiêng", "Xa Điêng"],
        },
        Code {
            code: "23",
            name: "Khơ-mú",
            aliases: &["Khơ mú", "Khmu", "Xá Cẩu"],
        },
        Code {
            code: "24",
            name: "Bru-Vân Kiều",
            aliases: &["Bru", "Vân Kiều"],
        },
        Code {
            code: "25",
            name: "Cơ-tu",
            aliases: &["Ca-tu", "Katu"],
        },
        Code {
            code: "26",
            name: "Giáy",
            aliases: &["Nhắng", "Dẩng"],
        },
        Code {
            code: "27",
            name: "Tà-ôi",
            aliases: &["Tà Ôi", "Pa-cô", "Pa Cô"],
        },
        Code {
            code: "28",
            name: "Mạ",
            aliases: &[],
        },
        Code {
            code: "29",
            name: "Giẻ-Triêng",
            aliases: &["Gié-Triêng", "Gié Triêng", "Giẻ Triêng"],
        },
        Code {
            code: "30",
            name: "Co",
            aliases: &["Cor"],
        },
        Code {
            code: "31",
            name: "Chơ-ro",
            aliases: &["Châu-ro", "Chơ ro"],
        },
        Code {
            code: "32",
            name: "Xinh-mun",
            aliases: &["Xinh mun", "Puộc"],
        },
        Code {
            code: "33",
            name: "Hà Nhì",
            aliases: &["U Ní", "Xá U Ní"],
        },
        Code {
            code: "34",
            name: "Chu-ru",
            aliases: &["Chơ-ru", "Chu ru"],
        },
        Code {
            code: "35",
            name: "Lào",
            aliases: &[],
        },
        Code {
            code: "36",
            name: "Kháng",
            aliases: &[],
        },
        Code {
            code: "37",
            name: "La Chí",
            aliases: &[],
        },
        Code {
            code: "38",
            name: "Phù Lá",
            aliases: &[],
        },
        Code {
            code: "39",
            name: "La Hủ",
            aliases: &[],
        },
        Code {
            code: "40",
            name: "La Ha",
            aliases: &[],
        },
        Code {
            code: "41",
            name: "Pà Thẻn",
            aliases: &["Pà Hưng"],
        },
        Code {
            code: "42",
            name: "Lự",
            aliases: &[],
        },
        Code {
            code: "43",
            name: "Ngái",
            aliases: &[],
        },
        Code {
            code: "44",
            name: "Chứt",
            aliases: &["Rục", "Sách", "Arem", "Mày"],
        },
        Code {
            code: "45",
            name: "Lô Lô",
            aliases: &["Lolo"],
        },
        Code {
            code: "46",
            name: "Mảng",
            aliases: &["Mảng Ư"],
        },
        Code {
            code: "47",
            name: "Cơ Lao",
            aliases: &["Cờ Lao"],
        },
        Code {
            code: "48",
            name: "Bố Y",
            aliases: &["Chủng Chá"],
        },
        Code {
            code: "49",
            name: "Cống",
            aliases: &[],
        },
        Code {
            code: "50",
            name: "Si La",
            aliases: &[],
        },
        Code {
            code: "51",
            name: "Pu Péo",
            aliases: &["Pu Piéo", "Ka Pèo"],
        },
        Code {
            code: "52",
            name: "Rơ-măm",
            aliases: &["Rơ măm"],
        },
        Code {
            code: "53",
            name: "Brâu",
            aliases: &[],
        },
        Code {
            code: "54",
            name: "Ơ-đu",
            aliases: &["Ơ Đu", "Tày Hạt"],
        },
        Code {
            code: "55",
            name: "Người nước ngoài",
            aliases: &["Nước ngoài"],
        },
    ],
}];

/// The religions recognised by the State (Ban Tôn giáo Chính phủ), "none" and "other".
static RELIGION: [CodeList; 1] = [CodeList {
    source: "Danh mục tôn giáo được Nhà nước công nhận (Ban Tôn giáo Chính phủ); mã của Đảng vụ",
    from_ymd: (1930, 1, 1),
    prefix: false,
    codes: &[
        Code {
            code: "00",
            name: "Không",
            aliases: &["Không tôn giáo", "Không có", "Không theo tôn giáo"],
        },
        Code {
            code: "01",
            name: "Phật giáo",
            aliases: &["Phật", "Đạo Phật"],
        },
        Code {
            code: "02",
            name: "Công giáo",
            aliases: &[
                "Thiên chúa giáo",
                "Thiên chúa",
                "Đạo Thiên chúa",
                "Công giáo La Mã",
            ],
        },
        Code {
            code: "03",
            name: "Tin lành",
            aliases: &["Đạo Tin lành", "Cơ đốc Tin lành"],
        },
        Code {
            code: "04",
            name: "Cao Đài",
            aliases: &["Đạo Cao Đài"],
        },
        Code {
            code: "05",
            name: "Phật giáo Hòa Hảo",
            aliases: &["Hòa Hảo", "Hoà Hảo", "Phật giáo Hoà Hảo"],
        },
        Code {
            code: "06",
            name: "Hồi giáo",
            aliases: &["Islam", "Đạo Hồi"],
        },
        Code {
            code: "07",
            name: "Tôn giáo Baha'i",
            aliases: &["Baha'i", "Bahai"],
        },
        Code {
            code: "08",
            name: "Tịnh độ Cư sĩ Phật hội Việt Nam",
            aliases: &["Tịnh độ Cư sĩ"],
        },
        Code {
            code: "09",
            name: "Đạo Tứ Ân Hiếu Nghĩa",
            aliases: &["Tứ Ân Hiếu Nghĩa"],
        },
        Code {
            code: "10",
            name: "Bửu Sơn Kỳ Hương",
            aliases: &[],
        },
        Code {
            code: "11",
            name: "Minh Sư Đạo",
            aliases: &[],
        },
        Code {
            code: "12",
            name: "Minh Lý Đạo - Tam Tông Miếu",
            aliases: &["Minh Lý Đạo"],
        },
        Code {
            code: "13",
            name: "Bà-la-môn giáo",
            aliases: &["Bà la môn"],
        },
        Code {
            code: "14",
            name: "Giáo hội Các thánh hữu Ngày sau của Chúa Giê-su Ki-tô",
            aliases: &["Mormon"],
        },
        Code {
            code: "15",
            name: "Phật giáo Hiếu Nghĩa Tà Lơn",
            aliases: &[],
        },
        Code {
            code: "16",
            name: "Giáo hội Phật đường Nam Tông Minh Sư Đạo",
            aliases: &[],
        },
        Code {
            code: "99",
            name: "Tôn giáo khác",
            aliases: &["Khác"],
        },
    ],
}];

/// General education as Mẫu 7-HSĐV writes it: the grade reached over the system's grades
/// (12-year and the former 10-year system).
static EDUCATION: [CodeList; 1] = [CodeList {
    source: "Hệ 12 năm và hệ 10 năm; mã của Đảng vụ",
    from_ymd: (1930, 1, 1),
    prefix: false,
    codes: &[
        Code {
            code: "10/10",
            name: "10/10",
            aliases: &["Lớp 10 hệ 10 năm"],
        },
        Code {
            code: "9/10",
            name: "9/10",
            aliases: &[],
        },
        Code {
            code: "8/10",
            name: "8/10",
            aliases: &[],
        },
        Code {
            code: "7/10",
            name: "7/10",
            aliases: &[],
        },
        Code {
            code: "6/10",
            name: "6/10",
            aliases: &[],
        },
        Code {
            code: "5/10",
            name: "5/10",
            aliases: &[],
        },
        Code {
            code: "4/10",
            name: "4/10",
            aliases: &[],
        },
        Code {
            code: "3/10",
            name: "3/10",
            aliases: &[],
        },
        Code {
            code: "2/10",
            name: "2/10",
            aliases: &[],
        },
        Code {
            code: "1/10",
            name: "1/10",
            aliases: &[],
        },
        Code {
            code: "12/12",
            name: "12/12",
            aliases: &[
                "Tốt nghiệp THPT",
                "THPT",
                "Trung học phổ thông",
                "Lớp 12",
                "12",
            ],
        },
        Code {
            code: "11/12",
            name: "11/12",
            aliases: &[],
        },
        Code {
            code: "10/12",
            name: "10/12",
            aliases: &[],
        },
        Code {
            code: "9/12",
            name: "9/12",
            aliases: &["Tốt nghiệp THCS", "THCS", "Trung học cơ sở", "Lớp 9"],
        },
        Code {
            code: "8/12",
            name: "8/12",
            aliases: &[],
        },
        Code {
            code: "7/12",
            name: "7/12",
            aliases: &[],
        },
        Code {
            code: "6/12",
            name: "6/12",
            aliases: &[],
        },
        Code {
            code: "5/12",
            name: "5/12",
            aliases: &["Tiểu học", "Lớp 5"],
        },
        Code {
            code: "4/12",
            name: "4/12",
            aliases: &[],
        },
        Code {
            code: "3/12",
            name: "3/12",
            aliases: &[],
        },
        Code {
            code: "2/12",
            name: "2/12",
            aliases: &[],
        },
        Code {
            code: "1/12",
            name: "1/12",
            aliases: &[],
        },
    ],
}];

/// Political theory (Quy định 57-QĐ/TW and the training levels of the Hồ Chí Minh Academy).
static THEORY: [CodeList; 1] = [CodeList {
    source: "Trình độ lý luận chính trị; mã của Đảng vụ",
    from_ymd: (1930, 1, 1),
    prefix: false,
    codes: &[
        Code {
            code: "SC",
            name: "Sơ cấp",
            aliases: &["Sơ cấp lý luận chính trị", "Sơ cấp LLCT"],
        },
        Code {
            code: "TC",
            name: "Trung cấp",
            aliases: &[
                "Trung cấp lý luận chính trị",
                "Trung cấp LLCT",
                "Trung cấp chính trị",
            ],
        },
        Code {
            code: "CC",
            name: "Cao cấp",
            aliases: &[
                "Cao cấp lý luận chính trị",
                "Cao cấp LLCT",
                "CCLLCT",
                "Cao cấp chính trị",
            ],
        },
        Code {
            code: "CN",
            name: "Cử nhân",
            aliases: &["Cử nhân chính trị", "Cử nhân lý luận chính trị"],
        },
    ],
}];

/// Professional level (Luật Giáo dục 2019, Luật Giáo dục nghề nghiệp 2014): the level, which a
/// written qualification begins with ("Kỹ sư khai thác mỏ").
static PROFESSIONAL: [CodeList; 1] = [CodeList {
    source: "Trình độ chuyên môn theo Luật Giáo dục 2019; mã của Đảng vụ",
    from_ymd: (1930, 1, 1),
    prefix: true,
    codes: &[
        Code {
            code: "00",
            name: "Chưa qua đào tạo",
            aliases: &["Không", "Chưa đào tạo", "Phổ thông"],
        },
        Code {
            code: "SC",
            name: "Sơ cấp",
            aliases: &["Công nhân kỹ thuật", "CNKT", "Sơ cấp nghề"],
        },
        Code {
            code: "TC",
            name: "Trung cấp",
            aliases: &["Trung cấp nghề", "Trung học chuyên nghiệp", "THCN"],
        },
        Code {
            code: "CD",
            name: "Cao đẳng",
            aliases: &["Cao đẳng nghề"],
        },
        Code {
            code: "DH",
            name: "Đại học",
            aliases: &[
                "Cử nhân",
                "Kỹ sư",
                "Bác sĩ",
                "Dược sĩ",
                "Kiến trúc sư",
                "Đại học chính quy",
                "Đại học tại chức",
            ],
        },
        Code {
            code: "THS",
            name: "Thạc sĩ",
            aliases: &[
                "Thạc sỹ",
                "ThS",
                "Bác sĩ chuyên khoa I",
                "Bác sĩ CKI",
                "Dược sĩ chuyên khoa I",
            ],
        },
        Code {
            code: "TS",
            name: "Tiến sĩ",
            aliases: &["Tiến sỹ", "TS", "Bác sĩ chuyên khoa II", "Bác sĩ CKII"],
        },
        Code {
            code: "TSKH",
            name: "Tiến sĩ khoa học",
            aliases: &["TSKH"],
        },
    ],
}];
