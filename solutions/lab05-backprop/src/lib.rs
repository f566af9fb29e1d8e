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
    Mat::from_fn(z.nrows(), z.ncols(), |i, j| {
        let z = z[(i, j)];
        match activation {
            Activation::Identity => 1.0,
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + (-z).exp());
                s * (1.0 - s)
            }
            Activation::Tanh => 1.0 - z.tanh().powi(2),
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    })
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
    let n = a.nrows() as f64;
    match loss {
        Loss::CrossEntropy => {
            assert_eq!(
                activation,
                Activation::Sigmoid,
                "cross-entropy is paired with a sigmoid output"
            );
            Mat::from_fn(a.nrows(), a.ncols(), |i, k| {
                (a[(i, k)] - y[(i, k)]) / n
            })
        }
        Loss::SquaredError => Mat::from_fn(a.nrows(), a.ncols(), |i, k| {
            2.0 * (a[(i, k)] - y[(i, k)]) / n
                * derivative_from_output(z[(i, k)], a[(i, k)], activation)
        }),
    }
}

/// [`activation_derivative`] at one element `z`, read off its activation
/// `a = f(z)` where that is exact: σ′ = a·(1 − a), tanh′ = 1 − a², ReLU′ = [z >
/// 0], the same numbers without computing f again. Training spends much of its
/// time in `exp` and in allocating small matrices; this saves both.
fn derivative_from_output(z: f64, a: f64, activation: Activation) -> f64 {
    match activation {
        Activation::Identity => 1.0,
        Activation::Sigmoid => a * (1.0 - a),
        Activation::Tanh => 1.0 - a.powi(2),
        Activation::Relu => {
            if z > 0.0 {
                1.0
            } else {
                0.0
            }
        }
    }
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
    // Column j of the product gathers wⱼₖ times column k of δ, summed in the
    // order of k: the loops run over contiguous numbers (faer stores matrices
    // by column).
    let mut da = Mat::<f64>::zeros(delta.nrows(), w.nrows());
    for j in 0..w.nrows() {
        add_products(
            da.col_as_slice_mut(j),
            (0..w.ncols()).map(|k| (delta.col_as_slice(k), w[(j, k)])),
        );
    }
    da
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
    let da = activation_grad(delta_next, w_next);
    let fz = activation_derivative(z, activation);
    Mat::from_fn(da.nrows(), da.ncols(), |i, j| da[(i, j)] * fz[(i, j)])
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
    let (n, d, m) = (a_prev.nrows(), a_prev.ncols(), delta.ncols());
    if n * d <= 16 {
        // Small enough that copying A would cost more than it saves (XOR's
        // layers).
        return Mat::from_fn(d, m, |i, j| {
            a_prev
                .col_as_slice(i)
                .iter()
                .zip(delta.col_as_slice(j))
                .map(|(a, d)| a * d)
                .sum()
        });
    }
    // Column j of the product gathers δₖⱼ times row k of A, summed in the order
    // of the samples k; A is copied by rows first, so that the loops run over
    // contiguous numbers.
    let mut rows = Vec::with_capacity(n * d);
    for k in 0..n {
        rows.extend((0..d).map(|i| a_prev[(k, i)]));
    }
    let mut dw = Mat::<f64>::zeros(d, m);
    for j in 0..m {
        let terms =
            rows.chunks_exact(d).zip(delta.col_as_slice(j).iter().copied());
        add_products(dw.col_as_slice_mut(j), terms);
    }
    dw
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
    Mat::from_fn(1, delta.ncols(), |_, j| delta.col_as_slice(j).iter().sum())
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
    let last = layers.len() - 1;
    let mut grads = Vec::with_capacity(layers.len());
    let mut delta = output_delta(
        &cache.z[last],
        &cache.a[last + 1],
        y,
        layers[last].activation,
        loss,
    );
    for l in (0..layers.len()).rev() {
        let w = &layers[l].w;
        let mut dw = weight_gradient(&cache.a[l], &delta);
        if lambda != 0.0 {
            dw += w * faer::Scale(lambda);
        }
        let db = bias_gradient(&delta);
        if l > 0 {
            // hidden_delta, with f′ read off the cached activations.
            delta = activation_grad(&delta, w);
            let (z, a, f) =
                (&cache.z[l - 1], &cache.a[l], layers[l - 1].activation);
            for j in 0..delta.ncols() {
                let column = delta.col_as_slice_mut(j).iter_mut();
                for ((d, z), a) in
                    column.zip(z.col_as_slice(j)).zip(a.col_as_slice(j))
                {
                    *d *= derivative_from_output(*z, *a, f);
                }
            }
        }
        grads.push(Gradients { dw, db });
    }
    grads.reverse();
    grads
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
    let step = |p: &Mat<f64>, g: &Mat<f64>| {
        Mat::from_fn(p.nrows(), p.ncols(), |i, j| p[(i, j)] - lr * g[(i, j)])
    };
    layers
        .iter()
        .zip(grads)
        .map(|(layer, g)| Layer {
            w: step(&layer.w, &g.dw),
            b: step(&layer.b, &g.db),
            activation: layer.activation,
        })
        .collect()
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
    let mut probe = at.clone();
    Mat::from_fn(at.nrows(), at.ncols(), |i, j| {
        let original = probe[(i, j)];
        probe[(i, j)] = original + h;
        let up = f(&probe);
        probe[(i, j)] = original - h;
        let down = f(&probe);
        probe[(i, j)] = original;
        (up - down) / (2.0 * h)
    })
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
    let norm = |m: &Mat<f64>| m.norm_l2();
    let diff = Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] - b[(i, j)]);
    let scale = norm(a) + norm(b);
    if scale == 0.0 { 0.0 } else { norm(&diff) / scale }
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
    let cache = forward(x, layers);
    let (h, o) = (&cache.a[1], &cache.a[2]);
    let w2 = layers[1].w[(1, 0)];
    let n = x.nrows() as f64;
    let grad: f64 = (0..x.nrows())
        .map(|i| {
            let (o, h2) = (o[(i, 0)], h[(i, 1)]);
            2.0 * (o - y[i])
                * o
                * (1.0 - o)
                * w2
                * h2
                * (1.0 - h2)
                * x[(i, feature)]
        })
        .sum::<f64>()
        / n;
    layers[0].w[(feature, 1)] - alpha * grad
}
