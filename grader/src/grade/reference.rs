//! The reference's side of grading: its probes, built once per run, and its answers to hidden
//! inputs, asked in one probe run per lab.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Result, bail};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::{Answer, Value};

use super::options::Options;
use crate::cases::Input;
use crate::compile::{Built, CompileLimits, LabSource, Submission, build_probes};
use crate::jail::Jail;
use crate::run::run_probe;
use crate::workspace::Workspace;

/// The reference is trusted: its limits only guard against a hung machine.
pub(super) const REFERENCE_COMPILE: CompileLimits =
    CompileLimits { crate_cpu_seconds: 1800, batch: Duration::from_secs(3 * 3600), incremental: false };

/// The reference probes, or `None` in an edition without solutions (public cases only).
pub(super) fn reference_probes(
    ws: &Workspace,
    jail: &Jail,
    labs: &[String],
    log: Option<&Path>,
) -> Result<Option<BTreeMap<String, PathBuf>>> {
    let sources: Option<Vec<LabSource>> = labs
        .iter()
        .map(|lab| {
            let dir = ws.solution(lab)?;
            Some(LabSource {
                lab: lab.clone(),
                src: dir.join("src"),
                manifest: dir.join("Cargo.toml"),
                mutants: false,
            })
        })
        .collect();
    let Some(sources) = sources else { return Ok(None) };
    let key = "reference".to_string();
    let mut built = build_probes(
        ws,
        jail,
        &key,
        &[Submission { key: key.clone(), labs: sources }],
        REFERENCE_COMPILE,
        log,
    )?;
    let mut probes = BTreeMap::new();
    for (lab, built) in built.remove(&key).unwrap_or_default() {
        match built {
            Built::Probe(exe) => probes.insert(lab, exe),
            other => bail!(
                "the reference solution of {lab} does not build:\n{}",
                other.error().unwrap_or_default()
            ),
        };
    }
    Ok(Some(probes))
}

/// The reference's answers to `call` on `inputs`, in order.
pub(super) fn reference_answers(
    jail: &Jail,
    reference: &Path,
    lab: &str,
    call: &str,
    inputs: &[Input],
    opts: &Options,
) -> Result<Vec<Value>> {
    let mut answers = reference_answers_of_calls(jail, reference, lab, &[(call, inputs)], opts)?;
    Ok(answers.pop().unwrap_or_default())
}

/// The reference's answers to each `(call, inputs)` of `asks`, in order, from one run of its
/// probe: a confined process costs more to start than most answers take to compute.
pub(super) fn reference_answers_of_calls(
    jail: &Jail,
    reference: &Path,
    lab: &str,
    asks: &[(&str, &[Input])],
    opts: &Options,
) -> Result<Vec<Vec<Value>>> {
    let Some((first, _)) = asks.first() else { return Ok(Vec::new()) };
    let id = |ask: usize, case: usize| format!("{ask}-case-{}", case + 1);
    let cases = asks.iter().enumerate().flat_map(|(a, (call, inputs))| {
        inputs.iter().enumerate().map(move |(i, input)| RequestCase {
            exercise: Some(call.to_string()),
            ..RequestCase::new(id(a, i), input.clone())
        })
    });
    let request = Request { exercise: first.to_string(), cases: cases.collect() };
    let run = run_probe(jail, reference, &request, opts.reference_limits())?;
    asks.iter()
        .enumerate()
        .map(|(a, (call, inputs))| {
            (0..inputs.len())
                .map(|i| match run.answers.get(&id(a, i)) {
                    Some(Answer::Value(v)) => Ok(v.clone()),
                    other => bail!(
                        "the reference gave no value for {lab}::{call} case-{}: {other:?} ({:?})",
                        i + 1,
                        run.ending
                    ),
                })
                .collect()
        })
        .collect()
}
