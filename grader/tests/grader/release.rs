//! The student edition builds on its own, holds nothing computed from the reference, and its
//! grader grades the public cases.

use std::path::Path;
use std::process::Command;

use quote::ToTokens;

use crate::common::{one_at_a_time, other_tree_target, workspace};

#[test]
fn the_student_edition_builds_and_grades_the_public_cases() {
    let ws = workspace();
    let out = ws.scratch().join("test-release");
    let _ = std::fs::remove_dir_all(&out);
    let written = grader::instructor::release::release(&ws, &out).unwrap();
    for path in &written {
        let text = path.display().to_string();
        assert!(
            !text.starts_with("solutions")
                && !text.starts_with("grader/hidden/")
                && !text.starts_with("grader/src/registry")
                && !text.contains("snapshots"),
            "{text} must not be released"
        );
    }
    assert!(!out.join("solutions").exists() && !out.join("fixtures/submissions").exists());
    assert!(!out.join("fixtures/mutants").exists(), "the mutants' sentences are the instructor's");
    // The hidden cases are a crate the edition leaves out, named nowhere in its manifests.
    assert!(!out.join("grader/hidden").exists(), "the hidden-case generators were released");
    for manifest in ["Cargo.toml", "grader/Cargo.toml"] {
        let text = std::fs::read_to_string(out.join(manifest)).unwrap();
        assert!(!text.contains("nnlab-hidden"), "the edition's {manifest} names the hidden cases:\n{text}");
    }

    // The book a student builds has every file its book.toml names (the formulas' script and
    // style) and the KaTeX copy that script loads.
    let book_toml = std::fs::read_to_string(out.join("book/book.toml")).unwrap();
    let named = book_toml
        .lines()
        .filter(|l| l.starts_with("additional-"))
        .flat_map(|l| l.split('"').skip(1).step_by(2));
    for file in named.chain(["src/katex/katex.min.js", "src/katex/katex.min.css"]) {
        assert!(out.join("book").join(file).is_file(), "the student edition's book lacks {file}");
    }

    // The book is built: book/index.html opens it, no compiler needed, and it is the edition's
    // book (no instructor chapter).
    let index = std::fs::read_to_string(out.join("book/index.html")).unwrap();
    assert!(index.contains(r#"url=html/index.html"#), "{index}");
    for page in ["index.html", "lab01-neuron.html", "lab08-regularization.html", "katex/katex.min.js"] {
        assert!(out.join("book/html").join(page).is_file(), "the edition's built book lacks {page}");
    }
    let chapter = std::fs::read_to_string(out.join("book/html/lab05-backprop.html")).unwrap();
    let figure = "figures/lab05-backprop/gradient-check.svg";
    assert!(chapter.contains(figure) && out.join("book/html").join(figure).is_file(), "lab 05's figure");
    assert!(!out.join("book/html/instructor.html").exists(), "the edition's book has the instructor chapter");

    // Nothing instructor-only: no chapter for instructors, no instructor subcommands (below).
    assert!(!out.join("book/src/instructor.md").exists() && !out.join("book/src/benchmarks.md").exists());
    let summary = std::fs::read_to_string(out.join("book/src/SUMMARY.md")).unwrap();
    assert!(
        !summary.contains("instructor")
            && !summary.contains("benchmarks")
            && summary.contains("lab01-neuron.md"),
        "{summary}"
    );
    let copied = mirrored_reference_code(&ws.root, &out);
    assert!(copied.is_empty(), "the student edition holds the reference's code:\n{}", copied.join("\n"));
    // The scan finds a copy, reformatted and inside another function.
    let leak = out.join("grader/src/leak.rs");
    let reference = std::fs::read_to_string(ws.root.join("solutions/lab05-backprop/src/lib.rs")).unwrap();
    let body = reference.split("pub fn output_delta").nth(1).unwrap();
    let body = &body[body.find('{').unwrap()..];
    let body = &body[..body.find("\n}\n").unwrap() + 2];
    std::fs::write(&leak, format!("fn elsewhere() {}", body.replace('\n', "\n\n    "))).unwrap();
    let found = mirrored_reference_code(&ws.root, &out);
    assert!(found.iter().any(|f| f.contains("lab05-backprop::output_delta")), "{found:?}\n{body}");
    std::fs::remove_file(&leak).unwrap();

    // Build and run it as a student would, with the command its GitHub workflow runs, sharing
    // compiled dependencies with this workbook.
    let _guard = one_at_a_time();
    let cargo = grader::workspace::Workspace::cargo();
    let target = other_tree_target(&ws);
    let command = workflow_command(&out.join(".github/workflows/nnlab.yml"));
    let lock = std::fs::read_to_string(out.join("Cargo.lock")).unwrap();
    assert!(command.starts_with("cargo run -p grader"), "{command}");
    let run = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &command])
        .current_dir(&out)
        .env("CARGO", &cargo)
        .env("CARGO_TARGET_DIR", &target)
        .env("NNLAB_PROBE_TARGET", &target)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let report = std::fs::read_to_string(out.join("report.txt")).unwrap();
    assert!(report.contains("public cases only"), "{report}");
    assert!(report.contains("not implemented yet"), "{report}");
    assert!(report.lines().last().unwrap().contains("0.00 /"), "{report}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["score"], 0.0);
    let after = std::fs::read_to_string(out.join("Cargo.lock")).unwrap();
    assert!(after == lock, "building the edition changed its Cargo.lock");
    assert!(
        !lock.contains("name = \"mdbook-driver\""),
        "the edition's Cargo.lock names crates it does not use"
    );

    let instructor_only = Command::new(&cargo)
        .args(["run", "-q", "-p", "grader", "--", "grade", "class", "--out", "grades"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&instructor_only.stderr);
    assert!(
        !instructor_only.status.success() && stderr.contains("unrecognized subcommand 'grade'"),
        "{stderr}"
    );

    // Its public tests run, say what is missing, and promise nothing the edition lacks.
    let test = Command::new(&cargo)
        .args(["test", "-q", "-p", "lab01-neuron"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&test.stdout);
    assert!(!test.status.success() && shown.contains("not implemented yet"), "{shown}");
    assert!(shown.contains("your instructor's grading adds hidden randomized cases"), "{shown}");
    assert!(!shown.contains("from the workbook root"), "{shown}");
}

/// The command of the workflow's grading step.
fn workflow_command(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let steps = workflow["jobs"]["public-checks"]["steps"].as_sequence().expect("steps");
    assert!(steps.iter().any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@"))));
    let grading = steps.iter().find(|s| s["name"] == "Grade the public cases").expect("a grading step");
    grading["run"].as_str().expect("a command").to_string()
}

/// Where the edition under `edition` holds code of the reference's exercise functions: two
/// consecutive statements of an exercise's body (or a whole body of one long expression), compared
/// as tokens, so that renaming nothing and reformatting does not hide a copy.
fn mirrored_reference_code(root: &Path, edition: &Path) -> Vec<String> {
    let mut snippets: Vec<(String, String)> = Vec::new();
    for lab in std::fs::read_dir(root.join("solutions")).unwrap() {
        let lab = lab.unwrap().file_name().to_string_lossy().to_string();
        let stub = parse(&root.join("labs").join(&lab).join("src/lib.rs"));
        let reference = parse(&root.join("solutions").join(&lab).join("src/lib.rs"));
        let exercises: Vec<String> =
            functions(&stub).into_iter().filter(|(_, b)| is_todo(b)).map(|(name, _)| name).collect();
        for (name, body) in functions(&reference).into_iter().filter(|(n, _)| exercises.contains(n)) {
            let stmts: Vec<String> = body.stmts.iter().map(|s| s.to_token_stream().to_string()).collect();
            let windows: Vec<String> = if stmts.len() >= 2 {
                stmts.windows(2).map(|w| w.join(" ")).collect()
            } else {
                stmts.into_iter().filter(|s| s.len() >= 40).collect()
            };
            snippets.extend(windows.into_iter().map(|w| (format!("{lab}::{name}"), w)));
        }
    }
    assert!(snippets.len() > 100, "too few reference snippets found: {}", snippets.len());
    let mut found = Vec::new();
    let mut todo = vec![edition.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let tokens = parse(&path).to_token_stream().to_string();
                for (function, snippet) in &snippets {
                    if tokens.contains(snippet.as_str()) {
                        found.push(format!("{} holds code of {function}: {snippet}", path.display()));
                    }
                }
            }
        }
    }
    found
}

fn parse(path: &Path) -> syn::File {
    syn::parse_file(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every function and method of `file` with its body, by name.
fn functions(file: &syn::File) -> Vec<(String, syn::Block)> {
    let mut found = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => found.push((f.sig.ident.to_string(), (*f.block).clone())),
            syn::Item::Impl(i) => {
                for item in &i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        found.push((f.sig.ident.to_string(), f.block.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn is_todo(body: &syn::Block) -> bool {
    body.to_token_stream().to_string().contains("todo !")
}
