//! The migrations of each backend, in order, with the statement splitter that runs them.

use super::Backend;

const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "accounts_audit_chain",
        include_str!("../../migrations/sqlite/0002_accounts_audit_chain.sql"),
    ),
    (
        3,
        "data_version",
        include_str!("../../migrations/sqlite/0003_data_version.sql"),
    ),
    (
        4,
        "reviews",
        include_str!("../../migrations/sqlite/0004_reviews.sql"),
    ),
    (
        5,
        "review_workflow",
        include_str!("../../migrations/sqlite/0005_review_workflow.sql"),
    ),
    (
        6,
        "review_report_index",
        include_str!("../../migrations/sqlite/0006_review_report_index.sql"),
    ),
    (
        7,
        "meetings",
        include_str!("../../migrations/sqlite/0007_meetings.sql"),
    ),
    (
        8,
        "programme",
        include_str!("../../migrations/sqlite/0008_programme.sql"),
    ),
    (
        9,
        "residence",
        include_str!("../../migrations/sqlite/0009_residence.sql"),
    ),
    (
        10,
        "meeting_details",
        include_str!("../../migrations/sqlite/0010_meeting_details.sql"),
    ),
    (
        11,
        "data_changes",
        include_str!("../../migrations/sqlite/0011_data_changes.sql"),
    ),
    (
        12,
        "transfer_destination",
        include_str!("../../migrations/sqlite/0012_transfer_destination.sql"),
    ),
    (
        13,
        "calendar",
        include_str!("../../migrations/sqlite/0013_calendar.sql"),
    ),
    (
        14,
        "event_corrections",
        include_str!("../../migrations/sqlite/0014_event_corrections.sql"),
    ),
    (
        15,
        "decisions",
        include_str!("../../migrations/sqlite/0015_decisions.sql"),
    ),
    (
        16,
        "candidates",
        include_str!("../../migrations/sqlite/0016_candidates.sql"),
    ),
    (
        17,
        "org_disciplines",
        include_str!("../../migrations/sqlite/0017_org_disciplines.sql"),
    ),
    (
        18,
        "transfers",
        include_str!("../../migrations/sqlite/0018_transfers.sql"),
    ),
    (
        19,
        "review_corrections",
        include_str!("../../migrations/sqlite/0019_review_corrections.sql"),
    ),
    (
        20,
        "member_education",
        include_str!("../../migrations/sqlite/0020_member_education.sql"),
    ),
    (
        21,
        "dues",
        include_str!("../../migrations/sqlite/0021_dues.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "accounts_audit_chain",
        include_str!("../../migrations/postgres/0002_accounts_audit_chain.sql"),
    ),
    (
        3,
        "data_version",
        include_str!("../../migrations/postgres/0003_data_version.sql"),
    ),
    (
        4,
        "reviews",
        include_str!("../../migrations/postgres/0004_reviews.sql"),
    ),
    (
        5,
        "review_workflow",
        include_str!("../../migrations/postgres/0005_review_workflow.sql"),
    ),
    (
        6,
        "review_report_index",
        include_str!("../../migrations/postgres/0006_review_report_index.sql"),
    ),
    (
        7,
        "meetings",
        include_str!("../../migrations/postgres/0007_meetings.sql"),
    ),
    (
        8,
        "programme",
        include_str!("../../migrations/postgres/0008_programme.sql"),
    ),
    (
        9,
        "residence",
        include_str!("../../migrations/postgres/0009_residence.sql"),
    ),
    (
        10,
        "meeting_details",
        include_str!("../../migrations/postgres/0010_meeting_details.sql"),
    ),
    (
        11,
        "data_changes",
        include_str!("../../migrations/postgres/0011_data_changes.sql"),
    ),
    (
        12,
        "transfer_destination",
        include_str!("../../migrations/postgres/0012_transfer_destination.sql"),
    ),
    (
        13,
        "calendar",
        include_str!("../../migrations/postgres/0013_calendar.sql"),
    ),
    (
        14,
        "event_corrections",
        include_str!("../../migrations/postgres/0014_event_corrections.sql"),
    ),
    (
        15,
        "decisions",
        include_str!("../../migrations/postgres/0015_decisions.sql"),
    ),
    (
        16,
        "candidates",
        include_str!("../../migrations/postgres/0016_candidates.sql"),
    ),
    (
        17,
        "org_disciplines",
        include_str!("../../migrations/postgres/0017_org_disciplines.sql"),
    ),
    (
        18,
        "transfers",
        include_str!("../../migrations/postgres/0018_transfers.sql"),
    ),
    (
        19,
        "review_corrections",
        include_str!("../../migrations/postgres/0019_review_corrections.sql"),
    ),
    (
        20,
        "member_education",
        include_str!("../../migrations/postgres/0020_member_education.sql"),
    ),
    (
        21,
        "dues",
        include_str!("../../migrations/postgres/0021_dues.sql"),
    ),
];

/// Splits a migration into statements: a statement ends with `;` at the end of a line, so a
/// trigger or function body may hold `;` inside its one line. `--` comment lines are dropped.
pub(crate) fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        if line.trim_start().starts_with("--") {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if line.trim_end().ends_with(';') {
            let stmt = cur.trim().trim_end_matches(';').trim().to_owned();
            if !stmt.is_empty() {
                out.push(stmt);
            }
            cur.clear();
        }
    }
    let rest = cur.trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

/// The migrations of a backend.
pub(crate) fn migrations(backend: Backend) -> &'static [(i64, &'static str, &'static str)] {
    match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    }
}
