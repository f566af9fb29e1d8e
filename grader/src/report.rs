//! The one result model every output is rendered from: the terminal scoreboard, Gradescope's
//! results.json, and for class grading the gradebook, the feedback files and JUnit XML. A new
//! format is one more module that renders a [`Report`].

pub mod feedback;
pub mod gradebook;
pub mod gradescope;
pub mod junit;
pub mod text;

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
    /// The first failing case, explained.
    pub failure: Option<String>,
    /// What to check first.
    pub hint: String,
    /// The book section to read.
    pub read: String,
}

impl ExerciseResult {
    /// The result of `ex` with `passed` of `cases` cases passed.
    pub fn new(
        fixture: &LabFixture,
        ex: &Exercise,
        status: Status,
        passed: usize,
        cases: usize,
        failure: Option<String>,
    ) -> ExerciseResult {
        let max = f64::from(ex.points);
        let score = if cases == 0 { 0.0 } else { round2(max * passed as f64 / cases as f64) };
        ExerciseResult {
            name: ex.name.clone(),
            status,
            score,
            max_score: max,
            cases_passed: passed,
            cases,
            failure,
            hint: ex.hint.clone(),
            read: fixture.read(ex),
        }
    }
}

impl ExerciseResult {
    /// The first failing case, then what to check and what to read; `None` when nothing failed.
    pub fn explanation(&self) -> Option<String> {
        let failure = self.failure.as_ref()?;
        Some(format!("{failure}{:<10} {}\n{:<10} {}\n", "hint", self.hint, "read", self.read))
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
