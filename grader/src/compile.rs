//! Builds probes: for each lab of a submission, a small program that links the lab's code and
//! answers requests (see `nnlab_check::probe`).
//!
//! The submission's `src/` is copied into a scratch workspace next to the grader's own, trusted
//! manifest of the lab, so a student's Cargo.toml — a build script, an added dependency — never
//! takes part. All labs of one submission build in one `cargo build --keep-going`, so a lab that
//! does not compile costs that lab only, and all builds share one target directory, so faer and the
//! other dependencies compile once.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::jail::{Jail, kill_group};
use crate::workspace::Workspace;

/// One lab to build: where its code is and which manifest to build it with.
#[derive(Clone, Debug)]
pub struct LabSource {
    /// The lab's name, e.g. `lab01-neuron`.
    pub lab: String,
    /// The submission's `src/` folder of the lab.
    pub src: PathBuf,
    /// The trusted manifest the lab is built with.
    pub manifest: PathBuf,
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

/// How long compiling may take.
#[derive(Clone, Copy, Debug)]
pub struct CompileLimits {
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
    // (submission key, lab) of every package of the batch, by its folder in the batch.
    let mut packages: Vec<(String, String, &Submission, &LabSource)> = Vec::new();
    for sub in submissions {
        let done = probes.entry(sub.key.clone()).or_default();
        for lab in &sub.labs {
            let crate_dir = scratch.join(&sub.key).join("crates").join(&lab.lab);
            if !lab.src.join("lib.rs").is_file() {
                done.insert(lab.lab.clone(), Built::NotSubmitted);
                continue;
            }
            if let Err(why) = admissible(&lab.src).and_then(|()| sync_dir(&lab.src, &crate_dir.join("src"))) {
                done.insert(lab.lab.clone(), Built::Failed(format!("{why:#}")));
                continue;
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
            write_if_changed(&probe_dir.join("main.rs"), &probe_main(ws, &lab.lab, &package))?;
            for kind in ["crates", "probes"] {
                let member = format!("{}/{kind}/{}", sub.key, lab.lab);
                packages.push((format!("/{member}#"), kind.to_string(), sub, lab));
                members.push(member);
            }
        }
    }
    if members.is_empty() {
        return Ok((probes, false));
    }
    write_if_changed(&scratch.join("Cargo.toml"), &ws.scratch_manifest(&members)?)?;
    write_if_changed(&scratch.join("Cargo.lock"), &std::fs::read_to_string(ws.root.join("Cargo.lock"))?)?;

    let status_dir = scratch.join("status");
    let _ = std::fs::remove_dir_all(&status_dir);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let stderr = match log {
        Some(path) => Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("opening {}", path.display()))?,
        ),
        None if std::io::stderr().is_terminal() => Stdio::inherit(),
        None => Stdio::null(),
    };
    let mut cmd = jail.session(cargo);
    // Student code reads the compiler's environment (`option_env!`) and can show it back in its
    // feedback: cargo gets only what it needs to find the toolchain and the registry.
    cmd.env_clear().envs(std::env::vars_os().filter(|(k, _)| build_variable(&k.to_string_lossy())));
    cmd.args(["build", "--workspace", "--keep-going", "--message-format=json"])
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", ws.probe_target())
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);
    jail.compile_through(&mut cmd, &ws.scratch(), &status_dir, limits.crate_cpu_seconds);
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
    // By (submission key, lab): the first compiler error, and the probe's executable.
    let mut errors: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut executables: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line?) else { continue };
        let package_id = msg["package_id"].as_str().unwrap_or_default();
        let Some((_, kind, sub, lab)) =
            packages.iter().find(|(folder, ..)| package_id.contains(folder.as_str()))
        else {
            continue;
        };
        let id = (sub.key.clone(), lab.lab.clone());
        let in_probe = kind == "probes";
        match msg["reason"].as_str() {
            Some("compiler-message") if msg["message"]["level"] == "error" && !errors.contains_key(&id) => {
                let rendered = msg["message"]["rendered"].as_str().unwrap_or("(no message)");
                let text = tidy_error(rendered, ws, &scratch, &sub.key);
                let text = if in_probe {
                    format!(
                        "the grader could not call your functions: keep every signature exactly as the workbook has it.\n{text}"
                    )
                } else {
                    text
                };
                errors.insert(id, text);
            }
            Some("compiler-artifact") if in_probe => {
                if let Some(exe) = msg["executable"].as_str() {
                    executables.insert(id, PathBuf::from(exe));
                }
            }
            _ => {}
        }
    }
    child.wait().context("waiting for cargo")?;
    drop(done);
    let timed_out = watchdog.join().unwrap_or(false);
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
                // A later build of the same submission overwrites that path: keep a copy, put in
                // place by a rename so that a probe still running from an earlier (killed) run
                // never makes the copy fail with "text file busy".
                Some(exe) => {
                    let copy = bin.join(format!("probe-{}", lab.lab));
                    let tmp = bin.join(format!(".probe-{}.{}", lab.lab, std::process::id()));
                    std::fs::copy(exe, &tmp).with_context(|| format!("copying {}", exe.display()))?;
                    std::fs::rename(&tmp, &copy).with_context(|| format!("writing {}", copy.display()))?;
                    Built::Probe(copy)
                }
                None => Built::Failed(
                    out_of_time(&status_dir, &sub.key, &lab.lab, limits)
                        .or_else(|| errors.remove(&id))
                        .unwrap_or_else(|| "did not compile (cargo printed no error)".into()),
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

/// The message for a lab whose crate (or probe) the jail stopped for using too much CPU time.
fn out_of_time(status: &Path, key: &str, lab: &str, limits: CompileLimits) -> Option<String> {
    let lab_crate = status.join(format!("{lab}-{key}"));
    let probe_crate = status.join(format!("probe-{key}-{lab}"));
    (lab_crate.exists() || probe_crate.exists()).then(|| {
        format!(
            "did not compile in time: the compiler spent more than {} s of CPU time on your code and was \
             stopped. A constant evaluation that never ends (a loop in a `const`), or a macro that expands \
             without end?",
            limits.crate_cpu_seconds
        )
    })
}

/// Refuses a lab's sources that would read files outside `src/` while compiling: the grader
/// copies only `src/`, and `include!`, `include_str!`, `include_bytes!` and `#[path]` are the only
/// ways Rust code can reach further (build scripts and dependencies come from the trusted
/// manifest). Checked on tokens, so comments and strings that merely mention them are fine.
/// (Whether there is a `src/lib.rs` at all is checked before: that is [`Built::NotSubmitted`].)
fn admissible(src: &Path) -> Result<()> {
    let mut files = vec![src.to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).with_context(|| format!("reading {}", path.display()))? {
                files.push(entry?.path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        // Code that does not even tokenise fails to compile anyway, with a better message.
        let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else { continue };
        if let Some((what, line)) = reaches_outside(tokens) {
            let file = path.strip_prefix(src).unwrap_or(&path).display().to_string();
            bail!(
                "src/{file}:{line} uses {what}, which reads files at compile time. The grader builds only \
                 the code in src/, so include!, include_str!, include_bytes! and #[path] are not allowed."
            );
        }
    }
    Ok(())
}

/// The first `include…!` macro call or `path = …` attribute in `tokens`, with its line. Walks
/// nested groups with a stack of its own, not by recursion: a file of a million nested brackets
/// must not overflow the grader's stack.
fn reaches_outside(tokens: proc_macro2::TokenStream) -> Option<(String, usize)> {
    use proc_macro2::TokenTree;
    let mut todo = vec![tokens];
    while let Some(stream) = todo.pop() {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let bang = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if bang && matches!(name.as_str(), "include" | "include_str" | "include_bytes") {
                        return Some((format!("{name}!"), ident.span().start().line));
                    }
                }
                TokenTree::Group(group) => {
                    if let Some(found) = attribute_path(&tokens, i) {
                        return Some(found);
                    }
                    todo.push(group.stream());
                }
                _ => {}
            }
        }
    }
    None
}

