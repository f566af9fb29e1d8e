//! The catalogue of known mistakes (the submissions of `fixtures/submissions/<lab>.yaml` with a `diagnosis`): each
//! is the reference with one edit, built as a probe the first time a lab has a failure to
//! diagnose, and asked the student's failing cases.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use nnlab_check::diagnosis::{Compared, StoredMistake, StoredMistakes, explains};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::verdict::Status;
use nnlab_check::{Exercise, Verdict};

use super::Grader;
use super::cases::GradedCase;
use super::judge::Answers;
use super::reference::REFERENCE_COMPILE;
use crate::compile::{Built, LabSource, Submission, build_probes};
use crate::mistakes::{self, Mistake};
use crate::run::run_probe;

impl Grader<'_> {
    /// The probes of `lab`'s catalogued mistakes, by name, built on first use: they are the
    /// reference with one edit each, trusted like it, and cost a build only when a student's
    /// failure in this lab is to be diagnosed.
    pub(super) fn mistake_probes(&self, lab: &str) -> Result<BTreeMap<String, PathBuf>> {
        let mut cache = self.mistake_probes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(probes) = cache.get(lab) {
            return Ok(probes.clone());
        }
        let manifest =
            self.ws.solution(lab).context("a catalogued mistake needs the reference")?.join("Cargo.toml");
        let submissions: Vec<Submission> = self
            .catalogue
            .iter()
            .filter(|m| m.lab == lab)
            .map(|m| {
                Ok(Submission {
                    key: format!("mistake-{}", m.name),
                    labs: vec![LabSource {
                        lab: lab.into(),
                        src: mistakes::source(self.ws, m)?,
                        manifest: manifest.clone(),
                        mutants: false,
                    }],
                })
            })
            .collect::<Result<_>>()?;
        let mut probes = BTreeMap::new();
        if !submissions.is_empty() {
            eprintln!(
                "building the {} known mistakes of {lab}, to diagnose failures (once)",
                submissions.len()
            );
            let batch = format!("mistakes-{lab}");
            let _only_us = self.ws.lock_batch(&batch)?;
            let built = build_probes(
                self.ws,
                &self.jail,
                &batch,
                &submissions,
                REFERENCE_COMPILE,
                self.opts.cargo_log.as_deref(),
            )?;
            for (key, mut labs) in built {
                let name = key.trim_start_matches("mistake-").to_string();
                match labs.remove(lab) {
                    Some(Built::Probe(exe)) => probes.insert(name, exe),
                    other => bail!(
                        "the catalogued mistake {lab}/{name} does not build:\n{}",
                        other.and_then(|b| b.error()).unwrap_or_default()
                    ),
                };
            }
        }
        cache.insert(lab.to_string(), probes.clone());
        Ok(probes)
    }

    /// Builds the probes of every catalogued mistake and lists the catalogue by lab: each
    /// mistake's name, what its diagnosis says and the exercises it is about.
    #[allow(clippy::type_complexity)]
    pub fn build_mistakes(&self) -> Result<Vec<(String, Vec<(String, String, Vec<String>)>)>> {
        let mut listed = Vec::new();
        for fixture in &self.fixtures {
            self.mistake_probes(&fixture.lab)?;
            let mistakes: Vec<_> = self
                .catalogue
                .iter()
                .filter(|m| m.lab == fixture.lab)
                .map(|m| (m.name.clone(), m.diagnosis.says.clone(), m.diagnosis.exercises.clone()))
                .collect();
            listed.push((fixture.lab.clone(), mistakes));
        }
        Ok(listed)
    }

    /// What each catalogued mistake answers on the public cases of its exercises, by lab: the
    /// contents of `fixtures/mistakes/<lab>.yaml`, from which the public checks diagnose.
    pub fn stored_mistakes(&self) -> Result<BTreeMap<String, StoredMistakes>> {
        let mut stored = BTreeMap::new();
        for fixture in &self.fixtures {
            let lab = &fixture.lab;
            let mut mistakes = Vec::new();
            for mistake in self.catalogue.iter().filter(|m| &m.lab == lab) {
                let exe =
                    self.mistake_probes(lab)?.remove(&mistake.name).context("a mistake without its probe")?;
                let mut answers = BTreeMap::new();
                for name in &mistake.diagnosis.exercises {
                    let ex = fixture
                        .exercise(name)
                        .with_context(|| format!("{lab}/{}: no exercise {name} to diagnose", mistake.name))?;
                    anyhow::ensure!(
                        ex.outcome.is_none(),
                        "{lab}/{}: {name} is an experiment: its answers depend on every random draw, so a mistake cannot be matched",
                        mistake.name
                    );
                    let cases: Vec<_> = fixture.cases_of(name).collect();
                    let request = Request {
                        exercise: name.clone(),
                        cases: cases
                            .iter()
                            .map(|c| RequestCase::new(c.id.clone(), c.input.clone()))
                            .collect(),
                    };
                    let run = run_probe(&self.jail, &exe, &request, self.opts.reference_limits())?;
                    answers.insert(name.clone(), run.answers);
                }
                mistakes.push(StoredMistake {
                    name: mistake.name.clone(),
                    says: mistake.diagnosis.says.clone(),
                    answers,
                });
            }
            if !mistakes.is_empty() {
                stored.insert(lab.clone(), StoredMistakes { mistakes });
            }
        }
        Ok(stored)
    }

    /// The catalogued mistake of `ex` whose answers are the student's on every case they failed.
    pub(super) fn diagnose(
        &self,
        lab: &str,
        ex: &Exercise,
        cases: &[GradedCase],
        answers: &Answers,
    ) -> Result<Option<&Mistake>> {
        let candidates: Vec<&Mistake> = self
            .catalogue
            .iter()
            .filter(|m| m.lab == lab && m.diagnosis.exercises.contains(&ex.name))
            .collect();
        if candidates.is_empty() || answers.judgement.status != Status::Failed || ex.outcome.is_some() {
            return Ok(None);
        }
        let probes = self.mistake_probes(lab)?;
        let failing: Vec<usize> =
            (0..cases.len()).filter(|&i| answers.judgement.verdicts[i] != Verdict::Pass).collect();
        let request = Request {
            exercise: ex.name.clone(),
            cases: failing
                .iter()
                .map(|&i| RequestCase::new(cases[i].id.clone(), cases[i].sent().clone()))
                .collect(),
        };
        for mistake in candidates {
            let exe = probes.get(&mistake.name).context("a mistake without its probe")?;
            let run = run_probe(&self.jail, exe, &request, self.opts.reference_limits())?;
            let compared = failing.iter().map(|&i| Compared {
                verdict: &answers.judgement.verdicts[i],
                student: answers.judged[i].as_ref(),
                mistake: run.answers.get(&cases[i].id),
                tol: cases[i].tol,
            });
            if explains(compared) {
                return Ok(Some(mistake));
            }
        }
        Ok(None)
    }
}
