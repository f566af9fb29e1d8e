//! Files written whole or not at all: a class run can be killed at any moment, and a file it
//! leaves must be either the old one or the new one.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes `text` to a temporary file beside `path` and renames it over `path`, so that `path`
/// only ever holds a complete file, even if the run is killed halfway.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}
