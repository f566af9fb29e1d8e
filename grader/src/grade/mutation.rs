//! The reference's mutants on the grader's cases: which mutants the cases catch (the mutation
//! score), and which mutant a student's failing answers match (a generated diagnosis).

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::verdict::Status;
use nnlab_check::{Answer, Exercise, LabFixture, Value, Verdict};

use super::Grader;
use super::cases::{Evaluator, GradedCase, cases_of, hidden_cases};
use super::judge::judge;
use super::reference::REFERENCE_COMPILE;
use crate::mutants::{self, MUTANT_INPUT, Mutant, Schemata};
use crate::run::{Ending, run_probe};

/// What became of one mutant on the cases of one or more seeds.
#[derive(Clone, Debug)]
pub struct Fate {
    /// The mutant.
    pub mutant: Mutant,
    /// The first exercise whose cases caught it (`None`: it survived), and how.
    pub caught: Option<(String, String)>,
}

/// How many mutants one probe run takes at most: a run that hangs on one of them costs a retry of
/// the others.
const BATCH: usize = 48;

/// The wall clock of a batch's run; a mutant run alone gets a student's limit (`--timeout`), or
/// for an experiment at least [`EXPERIMENT_TIME`].
const BATCH_TIME: Duration = Duration::from_secs(20);

/// The least wall clock of one experiment's mutant, whatever `--timeout` says.
const EXPERIMENT_TIME: Duration = Duration::from_secs(40);

