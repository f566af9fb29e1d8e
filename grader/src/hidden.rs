//! Hidden randomized cases (DESIGN.md, invariant 4): fresh inputs for every exercise, drawn from a
//! `rand_pcg` generator seeded by the grading run's seed and the exercise's name, so that the same
//! seed always draws the same cases and a new exercise never shifts another's. The expected values
//! come from running the reference on the same inputs.

mod lab01;
mod lab02;
mod lab03;
mod lab04;

use std::collections::BTreeMap;

use nnlab_check::Value;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

/// The named inputs of one case.
pub type Input = BTreeMap<String, Value>;

/// The hidden inputs of exercise `exercise` of `lab` for `seed`; `None` for an exercise the grader
/// does not know (a test makes sure every fixture exercise has a generator).
pub fn cases(lab: &str, exercise: &str, seed: u64) -> Option<Vec<Input>> {
    let mut rng = Pcg64::seed_from_u64(seed ^ fnv1a(&format!("{lab}/{exercise}")));
    match lab {
        "lab01-neuron" => lab01::cases(exercise, &mut rng),
        "lab02-perceptron" => lab02::cases(exercise, &mut rng),
        "lab03-forward" => lab03::cases(exercise, &mut rng),
        "lab04-loss" => lab04::cases(exercise, &mut rng),
        _ => None,
    }
}

/// FNV-1a: a hash whose value is fixed by its definition, unlike `std`'s hashers.
pub(crate) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
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
