//! Known-wrong and hostile submissions (`submissions` of `fixtures/submissions/<lab>.yaml` and of
//! `fixtures/submissions/hostile.yaml`, by name): the reference (or the stub) with the edits a
//! student's typical mistake — or an attack — makes. Each must score what the spec says, and its
//! report is snapshotted so that a change in what students read is a reviewed diff.

use std::path::{Path, PathBuf};

use grader::grade::{Grader, Options};
use grader::instructor::class::grade_class;
use grader::mistakes::{self, Spec};
use grader::report::{Report, text};
use nnlab_check::verdict::Status;

use crate::common::{SEED, class_options, grade, one_at_a_time, outputs, workspace};

/// Writes the submission of `spec` into `dir`: its lab (edited, plus extra files) and its extra
/// labs.
pub(crate) fn materialise(name: &str, spec: &Spec, dir: &Path) {
    let ws = workspace();
    let _ = std::fs::remove_dir_all(dir);
    let src = spec.lib_rs(&ws.root).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    let lab_dir = dir.join(&spec.lab);
    std::fs::create_dir_all(lab_dir.join("src")).unwrap();
    std::fs::write(lab_dir.join("src/lib.rs"), src).unwrap();
    for (path, text) in &spec.files {
        let path = lab_dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    for (path, target) in &spec.links {
        let path = lab_dir.join(path);
        let _ = std::fs::remove_dir_all(&path);
        let _ = std::fs::remove_file(&path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target.replace("{root}", &ws.root.display().to_string()), &path).unwrap();
    }
    for path in &spec.fifos {
        let path = lab_dir.join(path);
        let made = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(made.success(), "mkfifo {}", path.display());
    }
    for lab in &spec.extra_labs {
        let src = std::fs::read_to_string(ws.root.join("solutions").join(lab).join("src/lib.rs")).unwrap();
        std::fs::create_dir_all(dir.join(lab).join("src")).unwrap();
        std::fs::write(dir.join(lab).join("src/lib.rs"), src).unwrap();
    }
}

/// The specs of `fixtures/submissions/hostile.yaml`, or of every other file, named
/// `<lab>-<name>` (hostile ones by their name alone).
pub(crate) fn specs(root: &Path, hostile: bool) -> Vec<(String, Spec)> {
    mistakes::specs_in(root, hostile)
        .unwrap()
        .into_iter()
        .map(|(lab, name, spec)| (if hostile { name } else { format!("{lab}-{name}") }, spec))
        .collect()
}

/// The labs a spec submits, whose scores count.
fn submitted(spec: &Spec) -> Vec<&str> {
    std::iter::once(spec.lab.as_str()).chain(spec.extra_labs.iter().map(String::as_str)).collect()
}

fn scratch(name: &str) -> PathBuf {
    workspace().scratch().join(name)
}

#[test]
fn wrong_submissions_score_as_expected() {
    let ws = workspace();
    let specs = specs(&ws.root, false);
    assert!(specs.len() >= 3, "keep at least three wrong submissions");
    let mut wrong = Vec::new();
    let mut tally = DiagnosisTally::default();
    for (name, spec) in specs {
        let dir = scratch("test-submissions").join(&name);
        materialise(&name, &spec, &dir);
        let mut report = grade(&dir);
        // Only the edited lab was submitted; the others report "no src/lib.rs" and are not the point.
        report.labs.retain(|l| submitted(&spec).contains(&l.lab.as_str()));
        tally.count(&name, &spec, &report);
        report.graded = format!(
            "fixtures/submissions/{}",
            name.replacen(&format!("{}-", spec.lab), &format!("{}.yaml: ", spec.lab), 1)
        );
        let shown = text::render(&report);
        if report.score() != spec.score {
            wrong.push(format!("{name} scored {} instead of {}:\n{shown}", report.score(), spec.score));
        }
        insta::with_settings!({ description => spec.mistake.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(name, shown);
        });
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The figures of the closing note: printed, and held to the goals.
    println!("{tally}");
    assert!(tally.misdiagnosed.is_empty(), "wrong diagnoses:\n{}", tally.misdiagnosed.join("\n"));
    assert!(tally.right * 10 >= tally.expected * 9, "fewer than 90 % diagnosed right:\n{tally}");
}

/// How the corpus was diagnosed: of the failing exercises a catalogued mistake is about, how many
/// were named right; every other diagnosis is a wrong one.
#[derive(Default)]
struct DiagnosisTally {
    /// Failing exercises whose own code holds a catalogued mistake.
    expected: usize,
    /// Of those, diagnosed as that mistake.
    right: usize,
    /// Failing exercises that only call a failing one, and say so first.
    caused: usize,
    /// Other failing exercises.
    failing: usize,
    /// The missed ones, for the message.
    missed: Vec<String>,
    /// Diagnoses that name the wrong mistake, or any mistake where none was made.
    misdiagnosed: Vec<String>,
    /// Failing exercises named by a relation, a changed input or a generated mutant.
    generated: usize,
}

/// Whether a report's `mistake` comes from the relations, the changed inputs or the mutants
/// (`grader/src/grade/diagnose.rs`) rather than from the catalogue.
fn is_generated(mistake: &str) -> bool {
    ["relation: ", "changed input: ", "generated: "].iter().any(|p| mistake.starts_with(p))
}

impl DiagnosisTally {
    fn count(&mut self, name: &str, spec: &Spec, report: &Report) {
        let ws = workspace();
        let own =
            spec.diagnosis.as_ref().map(|_| name.trim_start_matches(&format!("{}-", spec.lab)).to_string());
        let expected = own.or_else(|| spec.diagnosed_as.clone());
        let about: Vec<String> = match &expected {
            Some(mistake) => {
                mistakes::catalogue(&ws)
                    .unwrap()
                    .into_iter()
                    .find(|m| m.lab == spec.lab && &m.name == mistake)
                    .unwrap_or_else(|| panic!("{name}: no catalogued mistake {mistake}"))
                    .diagnosis
                    .exercises
            }
            None => Vec::new(),
        };
        for lab in &report.labs {
            for ex in lab.exercises.iter().filter(|e| e.status == Status::Failed) {
                let at = format!("{name}: {}", ex.name);
                if lab.lab == spec.lab && about.contains(&ex.name) {
                    self.expected += 1;
                    if ex.mistake == expected {
                        self.right += 1;
                    } else {
                        self.missed.push(format!("{at}: {:?}", ex.mistake));
                    }
                } else if ex.cause.is_some() {
                    self.caused += 1;
                } else {
                    self.failing += 1;
                }
                // A relation, a changed input or a generated mutant names no catalogued mistake:
                // counted, and shown in the snapshots, where a wrong one is a reviewed diff.
                let generated = ex.mistake.as_deref().is_some_and(is_generated);
                if generated {
                    self.generated += 1;
                } else if ex.mistake.is_some() && (ex.mistake != expected || !about.contains(&ex.name)) {
                    self.misdiagnosed.push(format!("{at}: diagnosed as {:?}", ex.mistake));
                }
            }
        }
    }
}

impl std::fmt::Display for DiagnosisTally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let share = if self.expected == 0 { 0.0 } else { 100.0 * self.right as f64 / self.expected as f64 };
        writeln!(
            f,
            "diagnosis on the wrong-submission corpus: {} of {} failing exercises that hold a catalogued mistake named right ({share:.0} %), {} wrong diagnoses",
            self.right,
            self.expected,
            self.misdiagnosed.len()
        )?;
        writeln!(
            f,
            "  other failing exercises: {} say first that an exercise they call fails, {} neither; {} named by a relation, a changed input or a generated mistake",
            self.caused, self.failing, self.generated
        )?;
        for missed in &self.missed {
            writeln!(f, "  missed: {missed}")?;
        }
        Ok(())
    }
}

