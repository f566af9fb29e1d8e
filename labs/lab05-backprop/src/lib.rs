//! # Lab 05 — backpropagation
//!
//! Lab 03 ran a network forwards; lab 04 measured how wrong its output is.
//! Training needs the gradient of that loss with respect to every weight and
//! bias, and backpropagation gets all of them in one backward sweep: the chain
//! rule, applied layer by layer from the output to the input, reusing what the
//! forward pass cached. This lab writes the sweep piece by piece — the output
//! layer's error term, the hidden layers' error terms, the weight and bias
//! gradients — then whole, and checks it against the slow but simple answer:
//! finite differences.
//!
//! Read the chapter first: `book/src/lab05-backprop.md`. Fill in every function
//! whose body is `todo!`, then run `cargo test -p lab05-backprop` for the
//! public checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: **samples are rows** (`Z = A·W + b`, as in lab 03). The loss is
//! the **mean** over the n samples of the batch, so the 1/n of that mean lives
//! in the output layer's error term δ = ∂L/∂Z; every gradient computed from it
//! is then already averaged.

use faer::Mat;

// Code you are given (not graded, and not yours to change: the grader builds
// with its own copy).
mod given;
pub use given::*;

/// An activation function applied element-wise to a layer's pre-activations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `f(z) = z`: regression outputs.
    Identity,
    /// `1 / (1 + e^(−z))`.
    Sigmoid,
    /// `tanh(z)`.
    Tanh,
    /// `max(0, z)`.
    Relu,
}

/// One dense layer, as in lab 03.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// Weights, inputs × neurons (d×m).
    pub w: Mat<f64>,
    /// Bias, one row of m numbers.
    pub b: Mat<f64>,
    /// The activation applied after `A·W + b`.
    pub activation: Activation,
}

/// What the forward pass keeps: every `Z`, and every `A` with `a[0] = X` (as in
/// lab 03).
#[derive(Clone, Debug, PartialEq)]
pub struct Cache {
    /// The pre-activations of every layer, first layer first.
    pub z: Vec<Mat<f64>>,
    /// The input, then the activations of every layer.
    pub a: Vec<Mat<f64>>,
}

/// The loss a network is trained on, always the mean over the samples (rows).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loss {
    /// `(1/n)·Σᵢ Σₖ (Aᵢₖ − Yᵢₖ)²`: the squared error of every output, summed
    /// per sample and averaged over samples (with one output, the "average
    /// squared loss" of the documents).
    SquaredError,
    /// Binary cross-entropy `−(1/n)·Σᵢ Σₖ [Y·ln A + (1 − Y)·ln(1 − A)]`, for
    /// sigmoid outputs.
    CrossEntropy,
}

/// The gradients of one layer: the same shapes as its `w` and `b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    /// ∂J/∂W, d×m.
    pub dw: Mat<f64>,
    /// ∂J/∂b, 1×m.
    pub db: Mat<f64>,
}

/// The derivative `f′(Z)` of `activation`, element-wise, computed from the
/// **pre-activation** `z` (not from the output): σ′(z) = σ(z)·(1 − σ(z)),
/// tanh′(z) = 1 − tanh²(z), ReLU′(z) = 1 for z > 0 and 0 otherwise (also at 0),
/// identity′ = 1.
///
/// ```text
/// z = [[0.0, 2.0]], Sigmoid → [[0.25, 0.104994]]
/// z = [[0.65, −0.5, 0.0]], Relu → [[1, 0, 0]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#the-hidden-error-term`.
pub fn activation_derivative(z: &Mat<f64>, activation: Activation) -> Mat<f64> {
    let _ = (z, activation);
    todo!()
}

