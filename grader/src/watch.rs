//! The student's loop, as `rustlings watch` has it: grade the labs once, then, on every save of a
//! lab's file, grade that lab again — its public worked examples and its hidden cases — and show
//! the lab's report, progress through the course and the next unfinished exercise.
//!
//! One [`Grader`] serves the whole session, so the reference probes are built once and the
//! catalogued mistakes once per lab; the submission's scratch space keeps its key, so a save
//! recompiles only the lab that changed. The hidden cases keep the session's seed: between two
//! saves only the student's code changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nnlab_check::verdict::Status;
use notify::{RecursiveMode, Watcher};

use crate::compile::Submission;
use crate::grade::Grader;
use crate::report::{LabResult, Report, text};

/// A watch session over one folder of labs.
pub struct Watch<'g, 'w> {
    grader: &'g Grader<'w>,
    dir: PathBuf,
    key: String,
    /// The latest result of every lab graded so far.
    progress: BTreeMap<String, LabResult>,
}

/// What one round of grading showed.
pub struct Round {
    /// The report of the labs graded in this round.
    pub report: Report,
    /// How long the round took, intake to scores.
    pub took: Duration,
}

impl<'g, 'w> Watch<'g, 'w> {
    /// A session over `dir` (`dir/<lab>/src` or `dir/labs/<lab>/src`), graded by `grader`.
    pub fn new(grader: &'g Grader<'w>, dir: &Path) -> Result<Watch<'g, 'w>> {
        let dir = dir.canonicalize().with_context(|| format!("no folder {}", dir.display()))?;
        let key = format!("watch-{:016x}", crate::cases::fnv1a(&dir.display().to_string()));
        Ok(Watch { grader, dir, key, progress: BTreeMap::new() })
    }

    /// The folder watched.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Grades `labs` (which the grader must grade) and remembers their results.
    pub fn grade(&mut self, labs: &[String]) -> Result<Round> {
        let started = Instant::now();
        let intake = self.grader.take_in_labs(&self.dir, &self.key, labs)?;
        let submission = Submission { key: self.key.clone(), labs: intake.labs.clone() };
        let mut built = self.grader.build(&self.key, std::slice::from_ref(&submission))?;
        let probes = built.remove(&self.key).unwrap_or_default();
        let graded = self.dir.display().to_string();
        let report = self.grader.grade_labs(&graded, self.grader.seed(), &probes, &intake, labs)?;
        for lab in &report.labs {
            self.progress.insert(lab.lab.clone(), lab.clone());
        }
        Ok(Round { report, took: started.elapsed() })
    }

    /// The labs of the grader that a change of `path` touches: the lab whose folder holds it.
    pub fn lab_of(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.dir).ok()?;
        let names: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect();
        // Only sources: cargo's own files in a target folder must not start a new round.
        let source = path.extension().is_some_and(|e| e == "rs") && !names.contains(&"target");
        let lab = names.iter().find(|n| self.grader.labs().iter().any(|l| l == *n))?;
        source.then(|| lab.to_string())
    }

    /// Progress through the course: each lab's exercises passed, and the next exercise to do
    /// (the first one, in course order, that does not pass), with where to read about it.
    pub fn progress(&self) -> String {
        let mut out = String::new();
        let (mut done, mut all) = (0, 0);
        let mut cells = Vec::new();
        for lab in self.grader.labs() {
            let Some(result) = self.progress.get(lab) else { continue };
            let passed = result.exercises.iter().filter(|e| e.status == Status::Passed).count();
            done += passed;
            all += result.exercises.len();
            let number = lab.get(3..5).unwrap_or(lab);
            let mark = if passed == result.exercises.len() { " ✓" } else { "" };
            cells.push(format!("{number} {passed}/{}{mark}", result.exercises.len()));
        }
        let _ = writeln!(out, "progress   {done} of {all} exercises pass — {}", cells.join(" · "));
        match self.next() {
            Some((lab, ex)) => {
                let _ = writeln!(out, "next       {lab}: {} — {}", ex.name, ex.read);
            }
            None if all > 0 => {
                let _ = writeln!(out, "next       nothing: every exercise graded here passes");
            }
            None => {}
        }
        out
    }

    /// The first exercise, in course order, that does not pass.
    fn next(&self) -> Option<(&str, &crate::report::ExerciseResult)> {
        self.grader.labs().iter().find_map(|lab| {
            let result = self.progress.get(lab)?;
            let ex = result.exercises.iter().find(|e| e.status != Status::Passed)?;
            Some((lab.as_str(), ex))
        })
    }
}

/// Runs a watch session until interrupted: grades every lab once, then the lab of every save.
pub fn run(grader: &Grader<'_>, dir: &Path) -> Result<()> {
    let mut watch = Watch::new(grader, dir)?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("cannot watch files on this system")?;
    watcher
        .watch(watch.dir(), RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", watch.dir().display()))?;
    let labs = grader.labs().to_vec();
    eprintln!(
        "watch: grading {} in {} once (seed {}), then again on every save…",
        if labs.len() == 1 { labs[0].clone() } else { format!("{} labs", labs.len()) },
        watch.dir().display(),
        grader.seed()
    );
    let first = watch.grade(&labs)?;
    // The first screen shows the lab to work on: the one holding the next unfinished exercise.
    let focus = watch.next().map(|(lab, _)| lab.to_string()).unwrap_or_else(|| labs[0].clone());
    show(&watch, &first, &focus);
    loop {
        let changed = changes(&watch, &rx)?;
        for lab in changed {
            // A round the grader itself could not finish (a full disk, cargo gone) is said, and
            // the next save tries again: the session is not lost.
            match watch.grade(std::slice::from_ref(&lab)) {
                Ok(round) => show(&watch, &round, &lab),
                Err(e) => eprintln!("error: grading {lab} failed: {e:#}\nsave a file to try again"),
            }
        }
    }
}

/// Waits for the next save and returns the labs it touched, after the burst of events one save
/// makes (an editor writes, renames and touches) has settled.
fn changes(
    watch: &Watch<'_, '_>,
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
) -> Result<BTreeSet<String>> {
    let mut labs = BTreeSet::new();
    loop {
        let event = rx.recv().context("the file watcher stopped")?;
        collect(watch, event, &mut labs);
        if labs.is_empty() {
            continue;
        }
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            collect(watch, event, &mut labs);
        }
        return Ok(labs);
    }
}

/// How long a save's burst of events may take.
const SETTLE: Duration = Duration::from_millis(100);

fn collect(watch: &Watch<'_, '_>, event: notify::Result<notify::Event>, labs: &mut BTreeSet<String>) {
    let Ok(event) = event else { return };
    if event.kind.is_access() {
        return;
    }
    labs.extend(event.paths.iter().filter_map(|p| watch.lab_of(p)));
}

/// Prints the report of the lab `lab` from `round`, then the course's progress.
fn show(watch: &Watch<'_, '_>, round: &Round, lab: &str) {
    let mut report = round.report.clone();
    report.labs.retain(|l| l.lab == lab);
    if std::io::stdout().is_terminal() {
        // A fresh screen for each round, as rustlings does: the report is the whole story.
        print!("\x1b[2J\x1b[H");
    }
    print!("{}", text::render(&report));
    println!();
    print!("{}", watch.progress());
    println!(
        "graded in {:.1} s — save a file of a lab to grade it again; Ctrl-C to stop",
        round.took.as_secs_f64()
    );
}
