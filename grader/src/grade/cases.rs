//! Case assembly: an exercise's cases as the grader holds them — the public worked examples, the
//! hidden cases drawn from the run's seed with the reference's answers, the registry's
//! cross-checks, and an experiment's hidden runs with their bars. Inputs and expected values never
//! leave the grader; a probe is sent what [`GradedCase::sent`] says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nnlab_check::fixture::CrossCheckSpec;
use nnlab_check::outcome::{Prepared, evaluate, prepare};
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::{Answer, Exercise, LabFixture, Outcome, Tol, Value};

use super::options::Options;
use super::reference::{reference_answers, reference_answers_of_calls};
use crate::cases::Input;
use crate::jail::Jail;
use crate::run::{Ending, Limits, run_probe};

/// One case as the grader holds it: inputs and the expected value, which never leave the grader.
pub(super) struct GradedCase {
    pub(super) id: String,
    /// A worked example of the lecture documents (shown to students), not a hidden case.
    pub(super) public: bool,
    pub(super) label: String,
    pub(super) input: BTreeMap<String, Value>,
    pub(super) want: Value,
    pub(super) tol: Tol,
    /// The bar of an experiment graded by outcome (then `want` holds the true test targets).
    pub(super) outcome: Option<Outcome>,
    /// For an experiment: the training set sent instead of `input`, and the test inputs kept here.
    pub(super) run: Option<Prepared>,
}

impl GradedCase {
    /// What the probe is sent.
    pub(super) fn sent(&self) -> &BTreeMap<String, Value> {
        self.run.as_ref().map_or(&self.input, |r| &r.input)
    }

    /// `answer` as it is judged: for an experiment, the returned model's predictions, as the
    /// probe `evaluator` computes them.
    pub(super) fn judged(&self, answer: &Answer, evaluator: &Evaluator<'_>) -> Result<Answer> {
        match (&self.run, self.outcome) {
            (Some(run), Some(outcome)) => {
                evaluate(answer.clone(), &run.test_x, outcome.metric, |input| evaluator.predict(input))
            }
            _ => Ok(answer.clone()),
        }
    }
}

/// The probe that evaluates experiments' models (`nnlab_check::outcome::EVALUATE`): the
/// reference's, so that test inputs never reach student code; in an edition without a reference,
/// the submission's own.
pub(super) struct Evaluator<'a> {
    pub(super) jail: &'a Jail,
    pub(super) exe: &'a Path,
    pub(super) limits: Limits,
}

impl Evaluator<'_> {
    /// The predictions for one `{model, x, metric}`. An error is the grader's (the probe could
    /// not be started), never the student's.
    pub(super) fn predict(&self, input: BTreeMap<String, Value>) -> Result<Answer> {
        let request = Request {
            exercise: nnlab_check::outcome::EVALUATE.into(),
            cases: vec![RequestCase::new("model", input)],
        };
        let run = run_probe(self.jail, self.exe, &request, self.limits)?;
        // The evaluator is trusted: when it gives no answer, the model it was given is the cause
        // (too big to evaluate in time or memory), and that costs this student's case only.
        Ok(match run.answers.get("model") {
            Some(answer) => answer.clone(),
            None => Answer::Panic(match run.ending {
                Ending::TimedOut(limit) => {
                    format!("evaluating it took longer than {} s", limit.as_secs_f64())
                }
                Ending::Stopped(why) => format!("its evaluation stopped: {why}"),
                Ending::Finished => "its evaluation gave no answer".into(),
            }),
        })
    }
}

/// An exercise's hidden cases and cross-check, drawn from the run's seed, with the reference's
/// answers.
pub(super) struct Hidden<'f> {
    pub(super) inputs: Vec<Input>,
    pub(super) wants: Vec<Value>,
    pub(super) check: Option<(&'f CrossCheckSpec, Vec<Input>, Vec<Value>)>,
}

