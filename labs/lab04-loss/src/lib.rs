//! # Lab 04 — loss functions
//!
//! Training needs one number that says how wrong the network is — the loss —
//! and its gradient, which says how to change the outputs to make it smaller.
//! This lab writes the losses of the course: mean squared error for regression,
//! binary and categorical cross-entropy for classification, their gradients,
//! the shortcuts that appear when cross-entropy follows sigmoid or softmax, the
//! L2 penalty on the weights, and accuracy.
//!
//! Read the chapter first: `book/src/lab04-loss.md`. Fill in every function
//! whose body is `todo!`, then run `cargo test -p lab04-loss` for the public
//! checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: every loss is the **mean** over the n samples, so every
//! gradient carries a factor 1/n. Probabilities are clipped to
//! `[EPSILON, 1 − EPSILON]` before a logarithm or a division. Matrices hold one
//! sample per row.

use faer::Mat;

/// How far probabilities are kept from 0 and 1 before `ln` (the value the
/// lecture notes use).
pub const EPSILON: f64 = 1e-7;

/// Mean squared error `(1/n)·Σ (ŷᵢ − yᵢ)²` of predictions `pred` against
/// targets `target`.
///
/// ```text
/// pred = [0.9, 0.1, 0.8, 0.3], target = [1, 0, 1, 0]
///   → (0.01 + 0.01 + 0.04 + 0.09)/4 = 0.0375
/// ```
///
/// Book: `book/src/lab04-loss.md#mean-squared-error`.
pub fn mse(pred: &[f64], target: &[f64]) -> f64 {
    let _ = (pred, target);
    todo!()
}

/// The gradient of [`mse`] with respect to each prediction: `2·(ŷᵢ − yᵢ)/n`.
///
/// ```text
/// pred = [0.9, 0.1], target = [1, 0]  →  [2·(−0.1)/2, 2·0.1/2] = [−0.1, 0.1]
/// ```
///
/// Book: `book/src/lab04-loss.md#mean-squared-error`.
pub fn mse_grad(pred: &[f64], target: &[f64]) -> Vec<f64> {
    let _ = (pred, target);
    todo!()
}

/// Binary cross-entropy `−(1/n)·Σ [yᵢ·ln pᵢ + (1 − yᵢ)·ln(1 − pᵢ)]` of
/// predicted probabilities `pred` against labels `target` (0 or 1), each `pᵢ`
/// first clipped to `[EPSILON, 1 − EPSILON]` so that a confident wrong answer
/// costs a large finite amount instead of `inf`.
///
/// ```text
/// pred = [0.9, 0.1, 0.8, 0.3], target = [1, 0, 1, 0]  →  ≈ 0.197635
/// pred = [0.0], target = [1]  →  −ln(1e−7) ≈ 16.118
/// ```
///
/// Book: `book/src/lab04-loss.md#binary-cross-entropy`.
pub fn bce(pred: &[f64], target: &[f64]) -> f64 {
    let _ = (pred, target);
    todo!()
}

/// The gradient of [`bce`] with respect to each prediction:
/// `(pᵢ − yᵢ) / (pᵢ·(1 − pᵢ)) / n`, with `pᵢ` clipped as in [`bce`].
///
/// ```text
/// pred = [0.01], target = [1]  →  (0.01 − 1)/(0.01·0.99) = −100
/// ```
///
/// Book: `book/src/lab04-loss.md#binary-cross-entropy`.
pub fn bce_grad(pred: &[f64], target: &[f64]) -> Vec<f64> {
    let _ = (pred, target);
    todo!()
}

/// The one-hot matrix of class labels: row i has a 1 in column `labels[i]` and
/// 0 elsewhere; `classes` columns.
///
/// ```text
/// labels = [2, 0], classes = 3  →  [[0, 0, 1], [1, 0, 0]]
/// ```
///
/// Book: `book/src/lab04-loss.md#categorical-cross-entropy`.
pub fn one_hot(labels: &[usize], classes: usize) -> Mat<f64> {
    let _ = (labels, classes);
    todo!()
}