/// The hostile corpus, graded the way an instructor grades a class: one student folder per spec,
/// all built by one cargo invocation and graded in parallel. Each must score exactly what its code
/// earns, and the grader must survive all of them and write every output.
#[test]
fn hostile_submissions_score_what_they_earn_and_the_grader_survives() {
    let ws = workspace();
    let specs = specs(&ws.root, true);
    let class = scratch("test-hostile/class");
    let out = scratch("test-hostile/out");
    let _ = std::fs::remove_dir_all(&out);
    for (name, spec) in &specs {
        materialise(name, spec, &class.join(name));
    }
    let canary = Path::new("/tmp/nnlab-hostile-was-here.txt");
    let _ = std::fs::remove_file(canary);
    let _guard = one_at_a_time();
    // A short compile limit, for the never-ending constant; the honest lab 01 crates of the corpus
    // compile in about a second of CPU time.
    // The budget is what sleeps-under-every-limit runs into (see its spec).
    let opts = Options {
        timeout: std::time::Duration::from_secs(3),
        compile_timeout: std::time::Duration::from_secs(20),
        budget: std::time::Duration::from_secs(14),
        ..Options::with_seed(SEED)
    };
    let grader = Grader::new(&ws, opts).unwrap();
    let class_opts = class_options();
    let summary = grade_class(&grader, &class, &out, &class_opts).unwrap();
    assert_eq!(summary.graded, specs.len());
    assert_nothing_outlives_the_boxes();
    let mut too_big = Vec::new();
    for (name, _) in &specs {
        let size: u64 =
            std::fs::read_dir(out.join(name)).unwrap().map(|f| f.unwrap().metadata().unwrap().len()).sum();
        if size > 1 << 20 {
            too_big.push(format!("{name}: {size} bytes of reports"));
        }
    }
    for file in ["gradebook.csv", "junit.xml"] {
        let size = std::fs::metadata(out.join(file)).unwrap().len();
        assert!(size < (specs.len() as u64) << 20, "{file}: {size} bytes");
    }
    assert!(too_big.is_empty(), "{too_big:?}");
    let artifacts = files_over(&ws.probe_target(), 100 << 20);
    assert!(artifacts.is_empty(), "artifacts over 100 MiB left behind: {artifacts:?}");

    let mut wrong = Vec::new();
    for (name, spec) in &specs {
        let text = std::fs::read_to_string(out.join(name).join("report.json")).unwrap();
        let mut report: Report = serde_json::from_str(&text).unwrap();
        report.labs.retain(|l| submitted(spec).contains(&l.lab.as_str()));
        report.graded = format!("fixtures/submissions/hostile.yaml: {name}");
        let shown = text::render(&report);
        if report.score() != spec.score {
            wrong.push(format!("{name} scored {} instead of {}:\n{shown}", report.score(), spec.score));
        }
        for file in ["results.json", "feedback.md"] {
            assert!(out.join(name).join(file).is_file(), "{name}: no {file}");
        }
        insta::with_settings!({ description => spec.mistake.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(format!("hostile-{name}"), shown);
        });
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(!ws.root.join("nnlab-hostile-was-here.txt").exists(), "a probe wrote into the workbook");
    assert!(!Path::new("/tmp/nnlab-build-script-ran").exists(), "a student's build script ran");
    assert!(
        !canary.exists(),
        "writes-outside wrote outside its run folder: the probe sandbox is not working"
    );

    // The class files cover every student; a rerun skips them all; a student whose results
    // were lost (a run killed before writing them) is graded again, and only that one.
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert_eq!(gradebook.lines().count(), specs.len() + 1, "{gradebook}");
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), specs.len() * ws.labs().unwrap().len());
    let again = grade_class(&grader, &class, &out, &class_opts).unwrap();
    assert_eq!((again.graded, again.skipped), (0, specs.len()));
    std::fs::remove_file(out.join(&specs[0].0).join("report.json")).unwrap();
    let resumed = grade_class(&grader, &class, &out, &class_opts).unwrap();
    assert_eq!((resumed.graded, resumed.skipped), (1, specs.len() - 1));
    assert_eq!(std::fs::read_to_string(out.join("gradebook.csv")).unwrap(), gradebook);
}

