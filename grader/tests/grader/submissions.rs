//! Known-wrong submissions (`fixtures/submissions/<lab>/<name>.yaml`): the reference with the
//! edits a student's typical mistake makes. Each must score what the spec says, and its report is
//! snapshotted so that a change in what students read is a reviewed diff.

use std::path::{Path, PathBuf};

use grader::report::text;
use serde::Deserialize;

use crate::common::{grade, workspace};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    /// The lab the edits apply to.
    lab: String,
    /// The mistake, as a student would make it (shown in the snapshot's header).
    mistake: String,
    /// The total the submission must score.
    score: f64,
    /// Find/replace edits of the reference's `src/lib.rs`; each `find` must occur exactly once.
    edits: Vec<Edit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    find: String,
    replace: String,
}

/// Writes the submission folder for `spec`: the stubs of every lab, the edited reference for its lab.
fn materialise(name: &str, spec: &Spec) -> PathBuf {
    let ws = workspace();
    let dir = ws.scratch().join("test-submissions").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let mut src =
        std::fs::read_to_string(ws.root.join("solutions").join(&spec.lab).join("src/lib.rs")).unwrap();
    for edit in &spec.edits {
        let n = src.matches(&edit.find).count();
        assert_eq!(n, 1, "{name}: `{}` occurs {n} times in the reference of {}", edit.find, spec.lab);
        src = src.replace(&edit.find, &edit.replace);
    }
    let lab_src = dir.join(&spec.lab).join("src");
    std::fs::create_dir_all(&lab_src).unwrap();
    std::fs::write(lab_src.join("lib.rs"), src).unwrap();
    dir
}

fn specs(root: &Path) -> Vec<(String, Spec)> {
    let mut found = Vec::new();
    for lab in std::fs::read_dir(root.join("fixtures/submissions")).unwrap() {
        for file in std::fs::read_dir(lab.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let spec: Spec =
                serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            found.push((format!("{}-{name}", spec.lab), spec));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn wrong_submissions_score_as_expected() {
    let ws = workspace();
    let specs = specs(&ws.root);
    assert!(specs.len() >= 3, "keep at least three wrong submissions");
    let mut wrong = Vec::new();
    for (name, spec) in specs {
        let dir = materialise(&name, &spec);
        let mut report = grade(&dir);
        // Only the edited lab was submitted; the others report "no src/lib.rs" and are not the point.
        report.labs.retain(|l| l.lab == spec.lab);
        report.graded = format!(
            "fixtures/submissions/{}",
            name.replacen(&format!("{}-", spec.lab), &format!("{}/", spec.lab), 1)
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
}
