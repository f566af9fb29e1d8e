//! The files that repeat the registry's list of labs, generated from it: the root manifest's
//! default members and reference dependencies, the book's dependencies, the lab lines of the
//! book's SUMMARY.md and of the README's table, each lab's `Cargo.toml` and `tests/public.rs`,
//! its reference's `Cargo.toml` (from the registry's `uses`, `tests_use` and calls), and the
//! probes' arms for exercises of plain values ([`super::dispatch`]).
//! `cargo run -p grader -- generate` writes them; a test fails when one is
//! stale, the way it does for the stubs.
//!
//! Files that hold more than the list (the manifests, SUMMARY.md, the README) keep their other
//! lines: only the lines that name labs are replaced.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nnlab_check::LabFixture;

use super::replace_run;
use crate::registry::Registry;
use crate::workspace::Workspace;

/// Every derived file with the text it should have.
pub fn files(ws: &Workspace, registry: &Registry) -> Result<Vec<(PathBuf, String)>> {
    let root = &ws.root;
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).with_context(|| format!("reading {rel}"));
    let labs = &registry.labs;
    let mut out = vec![
        (root.join("Cargo.toml"), root_manifest(&read("Cargo.toml")?, labs)?),
        (root.join("book/Cargo.toml"), book_manifest(&read("book/Cargo.toml")?, labs)?),
        (root.join("book/src/SUMMARY.md"), summary(&read("book/src/SUMMARY.md")?, labs)?),
        (root.join("README.md"), readme(&read("README.md")?, registry)?),
    ];
    for lab in labs {
        let solution = ws.solution(&lab.lab).with_context(|| format!("no reference of {}", lab.lab))?;
        let deps = Dependencies::of(registry, lab)?;
        let benches = bench_names(&solution.join("benches"))?;
        out.push((solution.join("Cargo.toml"), reference_manifest(lab, &deps, &benches)));
        let dir = root.join("labs").join(&lab.lab);
        out.push((dir.join("Cargo.toml"), lab_manifest(lab, &deps)));
        out.push((solution.join("src/.rustfmt.toml"), RUSTFMT.to_string()));
        out.push((dir.join("src/.rustfmt.toml"), RUSTFMT.to_string()));
        out.push((dir.join("tests/public.rs"), public_tests(lab)));
        let probe_path = root.join("grader/probes").join(format!("{}.rs", lab.lab));
        // A lab whose exercises all take and return plain values has no hand-written part.
        let probe = std::fs::read_to_string(&probe_path).ok();
        let reference = std::fs::read_to_string(solution.join("src/lib.rs"))?;
        out.push((probe_path, super::dispatch::probe_file(root, lab, probe.as_deref(), &reference)?));
    }
    Ok(out)
}

/// A dependency line on a lab's reference: `lab01-neuron-solution = …` or
/// `lab01-neuron-solution.workspace = true`.
fn is_solution_dependency(line: &str) -> bool {
    line.starts_with("lab") && line.split(['.', ' ']).next().is_some_and(|name| name.ends_with("-solution"))
}

fn root_manifest(text: &str, labs: &[LabFixture]) -> Result<String> {
    let deps: Vec<String> =
        labs.iter().map(|l| format!("{}-solution = {{ path = \"solutions/{}\" }}", l.lab, l.lab)).collect();
    let text = replace_run(text, "reference dependency", is_solution_dependency, &deps)?;
    // The members are listed, not globbed: a new lab's reference is no member (and cargo still
    // loads the workspace) until `generate` has written its manifest.
    let stubs = labs.iter().map(|l| format!("labs/{}", l.lab));
    let references: Vec<String> = labs.iter().map(|l| format!("solutions/{}", l.lab)).collect();
    let text = member_list(&text, "members", stubs.chain(references.iter().cloned()).collect())?;
    member_list(&text, "default-members", references)
}

