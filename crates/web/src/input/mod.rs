//! Input from forms and JSON bodies, as text fields, parsed and validated the same way for both.

pub mod accountability;
pub mod admission;
pub mod badges;
pub mod calendar;
pub mod decisions;
pub mod dues;
pub mod meeting;
pub mod members;
pub mod orgs;
pub mod review;
pub mod transfers;

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_app::members::{NewEvent, NewMember};
use dangvu_app::orgs::NewOrg;
use dangvu_domain::date::{parse_date, parse_opt_date};
use dangvu_domain::error::{DomainError, Errors, FieldError};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::{CardGeneration, DisciplineForm, EventKind, MemberRecord};
use dangvu_domain::org::{OrgKind, Position};

/// Text fields by name; a name may repeat (check boxes, multi-selects).
#[derive(Debug, Clone, Default)]
pub struct Fields(pub HashMap<String, Vec<String>>);

impl Fields {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Fields {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            m.entry(k).or_default().push(v);
        }
        Fields(m)
    }

    /// From a JSON object: strings as they are, numbers and booleans as text, arrays as
    /// repeated values.
    pub fn from_json(v: &serde_json::Value) -> Fields {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        if let Some(obj) = v.as_object() {
            for (k, v) in obj {
                let vals: Vec<String> = match v {
                    serde_json::Value::Array(a) => a.iter().filter_map(scalar).collect(),
                    other => scalar(other).into_iter().collect(),
                };
                m.insert(k.clone(), vals);
            }
        }
        Fields(m)
    }

    /// The first value of a field, or "".
    pub fn get(&self, k: &str) -> String {
        self.0
            .get(k)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.get(k).cloned().unwrap_or_default()
    }

    pub fn opt(&self, k: &str) -> Option<String> {
        let v = self.get(k);
        if v.trim().is_empty() {
            None
        } else {
            Some(v.trim().to_owned())
        }
    }
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn id_field(f: &Fields, name: &'static str) -> Result<i64, FieldError> {
    let v = f.get(name);
    if v.trim().is_empty() {
        return Err(FieldError::new(name, "required"));
    }
    v.trim()
        .parse()
        .map_err(|_| FieldError::new(name, "invalid"))
}

fn opt_id(f: &Fields, name: &'static str) -> Result<Option<i64>, FieldError> {
    if f.get(name).trim().is_empty() {
        Ok(None)
    } else {
        id_field(f, name).map(Some)
    }
}

fn flag(f: &Fields, name: &str) -> bool {
    dangvu_domain::text::truthy(&f.get(name))
}

pub fn date(f: &Fields, name: &'static str) -> Result<NaiveDate, FieldError> {
    parse_date(name, &f.get(name))
}

pub fn reason(f: &Fields) -> String {
    f.get("reason")
}

/// The decision behind a change: `decision_ref`, `decided_on` (dd/mm/yyyy), `decided_by`.
pub fn decision(f: &Fields) -> Result<dangvu_domain::decision::Decision, DomainError> {
    dangvu_domain::decision::Decision::parse(
        &f.get("decision_ref"),
        &f.get("decided_on"),
        &f.get("decided_by"),
    )
}

pub fn new_org(f: &Fields) -> Result<NewOrg, DomainError> {
    let mut e = Errors::default();
    let kind =
        e.take(OrgKind::from_code(f.get("kind").trim()).ok_or(FieldError::new("kind", "required")));
    let parent = e.take(opt_id(f, "parent"));
    let founded_on = e.take(date(f, "founded_on"));
    let name = f.get("name");
    if name.trim().is_empty() {
        e.push("name", "required");
    }
    e.finish()?;
    match (kind, parent, founded_on) {
        (Some(kind), Some(parent), Some(founded_on)) => Ok(NewOrg {
            name,
            kind,
            parent: parent.map(OrgId),
            founded_on,
            decision_ref: f.opt("decision_ref"),
        }),
        _ => Err(DomainError::rule("invalid_input")),
    }
}

pub fn new_member(f: &Fields) -> Result<NewMember, DomainError> {
    let mut e = Errors::default();
    let record = e.take_part(MemberRecord::parse(|k| f.get(k)))?;
    let cell = e.take(id_field(f, "cell"));
    let admitted_on = e.take(date(f, "admitted_on"));
    let joined_on = e.take(parse_opt_date("joined_on", &f.get("joined_on")));
    let official = flag(f, "official");
    let card = match f.opt("card_number") {
        None => Some(None),
        Some(n) => {
            let generation = CardGeneration::from_code(f.get("generation").trim())
                .unwrap_or(CardGeneration::Ct29_2003);
            let issued = e.take(date(f, "issued_on"));
            issued.map(|d| Some((n, generation, d)))
        }
    };
    e.finish()?;
    match (record, cell, admitted_on, joined_on, card) {
        (Some(record), Some(cell), Some(admitted_on), Some(joined_on), Some(card)) => {
            Ok(NewMember {
                record,
                cell: OrgId(cell),
                admitted_on,
                joined_on,
                official,
                decision_ref: f.opt("decision_ref"),
                card,
            })
        }
        _ => Err(DomainError::rule("invalid_input")),
    }
}

