//! Importing members: each row checked as the "add a member" form checks it, matched to the
//! register by CCCD, history number, card number, then name and date of birth, and created,
//! corrected (R15, with the file as the source) or left as it is.

use chrono::NaiveDate;
use dangvu_domain::DomainError;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::import::{CellValue, HeaderBlock, ImportField as F, cell_date};
use dangvu_domain::member::{
    CardGeneration, CardNumber, Event, MemberRecord, RECORD_FIELDS, official_date, replay,
};
use dangvu_domain::text::fold;
use dangvu_store::Conn;
use dangvu_store::bulk::NameKeys;
use dangvu_store::db::{release, rollback_to, savepoint};
use dangvu_store::members::{self as mstore, Correction};
use dangvu_store::orgs as ostore;
use serde_json::json;

use super::{
    ImportFile, ImportOptions, ImportReport, Row, RowAction, RowError, RowOutcome, WeakMatch,
};
use crate::audit_log::Action;
use crate::members::NewMember;
use crate::{Actor, App, AppError, AppResult};

/// The imported field holding a record field (for naming the column of an error).
pub(super) fn column_of_field(f: &str) -> Option<F> {
    Some(match f {
        "full_name" => F::FullName,
        "birth_name" => F::BirthName,
        "aliases" => F::Aliases,
        "sex" => F::Sex,
        "birth_date" => F::BirthDate,
        "birth_place" => F::BirthPlace,
        "home_town" => F::HomeTown,
        "residence" => F::Residence,
        "ethnicity" => F::Ethnicity,
        "religion" => F::Religion,
        "cccd" => F::Cccd,
        "education" => F::Education,
        "political_theory" => F::PoliticalTheory,
        "professional" => F::Professional,
        "occupation" => F::Occupation,
        "workplace" => F::Workplace,
        "history_number" => F::HistoryNumber,
        "card_number" => F::CardNumber,
        "issued_on" => F::CardIssuedOn,
        "admitted_on" => F::AdmittedOn,
        "official" | "official_on" => F::OfficialOn,
        "joined_on" => F::JoinedOn,
        "cell" => F::Cell,
        _ => return None,
    })
}

/// A cell of the subtree, by its name folded, with and without "chi bộ".
struct Cells(Vec<(String, OrgId)>);

impl Cells {
    /// A cell by its name, or by its number in the system (a cell's id, as `dangvu org list`
    /// shows it), within the subtree.
    fn find(&self, name: &str) -> Result<OrgId, &'static str> {
        if let Ok(id) = name.trim().trim_start_matches('#').parse::<i64>() {
            return self
                .0
                .iter()
                .find(|(_, o)| o.0 == id)
                .map(|(_, o)| *o)
                .ok_or("cell_unknown");
        }
        let k = fold(name);
        let short = |s: &str| s.strip_prefix("chi bo ").unwrap_or(s).to_owned();
        let hits: Vec<OrgId> = self
            .0
            .iter()
            .filter(|(n, _)| *n == k || short(n) == short(&k))
            .map(|(_, id)| *id)
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err("cell_unknown"),
            _ => Err("cell_ambiguous"),
        }
    }
}

/// A yes/no cell: "x", "có", "1", "true" are yes.
fn yes(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("x") || dangvu_domain::text::truthy(s)
}

/// A number a spreadsheet kept as a number, with the leading zeros it dropped put back.
fn padded(row: &Row<'_>, f: F, width: usize) -> String {
    match row.cell(f) {
        Some(dangvu_domain::import::CellValue::Number(n)) if n.fract() == 0.0 && n >= 0.0 => {
            format!("{:0width$}", n as u64)
        }
        _ => row.text(f),
    }
}

/// What a row says, checked: the record and the admission facts.
#[derive(Clone)]
pub(super) struct Parsed {
    pub(super) record: MemberRecord,
    admitted_on: Option<NaiveDate>,
    official_on: Option<NaiveDate>,
    joined_on: Option<NaiveDate>,
    pub(super) card: Option<(CardNumber, CardGeneration, Option<NaiveDate>)>,
    cell: Option<String>,
    /// Her name's keys, and the record as the audit trail keeps it (what it leaves empty
    /// left out): made beside the parsing, for a new member.
    pub(super) keys: NameKeys,
    pub(super) body: serde_json::Value,
}

