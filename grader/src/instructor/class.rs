//! Grading a whole class: every folder under the submissions folder is one student. Each student's
//! labs are taken in (copied, see [`crate::intake`]), their probes built a batch of students per
//! cargo invocation (cargo compiles their crates in parallel), then the students of the batch are
//! graded in parallel, and each student's results are written the moment they are known,
//! atomically. A run that is interrupted resumes where it stopped: a student whose three files
//! exist and parse is skipped (unless `force`); anything less is graded again.
//!
//! Names. A student is known by the name of their folder, which the file system gives as bytes.
//! The outputs (`OUT/<name>/`, the gradebook's row) use the name as it is when it is UTF-8; a
//! name that is not gets its bytes that are not UTF-8 written `%XX` and its `%` written `%25`
//! (percent-encoding, so two such names never get the same output name). The scratch key (folder
//! and package names, letters, digits and `-`) is a readable prefix and a 64-bit hash of the raw
//! bytes. Both are checked across the class: two folders that would share a key or an output name
//! are both left ungraded and reported, never merged into one student.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nnlab_check::verdict::Status;

use super::atomic::write_atomically;
use super::insight;
use super::lms;
use super::roster::Roster;
use crate::cases::fnv1a_bytes;
use crate::compile::Submission;
use crate::grade::Grader;
use crate::intake::{Intake, printable};
use crate::report::gradescope::{self, Settings};
use crate::report::{Report, feedback, gradebook, junit};

/// How progress is shown on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A bar that redraws itself: for a terminal.
    Bar,
    /// One line per step: for a log file or CI.
    Lines,
    /// Nothing.
    Quiet,
}

/// How to grade a class.
#[derive(Clone, Debug)]
pub struct ClassOptions {
    /// Regrade students who already have results.
    pub force: bool,
    /// Students graded at the same time.
    pub jobs: usize,
    /// Students whose probes are built by one cargo invocation.
    pub batch: usize,
    /// How progress is shown.
    pub progress: Progress,
    /// The roster, for the Canvas and Moodle exports.
    pub roster: Option<Roster>,
    /// What the students' results.json files show, and when.
    pub gradescope: Settings,
    /// The similarity from which the class report lists a pair (0 to 1).
    pub similarity_threshold: f64,
}

/// What a class run did. Counts are over the whole class in OUT: students graded in this run
/// and those graded before, whose results a resumed run keeps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Students with results in OUT.
    pub students: usize,
    /// Students graded in this run.
    pub graded: usize,
    /// Students skipped because they already had results.
    pub skipped: usize,
    /// Students with at least one submitted lab that did not compile.
    pub failed_to_compile: usize,
    /// Students with at least one exercise that ran out of time.
    pub timed_out: usize,
    /// Students whose entry is not a folder (a link, a file): a row of zeros.
    pub not_folders: usize,
    /// Files and folders refused at intake (links, special files, over a limit).
    pub refused_files: usize,
    /// Students whose labs were not where they belong (one folder down, a lab at two places, no
    /// labs at all, a link where a lab belongs).
    pub layout_problems: usize,
    /// What the instructor must look at, one line each: entries left ungraded (names that clash),
    /// every student's intake notes as `name: note`, and the roster's mismatches.
    pub messages: Vec<String>,
}

/// The files of a graded student; `report.json` is written last.
const FILES: [&str; 3] = ["results.json", "feedback.md", "report.json"];
const REPORT: &str = "report.json";
/// The run's settings, kept so that a rerun or a resumed run grades with the same seed.
pub const RUN: &str = "run.json";
/// Cargo's output, appended by every build of the run.
pub const CARGO_LOG: &str = "cargo.log";
/// The class-wide files in OUT, which no student's folder may be named like.
const CLASS_FILES: [&str; 7] =
    ["gradebook.csv", "junit.xml", "canvas.csv", "moodle.csv", RUN, CARGO_LOG, insight::DIR];

/// What OUT/run.json holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Run {
    seed: u64,
}

