//! The one result model every output is rendered from: the terminal scoreboard, Gradescope's
//! results.json, and for class grading the gradebook, the feedback files and JUnit XML. A new
//! format is one more module that renders a [`Report`].

pub mod feedback;
pub mod gradebook;
pub mod gradescope;
pub mod junit;
pub mod prairielearn;
pub mod text;

use nnlab_check::groups::GroupScore;
use nnlab_check::outcome::Metric;
use nnlab_check::verdict::Status;
use nnlab_check::{Exercise, LabFixture};
use serde::{Deserialize, Serialize};

/// The grades of one folder of labs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// The folder graded, as named on the command line.
    pub graded: String,
    /// Seed of the hidden cases.
    pub seed: u64,
    /// Whether hidden cases were run (an edition without solutions has public cases only).
    pub hidden: bool,
    /// One entry per lab of the course.
    pub labs: Vec<LabResult>,
    /// What intake found wrong with the submission: files not taken (links, special files, files
    /// over a limit), labs not graded, labs not where they belong. Absent in older reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What intake found, counted, for the class summary. Absent when intake found nothing.
    #[serde(default, skip_serializing_if = "IntakeCounts::is_clean")]
    pub intake: IntakeCounts,
    /// How someone else's code was confined on the grading machine: the protections in force and
    /// the layers the machine lacks. Absent for the student's own code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protections: Vec<String>,
}

/// What intake found in one submission, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IntakeCounts {
    /// The submission is not a folder (a link, a file): graded as empty.
    #[serde(default)]
    pub not_folder: bool,
    /// Files and folders not taken (links, special files, over a limit).
    #[serde(default)]
    pub refused_files: usize,
    /// Labs not where they belong (one folder down, twice, none at all, a link).
    #[serde(default)]
    pub misplaced: bool,
}

impl IntakeCounts {
    /// Whether intake found nothing to count.
    pub fn is_clean(&self) -> bool {
        *self == IntakeCounts::default()
    }
}

/// The grades of one lab.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LabResult {
    /// The lab's crate name.
    pub lab: String,
    /// Its title.
    pub title: String,
    /// The compiler's first error, when the lab did not compile.
    pub compile_error: Option<String>,
    /// Why the lab was found but not graded (its `src` is a link, it is there twice); then every
    /// exercise scores 0 and nothing was compiled. Absent in older reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_graded: Option<String>,
    /// One entry per exercise.
    pub exercises: Vec<ExerciseResult>,
}

/// The grade of one exercise.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExerciseResult {
    /// The function's name.
    pub name: String,
    /// How it went.
    pub status: Status,
    /// Points earned: the exercise's points times the fraction of cases passed.
    pub score: f64,
    /// Points at stake.
    pub max_score: f64,
    /// Cases passed.
    pub cases_passed: usize,
    /// Cases run (public and hidden).
    pub cases: usize,
    /// Of the cases, those from the lecture documents (the public ones, which come first); the
    /// rest are hidden. Absent in older reports.
    #[serde(default)]
    pub public_cases: usize,
    /// Public cases passed.
    #[serde(default)]
    pub public_passed: usize,
    /// The first failing case, explained.
    pub failure: Option<String>,
    /// The first failing hidden case, explained (the same as `failure` when no public case
    /// failed), for outputs that show hidden cases apart from public ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_failure: Option<String>,
    /// For an experiment graded by outcome: its metric's mean over the cases, which a
    /// leaderboard ranks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Measure>,
    /// Wall-clock seconds the exercise's run took, when the grader was asked to time runs (a
    /// timed report is not reproducible byte for byte, so timing is off unless asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// The catalogued mistake the failing answers match, by its name in the catalogue (for
    /// instructors' tallies; students read `diagnosis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mistake: Option<String>,
    /// What that mistake is and what to change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<String>,
    /// A failure that may not be this exercise's own: an exercise it calls fails its checks, or
    /// it is graded with the reference of an earlier lab. Said before the failing case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The exercise's groups of cases and their points, when it has groups; each group's
    /// points are earned by the fraction of its cases passed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupScore>,
    /// What to check first.
    pub hint: String,
    /// The book section to read.
    pub read: String,
}

/// An experiment's metric, averaged over its cases.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Accuracy (higher is better) or RMSE (lower is better).
    pub metric: Metric,
    /// The mean over the cases.
    pub mean: f64,
}

/// How the cases of an exercise went: counts, split into public and hidden, and the first failures.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Cases passed.
    pub passed: usize,
    /// Cases run.
    pub cases: usize,
    /// Public cases passed.
    pub public_passed: usize,
    /// Public cases run.
    pub public_cases: usize,
    /// The first failing case, explained.
    pub failure: Option<String>,
    /// The first failing hidden case, explained.
    pub hidden_failure: Option<String>,
    /// The cases by group, with the points of each (one group when the exercise has none).
    pub groups: Vec<GroupScore>,
}

impl ExerciseResult {
    /// The result of `ex` from its tally.
    pub fn new(fixture: &LabFixture, ex: &Exercise, status: Status, tally: Tally) -> ExerciseResult {
        let max = f64::from(ex.points);
        ExerciseResult {
            name: ex.name.clone(),
            status,
            score: round2(tally.groups.iter().map(GroupScore::score).sum()),
            max_score: max,
            cases_passed: tally.passed,
            cases: tally.cases,
            public_cases: tally.public_cases,
            public_passed: tally.public_passed,
            failure: tally.failure,
            hidden_failure: tally.hidden_failure,
            metric: None,
            seconds: None,
            mistake: None,
            diagnosis: None,
            cause: None,
            groups: if ex.groups.is_empty() { Vec::new() } else { tally.groups },
            hint: ex.hint.clone(),
            read: fixture.read(ex),
        }
    }

