//! Everything in the book that is computed rather than written: the pages that show fixture
//! numbers (worked examples, exercise tables, errata) and the figures drawn from the reference
//! solutions. `cargo run -p nnlab-book` writes them under `book/src/`; a test fails when a
//! committed file differs from what this crate generates, so the book's numbers are the code's.

pub mod documents;
pub mod figures;
pub mod pages;
// Lab 03's faer primer lives with the book's text, which the student edition ships, and runs here.
#[cfg(test)]
#[path = "../src/code/faer_primer.rs"]
mod faer_primer;

use std::path::{Path, PathBuf};

use anyhow::Result;

/// One generated file: its path relative to `book/src/` and its content.
#[derive(Debug)]
pub struct Generated {
    /// Where it goes, relative to `book/src/`.
    pub path: PathBuf,
    /// What it holds.
    pub content: String,
}

/// Every generated file of the book, from the workbook at `root`.
pub fn generate(root: &Path) -> Result<Vec<Generated>> {
    let mut out = pages::all(root)?;
    out.extend(figures::all()?);
    Ok(out)
}

/// The root of the workbook this crate was built in.
pub fn workbook_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}
