//! Compile time. Cargo runs `nnlab-jail RUSTC ARGS…` for every member of the grader's scratch
//! workspace (`RUSTC_WORKSPACE_WRAPPER`; compiled dependencies such as faer are not members and
//! are not wrapped). For a student's lab crate the wrapper starts rustc in a Landlock domain of
//! its own: it reads the toolchain, the system, the registry's sources, its own copied crate and
//! the compiled dependencies — not the grader's tree, not another student's sources or compiled
//! crates — and writes only into an output folder of its own, whose results the wrapper moves
//! into cargo's. `include_str!`, `#[path]`, `#[debugger_visualizer]`
//! or anything else that makes rustc open a file is held to that, however it is spelled.
//!
//! Every wrapped rustc gets a CPU-time limit and a wall-clock limit (a compiler blocked on a read
//! uses no CPU): a constant evaluation that never ends costs that crate only, and the grader
//! learns which crate it was from a marker file. A student crate's compiler may also use at most
//! [`LAB_MEMORY`] (a memory cgroup where one can be made, its address space otherwise) and write
//! files of at most [`LAB_FILE`]; what a failed build leaves is removed.
//!
//! The student's own runs (`NNLAB_JAIL_OWN`) keep the limits and drop the confinement: their
//! code is theirs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use rustix::process::Resource;

use crate::confine::{self, Rules};
use crate::{SETUP_FAILED, number, option_values, split_command};

/// Environment the grader sets for the build.
const BENEATH: &str = "NNLAB_JAIL_BENEATH";
const STATUS: &str = "NNLAB_JAIL_STATUS";
const CPU: &str = "NNLAB_JAIL_COMPILE_CPU";
/// Set when a student's own run keeps rustc's incremental caches of their crates.
const INCREMENTAL: &str = "NNLAB_JAIL_INCREMENTAL";
/// Set when the code compiled is the student's own (or the reference): limits, no confinement.
const OWN: &str = "NNLAB_JAIL_OWN";
/// Set when the instructor grades someone else's code where Landlock is missing
/// (`--allow-unconfined`): the compiler runs without its file rules instead of refusing.
const ALLOW_UNCONFINED: &str = "NNLAB_JAIL_ALLOW_UNCONFINED";

/// The memory a student crate's compiler may use. An honest lab crate peaks at ~220 MB.
pub const LAB_MEMORY: u64 = 1 << 30;
/// The address space it may reserve where no memory cgroup can be made (rustc reserves far more
/// than it touches).
const LAB_ADDRESS_SPACE: u64 = 4 << 30;
/// The largest file it may write: an honest lab's library is a few MB; a 1 GB `static` is not.
pub const LAB_FILE: u64 = 100 << 20;

/// What a crate under the grader's scratch folder is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// `<batch>/<key>/crates/<lab>`: the student's code.
    Lab,
    /// `<batch>/<key>/probes/<lab>`: the grader's glue, compiled against the student's generics.
    Probe,
}

fn kind_of(manifest_dir: &Path, beneath: &Path) -> Option<Kind> {
    let rest = manifest_dir.strip_prefix(beneath).ok()?;
    let parts: Vec<_> = rest.components().collect();
    match parts.as_slice() {
        [_, _, kind, _] if kind.as_os_str() == "crates" => Some(Kind::Lab),
        [_, _, kind, _] if kind.as_os_str() == "probes" => Some(Kind::Probe),
        _ => None,
    }
}