/// `#[path = …]` (or `#![path = …]`): a bracketed group after `#` that starts with `path =`.
fn attribute_path(tokens: &[proc_macro2::TokenTree], i: usize) -> Option<(String, usize)> {
    use proc_macro2::{Delimiter, TokenTree};
    let TokenTree::Group(group) = &tokens[i] else { return None };
    let after_hash = (1..=2)
        .any(|back| i >= back && matches!(&tokens[i - back], TokenTree::Punct(p) if p.as_char() == '#'));
    if group.delimiter() != Delimiter::Bracket || !after_hash {
        return None;
    }
    let inner: Vec<TokenTree> = group.stream().into_iter().take(2).collect();
    match inner.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq)] if name == "path" && eq.as_char() == '=' => {
            Some(("#[path = …]".into(), name.span().start().line))
        }
        _ => None,
    }
}

/// The lab's manifest as the grader builds it: no dev-dependencies, tests or build scripts.
///
/// A lab that builds on earlier labs (lab 07 uses lab 05's backward pass) names them by a path
/// `../<lab>`. Where the workbook has their reference solutions, those are linked instead, so
/// that a mistake in lab 05 costs points in lab 05 only; in the student edition, the student's own
/// copies are (`built` says which of them are in this build; a missing one is the `Err` message).
///
/// Every submission's scratch workspace has the same layout, and cargo names artifacts by package
/// name and path *relative to the workspace*, so in the shared target directory two submissions'
/// labs would be one unit and the second one would be handed the first one's build. The package
/// is therefore renamed `<name>-<key>`; its library keeps the original crate name. Returns the
/// original package name and the manifest.
fn trusted_manifest(
    ws: &Workspace,
    path: &Path,
    key: &str,
    built: impl Fn(&str) -> bool,
) -> Result<Result<(String, String), String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut manifest: toml::Table = text.parse().with_context(|| format!("parsing {}", path.display()))?;
    for key in ["dev-dependencies", "build-dependencies", "test", "bench", "example", "bin"] {
        manifest.remove(key);
    }
    if let Some(deps) = manifest.get_mut("dependencies").and_then(|d| d.as_table_mut()) {
        for (name, dep) in deps.iter_mut() {
            let Some(dep) = dep.as_table_mut() else { continue };
            if !dep.get("path").and_then(|p| p.as_str()).is_some_and(|p| p.starts_with("../")) {
                continue;
            }
            let (package, path) = match ws.solution(name) {
                Some(dir) => (format!("{name}-solution"), dir.display().to_string()),
                None if built(name) => (format!("{name}-{key}"), format!("../{name}")),
                None => {
                    return Ok(Err(format!("this lab builds on {name}, which the submission does not have")));
                }
            };
            dep.insert("package".into(), package.into());
            dep.insert("path".into(), path.into());
        }
    }
    let package =
        manifest.get_mut("package").and_then(|p| p.as_table_mut()).context("manifest without [package]")?;
    package.remove("build");
    let name = package.get("name").and_then(|n| n.as_str()).context("package without a name")?.to_string();
    package.insert("name".into(), format!("{name}-{key}").into());
    let lib = manifest.entry("lib").or_insert_with(|| toml::Table::new().into());
    let lib = lib.as_table_mut().context("[lib] is not a table")?;
    lib.insert("name".into(), name.replace('-', "_").into());
    lib.insert("path".into(), "src/lib.rs".into());
    Ok(Ok((name, manifest.to_string())))
}

