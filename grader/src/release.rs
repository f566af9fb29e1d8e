//! The student edition of the workbook (`grader release <OUT>`): the stubs, the public fixtures,
//! the book's text and figures, and the grader in self-check mode — nothing that holds or is
//! computed from the reference solutions (solutions, hidden-case generators, the wrong-submission
//! corpus and its snapshots, the book's generator, the grader's own tests).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;

/// Files written in place of the instructor's.
const HIDDEN_RS: &str = include_str!("../release/hidden.rs");
const README: &str = include_str!("../release/README.md");

/// What is copied, relative to the workbook root. Folders are copied whole, except what
/// [`left_out`] says.
const COPIED: &[&str] = &[
    ".gitignore",
    ".rustfmt.toml",
    "Cargo.lock",
    "labs",
    "fixtures/labs",
    "book/book.toml",
    "book/src",
    "grader/Cargo.toml",
    "grader/src",
    "grader/release",
    "grader/probes",
    "grader/check",
];

/// Paths under the copied folders that stay with the instructor.
fn left_out(rel: &Path) -> bool {
    rel.starts_with("grader/src/hidden") || rel.components().any(|c| c.as_os_str() == "target")
}

/// Writes the student edition of `ws` into `out`, which must not exist or be empty.
pub fn release(ws: &Workspace, out: &Path) -> Result<Vec<PathBuf>> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!("{} is not empty: release into a new folder", out.display());
    }
    let mut written = Vec::new();
    for rel in COPIED {
        copy(&ws.root, Path::new(rel), out, &mut written)?;
    }
    write(out, "grader/src/hidden.rs", HIDDEN_RS, &mut written)?;
    write(out, "README.md", README, &mut written)?;
    write(out, "Cargo.toml", &manifest(ws)?, &mut written)?;
    // The grader's manifest lists its tests' dev-dependencies; they are harmless without the tests.
    Ok(written)
}

fn copy(root: &Path, rel: &Path, out: &Path, written: &mut Vec<PathBuf>) -> Result<()> {
    if left_out(rel) {
        return Ok(());
    }
    let from = root.join(rel);
    if from.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&from)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            copy(root, &rel.join(entry.file_name()), out, written)?;
        }
        return Ok(());
    }
    let to = out.join(rel);
    std::fs::create_dir_all(to.parent().expect("a file has a parent"))?;
    std::fs::copy(&from, &to).with_context(|| format!("copying {}", from.display()))?;
    written.push(rel.to_path_buf());
    Ok(())
}

fn write(out: &Path, rel: &str, text: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    let to = out.join(rel);
    std::fs::create_dir_all(to.parent().expect("a file has a parent"))?;
    std::fs::write(&to, text).with_context(|| format!("writing {}", to.display()))?;
    written.push(PathBuf::from(rel));
    Ok(())
}

/// The workspace manifest without the solutions and the book's generator.
fn manifest(ws: &Workspace) -> Result<String> {
    let text = std::fs::read_to_string(ws.root.join("Cargo.toml"))?;
    let mut root: toml::Table = text.parse().context("parsing the root Cargo.toml")?;
    let workspace = root.get_mut("workspace").and_then(|w| w.as_table_mut()).context("no [workspace]")?;
    workspace.insert("members".into(), vec!["grader", "grader/check", "labs/*"].into());
    workspace.insert("default-members".into(), vec!["grader"].into());
    if let Some(deps) = workspace.get_mut("dependencies").and_then(|d| d.as_table_mut()) {
        deps.retain(|name, _| !name.ends_with("-solution"));
    }
    Ok(format!("# The student edition of nnlab, written by `cargo run -p grader -- release`.\n{root}"))
}
