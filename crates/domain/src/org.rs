//! The organisation tree (R1–R4).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::OrgId;

/// The type of a Party organisation (R1). Depth varies: the rules constrain parent and child
/// types, never the number of levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Trung ương: the Central Committee.
    TrungUong,
    /// Đảng bộ tỉnh: a province-level đảng bộ.
    DangBoTinh,
    /// Đảng bộ huyện / thành phố thuộc tỉnh: the district level, abolished 1/7/2025.
    DangBoHuyen,
    /// Đảng bộ xã / phường / đặc khu: the commune level directly under the province, since 1/7/2025.
    DangBoXa,
    /// Đảng bộ cơ sở: a grassroots đảng bộ (≥ 30 members) with subordinate cells.
    DangBoCoSo,
    /// Chi bộ cơ sở: a grassroots cell (< 30 members).
    ChiBoCoSo,
    /// Đảng bộ bộ phận: a partial đảng bộ inside a đảng bộ cơ sở.
    DangBoBoPhan,
    /// Chi bộ trực thuộc: a cell under a grassroots đảng bộ.
    ChiBoTrucThuoc,
    /// Tổ đảng: a party group inside a cell.
    ToDang,
}

impl OrgKind {
    pub const ALL: [OrgKind; 9] = [
        OrgKind::TrungUong,
        OrgKind::DangBoTinh,
        OrgKind::DangBoHuyen,
        OrgKind::DangBoXa,
        OrgKind::DangBoCoSo,
        OrgKind::ChiBoCoSo,
        OrgKind::DangBoBoPhan,
        OrgKind::ChiBoTrucThuoc,
        OrgKind::ToDang,
    ];

    /// Stable code used in storage, URLs and the API.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::TrungUong => "trung_uong",
            OrgKind::DangBoTinh => "dang_bo_tinh",
            OrgKind::DangBoHuyen => "dang_bo_huyen",
            OrgKind::DangBoXa => "dang_bo_xa",
            OrgKind::DangBoCoSo => "dang_bo_co_so",
            OrgKind::ChiBoCoSo => "chi_bo_co_so",
            OrgKind::DangBoBoPhan => "dang_bo_bo_phan",
            OrgKind::ChiBoTrucThuoc => "chi_bo_truc_thuoc",
            OrgKind::ToDang => "to_dang",
        }
    }

    pub fn from_code(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Tổ chức cơ sở đảng: a grassroots organisation.
    pub fn is_grassroots(self) -> bool {
        matches!(self, OrgKind::DangBoCoSo | OrgKind::ChiBoCoSo)
    }

    /// A cell (chi bộ): the organisation a member belongs to.
    pub fn is_cell(self) -> bool {
        matches!(self, OrgKind::ChiBoCoSo | OrgKind::ChiBoTrucThuoc)
    }

    /// Cấp trên cơ sở: a committee directly above grassroots organisations.
    pub fn is_above_grassroots(self) -> bool {
        matches!(
            self,
            OrgKind::TrungUong | OrgKind::DangBoTinh | OrgKind::DangBoHuyen | OrgKind::DangBoXa
        )
    }

    /// Whether an organisation of this kind may sit directly under one of kind `parent` (R1).
    /// `None` is the root of the tree.
    pub fn allowed_under(self, parent: Option<OrgKind>, on: NaiveDate) -> Result<(), DomainError> {
        use OrgKind::*;
        let ok = match (self, parent) {
            (TrungUong, None) | (DangBoTinh, None) => true,
            (DangBoTinh, Some(TrungUong)) => true,
            (DangBoHuyen, Some(DangBoTinh)) => on < district_level_abolished(),
            (DangBoXa, Some(DangBoTinh)) => true,
            (DangBoCoSo | ChiBoCoSo, Some(p)) => p.is_above_grassroots(),
            (DangBoBoPhan, Some(DangBoCoSo)) => true,
            (ChiBoTrucThuoc, Some(DangBoCoSo | DangBoBoPhan)) => true,
            (ToDang, Some(ChiBoCoSo | ChiBoTrucThuoc)) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else if self == DangBoHuyen && parent == Some(DangBoTinh) {
            Err(DomainError::rule_on("district_level_abolished", "kind"))
        } else {
            Err(DomainError::rule_on("parent_kind_not_allowed", "parent"))
        }
    }
}

/// 1/7/2025: the district level of the Party ends (QĐ 294-QĐ/TW).
pub fn district_level_abolished() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN)
}