/// `key = [...]` with its members outside `labs/` and `solutions/` kept, then `labs`.
fn member_list(text: &str, key: &str, labs: Vec<String>) -> Result<String> {
    let prefix = format!("{key} = ");
    let is_line = |l: &str| l.starts_with(&prefix);
    let line = text.lines().find(|l| is_line(l)).with_context(|| format!("no {key}"))?;
    let list = line.trim_start_matches(&prefix);
    let kept: Vec<String> = toml::from_str::<toml::Table>(&format!("m = {list}"))?["m"]
        .as_array()
        .with_context(|| format!("{key} is not a list"))?
        .iter()
        .filter_map(|m| m.as_str())
        .filter(|m| !m.starts_with("solutions/") && !m.starts_with("labs/"))
        .map(|m| format!("{m:?}"))
        .chain(labs.iter().map(|l| format!("{l:?}")))
        .collect();
    replace_run(text, key, is_line, &[format!("{prefix}[{}]", kept.join(", "))])
}

fn book_manifest(text: &str, labs: &[LabFixture]) -> Result<String> {
    let deps: Vec<String> = labs.iter().map(|l| format!("{}-solution.workspace = true", l.lab)).collect();
    replace_run(text, "reference dependency", is_solution_dependency, &deps)
}

fn summary(text: &str, labs: &[LabFixture]) -> Result<String> {
    let lines: Vec<String> = labs.iter().map(|l| format!("- [{}]({})", l.heading(), l.chapter)).collect();
    replace_run(text, "lab", |l| l.starts_with("- [Lab "), &lines)
}

fn readme(text: &str, registry: &Registry) -> Result<String> {
    let mut lines =
        vec!["| Lab | Crate | You write | Builds on |".to_string(), "|---|---|---|---|".to_string()];
    for lab in &registry.labs {
        let on: Vec<&str> = registry.builds_on(lab).into_iter().map(LabFixture::number).collect();
        let on = if on.is_empty() { "—".to_string() } else { on.join(", ") };
        lines.push(format!("| {} | `{}` | {} | {on} |", lab.number(), lab.lab, lab.summary));
    }
    replace_run(text, "table", |l| l.starts_with("| Lab |") || l.starts_with("|---") || is_lab_row(l), &lines)
}

fn is_lab_row(line: &str) -> bool {
    line.len() > 5
        && line.starts_with("| ")
        && line[2..4].bytes().all(|b| b.is_ascii_digit())
        && &line[4..6] == " |"
}

/// The formatting of a lab's sources, the reference's and the stubs'.
const RUSTFMT: &str = "\
# Generated by `cargo run -p grader -- generate`. The book shows this lab's sources (doc comments,
# signatures, the stubs) in a column of about 85 monospace characters, so they are formatted to 80
# columns; the rest of the workspace keeps the root's 110. rustfmt does not rewrap comments: the
# book's tests check that none is wider than 80. The file sits in src/ so that tests/, which
# includes the grader's probes, keeps the root's width.
max_width = 80
use_small_heuristics = \"Max\"
";

/// What a lab's manifests depend on, read from the registry.
struct Dependencies {
    /// Workspace dependencies of the lab's code.
    crates: Vec<String>,
    /// Labs the lab's code uses: those it declares and those whose exercises it calls.
    labs: Vec<String>,
    /// Workspace dependencies of the reference's tests.
    test_crates: Vec<String>,
    /// Labs the reference's tests use.
    test_labs: Vec<String>,
}

impl Dependencies {
    fn of(registry: &Registry, lab: &LabFixture) -> Result<Dependencies> {
        let is_lab = |name: &str| registry.lab(name).is_some();
        let split = |names: &[String]| -> (Vec<String>, Vec<String>) {
            names.iter().cloned().partition(|n| !is_lab(n))
        };
        let (crates, mut labs) = split(&lab.uses);
        labs.extend(registry.builds_on(lab).into_iter().map(|l| l.lab.clone()));
        labs.sort();
        labs.dedup();
        let (test_crates, test_labs) = split(&lab.tests_use);
        for name in labs.iter().chain(&test_labs) {
            if *name == lab.lab {
                bail!("{} names itself as a dependency", lab.lab);
            }
        }
        Ok(Dependencies { crates, labs, test_crates, test_labs })
    }
}

