//! Judging and tallying: one probe run of a submission's exercise, its answers judged against the
//! cases (never in the probe), the time budget spent, and the points counted by case group.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::verdict::{CaseAnswer, Failure, Judgement, Status};
use nnlab_check::{Answer, Exercise, LabFixture, Verdict};

use super::cases::{Evaluator, GradedCase};
use super::options::Options;
use crate::jail::Jail;
use crate::report::{ExerciseResult, Measure, Tally};
use crate::run::{Ending, Limits, ProbeRun, run_probe};

/// What is left of a submission's [`Options::budget`].
pub(super) struct Budget {
    left: Duration,
    total: Duration,
}

impl Budget {
    /// A budget of `total`, all of it left.
    pub(super) fn new(total: Duration) -> Budget {
        Budget { left: total, total }
    }

    /// The limits of the submission's next run: the exercise's own, or what is left, if less.
    pub(super) fn limits(&self, limits: Limits) -> Limits {
        Limits { time: limits.time.min(self.left), ..limits }
    }

    pub(super) fn spend(&mut self, took: Duration) {
        self.left = self.left.saturating_sub(took);
    }
}

/// A student's answers to an exercise's cases, as judged, and the judgement.
pub(super) struct Answers {
    pub(super) judged: Vec<Option<Answer>>,
    pub(super) judgement: Judgement,
}

/// How a submission's probes run: through which jail, with which limits (its box included).
pub(super) struct Run<'a> {
    pub(super) jail: &'a Jail,
    pub(super) limits: Limits,
    pub(super) opts: &'a Options,
}

/// The answers to `cases` as the grader judges them (an experiment's model by its predictions),
/// and the judgement; `no_answer` says why a case has none.
pub(super) fn judge(
    cases: &[GradedCase],
    answers: &[Option<&Answer>],
    evaluator: &Evaluator<'_>,
    no_answer: &str,
) -> Result<(Vec<Option<Answer>>, Judgement)> {
    let judged: Vec<Option<Answer>> = cases
        .iter()
        .zip(answers)
        .map(|(c, a)| a.map(|a| c.judged(a, evaluator)).transpose())
        .collect::<Result<_>>()?;
    let judgement = Judgement::of(
        cases.iter().zip(&judged).map(|(c, answer)| CaseAnswer {
            answer: answer.as_ref(),
            want: &c.want,
            tol: c.tol,
            outcome: c.outcome,
        }),
        no_answer,
    );
    Ok((judged, judgement))
}

/// Runs a submission's probe on `cases` of `ex` within what is left of its `budget`, judges the
/// answers and tallies them; returns the exercise's result and the answers, for the diagnosis.
pub(super) fn grade_exercise(
    runner: &Run<'_>,
    fixture: &LabFixture,
    ex: &Exercise,
    cases: &[GradedCase],
    exe: &Path,
    reference: Option<&PathBuf>,
    budget: &mut Budget,
) -> Result<(ExerciseResult, Answers)> {
    let (jail, opts) = (runner.jail, runner.opts);
    let request = Request {
        exercise: ex.name.clone(),
        cases: cases.iter().map(|c| RequestCase::new(c.id.clone(), c.sent().clone())).collect(),
    };
    let started = std::time::Instant::now();
    let limits = budget.limits(runner.limits);
    let run = if limits.time.is_zero() {
        ProbeRun { answers: BTreeMap::new(), ending: Ending::TimedOut(Duration::ZERO) }
    } else {
        run_probe(jail, exe, &request, limits)?
    };
    let took = started.elapsed();
    budget.spend(took);
    let seconds = took.as_secs_f64();
    let no_answer = match &run.ending {
        Ending::TimedOut(_) if limits.time < runner.limits.time => format!(
            "not run to the end: this submission used up its time budget ({} s for all its exercises \
             together)",
            budget.total.as_secs_f64()
        ),
        Ending::TimedOut(limit) => format!("timed out after {} s: an endless loop?", limit.as_secs_f64()),
        Ending::Stopped(why) => why.clone(),
        Ending::Finished => "no answer".into(),
    };
    // An edition without the reference evaluates models with the submission's own probe, in its box.
    let evaluator = match reference {
        Some(exe) => Evaluator { jail, exe, limits: opts.reference_limits() },
        None => Evaluator { jail, exe, limits: runner.limits },
    };
    let answers: Vec<Option<&Answer>> = cases.iter().map(|c| run.answers.get(&c.id)).collect();
    let (judged, judgement) = judge(cases, &answers, &evaluator, &no_answer)?;
    let judgement = match run.ending {
        Ending::TimedOut(_) => judgement.timed_out(),
        _ => judgement,
    };
    let status = judgement.status;
    let mut tally = tally_of(ex, cases, &judgement.verdicts);
    if status == Status::NotImplemented {
        (tally.failure, tally.hidden_failure) = (None, None);
    }
    let mut result = ExerciseResult::new(fixture, ex, status, tally);
    result.metric = ex.outcome.and_then(|outcome| {
        let scores: Vec<f64> = cases
            .iter()
            .zip(&judged)
            .filter_map(|(c, answer)| match answer {
                Some(Answer::Value(predicted)) => Some(outcome.metric.score(predicted, &c.want)),
                _ => None,
            })
            .filter(|score| score.is_finite())
            .collect();
        (scores.len() == cases.len() && !scores.is_empty()).then(|| Measure {
            metric: outcome.metric,
            mean: scores.iter().sum::<f64>() / scores.len() as f64,
        })
    });
    result.seconds = opts.timings.then_some((seconds * 1000.0).round() / 1000.0);
    Ok((result, Answers { judged, judgement }))
}

