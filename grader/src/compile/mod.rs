//! Builds probes: for each lab of a submission, a small program that links the lab's code and
//! answers requests (see `nnlab_check::probe`).
//!
//! The submission's `src/` is copied into a scratch workspace next to the grader's own, trusted
//! manifest of the lab, so a student's Cargo.toml — a build script, an added dependency — never
//! takes part. All labs of one submission build in one `cargo build --keep-going`, so a lab that
//! does not compile costs that lab only, and all builds share one target directory, so faer and the
//! other dependencies compile once.
//!
//! By job: `admission` decides what of a lab's sources may be built, `manifests` writes the
//! packages' Cargo.toml files, `messages` reads what cargo reports, and `copying` moves files
//! in and out of the scratch workspace. This file runs cargo and puts the pieces together.

mod admission;
mod copying;
mod manifests;
mod messages;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::jail::{Jail, kill_group};
use crate::workspace::Workspace;
use admission::{admissible, submitted};
pub(crate) use copying::write_if_changed;
use copying::{keep_probe, sync_dir};
use manifests::{probe_main, probe_manifest, probe_package, trusted_manifest};
use messages::Package;

/// The file of a lab that holds the code students are given (see `stubs`).
pub const GIVEN: &str = "given.rs";

/// One lab to build: where its code is and which manifest to build it with.
#[derive(Clone, Debug)]
pub struct LabSource {
    /// The lab's name, e.g. `lab01-neuron`.
    pub lab: String,
    /// The submission's `src/` folder of the lab.
    pub src: PathBuf,
    /// The trusted manifest the lab is built with.
    pub manifest: PathBuf,
    /// A schemata build of the reference's mutants (`crate::mutants`), trusted: its probe lets
    /// each case choose the mutant.
    pub mutants: bool,
}

/// The build error a report gives a lab the submission does not contain.
pub const NOT_SUBMITTED: &str = "no src/lib.rs in the submission";

/// What building one lab's probe came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Built {
    /// The probe's executable, ready to run.
    Probe(PathBuf),
    /// The submission has no `src/lib.rs` for the lab, so nothing was built.
    NotSubmitted,
    /// Refused before building (its code reads files outside `src/`, or a lab it builds on is
    /// missing), or did not compile, or not in time: the text says which, in the student's words.
    Failed(String),
}

impl Built {
    /// The probe's executable, if it was built.
    pub fn probe(&self) -> Option<&Path> {
        match self {
            Built::Probe(exe) => Some(exe),
            Built::NotSubmitted | Built::Failed(_) => None,
        }
    }

    /// What a report says instead of grading the lab (`None`: it was built).
    pub fn error(&self) -> Option<String> {
        match self {
            Built::Probe(_) => None,
            Built::NotSubmitted => Some(NOT_SUBMITTED.to_string()),
            Built::Failed(why) => Some(why.clone()),
        }
    }
}

/// For each lab, what its build came to.
pub type Probes = BTreeMap<String, Built>;

/// One submission to build: a key naming its scratch space and packages, and its labs.
#[derive(Clone, Debug)]
pub struct Submission {
    /// Unique among the submissions built together; letters, digits and `-` only.
    pub key: String,
    /// Its labs.
    pub labs: Vec<LabSource>,
}

/// How long compiling may take, and whether it keeps caches.
#[derive(Clone, Copy, Debug)]
pub struct CompileLimits {
    /// Keep rustc's incremental caches of the student's crates, each in the crate's own scratch
    /// folder: a save recompiles only what changed (0.4 s instead of 1.8 s for lab 05's crate).
    /// For one student's own runs; a class would fill the disk (~20 MB per lab and student).
    pub incremental: bool,
    /// CPU seconds of one crate's rustc (enforced by the kernel, RLIMIT_CPU): a constant
    /// evaluation or a macro expansion that never ends costs that crate only.
    pub crate_cpu_seconds: u64,
    /// Wall-clock time of one batch's cargo invocation, a backstop for anything that hangs
    /// without using CPU: a batch that runs past it is split to find the students responsible.
    pub batch: Duration,
}

/// Builds the probes of every lab of every submission in one `cargo build` of the scratch
/// workspace `batch`: cargo then compiles many small crates in parallel. Returns the probes by
/// submission key. A batch whose build runs out of wall-clock time is built again in halves,
/// down to single submissions, whose labs that did not build then "did not compile in time".
pub fn build_probes(
    ws: &Workspace,
    jail: &Jail,
    batch: &str,
    submissions: &[Submission],
    limits: CompileLimits,
    log: Option<&Path>,
) -> Result<BTreeMap<String, Probes>> {
    let (mut probes, timed_out) = build_once(ws, jail, batch, submissions, limits, log)?;
    if !timed_out {
        return Ok(probes);
    }
    if let [sub] = submissions {
        let why = format!(
            "did not compile in time: the build of your labs ran past {} s and was stopped",
            limits.batch.as_secs()
        );
        let done = probes.entry(sub.key.clone()).or_default();
        for lab in &sub.labs {
            if !matches!(done.get(&lab.lab), Some(Built::Probe(_))) {
                done.insert(lab.lab.clone(), Built::Failed(why.clone()));
            }
        }
        return Ok(probes);
    }
    let (left, right) = submissions.split_at(submissions.len() / 2);
    let mut all = build_probes(ws, jail, batch, left, limits, log)?;
    all.extend(build_probes(ws, jail, batch, right, limits, log)?);
    Ok(all)
}

