//! The lecture documents by title. Fixtures cite a document by its file name in the seeds
//! (`003_e8a567a34c4d033b.txt`), which students do not have; `fixtures/documents.yaml` maps each
//! file name to the title a reader can look the document up by, and what reports and the book show
//! is the title.

use std::path::Path;

use serde::Deserialize;

/// One lecture document.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Its file name in the seeds, as fixtures cite it.
    pub file: String,
    /// Its title.
    pub title: String,
    /// Who wrote it, or what kind of text it is.
    pub origin: String,
}

impl Document {
    /// The number in front of its file name (`003`), which the book's table of documents lists.
    pub fn number(&self) -> &str {
        self.file.split('_').next().unwrap_or_default()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    documents: Vec<Document>,
}

/// The documents of `<fixtures>/documents.yaml`.
pub fn load(fixtures: &Path) -> Result<Vec<Document>, String> {
    let path = fixtures.join("documents.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let table: Table = serde_yaml_ng::from_str(&text)
        .map_err(|e| format!("{} is not a valid document table: {e}", path.display()))?;
    Ok(table.documents)
}

/// `text` with every document's file name replaced by `cited(document)`.
pub fn replace_files(documents: &[Document], text: &str, cited: impl Fn(&Document) -> String) -> String {
    documents.iter().fold(text.to_string(), |out, d| out.replace(&d.file, &cited(d)))
}

/// `text` with every document's file name replaced by its quoted title and number, for plain
/// text: `“Neural Networks” (003)`.
pub fn cite(documents: &[Document], text: &str) -> String {
    replace_files(documents, text, |d| format!("“{}” ({})", d.title, d.number()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_titles_and_the_table_covers_every_cited_document() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let documents = load(&fixtures).unwrap();
        assert_eq!(
            cite(&documents, "the patience criterion of 003_e8a567a34c4d033b.txt §4.6.1"),
            "the patience criterion of “Neural Networks” (003) §4.6.1"
        );
        for entry in std::fs::read_dir(fixtures.join("labs")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let cited = cite(&documents, &text);
            assert!(!cited.contains(".txt"), "a fixture cites a document the table does not have");
        }
    }
}
