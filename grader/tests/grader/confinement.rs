//! Whose code decides the confinement, on machines unlike the one running the tests: a kernel
//! without Landlock and a container without CAP_SYS_ADMIN, emulated by `nnlab-jail emulate` for
//! the grader and everything it starts.

use std::process::{Command, Output};

use grader::jail::{Jail, Whose};

use crate::common::{one_at_a_time, workspace};
use crate::submissions::{assert_nothing_outlives_the_boxes, materialise, specs};

/// Runs the grader with `args` on the machine `emulated` describes (`--no-landlock`,
/// `--no-sys-admin`).
fn grader_on(emulated: &[&str], args: &[&str]) -> Output {
    let ws = workspace();
    let jail = Jail::build(&ws, Whose::Own).unwrap();
    Command::new(&jail.exe)
        .arg("emulate")
        .args(emulated)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_grader"))
        .args(args)
        .current_dir(&ws.root)
        .output()
        .unwrap()
}

/// A student on Ubuntu 24.04, Debian 12, WSL or any kernel without Landlock grades their own labs
/// with the README's command, no flag, and is told once that their code runs as their own.
#[test]
fn the_students_own_labs_are_graded_on_a_kernel_without_landlock() {
    let _guard = one_at_a_time();
    let run = grader_on(&["--no-landlock"], &["--lab", "01", "--seed", "1"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("lab01-neuron") && stdout.contains("not implemented yet"), "{stdout}");
    assert_eq!(stderr.matches("your own code runs as you").count(), 1, "{stderr}");
}

/// Someone else's folder on the same kernel is refused, by name (without Landlock the compiler
/// could read the reference while it builds the submission), unless the instructor says otherwise.
#[test]
fn someone_elses_code_is_refused_by_name_on_a_kernel_without_landlock() {
    let ws = workspace();
    let folder = ws.scratch().join("test-confinement/someone");
    std::fs::create_dir_all(folder.join("lab01-neuron/src")).unwrap();
    std::fs::copy(ws.root.join("solutions/lab01-neuron/src/lib.rs"), folder.join("lab01-neuron/src/lib.rs"))
        .unwrap();
    let _guard = one_at_a_time();
    let args = ["check", folder.to_str().unwrap(), "--lab", "01", "--seed", "1"];
    let run = grader_on(&["--no-landlock"], &args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    for said in
        ["cannot confine someone else's code", "files: this kernel has no Landlock", "--allow-unconfined"]
    {
        assert!(stderr.contains(said), "should say {said:?}:\n{stderr}");
    }
    // The instructor's choice, for trusted code: graded, the compiler included, with a warning.
    let mut anyway = args.to_vec();
    anyway.push("--allow-unconfined");
    let run = grader_on(&["--no-landlock"], &anyway);
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: grading someone else's code with protections missing"), "{stderr}");
    assert!(stdout.contains("20.00 / 20"), "{stdout}");
}

/// In a container without CAP_SYS_ADMIN (Docker's default, Gradescope's) there are no namespaces:
/// a class is graded with the floor, which the run states, and it holds: an honest student keeps
/// full marks beside submissions that start threads, sleep under every limit and dig deep folders,
/// and nothing of theirs outlives the run.
#[test]
fn a_class_is_graded_with_the_floor_in_a_container_without_cap_sys_admin() {
    let ws = workspace();
    let root = ws.scratch().join("test-confinement/floor");
    let _ = std::fs::remove_dir_all(&root);
    let (class, out) = (root.join("class"), root.join("out"));
    let hostile = specs(&ws.root, true);
    let honest = specs(&ws.root, false);
    let chosen = ["many-threads", "sleeps-under-every-limit", "deep-run-folder"];
    let mut expected = vec![("honest".to_string(), 20.0)];
    for (name, spec) in hostile.iter().filter(|(name, _)| chosen.contains(&name.as_str())) {
        materialise(name, spec, &class.join(name));
        expected.push((name.clone(), spec.score));
    }
    let (_, correct) =
        honest.iter().find(|(name, _)| name == "lab01-neuron-another-correct-activations").unwrap();
    materialise("honest", correct, &class.join("honest"));
    let _guard = one_at_a_time();
    let args =
        ["grade", "--seed", "5", "--timeout", "3", "--budget", "14", "--compile-timeout", "20", "--out"];
    let mut args: Vec<&str> = args.to_vec();
    args.extend([out.to_str().unwrap(), class.to_str().unwrap()]);
    let run = grader_on(&["--no-sys-admin"], &args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("in force: uid:") && stderr.contains("not on this machine: namespaces"),
        "{stderr}"
    );
    assert_nothing_outlives_the_boxes();
    for (name, score) in expected {
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(&name).join("report.json")).unwrap())
                .unwrap();
        let lab01 = &report["labs"].as_array().unwrap().iter().find(|l| l["lab"] == "lab01-neuron").unwrap();
        let got: f64 =
            lab01["exercises"].as_array().unwrap().iter().map(|e| e["score"].as_f64().unwrap()).sum();
        assert!((got - score).abs() < 1e-9, "{name} scored {got} on lab 01 instead of {score}");
        let protections = report["protections"].as_array().unwrap();
        assert!(protections.iter().any(|p| p.as_str().unwrap().starts_with("in force: uid")), "{name}");
    }
}
