//! Hidden randomized cases (ARCHITECTURE.md, invariant 4): fresh inputs for every exercise, drawn from a
//! `rand_pcg` generator seeded by the grading run's seed and the exercise's name, so that the same
//! seed always draws the same cases and a new exercise never shifts another's. The expected values
//! come from running the reference on the same inputs.
//!
//! Instructor-only: the student edition leaves this crate out, and its grader asks
//! [`nnlab_check::hidden::PublicOnly`] instead.

/// The hidden cases of the course, for the grader.
pub struct Hidden;

impl HiddenCases for Hidden {
    fn cases(&self, lab: &str, exercise: &str, seed: u64) -> Option<Vec<Input>> {
        cases(lab, exercise, seed)
    }

    fn outcome_cases(
        &self,
        lab: &str,
        exercise: &str,
        experiment: &ExperimentSpec,
        seed: u64,
    ) -> Option<Vec<(Input, Value)>> {
        Some(outcome_cases(lab, exercise, experiment, seed))
    }

    fn cross_check(
        &self,
        lab: &str,
        exercise: &str,
        check: &CrossCheckSpec,
        seed: u64,
    ) -> Option<Vec<Input>> {
        cross_check(lab, exercise, check, seed)
    }
}

mod lab01_neuron;
mod lab02_perceptron;
mod lab03_forward;
mod lab04_loss;
mod lab05_backprop;
mod lab06_optimizers;
mod lab07_training;
mod lab08_regularization;
mod lab09_deeper;

use nnlab_check::Value;
use nnlab_check::fixture::CrossCheckSpec;
use nnlab_check::hidden::{HiddenCases, Input, fnv1a};
use nnlab_check::outcome::{ExperimentSpec, ProblemKind};
use nnlab_data::experiment::{Experiment, Problem};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

/// How many hidden cases each exercise gets.
const N: usize = 10;

/// Case `i` of an exercise of one lab, `None` for an exercise the lab does not have.
type CaseFn = fn(&str, usize, &mut Pcg64) -> Option<Input>;

/// Each lab's case generator, by lab (this list is written by `cargo run -p grader -- generate`
/// from the registry, like the `mod` lines above).
const LABS: &[(&str, CaseFn)] = &[
    ("lab01-neuron", lab01_neuron::case),
    ("lab02-perceptron", lab02_perceptron::case),
    ("lab03-forward", lab03_forward::case),
    ("lab04-loss", lab04_loss::case),
    ("lab05-backprop", lab05_backprop::case),
    ("lab06-optimizers", lab06_optimizers::case),
    ("lab07-training", lab07_training::case),
    ("lab08-regularization", lab08_regularization::case),
    ("lab09-deeper", lab09_deeper::case),
];

/// The hidden inputs of exercise `exercise` of `lab` for `seed`; `None` for an exercise the grader
/// does not know (a test makes sure every fixture exercise has a generator).
pub fn cases(lab: &str, exercise: &str, seed: u64) -> Option<Vec<Input>> {
    let mut rng = Pcg64::seed_from_u64(seed ^ fnv1a(&format!("{lab}/{exercise}")));
    let (_, case) = LABS.iter().find(|(name, _)| *name == lab)?;
    (0..N).map(|i| case(exercise, i, &mut rng)).collect()
}

/// Fresh runs of an experiment as the registry declares it, with their true test targets, which
/// are never sent to the code under test.
pub fn outcome_cases(lab: &str, exercise: &str, spec: &ExperimentSpec, seed: u64) -> Vec<(Input, Value)> {
    let mut rng = Pcg64::seed_from_u64(seed ^ fnv1a(&format!("{lab}/{exercise}/outcome")));
    let noise = spec.noise.unwrap_or(0.0);
    let problem = match spec.problem {
        ProblemKind::Xor => Problem::Xor,
        ProblemKind::Moons => Problem::Moons { noise },
        ProblemKind::Circles => Problem::Circles { noise },
        ProblemKind::Sine => Problem::Sine { noise },
        ProblemKind::Digits => Problem::Digits,
    };
    let (n_train, n_test) = (spec.n_train, spec.n_test);
    (0..spec.hidden)
        .map(|_| {
            // The data's seed never reaches the student's code (it gets the training points and a
            // seed of its own): drawn from 2^52 values, it cannot be searched for from the training
            // points either.
            let e = Experiment { problem, n_train, n_test, seed: rng.random_range(0..1u64 << 52) };
            let train_seed = rng.random_range(0..1_000_000usize);
            let test = e.split().test.y;
            let targets: Vec<f64> = (0..test.nrows()).map(|i| test[(i, 0)]).collect();
            let mut case = input([("seed", (e.seed as usize).into()), ("train_seed", train_seed.into())]);
            if spec.problem != ProblemKind::Xor {
                case.insert("n_train".into(), n_train.into());
                case.insert("n_test".into(), n_test.into());
            }
            if spec.problem.noisy() {
                case.insert("noise".into(), noise.into());
            }
            (case, targets.into())
        })
        .collect()
}

