//! Everything a user reads, in Vietnamese: labels of codes, error messages, number formats.

use dangvu_domain::member::{DisciplineForm, EventKind, Sex, Status};
use dangvu_domain::org::{OrgKind, Position};

mod fields;
mod messages;
pub use fields::field;
pub use messages::message;

pub fn kind(k: OrgKind) -> &'static str {
    match k {
        OrgKind::TrungUong => "Trung ương",
        OrgKind::DangBoTinh => "Đảng bộ tỉnh",
        OrgKind::DangBoHuyen => "Đảng bộ huyện / thành phố thuộc tỉnh",
        OrgKind::DangBoXa => "Đảng bộ xã / phường / đặc khu",
        OrgKind::DangBoCoSo => "Đảng bộ cơ sở",
        OrgKind::ChiBoCoSo => "Chi bộ cơ sở",
        OrgKind::DangBoBoPhan => "Đảng bộ bộ phận",
        OrgKind::ChiBoTrucThuoc => "Chi bộ trực thuộc",
        OrgKind::ToDang => "Tổ đảng",
    }
}

pub fn position(p: Position) -> &'static str {
    match p {
        Position::BiThu => "Bí thư",
        Position::PhoBiThu => "Phó Bí thư",
        Position::UyVienThuongVu => "Ủy viên Ban Thường vụ",
        Position::CapUyVien => "Cấp ủy viên",
        Position::ChuNhiemUbkt => "Chủ nhiệm Ủy ban Kiểm tra",
        Position::PhoChuNhiemUbkt => "Phó Chủ nhiệm Ủy ban Kiểm tra",
        Position::UyVienUbkt => "Ủy viên Ủy ban Kiểm tra",
        Position::ToTruong => "Tổ trưởng tổ đảng",
    }
}

pub fn status(s: Status) -> &'static str {
    match s {
        Status::NotMember => "Chưa là đảng viên",
        Status::Probationary => "Đảng viên dự bị",
        Status::Official => "Đảng viên chính thức",
        Status::Exempt => "Miễn công tác và sinh hoạt đảng",
        Status::Suspended => "Đình chỉ sinh hoạt đảng",
        Status::TemporarilyAway => "Sinh hoạt tạm thời nơi khác",
        Status::TransferredOut => "Sinh hoạt ở đảng bộ khác",
        Status::Died => "Đã từ trần",
        Status::RemovedFromRolls => "Đã xóa tên",
        Status::Expelled => "Đã khai trừ",
        Status::Resigned => "Đã ra khỏi Đảng",
    }
}

/// A flag on a member for her cell to consider (R11).
pub fn member_flag(f: &dangvu_app::views::MemberFlag) -> String {
    match f.code {
        "kht_two_years" => format!(
            "Hai năm liền {} và {} xếp loại không hoàn thành nhiệm vụ: chi bộ xem xét, đề nghị xóa tên ({}).",
            f.year,
            f.year + 1,
            f.rule
        ),
        "education_no_progress" => format!(
            "Đã quá 12 tháng giáo dục, giúp đỡ (đến năm {}) mà không tiến bộ: chi bộ xem xét, đề nghị xóa tên ({}).",
            f.year, f.rule
        ),
        other => other.to_owned(),
    }
}

/// How a period of education and help ended (R11).
pub fn education_outcome(o: dangvu_domain::member::EducationOutcome) -> &'static str {
    match o {
        dangvu_domain::member::EducationOutcome::Progressed => "Tiến bộ",
        dangvu_domain::member::EducationOutcome::NoProgress => "Không tiến bộ",
    }
}

/// A form of discipline of an organisation (R12).
pub fn org_discipline(d: dangvu_domain::org::OrgDiscipline) -> &'static str {
    use dangvu_domain::org::OrgDiscipline as D;
    match d {
        D::KhienTrach => "Khiển trách",
        D::CanhCao => "Cảnh cáo",
        D::GiaiTan => "Giải tán",
    }
}

