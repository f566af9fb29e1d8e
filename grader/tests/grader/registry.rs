//! The registry's promises, checked the way rustlings' `dev check` does: every file derived from
//! the fixtures is current, every `todo!()` of a stub belongs to a listed exercise, every listed
//! exercise has a stub, a probe entry and hidden cases (its book section is checked with the
//! book), and the declared calls between exercises hold every call the reference makes.

use std::collections::BTreeSet;

use grader::generate;
use grader::registry::Registry;
use grader::registry::source::Functions;

use crate::common::{SEED, workspace};

#[test]
fn the_stubs_and_every_file_listing_the_labs_are_current() {
    let ws = workspace();
    let stale = generate::generate(&ws, true).unwrap();
    let stale: Vec<String> = stale.iter().map(|p| generate::shown(&ws.root, p)).collect();
    assert!(stale.is_empty(), "stale: {stale:?}: run `cargo run -p grader -- generate`");
}

#[test]
fn every_todo_is_an_exercise_and_every_exercise_has_a_stub_a_probe_entry_and_hidden_cases() {
    let ws = workspace();
    for lab in Registry::load(&ws).unwrap().labs {
        let mut todo = BTreeSet::new();
        for (_, stub) in generate::stubs::lab_files(&ws, &lab.lab).unwrap() {
            let functions = Functions::parse(&std::fs::read_to_string(&stub).unwrap()).unwrap();
            if stub.ends_with("src/lib.rs") {
                // The student's file lists the exercises in the registry's order.
                let listed: Vec<&str> = lab.exercises.iter().flat_map(|e| e.functions()).collect();
                let order: Vec<&str> =
                    functions.order.iter().map(String::as_str).filter(|f| listed.contains(f)).collect();
                assert_eq!(order, listed, "{}: lib.rs defines the exercises in another order", lab.lab);
            }
            todo.extend(functions.todo);
        }
        let listed: BTreeSet<String> =
            lab.exercises.iter().flat_map(|e| e.functions()).map(str::to_string).collect();
        let unlisted: Vec<_> = todo.difference(&listed).collect();
        assert!(unlisted.is_empty(), "{}: todo!() in {unlisted:?}, which no exercise lists", lab.lab);
        let no_stub: Vec<_> = listed.difference(&todo).collect();
        assert!(
            no_stub.is_empty(),
            "{}: exercise functions {no_stub:?} have no todo!() in the stub",
            lab.lab
        );

        let probe =
            std::fs::read_to_string(ws.root.join("grader/probes").join(format!("{}.rs", lab.lab))).unwrap();
        for ex in &lab.exercises {
            assert!(
                probe.contains(&format!("\"{}\"", ex.name)),
                "{}: the probe has no entry for {}",
                lab.lab,
                ex.name
            );
            let hidden = match &ex.experiment {
                Some(spec) => Some(nnlab_hidden::outcome_cases(&lab.lab, &ex.name, spec, SEED).len()),
                None => nnlab_hidden::cases(&lab.lab, &ex.name, SEED).map(|c| c.len()),
            };
            assert!(hidden.is_some_and(|n| n > 0), "{}: no hidden cases for {}", lab.lab, ex.name);
        }
    }
}

#[test]
fn declared_calls_name_exercises_and_hold_every_call_the_reference_makes() {
    let ws = workspace();
    let registry = Registry::load(&ws).unwrap();
    let mut missing = Vec::new();
    for lab in &registry.labs {
        for ex in &lab.exercises {
            for (other, callee) in ex.callees(&lab.lab) {
                let known = registry.lab(other).is_some_and(|l| l.exercise(callee).is_some());
                assert!(known, "{}::{} calls {other}/{callee}, which is no exercise", lab.lab, ex.name);
            }
        }
        for (name, calls) in registry.detected_calls(&ws, &lab.lab).unwrap() {
            let ex = lab.exercise(&name).unwrap();
            let declared: BTreeSet<(String, String)> =
                ex.callees(&lab.lab).map(|(l, e)| (l.to_string(), e.to_string())).collect();
            for (l, e) in calls.difference(&declared) {
                missing.push(format!(
                    "{}::{name} calls {}",
                    lab.lab,
                    if *l == lab.lab { e.clone() } else { format!("{l}/{e}") }
                ));
            }
        }
    }
    assert!(missing.is_empty(), "calls the fixtures do not declare:\n{}", missing.join("\n"));
}

/// Inputs a case may leave out: settings of the probe, not parameters of the exercise.
const OPTIONAL: [(&str, &str, &str); 3] = [
    ("train", "stop_after", "the epoch after which the probe's callback asks to stop"),
    ("train", "every", "which losses the probe reports: the documents' XOR run prints every 2000th"),
    ("fit_", "train_seed", "the learner's own seed; a case without it trains with `seed`"),
];

