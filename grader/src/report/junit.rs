//! `junit.xml`: the class as JUnit test results, for CI dashboards — one test suite per student
//! and lab, one test case per exercise, a failure element with the explanation when it lost points.

use std::collections::BTreeMap;
use std::fmt::Write;

use nnlab_check::verdict::Status;

use super::Report;

/// The JUnit XML of `reports`, by student name.
pub fn render(reports: &BTreeMap<String, Report>) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for (name, report) in reports {
        for lab in &report.labs {
            let failed = lab.exercises.iter().filter(|e| e.status != Status::Passed).count();
            tests += lab.exercises.len();
            failures += failed;
            let _ = writeln!(
                suites,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\">",
                escape(&format!("{name}/{}", lab.lab)),
                lab.exercises.len()
            );
            for ex in &lab.exercises {
                let _ = write!(
                    suites,
                    "    <testcase classname=\"{}\" name=\"{}\"",
                    escape(&format!("{name}.{}", lab.lab)),
                    escape(&ex.name)
                );
                if ex.status == Status::Passed {
                    let _ = writeln!(suites, "/>");
                    continue;
                }
                let message = format!(
                    "{}: {:.2} of {} points, {} of {} cases passed",
                    ex.status.label(),
                    ex.score,
                    ex.max_score,
                    ex.cases_passed,
                    ex.cases
                );
                let detail = ex
                    .explanation()
                    .or_else(|| lab.compile_error.clone())
                    .or_else(|| lab.not_graded.clone())
                    .unwrap_or_default();
                let _ = writeln!(
                    suites,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    escape(&message),
                    escape(&detail)
                );
            }
            let _ = writeln!(suites, "  </testsuite>");
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nnlab\" tests=\"{tests}\" failures=\"{failures}\">\n{suites}</testsuites>\n"
    )
}

/// Text safe in XML (and HTML) attributes and content; control characters other than tab and
/// line breaks (which XML 1.0 forbids) are dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            // What XML 1.0 does not allow at all: other control characters, U+FFFE and U+FFFF
            // (surrogates cannot occur in a Rust string).
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_neutralised() {
        assert_eq!(escape("a<b & \"c\"\u{7}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
