//! The one generator: everything in the tree that repeats the registry (`fixtures/labs/*.yaml`) or
//! the reference solutions is written from them here, by `cargo run -p grader -- generate`:
//!
//! - the student stubs ([`stubs`]), from the reference;
//! - each lab's `Cargo.toml` and `tests/public.rs`, the lab lines of the root and book manifests,
//!   the book's `SUMMARY.md` and the README's table ([`derived`]);
//! - the probes' arms for exercises of plain values ([`dispatch`]);
//! - the lists of labs in code: the hidden crate's modules and table, the book's figure modules
//!   ([`lists`]);
//! - what each catalogued mistake answers on the public cases ([`stored`]), which needs builds.
//!
//! Nothing else in the grader writes these files, and nothing here is used while grading: the
//! pipeline never imports this module. A test fails when a generated file is stale.

pub mod derived;
pub mod dispatch;
pub mod lists;
pub mod stored;
pub mod stubs;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::registry::Registry;
use crate::workspace::Workspace;

/// Every file written from the registry and the references, with the text it should have: all
/// but the stored mistakes, which are written from probe runs ([`stored::write`]).
pub fn files(ws: &Workspace) -> Result<Vec<(PathBuf, String)>> {
    let registry = Registry::load(ws)?;
    let mut out = derived::files(ws, &registry)?;
    out.extend(lists::files(ws, &registry)?);
    for lab in &registry.labs {
        if ws.solution(&lab.lab).is_some() {
            out.extend(stubs::files(ws, &lab.lab)?);
        }
    }
    Ok(out)
}

/// Writes every file of [`files`] that differs (or, with `check`, only lists them).
pub fn generate(ws: &Workspace, check: bool) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for (path, want) in files(ws)? {
        if refresh(&path, &want, check)? {
            stale.push(path);
        }
    }
    Ok(stale)
}

/// Whether the generated file `path` differs from `want`; writes it unless `check`.
pub fn refresh(path: &Path, want: &str, check: bool) -> Result<bool> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(want) {
        return Ok(false);
    }
    if !check {
        crate::compile::write_if_changed(path, want)?;
    }
    Ok(true)
}

/// The path of `path` relative to `root`, for messages.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// `text` with its run of lines for which `is_list_line` holds replaced by `lines` (a file must
/// hold exactly one such run): how a hand-written file keeps a generated list.
pub fn replace_run(
    text: &str,
    what: &str,
    is_list_line: impl Fn(&str) -> bool,
    lines: &[String],
) -> Result<String> {
    let all: Vec<&str> = text.lines().collect();
    let Some(first) = all.iter().position(|l| is_list_line(l)) else {
        anyhow::bail!("no {what} lines found")
    };
    let last = first + all[first..].iter().take_while(|l| is_list_line(l)).count();
    if all[last..].iter().any(|l| is_list_line(l)) {
        anyhow::bail!("the {what} lines are not in one block");
    }
    let mut out: Vec<String> = all[..first].iter().map(|l| l.to_string()).collect();
    out.extend(lines.iter().cloned());
    out.extend(all[last..].iter().map(|l| l.to_string()));
    Ok(out.join("\n") + "\n")
}