/// The wrapper: `args` is `RUSTC ARGS…` as cargo passes them.
pub fn wrap(args: &[String]) -> ExitCode {
    let kind = match (std::env::var_os("CARGO_MANIFEST_DIR"), std::env::var_os(BENEATH)) {
        (Some(dir), Some(beneath)) => kind_of(Path::new(&dir), Path::new(&beneath)),
        _ => None,
    };
    let Some(kind) = kind else { return crate::exec(args) };
    if let Err(e) = confine::session(None, false) {
        eprintln!("nnlab-jail: {e}");
        return ExitCode::from(SETUP_FAILED);
    }
    let cpu: u64 = std::env::var(CPU).ok().and_then(|v| v.parse().ok()).unwrap_or(120);
    let me = std::env::current_exe().expect("the jail knows where it is");
    let parent = std::process::id().to_string();
    let profile = if kind == Kind::Lab { "lab" } else { "probe" };
    let mut child = Command::new(me);
    child.args(["confine-rustc", "--profile", profile, "--cpu", &cpu.to_string(), "--parent", &parent, "--"]);
    // The wall clock: a compiler that waits (on a pipe, a lock) uses no CPU time.
    let wall = std::time::Duration::from_secs(cpu.saturating_mul(2).max(60));
    let memory = (kind == Kind::Lab).then(|| crate::cgroup::Cgroup::create("rustc", LAB_MEMORY)).flatten();
    if let Some(group) = &memory {
        child.env(crate::cgroup::JOIN, group.procs_file());
    }
    let status = match (kind, private_output(args)) {
        (Kind::Lab, Some(output)) => {
            let stdio = output.own.with_file_name("stdio");
            let status = output.run(child, &stdio, wall);
            // Only what a good build made stays: a refused or failed one leaves nothing behind.
            let _ = std::fs::remove_dir_all(&output.own);
            let _ = std::fs::remove_dir_all(&stdio);
            status
        }
        _ => run_until(child.args(args), wall, |_| Ok(())),
    };
    let out_of_memory = memory.is_some_and(|group| group.finish());
    match status {
        Ok((s, late)) => {
            use std::os::unix::process::ExitStatusExt;
            if late {
                mark_stopped(&format!("wall {}", wall.as_secs()));
                eprintln!(
                    "error: rustc took longer than {} s (wall clock) on this crate and was stopped",
                    wall.as_secs()
                );
                return ExitCode::from(101);
            }
            if matches!(s.signal(), Some(libc::SIGXCPU | libc::SIGKILL)) && !out_of_memory {
                mark_stopped(&format!("cpu {cpu}"));
                eprintln!("error: rustc used more than {cpu} s of CPU time on this crate and was stopped");
                return ExitCode::from(101);
            }
            if out_of_memory || s.signal() == Some(libc::SIGXFSZ) {
                mark_stopped(&format!("memory {} {}", LAB_MEMORY >> 20, LAB_FILE >> 20));
                eprintln!(
                    "error: rustc needed more than {} MiB of memory or wrote a file over {} MiB on this \
                     crate and was stopped (a giant constant or static?)",
                    LAB_MEMORY >> 20,
                    LAB_FILE >> 20
                );
                return ExitCode::from(101);
            }
            ExitCode::from(s.code().map_or(101, |c| c as u8))
        }
        Err(e) => {
            eprintln!("nnlab-jail: cannot start the confined rustc: {e}");
            ExitCode::from(SETUP_FAILED)
        }
    }
}

/// Where a student crate's rustc writes: a folder of the crate's own instead of cargo's shared
/// output folder, which holds every student's compiled crates. The wrapper moves the results into
/// cargo's folder — the metadata the moment rustc announces it (cargo starts the crates that
/// depend on it right then), the rest when rustc is done.
struct PrivateOutput {
    /// cargo's `--out-dir`.
    shared: PathBuf,
    /// The crate's own folder that rustc is given instead.
    own: PathBuf,
    /// rustc's arguments with `--out-dir` pointing at `own`.
    args: Vec<String>,
}

fn private_output(args: &[String]) -> Option<PrivateOutput> {
    let at = args.iter().position(|a| a == "--out-dir")?;
    let shared = PathBuf::from(args.get(at + 1)?);
    let own = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?).join("out");
    let _ = std::fs::remove_dir_all(&own);
    std::fs::create_dir_all(&own).ok()?;
    let mut args = args.to_vec();
    args[at + 1] = own.display().to_string();
    Some(PrivateOutput { shared, own, args })
}

