//! A class whose folders try every intake trick: links to the solutions and to a classmate, a
//! file where a folder belongs, labs one folder down or in two places, names that only differ in
//! bytes that are not UTF-8, a name that is a spreadsheet formula, and an `--out` inside the
//! submissions. Each is graded for what it holds, no student's grade depends on another's, and
//! results cut short by a crash are graded again.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

use grader::grade::{Grader, Options};
use grader::instructor::class::grade_class;
use grader::report::Report;

use crate::common::{SEED, class_options, one_at_a_time, outputs, workspace};

const LAB: &str = "lab01-neuron";

/// Copies the reference of lab 01 to `dir/src`.
fn reference_lab01(dir: &Path) {
    let from = workspace().root.join("solutions").join(LAB).join("src");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("src").join(entry.file_name())).unwrap();
    }
}

fn report(out: &Path, name: &str) -> Report {
    serde_json::from_str(&std::fs::read_to_string(out.join(name).join("report.json")).unwrap()).unwrap()
}

fn lab01(report: &Report) -> f64 {
    report.labs.iter().find(|l| l.lab == LAB).unwrap().score()
}

#[test]
fn a_class_of_intake_tricks_is_graded_for_what_it_holds() {
    let ws = workspace();
    let root = ws.scratch().join("test-intake-class");
    let _ = std::fs::remove_dir_all(&root);
    let (class, out) = (root.join("class"), root.join("out"));
    let full = f64::from(ws.fixture(LAB).unwrap().exercises.iter().map(|e| e.points).sum::<u32>());
    assert_eq!(full, 20.0);

    reference_lab01(&class.join("honest").join(LAB));
    std::fs::create_dir_all(class.join("linked").join(LAB)).unwrap();
    symlink(ws.root.join("solutions").join(LAB).join("src"), class.join("linked").join(LAB).join("src"))
        .unwrap();
    symlink(class.join("honest"), class.join("alias")).unwrap();
    std::fs::write(class.join("frank"), "my labs are on my laptop\n").unwrap();
    reference_lab01(&class.join("nested/my-repo/labs").join(LAB));
    reference_lab01(&class.join("twice").join(LAB));
    reference_lab01(&class.join("twice/labs").join(LAB));
    // One student with lab 01, the other with nothing: merged, they would share one grade.
    reference_lab01(&class.join(OsStr::from_bytes(b"caf\xE9")).join(LAB));
    std::fs::create_dir_all(class.join(OsStr::from_bytes(b"caf\xFF"))).unwrap();
    reference_lab01(&class.join("=HYPERLINK(\"x\")").join(LAB));

    let _guard = one_at_a_time();
    let opts = Options { timeout: Duration::from_secs(60), ..Options::with_seed(SEED) };
    let grader = Grader::new(&ws, opts).unwrap();
    let class_opts = class_options();

    // An --out inside the submissions is refused, by the library and by the command line before
    // it builds anything, and nothing is written there.
    let inside = class.join("results");
    let err = grade_class(&grader, &class, &inside, &class_opts).unwrap_err();
    assert!(err.to_string().contains("inside the submissions folder"), "{err}");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(["grade", "--seed", "5", "--out"])
        .arg(&inside)
        .arg(&class)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert_eq!(cli.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("inside the submissions folder"), "{stderr}");
    assert!(!stderr.contains("building"), "it built before refusing: {stderr}");
    assert!(!inside.exists());

    let summary = grade_class(&grader, &class, &out, &class_opts).unwrap();
    let names =
        ["=HYPERLINK(\"x\")", "alias", "caf%E9", "caf%FF", "frank", "honest", "linked", "nested", "twice"];
    assert_eq!(summary.graded, names.len());
    assert_eq!((summary.not_folders, summary.refused_files, summary.layout_problems), (2, 0, 4));
    assert_eq!((summary.skipped, summary.failed_to_compile), (0, 0));

    let want: BTreeMap<&str, (f64, Vec<String>)> = BTreeMap::from([
        ("=HYPERLINK(\"x\")", (full, vec![])),
        (
            "alias",
            (0.0, vec!["alias is a link, and the grader does not follow links: submit the folder itself".into()]),
        ),
        ("caf%E9", (full, vec![])),
        (
            "caf%FF",
            (
                0.0,
                vec![
                    "no labs found: the grader looks for <lab>/src or labs/<lab>/src (for example \
                     labs/lab01-neuron/src) in the folder you submit"
                        .into(),
                ],
            ),
        ),
        ("frank", (0.0, vec!["frank is a file, not a folder: submit the folder that holds your labs".into()])),
        ("honest", (full, vec![])),
        (
            "linked",
            (
                0.0,
                vec![
                    "lab01-neuron was not graded: lab01-neuron/src is a link, and the grader does not follow \
                     links: submit the files themselves"
                        .into(),
                ],
            ),
        ),
        (
            "nested",
            (
                full,
                vec![
                    "found your labs one folder down, in my-repo/; next time submit the folder that holds labs/"
                        .into(),
                ],
            ),
        ),
        (
            "twice",
            (
                0.0,
                vec![
                    "lab01-neuron was not graded: it is in your folder 2 times, at lab01-neuron/src and \
                     labs/lab01-neuron/src: the grader does not guess which one is your work; keep one"
                        .into(),
                ],
            ),
        ),
    ]);
    for (name, (score, notes)) in &want {
        let report = report(&out, name);
        assert_eq!((lab01(&report), report.score()), (*score, *score), "{name}");
        assert_eq!(&report.notes, notes, "{name}");
        for file in ["results.json", "feedback.md"] {
            assert!(out.join(name).join(file).is_file(), "{name}: no {file}");
        }
        let results = std::fs::read_to_string(out.join(name).join("results.json")).unwrap();
        let output: serde_json::Value = serde_json::from_str(&results).unwrap();
        for note in notes {
            assert!(output["output"].as_str().unwrap().contains(note.as_str()), "{name}: {results}");
        }
    }
    let linked = report(&out, "linked");
    let lab = linked.labs.iter().find(|l| l.lab == LAB).unwrap();
    assert!(lab.not_graded.is_some() && lab.compile_error.is_none(), "{lab:?}");
    for (name, (_, notes)) in &want {
        for note in notes {
            let shown = if name.starts_with('c') {
                name.replace("%E9", "\\xE9").replace("%FF", "\\xFF")
            } else {
                name.to_string()
            };
            assert!(summary.messages.contains(&format!("{shown}: {note}")), "{:?}", summary.messages);
        }
    }
    let feedback = std::fs::read_to_string(out.join("=HYPERLINK(\"x\")").join("feedback.md")).unwrap();
    assert!(feedback.starts_with("# nnlab feedback — `=HYPERLINK(\"x\")`\n"), "{feedback}");

    // The gradebook: one row per student, the formula neutralised, lab 01 and the total.
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let rows: Vec<&str> = gradebook.lines().collect();
    assert_eq!(rows[0].split(',').next(), Some("student"));
    assert_eq!(rows[0].split(',').nth(1), Some(LAB));
    assert_eq!(rows.len(), names.len() + 1, "{gradebook}");
    let cells: Vec<String> = want
        .iter()
        .map(|(name, (score, _))| {
            let cell = if name.starts_with('=') {
                "\"'=HYPERLINK(\"\"x\"\")\"".to_string()
            } else {
                name.to_string()
            };
            format!("{cell},{score:.2},")
        })
        .collect();
    for (row, start) in rows[1..].iter().zip(&cells) {
        assert!(row.starts_with(start.as_str()), "{row} should start with {start}");
    }
    for (row, (_, (score, _))) in rows[1..].iter().zip(&want) {
        let total: Vec<&str> = row.rsplitn(3, ',').collect();
        assert_eq!(total[1], format!("{score:.2}"), "{row}");
    }

    // The honest student's grade does not depend on the classmates: alone, the same report.
    let alone_class = root.join("alone/class");
    let alone_out = root.join("alone/out");
    reference_lab01(&alone_class.join("honest").join(LAB));
    let alone = grade_class(&grader, &alone_class, &alone_out, &class_opts).unwrap();
    assert_eq!(alone.graded, 1);
    for file in ["report.json", "results.json", "feedback.md"] {
        assert_eq!(
            std::fs::read(alone_out.join("honest").join(file)).unwrap(),
            std::fs::read(out.join("honest").join(file)).unwrap(),
            "{file}"
        );
    }

    // Results cut short (a crash, a full disk) are graded again; the run succeeds, and everything
    // it writes is what it wrote before.
    let before = outputs(&out);
    let cut = |path: PathBuf| {
        let text = std::fs::read(&path).unwrap();
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    };
    cut(out.join("honest/report.json"));
    cut(out.join("nested/results.json"));
    let rerun = grade_class(&grader, &class, &out, &class_opts).unwrap();
    assert_eq!((rerun.graded, rerun.skipped), (2, names.len() - 2));
    assert_eq!(outputs(&out), before);
}
