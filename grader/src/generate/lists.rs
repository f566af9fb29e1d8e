//! The lists of labs that live in code: the hidden crate's `mod` lines and its table of case
//! generators (`grader/hidden/src/lib.rs`), and the book's figure modules and the list `all()`
//! walks (`book/gen/figures.rs`). Each file keeps its hand-written lines; only the runs of lines
//! that name labs are rewritten, one line per lab of the registry.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::replace_run;
use crate::registry::Registry;
use crate::workspace::Workspace;

/// The two files with their lists of labs as the registry has them.
pub fn files(ws: &Workspace, registry: &Registry) -> Result<Vec<(PathBuf, String)>> {
    let modules: Vec<String> = registry.labs.iter().map(|l| l.lab.replace('-', "_")).collect();
    let mod_lines: Vec<String> = modules.iter().map(|m| format!("mod {m};")).collect();
    let mut out = Vec::new();

    let hidden = ws.root.join("grader/hidden/src/lib.rs");
    let text = std::fs::read_to_string(&hidden).with_context(|| format!("reading {}", hidden.display()))?;
    let text = replace_run(&text, "hidden `mod`", is_lab_mod, &mod_lines)?;
    let table: Vec<String> = registry
        .labs
        .iter()
        .zip(&modules)
        .map(|(lab, module)| format!("    (\"{}\", {module}::case),", lab.lab))
        .collect();
    let text =
        replace_run(&text, "LABS", |l| l.starts_with("    (\"lab") && l.ends_with("::case),"), &table)?;
    out.push((hidden, text));

    let figures = ws.root.join("book/gen/figures.rs");
    let text = std::fs::read_to_string(&figures).with_context(|| format!("reading {}", figures.display()))?;
    let text = replace_run(&text, "figure `mod`", is_lab_mod, &mod_lines)?;
    let list: Vec<String> = modules.iter().map(|m| format!("        {m}::figures,")).collect();
    let text = replace_run(
        &text,
        "figure list",
        |l| l.starts_with("        lab") && l.ends_with("::figures,"),
        &list,
    )?;
    out.push((figures, text));
    Ok(out)
}

/// `mod labNN_name;`
fn is_lab_mod(line: &str) -> bool {
    line.strip_prefix("mod lab")
        .is_some_and(|rest| rest.len() > 2 && rest[..2].bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lab_modules_are_list_lines() {
        assert!(is_lab_mod("mod lab09_deeper;"));
        assert!(
            !is_lab_mod("mod labels;") && !is_lab_mod("pub mod lab01_neuron;") && !is_lab_mod("mod draw;")
        );
    }
}
