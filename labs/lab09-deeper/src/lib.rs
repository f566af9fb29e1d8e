//! # Lab 09 — going deeper
//!
//! Four ideas the earlier labs leave open. Before Rosenblatt's perceptron there
//! was McCulloch and Pitts' threshold unit (1943): no learning at all, but two
//! layers of it compute XOR, which lab 02's single perceptron cannot. The
//! cross-entropies of lab 04 are not arbitrary: they are the negative
//! log-likelihood of a Bernoulli or categorical model, and their gradient with
//! respect to the logits is the prediction minus the target. Deep plain
//! networks stall because the gradient shrinks layer by layer (lab 08); a
//! residual block `y = x + f(x·W + b)` gives it a path that skips the layer,
//! and a deep network of them trains. Last, successive halving — the inner loop
//! of Hyperband — searches hyper-parameters by giving most of the budget to the
//! configurations that look best early.
//!
//! Read the chapter first: `book/src/lab09-deeper.md`. Fill in every function
//! whose body is `todo!`, then run `cargo test -p lab09-deeper` for the public
//! checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: samples are rows; layers, activations and losses are lab 05's;
//! training is lab 07's. Binary inputs and outputs of threshold units are the
//! numbers 0 and 1.

use faer::Mat;

pub use lab05_backprop::{
    Activation, Gradients, Layer, Loss, activate, activation_derivative,
    bias_gradient, forward, loss_value, numerical_gradient, weight_gradient,
};
pub use lab06_optimizers::{Adam, Optimizer, Sgd};
pub use lab07_training::{
    Dataset, Standardizer, TrainConfig, fit_standardizer, flatten,
    flatten_gradients, init_network, logic_gate, minibatches, predict_classes,
    standardize, train, unflatten,
};

// Code you are given (not graded, and not yours to change: the grader builds
// with its own copy).
mod given;
pub use given::*;

/// The smallest probability a likelihood takes, as lab 04 clips: `ln 0` would
/// be `−inf`.
pub const EPSILON: f64 = 1e-7;

/// What [`residual_backward`] returns: the gradient of the loss with respect to
/// the block's input, its weights and its bias.
#[derive(Clone, Debug, PartialEq)]
pub struct ResidualGradients {
    /// ∂L/∂x, n×d: through the layer and straight through the skip.
    pub dx: Mat<f64>,
    /// ∂L/∂W, d×d.
    pub dw: Mat<f64>,
    /// ∂L/∂b, 1×d.
    pub db: Mat<f64>,
}

/// A deep network with skip connections: an input layer, residual blocks
/// `h + f(h·W + b)` of one width, and an output layer (see the given
/// [`predict`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ResidualModel {
    /// Applied to every input first.
    pub standardizer: Standardizer,
    /// From the features to the blocks' width.
    pub input: Layer,
    /// Each `W` square: a block keeps the width.
    pub blocks: Vec<Layer>,
    /// From the width to the output.
    pub output: Layer,
}

/// McCulloch and Pitts' threshold unit: 1 when no inhibitory input is active
/// and the weighted sum of the excitatory inputs `Σ wᵢ·xᵢ` reaches `threshold`,
/// else 0. Inputs are 0 or 1, the weights are not negative; one active
/// inhibitory input silences the unit whatever the sum (absolute inhibition).
///
/// ```text
/// x = [1, 1], weights = [1, 1], inhibitory = [],  threshold = 2 → 1 (AND)
/// x = [1, 1], weights = [1, 1], inhibitory = [1], threshold = 1 → 0 (vetoed)
/// ```
///
/// Book: `book/src/lab09-deeper.md#the-threshold-unit`.
pub fn mcp_unit(
    x: &[f64],
    weights: &[f64],
    inhibitory: &[f64],
    threshold: f64,
) -> f64 {
    let _ = (x, weights, inhibitory, threshold);
    todo!()
}

/// XOR from threshold units in two layers: one unit fires for "x₁ and not x₂"
/// (x₂ inhibits it), one for "x₂ and not x₁", and an OR unit (threshold 1)
/// joins them. All thresholds 1, all weights 1.
///
/// ```text
/// (0, 0) → 0   (0, 1) → 1   (1, 0) → 1   (1, 1) → 0
/// ```
///
/// Book: `book/src/lab09-deeper.md#xor-in-two-layers`.
pub fn mcp_xor(x1: f64, x2: f64) -> f64 {
    let _ = (x1, x2);
    todo!()
}

