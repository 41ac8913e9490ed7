//! The fields a sheet's columns can hold and the headers that name them.

use serde::{Deserialize, Serialize};

/// A field an imported column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    /// STT: the row's number in the sheet (read, not stored).
    Ordinal,
    FullName,
    BirthName,
    Aliases,
    Sex,
    BirthDate,
    /// The birth date written in the "Nam" column under "Ngày sinh" (the form's way of
    /// giving the sex).
    BirthDateMale,
    BirthDateFemale,
    BirthPlace,
    HomeTown,
    Residence,
    Ethnicity,
    Religion,
    Cccd,
    Education,
    PoliticalTheory,
    Professional,
    Occupation,
    Workplace,
    HistoryNumber,
    CardNumber,
    CardIssuedOn,
    AdmittedOn,
    OfficialOn,
    JoinedOn,
    /// Ngày chuyển đi, nơi chuyển đến / đi: columns of the register recognised so that they
    /// are not taken for another field; not imported.
    TransferredOutOn,
    PlaceTo,
    PlaceFrom,
    Cell,
    Army,
    Police,
    Retired,
    Notes,
    OrgName,
    OrgKind,
    OrgParent,
    OrgFounded,
    OrgDecision,
}

/// The fields of a sheet of organisations.
pub const ORG_FIELDS: &[ImportField] = &[
    ImportField::Ordinal,
    ImportField::OrgName,
    ImportField::OrgKind,
    ImportField::OrgParent,
    ImportField::OrgFounded,
    ImportField::OrgDecision,
    ImportField::Notes,
];

use ImportField as F;

/// Each field with the headers (folded, punctuation as spaces) that name it.
const PATTERNS: &[(ImportField, &[&str])] = &[
    (F::Ordinal, &["stt", "tt", "so tt", "so thu tu"]),
    (
        F::BirthName,
        &["ho ten khai sinh", "ten khai sinh", "ho va ten khai sinh"],
    ),
    (
        F::FullName,
        &[
            "ho va ten",
            "ho ten",
            "ho ten dang dung",
            "ho va ten dang dung",
            "ho ten dang vien",
        ],
    ),
    (F::Aliases, &["ten goi khac", "bi danh", "ten khac"]),
    (F::Sex, &["gioi tinh", "nam nu", "gt"]),
    (
        F::BirthDate,
        &["ngay sinh", "ngay thang nam sinh", "sinh ngay", "nam sinh"],
    ),
    (F::BirthPlace, &["noi sinh"]),
    (F::HomeTown, &["que quan", "que"]),
    (
        F::Residence,
        &[
            "noi cu tru",
            "noi o hien nay",
            "noi o",
            "cho o hien nay",
            "dia chi",
            "thuong tru",
            "noi thuong tru",
            "dia chi thuong tru",
        ],
    ),
    (F::Ethnicity, &["dan toc"]),
    (F::Religion, &["ton giao"]),
    (
        F::Cccd,
        &[
            "cccd",
            "can cuoc",
            "can cuoc cong dan",
            "so cccd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "cmnd",
            "so cmnd",
        ],
    ),
    (
        F::Education,
        &[
            "giao duc pho thong",
            "gdpt",
            "trinh do van hoa",
            "hoc van",
            "trinh do hoc van",
            "van hoa",
        ],
    ),
    (
        F::PoliticalTheory,
        &[
            "ly luan chinh tri",
            "llct",
            "trinh do ly luan",
            "trinh do llct",
            "ly luan",
        ],
    ),
    (
        F::Professional,
        &[
            "chuyen mon",
            "chuyen mon nghiep vu",
            "trinh do chuyen mon",
            "cmnv",
        ],
    ),
    (
        F::Occupation,
        &["nghe nghiep", "nghe nghiep hien nay", "cong viec hien nay"],
    ),
    (
        F::Workplace,
        &[
            "noi lam viec",
            "don vi cong tac",
            "co quan cong tac",
            "noi cong tac",
        ],
    ),
    (
        F::HistoryNumber,
        &["so ly lich", "so ll", "so lldv", "ly lich"],
    ),
    (
        F::CardNumber,
        &["so the dang", "so the dang vien", "the dang", "so the"],
    ),
    (
        F::CardIssuedOn,
        &["ngay cap the", "ngay phat the", "cap the"],
    ),
    (
        F::AdmittedOn,
        &["ngay vao dang", "vao dang", "ngay ket nap", "ket nap"],
    ),
    (
        F::OfficialOn,
        &["ngay chinh thuc", "chinh thuc", "ngay cong nhan chinh thuc"],
    ),
    (F::JoinedOn, &["ngay chuyen den", "chuyen den", "ngay den"]),
    (F::TransferredOutOn, &["ngay chuyen di", "chuyen di"]),
    (F::PlaceTo, &["noi chuyen den", "noi den"]),
    (F::PlaceFrom, &["noi chuyen di", "noi di", "chuyen tu"]),
    (
        F::Cell,
        &[
            "chi bo",
            "sinh hoat tai",
            "chi bo sinh hoat",
            "to chuc dang",
            "chi bo dang sinh hoat",
        ],
    ),
    (F::Army, &["quan doi", "qd"]),
    (F::Police, &["cong an", "ca"]),
    (F::Retired, &["nghi huu", "huu tri", "nh"]),
    (F::Notes, &["ghi chu"]),
    (
        F::OrgName,
        &[
            "ten to chuc",
            "ten to chuc dang",
            "ten chi bo",
            "ten dang bo",
            "to chuc dang",
            "ten",
        ],
    ),
    (
        F::OrgKind,
        &["loai", "loai hinh", "loai to chuc", "cap to chuc"],
    ),
    (
        F::OrgParent,
        &["truc thuoc", "cap tren", "to chuc cap tren", "thuoc"],
    ),
    (F::OrgFounded, &["ngay thanh lap", "thanh lap"]),
    (
        F::OrgDecision,
        &["quyet dinh", "so quyet dinh", "quyet dinh thanh lap"],
    ),
];

