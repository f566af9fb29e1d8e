//! Taking in a submission: finding a student's labs in their folder and copying them into the
//! grader's scratch space, before anything is compiled. Everything after intake — the token check,
//! the build, the probes — reads only the copy, so nothing a student's folder does after this
//! point (or links into) can reach the grade.
//!
//! A student's folder is hostile input, and the grader runs with more rights than the student (as
//! root, in a container). So intake never follows a link: it looks with `symlink_metadata` and
//! `DirEntry::file_type`, which describe the link itself, opens files with `O_NOFOLLOW` (a link
//! swapped in after the look fails to open) and `O_NONBLOCK` (a FIFO swapped in does not block the
//! open), checks on the opened file that it is a regular file, and reads at most the size limit.
//! Only regular files and folders are taken; everything refused is listed, with why, in the
//! student's report.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::{FileType, OpenOptions};
use std::io::Read;
use std::ops::ControlFlow;
#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::compile::LabSource;
use crate::report::IntakeCounts;
use crate::workspace::Workspace;

/// The largest file taken in. The largest reference source file is ~20 KiB, so 1 MiB leaves a
/// student fifty times that, while bounding what one file makes the grader hold in memory.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// The most files and folders taken in per student. The eight labs hold about a dozen; a thousand
/// allows any sane split into modules and stops a folder of millions from stalling the run.
pub const MAX_ENTRIES: usize = 1000;
/// The most bytes taken in per student, all labs together: bounds the scratch space and the time
/// one student can claim (sixteen files at the size limit).
pub const MAX_TOTAL_BYTES: u64 = 16 << 20;
/// Refusals listed one by one in the notes; the rest are counted, so the notes stay readable.
const MAX_LISTED: usize = 20;

/// Something in a student's folder that intake did not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Where, relative to the student's folder.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// A student's labs as taken in.
#[derive(Clone, Debug, Default)]
pub struct Intake {
    /// The labs found and copied; `src` points into the copy. A lab of the course missing here was
    /// not submitted.
    pub labs: Vec<LabSource>,
    /// Labs found but not graded (a link, found at two places), with why.
    pub not_graded: BTreeMap<String, String>,
    /// Files and folders refused inside the labs taken.
    pub refused: Vec<Refused>,
    /// Where the labs were, when not where they belong (one folder down, nowhere), or why the
    /// whole submission was refused.
    pub layout: Vec<String>,
    /// The submission was refused as a whole: it is not a folder.
    pub not_folder: bool,
}

impl Intake {
    /// The intake of a submission refused as a whole (a link or a file where a folder belongs):
    /// no labs, and why.
    pub fn refused(why: String) -> Intake {
        Intake { layout: vec![why], not_folder: true, ..Intake::default() }
    }

    /// What intake found, counted for the class summary.
    pub fn counts(&self) -> IntakeCounts {
        IntakeCounts {
            not_folder: self.not_folder,
            refused_files: self.refused.len(),
            misplaced: !self.not_folder && (!self.layout.is_empty() || !self.not_graded.is_empty()),
        }
    }

    /// What the student reads about intake, one line each: layout first, then labs not graded,
    /// then the files refused (the first `MAX_LISTED`, then how many more).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.layout.clone();
        notes.extend(self.not_graded.iter().map(|(lab, why)| format!("{lab} was not graded: {why}")));
        for refused in self.refused.iter().take(MAX_LISTED) {
            notes.push(format!("{} was not taken: {}", printable(&refused.path), refused.reason));
        }
        if self.refused.len() > MAX_LISTED {
            notes.push(format!("… and {} more files or folders not taken", self.refused.len() - MAX_LISTED));
        }
        notes
    }
}

