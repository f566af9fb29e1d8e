//! Grading a whole class: every folder under the submissions folder is one student. Probes are
//! built a batch of students per cargo invocation (cargo compiles their crates in parallel), then
//! the students of the batch are graded in parallel, and each student's results are written the
//! moment they are known, atomically. A run that is interrupted resumes where it stopped: a
//! student whose `report.json` exists is skipped (unless `force`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nnlab_check::verdict::Status;

use crate::cases::fnv1a;
use crate::compile::Submission;
use crate::grade::Grader;
use crate::report::{Report, feedback, gradebook, gradescope, junit};

/// How to grade a class.
#[derive(Clone, Debug)]
pub struct ClassOptions {
    /// Regrade students who already have results.
    pub force: bool,
    /// Students graded at the same time.
    pub jobs: usize,
    /// Students whose probes are built by one cargo invocation.
    pub batch: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

/// What a class run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Students graded in this run.
    pub graded: usize,
    /// Students skipped because they already had results.
    pub skipped: usize,
    /// Students with at least one submitted lab that did not compile.
    pub failed_to_compile: usize,
    /// Students with at least one exercise that ran out of time.
    pub timed_out: usize,
}

/// The file that marks a student as graded; written last.
const REPORT: &str = "report.json";

/// Grades every student folder under `submissions` into `out`, then writes the class-wide files.
pub fn grade_class(
    grader: &Grader<'_>,
    submissions: &Path,
    out: &Path,
    opts: &ClassOptions,
) -> Result<Summary> {
    let students = students(submissions)?;
    if students.is_empty() {
        bail!("{} holds no student folders", submissions.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let pending: Vec<&(String, PathBuf)> =
        students.iter().filter(|(name, _)| opts.force || !out.join(name).join(REPORT).is_file()).collect();
    let mut summary = Summary { skipped: students.len() - pending.len(), ..Summary::default() };

    let bar = ProgressBar::with_draw_target(
        Some(pending.len() as u64),
        if opts.progress { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} students  {msg}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let tally = Mutex::new(Summary::default());
    for chunk in pending.chunks(opts.batch.max(1)) {
        bar.set_message(format!("building {} submissions", chunk.len()));
        let subs: Vec<Submission> = chunk
            .iter()
            .map(|(name, dir)| Ok(Submission { key: key(name), labs: grader.sources(dir)? }))
            .collect::<Result<_>>()?;
        let mut built = grader.build("class", &subs)?;
        bar.set_message("grading");
        let next = AtomicUsize::new(0);
        let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..opts.jobs.max(1) {
                scope.spawn(|| {
                    while let Some((name, _)) = chunk.get(next.fetch_add(1, Ordering::SeqCst)) {
                        let probes = built.get(&key(name)).cloned().unwrap_or_default();
                        let graded = grader
                            .grade(name, grader.seed_for(name), &probes)
                            .and_then(|report| write_student(out, name, &report).map(|()| report));
                        match graded {
                            Ok(report) => {
                                count(&mut tally.lock().expect("no panics while counting"), &report)
                            }
                            Err(e) => {
                                failure.lock().expect("no panics while recording").get_or_insert(e);
                            }
                        }
                        bar.inc(1);
                    }
                });
            }
        });
        built.clear();
        if let Some(e) = failure.into_inner().expect("threads are done") {
            bar.abandon();
            return Err(e);
        }
    }
    bar.finish_and_clear();
    let tally = tally.into_inner().expect("threads are done");
    summary.graded = tally.graded;
    summary.failed_to_compile = tally.failed_to_compile;
    summary.timed_out = tally.timed_out;
    write_class_files(out, &students)?;
    Ok(summary)
}

fn count(summary: &mut Summary, report: &Report) {
    summary.graded += 1;
    summary.failed_to_compile += usize::from(report.labs.iter().any(|l| l.build_failure().is_some()));
    summary.timed_out +=
        usize::from(report.labs.iter().flat_map(|l| &l.exercises).any(|e| e.status == Status::TimedOut));
}

/// The student folders under `dir`, by name (folders whose name starts with `.` are ignored).
pub fn students(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() && !name.starts_with('.') {
            found.push((name, entry.path()));
        }
    }
    found.sort();
    Ok(found)
}

/// The scratch key of a student: a readable prefix of the name and a hash of all of it.
fn key(name: &str) -> String {
    let readable: String =
        name.chars().filter(|c| c.is_ascii_alphanumeric()).take(24).collect::<String>().to_ascii_lowercase();
    format!("s-{readable}-{:08x}", fnv1a(name) as u32)
}

/// Writes a student's three files, the report (the "graded" mark) last.
fn write_student(out: &Path, name: &str, report: &Report) -> Result<()> {
    let dir = out.join(name);
    std::fs::create_dir_all(&dir)?;
    let results = serde_json::to_string_pretty(&gradescope::results(report))? + "\n";
    write_atomically(&dir.join("results.json"), &results)?;
    write_atomically(&dir.join("feedback.md"), &feedback::render(name, report))?;
    write_atomically(&dir.join(REPORT), &(serde_json::to_string_pretty(report)? + "\n"))
}

/// The gradebook and the JUnit file, from every student graded so far (this run or before).
fn write_class_files(out: &Path, students: &[(String, PathBuf)]) -> Result<()> {
    let mut reports = BTreeMap::new();
    for (name, _) in students {
        let path = out.join(name).join(REPORT);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let report: Report =
            serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
        reports.insert(name.clone(), report);
    }
    write_atomically(&out.join("gradebook.csv"), &gradebook::render(&reports))?;
    write_atomically(&out.join("junit.xml"), &junit::render(&reports))
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`, so that `path`
/// only ever holds a complete file, even if the run is killed halfway.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}
