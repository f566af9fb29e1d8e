//! Copying: a submission's sources into the scratch workspace, files the grader writes, and the
//! built probes out of the shared target directory. Everything is written only when it changed,
//! so that cargo's fingerprints (modification times) see an unchanged lab as unchanged.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Mirrors `from` into `to`, rewriting only files whose content changed so that cargo's
/// fingerprints (which look at modification times) see unchanged files as unchanged. Files of
/// `to` named in `reserved` are the caller's: neither copied from `from` nor removed (the code a
/// lab is given, which a submission need not hold: removed and written again on every run, it
/// was new to cargo every time, and the lab compiled again).
pub(super) fn sync_dir(from: &Path, to: &Path, reserved: &[&str]) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let mut keep: std::collections::BTreeSet<std::ffi::OsString> =
        reserved.iter().map(|r| r.into()).collect();
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        if keep.contains(&entry.file_name()) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        keep.insert(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            sync_dir(&src, &dst, &[])?;
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
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_mirror_of_unchanged_sources_rewrites_nothing_and_leaves_reserved_files_to_the_caller() {
        let base = std::env::temp_dir().join(format!("nnlab-sync-{}", std::process::id()));
        let (from, to) = (base.join("from"), base.join("to"));
        std::fs::create_dir_all(from.join("nested")).unwrap();
        std::fs::write(from.join("lib.rs"), "pub fn f() {}").unwrap();
        std::fs::write(from.join("nested/given.rs"), "nested, not reserved").unwrap();
        std::fs::write(from.join("given.rs"), "the student's copy").unwrap();
        let mirror = || {
            sync_dir(&from, &to, &["given.rs"]).unwrap();
            write_if_changed(&to.join("given.rs"), "the workbook's copy").unwrap();
        };
        mirror();
        assert_eq!(std::fs::read_to_string(to.join("given.rs")).unwrap(), "the workbook's copy");
        assert_eq!(std::fs::read_to_string(to.join("nested/given.rs")).unwrap(), "nested, not reserved");
        let times = || {
            ["lib.rs", "given.rs", "nested/given.rs"]
                .map(|f| std::fs::metadata(to.join(f)).unwrap().modified().unwrap())
        };
        let before = times();
        std::thread::sleep(std::time::Duration::from_millis(20));
        mirror();
        assert_eq!(times(), before, "an unchanged file was written again: cargo would compile the lab again");
        // Without the student's copy, the workbook's stays.
        std::fs::remove_file(from.join("given.rs")).unwrap();
        mirror();
        assert_eq!(times(), before);
        std::fs::remove_dir_all(base).unwrap();
    }
}