/// The probe's manifest, named after the submission for the same reason as the lab's.
fn probe_manifest(key: &str, lab: &str, package: &str) -> String {
    format!(
        "[package]\nname = \"probe-{key}-{lab}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [[bin]]\nname = \"probe-{key}-{lab}\"\npath = \"main.rs\"\n\n\
         [dependencies]\nnnlab-check.workspace = true\nfaer.workspace = true\n\
         nnlab-data.workspace = true\n\
         {krate} = {{ package = \"{package}-{key}\", path = \"../../crates/{lab}\" }}\n",
        krate = package.replace('-', "_"),
    )
}

fn probe_main(ws: &Workspace, lab: &str, package: &str) -> String {
    let dispatch = ws.root.join("grader/probes").join(format!("{lab}.rs"));
    format!(
        "//! Generated by the grader: the probe of {lab}.\n\
         use {krate} as lab;\n\
         #[path = {dispatch:?}]\nmod dispatch;\n\
         fn main() -> std::process::ExitCode {{\n    nnlab_check::probe::serve(dispatch::call)\n}}\n",
        krate = package.replace('-', "_"),
    )
}

/// Compiler output with the scratch paths mapped back to the paths a student knows.
fn tidy_error(rendered: &str, ws: &Workspace, scratch: &Path, key: &str) -> String {
    let text = rendered
        .replace(&format!("{}/", scratch.display()), "")
        .replace(&format!("{}/", ws.root.display()), "")
        .replace(&format!("{key}/crates/"), "labs/");
    const MAX_LINES: usize = 40;
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_LINES {
        format!("{}\n… ({} more lines)", lines[..MAX_LINES].join("\n"), lines.len() - MAX_LINES)
    } else {
        text.trim_end().to_string()
    }
}

/// Mirrors `from` into `to`, rewriting only files whose content changed so that cargo's
/// fingerprints (which look at modification times) see unchanged files as unchanged.
fn sync_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let mut keep = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        keep.insert(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            sync_dir(&src, &dst)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&src)?;
            if std::fs::read(&dst).ok().as_deref() != Some(bytes.as_slice()) {
                std::fs::write(&dst, bytes)?;
            }
        } else {
            bail!("{} is neither a file nor a folder (links are not followed)", src.display());
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !keep.contains(&entry.file_name()) {
            let path = entry.path();
            if path.is_dir() { std::fs::remove_dir_all(&path)? } else { std::fs::remove_file(&path)? }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent().expect("a file has a parent"))?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_finds_includes_and_paths_at_any_depth() {
        let found = |src: &str| reaches_outside(src.parse().unwrap()).map(|(what, _)| what);
        assert_eq!(found("fn f() { { let _ = include_str!(\"x\"); } }").as_deref(), Some("include_str!"));
        assert_eq!(found("mod a { #[path = \"x.rs\"] mod b; }").as_deref(), Some("#[path = …]"));
        assert_eq!(found("fn f() { let include_str = 1; }"), None);
    }

    /// Run on the test thread's small stack: a scan that recursed per bracket would overflow.
    #[test]
    fn a_million_nested_brackets_do_not_overflow_the_scan() {
        let depth = 1_000_000;
        let src = "(".repeat(depth) + &")".repeat(depth);
        assert_eq!(reaches_outside(src.parse().unwrap()), None);
    }
}