/// The bench targets of a reference: the files of its `benches/` (each a binary of its own, not
/// libtest's nightly harness).
fn bench_names(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries {
                let path = entry?.path();
                if path.extension() == Some("rs".as_ref()) {
                    names.extend(path.file_stem().and_then(|s| s.to_str()).map(String::from));
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    }
    names.sort();
    Ok(names)
}

/// "lab 05", "labs 05 and 06", "labs 05, 06 and 07".
fn lab_numbers(labs: &[String]) -> String {
    let numbers: Vec<&str> = labs.iter().map(|l| l.get(3..5).unwrap_or("??")).collect();
    match numbers.split_last() {
        Some((last, [])) => format!("lab {last}"),
        Some((last, rest)) => format!("labs {} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A manifest's head: `comment`, the package `name` and `description` with the workspace's
/// settings, and its `[dependencies]` on the workspace's `crates`.
fn head(comment: &str, name: &str, description: &str, crates: &[String]) -> String {
    let mut text =
        format!("{comment}\n[package]\nname = \"{name}\"\ndescription = \"{description}\"\n{PACKAGE}");
    for c in crates {
        text.push_str(&format!("{c}.workspace = true\n"));
    }
    text
}

/// The head both manifests share: the package, after `name` and `description`.
const PACKAGE: &str = "version.workspace = true\n\
                       edition.workspace = true\n\
                       rust-version.workspace = true\n\
                       publish.workspace = true\n\
                       license.workspace = true\n\n\
                       [lib]\n\
                       doctest = false\n\n\
                       [dependencies]\n";

/// The reference's manifest: the lab's dependencies with the other labs' references.
fn reference_manifest(lab: &LabFixture, deps: &Dependencies, benches: &[String]) -> String {
    let reference = |l: &String| format!("{l} = {{ package = \"{l}-solution\", path = \"../{l}\" }}\n");
    let (l, n, title) = (&lab.lab, lab.number(), lowercase_first(&lab.title));
    let mut text = head(
        &format!(
            "# Generated from fixtures/labs/{l}.yaml (`uses`, `tests_use`, the exercises' `calls`) by\n\
             # `cargo run -p grader -- generate`: edit that instead."
        ),
        &format!("{l}-solution"),
        &format!(
            "Reference solution of lab {n} ({title}): the source the stubs in labs/{l} are generated from."
        ),
        &deps.crates,
    );
    if !deps.labs.is_empty() {
        text.push_str(&format!(
            "# Lab {} builds on {}, here the references'.\n",
            lab.number(),
            lab_numbers(&deps.labs)
        ));
        text.extend(deps.labs.iter().map(reference));
    }
    if !deps.test_crates.is_empty() || !deps.test_labs.is_empty() {
        text.push_str("\n[dev-dependencies]\n");
        for c in &deps.test_crates {
            text.push_str(&format!("{c}.workspace = true\n"));
        }
        if !deps.test_labs.is_empty() {
            text.push_str(&format!(
                "# Tests that hold this lab and {} together.\n",
                lab_numbers(&deps.test_labs)
            ));
            text.extend(deps.test_labs.iter().map(reference));
        }
    }
    text.push_str("\n[lints]\nworkspace = true\n");
    for bench in benches {
        text.push_str(&format!(
            "\n# A bench binary, not a timed test: `cargo bench -p {}-solution --bench {bench}`.\n\
             [[bench]]\nname = \"{bench}\"\nharness = false\n",
            lab.lab
        ));
    }
    text
}

/// A lab's manifest: the lab's dependencies, with the student's own labs.
fn lab_manifest(lab: &LabFixture, deps: &Dependencies) -> String {
    let (l, n, title) = (&lab.lab, lab.number(), lowercase_first(&lab.title));
    let mut text = head(
        &format!(
            "# Generated from fixtures/labs/{l}.yaml by the instructor's `cargo run -p grader --\n\
             # generate`: edit that instead."
        ),
        l,
        &format!("Lab {n} of nnlab: {title}. Fill in the todo!()s, then run `cargo test -p {l}`."),
        &deps.crates,
    );
    if !deps.labs.is_empty() {
        text.push_str(&format!(
            "# Your own {}. The grader links the reference versions instead, so a mistake there\n\
             # does not cost points twice.\n",
            lab_numbers(&deps.labs)
        ));
        for l in &deps.labs {
            text.push_str(&format!("{l} = {{ path = \"../{l}\" }}\n"));
        }
    }
    text.push_str(
        "\n[dev-dependencies]\n\
         nnlab-check.workspace = true\n\n\
         # The public checks print one block per exercise instead of libtest's panics.\n\
         [[test]]\n\
         name = \"public\"\n\
         harness = false\n\n\
         [lints]\n\
         workspace = true\n",
    );
    text
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// A lab's public test: the probe's dispatch run on the fixture's cases.
fn public_tests(lab: &LabFixture) -> String {
    format!(
        "//! The public checks of lab {n}: every worked example of fixtures/labs/{lab}.yaml, run on\n\
         //! your code. The grader adds hidden randomized cases where it has the reference solutions (the\n\
         //! instructor's workbook); in the student edition, `cargo run -p grader` grades these cases with points.\n\
         //! (Generated by `cargo run -p grader -- generate`.)\n\n\
         nnlab_check::public_checks!({krate}, \"../../../grader/probes/{lab}.rs\");\n",
        n = lab.number(),
        lab = lab.lab,
        krate = lab.lab.replace('-', "_"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_run_of_lab_lines_is_replaced() {
        let text = "a\nlab1-solution = 1\nlab2-solution.workspace = true\nz\n";
        let lines = vec!["lab9-solution = 9".to_string()];
        let out = replace_run(text, "dependency", is_solution_dependency, &lines).unwrap();
        assert_eq!(out, "a\nlab9-solution = 9\nz\n");
        // Two runs, or none, are an error rather than a guess.
        assert!(
            replace_run("lab1-solution = 1\nx\nlab2-solution = 2\n", "d", is_solution_dependency, &lines)
                .is_err()
        );
        assert!(replace_run("x\n", "d", is_solution_dependency, &lines).is_err());
    }

    #[test]
    fn both_manifests_take_the_labs_dependencies_and_differ_in_whose_labs() {
        let lab: LabFixture = serde_yaml_ng::from_str(
            "lab: lab09-attention\ntitle: Attention\nchapter: c.md\nsummary: s\nuses: [faer]\n\
             tests_use: [insta]\nexercises: []\ncases: []\n",
        )
        .unwrap();
        let deps = Dependencies {
            crates: lab.uses.clone(),
            labs: vec!["lab05-backprop".into(), "lab06-optimizers".into()],
            test_crates: lab.tests_use.clone(),
            test_labs: vec!["lab04-loss".into()],
        };
        let student = lab_manifest(&lab, &deps);
        assert!(student.contains("description = \"Lab 09 of nnlab: attention."), "{student}");
        assert!(student.contains("\nfaer.workspace = true\n# Your own labs 05 and 06."), "{student}");
        assert!(student.contains("\nlab05-backprop = { path = \"../lab05-backprop\" }\n"), "{student}");
        assert!(!student.contains("insta") && !student.contains("lab04"), "{student}");
        let reference = reference_manifest(&lab, &deps, &["speed".into()]);
        assert!(reference.contains("name = \"lab09-attention-solution\""), "{reference}");
        assert!(
            reference.contains("lab06-optimizers = { package = \"lab06-optimizers-solution\", path = \"../lab06-optimizers\" }"),
            "{reference}"
        );
        assert!(
            reference.contains(
                "[dev-dependencies]\ninsta.workspace = true\n# Tests that hold this lab and lab 04"
            )
        );
        assert!(reference.contains("[[bench]]\nname = \"speed\"\nharness = false"), "{reference}");
        toml::from_str::<toml::Table>(&reference).unwrap();
        toml::from_str::<toml::Table>(&student).unwrap();
    }
}
