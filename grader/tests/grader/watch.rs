//! The student's loop: `grader watch` grades the labs once, then grades a lab again when one of
//! its files is saved, and says how far through the course the student is and what comes next.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{SEED, one_at_a_time, workspace};

/// How long one round may take before the test gives up: a guard against a hung watch, not a
/// measure of speed (the watch bench measures that).
const PATIENCE: Duration = Duration::from_secs(900);

#[test]
fn a_save_grades_its_lab_again_and_progress_names_the_next_exercise() {
    let ws = workspace();
    let _guard = one_at_a_time();
    let dir = ws.scratch().join("test-watch");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("lab01-neuron/src");
    std::fs::create_dir_all(&src).unwrap();
    let stub = ws.root.join("labs/lab01-neuron/src/lib.rs");
    std::fs::copy(&stub, src.join("lib.rs")).unwrap();
    let fixture = ws.fixture("lab01-neuron").unwrap();
    let (exercises, points) = (fixture.exercises.len(), fixture.max_points());

    let before = shared_caches(&ws);
    let mut child = Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(["watch", "--lab", "01", "--seed", &SEED.to_string(), "--root"])
        .arg(&ws.root)
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(ws.scratch().join("test-watch.log")).unwrap()))
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The lines of one round, up to its progress and next lines.
    let round = || {
        let mut lines = Vec::new();
        loop {
            let line = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
                let log = std::fs::read_to_string(ws.scratch().join("test-watch.log")).unwrap_or_default();
                panic!("no round:\n{}\nwatch's errors:\n{log}", lines.join("\n"))
            });
            let done = line.starts_with("next ");
            lines.push(line);
            if done {
                return lines.join("\n");
            }
        }
    };

    let first = round();
    assert!(first.contains("weighted_sum") && first.contains("not implemented yet"), "{first}");
    assert!(first.contains(&format!("progress   0 of {exercises} exercises pass")), "{first}");
    assert!(first.contains("next       lab01-neuron: weighted_sum — book/src/lab01-neuron.md#"), "{first}");

    // The student saves a finished lab: it is graded again without being asked.
    let reference = ws.root.join("solutions/lab01-neuron/src/lib.rs");
    std::fs::write(src.join("lib.rs"), std::fs::read_to_string(&reference).unwrap()).unwrap();
    let second = round();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        second.contains("Total") && second.contains(&format!("{:.2} / {points}", f64::from(points))),
        "{second}"
    );
    assert!(second.contains(&format!("progress   {exercises} of {exercises} exercises pass")), "{second}");
    assert!(second.contains("next       nothing"), "{second}");

    // The compiler's incremental caches of the student's crate are in its own scratch folder,
    // out of reach of other students' crates, not in the target directory's shared one (where
    // the workbook's own `cargo test -p lab01-neuron` keeps its caches: those must not change).
    let batches = std::fs::read_dir(ws.scratch()).unwrap().flatten().map(|e| e.path());
    let own = batches
        .filter(|batch| batch.file_name().unwrap().to_string_lossy().starts_with("watch-"))
        .map(|batch| batch.join(batch.file_name().unwrap()).join("crates/lab01-neuron/incremental"))
        .find(|dir| dir.is_dir())
        .expect("the watched crate's own incremental folder");
    assert!(std::fs::read_dir(&own).unwrap().next().is_some(), "{} is empty", own.display());
    assert_eq!(shared_caches(&ws), before, "the watched crate's caches went to the shared folder");
}

/// The incremental caches of crates named lab01_neuron in the probes' target directory, with the
/// time each last changed.
fn shared_caches(ws: &grader::workspace::Workspace) -> Vec<(String, std::time::SystemTime)> {
    let shared = ws.probe_target().join("debug/incremental");
    let mut caches: Vec<_> = std::fs::read_dir(&shared)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("lab01_neuron-"))
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.metadata().unwrap().modified().unwrap()))
        .collect();
    caches.sort();
    caches
}
