//! The Gradescope package grades a sample submission in a folder laid out like `/autograder`.

use std::process::Command;

use crate::common::{one_at_a_time, workspace};

#[test]
fn the_gradescope_package_grades_a_sample_submission() {
    let ws = workspace();
    let root = ws.scratch().join("test-gradescope");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let zip_path = root.join("autograder.zip");
    let names = grader::package::package(&ws, &zip_path).unwrap();
    for wanted in ["setup.sh", "run_autograder", "Cargo.toml", "solutions/lab01-neuron/src/lib.rs"] {
        assert!(names.iter().any(|n| n == wanted), "the package has no {wanted}");
    }

    // Gradescope unpacks the zip into /autograder/source and the submission into
    // /autograder/submission; this one submits a correct lab 01 and nothing else.
    let source = root.join("autograder/source");
    let file = std::fs::File::open(&zip_path).unwrap();
    zip::ZipArchive::new(file).unwrap().extract(&source).unwrap();
    let submission = root.join("autograder/submission/lab01-neuron/src");
    std::fs::create_dir_all(&submission).unwrap();
    std::fs::copy(ws.root.join("solutions/lab01-neuron/src/lib.rs"), submission.join("lib.rs")).unwrap();

    let _guard = one_at_a_time();
    let target = ws.probe_target();
    let run = Command::new("bash")
        .arg(source.join("run_autograder"))
        .env("AUTOGRADER_ROOT", root.join("autograder"))
        .env("CARGO_TARGET_DIR", &target)
        .env("NNLAB_PROBE_TARGET", &target)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let results = root.join("autograder/results/results.json");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(json["score"], 20.0, "{json:#}");
    let tests = json["tests"].as_array().unwrap();
    assert!(tests.iter().any(|t| t["name"] == "lab01-neuron: sigmoid" && t["status"] == "passed"));
    assert!(tests.iter().any(|t| t["name"] == "lab02-perceptron: train" && t["status"] == "failed"));
}
