//! The student edition of the workbook (`grader release <OUT>`): the stubs, the public fixtures,
//! the book's text and figures, and the grader in self-check mode — nothing that holds or is
//! computed from the reference solutions (solutions, hidden-case generators, the wrong-submission
//! corpus and its snapshots, the book's generator, the grader's own tests).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;

/// The README written in place of the instructor's.
const README: &str = include_str!("../../release/README.md");
/// The GitHub Actions workflow students get (the instructor chapter shows the same file).
pub const WORKFLOW: &str = include_str!("../../release/nnlab.yml");

/// What both the student edition and the Gradescope package hold, relative to the workbook root:
/// the stubs (for their manifests), the public fixtures and the whole grader. Folders are copied
/// whole, except what each one leaves out.
pub(crate) const WORKBOOK: &[&str] = &[
    ".rustfmt.toml",
    "Cargo.lock",
    "labs",
    "fixtures/labs",
    "fixtures/documents.yaml",
    "fixtures/data",
    "fixtures/mistakes",
    "grader/src",
    "grader/release",
    "grader/gradescope",
    "grader/probes",
    "grader/check",
    "grader/data",
    "grader/jail",
    "grader/unify",
];

/// What only the student edition adds: the book's text and figures.
const STUDENT: &[&str] = &[".gitignore", "book/book.toml", "book/assets", "book/src"];

/// Paths under the copied folders that stay with the instructor: the code of the instructor-only
/// subcommands (the edition's grader is built without its `instructor`
/// feature), and the instructor chapter with its benchmarks page.
fn left_out(rel: &Path) -> bool {
    const INSTRUCTOR: &[&str] = &[
        "grader/src/instructor.rs",
        "grader/src/instructor",
        "grader/src/generate.rs",
        "grader/src/generate",
        "grader/src/registry.rs",
        "grader/src/registry",
        "grader/gradescope",
        "grader/release",
        "book/src/instructor.md",
        "book/src/benchmarks.md",
        // Written below without the instructor chapter.
        "book/src/SUMMARY.md",
    ];
    INSTRUCTOR.iter().any(|p| rel.starts_with(p)) || rel.components().any(|c| c.as_os_str() == "target")
}