impl Grader<'_> {
    /// The mutants of `lab`, built on first use. A build that fails is not tried again in this
    /// run: the diagnosis goes without them (and says so once); grading is not affected.
    pub fn schemata(&self, lab: &str) -> Result<Schemata> {
        let mut cache = self.schemata.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(built) = cache.get(lab) {
            return built.clone().map_err(anyhow::Error::msg);
        }
        eprintln!("building the mutants of {lab}'s reference (once)");
        let built =
            mutants::build(self.ws, &self.jail, lab, REFERENCE_COMPILE, self.opts.cargo_log.as_deref())
                .map_err(|e| format!("the mutants of {lab} could not be built: {e:#}"));
        if let Err(why) = &built {
            eprintln!("warning: {why}\n(failures of {lab} are diagnosed without them)");
        }
        cache.insert(lab.to_string(), built.clone());
        built.map_err(anyhow::Error::msg)
    }

    /// Runs every mutant of `lab` on the public and hidden cases of each seed, exercise by
    /// exercise (the experiments last, as they train), until some case catches it.
    pub fn mutation_test(&self, lab: &str, seeds: &[u64]) -> Result<Vec<Fate>> {
        let schemata = self.schemata(lab)?;
        let fixture = self.fixtures.iter().find(|f| f.lab == lab).context("no such lab")?;
        let reference =
            self.reference.as_ref().and_then(|r| r.get(lab)).context("mutants need the reference")?;
        let mut fates: Vec<Fate> =
            schemata.mutants.iter().map(|m| Fate { mutant: m.clone(), caught: None }).collect();
        let mut exercises: Vec<&Exercise> = fixture.exercises.iter().collect();
        exercises.sort_by_key(|ex| ex.outcome.is_some());
        for &seed in seeds {
            let mut hidden = hidden_cases(&self.jail, fixture, reference, seed, &self.opts)?;
            for ex in &exercises {
                let alive: Vec<usize> = (0..fates.len()).filter(|&i| fates[i].caught.is_none()).collect();
                if alive.is_empty() {
                    break;
                }
                let cases = cases_of(
                    &self.jail,
                    fixture,
                    ex,
                    Some(reference),
                    hidden.remove(&ex.name),
                    seed,
                    &self.opts,
                )?;
                let ids: Vec<u32> = alive.iter().map(|&i| fates[i].mutant.id).collect();
                for (id, how) in self.catch(&schemata, fixture, ex, &cases, &ids)? {
                    let i = fates.iter().position(|f| f.mutant.id == id).expect("a mutant asked");
                    fates[i].caught = Some((ex.name.clone(), how));
                }
            }
        }
        Ok(fates)
    }

    /// Which of the mutants `ids` the cases of `ex` catch, and how (the first failing verdict).
    fn catch(
        &self,
        schemata: &Schemata,
        fixture: &LabFixture,
        ex: &Exercise,
        cases: &[GradedCase],
        ids: &[u32],
    ) -> Result<Vec<(u32, String)>> {
        let mut caught = Vec::new();
        let mut pending: Vec<u32> = ids.to_vec();
        let batch = if ex.outcome.is_some() { 1 } else { BATCH };
        while !pending.is_empty() {
            let take: Vec<u32> = pending.iter().copied().take(batch).collect();
            // An experiment's mutant that trains slower (batches of one sample) is a setting, not
            // a mistake: on a loaded machine it gets room, so that what it answers decides.
            let time = match (take.len(), ex.outcome) {
                (1, Some(_)) => self.opts.timeout.max(EXPERIMENT_TIME),
                (1, None) => self.opts.timeout,
                _ => BATCH_TIME,
            };
            let run = self.run_mutants(schemata, ex, cases, &take, time)?;
            let mut done = 0;
            for &id in &take {
                let answers: Vec<Option<&Answer>> =
                    cases.iter().map(|c| run.answers.get(&format!("{id}/{}", c.id))).collect();
                if answers.iter().any(Option::is_none) {
                    if take.len() > 1 {
                        // The run stopped at this mutant: it goes alone, and the rest again.
                        break;
                    }
                    let how = match &run.ending {
                        Ending::TimedOut(t) => format!("timed out after {} s", t.as_secs_f64()),
                        Ending::Stopped(why) => why.clone(),
                        Ending::Finished => "no answer".into(),
                    };
                    caught.push((id, how));
                    done += 1;
                    break;
                }
                if let Some(how) = self.failure(fixture, cases, &answers)? {
                    caught.push((id, how));
                }
                done += 1;
            }
            if done == 0 {
                // The first mutant of the batch stopped the run: try it alone.
                let first = pending.remove(0);
                for (id, how) in self.catch(schemata, fixture, ex, cases, &[first])? {
                    caught.push((id, how));
                }
                continue;
            }
            pending.drain(..done);
        }
        Ok(caught)
    }

    /// The answers of the mutants `ids` on `cases`, in one run of the schemata probe: case `c` of
    /// mutant `m` is asked as `m/c`.
    fn run_mutants(
        &self,
        schemata: &Schemata,
        ex: &Exercise,
        cases: &[GradedCase],
        ids: &[u32],
        time: Duration,
    ) -> Result<crate::run::ProbeRun> {
        let request = Request {
            exercise: ex.name.clone(),
            cases: ids
                .iter()
                .flat_map(|&id| {
                    cases.iter().map(move |c| {
                        let mut input = c.sent().clone();
                        input.insert(MUTANT_INPUT.into(), Value::Num(f64::from(id)));
                        RequestCase::new(format!("{id}/{}", c.id), input)
                    })
                })
                .collect(),
        };
        let limits = crate::run::Limits { time, ..self.opts.reference_limits() };
        run_probe(&self.jail, &schemata.exe, &request, limits)
    }

    /// How the answers fail the cases, as the grader would judge them (`None`: full marks).
    fn failure(
        &self,
        fixture: &LabFixture,
        cases: &[GradedCase],
        answers: &[Option<&Answer>],
    ) -> Result<Option<String>> {
        let reference = self.reference.as_ref().and_then(|r| r.get(&fixture.lab)).context("the reference")?;
        let evaluator = Evaluator { jail: &self.jail, exe: reference, limits: self.opts.reference_limits() };
        let (_, judgement) = judge(cases, answers, &evaluator, "no answer")?;
        if judgement.status == Status::Passed {
            return Ok(None);
        }
        let (i, verdict) = judgement
            .verdicts
            .iter()
            .enumerate()
            .find(|(_, v)| **v != Verdict::Pass)
            .expect("a failing case");
        let what = match verdict {
            Verdict::Panicked(_) => "panicked",
            Verdict::Wrong { .. } => "wrong value",
            _ => "no value",
        };
        Ok(Some(format!("{} ({what})", cases[i].label)))
    }

    /// The mutants of `ex`'s lab whose answers are the student's on every case: wrong where the
    /// student's are, right where theirs are. Only numbers count (a panic matches any panic).
    pub(super) fn matching_mutants(
        &self,
        lab: &str,
        ex: &Exercise,
        cases: &[GradedCase],
        judged: &[Option<Answer>],
        verdicts: &[Verdict],
    ) -> Result<Vec<Mutant>> {
        let failing: Vec<usize> = (0..cases.len()).filter(|&i| verdicts[i] != Verdict::Pass).collect();
        if failing.is_empty() || failing.iter().any(|&i| !matches!(judged[i], Some(Answer::Value(_)))) {
            return Ok(Vec::new());
        }
        let Ok(schemata) = self.schemata(lab) else { return Ok(Vec::new()) };
        let fixture = self.fixtures.iter().find(|f| f.lab == lab).context("no such lab")?;
        let relevant = relevant_functions(fixture, ex);
        let ids: Vec<u32> = schemata.mutants.iter().filter(|m| relevant(&m.function)).map(|m| m.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let run = self.run_mutants(&schemata, ex, cases, &ids, BATCH_TIME)?;
        let same = |a: Option<&Answer>, b: Option<&Answer>, tol| match (a, b) {
            (Some(Answer::Value(a)), Some(Answer::Value(b))) => nnlab_check::compare::same(a, b, tol),
            _ => false,
        };
        Ok(schemata
            .mutants
            .iter()
            .filter(|m| ids.contains(&m.id))
            .filter(|m| {
                cases.iter().enumerate().all(|(i, c)| {
                    let theirs = run.answers.get(&format!("{}/{}", m.id, c.id));
                    if verdicts[i] == Verdict::Pass {
                        same(theirs, Some(&Answer::Value(c.want.clone())), c.tol)
                    } else {
                        same(theirs, judged[i].as_ref(), c.tol)
                    }
                })
            })
            .cloned()
            .collect())
    }
}

