//! The command line refuses what it cannot do before it builds anything (building the reference
//! takes minutes on a fresh machine), with a message that says what to change.

use std::process::Command;

use crate::common::workspace;

/// Runs the grader with `args`, expecting a refusal whose message contains `wanted`.
fn refused(args: &[&str], wanted: &str) {
    let run = Command::new(env!("CARGO_BIN_EXE_grader")).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(wanted), "{args:?} should say {wanted:?}:\n{stderr}");
    assert!(!stderr.contains("building"), "{args:?} built before refusing:\n{stderr}");
}

#[test]
fn bad_command_lines_are_refused_before_anything_is_built() {
    let ws = workspace();
    let scratch = ws.scratch().join("test-cli");
    let class = scratch.join("class");
    std::fs::create_dir_all(class.join("alice")).unwrap();
    let (class, out) = (class.to_str().unwrap(), scratch.join("out"));
    let out = out.to_str().unwrap();
    refused(&["grade", class, "--out", out, "--jobs", "0"], "invalid value '0' for '--jobs <N>'");
    refused(&["grade", class, "--out", out, "--batch", "0"], "invalid value '0' for '--batch <N>'");
    refused(&["--timeout", "-5", "check", "labs"], "--timeout must be a positive number of seconds, not -5");
    refused(&["check", "no-such-folder"], "no-such-folder is not a folder");
    refused(&["grade", "no-such-folder", "--out", out], "no folder no-such-folder");
    refused(&["grade", class, "--out", out, "--roster", "no-such.csv"], "reading the roster no-such.csv");
    let roster = scratch.join("roster.csv");
    std::fs::write(&roster, "name,email\nAlice,a@example.org\n").unwrap();
    refused(&["grade", class, "--out", out, "--roster", roster.to_str().unwrap()], "no `folder` column");
    let labs = ws.root.join("labs");
    refused(
        &["--json", "no-such-folder/results.json", "check", labs.to_str().unwrap()],
        "no folder no-such-folder",
    );
    refused(&["--public-visibility", "soon", "check", "labs"], "invalid value 'soon'");
    let elsewhere = Command::new(env!("CARGO_BIN_EXE_grader")).current_dir("/").output().unwrap();
    let stderr = String::from_utf8_lossy(&elsewhere.stderr);
    assert!(stderr.contains("is not inside an nnlab tree"), "{stderr}");
}
