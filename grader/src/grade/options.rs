//! How a run grades: the limits of compiling and running someone's code, and the time budget a
//! submission's probe runs share.

use std::path::PathBuf;
use std::time::Duration;

use crate::compile::CompileLimits;
use crate::jail::{Confinement, Whose};
use crate::run::Limits;

/// How to grade.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seed of the hidden cases.
    pub seed: u64,
    /// Wall-clock limit of one exercise's probe run.
    pub timeout: Duration,
    /// Address-space limit of one probe run, in MiB.
    pub memory_mib: u64,
    /// Run probes unconfined where their sandbox cannot be set up, instead of failing them.
    pub allow_unconfined: bool,
    /// CPU time the compiler may spend on one of a student's crates.
    pub compile_timeout: Duration,
    /// Record how long each exercise's run took (then reports differ from run to run).
    pub timings: bool,
    /// Where cargo's own output goes; `None`: the terminal, if there is one.
    pub cargo_log: Option<PathBuf>,
    /// The labs to grade, by crate name (see [`crate::workspace::Workspace::lab_named`]); empty: every lab.
    pub labs: Vec<String>,
    /// Keep the compiler's incremental caches of the student's crates (see
    /// [`CompileLimits::incremental`]): for one student's own runs, not for a class.
    pub incremental: bool,
    /// Whose code is graded: the student's own runs unconfined, anyone else's in a box.
    pub whose: Whose,
    /// Wall-clock time all the probe runs of one submission may take together: a submission that
    /// sleeps just under every exercise's limit is stopped here, and its remaining exercises
    /// time out.
    pub budget: Duration,
}

impl Options {
    /// The options with the default limits (10 s and 2 GiB per exercise) and `seed`.
    pub fn with_seed(seed: u64) -> Options {
        Options {
            seed,
            timeout: Duration::from_secs(10),
            memory_mib: 2048,
            allow_unconfined: false,
            compile_timeout: Duration::from_secs(120),
            timings: false,
            cargo_log: None,
            labs: Vec::new(),
            incremental: false,
            whose: Whose::Others,
            budget: DEFAULT_BUDGET,
        }
    }

    pub(super) fn compile_limits(&self) -> CompileLimits {
        let cpu = self.compile_timeout.as_secs().max(1);
        // The wall clock is a backstop only (each crate's CPU time is limited by the kernel): a
        // batch of 24 students compiles in ~10 minutes on two cores.
        CompileLimits {
            crate_cpu_seconds: cpu,
            batch: Duration::from_secs(3600.max(cpu * 10)),
            incremental: self.incremental,
        }
    }

    /// The limits of a submission's probe, confined as `confinement` says.
    pub(super) fn limits(&self, confinement: Confinement) -> Limits {
        Limits {
            time: self.timeout,
            memory_mib: self.memory_mib,
            allow_unconfined: self.allow_unconfined,
            confinement,
        }
    }

    /// The reference's limits: it is trusted, so it runs as the grader does, and its time limit
    /// only guards against a grader bug: a short `--timeout` meant for students (or a loaded
    /// machine) must not fail the run.
    pub(super) fn reference_limits(&self) -> Limits {
        Limits { time: self.timeout.max(Duration::from_secs(120)), ..self.limits(Confinement::Own) }
    }
}

/// The most of a lab's compiler message a report keeps, in bytes.
pub const MAX_COMPILE_ERROR: usize = 6000;

/// The default [`Options::budget`]: an honest submission of every lab takes 10–20 s.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(300);
