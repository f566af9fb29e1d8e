//! # Lab 02 — the perceptron
//!
//! Rosenblatt's perceptron (1958) is one neuron with the step activation,
//! trained by a rule that nudges the weights after every misclassified sample.
//! It learns any two classes that a straight line (a hyperplane) can separate,
//! and nothing else: AND and OR yes, XOR never.
//!
//! Read the chapter first: `book/src/lab02-perceptron.md`. Fill in every
//! function whose body is `todo!`, then run `cargo test -p lab02-perceptron`
//! for the public checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: labels are 0.0 and 1.0; a data set is a `faer::Mat<f64>` with
//! one sample per row and a slice of labels, one per row; the step rule
//! predicts 1 when `z ≥ 0` (including 0).

use faer::Mat;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

// Code you are given (not graded, and not yours to change: the grader builds
// with its own copy).
mod given;
pub use given::*;

/// The perceptron's prediction for one sample: `1` if `w·x + b ≥ 0`, else `0`.
///
/// ```text
/// w = [0.5, 0.5], b = −1:   x = [1, 1] → z = 0 → 1
///                           x = [0, 1] → z = −0.5 → 0
/// ```
///
/// Book: `book/src/lab02-perceptron.md#predicting`.
pub fn predict(w: &[f64], b: f64, x: &[f64]) -> f64 {
    let _ = (w, b, x);
    todo!()
}

/// One Rosenblatt update on the sample `(x, y)` with learning rate `eta`:
/// predict `ŷ`, then
///
/// ```text
/// w ← w + η·(y − ŷ)·x        b ← b + η·(y − ŷ)
/// ```
///
/// Returns the new weights and bias. A correct prediction (`y = ŷ`) changes
/// nothing; a false negative (`y = 1, ŷ = 0`) adds `η·x`, a false positive
/// subtracts it.
///
/// ```text
/// w = [0, 0], b = 0, x = [0, 0], y = 0, η = 0.1:
///   ŷ = 1 (z = 0) → w = [0, 0], b = −0.1
/// ```
///
/// Book: `book/src/lab02-perceptron.md#the-learning-rule`.
pub fn update(
    w: &[f64],
    b: f64,
    x: &[f64],
    y: f64,
    eta: f64,
) -> (Vec<f64>, f64) {
    let _ = (w, b, x, y, eta);
    todo!()
}

/// The outcome of [`train`].
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    /// The final weights.
    pub w: Vec<f64>,
    /// The final bias.
    pub b: f64,
    /// Epochs run, the last one included.
    pub epochs: usize,
    /// Misclassified samples in each epoch (one entry per epoch run).
    pub mistakes: Vec<usize>,
    /// Whether the last epoch made no mistake.
    pub converged: bool,
    /// The weights and bias after every sample visited, as rows
    /// `[w₁, …, wₙ, b]`.
    pub history: Vec<Vec<f64>>,
}

/// Trains a perceptron from zero weights and bias on the samples `x` (one per
/// row) with labels `y`, visiting the samples in row order, one [`update`] per
/// sample.
///
/// An epoch is one pass over all samples; a sample counts as a mistake when its
/// prediction, made just before its update, was wrong. Training stops after the
/// first epoch without a mistake (`converged = true`) or after `max_epochs`
/// epochs (`converged = false`: the data may not be linearly separable).
///
/// ```text
/// AND, η = 0.5, samples (0,0), (0,1), (1,0), (1,1):
///     6 epochs, mistakes [2, 3, 3, 2, 1, 0], converged, w = [1, 0.5], b = −1.5
/// ```
///
/// Book: `book/src/lab02-perceptron.md#training-until-no-mistakes`.
pub fn train(x: &Mat<f64>, y: &[f64], eta: f64, max_epochs: usize) -> Training {
    let _ = (x, y, eta, max_epochs);
    todo!()
}

/// The decision boundary `w₁x₁ + w₂x₂ + b = 0` of a two-input perceptron,
/// solved for `x₂` at each given `x₁`: `x₂ = −(w₁x₁ + b) / w₂`. Points above
/// the line (for `w₂ > 0`) are class 1.
///
/// `w₂` must not be 0 (the boundary would be the vertical line `x₁ = −b/w₁`).
///
/// ```text
/// w = [0.5, 0.5], b = −1, x₁ = [0, 2]  →  x₂ = [2, 0]
/// ```
///
/// Book: `book/src/lab02-perceptron.md#the-decision-boundary`.
pub fn decision_boundary(w: &[f64], b: f64, x1: &[f64]) -> Vec<f64> {
    let _ = (w, b, x1);
    todo!()
}

/// Two Gaussian clusters in the plane, the data set of the lecture's perceptron
/// picture.
///
/// Draws `n` samples of class 0 around `centre0` and then `n` of class 1 around
/// `centre1`, each coordinate `centre + std·N(0, 1)` from the generator
/// [`rng`]`(seed)` (use [`standard_normal`]). Returns the `2n × 2` sample
/// matrix (class 0 in the first `n` rows) and the `2n` labels.
///
/// ```text
/// n = 50, centres (−2, −2) and (2, 2), std 1
///   → 100 × 2 matrix, labels [0, …, 0, 1, …, 1]
/// ```
///
/// Book: `book/src/lab02-perceptron.md#two-gaussian-clusters`.
pub fn gaussian_clusters(
    n: usize,
    centre0: [f64; 2],
    centre1: [f64; 2],
    std: f64,
    seed: u64,
) -> (Mat<f64>, Vec<f64>) {
    let _ = (n, centre0, centre1, std, seed);
    todo!()
}
