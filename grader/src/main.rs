//! The grader's command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use grader::class::{self, ClassOptions};
use grader::grade::{Grader, Options, check_dir};
use grader::report::{gradescope, text};
use grader::stubs;
use grader::workspace::Workspace;

/// Grades nnlab labs against the reference solutions and the lecture documents' worked examples.
///
/// With no command, grades the bundled `labs/` folder.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Write the report in Gradescope's results.json format to FILE.
    #[arg(long, value_name = "FILE", global = true)]
    json: Option<PathBuf>,
    /// Seed of the hidden cases (default: a fresh one, printed in the report).
    #[arg(long, value_name = "N", global = true)]
    seed: Option<u64>,
    /// Time limit of one exercise, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, global = true)]
    timeout: f64,
    /// Memory limit of one exercise (its address space), in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 2048, global = true)]
    memory: u64,
    /// Where the probe sandbox (Linux Landlock) cannot be set up, run probes unconfined instead
    /// of failing every exercise. Only for trusted code, or inside a container.
    #[arg(long, global = true)]
    allow_unconfined: bool,
    /// CPU time the compiler may spend on one lab crate of a submission, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, global = true)]
    compile_timeout: u64,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Grade the lab crates found under DIR (DIR/<lab>/src or DIR/labs/<lab>/src).
    Check {
        /// The folder to grade, e.g. `labs` or `solutions`.
        dir: PathBuf,
    },
    /// Grade a class: every folder under SUBMISSIONS is one student (a workbook clone or its labs/).
    ///
    /// Writes OUT/gradebook.csv, OUT/junit.xml and, per student, OUT/<student>/results.json
    /// (Gradescope), feedback.md and report.json. Students already graded in OUT are skipped.
    Grade {
        /// The folder of student folders.
        submissions: PathBuf,
        /// Where the results go.
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        /// Regrade students who already have results in OUT.
        #[arg(long)]
        force: bool,
        /// Students graded at the same time (default: the number of cores).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Students whose code is compiled by one cargo invocation.
        #[arg(long, value_name = "N", default_value_t = 24)]
        batch: usize,
    },
    /// Write the student edition into OUT: the stubs, the public fixtures, the book and the grader
    /// in self-check mode, without the solutions or anything computed from them.
    Release {
        /// A new (or empty) folder.
        out: PathBuf,
    },
    /// Write a Gradescope autograder package (setup.sh, run_autograder and the workbook) to OUT.zip.
    Gradescope {
        /// The zip file to write.
        out: PathBuf,
    },
    /// Regenerate the student stubs in labs/ from the reference solutions.
    Stubs {
        /// Only report stale stubs, and fail if there are any.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let ws = Workspace::locate(None)?;
    anyhow::ensure!(
        cli.timeout.is_finite() && cli.timeout > 0.0,
        "--timeout must be a positive number of seconds, not {}",
        cli.timeout
    );
    anyhow::ensure!(cli.memory >= 64, "--memory must be at least 64 MiB, not {}", cli.memory);
    let seed = cli.seed.unwrap_or_else(rand::random);
    let opts = Options {
        seed,
        timeout: Duration::from_secs_f64(cli.timeout),
        memory_mib: cli.memory,
        allow_unconfined: cli.allow_unconfined,
        compile_timeout: Duration::from_secs(cli.compile_timeout.max(1)),
    };
    let dir = match cli.command {
        Some(Command::Stubs { check }) => return regenerate_stubs(&ws, check),
        Some(Command::Gradescope { out }) => {
            let names = grader::package::package(&ws, &out)?;
            eprintln!(
                "wrote {} ({} files): upload it as the autograder of a Gradescope assignment",
                out.display(),
                names.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Release { out }) => {
            let written = grader::release::release(&ws, &out)?;
            eprintln!("wrote the student edition ({} files) into {}", written.len(), out.display());
            eprintln!("try it: cd {} && cargo run -p grader", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Grade { submissions, out, force, jobs, batch }) => {
            anyhow::ensure!(
                cli.json.is_none(),
                "--json is for one submission; `grade` writes OUT/<student>/results.json for every student"
            );
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let progress = std::io::stderr().is_terminal();
            return grade_class(
                &ws,
                &submissions,
                &out,
                opts,
                &ClassOptions { force, jobs, batch, progress },
            );
        }
        Some(Command::Check { dir }) => dir,
        None => ws.root.join("labs"),
    };
    if std::io::stderr().is_terminal() {
        eprintln!("grading {} (building the probes; the first build compiles faer, ~2 min)…", dir.display());
    }
    let report = check_dir(&ws, &dir, &opts)?;
    print!("{}", text::render(&report));
    if let Some(path) = cli.json {
        let json = serde_json::to_string_pretty(&gradescope::results(&report))?;
        std::fs::write(&path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn grade_class(
    ws: &Workspace,
    submissions: &Path,
    out: &Path,
    opts: Options,
    class: &ClassOptions,
) -> Result<ExitCode> {
    // Before the reference is built: a wrong --out should not cost minutes to find out.
    class::check_out(submissions, out)?;
    if class.progress {
        eprintln!("building the reference (the first build compiles faer, ~2 min)…");
    }
    let grader = Grader::new(ws, opts)?;
    let summary = class::grade_class(&grader, submissions, out, class)?;
    for message in &summary.messages {
        eprintln!("- {message}");
    }
    eprintln!(
        "graded {} students ({} already graded, skipped); {} with a lab that did not compile, {} with an exercise that timed out",
        summary.graded, summary.skipped, summary.failed_to_compile, summary.timed_out
    );
    eprintln!(
        "intake: {} entries not folders (graded as empty), {} files refused, {} students with labs not where they belong",
        summary.not_folders, summary.refused_files, summary.layout_problems
    );
    eprintln!("wrote {}/gradebook.csv, {}/junit.xml and a folder per student", out.display(), out.display());
    Ok(ExitCode::SUCCESS)
}

fn regenerate_stubs(ws: &Workspace, check: bool) -> Result<ExitCode> {
    let mut stale = Vec::new();
    for lab in ws.labs()? {
        if ws.solution(&lab).is_some() {
            stale.extend(stubs::generate(&ws.root, &lab, check)?);
        }
    }
    for path in &stale {
        let verb = if check { "stale" } else { "wrote" };
        println!("{verb} {}", path.strip_prefix(&ws.root).unwrap_or(path).display());
    }
    if check && !stale.is_empty() {
        eprintln!("the stubs are out of date: run `cargo run -p grader -- stubs`");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
