//! The Gradescope autograder package (`grader gradescope <OUT.zip>`): the workbook with its
//! solutions and hidden cases, plus the `setup.sh` and `run_autograder` scripts Gradescope runs.
//! Gradescope unpacks the zip into `/autograder/source`; `run_autograder` grades
//! `/autograder/submission` and writes `/autograder/results/results.json`. Setting
//! `AUTOGRADER_ROOT` runs the same scripts in any folder laid out like `/autograder`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;

use crate::release::{WORKBOOK, files, grader_manifest, manifest};
use crate::workspace::Workspace;

const SETUP: &str = include_str!("../gradescope/setup.sh");
const RUN: &str = include_str!("../gradescope/run_autograder");

fn left_out(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str() == "target" || c.as_os_str() == "snapshots")
}

/// Writes the package to `out` and returns the paths it holds.
pub fn package(ws: &Workspace, out: &Path) -> Result<Vec<String>> {
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let mut names = Vec::new();
    let mut add = |name: &str, bytes: &[u8], executable: bool| -> Result<()> {
        let mode = if executable { 0o755 } else { 0o644 };
        zip.start_file(name, SimpleFileOptions::default().unix_permissions(mode))?;
        zip.write_all(bytes)?;
        names.push(name.to_string());
        Ok(())
    };
    add("setup.sh", SETUP.as_bytes(), true)?;
    add("run_autograder", RUN.as_bytes(), true)?;
    let members = ["grader", "grader/check", "grader/data", "grader/jail", "labs/*", "solutions/*"];
    add("Cargo.toml", manifest(ws, &members, true)?.as_bytes(), false)?;
    add("grader/Cargo.toml", grader_manifest(ws)?.as_bytes(), false)?;
    // The workbook and, to grade hidden cases, the solutions.
    for rel in files(&ws.root, &[WORKBOOK, &["solutions"]].concat(), left_out)? {
        let bytes = std::fs::read(ws.root.join(&rel))?;
        add(&slashed(&rel), &bytes, false)?;
    }
    zip.finish()?;
    Ok(names)
}

/// A relative path with `/` separators, as zip archives name files.
fn slashed(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
