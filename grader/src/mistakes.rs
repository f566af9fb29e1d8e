//! The catalogue of known mistakes. A wrong submission (`submissions` of
//! `fixtures/submissions/<lab>.yaml`, by name) is the reference with the edits a student's typical mistake makes; one that also carries a
//! `diagnosis` is a catalogued mistake: the grader builds it like the reference (trusted, on the
//! grader's side, never sent to the student's probe) and, when an exercise fails, compares the
//! student's answers on the failing cases with the mistake's answers on the same inputs.
//!
//! The same specs drive the wrong-submission corpus of the grader's tests, so that a catalogued
//! mistake is also graded as a student would submit it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::compile::write_if_changed;
use crate::mutants::Notes;
use crate::workspace::Workspace;

/// One wrong submission.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The lab the edits apply to: the lab whose file holds the spec, named in hostile ones.
    #[serde(default)]
    pub lab: String,
    /// The mistake, as a student would make it (shown in the snapshot's header).
    pub mistake: String,
    /// The total the submission must score.
    pub score: f64,
    /// What the edits start from: the reference (default) or the stub.
    #[serde(default)]
    pub base: Base,
    /// Find/replace edits of `src/lib.rs`; each `find` must occur exactly once.
    pub edits: Vec<Edit>,
    /// Text appended to `src/lib.rs`.
    #[serde(default)]
    pub append: String,
    /// More files of the lab's folder, by path relative to it (`src/x.rs`, `Cargo.toml`, …).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Symbolic links in the lab's folder, by path relative to it, to their targets (`{root}`
    /// stands for the workbook's root); a link replaces whatever the path held.
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// Named pipes (FIFOs) in the lab's folder, by path relative to it.
    #[serde(default)]
    pub fifos: Vec<String>,
    /// Other labs submitted as their reference, unedited.
    #[serde(default)]
    pub extra_labs: Vec<String>,
    /// What the grader says when a student's answers match this submission's: present for the
    /// catalogued mistakes.
    #[serde(default)]
    pub diagnosis: Option<Diagnosis>,
    /// The catalogued mistake this submission must be diagnosed as, when it is another way of
    /// writing one (the corpus measures the diagnosis on these).
    #[serde(default)]
    pub diagnosed_as: Option<String>,
}

/// The diagnosis of a catalogued mistake.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// The exercises whose own code holds the mistake (not those that only call them).
    pub exercises: Vec<String>,
    /// What the mistake is and what to change, one sentence a student can act on.
    pub says: String,
}

/// What a wrong submission starts from.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// The reference solution.
    #[default]
    Reference,
    /// The stub.
    Stub,
}

/// One find/replace edit.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Text that occurs exactly once.
    pub find: String,
    /// What it becomes.
    pub replace: String,
}

/// A catalogued mistake.
#[derive(Clone, Debug, PartialEq)]
pub struct Mistake {
    /// Its lab.
    pub lab: String,
    /// Its name: the spec's key in the lab's file.
    pub name: String,
    /// The exercises it is a diagnosis for, and what it says.
    pub diagnosis: Diagnosis,
}

impl Spec {
    /// The spec's `src/lib.rs`: its base with the edits made and the text appended.
    pub fn lib_rs(&self, root: &Path) -> Result<String> {
        let base = match self.base {
            Base::Reference => root.join("solutions"),
            Base::Stub => root.join("labs"),
        };
        let path = base.join(&self.lab).join("src/lib.rs");
        let mut src =
            std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for edit in &self.edits {
            let n = src.matches(&edit.find).count();
            if n != 1 {
                bail!("`{}` occurs {n} times in {}, not once", edit.find, path.display());
            }
            src = src.replace(&edit.find, &edit.replace);
        }
        src.push_str(&self.append);
        Ok(src)
    }
}

/// What `fixtures/submissions/<lab>.yaml` holds: the lab's wrong submissions by name, and the
/// notes on its mutants ([`Notes`]); `hostile.yaml` holds submissions only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrong {
    /// The wrong submissions, by name.
    pub submissions: BTreeMap<String, Spec>,
    /// The mutation score and the surviving mutants.
    #[serde(default)]
    pub mutants: Option<Notes>,
}

