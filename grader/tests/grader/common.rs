//! Grading from tests: one grading at a time, since all of them share the probe scratch space.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use grader::grade::{Options, check_dir};
use grader::instructor::class::{ClassOptions, Progress};
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
        similarity_threshold: grader::instructor::similarity::DEFAULT_THRESHOLD,
    }
}

/// The target directory for builds of another tree (the student edition, the Gradescope package).
/// Not the workbook's: both trees have a `grader` package at `grader/`, so the other tree's build
/// would replace the workbook's `target/debug/grader`, the binary the CLI tests run.
///
/// The first call seeds it with the workbook's compiled registry crates (faer and the rest): their
/// artifacts do not depend on the tree that uses them, so cargo finds them fresh there, as it
/// would on a machine that built the other tree before, and compiles only the tree's own crates.
pub fn other_tree_target(ws: &Workspace) -> std::path::PathBuf {
    static SEEDED: Mutex<bool> = Mutex::new(false);
    let target = ws.scratch().join("other-trees");
    let mut seeded = SEEDED.lock().unwrap_or_else(|p| p.into_inner());
    if !*seeded {
        seed_with_registry_crates(&ws.probe_target().join("debug"), &target.join("debug"), ws);
        *seeded = true;
    }
    target
}

/// Copies what cargo compiled for registry crates from `from` into `to` (outputs, build script
/// results and fingerprints, with their times, which cargo's freshness compares), keeping
/// whatever `to` has already.
fn seed_with_registry_crates(from: &Path, to: &Path, ws: &Workspace) {
    let lock: toml::Table = std::fs::read_to_string(ws.root.join("Cargo.lock")).unwrap().parse().unwrap();
    let registry: std::collections::BTreeSet<String> = lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.get("source").is_some())
        .map(|p| p["name"].as_str().unwrap().replace('-', "_"))
        .collect();
    // `<name>-<16 hex digits>` with an extension, or `lib<name>-…`: the unit's crate or package.
    let of_registry = |file: &str| {
        let stem = file.split('.').next().unwrap_or_default();
        let name = stem.rsplit_once('-').map_or("", |(name, _)| name).replace('-', "_");
        registry.contains(&name) || name.strip_prefix("lib").is_some_and(|n| registry.contains(n))
    };
    for folder in ["deps", ".fingerprint", "build"] {
        let (from, to) = (from.join(folder), to.join(folder));
        let Ok(entries) = std::fs::read_dir(&from) else { continue };
        std::fs::create_dir_all(&to).unwrap();
        let wanted: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| of_registry(name) && !to.join(name).exists())
            .map(|name| from.join(name))
            .collect();
        for chunk in wanted.chunks(200) {
            let copied = std::process::Command::new("cp")
                .args(["-a", "--reflink=auto"])
                .args(chunk)
                .arg(&to)
                .status()
                .unwrap();
            assert!(copied.success(), "copying compiled crates into {}", to.display());
        }
    }
}

/// Every file a class run writes into `out` (but the two it measures: cargo's log and the class
/// report's timing), by path, with its bytes.
pub fn outputs(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![out.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if !["cargo.log", "timing.json"]
                .iter()
                .any(|f| path.file_name() == Some(std::ffi::OsStr::new(f)))
            {
                files.insert(path.strip_prefix(out).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}