/// The hidden cases and cross-checks of every exercise of `fixture` not graded by outcome, all
/// answered by the reference in one run of its probe.
pub(super) fn hidden_cases<'f>(
    jail: &Jail,
    fixture: &'f LabFixture,
    reference: &Path,
    seed: u64,
    opts: &Options,
) -> Result<BTreeMap<String, Hidden<'f>>> {
    let mut drawn = Vec::new();
    for ex in fixture.exercises.iter().filter(|ex| ex.outcome.is_none()) {
        let inputs = crate::cases::hidden()
            .cases(&fixture.lab, &ex.name, seed)
            .with_context(|| format!("the grader has no hidden cases for {}::{}", fixture.lab, ex.name))?;
        let check = match &ex.cross_check {
            Some(spec) => Some((
                spec,
                crate::cases::hidden().cross_check(&fixture.lab, &ex.name, spec, seed).with_context(
                    || format!("the grader has no cross-check cases for {}::{}", fixture.lab, ex.name),
                )?,
            )),
            None => None,
        };
        drawn.push((ex, inputs, check));
    }
    let mut asks: Vec<(&str, &[Input])> = Vec::new();
    for (ex, inputs, check) in &drawn {
        asks.push((&ex.name, inputs));
        if let Some((spec, inputs)) = check {
            asks.push((&spec.oracle, inputs));
        }
    }
    let mut answers = reference_answers_of_calls(jail, reference, &fixture.lab, &asks, opts)?.into_iter();
    let mut next = || answers.next().expect("one list of answers per call asked");
    Ok(drawn
        .into_iter()
        .map(|(ex, inputs, check)| {
            let wants = next();
            let check = check.map(|(spec, inputs)| (spec, inputs, next()));
            (ex.name.clone(), Hidden { inputs, wants, check })
        })
        .collect())
}

/// The public cases of an exercise, then its hidden cases and cross-checks (`hidden`, drawn and
/// answered by [`hidden_cases`]); an experiment's hidden runs are drawn and answered here.
pub(super) fn cases_of(
    jail: &Jail,
    fixture: &LabFixture,
    ex: &Exercise,
    reference: Option<&PathBuf>,
    hidden: Option<Hidden<'_>>,
    seed: u64,
    opts: &Options,
) -> Result<Vec<GradedCase>> {
    let mut cases = public_cases(fixture, ex)?;
    let Some(reference) = reference else { return Ok(cases) };
    if let Some(outcome) = ex.outcome {
        cases.extend(outcome_cases(jail, fixture, ex, outcome, reference, seed, opts)?);
        return Ok(cases);
    }
    let Some(Hidden { inputs, wants, check }) = hidden else {
        bail!("no hidden cases were drawn for {}::{}", fixture.lab, ex.name)
    };
    cases.extend(hidden_graded(ex, inputs, wants, seed));
    if let Some((check, inputs, wants)) = check {
        let n = inputs.len();
        for (i, (input, want)) in inputs.into_iter().zip(wants).enumerate() {
            cases.push(GradedCase {
                id: format!("cross-{}", i + 1),
                public: false,
                label: format!("{} {} of {n}, seed {seed}", check.what, i + 1),
                input,
                want,
                tol: check.tol,
                outcome: None,
                run: None,
            });
        }
    }
    Ok(cases)
}

/// The worked examples of `ex`, as the grader holds them (an experiment's with its split).
pub(super) fn public_cases(fixture: &LabFixture, ex: &Exercise) -> Result<Vec<GradedCase>> {
    fixture
        .cases_of(&ex.name)
        .map(|c| {
            let run = ex.outcome.map(|_| prepare(ex, &c.input)).transpose().map_err(anyhow::Error::msg)?;
            Ok(GradedCase {
                id: c.id.clone(),
                public: true,
                label: c.label(&fixture.documents),
                input: c.input.clone(),
                want: c.want.clone(),
                tol: c.tol(ex),
                outcome: ex.outcome,
                run,
            })
        })
        .collect()
}

/// The hidden cases of `ex` drawn for `seed`, with the reference's answers `wants`.
pub(super) fn hidden_graded(
    ex: &Exercise,
    inputs: Vec<Input>,
    wants: Vec<Value>,
    seed: u64,
) -> Vec<GradedCase> {
    // A random training run can diverge; a case whose expected value holds a NaN could never be
    // passed (NaN equals nothing), so it is not asked.
    let (inputs, wants): (Vec<Input>, Vec<Value>) =
        inputs.into_iter().zip(wants).filter(|(_, want)| !want.has_nan()).unzip();
    let n = inputs.len();
    inputs
        .into_iter()
        .zip(wants)
        .enumerate()
        .map(|(i, (input, want))| GradedCase {
            id: format!("hidden-{}", i + 1),
            public: false,
            label: format!("hidden case {} of {n}, seed {seed}", i + 1),
            input,
            want,
            tol: ex.tol,
            outcome: None,
            run: None,
        })
        .collect()
}

