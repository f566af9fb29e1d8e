//! `nnlab-jail`: the one program through which the grader starts anything that runs or compiles
//! student code. It sets up confinement that the kernel enforces and then `exec`s the real
//! program, so the confinement exists before a single instruction of student code does — code
//! that runs before `main` (a constructor in `.init_array`) included.
//!
//! ```text
//! nnlab-jail status                          which protections this machine enforces
//! nnlab-jail probe [LIMITS] --box-uid U -- EXE ARGS…
//!                                            someone else's code, in a box (see `boxed`): a uid
//!                                            of its own, namespaces where allowed, files only in
//!                                            --dir, no network, no signals or processes, rlimits
//! nnlab-jail probe [LIMITS] --own -- EXE …   the student's own code, or the reference: its own
//!                                            session and the rlimits, nothing more
//! nnlab-jail emulate [--no-landlock] [--no-sys-admin] -- PROG …
//!                                            runs PROG as on a kernel without Landlock or in a
//!                                            container without CAP_SYS_ADMIN (for tests)
//! nnlab-jail session --parent PID -- PROG …  cargo: own process group, killed with the grader
//! nnlab-jail RUSTC ARGS…                     as cargo's RUSTC_WORKSPACE_WRAPPER: rustc on a
//!                                            student crate reads only that crate, the toolchain
//!                                            and compiled dependencies, within a CPU limit
//! ```
//!
//! Where the floor of someone else's box is missing (a uid of its own, seccomp, rlimits, Landlock's
//! file rules), `probe` refuses to start (exit status 3) and says which protection is missing,
//! unless `--allow-unconfined` is given; Landlock's newer rights (TCP, scopes) and the namespaces
//! are layers added where the kernel and the grader's privileges allow them.

use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(target_os = "linux")]
mod boxed;
#[cfg(target_os = "linux")]
mod cgroup;
#[cfg(target_os = "linux")]
mod confine;
#[cfg(target_os = "linux")]
mod emulate;
#[cfg(target_os = "linux")]
mod rustc;
#[cfg(target_os = "linux")]
mod status;

/// The exit status of a jail that could not set itself up (the probe protocol's `SETUP_FAILED`).
const SETUP_FAILED: u8 = 3;

/// What `probe` is given (only Linux confines with most of it).
#[derive(Debug, Default)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
struct ProbeArgs {
    /// The one folder it may read and write.
    dir: Option<PathBuf>,
    /// Address space, in MiB.
    memory_mib: u64,
    /// Largest file it may write, in MiB.
    file_mib: u64,
    /// CPU seconds before the kernel stops it (a backstop behind the grader's wall clock).
    cpu_seconds: u64,
    /// The grader's pid: if the grader is gone already, do not start.
    parent: Option<u32>,
    /// Start even where a protection is missing.
    allow_unconfined: bool,
    /// The student's own code (or the reference): a session and the limits only.
    own: bool,
    /// Someone else's code, in a box of this uid.
    box_uid: Option<u32>,
    /// The program and its arguments.
    command: Vec<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("status") => status(),
        Some("probe") => match parse_probe(&args[1..]) {
            Ok(probe) => run_probe(probe),
            Err(e) => usage(&e),
        },
        Some("emulate") => match split_command(&args[1..]) {
            Ok((opts, command)) => run_emulated(&opts, &command),
            Err(e) => usage(&e),
        },
        Some("session") => match split_command(&args[1..]) {
            Ok((opts, command)) => run_session(&opts, command),
            Err(e) => usage(&e),
        },
        Some("confine-rustc") => confine_rustc(&args[1..]),
        Some(_) if std::env::var_os("NNLAB_JAIL_WRAPPER").is_some() => wrap_rustc(&args),
        _ => usage("no command"),
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!(
        "nnlab-jail: {why}\nusage: nnlab-jail status | probe --dir D --memory MIB --file-size MIB --cpu S \
         [--parent PID] [--box-uid U | --own] [--allow-unconfined] -- EXE ARGS… | session [--parent PID] \
         -- PROGRAM ARGS… | emulate [--no-landlock] [--no-sys-admin] -- PROGRAM ARGS…"
    );
    ExitCode::from(2)
}

/// Options before `--`, and the command after it.
fn split_command(args: &[String]) -> Result<(Vec<String>, Vec<String>), String> {
    let at = args.iter().position(|a| a == "--").ok_or("no `--` before the command")?;
    let command = args[at + 1..].to_vec();
    if command.is_empty() {
        return Err("no command after `--`".into());
    }
    Ok((args[..at].to_vec(), command))
}

/// The value of each `--name value` option, in order.
fn option_values<'a>(opts: &'a [String], name: &str) -> Vec<&'a str> {
    opts.windows(2).filter(|w| w[0] == name).map(|w| w[1].as_str()).collect()
}

fn number(opts: &[String], name: &str) -> Result<Option<u64>, String> {
    match option_values(opts, name).last() {
        Some(v) => v.parse().map(Some).map_err(|_| format!("{name} takes a whole number, not {v:?}")),
        None => Ok(None),
    }
}