/// Position in a committee (R4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Bí thư.
    BiThu,
    /// Phó bí thư.
    PhoBiThu,
    /// Ủy viên ban thường vụ.
    UyVienThuongVu,
    /// Cấp ủy viên / chi ủy viên.
    CapUyVien,
    /// Chủ nhiệm ủy ban kiểm tra.
    ChuNhiemUbkt,
    /// Phó chủ nhiệm ủy ban kiểm tra.
    PhoChuNhiemUbkt,
    /// Ủy viên ủy ban kiểm tra.
    UyVienUbkt,
    /// Tổ trưởng đảng.
    ToTruong,
}

impl Position {
    pub const ALL: [Position; 8] = [
        Position::BiThu,
        Position::PhoBiThu,
        Position::UyVienThuongVu,
        Position::CapUyVien,
        Position::ChuNhiemUbkt,
        Position::PhoChuNhiemUbkt,
        Position::UyVienUbkt,
        Position::ToTruong,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Position::BiThu => "bi_thu",
            Position::PhoBiThu => "pho_bi_thu",
            Position::UyVienThuongVu => "uy_vien_thuong_vu",
            Position::CapUyVien => "cap_uy_vien",
            Position::ChuNhiemUbkt => "chu_nhiem_ubkt",
            Position::PhoChuNhiemUbkt => "pho_chu_nhiem_ubkt",
            Position::UyVienUbkt => "uy_vien_ubkt",
            Position::ToTruong => "to_truong",
        }
    }
    pub fn from_code(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Display order inside a committee.
    pub fn rank(self) -> u8 {
        Position::ALL.iter().position(|p| *p == self).unwrap_or(0) as u8
    }
}

/// R3: a cell with fewer than 9 official members elects a secretary (and maybe a deputy); with
/// 9 or more it elects a cell committee (chi ủy).
pub fn cell_elects_committee(official_members: usize) -> bool {
    official_members >= 9
}

/// R3: an organisation needs at least 3 official members.
pub const MIN_OFFICIAL_MEMBERS: usize = 3;

/// R1: a grassroots organisation with 30 or more members is a đảng bộ cơ sở.
pub fn grassroots_kind_for(members: usize) -> OrgKind {
    if members >= 30 {
        OrgKind::DangBoCoSo
    } else {
        OrgKind::ChiBoCoSo
    }
}

/// A snapshot of the tree's parent links as of one date, used to check a change before it is
/// written.
#[derive(Debug, Clone, Default)]
pub struct TreeSnapshot {
    pub parent: HashMap<OrgId, Option<OrgId>>,
    pub kind: HashMap<OrgId, OrgKind>,
}

impl TreeSnapshot {
    pub fn insert(&mut self, id: OrgId, kind: OrgKind, parent: Option<OrgId>) {
        self.parent.insert(id, parent);
        self.kind.insert(id, kind);
    }

    /// True if `ancestor` is `node` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, ancestor: OrgId, node: OrgId) -> bool {
        let mut seen = HashSet::new();
        let mut cur = Some(node);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            if !seen.insert(c) {
                return false;
            }
            cur = self.parent.get(&c).copied().flatten();
        }
        false
    }

    /// Checks that moving `node` under `new_parent` on `on` keeps the tree a tree with allowed
    /// kinds (R1, R2). Never creates a cycle.
    pub fn check_move(
        &self,
        node: OrgId,
        new_parent: OrgId,
        on: NaiveDate,
    ) -> Result<(), DomainError> {
        let kind = *self
            .kind
            .get(&node)
            .ok_or(DomainError::rule("org_not_active"))?;
        let pkind = *self
            .kind
            .get(&new_parent)
            .ok_or(DomainError::rule_on("parent_not_active", "parent"))?;
        if self.is_ancestor_or_self(node, new_parent) {
            return Err(DomainError::rule_on("tree_cycle", "parent"));
        }
        kind.allowed_under(Some(pkind), on)
    }

    /// Applies a move that `check_move` accepted.
    pub fn apply_move(&mut self, node: OrgId, new_parent: OrgId) {
        self.parent.insert(node, Some(new_parent));
    }

    /// Children of a node.
    pub fn children(&self, id: OrgId) -> Vec<OrgId> {
        let mut v: Vec<OrgId> = self
            .parent
            .iter()
            .filter(|(_, p)| **p == Some(id))
            .map(|(c, _)| *c)
            .collect();
        v.sort();
        v
    }

    /// The node and all its descendants.
    pub fn subtree(&self, id: OrgId) -> Vec<OrgId> {
        let mut children: HashMap<OrgId, Vec<OrgId>> = HashMap::new();
        for (c, p) in &self.parent {
            if let Some(p) = p {
                children.entry(*p).or_default().push(*c);
            }
        }
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            if let Some(cs) = children.get(&out[i]) {
                out.extend(cs.iter().copied());
            }
            i += 1;
        }
        out
    }

    /// Every node reaches a root without repeating itself.
    pub fn is_acyclic(&self) -> bool {
        self.parent.keys().all(|n| {
            let mut seen = HashSet::new();
            let mut cur = Some(*n);
            while let Some(c) = cur {
                if !seen.insert(c) {
                    return false;
                }
                cur = self.parent.get(&c).copied().flatten();
            }
            true
        })
    }
}

