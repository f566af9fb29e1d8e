//! One compiled faer for every command: each command a user runs resolves every crate they share
//! with the same features (`grader/unify` asks for their union), so cargo gives faer and what it
//! builds on the same hashes and builds them once. Read from `cargo tree`, which resolves without compiling.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use grader::grade::{Grader, Options};
use grader::workspace::Workspace;

use crate::common::{SEED, one_at_a_time, workspace};

/// `cargo tree ARGS` as (package, its feature sets: one per build, host or target).
fn resolved(root: &Path, args: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let out = Command::new(Workspace::cargo())
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

/// The labs' computations run optimised: the labs and the reference solutions compile at
/// opt-level 2, and so does every registry crate they link (the root Cargo.toml's profile names
/// each) but faer's f32 and complex kernels, which the course never calls. The labs being at
/// opt-level 2 matters beyond their own speed: below it, a crate calls the unoptimised copies of
/// generic std functions that those kernels export instead of inlining its own.
#[test]
fn every_crate_the_labs_link_is_compiled_optimised() {
    const NEVER_CALLED: &[&str] =
        &["gemm-c32", "gemm-c64", "gemm-f32", "nano-gemm-c32", "nano-gemm-c64", "nano-gemm-f32"];
    let ws = workspace();
    let manifest: toml::Table = std::fs::read_to_string(ws.root.join("Cargo.toml")).unwrap().parse().unwrap();
    let overrides = manifest["profile"]["dev"]["package"].as_table().unwrap();
    let named =
        |name: &str| overrides.get(name).and_then(|o| o.get("opt-level")).and_then(|l| l.as_integer());
    assert_eq!(named("*"), Some(0), "the profile no longer compiles other dependencies unoptimised");
    let members_level = manifest["profile"]["dev"]["opt-level"].as_integer().unwrap();
    // The labs, their references and the crates the probes and the hidden cases are made of.
    let metadata = Command::new(Workspace::cargo())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .unwrap();
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let members: BTreeSet<String> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    let labs: Vec<&String> = members.iter().filter(|p| p.starts_with("lab")).collect();
    // Each lab of the registry twice: the workbook's crate and its reference.
    assert_eq!(labs.len(), 2 * workspace().labs().unwrap().len(), "{labs:?}");
    // nnlab-data makes the experiments' data sets.
    let slow_labs: Vec<&str> = labs
        .iter()
        .map(|p| p.as_str())
        .chain(["nnlab-data"])
        .filter(|p| named(p).unwrap_or(members_level) < 2)
        .collect();
    assert!(slow_labs.is_empty(), "the labs compile below opt-level 2: {slow_labs:?}");
    let packages: Vec<&String> = members
        .iter()
        .filter(|p| {
            p.starts_with("lab") || ["nnlab-check", "nnlab-hidden", "nnlab-data"].contains(&p.as_str())
        })
        .collect();
    let mut args = vec!["-e", "normal,no-proc-macro"];
    for package in &packages {
        args.extend(["-p", package.as_str()]);
    }
    let linked: BTreeSet<String> = resolved(&ws.root, &args)
        .into_keys()
        .map(|p| p.split(" v").next().unwrap().to_string())
        .filter(|p| !members.contains(p.as_str()))
        .collect();
    assert!(linked.contains("faer") && linked.contains("nano-gemm-f32"), "{linked:?}");
    let slow: Vec<&String> = linked
        .iter()
        .filter(|p| !NEVER_CALLED.contains(&p.as_str()) && named(p).is_none_or(|l| l < 2))
        .collect();
    assert!(
        slow.is_empty(),
        "the labs link crates the profile compiles unoptimised; add them to the root Cargo.toml's list: {slow:?}"
    );
}
