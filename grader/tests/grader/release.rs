//! The student edition builds on its own, holds nothing computed from the reference, and its
//! grader grades the public cases.

use std::process::Command;

use crate::common::{one_at_a_time, workspace};

#[test]
fn the_student_edition_builds_and_grades_the_public_cases() {
    let ws = workspace();
    let out = ws.scratch().join("test-release");
    let _ = std::fs::remove_dir_all(&out);
    let written = grader::release::release(&ws, &out).unwrap();
    for path in &written {
        let text = path.display().to_string();
        assert!(
            !text.starts_with("solutions")
                && !text.starts_with("grader/src/hidden/")
                && !text.contains("snapshots"),
            "{text} must not be released"
        );
    }
    assert!(!out.join("solutions").exists() && !out.join("fixtures/submissions").exists());
    let hidden = std::fs::read_to_string(out.join("grader/src/hidden.rs")).unwrap();
    assert!(!hidden.contains("mod lab01"), "the hidden-case generators were released");

    // The book a student builds has every file its book.toml names (the formulas' script and
    // style) and the KaTeX copy that script loads.
    let book_toml = std::fs::read_to_string(out.join("book/book.toml")).unwrap();
    let named = book_toml
        .lines()
        .filter(|l| l.starts_with("additional-"))
        .flat_map(|l| l.split('"').skip(1).step_by(2));
    for file in named.chain(["src/katex/katex.min.js", "src/katex/katex.min.css"]) {
        assert!(out.join("book").join(file).is_file(), "the student edition's book lacks {file}");
    }

    // Build and run it as a student would, sharing compiled dependencies with this workbook.
    let _guard = one_at_a_time();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = ws.probe_target();
    let run = Command::new(&cargo)
        .args(["run", "-q", "-p", "grader", "--", "--seed", "1"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .env("NNLAB_PROBE_TARGET", &target)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{report}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.contains("public cases only"), "{report}");
    assert!(report.contains("not implemented yet"), "{report}");
    assert!(report.lines().last().unwrap().contains("0.00 /"), "{report}");

    // Its public tests run, and say what is missing.
    let test = Command::new(&cargo)
        .args(["test", "-q", "-p", "lab01-neuron"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&test.stdout);
    assert!(!test.status.success() && shown.contains("not implemented yet"), "{shown}");
}
