//! `gradebook.csv`: one row per student, one column per lab and the total — the shape learning
//! management systems import (RFC 4180 quoting; points with two decimals).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;

/// The gradebook of `reports`, by student name.
pub fn render(reports: &BTreeMap<String, Report>) -> String {
    let mut out = String::new();
    let labs = columns(reports);
    let header: Vec<String> = std::iter::once("student")
        .chain(labs.iter().map(|(lab, _)| lab.as_str()))
        .chain(["total", "max"])
        .map(field)
        .collect();
    let _ = writeln!(out, "{}", header.join(","));
    for (name, report) in reports {
        let mut row = vec![field(name)];
        row.extend(scores(report, &labs).iter().map(|score| format!("{score:.2}")));
        row.push(format!("{:.2}", report.score()));
        row.push(format!("{:.2}", report.max_score()));
        let _ = writeln!(out, "{}", row.join(","));
    }
    out
}

/// The lab columns of a class's gradebooks, in course order, with each lab's points.
pub(crate) fn columns(reports: &BTreeMap<String, Report>) -> Vec<(String, f64)> {
    reports
        .values()
        .next()
        .map(|r| r.labs.iter().map(|l| (l.lab.clone(), l.max_score())).collect())
        .unwrap_or_default()
}

/// The points of `report` in each of the lab `columns` (0 for a lab it lacks).
pub(crate) fn scores(report: &Report, columns: &[(String, f64)]) -> Vec<f64> {
    columns
        .iter()
        .map(|(lab, _)| report.labs.iter().find(|l| &l.lab == lab).map_or(0.0, |l| l.score()))
        .collect()
}

/// A CSV text field. A spreadsheet reads a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return as a formula (a student folder named `=HYPERLINK(…)` would run in the
/// instructor's spreadsheet), so such a cell gets a leading `'` (OWASP's rule against CSV
/// injection); then it is quoted when it holds a comma, a quote or a line break (RFC 4180).
pub(crate) fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_names_are_quoted() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        assert_eq!(field("a=b"), "a=b");
        assert_eq!(field("x-1"), "x-1");
    }
}
