//! The class picture a `grade` run leaves in `OUT/class/`: what the class got wrong and which
//! submissions look alike, for the instructor.
//!
//! - `summary.json`: per lab the scores' statistics and histogram, compile failures, time-outs and
//!   budget stops; per exercise what Gradescope's question statistics give (mean, median, standard
//!   deviation, the share with full marks) and what only nnlab knows: the share passing the public
//!   and the hidden cases, the share failing where an exercise it calls fails, the named mistakes
//!   with the students behind each, the case groups that fail most; a "teach again" list; the
//!   similar pairs ([`super::similarity`]).
//! - `exercises.csv`: the per-exercise statistics, for a spreadsheet.
//! - `index.html`: all of it on one page that opens offline (no script, no request), with a
//!   histogram per lab drawn by plotters.
//!
//! Everything is computed from the students' `report.json` and `code.json` files in OUT, so a
//! resumed or partial run shows the whole class graded so far, and the same seed always gives the
//! same bytes. How long grading took is measured, so it goes apart, into `timing.json` (the
//! students graded in this run), which the page names but does not copy.

mod page;
mod summary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
pub use page::html;
pub use summary::{
    ClassSummary, Code, ExerciseSummary, GroupFailing, LabSummary, Mistake, Pair, REFERENCE,
    SimilaritySummary, Stats, TeachAgain, csv, similar, summarize,
};

use super::atomic::write_atomically;
use super::similarity;
use crate::report::Report;
use crate::workspace::Workspace;

/// The folder under OUT.
pub const DIR: &str = "class";
/// A student's source files, by lab and path, as the grader took them in.
pub const CODE: &str = "code.json";
/// How long grading took, per student graded in this run.
pub const TIMING: &str = "timing.json";

/// Writes `OUT/class/`: `summary.json`, `exercises.csv` and `index.html`, from the students'
/// `report.json` (`reports`, by output name) and `code.json`, and the workbook's stubs, given code
/// and reference; and `timing.json` from `seconds`, each student graded in this run with how long
/// it took (left as it is when this run graded nobody).
pub fn write(
    ws: &Workspace,
    out: &Path,
    reports: &BTreeMap<String, Report>,
    seed: u64,
    seconds: &BTreeMap<String, f64>,
    threshold: f64,
) -> Result<()> {
    let mut codes = BTreeMap::new();
    for name in reports.keys() {
        // A student graded before the class report existed has no code.json: left out of the pairs.
        if let Ok(text) = std::fs::read_to_string(out.join(name).join(CODE)) {
            codes.insert(name.clone(), serde_json::from_str::<Code>(&text).context("reading code.json")?);
        }
    }
    let labs: BTreeSet<&String> = codes.values().flat_map(|c| c.keys()).collect();
    let mut base = BTreeMap::new();
    let mut reference_code = Code::new();
    let mut reference = BTreeMap::new();
    for lab in labs {
        let stub = rust_files(&ws.root.join("labs").join(lab).join("src"), true);
        base.insert(lab.clone(), similarity::lab_prints(stub.iter().map(|(f, t)| (f.as_str(), t.as_str()))));
        if let Some(solution) = ws.solution(lab) {
            let files = rust_files(&solution.join("src"), false);
            reference.insert(
                lab.clone(),
                similarity::lab_prints(files.iter().map(|(f, t)| (f.as_str(), t.as_str()))),
            );
            reference_code.insert(lab.clone(), files);
        }
    }
    let similarity = similar(&codes, &base, &reference, threshold);
    let summary = summarize(reports, seed, similarity);
    let dir = out.join(DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    if !seconds.is_empty() {
        let all: Vec<f64> = seconds.values().copied().collect();
        let timing = serde_json::json!({ "per_student": Stats::of(&all), "students": seconds });
        write_atomically(&dir.join(TIMING), &(serde_json::to_string_pretty(&timing)? + "\n"))?;
    }
    write_atomically(&dir.join("summary.json"), &(serde_json::to_string_pretty(&summary)? + "\n"))?;
    write_atomically(&dir.join("exercises.csv"), &csv(&summary))?;
    write_atomically(&dir.join("index.html"), &html(&summary, &codes, &reference_code))
}

/// Writes `OUT/class/` again from what OUT holds, for a run graded with `seed`: every student
/// folder with a `report.json` (timing.json is left as it is: nothing is graded).
pub fn rebuild(ws: &Workspace, out: &Path, seed: u64, threshold: f64) -> Result<()> {
    let mut reports = BTreeMap::new();
    for entry in std::fs::read_dir(out)? {
        let entry = entry?;
        let path = entry.path().join("report.json");
        if entry.file_name() == DIR || !path.is_file() {
            continue;
        }
        let report: Report = serde_json::from_str(&std::fs::read_to_string(&path)?)
            .with_context(|| format!("reading {}", path.display()))?;
        reports.insert(entry.file_name().to_string_lossy().into_owned(), report);
    }
    write(ws, out, &reports, seed, &BTreeMap::new(), threshold)
}

/// Reads the code of a lab's `src/` folder: every `.rs` file but the given code, at most 256 KiB
/// each and 1 MiB in all (what intake took in is bounded already; this bounds the report).
pub fn read_lab_code(src: &Path) -> BTreeMap<String, String> {
    rust_files(src, false)
}

/// The `.rs` files under `src`, the given code with them or not.
fn rust_files(src: &Path, with_given: bool) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut total = 0;
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(src).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if !kind.is_file() || !rel.ends_with(".rs") || (rel == crate::compile::GIVEN && !with_given) {
                continue;
            }
            let Ok(text) = std::fs::read(&path) else { continue };
            if text.len() > 256 << 10 || total + text.len() > 1 << 20 {
                continue;
            }
            total += text.len();
            files.insert(rel, String::from_utf8_lossy(&text).into_owned());
        }
    }
    files
}
