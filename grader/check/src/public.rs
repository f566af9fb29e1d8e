//! The runner behind a student's `cargo test -p labNN-…`: every public case of the lab's fixture
//! file, called in-process, with one concise block per exercise instead of a wall of panics.
//!
//! `cargo test -p lab01-neuron -- sigmoid` runs only the exercises whose name contains `sigmoid`.

use std::path::Path;
use std::process::ExitCode;

use std::collections::BTreeMap;

use crate::diagnosis::StoredMistakes;
use crate::fixture::LabFixture;
use crate::probe::{Dispatch, answer};
use crate::relation::{Related, explain, samples};
use crate::verdict::{CaseAnswer, Failure, Judgement, Status, Verdict};

/// Runs the public checks of the lab whose crate lives in `manifest_dir` and prints a report.
/// Exits with failure unless every selected exercise passes.
pub fn run(manifest_dir: &str, dispatch: Dispatch) -> ExitCode {
    let lab_dir = Path::new(manifest_dir);
    let lab = lab_dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let fixtures = lab_dir.join("../../fixtures");
    let loaded = LabFixture::load(&LabFixture::path(&fixtures, lab))
        .and_then(|f| Ok((f, StoredMistakes::load(&StoredMistakes::path(&fixtures, lab))?)));
    let (fixture, mistakes) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut statuses = BTreeMap::new();
    // Whether the last thing printed was a failure block, which ends with a blank line.
    let mut gap = false;
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    println!("\n{} — {}: public checks\n", fixture.lab, fixture.title);
    let mut passed = 0;
    let mut selected = 0;
    for ex in &fixture.exercises {
        if !filters.is_empty() && !filters.iter().any(|f| ex.name.contains(f.as_str())) {
            continue;
        }
        selected += 1;
        let cases: Vec<_> = fixture.cases_of(&ex.name).collect();
        let answers: Vec<_> = cases
            .iter()
            .map(|c| match ex.outcome {
                // The grader's path: train on the training set, then evaluate the model on test
                // points it was not given (here with this lab's own functions).
                Some(outcome) => match crate::outcome::prepare(ex, &c.input) {
                    Ok(run) => crate::outcome::evaluate(
                        answer(dispatch, &ex.name, &run.input),
                        &run.test_x,
                        outcome.metric,
                        |input| {
                            Ok::<_, std::convert::Infallible>(answer(
                                dispatch,
                                crate::outcome::EVALUATE,
                                &input,
                            ))
                        },
                    )
                    .unwrap_or_else(|never| match never {}),
                    Err(e) => crate::Answer::BadInput(e),
                },
                None => answer(dispatch, &ex.name, &c.input),
            })
            .collect();
        // Every case was answered in-process, so "no answer" never happens here.
        let judgement = Judgement::of(
            cases.iter().zip(&answers).map(|(c, got)| CaseAnswer {
                answer: Some(got),
                want: &c.want,
                tol: c.tol(ex),
                outcome: ex.outcome,
            }),
            "no answer",
        );
        let (status, ok) = (judgement.status, judgement.passed);
        statuses.insert(ex.name.as_str(), status);
        let (mark, note) = match status {
            Status::Passed => {
                ("✓", format!("{} case{}", cases.len(), if cases.len() == 1 { "" } else { "s" }))
            }
            Status::NotImplemented => ("·", status.label().to_string()),
            _ => ("✗", format!("{ok} of {} cases passed", cases.len())),
        };
        println!("  {mark} {:<28} {note}", ex.name);
        gap = false;
        if status == Status::Passed {
            passed += 1;
        } else if status == Status::Failed
            && let Some((i, verdict)) = judgement.first_failure()
        {
            if let Some(cause) = cause(&fixture.lab, ex, &statuses) {
                println!("      {:<10} {cause}", "first");
            }
            let case = cases[i];
            let failure = Failure {
                case: case.label(&fixture.documents),
                input: &case.input,
                want: &case.want,
                tol: case.tol(ex),
                outcome: ex.outcome,
                verdict,
            };
            print!("{}", failure.render("      "));
            let compared: Vec<_> = cases
                .iter()
                .zip(&answers)
                .zip(&judgement.verdicts)
                .map(|((c, got), verdict)| (c.id.as_str(), verdict, Some(got), c.tol(ex)))
                .collect();
            // A catalogued mistake first; else a relation of the values to the expected ones.
            let related: Vec<_> = cases
                .iter()
                .zip(&answers)
                .zip(&judgement.verdicts)
                .map(|((c, got), verdict)| Related {
                    want: &c.want,
                    got: match got {
                        crate::Answer::Value(v) => Some(v),
                        _ => None,
                    },
                    tol: c.tol(ex),
                    passed: *verdict == Verdict::Pass,
                    n: samples(c.input.values()),
                })
                .collect();
            let said = match mistakes.diagnose(&ex.name, &compared) {
                Some(mistake) => Some(mistake.says.clone()),
                None if ex.outcome.is_none() => explain(&related).map(|(_, says)| says),
                None => None,
            };
            if let Some(says) = said {
                println!("      {:<10} {says}", "diagnosis");
            }
            println!("      {:<10} {}", "hint", ex.hint);
            println!("      {:<10} {}\n", "read", fixture.read(ex));
            gap = true;
        }
    }
    // The student edition has no solutions, so its grader has no hidden cases: say what is true.
    let hidden = lab_dir.join("../../solutions").is_dir();
    let next = match (passed < selected, hidden) {
        (true, true) => {
            "The grader also runs hidden randomized cases: `cargo run -p grader` from the workbook root."
        }
        (false, true) => "Now run `cargo run -p grader`: it adds hidden randomized cases.",
        (true, false) => {
            "`cargo run -p grader` grades these cases with points; your instructor's grading adds hidden randomized cases."
        }
        (false, false) => {
            "Now run `cargo run -p grader` for your points; your instructor's grading adds hidden randomized cases."
        }
    };
    if !gap {
        println!();
    }
    println!("{next}");
    // Last, so that it is what a student reads just above cargo's own "test failed".
    println!("{passed} of {selected} exercises pass their public checks.");
    if passed < selected { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Why a failure of `ex` may lie elsewhere: an exercise of this lab it calls failed its checks
/// in this run, or it calls the student's own code of another lab, which these checks do not run.
fn cause(lab: &str, ex: &crate::Exercise, statuses: &BTreeMap<&str, Status>) -> Option<String> {
    let name = &ex.name;
    let mut other = None;
    for (callee_lab, callee) in ex.callees(lab) {
        if callee_lab != lab {
            other.get_or_insert_with(|| {
                format!("{name} uses your {callee} from {callee_lab}: if `cargo test -p {callee_lab}` fails, fix that first")
            });
        } else if statuses.get(callee).is_some_and(|s| *s != Status::Passed) {
            return Some(format!(
                "{name} uses your {callee}, which fails its own checks: fix {callee} first"
            ));
        }
    }
    other
}

/// The whole of a lab's `tests/public.rs`: `public_checks!(lab01_neuron, "<path of its probe>")`
/// names the lab crate `lab` (the name the probe's dispatch calls it by), includes the probe's
/// dispatch from the grader's sources (the path is relative to the test file, as for `#[path]`)
/// and runs the public checks with it.
#[macro_export]
macro_rules! public_checks {
    ($krate:ident, $probe:literal) => {
        use $krate as lab;

        #[path = $probe]
        mod dispatch;

        fn main() -> ::std::process::ExitCode {
            $crate::public::run(env!("CARGO_MANIFEST_DIR"), dispatch::call)
        }
    };
}
