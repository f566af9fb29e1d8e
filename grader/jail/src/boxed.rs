//! The box someone else's code runs in, built as IOI's isolate builds one: a keeper outside, an
//! init inside, the student's code as a third process.
//!
//! - **A uid of its own** (root switches to it; see [`become_box_user`]): no process, file or
//!   SysV object of the grader, the reference or a classmate is the box's, so it can neither
//!   signal, trace nor re-limit them (`prlimit` on another uid's process needs a capability it
//!   does not have), and `RLIMIT_NPROC` bounds its processes and threads.
//! - **Namespaces where the machine allows them** (root with `CAP_SYS_ADMIN`): PID (it sees and
//!   signals nothing outside, and everything in it dies with its init), IPC (its SysV objects die
//!   with it), network (no device but a loopback that is down) and UTS.
//! - Then what every probe of someone else's gets: rlimits, seccomp, and Landlock (its file rules
//!   are part of the floor; TCP rules and scopes where the kernel has them).
//!
//! Without a PID namespace there is no init: the keeper becomes the student's code itself, and
//! the uid, `RLIMIT_NPROC` and seccomp's ban on new processes keep the tree at one process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rustix::process::{Resource, Signal};
use rustix::thread::{UnshareFlags, set_thread_groups, set_thread_res_gid, set_thread_res_uid};
use rustix::{fs::Gid, fs::Uid};

use crate::confine;
use crate::{ProbeArgs, SETUP_FAILED};

/// Processes and threads a box may have at once (`RLIMIT_NPROC`, counted per uid: the box's
/// uid is its own). An honest probe has one process and a thread or two.
pub const MAX_TASKS: u64 = 64;

/// The namespaces a box gets where it may.
fn box_namespaces() -> UnshareFlags {
    UnshareFlags::NEWPID | UnshareFlags::NEWIPC | UnshareFlags::NEWNET | UnshareFlags::NEWUTS
}

/// Enters new namespaces for this process's children (the PID namespace) and itself (the rest).
#[allow(unsafe_code)]
pub fn unshare_namespaces() -> Result<(), String> {
    // SAFETY: the flags hold no CLONE_FILES, the one flag that makes `unshare` unsafe (threads
    // sharing a descriptor table): nothing here shares or splits file descriptors.
    unsafe { rustix::thread::unshare_unsafe(box_namespaces()) }.map_err(|e| format!("unshare: {e}"))
}

/// Whether this process can give a box a uid of its own: it holds `CAP_SETUID` and
/// `CAP_SETGID`, as root does, in a container too.
pub fn can_switch_uid() -> bool {
    use rustix::thread::CapabilitySet;
    rustix::thread::capabilities(None)
        .is_ok_and(|c| c.effective.contains(CapabilitySet::SETUID | CapabilitySet::SETGID))
}

/// Becomes `uid` (and group `uid`) with no supplementary group. Leaving root this way also drops
/// every capability, and the kernel clears the parent-death signal, which the caller sets again.
pub fn become_box_user(uid: u32) -> Result<(), String> {
    set_thread_groups(&[]).map_err(|e| format!("setgroups: {e}"))?;
    set_thread_res_gid(Gid::from_raw(uid), Gid::from_raw(uid), Gid::from_raw(uid))
        .map_err(|e| format!("setresgid {uid}: {e}"))?;
    set_thread_res_uid(Uid::from_raw(uid), Uid::from_raw(uid), Uid::from_raw(uid))
        .map_err(|e| format!("setresuid {uid}: {e}"))?;
    // A process whose credentials changed is not dumpable, which makes its /proc/self root's:
    // the probe could not exec itself through /proc/self/fd (see [`exec_probe`]).
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::Dumpable)
        .map_err(|e| format!("PR_SET_DUMPABLE: {e}"))
}

/// The keeper: `nnlab-jail probe --box-uid U …` for someone else's code. Sets the limits, enters
/// the namespaces it may and starts the init in them; without a PID namespace it confines itself
/// and becomes the probe.
pub fn keeper(args: &ProbeArgs, dir: &Path, uid: u32) -> ExitCode {
    if let Err(e) = confine::session(args.parent, true).and_then(|()| limits(args)) {
        return failed(&e);
    }
    if !can_switch_uid() {
        return failed("a box needs a uid of its own, which only root can give (run the grader as root)");
    }
    if unshare_namespaces().is_err() {
        // No CAP_SYS_ADMIN (an ordinary container): the floor without namespaces.
        return exec_probe(args, dir, uid, None);
    }
    // The init tells the keeper how the probe ended through a pipe, so that the probe's stdout
    // and stderr stay the keeper's own. Forks, not new programs: a start of the jail costs about
    // a millisecond here, and a box is made for every exercise.
    let (report, told) = match rustix::pipe::pipe() {
        Ok(ends) => ends,
        Err(e) => return failed(&format!("pipe: {e}")),
    };
    let init = match fork() {
        Ok(Forked::Child) => {
            drop(report);
            std::process::exit(init(told, args, dir, uid))
        }
        Ok(Forked::Parent(init)) => init,
        Err(e) => return failed(&e),
    };
    drop(told);
    let said = BufReader::new(std::fs::File::from(report)).lines().next();
    let _ = rustix::process::waitpid(Some(init), rustix::process::WaitOptions::empty());
    mirror(said.and_then(Result::ok).as_deref())
}