/// The hidden experiments of an exercise graded by outcome: the true targets come from the
/// generator, and each bar is lowered to what the reference reaches on the same points, if less.
pub(super) fn outcome_cases(
    jail: &Jail,
    fixture: &LabFixture,
    ex: &Exercise,
    outcome: Outcome,
    reference: &Path,
    seed: u64,
    opts: &Options,
) -> Result<Vec<GradedCase>> {
    let drawn = crate::cases::hidden()
        .outcome_cases(
            &fixture.lab,
            &ex.name,
            ex.experiment.as_ref().context("an experiment without its entry")?,
            seed,
        )
        .with_context(|| format!("the grader has no hidden experiments for {}::{}", fixture.lab, ex.name))?;
    let runs: Vec<Prepared> = drawn
        .iter()
        .map(|(input, _)| prepare(ex, input))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let sent: Vec<Input> = runs.iter().map(|r| r.input.clone()).collect();
    let models = reference_answers(jail, reference, &fixture.lab, &ex.name, &sent, opts)?;
    let evaluator = Evaluator { jail, exe: reference, limits: opts.reference_limits() };
    let n = drawn.len();
    drawn
        .into_iter()
        .zip(runs)
        .zip(models)
        .enumerate()
        .map(|(i, (((input, want), run), model))| {
            let mut case = GradedCase {
                id: format!("hidden-{}", i + 1),
                public: false,
                label: format!("hidden experiment {} of {n}, seed {seed}", i + 1),
                input,
                want,
                tol: ex.tol,
                outcome: Some(outcome),
                run: Some(run),
            };
            let reached = match case.judged(&Answer::Value(model), &evaluator)? {
                Answer::Value(predicted) => outcome.metric.score(&predicted, &case.want),
                _ => f64::NAN,
            };
            case.outcome = Some(outcome.at_most_as_hard_as(reached));
            Ok(case)
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A lab's registry entry, as the grader reads it.
    pub(in crate::grade) fn fixture(lab: &str) -> LabFixture {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        LabFixture::load(&LabFixture::path(&root, lab)).unwrap()
    }

    #[test]
    fn an_experiment_sends_its_training_set_and_keeps_the_test_inputs() {
        let lab = fixture("lab07-training");
        let ex = lab.exercise("fit_moons").unwrap();
        let cases = public_cases(&lab, ex).unwrap();
        assert!(!cases.is_empty() && cases.iter().all(|c| c.public && c.outcome == ex.outcome));
        for c in &cases {
            let sent = c.sent();
            assert!(sent.contains_key("x") && sent.contains_key("y") && sent.contains_key("seed"));
            // The test points and the true targets stay with the grader.
            assert!(!sent.contains_key("n_test") && !sent.contains_key("noise"), "{sent:?}");
            let run = c.run.as_ref().unwrap();
            assert_eq!(run.test_x.nrows(), c.input["n_test"].as_f64().unwrap() as usize);
        }
    }

    #[test]
    fn a_plain_case_is_sent_as_it_stands() {
        let lab = fixture("lab01-neuron");
        let ex = lab.exercise("sigmoid").unwrap();
        for c in public_cases(&lab, ex).unwrap() {
            assert!(c.run.is_none());
            assert_eq!(c.sent(), &c.input);
            assert_eq!(c.tol, lab.cases.iter().find(|k| k.id == c.id).unwrap().tol(ex));
        }
    }

    #[test]
    fn hidden_cases_whose_answer_is_not_a_number_are_not_asked() {
        let lab = fixture("lab01-neuron");
        let ex = lab.exercise("sigmoid").unwrap();
        let input = |z: f64| Input::from([("z".to_string(), Value::from(z))]);
        let cases = hidden_graded(
            ex,
            vec![input(0.0), input(1.0), input(2.0)],
            vec![0.5.into(), f64::NAN.into(), 0.88.into()],
            7,
        );
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["hidden-1", "hidden-2"]);
        assert_eq!(cases[1].input, input(2.0));
        assert_eq!(cases[1].label, "hidden case 2 of 2, seed 7");
        assert!(cases.iter().all(|c| !c.public && c.tol == ex.tol));
    }
}