/// What an organisation's size asks of it (R1, R3).
pub fn org_warning(w: dangvu_domain::org::OrgWarning) -> &'static str {
    use dangvu_domain::org::OrgWarning as W;
    match w {
        W::TooFewOfficial => {
            "Tổ chức có dưới 3 đảng viên chính thức (R3): cấp ủy cấp trên xem xét, sắp xếp lại."
        }
        W::NeedsCellCommittee => {
            "Chi bộ có từ 9 đảng viên chính thức trở lên nhưng chưa có chi ủy (R3): cần bầu chi ủy, từ đó bầu bí thư, phó bí thư."
        }
        W::GrassrootsCellTooLarge => {
            "Chi bộ cơ sở đã có từ 30 đảng viên (R1): xem xét thành lập đảng bộ cơ sở."
        }
    }
}

/// What a decision of the register is about.
pub fn decision_kind(k: dangvu_domain::decision::DecisionKind) -> &'static str {
    use dangvu_domain::decision::DecisionKind as K;
    match k {
        K::Admission => "Kết nạp đảng viên",
        K::Official => "Công nhận đảng viên chính thức",
        K::Transfer => "Chuyển sinh hoạt đảng",
        K::Discipline => "Kỷ luật",
        K::Exemption => "Miễn công tác và sinh hoạt đảng",
        K::Removal => "Xóa tên",
        K::Appointment => "Chỉ định, chuẩn y cấp ủy",
        K::Review => "Xếp loại chất lượng",
        K::Other => "Khác",
    }
}

/// Loại quy chế, quy định (R32).
pub fn regulation_kind(k: dangvu_domain::regulation::RegulationKind) -> &'static str {
    use dangvu_domain::regulation::RegulationKind as K;
    match k {
        K::ExecutiveRules => "Quy chế làm việc của Ban Chấp hành",
        K::StandingRules => "Quy chế làm việc của Ban Thường vụ, Thường trực",
        K::OrganisationCadres => "Quy định về công tác tổ chức, cán bộ",
        K::Finance => "Quy chế quản lý tài chính, chi tiêu",
        K::Inspection => "Quy chế kiểm tra, giám sát",
        K::Other => "Quy chế, quy định khác",
    }
}

/// Loại kê khai tài sản (R33).
pub fn declaration_kind(k: dangvu_domain::assets::DeclarationKind) -> &'static str {
    use dangvu_domain::assets::DeclarationKind as K;
    match k {
        K::First => "Kê khai lần đầu",
        K::Annual => "Kê khai hằng năm",
        K::Additional => "Kê khai bổ sung",
        K::Personnel => "Kê khai phục vụ công tác cán bộ",
    }
}

pub fn declaration_state(s: dangvu_domain::assets::DeclarationState) -> &'static str {
    use dangvu_domain::assets::DeclarationState as S;
    match s {
        S::OnTime => "Đã nộp đúng hạn",
        S::Late => "Nộp muộn",
        S::Due => "Chưa đến hạn",
        S::Overdue => "Quá hạn, chưa nộp",
    }
}

pub fn supervision_kind(k: dangvu_domain::assets::SupervisionKind) -> &'static str {
    use dangvu_domain::assets::SupervisionKind as K;
    match k {
        K::Supervision => "Giám sát",
        K::Inspection => "Kiểm tra",
    }
}

pub fn trigger(t: dangvu_domain::assets::Trigger) -> &'static str {
    use dangvu_domain::assets::Trigger as T;
    match t {
        T::Plan => "Theo chương trình, kế hoạch",
        T::Complaint => "Có đơn thư khiếu nại, tố cáo",
        T::SignOfViolation => "Có dấu hiệu vi phạm",
    }
}

/// Nguồn ý kiến góp ý (R34).
pub fn opinion_source(s: dangvu_domain::opinion::OpinionSource) -> &'static str {
    use dangvu_domain::opinion::OpinionSource as S;
    match s {
        S::Front => "Mặt trận Tổ quốc",
        S::MassOrg => "Tổ chức chính trị - xã hội",
        S::Citizen => "Nhân dân",
        S::Meeting => "Hội nghị, đối thoại, tiếp xúc cử tri",
    }
}

