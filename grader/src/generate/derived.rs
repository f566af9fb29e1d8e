//! The files that repeat the registry's list of labs, generated from it: the root manifest's
//! default members and reference dependencies, the book's dependencies, the lab lines of the
//! book's SUMMARY.md and of the README's table, and each lab's `Cargo.toml` and
//! `tests/public.rs`, and the probes' arms for exercises of plain values ([`super::dispatch`]).
//! `cargo run -p grader -- generate` writes them; a test fails when one is
//! stale, the way it does for the stubs.
//!
//! Files that hold more than the list (the manifests, SUMMARY.md, the README) keep their other
//! lines: only the lines that name labs are replaced.

use std::path::PathBuf;

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
        let manifest = std::fs::read_to_string(solution.join("Cargo.toml"))?;
        let dir = root.join("labs").join(&lab.lab);
        out.push((dir.join("Cargo.toml"), lab_manifest(lab, &manifest)?));
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
    let is_default_members = |l: &str| l.starts_with("default-members = ");
    let line = text.lines().find(|l| is_default_members(l)).context("no default-members")?;
    let list = line.trim_start_matches("default-members = ");
    let kept: Vec<String> = toml::from_str::<toml::Table>(&format!("m = {list}"))?["m"]
        .as_array()
        .context("default-members is not a list")?
        .iter()
        .filter_map(|m| m.as_str())
        .filter(|m| !m.starts_with("solutions/"))
        .map(|m| format!("{m:?}"))
        .chain(labs.iter().map(|l| format!("\"solutions/{}\"", l.lab)))
        .collect();
    replace_run(
        &text,
        "default-members",
        is_default_members,
        &[format!("default-members = [{}]", kept.join(", "))],
    )
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

/// A lab's manifest: the reference's dependencies, with the references of other labs replaced by
/// the student's own labs.
fn lab_manifest(lab: &LabFixture, solution_manifest: &str) -> Result<String> {
    let mut deps = Vec::new();
    let mut labs = Vec::new();
    let mut in_deps = false;
    for line in solution_manifest.lines() {
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if !in_deps || line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(['.', ' ', '=']).next().unwrap_or_default();
        if line.contains("-solution\"") {
            labs.push(name.to_string());
        } else if line.ends_with(".workspace = true") {
            deps.push(line.to_string());
        } else {
            bail!(
                "{}: the reference's dependency `{line}` is neither a workspace dependency nor a lab",
                lab.lab
            );
        }
    }
    let mut text = format!(
        "# Generated from fixtures/labs/{lab}.yaml and the reference's manifest by the instructor's\n\
         # `cargo run -p grader -- generate`: edit those instead.\n\
         [package]\n\
         name = \"{lab}\"\n\
         description = \"Lab {n} of nnlab: {title}. Fill in the todo!()s, then run `cargo test -p {lab}`.\"\n\
         version.workspace = true\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         publish.workspace = true\n\
         license.workspace = true\n\n\
         [lib]\n\
         doctest = false\n\n\
         [dependencies]\n",
        lab = lab.lab,
        n = lab.number(),
        title = lowercase_first(&lab.title),
    );
    for dep in &deps {
        text.push_str(dep);
        text.push('\n');
    }
    if !labs.is_empty() {
        let numbers: Vec<&str> = labs.iter().map(|l| l.get(3..5).unwrap_or("??")).collect();
        let (last, rest) = numbers.split_last().expect("not empty");
        let named = if rest.is_empty() {
            format!("lab {last}")
        } else {
            format!("labs {} and {last}", rest.join(", "))
        };
        text.push_str(&format!(
            "# Your own {named}. The grader links the reference versions instead, so a mistake there\n\
             # does not cost points twice.\n"
        ));
        for l in &labs {
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
    Ok(text)
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
    fn a_labs_manifest_takes_the_references_dependencies_with_its_own_labs() {
        let lab: LabFixture = serde_yaml_ng::from_str(
            "lab: lab09-attention\ntitle: Attention\nchapter: lab09-attention.md\nsummary: s\nexercises: []\ncases: []\n",
        )
        .unwrap();
        let reference = "[package]\nname = \"x\"\n\n[dependencies]\nfaer.workspace = true\n# a comment\n\
                         lab05-backprop = { package = \"lab05-backprop-solution\", path = \"../lab05-backprop\" }\n\n\
                         [dev-dependencies]\ninsta.workspace = true\n";
        let manifest = lab_manifest(&lab, reference).unwrap();
        assert!(manifest.contains("description = \"Lab 09 of nnlab: attention."), "{manifest}");
        assert!(manifest.contains("\nfaer.workspace = true\n# Your own lab 05."), "{manifest}");
        assert!(manifest.contains("\nlab05-backprop = { path = \"../lab05-backprop\" }\n"), "{manifest}");
        assert!(!manifest.contains("insta"), "{manifest}");
        let odd = "[dependencies]\nserde = \"1\"\n";
        assert!(lab_manifest(&lab, odd).is_err(), "a dependency the workspace does not declare is refused");
    }
}
