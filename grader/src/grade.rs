//! Grading one folder of labs: build its probes, ask them for outputs on the public and hidden
//! cases, judge every answer here (never in the probe), and score.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::verdict::{Failure, Status};
use nnlab_check::{Answer, Exercise, LabFixture, Tol, Value, Verdict};

use crate::compile::{LabSource, Probes, build_probes};
use crate::hidden;
use crate::report::{ExerciseResult, LabResult, Report};
use crate::run::{Ending, run_probe};
use crate::workspace::Workspace;

/// How to grade.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seed of the hidden cases.
    pub seed: u64,
    /// Wall-clock limit of one exercise's probe run.
    pub timeout: Duration,
}

/// One case as the grader holds it: inputs and the expected value, which never leave the grader.
struct GradedCase {
    id: String,
    label: String,
    input: BTreeMap<String, Value>,
    want: Value,
    tol: Tol,
}

/// Grades the labs found in `dir` (`dir/<lab>/src` or `dir/labs/<lab>/src`).
pub fn check_dir(ws: &Workspace, dir: &Path, opts: &Options) -> Result<Report> {
    let labs = ws.labs()?;
    let fixtures: Vec<LabFixture> = labs.iter().map(|lab| ws.fixture(lab)).collect::<Result<_>>()?;
    let canonical = dir.canonicalize().with_context(|| format!("no folder {}", dir.display()))?;
    let sources: Vec<LabSource> = labs
        .iter()
        .map(|lab| {
            let src = [canonical.join(lab), canonical.join("labs").join(lab)]
                .into_iter()
                .find(|d| d.join("src").is_dir())
                .unwrap_or_else(|| canonical.join("labs").join(lab))
                .join("src");
            LabSource { lab: lab.clone(), src, manifest: ws.root.join("labs").join(lab).join("Cargo.toml") }
        })
        .collect();
    let key = format!("sub-{:016x}", hidden::fnv1a(&canonical.display().to_string()));
    let student = build_probes(ws, &key, &sources)?;
    let reference = reference_probes(ws, &labs)?;

    let mut results = Vec::new();
    for fixture in &fixtures {
        let lab = &fixture.lab;
        let mut result = LabResult {
            lab: lab.clone(),
            title: fixture.title.clone(),
            compile_error: None,
            exercises: Vec::new(),
        };
        let probe = student.get(lab).cloned().unwrap_or_else(|| Err("not built".into()));
        if let Err(e) = &probe {
            result.compile_error = Some(e.clone());
        }
        for ex in &fixture.exercises {
            let cases = cases_of(ws, fixture, ex, reference.as_ref().map(|r| &r[lab]), opts)?;
            let exercise = match &probe {
                Ok(exe) => {
                    let workdir = ws.scratch().join(&key).join("run").join(lab).join(&ex.name);
                    grade_exercise(fixture, ex, &cases, exe, &workdir, opts)?
                }
                Err(_) => ExerciseResult::new(fixture, ex, Status::DidNotCompile, 0, cases.len(), None),
            };
            result.exercises.push(exercise);
        }
        results.push(result);
    }
    Ok(Report {
        graded: dir.display().to_string(),
        seed: opts.seed,
        hidden: reference.is_some(),
        labs: results,
    })
}

/// The reference probes, or `None` in an edition without solutions (public cases only).
fn reference_probes(ws: &Workspace, labs: &[String]) -> Result<Option<BTreeMap<String, PathBuf>>> {
    let sources: Option<Vec<LabSource>> = labs
        .iter()
        .map(|lab| {
            let dir = ws.solution(lab)?;
            Some(LabSource { lab: lab.clone(), src: dir.join("src"), manifest: dir.join("Cargo.toml") })
        })
        .collect();
    let Some(sources) = sources else { return Ok(None) };
    let built: Probes = build_probes(ws, "reference", &sources)?;
    let mut probes = BTreeMap::new();
    for (lab, exe) in built {
        match exe {
            Ok(exe) => probes.insert(lab, exe),
            Err(e) => bail!("the reference solution of {lab} does not build:\n{e}"),
        };
    }
    Ok(Some(probes))
}