pub fn new_event(f: &Fields) -> Result<NewEvent, DomainError> {
    let mut e = Errors::default();
    let kind = e.take(
        EventKind::from_code(f.get("kind").trim()).ok_or(FieldError::new("kind", "required")),
    );
    let on = e.take(parse_opt_date("on", &f.get("on")));
    let org = e.take(opt_id(f, "org"));
    // The receiving organisation of a transfer out, typed by its code on the page (it is
    // usually outside the sender's own cells).
    let destination_org = e.take(opt_id(f, "destination_org"));
    let discipline = match f.opt("discipline") {
        None => None,
        Some(d) => {
            e.take(DisciplineForm::from_code(&d).ok_or(FieldError::new("discipline", "invalid")))
        }
    };
    let decided_on = e.take(parse_opt_date("decided_on", &f.get("decided_on")));
    let transfer = transfers::details(f, &mut e);
    let register = e.take(opt_id(f, "register")).flatten();
    e.finish()?;
    let org = match (kind, destination_org.flatten()) {
        (Some(k), Some(d)) if k.names_destination() => Some(d),
        _ => org.flatten(),
    };
    Ok(NewEvent {
        kind,
        on: on.flatten(),
        org: org.map(OrgId),
        discipline,
        decision_ref: f.opt("decision_ref"),
        decided_by: f.opt("decided_by"),
        decided_on: decided_on.flatten(),
        note: f.opt("note"),
        destination: f.opt("destination"),
        transfer: (transfer != Default::default()).then_some(transfer),
        old_file: flag(f, "old_file"),
        register: register.map(OrgId),
    })
}

/// (position, member, term, from, decision)
pub fn appointment(
    f: &Fields,
) -> Result<(Position, MemberId, String, NaiveDate, Option<String>), DomainError> {
    let mut e = Errors::default();
    let position = e.take(
        Position::from_code(f.get("position").trim())
            .ok_or(FieldError::new("position", "required")),
    );
    let member = e.take(id_field(f, "member"));
    let from = e.take(date(f, "on"));
    let term = f.get("term_label");
    if term.trim().is_empty() {
        e.push("term_label", "required");
    }
    e.finish()?;
    match (position, member, from) {
        (Some(p), Some(m), Some(d)) => Ok((p, MemberId(m), term, d, f.opt("decision_ref"))),
        _ => Err(DomainError::rule("invalid_input")),
    }
}

pub fn org_ref(f: &Fields, name: &'static str) -> Result<OrgId, FieldError> {
    id_field(f, name).map(OrgId)
}

pub fn opt_org_ref(f: &Fields, name: &'static str) -> Result<Option<OrgId>, FieldError> {
    opt_id(f, name).map(|o| o.map(OrgId))
}

pub fn ids(f: &Fields, name: &'static str) -> Result<Vec<i64>, FieldError> {
    f.all(name)
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| FieldError::new(name, "invalid"))
        })
        .collect()
}

/// A refusal of the given fields, as the use cases answer it.
pub fn invalid(errors: Vec<FieldError>) -> dangvu_app::AppError {
    dangvu_app::AppError::Domain(DomainError::Invalid(errors))
}

/// Two fields read together: both values, or the errors of both at once.
pub fn both<A, B>(
    a: Result<A, FieldError>,
    b: Result<B, FieldError>,
) -> Result<(A, B), DomainError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(DomainError::Invalid(
            [a.err(), b.err()].into_iter().flatten().collect(),
        )),
    }
}

/// Several errors at once from a set of results.
pub fn collect(errs: Vec<Option<FieldError>>) -> Result<(), DomainError> {
    let v: Vec<FieldError> = errs.into_iter().flatten().collect();
    if v.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_form_give_the_same_fields() {
        let j = serde_json::json!({"name": "Chi bộ Khu 1", "parent": 3, "sources": [1, 2], "official": true});
        let f = Fields::from_json(&j);
        assert_eq!(f.get("parent"), "3");
        assert_eq!(f.all("sources"), vec!["1", "2"]);
        assert!(flag(&f, "official"));
        let g = Fields::from_pairs(vec![
            ("sources".into(), "1".into()),
            ("sources".into(), "2".into()),
        ]);
        assert_eq!(ids(&g, "sources").unwrap(), vec![1, 2]);
    }

    #[test]
    fn new_org_names_every_bad_field() {
        let f = Fields::from_pairs(vec![("founded_on".into(), "31/02/2020".into())]);
        let err = new_org(&f).unwrap_err();
        let fields: Vec<_> = err.fields().iter().map(|x| (x.field, x.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("kind", "required"),
                ("founded_on", "date_impossible"),
                ("name", "required")
            ]
        );
    }
}
