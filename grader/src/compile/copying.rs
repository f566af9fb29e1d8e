//! Copying: a submission's sources into the scratch workspace, files the grader writes, and the
//! built probes out of the shared target directory. Everything is written only when it changed,
//! so that cargo's fingerprints (modification times) see an unchanged lab as unchanged.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Mirrors `from` into `to`, rewriting only files whose content changed so that cargo's
/// fingerprints (which look at modification times) see unchanged files as unchanged.
pub(super) fn sync_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let mut keep = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        keep.insert(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            sync_dir(&src, &dst)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&src)?;
            if std::fs::read(&dst).ok().as_deref() != Some(bytes.as_slice()) {
                std::fs::write(&dst, bytes)?;
            }
        } else {
            bail!("{} is neither a file nor a folder (links are not followed)", src.display());
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !keep.contains(&entry.file_name()) {
            let path = entry.path();
            if path.is_dir() { std::fs::remove_dir_all(&path)? } else { std::fs::remove_file(&path)? }
        }
    }
    Ok(())
}

/// Writes `text` to `path` (creating its folder) unless the file already holds exactly that.
pub(super) fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent().expect("a file has a parent"))?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Keeps a copy of the probe `exe` of `lab` in the submission's `bin` folder and returns its path.
/// A later build of the same submission overwrites cargo's path, hence the copy; it is put in place
/// by a rename so that a probe still running from an earlier (killed) run never makes the copy fail
/// with "text file busy".
pub(super) fn keep_probe(exe: &Path, bin: &Path, lab: &str) -> Result<PathBuf> {
    let copy = bin.join(format!("probe-{lab}"));
    let tmp = bin.join(format!(".probe-{lab}.{}", std::process::id()));
    std::fs::copy(exe, &tmp).with_context(|| format!("copying {}", exe.display()))?;
    std::fs::rename(&tmp, &copy).with_context(|| format!("writing {}", copy.display()))?;
    Ok(copy)
}