pub(super) fn parse_row(row: &Row<'_>) -> Result<Parsed, Vec<RowError>> {
    let mut errors = row.cell_errors();
    let date = |f: F, key: &'static str, errors: &mut Vec<RowError>| -> Option<NaiveDate> {
        match row.cell(f).map(|c| cell_date(key, &c)) {
            Some(Ok(d)) => d,
            Some(Err(e)) => {
                errors.push(row.error(f, e.code));
                None
            }
            None => None,
        }
    };
    let male = date(F::BirthDateMale, "birth_date", &mut errors);
    let female = date(F::BirthDateFemale, "birth_date", &mut errors);
    let birth = date(F::BirthDate, "birth_date", &mut errors)
        .or(male)
        .or(female);
    let sex_text = fold(&row.text(F::Sex));
    let sex = match (sex_text.as_str(), male, female) {
        ("", Some(_), None) => "male".to_owned(),
        ("", None, Some(_)) => "female".to_owned(),
        ("x", _, _) | ("", _, _) => String::new(),
        (s, _, _) => s.to_owned(),
    };
    let admitted_on = date(F::AdmittedOn, "admitted_on", &mut errors);
    let official_on = date(F::OfficialOn, "official_on", &mut errors);
    let joined_on = date(F::JoinedOn, "joined_on", &mut errors);
    let issued_on = date(F::CardIssuedOn, "issued_on", &mut errors);
    let field = |k: &str| -> String {
        match k {
            "sex" => sex.clone(),
            "birth_date" => birth.map(dangvu_domain::date::iso).unwrap_or_default(),
            "cccd" => padded(row, F::Cccd, 12),
            "army" => yes(&row.text(F::Army)).to_string(),
            "police" => yes(&row.text(F::Police)).to_string(),
            "retired" => yes(&row.text(F::Retired)).to_string(),
            // A birth name that is the name in use says nothing more.
            "birth_name" => {
                let b = row.text(F::BirthName);
                if fold(&b) == fold(&row.text(F::FullName)) {
                    String::new()
                } else {
                    b
                }
            }
            other => column_of_field(other)
                .map(|f| row.text(f))
                .unwrap_or_default(),
        }
    };
    let record = MemberRecord::parse(field);
    let card_text = padded(row, F::CardNumber, 8);
    let card = if card_text.is_empty() {
        None
    } else {
        let generation = if card_text.len() == 8 && card_text.bytes().all(|b| b.is_ascii_digit()) {
            CardGeneration::Ct29_2003
        } else {
            CardGeneration::Ct51_2025
        };
        match CardNumber::parse(&card_text, generation) {
            Ok(n) => Some((n, generation, issued_on)),
            Err(e) => {
                errors.push(row.error(F::CardNumber, e.code));
                None
            }
        }
    };
    let record = match record {
        Ok(r) => Some(r),
        Err(e) => {
            // A birth date already refused as a cell is not refused twice.
            for fe in e.fields() {
                let f = column_of_field(fe.field).unwrap_or(F::FullName);
                let dup = errors.iter().any(|x| x.field.as_deref() == Some(fe.field));
                let birth_cell =
                    fe.field == "birth_date" && errors.iter().any(|x| x.code.starts_with("date_"));
                if !dup && !birth_cell {
                    errors.push(RowError {
                        field: Some(fe.field.to_owned()),
                        ..row.error(f, fe.code)
                    });
                }
            }
            None
        }
    };
    match record {
        Some(record) if errors.is_empty() => Ok(Parsed {
            keys: NameKeys::of(&record.full_name),
            body: {
                let mut body = serde_json::to_value(&record).unwrap_or_default();
                if let Some(o) = body.as_object_mut() {
                    o.retain(|_, v| !v.is_null() && v.as_str() != Some(""));
                }
                body
            },
            record,
            admitted_on,
            official_on,
            joined_on,
            card,
            cell: Some(row.text(F::Cell)).filter(|s| !s.is_empty()),
        }),
        _ => Err(errors),
    }
}

