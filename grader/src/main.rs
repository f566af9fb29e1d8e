//! The grader's command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
#[cfg(feature = "instructor")]
use grader::grade::Grader;
use grader::grade::{Options, check_dir};
#[cfg(feature = "instructor")]
use grader::instructor::class::{self, ClassOptions, Progress, SeedFrom};
#[cfg(feature = "instructor")]
use grader::instructor::roster::Roster;
use grader::jail::Whose;
use grader::report::gradescope::{self, Settings, Visibility};
use grader::report::{prairielearn, text};
use grader::workspace::Workspace;

/// Grades nnlab labs against the reference solutions and the lecture documents' worked examples.
///
/// With no command, grades the bundled `labs/` folder.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The nnlab tree to grade with (default: the one holding the current directory).
    #[arg(long, value_name = "DIR", global = true)]
    root: Option<PathBuf>,
    /// Write the report in Gradescope's results.json format to FILE.
    #[arg(long, value_name = "FILE", global = true)]
    json: Option<PathBuf>,
    /// Write the report in PrairieLearn's external-grader results format to FILE.
    #[arg(long, value_name = "FILE", global = true)]
    prairielearn: Option<PathBuf>,
    /// Grade only this lab: `05`, `lab05` or `lab05-backprop` (may be given more than once).
    #[arg(long, value_name = "LAB", global = true)]
    lab: Vec<String>,
    /// Seed of the hidden cases (default: a fresh one, printed in the report).
    #[arg(long, value_name = "N", global = true)]
    seed: Option<u64>,
    /// Time limit of one exercise, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10.0,
        global = true,
        allow_negative_numbers = true
    )]
    timeout: f64,
    /// Memory limit of one exercise (its address space), in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 2048, global = true)]
    memory: u64,
    /// Grade someone else's code even where this machine cannot give it a box (the grader is not
    /// root, or the kernel has no Landlock). Only for trusted code. Your own labs never need it.
    #[arg(long, global = true)]
    allow_unconfined: bool,
    /// Wall-clock time all of one submission's exercises may take together, in seconds: past it,
    /// its remaining exercises time out.
    #[arg(long, value_name = "SECONDS", default_value_t = grader::grade::DEFAULT_BUDGET.as_secs(), global = true,
          value_parser = clap::value_parser!(u64).range(1..))]
    budget: u64,
    /// CPU time the compiler may spend on one lab crate of a submission, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, global = true,
          value_parser = clap::value_parser!(u64).range(1..))]
    compile_timeout: u64,
    /// Record each exercise's run time in the reports (Gradescope's execution_time); the reports
    /// are then not the same byte for byte from run to run.
    #[arg(long, global = true)]
    execution_time: bool,
    #[command(flatten)]
    gradescope: GradescopeArgs,
}

/// What Gradescope's results.json shows, and when.
#[derive(clap::Args, Debug, Clone)]
struct GradescopeArgs {
    /// Gradescope visibility of the worked examples' tests.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "visible", global = true)]
    public_visibility: Visibility,
    /// Gradescope visibility of the hidden cases' tests (their inputs and expected values).
    #[arg(long, value_enum, value_name = "WHEN", default_value = "after_due_date", global = true)]
    hidden_visibility: Visibility,
    /// Gradescope visibility of the autograder's output (default: Gradescope's own).
    #[arg(long, value_enum, value_name = "WHEN", global = true)]
    stdout_visibility: Option<Visibility>,
    /// Add a Gradescope leaderboard of the experiments' accuracies and R² (lab 07).
    #[arg(long, global = true)]
    leaderboard: bool,
}