/// The error term of the output layer, `δ = ∂L/∂Z` for the mean loss over the n
/// rows, from the output's pre-activations `z`, its activations `a = f(z)` and
/// the targets `y` (all n×k):
///
/// - cross-entropy after a sigmoid: `(A − Y)/n` — the σ′ of the chain rule
///   cancels (lab 04);
/// - squared error: `2·(A − Y)/n ⊙ f′(Z)` — for an identity output, just
///   `2·(A − Y)/n`.
///
/// Cross-entropy is only defined here after a sigmoid output.
///
/// ```text
/// the 2-2-1 example: z = [[0.39]], a = [[0.596283]], y = [[1]],
/// Sigmoid, CrossEntropy → [[−0.403717]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#the-output-error-term`.
pub fn output_delta(
    z: &Mat<f64>,
    a: &Mat<f64>,
    y: &Mat<f64>,
    activation: Activation,
    loss: Loss,
) -> Mat<f64> {
    let _ = (z, a, y, activation, loss);
    todo!()
}

/// How the loss changes with the activations of the layer **below** a layer
/// with weights `w` (d×m) and error term `delta` (n×m): `∂L/∂A = δ·Wᵀ`, n×d.
/// The documents call it `da`.
///
/// ```text
/// the 2-2-1 example: δ2 = [[−0.403717]], W2 = [[0.6], [−0.4]]
///   → da1 = [[−0.242230, 0.161487]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#the-hidden-error-term`.
pub fn activation_grad(delta: &Mat<f64>, w: &Mat<f64>) -> Mat<f64> {
    let _ = (delta, w);
    todo!()
}

/// The error term of a hidden layer: `δ(l) = (δ(l+1)·W(l+1)ᵀ) ⊙ f′(Z(l))`, from
/// the error term `delta_next` and weights `w_next` of the layer above, and
/// this layer's pre-activations `z` and activation. The derivative is taken of
/// **this** layer's `Z`, not of the layer above.
///
/// ```text
/// the 2-2-1 example: δ2 = [[−0.403717]], W2 = [[0.6], [−0.4]],
/// z1 = [[0.65, 0.5]], Relu
///   → δ1 = [[−0.242230, 0.161487]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#the-hidden-error-term`.
pub fn hidden_delta(
    delta_next: &Mat<f64>,
    w_next: &Mat<f64>,
    z: &Mat<f64>,
    activation: Activation,
) -> Mat<f64> {
    let _ = (delta_next, w_next, z, activation);
    todo!()
}

/// The gradient of the loss with respect to a layer's weights:
/// `∂L/∂W = A(l−1)ᵀ·δ(l)`, d×m, from the layer's input `a_prev` (n×d) and its
/// error term `delta` (n×m). The product sums over the samples; the 1/n of the
/// mean is already inside δ.
///
/// ```text
/// the 2-2-1 example: a1 = [[0.65, 0.5]], δ2 = [[−0.403717]]
///   → dW2 = [[−0.262416], [−0.201859]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#gradients-of-the-weights-and-biases`.
pub fn weight_gradient(a_prev: &Mat<f64>, delta: &Mat<f64>) -> Mat<f64> {
    let _ = (a_prev, delta);
    todo!()
}

/// The gradient of the loss with respect to a layer's bias: the column sums of
/// `delta` (n×m) as a 1×m row — the bias is added to every sample, so its
/// gradient collects every sample's δ.
///
/// ```text
/// [[0.1, −0.2], [0.3, 0.4]] → [[0.4, 0.2]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#gradients-of-the-weights-and-biases`.
pub fn bias_gradient(delta: &Mat<f64>) -> Mat<f64> {
    let _ = delta;
    todo!()
}