impl PrivateOutput {
    /// Runs the compiler, at most `wall`; the status, and whether it was stopped for being late.
    ///
    /// Its stdout and stderr are files in `stdio`, never pipes: `include_bytes!("/proc/self/fd/1")`
    /// reopens whatever fd 1 is (Landlock does not govern pipes), and a pipe the compiler itself
    /// holds open would be read forever. The wrapper follows the stderr file as it grows.
    fn run(
        &self,
        mut child: Command,
        stdio: &Path,
        wall: std::time::Duration,
    ) -> std::io::Result<(std::process::ExitStatus, bool)> {
        use std::io::{BufRead, Read, Write};
        let (own, shared) = (self.own.display().to_string(), self.shared.display().to_string());
        std::fs::create_dir_all(stdio)?;
        let (out_path, err_path) = (stdio.join("stdout"), stdio.join("stderr"));
        child
            .args(&self.args)
            .stdout(std::fs::File::create(&out_path)?)
            .stderr(std::fs::File::create(&err_path)?);
        let result = run_until(&mut child, wall, |child| {
            let mut stderr = std::io::BufReader::new(std::fs::File::open(&err_path)?);
            // Bytes, not text: the file is read while the compiler writes it, and a read may end
            // inside a character (`→` in a message), which a `String` would reject.
            let mut bytes = Vec::new();
            loop {
                let exited = child.try_wait()?.is_some();
                // Read before deciding: a line written just before the compiler exited counts.
                if stderr.read_until(b'\n', &mut bytes)? == 0 || !bytes.ends_with(b"\n") {
                    if exited {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                }
                let line = String::from_utf8_lossy(&bytes).into_owned();
                // `{"$message_type":"artifact","artifact":"<own>/lib….rmeta","emit":"metadata"}`
                if line.contains("\"$message_type\":\"artifact\"") {
                    for file in std::fs::read_dir(&self.own)?.flatten() {
                        let name = file.file_name();
                        if line.contains(&*name.to_string_lossy()) {
                            std::fs::copy(file.path(), self.shared.join(&name))?;
                        }
                    }
                }
                write!(std::io::stderr(), "{}", line.replace(&own, &shared))?;
                bytes.clear();
            }
            // A last line without its newline.
            write!(std::io::stderr(), "{}", String::from_utf8_lossy(&bytes).replace(&own, &shared))?;
            let mut out = Vec::new();
            std::fs::File::open(&out_path)?.read_to_end(&mut out)?;
            std::io::stdout().write_all(&out)
        })?;
        if result.0.success() && !result.1 {
            for file in std::fs::read_dir(&self.own)?.flatten() {
                if file.file_type()?.is_file() {
                    std::fs::rename(file.path(), self.shared.join(file.file_name()))?;
                }
            }
        }
        Ok(result)
    }
}

/// Starts `command`, lets `read` drain it, and waits for it, killing its process group (the
/// compiler and anything it started) after `wall`; says whether it had to.
fn run_until(
    command: &mut Command,
    wall: std::time::Duration,
    read: impl FnOnce(&mut std::process::Child) -> std::io::Result<()>,
) -> std::io::Result<(std::process::ExitStatus, bool)> {
    use std::os::unix::process::CommandExt;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, mpsc};
    // A group of its own, so the watchdog's kill reaches whatever the compiler started.
    let mut child = command.process_group(0).spawn()?;
    let pid = child.id();
    let late = Arc::new(AtomicBool::new(false));
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = {
        let late = Arc::clone(&late);
        std::thread::spawn(move || {
            if finished.recv_timeout(wall) == Err(mpsc::RecvTimeoutError::Timeout) {
                late.store(true, Ordering::SeqCst);
                if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                }
            }
        })
    };
    let drained = read(&mut child);
    let status = child.wait();
    drop(done);
    let _ = watchdog.join();
    drained?;
    Ok((status?, late.load(Ordering::SeqCst)))
}

/// Leaves `<status>/<package>` for the grader: this crate's compiler was stopped at a limit
/// (`cpu S`, `wall S`, or `memory MIB FILE_MIB`).
fn mark_stopped(which: &str) {
    if let (Some(dir), Ok(package)) = (std::env::var_os(STATUS), std::env::var("CARGO_PKG_NAME")) {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(Path::new(&dir).join(package), format!("{which}\n"));
    }
}

