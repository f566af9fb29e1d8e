//! Grading folders of labs: build their probes, ask them for outputs on the public and hidden
//! cases, judge every answer here (never in the probe), and score.
//!
//! A [`Grader`] is set up once per run — fixtures loaded, reference probes built — and then grades
//! any number of submissions, each with hidden cases of its own (see [`Grader::seed_for`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use nnlab_check::outcome::{Prepared, evaluate, prepare};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::verdict::{CaseAnswer, Failure, Judgement, Status};
use nnlab_check::{Answer, Exercise, LabFixture, Outcome, Tol, Value, Verdict};

use crate::cases::{Input, fnv1a};
use crate::compile::{Built, CompileLimits, LabSource, Probes, Submission, build_probes};
use crate::intake::{self, Intake};
use crate::jail::Jail;
use crate::report::{ExerciseResult, LabResult, Measure, Report, Tally};
use crate::run::{Ending, Limits, run_probe};
use crate::workspace::Workspace;

/// How to grade.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seed of the hidden cases.
    pub seed: u64,
    /// Wall-clock limit of one exercise's probe run.
    pub timeout: Duration,
    /// Address-space limit of one probe run, in MiB.
    pub memory_mib: u64,
    /// Run probes unconfined where their sandbox cannot be set up, instead of failing them.
    pub allow_unconfined: bool,
    /// CPU time the compiler may spend on one of a student's crates.
    pub compile_timeout: Duration,
    /// Record how long each exercise's run took (then reports differ from run to run).
    pub timings: bool,
    /// Where cargo's own output goes; `None`: the terminal, if there is one.
    pub cargo_log: Option<PathBuf>,
}

impl Options {
    /// The options with the default limits (10 s and 2 GiB per exercise) and `seed`.
    pub fn with_seed(seed: u64) -> Options {
        Options {
            seed,
            timeout: Duration::from_secs(10),
            memory_mib: 2048,
            allow_unconfined: false,
            compile_timeout: Duration::from_secs(120),
            timings: false,
            cargo_log: None,
        }
    }

    fn compile_limits(&self) -> CompileLimits {
        let cpu = self.compile_timeout.as_secs().max(1);
        // The wall clock is a backstop only (each crate's CPU time is limited by the kernel): a
        // batch of 24 students compiles in ~10 minutes on two cores.
        CompileLimits { crate_cpu_seconds: cpu, batch: Duration::from_secs(3600.max(cpu * 10)) }
    }

    fn limits(&self) -> Limits {
        Limits { time: self.timeout, memory_mib: self.memory_mib, allow_unconfined: self.allow_unconfined }
    }

    /// The reference's limits: it is trusted, so its time limit only guards against a grader bug,
    /// and a short `--timeout` meant for students (or a loaded machine) must not fail the run.
    fn reference_limits(&self) -> Limits {
        Limits { time: self.timeout.max(Duration::from_secs(120)), ..self.limits() }
    }
}

/// One case as the grader holds it: inputs and the expected value, which never leave the grader.
struct GradedCase {
    id: String,
    /// A worked example of the lecture documents (shown to students), not a hidden case.
    public: bool,
    label: String,
    input: BTreeMap<String, Value>,
    want: Value,
    tol: Tol,
    /// The bar of an experiment graded by outcome (then `want` holds the true test targets).
    outcome: Option<Outcome>,
    /// For an experiment: the training set sent instead of `input`, and the test inputs kept here.
    run: Option<Prepared>,
}

impl GradedCase {
    /// What the probe is sent.
    fn sent(&self) -> &BTreeMap<String, Value> {
        self.run.as_ref().map_or(&self.input, |r| &r.input)
    }

    /// `answer` as it is judged: for an experiment, the returned model's predictions, as the
    /// probe `evaluator` computes them.
    fn judged(&self, answer: &Answer, evaluator: &Evaluator<'_>) -> Result<Answer> {
        match (&self.run, self.outcome) {
            (Some(run), Some(outcome)) => {
                evaluate(answer.clone(), &run.test_x, outcome.metric, |input| evaluator.predict(input))
            }
            _ => Ok(answer.clone()),
        }
    }
}