/// The full backward pass: the gradients of `J = L + (λ/2)·Σ‖W‖²` for every
/// layer, first layer first, from the forward pass `cache` of `layers` on a
/// batch with targets `y`. Start with [`output_delta`] at the last layer, walk
/// down with [`hidden_delta`], and at each layer take [`weight_gradient`] plus
/// `λ·W` and [`bias_gradient`] (biases are not regularised). With `lambda = 0`
/// this is the plain gradient of the loss.
///
/// ```text
/// the 2-2-1 example (λ = 0):
///   dW1 = [[−0.242230, 0.161487], [−0.121115, 0.080743]],
///   db1 = [[−0.242230, 0.161487]],
///   dW2 = [[−0.262416], [−0.201859]], db2 = [[−0.403717]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#the-backward-pass`.
pub fn backward(
    layers: &[Layer],
    cache: &Cache,
    y: &Mat<f64>,
    loss: Loss,
    lambda: f64,
) -> Vec<Gradients> {
    let _ = (layers, cache, y, loss, lambda);
    todo!()
}

/// One step of gradient descent on every layer: `W ← W − lr·dW`,
/// `b ← b − lr·db`. Returns the new layers; activations are unchanged.
///
/// ```text
/// the 2-2-1 example, lr = 0.1: W2 [[0.6], [−0.4]] → [[0.626242], [−0.379814]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#one-step-of-gradient-descent`.
pub fn sgd_step(layers: &[Layer], grads: &[Gradients], lr: f64) -> Vec<Layer> {
    let _ = (layers, grads, lr);
    todo!()
}

/// The gradient of `f` at `at` by centred differences: for each element,
/// `(f(at + h·e) − f(at − h·e)) / (2h)`, where `e` is 1 at that element and 0
/// elsewhere. Its error shrinks like h² (one-sided differences only like h);
/// h = 1e−5 is the usual choice.
///
/// ```text
/// f(W) = Σ W³ at [[1, −2]], h = 1e−5 → ≈ [[3, 12]]
/// ```
///
/// Book: `book/src/lab05-backprop.md#checking-gradients-numerically`.
pub fn numerical_gradient(
    f: &dyn Fn(&Mat<f64>) -> f64,
    at: &Mat<f64>,
    h: f64,
) -> Mat<f64> {
    let _ = (f, at, h);
    todo!()
}

/// How far an analytic gradient is from a numerical one, on a scale that does
/// not depend on the gradient's size: `‖a − b‖ / (‖a‖ + ‖b‖)` with Frobenius
/// norms, and 0 when both are zero. Below about 1e−7 the two agree; above 1e−3
/// something is wrong.
///
/// ```text
/// a = [[1, 2]], b = [[1, 2.002]] → 0.002 / (√5 + √5.008) ≈ 4.47e−4
/// ```
///
/// Book: `book/src/lab05-backprop.md#checking-gradients-numerically`.
pub fn relative_error(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
    let _ = (a, b);
    todo!()
}

/// The homework question: for a network of sigmoid layers 2-3-1 trained on the
/// average squared loss `l = (1/n)·Σᵢ (o⁽ⁱ⁾ − y⁽ⁱ⁾)²`, the weight `w` from
/// input `feature` (0 for x₁, 1 for x₂) to the **second** hidden neuron after
/// one gradient-descent step with learning rate `alpha`, written in closed form
/// (no call to [`backward`]):
///
/// ```text
/// w ← w − α·(1/n)·Σᵢ 2·(o⁽ⁱ⁾ − y⁽ⁱ⁾)·o⁽ⁱ⁾(1 − o⁽ⁱ⁾)
///               ·w₂⁽²⁾·h₂⁽ⁱ⁾(1 − h₂⁽ⁱ⁾)·x_feature⁽ⁱ⁾
/// ```
///
/// where `h₂` is the second hidden activation and `w₂⁽²⁾` the weight from it to
/// the output. In the samples-as-rows layout that weight is
/// `layers[0].w[(feature, 1)]`, and `w₂⁽²⁾` is `layers[1].w[(1, 0)]`; `y` holds
/// one target per row of `x`.
///
/// Book: `book/src/lab05-backprop.md#the-homework-question-by-hand`.
pub fn homework_update(
    x: &Mat<f64>,
    y: &[f64],
    layers: &[Layer],
    feature: usize,
    alpha: f64,
) -> f64 {
    let _ = (x, y, layers, feature, alpha);
    todo!()
}