impl App {
    /// Imports members from a workbook into a subtree (R5, R15): reads the first sheet with
    /// recognised headers, checks every row, matches it to the register, and writes the whole
    /// file in one transaction, or nothing when a row has an error or on a dry run. `progress`
    /// is told the number of rows done after each chunk.
    pub async fn import_members(
        &self,
        actor: &Actor,
        file: ImportFile,
        opts: ImportOptions,
        progress: &(dyn Fn(usize) + Sync),
    ) -> AppResult<ImportReport> {
        let root = opts.root.ok_or(DomainError::rule_on("required", "org"))?;
        self.require_org_write(actor, root)?;
        // Imports take a turn among the expensive requests.
        let _turn = self.report_turn().await?;
        let today = self.clock.today();
        let mut tx = self.store.begin_bulk().await?;
        // Until the transaction ends (the pool sets the usual cache back then).
        dangvu_store::bulk::bulk_cache(&mut tx, self.store.backend, true).await?;
        let cells = {
            let ids = ostore::subtree_ids(&mut tx, root, today).await?;
            let tree = ostore::tree_on(&mut tx, today).await?;
            Cells(
                tree.into_iter()
                    .filter(|p| p.kind.is_cell() && ids.contains(&p.org))
                    .filter(|p| self.require_org_write(actor, p.org).is_ok())
                    .map(|p| (fold(&p.name), p.org))
                    .collect(),
            )
        };
        let root_cell = ostore::period_on(&mut tx, root, today)
            .await?
            .ok_or(AppError::NotFound("org"))?;
        let root_cell = root_cell.kind.is_cell().then_some(root_cell.org);
        let super::Opened {
            mut rx,
            headers,
            first,
            mut report,
        } = super::open(&mut tx, "members", F::MEMBER, file, &opts).await?;
        let file_name = report.file.clone();
        let ctx = Ctx {
            actor,
            cells: &cells,
            root_cell,
            file: &file_name,
            weak: opts.weak,
            today,
        };
        let mut carried = super::fresh::Progress::default();
        // A chunk's rows are parsed on a thread of their own while the one before is written.
        let shared = std::sync::Arc::new(headers);
        let mut parsing = Some(parse_chunk(&shared, first));
        while let Some(job) = parsing.take() {
            let (chunk, parsed) = job
                .await
                .map_err(|_| DomainError::rule("import_interrupted"))?;
            let (back, next) = super::next_chunk(&mut rx, tx).await?;
            tx = back;
            parsing = next.map(|n| parse_chunk(&shared, n));
            let rows: Vec<Row<'_>> = chunk
                .iter()
                .map(|(index, cells)| Row {
                    number: index + 1,
                    cells,
                    headers: &shared,
                })
                .collect();
            for outcome in self
                .import_chunk(&mut tx, &ctx, &rows, parsed, &mut carried)
                .await?
            {
                report.count(outcome);
            }
            progress(report.total_rows);
        }
        let headers = std::sync::Arc::unwrap_or_clone(shared);
        let entry = Action::MemberImport.on("org", root.0).after(Some(json!({
            "file": report.file, "rows": report.total_rows, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged, "skipped": report.weak,
        })));
        self.finish_import(tx, actor, "members", &headers, report, entry)
            .await
    }