/// Finds the labs of the student folder `dir` and copies them into `scratch/intake/<key>`.
/// Errors are the grader's own (scratch space not writable); whatever the student's folder holds
/// ends up in the returned [`Intake`].
pub fn take_in(ws: &Workspace, labs: &[String], dir: &Path, key: &str) -> Result<Intake> {
    let copy = ws.scratch().join("intake").join(key);
    match std::fs::remove_dir_all(&copy) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("clearing {}", copy.display()));
        }
        _ => {}
    }
    std::fs::create_dir_all(&copy).with_context(|| format!("creating {}", copy.display()))?;
    let mut intake = Intake::default();
    let found = find_labs(dir, labs, &mut intake.layout);
    let mut budget = Budget::default();
    for lab in labs {
        let places = found.get(lab).map(Vec::as_slice).unwrap_or_default();
        match places {
            [] => {}
            [Place::Folder(rel)] => {
                let to = copy.join(lab).join("src");
                // Past the entry budget, later labs are still listed as refused, not silently lost.
                let _ = copy_tree(&dir.join(rel), &to, rel, &mut budget, &mut intake.refused)?;
                intake.labs.push(LabSource {
                    lab: lab.clone(),
                    src: to,
                    manifest: ws.root.join("labs").join(lab).join("Cargo.toml"),
                    mutants: false,
                });
            }
            [Place::Link(rel)] => {
                let why = format!(
                    "{} is a link, and the grader does not follow links: submit the files themselves",
                    printable(rel)
                );
                intake.not_graded.insert(lab.clone(), why);
            }
            [Place::NotFolder(rel)] => {
                intake.not_graded.insert(lab.clone(), format!("{} is not a folder", printable(rel)));
            }
            several => {
                let names: Vec<String> = several.iter().map(|p| printable(p.rel())).collect();
                let why = format!(
                    "it is in your folder {} times, at {}: the grader does not guess which one is your \
                     work; keep one",
                    several.len(),
                    names.join(" and ")
                );
                intake.not_graded.insert(lab.clone(), why);
            }
        }
    }
    Ok(intake)
}

/// What is where a lab's `src` belongs, seen without following links.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    /// A real folder, at this path relative to the student's folder.
    Folder(PathBuf),
    /// The `src` folder, or the lab's folder holding it, is a link.
    Link(PathBuf),
    /// `src` is a file, a FIFO or the like.
    NotFolder(PathBuf),
}

impl Place {
    fn rel(&self) -> &Path {
        match self {
            Place::Folder(p) | Place::Link(p) | Place::NotFolder(p) => p,
        }
    }
}

/// The places of each lab in `dir`: `<lab>/src` and `labs/<lab>/src`, or, if there are none at
/// all, the same one folder down. Layout problems are added to `layout`.
fn find_labs(dir: &Path, labs: &[String], layout: &mut Vec<String>) -> BTreeMap<String, Vec<Place>> {
    let found = places_under(dir, Path::new(""), labs, layout);
    if !found.is_empty() {
        return found;
    }
    let mut below: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    let mut folders = Vec::new();
    for (name, kind) in list(dir).unwrap_or_default() {
        let skipped = name.to_str().is_some_and(|n| n.starts_with('.') || n == "target" || n == "labs");
        if !kind.is_dir() || skipped {
            continue;
        }
        let here = places_under(dir, Path::new(&name), labs, layout);
        if !here.is_empty() {
            folders.push(printable(Path::new(&name)));
        }
        for (lab, places) in here {
            below.entry(lab).or_default().extend(places);
        }
    }
    if folders.is_empty() {
        layout.push(
            "no labs found: the grader looks for <lab>/src or labs/<lab>/src (for example \
             labs/lab01-neuron/src) in the folder you submit"
                .into(),
        );
    }
    for folder in folders {
        layout.push(format!(
            "found your labs one folder down, in {folder}/; next time submit the folder that holds labs/"
        ));
    }
    below
}