/// The inputs of a cross-check the registry declares for exercise `exercise` of `lab`: `cases`
/// draws of the lab's generator under the name `<exercise>/cross-check`.
pub fn cross_check(lab: &str, exercise: &str, check: &CrossCheckSpec, seed: u64) -> Option<Vec<Input>> {
    let mut rng = Pcg64::seed_from_u64(seed ^ fnv1a(&format!("{lab}/{exercise}/cross-check")));
    let (_, case) = LABS.iter().find(|(name, _)| *name == lab)?;
    let name = format!("{exercise}/cross-check");
    (0..check.cases).map(|i| case(&name, i, &mut rng)).collect()
}

/// Builds an input map from `(name, value)` pairs.
fn input<const N: usize>(fields: [(&str, Value); N]) -> Input {
    fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A uniform number in `[lo, hi)`.
fn uniform(rng: &mut Pcg64, lo: f64, hi: f64) -> f64 {
    rng.random_range(lo..hi)
}

/// `n` uniform numbers in `[lo, hi)`.
fn uniform_vec(rng: &mut Pcg64, n: usize, lo: f64, hi: f64) -> Vec<f64> {
    (0..n).map(|_| uniform(rng, lo, hi)).collect()
}

/// A rows×cols matrix of uniform numbers in `[−scale, scale)`.
fn matrix(rng: &mut Pcg64, rows: usize, cols: usize, scale: f64) -> faer::Mat<f64> {
    faer::Mat::from_fn(rows, cols, |_, _| uniform(rng, -scale, scale))
}

/// A rows×cols matrix of scores in `[0, 1)` whose every row holds its largest value twice, in two
/// random columns (the first row in columns 0 and 1): an argmax then needs its convention for ties.
fn tied_rows(rng: &mut Pcg64, rows: usize, cols: usize) -> faer::Mat<f64> {
    assert!(cols >= 2, "a tie needs two columns");
    let mut m = faer::Mat::from_fn(rows, cols, |_, _| uniform(rng, 0.0, 0.9));
    for i in 0..rows {
        let (p, q) = if i == 0 {
            (0, 1)
        } else {
            let p = rng.random_range(0..cols);
            (p, (p + rng.random_range(1..cols)) % cols)
        };
        let top = uniform(rng, 0.9, 1.0);
        m[(i, p)] = top;
        m[(i, q)] = top;
    }
    m
}

/// One of `names`, uniformly.
fn pick<'a>(rng: &mut Pcg64, names: &[&'a str]) -> &'a str {
    names[rng.random_range(0..names.len())]
}

/// A number of random sign whose magnitude is in `[lo, hi)`: for inputs far out in the tails.
fn far(rng: &mut Pcg64, lo: f64, hi: f64) -> f64 {
    let m = uniform(rng, lo, hi);
    if rng.random_bool(0.5) { m } else { -m }
}

/// A standard normal number (Box–Muller), for hidden data sets with Gaussian noise.
fn normal(rng: &mut Pcg64) -> f64 {
    let (u1, u2) = (1.0 - rng.random::<f64>(), rng.random::<f64>());
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The settings of an optimizer for a short random training run (labs 07 and 08): plain gradient
/// descent with a rate small enough not to diverge, or Adam with its usual betas.
fn training_optimizer(rng: &mut Pcg64) -> Value {
    if rng.random_bool(0.5) {
        Value::record([("kind", "sgd".into()), ("lr", uniform(rng, 0.01, 0.1).into())])
    } else {
        Value::record([
            ("kind", "adam".into()),
            ("lr", uniform(rng, 0.001, 0.1).into()),
            ("beta1", 0.9.into()),
            ("beta2", 0.999.into()),
            ("eps", 1e-8.into()),
        ])
    }
}
