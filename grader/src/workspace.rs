//! Where things are in the nnlab tree the grader belongs to.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nnlab_check::LabFixture;

/// The nnlab tree: labs, solutions, fixtures, the grader's probe glue, and the scratch space.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// The folder holding the root `Cargo.toml`.
    pub root: PathBuf,
}

impl Workspace {
    /// The tree that holds `dir` (it or its nearest ancestor with `fixtures/labs`): how the
    /// command line finds its tree from the current directory, so that a grader binary built in
    /// a target directory shared by two trees grades the tree it is run in.
    pub fn find(dir: &Path) -> Result<Workspace> {
        let dir = dir.canonicalize().with_context(|| format!("no folder {}", dir.display()))?;
        match dir.ancestors().find(|d| d.join("fixtures/labs").is_dir() && d.join("Cargo.toml").is_file()) {
            Some(root) => Workspace::locate(Some(root)),
            None => anyhow::bail!(
                "{} is not inside an nnlab tree (no fixtures/labs here or above): run the grader from \
                 the workbook, or give --root",
                dir.display()
            ),
        }
    }

    /// The tree this grader's sources are in (for its own tests), or `root` when given.
    pub fn locate(root: Option<&Path>) -> Result<Workspace> {
        let root = match root {
            Some(r) => r.to_path_buf(),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        };
        let root = root.canonicalize().with_context(|| format!("no nnlab tree at {}", root.display()))?;
        if !root.join("fixtures/labs").is_dir() {
            anyhow::bail!("{} is not an nnlab tree (no fixtures/labs)", root.display());
        }
        Ok(Workspace { root })
    }

    /// The fixtures folder.
    pub fn fixtures(&self) -> PathBuf {
        self.root.join("fixtures")
    }