/// One cargo invocation for `submissions`; also says whether it ran out of time. Cargo's own
/// output is appended to `log` when given, else shown on a terminal and dropped otherwise.
fn build_once(
    ws: &Workspace,
    jail: &Jail,
    batch: &str,
    submissions: &[Submission],
    limits: CompileLimits,
    log: Option<&Path>,
) -> Result<(BTreeMap<String, Probes>, bool)> {
    let scratch = ws.scratch().join(batch);
    std::fs::create_dir_all(&scratch)?;
    let mut probes: BTreeMap<String, Probes> = BTreeMap::new();
    let mut members = Vec::new();
    let mut glue = Vec::new();
    let mut packages: Vec<Package<'_>> = Vec::new();
    for sub in submissions {
        let done = probes.entry(sub.key.clone()).or_default();
        for lab in &sub.labs {
            let crate_dir = scratch.join(&sub.key).join("crates").join(&lab.lab);
            if !submitted(&lab.src) {
                done.insert(lab.lab.clone(), Built::NotSubmitted);
                continue;
            }
            // Code students are given is not theirs to change (nor to submit): every build uses
            // the workbook's copy.
            let given = ws.root.join("labs").join(&lab.lab).join("src").join(GIVEN);
            let given = given.is_file().then(|| std::fs::read_to_string(&given)).transpose()?;
            let reserved: &[&str] = if given.is_some() { &[GIVEN] } else { &[] };
            if let Err(why) =
                admissible(&lab.src).and_then(|()| sync_dir(&lab.src, &crate_dir.join("src"), reserved))
            {
                done.insert(lab.lab.clone(), Built::Failed(format!("{why:#}")));
                continue;
            }
            if let Some(given) = given {
                write_if_changed(&crate_dir.join("src").join(GIVEN), &given)?;
            }
            let built = |dep: &str| scratch.join(&sub.key).join("crates").join(dep).join("src").is_dir();
            let (package, manifest) = match trusted_manifest(ws, &lab.manifest, &sub.key, built)? {
                Ok(found) => found,
                Err(missing) => {
                    done.insert(lab.lab.clone(), Built::Failed(missing));
                    continue;
                }
            };
            write_if_changed(&crate_dir.join("Cargo.toml"), &manifest)?;
            let probe_dir = scratch.join(&sub.key).join("probes").join(&lab.lab);
            write_if_changed(&probe_dir.join("Cargo.toml"), &probe_manifest(&sub.key, &lab.lab, &package))?;
            write_if_changed(&probe_dir.join("main.rs"), &probe_main(ws, &lab.lab, &package, lab.mutants))?;
            glue.push(probe_package(&sub.key, &lab.lab));
            for kind in ["crates", "probes"] {
                let member = format!("{}/{kind}/{}", sub.key, lab.lab);
                packages.push(Package {
                    folder: format!("/{member}#"),
                    probe: kind == "probes",
                    key: &sub.key,
                    lab: &lab.lab,
                });
                members.push(member);
            }
        }
    }
    if members.is_empty() {
        return Ok((probes, false));
    }
    write_if_changed(&scratch.join("Cargo.toml"), &ws.scratch_manifest(&members, &glue)?)?;
    write_if_changed(&scratch.join("Cargo.lock"), &std::fs::read_to_string(ws.root.join("Cargo.lock"))?)?;

    let status_dir = scratch.join("status");
    let _ = std::fs::remove_dir_all(&status_dir);
    let cargo = Workspace::cargo();
    // On a terminal cargo's progress shows as it comes; otherwise its stderr goes to the log (if
    // any) and its last lines are kept, to say why a lab did not build when cargo stopped before
    // the compiler reported anything (a lock, a crash, a killed rustc).
    let log = match log {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("opening {}", path.display()))?,
        ),
        None => None,
    };
    let on_terminal = log.is_none() && std::io::stderr().is_terminal();
    let stderr = if on_terminal { Stdio::inherit() } else { Stdio::piped() };
    let mut cmd = jail.session(cargo);
    // Student code reads the compiler's environment (`option_env!`) and can show it back in its
    // feedback: cargo gets only what it needs to find the toolchain and the registry.
    cmd.env_clear().envs(std::env::vars_os().filter(|(k, _)| build_variable(&k.to_string_lossy())));
    // The probes only, not `--workspace`: every submission's lab crate keeps the lab's library
    // name, and cargo copies each library it is asked for to the same `target/debug/lib<name>.rlib`,
    // which two crates of one batch raced for ("failed to remove file"). Asked as dependencies of
    // the probes, the libraries are built the same and copied nowhere.
    cmd.args(["build", "--keep-going", "--message-format=json"])
        .args(glue.iter().flat_map(|probe| ["-p", probe.as_str()]))
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", ws.probe_target())
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);
    jail.compile_through(&mut cmd, &ws.scratch(), &status_dir, limits.crate_cpu_seconds, limits.incremental);
    let mut child = cmd.spawn().context("cannot run cargo to build the probes")?;
    // The watchdog kills cargo's process group (cargo, the wrapped rustc processes) when the
    // batch runs out of time; dropping `done` tells it the build finished first.
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let cargo_pid = child.id();
    let watchdog = std::thread::spawn(move || {
        let timed_out =
            finished.recv_timeout(limits.batch) == Err(std::sync::mpsc::RecvTimeoutError::Timeout);
        if timed_out {
            kill_group(cargo_pid);
        }
        timed_out
    });
    let tail = child.stderr.take().map(|stderr| std::thread::spawn(move || messages::tail(stderr, log)));
    let stdout = child.stdout.take().expect("stdout is piped");
    let messages::Said { mut errors, executables } = messages::read(stdout, &packages, ws, &scratch)?;
    child.wait().context("waiting for cargo")?;
    drop(done);
    let timed_out = watchdog.join().unwrap_or(false);
    let tail = tail.and_then(|t| t.join().ok()).unwrap_or_default();
    // A batch builds several students' labs: each is told only the lines that name no other.
    let silent = |key: &str| {
        let others: Vec<&str> = submissions.iter().map(|s| s.key.as_str()).filter(|k| *k != key).collect();
        let said: Vec<&str> =
            tail.lines().filter(|line| !others.iter().any(|other| line.contains(other))).collect();
        match said.join("\n").trim() {
            "" => "did not compile (cargo printed no error)".to_string(),
            said => format!("did not compile; cargo said:\n{said}"),
        }
    };
    for sub in submissions {
        let bin = scratch.join(&sub.key).join("bin");
        std::fs::create_dir_all(&bin)?;
        let done = probes.entry(sub.key.clone()).or_default();
        for lab in &sub.labs {
            if done.contains_key(&lab.lab) {
                continue;
            }
            let id = (sub.key.clone(), lab.lab.clone());
            let built = match executables.get(&id) {
                Some(exe) => Built::Probe(keep_probe(exe, &bin, &lab.lab)?),
                None => Built::Failed(
                    stopped_at_limit(&status_dir, &sub.key, &lab.lab, limits)
                        .or_else(|| errors.remove(&id))
                        .unwrap_or_else(|| silent(&sub.key)),
                ),
            };
            done.insert(lab.lab.clone(), built);
        }
    }
    Ok((probes, timed_out))
}

