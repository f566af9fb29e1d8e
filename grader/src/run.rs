//! Runs a probe on a request's cases (one exercise's, or for the reference a whole lab's) in a
//! child process, confined by `nnlab-jail`, with a wall-clock limit, and collects whatever answers
//! it wrote before it finished, crashed, exited or was killed. The replies are read up to a bound:
//! a probe that floods costs the grader nothing but the bound.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nnlab_check::Answer;
use nnlab_check::probe::{Reply, Request};

use crate::jail::{Confinement, Jail, ProbeLimits, kill_group};

/// The most a probe may write into one file, its replies included (RLIMIT_FSIZE), in MiB; the
/// grader reads no more than this of the replies. The largest honest reply (the digits model of
/// lab 07 with its standardizer) is well under 1 MiB.
pub const MAX_REPLY_MIB: u64 = 64;

/// What of a probe's error output the grader reads, to explain a setup failure.
const MAX_STDERR: u64 = 4096;
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
    /// How it is confined: the student's own code, or someone else's in a box.
    pub confinement: Confinement,
}

/// Runs `exe` on `request` in a fresh scratch folder outside the workbook, killing it after the
/// time limit, and removes the folder afterwards: neither the request nor the replies stay on disk
/// for a later probe to read.
pub fn run_probe(jail: &Jail, exe: &Path, request: &Request, limits: Limits) -> Result<ProbeRun> {
    let workdir = scratch_dir()?;
    let run = run_in(jail, exe, &workdir, request, limits);
    let _ = crate::removal::remove_tree(&workdir);
    run
}

/// A new, empty folder with an unguessable name under the system's temporary folder, closed to
/// everyone but its owner.
fn scratch_dir() -> Result<PathBuf> {
    let dir =
        std::env::temp_dir().join(format!("nnlab-run-{}-{:016x}", std::process::id(), rand::random::<u64>()));
    let mut builder = std::fs::DirBuilder::new();
    // Not recursive: the parent exists, and a folder already there is an error, not a reuse.
    builder.recursive(false);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Gives the box's uid the run folder and the replies file: the probe reads its request and
/// writes its replies there, and nothing else of the grader's is its own.
#[cfg(unix)]
fn hand_over(workdir: &Path, replies: &Path, confinement: Confinement) -> Result<()> {
    if let Confinement::Box(uid) = confinement {
        for path in [workdir, replies] {
            std::os::unix::fs::chown(path, Some(uid), Some(uid))
                .with_context(|| format!("giving {} to the box's uid {uid}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn hand_over(_workdir: &Path, _replies: &Path, _confinement: Confinement) -> Result<()> {
    Ok(())
}

fn run_in(jail: &Jail, exe: &Path, workdir: &Path, request: &Request, limits: Limits) -> Result<ProbeRun> {
    let request_path = workdir.join("request.json");
    let replies_path = workdir.join("replies.jsonl");
    let stderr_path = workdir.join("stderr.txt");
    std::fs::write(&request_path, serde_json::to_string(request)?)?;
    std::fs::write(&replies_path, "")?;
    hand_over(workdir, &replies_path, limits.confinement)?;
    let probe_limits = ProbeLimits {
        memory_mib: limits.memory_mib,
        file_mib: MAX_REPLY_MIB,
        cpu_seconds: limits.time.as_secs() + 2,
        allow_unconfined: limits.allow_unconfined,
        confinement: limits.confinement,
    };
    let mut child = jail
        .probe(exe, workdir, probe_limits)
        .arg(&request_path)
        .arg(&replies_path)
        .current_dir(workdir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path)?)
        .spawn()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() >= limits.time {
            // The jail made the probe a session leader: its group is the probe and whatever it
            // may have left behind.
            kill_group(child.id());
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut answers = BTreeMap::new();
    // The file may hold anything the student's code wrote into it: keep only well-formed replies
    // to cases that were asked, the first one for each, and read no more than the bound.
    let (text, overflow) = read_bounded(&replies_path, MAX_REPLY_MIB * 1024 * 1024);
    for line in String::from_utf8_lossy(&text).lines().take(request.cases.len() * 2) {
        if let Ok(reply) = serde_json::from_str::<Reply>(line)
            && request.cases.iter().any(|c| c.id == reply.id)
        {
            answers.entry(reply.id).or_insert(bounded(reply.answer));
        }
    }
    let ending = match status {
        None => Ending::TimedOut(limits.time),
        Some(_) if overflow => Ending::Stopped(format!(
            "the probe wrote more than {MAX_REPLY_MIB} MiB of replies; the grader read no further"
        )),
        Some(_) if answers.len() == request.cases.len() => Ending::Finished,
        Some(status) => {
            let mut why = describe(status);
            if status.code() == Some(i32::from(nnlab_check::probe::SETUP_FAILED)) {
                let (err, _) = read_bounded(&stderr_path, MAX_STDERR);
                let err = String::from_utf8_lossy(&err);
                if let Some(line) = err.lines().find(|l| l.starts_with("nnlab-jail:")) {
                    why = format!("{why}\n{line}");
                }
            }
            Ending::Stopped(why)
        }
    };
    Ok(ProbeRun { answers, ending })
}

/// The most of a panic message the grader keeps: it is copied into every report format.
const MAX_PANIC_CHARS: usize = 2000;

/// `answer` with its message (a panic's, or a reply that claims bad input) cut to
/// [`MAX_PANIC_CHARS`].
fn bounded(answer: Answer) -> Answer {
    let cut = |msg: String| {
        let n = msg.chars().count();
        if n <= MAX_PANIC_CHARS {
            return msg;
        }
        format!("{}… (cut: {n} characters in all)", msg.chars().take(MAX_PANIC_CHARS).collect::<String>())
    };
    match answer {
        Answer::Panic(msg) => Answer::Panic(cut(msg)),
        Answer::BadInput(msg) => Answer::BadInput(cut(msg)),
        other => other,
    }
}

/// At most `max` bytes of the file at `path`, and whether it holds more. The probe owned the
/// folder: a link in the file's place is not followed, nor a FIFO waited on.
fn read_bounded(path: &Path, max: u64) -> (Vec<u8>, bool) {
    let mut bytes = Vec::new();
    if let Ok(file) = crate::intake::open_no_follow(path)
        && file.metadata().is_ok_and(|m| m.is_file())
    {
        let _ = file.take(max + 1).read_to_end(&mut bytes);
    }
    let overflow = bytes.len() as u64 > max;
    bytes.truncate(max as usize);
    (bytes, overflow)
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
                24 => "SIGXCPU: it used more CPU time than the time limit",
                25 => "SIGXFSZ: it wrote a file larger than the grader allows",
                31 => "SIGSYS: a system call the grader does not allow",
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