/// Where a class run's seed came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedFrom {
    /// OUT/run.json, from an earlier run.
    Kept,
    /// `--seed`.
    Given,
    /// Drawn for this run.
    Drawn,
}

/// The seed of a class run into `out`: the one kept in OUT/run.json, so that reruns, resumed runs
/// and `--force` grade every student with the same hidden cases; or, for a first run or with
/// `new_seed`, `requested` or a fresh one. A `requested` seed that differs from the kept one is
/// refused without `new_seed`, which regrades everyone (one class, one seed).
pub fn run_seed(out: &Path, requested: Option<u64>, new_seed: bool) -> Result<(u64, SeedFrom)> {
    let path = out.join(RUN);
    let kept = match std::fs::read_to_string(&path) {
        Ok(text) => Some(
            serde_json::from_str::<Run>(&text)
                .with_context(|| {
                    format!("{} is damaged: remove it, or grade with --new-seed", path.display())
                })?
                .seed,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok(match (kept, requested, new_seed) {
        (_, Some(seed), true) => (seed, SeedFrom::Given),
        (_, None, true) => (rand::random(), SeedFrom::Drawn),
        (Some(kept), Some(seed), false) if kept != seed => bail!(
            "{} was graded with seed {kept}; grade it again without --seed, or add --new-seed to \
             regrade every student with seed {seed}",
            out.display()
        ),
        (Some(kept), _, false) => (kept, SeedFrom::Kept),
        (None, Some(seed), false) => (seed, SeedFrom::Given),
        (None, None, false) => (rand::random(), SeedFrom::Drawn),
    })
}

/// One entry of the submissions folder.
#[derive(Clone, Debug)]
pub struct Student {
    /// The entry's name, as the file system has it.
    pub raw: OsString,
    /// The name in the outputs (see the module's documentation).
    pub name: String,
    /// The scratch key: letters, digits and `-`.
    pub key: String,
    /// Its path.
    pub path: PathBuf,
    /// Why it is graded as submitting nothing (it is a link, a file, …), if so.
    pub not_folder: Option<String>,
}

/// The entries of a submissions folder.
#[derive(Clone, Debug, Default)]
pub struct Roll {
    /// The students to grade, by output name.
    pub students: Vec<Student>,
    /// Entries left ungraded because they clash with another, one message per clash.
    pub clashes: Vec<String>,
}

/// Grades every student folder under `submissions` into `out` with the grader's seed (see
/// [`run_seed`]), then writes the class-wide files.
pub fn grade_class(
    grader: &Grader<'_>,
    submissions: &Path,
    out: &Path,
    opts: &ClassOptions,
) -> Result<Summary> {
    check_out(submissions, out)?;
    let roll = students(submissions)?;
    if roll.students.is_empty() && roll.clashes.is_empty() {
        bail!("{} holds no student folders", submissions.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    // Before any student is graded: a run killed now resumes with the same seed.
    write_atomically(&out.join(RUN), &(serde_json::to_string_pretty(&Run { seed: grader.seed() })? + "\n"))?;
    let pending: Vec<&Student> =
        roll.students.iter().filter(|s| opts.force || !is_graded(&out.join(&s.name))).collect();
    let skipped = roll.students.len() - pending.len();

    let bar = ProgressBar::with_draw_target(
        Some(pending.len() as u64),
        if opts.progress == Progress::Bar {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} students  {msg}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let say = |line: String| {
        if opts.progress == Progress::Lines {
            eprintln!("{line}");
        }
        bar.set_message(line);
    };
    let done = AtomicUsize::new(0);
    let seconds: Mutex<BTreeMap<String, f64>> = Mutex::default();
    let batches = pending.len().div_ceil(opts.batch.max(1));
    for (b, chunk) in pending.chunks(opts.batch.max(1)).enumerate() {
        say(format!("batch {} of {batches}: taking in {} submissions", b + 1, chunk.len()));
        let intakes: Vec<Intake> = chunk
            .iter()
            .map(|s| match &s.not_folder {
                Some(why) => Ok(Intake::refused(why.clone())),
                None => grader.take_in(&s.path, &s.key),
            })
            .collect::<Result<_>>()?;
        let subs: Vec<Submission> = chunk
            .iter()
            .zip(&intakes)
            .map(|(s, intake)| Submission { key: s.key.clone(), labs: intake.labs.clone() })
            .collect();
        say(format!("batch {} of {batches}: building {} submissions", b + 1, chunk.len()));
        let mut built = grader.build("class", &subs)?;
        say(format!("batch {} of {batches}: grading", b + 1));
        let next = AtomicUsize::new(0);
        let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..opts.jobs.max(1) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let (Some(student), Some(intake)) = (chunk.get(i), intakes.get(i)) else { break };
                        let name = &student.name;
                        let probes = built.get(&student.key).cloned().unwrap_or_default();
                        let started = std::time::Instant::now();
                        let graded =
                            grader.grade(name, grader.seed_for(name), &probes, intake).and_then(|report| {
                                write_student(out, name, &report, intake, &opts.gradescope).map(|()| report)
                            });
                        let took = started.elapsed().as_secs_f64();
                        seconds.lock().expect("no panics while recording").insert(name.clone(), took);
                        match graded {
                            Ok(report) => {
                                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                                if opts.progress == Progress::Lines {
                                    eprintln!(
                                        "graded {n} of {}: {} ({:.2} of {:.2} points)",
                                        pending.len(),
                                        printable(Path::new(&student.raw)),
                                        report.score(),
                                        report.max_score()
                                    );
                                }
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
    let (reports, problems) = read_reports(out, &roll.students);
    let mut summary = Summary {
        students: reports.len(),
        graded: done.into_inner(),
        skipped,
        messages: roll.clashes.clone(),
        ..Summary::default()
    };
    for (student, report) in roll.students.iter().filter_map(|s| Some((s, reports.get(&s.name)?))) {
        count(&mut summary, student, report);
    }
    summary.messages.extend(problems);
    if let Some(roster) = &opts.roster {
        let (unlisted, absent) = roster.unmatched(reports.keys());
        if !unlisted.is_empty() {
            summary.messages.push(format!(
                "roster: {} graded folders have no roster entry and are left out of canvas.csv and \
                 moodle.csv: {}",
                unlisted.len(),
                unlisted.join(", ")
            ));
        }
        if !absent.is_empty() {
            summary.messages.push(format!(
                "roster: {} roster entries have no graded submission: {}",
                absent.len(),
                absent.join(", ")
            ));
        }
    }
    write_class_files(out, &reports, opts.roster.as_ref())?;
    say("writing the class report".into());
    let seconds = seconds.into_inner().expect("threads are done");
    insight::write(grader.workspace(), out, &reports, grader.seed(), &seconds, opts.similarity_threshold)?;
    Ok(summary)
}

fn count(summary: &mut Summary, student: &Student, report: &Report) {
    summary.failed_to_compile += usize::from(report.labs.iter().any(|l| l.build_failure().is_some()));
    summary.timed_out +=
        usize::from(report.labs.iter().flat_map(|l| &l.exercises).any(|e| e.status == Status::TimedOut));
    summary.not_folders += usize::from(report.intake.not_folder);
    summary.refused_files += report.intake.refused_files;
    summary.layout_problems += usize::from(report.intake.misplaced);
    let shown = printable(Path::new(&student.raw));
    summary.messages.extend(report.notes.iter().map(|note| format!("{shown}: {note}")));
}

/// Refuses an `out` that is the submissions folder, inside it (its outputs would be graded as a
/// student next time) or holds it. `out` need not exist yet: its nearest existing ancestor is
/// resolved, links and all, and the rest appended.
pub fn check_out(submissions: &Path, out: &Path) -> Result<()> {
    let subs = submissions.canonicalize().with_context(|| format!("no folder {}", submissions.display()))?;
    let resolved = resolve(out)?;
    if resolved.starts_with(&subs) || subs.starts_with(&resolved) {
        bail!(
            "--out {} is {} the submissions folder {}: choose a folder outside it, or its results \
             would be graded as a student's work",
            out.display(),
            if resolved == subs {
                "the same folder as"
            } else if resolved.starts_with(&subs) {
                "inside"
            } else {
                "a folder holding"
            },
            submissions.display()
        );
    }
    Ok(())
}

/// `path` made absolute with every link resolved, as far as it exists.
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let components: Vec<Component> = absolute.components().collect();
    for existing in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..existing].iter().collect();
        let Ok(mut resolved) = prefix.canonicalize() else { continue };
        for component in &components[existing..] {
            match component {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                _ => {}
            }
        }
        return Ok(resolved);
    }
    bail!("cannot resolve {}", path.display())
}

/// The entries of the submissions folder `dir` (those whose name starts with `.` are ignored),
/// with their output names and keys, those that clash set apart.
pub fn students(dir: &Path) -> Result<Roll> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let raw = entry.file_name();
        if raw.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        // The entry's own type: a link to a folder is a link, not a folder.
        let kind = entry.file_type()?;
        let shown = printable(Path::new(&raw));
        let not_folder = if kind.is_dir() {
            None
        } else if kind.is_symlink() {
            Some(format!("{shown} is a link, and the grader does not follow links: submit the folder itself"))
        } else if kind.is_file() {
            Some(format!("{shown} is a file, not a folder: submit the folder that holds your labs"))
        } else {
            Some(format!("{shown} is neither a folder nor a file: submit the folder that holds your labs"))
        };
        found.push(Student { name: output_name(&raw), key: key(&raw), path: entry.path(), raw, not_folder });
    }
    found.sort_by(|a, b| a.raw.cmp(&b.raw));
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in found.iter().enumerate() {
        by_name.entry(s.name.clone()).or_default().push(i);
        by_key.entry(s.key.clone()).or_default().push(i);
    }
    let mut clashing = vec![false; found.len()];
    let mut clashes = Vec::new();
    let shown = |i: &usize| format!("{:?}", found[*i].raw);
    for (what, groups) in [("output name", &by_name), ("scratch key", &by_key)] {
        for (value, group) in groups.iter().filter(|(_, g)| g.len() > 1) {
            let names: Vec<String> = group.iter().map(shown).collect();
            clashes.push(format!(
                "{} would share the {what} {value:?}: none of them is graded; rename all but one",
                names.join(" and ")
            ));
            group.iter().for_each(|&i| clashing[i] = true);
        }
    }
    for (i, s) in found.iter().enumerate() {
        if CLASS_FILES.contains(&s.name.as_str()) {
            clashes.push(format!(
                "{} is named like the class file OUT/{}: it is not graded; rename it",
                shown(&i),
                s.name
            ));
            clashing[i] = true;
        }
    }
    let students = found.into_iter().zip(clashing).filter(|(_, clash)| !clash).map(|(s, _)| s).collect();
    Ok(Roll { students, clashes })
}

/// The output name of a folder called `raw`: itself when it is UTF-8; else percent-encoded, its
/// bytes that are not UTF-8 as `%XX` and `%` as `%25`, so that it decodes back to `raw` and no two
/// such names share one.
pub fn output_name(raw: &OsStr) -> String {
    if let Some(name) = raw.to_str() {
        return name.to_string();
    }
    let mut out = String::new();
    for chunk in raw.as_encoded_bytes().utf8_chunks() {
        out.push_str(&chunk.valid().replace('%', "%25"));
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The scratch key of a folder called `raw`: a readable prefix of the name and a 64-bit hash of
/// all of its bytes (collisions are checked for all the same, see [`students`]).
pub fn key(raw: &OsStr) -> String {
    let readable: String = raw
        .as_encoded_bytes()
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .take(24)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect();
    format!("s-{readable}-{:016x}", fnv1a_bytes(raw.as_encoded_bytes()))
}

/// Whether the student whose outputs go to `dir` is completely graded: all three files there,
/// and the two JSON files parse (a file cut short by a crash or a full disk is graded again).
fn is_graded(dir: &Path) -> bool {
    let parses = |file: &str, check: fn(&str) -> bool| {
        std::fs::read_to_string(dir.join(file)).is_ok_and(|text| check(&text))
    };
    FILES.iter().all(|f| dir.join(f).is_file())
        && parses(REPORT, |t| serde_json::from_str::<Report>(t).is_ok())
        && parses("results.json", |t| serde_json::from_str::<serde_json::Value>(t).is_ok())
}

/// Writes a student's three files, the report (the "graded" mark) last.
fn write_student(
    out: &Path,
    name: &str,
    report: &Report,
    intake: &Intake,
    gradescope: &Settings,
) -> Result<()> {
    let dir = out.join(name);
    std::fs::create_dir_all(&dir)?;
    // For the class report's similarity: the code as it was taken in.
    let code: insight::Code =
        intake.labs.iter().map(|lab| (lab.lab.clone(), insight::read_lab_code(&lab.src))).collect();
    write_atomically(&dir.join(insight::CODE), &(serde_json::to_string(&code)? + "\n"))?;
    let results = serde_json::to_string_pretty(&gradescope::results_with(report, gradescope))? + "\n";
    write_atomically(&dir.join("results.json"), &results)?;
    write_atomically(&dir.join("feedback.md"), &feedback::render(name, report))?;
    write_atomically(&dir.join(REPORT), &(serde_json::to_string_pretty(report)? + "\n"))
}

/// The reports of every student graded so far (this run or before), by output name. A report
/// that cannot be read is left out and named in the returned messages; it never fails the run
/// (the next run grades that student again).
fn read_reports(out: &Path, students: &[Student]) -> (BTreeMap<String, Report>, Vec<String>) {
    let mut reports = BTreeMap::new();
    let mut problems = Vec::new();
    for student in students {
        let path = out.join(&student.name).join(REPORT);
        let read = std::fs::read_to_string(&path)
            .map_err(anyhow::Error::from)
            .and_then(|text| Ok(serde_json::from_str::<Report>(&text)?));
        match read {
            Ok(report) => {
                reports.insert(student.name.clone(), report);
            }
            Err(e) => problems.push(format!(
                "{}: left out of the class files, {} cannot be read ({e}); run again to regrade",
                printable(Path::new(&student.raw)),
                path.display()
            )),
        }
    }
    (reports, problems)
}

/// The class-wide files: the gradebook and JUnit XML, and with a roster the Canvas and Moodle
/// imports.
fn write_class_files(out: &Path, reports: &BTreeMap<String, Report>, roster: Option<&Roster>) -> Result<()> {
    write_atomically(&out.join("gradebook.csv"), &gradebook::render(reports))?;
    write_atomically(&out.join("junit.xml"), &junit::render(reports))?;
    if let Some(roster) = roster {
        write_atomically(&out.join("canvas.csv"), &lms::canvas(reports, roster))?;
        write_atomically(&out.join("moodle.csv"), &lms::moodle(reports, roster))?;
    }
    Ok(())
}

// Unix only: the cases are links and names that are not UTF-8.
#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;

    use super::*;
    use crate::workspace::Workspace;

    fn fresh(name: &str) -> PathBuf {
        let dir = Workspace::locate(None).unwrap().scratch().join("test-class-unit").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn os(bytes: &[u8]) -> &OsStr {
        OsStr::from_bytes(bytes)
    }

    #[test]
    fn output_names_of_names_that_are_not_utf8_are_percent_encoded() {
        assert_eq!(output_name(os(b"alice")), "alice");
        assert_eq!(output_name(os(b"50%")), "50%", "a UTF-8 name is kept as it is");
        assert_eq!(output_name(os(b"caf\xE9")), "caf%E9");
        assert_eq!(output_name(os(b"caf\xFF")), "caf%FF");
        assert_eq!(output_name(os(b"50%\xFF")), "50%25%FF");
        // Lossy conversion would make these one student.
        assert_eq!(os(b"caf\xE9").to_string_lossy(), os(b"caf\xFF").to_string_lossy());
    }

    #[test]
    fn keys_are_tame_and_come_from_all_the_bytes() {
        let (a, b) = (key(os(b"caf\xE9")), key(os(b"caf\xFF")));
        assert_ne!(a, b);
        for k in [&a, &b, &key(os(b"=HYPERLINK(\"x\")")), &key(os(b"../../etc"))] {
            assert!(k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{k}");
        }
        assert!(a.starts_with("s-caf-") && a.len() == "s-caf-".len() + 16, "{a}");
    }

    #[test]
    fn entries_that_clash_are_all_set_apart_and_the_rest_kept() {
        let dir = fresh("roll");
        for name in [&b"caf\xE9"[..], b"caf\xFF", b"caf%FF", b"gradebook.csv", b"bob", b".hidden"] {
            std::fs::create_dir(dir.join(os(name))).unwrap();
        }
        std::fs::write(dir.join("carol"), "a file").unwrap();
        symlink(dir.join("bob"), dir.join("dave")).unwrap();
        let roll = students(&dir).unwrap();
        let names: Vec<&str> = roll.students.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["bob", "caf%E9", "carol", "dave"]);
        assert_eq!(
            roll.clashes,
            [
                "\"caf%FF\" and \"caf\\xFF\" would share the output name \"caf%FF\": none of them is graded; \
                 rename all but one",
                "\"gradebook.csv\" is named like the class file OUT/gradebook.csv: it is not graded; rename it",
            ]
        );
        let why = |name: &str| roll.students.iter().find(|s| s.name == name).unwrap().not_folder.clone();
        assert_eq!(why("bob"), None);
        assert!(why("carol").unwrap().contains("is a file"));
        assert!(why("dave").unwrap().contains("is a link"));
    }

    #[test]
    fn out_may_not_be_inside_the_submissions_or_hold_them() {
        let root = fresh("out");
        let subs = root.join("class");
        std::fs::create_dir_all(subs.join("alice")).unwrap();
        symlink(&subs, root.join("link-to-class")).unwrap();
        for bad in [
            subs.clone(),
            subs.join("out"),
            subs.join("not/yet/there"),
            root.join("elsewhere/../class/out"),
            root.join("link-to-class/out"),
            root.clone(),
        ] {
            let err = check_out(&subs, &bad).expect_err(&bad.display().to_string());
            assert!(err.to_string().contains("the submissions folder"), "{err}");
        }
        for good in [root.join("out"), root.join("class-out"), root.join("new/../out")] {
            check_out(&subs, &good).unwrap_or_else(|e| panic!("{}: {e}", good.display()));
        }
    }

    #[test]
    fn a_student_is_graded_only_with_all_three_files_whole() {
        let dir = fresh("graded");
        let report = Report {
            graded: "x".into(),
            seed: 1,
            hidden: false,
            labs: vec![],
            notes: vec![],
            intake: Default::default(),
            protections: vec![],
        };
        write_student(&dir, "x", &report, &Intake::default(), &Settings::default()).unwrap();
        assert!(is_graded(&dir.join("x")));
        for file in FILES {
            let path = dir.join("x").join(file);
            let whole = std::fs::read_to_string(&path).unwrap();
            if file.ends_with(".json") {
                std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
                assert!(!is_graded(&dir.join("x")), "{file} cut short");
            }
            std::fs::remove_file(&path).unwrap();
            assert!(!is_graded(&dir.join("x")), "{file} missing");
            std::fs::write(&path, whole).unwrap();
            assert!(is_graded(&dir.join("x")));
        }
    }
}