impl Wrong {
    /// The file of `name` (a lab, or `hostile`), with every spec's `lab` filled in; `None` when
    /// the edition has no such file (the student edition has none).
    pub fn load(root: &Path, name: &str) -> Result<Option<Wrong>> {
        let path = root.join("fixtures/submissions").join(format!("{name}.yaml"));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let mut wrong: Wrong =
            serde_yaml_ng::from_str(&text).with_context(|| format!("{}", path.display()))?;
        for (key, spec) in &mut wrong.submissions {
            match (name, spec.lab.is_empty()) {
                ("hostile", true) => bail!("{}: `{key}` names no lab", path.display()),
                ("hostile", false) => {}
                (_, true) => spec.lab = name.to_string(),
                (_, false) => bail!("{}: `{key}` names its lab, which the file already says", path.display()),
            }
        }
        Ok(Some(wrong))
    }
}

/// Every wrong submission of the labs' files of `fixtures/submissions` (`hostile` left out), as
/// `(lab, name, spec)`, sorted.
pub fn specs(root: &Path) -> Result<Vec<(String, String, Spec)>> {
    specs_in(root, false)
}

/// The specs of `fixtures/submissions/hostile.yaml` (`hostile`) or of every other file.
pub fn specs_in(root: &Path, hostile: bool) -> Result<Vec<(String, String, Spec)>> {
    let dir = root.join("fixtures/submissions");
    let mut found = Vec::new();
    for file in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = file?.path();
        let Some(stem) =
            path.file_stem().and_then(|s| s.to_str()).filter(|_| path.extension() == Some("yaml".as_ref()))
        else {
            continue;
        };
        if (stem == "hostile") != hostile {
            continue;
        }
        for (name, spec) in Wrong::load(root, stem)?.map(|w| w.submissions).unwrap_or_default() {
            found.push((spec.lab.clone(), name, spec));
        }
    }
    found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(found)
}

/// The catalogue: every wrong submission that carries a diagnosis. Empty in an edition without
/// the wrong submissions (the student edition), which diagnoses from the stored public answers.
pub fn catalogue(ws: &Workspace) -> Result<Vec<Mistake>> {
    if !ws.root.join("fixtures/submissions").is_dir() {
        return Ok(Vec::new());
    }
    Ok(specs(&ws.root)?
        .into_iter()
        .filter_map(|(lab, name, spec)| Some(Mistake { lab, name, diagnosis: spec.diagnosis? }))
        .collect())
}

/// Writes the source folder of `mistake` (the reference's `src/` with the edited `lib.rs`) under
/// the scratch space and returns it. Files are rewritten only when their text changed, so that
/// cargo finds an unchanged mistake up to date.
pub fn source(ws: &Workspace, mistake: &Mistake) -> Result<PathBuf> {
    let wrong = Wrong::load(&ws.root, &mistake.lab)?.context("the catalogue's file is gone")?;
    let spec =
        wrong.submissions.get(&mistake.name).with_context(|| format!("no submission `{}`", mistake.name))?;
    let dir = ws.scratch().join("mistakes").join(&mistake.lab).join(&mistake.name).join("src");
    reference_with(ws, &mistake.lab, &dir, &spec.lib_rs(&ws.root)?)?;
    Ok(dir)
}

/// Writes into `dir` the reference's `src/` of `lab` with `lib_rs` as its `lib.rs`: a catalogued
/// mistake, or the reference's mutants. Files are rewritten only when their text changed, so that
/// cargo finds an unchanged build up to date.
pub fn reference_with(ws: &Workspace, lab: &str, dir: &Path, lib_rs: &str) -> Result<()> {
    let reference = ws.solution(lab).context("this needs the reference")?.join("src");
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(&reference)? {
        let entry = entry?;
        if entry.file_type()?.is_file() && entry.file_name() != "lib.rs" {
            write_if_changed(&dir.join(entry.file_name()), &std::fs::read_to_string(entry.path())?)?;
        }
    }
    write_if_changed(&dir.join("lib.rs"), lib_rs)
}