pub fn opinion_status(s: dangvu_domain::opinion::OpinionStatus) -> &'static str {
    use dangvu_domain::opinion::OpinionStatus as S;
    match s {
        S::Received => "Mới tiếp nhận",
        S::Assigned => "Đang giải quyết",
        S::Answered => "Đã trả lời",
    }
}

pub fn event(k: EventKind) -> &'static str {
    match k {
        EventKind::Admitted => "Kết nạp vào Đảng",
        EventKind::Readmitted => "Kết nạp lại",
        EventKind::MadeOfficial => "Công nhận đảng viên chính thức",
        EventKind::TransferredIn => "Chuyển sinh hoạt đến",
        EventKind::MovedCell => "Chuyển sinh hoạt sang chi bộ khác",
        EventKind::TransferredOut => "Chuyển sinh hoạt đi",
        EventKind::TemporaryOut => "Sinh hoạt tạm thời nơi khác",
        EventKind::TemporaryReturn => "Trở về sau sinh hoạt tạm thời",
        EventKind::Exempted => "Miễn công tác và sinh hoạt đảng",
        EventKind::ExemptionEnded => "Trở lại sinh hoạt đảng",
        EventKind::Suspended => "Đình chỉ sinh hoạt đảng",
        EventKind::SuspensionLifted => "Hết đình chỉ sinh hoạt",
        EventKind::Disciplined => "Kỷ luật",
        EventKind::RemovedFromRolls => "Xóa tên",
        EventKind::Resigned => "Xin ra khỏi Đảng",
        EventKind::Died => "Từ trần",
    }
}

pub fn discipline(d: DisciplineForm) -> &'static str {
    match d {
        DisciplineForm::KhienTrach => "Khiển trách",
        DisciplineForm::CanhCao => "Cảnh cáo",
        DisciplineForm::CachChuc => "Cách chức",
        DisciplineForm::KhaiTru => "Khai trừ",
    }
}

pub fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Male => "Nam",
        Sex::Female => "Nữ",
    }
}

/// The name of a kind of meeting (R16).
pub fn meeting_kind(k: dangvu_domain::meeting::MeetingKind) -> &'static str {
    use dangvu_domain::meeting::MeetingKind::*;
    match k {
        Regular => "Sinh hoạt thường kỳ",
        Thematic => "Sinh hoạt chuyên đề",
        Combined => "Sinh hoạt thường kỳ kết hợp chuyên đề",
        Extraordinary => "Sinh hoạt bất thường",
        Assembly => "Hội nghị đảng bộ",
    }
}

/// How a member stood at a meeting.
pub fn attendance(a: dangvu_domain::meeting::Attendance) -> &'static str {
    use dangvu_domain::meeting::Attendance::*;
    match a {
        Present => "Có mặt",
        AbsentExcused => "Vắng có lý do",
        AbsentUnexcused => "Vắng không lý do",
        Exempt => "Miễn sinh hoạt",
        Attached => "Sinh hoạt tạm thời",
    }
}

/// The catalogue's name of a programme item (R17).
pub fn item_kind(k: dangvu_domain::meeting::ItemKind) -> &'static str {
    use dangvu_domain::meeting::ItemKind::*;
    match k {
        Disseminate => "Quán triệt, triển khai nghị quyết, chỉ thị",
        CurrentAffairs => "Thông tin thời sự",
        MonthReview => "Kiểm điểm việc thực hiện nhiệm vụ tháng",
        HoChiMinh => "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        Concerns => "Ý kiến, kiến nghị của đảng viên và nhân dân",
        NextTasks => "Nhiệm vụ tháng tới",
        Admission => "Kết nạp đảng viên, chuyển đảng chính thức",
        Thematic => "Sinh hoạt chuyên đề",
        Other => "Nội dung khác",
    }
}

