//! PrairieLearn's external-grader results (`/grade/results/results.json`): a score in [0, 1] and
//! one test per exercise, with the fields its `<pl-external-grader-results>` element renders.
//! <https://prairielearn.readthedocs.io/en/latest/externalGrading/#grading-results>
//!
//! PrairieLearn shows every test at once, so a failing hidden case is shown as a count, not with
//! its inputs, unless the settings make hidden cases visible.

use serde::{Deserialize, Serialize};

use super::gradescope::{Settings, Visibility};
use super::{ExerciseResult, LabResult, Report};

/// PrairieLearn refuses results files over 1 MB; outputs are cut well below that.
const MAX_OUTPUT: usize = 4 * 1024;

/// The whole results file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Results {
    /// Always true: code that does not compile is graded (0 points for that lab), not refused.
    pub gradable: bool,
    /// Points earned over points at stake, in [0, 1].
    pub score: f64,
    /// One line above the tests.
    pub message: String,
    /// Intake's notes, one per line.
    pub output: String,
    /// One test per exercise.
    pub tests: Vec<Test>,
}

/// One exercise.
#[derive(Debug, Serialize, Deserialize)]
pub struct Test {
    /// `lab01-neuron: sigmoid`.
    pub name: String,
    /// The lab's title.
    pub description: String,
    /// Points earned.
    pub points: f64,
    /// Points at stake.
    pub max_points: f64,
    /// How it went, in one line.
    pub message: String,
    /// The first failing case (public, or hidden when those are visible), the hint, the section.
    pub output: String,
}

/// The report in PrairieLearn's format.
pub fn results(report: &Report, settings: &Settings) -> Results {
    let tests =
        report.labs.iter().flat_map(|lab| lab.exercises.iter().map(move |ex| test(lab, ex, settings)));
    let max = report.max_score();
    Results {
        gradable: true,
        score: if max > 0.0 { (report.score() / max).clamp(0.0, 1.0) } else { 0.0 },
        message: format!("{:.2} of {max:.2} points", report.score()),
        output: report.notes.join("\n"),
        tests: tests.collect(),
    }
}

fn test(lab: &LabResult, ex: &ExerciseResult, settings: &Settings) -> Test {
    let message = if lab.not_submitted() {
        "not submitted: the grader found no src/lib.rs for this lab".to_string()
    } else if let Some(why) = &lab.not_graded {
        format!("not graded: {why}")
    } else {
        format!("{} ({} of {} cases passed)", ex.status.label(), ex.cases_passed, ex.cases)
    };
    let public_failed = ex.public_passed < ex.public_cases;
    let hidden_failed = ex.cases_passed - ex.public_passed < ex.cases - ex.public_cases;
    let mut output = String::new();
    if let Some(err) = lab.build_failure() {
        output.push_str(&format!("The compiler's first error:\n{err}\n"));
    }
    let shown = ex.failure.as_ref().filter(|_| public_failed || settings.hidden == Visibility::Visible);
    if let Some(failure) = shown {
        output.push_str(&ex.explain(failure));
    }
    if hidden_failed && settings.hidden != Visibility::Visible {
        let hidden = ex.cases - ex.public_cases;
        let failed = hidden - (ex.cases_passed - ex.public_passed);
        output.push_str(&format!("{failed} of {hidden} hidden cases failed (their inputs are not shown).\n"));
        if shown.is_none() {
            output.push_str(&ex.advice());
        }
    }
    if output.len() > MAX_OUTPUT {
        let cut = (0..=MAX_OUTPUT).rev().find(|&i| output.is_char_boundary(i)).unwrap_or(0);
        output.truncate(cut);
        output.push_str("\n… (cut)\n");
    }
    Test {
        name: format!("{}: {}", lab.lab, ex.name),
        description: lab.title.clone(),
        points: ex.score,
        max_points: ex.max_score,
        message,
        output,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn the_score_is_a_fraction_and_hidden_inputs_are_not_shown() {
        let report = sample();
        let json = serde_json::to_value(results(&report, &Settings::default())).unwrap();
        let top: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(top, ["gradable", "message", "output", "score", "tests"]);
        assert!((json["score"].as_f64().unwrap() - report.score() / report.max_score()).abs() < 1e-12);
        let tests = json["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 3);
        for test in tests {
            let keys: Vec<&str> = test.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["description", "max_points", "message", "name", "output", "points"]);
        }
        let relu = tests[1]["output"].as_str().unwrap();
        assert!(relu.contains("2 of 3 hidden cases failed") && !relu.contains("seed 7"), "{relu}");
        assert!(relu.contains("look at the sign"), "{relu}");
        let shown = results(&report, &Settings { hidden: Visibility::Visible, ..Settings::default() });
        assert!(shown.tests[1].output.contains("hidden case 1 of 3, seed 7"), "{}", shown.tests[1].output);
        assert!(tests[2]["message"].as_str().unwrap().starts_with("not submitted"));
    }
}
