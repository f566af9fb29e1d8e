//! Generated mistakes: the reference's mutants (see [`schemata`]), built once per lab on the
//! grader's side like the catalogue. They measure how well the cases catch a slip (the mutation
//! score, `cargo run -p grader -- mutants`), and a mutant whose answers are the student's on every
//! failing case names the mistake where a maintainer has written the sentence for its class
//! (`fixtures/mutants/classes.yaml`).

pub mod schemata;

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub use schemata::{Class, Mutant};

use crate::compile::{Built, CompileLimits, LabSource, Submission, build_probes};
use crate::jail::Jail;
use crate::workspace::Workspace;

/// One lab's mutants, built.
#[derive(Clone, Debug)]
pub struct Schemata {
    /// The probe: a case's input `__mutant` chooses the mutant (0: the reference).
    pub exe: PathBuf,
    /// The mutants that compile.
    pub mutants: Vec<Mutant>,
    /// How many more the operators made that do not type-check.
    pub unviable: usize,
}

/// The input a schemata probe reads to choose its mutant.
pub const MUTANT_INPUT: &str = "__mutant";

/// Builds the mutants of `lab`'s reference: writes the schemata build, and while the compiler
/// rejects it, drops the mutants it blames.
pub fn build(
    ws: &Workspace,
    jail: &Jail,
    lab: &str,
    limits: CompileLimits,
    log: Option<&Path>,
) -> Result<Schemata> {
    let solution = ws.solution(lab).context("mutants need the reference")?;
    let batch = format!("mutants-{lab}");
    let _only_us = ws.lock_batch(&batch)?;
    let source = std::fs::read_to_string(solution.join("src/lib.rs"))?;
    let src = ws.scratch().join("mutants").join(lab).join("src");
    let submission = Submission {
        key: "schemata".into(),
        labs: vec![LabSource {
            lab: lab.into(),
            src: src.clone(),
            manifest: solution.join("Cargo.toml"),
            mutants: true,
        }],
    };
    let mut disabled = BTreeSet::new();
    let all = schemata::rewrite(&source, &disabled)?.1.len();
    for _ in 0..30 {
        let (generated, mutants) = schemata::rewrite(&source, &disabled)?;
        crate::mistakes::reference_with(ws, lab, &src, &generated)?;
        let mut built = build_probes(ws, jail, &batch, std::slice::from_ref(&submission), limits, log)?;
        let built = built.remove("schemata").and_then(|mut labs| labs.remove(lab));
        match built {
            Some(Built::Probe(exe)) => return Ok(Schemata { exe, unviable: all - mutants.len(), mutants }),
            Some(Built::Failed(error)) => {
                let errors = error_positions(ws, &batch)?;
                let blamed = schemata::blame(&generated, &errors)?;
                if blamed.is_empty() {
                    bail!("the mutants of {lab} do not build, and no mutant is to blame:\n{error}");
                }
                disabled.extend(blamed);
            }
            other => bail!("the mutants of {lab} were not built: {other:?}"),
        }
    }
    bail!("the mutants of {lab} still do not build after 30 rounds")
}

/// Where the compiler finds errors in the schemata crate of `batch`'s scratch workspace, every
/// error's spans, from a build of it with all its messages (the grader's own build keeps
/// the first error per lab only). The crate is the reference's, trusted: no jail.
fn error_positions(ws: &Workspace, batch: &str) -> Result<Vec<schemata::ErrorAt>> {
    let manifest = ws.scratch().join(batch).join("Cargo.toml");
    let mut child = std::process::Command::new(Workspace::cargo())
        .args(["build", "--keep-going", "--message-format=json", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", ws.probe_target())
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("running cargo on the mutants")?;
    let mut found = Vec::new();
    for line in std::io::BufReader::new(child.stdout.take().expect("piped")).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line?) else { continue };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let mut error = schemata::ErrorAt::default();
        for span in msg["message"]["spans"].as_array().into_iter().flatten() {
            if span["file_name"].as_str().is_some_and(|f| f.ends_with("lib.rs")) {
                let at = |k: &str| span[k].as_u64().unwrap_or(0) as usize;
                let place = (at("line_start"), at("column_start"));
                if span["is_primary"] == true { error.primary.push(place) } else { error.labels.push(place) }
            }
        }
        found.push(error);
    }
    child.wait()?;
    Ok(found)
}

/// What the maintainers say about the mutants: a sentence per class for the diagnosis, and why
/// each surviving mutant of a lab is equivalent (`mutants` in `fixtures/submissions/<lab>.yaml`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// The mutation score the cases must keep, in percent of the non-equivalent mutants.
    pub score: f64,
    /// By mutant key ([`Mutant::key`]): why it survives and cannot be caught (it computes the same
    /// thing), or what it would take.
    #[serde(default)]
    pub survivors: BTreeMap<String, String>,
}

impl Notes {
    /// The notes of `lab`; none when its file or its `mutants` is absent.
    pub fn load(ws: &Workspace, lab: &str) -> Result<Notes> {
        Ok(crate::mistakes::Wrong::load(&ws.root, lab)?.and_then(|w| w.mutants).unwrap_or_default())
    }
}

/// The sentences of the mutant classes the diagnosis may name, by class
/// (`fixtures/mutants/classes.yaml`); `{exercise}` stands for the exercise.
pub fn sentences(ws: &Workspace) -> Result<BTreeMap<Class, String>> {
    let path = ws.fixtures().join("mutants/classes.yaml");
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_yaml_ng::from_str(&text).with_context(|| format!("{}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}