/// Kỷ luật tổ chức đảng (R12): the forms of discipline of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgDiscipline {
    /// Khiển trách.
    KhienTrach,
    /// Cảnh cáo.
    CanhCao,
    /// Giải tán.
    GiaiTan,
}

impl OrgDiscipline {
    pub const ALL: [OrgDiscipline; 3] = [
        OrgDiscipline::KhienTrach,
        OrgDiscipline::CanhCao,
        OrgDiscipline::GiaiTan,
    ];
    pub fn code(self) -> &'static str {
        match self {
            OrgDiscipline::KhienTrach => "khien_trach",
            OrgDiscipline::CanhCao => "canh_cao",
            OrgDiscipline::GiaiTan => "giai_tan",
        }
    }
    pub fn from_code(s: &str) -> Option<OrgDiscipline> {
        OrgDiscipline::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What an organisation's size asks of it (R1, R3): shown on its page, never acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgWarning {
    /// Fewer than 3 official members (R3).
    TooFewOfficial,
    /// A cell of 9 or more official members without a chi ủy (R3).
    NeedsCellCommittee,
    /// A chi bộ cơ sở of 30 members or more: a đảng bộ cơ sở has ≥ 30 (R1).
    GrassrootsCellTooLarge,
}

impl OrgWarning {
    pub fn code(self) -> &'static str {
        match self {
            OrgWarning::TooFewOfficial => "too_few_official",
            OrgWarning::NeedsCellCommittee => "needs_cell_committee",
            OrgWarning::GrassrootsCellTooLarge => "grassroots_cell_too_large",
        }
    }
}

/// R3: the fewest official members of an organisation; a cell of this many elects a chi ủy.
pub const MIN_OFFICIAL: i64 = 3;
pub const CELL_COMMITTEE_FROM: i64 = 9;
/// R1: a grassroots organisation of this many members is a đảng bộ cơ sở.
pub const DANG_BO_CO_SO_FROM: i64 = 30;

