//! One compiled faer for every command: each command a user runs resolves every crate they share
//! with the same features (`grader/unify` asks for their union), so cargo gives faer and what it
//! builds on the same hashes and builds them once. Read from `cargo tree`, which resolves without compiling.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use grader::grade::{Grader, Options};

use crate::common::{SEED, one_at_a_time, workspace};

/// `cargo tree ARGS` as (package, its feature sets: one per build, host or target).
fn resolved(root: &Path, args: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--locked", "--prefix", "none", "--format", "{p}|{f}"])
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let Some((package, features)) = line.split_once('|') else { continue };
        let package = package.replace(" (proc-macro)", "");
        let package = package.split(" (").next().unwrap().trim().to_string();
        packages.entry(package).or_default().insert(features.replace(" (*)", "").trim().to_string());
    }
    packages
}

#[test]
fn every_command_resolves_faer_and_its_dependencies_with_the_same_features() {
    let ws = workspace();
    // The probes' scratch workspace, as the grader writes it for the reference.
    let probes = {
        let _guard = one_at_a_time();
        Grader::new(&ws, Options::with_seed(SEED)).unwrap();
        ws.scratch().join("reference/Cargo.toml")
    };
    let probes = probes.display().to_string();
    let commands: &[(&str, &[&str])] = &[
        ("cargo test (the root's)", &["-e", "normal,build,dev"]),
        ("cargo test -p lab01-neuron", &["-p", "lab01-neuron", "-e", "normal,build,dev"]),
        ("cargo test -p lab07-training", &["-p", "lab07-training", "-e", "normal,build,dev"]),
        ("cargo run -p grader", &["-p", "grader", "-e", "normal,build"]),
        ("the book's build", &["-p", "nnlab-book", "-e", "normal,build,dev"]),
        ("the probes' build", &["--manifest-path", &probes, "--workspace", "-e", "normal,build"]),
    ];
    // Every registry crate all commands build, not only faer's dependencies: one that differs
    // elsewhere in the graph (syn 3 under serde_derive, say) still gave faer another hash.
    let by_command: Vec<_> =
        commands.iter().map(|(command, args)| (*command, resolved(&ws.root, args))).collect();
    let shared: BTreeSet<&String> = by_command
        .iter()
        .map(|(_, packages)| packages.keys().filter(|p| !p.contains("(/")).collect::<BTreeSet<_>>())
        .reduce(|a, b| a.intersection(&b).copied().collect())
        .unwrap();
    assert!(shared.iter().any(|p| p.starts_with("faer v")), "not every command builds faer: {shared:?}");
    let differ: Vec<String> = shared
        .iter()
        .filter(|p| by_command.iter().map(|(_, packages)| &packages[**p]).collect::<BTreeSet<_>>().len() > 1)
        .map(|p| {
            let by: Vec<String> = by_command
                .iter()
                .map(|(command, packages)| format!("  {command}: {:?}", packages[*p]))
                .collect();
            format!("{p}:\n{}", by.join("\n"))
        })
        .collect();
    assert!(differ.is_empty(), "resolved with other features by some commands:\n{}", differ.join("\n"));
}
