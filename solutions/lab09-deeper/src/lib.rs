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
    assert_eq!(x.len(), weights.len(), "one weight per excitatory input");
    if inhibitory.iter().any(|&i| i > 0.0) {
        return 0.0;
    }
    let total: f64 = x.iter().zip(weights).map(|(x, w)| x * w).sum();
    if total >= threshold { 1.0 } else { 0.0 }
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
    let only_first = mcp_unit(&[x1], &[1.0], &[x2], 1.0);
    let only_second = mcp_unit(&[x2], &[1.0], &[x1], 1.0);
    mcp_unit(&[only_first, only_second], &[1.0, 1.0], &[], 1.0)
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
    assert_eq!(p.len(), y.len(), "one label per probability");
    let log_likelihood: f64 = p
        .iter()
        .zip(y)
        .map(|(&p, &y)| {
            let p = p.clamp(EPSILON, 1.0 - EPSILON);
            y * p.ln() + (1.0 - y) * (1.0 - p).ln()
        })
        .sum();
    -log_likelihood / p.len() as f64
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
    assert_eq!(probs.nrows(), labels.len(), "one label per row");
    let log_likelihood: f64 = labels
        .iter()
        .enumerate()
        .map(|(i, &k)| probs[(i, k)].clamp(EPSILON, 1.0 - EPSILON).ln())
        .sum();
    -log_likelihood / labels.len() as f64
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
    assert_eq!(logits.nrows(), labels.len(), "one label per row");
    let n = logits.nrows() as f64;
    let mut grad = Mat::zeros(logits.nrows(), logits.ncols());
    for i in 0..logits.nrows() {
        let top = (0..logits.ncols())
            .map(|k| logits[(i, k)])
            .fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> =
            (0..logits.ncols()).map(|k| (logits[(i, k)] - top).exp()).collect();
        let total: f64 = exps.iter().sum();
        for (k, e) in exps.iter().enumerate() {
            let target = if k == labels[i] { 1.0 } else { 0.0 };
            grad[(i, k)] = (e / total - target) / n;
        }
    }
    grad
}

