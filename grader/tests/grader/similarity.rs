//! The similarity check on a class built for it: three independent authors of labs 05 and 06 (the
//! reference, a helper who wrote `another-correct-*` from the book, and another helper's
//! `fixtures/similarity/author-c`), disguised copies of two of them and of the reference. Every
//! disguised copy must pair with its source above the default threshold, and no two independent
//! authors may.

use std::collections::BTreeMap;

use grader::instructor::insight::{Code, SimilaritySummary, similar};
use grader::instructor::similarity::{DEFAULT_THRESHOLD, LabPrints, lab_prints};

use crate::common::workspace;

const LABS: [&str; 2] = ["lab05-backprop", "lab06-optimizers"];

/// `src` as a student who copied it would hand it in: every `let` binding renamed, the top-level
/// functions in the opposite order, two-space indents with braces on lines of their own, and dead
/// code in every function and at the end.
fn disguise(src: &str) -> String {
    // Renamed: each `let` binding gets another name everywhere it occurs.
    let mut names = Vec::new();
    let words: Vec<&str> = src.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
    for pair in words.windows(3) {
        let name = if pair[0] == "let" && pair[1] == "mut" {
            pair[2]
        } else if pair[0] == "let" {
            pair[1]
        } else {
            ""
        };
        if name.len() > 1
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    let mut text = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, text: &mut String| {
        if names.contains(&word.as_str()) {
            text.push_str(&format!("renamed_{word}"));
        } else {
            text.push_str(word);
        }
        word.clear();
    };
    for c in src.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut text);
            text.push(c);
        }
    }
    flush(&mut word, &mut text);

    // Reordered: the file cut before each top-level item's doc comment, the items reversed.
    let mut items: Vec<Vec<&str>> = vec![Vec::new()];
    let mut in_docs = false;
    for line in text.lines() {
        let starts_item = line.starts_with("///") && !in_docs;
        in_docs = line.starts_with("///");
        if starts_item {
            items.push(Vec::new());
        }
        items.last_mut().unwrap().push(line);
    }
    let head = items.remove(0);
    items.reverse();

    // Reformatted, with dead code.
    let mut out = String::new();
    for line in head.into_iter().chain(items.into_iter().flatten()) {
        let indent = line.len() - line.trim_start().len();
        let line = format!("{}{}", " ".repeat(indent / 2), line.trim_start());
        if line.trim_start().starts_with("pub fn ") && line.ends_with('{') {
            out.push_str(line.trim_end_matches('{').trim_end());
            out.push_str("\n{\n  let dead_counter = 3 * 7 + 1;\n  let _ = dead_counter;\n");
        } else {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("\n#[allow(dead_code)]\nfn unused_helper(values: &[f64]) -> f64 {\n  let mut s = 0.0;\n  for v in values {\n    if *v > 0.0 { s += v * v; } else { s -= v; }\n  }\n  s.sqrt() / (values.len() as f64 + 1.0)\n}\n");
    out
}

/// A lab's `src/lib.rs` as each author wrote it.
fn authors() -> BTreeMap<&'static str, BTreeMap<&'static str, String>> {
    let ws = workspace();
    let read =
        |path: std::path::PathBuf| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let specs = grader::mistakes::specs(&ws.root).unwrap();
    let mut out: BTreeMap<&str, BTreeMap<&str, String>> = BTreeMap::new();
    for lab in LABS {
        out.entry("reference")
            .or_default()
            .insert(lab, read(ws.root.join("solutions").join(lab).join("src/lib.rs")));
        let helper = specs
            .iter()
            .find(|(l, name, _)| l == lab && name.starts_with("another-correct"))
            .and_then(|(_, _, spec)| spec.files.get("src/lib.rs"))
            .unwrap_or_else(|| panic!("{lab} has an independent correct submission"));
        out.entry("helper").or_default().insert(lab, helper.clone());
        let c = ws.root.join("fixtures/similarity/author-c").join(lab).join("src/lib.rs");
        out.entry("author-c").or_default().insert(lab, read(c));
    }
    out
}

/// The student's code of `labs` as the grader keeps it.
fn code(labs: &BTreeMap<&str, String>, change: impl Fn(&str) -> String) -> Code {
    labs.iter().map(|(lab, src)| (lab.to_string(), [("lib.rs".to_string(), change(src))].into())).collect()
}

/// One lab's stub and given code, and the reference, as the class report reads them.
fn base_and_reference() -> (BTreeMap<String, LabPrints>, BTreeMap<String, LabPrints>) {
    let ws = workspace();
    let mut base = BTreeMap::new();
    let mut reference = BTreeMap::new();
    for lab in LABS {
        let stub_dir = ws.root.join("labs").join(lab).join("src");
        let stub = std::fs::read_to_string(stub_dir.join("lib.rs")).unwrap();
        let given = std::fs::read_to_string(stub_dir.join("given.rs")).unwrap();
        base.insert(lab.to_string(), lab_prints([("lib.rs", stub.as_str()), ("given.rs", given.as_str())]));
        let key = std::fs::read_to_string(ws.solution(lab).unwrap().join("src/lib.rs")).unwrap();
        reference.insert(lab.to_string(), lab_prints([("lib.rs", key.as_str())]));
    }
    (base, reference)
}

fn pairs(summary: &SimilaritySummary) -> Vec<(String, String, String, f64)> {
    summary.pairs.iter().map(|p| (p.lab.clone(), p.a.clone(), p.b.clone(), p.likeness.score)).collect()
}

#[test]
fn disguised_copies_pair_with_their_source_and_independent_authors_do_not() {
    let authors = authors();
    let same = |s: &str| s.to_string();
    let mut class: BTreeMap<String, Code> = BTreeMap::new();
    class.insert("ana".into(), code(&authors["helper"], same));
    class.insert("ben".into(), code(&authors["author-c"], same));
    class.insert("cy-copies-ana".into(), code(&authors["helper"], disguise));
    class.insert("dee-copies-ben".into(), code(&authors["author-c"], disguise));
    class.insert("eve-has-the-key".into(), code(&authors["reference"], disguise));
    // Lab 01 as everybody writes it: one-line activations, the same in every submission.
    let one_liners = "pub fn sigmoid(z: f64) -> f64 { 1.0 / (1.0 + (-z).exp()) }\n\
                      pub fn relu(z: f64) -> f64 { z.max(0.0) }\n\
                      pub fn tanh_prime(z: f64) -> f64 { 1.0 - z.tanh() * z.tanh() }\n";
    for code in class.values_mut() {
        code.insert("lab01-neuron".into(), [("lib.rs".to_string(), one_liners.to_string())].into());
    }
    let (base, reference) = base_and_reference();
    let found = similar(&class, &base, &reference, 0.0);
    let score = |lab: &str, a: &str, b: &str| {
        found
            .pairs
            .iter()
            .find(|p| p.lab == lab && ((p.a == a && p.b == b) || (p.a == b && p.b == a)))
            .map_or(0.0, |p| p.likeness.score)
    };
    let mut report = String::new();
    for (lab, a, b, s) in pairs(&found) {
        report.push_str(&format!("{lab} {a} {b} {s:.2}\n"));
    }
    for lab in LABS {
        assert!(score(lab, "ana", "cy-copies-ana") >= DEFAULT_THRESHOLD, "{lab}: ana's copy\n{report}");
        assert!(score(lab, "ben", "dee-copies-ben") >= DEFAULT_THRESHOLD, "{lab}: ben's copy\n{report}");
        for (a, b) in [
            ("ana", "ben"),
            ("ana", "eve-has-the-key"),
            ("ben", "eve-has-the-key"),
            ("cy-copies-ana", "dee-copies-ben"),
        ] {
            assert!(score(lab, a, b) < DEFAULT_THRESHOLD, "{lab}: {a} and {b} are independent\n{report}");
        }
        let key = |student: &str| {
            found.reference.iter().find(|p| p.lab == lab && p.a == student).map_or(0.0, |p| p.likeness.score)
        };
        assert!(key("eve-has-the-key") >= DEFAULT_THRESHOLD, "{lab}: the disguised key\n{report}");
        for student in ["ana", "ben", "cy-copies-ana", "dee-copies-ben"] {
            assert!(key(student) < DEFAULT_THRESHOLD, "{lab}: {student} wrote their own\n{report}");
        }
    }
    // The one-liners everybody writes alike make no pair at all, not even a weak one.
    assert!(found.pairs.iter().all(|p| p.lab != "lab01-neuron"), "{report}");
    // A copy's shared stretches point at the lines each side has them on.
    let copy = found.pairs.iter().find(|p| p.a == "ana" && p.b == "cy-copies-ana").unwrap();
    let top = &copy.likeness.regions[0];
    let ana = &class["ana"][&copy.lab]["lib.rs"];
    assert!(top.a.2 <= ana.lines().count() && top.a.1 <= top.a.2, "{top:?}");
}