/// `confine-rustc --profile lab|probe --cpu S --parent PID -- RUSTC ARGS…`: confines itself,
/// then becomes rustc.
pub fn confined(args: &[String]) -> ExitCode {
    if args.first().is_some_and(|a| a == "--self-test") {
        for line in crate::status::self_test() {
            println!("{line}");
        }
        return ExitCode::SUCCESS;
    }
    match prepare(args) {
        Ok((command, tmp)) => match &tmp {
            // rustc's temporary files go to the crate's own folder.
            Some(tmp) => crate::exec_with(&command, &[("TMPDIR", tmp)]),
            None => crate::exec(&command),
        },
        Err(e) => {
            eprintln!("nnlab-jail: {e}");
            ExitCode::from(SETUP_FAILED)
        }
    }
}

/// The command to `exec`, and the temporary folder it is given.
fn prepare(args: &[String]) -> Result<(Vec<String>, Option<PathBuf>), String> {
    let (opts, mut command) = split_command(args)?;
    let cpu = number(&opts, "--cpu")?.unwrap_or(120);
    let parent = number(&opts, "--parent")?.map(|p| p as u32);
    confine::session(parent, false)?;
    crate::cgroup::join_from_env()?;
    confine::limit(Resource::Cpu, cpu, cpu + 5)?;
    confine::limit(Resource::Core, 0, 0)?;
    if option_values(&opts, "--profile").last() != Some(&"lab") {
        // The grader's glue, compiled against the student's generics: its executable links faer.
        confine::limit(Resource::As, 16 << 30, 16 << 30)?;
        confine::limit(Resource::Fsize, 1 << 30, 1 << 30)?;
        return Ok((command, None));
    }
    // A giant constant or static: the compiler's memory and its output files are bounded too.
    confine::limit(Resource::As, LAB_ADDRESS_SPACE, LAB_ADDRESS_SPACE)?;
    confine::limit(Resource::Fsize, LAB_FILE, LAB_FILE)?;
    let rustc = real_rustc(&command[0])?;
    let crate_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let tmp = crate_dir.join("tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    own_incremental(&mut command, &crate_dir, std::env::var_os(INCREMENTAL).is_some())?;
    command[0] = rustc.binary().display().to_string();
    if std::env::var_os(OWN).is_some() {
        return Ok((command, Some(tmp)));
    }
    let rules = lab_rules(&rustc, &crate_dir, &tmp, &command[1..]);
    confine::drop_capabilities()?;
    let missing = confine::landlock(&rules)?;
    if missing.iter().any(|m| m.starts_with("files")) && std::env::var_os(ALLOW_UNCONFINED).is_none() {
        return Err(format!("cannot confine the compiler: {}", missing.join("; ")));
    }
    confine::seccomp()?;
    Ok((command, Some(tmp)))
}

/// The toolchain behind the `rustc` cargo runs (a rustup proxy, often).
struct Rustc {
    sysroot: PathBuf,
}

impl Rustc {
    /// The compiler itself, which the wrapper runs directly (no proxy inside the domain).
    fn binary(&self) -> PathBuf {
        self.sysroot.join("bin/rustc")
    }
}

/// Keeps the student crate's incremental caches (`wanted`) in a folder of its own scratch space: its
/// caches hold the student's code, and another student's crate must not read them. Cargo is not
/// asked for them (CARGO_INCREMENTAL=1 would also change the profile of every path crate, the
/// grader's own among them, and rebuild them apart from the reference's); should cargo pass
/// `-C incremental=DIR` anyway, its shared folder is replaced by the crate's own.
fn own_incremental(command: &mut Vec<String>, crate_dir: &Path, wanted: bool) -> Result<(), String> {
    let own = crate_dir.join("incremental");
    let mut found = false;
    for i in 0..command.len() {
        let joined = command[i].starts_with("-Cincremental=");
        let split = command[i] == "-C" && command.get(i + 1).is_some_and(|v| v.starts_with("incremental="));
        if joined || split {
            let (at, prefix) = if joined { (i, "-C") } else { (i + 1, "") };
            command[at] = format!("{prefix}incremental={}", own.display());
            found = true;
        }
    }
    if wanted && !found {
        command.extend(["-C".to_string(), format!("incremental={}", own.display())]);
    }
    if wanted || found {
        std::fs::create_dir_all(&own).map_err(|e| format!("{}: {e}", own.display()))?;
    }
    Ok(())
}

/// rustc's sysroot is the folder above the `bin/` holding it, as rustc itself finds it; asking
/// rustc (a rustup proxy, say) costs a fifth of a second per crate, on every save in `watch`.
fn real_rustc(rustc: &str) -> Result<Rustc, String> {
    let path = Path::new(rustc);
    if let Some(root) = path.parent().filter(|b| b.ends_with("bin")).and_then(Path::parent)
        && path.is_absolute()
        && path.file_name().is_some_and(|n| n == "rustc")
        && root.join("lib/rustlib").is_dir()
        && !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Ok(Rustc { sysroot: root.to_path_buf() });
    }
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run {rustc}: {e}"))?;
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || sysroot.is_empty() {
        return Err(format!("{rustc} --print sysroot failed"));
    }
    Ok(Rustc { sysroot: PathBuf::from(sysroot) })
}

