//! Runs a probe on one exercise's cases in a child process with a wall-clock limit, and collects
//! whatever answers it wrote before it finished, crashed, exited or was killed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nnlab_check::Answer;
use nnlab_check::probe::{Reply, Request};

/// How a probe run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    /// It answered every case and exited normally.
    Finished,
    /// It was killed after the time limit.
    TimedOut(Duration),
    /// It stopped without answering every case (abort, `process::exit`, stack overflow, …).
    Stopped(String),
}

/// The answers of one probe run, by case id, and how it ended.
#[derive(Clone, Debug)]
pub struct ProbeRun {
    /// The first answer given for each case id.
    pub answers: BTreeMap<String, Answer>,
    /// How the run ended.
    pub ending: Ending,
}

/// What a probe run may use.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Wall-clock time.
    pub time: Duration,
    /// Address space, in MiB (enforced on Unix with `ulimit -v`).
    pub memory_mib: u64,
    /// Let a probe run unconfined where its sandbox cannot be set up.
    pub allow_unconfined: bool,
}

/// Runs `exe` on `request` in a fresh scratch folder outside the workbook, killing it after the
/// time limit, and removes the folder afterwards: neither the request nor the replies stay on disk
/// for a later probe to read.
pub fn run_probe(exe: &Path, request: &Request, limits: Limits) -> Result<ProbeRun> {
    let workdir = scratch_dir()?;
    let run = run_in(exe, &workdir, request, limits);
    let _ = std::fs::remove_dir_all(&workdir);
    run
}

/// A new, empty folder with an unguessable name under the system's temporary folder.
fn scratch_dir() -> Result<PathBuf> {
    let dir =
        std::env::temp_dir().join(format!("nnlab-run-{}-{:016x}", std::process::id(), rand::random::<u64>()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

fn run_in(exe: &Path, workdir: &Path, request: &Request, limits: Limits) -> Result<ProbeRun> {
    let request_path = workdir.join("request.json");
    let replies_path = workdir.join("replies.jsonl");
    std::fs::write(&request_path, serde_json::to_string(request)?)?;
    std::fs::write(&replies_path, "")?;
    let mut child = limited(exe, limits.memory_mib)
        .arg(&request_path)
        .arg(&replies_path)
        .current_dir(workdir)
        .env_clear()
        .envs(limits.allow_unconfined.then_some((nnlab_check::sandbox::ALLOW_UNCONFINED, "1")))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() >= limits.time {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut answers = BTreeMap::new();
    // The file may hold anything the student's code wrote into it: keep only well-formed replies
    // to cases that were asked, and the first one for each.
    let text = std::fs::read(&replies_path).unwrap_or_default();
    for line in String::from_utf8_lossy(&text).lines() {
        if let Ok(reply) = serde_json::from_str::<Reply>(line)
            && request.cases.iter().any(|c| c.id == reply.id)
        {
            answers.entry(reply.id).or_insert(reply.answer);
        }
    }
    let ending = match status {
        None => Ending::TimedOut(limits.time),
        Some(_) if answers.len() == request.cases.len() => Ending::Finished,
        Some(status) => Ending::Stopped(describe(status)),
    };
    Ok(ProbeRun { answers, ending })
}

/// The command that starts `exe` with its address space capped: through `sh`, whose `ulimit`
/// applies to the program it then `exec`s (same process, so killing it kills the probe).
#[cfg(unix)]
fn limited(exe: &Path, memory_mib: u64) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(r#"ulimit -v "$0" && exec "$@""#).arg((memory_mib * 1024).to_string()).arg(exe);
    cmd
}

#[cfg(not(unix))]
fn limited(exe: &Path, _memory_mib: u64) -> Command {
    Command::new(exe)
}

fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => "SIGABRT: abort(), a stack overflow, or an allocation beyond the memory limit",
                9 => "SIGKILL: killed from outside",
                11 => "SIGSEGV: a stack overflow from unbounded recursion?",
                _ => "a signal",
            };
            return format!("the probe was stopped by signal {signal} ({name})");
        }
    }
    match status.code() {
        Some(code) if code == i32::from(nnlab_check::probe::SETUP_FAILED) => {
            "the probe could not set itself up — not your code's fault. If every exercise says this, \
             the probe sandbox is unavailable on the grading machine: tell your instructor (the \
             instructor chapter, --allow-unconfined)"
                .into()
        }
        Some(code) => format!(
            "the probe exited with status {code} before answering: does your code call std::process::exit?"
        ),
        None => "the probe stopped before answering".into(),
    }
}