impl ImportField {
    /// Every field a sheet of members may hold.
    pub const MEMBER: &'static [ImportField] = &[
        F::Ordinal,
        F::FullName,
        F::BirthName,
        F::Aliases,
        F::Sex,
        F::BirthDate,
        F::BirthDateMale,
        F::BirthDateFemale,
        F::BirthPlace,
        F::HomeTown,
        F::Residence,
        F::Ethnicity,
        F::Religion,
        F::Cccd,
        F::Education,
        F::PoliticalTheory,
        F::Professional,
        F::Occupation,
        F::Workplace,
        F::HistoryNumber,
        F::CardNumber,
        F::CardIssuedOn,
        F::AdmittedOn,
        F::OfficialOn,
        F::JoinedOn,
        F::TransferredOutOn,
        F::PlaceTo,
        F::PlaceFrom,
        F::Cell,
        F::Army,
        F::Police,
        F::Retired,
        F::Notes,
    ];

    /// The field's key (as the API and a saved mapping write it).
    pub fn key(self) -> &'static str {
        match self {
            F::Ordinal => "ordinal",
            F::FullName => "full_name",
            F::BirthName => "birth_name",
            F::Aliases => "aliases",
            F::Sex => "sex",
            F::BirthDate => "birth_date",
            F::BirthDateMale => "birth_date_male",
            F::BirthDateFemale => "birth_date_female",
            F::BirthPlace => "birth_place",
            F::HomeTown => "home_town",
            F::Residence => "residence",
            F::Ethnicity => "ethnicity",
            F::Religion => "religion",
            F::Cccd => "cccd",
            F::Education => "education",
            F::PoliticalTheory => "political_theory",
            F::Professional => "professional",
            F::Occupation => "occupation",
            F::Workplace => "workplace",
            F::HistoryNumber => "history_number",
            F::CardNumber => "card_number",
            F::CardIssuedOn => "card_issued_on",
            F::AdmittedOn => "admitted_on",
            F::OfficialOn => "official_on",
            F::JoinedOn => "joined_on",
            F::TransferredOutOn => "transferred_out_on",
            F::PlaceTo => "place_to",
            F::PlaceFrom => "place_from",
            F::Cell => "cell",
            F::Army => "army",
            F::Police => "police",
            F::Retired => "retired",
            F::Notes => "notes",
            F::OrgName => "org_name",
            F::OrgKind => "org_kind",
            F::OrgParent => "org_parent",
            F::OrgFounded => "org_founded",
            F::OrgDecision => "org_decision",
        }
    }

    pub fn from_key(k: &str) -> Option<ImportField> {
        PATTERNS
            .iter()
            .map(|(f, _)| *f)
            .chain([F::BirthDateMale, F::BirthDateFemale])
            .find(|f| f.key() == k)
    }

    /// The field named by a folded header, among `fields`: the field of the longest header
    /// pattern found in it as whole words. The header's last part (the lowest header row)
    /// is tried alone first, so that "Ngày, tháng, năm / Vào Đảng" is the admission.
    pub fn recognise(folded: &str, fields: &[ImportField]) -> Option<ImportField> {
        let last = folded.rsplit(" / ").next().unwrap_or(folded);
        best_match(&words(last), fields).or_else(|| best_match(&words(folded), fields))
    }

    /// The fields a header names together, in the order it names them, when it names more
    /// than one ("Giới tính, dân tộc, tôn giáo"; "Ngày vào Đảng, ngày chính thức"): the
    /// register of members (Mẫu 7-HSĐV) writes them in one column, one a line. The longest
    /// names win and do not overlap ("Họ và tên khai sinh" is not also "Họ và tên"). Empty when
    /// the header (or its lowest row alone) names one field or none.
    pub fn recognise_all(folded: &str, fields: &[ImportField]) -> Vec<ImportField> {
        let last = folded.rsplit(" / ").next().unwrap_or(folded);
        let w = words(last);
        let mut found: Vec<(usize, usize, ImportField)> = Vec::new();
        for (f, pats) in PATTERNS {
            if !fields.contains(f) {
                continue;
            }
            for p in *pats {
                let pw: Vec<&str> = p.split(' ').collect();
                if pw.len() == 1 && pw[0].len() <= 3 {
                    continue;
                }
                for (start, win) in w.windows(pw.len()).enumerate() {
                    if win.iter().zip(&pw).all(|(a, b)| a == b) {
                        found.push((start, pw.len(), *f));
                    }
                }
            }
        }
        // Longest first; a span inside a kept one, or a field kept already, is dropped.
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut kept: Vec<(usize, usize, ImportField)> = Vec::new();
        for (start, len, f) in found {
            let overlaps = kept
                .iter()
                .any(|(s, l, _)| start < s + l && *s < start + len);
            if !overlaps && !kept.iter().any(|k| k.2 == f) {
                kept.push((start, len, f));
            }
        }
        kept.sort_by_key(|k| k.0);
        if kept.len() < 2 {
            return Vec::new();
        }
        kept.into_iter().map(|k| k.2).collect()
    }

    /// A yes/no field (quân đội, công an, nghỉ hưu): in a shared column it is yes when the
    /// cell names it, wherever.
    pub fn is_flag(self) -> bool {
        matches!(self, F::Army | F::Police | F::Retired)
    }

    /// Whether a cell's folded text names this flag field.
    pub fn named_in(self, folded: &str) -> bool {
        let w = words(folded);
        PATTERNS
            .iter()
            .filter(|(f, _)| *f == self)
            .flat_map(|(_, p)| p.iter())
            .filter(|p| p.len() > 3)
            .any(|p| {
                let pw: Vec<&str> = p.split(' ').collect();
                w.windows(pw.len())
                    .any(|win| win.iter().zip(&pw).all(|(a, b)| a == b))
            })
    }
}

