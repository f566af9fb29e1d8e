//! The lecture documents by title: `fixtures/documents.yaml` maps each file name the fixtures cite
//! to the title a reader can look it up by, and the book shows the title wherever a fixture names
//! the file.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

/// One lecture document.
#[derive(Clone, Debug, Deserialize)]
pub struct Document {
    /// Its file name in the seeds, as fixtures cite it.
    pub file: String,
    /// Its title.
    pub title: String,
    /// Who wrote it, or what kind of text it is.
    pub origin: String,
}

impl Document {
    /// The number in front of its file name (`003`), which chapters use for short.
    pub fn number(&self) -> &str {
        self.file.split('_').next().unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct Table {
    documents: Vec<Document>,
}

/// The documents of `fixtures/documents.yaml` under `root`.
pub fn load(root: &Path) -> Result<Vec<Document>> {
    let path = root.join("fixtures/documents.yaml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: Table =
        serde_yaml_ng::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(table.documents)
}

/// `text` (Markdown, already escaped or not) with every document's file name replaced by its
/// title in italics and its number: `*Neural Networks* (003)`.
pub fn cite(documents: &[Document], text: &str) -> String {
    let mut out = text.to_string();
    for d in documents {
        let cited = format!("*{}* ({})", d.title, d.number());
        out = out.replace(&d.file.replace('_', "\\_"), &cited).replace(&d.file, &cited);
    }
    out
}

/// The table of documents, for the introduction and the errata appendix.
pub fn table(documents: &[Document]) -> String {
    let mut out = String::from(crate::pages::HEADER);
    out.push_str("\n| No. | Title | What it is |\n|---|---|---|\n");
    for d in documents {
        out.push_str(&format!("| {} | *{}* | {} |\n", d.number(), d.title, d.origin));
    }
    out
}