/// The places of each lab under `dir/prefix`: `prefix/<lab>/src` and `prefix/labs/<lab>/src`.
fn places_under(
    dir: &Path,
    prefix: &Path,
    labs: &[String],
    layout: &mut Vec<String>,
) -> BTreeMap<String, Vec<Place>> {
    let mut found: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    let labs_dir = prefix.join("labs");
    let labs_dir_is_real = match std::fs::symlink_metadata(dir.join(&labs_dir)) {
        Ok(meta) if meta.file_type().is_symlink() => {
            layout.push(format!(
                "{} is a link, and the grader does not follow links: nothing under it is graded",
                printable(&labs_dir)
            ));
            false
        }
        Ok(meta) => meta.is_dir(),
        Err(_) => false,
    };
    for lab in labs {
        let mut bases = vec![prefix.join(lab)];
        if labs_dir_is_real {
            bases.push(labs_dir.join(lab));
        }
        for base in bases {
            if let Some(place) = place_of(dir, &base) {
                found.entry(lab.clone()).or_default().push(place);
            }
        }
    }
    found
}

/// What is at `dir/base/src`, where `base` is a lab's folder whose parent is a real folder.
fn place_of(dir: &Path, base: &Path) -> Option<Place> {
    let lab = std::fs::symlink_metadata(dir.join(base)).ok()?;
    if lab.file_type().is_symlink() {
        // Only a link that could hold the lab counts: one named like the lab.
        return Some(Place::Link(base.to_path_buf()));
    }
    if !lab.is_dir() {
        return None;
    }
    let rel = base.join("src");
    let src = std::fs::symlink_metadata(dir.join(&rel)).ok()?;
    Some(if src.file_type().is_symlink() {
        Place::Link(rel)
    } else if src.is_dir() {
        Place::Folder(rel)
    } else {
        Place::NotFolder(rel)
    })
}

/// What one student may still take in.
#[derive(Default)]
struct Budget {
    entries: usize,
    bytes: u64,
}

/// Copies the regular files and folders of `from` into `to`, refusing everything else; `rel` is
/// `from` relative to the student's folder. Breaks once the entry budget is spent.
fn copy_tree(
    from: &Path,
    to: &Path,
    rel: &Path,
    budget: &mut Budget,
    refused: &mut Vec<Refused>,
) -> Result<ControlFlow<()>> {
    // A copy the scratch space cannot hold (a path too long for it, say) is this student's
    // refusal, never the run's failure.
    if let Err(e) = std::fs::create_dir_all(to) {
        refused.push(Refused { path: rel.to_path_buf(), reason: format!("could not be copied: {e}") });
        return Ok(ControlFlow::Continue(()));
    }
    let entries = match list(from) {
        Ok(entries) => entries,
        Err(reason) => {
            refused.push(Refused { path: rel.to_path_buf(), reason });
            return Ok(ControlFlow::Continue(()));
        }
    };
    for (name, kind) in entries {
        let path = rel.join(&name);
        // Build output and version control: never source, often large.
        if kind.is_dir() && (name == "target" || name == ".git") {
            continue;
        }
        if budget.entries >= MAX_ENTRIES {
            let reason = format!(
                "the submission has more than {MAX_ENTRIES} files and folders; this one and all after it \
                 were not taken"
            );
            refused.push(Refused { path, reason });
            return Ok(ControlFlow::Break(()));
        }
        budget.entries += 1;
        if kind.is_dir() {
            if copy_tree(&from.join(&name), &to.join(&name), &path, budget, refused)?.is_break() {
                return Ok(ControlFlow::Break(()));
            }
            continue;
        }
        if !kind.is_file() {
            refused.push(Refused { path, reason: not_regular(kind) });
            continue;
        }
        match read_regular(&from.join(&name), MAX_TOTAL_BYTES - budget.bytes) {
            Ok(bytes) => {
                budget.bytes += bytes.len() as u64;
                let dst = to.join(&name);
                if let Err(e) = std::fs::write(&dst, bytes) {
                    refused.push(Refused { path, reason: format!("could not be copied: {e}") });
                }
            }
            Err(reason) => refused.push(Refused { path, reason }),
        }
    }
    Ok(ControlFlow::Continue(()))
}

