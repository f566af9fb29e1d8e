//! Grading folders of labs: build their probes, ask them for outputs on the public and hidden
//! cases, judge every answer here (never in the probe), and score.
//!
//! A [`Grader`] is set up once per run — fixtures loaded, reference probes built — and then grades
//! any number of submissions, each with hidden cases of its own (see [`Grader::seed_for`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use nnlab_check::diagnosis::{Compared, StoredMistake, StoredMistakes, explains};
use nnlab_check::hidden::CrossCheck;
use nnlab_check::outcome::{Prepared, evaluate, prepare};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::verdict::{CaseAnswer, Failure, Judgement, Status};
use nnlab_check::{Answer, Exercise, LabFixture, Outcome, Tol, Value, Verdict};

use crate::cases::{Input, fnv1a};
use crate::compile::{Built, CompileLimits, LabSource, Probes, Submission, build_probes};
use crate::intake::{self, Intake};
use crate::jail::{Confinement, Jail, Whose};
use crate::mistakes::{self, Mistake};
use crate::report::{ExerciseResult, LabResult, Measure, Report, Tally};
use crate::run::{Ending, Limits, ProbeRun, run_probe};
use crate::workspace::Workspace;

mod diagnose;
mod mutation;
pub use mutation::{Fate, score as mutation_score, summary as mutation_summary};

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
    /// The labs to grade, by crate name (see [`Workspace::lab_named`]); empty: every lab.
    pub labs: Vec<String>,
    /// Keep the compiler's incremental caches of the student's crates (see
    /// [`CompileLimits::incremental`]): for one student's own runs, not for a class.
    pub incremental: bool,
    /// Whose code is graded: the student's own runs unconfined, anyone else's in a box.
    pub whose: Whose,
    /// Wall-clock time all the probe runs of one submission may take together: a submission that
    /// sleeps just under every exercise's limit is stopped here, and its remaining exercises
    /// time out.
    pub budget: Duration,
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
            labs: Vec::new(),
            incremental: false,
            whose: Whose::Others,
            budget: DEFAULT_BUDGET,
        }
    }

    fn compile_limits(&self) -> CompileLimits {
        let cpu = self.compile_timeout.as_secs().max(1);
        // The wall clock is a backstop only (each crate's CPU time is limited by the kernel): a
        // batch of 24 students compiles in ~10 minutes on two cores.
        CompileLimits {
            crate_cpu_seconds: cpu,
            batch: Duration::from_secs(3600.max(cpu * 10)),
            incremental: self.incremental,
        }
    }

    /// The limits of a submission's probe, confined as `confinement` says.
    fn limits(&self, confinement: Confinement) -> Limits {
        Limits {
            time: self.timeout,
            memory_mib: self.memory_mib,
            allow_unconfined: self.allow_unconfined,
            confinement,
        }
    }

    /// The reference's limits: it is trusted, so it runs as the grader does, and its time limit
    /// only guards against a grader bug: a short `--timeout` meant for students (or a loaded
    /// machine) must not fail the run.
    fn reference_limits(&self) -> Limits {
        Limits { time: self.timeout.max(Duration::from_secs(120)), ..self.limits(Confinement::Own) }
    }
}

/// The most of a lab's compiler message a report keeps, in bytes.
pub const MAX_COMPILE_ERROR: usize = 6000;

/// The default [`Options::budget`]: an honest submission of every lab takes 10–20 s.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(300);

/// What is left of a submission's [`Options::budget`].
struct Budget {
    left: Duration,
    total: Duration,
}

impl Budget {
    /// The limits of the submission's next run: the exercise's own, or what is left, if less.
    fn limits(&self, limits: Limits) -> Limits {
        Limits { time: limits.time.min(self.left), ..limits }
    }

