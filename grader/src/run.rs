//! Runs a probe on one exercise's cases in a child process with a wall-clock limit, and collects
//! whatever answers it wrote before it finished, crashed, exited or was killed.

use std::collections::BTreeMap;
use std::path::Path;
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

/// Runs `exe` on `request` inside `workdir` (created fresh), killing it after `limit`.
pub fn run_probe(exe: &Path, workdir: &Path, request: &Request, limit: Duration) -> Result<ProbeRun> {
    if workdir.exists() {
        std::fs::remove_dir_all(workdir)?;
    }
    std::fs::create_dir_all(workdir)?;
    let request_path = workdir.join("request.json");
    let replies_path = workdir.join("replies.jsonl");
    std::fs::write(&request_path, serde_json::to_string(request)?)?;
    std::fs::write(&replies_path, "")?;
    let mut child = Command::new(exe)
        .arg(&request_path)
        .arg(&replies_path)
        .current_dir(workdir)
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
        if started.elapsed() >= limit {
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
        None => Ending::TimedOut(limit),
        Some(_) if answers.len() == request.cases.len() => Ending::Finished,
        Some(status) => Ending::Stopped(describe(status)),
    };
    Ok(ProbeRun { answers, ending })
}

fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => "SIGABRT: abort(), or a stack overflow",
                9 => "SIGKILL: killed, maybe for using too much memory",
                11 => "SIGSEGV: a stack overflow from unbounded recursion?",
                _ => "a signal",
            };
            return format!("the probe was stopped by signal {signal} ({name})");
        }
    }
    match status.code() {
        Some(code) => format!(
            "the probe exited with status {code} before answering: does your code call std::process::exit?"
        ),
        None => "the probe stopped before answering".into(),
    }
}