fn parse_probe(args: &[String]) -> Result<ProbeArgs, String> {
    let (opts, command) = split_command(args)?;
    Ok(ProbeArgs {
        dir: option_values(&opts, "--dir").last().map(PathBuf::from),
        memory_mib: number(&opts, "--memory")?.ok_or("--memory is required")?,
        file_mib: number(&opts, "--file-size")?.ok_or("--file-size is required")?,
        cpu_seconds: number(&opts, "--cpu")?.ok_or("--cpu is required")?,
        parent: number(&opts, "--parent")?.map(|p| p as u32),
        allow_unconfined: opts.iter().any(|o| o == "--allow-unconfined"),
        own: opts.iter().any(|o| o == "--own"),
        box_uid: number(&opts, "--box-uid")?.map(|u| u as u32),
        command,
    })
}

#[cfg(target_os = "linux")]
fn status() -> ExitCode {
    for line in status::status() {
        println!("{line}");
    }
    ExitCode::SUCCESS
}

#[cfg(not(target_os = "linux"))]
fn status() -> ExitCode {
    println!("missing all: the grader's confinement needs Linux (Landlock, seccomp, rlimits)");
    ExitCode::SUCCESS
}

#[cfg(target_os = "linux")]
fn run_probe(probe: ProbeArgs) -> ExitCode {
    let Some(dir) = probe.dir.clone() else { return usage("--dir is required") };
    let set_up = match probe.box_uid {
        Some(uid) if !probe.own => return boxed::keeper(&probe, &dir, uid),
        _ if probe.own => confine::own_probe(&probe),
        _ => confine::probe(&probe, &dir),
    };
    match set_up {
        Ok(()) => exec(&probe.command),
        Err(e) => {
            eprintln!("nnlab-jail: {e}");
            ExitCode::from(SETUP_FAILED)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn run_probe(probe: ProbeArgs) -> ExitCode {
    if !probe.own && !probe.allow_unconfined {
        eprintln!(
            "nnlab-jail: missing all: a box for someone else's code needs Linux; grade inside a Linux container"
        );
        return ExitCode::from(SETUP_FAILED);
    }
    exec(&probe.command)
}

#[cfg(target_os = "linux")]
fn run_emulated(opts: &[String], command: &[String]) -> ExitCode {
    let no_landlock = opts.iter().any(|o| o == "--no-landlock");
    let no_sys_admin = opts.iter().any(|o| o == "--no-sys-admin");
    match emulate::machine(no_landlock, no_sys_admin) {
        Ok(()) => exec(command),
        Err(e) => {
            eprintln!("nnlab-jail: {e}");
            ExitCode::from(SETUP_FAILED)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn run_emulated(_opts: &[String], _command: &[String]) -> ExitCode {
    usage("emulate needs Linux")
}

#[cfg(target_os = "linux")]
fn run_session(opts: &[String], command: Vec<String>) -> ExitCode {
    let parent = match number(opts, "--parent") {
        Ok(p) => p.map(|p| p as u32),
        Err(e) => return usage(&e),
    };
    if let Err(e) = confine::session(parent, true) {
        eprintln!("nnlab-jail: {e}");
        return ExitCode::from(SETUP_FAILED);
    }
    exec(&command)
}

#[cfg(not(target_os = "linux"))]
fn run_session(_opts: &[String], command: Vec<String>) -> ExitCode {
    exec(&command)
}

#[cfg(target_os = "linux")]
fn wrap_rustc(args: &[String]) -> ExitCode {
    rustc::wrap(args)
}

#[cfg(not(target_os = "linux"))]
fn wrap_rustc(args: &[String]) -> ExitCode {
    exec(args)
}

#[cfg(target_os = "linux")]
fn confine_rustc(args: &[String]) -> ExitCode {
    rustc::confined(args)
}

#[cfg(not(target_os = "linux"))]
fn confine_rustc(_args: &[String]) -> ExitCode {
    usage("confine-rustc needs Linux")
}

/// Replaces this process with `command` (same pid, so the confinement and the session stay).
fn exec(command: &[String]) -> ExitCode {
    exec_with(command, &[])
}

/// [`exec`] with variables added to the environment.
#[cfg(unix)]
fn exec_with(command: &[String], env: &[(&str, &std::path::Path)]) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let error = std::process::Command::new(&command[0]).args(&command[1..]).envs(env.iter().copied()).exec();
    eprintln!("nnlab-jail: cannot start {}: {error}", command[0]);
    ExitCode::from(SETUP_FAILED)
}

#[cfg(not(unix))]
fn exec_with(command: &[String], env: &[(&str, &std::path::Path)]) -> ExitCode {
    match std::process::Command::new(&command[0]).args(&command[1..]).envs(env.iter().copied()).status() {
        Ok(s) => ExitCode::from(s.code().unwrap_or(1) as u8),
        Err(e) => {
            eprintln!("nnlab-jail: cannot start {}: {e}", command[0]);
            ExitCode::from(SETUP_FAILED)
        }
    }
}