/// The probe that evaluates experiments' models (`nnlab_check::outcome::EVALUATE`): the
/// reference's, so that test inputs never reach student code; in an edition without a reference,
/// the submission's own.
struct Evaluator<'a> {
    jail: &'a Jail,
    exe: &'a Path,
    limits: Limits,
}

impl Evaluator<'_> {
    /// The predictions for one `{model, x, metric}`. An error is the grader's (the probe could
    /// not be started), never the student's.
    fn predict(&self, input: BTreeMap<String, Value>) -> Result<Answer> {
        let request = Request {
            exercise: nnlab_check::outcome::EVALUATE.into(),
            cases: vec![RequestCase { id: "model".into(), input }],
        };
        let run = run_probe(self.jail, self.exe, &request, self.limits)?;
        // The evaluator is trusted: when it gives no answer, the model it was given is the cause
        // (too big to evaluate in time or memory), and that costs this student's case only.
        Ok(match run.answers.get("model") {
            Some(answer) => answer.clone(),
            None => Answer::Panic(match run.ending {
                Ending::TimedOut(limit) => {
                    format!("evaluating it took longer than {} s", limit.as_secs_f64())
                }
                Ending::Stopped(why) => format!("its evaluation stopped: {why}"),
                Ending::Finished => "its evaluation gave no answer".into(),
            }),
        })
    }
}

/// Everything a run needs to grade submissions: the workbook, its fixtures and the reference.
pub struct Grader<'w> {
    ws: &'w Workspace,
    fixtures: Vec<LabFixture>,
    /// The reference probes, or `None` in an edition without solutions (public cases only).
    reference: Option<BTreeMap<String, PathBuf>>,
    opts: Options,
    /// Everything student code runs or compiles in.
    jail: Jail,
}