    /// A row the row-by-row way: matched to the register by its numbers, then by name and
    /// date of birth, and created, corrected or left as it is, in a savepoint of its own.
    pub(super) async fn import_parsed(
        &self,
        tx: &mut Conn,
        ctx: &Ctx<'_>,
        row: &Row<'_>,
        parsed: Result<Parsed, Vec<RowError>>,
    ) -> AppResult<RowOutcome> {
        let mut out = RowOutcome::of(row);
        let p = match parsed {
            Ok(p) => p,
            Err(e) => {
                out.errors = e;
                return Ok(out);
            }
        };
        // Strong matches: the register's numbers.
        let holders = mstore::identifier_holders(
            tx,
            p.record.cccd.as_ref().map(|c| c.as_str()),
            p.record.history_number.as_ref().map(|h| h.as_str()),
            p.card.as_ref().map(|c| c.0.as_str()),
        )
        .await?;
        let mut ids: Vec<MemberId> = holders.iter().map(|h| h.1).collect();
        ids.dedup();
        let matched = match ids.as_slice() {
            [] => None,
            [one] => {
                if self
                    .require_member_write(tx, ctx.actor, *one)
                    .await
                    .is_err()
                {
                    let f = holders
                        .first()
                        .map_or(F::Cccd, |h| column_of_field(h.0).unwrap_or(F::Cccd));
                    out.errors.push(row.error(f, "identifier_unavailable"));
                    return Ok(out);
                }
                Some(*one)
            }
            _ => {
                out.errors.push(row.error(F::Cccd, "identifiers_conflict"));
                return Ok(out);
            }
        };
        let matched = match matched {
            Some(m) => Some(m),
            None => {
                let mut same = Vec::new();
                for m in dangvu_store::imports::members_named(
                    tx,
                    &p.record.full_name,
                    p.record.birth_date,
                )
                .await?
                {
                    if self.require_member_read(tx, ctx.actor, m).await.is_ok() {
                        same.push(m);
                    }
                }
                match (same.first(), ctx.weak) {
                    (Some(m), WeakMatch::Skip) => {
                        out.action = RowAction::WeakMatch;
                        out.id = Some(m.0);
                        return Ok(out);
                    }
                    (Some(m), WeakMatch::Same) => {
                        if self.require_member_write(tx, ctx.actor, *m).await.is_err() {
                            out.action = RowAction::WeakMatch;
                            out.id = Some(m.0);
                            return Ok(out);
                        }
                        Some(*m)
                    }
                    _ => None,
                }
            }
        };
        savepoint(tx).await?;
        let r = match matched {
            Some(m) => self.update_from_row(tx, ctx, row, m, &p, &mut out).await,
            None => self.create_from_row(tx, ctx, row, &p, &mut out).await,
        };
        match r {
            Ok(()) => release(tx).await?,
            Err(e) => {
                rollback_to(tx).await?;
                out.action = RowAction::Error;
                out.changed.clear();
                out.errors = super::field_errors(row, &e, column_of_field);
            }
        }
        Ok(out)
    }

    async fn create_from_row(
        &self,
        conn: &mut Conn,
        ctx: &Ctx<'_>,
        row: &Row<'_>,
        p: &Parsed,
        out: &mut RowOutcome,
    ) -> AppResult<()> {
        let input = ctx.new_member(row, p, out)?;
        let id = self.create_member_in(conn, ctx.actor, input).await?;
        out.action = RowAction::Create;
        out.id = Some(id.0);
        Ok(())
    }

    async fn update_from_row(
        &self,
        conn: &mut Conn,
        ctx: &Ctx<'_>,
        row: &Row<'_>,
        member: MemberId,
        p: &Parsed,
        out: &mut RowOutcome,
    ) -> AppResult<()> {
        out.id = Some(member.0);
        let current = mstore::get_member(conn, member)
            .await
            .map_err(|_| AppError::NotFound("member"))?;
        let mut next = current.clone();
        let reason = format!("Nhập từ tệp «{}», dòng {}", ctx.file, row.number);
        for f in RECORD_FIELDS {
            let new = p.record.field(f).unwrap_or_default();
            let old = next.field(f).unwrap_or_default();
            if !offers(row, f, &new, &old) {
                continue;
            }
            next = next.with_field(f, &new)?;
            let correction = Correction {
                field: f.to_owned(),
                old_value: Some(old.clone()),
                new_value: Some(next.field(f).unwrap_or_default()),
                reason: reason.clone(),
                ..Correction::blank(mstore::OfMember { member })
            };
            self.write_correction(conn, ctx.actor, correction).await?;
            out.changed.push(f.to_owned());
        }
        if out.changed.is_empty() {
            out.action = RowAction::Unchanged;
            return Ok(());
        }
        if next.birth_date != current.birth_date {
            let events: Vec<Event> = mstore::events_of(conn, member)
                .await?
                .into_iter()
                .map(|e| e.event)
                .collect();
            replay(next.birth_date, &events)
                .map_err(|_| DomainError::rule_on("birth_date_contradicts_events", "birth_date"))?;
        }
        if self
            .identifiers_free(conn, ctx.actor, Some(member), Some(&next), None)
            .await?
            .is_some()
        {
            return Err(DomainError::rule_on("identifier_unavailable", "cccd").into());
        }
        mstore::update_member(conn, member, &next).await?;
        self.audit(
            conn,
            ctx.actor,
            Action::MemberCorrect
                .on("member", member.0)
                .after(Some(json!({"fields": out.changed, "source": ctx.file})))
                .reason(Some(&reason)),
        )
        .await?;
        out.action = RowAction::Update;
        Ok(())
    }
}

