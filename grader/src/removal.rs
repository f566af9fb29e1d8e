//! Removing a folder a student's code wrote: however deep (17,500 levels overflowed the grader's
//! stack in `std::fs::remove_dir_all`; its paths are far past `PATH_MAX`), with links never
//! followed and one directory open at a time, whatever it holds.

use std::path::Path;

/// Removes `root` and everything beneath it. A link in `root`'s place is removed, not followed.
#[cfg(unix)]
pub fn remove_tree(root: &Path) -> std::io::Result<()> {
    use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags, openat, unlinkat};
    if !std::fs::symlink_metadata(root)?.is_dir() {
        return std::fs::remove_file(root);
    }
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut dir = openat(CWD, root, flags, Mode::empty())?;
    // The names from `root` down to `dir`: the only thing that grows with the depth, on the heap.
    let mut names: Vec<std::ffi::CString> = Vec::new();
    loop {
        let mut below = None;
        for entry in Dir::read_from(&dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_bytes() == b"." || name.to_bytes() == b".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Unknown => rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW)
                    .map(|s| FileType::from_raw_mode(s.st_mode))?,
                kind => kind,
            };
            if kind == FileType::Directory {
                below = Some(name.to_owned());
                break;
            }
            unlinkat(&dir, name, AtFlags::empty())?;
        }
        match (below, names.pop()) {
            (Some(name), parent) => {
                names.extend(parent);
                dir = openat(&dir, &name, flags, Mode::empty())?;
                names.push(name);
            }
            (None, Some(name)) => {
                let parent = openat(&dir, c"..", flags, Mode::empty())?;
                unlinkat(&parent, &name, AtFlags::REMOVEDIR)?;
                dir = parent;
            }
            (None, None) => {
                drop(dir);
                return std::fs::remove_dir(root);
            }
        }
    }
}

/// Removes `root` and everything beneath it.
#[cfg(not(unix))]
pub fn remove_tree(root: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(root)
}

// Unix only: the tree is built with the descriptor-relative calls the removal uses.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_tree_deeper_than_any_path_is_removed_and_links_are_not_followed() {
        let base = std::env::temp_dir().join(format!("nnlab-removal-{}", std::process::id()));
        let outside = base.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("kept.txt"), "kept").unwrap();
        let root = base.join("run");
        // 20,000 levels: 60,000 bytes of path, far past PATH_MAX, built a level at a time.
        let mut dir = std::fs::File::open(&base).unwrap();
        let mut first = true;
        for level in 0..20_000 {
            let name = if first { "run".to_string() } else { format!("d{}", level % 10) };
            first = false;
            rustix::fs::mkdirat(&dir, name.as_str(), rustix::fs::Mode::from_raw_mode(0o700)).unwrap();
            if level > 0 && level % 5000 == 0 {
                rustix::fs::symlinkat(outside.as_path(), &dir, format!("link{level}").as_str()).unwrap();
                std::fs::write(
                    format!("/proc/self/fd/{}/f{level}", std::os::fd::AsRawFd::as_raw_fd(&dir)),
                    "x",
                )
                .unwrap();
            }
            let next = rustix::fs::openat(
                &dir,
                name.as_str(),
                rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY,
                rustix::fs::Mode::empty(),
            )
            .unwrap();
            dir = std::fs::File::from(next);
        }
        drop(dir);
        remove_tree(&root).unwrap();
        assert!(!root.exists());
        assert_eq!(std::fs::read_to_string(outside.join("kept.txt")).unwrap(), "kept");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