fn words(s: &str) -> Vec<String> {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn best_match(w: &[String], fields: &[ImportField]) -> Option<ImportField> {
    if w.is_empty() {
        return None;
    }
    // A birth date given in the form's "Nam" / "Nữ" column under "Ngày sinh".
    let sexed = |last: &str, f: ImportField| {
        (w.last().is_some_and(|l| l == last)
            && w[..w.len() - 1].iter().any(|x| x == "sinh")
            && fields.contains(&f))
        .then_some(f)
    };
    if let Some(f) = sexed("nam", F::BirthDateMale).or_else(|| sexed("nu", F::BirthDateFemale)) {
        return Some(f);
    }
    let mut best: Option<(usize, ImportField)> = None;
    for (f, pats) in PATTERNS {
        if !fields.contains(f) {
            continue;
        }
        for p in *pats {
            let pw: Vec<&str> = p.split(' ').collect();
            let found = w
                .windows(pw.len())
                .any(|win| win.iter().zip(&pw).all(|(a, b)| a == b));
            // A pattern of one short word ("tt", "ca", "qd") names a column only alone.
            let alone = pw.len() > 1 || pw[0].len() > 3 || w.len() == 1;
            if found && alone && best.is_none_or(|(n, _)| p.len() > n) {
                best = Some((p.len(), *f));
            }
        }
    }
    best.map(|(_, f)| f)
}
