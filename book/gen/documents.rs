//! The lecture documents by title: `fixtures/documents.yaml` maps each file name the fixtures cite
//! to the title a reader can look it up by, and the book shows the title wherever a fixture names
//! the file.

use std::path::Path;

use anyhow::Result;
pub use nnlab_check::documents::Document;
use nnlab_check::documents::replace_files;

/// The documents of `fixtures/documents.yaml` under `root`.
pub fn load(root: &Path) -> Result<Vec<Document>> {
    nnlab_check::documents::load(&root.join("fixtures")).map_err(anyhow::Error::msg)
}

/// `text` (Markdown, already escaped or not) with every document's file name replaced by its
/// title in italics and its number: `*Neural Networks* (003)`.
pub fn cite(documents: &[Document], text: &str) -> String {
    let cited = |d: &Document| format!("*{}* ({})", d.title, d.number());
    // Markdown escaping writes the `_` of a file name as `\_`.
    let unescaped =
        documents.iter().fold(text.to_string(), |out, d| out.replace(&d.file.replace('_', "\\_"), &d.file));
    replace_files(documents, &unescaped, cited)
}

/// The table of documents, for the introduction and the errata appendix.
pub fn table(documents: &[Document]) -> String {
    let mut out = String::from(crate::HEADER);
    out.push_str("\n| No. | Title | What it is |\n|---|---|---|\n");
    for d in documents {
        out.push_str(&format!("| {} | *{}* | {} |\n", d.number(), d.title, d.origin));
    }
    out
}
