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

/// Reads cargo's stderr until it closes, appending every line to `log` when given, and returns
/// its last lines other than progress ("Compiling …"): what cargo said when it stopped for a
/// reason that is no compiler error. Bounded, whatever cargo prints.
pub(super) fn tail(stderr: impl Read, mut log: Option<std::fs::File>) -> String {
    use std::io::Write;
    const LINES: usize = 12;
    const WIDTH: usize = 300;
    let mut kept = std::collections::VecDeque::with_capacity(LINES);
    for line in BufReader::new(stderr).split(b'\n').map_while(Result::ok) {
        if let Some(log) = log.as_mut() {
            let _ = log.write_all(&line).and_then(|()| log.write_all(b"\n"));
        }
        let line = String::from_utf8_lossy(&line);
        let word = line.split_whitespace().next().unwrap_or_default();
        if line.trim().is_empty()
            || ["Compiling", "Checking", "Finished", "Blocking", "Building"].contains(&word)
        {
            continue;
        }
        if kept.len() == LINES {
            kept.pop_front();
        }
        kept.push_back(line.chars().take(WIDTH).collect::<String>());
    }
    Vec::from(kept).join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_of_cargos_stderr_keeps_its_last_words_not_its_progress_and_logs_everything() {
        let mut said = String::new();
        for i in 0..40 {
            said.push_str(&format!("   Compiling lab{i} v0.1.0\nnote: line {i}\n"));
        }
        said.push_str(&format!("error: failed to run `rustc`: {}\n", "x".repeat(1000)));
        let log = std::env::temp_dir().join(format!("nnlab-tail-{}.log", std::process::id()));
        let tail = tail(said.as_bytes(), Some(std::fs::File::create(&log).unwrap()));
        let lines: Vec<&str> = tail.lines().collect();
        assert_eq!(lines.len(), 12, "{tail}");
        assert_eq!(lines[0], "note: line 29");
        assert!(lines[11].starts_with("error: failed to run `rustc`") && lines[11].len() == 300, "{tail}");
        assert!(!tail.contains("Compiling"));
        assert_eq!(std::fs::read_to_string(&log).unwrap(), said);
        std::fs::remove_file(log).unwrap();
    }
}
