//! Grading folders of labs: build their probes, ask them for outputs on the public and hidden
//! cases, judge every answer here (never in the probe), and score.
//!
//! A [`Grader`] is set up once per run — fixtures loaded, reference probes built — and then grades
//! any number of submissions, each with hidden cases of its own (see [`Grader::seed_for`]). Its
//! pipeline for one lab is short, and each step is a room of its own:
//!
//! 1. `cases`: the exercise's cases — public, hidden with the `reference`'s answers,
//!    cross-checks, experiments;
//! 2. `judge`: one probe run of the submission, its answers judged and tallied;
//! 3. `diagnose` (with the `catalogue` of known mistakes): which mistake a failure is;
//! 4. `cause`: whether the failure lies in an exercise it calls.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use nnlab_check::LabFixture;
use nnlab_check::verdict::Status;

use crate::cases::fnv1a;
use crate::compile::{Built, Probes, Submission, build_probes};
use crate::intake::{self, Intake};
use crate::jail::Jail;
use crate::mistakes::{self, Mistake};
use crate::report::{ExerciseResult, LabResult, Report};
use crate::workspace::Workspace;

mod cases;
mod catalogue;
mod cause;
mod diagnose;
mod judge;
mod mutation;
mod options;
mod reference;

use cases::{cases_of, hidden_cases};
use judge::{Budget, Run, grade_exercise, tally_of};
pub use mutation::{Fate, score as mutation_score, summary as mutation_summary};
pub use options::{DEFAULT_BUDGET, MAX_COMPILE_ERROR, Options};
use reference::reference_probes;

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

    /// The workbook this grader grades with.
    pub fn workspace(&self) -> &'w Workspace {
        self.ws
    }

    /// How this run confines the code it grades, a line a protection (see [`Jail::protections`]).
    pub fn protections(&self) -> Vec<String> {
        self.jail.protections()
    }

    /// The labs this grader grades unless told otherwise, in course order.
    pub fn labs(&self) -> &[String] {
        &self.graded
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
        let mut budget = Budget::new(self.opts.budget);
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