    /// The points of the public cases: (earned, at stake). The hidden cases hold the rest, so
    /// that the two parts add up to the exercise's score and points exactly.
    pub fn public_points(&self) -> (f64, f64) {
        if !self.groups.is_empty() {
            let sum = |part: &dyn Fn(&GroupScore) -> usize| {
                round2(self.groups.iter().map(|g| g.share(part(g))).sum())
            };
            return (sum(&|g| g.public_passed), sum(&|g| g.public_cases));
        }
        (
            share(self.max_score, self.public_passed, self.cases),
            share(self.max_score, self.public_cases, self.cases),
        )
    }

    /// The points of the hidden cases: (earned, at stake).
    pub fn hidden_points(&self) -> (f64, f64) {
        let (earned, at_stake) = self.public_points();
        (round2(self.score - earned), round2(self.max_score - at_stake))
    }
}

/// `max` points shared by `part` of `of` cases, rounded like every score.
fn share(max: f64, part: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { round2(max * part as f64 / of as f64) }
}

impl ExerciseResult {
    /// The first failing case, then what to check and what to read; `None` when nothing failed.
    pub fn explanation(&self) -> Option<String> {
        self.failure.as_deref().map(|failure| self.explain(failure))
    }

    /// A failing case, then what to check and what to read; first, the points of each group of
    /// cases and a cause elsewhere.
    pub fn explain(&self, failure: &str) -> String {
        let groups: String = self.groups.iter().map(|g| format!("{:<10} {g}\n", "group")).collect();
        let cause = self.cause.as_ref().map(|c| format!("{:<10} {c}\n", "first")).unwrap_or_default();
        format!("{groups}{cause}{failure}{}", self.advice())
    }

    /// The diagnosis, what to check and what to read, a line each.
    pub fn advice(&self) -> String {
        let diagnosis =
            self.diagnosis.as_ref().map(|d| format!("{:<10} {d}\n", "diagnosis")).unwrap_or_default();
        format!("{diagnosis}{:<10} {}\n{:<10} {}\n", "hint", self.hint, "read", self.read)
    }
}

/// Scores are shown and summed with two decimals; rounding each one keeps totals exact sums.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl LabResult {
    /// Whether the submission has no code for this lab at all.
    pub fn not_submitted(&self) -> bool {
        self.compile_error.as_deref() == Some(crate::compile::NOT_SUBMITTED)
    }

    /// The build failure of a lab that was submitted but did not compile.
    pub fn build_failure(&self) -> Option<&str> {
        self.compile_error.as_deref().filter(|_| !self.not_submitted() && self.not_graded.is_none())
    }

    /// Points earned in this lab.
    pub fn score(&self) -> f64 {
        round2(self.exercises.iter().map(|e| e.score).sum())
    }
    /// Points at stake in this lab.
    pub fn max_score(&self) -> f64 {
        self.exercises.iter().map(|e| e.max_score).sum()
    }
}

impl Report {
    /// Points earned overall.
    pub fn score(&self) -> f64 {
        round2(self.labs.iter().map(LabResult::score).sum())
    }
    /// Points at stake overall.
    pub fn max_score(&self) -> f64 {
        self.labs.iter().map(LabResult::max_score).sum()
    }
}

/// A small report for the renderers' tests: one lab, an exercise that passed and one that failed a
/// hidden case, and a lab that was not submitted.
#[cfg(test)]
pub(crate) fn sample() -> Report {
    let exercise = |name: &str, passed: usize, failure: Option<&str>| ExerciseResult {
        name: name.into(),
        status: if passed == 5 { Status::Passed } else { Status::Failed },
        score: round2(3.0 * passed as f64 / 5.0),
        max_score: 3.0,
        cases_passed: passed,
        cases: 5,
        public_cases: 2,
        public_passed: 2,
        failure: failure.map(str::to_string),
        hidden_failure: failure.map(str::to_string),
        metric: None,
        seconds: None,
        mistake: None,
        diagnosis: None,
        cause: None,
        groups: Vec::new(),
        hint: "look at the sign".into(),
        read: "book §1".into(),
    };
    let lab = |lab: &str, exercises, compile_error: Option<&str>| LabResult {
        lab: lab.into(),
        title: format!("The {lab}"),
        compile_error: compile_error.map(str::to_string),
        not_graded: None,
        exercises,
    };
    let mut missing = exercise("train", 0, None);
    missing.status = Status::DidNotCompile;
    missing.public_passed = 0;
    missing.score = 0.0;
    Report {
        graded: "sample".into(),
        seed: 7,
        hidden: true,
        labs: vec![
            lab(
                "lab01-neuron",
                vec![
                    exercise("sigmoid", 5, None),
                    exercise("relu", 3, Some("case   hidden case 1 of 3, seed 7\n")),
                ],
                None,
            ),
            lab("lab02-perceptron", vec![missing], Some(crate::compile::NOT_SUBMITTED)),
        ],
        notes: vec![],
        intake: IntakeCounts::default(),
        protections: vec![],
    }
}

/// `text` cut to at most `max` bytes (at a character boundary), saying how much was left out.
pub fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… {} more bytes", &text[..end], text.len() - end)
}