/// Whether the batch's cargo keeps the grader's environment variable `name`.
fn build_variable(name: &str) -> bool {
    const KEPT: &[&str] =
        &["PATH", "HOME", "USER", "LANG", "CARGO", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN"];
    const PREFIXES: &[&str] =
        &["CARGO_REGISTRIES_", "CARGO_REGISTRY_", "CARGO_NET_", "CARGO_HTTP_", "CARGO_SOURCE_"];
    KEPT.contains(&name)
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || matches!(name.to_ascii_lowercase().as_str(), "http_proxy" | "https_proxy" | "no_proxy")
}

/// The message for a lab whose crate (or probe) the jail stopped at a limit: CPU time, wall-clock
/// time (its marker says `wall S`) or memory (`memory MIB FILE_MIB`).
fn stopped_at_limit(status: &Path, key: &str, lab: &str, limits: CompileLimits) -> Option<String> {
    let lab_crate = status.join(format!("{lab}-{key}"));
    let probe_crate = status.join(probe_package(key, lab));
    let marker =
        std::fs::read_to_string(&lab_crate).or_else(|_| std::fs::read_to_string(&probe_crate)).ok()?;
    let marker = marker.trim();
    if let Some(sizes) = marker.strip_prefix("memory ") {
        let (memory, file) = sizes.split_once(' ').unwrap_or((sizes, "?"));
        return Some(format!(
            "did not compile: the compiler needed more than {memory} MiB of memory, or wrote a file over \
             {file} MiB, on your code and was stopped. A giant constant, array or static?"
        ));
    }
    Some(match marker.strip_prefix("wall ") {
        Some(seconds) => format!(
            "did not compile in time: the compiler ran for more than {seconds} s on your code and was \
             stopped, waiting rather than computing. Does the code read a file that never ends \
             (`include_bytes!` of a pipe or a device)?"
        ),
        None => format!(
            "did not compile in time: the compiler spent more than {} s of CPU time on your code and was \
             stopped. A constant evaluation that never ends (a loop in a `const`), or a macro that expands \
             without end?",
            limits.crate_cpu_seconds
        ),
    })
}
