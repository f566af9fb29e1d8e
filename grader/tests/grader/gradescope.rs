//! The Gradescope package, in a folder laid out like `/autograder`: setup.sh's steps (all but
//! installing a toolchain, which this machine has), then run_autograder on submissions laid out
//! as students upload them.

use std::path::Path;
use std::process::Command;

use grader::report::gradescope::{Settings, Visibility};

use crate::common::{one_at_a_time, other_tree_target, workspace};

#[test]
fn the_gradescope_package_sets_up_offline_and_grades_submissions() {
    let ws = workspace();
    let root = ws.scratch().join("test-gradescope");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let zip_path = root.join("autograder.zip");
    let settings = Settings {
        public: Visibility::Visible,
        hidden: Visibility::Hidden,
        stdout: Some(Visibility::Visible),
        leaderboard: true,
    };
    let names = grader::instructor::package::package(&ws, &zip_path, &settings).unwrap();
    for wanted in ["setup.sh", "run_autograder", "Cargo.toml", "solutions/lab01-neuron/src/lib.rs"] {
        assert!(names.iter().any(|n| n == wanted), "the package has no {wanted}");
    }

    // Gradescope unpacks the zip into /autograder/source.
    let autograder = root.join("autograder");
    let source = autograder.join("source");
    let file = std::fs::File::open(&zip_path).unwrap();
    zip::ZipArchive::new(file).unwrap().extract(&source).unwrap();
    let setup = std::fs::read_to_string(source.join("setup.sh")).unwrap();
    let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("--version")
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&rustc.stdout).split_whitespace().nth(1).unwrap().to_string();
    assert!(setup.contains(&format!("RUST_VERSION=\"{version}\"")), "the toolchain is not pinned:\n{setup}");
    for wanted in ["DEBIAN_FRONTEND=noninteractive", "cargo fetch --locked", "cargo build --locked"] {
        assert!(setup.contains(wanted), "setup.sh lacks {wanted}");
    }
    let run = std::fs::read_to_string(source.join("run_autograder")).unwrap();
    assert!(run.contains("cargo run --frozen") && run.contains("CARGO_NET_OFFLINE=true"), "{run}");
    assert!(
        run.contains(
            "FLAGS=(--public-visibility=visible --hidden-visibility=hidden --stdout-visibility=visible --leaderboard)"
        ),
        "{run}"
    );

    let _guard = one_at_a_time();
    let target = other_tree_target(&ws);
    let script = |name: &str| {
        let mut cmd = Command::new("bash");
        cmd.arg(source.join(name))
            .env("AUTOGRADER_ROOT", &autograder)
            .env("CARGO_TARGET_DIR", &target)
            .env("NNLAB_PROBE_TARGET", &target);
        cmd
    };
    let set_up = script("setup.sh").output().unwrap();
    let said = String::from_utf8_lossy(&set_up.stderr);
    assert!(set_up.status.success(), "setup.sh failed:\n{said}");
    // The package's manifest names no crate it left out (the book's generator, in the profile).
    assert!(!said.contains("did not match any packages"), "{said}");

    // A correct lab 01 zipped one folder down, as a student who zips the folder uploads it.
    let submission = autograder.join("submission");
    let lab01 = submission.join("my-work/lab01-neuron/src");
    std::fs::create_dir_all(&lab01).unwrap();
    std::fs::copy(ws.root.join("solutions/lab01-neuron/src/lib.rs"), lab01.join("lib.rs")).unwrap();
    // Graded as in Gradescope's container: root without CAP_SYS_ADMIN, so a box with the floor
    // and no namespaces.
    let jail = grader::jail::Jail::build(&ws, grader::jail::Whose::Own).unwrap();
    let runner = script("run_autograder");
    let mut in_a_container = Command::new(&jail.exe);
    in_a_container
        .args(["emulate", "--no-sys-admin", "--"])
        .arg(runner.get_program())
        .args(runner.get_args())
        .envs(runner.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let json = grade(&mut in_a_container, &autograder);
    assert_eq!(json["score"], 20.0, "{json:#}");
    assert!(
        json["output"].as_str().unwrap().contains("found your labs one folder down, in my-work/"),
        "{json:#}"
    );
    assert_eq!(json["stdout_visibility"], "visible");
    assert!(json["execution_time"].as_f64().is_some_and(|t| t > 0.0), "{json:#}");
    let tests = json["tests"].as_array().unwrap();
    let test =
        |name: &str| tests.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no test {name}"));
    assert_eq!(test("lab01-neuron: sigmoid (worked examples)")["status"], "passed");
    assert_eq!(test("lab01-neuron: sigmoid (hidden cases)")["visibility"], "hidden");
    let train = test("lab02-perceptron: train (worked examples)");
    assert_eq!(train["status"], "failed");
    assert!(train["output"].as_str().unwrap().starts_with("not submitted"), "{train}");
    // Lab 07 was not submitted: nothing to rank (the reference's experiments rank in reports.rs).
    assert_eq!(json["leaderboard"], serde_json::json!([]), "{json:#}");

    // Nothing gradable: said so, at the top.
    std::fs::remove_dir_all(&submission).unwrap();
    std::fs::create_dir_all(submission.join("notes")).unwrap();
    std::fs::write(submission.join("notes/README.txt"), "my labs are on my laptop\n").unwrap();
    let json = grade(&mut script("run_autograder"), &autograder);
    assert_eq!(json["score"], 0.0);
    assert!(json["output"].as_str().unwrap().contains("no labs found"), "{json:#}");
}

/// Runs run_autograder and reads the results it wrote.
fn grade(cmd: &mut Command, autograder: &Path) -> serde_json::Value {
    let run = cmd.output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let results = autograder.join("results/results.json");
    let text = std::fs::read_to_string(&results).unwrap();
    let errors = std::fs::read_to_string(autograder.join("results/errors.txt")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}\n{errors}"))
}
