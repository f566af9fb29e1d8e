//! # Lab 01 — the artificial neuron
//!
//! A neuron takes inputs `x₁ … xₙ`, weighs each by `wᵢ`, adds a bias `b` and
//! passes the pre-activation `z = Σᵢ wᵢxᵢ + b` through an activation function
//! `a = f(z)`. This lab builds the weighted sum, the activation functions of
//! the course, their derivatives (backpropagation in lab 05 needs them) and the
//! numerically stable forms that keep large inputs from turning into `inf` and
//! `NaN`.
//!
//! Read the chapter first: `book/src/lab01-neuron.md`. Fill in every function
//! whose body is `todo!`, then run `cargo test -p lab01-neuron` for the public
//! checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: ReLU′(0) = 0 and leaky ReLU′(0) = α (the left derivative); the
//! sigmoid derivative comes in two forms, from the pre-activation `z` and from
//! the output `a`.

use faer::Mat;

/// The pre-activation of one neuron: `z = w·x + b = w₁x₁ + … + wₙxₙ + b`.
///
/// `x` (the inputs) and `w` (one weight per input) have the same length `n`;
/// `b` is the bias.
///
/// ```text
/// x = [1, 2, 3], w = [0.2, 0.8, −0.5], b = 2
///   → z = 0.2 + 1.6 − 1.5 + 2 = 2.3
/// ```
///
/// Book: `book/src/lab01-neuron.md#the-weighted-sum`.
pub fn weighted_sum(x: &[f64], w: &[f64], b: f64) -> f64 {
    let _ = (x, w, b);
    todo!()
}

/// The step (threshold) activation of Rosenblatt's perceptron: `1` if `z ≥ 0`,
/// else `0`.
///
/// ```text
/// step(−0.5) = 0    step(0) = 1    step(2.3) = 1
/// ```
///
/// Book: `book/src/lab01-neuron.md#step`.
pub fn step(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The logistic sigmoid `σ(z) = 1 / (1 + e^(−z))`, with values in (0, 1).
///
/// Must stay finite and accurate for any `z`, including ±1000: `e^(−z)`
/// overflows to `inf` for `z < −709`. For negative `z` use the equal form
/// `e^z / (1 + e^z)`, whose exponent is ≤ 0.
///
/// ```text
/// σ(0) = 0.5    σ(2.3) ≈ 0.908877    σ(−2) ≈ 0.119203
/// σ(−1000) ≈ 0 (not NaN)
/// ```
///
/// Book: `book/src/lab01-neuron.md#sigmoid`.
pub fn sigmoid(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The hyperbolic tangent `tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))`, with
/// values in (−1, 1).
///
/// The quotient as written is `inf/inf = NaN` for large `|z|`; `f64::tanh`, or
/// `2σ(2z) − 1` with a stable σ, is not.
///
/// ```text
/// tanh(0) = 0    tanh(2.3) ≈ 0.980096    tanh(−2) ≈ −0.964028
/// ```
///
/// Book: `book/src/lab01-neuron.md#tanh`.
pub fn tanh(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The rectified linear unit `ReLU(z) = max(0, z)`.
///
/// ```text
/// relu(2.3) = 2.3    relu(−2) = 0
/// ```
///
/// Book: `book/src/lab01-neuron.md#relu-and-leaky-relu`.
pub fn relu(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// Leaky ReLU with slope `alpha` for negative inputs: `z` if `z > 0`, else
/// `alpha·z`.
///
/// The documents use `alpha = 0.01`.
///
/// ```text
/// leaky_relu(3, 0.01) = 3    leaky_relu(−3, 0.01) = −0.03
/// ```
///
/// Book: `book/src/lab01-neuron.md#relu-and-leaky-relu`.
pub fn leaky_relu(z: f64, alpha: f64) -> f64 {
    let _ = (z, alpha);
    todo!()
}

/// Softmax of a vector of scores (logits): `pᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)`. The
/// result has the length of `z`, positive entries, and sums to 1.
///
/// Must work for logits like `[1000, 1001]`, where `e^1000` is `inf`: softmax
/// does not change when the same constant is subtracted from every `zᵢ`, so
/// subtract `max(z)` first.
///
/// ```text
/// softmax([2, 1, 0.1]) ≈ [0.659001, 0.242433, 0.098566]
/// softmax([1000, 1001]) ≈ [0.268941, 0.731059]
/// ```
///
/// Book: `book/src/lab01-neuron.md#softmax`.
pub fn softmax(z: &[f64]) -> Vec<f64> {
    let _ = z;
    todo!()
}

/// The derivative of [`step`]: 0 wherever it exists (everywhere but `z = 0`,
/// where nnlab also says 0). A zero gradient is why the perceptron cannot be
/// trained by gradient descent.
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn step_prime(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The derivative of the sigmoid from the **pre-activation** `z`:
/// `σ′(z) = σ(z)·(1 − σ(z))`.
///
/// Its largest value is `σ′(0) = 0.25`. Like [`sigmoid`], it must be finite for
/// `z = ±1000` (`e^(−z) / (1 + e^(−z))²` is `inf/inf` there).
///
/// ```text
/// σ′(0) = 0.25    σ′(1) = σ′(−1) ≈ 0.196612    σ′(3) ≈ 0.045177
/// ```
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn sigmoid_prime(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The derivative of the sigmoid from its **output** `a = σ(z)`: `a·(1 − a)`.
///
/// Backpropagation code often keeps `a` rather than `z`; this form saves
/// recomputing σ. Passing `z` here instead of `a` is the most common bug of
/// lab 05.
///
/// ```text
/// a = 0.5 → 0.25    a = σ(1) ≈ 0.731059 → ≈ 0.196612
/// ```
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn sigmoid_prime_from_output(a: f64) -> f64 {
    let _ = a;
    todo!()
}

/// The derivative of tanh: `tanh′(z) = 1 − tanh²(z)`, largest (1) at `z = 0`.
///
/// ```text
/// tanh′(0) = 1    tanh′(1) ≈ 0.419974
/// ```
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn tanh_prime(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The derivative of ReLU: 1 for `z > 0`, 0 for `z ≤ 0` (nnlab takes the left
/// derivative at 0).
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn relu_prime(z: f64) -> f64 {
    let _ = z;
    todo!()
}

/// The derivative of leaky ReLU: 1 for `z > 0`, `alpha` for `z ≤ 0`.
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn leaky_relu_prime(z: f64, alpha: f64) -> f64 {
    let _ = (z, alpha);
    todo!()
}

/// The Jacobian of softmax, an n×n matrix: `J[i][j] = ∂pᵢ/∂zⱼ = pᵢ·(δᵢⱼ − pⱼ)`
/// where `p = softmax(z)` and `δᵢⱼ` is 1 on the diagonal, 0 elsewhere.
/// Symmetric; every row sums to 0.
///
/// Build it with `Mat::from_fn(n, n, |i, j| …)` (faer). Lab 04 shows why
/// cross-entropy after softmax never needs it: the product collapses to
/// `p − y`.
///
/// ```text
/// z = [0, 0]  →  p = [0.5, 0.5]  →  J = [[0.25, −0.25], [−0.25, 0.25]]
/// ```
///
/// Book: `book/src/lab01-neuron.md#derivatives`.
pub fn softmax_jacobian(z: &[f64]) -> Mat<f64> {
    let _ = z;
    todo!()
}
