//! Gradescope's autograder results format (`results.json`): a top-level score and tests, with only
//! the fields Gradescope documents. <https://gradescope-autograders.readthedocs.io/en/latest/specs/>
//!
//! An exercise is one test when its public and hidden cases share a visibility, and two tests —
//! the worked examples and the hidden cases, with their share of the points — when they do not, so
//! that hidden inputs and expected values can stay out of sight until the due date.

use serde::{Deserialize, Serialize};

use super::{ExerciseResult, LabResult, Report};
use nnlab_check::outcome::Metric;
use nnlab_check::verdict::Status;

/// Who sees a test, or the whole result, in Gradescope's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Visibility {
    /// Shown at once.
    Visible,
    /// Never shown to students.
    Hidden,
    /// Shown once the due date has passed.
    AfterDueDate,
    /// Shown once the grades are published.
    AfterPublished,
}

impl Visibility {
    /// The word in results.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Visible => "visible",
            Visibility::Hidden => "hidden",
            Visibility::AfterDueDate => "after_due_date",
            Visibility::AfterPublished => "after_published",
        }
    }
}

/// What the instructor chooses for the results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Visibility of the worked examples' tests.
    pub public: Visibility,
    /// Visibility of the hidden cases' tests (their inputs and expected values).
    pub hidden: Visibility,
    /// Visibility of `run_autograder`'s output; Gradescope's own default when `None`.
    pub stdout: Option<Visibility>,
    /// Add a leaderboard of the experiments graded by outcome (lab 07's accuracies and R²).
    pub leaderboard: bool,
}

impl Default for Settings {
    /// Worked examples at once, hidden cases after the due date, no leaderboard.
    fn default() -> Settings {
        Settings {
            public: Visibility::Visible,
            hidden: Visibility::AfterDueDate,
            stdout: None,
            leaderboard: false,
        }
    }
}

/// The whole results file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Results {
    /// Points earned; the sum of the tests' scores.
    pub score: f64,
    /// Seconds the exercises' runs took, when the grader timed them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_time: Option<f64>,
    /// Shown above the tests.
    pub output: String,
    /// Who sees the results.
    pub visibility: Visibility,
    /// Who sees the autograder's standard output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stdout_visibility: Option<Visibility>,
    /// The tests: one or two per exercise.
    pub tests: Vec<Test>,
    /// The experiments' metrics, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaderboard: Option<Vec<Entry>>,
}

/// One exercise, or its public or hidden part, as a Gradescope test.
#[derive(Debug, Serialize, Deserialize)]
pub struct Test {
    /// `lab01-neuron: sigmoid`, with `(worked examples)` or `(hidden cases)` when split.
    pub name: String,
    /// Points earned.
    pub score: f64,
    /// Points at stake.
    pub max_score: f64,
    /// `passed` or `failed`.
    pub status: String,
    /// What the student reads: status, the first failing case, the hint.
    pub output: String,
    /// Who sees the test.
    pub visibility: Visibility,
    /// The lab, and the seconds the run took when timed.
    pub extra_data: serde_json::Value,
}

/// One leaderboard column.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    /// `lab07-training: fit_digits`.
    pub name: String,
    /// The mean metric over the experiment's cases.
    pub value: f64,
    /// `desc` when higher is better, `asc` when lower is.
    pub order: String,
}

/// Which cases a test covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    All,
    Public,
    Hidden,
}

/// The report in Gradescope's format, with the default settings.
pub fn results(report: &Report) -> Results {
    results_with(report, &Settings::default())
}

