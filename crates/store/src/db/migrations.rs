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
    (
        22,
        "card_status",
        include_str!("../../migrations/sqlite/0022_card_status.sql"),
    ),
    (
        23,
        "badges",
        include_str!("../../migrations/sqlite/0023_badges.sql"),
    ),
    (
        24,
        "dues_cell_months",
        include_str!("../../migrations/sqlite/0024_dues_cell_months.sql"),
    ),
    (
        25,
        "import_layouts",
        include_str!("../../migrations/sqlite/0025_import_layouts.sql"),
    ),
    (
        26,
        "accountability",
        include_str!("../../migrations/sqlite/0026_accountability.sql"),
    ),
    (
        27,
        "review_counts",
        include_str!("../../migrations/sqlite/0027_review_counts.sql"),
    ),
    (
        28,
        "sent_keys",
        include_str!("../../migrations/sqlite/0028_sent_keys.sql"),
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
    (
        22,
        "card_status",
        include_str!("../../migrations/postgres/0022_card_status.sql"),
    ),
    (
        23,
        "badges",
        include_str!("../../migrations/postgres/0023_badges.sql"),
    ),
    (
        24,
        "dues_cell_months",
        include_str!("../../migrations/postgres/0024_dues_cell_months.sql"),
    ),
    (
        25,
        "import_layouts",
        include_str!("../../migrations/postgres/0025_import_layouts.sql"),
    ),
    (
        26,
        "accountability",
        include_str!("../../migrations/postgres/0026_accountability.sql"),
    ),
    (
        27,
        "review_counts",
        include_str!("../../migrations/postgres/0027_review_counts.sql"),
    ),
    (
        28,
        "sent_keys",
        include_str!("../../migrations/postgres/0028_sent_keys.sql"),
    ),
];

/// Splits a migration into statements: a statement ends with `;` at the end of a line, except
/// inside a PostgreSQL `$$ … $$` body or a SQLite trigger's `BEGIN` … `END;` written over
/// several lines (a trigger or function body may also hold `;` inside its one line). `--`
/// comment lines are dropped.
pub(crate) fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_dollars = false;
    let mut in_trigger = false;
    for line in sql.lines() {
        if line.trim_start().starts_with("--") {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        let t = line.trim();
        if line.matches("$$").count() % 2 == 1 {
            in_dollars = !in_dollars;
        }
        if cur.trim_start().starts_with("CREATE TRIGGER") && (t == "BEGIN" || t.ends_with(" BEGIN"))
        {
            in_trigger = true;
        } else if in_trigger && t.eq_ignore_ascii_case("END;") {
            in_trigger = false;
        }
        if !in_dollars && !in_trigger && t.ends_with(';') {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_over_several_lines_stay_one_statement() {
        let sql = "CREATE TABLE t (a INTEGER);\n-- a note;\nCREATE TRIGGER x AFTER INSERT ON t\nBEGIN\n    UPDATE t SET a = 1;\n    DELETE FROM t;\nEND;\nCREATE FUNCTION f() RETURNS void AS $$\n    DELETE FROM t;\n$$ LANGUAGE sql;\nCREATE TRIGGER y AFTER DELETE ON t BEGIN DELETE FROM t; END;\nDROP INDEX i;";
        let s = statements(sql);
        assert_eq!(s.len(), 5, "{s:#?}");
        assert!(
            s[1].starts_with("CREATE TRIGGER x") && s[1].ends_with("END"),
            "{}",
            s[1]
        );
        assert!(s[1].contains("DELETE FROM t;"));
        assert!(s[2].starts_with("CREATE FUNCTION") && s[2].ends_with("LANGUAGE sql"));
        assert_eq!(s[4], "DROP INDEX i");
    }

    #[test]
    fn every_migration_splits_into_whole_statements() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            for (_, name, sql) in migrations(backend) {
                for stmt in statements(sql) {
                    assert_eq!(stmt.matches("$$").count() % 2, 0, "{name}: {stmt}");
                    if stmt.starts_with("CREATE TRIGGER") && stmt.contains("\nBEGIN") {
                        assert!(stmt.ends_with("END"), "{name}: {stmt}");
                    }
                }
            }
        }
    }
}