    /// The labs of the course, in order: every `fixtures/labs/<lab>.yaml`.
    pub fn labs(&self) -> Result<Vec<String>> {
        let mut labs: Vec<String> = std::fs::read_dir(self.fixtures().join("labs"))?
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".yaml").map(str::to_string))
            .collect();
        labs.sort();
        Ok(labs)
    }

    /// The lab a student means by `name`: its crate name (`lab05-backprop`), `lab05`, its number
    /// (`05` or `5`) or its topic (`backprop`). An unknown name is an error that lists the labs.
    pub fn lab_named(&self, name: &str) -> Result<String> {
        let labs = self.labs()?;
        let wanted = name.trim().to_ascii_lowercase();
        let number = |lab: &str| lab.get(3..5).unwrap_or_default().to_string();
        let found = labs.iter().find(|lab| {
            let num = number(lab);
            [lab.to_string(), format!("lab{num}"), num.clone(), num.trim_start_matches('0').to_string()]
                .contains(&wanted)
                || lab.get(6..) == Some(wanted.as_str())
        });
        match found {
            Some(lab) => Ok(lab.clone()),
            None => anyhow::bail!(
                "no lab {name:?}: name one as 05, lab05 or lab05-backprop; the labs are {}",
                labs.join(", ")
            ),
        }
    }

    /// The fixture file of `lab`.
    pub fn fixture(&self, lab: &str) -> Result<LabFixture> {
        LabFixture::load(&LabFixture::path(&self.fixtures(), lab)).map_err(anyhow::Error::msg)
    }

    /// The reference solution of `lab`, if this edition has one.
    pub fn solution(&self, lab: &str) -> Option<PathBuf> {
        // Its source, not its manifest: `generate` writes the manifest of a new lab's reference.
        let dir = self.root.join("solutions").join(lab);
        dir.join("src/lib.rs").is_file().then_some(dir)
    }

    /// The source files of `lab`'s reference (`solutions/<lab>/src/**/*.rs`), sorted.
    pub fn reference_files(&self, lab: &str) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        let mut dirs = vec![self.root.join("solutions").join(lab).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
                let path = entry?.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        files.sort();
        Ok(files)
    }

    /// Scratch space for probe builds and runs.
    pub fn scratch(&self) -> PathBuf {
        self.root.join("target/nnlab")
    }

    /// Waits until this process is the only one, among those that ask, to use the scratch batch
    /// `name` (the reference's mistakes or mutants, which graders running side by side — a test
    /// suite's threads, `watch` and a `check` in another terminal — would otherwise build into
    /// the same folder at once). The lock is held until the returned file is dropped.
    pub fn lock_batch(&self, name: &str) -> Result<std::fs::File> {
        let dir = self.scratch().join("locks");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        #[cfg(unix)]
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .with_context(|| format!("locking {}", path.display()))?;
        Ok(file)
    }

    /// The one target directory all probe builds share: `NNLAB_PROBE_TARGET` when set (to share
    /// compiled dependencies between copies of the workbook), else the workbook's own (cargo's
    /// `CARGO_TARGET_DIR`, or `target/`), so that the probes reuse the faer that `cargo test` and
    /// `cargo run` compiled: every command resolves it with the same features (`grader/unify`).
    /// Cargo releases its lock on the folder before it runs a test or the grader, so the probe
    /// builds they start do not wait for it.
    pub fn probe_target(&self) -> PathBuf {
        if let Some(dir) = std::env::var_os("NNLAB_PROBE_TARGET") {
            return PathBuf::from(dir);
        }
        match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
            Some(dir) if dir.is_absolute() => dir,
            Some(dir) => std::env::current_dir().map_or(dir.clone(), |cwd| cwd.join(dir)),
            None => self.root.join("target"),
        }
    }

    /// The cargo to run: the one that runs the grader (`CARGO`), else `cargo` from PATH.
    pub fn cargo() -> std::ffi::OsString {
        std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
    }

    /// Where the jail is built: a target directory of its own inside the probes' one. Built alone
    /// (`-p nnlab-jail`), its dependencies resolve with other features than in the root's
    /// `cargo test`, and the two builds would take turns replacing each other's binary.
    pub fn jail_target(&self) -> PathBuf {
        self.probe_target().join("nnlab-jail")
    }

    /// A workspace manifest for a scratch build with `members`, inheriting the root's shared
    /// package settings, dependency versions, lints and profiles; the packages named in `glue`
    /// (the probes, which only pass values between the grader and a lab) compile unoptimised.
    pub fn scratch_manifest(&self, members: &[String], glue: &[String]) -> Result<String> {
        let text = std::fs::read_to_string(self.root.join("Cargo.toml"))?;
        let root: toml::Table = text.parse().context("parsing the root Cargo.toml")?;
        let ws = root
            .get("workspace")
            .and_then(|w| w.as_table())
            .context("no [workspace] in the root manifest")?;
        let mut out_ws = toml::Table::new();
        out_ws.insert("resolver".into(), "3".into());
        out_ws.insert("members".into(), members.to_vec().into());
        for key in ["package", "lints"] {
            if let Some(v) = ws.get(key) {
                out_ws.insert(key.into(), v.clone());
            }
        }
        let mut deps = ws.get("dependencies").and_then(|d| d.as_table()).cloned().unwrap_or_default();
        let mut outside = Vec::new();
        for (name, dep) in deps.iter_mut() {
            if let Some(path) = dep.get_mut("path") {
                let abs = self.root.join(path.as_str().unwrap_or_default());
                *path = abs.display().to_string().into();
                outside.push(name.clone());
            }
        }
        out_ws.insert("dependencies".into(), deps.into());
        let mut out = toml::Table::new();
        out.insert("workspace".into(), out_ws.into());
        let mut profile = root.get("profile").and_then(|p| p.as_table()).cloned().unwrap_or_default();
        if let Some(dev) = profile.get_mut("dev").and_then(|d| d.as_table_mut()) {
            let members_level = dev.get("opt-level").cloned().unwrap_or_else(|| 0.into());
            let packages = dev
                .entry("package")
                .or_insert_with(|| toml::Table::new().into())
                .as_table_mut()
                .context("[profile.dev.package] is not a table")?;
            let mut level = |name: &str, level: toml::Value| {
                let mut setting = toml::Table::new();
                setting.insert("opt-level".into(), level);
                packages.entry(name).or_insert_with(|| setting.into());
            };
            // The workbook's own crates (nnlab-check, the reference a lab builds on) are not
            // members here, so the root's profile for other dependencies (`"*"`, unoptimised)
            // would take them: they keep what they have in the workbook.
            for name in &outside {
                level(name, members_level.clone());
            }
            for name in glue {
                level(name, 0.into());
            }
        }
        if !profile.is_empty() {
            out.insert("profile".into(), profile.into());
        }
        Ok(format!("# Generated by the grader for one submission's probes.\n{out}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_workspace_compiles_the_workbook_crates_it_links_as_the_workbook_does_and_its_glue_unoptimised()
     {
        let ws = Workspace::locate(None).unwrap();
        let scratch: toml::Table = ws
            .scratch_manifest(
                &["k/crates/lab07-training".into(), "k/probes/lab07-training".into()],
                &["probe-k-lab07-training".into()],
            )
            .unwrap()
            .parse()
            .unwrap();
        let root: toml::Table = std::fs::read_to_string(ws.root.join("Cargo.toml")).unwrap().parse().unwrap();
        let packages = |t: &toml::Table| t["profile"]["dev"]["package"].as_table().unwrap().clone();
        let (ours, theirs) = (packages(&scratch), packages(&root));
        let members = root["profile"]["dev"]["opt-level"].as_integer().unwrap();
        assert_eq!(scratch["profile"]["dev"]["opt-level"].as_integer(), Some(members));
        assert!(members >= 2, "the lab crates compile at opt-level {members}");
        // Not members here: without a name of their own, `"*"` (opt-level 0) would take the
        // reference a lab builds on, and its training loop would run unoptimised.
        for name in ["lab05-backprop-solution", "lab06-optimizers-solution", "nnlab-data"] {
            assert_eq!(ours[name]["opt-level"].as_integer(), Some(members), "{name}");
        }
        assert_eq!(ours["nnlab-check"], theirs["nnlab-check"]);
        assert_eq!(ours["probe-k-lab07-training"]["opt-level"].as_integer(), Some(0));
        for (name, setting) in &theirs {
            assert_eq!(&ours[name], setting, "{name}");
        }
    }

    #[test]
    fn a_lab_is_found_by_its_number_its_short_name_its_crate_or_its_topic() {
        let ws = Workspace::locate(None).unwrap();
        for name in ["05", "5", "lab05", "LAB05", "lab05-backprop", "backprop", " 05 "] {
            assert_eq!(ws.lab_named(name).unwrap(), "lab05-backprop", "{name:?}");
        }
        assert_eq!(ws.lab_named("1").unwrap(), "lab01-neuron");
        for name in ["99", "lab5", "lab05-forward", "", "0"] {
            let err = ws.lab_named(name).unwrap_err().to_string();
            assert!(err.contains("lab01-neuron") && err.contains("name one as 05"), "{name:?}: {err}");
        }
    }
}
