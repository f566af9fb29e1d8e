//! The grader's side of `nnlab-jail` (grader/jail): building it, asking it which protections this
//! machine enforces, and the commands that start probes, cargo and rustc through it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;

/// The jail executable and what it can enforce here.
#[derive(Clone, Debug)]
pub struct Jail {
    /// The `nnlab-jail` executable.
    pub exe: PathBuf,
    /// The protections it reports missing on this machine (empty: all of them hold).
    pub missing: Vec<String>,
}

/// What a probe run may use.
#[derive(Clone, Copy, Debug)]
pub struct ProbeLimits {
    /// Address space, in MiB.
    pub memory_mib: u64,
    /// The largest file it may write, in MiB (which bounds its replies).
    pub file_mib: u64,
    /// CPU seconds, a backstop behind the grader's wall clock.
    pub cpu_seconds: u64,
    /// Start probes even where a protection is missing.
    pub allow_unconfined: bool,
}

impl Jail {
    /// Builds the jail (into a target directory of its own, see [`Workspace::jail_target`]) and
    /// runs its self-test.
    pub fn build(ws: &Workspace) -> Result<Jail> {
        let cargo = Workspace::cargo();
        let out = Command::new(cargo)
            .args(["build", "-q", "-p", "nnlab-jail", "--message-format=json"])
            .arg("--manifest-path")
            .arg(ws.root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", ws.jail_target())
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .context("cannot run cargo to build nnlab-jail")?;
        let exe = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find_map(|m| m["executable"].as_str().map(PathBuf::from));
        let Some(exe) = exe.filter(|_| out.status.success()) else {
            bail!("nnlab-jail (grader/jail) did not build")
        };
        let status = Command::new(&exe).arg("status").output().context("running nnlab-jail status")?;
        let missing = String::from_utf8_lossy(&status.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("missing "))
            .map(str::to_string)
            .collect();
        Ok(Jail { exe, missing })
    }

    /// Refuses to grade where a protection is missing, unless the instructor said otherwise;
    /// either way says exactly which.
    pub fn require(&self, allow_unconfined: bool) -> Result<()> {
        if self.missing.is_empty() {
            return Ok(());
        }
        let list = self.missing.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n");
        if allow_unconfined {
            eprintln!(
                "warning: grading with protections missing on this machine (--allow-unconfined):\n{list}"
            );
            return Ok(());
        }
        bail!(
            "this machine cannot confine student code:\n{list}\nGrade inside a container (see the instructor \
             chapter), or pass --allow-unconfined for trusted code only."
        )
    }

    /// The command that runs `exe ARGS…` as a confined probe in `dir`.
    pub fn probe(&self, exe: &Path, dir: &Path, limits: ProbeLimits) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("probe")
            .arg("--dir")
            .arg(dir)
            .args(["--memory", &limits.memory_mib.to_string()])
            .args(["--file-size", &limits.file_mib.to_string()])
            .args(["--cpu", &limits.cpu_seconds.to_string()])
            .args(["--parent", &std::process::id().to_string()]);
        if limits.allow_unconfined {
            cmd.arg("--allow-unconfined");
        }
        cmd.arg("--").arg(exe);
        cmd
    }

    /// The command that runs `program` in a session of its own that dies with the grader.
    pub fn session(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.args(["session", "--parent", &std::process::id().to_string(), "--"]).arg(program);
        cmd
    }

    /// Sets the environment that makes cargo compile the members of the scratch workspace
    /// `beneath` through the jail, each crate's rustc limited to `cpu_seconds`; a crate that
    /// runs out of time leaves a file named after its package in `status`. `incremental` keeps
    /// rustc's caches, each student crate's in a folder of its own (the jail asks rustc for them).
    pub fn compile_through(
        &self,
        cmd: &mut Command,
        beneath: &Path,
        status: &Path,
        cpu_seconds: u64,
        incremental: bool,
    ) {
        cmd.env("RUSTC_WORKSPACE_WRAPPER", &self.exe)
            .env("NNLAB_JAIL_WRAPPER", "1")
            .env("NNLAB_JAIL_BENEATH", beneath)
            .env("NNLAB_JAIL_STATUS", status)
            .env("NNLAB_JAIL_COMPILE_CPU", cpu_seconds.to_string())
            // Never cargo's: CARGO_INCREMENTAL=1 changes the profile of every path crate (the
            // grader's own and the reference's, which a lab builds on), and they were compiled
            // again for each student's own run. The jail adds the flag to the student's crates.
            .env("CARGO_INCREMENTAL", "0");
        if incremental {
            cmd.env("NNLAB_JAIL_INCREMENTAL", "1");
        } else {
            cmd.env_remove("NNLAB_JAIL_INCREMENTAL");
        }
    }
}

/// Kills the process group led by `pid` (a probe or cargo started through the jail).
pub fn kill_group(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}
