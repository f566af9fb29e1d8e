//! The grader's side of `nnlab-jail` (grader/jail): building it, asking it which protections this
//! machine enforces, and the commands that start probes, cargo and rustc through it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::workspace::Workspace;

/// Whose code a run grades, which decides how it is confined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    /// The student's own labs (or the reference): run as the student, like `cargo test` runs
    /// them, with the same time and memory limits.
    Own,
    /// Someone else's: each submission in a box (a uid of its own, namespaces where allowed,
    /// Landlock, seccomp, rlimits).
    Others,
}

/// The jail executable and what it can enforce here.
#[derive(Clone, Debug)]
pub struct Jail {
    /// The `nnlab-jail` executable.
    pub exe: PathBuf,
    /// The protections of the floor it reports missing on this machine (empty: the floor holds).
    pub missing: Vec<String>,
    /// The layers above the floor this machine does not allow (namespaces, Landlock's newer rights).
    pub layers_missing: Vec<String>,
    /// The protections in force for someone else's code, one line each.
    pub in_force: Vec<String>,
    /// Whose code this run grades.
    pub whose: Whose,
    /// The instructor chose to grade someone else's code with the floor missing (see
    /// [`Jail::require`]).
    pub allow_unconfined: bool,
}

/// The first uid of the boxes (a run's are `BOX_UIDS + 65536 × (pid mod 4096) + n`): no system
/// or regular user has one so high.
pub const BOX_UIDS: u32 = 100_000;

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
    /// How the probe is confined.
    pub confinement: Confinement,
}

/// How a probe is confined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confinement {
    /// The student's own code, or the reference: a session and the limits.
    Own,
    /// Someone else's code in a box of this uid.
    Box(u32),
    /// Someone else's code where no box can be had (a grader that is not root, with
    /// `--allow-unconfined`): whatever of the rest the machine has.
    NoBox,
}

impl Jail {
    /// Builds the jail (into a target directory of its own, see [`Workspace::jail_target`]) and
    /// runs its self-test.
    pub fn build(ws: &Workspace, whose: Whose) -> Result<Jail> {
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
        let lines: Vec<String> =
            String::from_utf8_lossy(&status.stdout).lines().map(str::to_string).collect();
        let with = |prefix: &str| -> Vec<String> {
            lines.iter().filter_map(|l| l.strip_prefix(prefix)).map(str::to_string).collect()
        };
        Ok(Jail {
            exe,
            missing: with("missing "),
            layers_missing: with("layer-missing "),
            in_force: with("ok "),
            whose,
            allow_unconfined: false,
        })
    }

    /// Refuses to grade someone else's code where the floor of its box is missing, unless the
    /// instructor said otherwise; either way says exactly which protection and how to get it.
    /// The student's own code needs no box: it says so, once.
    pub fn require(&mut self, allow_unconfined: bool) -> Result<()> {
        if self.whose == Whose::Own {
            eprintln!(
                "your own code runs as you, unconfined, as `cargo test` runs it (grading someone else's \
                 folder confines it)"
            );
            return Ok(());
        }
        if self.missing.is_empty() {
            return Ok(());
        }
        let list = self.missing.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n");
        if allow_unconfined {
            eprintln!(
                "warning: grading someone else's code with protections missing on this machine \
                 (--allow-unconfined):\n{list}"
            );
            self.allow_unconfined = true;
            return Ok(());
        }
        bail!(
            "this machine cannot confine someone else's code:\n{list}\nRun the grader as root (a uid \
             per submission needs it; in a container, root without CAP_SYS_ADMIN is enough) on Linux \
             5.13 or newer with Landlock enabled (see the instructor chapter), or pass \
             --allow-unconfined for trusted code only. Your own labs need none of this: \
             `cargo run -p grader`."
        )
    }

    /// How a new submission's probes are confined: someone else's code gets a box with a uid
    /// that no other submission of this run has.
    pub fn confinement(&self) -> Confinement {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        if self.whose == Whose::Own {
            return Confinement::Own;
        }
        if self.missing.iter().any(|m| m.starts_with("uid")) {
            return Confinement::NoBox;
        }
        // Above the system's users, and apart from another grader's run on the same machine.
        let run = std::process::id() % 4096;
        Confinement::Box(BOX_UIDS + run * 65536 + NEXT.fetch_add(1, Ordering::Relaxed) % 65536)
    }

    /// The protections in force for someone else's code, and the layers this machine lacks, as
    /// the reports state them (none for the student's own code, which runs unconfined).
    pub fn protections(&self) -> Vec<String> {
        if self.whose == Whose::Own {
            return Vec::new();
        }
        let mut lines: Vec<String> = self.in_force.iter().map(|l| format!("in force: {l}")).collect();
        lines.extend(self.layers_missing.iter().map(|l| format!("not on this machine: {l}")));
        lines.extend(self.missing.iter().map(|l| format!("MISSING (--allow-unconfined): {l}")));
        lines
    }

    /// The command that runs `exe ARGS…` as a confined probe in `dir`.
    pub fn probe(&self, exe: &Path, dir: &Path, limits: ProbeLimits) -> Command {
        // On Windows the jail could only start the probe as a child of its own, which a timeout
        // that kills the jail would leave running: the student's own code runs directly, without
        // the address-space limit (the time limit holds).
        #[cfg(not(unix))]
        if limits.confinement == Confinement::Own {
            let _ = dir;
            return Command::new(exe);
        }
        let mut cmd = Command::new(&self.exe);
        cmd.arg("probe")
            .arg("--dir")
            .arg(dir)
            .args(["--memory", &limits.memory_mib.to_string()])
            .args(["--file-size", &limits.file_mib.to_string()])
            .args(["--cpu", &limits.cpu_seconds.to_string()])
            .args(["--parent", &std::process::id().to_string()]);
        match limits.confinement {
            Confinement::Box(uid) => cmd.args(["--box-uid", &uid.to_string()]),
            Confinement::Own => cmd.arg("--own"),
            Confinement::NoBox => &mut cmd,
        };
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
        for (set, name) in [
            (self.whose == Whose::Own, "NNLAB_JAIL_OWN"),
            (self.allow_unconfined, "NNLAB_JAIL_ALLOW_UNCONFINED"),
        ] {
            if set {
                cmd.env(name, "1");
            } else {
                cmd.env_remove(name);
            }
        }
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
#[cfg(unix)]
pub fn kill_group(pid: u32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

/// Without process groups (Windows) the grader kills the probe itself: the student's own code
/// runs there without the jail (see [`Jail::probe`]).
#[cfg(not(unix))]
pub fn kill_group(_pid: u32) {}