/// Rows read and what they say, checked.
type ParsedChunk = (
    Vec<(u32, Vec<CellValue>)>,
    Vec<Result<Parsed, Vec<RowError>>>,
);

/// Parses a chunk's rows on a blocking thread.
fn parse_chunk(
    headers: &std::sync::Arc<HeaderBlock>,
    chunk: Vec<(u32, Vec<CellValue>)>,
) -> tokio::task::JoinHandle<ParsedChunk> {
    let headers = headers.clone();
    tokio::task::spawn_blocking(move || {
        let parsed = chunk
            .iter()
            .map(|(index, cells)| {
                parse_row(&Row {
                    number: index + 1,
                    cells,
                    headers: &headers,
                })
            })
            .collect();
        (chunk, parsed)
    })
}

/// Whether a row brings field `f` a value other than the register's `old`: an empty cell (or
/// a yes/no left blank) never erases what the register holds, and a yes/no field says nothing
/// when the file has no column for it.
fn offers(row: &Row<'_>, f: &str, new: &str, old: &str) -> bool {
    if new.is_empty() || new == old || new == "false" {
        return false;
    }
    match f {
        "army" => row.has_column(F::Army),
        "police" => row.has_column(F::Police),
        "retired" => row.has_column(F::Retired),
        _ => true,
    }
}

/// Whether a row matched to a member brings nothing her record lacks or holds otherwise.
pub(super) fn unchanged(row: &Row<'_>, p: &Parsed, current: &MemberRecord) -> bool {
    RECORD_FIELDS.iter().all(|f| {
        !offers(
            row,
            f,
            &p.record.field(f).unwrap_or_default(),
            &current.field(f).unwrap_or_default(),
        )
    })
}

/// What every row of one import shares.
pub(super) struct Ctx<'a> {
    pub(super) actor: &'a Actor,
    cells: &'a Cells,
    root_cell: Option<OrgId>,
    file: &'a str,
    pub(super) weak: WeakMatch,
    pub(super) today: NaiveDate,
}

impl Ctx<'_> {
    /// The new member a row describes: placed in the cell it names (or the chosen cell),
    /// official when the row says so, with remarks where the row leaves a date to the rule.
    pub(super) fn new_member(
        &self,
        row: &Row<'_>,
        p: &Parsed,
        out: &mut RowOutcome,
    ) -> AppResult<NewMember> {
        let cell = match &p.cell {
            Some(name) => self
                .cells
                .find(name)
                .map_err(|c| DomainError::rule_on(c, "cell"))?,
            None => self
                .root_cell
                .ok_or(DomainError::rule_on("required", "cell"))?,
        };
        let admitted_on = p
            .admitted_on
            .ok_or(DomainError::rule_on("required", "admitted_on"))?;
        let rule_date = official_date(admitted_on);
        let official = match p.official_on {
            Some(d) => {
                if d != rule_date {
                    out.notes.push(format!(
                        "official_on_differs:{}",
                        dangvu_domain::date::format_vn(rule_date)
                    ));
                }
                true
            }
            // Without the column, a member admitted more than a year ago is taken as official.
            None => !row.has_column(F::OfficialOn) && rule_date <= self.today,
        };
        let card = p.card.as_ref().map(|(n, g, issued)| {
            let on = issued.unwrap_or(rule_date);
            if issued.is_none() {
                out.notes.push("card_issued_on_assumed".into());
            }
            (n.as_str().to_owned(), *g, on)
        });
        Ok(NewMember {
            record: p.record.clone(),
            cell,
            admitted_on,
            joined_on: p.joined_on.filter(|j| *j > admitted_on),
            official,
            decision_ref: None,
            card,
        })
    }
}
