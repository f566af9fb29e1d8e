//! Gradescope's autograder results format (`results.json`): a top-level score and one test per
//! exercise. <https://gradescope-autograders.readthedocs.io/en/latest/specs/>

use serde::Serialize;

use super::Report;
use nnlab_check::verdict::Status;

/// The whole results file.
#[derive(Debug, Serialize)]
pub struct Results {
    /// Points earned; the sum of the tests' scores.
    pub score: f64,
    /// Points at stake.
    pub max_score: f64,
    /// Shown above the tests.
    pub output: String,
    /// Who sees the results.
    pub visibility: &'static str,
    /// One test per exercise.
    pub tests: Vec<Test>,
}

/// One exercise as a Gradescope test.
#[derive(Debug, Serialize)]
pub struct Test {
    /// `lab01-neuron: sigmoid`.
    pub name: String,
    /// Points earned.
    pub score: f64,
    /// Points at stake.
    pub max_score: f64,
    /// `passed` or `failed`.
    pub status: &'static str,
    /// What the student reads: status, the first failing case, the hint.
    pub output: String,
    /// Who sees the test.
    pub visibility: &'static str,
}

/// The report in Gradescope's format.
pub fn results(report: &Report) -> Results {
    let mut tests = Vec::new();
    for lab in &report.labs {
        for ex in &lab.exercises {
            let mut output =
                format!("{} ({} of {} cases passed)\n", ex.status.label(), ex.cases_passed, ex.cases);
            if lab.not_submitted() {
                output.push_str("This lab was not submitted (no src/lib.rs).\n");
            } else if let Some(why) = &lab.not_graded {
                output.push_str(&format!("This lab was not graded: {why}.\n"));
            } else if let Some(err) = lab.build_failure().filter(|_| ex.status == Status::DidNotCompile) {
                output.push_str(&format!("The compiler's first error:\n{err}\n"));
            }
            if let Some(explanation) = ex.explanation() {
                output.push_str(&explanation);
            }
            tests.push(Test {
                name: format!("{}: {}", lab.lab, ex.name),
                score: ex.score,
                max_score: ex.max_score,
                status: if ex.status == Status::Passed { "passed" } else { "failed" },
                output,
                visibility: "visible",
            });
        }
    }
    // Intake's notes, under the first line, so that a submission without any reads as before.
    let seed = if report.hidden {
        format!("hidden cases drawn with seed {}", report.seed)
    } else {
        "public cases only".into()
    };
    Results {
        score: report.score(),
        max_score: report.max_score(),
        output: std::iter::once(format!("nnlab grader: {seed}"))
            .chain(report.notes.iter().map(|note| format!("- {note}")))
            .collect::<Vec<_>>()
            .join("\n"),
        visibility: "visible",
        tests,
    }
}