/// An item's title, or its catalogue name when it has none.
pub fn item_title(kind: dangvu_domain::meeting::ItemKind, title: &str) -> String {
    if title.is_empty() {
        item_kind(kind).to_owned()
    } else {
        title.to_owned()
    }
}

/// The categories introduced but exempt from residence activities (HD 33).
pub fn exempt_category(code: &str) -> &'static str {
    match code {
        "barracks" => "Quân đội, công an ở doanh trại, nhà công vụ",
        "mobile" => "Làm việc lưu động, luân chuyển ở nhà công vụ",
        "full_time_study" => "Đi học tập trung cả năm",
        "other" => "Trường hợp khác được cấp ủy cho miễn",
        _ => "",
    }
}

/// The name of a level.
pub fn level(code: &str) -> &'static str {
    match dangvu_domain::review::Level::from_code(code) {
        Some(l) => dangvu_app::wording::level_phrase(l),
        None => "",
    }
}

/// The name of a review step.
pub fn step(step: &str, body: &str) -> &'static str {
    match (step, body) {
        ("self", _) => "Tự kiểm điểm",
        ("comment", "cell_committee") => "Nhận xét của chi ủy",
        ("comment", "residence") => "Nhận xét của chi ủy nơi cư trú",
        ("comment", "mass_org") => "Nhận xét của đoàn thể",
        ("comment", "agency") => "Nhận xét của thủ trưởng cơ quan",
        ("proposal", _) => "Đề xuất xếp loại",
        ("conclusion", _) => "Kết luận",
        ("decision", _) => "Quyết định xếp loại",
        _ => "",
    }
}

/// Why a subject is not classified (R24), as reports say it.
pub fn not_classified(code: &str) -> &'static str {
    match code {
        "exempt" => "miễn sinh hoạt đảng",
        "suspended" => "đình chỉ sinh hoạt đảng",
        "admitted_late" => "kết nạp chưa đủ 6 tháng",
        "not_on_rolls" => "không còn trong danh sách cuối kỳ",
        "org_too_young" => "thành lập chưa đủ 6 tháng",
        _ => "lý do khác",
    }
}

/// "Ngày sinh: là ngày không có thật".
pub fn field_message(field_name: &str, code: &str) -> String {
    format!("{}: {}", field(field_name), message(code))
}

/// Vietnamese number format: "." between thousands (6.563).
pub fn number(n: i64) -> String {
    dangvu_domain::text::number(n)
}

/// Tuổi đảng: "12 năm 3 tháng".
pub fn seniority(months: i32) -> String {
    let (y, m) = (months / 12, months % 12);
    match (y, m) {
        (0, m) => format!("{m} tháng"),
        (y, 0) => format!("{y} năm"),
        (y, m) => format!("{y} năm {m} tháng"),
    }
}

/// A half-year as reports write it: "6 tháng đầu năm 2026".
pub fn half_year((y, h): &(i32, u32)) -> String {
    format!("6 tháng {} năm {y}", if *h == 1 { "đầu" } else { "cuối" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_dots_between_thousands() {
        assert_eq!(number(6563), "6.563");
        assert_eq!(number(1025), "1.025");
        assert_eq!(number(1_000_000), "1.000.000");
        assert_eq!(number(35), "35");
    }

    #[test]
    fn every_domain_code_has_a_message() {
        for code in [
            "tree_cycle",
            "cccd_format",
            "date_impossible",
            "discipline_not_allowed_probationary",
            "card_number_taken",
        ] {
            assert_ne!(message(code), "không hợp lệ", "{code}");
        }
        assert_eq!(
            field_message("cccd", "cccd_format"),
            "Số CCCD: phải gồm đúng 12 chữ số"
        );
    }

    #[test]
    fn seniority_text() {
        assert_eq!(seniority(147), "12 năm 3 tháng");
        assert_eq!(seniority(24), "2 năm");
        assert_eq!(seniority(5), "5 tháng");
    }
}