/// The report in Gradescope's format.
pub fn results_with(report: &Report, settings: &Settings) -> Results {
    let mut tests = Vec::new();
    let mut leaderboard = Vec::new();
    for lab in &report.labs {
        for ex in &lab.exercises {
            let parts: &[Part] =
                if settings.public == settings.hidden { &[Part::All] } else { &[Part::Public, Part::Hidden] };
            for &part in parts {
                if let Some(test) = test(lab, ex, part, settings) {
                    tests.push(test);
                }
            }
            if let (true, Some(measure)) = (settings.leaderboard, ex.metric) {
                let (what, order) = match measure.metric {
                    Metric::Accuracy => ("accuracy", "desc"),
                    Metric::Rmse => ("RMSE", "asc"),
                };
                leaderboard.push(Entry {
                    name: format!("{}: {} {what}", lab.lab, ex.name),
                    value: (measure.mean * 1e4).round() / 1e4,
                    order: order.into(),
                });
            }
        }
    }
    let seed = if report.hidden {
        format!("hidden cases drawn with seed {}", report.seed)
    } else {
        "public cases only".into()
    };
    let seconds: Vec<f64> = report.labs.iter().flat_map(|l| &l.exercises).filter_map(|e| e.seconds).collect();
    Results {
        score: report.score(),
        execution_time: (!seconds.is_empty())
            .then(|| (seconds.iter().sum::<f64>() * 1000.0).round() / 1000.0),
        // Intake's notes, under the first line, so that a submission without any reads as before.
        output: std::iter::once(format!("nnlab grader: {seed}"))
            .chain(report.notes.iter().map(|note| format!("- {note}")))
            .collect::<Vec<_>>()
            .join("\n"),
        visibility: Visibility::Visible,
        stdout_visibility: settings.stdout,
        tests,
        leaderboard: settings.leaderboard.then_some(leaderboard),
    }
}