/// `x·W + b`, b added to every row.
fn pre_activation(x: &Mat<f64>, w: &Mat<f64>, b: &Mat<f64>) -> Mat<f64> {
    Mat::from_fn(x.nrows(), w.ncols(), |i, j| {
        b[(0, j)] + (0..x.ncols()).map(|k| x[(i, k)] * w[(k, j)]).sum::<f64>()
    })
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
    assert_eq!(
        (w.nrows(), w.ncols()),
        (x.ncols(), x.ncols()),
        "a residual block keeps the width: W is d×d"
    );
    let a = activate(&pre_activation(x, w, b), activation);
    Mat::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] + a[(i, j)])
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
    let d = activation_derivative(&pre_activation(x, w, b), activation);
    let dz =
        Mat::from_fn(dy.nrows(), dy.ncols(), |i, j| dy[(i, j)] * d[(i, j)]);
    let dw = Mat::from_fn(w.nrows(), w.ncols(), |k, j| {
        (0..x.nrows()).map(|i| x[(i, k)] * dz[(i, j)]).sum()
    });
    let db = Mat::from_fn(1, dz.ncols(), |_, j| {
        (0..dz.nrows()).map(|i| dz[(i, j)]).sum()
    });
    let dx = Mat::from_fn(x.nrows(), x.ncols(), |i, k| {
        dy[(i, k)]
            + (0..dz.ncols()).map(|j| dz[(i, j)] * w[(k, j)]).sum::<f64>()
    });
    ResidualGradients { dx, dw, db }
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
    let zero = Mat::zeros(1, x.ncols());
    let mut h = x.clone();
    let mut z = Vec::new();
    for w in weights {
        assert_eq!(
            (w.nrows(), w.ncols()),
            (x.ncols(), x.ncols()),
            "every layer keeps the width"
        );
        let zl = pre_activation(&h, w, &zero);
        let a = activate(&zl, activation);
        h = if residual {
            Mat::from_fn(a.nrows(), a.ncols(), |i, j| h[(i, j)] + a[(i, j)])
        } else {
            a
        };
        z.push(zl);
    }
    let top = 1.0 / ((x.nrows() * x.ncols()) as f64).sqrt();
    let mut g = Mat::from_fn(x.nrows(), x.ncols(), |_, _| top);
    let mut norms = vec![0.0; weights.len()];
    for l in (0..weights.len()).rev() {
        let d = activation_derivative(&z[l], activation);
        let dz =
            Mat::from_fn(g.nrows(), g.ncols(), |i, j| g[(i, j)] * d[(i, j)]);
        let w = &weights[l];
        g = Mat::from_fn(g.nrows(), w.nrows(), |i, k| {
            let through =
                (0..dz.ncols()).map(|j| dz[(i, j)] * w[(k, j)]).sum::<f64>();
            if residual { g[(i, k)] + through } else { through }
        });
        norms[l] = g.norm_l2();
    }
    norms
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
    assert!(!curves.is_empty(), "something to choose from");
    assert!(eta >= 2, "η ≥ 2: each round keeps at most half");
    let max = curves.iter().map(Vec::len).min().expect("curves");
    assert!(
        min_resource >= 1 && min_resource <= max,
        "the first round fits in the curves"
    );
    let mut alive: Vec<usize> = (0..curves.len()).collect();
    let mut resource = min_resource;
    let mut rounds = Vec::new();
    loop {
        rounds.push(alive.clone());
        if alive.len() == 1 {
            return rounds;
        }
        let at = resource.min(max);
        alive.sort_by(|&a, &b| {
            curves[a][at - 1].total_cmp(&curves[b][at - 1]).then(a.cmp(&b))
        });
        let keep = if at == max { 1 } else { (alive.len() / eta).max(1) };
        alive.truncate(keep);
        alive.sort_unstable();
        resource = at * eta;
    }
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
    let xor = logic_gate("xor").expect("xor is a gate");
    let config = TrainConfig {
        epochs: max_epochs,
        batch_size: 0,
        loss: Loss::SquaredError,
        lambda: 0.0,
        seed,
    };
    let curves: Vec<Vec<f64>> = rates
        .iter()
        .map(|&lr| {
            let mut layers = init_network(
                &[2, 4, 1],
                Activation::Sigmoid,
                Activation::Sigmoid,
                seed,
            );
            train(
                &mut layers,
                &xor.x,
                &xor.y,
                &config,
                &mut Sgd { lr },
                &mut |_, _, _| false,
            )
        })
        .collect();
    let rounds = successive_halving(&curves, min_epochs, eta);
    rates[rounds.last().expect("a winner")[0]]
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
    let standardizer = fit_standardizer(&data.x);
    let x = standardize(&data.x, &standardizer);
    let sizes: Vec<usize> = [2]
        .into_iter()
        .chain(std::iter::repeat_n(DEEP_WIDTH, DEEP_BLOCKS + 1))
        .chain([1])
        .collect();
    let mut layers =
        init_network(&sizes, Activation::Sigmoid, Activation::Sigmoid, seed);
    let mut params = flatten(&layers);
    let mut adam = Adam::new(0.01, 0.9, 0.999, 1e-8, params.len());
    let n = x.nrows();
    for epoch in 0..DEEP_EPOCHS {
        for batch in minibatches(n, 32, seed.wrapping_add(epoch as u64)) {
            let xb = nnlab_data::select_rows(&x, &batch);
            let yb = nnlab_data::select_rows(&data.y, &batch);
            let grads = residual_network_gradients(&layers, &xb, &yb);
            adam.step(&mut params, &flatten_gradients(&grads));
            unflatten(&mut layers, &params);
        }
    }
    let output = layers.pop().expect("an output layer");
    let input = layers.remove(0);
    ResidualModel { standardizer, input, blocks: layers, output }
}