/// Whether a file in cargo's dependency folder is a compiled dependency a student's crate may be
/// built against: a library (`lib<crate>-<hash>.rlib`, `.rmeta` or, for a proc macro, `.so`) that
/// is not a lab crate (a student's, the reference's or a solution), a probe, or one of the
/// workbook's own crates that hold or link the reference or the hidden cases. The folder is the
/// workbook's target directory, shared with `cargo test` and `cargo run`: executables (which link
/// the reference) and cargo's dependency lists are never readable.
fn is_compiled_dependency(name: &str) -> bool {
    const PRIVATE: &[&str] = &["probe", "grader", "nnlab_book", "nnlab_hidden", "nnlab_jail"];
    let Some(stem) = name.strip_prefix("lib") else { return false };
    let library = [".rlib", ".rmeta", ".so"].iter().any(|ext| stem.ends_with(ext));
    let crate_name = stem.split(['-', '.']).next().unwrap_or(stem);
    let lab = crate_name.len() > 5
        && crate_name.starts_with("lab")
        && crate_name[3..5].bytes().all(|b| b.is_ascii_digit());
    library && !lab && !PRIVATE.iter().any(|p| crate_name.starts_with(p))
}

fn lab_rules(rustc: &Rustc, crate_dir: &Path, tmp: &Path, args: &[String]) -> Rules {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    // Of /etc only what the dynamic loader reads: the rest (shadow, keys) is the machine's.
    // Of /proc/self only the files rustc reads (its memory, its cgroup's CPU quota): not environ,
    // not fd/. A descriptor to a pipe is beyond Landlock, though, which is why the compiler's
    // stdout and stderr are files (see `PrivateOutput::run`).
    let mut read: Vec<PathBuf> = [
        "/usr",
        "/etc/ld.so.cache",
        "/proc/self/cgroup",
        "/proc/self/maps",
        "/proc/self/statm",
        "/proc/self/mountinfo",
        "/sys/fs/cgroup",
        "/sys/devices/system/cpu",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    read.extend(confine::library_dirs());
    read.push(rustc.sysroot.clone());
    read.extend(cargo_home.map(|h| h.join("registry")));
    read.push(crate_dir.to_path_buf());
    let value = |i: usize, flag: &str| -> Option<String> {
        let a = &args[i];
        if a == flag {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(&format!("{flag}=")).map(str::to_string)
        }
    };
    let mut list = Vec::new();
    let mut read_write = vec![tmp.to_path_buf(), "/dev/null".into()];
    for i in 0..args.len() {
        if let Some(l) = value(i, "-L")
            && let Some(dir) = l.strip_prefix("dependency=")
        {
            // Listing the folder is harmless; only the compiled dependencies may be opened.
            list.push(PathBuf::from(dir));
            read.extend(
                std::fs::read_dir(dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| is_compiled_dependency(&e.file_name().to_string_lossy()))
                    .map(|e| e.path()),
            );
        }
        if let Some(ext) = value(i, "--extern")
            && let Some((_, path)) = ext.split_once('=')
        {
            read.push(PathBuf::from(path));
        }
        // The crate's own output folder (see `PrivateOutput`): rustc reopens what it writes.
        if let Some(dir) = value(i, "--out-dir") {
            read_write.push(PathBuf::from(dir));
        }
        // The crate's own incremental caches (see `own_incremental`).
        if let Some(dir) = value(i, "-C").and_then(|c| c.strip_prefix("incremental=").map(PathBuf::from)) {
            read_write.push(dir);
        }
    }
    let mut exec = confine::interpreters();
    exec.push(rustc.binary());
    Rules { read, list, read_write, exec }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn an_incremental_build_writes_its_caches_into_the_crate_folder() {
        let crate_dir = std::env::temp_dir().join(format!("nnlab-incremental-{}", std::process::id()));
        let own = format!("incremental={}", crate_dir.join("incremental").display());
        let mut split = args(&["rustc", "-C", "incremental=/t/debug/incremental", "-C", "opt-level=1"]);
        own_incremental(&mut split, &crate_dir, false).unwrap();
        assert_eq!(split, args(&["rustc", "-C", &own, "-C", "opt-level=1"]));
        let mut joined = args(&["rustc", "-Cincremental=/t/debug/incremental"]);
        own_incremental(&mut joined, &crate_dir, true).unwrap();
        assert_eq!(joined, args(&["rustc", &format!("-C{own}")]));
        assert!(crate_dir.join("incremental").is_dir());
        let mut none = args(&["rustc", "-C", "opt-level=1"]);
        own_incremental(&mut none, &crate_dir, false).unwrap();
        assert_eq!(none, args(&["rustc", "-C", "opt-level=1"]));
        // A student's own run asks the jail, not cargo, for them.
        own_incremental(&mut none, &crate_dir, true).unwrap();
        assert_eq!(none, args(&["rustc", "-C", "opt-level=1", "-C", &own]));
        let _ = std::fs::remove_dir_all(&crate_dir);
    }

    #[test]
    fn a_message_followed_while_written_may_pause_inside_a_character() {
        let dir = std::env::temp_dir().join(format!("nnlab-follow-{}", std::process::id()));
        let output = PrivateOutput { shared: dir.join("shared"), own: dir.join("own"), args: Vec::new() };
        std::fs::create_dir_all(&output.own).unwrap();
        std::fs::create_dir_all(&output.shared).unwrap();
        // The first byte of `→` (e2 86 92), a pause, then the rest of the line.
        let mut child = Command::new("sh");
        child.args(["-c", r"printf '\342' >&2; sleep 0.3; printf '\206\222 done\n' >&2"]);
        let (status, late) = output
            .run(child, &dir.join("stdio"), std::time::Duration::from_secs(20))
            .expect("followed to the end");
        assert!(status.success() && !late);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_compiled_dependencies_are_readable_in_cargos_folder() {
        for readable in [
            "libfaer-0123abcd.rlib",
            "libfaer-0123abcd.rmeta",
            "libequator_macro-99.so",
            "libnnlab_check-1.rlib",
        ] {
            assert!(is_compiled_dependency(readable), "{readable}");
        }
        for private in [
            "liblab05_backprop-1.rlib",
            "liblab05_backprop_solution-1.rmeta",
            "lab05_backprop_solution-1",
            "libprobe_sub_1_lab05_backprop-2.rlib",
            "libgrader-3.rlib",
            "grader-3",
            "nnlab_book-4",
            "libnnlab_book-4.rlib",
            "libnnlab_hidden-5.rmeta",
            "libfaer-0123abcd.d",
            "faer-0123abcd.d",
            "nnlab_jail-6",
        ] {
            assert!(!is_compiled_dependency(private), "{private}");
        }
    }

    #[test]
    fn the_sysroot_of_a_toolchain_rustc_is_the_folder_above_its_bin() {
        let asked = Command::new("rustc").args(["--print", "sysroot"]).output().unwrap();
        let sysroot = String::from_utf8(asked.stdout).unwrap().trim().to_string();
        let binary = Path::new(&sysroot).join("bin/rustc");
        assert_eq!(real_rustc(&binary.display().to_string()).unwrap().sysroot, PathBuf::from(&sysroot));
        // A proxy elsewhere (rustup's) is asked.
        assert_eq!(real_rustc("rustc").unwrap().sysroot, PathBuf::from(&sysroot));
    }
}
