//! Grading from tests: one grading at a time, since all of them share the probe scratch space.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use grader::class::{ClassOptions, Progress};
use grader::grade::{Options, check_dir};
use grader::report::Report;
use grader::report::gradescope::Settings;
use grader::workspace::Workspace;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The seed every test grades with, so that snapshots are stable.
pub const SEED: u64 = 20261123;

pub fn workspace() -> Workspace {
    Workspace::locate(None).expect("the tests run inside the nnlab tree")
}

/// Holds the probe scratch space for one grading.
pub fn one_at_a_time() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// Grades `dir` with the tests' seed. None of the submissions graded here loops forever (those are
/// in the hostile corpus, graded with its own short limit), so the limit is generous: a correct
/// digits run takes ~2 s and a CI machine running other tests beside it can triple that.
pub fn grade(dir: &Path) -> Report {
    let _guard = one_at_a_time();
    let opts = Options { timeout: Duration::from_secs(60), ..Options::with_seed(SEED) };
    check_dir(&workspace(), dir, &opts).unwrap_or_else(|e| panic!("grading {} failed: {e:#}", dir.display()))
}

/// How the tests grade a class: two at a time, one batch, quietly, without a roster.
pub fn class_options() -> ClassOptions {
    ClassOptions {
        force: false,
        jobs: 2,
        batch: 24,
        progress: Progress::Quiet,
        roster: None,
        gradescope: Settings::default(),
    }
}

/// The target directory for builds of another tree (the student edition, the Gradescope package).
/// Not the workbook's: both trees have a `grader` package at `grader/`, so the other tree's build
/// would replace the workbook's `target/debug/grader`, the binary the CLI tests run.
pub fn other_tree_target(ws: &Workspace) -> std::path::PathBuf {
    ws.scratch().join("other-trees")
}