/// The init: pid 1 of the box's PID namespace. Starts the probe as pid 2, waits for it, and
/// tells the keeper how it ended on `told`; when it exits, the kernel kills everything left in the
/// namespace. Returns its own exit status.
fn init(told: rustix::fd::OwnedFd, args: &ProbeArgs, dir: &Path, uid: u32) -> i32 {
    if let Err(e) = confine::session(None, false) {
        eprintln!("nnlab-jail: {e}");
        return i32::from(SETUP_FAILED);
    }
    let probe = match fork() {
        Ok(Forked::Child) => {
            drop(told);
            let _ = exec_probe(args, dir, uid, Some(1));
            std::process::exit(i32::from(SETUP_FAILED))
        }
        Ok(Forked::Parent(probe)) => probe,
        Err(e) => {
            eprintln!("nnlab-jail: {e}");
            return i32::from(SETUP_FAILED);
        }
    };
    let status = loop {
        match rustix::process::waitpid(None, rustix::process::WaitOptions::empty()) {
            Ok(Some((pid, status))) if pid == probe => break Some(status),
            Ok(_) => continue,
            Err(_) => break None,
        }
    };
    let said = match status.map(|s| (s.exit_status(), s.terminating_signal())) {
        Some((Some(code), _)) => format!("exit {code}\n"),
        Some((None, Some(signal))) => format!("signal {signal}\n"),
        _ => format!("exit {SETUP_FAILED}\n"),
    };
    let _ = rustix::io::write(&told, said.as_bytes());
    0
}

/// Which side of a fork this is.
enum Forked {
    Child,
    Parent(rustix::process::Pid),
}

#[allow(unsafe_code)]
fn fork() -> Result<Forked, String> {
    // SAFETY: the jail starts no thread, so it has one when it forks and the child inherits no
    // lock another thread held; the child only confines itself and `exec`s, forks once more, or
    // exits.
    match unsafe { libc::fork() } {
        -1 => Err(format!("fork: {}", std::io::Error::last_os_error())),
        0 => Ok(Forked::Child),
        pid => Ok(Forked::Parent(rustix::process::Pid::from_raw(pid).expect("a child's pid is positive"))),
    }
}

/// Ends as the keeper's probe did: the same exit status, or the same signal.
fn mirror(said: Option<&str>) -> ExitCode {
    let said = said.unwrap_or("");
    if let Some(code) = said.strip_prefix("exit ").and_then(|c| c.parse::<i32>().ok()) {
        return ExitCode::from(code as u8);
    }
    if let Some(signal) = said.strip_prefix("signal ").and_then(|s| s.parse::<i32>().ok())
        && let Some(signal) = Signal::from_named_raw(signal)
    {
        default_action(signal.as_raw());
        let _ = rustix::process::kill_process(rustix::process::getpid(), signal);
        // A signal that does not end a process by default (none the kernel sends a probe).
        return ExitCode::from(128 + signal.as_raw() as u8);
    }
    failed("the box's init said nothing: killed from outside?")
}

/// Gives `signal` its default action again: the Rust runtime catches SIGSEGV and SIGBUS (to name
/// a stack overflow), and a caught signal would not end the keeper as it ended the probe.
#[allow(unsafe_code)]
fn default_action(signal: i32) {
    // SAFETY: `signal` is a signal number, and SIG_DFL is a valid disposition for every signal
    // that can be caught; no handler of this process's is in use after this point.
    unsafe { libc::signal(signal, libc::SIG_DFL) };
}

fn failed(why: &str) -> ExitCode {
    eprintln!("nnlab-jail: {why}");
    ExitCode::from(SETUP_FAILED)
}

/// The probe's limits; `RLIMIT_NPROC` holds once the box's uid is not root.
fn limits(args: &ProbeArgs) -> Result<(), String> {
    confine::probe_limits(args)?;
    confine::limit(Resource::Nproc, MAX_TASKS, MAX_TASKS)
}

/// Confines this process as the probe in a box of uid `uid` and becomes the probe. `parent`: the
/// pid its parent must have (the init's, 1), if any.
fn exec_probe(args: &ProbeArgs, dir: &Path, uid: u32, parent: Option<u32>) -> ExitCode {
    // Opened while still root: the probe's executable lies in the workbook, which the box's uid
    // may not be able to reach (a home folder closed to others); it runs through this descriptor.
    let exe = match confine::probe_executable(args) {
        Ok(exe) => exe,
        Err(e) => return failed(&e),
    };
    let program = match std::fs::File::open(&exe) {
        Ok(file) => file,
        Err(e) => return failed(&format!("{}: {e}", exe.display())),
    };
    // Landlock's rules open the paths they name: made as root, before the uid changes.
    let setup = confine::landlock_probe(dir, &exe).and_then(|missing| {
        become_box_user(uid)?;
        confine::session(parent, false)?;
        confine::lock_down(args, missing)
    });
    if let Err(e) = setup {
        return failed(&e);
    }
    let through = PathBuf::from(format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&program)));
    let mut command = args.command.clone();
    command[0] = if through.exists() { through.display().to_string() } else { exe.display().to_string() };
    crate::exec(&command)
}