/// A class run killed halfway leaves only complete files, and running it again grades exactly the
/// students who were missing, with the same results an uninterrupted run gives.
#[test]
fn a_killed_class_run_resumes_with_nothing_lost() {
    let ws = workspace();
    let root = scratch("test-kill");
    let _ = std::fs::remove_dir_all(&root);
    let (class, out) = (root.join("class"), root.join("out"));
    let specs = specs(&ws.root, false);
    let chosen: Vec<&(String, Spec)> =
        specs.iter().filter(|(_, s)| s.lab == "lab01-neuron").take(4).collect();
    for (name, spec) in &chosen {
        materialise(name, spec, &class.join(name));
    }
    let _guard = one_at_a_time();
    let grade = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_grader"));
        cmd.args(["grade", "--seed", "5", "--timeout", "3", "--jobs", "1", "--batch", "1", "--out"])
            .arg(&out)
            .arg(&class)
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    };
    let graded = || chosen.iter().filter(|(name, _)| out.join(name).join("report.json").is_file()).count();

    let mut run = grade(&[]).spawn().unwrap();
    let started = std::time::Instant::now();
    while graded() == 0 && started.elapsed().as_secs() < 600 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    run.kill().unwrap();
    run.wait().unwrap();
    assert_nothing_outlives_the_boxes();
    let before = graded();
    assert!((1..chosen.len()).contains(&before), "killed after {before} of {} students", chosen.len());
    for (name, _) in &chosen {
        for file in ["results.json", "report.json"] {
            if let Ok(text) = std::fs::read_to_string(out.join(name).join(file)) {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{name}/{file}: {e}"));
            }
        }
    }

    // Resumed without --seed: the run's seed, kept in OUT, is used again.
    let roster = root.join("roster.csv");
    let listed: Vec<&str> = chosen.iter().skip(1).map(|(name, _)| name.as_str()).collect();
    let mut text = "Folder,SIS User ID,Student,Section\n".to_string();
    for (i, name) in listed.iter().enumerate() {
        text += &format!("{name},S{i},\"Student, {name}\",A\n");
    }
    text += "dropped-the-course,S99,Nobody,A\n";
    std::fs::write(&roster, text).unwrap();
    let with_roster = ["--roster", roster.to_str().unwrap()];
    let grade = |extra: &[&str]| {
        let mut cmd = grade(&[]);
        cmd.args(extra);
        cmd
    };
    let unseeded = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_grader"));
        cmd.args(["grade", "--timeout", "3", "--jobs", "1", "--batch", "1", "--out"])
            .arg(&out)
            .arg(&class)
            .args(with_roster)
            .args(extra);
        cmd
    };
    let run = unseeded(&[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("with seed 5 (kept from the earlier run"), "{stderr}");
    assert!(stderr.contains("4 students graded in all"), "the resumed summary covers the class: {stderr}");
    assert!(stderr.contains("roster: 1 graded folders have no roster entry"), "{stderr}");
    assert!(
        stderr.contains("roster: 1 roster entries have no graded submission: dropped-the-course"),
        "{stderr}"
    );
    assert_eq!(graded(), chosen.len());
    let resumed = outputs(&out);
    class_report_agrees_with_the_gradebook(&out, chosen.len());

    // Regraded, twice: every output the same, byte for byte, as the interrupted and resumed run.
    assert!(unseeded(&["--force"]).status().unwrap().success());
    assert_eq!(outputs(&out), resumed, "--force changed an output");
    assert!(unseeded(&["--force"]).status().unwrap().success());
    assert_eq!(outputs(&out), resumed, "a second --force changed an output");
    assert!(grade(&with_roster).status().unwrap().success(), "the same --seed as the kept one is accepted");

    // Another seed for a graded class is refused, before anything is built.
    let other = unseeded(&["--seed", "6"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert_eq!(other.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("was graded with seed 5") && stderr.contains("--new-seed"), "{stderr}");
    assert!(!stderr.contains("building"), "{stderr}");

    // The LMS imports: the roster's three students, with the points of each lab.
    let canvas = std::fs::read_to_string(out.join("canvas.csv")).unwrap();
    let rows: Vec<&str> = canvas.lines().collect();
    assert!(rows[0].starts_with("Student,ID,SIS User ID,SIS Login ID,Section,lab01-neuron,"), "{canvas}");
    assert!(rows[1].starts_with("Points Possible,,,,,20.00,"), "{canvas}");
    assert_eq!(rows.len(), 2 + listed.len(), "{canvas}");
    for (i, name) in listed.iter().enumerate() {
        let start = format!("\"Student, {name}\",,S{i},,A,");
        assert!(rows[2..].iter().any(|row| row.starts_with(&start)), "no row {start}: {canvas}");
    }
    let moodle = std::fs::read_to_string(out.join("moodle.csv")).unwrap();
    assert!(moodle.starts_with("ID number,Email address,Full name,lab01-neuron,"), "{moodle}");
    assert_eq!(moodle.lines().count(), 1 + listed.len(), "{moodle}");
}

/// The class report of `out` (its `students` graded) counts what the gradebook and the students'
/// reports hold: the same students, the same mean and median per lab, a histogram of them all, and
/// per exercise as many named mistakes as the reports name.
fn class_report_agrees_with_the_gradebook(out: &Path, students: usize) {
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("class/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["students"], students);
    assert_eq!(summary["seed"], 5, "the run's seed, not a student's");
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let rows: Vec<Vec<&str>> = gradebook.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), students + 1, "{gradebook}");
    let reports: Vec<grader::report::Report> = rows[1..]
        .iter()
        .map(|row| {
            serde_json::from_str(&std::fs::read_to_string(out.join(row[0]).join("report.json")).unwrap())
                .unwrap()
        })
        .collect();
    for lab in summary["labs"].as_array().unwrap() {
        let name = lab["lab"].as_str().unwrap();
        let column = rows[0].iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}"));
        let submitted: Vec<(usize, f64)> = reports
            .iter()
            .enumerate()
            .filter(|(_, r)| r.labs.iter().any(|l| l.lab == name && !l.not_submitted()))
            .map(|(i, _)| (i, rows[i + 1][column].parse::<f64>().unwrap()))
            .collect();
        assert_eq!(lab["submitted"], submitted.len(), "{name}");
        let histogram: u64 = lab["histogram"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum();
        assert_eq!(histogram as usize, submitted.len(), "{name}: every student in one bin");
        if submitted.is_empty() {
            continue;
        }
        let mean = submitted.iter().map(|(_, s)| s).sum::<f64>() / submitted.len() as f64;
        assert!(
            (lab["scores"]["mean"].as_f64().unwrap() - mean).abs() < 1e-3,
            "{name}: mean {mean} in the gradebook"
        );
        for (e, ex) in lab["exercises"].as_array().unwrap().iter().enumerate() {
            let named = submitted
                .iter()
                .filter(|(i, _)| {
                    reports[*i].labs.iter().find(|l| l.lab == name).unwrap().exercises[e].mistake.is_some()
                })
                .count();
            let counted: usize = ex["mistakes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["students"].as_array().unwrap().len())
                .sum();
            assert_eq!(counted, named, "{name}/{}", ex["name"]);
        }
    }
    let csv = std::fs::read_to_string(out.join("class/exercises.csv")).unwrap();
    let exercises: usize =
        summary["labs"].as_array().unwrap().iter().map(|l| l["exercises"].as_array().unwrap().len()).sum();
    assert_eq!(csv.lines().count(), exercises + 1, "{csv}");
    let page = std::fs::read_to_string(out.join("class/index.html")).unwrap();
    assert!(page.contains(&format!("{students} students graded with seed 5")), "the page says who and how");
    assert!(
        !page.contains("<script") && !page.contains("src=\"http") && !page.contains("href=\"http"),
        "the page is self-contained"
    );
}

/// Files under `dir` larger than `limit` bytes, links not followed.
fn files_over(dir: &Path, limit: u64) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                todo.push(entry.path());
            } else if meta.len() > limit {
                found.push(format!("{} ({} bytes)", entry.path().display(), meta.len()));
            }
        }
    }
    found
}

