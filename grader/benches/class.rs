//! Grading a class at scale against the naive way (`cargo bench -p grader --bench class`).
//!
//! Generates a class of students (default 40) whose labs are each the reference, the stub, or the
//! reference with one of the known mistakes of `fixtures/submissions/`, then measures in one run:
//!
//! - **nnlab**: `grader grade` on the whole class with an empty dependency cache (so the time
//!   includes compiling faer and the reference once), then again with `--force` on a warm cache,
//!   and the class report of that run (statistics, histograms, similarity) built again alone, for
//!   the share of the warm regrade it takes;
//! - **naive**: for a sample of students (default 2), a fresh copy of the student edition with the
//!   student's labs and `cargo test` of every lab in it, each with its own target directory, as a
//!   course without a shared grader would run it; the class total is extrapolated from the sample.
//!
//! Options: `--students N`, `--naive N` (0 skips the naive way). Prints a table of the figures.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use grader::workspace::Workspace;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name} takes a number")))
    };
    let (students, naive) = (option("--students", 40), option("--naive", 2));
    let ws = Workspace::locate(None).expect("run inside the nnlab tree");
    let root = ws.scratch().join("bench-class");
    let _ = std::fs::remove_dir_all(&root);
    let class = root.join("class");
    let labs = ws.labs().expect("fixtures");
    let mistakes = mistakes(&ws);
    let mut rng = Pcg64::seed_from_u64(2026);
    let mut kinds = [0usize; 3];
    for s in 0..students {
        for lab in &labs {
            let roll = rng.random_range(0..10);
            let kind = match roll {
                0..=5 => 0,
                6 | 7 => 1,
                _ => 2,
            };
            kinds[kind] += 1;
            let source = match kind {
                0 => read(&ws.root.join("solutions").join(lab).join("src/lib.rs")),
                1 => read(&ws.root.join("labs").join(lab).join("src/lib.rs")),
                _ => {
                    let of_lab: Vec<&(String, String)> = mistakes.iter().filter(|(l, _)| l == lab).collect();
                    if of_lab.is_empty() {
                        read(&ws.root.join("labs").join(lab).join("src/lib.rs"))
                    } else {
                        of_lab[rng.random_range(0..of_lab.len())].1.clone()
                    }
                }
            };
            let dir = class.join(format!("student-{s:03}")).join("labs").join(lab).join("src");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("lib.rs"), source).unwrap();
        }
    }
    println!(
        "class: {students} students × {} labs ({} reference, {} stub, {} with a known mistake)",
        labs.len(),
        kinds[0],
        kinds[1],
        kinds[2]
    );

    let grader = env!("CARGO_BIN_EXE_grader");
    let deps = root.join("probe-target");
    let out = root.join("out");
    let cold = timed(
        Command::new(grader)
            .args(["grade", "--seed", "1", "--out"])
            .arg(&out)
            .arg(&class)
            .env("NNLAB_PROBE_TARGET", &deps),
    );
    let warm = timed(
        Command::new(grader)
            .args(["grade", "--force", "--seed", "1", "--out"])
            .arg(&out)
            .arg(&class)
            .env("NNLAB_PROBE_TARGET", &deps),
    );
    // The class report (statistics, histograms, similarity) is part of both runs; built again
    // alone from the same outputs, it shows what it adds.
    let started = Instant::now();
    grader::instructor::insight::rebuild(&ws, &out, 1, grader::instructor::similarity::DEFAULT_THRESHOLD)
        .expect("the class report");
    let report = started.elapsed();
    let per = |d: Duration| d.as_secs_f64() / students as f64;
    println!("\n| way | wall time | per student |\n|---|---:|---:|");
    println!("| nnlab `grade`, empty dependency cache | {:.0} s | {:.1} s |", cold.as_secs_f64(), per(cold));
    println!("| nnlab `grade --force`, warm cache | {:.0} s | {:.1} s |", warm.as_secs_f64(), per(warm));
    println!(
        "| of which the class report and similarity (built again alone) | {:.2} s | {:.3} s |",
        report.as_secs_f64(),
        per(report)
    );
    println!(
        "\nthe class report adds {:.1} % to a warm regrade",
        100.0 * report.as_secs_f64() / (warm - report.min(warm)).as_secs_f64()
    );
    if naive == 0 {
        println!("\n(naive way skipped: --naive 0)");
        return;
    }
    let mut naive_total = Duration::ZERO;
    for s in 0..naive.min(students) {
        let copy = root.join(format!("naive-{s}"));
        grader::instructor::release::release(&ws, &copy).expect("a student edition");
        for lab in &labs {
            let from = class.join(format!("student-{s:03}")).join("labs").join(lab).join("src/lib.rs");
            std::fs::copy(from, copy.join("labs").join(lab).join("src/lib.rs")).unwrap();
        }
        let mut cmd = Command::new(grader::workspace::Workspace::cargo());
        cmd.args(["test", "-q", "--no-fail-fast"])
            .current_dir(&copy)
            .env("CARGO_TARGET_DIR", copy.join("target"));
        for lab in &labs {
            cmd.args(["-p", lab]);
        }
        naive_total += timed(&mut cmd);
    }
    let naive_each = naive_total.as_secs_f64() / naive.min(students) as f64;
    let naive_class = naive_each * students as f64;
    println!(
        "| naive: fresh `cargo test` per copy (measured on {}, × {students}) | {naive_class:.0} s | {naive_each:.1} s |",
        naive.min(students)
    );
    println!(
        "\nspeed-up of nnlab over the naive way: {:.1}× with an empty cache, {:.1}× warm",
        naive_class / cold.as_secs_f64(),
        naive_class / warm.as_secs_f64()
    );
    println!("(the naive way only runs the public tests; nnlab also runs the hidden cases)");
}

/// The mistaken sources of `fixtures/submissions/<lab>.yaml`, by lab: the reference with the edits.
fn mistakes(ws: &Workspace) -> Vec<(String, String)> {
    grader::mistakes::specs(&ws.root)
        .unwrap()
        .into_iter()
        .map(|(lab, _, spec)| {
            let src = spec.lib_rs(&ws.root).unwrap();
            (lab, src)
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `cmd` to completion (its output discarded) and returns how long it took.
fn timed(cmd: &mut Command) -> Duration {
    let started = Instant::now();
    let status = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status();
    let took = started.elapsed();
    match status {
        Ok(_) => took,
        Err(e) => panic!("cannot run {cmd:?}: {e}"),
    }
}