impl GradescopeArgs {
    fn settings(&self) -> Settings {
        Settings {
            public: self.public_visibility,
            hidden: self.hidden_visibility,
            stdout: self.stdout_visibility,
            leaderboard: self.leaderboard,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Grade the lab crates found under DIR (DIR/<lab>/src or DIR/labs/<lab>/src).
    Check {
        /// The folder to grade, e.g. `labs` or `solutions`.
        dir: PathBuf,
    },
    /// Grade the labs once, then again the lab of every file you save (like `rustlings watch`):
    /// its report, your progress through the course and the next exercise to do.
    Watch {
        /// The folder of labs (default: the workbook's labs/).
        dir: Option<PathBuf>,
    },
    #[cfg(feature = "instructor")]
    /// Grade a class: every folder under SUBMISSIONS is one student (a workbook clone or its labs/).
    ///
    /// Writes OUT/gradebook.csv, OUT/junit.xml, the class picture OUT/class/index.html (with
    /// summary.json and exercises.csv) and, per student, OUT/<student>/results.json (Gradescope),
    /// feedback.md, report.json and code.json. Students already graded in OUT are skipped.
    Grade {
        /// The folder of student folders.
        submissions: PathBuf,
        /// Where the results go.
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        /// Regrade students who already have results in OUT (with the seed kept in OUT).
        #[arg(long)]
        force: bool,
        /// Draw a new seed (or take --seed) and regrade every student with it.
        #[arg(long)]
        new_seed: bool,
        /// A CSV of folder, id, name, email, sis_id, login, section (any subset with folder): also
        /// write OUT/canvas.csv and OUT/moodle.csv.
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        /// Students graded at the same time (default: the number of cores).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        jobs: Option<u64>,
        /// Students whose code is compiled by one cargo invocation.
        #[arg(long, value_name = "N", default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..))]
        batch: u64,
        /// List the pairs of students (and students and the reference) whose code in a lab is at
        /// least this similar, from 0 to 1, in OUT/class/index.html and summary.json.
        #[arg(long, value_name = "SHARE", default_value_t = grader::instructor::similarity::DEFAULT_THRESHOLD, value_parser = share)]
        similarity_threshold: f64,
    },
    #[cfg(feature = "instructor")]
    /// Write the student edition into OUT: the stubs, the public fixtures, the book and the grader
    /// in self-check mode, without the solutions or anything computed from them.
    Release {
        /// A new (or empty) folder.
        out: PathBuf,
    },
    #[cfg(feature = "instructor")]
    /// Write a Gradescope autograder package (setup.sh, run_autograder and the workbook) to OUT.zip.
    Gradescope {
        /// The zip file to write.
        out: PathBuf,
    },
    #[cfg(feature = "instructor")]
    /// List the catalogue of known mistakes the grader diagnoses (fixtures/submissions/<lab>.yaml with
    /// a `diagnosis`), building each one as a probe, and build the reference's generated mutants:
    /// run it once before grading offline (the Gradescope image's setup does) so that no
    /// student's run pays for the build.
    Mistakes,
    #[cfg(feature = "instructor")]
    /// Mutation-test the cases: build the mutants of each lab's reference (or of --lab) and run
    /// them on the public and hidden cases of N seeds; list the mutants that no case catches.
    Mutants {
        /// How many seeds of hidden cases (the run's seed, then the next ones).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
        seeds: u64,
    },
    #[cfg(feature = "instructor")]
    /// Regenerate what is derived from the reference solutions and the registry (fixtures/labs):
    /// the student stubs in labs/, each lab's Cargo.toml and tests/public.rs, and the lab lines
    /// of the root and book manifests, SUMMARY.md and the README's table.
    #[command(alias = "stubs")]
    Generate {
        /// Only report stale files, and fail if there are any.
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
    let ws = match &cli.root {
        Some(root) => Workspace::locate(Some(root))?,
        None => Workspace::find(&std::env::current_dir().context("no current directory")?)?,
    };
    anyhow::ensure!(
        cli.timeout.is_finite() && cli.timeout > 0.0,
        "--timeout must be a positive number of seconds, not {}",
        cli.timeout
    );
    anyhow::ensure!(cli.memory >= 64, "--memory must be at least 64 MiB, not {}", cli.memory);
    let settings = cli.gradescope.settings();
    let labs = cli.lab.iter().map(|name| ws.lab_named(name)).collect::<Result<Vec<_>>>()?;
    anyhow::ensure!(
        labs.is_empty() || lab_command(&cli.command),
        "--lab chooses the labs to grade in one folder (no command, `check` or `watch`) or to mutate (`mutants`)"
    );
    let opts = Options {
        seed: cli.seed.unwrap_or_else(rand::random),
        timeout: Duration::from_secs_f64(cli.timeout),
        memory_mib: cli.memory,
        allow_unconfined: cli.allow_unconfined,
        compile_timeout: Duration::from_secs(cli.compile_timeout),
        timings: cli.execution_time,
        cargo_log: None,
        labs,
        // One student's own runs keep the compiler's caches: a save recompiles what changed.
        incremental: true,
        whose: whose(&ws, &cli.command),
        budget: Duration::from_secs(cli.budget),
    };
    let dir = match cli.command {
        #[cfg(feature = "instructor")]
        Some(Command::Generate { check }) => return regenerate(&ws, check),
        #[cfg(feature = "instructor")]
        Some(Command::Mistakes) => {
            let grader = Grader::new(&ws, opts)?;
            for (lab, mistakes) in grader.build_mistakes()? {
                println!("{lab}");
                for (name, says, exercises) in mistakes {
                    println!("  {name} ({}): {says}", exercises.join(", "));
                }
                // The generated mistakes too, so that no student's run pays for their build.
                let schemata = grader.schemata(&lab)?;
                println!("  and {} generated mutants of the reference", schemata.mutants.len());
            }
            return Ok(ExitCode::SUCCESS);
        }
        #[cfg(feature = "instructor")]
        Some(Command::Mutants { seeds }) => {
            let grader = Grader::new(&ws, opts)?;
            let seeds: Vec<u64> = (0..seeds).map(|i| grader.seed().wrapping_add(i)).collect();
            let mut below = Vec::new();
            for lab in grader.labs() {
                let fates = grader.mutation_test(lab, &seeds)?;
                let notes = grader::mutants::Notes::load(&ws, lab)?;
                let (text, score) = grader::grade::mutation_summary(lab, &fates, &notes);
                print!("{text}");
                println!(
                    "  ({} more mutants do not compile, and are not counted)",
                    grader.schemata(lab)?.unviable
                );
                if score + 1e-9 < notes.score {
                    below.push(format!("{lab}: {score:.1} % < {:.1} %", notes.score));
                }
            }
            if below.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("below the recorded mutation score: {}", below.join("; "));
            return Ok(ExitCode::FAILURE);
        }
        #[cfg(feature = "instructor")]
        Some(Command::Gradescope { out }) => {
            let names = grader::instructor::package::package(&ws, &out, &settings)?;
            eprintln!(
                "wrote {} ({} files): upload it as the autograder of a Gradescope assignment",
                out.display(),
                names.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        #[cfg(feature = "instructor")]
        Some(Command::Release { out }) => {
            let written = grader::instructor::release::release(&ws, &out)?;
            eprintln!("wrote the student edition ({} files) into {}", written.len(), out.display());
            eprintln!("try it: cd {} && cargo run -p grader", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        #[cfg(feature = "instructor")]
        Some(Command::Grade {
            submissions,
            out,
            force,
            new_seed,
            roster,
            jobs,
            batch,
            similarity_threshold,
        }) => {
            anyhow::ensure!(
                cli.json.is_none() && cli.prairielearn.is_none(),
                "--json and --prairielearn are for one submission; `grade` writes OUT/<student>/results.json for every student"
            );
            // Everything that can be wrong with the command line is found before the reference
            // is built, which takes minutes on a fresh machine.
            class::check_out(&submissions, &out)?;
            let roster = roster.map(|path| Roster::load(&path)).transpose()?;
            let (seed, from) = class::run_seed(&out, cli.seed, new_seed)?;
            let from = match from {
                SeedFrom::Kept => "kept from the earlier run, as every rerun will",
                SeedFrom::Given => "from --seed; reruns keep it",
                SeedFrom::Drawn => "drawn for this class; reruns keep it",
            };
            eprintln!(
                "grading {} with seed {seed} ({from}; see {})",
                submissions.display(),
                out.join(class::RUN).display()
            );
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            let log = out.join(class::CARGO_LOG);
            // Each run starts its log afresh.
            std::fs::write(&log, "").with_context(|| format!("writing {}", log.display()))?;
            // A class's caches would fill the disk, and each student builds once.
            let opts = Options { seed, cargo_log: Some(log), incremental: false, ..opts };
            let jobs = jobs
                .map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |j| j as usize);
            let progress = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                Progress::Bar
            } else {
                Progress::Lines
            };
            let class = ClassOptions {
                force: force || new_seed,
                jobs,
                batch: batch as usize,
                progress,
                roster,
                gradescope: settings,
                similarity_threshold,
            };
            return grade_class(&ws, &submissions, &out, opts, &class);
        }
        Some(Command::Watch { dir }) => {
            let dir = dir.unwrap_or_else(|| ws.root.join("labs"));
            anyhow::ensure!(dir.is_dir(), "{} is not a folder: watch a folder of labs", dir.display());
            eprintln!("building the reference probes (the first build compiles faer, ~2 min)…");
            let grader = grader::grade::Grader::new(&ws, opts)?;
            grader::watch::run(&grader, &dir)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Check { dir }) => dir,
        None => ws.root.join("labs"),
    };
    // Before the reference is built: a wrong folder should not cost minutes to find out.
    anyhow::ensure!(
        dir.is_dir(),
        "{} is not a folder: grade a folder of labs (<lab>/src or labs/<lab>/src)",
        dir.display()
    );
    for path in [&cli.json, &cli.prairielearn].into_iter().flatten() {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        anyhow::ensure!(parent.is_dir(), "cannot write {}: no folder {}", path.display(), parent.display());
    }
    eprintln!(
        "grading {} with seed {} (building the probes; the first build compiles faer, ~2 min)…",
        dir.display(),
        opts.seed
    );
    let report = check_dir(&ws, &dir, &opts)?;
    print!("{}", text::render(&report));
    if let Some(path) = cli.json {
        let json = serde_json::to_string_pretty(&gradescope::results_with(&report, &settings))?;
        std::fs::write(&path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = cli.prairielearn {
        let json = serde_json::to_string_pretty(&prairielearn::results(&report, &settings))?;
        std::fs::write(&path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Whose code the command runs: the workbook's own labs (the student's), the reference and its
/// catalogued mistakes are run as the student or the grader; any other folder, and a class, is
/// someone else's.
fn whose(ws: &Workspace, command: &Option<Command>) -> Whose {
    let own_folder = |dir: &Path| {
        let dir = dir.canonicalize().ok();
        ["labs", "solutions"].iter().any(|own| ws.root.join(own).canonicalize().ok() == dir && dir.is_some())
    };
    match command {
        None | Some(Command::Watch { .. }) => Whose::Own,
        Some(Command::Check { dir }) if own_folder(dir) => Whose::Own,
        Some(Command::Check { .. }) => Whose::Others,
        #[cfg(feature = "instructor")]
        Some(
            Command::Mistakes
            | Command::Mutants { .. }
            | Command::Generate { .. }
            | Command::Release { .. }
            | Command::Gradescope { .. },
        ) => Whose::Own,
        #[cfg(feature = "instructor")]
        Some(Command::Grade { .. }) => Whose::Others,
    }
}

#[cfg(feature = "instructor")]
fn grade_class(
    ws: &Workspace,
    submissions: &Path,
    out: &Path,
    opts: Options,
    class: &ClassOptions,
) -> Result<ExitCode> {
    if class.progress != Progress::Quiet {
        eprintln!("building the reference (the first build compiles faer, ~2 min)…");
    }
    let grader = Grader::new(ws, opts)?;
    if class.progress != Progress::Quiet {
        eprintln!("each submission runs in a box of its own:");
        for line in grader.protections() {
            eprintln!("  {line}");
        }
    }
    let summary = class::grade_class(&grader, submissions, out, class)?;
    for message in &summary.messages {
        eprintln!("- {message}");
    }
    eprintln!(
        "{} students graded in all ({} in this run, {} kept from an earlier run); {} with a lab that did not compile, {} with an exercise that timed out",
        summary.students, summary.graded, summary.skipped, summary.failed_to_compile, summary.timed_out
    );
    eprintln!(
        "intake: {} entries not folders (graded as empty), {} files refused, {} students with labs not where they belong",
        summary.not_folders, summary.refused_files, summary.layout_problems
    );
    let mut files = vec!["gradebook.csv", "junit.xml"];
    if class.roster.is_some() {
        files.extend(["canvas.csv", "moodle.csv"]);
    }
    files.push("class/index.html");
    let files: Vec<String> = files.iter().map(|f| out.join(f).display().to_string()).collect();
    eprintln!(
        "wrote {} and a folder per student; cargo's output is in {}",
        files.join(", "),
        out.join(class::CARGO_LOG).display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A share from 0 to 1, for `--similarity-threshold`.
#[cfg(feature = "instructor")]
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{text} is not a share from 0 to 1 (0.5 lists pairs that share half their code)")),
    }
}

/// Whether `--lab` means something to the command.
fn lab_command(command: &Option<Command>) -> bool {
    #[cfg(feature = "instructor")]
    if matches!(command, Some(Command::Mutants { .. })) {
        return true;
    }
    matches!(command, None | Some(Command::Check { .. } | Command::Watch { .. }))
}

#[cfg(feature = "instructor")]
fn regenerate(ws: &Workspace, check: bool) -> Result<ExitCode> {
    let mut stale = grader::generate::generate(ws, check)?;
    stale.extend(grader::generate::stored::write(ws, check)?);
    for path in &stale {
        let verb = if check { "stale" } else { "wrote" };
        println!("{verb} {}", path.strip_prefix(&ws.root).unwrap_or(path).display());
    }
    if check && !stale.is_empty() {
        eprintln!("these files are out of date: run `cargo run -p grader -- generate`");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