impl<'w> Grader<'w> {
    /// Loads the fixtures and builds the reference probes.
    pub fn new(ws: &'w Workspace, opts: Options) -> Result<Grader<'w>> {
        let labs = ws.labs()?;
        let fixtures = labs.iter().map(|lab| ws.fixture(lab)).collect::<Result<_>>()?;
        let jail = Jail::build(ws)?;
        jail.require(opts.allow_unconfined)?;
        let reference = reference_probes(ws, &jail, &labs, opts.cargo_log.as_deref())?;
        Ok(Grader { ws, fixtures, reference, opts, jail })
    }

    /// Takes in the labs of a submission folder (`dir/<lab>/src` or `dir/labs/<lab>/src`) as copies
    /// in the scratch space `key`, each to be built with the workbook's own manifest of the lab.
    pub fn take_in(&self, dir: &Path, key: &str) -> Result<Intake> {
        let labs: Vec<String> = self.fixtures.iter().map(|f| f.lab.clone()).collect();
        intake::take_in(self.ws, &labs, dir, key)
    }

    /// Builds the probes of several submissions in one cargo invocation, in scratch space `batch`.
    pub fn build(&self, batch: &str, submissions: &[Submission]) -> Result<BTreeMap<String, Probes>> {
        build_probes(
            self.ws,
            &self.jail,
            batch,
            submissions,
            self.opts.compile_limits(),
            self.opts.cargo_log.as_deref(),
        )
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.opts.seed
    }

    /// The seed of the hidden cases of the submission called `name`: the run's seed for a single
    /// folder (empty name), a seed of its own for each student of a class, so that no two students
    /// answer the same hidden inputs and copying a classmate's outputs gains nothing.
    pub fn seed_for(&self, name: &str) -> u64 {
        if name.is_empty() { self.opts.seed } else { self.opts.seed ^ fnv1a(name) }
    }

    /// Grades one submission from its built probes and its intake; `graded` names it in the report.
    pub fn grade(&self, graded: &str, seed: u64, probes: &Probes, intake: &Intake) -> Result<Report> {
        let mut results = Vec::new();
        for fixture in &self.fixtures {
            let lab = &fixture.lab;
            let mut result = LabResult {
                lab: lab.clone(),
                title: fixture.title.clone(),
                compile_error: None,
                not_graded: intake.not_graded.get(lab).cloned(),
                exercises: Vec::new(),
            };
            // A lab intake did not take was not submitted (or not graded), so nothing was built;
            // one not graded has its reason in `not_graded`, not in `compile_error`.
            let built = match &result.not_graded {
                Some(_) => None,
                None => Some(probes.get(lab).cloned().unwrap_or(Built::NotSubmitted)),
            };
            result.compile_error = built.as_ref().and_then(Built::error);
            let probe = built.as_ref().and_then(Built::probe);
            for ex in &fixture.exercises {
                let reference = self.reference.as_ref().map(|r| &r[lab]);
                let cases = cases_of(&self.jail, fixture, ex, reference, seed, &self.opts)?;
                let exercise = match probe {
                    Some(exe) => grade_exercise(&self.jail, fixture, ex, &cases, exe, reference, &self.opts)?,
                    None => ExerciseResult::new(fixture, ex, Status::DidNotCompile, tally_of(&cases, &[])),
                };
                result.exercises.push(exercise);
            }
            results.push(result);
        }
        let mut notes = intake.notes();
        // Graded with --allow-unconfined on a machine that lacks a protection: the report says which.
        notes.extend(self.jail.missing.iter().map(|m| format!("graded without a protection: {m}")));
        Ok(Report {
            graded: graded.to_string(),
            seed,
            hidden: self.reference.is_some(),
            labs: results,
            notes,
            intake: intake.counts(),
        })
    }
}

/// Grades the labs found in `dir` (`dir/<lab>/src` or `dir/labs/<lab>/src`) with the run's seed.
/// `dir` itself is named by whoever runs the grader and may be a link; nothing inside it is
/// followed (see [`intake`]).
pub fn check_dir(ws: &Workspace, dir: &Path, opts: &Options) -> Result<Report> {
    let grader = Grader::new(ws, opts.clone())?;
    let canonical = dir.canonicalize().with_context(|| format!("no folder {}", dir.display()))?;
    anyhow::ensure!(canonical.is_dir(), "{} is not a folder", dir.display());
    let key = format!("sub-{:016x}", fnv1a(&canonical.display().to_string()));
    let intake = grader.take_in(&canonical, &key)?;
    let submission = Submission { key: key.clone(), labs: intake.labs.clone() };
    let mut built = grader.build(&key, std::slice::from_ref(&submission))?;
    let probes = built.remove(&key).unwrap_or_default();
    grader.grade(&dir.display().to_string(), grader.seed_for(""), &probes, &intake)
}

/// The reference is trusted: its limits only guard against a hung machine.
const REFERENCE_COMPILE: CompileLimits =
    CompileLimits { crate_cpu_seconds: 1800, batch: Duration::from_secs(3 * 3600) };

/// The reference probes, or `None` in an edition without solutions (public cases only).
fn reference_probes(
    ws: &Workspace,
    jail: &Jail,
    labs: &[String],
    log: Option<&Path>,
) -> Result<Option<BTreeMap<String, PathBuf>>> {
    let sources: Option<Vec<LabSource>> = labs
        .iter()
        .map(|lab| {
            let dir = ws.solution(lab)?;
            Some(LabSource { lab: lab.clone(), src: dir.join("src"), manifest: dir.join("Cargo.toml") })
        })
        .collect();
    let Some(sources) = sources else { return Ok(None) };
    let key = "reference".to_string();
    let mut built = build_probes(
        ws,
        jail,
        &key,
        &[Submission { key: key.clone(), labs: sources }],
        REFERENCE_COMPILE,
        log,
    )?;
    let mut probes = BTreeMap::new();
    for (lab, built) in built.remove(&key).unwrap_or_default() {
        match built {
            Built::Probe(exe) => probes.insert(lab, exe),
            other => bail!(
                "the reference solution of {lab} does not build:\n{}",
                other.error().unwrap_or_default()
            ),
        };
    }
    Ok(Some(probes))
}

/// The public cases of an exercise, then its hidden cases and cross-checks with the reference's
/// answers.
fn cases_of(
    jail: &Jail,
    fixture: &LabFixture,
    ex: &Exercise,
    reference: Option<&PathBuf>,
    seed: u64,
    opts: &Options,
) -> Result<Vec<GradedCase>> {
    let mut cases: Vec<GradedCase> = fixture
        .cases_of(&ex.name)
        .map(|c| {
            let run =
                ex.outcome.map(|_| prepare(&ex.name, &c.input)).transpose().map_err(anyhow::Error::msg)?;
            Ok(GradedCase {
                id: c.id.clone(),
                public: true,
                label: c.label(&fixture.documents),
                input: c.input.clone(),
                want: c.want.clone(),
                tol: c.tol(ex),
                outcome: ex.outcome,
                run,
            })
        })
        .collect::<Result<_>>()?;
    let Some(reference) = reference else { return Ok(cases) };
    if let Some(outcome) = ex.outcome {
        cases.extend(outcome_cases(jail, fixture, ex, outcome, reference, seed, opts)?);
        return Ok(cases);
    }
    let inputs = crate::cases::hidden()
        .cases(&fixture.lab, &ex.name, seed)
        .with_context(|| format!("the grader has no hidden cases for {}::{}", fixture.lab, ex.name))?;
    let wants = reference_answers(jail, reference, &fixture.lab, &ex.name, &inputs, opts)?;
    // A random training run can diverge; a case whose expected value holds a NaN could never be
    // passed (NaN equals nothing), so it is not asked.
    let (inputs, wants): (Vec<Input>, Vec<Value>) =
        inputs.into_iter().zip(wants).filter(|(_, want)| !want.has_nan()).unzip();
    let n = inputs.len();
    for (i, (input, want)) in inputs.into_iter().zip(wants).enumerate() {
        cases.push(GradedCase {
            id: format!("hidden-{}", i + 1),
            public: false,
            label: format!("hidden case {} of {n}, seed {seed}", i + 1),
            input,
            want,
            tol: ex.tol,
            outcome: None,
            run: None,
        });
    }
    if let Some(check) = crate::cases::hidden().cross_check(&fixture.lab, &ex.name, seed) {
        let wants = reference_answers(jail, reference, &fixture.lab, check.oracle, &check.inputs, opts)?;
        let n = check.inputs.len();
        for (i, (input, want)) in check.inputs.into_iter().zip(wants).enumerate() {
            cases.push(GradedCase {
                id: format!("cross-{}", i + 1),
                public: false,
                label: format!("{} {} of {n}, seed {seed}", check.what, i + 1),
                input,
                want,
                tol: check.tol,
                outcome: None,
                run: None,
            });
        }
    }
    Ok(cases)
}

/// The hidden experiments of an exercise graded by outcome: the true targets come from the
/// generator, and each bar is lowered to what the reference reaches on the same points, if less.
fn outcome_cases(
    jail: &Jail,
    fixture: &LabFixture,
    ex: &Exercise,
    outcome: Outcome,
    reference: &Path,
    seed: u64,
    opts: &Options,
) -> Result<Vec<GradedCase>> {
    let drawn = crate::cases::hidden()
        .outcome_cases(&fixture.lab, &ex.name, seed)
        .with_context(|| format!("the grader has no hidden experiments for {}::{}", fixture.lab, ex.name))?;
    let runs: Vec<Prepared> = drawn
        .iter()
        .map(|(input, _)| prepare(&ex.name, input))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let sent: Vec<Input> = runs.iter().map(|r| r.input.clone()).collect();
    let models = reference_answers(jail, reference, &fixture.lab, &ex.name, &sent, opts)?;
    let evaluator = Evaluator { jail, exe: reference, limits: opts.reference_limits() };
    let n = drawn.len();
    drawn
        .into_iter()
        .zip(runs)
        .zip(models)
        .enumerate()
        .map(|(i, (((input, want), run), model))| {
            let mut case = GradedCase {
                id: format!("hidden-{}", i + 1),
                public: false,
                label: format!("hidden experiment {} of {n}, seed {seed}", i + 1),
                input,
                want,
                tol: ex.tol,
                outcome: Some(outcome),
                run: Some(run),
            };
            let reached = match case.judged(&Answer::Value(model), &evaluator)? {
                Answer::Value(predicted) => outcome.metric.score(&predicted, &case.want),
                _ => f64::NAN,
            };
            case.outcome = Some(outcome.at_most_as_hard_as(reached));
            Ok(case)
        })
        .collect()
}

/// The reference's answers to `call` on `inputs`, in order.
fn reference_answers(
    jail: &Jail,
    reference: &Path,
    lab: &str,
    call: &str,
    inputs: &[Input],
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
    let run = run_probe(jail, reference, &request, opts.reference_limits())?;
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
    jail: &Jail,
    fixture: &LabFixture,
    ex: &Exercise,
    cases: &[GradedCase],
    exe: &Path,
    reference: Option<&PathBuf>,
    opts: &Options,
) -> Result<ExerciseResult> {
    let request = Request {
        exercise: ex.name.clone(),
        cases: cases.iter().map(|c| RequestCase { id: c.id.clone(), input: c.sent().clone() }).collect(),
    };
    let started = std::time::Instant::now();
    let run = run_probe(jail, exe, &request, opts.limits())?;
    let seconds = started.elapsed().as_secs_f64();
    let no_answer = match &run.ending {
        Ending::TimedOut(limit) => format!("timed out after {} s: an endless loop?", limit.as_secs_f64()),
        Ending::Stopped(why) => why.clone(),
        Ending::Finished => "no answer".into(),
    };
    let evaluator = match reference {
        Some(exe) => Evaluator { jail, exe, limits: opts.reference_limits() },
        None => Evaluator { jail, exe, limits: opts.limits() },
    };
    let judged: Vec<Option<Answer>> = cases
        .iter()
        .map(|c| run.answers.get(&c.id).map(|a| c.judged(a, &evaluator)).transpose())
        .collect::<Result<_>>()?;
    let judgement = Judgement::of(
        cases.iter().zip(&judged).map(|(c, answer)| CaseAnswer {
            answer: answer.as_ref(),
            want: &c.want,
            tol: c.tol,
            outcome: c.outcome,
        }),
        &no_answer,
    );
    let judgement = match run.ending {
        Ending::TimedOut(_) => judgement.timed_out(),
        _ => judgement,
    };
    let status = judgement.status;
    let mut tally = tally_of(cases, &judgement.verdicts);
    if status == Status::NotImplemented {
        (tally.failure, tally.hidden_failure) = (None, None);
    }
    let mut result = ExerciseResult::new(fixture, ex, status, tally);
    result.metric = ex.outcome.and_then(|outcome| {
        let scores: Vec<f64> = cases
            .iter()
            .zip(&judged)
            .filter_map(|(c, answer)| match answer {
                Some(Answer::Value(predicted)) => Some(outcome.metric.score(predicted, &c.want)),
                _ => None,
            })
            .filter(|score| score.is_finite())
            .collect();
        (scores.len() == cases.len() && !scores.is_empty()).then(|| Measure {
            metric: outcome.metric,
            mean: scores.iter().sum::<f64>() / scores.len() as f64,
        })
    });
    result.seconds = opts.timings.then_some((seconds * 1000.0).round() / 1000.0);
    Ok(result)
}

/// The tally of `cases` judged by `verdicts` (none judged: nothing passed, nothing explained).
fn tally_of(cases: &[GradedCase], verdicts: &[Verdict]) -> Tally {
    let explain = |(c, verdict): (&GradedCase, &Verdict)| {
        Failure {
            case: c.label.clone(),
            input: &c.input,
            want: &c.want,
            tol: c.tol,
            outcome: c.outcome,
            verdict,
        }
        .render("")
    };
    let failing = || cases.iter().zip(verdicts).filter(|(_, v)| **v != Verdict::Pass);
    let passed = |public: bool| {
        cases.iter().zip(verdicts).filter(|(c, v)| c.public == public && **v == Verdict::Pass).count()
    };
    Tally {
        passed: passed(true) + passed(false),
        cases: cases.len(),
        public_passed: passed(true),
        public_cases: cases.iter().filter(|c| c.public).count(),
        failure: failing().next().map(explain),
        hidden_failure: failing().find(|(c, _)| !c.public).map(explain),
    }
}