/// The entries of the folder `dir` by name, with their own types (links not followed); refused
/// when it holds more than [`MAX_ENTRIES`] (so listing it cannot take long).
fn list(dir: &Path) -> Result<Vec<(OsString, FileType)>, String> {
    let mut entries = Vec::new();
    let reading = std::fs::read_dir(dir).map_err(|e| format!("cannot be read ({e})"))?;
    for entry in reading {
        let entry = entry.map_err(|e| format!("cannot be read ({e})"))?;
        let kind = entry.file_type().map_err(|e| format!("cannot be read ({e})"))?;
        entries.push((entry.file_name(), kind));
        if entries.len() > MAX_ENTRIES {
            return Err(format!("holds more than {MAX_ENTRIES} entries"));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Opens for reading a file that someone else's code controls: a link in its place is refused
/// (ELOOP), not followed, and a FIFO is not waited on; the caller checks the type on the open file.
pub fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    options.open(path)
}

/// The bytes of the regular file `path`, if it is one (checked on the opened file, so a link or
/// FIFO swapped in since the folder was listed is refused too) within the size limit and `room`,
/// what is left of the student's total.
fn read_regular(path: &Path, room: u64) -> Result<Vec<u8>, String> {
    let file = open_no_follow(path).map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => "it is a link, and the grader does not follow links".to_string(),
        _ => format!("it cannot be read ({e})"),
    })?;
    let meta = file.metadata().map_err(|e| format!("it cannot be read ({e})"))?;
    if !meta.file_type().is_file() {
        return Err(not_regular(meta.file_type()));
    }
    let over = |size: u64| format!("it is larger than {} (it has {size} bytes)", mib(MAX_FILE_BYTES));
    if meta.len() > MAX_FILE_BYTES {
        return Err(over(meta.len()));
    }
    // The size can change between the look and the read: never read more than the limit.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("it cannot be read ({e})"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(over(bytes.len() as u64));
    }
    if bytes.len() as u64 > room {
        return Err(format!("the submission's files add up to more than {}", mib(MAX_TOTAL_BYTES)));
    }
    Ok(bytes)
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes >> 20)
}

/// Why an entry that is neither a regular file nor a folder is refused.
fn not_regular(kind: FileType) -> String {
    if kind.is_symlink() {
        return "it is a link, and the grader does not follow links".into();
    }
    let what = special_kind(kind).unwrap_or("not a regular file");
    format!("it is {what}; only regular files and folders are taken")
}

/// What kind of special file `kind` is, where the system has them.
#[cfg(unix)]
fn special_kind(kind: FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if kind.is_socket() {
        Some("a socket")
    } else if kind.is_block_device() || kind.is_char_device() {
        Some("a device")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: FileType) -> Option<&'static str> {
    None
}

