//! The Uông Bí demo's data table: the 50 grassroots organisations of the city in 2018, their
//! kinds, wards and cells.

use crate::people::Milieu;

/// Which new ward (from 1/7/2025) a grassroots organisation belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NewWard {
    UongBi,
    YenTu,
    VangDanh,
}

pub(super) struct Grassroots {
    pub(super) name: &'static str,
    /// Number of chi bộ trực thuộc (0: a chi bộ cơ sở).
    pub(super) cells: usize,
    pub(super) milieu: Milieu,
    pub(super) hills: bool,
    pub(super) ward: NewWard,
    /// How cells are named.
    pub(super) cell_names: CellNames,
}

#[derive(Clone, Copy)]
pub(super) enum CellNames {
    Khu,
    Thon,
    Units(&'static [&'static str]),
}

pub(super) const MINE_UNITS: &[&str] = &[
    "Phân xưởng Khai thác 1",
    "Phân xưởng Khai thác 2",
    "Phân xưởng Khai thác 3",
    "Phân xưởng Đào lò 1",
    "Phân xưởng Đào lò 2",
    "Phân xưởng Cơ điện",
    "Phân xưởng Vận tải",
    "Phân xưởng Thông gió",
    "Phân xưởng Sàng tuyển",
    "Phòng Kỹ thuật",
    "Khối Văn phòng",
    "Phân xưởng Đời sống",
];

pub(super) const PLANT_UNITS: &[&str] = &[
    "Phân xưởng Vận hành 1",
    "Phân xưởng Vận hành 2",
    "Phân xưởng Sửa chữa",
    "Phân xưởng Nhiên liệu",
    "Phòng Kỹ thuật",
    "Khối Văn phòng",
    "Phân xưởng Hóa",
    "Phân xưởng Điện - Tự động",
];

pub(super) const POLICE_UNITS: &[&str] = &[
    "Đội Cảnh sát hình sự",
    "Đội Cảnh sát điều tra tội phạm về kinh tế",
    "Đội Cảnh sát giao thông",
    "Đội An ninh",
    "Đội Tham mưu - Tổng hợp",
    "Đội Cảnh sát quản lý hành chính",
    "Đội Cảnh sát phòng cháy",
    "Công an phường Quang Trung",
    "Công an phường Thanh Sơn",
    "Công an phường Vàng Danh",
];

pub(super) const MILITARY_UNITS: &[&str] = &[
    "Cơ quan Ban Chỉ huy",
    "Ban Tham mưu",
    "Ban Chính trị",
    "Ban Hậu cần - Kỹ thuật",
    "Trung đội Dân quân cơ động",
];

pub(super) const AGENCY_UNITS: &[&str] = &[
    "Văn phòng",
    "Ban Tổ chức",
    "Ban Tuyên giáo",
    "Ủy ban Kiểm tra",
    "Ban Dân vận",
    "Trung tâm Chính trị",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Quản lý đô thị",
    "Phòng Nội vụ",
    "Phòng Văn hóa và Thông tin",
    "Thanh tra thành phố",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Kinh tế",
];

pub(super) const HEALTH_UNITS: &[&str] = &[
    "Khoa Nội",
    "Khoa Ngoại",
    "Khoa Sản",
    "Khoa Nhi",
    "Khoa Hồi sức cấp cứu",
    "Khoa Khám bệnh",
    "Phòng Kế hoạch tổng hợp",
    "Khối Hành chính",
    "Khoa Chẩn đoán hình ảnh",
    "Khoa Xét nghiệm",
];

pub(super) const SCHOOL_UNITS: &[&str] = &[
    "Khoa Sư phạm",
    "Khoa Du lịch",
    "Khoa Ngoại ngữ",
    "Khoa Nghệ thuật",
    "Khối Phòng ban",
    "Khoa Khoa học tự nhiên",
    "Khoa Công nghệ thông tin",
    "Khoa Cơ điện",
    "Khoa Xây dựng",
];