/// The tally of `cases` judged by `verdicts` (none judged: nothing passed, nothing explained).
pub(super) fn tally_of(ex: &Exercise, cases: &[GradedCase], verdicts: &[Verdict]) -> Tally {
    let explain = |(c, verdict): (&GradedCase, &Verdict)| {
        Failure {
            case: c.label.clone(),
            input: &c.input,
            want: &c.want,
            tol: c.tol,
            outcome: c.outcome,
            verdict,
        }
        .render("")
    };
    let failing = || cases.iter().zip(verdicts).filter(|(_, v)| **v != Verdict::Pass);
    let passed = |public: bool| {
        cases.iter().zip(verdicts).filter(|(c, v)| c.public == public && **v == Verdict::Pass).count()
    };
    let inputs: Vec<_> = cases.iter().map(|c| &c.input).collect();
    let public: Vec<bool> = cases.iter().map(|c| c.public).collect();
    let ok: Vec<bool> = verdicts.iter().map(|v| *v == Verdict::Pass).collect();
    Tally {
        groups: nnlab_check::groups::tally(&ex.groups, f64::from(ex.points), &inputs, &public, &ok),
        passed: passed(true) + passed(false),
        cases: cases.len(),
        public_passed: passed(true),
        public_cases: cases.iter().filter(|c| c.public).count(),
        failure: failing().next().map(explain),
        hidden_failure: failing().find(|(c, _)| !c.public).map(explain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Input;
    use crate::grade::cases::tests::fixture;
    use crate::grade::cases::{hidden_graded, public_cases};
    use nnlab_check::Value;

    #[test]
    fn a_budget_shortens_the_next_run_to_what_is_left() {
        let limits = Options::with_seed(0).limits(crate::jail::Confinement::Own);
        let mut budget = Budget::new(Duration::from_secs(25));
        assert_eq!(budget.limits(limits).time, Duration::from_secs(10));
        budget.spend(Duration::from_secs(20));
        assert_eq!(budget.limits(limits).time, Duration::from_secs(5));
        budget.spend(Duration::from_secs(60));
        assert!(budget.limits(limits).time.is_zero(), "spent is spent, never negative");
    }

    #[test]
    fn the_tally_counts_public_and_hidden_apart_and_shows_the_first_failure_of_each() {
        let lab = fixture("lab01-neuron");
        let ex = lab.exercise("sigmoid").unwrap();
        let mut cases = public_cases(&lab, ex).unwrap();
        let public = cases.len();
        let input = |z: f64| Input::from([("z".to_string(), Value::from(z))]);
        cases.extend(hidden_graded(ex, vec![input(3.0), input(-3.0)], vec![0.95.into(), 0.05.into()], 9));
        let fail = Verdict::Panicked("index out of bounds".into());
        let mut verdicts = vec![Verdict::Pass; cases.len()];
        verdicts[public - 1] = fail.clone();
        verdicts[public + 1] = fail;
        let tally = tally_of(ex, &cases, &verdicts);
        assert_eq!((tally.cases, tally.passed), (public + 2, public));
        assert_eq!((tally.public_cases, tally.public_passed), (public, public - 1));
        let failure = tally.failure.unwrap();
        assert!(failure.contains(&cases[public - 1].label), "{failure}");
        let hidden = tally.hidden_failure.unwrap();
        assert!(hidden.contains("hidden case 2 of 2, seed 9"), "{hidden}");
        // Nothing judged (the lab did not compile): nothing passed, nothing to explain.
        let none = tally_of(ex, &cases, &[]);
        assert_eq!(none.passed, 0);
        assert!(none.failure.is_none() && none.hidden_failure.is_none());
        assert_eq!(none.groups.iter().map(|g| g.score()).sum::<f64>(), 0.0);
    }
}