    fn spend(&mut self, took: Duration) {
        self.left = self.left.saturating_sub(took);
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
            cases: vec![RequestCase::new("model", input)],
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
    /// The labs graded unless a call names others: the options' labs, or every lab.
    graded: Vec<String>,
    /// The catalogued mistakes (none in an edition without the reference).
    catalogue: Vec<Mistake>,
    /// The mistakes' probes by lab and name, built the first time a lab has a failure to diagnose.
    mistake_probes: Mutex<BTreeMap<String, BTreeMap<String, PathBuf>>>,
    /// The reference's mutants by lab, built the first time they are needed.
    schemata: Mutex<BTreeMap<String, std::result::Result<crate::mutants::Schemata, String>>>,
    /// What the diagnosis says of a generated mutant, by class (`fixtures/mutants/classes.yaml`).
    sentences: BTreeMap<crate::mutants::Class, String>,
}

impl<'w> Grader<'w> {
    /// Loads the fixtures and builds the reference probes of the labs to grade.
    pub fn new(ws: &'w Workspace, opts: Options) -> Result<Grader<'w>> {
        let labs = ws.labs()?;
        let graded = if opts.labs.is_empty() { labs.clone() } else { opts.labs.clone() };
        if let Some(unknown) = graded.iter().find(|lab| !labs.contains(lab)) {
            bail!("no lab {unknown} in this workbook");
        }
        let fixtures = labs.iter().map(|lab| ws.fixture(lab)).collect::<Result<_>>()?;
        let mut jail = Jail::build(ws, opts.whose)?;
        jail.require(opts.allow_unconfined)?;
        let reference = reference_probes(ws, &jail, &graded, opts.cargo_log.as_deref())?;
        let catalogue = if reference.is_some() { mistakes::catalogue(ws)? } else { Vec::new() };
        let sentences = if reference.is_some() { crate::mutants::sentences(ws)? } else { BTreeMap::new() };
        Ok(Grader {
            ws,
            fixtures,
            reference,
            opts,
            jail,
            graded,
            catalogue,
            mistake_probes: Mutex::default(),
            schemata: Mutex::default(),
            sentences,
        })
    }

    /// How this run confines the code it grades, a line a protection (see [`Jail::protections`]).
    pub fn protections(&self) -> Vec<String> {
        self.jail.protections()
    }

    /// The labs this grader grades unless told otherwise, in course order.
    pub fn labs(&self) -> &[String] {
        &self.graded
    }

    /// The probes of `lab`'s catalogued mistakes, by name, built on first use: they are the
    /// reference with one edit each, trusted like it, and cost a build only when a student's
    /// failure in this lab is to be diagnosed.
    fn mistake_probes(&self, lab: &str) -> Result<BTreeMap<String, PathBuf>> {
        let mut cache = self.mistake_probes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(probes) = cache.get(lab) {
            return Ok(probes.clone());
        }
        let manifest =
            self.ws.solution(lab).context("a catalogued mistake needs the reference")?.join("Cargo.toml");
        let submissions: Vec<Submission> = self
            .catalogue
            .iter()
            .filter(|m| m.lab == lab)
            .map(|m| {
                Ok(Submission {
                    key: format!("mistake-{}", m.name),
                    labs: vec![LabSource {
                        lab: lab.into(),
                        src: mistakes::source(self.ws, m)?,
                        manifest: manifest.clone(),
                        mutants: false,
                    }],
                })
            })
            .collect::<Result<_>>()?;
        let mut probes = BTreeMap::new();
        if !submissions.is_empty() {
            eprintln!(
                "building the {} known mistakes of {lab}, to diagnose failures (once)",
                submissions.len()
            );
            let batch = format!("mistakes-{lab}");
            let _only_us = self.ws.lock_batch(&batch)?;
            let built = build_probes(
                self.ws,
                &self.jail,
                &batch,
                &submissions,
                REFERENCE_COMPILE,
                self.opts.cargo_log.as_deref(),
            )?;
            for (key, mut labs) in built {
                let name = key.trim_start_matches("mistake-").to_string();
                match labs.remove(lab) {
                    Some(Built::Probe(exe)) => probes.insert(name, exe),
                    other => bail!(
                        "the catalogued mistake {lab}/{name} does not build:\n{}",
                        other.and_then(|b| b.error()).unwrap_or_default()
                    ),
                };
            }
        }
        cache.insert(lab.to_string(), probes.clone());
        Ok(probes)
    }

    /// Builds the probes of every catalogued mistake and lists the catalogue by lab: each
    /// mistake's name, what its diagnosis says and the exercises it is about.
    #[allow(clippy::type_complexity)]
    pub fn build_mistakes(&self) -> Result<Vec<(String, Vec<(String, String, Vec<String>)>)>> {
        let mut listed = Vec::new();
        for fixture in &self.fixtures {
            self.mistake_probes(&fixture.lab)?;
            let mistakes: Vec<_> = self
                .catalogue
                .iter()
                .filter(|m| m.lab == fixture.lab)
                .map(|m| (m.name.clone(), m.diagnosis.says.clone(), m.diagnosis.exercises.clone()))
                .collect();
            listed.push((fixture.lab.clone(), mistakes));
        }
        Ok(listed)
    }

    /// What each catalogued mistake answers on the public cases of its exercises, by lab: the
    /// contents of `fixtures/mistakes/<lab>.yaml`, from which the public checks diagnose.
    pub fn stored_mistakes(&self) -> Result<BTreeMap<String, StoredMistakes>> {
        let mut stored = BTreeMap::new();
        for fixture in &self.fixtures {
            let lab = &fixture.lab;
            let mut mistakes = Vec::new();
            for mistake in self.catalogue.iter().filter(|m| &m.lab == lab) {
                let exe =
                    self.mistake_probes(lab)?.remove(&mistake.name).context("a mistake without its probe")?;
                let mut answers = BTreeMap::new();
                for name in &mistake.diagnosis.exercises {
                    let ex = fixture
                        .exercise(name)
                        .with_context(|| format!("{lab}/{}: no exercise {name} to diagnose", mistake.name))?;
                    anyhow::ensure!(
                        ex.outcome.is_none(),
                        "{lab}/{}: {name} is an experiment: its answers depend on every random draw, so a mistake cannot be matched",
                        mistake.name
                    );
                    let cases: Vec<_> = fixture.cases_of(name).collect();
                    let request = Request {
                        exercise: name.clone(),
                        cases: cases
                            .iter()
                            .map(|c| RequestCase::new(c.id.clone(), c.input.clone()))
                            .collect(),
                    };
                    let run = run_probe(&self.jail, &exe, &request, self.opts.reference_limits())?;
                    answers.insert(name.clone(), run.answers);
                }
                mistakes.push(StoredMistake {
                    name: mistake.name.clone(),
                    says: mistake.diagnosis.says.clone(),
                    answers,
                });
            }
            if !mistakes.is_empty() {
                stored.insert(lab.clone(), StoredMistakes { mistakes });
            }
        }
        Ok(stored)
    }

    /// The catalogued mistake of `ex` whose answers are the student's on every case they failed.
    fn diagnose(
        &self,
        lab: &str,
        ex: &Exercise,
        cases: &[GradedCase],
        answers: &Answers,
    ) -> Result<Option<&Mistake>> {
        let candidates: Vec<&Mistake> = self
            .catalogue
            .iter()
            .filter(|m| m.lab == lab && m.diagnosis.exercises.contains(&ex.name))
            .collect();
        if candidates.is_empty() || answers.judgement.status != Status::Failed || ex.outcome.is_some() {
            return Ok(None);
        }
        let probes = self.mistake_probes(lab)?;
        let failing: Vec<usize> =
            (0..cases.len()).filter(|&i| answers.judgement.verdicts[i] != Verdict::Pass).collect();
        let request = Request {
            exercise: ex.name.clone(),
            cases: failing
                .iter()
                .map(|&i| RequestCase::new(cases[i].id.clone(), cases[i].sent().clone()))
                .collect(),
        };
        for mistake in candidates {
            let exe = probes.get(&mistake.name).context("a mistake without its probe")?;
            let run = run_probe(&self.jail, exe, &request, self.opts.reference_limits())?;
            let compared = failing.iter().map(|&i| Compared {
                verdict: &answers.judgement.verdicts[i],
                student: answers.judged[i].as_ref(),
                mistake: run.answers.get(&cases[i].id),
                tol: cases[i].tol,
            });
            if explains(compared) {
                return Ok(Some(mistake));
            }
        }
        Ok(None)
    }

    /// Takes in the labs of a submission folder (`dir/<lab>/src` or `dir/labs/<lab>/src`) as copies
    /// in the scratch space `key`, each to be built with the workbook's own manifest of the lab.
    pub fn take_in(&self, dir: &Path, key: &str) -> Result<Intake> {
        self.take_in_labs(dir, key, &self.graded)
    }

    /// [`Grader::take_in`] for the labs `labs` and those they build on, where the workbook has no
    /// reference of them to build with instead (the student edition).
    pub fn take_in_labs(&self, dir: &Path, key: &str, labs: &[String]) -> Result<Intake> {
        let mut wanted: Vec<String> = labs.to_vec();
        let mut i = 0;
        while let Some(lab) = wanted.get(i).cloned() {
            let fixture = self.fixtures.iter().find(|f| f.lab == lab).context("a lab without its fixture")?;
            for (callee, _) in fixture.exercises.iter().flat_map(|e| e.callees(&fixture.lab)) {
                if !wanted.iter().any(|w| w == callee) && self.ws.solution(callee).is_none() {
                    wanted.push(callee.to_string());
                }
            }
            i += 1;
        }
        let wanted: Vec<String> =
            self.fixtures.iter().map(|f| f.lab.clone()).filter(|lab| wanted.contains(lab)).collect();
        intake::take_in(self.ws, &wanted, dir, key)
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
        self.grade_labs(graded, seed, probes, intake, &self.graded)
    }

    /// [`Grader::grade`] for the labs `labs` only, which must be among [`Grader::labs`].
    pub fn grade_labs(
        &self,
        graded: &str,
        seed: u64,
        probes: &Probes,
        intake: &Intake,
        labs: &[String],
    ) -> Result<Report> {
        let mut results = Vec::new();
        // One box (one uid) for the whole submission, and one time budget.
        let limits = self.opts.limits(self.jail.confinement());
        let mut budget = Budget { left: self.opts.budget, total: self.opts.budget };
        for fixture in self.fixtures.iter().filter(|f| labs.contains(&f.lab)) {
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
            // A compiler message can be made as large as a student likes (a `compile_error!` of a
            // giant literal), and every report format repeats it per exercise.
            result.compile_error =
                built.as_ref().and_then(Built::error).map(|e| crate::report::cut(&e, MAX_COMPILE_ERROR));
            let probe = built.as_ref().and_then(Built::probe);
            let reference = match &self.reference {
                Some(r) => Some(r.get(lab).with_context(|| format!("{lab} is not a lab this grader built"))?),
                None => None,
            };
            let mut hidden = match reference {
                Some(r) => hidden_cases(&self.jail, fixture, r, seed, &self.opts)?,
                None => BTreeMap::new(),
            };
            for ex in &fixture.exercises {
                let hidden = hidden.remove(&ex.name);
                let cases = cases_of(&self.jail, fixture, ex, reference, hidden, seed, &self.opts)?;
                let exercise = match probe {
                    Some(exe) => {
                        let run = Run { jail: &self.jail, limits, opts: &self.opts };
                        let (mut result, answers) =
                            grade_exercise(&run, fixture, ex, &cases, exe, reference, &mut budget)?;
                        if let Some(named) = self.name_mistake(lab, ex, &cases, &answers)? {
                            result.mistake = Some(named.mistake);
                            result.diagnosis = named.says;
                        }
                        result
                    }
                    None => {
                        ExerciseResult::new(fixture, ex, Status::DidNotCompile, tally_of(ex, &cases, &[]))
                    }
                };
                result.exercises.push(exercise);
            }
            for (i, ex) in fixture.exercises.iter().enumerate() {
                let diagnosed = result.exercises[i].diagnosis.is_some();
                result.exercises[i].cause = self.cause(fixture, ex, &result, &results, diagnosed);
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
            protections: self.jail.protections(),
        })
    }
}

impl Grader<'_> {
    /// Why a failure of `ex` may lie elsewhere, from the registry's `calls`: an exercise of the
    /// same lab it calls fails its own checks; or it calls an earlier lab, which is graded with
    /// that lab's reference where the workbook has one (so a mistake there costs points there
    /// only) and with the student's own code where not. `done` holds the labs graded before.
    /// `diagnosed`: the failure is already named as a mistake of this exercise, which makes the
    /// note that an earlier lab is not to blame redundant.
    fn cause(
        &self,
        fixture: &LabFixture,
        ex: &Exercise,
        lab: &LabResult,
        done: &[LabResult],
        diagnosed: bool,
    ) -> Option<String> {
        let status = |results: &LabResult, name: &str| {
            results.exercises.iter().find(|e| e.name == name).map(|e| e.status)
        };
        if !matches!(status(lab, &ex.name), Some(Status::Failed | Status::TimedOut)) {
            return None;
        }
        let failing = |s: Option<Status>| s.is_some_and(|s| s != Status::Passed);
        let (mut fix, mut note) = (Vec::new(), Vec::new());
        for (callee_lab, callee) in ex.callees(&fixture.lab) {
            let name = &ex.name;
            if callee_lab == fixture.lab {
                if failing(status(lab, callee)) {
                    fix.push(format!(
                        "{name} uses your {callee}, which fails its own checks: fix {callee} first"
                    ));
                }
            } else if self.ws.solution(callee_lab).is_some() {
                if diagnosed {
                    continue;
                }
                note.push(format!(
                    "{name} is graded with the reference's {callee} ({callee_lab}), not yours: this failure is in {name} itself"
                ));
            } else if failing(done.iter().find(|l| l.lab == callee_lab).and_then(|l| status(l, callee))) {
                fix.push(format!(
                    "{name} uses your {callee} ({callee_lab}), which fails its own checks: fix {callee} first"
                ));
            }
        }
        // One line: a failing callee is the one to act on; the reference note only rules one out.
        fix.into_iter().chain(note).next()
    }
}

/// Writes `fixtures/mistakes/<lab>.yaml` for every lab with catalogued mistakes (or, with
/// `check`, lists the stale ones): building the mistakes takes a minute the first time.
#[cfg(feature = "instructor")]
pub fn write_stored_mistakes(ws: &Workspace, check: bool) -> Result<Vec<PathBuf>> {
    let grader = Grader::new(ws, Options::with_seed(0))?;
    let mut stale = Vec::new();
    for (lab, stored) in grader.stored_mistakes()? {
        let path = StoredMistakes::path(&ws.fixtures(), &lab);
        let text = format!(
            "# Generated by `cargo run -p grader -- generate` from the catalogue of known mistakes\n\
             # (fixtures/submissions/{lab}/ in the workbook): what each mistake answers on the public\n\
             # cases of the exercises it is about, so that the public checks can name it.\n{}",
            serde_yaml_ng::to_string(&stored)?
        );
        if crate::registry::derived::refresh(&path, &text, check)? {
            stale.push(path);
        }
    }
    Ok(stale)
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
    CompileLimits { crate_cpu_seconds: 1800, batch: Duration::from_secs(3 * 3600), incremental: false };

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
            Some(LabSource {
                lab: lab.clone(),
                src: dir.join("src"),
                manifest: dir.join("Cargo.toml"),
                mutants: false,
            })
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

/// An exercise's hidden cases and cross-check, drawn from the run's seed, with the reference's
/// answers.
struct Hidden {
    inputs: Vec<Input>,
    wants: Vec<Value>,
    check: Option<(CrossCheck, Vec<Value>)>,
}

/// The hidden cases and cross-checks of every exercise of `fixture` not graded by outcome, all
/// answered by the reference in one run of its probe.
fn hidden_cases(
    jail: &Jail,
    fixture: &LabFixture,
    reference: &Path,
    seed: u64,
    opts: &Options,
) -> Result<BTreeMap<String, Hidden>> {
    let mut drawn = Vec::new();
    for ex in fixture.exercises.iter().filter(|ex| ex.outcome.is_none()) {
        let inputs = crate::cases::hidden()
            .cases(&fixture.lab, &ex.name, seed)
            .with_context(|| format!("the grader has no hidden cases for {}::{}", fixture.lab, ex.name))?;
        drawn.push((ex, inputs, crate::cases::hidden().cross_check(&fixture.lab, &ex.name, seed)));
    }
    let mut asks: Vec<(&str, &[Input])> = Vec::new();
    for (ex, inputs, check) in &drawn {
        asks.push((&ex.name, inputs));
        if let Some(check) = check {
            asks.push((check.oracle, &check.inputs));
        }
    }
    let mut answers = reference_answers_of_calls(jail, reference, &fixture.lab, &asks, opts)?.into_iter();
    let mut next = || answers.next().expect("one list of answers per call asked");
    Ok(drawn
        .into_iter()
        .map(|(ex, inputs, check)| {
            let wants = next();
            let check = check.map(|check| (check, next()));
            (ex.name.clone(), Hidden { inputs, wants, check })
        })
        .collect())
}

/// The public cases of an exercise, then its hidden cases and cross-checks (`hidden`, drawn and
/// answered by [`hidden_cases`]); an experiment's hidden runs are drawn and answered here.
fn cases_of(
    jail: &Jail,
    fixture: &LabFixture,
    ex: &Exercise,
    reference: Option<&PathBuf>,
    hidden: Option<Hidden>,
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
    let Some(Hidden { inputs, wants, check }) = hidden else {
        bail!("no hidden cases were drawn for {}::{}", fixture.lab, ex.name)
    };
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
    if let Some((check, wants)) = check {
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
    let mut answers = reference_answers_of_calls(jail, reference, lab, &[(call, inputs)], opts)?;
    Ok(answers.pop().unwrap_or_default())
}

/// The reference's answers to each `(call, inputs)` of `asks`, in order, from one run of its
/// probe: a confined process costs more to start than most answers take to compute.
fn reference_answers_of_calls(
    jail: &Jail,
    reference: &Path,
    lab: &str,
    asks: &[(&str, &[Input])],
    opts: &Options,
) -> Result<Vec<Vec<Value>>> {
    let Some((first, _)) = asks.first() else { return Ok(Vec::new()) };
    let id = |ask: usize, case: usize| format!("{ask}-case-{}", case + 1);
    let cases = asks.iter().enumerate().flat_map(|(a, (call, inputs))| {
        inputs.iter().enumerate().map(move |(i, input)| RequestCase {
            exercise: Some(call.to_string()),
            ..RequestCase::new(id(a, i), input.clone())
        })
    });
    let request = Request { exercise: first.to_string(), cases: cases.collect() };
    let run = run_probe(jail, reference, &request, opts.reference_limits())?;
    asks.iter()
        .enumerate()
        .map(|(a, (call, inputs))| {
            (0..inputs.len())
                .map(|i| match run.answers.get(&id(a, i)) {
                    Some(Answer::Value(v)) => Ok(v.clone()),
                    other => bail!(
                        "the reference gave no value for {lab}::{call} case-{}: {other:?} ({:?})",
                        i + 1,
                        run.ending
                    ),
                })
                .collect()
        })
        .collect()
}

/// A student's answers to an exercise's cases, as judged, and the judgement.
struct Answers {
    judged: Vec<Option<Answer>>,
    judgement: Judgement,
}

/// How a submission's probes run: through which jail, with which limits (its box included).
struct Run<'a> {
    jail: &'a Jail,
    limits: Limits,
    opts: &'a Options,
}

/// The answers to `cases` as the grader judges them (an experiment's model by its predictions),
/// and the judgement; `no_answer` says why a case has none.
fn judge(
    cases: &[GradedCase],
    answers: &[Option<&Answer>],
    evaluator: &Evaluator<'_>,
    no_answer: &str,
) -> Result<(Vec<Option<Answer>>, Judgement)> {
    let judged: Vec<Option<Answer>> = cases
        .iter()
        .zip(answers)
        .map(|(c, a)| a.map(|a| c.judged(a, evaluator)).transpose())
        .collect::<Result<_>>()?;
    let judgement = Judgement::of(
        cases.iter().zip(&judged).map(|(c, answer)| CaseAnswer {
            answer: answer.as_ref(),
            want: &c.want,
            tol: c.tol,
            outcome: c.outcome,
        }),
        no_answer,
    );
    Ok((judged, judgement))
}

fn grade_exercise(
    runner: &Run<'_>,
    fixture: &LabFixture,
    ex: &Exercise,
    cases: &[GradedCase],
    exe: &Path,
    reference: Option<&PathBuf>,
    budget: &mut Budget,
) -> Result<(ExerciseResult, Answers)> {
    let (jail, opts) = (runner.jail, runner.opts);
    let request = Request {
        exercise: ex.name.clone(),
        cases: cases.iter().map(|c| RequestCase::new(c.id.clone(), c.sent().clone())).collect(),
    };
    let started = std::time::Instant::now();
    let limits = budget.limits(runner.limits);
    let run = if limits.time.is_zero() {
        ProbeRun { answers: BTreeMap::new(), ending: Ending::TimedOut(Duration::ZERO) }
    } else {
        run_probe(jail, exe, &request, limits)?
    };
    let took = started.elapsed();
    budget.spend(took);
    let seconds = took.as_secs_f64();
    let no_answer = match &run.ending {
        Ending::TimedOut(_) if limits.time < runner.limits.time => format!(
            "not run to the end: this submission used up its time budget ({} s for all its exercises \
             together)",
            budget.total.as_secs_f64()
        ),
        Ending::TimedOut(limit) => format!("timed out after {} s: an endless loop?", limit.as_secs_f64()),
        Ending::Stopped(why) => why.clone(),
        Ending::Finished => "no answer".into(),
    };
    // An edition without the reference evaluates models with the submission's own probe, in its box.
    let evaluator = match reference {
        Some(exe) => Evaluator { jail, exe, limits: opts.reference_limits() },
        None => Evaluator { jail, exe, limits: runner.limits },
    };
    let answers: Vec<Option<&Answer>> = cases.iter().map(|c| run.answers.get(&c.id)).collect();
    let (judged, judgement) = judge(cases, &answers, &evaluator, &no_answer)?;
    let judgement = match run.ending {
        Ending::TimedOut(_) => judgement.timed_out(),
        _ => judgement,
    };
    let status = judgement.status;
    let mut tally = tally_of(ex, cases, &judgement.verdicts);
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
    Ok((result, Answers { judged, judgement }))
}

/// The tally of `cases` judged by `verdicts` (none judged: nothing passed, nothing explained).
fn tally_of(ex: &Exercise, cases: &[GradedCase], verdicts: &[Verdict]) -> Tally {
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
    let inputs: Vec<_> = cases.iter().map(|c| &c.input).collect();
    let public: Vec<bool> = cases.iter().map(|c| c.public).collect();
    let ok: Vec<bool> = verdicts.iter().map(|v| *v == Verdict::Pass).collect();
    Tally {
        groups: nnlab_check::groups::tally(&ex.groups, f64::from(ex.points), &inputs, &public, &ok),
        passed: passed(true) + passed(false),
        cases: cases.len(),
        public_passed: passed(true),
        public_cases: cases.iter().filter(|c| c.public).count(),
        failure: failing().next().map(explain),
        hidden_failure: failing().find(|(c, _)| !c.public).map(explain),
    }
}