/// Writes the student edition of `ws` into `out`, which must not exist or be empty.
pub fn release(ws: &Workspace, out: &Path) -> Result<Vec<PathBuf>> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!("{} is not empty: release into a new folder", out.display());
    }
    let mut written = Vec::new();
    for rel in files(&ws.root, &[WORKBOOK, STUDENT].concat(), left_out)? {
        let (from, to) = (ws.root.join(&rel), out.join(&rel));
        std::fs::create_dir_all(to.parent().expect("a file has a parent"))?;
        std::fs::copy(&from, &to).with_context(|| format!("copying {}", from.display()))?;
        written.push(rel);
    }
    write(out, "README.md", README, &mut written)?;
    write(out, ".github/workflows/nnlab.yml", WORKFLOW, &mut written)?;
    let summary = std::fs::read_to_string(ws.root.join("book/src/SUMMARY.md"))?;
    let summary: String = summary
        .lines()
        .filter(|l| !l.contains("(instructor.md)") && !l.contains("(benchmarks.md)"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(out, "book/src/SUMMARY.md", &summary, &mut written)?;
    write(
        out,
        "Cargo.toml",
        &manifest(
            ws,
            &["grader", "grader/check", "grader/data", "grader/jail", "grader/unify", "labs/*"],
            false,
        )?,
        &mut written,
    )?;
    write(out, "grader/Cargo.toml", &grader_manifest(ws, false)?, &mut written)?;
    // The edition's own lock file, so that a student's first build does not rewrite it.
    let lock = trimmed_lock(out)?;
    std::fs::write(out.join("Cargo.lock"), lock)?;
    build_book(ws, out, &mut written)?;
    Ok(written)
}

/// Where the edition's built book goes, and the page that opens it.
const BOOK_HTML: &str = "book/html";
const BOOK_INDEX: &str = "book/index.html";

/// Builds the edition's book (its own chapters: no instructor chapter) into `book/html`, with
/// `book/index.html` leading there, so that a student reads it without compiling anything. The
/// workbook's book builder (mdBook) does it; it is not part of the edition.
fn build_book(ws: &Workspace, out: &Path, written: &mut Vec<PathBuf>) -> Result<()> {
    let cargo = Workspace::cargo();
    let built = std::process::Command::new(cargo)
        .args(["run", "-q", "-p", "nnlab-book", "--example", "build-html", "--"])
        .arg(out.join(BOOK_HTML))
        .arg(out.join("book"))
        .current_dir(&ws.root)
        .stdin(std::process::Stdio::null())
        .output()
        .context("cannot run cargo to build the edition's book")?;
    if !built.status.success() {
        bail!("the edition's book does not build:\n{}", String::from_utf8_lossy(&built.stderr));
    }
    written.extend(files(out, &[BOOK_HTML], |_| false)?);
    write(out, BOOK_INDEX, BOOK_REDIRECT, written)
}

/// `book/index.html`: opens the built book (a relative link, so it works from a file:// path).
const BOOK_REDIRECT: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=html/index.html">
<title>nnlab — the course book</title>
</head>
<body>
<p><a href="html/index.html">Open the course book</a>.</p>
</body>
</html>
"#;

/// Every file under the paths `rels` of `root` (files or folders), relative to `root`, in a
/// stable order, except those `skip` names.
pub(crate) fn files(root: &Path, rels: &[&str], skip: fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut todo: Vec<PathBuf> = rels.iter().rev().map(PathBuf::from).collect();
    while let Some(rel) = todo.pop() {
        if skip(&rel) {
            continue;
        }
        let path = root.join(&rel);
        if path.is_dir() {
            let mut names: Vec<_> =
                std::fs::read_dir(&path)?.map(|e| e.map(|e| e.file_name())).collect::<Result<_, _>>()?;
            names.sort();
            todo.extend(names.into_iter().rev().map(|n| rel.join(n)));
        } else if path.is_file() {
            found.push(rel);
        } else {
            bail!("{} is missing from the workbook", path.display());
        }
    }
    Ok(found)
}

fn write(out: &Path, rel: &str, text: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    let to = out.join(rel);
    std::fs::create_dir_all(to.parent().expect("a file has a parent"))?;
    std::fs::write(&to, text).with_context(|| format!("writing {}", to.display()))?;
    written.push(PathBuf::from(rel));
    Ok(())
}

/// The lock file of the workspace in `dir` (which holds a copy of the workbook's Cargo.lock):
/// the copy without the crates that workspace does not use, every other version unchanged.
/// `cargo update --workspace` resolves offline from the lock file and writes it back.
pub(crate) fn trimmed_lock(dir: &Path) -> Result<String> {
    let cargo = Workspace::cargo();
    let run = std::process::Command::new(cargo)
        .args(["update", "--workspace", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .stdout(std::process::Stdio::null())
        .output()
        .context("running cargo update")?;
    if !run.status.success() {
        bail!("cargo update failed in {}:\n{}", dir.display(), String::from_utf8_lossy(&run.stderr));
    }
    std::fs::read_to_string(dir.join("Cargo.lock")).context("reading the trimmed Cargo.lock")
}

/// The workspace manifest with only `members` (the first is the default member); the solutions'
/// entries in the shared dependencies are kept only when `solutions` is set.
pub(crate) fn manifest(ws: &Workspace, members: &[&str], solutions: bool) -> Result<String> {
    let text = std::fs::read_to_string(ws.root.join("Cargo.toml"))?;
    let mut root: toml::Table = text.parse().context("parsing the root Cargo.toml")?;
    let everyone = root_members(&root, &ws.root)?;
    let workspace = root.get_mut("workspace").and_then(|w| w.as_table_mut()).context("no [workspace]")?;
    workspace.insert("members".into(), members.to_vec().into());
    workspace.insert("default-members".into(), members[..1].to_vec().into());
    if let Some(deps) = workspace.get_mut("dependencies").and_then(|d| d.as_table_mut()) {
        // The solutions and the hidden cases, which need them, go together.
        deps.retain(|name, _| solutions || !(name.ends_with("-solution") || name == "nnlab-hidden"));
    }
    // The profile's settings for workbook crates left out (the book's generator), which cargo
    // would warn about on every build.
    let kept = packages_in(&ws.root, members.iter().copied())?;
    if let Some(packages) = root
        .get_mut("profile")
        .and_then(|p| p.get_mut("dev"))
        .and_then(|d| d.get_mut("package"))
        .and_then(|p| p.as_table_mut())
    {
        packages.retain(|name, _| !everyone.contains(name) || kept.contains(name));
    }
    Ok(format!("# A partial nnlab workspace, written by the grader.\n{root}"))
}

/// The names of the root workspace's members.
fn root_members(root: &toml::Table, dir: &Path) -> Result<std::collections::BTreeSet<String>> {
    let patterns = root["workspace"]["members"].as_array().context("no [workspace] members")?;
    packages_in(dir, patterns.iter().filter_map(|p| p.as_str()))
}

/// The names of the packages in the member folders `patterns` of `dir` (`labs/*`: every folder
/// of `labs/`).
fn packages_in<'p>(
    dir: &Path,
    patterns: impl Iterator<Item = &'p str>,
) -> Result<std::collections::BTreeSet<String>> {
    let mut names = std::collections::BTreeSet::new();
    for pattern in patterns {
        let folders: Vec<PathBuf> = match pattern.strip_suffix("/*") {
            Some(parent) => {
                std::fs::read_dir(dir.join(parent))?.filter_map(|e| Some(e.ok()?.path())).collect()
            }
            None => vec![dir.join(pattern)],
        };
        for folder in folders {
            let Ok(text) = std::fs::read_to_string(folder.join("Cargo.toml")) else { continue };
            let manifest: toml::Table =
                text.parse().with_context(|| format!("parsing {}", folder.display()))?;
            if let Some(name) = manifest.get("package").and_then(|p| p.get("name")).and_then(|n| n.as_str()) {
                names.insert(name.to_string());
            }
        }
    }
    Ok(names)
}

/// The grader's manifest without its benchmarks, which need the whole instructor tree, and
/// without the instructor-only subcommands unless `instructor`.
pub(crate) fn grader_manifest(ws: &Workspace, instructor: bool) -> Result<String> {
    let path = ws.root.join("grader/Cargo.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut manifest: toml::Table = text.parse().with_context(|| format!("parsing {}", path.display()))?;
    manifest.remove("bench");
    if !instructor {
        let features =
            manifest.get_mut("features").and_then(|f| f.as_table_mut()).context("no [features]")?;
        features.insert("default".into(), toml::Value::Array(vec![]));
        features.insert("instructor".into(), toml::Value::Array(vec![]));
        let deps =
            manifest.get_mut("dependencies").and_then(|d| d.as_table_mut()).context("no [dependencies]")?;
        deps.remove("nnlab-hidden");
    }
    Ok(manifest.to_string())
}