/// The gradients of the mean cross-entropy of a residual network given as its
/// layers (input, blocks, output) on the batch `x`, `y`, in the order of
/// `layers`.
fn residual_network_gradients(
    layers: &[Layer],
    x: &Mat<f64>,
    y: &Mat<f64>,
) -> Vec<Gradients> {
    let last = layers.len() - 1;
    let first = forward(x, &layers[..1]);
    let mut h = vec![first.a[1].clone()];
    for block in &layers[1..last] {
        let next = residual_forward(
            h.last().expect("h"),
            &block.w,
            &block.b,
            block.activation,
        );
        h.push(next);
    }
    let top = forward(h.last().expect("h"), &layers[last..]);
    let n = x.nrows() as f64;
    let out = &top.a[1];
    let delta = Mat::from_fn(out.nrows(), out.ncols(), |i, k| {
        (out[(i, k)] - y[(i, k)]) / n
    });
    let mut grads = vec![Gradients {
        dw: weight_gradient(&top.a[0], &delta),
        db: bias_gradient(&delta),
    }];
    let w_out = &layers[last].w;
    let mut g = Mat::from_fn(delta.nrows(), w_out.nrows(), |i, k| {
        (0..delta.ncols()).map(|j| delta[(i, j)] * w_out[(k, j)]).sum()
    });
    for (l, block) in layers[1..last].iter().enumerate().rev() {
        let back =
            residual_backward(&h[l], &block.w, &block.b, block.activation, &g);
        grads.push(Gradients { dw: back.dw, db: back.db });
        g = back.dx;
    }
    let d = activation_derivative(&first.z[0], layers[0].activation);
    let dz = Mat::from_fn(g.nrows(), g.ncols(), |i, j| g[(i, j)] * d[(i, j)]);
    grads.push(Gradients {
        dw: weight_gradient(x, &dz),
        db: bias_gradient(&dz),
    });
    grads.reverse();
    grads
}

#[cfg(test)]
mod tests {
    //! What lab 09's reference must satisfy beyond its worked cases: the
    //! negative log-likelihoods are lab 04's cross-entropies, the residual
    //! block's backward pass is its derivative (checked with lab 05's finite
    //! differences), the skip carries the gradient down, and the learning-rate
    //! search is successive halving on the training curves.

    use super::*;

    /// A matrix of numbers in (−scale, scale), from `seed`.
    fn random(rows: usize, cols: usize, scale: f64, seed: u64) -> Mat<f64> {
        let u = nnlab_data::uniform(rows, cols, seed);
        Mat::from_fn(rows, cols, |i, j| scale * (2.0 * u[(i, j)] - 1.0))
    }

    #[test]
    fn the_chapters_not_unit_fires_unless_vetoed() {
        // No excitatory inputs, x inhibitory, threshold 0 ("Check yourself", question 1).
        for x in [0.0, 1.0] {
            assert_eq!(mcp_unit(&[], &[], &[x], 0.0), 1.0 - x);
        }
    }

    #[test]
    fn the_negative_log_likelihoods_are_lab_04s_cross_entropies() {
        for seed in 0..20 {
            let p: Vec<f64> = random(1, 7, 0.5, seed)
                .row(0)
                .iter()
                .map(|v| v + 0.5)
                .collect();
            let mut y: Vec<f64> = random(1, 7, 1.0, seed + 100)
                .row(0)
                .iter()
                .map(|v| f64::from(*v > 0.0))
                .collect();
            y[0] = 1.0;
            // Bit for bit: the same terms, added in the same order.
            assert_eq!(
                bernoulli_nll(&p, &y),
                lab04_loss::bce(&p, &y),
                "seed {seed}"
            );

            let logits = random(5, 4, 3.0, seed);
            let probs = Mat::from_fn(5, 4, |i, k| {
                let total: f64 = (0..4).map(|j| logits[(i, j)].exp()).sum();
                logits[(i, k)].exp() / total
            });
            let labels: Vec<usize> =
                (0..5).map(|i| (seed as usize + i) % 4).collect();
            let onehot = lab04_loss::one_hot(&labels, 4);
            assert_eq!(
                categorical_nll(&probs, &labels),
                lab04_loss::categorical_ce(&probs, &onehot),
                "seed {seed}"
            );
            // The gradient in the logits is lab 04's softmax shortcut.
            let shortcut = lab04_loss::softmax_ce_delta(&probs, &onehot);
            let gradient = nll_logit_gradient(&logits, &labels);
            assert!(
                (0..5)
                    .all(|i| (0..4)
                        .all(|k| (gradient[(i, k)] - shortcut[(i, k)]).abs()
                            < 1e-12)),
                "seed {seed}"
            );
        }
    }