#[test]
fn public_cases_hidden_cases_and_the_probe_name_the_same_inputs() {
    let ws = workspace();
    let mut differ = Vec::new();
    for lab in Registry::load(&ws).unwrap().labs {
        let reference = std::fs::read_to_string(ws.solution(&lab.lab).unwrap().join("src/lib.rs")).unwrap();
        let direct = grader::generate::dispatch::direct_arms(&lab, &reference).unwrap();
        for ex in &lab.exercises {
            let optional =
                |k: &str| OPTIONAL.iter().any(|(ex_, key, _)| ex.name.starts_with(ex_) && k == *key);
            let keys = |input: &grader::cases::Input| {
                input.keys().filter(|k| !optional(k)).cloned().collect::<BTreeSet<String>>()
            };
            let mut sets: Vec<(String, BTreeSet<String>)> =
                lab.cases_of(&ex.name).map(|c| (format!("public case {}", c.id), keys(&c.input))).collect();
            let hidden: Vec<grader::cases::Input> = match &ex.experiment {
                Some(spec) => nnlab_hidden::outcome_cases(&lab.lab, &ex.name, spec, SEED)
                    .into_iter()
                    .map(|(input, _)| input)
                    .collect(),
                None => nnlab_hidden::cases(&lab.lab, &ex.name, SEED).unwrap(),
            };
            sets.extend(hidden.iter().enumerate().map(|(i, c)| (format!("hidden case {i}"), keys(c))));
            if let Some(arm) = direct.iter().find(|arm| arm.exercise == ex.name) {
                sets.push(("the probe's parameters".to_string(), arm.params.iter().cloned().collect()));
            }
            let (first, want) = &sets[0];
            for (what, got) in &sets[1..] {
                if got != want {
                    differ.push(format!("{}::{}: {first} has {want:?}, {what} {got:?}", lab.lab, ex.name));
                }
            }
        }
    }
    assert!(differ.is_empty(), "inputs that differ:\n{}", differ.join("\n"));
}

