//! The student's loop, timed (`cargo bench -p grader --bench watch`): how long `grader watch` takes
//! from a save to one lab's graded feedback, warm, for every lab.
//!
//! A folder holding every lab's reference is graded once (so the reference, the probes and the
//! catalogued mistakes are built), then, lab by lab, a one-line edit is saved and the lab graded
//! again, as `watch` does on a save (notify's event and the 100 ms a save's burst of events is
//! given to settle come on top): first a correct edit, then the edit of the lab's first
//! catalogued mistake, whose failure is diagnosed, then a wrong submission the catalogue does not
//! name, whose diagnosis goes through the relations, the changed inputs and the generated mutants
//! (built before the timing, as `grader mistakes` builds them). Options: `--rounds N` (default 3)
//! edits per lab and kind; the table gives the median and the slowest.

use std::path::Path;
use std::time::Duration;

use grader::grade::{Grader, Options};
use grader::mistakes;
use grader::watch::Watch;
use grader::workspace::Workspace;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .map_or(3, |v| v.parse().expect("--rounds takes a number"));
    let ws = Workspace::locate(None).expect("run inside the nnlab tree");
    let dir = ws.scratch().join("bench-watch");
    let _ = std::fs::remove_dir_all(&dir);
    let labs = ws.labs().expect("fixtures");
    let reference = |lab: &str| read(&ws.root.join("solutions").join(lab).join("src/lib.rs"));
    for lab in &labs {
        write(&dir.join(lab).join("src/lib.rs"), &reference(lab));
    }
    // As `grader watch` grades: with the compiler's incremental caches.
    let opts = Options { incremental: true, ..Options::with_seed(1) };
    let grader = Grader::new(&ws, opts).expect("the reference builds");
    let mut watch = Watch::new(&grader, &dir).expect("the folder");
    let first = watch.grade(&labs).expect("grading");
    eprintln!("first round, every lab: {:.1} s (builds what is not built yet)", first.took.as_secs_f64());
    let specs = mistakes::specs(&ws.root).expect("the corpus");

    for lab in &labs {
        grader.schemata(lab).expect("the mutants build");
    }
    println!(
        "| lab | correct edit: median, slowest | catalogued mistake (diagnosed): median, slowest | \
         uncatalogued mistake (relations, mutants): median, slowest |"
    );
    println!("|---|---|---|---|");
    for lab in &labs {
        let mistake = specs.iter().find(|(l, _, spec)| l == lab && spec.diagnosis.is_some());
        let uncatalogued = specs.iter().find(|(l, name, spec)| {
            l == lab
                && spec.diagnosis.is_none()
                && spec.diagnosed_as.is_none()
                && spec.files.is_empty()
                && !["another-correct", "does-not-compile", "train-never-stops", "loops-instead"]
                    .iter()
                    .any(|p| name.starts_with(p))
        });
        let mut timed = |source: &str| {
            let mut times = Vec::new();
            for round in 0..rounds {
                // A line of code, not a comment, so that rustc has real work to redo.
                write(&dir.join(lab).join("src/lib.rs"), &format!("{source}\nconst _: u32 = {round};\n"));
                let graded = watch.grade(std::slice::from_ref(lab)).expect("grading");
                times.push(graded.took);
            }
            times.sort();
            format!("{:.2} s, {:.2} s", secs(times[times.len() / 2]), secs(times[times.len() - 1]))
        };
        let correct = timed(&reference(lab));
        let wrong = match mistake {
            Some((_, name, spec)) => format!("{} ({name})", timed(&spec.lib_rs(&ws.root).expect("the edit"))),
            None => "—".into(),
        };
        let other = match uncatalogued {
            Some((_, name, spec)) => format!("{} ({name})", timed(&spec.lib_rs(&ws.root).expect("the edit"))),
            None => "—".into(),
        };
        println!("| {lab} | {correct} | {wrong} | {other} |");
        // Leave the lab correct for the labs after it, which may build on it.
        write(&dir.join(lab).join("src/lib.rs"), &reference(lab));
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
    std::fs::write(path, text).expect("writing");
}
