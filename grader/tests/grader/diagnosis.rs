//! The catalogue of known mistakes: each is caught by the public cases of its own exercises, and
//! the answers the public checks diagnose from (`fixtures/mistakes/<lab>.yaml`) are the ones the
//! mistakes give today.

use grader::grade::{Grader, Options};
use grader::mistakes;
use nnlab_check::Verdict;
use nnlab_check::diagnosis::StoredMistakes;

use crate::common::{SEED, one_at_a_time, workspace};

#[test]
fn every_mistake_fails_a_public_case_of_each_of_its_exercises_and_the_stored_answers_are_current() {
    let ws = workspace();
    let _guard = one_at_a_time();
    let grader = Grader::new(&ws, Options::with_seed(SEED)).unwrap();
    let stored = grader.stored_mistakes().unwrap();
    let mut problems = Vec::new();
    for lab in ws.labs().unwrap() {
        let fixture = ws.fixture(&lab).unwrap();
        let on_file = StoredMistakes::load(&StoredMistakes::path(&ws.fixtures(), &lab)).unwrap();
        let computed = stored.get(&lab).cloned().unwrap_or_default();
        // Compared as text: a NaN answer is never equal to itself.
        let text = |s: &StoredMistakes| serde_yaml_ng::to_string(s).unwrap();
        if text(&on_file) != text(&computed) {
            problems
                .push(format!("{lab}: fixtures/mistakes is stale: run `cargo run -p grader -- generate`"));
        }
        if computed.mistakes.len() < 3 {
            problems.push(format!("{lab}: {} catalogued mistakes, fewer than 3", computed.mistakes.len()));
        }
        for mistake in &computed.mistakes {
            for (exercise, answers) in &mistake.answers {
                let ex = fixture.exercise(exercise).unwrap();
                let caught = fixture.cases_of(exercise).any(|case| {
                    answers.get(&case.id).is_some_and(|answer| {
                        Verdict::judge(answer, &case.want, case.tol(ex), None) != Verdict::Pass
                    })
                });
                if !caught {
                    problems.push(format!(
                        "{lab}/{}: every public case of {exercise} passes with this mistake: add a public case that catches it",
                        mistake.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_mistake_names_exercises_of_its_lab_and_says_something() {
    let ws = workspace();
    let catalogue = mistakes::catalogue(&ws).unwrap();
    assert!(catalogue.len() >= 24, "{} mistakes", catalogue.len());
    for mistake in catalogue {
        let fixture = ws.fixture(&mistake.lab).unwrap();
        assert!(!mistake.diagnosis.exercises.is_empty(), "{}: no exercise", mistake.name);
        for name in &mistake.diagnosis.exercises {
            assert!(
                fixture.exercise(name).is_some(),
                "{}: {} has no exercise {name}",
                mistake.name,
                mistake.lab
            );
        }
        let says = &mistake.diagnosis.says;
        assert!(says.len() > 30 && says.ends_with('.'), "{}: says {says:?}", mistake.name);
    }
}