/// The public cases of an exercise, then its hidden cases with the reference's answers.
fn cases_of(
    ws: &Workspace,
    fixture: &LabFixture,
    ex: &Exercise,
    reference: Option<&PathBuf>,
    opts: &Options,
) -> Result<Vec<GradedCase>> {
    let mut cases: Vec<GradedCase> = fixture
        .cases_of(&ex.name)
        .map(|c| GradedCase {
            id: c.id.clone(),
            label: c.label(),
            input: c.input.clone(),
            want: c.want.clone(),
            tol: c.tol(ex),
        })
        .collect();
    let Some(reference) = reference else { return Ok(cases) };
    let inputs = hidden::cases(&fixture.lab, &ex.name, opts.seed)
        .with_context(|| format!("the grader has no hidden cases for {}::{}", fixture.lab, ex.name))?;
    let workdir = ws.scratch().join("reference").join("run").join(&fixture.lab).join(&ex.name);
    let wants = reference_answers(reference, &workdir, &fixture.lab, &ex.name, &inputs, opts)?;
    let n = inputs.len();
    for (i, (input, want)) in inputs.into_iter().zip(wants).enumerate() {
        cases.push(GradedCase {
            id: format!("hidden-{}", i + 1),
            label: format!("hidden case {} of {n}, seed {}", i + 1, opts.seed),
            input,
            want,
            tol: ex.tol,
        });
    }
    if let Some(check) = hidden::cross_check(&fixture.lab, &ex.name, opts.seed) {
        let wants = reference_answers(reference, &workdir, &fixture.lab, check.oracle, &check.inputs, opts)?;
        let n = check.inputs.len();
        for (i, (input, want)) in check.inputs.into_iter().zip(wants).enumerate() {
            cases.push(GradedCase {
                id: format!("cross-{}", i + 1),
                label: format!("{} {} of {n}, seed {}", check.what, i + 1, opts.seed),
                input,
                want,
                tol: check.tol,
            });
        }
    }
    Ok(cases)
}

/// The reference's answers to `call` on `inputs`, in order.
fn reference_answers(
    reference: &Path,
    workdir: &Path,
    lab: &str,
    call: &str,
    inputs: &[hidden::Input],
    opts: &Options,
) -> Result<Vec<Value>> {
    let request = Request {
        exercise: call.to_string(),
        cases: inputs
            .iter()
            .enumerate()
            .map(|(i, input)| RequestCase { id: format!("case-{}", i + 1), input: input.clone() })
            .collect(),
    };
    let run = run_probe(reference, workdir, &request, opts.timeout)?;
    request
        .cases
        .iter()
        .map(|case| match run.answers.get(&case.id) {
            Some(Answer::Value(v)) => Ok(v.clone()),
            other => {
                bail!(
                    "the reference gave no value for {lab}::{call} {}: {other:?} ({:?})",
                    case.id,
                    run.ending
                )
            }
        })
        .collect()
}

fn grade_exercise(
    fixture: &LabFixture,
    ex: &Exercise,
    cases: &[GradedCase],
    exe: &Path,
    workdir: &Path,
    opts: &Options,
) -> Result<ExerciseResult> {
    let request = Request {
        exercise: ex.name.clone(),
        cases: cases.iter().map(|c| RequestCase { id: c.id.clone(), input: c.input.clone() }).collect(),
    };
    let run = run_probe(exe, workdir, &request, opts.timeout)?;
    let no_answer = match &run.ending {
        Ending::TimedOut(limit) => format!("timed out after {} s: an endless loop?", limit.as_secs_f64()),
        Ending::Stopped(why) => why.clone(),
        Ending::Finished => "no answer".into(),
    };
    let verdicts: Vec<Verdict> = cases
        .iter()
        .map(|c| match run.answers.get(&c.id) {
            Some(answer) => Verdict::judge(answer, &c.want, c.tol),
            None => Verdict::NoAnswer(no_answer.clone()),
        })
        .collect();
    let passed = verdicts.iter().filter(|v| **v == Verdict::Pass).count();
    let status = match run.ending {
        Ending::TimedOut(_) if passed < cases.len() => Status::TimedOut,
        _ => Status::of(&verdicts),
    };
    let failure = (status != Status::NotImplemented)
        .then(|| {
            cases.iter().zip(&verdicts).find(|(_, v)| **v != Verdict::Pass).map(|(c, verdict)| {
                Failure { case: c.label.clone(), input: &c.input, want: &c.want, tol: c.tol, verdict }
                    .render("")
            })
        })
        .flatten();
    Ok(ExerciseResult::new(fixture, ex, status, passed, cases.len(), failure))
}