/// No process runs, and no SysV object exists, under a box's uid once a class run is over (or was
/// killed): the boxes took everything they started with them. The kernel delivers the death
/// signals of a killed run's boxes in a moment, which is waited for.
pub(crate) fn assert_nothing_outlives_the_boxes() {
    let mut left = left_by_the_boxes();
    for _ in 0..100 {
        if left.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        left = left_by_the_boxes();
    }
    assert!(left.is_empty(), "left behind by the boxes: {left:?}");
}

fn left_by_the_boxes() -> Vec<String> {
    let box_uid = |uid: &str| uid.parse::<u32>().is_ok_and(|u| u >= grader::jail::BOX_UIDS);
    let mut left = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let status = std::fs::read_to_string(entry.path().join("status")).unwrap_or_default();
        let uid =
            status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|l| l.split_whitespace().next());
        if uid.is_some_and(box_uid) {
            left.push(format!("process {:?}", entry.file_name()));
        }
    }
    for table in ["shm", "sem", "msg"] {
        let text = std::fs::read_to_string(format!("/proc/sysvipc/{table}")).unwrap_or_default();
        // The owner's uid is the eighth column of shm's and msg's tables, the fifth of sem's.
        let column = if table == "sem" { 4 } else { 7 };
        for line in text.lines().skip(1) {
            if line.split_whitespace().nth(column).is_some_and(box_uid) {
                left.push(format!("SysV {table}: {line}"));
            }
        }
    }
    left
}