/// Which functions' mutants can change `ex`'s answers: its own, those of the exercises it calls in
/// its lab, and the lab's helpers that are no exercise's. Another exercise's function cannot (an
/// exercise calls another only as the registry's `calls` say), and running its mutants on a
/// training exercise's cases would cost a training run each.
fn relevant_functions<'a>(fixture: &'a LabFixture, ex: &'a Exercise) -> impl Fn(&str) -> bool + 'a {
    let names = |e: &Exercise| -> Vec<String> {
        if e.functions.is_empty() {
            vec![e.name.clone()]
        } else {
            e.functions.iter().map(|f| f.rsplit("::").next().unwrap_or(f).to_string()).collect()
        }
    };
    let mut own = names(ex);
    for (callee_lab, callee) in ex.callees(&fixture.lab) {
        if callee_lab == fixture.lab
            && let Some(e) = fixture.exercise(callee)
        {
            own.extend(names(e));
        }
    }
    let exercises: Vec<String> = fixture.exercises.iter().flat_map(names).collect();
    move |function: &str| own.iter().any(|f| f == function) || !exercises.iter().any(|f| f == function)
}

/// The mutation score of some fates: caught among those not listed as equivalent, in percent.
pub fn score(fates: &[Fate], equivalent: &BTreeMap<String, String>) -> f64 {
    let counted: Vec<&Fate> = fates.iter().filter(|f| !equivalent.contains_key(&f.mutant.key())).collect();
    if counted.is_empty() {
        return 100.0;
    }
    100.0 * counted.iter().filter(|f| f.caught.is_some()).count() as f64 / counted.len() as f64
}

/// The report of a lab's mutation test, and its score: the counts, then every survivor with the
/// maintainers' note on it, or `UNEXPLAINED`.
pub fn summary(lab: &str, fates: &[Fate], notes: &crate::mutants::Notes) -> (String, f64) {
    let score = score(fates, &notes.survivors);
    let caught = fates.iter().filter(|f| f.caught.is_some()).count();
    let equivalent =
        fates.iter().filter(|f| f.caught.is_none() && notes.survivors.contains_key(&f.mutant.key())).count();
    let mut text = format!(
        "{lab}: {} mutants, {caught} caught, {equivalent} equivalent, {} survive: score {score:.1} % (recorded {:.1} %)\n",
        fates.len(),
        fates.len() - caught - equivalent,
        notes.score
    );
    for f in fates.iter().filter(|f| f.caught.is_none()) {
        let note = notes.survivors.get(&f.mutant.key()).map_or("UNEXPLAINED", String::as_str);
        text.push_str(&format!("  line {}: {}\n      {note}\n", f.mutant.line, f.mutant.key()));
    }
    (text, score)
}
