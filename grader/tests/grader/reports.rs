//! Whole-folder grading: the reference, the stubs, and the reports written from them.

use grader::report::gradescope::{self, Settings};
use grader::report::{prairielearn, text};
use nnlab_check::verdict::Status;

use crate::common::{grade, workspace};

#[test]
fn the_reference_scores_full_marks() {
    let ws = workspace();
    let report = grade(&ws.root.join("solutions"));
    for lab in &report.labs {
        assert_eq!(lab.compile_error, None, "{}", lab.lab);
        let fixture = ws.fixture(&lab.lab).unwrap();
        for ex in &lab.exercises {
            // An experiment trains a network per case: a public one and at least one hidden draw.
            let experiment = fixture.exercise(&ex.name).is_some_and(|e| e.outcome.is_some());
            assert_eq!(
                ex.status,
                Status::Passed,
                "{}::{}\n{}",
                lab.lab,
                ex.name,
                ex.failure.as_deref().unwrap_or("")
            );
            assert!(ex.cases >= if experiment { 2 } else { 5 }, "{}::{} has too few cases", lab.lab, ex.name);
            assert_eq!(
                (&ex.mistake, &ex.cause),
                (&None, &None),
                "{}::{}: a correct exercise is never diagnosed",
                lab.lab,
                ex.name
            );
        }
    }
    assert!(report.max_score() > 0.0);
    assert_eq!(report.score(), report.max_score());
}

#[test]
fn the_stubs_score_zero_with_every_exercise_not_implemented() {
    let ws = workspace();
    let report = grade(&ws.root.join("labs"));
    assert_eq!(report.labs.len(), ws.labs().unwrap().len());
    for lab in &report.labs {
        assert_eq!(lab.compile_error, None, "the stubs of {} must compile", lab.lab);
        for ex in &lab.exercises {
            assert_eq!(ex.status, Status::NotImplemented, "{}::{}", lab.lab, ex.name);
            assert_eq!(ex.score, 0.0);
        }
    }
    assert_eq!(report.score(), 0.0);
    let shown = text::render(&report);
    assert!(shown.contains("not implemented yet"), "{shown}");
    assert!(!shown.contains("panicked"), "a stub must read as not implemented, not as a crash:\n{shown}");
}

#[test]
fn the_gradescope_json_parses_and_its_scores_add_up() {
    let ws = workspace();
    let report = grade(&ws.root.join("solutions"));
    let settings = Settings { leaderboard: true, ..Settings::default() };
    let json = serde_json::to_string(&gradescope::results_with(&report, &settings)).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let tests = parsed["tests"].as_array().expect("tests[]");
    // Each exercise: a test of its worked examples and one of its hidden cases.
    let parts: usize = report
        .labs
        .iter()
        .flat_map(|l| &l.exercises)
        .map(|e| usize::from(e.public_cases > 0) + usize::from(e.cases > e.public_cases))
        .sum();
    assert_eq!(tests.len(), parts);
    let sum: f64 = tests.iter().map(|t| t["score"].as_f64().expect("a numeric score")).sum();
    let max: f64 = tests.iter().map(|t| t["max_score"].as_f64().expect("a numeric max_score")).sum();
    assert!((sum - parsed["score"].as_f64().unwrap()).abs() < 1e-9);
    assert!((max - report.max_score()).abs() < 1e-9);
    for t in tests {
        assert!(t["name"].is_string() && t["output"].is_string(), "{t}");
        assert_eq!(t["status"], "passed", "{t}");
        let hidden = t["name"].as_str().unwrap().ends_with("(hidden cases)");
        assert_eq!(t["visibility"], if hidden { "after_due_date" } else { "visible" }, "{t}");
    }
    // The experiments' metrics, ranked: one entry per experiment of the registry, each past its bar
    // (less the margin a hidden draw may take off it: see `Outcome::at_most_as_hard_as`).
    let board = parsed["leaderboard"].as_array().expect("a leaderboard");
    let names: Vec<&str> = board.iter().map(|e| e["name"].as_str().unwrap()).collect();
    let mut experiments = Vec::new();
    for lab in ws.labs().unwrap() {
        for ex in ws.fixture(&lab).unwrap().exercises {
            if let Some(outcome) = ex.outcome {
                let metric = if outcome.metric == nnlab_check::Metric::Rmse { "RMSE" } else { "accuracy" };
                experiments.push((format!("{lab}: {} {metric}", ex.name), outcome));
            }
        }
    }
    assert_eq!(names, experiments.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>());
    for (entry, (_, outcome)) in board.iter().zip(&experiments) {
        let value = entry["value"].as_f64().unwrap();
        let rmse = entry["order"] == "asc";
        assert!(
            if rmse { value <= outcome.pass * 1.2 } else { value >= outcome.pass - 0.1 && value <= 1.0 },
            "{entry}"
        );
    }
    let pl = serde_json::to_value(prairielearn::results(&report, &settings)).unwrap();
    assert_eq!((pl["gradable"].as_bool(), pl["score"].as_f64()), (Some(true), Some(1.0)));
}

#[test]
fn the_same_seed_gives_the_same_report_byte_for_byte() {
    let ws = workspace();
    let dir = ws.root.join("solutions");
    let (first, second) = (grade(&dir), grade(&dir));
    assert_eq!(text::render(&first), text::render(&second));
    let json = |r| serde_json::to_string_pretty(&gradescope::results(r)).unwrap();
    assert_eq!(json(&first), json(&second));
}

#[test]
fn each_submission_is_graded_on_its_own_build() {
    // Regression: all probes share one target directory, and once the reference's probe had been
    // built, an up-to-date stub probe was handed the reference's binary and scored full marks.
    let ws = workspace();
    for dir in ["solutions", "labs", "solutions", "labs"] {
        let report = grade(&ws.root.join(dir));
        let want = if dir == "solutions" { report.max_score() } else { 0.0 };
        assert_eq!(report.score(), want, "{dir}");
    }
}