/// A path as a student or instructor reads it: bytes that are not UTF-8 as `\xNN`, and control
/// characters (which could move a terminal's cursor or end a Markdown line) escaped.
pub fn printable(path: &Path) -> String {
    let mut out = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() { out.extend(c.escape_default()) } else { out.push(c) }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

// Unix only: the cases are links, FIFOs and names that are not UTF-8.
#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    const LAB: &str = "lab01-neuron";

    fn ws() -> Workspace {
        Workspace::locate(None).unwrap()
    }

    /// A fresh student folder for test `name`.
    fn student(name: &str) -> PathBuf {
        let dir = ws().scratch().join("test-intake").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(path: &Path, text: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Takes in `dir` on another thread and fails (instead of hanging the suite) if that takes
    /// longer than a minute: a FIFO read by mistake blocks forever, `/dev/zero` never ends.
    fn take(dir: &Path, key: &str) -> Intake {
        let (dir, key) = (dir.to_path_buf(), key.to_string());
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = send.send(take_in(&ws(), &[LAB.to_string(), "lab02-perceptron".into()], &dir, &key));
        });
        receive.recv_timeout(Duration::from_secs(60)).expect("intake hung").unwrap()
    }

    fn copied(intake: &Intake, lab: &str) -> Option<PathBuf> {
        intake.labs.iter().find(|l| l.lab == lab).map(|l| l.src.clone())
    }

    fn reasons(intake: &Intake) -> Vec<(String, String)> {
        intake.refused.iter().map(|r| (r.path.display().to_string(), r.reason.clone())).collect()
    }

    #[test]
    fn a_real_lab_is_copied_and_build_output_is_skipped() {
        let dir = student("honest");
        write(&dir.join("labs").join(LAB).join("src/lib.rs"), b"pub fn x() {}\n");
        write(&dir.join("labs").join(LAB).join("src/nested/mod.rs"), b"// more\n");
        write(&dir.join("labs").join(LAB).join("src/target/big"), b"build output");
        write(&dir.join("labs").join(LAB).join("src/.git/HEAD"), b"ref");
        let intake = take(&dir, "test-honest");
        let src = copied(&intake, LAB).expect("lab01 taken");
        assert!(src.starts_with(ws().scratch().join("intake/test-honest")), "{}", src.display());
        assert_eq!(std::fs::read(src.join("lib.rs")).unwrap(), b"pub fn x() {}\n");
        assert_eq!(std::fs::read(src.join("nested/mod.rs")).unwrap(), b"// more\n");
        assert!(!src.join("target").exists() && !src.join(".git").exists());
        assert!(intake.notes().is_empty(), "{:?}", intake.notes());
        assert_eq!(copied(&intake, "lab02-perceptron"), None, "lab02 was not submitted");
    }

    #[test]
    fn a_src_that_is_a_link_is_refused_not_followed() {
        let other = student("link-target");
        write(&other.join("src/lib.rs"), b"// the classmate's work\n");
        for (name, target) in
            [("absolute-link", other.join("src")), ("relative-link", PathBuf::from("../../link-target/src"))]
        {
            let dir = student(name);
            std::fs::create_dir_all(dir.join(LAB)).unwrap();
            symlink(&target, dir.join(LAB).join("src")).unwrap();
            assert!(dir.join(LAB).join("src/lib.rs").is_file(), "{name}: the link works");
            let intake = take(&dir, &format!("test-{name}"));
            assert_eq!(copied(&intake, LAB), None, "{name}");
            let why = &intake.not_graded[LAB];
            assert!(why.contains("lab01-neuron/src is a link") && why.contains("not follow"), "{why}");
            assert!(intake.notes().iter().any(|n| n.starts_with("lab01-neuron was not graded")));
        }
    }

    #[test]
    fn a_labs_folder_or_lab_folder_that_is_a_link_is_refused() {
        let other = student("link-target-labs");
        write(&other.join("labs").join(LAB).join("src/lib.rs"), b"// solutions\n");
        let dir = student("labs-link");
        symlink(other.join("labs"), dir.join("labs")).unwrap();
        let intake = take(&dir, "test-labs-link");
        assert!(intake.labs.is_empty());
        assert!(intake.layout.iter().any(|n| n.starts_with("labs is a link")), "{:?}", intake.layout);

        let dir = student("lab-link");
        symlink(other.join("labs").join(LAB), dir.join(LAB)).unwrap();
        let intake = take(&dir, "test-lab-link");
        assert!(intake.labs.is_empty());
        assert!(intake.not_graded[LAB].starts_with("lab01-neuron is a link"), "{:?}", intake.not_graded);
    }

    #[test]
    fn links_fifos_and_devices_inside_src_are_refused_without_being_opened() {
        let dir = student("specials");
        let src = dir.join(LAB).join("src");
        write(&src.join("lib.rs"), b"mod ok;\n");
        write(&src.join("ok.rs"), b"\n");
        symlink("/dev/zero", src.join("zero.rs")).unwrap();
        symlink("/etc/shadow", src.join("shadow.rs")).unwrap();
        symlink("../../../link-target/src", src.join("linked")).unwrap();
        let status = std::process::Command::new("mkfifo").arg(src.join("pipe.rs")).status().unwrap();
        assert!(status.success(), "mkfifo");
        let intake = take(&dir, "test-specials");
        let copy = copied(&intake, LAB).expect("the lab itself is taken");
        assert!(copy.join("lib.rs").is_file() && copy.join("ok.rs").is_file());
        for name in ["zero.rs", "shadow.rs", "linked", "pipe.rs"] {
            assert!(std::fs::symlink_metadata(copy.join(name)).is_err(), "{name} was copied");
        }
        let refused = reasons(&intake);
        let reason = |name: &str| {
            let path = format!("lab01-neuron/src/{name}");
            refused.iter().find(|(p, _)| *p == path).map(|(_, r)| r.clone()).unwrap_or_default()
        };
        assert!(reason("zero.rs").contains("is a link"), "{refused:?}");
        assert!(reason("shadow.rs").contains("is a link"), "{refused:?}");
        assert!(reason("linked").contains("is a link"), "{refused:?}");
        assert!(reason("pipe.rs").contains("named pipe"), "{refused:?}");
        assert_eq!(refused.len(), 4, "{refused:?}");
        assert!(
            intake
                .notes()
                .iter()
                .any(|n| n.starts_with("lab01-neuron/src/pipe.rs was not taken: it is a named pipe"))
        );
    }

    /// The check on the opened file: a link or a FIFO put where a regular file was listed (a race)
    /// fails to open or is refused before a single byte is read, and does not block.
    #[test]
    fn opening_refuses_links_and_fifos_by_itself() {
        let dir = student("swapped");
        symlink("/dev/zero", dir.join("zero")).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(dir.join("pipe")).status().unwrap().success());
        let (send, receive) = mpsc::channel();
        let paths = (dir.join("zero"), dir.join("pipe"));
        std::thread::spawn(move || {
            let _ = send.send((read_regular(&paths.0, u64::MAX), read_regular(&paths.1, u64::MAX)));
        });
        let (zero, pipe) = receive.recv_timeout(Duration::from_secs(60)).expect("opening blocked");
        assert!(zero.unwrap_err().contains("is a link"));
        assert!(pipe.unwrap_err().contains("named pipe"));
        assert!(read_regular(Path::new("/dev/null"), u64::MAX).unwrap_err().contains("a device"));
    }

    #[test]
    fn files_over_the_size_limit_are_refused_and_files_at_it_taken() {
        let dir = student("large");
        let src = dir.join(LAB).join("src");
        write(&src.join("lib.rs"), b"\n");
        write(&src.join("at_limit.rs"), &vec![b' '; MAX_FILE_BYTES as usize]);
        write(&src.join("over_limit.rs"), &vec![b' '; MAX_FILE_BYTES as usize + 1]);
        let intake = take(&dir, "test-large");
        let copy = copied(&intake, LAB).unwrap();
        assert_eq!(std::fs::metadata(copy.join("at_limit.rs")).unwrap().len(), MAX_FILE_BYTES);
        assert!(!copy.join("over_limit.rs").exists());
        assert_eq!(
            reasons(&intake),
            [(
                "lab01-neuron/src/over_limit.rs".into(),
                "it is larger than 1 MiB (it has 1048577 bytes)".into()
            )]
        );
    }

    #[test]
    fn a_student_takes_in_at_most_the_total_bytes() {
        let dir = student("total");
        let src = dir.join(LAB).join("src");
        let n = (MAX_TOTAL_BYTES / MAX_FILE_BYTES) as usize + 1;
        for i in 0..n {
            write(&src.join(format!("f{i:02}.rs")), &vec![b' '; MAX_FILE_BYTES as usize]);
        }
        let intake = take(&dir, "test-total");
        let copy = copied(&intake, LAB).unwrap();
        assert_eq!(std::fs::read_dir(&copy).unwrap().count(), n - 1);
        assert_eq!(
            reasons(&intake),
            [(
                format!("lab01-neuron/src/f{:02}.rs", n - 1),
                "the submission's files add up to more than 16 MiB".into()
            )]
        );
    }

    #[test]
    fn a_student_takes_in_at_most_the_entry_count() {
        let dir = student("many");
        let src = dir.join(LAB).join("src");
        write(&src.join("lib.rs"), b"\n");
        for folder in ["a", "b"] {
            for i in 0..600 {
                write(&src.join(folder).join(format!("{i:03}.rs")), b"");
            }
        }
        let intake = take(&dir, "test-many");
        let copy = copied(&intake, LAB).unwrap();
        let count = |d: &Path| std::fs::read_dir(d).map_or(0, |r| r.count());
        // a/ and its 600 files, then b/ and files until the budget is spent, lib.rs never reached.
        assert_eq!(1 + count(&copy.join("a")) + 1 + count(&copy.join("b")), MAX_ENTRIES);
        assert!(!copy.join("lib.rs").exists());
        let refused = reasons(&intake);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0].0, "lab01-neuron/src/b/398.rs");
        assert!(refused[0].1.contains("more than 1000 files and folders"), "{refused:?}");

        // One folder listing more than the budget is refused whole, without reading it all.
        let dir = student("wide");
        let src = dir.join(LAB).join("src");
        for i in 0..=MAX_ENTRIES {
            write(&src.join(format!("{i:04}.rs")), b"");
        }
        let intake = take(&dir, "test-wide");
        assert_eq!(reasons(&intake), [("lab01-neuron/src".into(), "holds more than 1000 entries".into())]);
    }

    #[test]
    fn labs_one_folder_down_are_taken_and_reported() {
        let dir = student("nested");
        write(&dir.join("my-repo/labs").join(LAB).join("src/lib.rs"), b"\n");
        let intake = take(&dir, "test-nested");
        assert!(copied(&intake, LAB).is_some());
        assert_eq!(
            intake.layout,
            ["found your labs one folder down, in my-repo/; next time submit the folder that holds labs/"]
        );
    }

    #[test]
    fn a_lab_found_twice_is_not_graded_and_both_places_are_named() {
        let dir = student("twice");
        write(&dir.join(LAB).join("src/lib.rs"), b"// one\n");
        write(&dir.join("labs").join(LAB).join("src/lib.rs"), b"// two\n");
        write(&dir.join("labs/lab02-perceptron/src/lib.rs"), b"\n");
        let intake = take(&dir, "test-twice");
        assert_eq!(copied(&intake, LAB), None);
        assert!(copied(&intake, "lab02-perceptron").is_some(), "the other lab is still graded");
        assert_eq!(
            intake.not_graded[LAB],
            "it is in your folder 2 times, at lab01-neuron/src and labs/lab01-neuron/src: the grader does \
             not guess which one is your work; keep one"
        );
    }

    #[test]
    fn no_labs_at_all_is_said_so() {
        let dir = student("empty");
        write(&dir.join("README.md"), b"hello\n");
        write(&dir.join("notes/lab1.rs"), b"\n");
        let intake = take(&dir, "test-empty");
        assert!(intake.labs.is_empty() && intake.not_graded.is_empty());
        assert_eq!(intake.layout.len(), 1);
        assert!(intake.layout[0].starts_with("no labs found"), "{:?}", intake.layout);
    }

    #[test]
    fn printable_escapes_what_is_not_text() {
        use std::os::unix::ffi::OsStrExt;
        let raw = std::ffi::OsStr::from_bytes(b"caf\xE9\n\x1b[31m");
        assert_eq!(printable(Path::new(raw)), "caf\\xE9\\n\\u{1b}[31m");
    }
}