    #[test]
    fn the_residual_backward_pass_agrees_with_finite_differences() {
        let activations = [
            Activation::Identity,
            Activation::Sigmoid,
            Activation::Tanh,
            Activation::Relu,
        ];
        for (seed, activation) in activations.into_iter().enumerate() {
            let seed = seed as u64;
            let (x, w, b, dy) = (
                random(3, 4, 1.5, seed),
                random(4, 4, 1.0, seed + 10),
                random(1, 4, 0.5, seed + 20),
                random(3, 4, 1.0, seed + 30),
            );
            // L = Σ dy ⊙ y, whose gradient in y is dy.
            let loss = |x: &Mat<f64>, w: &Mat<f64>, b: &Mat<f64>| {
                let y = residual_forward(x, w, b, activation);
                (0..3)
                    .flat_map(|i| (0..4).map(move |j| (i, j)))
                    .map(|(i, j)| dy[(i, j)] * y[(i, j)])
                    .sum::<f64>()
            };
            let got = residual_backward(&x, &w, &b, activation, &dy);
            let h = 1e-6;
            let dx = numerical_gradient(&|x| loss(x, &w, &b), &x, h);
            let dw = numerical_gradient(&|w| loss(&x, w, &b), &w, h);
            let db = numerical_gradient(&|b| loss(&x, &w, b), &b, h);
            for (name, exact, numeric) in [
                ("dx", &got.dx, &dx),
                ("dw", &got.dw, &dw),
                ("db", &got.db, &db),
            ] {
                let error = lab05_backprop::relative_error(exact, numeric);
                assert!(
                    error < 1e-6,
                    "{activation:?} {name}: relative error {error}"
                );
            }
        }
    }

    #[test]
    fn the_skip_carries_the_gradient_down_a_deep_sigmoid_network() {
        let x = random(8, 6, 1.0, 1);
        let weights: Vec<Mat<f64>> =
            (0..20).map(|l| random(6, 6, 0.8, 100 + l)).collect();
        let plain = gradient_norms(&x, &weights, Activation::Sigmoid, false);
        let small: Vec<Mat<f64>> = weights
            .iter()
            .map(|w| Mat::from_fn(6, 6, |i, j| w[(i, j)] / 20.0))
            .collect();
        let residual = gradient_norms(&x, &small, Activation::Sigmoid, true);
        assert!(
            plain[0] < 1e-10 * plain[19],
            "the plain network's first layer gets almost nothing: {plain:?}"
        );
        assert!(
            residual.iter().all(|&g| (0.5..2.0).contains(&g)),
            "with skips every layer gets about 1: {residual:?}"
        );
    }

    #[test]
    fn the_learning_rate_search_is_successive_halving_on_the_training_curves() {
        let rates = [0.05, 0.5, 4.0];
        let xor = logic_gate("xor").unwrap();
        let curves: Vec<Vec<f64>> = rates
            .iter()
            .map(|&lr| {
                let mut layers = init_network(
                    &[2, 4, 1],
                    Activation::Sigmoid,
                    Activation::Sigmoid,
                    3,
                );
                let config = TrainConfig {
                    epochs: 80,
                    batch_size: 0,
                    loss: Loss::SquaredError,
                    lambda: 0.0,
                    seed: 3,
                };
                train(
                    &mut layers,
                    &xor.x,
                    &xor.y,
                    &config,
                    &mut Sgd { lr },
                    &mut |_, _, _| false,
                )
            })
            .collect();
        let winner = successive_halving(&curves, 10, 2).last().unwrap()[0];
        assert_eq!(pick_learning_rate(&rates, 10, 80, 2, 3), rates[winner]);
    }
}