/// The mean negative log-likelihood of labels `y` (0 or 1) under a Bernoulli
/// model that gives each sample probability `pᵢ` of label 1:
/// `−(1/n)·Σ ln(pᵢ^yᵢ·(1 − pᵢ)^(1−yᵢ))`
/// `= −(1/n)·Σ [yᵢ·ln pᵢ + (1 − yᵢ)·ln(1 − pᵢ)]`, each `pᵢ` clipped to
/// `[ε, 1 − ε]` first — lab 04's binary cross-entropy, term for term.
///
/// ```text
/// p = [0.9, 0.2], y = [1, 0]  →  −(ln 0.9 + ln 0.8)/2 ≈ 0.164252
/// ```
///
/// Book: `book/src/lab09-deeper.md#the-likelihood-behind-the-losses`.
pub fn bernoulli_nll(p: &[f64], y: &[f64]) -> f64 {
    let _ = (p, y);
    todo!()
}

/// The mean negative log-likelihood of class labels under a categorical model:
/// row i of `probs` (n×K, rows summing to 1) gives the probabilities of the K
/// classes, and only the probability of the observed class `labels[i]` counts:
/// `−(1/n)·Σ ln Pᵢ,labels[i]`, clipped to `[ε, 1 − ε]` — lab 04's categorical
/// cross-entropy with one-hot targets.
///
/// ```text
/// probs = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]], labels = [0, 2]
///   → −(ln 0.7 + ln 0.4)/2 ≈ 0.636483
/// ```
///
/// Book: `book/src/lab09-deeper.md#the-likelihood-behind-the-losses`.
pub fn categorical_nll(probs: &Mat<f64>, labels: &[usize]) -> f64 {
    let _ = (probs, labels);
    todo!()
}

/// The gradient of the mean categorical negative log-likelihood of
/// `softmax(logits)` with respect to the logits (n×K): `(softmax(Zᵢ) − Yᵢ)/n`
/// row by row, Y the one-hot labels. The softmax subtracts each row's largest
/// logit first, so that large logits do not overflow.
///
/// ```text
/// logits = [[2, 1, 0]], labels = [0]  →  [[−0.334759, 0.244728, 0.090031]]
/// ```
///
/// Book: `book/src/lab09-deeper.md#the-gradient-with-respect-to-the-logits`.
pub fn nll_logit_gradient(logits: &Mat<f64>, labels: &[usize]) -> Mat<f64> {
    let _ = (logits, labels);
    todo!()
}

/// A residual block: `y = x + f(x·W + b)` for a batch `x` (n×d), a square `W`
/// (d×d) and a bias `b` (1×d). The block learns what to add to its input, so
/// that doing nothing (`f(…) = 0`) is easy and the input always reaches the
/// output.
///
/// ```text
/// x = [[1, −1]], W = [[0.5, 0], [0, 0.5]], b = [[0, 0]], ReLU  →  [[1.5, −1]]
/// ```
///
/// Book: `book/src/lab09-deeper.md#the-residual-block`.
pub fn residual_forward(
    x: &Mat<f64>,
    w: &Mat<f64>,
    b: &Mat<f64>,
    activation: Activation,
) -> Mat<f64> {
    let _ = (x, w, b, activation);
    todo!()
}

/// The backward pass of [`residual_forward`]: given `dy = ∂L/∂y` (n×d), with
/// `Z = x·W + b` and `dZ = dy ⊙ f′(Z)`, the gradients are `dW = xᵀ·dZ`, `db`
/// the column sums of `dZ`, and `dx = dy + dZ·Wᵀ` — the skip passes `dy` to the
/// input unchanged, whatever `f′` does.
///
/// ```text
/// x = [[1, −1]], W = [[0.5, 0], [0, 0.5]], b = [[0, 0]], ReLU, dy = [[1, 1]]
///   → dx = [[1.5, 1]], dW = [[1, 0], [−1, 0]], db = [[1, 0]]
/// ```
///
/// Book: `book/src/lab09-deeper.md#the-residual-block`.
pub fn residual_backward(
    x: &Mat<f64>,
    w: &Mat<f64>,
    b: &Mat<f64>,
    activation: Activation,
    dy: &Mat<f64>,
) -> ResidualGradients {
    let _ = (x, w, b, activation, dy);
    todo!()
}