/// The warnings of an organisation of `kind` with `official` official members and `total`
/// members in its subtree, and `committee` members of its committee (cấp ủy, chi ủy) in office.
pub fn warnings(kind: OrgKind, official: i64, total: i64, committee: usize) -> Vec<OrgWarning> {
    let mut w = Vec::new();
    if kind == OrgKind::ToDang {
        return w;
    }
    if official < MIN_OFFICIAL {
        w.push(OrgWarning::TooFewOfficial);
    }
    if kind.is_cell() && official >= CELL_COMMITTEE_FROM && committee < 3 {
        w.push(OrgWarning::NeedsCellCommittee);
    }
    if kind == OrgKind::ChiBoCoSo && total >= DANG_BO_CO_SO_FROM {
        w.push(OrgWarning::GrassrootsCellTooLarge);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn kinds_round_trip_codes() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Some(k));
        }
        for p in Position::ALL {
            assert_eq!(Position::from_code(p.code()), Some(p));
        }
    }

    #[test]
    fn parent_kinds_follow_r1() {
        let d = day(2018, 1, 1);
        assert!(
            OrgKind::ChiBoTrucThuoc
                .allowed_under(Some(OrgKind::DangBoCoSo), d)
                .is_ok()
        );
        assert_eq!(
            OrgKind::ChiBoTrucThuoc
                .allowed_under(Some(OrgKind::DangBoHuyen), d)
                .unwrap_err()
                .code(),
            "parent_kind_not_allowed"
        );
        assert!(
            OrgKind::ChiBoCoSo
                .allowed_under(Some(OrgKind::DangBoHuyen), d)
                .is_ok()
        );
        assert!(
            OrgKind::ToDang
                .allowed_under(Some(OrgKind::ChiBoCoSo), d)
                .is_ok()
        );
        assert!(OrgKind::DangBoCoSo.allowed_under(None, d).is_err());
    }

    #[test]
    fn district_level_cannot_be_created_after_1_7_2025() {
        assert!(
            OrgKind::DangBoHuyen
                .allowed_under(Some(OrgKind::DangBoTinh), day(2025, 6, 30))
                .is_ok()
        );
        assert_eq!(
            OrgKind::DangBoHuyen
                .allowed_under(Some(OrgKind::DangBoTinh), day(2025, 7, 1))
                .unwrap_err()
                .code(),
            "district_level_abolished"
        );
    }

    #[test]
    fn r3_committee_threshold_and_grassroots_kind() {
        assert!(!cell_elects_committee(8));
        assert!(cell_elects_committee(9));
        assert_eq!(grassroots_kind_for(29), OrgKind::ChiBoCoSo);
        assert_eq!(grassroots_kind_for(30), OrgKind::DangBoCoSo);
    }

    #[test]
    fn moving_under_own_descendant_is_a_cycle() {
        let mut t = TreeSnapshot::default();
        t.insert(OrgId(1), OrgKind::DangBoTinh, None);
        t.insert(OrgId(2), OrgKind::DangBoHuyen, Some(OrgId(1)));
        t.insert(OrgId(3), OrgKind::DangBoCoSo, Some(OrgId(2)));
        t.insert(OrgId(4), OrgKind::DangBoBoPhan, Some(OrgId(3)));
        let err = t
            .check_move(OrgId(3), OrgId(4), day(2018, 1, 1))
            .unwrap_err();
        assert_eq!(err.code(), "tree_cycle");
        assert_eq!(
            t.check_move(OrgId(3), OrgId(3), day(2018, 1, 1))
                .unwrap_err()
                .code(),
            "tree_cycle"
        );
    }

    fn arb_tree() -> impl Strategy<Value = TreeSnapshot> {
        // A province with district-level and commune-level children, grassroots orgs under them,
        // cells under the đảng bộ cơ sở.
        (1usize..4, 1usize..6, 1usize..12).prop_map(|(districts, grassroots, cells)| {
            let mut t = TreeSnapshot::default();
            t.insert(OrgId(1), OrgKind::DangBoTinh, None);
            let mut next = 2;
            let mut tops = vec![];
            for _ in 0..districts {
                t.insert(OrgId(next), OrgKind::DangBoHuyen, Some(OrgId(1)));
                tops.push(next);
                next += 1;
            }
            let mut gs = vec![];
            for i in 0..grassroots {
                let p = tops[i % tops.len()];
                t.insert(OrgId(next), OrgKind::DangBoCoSo, Some(OrgId(p)));
                gs.push(next);
                next += 1;
            }
            for i in 0..cells {
                let p = gs[i % gs.len()];
                t.insert(OrgId(next), OrgKind::ChiBoTrucThuoc, Some(OrgId(p)));
                next += 1;
            }
            t
        })
    }

    proptest! {
        /// Tree invariant under random moves: whatever sequence of moves is tried, the ones the
        /// rules accept keep the tree acyclic, every node keeps one parent, and the subtree of the
        /// root still holds every node.
        #[test]
        fn random_moves_keep_a_tree(t in arb_tree(), moves in proptest::collection::vec((1i64..30, 1i64..30), 0..40)) {
            let mut t = t;
            let n = t.parent.len();
            for (a, b) in moves {
                let (a, b) = (OrgId(a), OrgId(b));
                if t.check_move(a, b, NaiveDate::from_ymd_opt(2018, 1, 1).unwrap()).is_ok() {
                    t.apply_move(a, b);
                }
                prop_assert!(t.is_acyclic());
                prop_assert_eq!(t.parent.len(), n);
                prop_assert_eq!(t.subtree(OrgId(1)).len(), n);
            }
        }
    }

    #[test]
    fn an_organisations_size_raises_the_r1_and_r3_warnings() {
        use super::{OrgWarning as W, warnings};
        assert_eq!(
            warnings(OrgKind::ChiBoTrucThuoc, 2, 5, 1),
            vec![W::TooFewOfficial]
        );
        assert!(warnings(OrgKind::ChiBoTrucThuoc, 8, 9, 1).is_empty());
        assert_eq!(
            warnings(OrgKind::ChiBoTrucThuoc, 9, 9, 1),
            vec![W::NeedsCellCommittee]
        );
        assert!(warnings(OrgKind::ChiBoTrucThuoc, 12, 14, 3).is_empty());
        assert_eq!(
            warnings(OrgKind::ChiBoCoSo, 28, 30, 5),
            vec![W::GrassrootsCellTooLarge]
        );
        assert!(warnings(OrgKind::DangBoCoSo, 200, 240, 2).is_empty());
        assert!(warnings(OrgKind::ToDang, 1, 1, 0).is_empty());
    }
}
