//! Accounts and roles: who may see and change what (R15 keeps party records confidential).
//!
//! Every role is granted on a scope, **one organisation and its whole subtree**, for a dated
//! interval `[valid_from, valid_to)`, like every other link in the system (R2).

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::FieldError;
use crate::ids::OrgId;

/// Vai trò: a role a user is granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Role {
    /// Quản trị hệ thống: the system administrator; sees and changes everything, manages accounts.
    Admin,
    /// Cán bộ ban tổ chức: an officer of a committee's organisation department; reads and writes
    /// the committee's subtree.
    Officer,
    /// Bí thư / cấp ủy viên: the secretary or a committee member of a grassroots organisation or
    /// of a cell; reads and writes its own subtree.
    Secretary,
    /// Đảng viên: reads her own record and timeline.
    Member,
    /// Giám sát kê khai tài sản: reads and keeps the asset-declaration supervision register
    /// (R33) of a committee and the committees below it, and nothing else. No other role
    /// reaches that register, the administrator's included.
    AssetSupervisor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Officer,
        Role::Secretary,
        Role::Member,
        Role::AssetSupervisor,
    ];

    /// The stable code stored in the database and used by the API and the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Secretary => "secretary",
            Role::Member => "member",
            Role::AssetSupervisor => "asset_supervisor",
        }
    }

    pub fn parse(code: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code.trim())
            .ok_or(FieldError::new("role", "role_unknown"))
    }

    /// Whether a grant of this role needs an organisation as its scope.
    pub fn needs_org(self) -> bool {
        matches!(
            self,
            Role::Officer | Role::Secretary | Role::AssetSupervisor
        )
    }
}

/// One role granted to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    /// The scope: this organisation and its subtree (None for Admin and Member).
    pub org: Option<OrgId>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Grant {
    /// In force on `on`.
    pub fn active_on(&self, on: NaiveDate) -> bool {
        self.valid_from <= on && self.valid_to.is_none_or(|t| on < t)
    }
}

/// A role to grant: the role, its scope, its dates and the decision behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGrant {
    pub role: Role,
    pub org: Option<OrgId>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub decision_ref: Option<String>,
}

impl NewGrant {
    /// A grant from a date, open-ended, without a decision reference.
    pub fn new(role: Role, org: Option<OrgId>, valid_from: NaiveDate) -> NewGrant {
        NewGrant {
            role,
            org,
            valid_from,
            valid_to: None,
            decision_ref: None,
        }
    }

    pub fn check(&self) -> Result<(), FieldError> {
        check_grant(self.role, self.org, self.valid_from, self.valid_to)
    }
}

/// Checks a new grant: an officer or a secretary needs an organisation, the others must not
/// have one, and the interval must not be empty.
pub fn check_grant(
    role: Role,
    org: Option<OrgId>,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<(), FieldError> {
    if role.needs_org() && org.is_none() {
        return Err(FieldError::new("org", "required"));
    }
    if !role.needs_org() && org.is_some() {
        return Err(FieldError::new("org", "role_has_no_scope"));
    }
    if to.is_some_and(|t| t <= from) {
        return Err(FieldError::new("valid_to", "date_before_start"));
    }
    Ok(())
}

/// User names: 3–40 characters of ASCII letters, digits, `.`, `_` or `-`, stored lower case.
pub fn check_username(name: &str) -> Result<String, FieldError> {
    let n = name.trim().to_ascii_lowercase();
    let ok = (3..=40).contains(&n.len())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(n)
    } else {
        Err(FieldError::new("username", "username_format"))
    }
}

/// Passwords people reach for first; refused whatever their length.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890",
    "12345678910",
    "password",
    "password123",
    "matkhau",
    "matkhau123",
    "qwertyuiop",
    "qwertyuiop123",
    "abcd1234",
    "abc123456",
    "admin",
    "admin123",
    "administrator",
    "dangvu",
    "dangvien",
    "dangcongsan",
    "dangcongsanvietnam",
    "vietnam",
    "iloveyou",
    "11111111",
    "00000000",
    "87654321",
    "chibo",
    "bithu",
    "uongbi",
    "quangninh",
];

/// Minimum password length.
pub const MIN_PASSWORD_LEN: usize = 10;

/// The password policy: at least 10 characters, not a common password or a variant of one
/// (case, digits appended), not the user name, and more than 4 different characters.
pub fn check_password(password: &str, username: &str) -> Result<(), FieldError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(FieldError::new("password", "password_too_short"));
    }
    if len > 256 {
        return Err(FieldError::new("password", "password_too_long"));
    }
    let lower = crate::text::fold(password).replace(' ', "");
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || "!@#$.".contains(c));
    let user = username.trim().to_lowercase();
    if COMMON.contains(&lower.as_str())
        || COMMON.contains(&stem)
        || (!user.is_empty() && (lower.contains(&user) || stem == user))
    {
        return Err(FieldError::new("password", "password_common"));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() <= 4 {
        return Err(FieldError::new("password", "password_common"));
    }
    // A run of consecutive digits or letters like 1234567890 or abcdefghij.
    let chars: Vec<char> = lower.chars().collect();
    if chars
        .windows(2)
        .all(|w| (w[1] as i64 - w[0] as i64).abs() == 1)
    {
        return Err(FieldError::new("password", "password_common"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn password_policy_refuses_the_obvious() {
        for p in [
            "short",
            "1234567890",
            "Password123",
            "matkhau2024!",
            "aaaaaaaaaaaa",
            "abababababab",
            "Đảng Viên 2024",
            "nguyenvan.an2025",
            "abcdefghijk",
        ] {
            assert!(check_password(p, "nguyenvan.an").is_err(), "{p} accepted");
        }
        for p in ["Sông Hồng chảy mãi 1975", "tra-da-via-he-42", "xK9!mq2#Lw"] {
            assert_eq!(check_password(p, "nguyenvan.an"), Ok(()), "{p} refused");
        }
    }

    #[test]
    fn user_names_are_plain_and_lower_case() {
        assert_eq!(check_username(" BiThu.ChiBo1 "), Ok("bithu.chibo1".into()));
        assert!(check_username("ab").is_err());
        assert!(check_username("bí thư").is_err());
    }

    #[test]
    fn grants_need_the_right_scope() {
        assert!(check_grant(Role::Officer, None, d(2026, 1, 1), None).is_err());
        assert!(check_grant(Role::Admin, Some(OrgId(1)), d(2026, 1, 1), None).is_err());
        assert!(
            check_grant(
                Role::Secretary,
                Some(OrgId(1)),
                d(2026, 1, 1),
                Some(d(2026, 1, 1))
            )
            .is_err()
        );
        let g = Grant {
            id: 1,
            role: Role::Secretary,
            org: Some(OrgId(1)),
            valid_from: d(2026, 1, 1),
            valid_to: Some(d(2027, 1, 1)),
        };
        assert!(!g.active_on(d(2025, 12, 31)));
        assert!(g.active_on(d(2026, 1, 1)));
        assert!(!g.active_on(d(2027, 1, 1)));
    }
}