/// The test of `part` of exercise `ex`, or `None` when that part has no cases.
fn test(lab: &LabResult, ex: &ExerciseResult, part: Part, settings: &Settings) -> Option<Test> {
    let hidden_cases = ex.cases - ex.public_cases;
    let (name, (score, max_score), passed, cases, failure, visibility) = match part {
        Part::All => (
            format!("{}: {}", lab.lab, ex.name),
            (ex.score, ex.max_score),
            ex.cases_passed,
            ex.cases,
            ex.failure.as_ref(),
            settings.public,
        ),
        Part::Public => (
            format!("{}: {} (worked examples)", lab.lab, ex.name),
            ex.public_points(),
            ex.public_passed,
            ex.public_cases,
            ex.failure.as_ref().filter(|_| ex.public_passed < ex.public_cases),
            settings.public,
        ),
        Part::Hidden => (
            format!("{}: {} (hidden cases)", lab.lab, ex.name),
            ex.hidden_points(),
            ex.cases_passed - ex.public_passed,
            hidden_cases,
            ex.hidden_failure.as_ref(),
            settings.hidden,
        ),
    };
    if cases == 0 && part != Part::All {
        return None;
    }
    let status = if lab.not_submitted() { "not submitted" } else { ex.status.label() };
    let mut output = format!("{status} ({passed} of {cases} cases passed)\n");
    if lab.not_submitted() {
        output.push_str("This lab was not submitted: the grader found no src/lib.rs for it.\n");
    } else if let Some(why) = &lab.not_graded {
        output.push_str(&format!("This lab was not graded: {why}.\n"));
    } else if let Some(err) = lab.build_failure().filter(|_| ex.status == Status::DidNotCompile) {
        output.push_str(&format!("The compiler's first error:\n{err}\n"));
    }
    if let Some(failure) = failure {
        output.push_str(&ex.explain(failure));
    }
    let mut extra = serde_json::json!({ "lab": lab.lab, "exercise": ex.name });
    if let Some(seconds) = ex.seconds {
        extra["execution_time"] = seconds.into();
    }
    Some(Test {
        name,
        score,
        max_score,
        status: if passed == cases && cases > 0 { "passed" } else { "failed" }.into(),
        output,
        visibility,
        extra_data: extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    /// The fields Gradescope documents for the results, a test and a leaderboard entry.
    const TOP: &[&str] = &[
        "score",
        "execution_time",
        "output",
        "output_format",
        "test_output_format",
        "test_name_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
        "leaderboard",
    ];
    const TEST: &[&str] = &[
        "score",
        "max_score",
        "status",
        "name",
        "name_format",
        "number",
        "output",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    ];
    const ENTRY: &[&str] = &["name", "value", "order"];

    fn keys_within(value: &serde_json::Value, allowed: &[&str]) {
        for key in value.as_object().expect("an object").keys() {
            assert!(allowed.contains(&key.as_str()), "{key} is not in Gradescope's schema: {value}");
        }
    }

    fn checked(results: &Results) -> serde_json::Value {
        let json = serde_json::to_value(results).unwrap();
        keys_within(&json, TOP);
        for test in json["tests"].as_array().unwrap() {
            keys_within(test, TEST);
        }
        for entry in json["leaderboard"].as_array().into_iter().flatten() {
            keys_within(entry, ENTRY);
        }
        let sum: f64 = results.tests.iter().map(|t| t.score).sum();
        assert!((sum - results.score).abs() < 1e-9, "the tests add up to {sum}, not {}", results.score);
        json
    }

    #[test]
    fn hidden_cases_are_tests_of_their_own_shown_after_the_due_date() {
        let report = sample();
        let results = results(&report);
        checked(&results);
        let names: Vec<&str> = results.tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "lab01-neuron: sigmoid (worked examples)",
                "lab01-neuron: sigmoid (hidden cases)",
                "lab01-neuron: relu (worked examples)",
                "lab01-neuron: relu (hidden cases)",
                "lab02-perceptron: train (worked examples)",
                "lab02-perceptron: train (hidden cases)",
            ]
        );
        let relu_public = &results.tests[2];
        let relu_hidden = &results.tests[3];
        assert_eq!((relu_public.status.as_str(), relu_public.visibility), ("passed", Visibility::Visible));
        assert!(!relu_public.output.contains("hidden case"), "{}", relu_public.output);
        assert_eq!((relu_public.score, relu_public.max_score), (1.2, 1.2));
        assert_eq!(
            (relu_hidden.status.as_str(), relu_hidden.visibility),
            ("failed", Visibility::AfterDueDate)
        );
        assert!(
            relu_hidden.output.contains("hidden case 1 of 3")
                && relu_hidden.output.contains("look at the sign")
        );
        assert_eq!((relu_hidden.score, relu_hidden.max_score), (0.6, 1.8));
        let missing = &results.tests[4];
        assert!(missing.output.starts_with("not submitted (0 of 2 cases passed)"), "{}", missing.output);
        assert!(!missing.output.contains("did not compile"), "{}", missing.output);
    }

    #[test]
    fn one_visibility_for_both_gives_one_test_per_exercise_and_the_options_show() {
        let mut report = sample();
        report.labs[0].exercises[0].metric =
            Some(crate::report::Measure { metric: Metric::Accuracy, mean: 0.97531 });
        report.labs[0].exercises[0].seconds = Some(0.25);
        let settings = Settings {
            public: Visibility::AfterPublished,
            hidden: Visibility::AfterPublished,
            stdout: Some(Visibility::Hidden),
            leaderboard: true,
        };
        let results = results_with(&report, &settings);
        let json = checked(&results);
        assert_eq!(results.tests.len(), 3);
        assert!(results.tests.iter().all(|t| t.visibility == Visibility::AfterPublished));
        assert_eq!(json["stdout_visibility"], "hidden");
        assert_eq!(json["execution_time"], 0.25);
        assert_eq!(json["tests"][0]["extra_data"]["execution_time"], 0.25);
        assert_eq!(
            json["leaderboard"],
            serde_json::json!([{"name": "lab01-neuron: sigmoid accuracy", "value": 0.9753, "order": "desc"}])
        );
        assert!(json.get("max_score").is_none(), "max_score is not a top-level field of results.json");
    }
}
