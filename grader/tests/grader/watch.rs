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

    let mut child = Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(["watch", "--lab", "01", "--seed", &SEED.to_string(), "--root"])
        .arg(&ws.root)
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
            let line =
                rx.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no round:\n{}", lines.join("\n")));
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
    // out of reach of other students' crates, not in the target directory's shared one.
    let batches = std::fs::read_dir(ws.scratch()).unwrap().flatten().map(|e| e.path());
    let own = batches
        .filter(|batch| batch.file_name().unwrap().to_string_lossy().starts_with("watch-"))
        .map(|batch| batch.join(batch.file_name().unwrap()).join("crates/lab01-neuron/incremental"))
        .find(|dir| dir.is_dir())
        .expect("the watched crate's own incremental folder");
    assert!(std::fs::read_dir(&own).unwrap().next().is_some(), "{} is empty", own.display());
    let shared = ws.scratch().join("target/debug/incremental");
    let leaked: Vec<_> = std::fs::read_dir(&shared)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("lab01_neuron-"))
        .collect();
    assert!(leaked.is_empty(), "student caches in {}: {leaked:?}", shared.display());
}