/// Categorical cross-entropy `−(1/n)·Σᵢ Σₖ Yᵢₖ·ln Pᵢₖ` of predicted class
/// probabilities `probs` (n×K, rows summing to 1) against one-hot targets
/// `onehot` (n×K), with probabilities clipped to `[EPSILON, 1 − EPSILON]`. Only
/// the probability of each sample's true class counts.
///
/// ```text
/// probs = [[0.659, 0.242, 0.099]], onehot = [[1, 0, 0]]  →  −ln 0.659 ≈ 0.417
/// ```
///
/// Book: `book/src/lab04-loss.md#categorical-cross-entropy`.
pub fn categorical_ce(probs: &Mat<f64>, onehot: &Mat<f64>) -> f64 {
    let _ = (probs, onehot);
    todo!()
}

/// The gradient of [`categorical_ce`] with respect to each probability:
/// `−Yᵢₖ / Pᵢₖ / n` (with `Pᵢₖ` clipped), an n×K matrix that is zero outside
/// the true classes.
///
/// Book: `book/src/lab04-loss.md#categorical-cross-entropy`.
pub fn categorical_ce_grad(probs: &Mat<f64>, onehot: &Mat<f64>) -> Mat<f64> {
    let _ = (probs, onehot);
    todo!()
}

/// The gradient of the mean binary cross-entropy with respect to the
/// **pre-activations** z of a sigmoid output, `a = σ(z)`: the chain rule
/// collapses `bce_grad · σ′` to `(aᵢ − yᵢ)/n`.
///
/// ```text
/// a = [0.596283], y = [1]  →  [−0.403717]
/// (the lecture's dz2 = a2 − y for one sample)
/// ```
///
/// Book: `book/src/lab04-loss.md#the-shortcuts`.
pub fn sigmoid_bce_delta(a: &[f64], target: &[f64]) -> Vec<f64> {
    let _ = (a, target);
    todo!()
}

/// The gradient of the mean categorical cross-entropy with respect to the
/// **logits** of a softmax output, `P = softmax(Z)` row by row: `(P − Y)/n`.
/// The softmax Jacobian of lab 01 cancels out.
///
/// Book: `book/src/lab04-loss.md#the-shortcuts`.
pub fn softmax_ce_delta(probs: &Mat<f64>, onehot: &Mat<f64>) -> Mat<f64> {
    let _ = (probs, onehot);
    todo!()
}

/// The L2 penalty `s = (λ/2)·Σₗ ‖W⁽ˡ⁾‖²`: half of λ times the sum of the
/// squares of every weight of every layer (biases are not penalised).
///
/// ```text
/// weights = [[[1, 2]], [[3]]], λ = 0.1  →  0.05·(1 + 4 + 9) = 0.7
/// ```
///
/// Book: `book/src/lab04-loss.md#the-l2-penalty`.
pub fn l2_penalty(weights: &[Mat<f64>], lambda: f64) -> f64 {
    let _ = (weights, lambda);
    todo!()
}

/// The gradient of [`l2_penalty`] with respect to one weight matrix: `λ·W`.
///
/// Book: `book/src/lab04-loss.md#the-l2-penalty`.
pub fn l2_grad(w: &Mat<f64>, lambda: f64) -> Mat<f64> {
    let _ = (w, lambda);
    todo!()
}

/// The regularised loss `J = L + s` of a data loss `loss` and the L2 penalty of
/// `weights`.
///
/// Book: `book/src/lab04-loss.md#the-l2-penalty`.
pub fn regularised_loss(loss: f64, weights: &[Mat<f64>], lambda: f64) -> f64 {
    let _ = (loss, weights, lambda);
    todo!()
}

/// The fraction of predictions equal to their labels, between 0 and 1.
///
/// ```text
/// predicted = [1, 0, 1, 1], labels = [1, 0, 0, 1]  →  0.75
/// ```
///
/// Book: `book/src/lab04-loss.md#accuracy`.
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    let _ = (predicted, labels);
    todo!()
}