pub(super) const COMPANY_UNITS: &[&str] = &[
    "Khối Văn phòng",
    "Phòng Kỹ thuật",
    "Đội Vận hành",
    "Đội Sản xuất 1",
    "Đội Sản xuất 2",
    "Đội Xe máy",
    "Phân xưởng Cơ khí",
    "Đội Dịch vụ",
];

/// The names of the demo's grassroots organisations of state agencies, whose working members
/// are introduced to their place of residence (R20).
pub(crate) fn agency_grassroots() -> Vec<&'static str> {
    grassroots_list()
        .into_iter()
        .filter(|g| g.milieu == Milieu::Agency)
        .map(|g| g.name)
        .collect()
}

pub(super) fn grassroots_list() -> Vec<Grassroots> {
    use CellNames::*;
    use Milieu::*;
    use NewWard::*;
    let g = |name, cells, milieu, hills, ward, cell_names| Grassroots {
        name,
        cells,
        milieu,
        hills,
        ward,
        cell_names,
    };
    vec![
        g(
            "Đảng bộ phường Nam Khê",
            15,
            Residential,
            false,
            VangDanh,
            Khu,
        ),
        g(
            "Đảng bộ phường Trưng Vương",
            15,
            Residential,
            false,
            VangDanh,
            Khu,
        ),
        g(
            "Đảng bộ phường Quang Trung",
            16,
            Residential,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Đảng bộ phường Bắc Sơn",
            14,
            Residential,
            false,
            VangDanh,
            Khu,
        ),
        g(
            "Đảng bộ phường Vàng Danh",
            14,
            Residential,
            true,
            VangDanh,
            Khu,
        ),
        g(
            "Đảng bộ phường Thanh Sơn",
            16,
            Residential,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Đảng bộ phường Yên Thanh",
            15,
            Residential,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Đảng bộ xã Thượng Yên Công",
            11,
            Residential,
            true,
            YenTu,
            Thon,
        ),
        g("Đảng bộ xã Điền Công", 10, Residential, false, UongBi, Thon),
        g(
            "Đảng bộ xã Phương Đông",
            14,
            Residential,
            false,
            YenTu,
            Thon,
        ),
        g("Đảng bộ xã Phương Nam", 14, Residential, false, YenTu, Thon),
        g(
            "Đảng bộ Cơ quan Thành ủy",
            6,
            Agency,
            false,
            UongBi,
            Units(AGENCY_UNITS),
        ),
        g(
            "Đảng bộ Cơ quan Ủy ban nhân dân thành phố",
            8,
            Agency,
            false,
            UongBi,
            Units(&AGENCY_UNITS[6..]),
        ),
        g(
            "Đảng bộ Công an thành phố",
            10,
            Police,
            false,
            UongBi,
            Units(POLICE_UNITS),
        ),
        g(
            "Đảng bộ Quân sự thành phố",
            5,
            Military,
            false,
            UongBi,
            Units(MILITARY_UNITS),
        ),
        g(
            "Đảng bộ Bệnh viện Việt Nam - Thụy Điển Uông Bí",
            10,
            Health,
            false,
            UongBi,
            Units(HEALTH_UNITS),
        ),
        g(
            "Đảng bộ Trung tâm Y tế thành phố",
            6,
            Health,
            false,
            UongBi,
            Units(HEALTH_UNITS),
        ),
        g(
            "Đảng bộ Công ty Than Uông Bí - TKV",
            12,
            Enterprise,
            false,
            VangDanh,
            Units(MINE_UNITS),
        ),
        g(
            "Đảng bộ Công ty Than Vàng Danh - Vinacomin",
            12,
            Enterprise,
            true,
            VangDanh,
            Units(MINE_UNITS),
        ),
        g(
            "Đảng bộ Công ty Than Nam Mẫu - TKV",
            12,
            Enterprise,
            true,
            YenTu,
            Units(MINE_UNITS),
        ),
        g(
            "Đảng bộ Công ty Nhiệt điện Uông Bí",
            8,
            Enterprise,
            false,
            UongBi,
            Units(PLANT_UNITS),
        ),
        g(
            "Đảng bộ Trường Đại học Hạ Long (cơ sở Uông Bí)",
            8,
            School,
            false,
            UongBi,
            Units(SCHOOL_UNITS),
        ),
        g(
            "Đảng bộ Trường Cao đẳng Công nghiệp và Xây dựng",
            7,
            School,
            false,
            UongBi,
            Units(SCHOOL_UNITS),
        ),
        g(
            "Đảng bộ Công ty Xây dựng Mỏ Hầm lò 1 - Vinacomin",
            8,
            Enterprise,
            false,
            VangDanh,
            Units(MINE_UNITS),
        ),
        g(
            "Đảng bộ Công ty Kho vận Đá Bạc - Vinacomin",
            7,
            Enterprise,
            false,
            YenTu,
            Units(COMPANY_UNITS),
        ),
        g(
            "Đảng bộ Công ty Cổ phần Xi măng Lam Thạch",
            6,
            Enterprise,
            false,
            YenTu,
            Units(COMPANY_UNITS),
        ),
        g(
            "Đảng bộ Điện lực Uông Bí",
            6,
            Enterprise,
            false,
            UongBi,
            Units(COMPANY_UNITS),
        ),
        g(
            "Đảng bộ Công ty Cổ phần Môi trường đô thị Uông Bí",
            5,
            Enterprise,
            false,
            UongBi,
            Units(COMPANY_UNITS),
        ),
        g(
            "Đảng bộ Ban Quản lý Di tích và Rừng quốc gia Yên Tử",
            6,
            Agency,
            true,
            YenTu,
            Units(COMPANY_UNITS),
        ),
        g(
            "Đảng bộ Công ty Cổ phần Cảng Điền Công",
            6,
            Enterprise,
            false,
            UongBi,
            Units(COMPANY_UNITS),
        ),
        g(
            "Chi bộ Viện Kiểm sát nhân dân thành phố",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Tòa án nhân dân thành phố",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Chi cục Thi hành án dân sự",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g("Chi bộ Chi cục Thuế", 0, Agency, false, UongBi, Khu),
        g(
            "Chi bộ Kho bạc Nhà nước Uông Bí",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Ngân hàng Nông nghiệp chi nhánh Uông Bí",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Bảo hiểm xã hội thành phố",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g("Chi bộ Trường THPT Uông Bí", 0, School, false, UongBi, Khu),
        g(
            "Chi bộ Trường THPT Hoàng Văn Thụ",
            0,
            School,
            false,
            VangDanh,
            Khu,
        ),
        g(
            "Chi bộ Trường THPT Nguyễn Tất Thành",
            0,
            School,
            false,
            UongBi,
            Khu,
        ),
        g("Chi bộ Trường THPT Hồng Đức", 0, School, false, YenTu, Khu),
        g(
            "Chi bộ Trường THCS Trưng Vương",
            0,
            School,
            false,
            VangDanh,
            Khu,
        ),
        g(
            "Chi bộ Trường THCS Nguyễn Trãi",
            0,
            School,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Trường Tiểu học Quang Trung",
            0,
            School,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Trường Mầm non Hoa Hồng",
            0,
            School,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
            0,
            School,
            false,
            UongBi,
            Khu,
        ),
        g(
            "Chi bộ Ngân hàng Công thương chi nhánh Uông Bí",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
        g("Chi bộ Bưu điện thành phố", 0, Agency, false, UongBi, Khu),
        g("Chi bộ Hạt Kiểm lâm Uông Bí", 0, Agency, true, YenTu, Khu),
        g(
            "Chi bộ Trung tâm Văn hóa - Thể thao thành phố",
            0,
            Agency,
            false,
            UongBi,
            Khu,
        ),
    ]
}
