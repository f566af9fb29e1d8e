//! Cargo's JSON message stream (`cargo build --message-format=json`): one JSON object per line,
//! read as cargo writes them. From it the grader takes, per lab of the batch, the first compiler
//! error (in the words and paths the student knows) and the probe's executable. Lines that are not
//! JSON, and messages about packages outside the batch (dependencies), are skipped.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::workspace::Workspace;

/// One package of the batch: a lab's crate or its probe.
pub(super) struct Package<'a> {
    /// `/<key>/<crates|probes>/<lab>#`: the part of cargo's package id that tells the batch's
    /// packages apart (every package id holds its manifest's folder).
    pub folder: String,
    /// The probe's package, not the lab's crate: an error there means a changed signature.
    pub probe: bool,
    /// The submission's key.
    pub key: &'a str,
    /// The lab.
    pub lab: &'a str,
}

/// What cargo said about a batch, by (submission key, lab).
#[derive(Default)]
pub(super) struct Said {
    /// The first compiler error.
    pub errors: BTreeMap<(String, String), String>,
    /// The probe's executable, when it was built.
    pub executables: BTreeMap<(String, String), PathBuf>,
}

/// Reads cargo's messages from `stdout` until cargo closes it. `scratch` is the batch's folder,
/// whose paths are taken out of the errors.
pub(super) fn read(
    stdout: impl Read,
    packages: &[Package<'_>],
    ws: &Workspace,
    scratch: &Path,
) -> Result<Said> {
    let mut said = Said::default();
    for line in BufReader::new(stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line?) else { continue };
        let package_id = msg["package_id"].as_str().unwrap_or_default();
        let Some(package) = packages.iter().find(|p| package_id.contains(p.folder.as_str())) else {
            continue;
        };
        let id = (package.key.to_string(), package.lab.to_string());
        match msg["reason"].as_str() {
            Some("compiler-message")
                if msg["message"]["level"] == "error" && !said.errors.contains_key(&id) =>
            {
                let rendered = msg["message"]["rendered"].as_str().unwrap_or("(no message)");
                let text = tidy_error(rendered, ws, scratch, package.key);
                let text = if package.probe {
                    format!(
                        "the grader could not call your functions: keep every signature exactly as the workbook has it.\n{text}"
                    )
                } else {
                    text
                };
                said.errors.insert(id, text);
            }
            Some("compiler-artifact") if package.probe => {
                if let Some(exe) = msg["executable"].as_str() {
                    said.executables.insert(id, PathBuf::from(exe));
                }
            }
            _ => {}
        }
    }
    Ok(said)
}

/// Compiler output with the scratch paths mapped back to the paths a student knows.
fn tidy_error(rendered: &str, ws: &Workspace, scratch: &Path, key: &str) -> String {
    let text = rendered
        .replace(&format!("{}/", scratch.display()), "")
        .replace(&format!("{}/", ws.root.display()), "")
        .replace(&format!("{key}/crates/"), "labs/");
    const MAX_LINES: usize = 40;
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_LINES {
        format!("{}\n… ({} more lines)", lines[..MAX_LINES].join("\n"), lines.len() - MAX_LINES)
    } else {
        text.trim_end().to_string()
    }
}
