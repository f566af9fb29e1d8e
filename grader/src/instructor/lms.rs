//! Gradebooks that learning management systems import, one column per lab, for the students on
//! the roster (a student the roster does not list cannot be matched, and is reported instead).
//!
//! - `canvas.csv`: Canvas's gradebook import — `Student`, `ID`, `SIS User ID`, `SIS Login ID`,
//!   `Section`, then one column per lab, the second row `Points Possible`. Canvas matches a row by
//!   `ID`, `SIS User ID` or `SIS Login ID`, and makes each new column an assignment.
//! - `moodle.csv`: for Moodle's "Import grades from CSV" — `ID number`, `Email address`,
//!   `Full name`, then one column per lab; at import, map `ID number` or `Email address` to the
//!   user field of the same name and each lab to a grade item.

use std::collections::BTreeMap;

use super::roster::{Person, Roster};
use crate::report::Report;
use crate::report::gradebook::{columns, field, scores};

/// The rows of students on the roster: their person, folder and, per lab column, their score.
fn rows<'a>(
    reports: &'a BTreeMap<String, Report>,
    roster: &'a Roster,
    labs: &[(String, f64)],
) -> Vec<(&'a Person, &'a str, Vec<f64>)> {
    reports
        .iter()
        .filter_map(|(folder, report)| {
            Some((roster.people.get(folder)?, folder.as_str(), scores(report, labs)))
        })
        .collect()
}

fn line(cells: impl IntoIterator<Item = String>) -> String {
    cells.into_iter().collect::<Vec<_>>().join(",") + "\n"
}

fn points(scores: &[f64]) -> impl Iterator<Item = String> + '_ {
    scores.iter().map(|s| format!("{s:.2}"))
}

/// `canvas.csv`.
pub fn canvas(reports: &BTreeMap<String, Report>, roster: &Roster) -> String {
    let labs = columns(reports);
    let fixed = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];
    let mut out = line(fixed.iter().map(|h| h.to_string()).chain(labs.iter().map(|(lab, _)| field(lab))));
    let possible: Vec<f64> = labs.iter().map(|(_, max)| *max).collect();
    out += &line(
        ["Points Possible".to_string()]
            .into_iter()
            .chain(std::iter::repeat_n(String::new(), 4))
            .chain(points(&possible)),
    );
    for (person, folder, scores) in rows(reports, roster, &labs) {
        let name = if person.name.is_empty() { folder } else { &person.name };
        let login = if person.login.is_empty() { &person.email } else { &person.login };
        let ids = [name, &person.id, &person.sis_id, login, &person.section].map(field);
        out += &line(ids.into_iter().chain(points(&scores)));
    }
    out
}

/// `moodle.csv`.
pub fn moodle(reports: &BTreeMap<String, Report>, roster: &Roster) -> String {
    let labs = columns(reports);
    let fixed = ["ID number", "Email address", "Full name"];
    let mut out = line(fixed.iter().map(|h| h.to_string()).chain(labs.iter().map(|(lab, _)| field(lab))));
    for (person, folder, scores) in rows(reports, roster, &labs) {
        let id = if person.sis_id.is_empty() { &person.id } else { &person.sis_id };
        let name = if person.name.is_empty() { folder } else { &person.name };
        out += &line([id, &person.email, name].map(field).into_iter().chain(points(&scores)));
    }
    out
}
