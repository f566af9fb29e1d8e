//! The Gradescope autograder package (`grader gradescope <OUT.zip>`): the workbook with its
//! solutions and hidden cases, plus the `setup.sh` and `run_autograder` scripts Gradescope runs.
//! Gradescope unpacks the zip into `/autograder/source`; `run_autograder` grades
//! `/autograder/submission` and writes `/autograder/results/results.json`. Setting
//! `AUTOGRADER_ROOT` runs the same scripts in any folder laid out like `/autograder`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;

use super::release::{WORKBOOK, files, grader_manifest, manifest, trimmed_lock};
use crate::report::gradescope::Settings;
use crate::workspace::Workspace;

const SETUP: &str = include_str!("../../gradescope/setup.sh");
const RUN: &str = include_str!("../../gradescope/run_autograder");

fn left_out(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str() == "target" || c.as_os_str() == "snapshots")
}

/// Writes the package to `out` and returns the paths it holds. The zip is written beside `out`
/// and renamed into place, so a failure leaves no partial package.
pub fn package(ws: &Workspace, out: &Path, settings: &Settings) -> Result<Vec<String>> {
    let tmp = out.with_extension(format!("zip-{}", std::process::id()));
    let written = write_package(ws, &tmp, settings).and_then(|names| {
        std::fs::rename(&tmp, out).map(|()| names).with_context(|| format!("writing {}", out.display()))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn write_package(ws: &Workspace, out: &Path, settings: &Settings) -> Result<Vec<String>> {
    // (name in the zip, bytes, executable)
    let mut entries: Vec<(String, Vec<u8>, bool)> = vec![
        ("setup.sh".into(), SETUP.replace("@RUST_VERSION@", &rust_version()?).into_bytes(), true),
        ("run_autograder".into(), RUN.replace("@FLAGS@", &flags(settings).join(" ")).into_bytes(), true),
    ];
    let members = [
        "grader",
        "grader/check",
        "grader/data",
        "grader/hidden",
        "grader/jail",
        "grader/unify",
        "labs/*",
        "solutions/*",
    ];
    entries.push(("Cargo.toml".into(), manifest(ws, &members, true)?.into_bytes(), false));
    entries.push(("grader/Cargo.toml".into(), grader_manifest(ws, true)?.into_bytes(), false));
    // The workbook and, to grade hidden cases, their generators and the solutions; to diagnose
    // failures, the catalogue of known mistakes (edits of the solutions) and what the diagnosis
    // says of the generated ones (`fixtures/mutants`); both quote the solutions.
    let instructor = ["grader/hidden", "solutions", "fixtures/submissions", "fixtures/mutants"];
    for rel in files(&ws.root, &[WORKBOOK, &instructor].concat(), left_out)? {
        entries.push((slashed(&rel), std::fs::read(ws.root.join(&rel))?, false));
    }
    // The workbook's Cargo.lock names crates this smaller workspace does not use; cargo would
    // rewrite it, and setup.sh builds `--locked`. The package gets the lock file of its own
    // workspace, with every version as the workbook has it.
    let stage = ws.scratch().join(format!("package-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&stage);
    for (name, bytes, _) in &entries {
        let path = stage.join(name);
        std::fs::create_dir_all(path.parent().expect("a file has a parent"))?;
        std::fs::write(&path, bytes)?;
    }
    let lock = trimmed_lock(&stage);
    let _ = std::fs::remove_dir_all(&stage);
    let lock = lock?;
    for entry in entries.iter_mut().filter(|e| e.0 == "Cargo.lock") {
        entry.1 = lock.clone().into_bytes();
    }

    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    for (name, bytes, executable) in &entries {
        let mode = if *executable { 0o755 } else { 0o644 };
        zip.start_file(name.as_str(), SimpleFileOptions::default().unix_permissions(mode))?;
        zip.write_all(bytes)?;
    }
    zip.finish()?;
    Ok(entries.into_iter().map(|e| e.0).collect())
}

/// The grader's command-line flags for `settings`, as run_autograder passes them.
pub fn flags(settings: &Settings) -> Vec<String> {
    let mut flags = vec![
        format!("--public-visibility={}", settings.public.as_str()),
        format!("--hidden-visibility={}", settings.hidden.as_str()),
    ];
    if let Some(stdout) = settings.stdout {
        flags.push(format!("--stdout-visibility={}", stdout.as_str()));
    }
    if settings.leaderboard {
        flags.push("--leaderboard".into());
    }
    flags
}

/// The version of the toolchain making the package (`rustc --version`), which setup.sh installs.
fn rust_version() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out =
        std::process::Command::new(&rustc).arg("--version").output().context("running rustc --version")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .nth(1)
        .filter(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .map(str::to_string)
        .with_context(|| format!("cannot read a version from `rustc --version`: {text:?}"))
}

/// A relative path with `/` separators, as zip archives name files.
fn slashed(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