/// How much gradient reaches each layer of a deep network of one width, first
/// layer first: the layers are `hₗ₊₁ = f(hₗ·Wₗ)` (plain) or
/// `hₗ₊₁ = hₗ + f(hₗ·Wₗ)` (`residual`), without biases, from `h₀ = x` (n×d);
/// the loss is the sum of the top layer's outputs divided by `√(n·d)`, so that
/// the gradient arriving at the top has norm 1; entry l is the Frobenius norm
/// `‖∂L/∂hₗ‖` of the gradient at layer l's input. Going down, a plain layer
/// multiplies the gradient by `diag(f′)·Wᵀ` — with a sigmoid, whose slope is at
/// most 1/4, it shrinks layer after layer — and a residual layer by
/// `I + diag(f′)·Wᵀ`, whose identity carries it down whole.
///
/// ```text
/// x = [[1, 0]], W₁ = W₂ = [[0.5, 0], [0, 0.5]], identity
///   plain    → [0.25, 0.5]
///   residual → [2.25, 1.5]
/// ```
///
/// Book: `book/src/lab09-deeper.md#gradients-through-depth`.
pub fn gradient_norms(
    x: &Mat<f64>,
    weights: &[Mat<f64>],
    activation: Activation,
    residual: bool,
) -> Vec<f64> {
    let _ = (x, weights, activation, residual);
    todo!()
}

/// Successive halving, the inner loop of Hyperband: `curves[c][r − 1]` is
/// configuration c's validation loss after r units of budget (epochs); every
/// curve has at least L points. Each round records the configurations still
/// running, in index order; when only one is left, it has won and the rounds
/// end. Otherwise they are ranked by their loss at this round's budget b =
/// min(r, L) — `curves[c][b − 1]`, the lower index first on a tie — where r
/// starts at `min_resource`. If b = L (the curves end here), only the best goes
/// on; otherwise the best max(1, ⌊m/η⌋) of the m do, and the next round's
/// budget is r = b·η.
///
/// ```text
/// curves = [[5, 4, 3, 2], [4, 3, 2, 1], [6, 5, 4, 0.5], [3, 3, 3, 3]],
/// min_resource 1, η 2
///   → [[0, 1, 2, 3], [1, 3], [1]]
/// ```
///
/// Book: `book/src/lab09-deeper.md#successive-halving`.
pub fn successive_halving(
    curves: &[Vec<f64>],
    min_resource: usize,
    eta: usize,
) -> Vec<Vec<usize>> {
    let _ = (curves, min_resource, eta);
    todo!()
}

/// Picks the learning rate of lab 07's XOR network by [`successive_halving`]:
/// for each rate, the documents' 2-4-1 sigmoid network (`init_network` with
/// `seed`) trained on XOR with full-batch gradient descent on the squared error
/// (lab 07's `train`, `Sgd` with that rate) for `max_epochs`; the losses
/// `train` returns, one per epoch, are the rate's curve. Halving from
/// `min_epochs` with `eta`. Training is deterministic, so training each rate
/// once for `max_epochs` gives every loss the search asks for (a real search
/// trains only the survivors further).
///
/// ```text
/// rates = [0.01, 0.1, 0.5, 2, 8], min_epochs 125, max_epochs 2000, η 2,
/// seed 42 → 8
/// ```
///
/// Book: `book/src/lab09-deeper.md#successive-halving`.
pub fn pick_learning_rate(
    rates: &[f64],
    min_epochs: usize,
    max_epochs: usize,
    eta: usize,
    seed: u64,
) -> f64 {
    let _ = (rates, min_epochs, max_epochs, eta, seed);
    todo!()
}

/// The residual blocks of [`fit_deep_moons`].
pub const DEEP_BLOCKS: usize = 16;
/// The width of [`fit_deep_moons`]'s blocks.
pub const DEEP_WIDTH: usize = 4;
/// The epochs [`fit_deep_moons`] trains for.
pub const DEEP_EPOCHS: usize = 60;

/// A deep network on two moons that trains because of its skip connections:
/// [`DEEP_BLOCKS`] residual blocks of [`DEEP_WIDTH`] sigmoid units between a
/// 2→[`DEEP_WIDTH`] sigmoid input layer and a sigmoid output unit — the layers
/// of `init_network(&[2, w, w, …, w, 1], Sigmoid, Sigmoid, seed)` with w =
/// [`DEEP_WIDTH`] repeated `DEEP_BLOCKS + 1` times, biases 0 — on standardized
/// inputs, with cross-entropy, Adam (lr 0.01, β₁ 0.9, β₂ 0.999, ε 1e−8) and
/// mini-batches of 32 (lab 07's `minibatches` with `seed + epoch`) for
/// [`DEEP_EPOCHS`] epochs. The same network without the skips stays near chance
/// (about 0.5). Graded by test accuracy: at least 0.75.
///
/// Book: `book/src/lab09-deeper.md#experiment-a-deep-network-on-two-moons`.
pub fn fit_deep_moons(data: &Dataset, seed: u64) -> ResidualModel {
    let _ = (data, seed);
    todo!()
}