/// The files of the workbook written by hand, relative to its root: not one `generate` writes (or
/// whose list of labs it writes), a file of cargo's or git's, or one the book's generator writes.
/// A probe file with adapters is written by hand above its generated part.
fn hand_written_files() -> Vec<std::path::PathBuf> {
    let ws = workspace();
    let labs = Registry::load(&ws).unwrap().labs;
    let adapted = |path: &std::path::Path| {
        labs.iter().any(|l| {
            let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
            let reference = read(&ws.solution(&l.lab).unwrap().join("src/lib.rs"));
            path == ws.root.join("grader/probes").join(format!("{}.rs", l.lab))
                && generate::dispatch::has_adapters(&ws.root, l, &read(path), &reference).unwrap()
        })
    };
    let generated: BTreeSet<std::path::PathBuf> =
        generate::files(&ws).unwrap().into_iter().map(|(path, _)| path).filter(|p| !adapted(p)).collect();
    // Written by tools, not by hand: cargo's lock file, the book's generated pages and figures,
    // the stubs (in `generated` too), the stored mistakes and the snapshots.
    let by_tools =
        ["Cargo.lock", "book/src/generated", "book/src/figures", "labs", "fixtures/mistakes", "target"];
    let mut files = Vec::new();
    let mut dirs = vec![ws.root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(&ws.root).unwrap();
            let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.starts_with('.')
                || name == "snapshots"
                || name == "node_modules"
                || by_tools.iter().any(|t| rel == std::path::Path::new(t))
            {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else if !generated.contains(&path) {
                files.push(rel.to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// A hand-written list of the labs is what once made adding a lab an edit of eleven files: every
/// file that names every lab of the registry is generated, or not written by hand.
#[test]
fn no_hand_written_file_lists_the_labs() {
    let ws = workspace();
    let labs = Registry::load(&ws).unwrap().labs;
    // Not lists a new lab must join: the book's check of the numbers each chapter states, claim by
    // claim, and the benchmarks page, a dated record of what was measured per lab.
    let not_lists = ["book/tests/book.rs", "book/src/benchmarks.md"];
    let mut lists = Vec::new();
    for rel in hand_written_files() {
        let Ok(text) = std::fs::read_to_string(ws.root.join(&rel)) else { continue };
        let names_every_lab =
            labs.iter().all(|l| text.contains(&l.lab) || text.contains(&l.lab.replace('-', "_")));
        if names_every_lab && !not_lists.iter().any(|n| rel == std::path::Path::new(n)) {
            lists.push(rel.display().to_string());
        }
    }
    lists.sort();
    assert!(
        lists.is_empty(),
        "these hand-written files name every lab: generate their lists from the registry \
         (grader/src/generate) or make them read it: {lists:?}"
    );
}

/// The places a lab is written in by hand (CONTRIBUTING.md, "Adding a lab"), `{lab}` for
/// `labNN-name` and `{lab_}` for `labNN_name`. Nine: the issue that asked for a lab in nine
/// hand-edited files counts these.
const PLACES: [&str; 9] = [
    "fixtures/labs/{lab}.yaml",
    "solutions/{lab}/src/lib.rs",
    "solutions/{lab}/src/given.rs",
    "grader/hidden/src/{lab_}.rs",
    "grader/probes/{lab}.rs",
    "book/src/{lab}.md",
    "book/gen/figures/{lab_}.rs",
    "fixtures/submissions/{lab}.yaml",
    "fixtures/recompute/{lab}.py",
];

/// Folders a lab may add to beyond its places: more tests and benches of its reference, and the
/// third author of the similarity test.
const EXTRAS: [&str; 3] = ["solutions/{lab}/tests/", "solutions/{lab}/benches/", "fixtures/similarity/"];

/// Every hand-written file whose path names a lab is one of its places or extras, so that adding a
/// lab never needs a file CONTRIBUTING does not list.
#[test]
fn a_lab_is_written_by_hand_in_its_nine_places_only() {
    let ws = workspace();
    let labs = Registry::load(&ws).unwrap().labs;
    let files = hand_written_files();
    let mut stray = Vec::new();
    for lab in &labs {
        let fill = |p: &str| p.replace("{lab}", &lab.lab).replace("{lab_}", &lab.lab.replace('-', "_"));
        let places: Vec<String> = PLACES.iter().map(|p| fill(p)).collect();
        let extras: Vec<String> = EXTRAS.iter().map(|p| fill(p)).collect();
        let mut used = Vec::new();
        for rel in &files {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !rel.contains(&lab.lab) && !rel.contains(&lab.lab.replace('-', "_")) {
                continue;
            }
            if places.contains(&rel) {
                used.push(rel);
            } else if !extras.iter().any(|e| rel.starts_with(e.as_str())) {
                stray.push(rel);
            }
        }
        println!("{}: {} of the {} places written by hand: {used:?}", lab.lab, used.len(), PLACES.len());
        let must = [&places[0], &places[1], &places[3], &places[5], &places[6], &places[7]];
        for path in must {
            assert!(used.contains(path), "{}: no {path}", lab.lab);
        }
    }
    assert!(stray.is_empty(), "hand-written files in no place CONTRIBUTING.md lists: {stray:?}");
}

/// The doc comment of `pub fn name` in `source` (the `///` lines above it), joined.
fn doc_of(source: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|l| l.starts_with(&format!("pub fn {name}(")))?;
    let mut doc: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("///") || l.starts_with("#["))
        .filter_map(|l| l.strip_prefix("///"))
        .map(str::trim)
        .collect();
    doc.reverse();
    Some(doc.join(" "))
}

/// An experiment's bar is stated once, in the registry: the reference's doc comment (which the
/// stub, the chapter's listing and the printed book show) says the same bar and no other.
#[test]
fn experiments_state_the_bar_the_grader_holds_them_to() {
    let ws = workspace();
    let mut wrong = Vec::new();
    for lab in Registry::load(&ws).unwrap().labs {
        let source = std::fs::read_to_string(ws.solution(&lab.lab).unwrap().join("src/lib.rs")).unwrap();
        for ex in lab.exercises.iter().filter(|e| e.outcome.is_some()) {
            let outcome = ex.outcome.unwrap();
            let doc = doc_of(&source, &ex.name).unwrap_or_default();
            let stated: Vec<&str> = doc
                .split("at least ")
                .skip(1)
                .chain(doc.split("at most ").skip(1))
                .map(|rest| rest.split(|c: char| !(c.is_ascii_digit() || c == '.')).next().unwrap_or(""))
                .map(|n| n.trim_end_matches('.'))
                .collect();
            let bar = outcome.pass.to_string();
            let word = match outcome.metric {
                nnlab_check::outcome::Metric::Accuracy => "at least",
                nnlab_check::outcome::Metric::Rmse => "at most",
            };
            if outcome.pass < 1.0 && !doc.contains(&format!("{word} {bar}")) {
                wrong.push(format!("{}::{} does not say “{word} {bar}”: {doc}", lab.lab, ex.name));
            }
            if let Some(other) = stated.iter().find(|n| **n != bar) {
                wrong.push(format!("{}::{} states {other}, the grader's bar is {bar}", lab.lab, ex.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
