//! # Lab 08 — regularization and training stability
//!
//! A network big enough to fit anything will also fit the noise in its training
//! data: the training loss keeps falling while the loss on data it has not seen
//! turns back up. This lab writes the usual remedies — dropout, L1 and L2
//! penalties, early stopping — and batch normalisation, which keeps the
//! activations of deep networks in a range where they learn; then it measures
//! why deep sigmoid networks stall (vanishing gradients) and searches for
//! hyper-parameters on a validation split instead of the test set.
//!
//! Read the chapter first: `book/src/lab08-regularization.md`. Fill in every
//! function whose body is `todo!`, then run
//! `cargo test -p lab08-regularization` for the public checks and
//! `cargo run -p grader` for the graded ones.
//!
//! Conventions: samples are rows; networks, losses and the training
//! configuration are those of labs 05 and 07. Random masks come from
//! [`nnlab_data::uniform`] with seeds from [`mask_seed`].

use faer::Mat;

pub use lab05_backprop::{
    Activation, Gradients, Layer, Loss, activate, activation_derivative,
    activation_grad, backward, bias_gradient, forward, loss_value,
    output_delta, weight_gradient,
};
pub use lab06_optimizers::{Adam, Optimizer, Sgd};
pub use lab07_training::{
    Dataset, TrainConfig, flatten, flatten_gradients, init_network,
    minibatches, train, unflatten,
};

// Code you are given (not graded, and not yours to change: the grader builds
// with its own copy).
mod given;
pub use given::*;

/// What the forward pass of batch normalisation keeps for the backward pass.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNormCache {
    /// The normalised input `(x − mean) / √(var + ε)`, n×d.
    pub x_hat: Mat<f64>,
    /// The batch mean of each column.
    pub mean: Vec<f64>,
    /// The batch variance of each column (dividing by n).
    pub var: Vec<f64>,
    /// The ε the forward pass used.
    pub eps: f64,
}

/// The gradients of batch normalisation.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNormGradients {
    /// ∂L/∂x, n×d.
    pub dx: Mat<f64>,
    /// ∂L/∂γ, one per column.
    pub dgamma: Vec<f64>,
    /// ∂L/∂β, one per column.
    pub dbeta: Vec<f64>,
}

/// How [`train_regularized`] regularises.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regularization {
    /// The probability of dropping each hidden activation (0 for no dropout).
    pub dropout: f64,
    /// λ₁ of the L1 penalty λ₁·Σ|w|.
    pub l1: f64,
    /// λ₂ of the L2 penalty (λ₂/2)·Σw².
    pub l2: f64,
}

/// Early stopping: remembers the best validation loss, its epoch and the
/// weights it had.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyStopping {
    /// Epochs without improvement to tolerate before stopping.
    pub patience: usize,
    /// How much lower than the best a loss must be to count as an improvement.
    pub min_delta: f64,
    /// The best validation loss so far (∞ before the first epoch).
    pub best_loss: f64,
    /// The epoch it was reached at.
    pub best_epoch: usize,
    /// The weights at that epoch.
    pub best_layers: Vec<Layer>,
    /// Epochs since the last improvement.
    pub waited: usize,
}

/// Inverted dropout. In training, draw
/// `u = nnlab_data::uniform(rows, cols, seed)` and keep each element where
/// `u ≥ p` (mask 1) and drop it where `u < p` (mask 0); the output is
/// `a ⊙ mask / (1 − p)`, so that its expected value is `a` and nothing needs
/// rescaling at inference. At inference (`training` false) the output is `a`
/// and the mask all ones. Returns `(output, mask)`.
///
/// ```text
/// a = [[1, 2], [3, 4]], p = 0.5, u = [[0.7, 0.2], [0.4, 0.9]]
///   → mask [[1, 0], [0, 1]], output [[2, 0], [0, 8]]
/// ```
///
/// Book: `book/src/lab08-regularization.md#dropout`.
pub fn dropout_forward(
    a: &Mat<f64>,
    p: f64,
    seed: u64,
    training: bool,
) -> (Mat<f64>, Mat<f64>) {
    if !training || p == 0.0 {
        return (a.clone(), Mat::from_fn(a.nrows(), a.ncols(), |_, _| 1.0));
    }
    let u = nnlab_data::uniform(a.nrows(), a.ncols(), seed);
    let mask = Mat::from_fn(a.nrows(), a.ncols(), |i, j| {
        if u[(i, j)] >= p { 1.0 } else { 0.0 }
    });
    let out = Mat::from_fn(a.nrows(), a.ncols(), |i, j| {
        a[(i, j)] * mask[(i, j)] / (1.0 - p)
    });
    (out, mask)
}

/// The gradient through inverted dropout: `grad ⊙ mask / (1 − p)` — a dropped
/// unit passes nothing back, a kept one passes its gradient scaled like its
/// value was.
///
/// ```text
/// grad = [[1, 1], [1, 1]], mask = [[1, 0], [0, 1]], p = 0.5 → [[2, 0], [0, 2]]
/// ```
///
/// Book: `book/src/lab08-regularization.md#dropout`.
pub fn dropout_backward(grad: &Mat<f64>, mask: &Mat<f64>, p: f64) -> Mat<f64> {
    Mat::from_fn(grad.nrows(), grad.ncols(), |i, j| {
        grad[(i, j)] * mask[(i, j)] / (1.0 - p)
    })
}

/// The penalty added to the loss for the weight matrices `weights` (biases are
/// not penalised): `l1·Σ|w| + (l2/2)·Σw²`.
///
/// ```text
/// [[1, −2]], l1 = 0.1, l2 = 0.5 → 0.1·3 + 0.25·5 = 1.55
/// ```
///
/// Book: `book/src/lab08-regularization.md#l1-and-l2-penalties`.
pub fn penalty(weights: &[Mat<f64>], l1: f64, l2: f64) -> f64 {
    weights
        .iter()
        .flat_map(|w| {
            (0..w.nrows())
                .flat_map(move |i| (0..w.ncols()).map(move |j| w[(i, j)]))
        })
        .map(|w| l1 * w.abs() + 0.5 * l2 * w * w)
        .sum()
}

/// The gradient of [`penalty`] with respect to one weight matrix:
/// `l1·sign(w) + l2·w`, with sign(0) = 0 (L1 has no derivative at 0; 0 is the
/// subgradient that leaves a zero weight alone).
///
/// ```text
/// [[1, −2, 0]], l1 = 0.1, l2 = 0.5 → [[0.6, −1.1, 0]]
/// ```
///
/// Book: `book/src/lab08-regularization.md#l1-and-l2-penalties`.
pub fn penalty_gradient(w: &Mat<f64>, l1: f64, l2: f64) -> Mat<f64> {
    Mat::from_fn(w.nrows(), w.ncols(), |i, j| {
        let v = w[(i, j)];
        let sign = if v > 0.0 {
            1.0
        } else if v < 0.0 {
            -1.0
        } else {
            0.0
        };
        l1 * sign + l2 * v
    })
}

/// Lab 07's training loop with dropout on every hidden layer's activations and
/// L1/L2 penalties on the weights. Batches as in lab 07 (`minibatches` with
/// seed `config.seed + epoch`); the `step`-th gradient step (counting from 0
/// over the whole run) drops hidden layer `l` with [`dropout_forward`] seeded
/// by [`mask_seed`]`(config.seed, step, l)`. Backward as in lab 05, with
/// [`dropout_backward`] applied to `∂L/∂A` of each hidden layer before its
/// `f′(Z)`, and [`penalty_gradient`] added to each `dW` (`config.lambda` is not
/// used). A batch's loss is its data loss, measured with the dropped-out
/// activations, plus [`penalty`]; the epoch's loss weights them by batch size.
/// Returns the loss of every epoch.
///
/// Book: `book/src/lab08-regularization.md#training-with-regularization`.
pub fn train_regularized(
    layers: &mut [Layer],
    x: &Mat<f64>,
    y: &Mat<f64>,
    reg: Regularization,
    config: &TrainConfig,
    optimizer: &mut dyn Optimizer,
) -> Vec<f64> {
    let n = x.nrows();
    let last = layers.len() - 1;
    let mut step = 0;
    let mut losses = Vec::with_capacity(config.epochs);
    for epoch in 0..config.epochs {
        let mut total = 0.0;
        for batch in minibatches(
            n,
            config.batch_size,
            config.seed.wrapping_add(epoch as u64),
        ) {
            let xb = nnlab_data::select_rows(x, &batch);
            let yb = nnlab_data::select_rows(y, &batch);
            // Forward, keeping every Z, every (dropped-out) A, and the masks.
            let (mut zs, mut acts, mut masks) =
                (Vec::new(), vec![xb], Vec::new());
            for (l, layer) in layers.iter().enumerate() {
                let a = acts.last().expect("starts with the input");
                let xw = a * &layer.w;
                let z = Mat::from_fn(xw.nrows(), xw.ncols(), |i, j| {
                    xw[(i, j)] + layer.b[(0, j)]
                });
                let mut a = activate(&z, layer.activation);
                if l < last {
                    let (dropped, mask) = dropout_forward(
                        &a,
                        reg.dropout,
                        mask_seed(config.seed, step, l),
                        true,
                    );
                    a = dropped;
                    masks.push(mask);
                }
                zs.push(z);
                acts.push(a);
            }
            let weights: Vec<Mat<f64>> =
                layers.iter().map(|l| l.w.clone()).collect();
            total += (loss_value(&acts[last + 1], &yb, config.loss)
                + penalty(&weights, reg.l1, reg.l2))
                * batch.len() as f64;
            // Backward: lab 05's pieces, dropout's mask on the way down.
            let mut grads = Vec::with_capacity(layers.len());
            let mut delta = output_delta(
                &zs[last],
                &acts[last + 1],
                &yb,
                layers[last].activation,
                config.loss,
            );
            for l in (0..layers.len()).rev() {
                let dw = weight_gradient(&acts[l], &delta);
                let pen = penalty_gradient(&layers[l].w, reg.l1, reg.l2);
                let dw = Mat::from_fn(dw.nrows(), dw.ncols(), |i, j| {
                    dw[(i, j)] + pen[(i, j)]
                });
                grads.push(Gradients { dw, db: bias_gradient(&delta) });
                if l > 0 {
                    let da = dropout_backward(
                        &activation_grad(&delta, &layers[l].w),
                        &masks[l - 1],
                        reg.dropout,
                    );
                    let fz = activation_derivative(
                        &zs[l - 1],
                        layers[l - 1].activation,
                    );
                    delta = Mat::from_fn(da.nrows(), da.ncols(), |i, j| {
                        da[(i, j)] * fz[(i, j)]
                    });
                }
            }
            grads.reverse();
            let mut params = flatten(layers);
            optimizer.step(&mut params, &flatten_gradients(&grads));
            unflatten(layers, &params);
            step += 1;
        }
        losses.push(total / n as f64);
    }
    losses
}

/// Batch normalisation in training: for each column j of the batch `x` (n×d),
/// the batch mean μⱼ and variance σⱼ² (dividing by n),
/// `x̂ = (x − μ)/√(σ² + ε)`, and the output `γ ⊙ x̂ + β`. Returns the output
/// and what the backward pass needs.
///
/// ```text
/// x = [[1], [3]], γ = [2], β = [0.5], ε = 0
///   → x̂ = [[−1], [1]], output [[−1.5], [2.5]]
/// ```
///
/// Book: `book/src/lab08-regularization.md#batch-normalisation`.
pub fn batchnorm_forward(
    x: &Mat<f64>,
    gamma: &[f64],
    beta: &[f64],
    eps: f64,
) -> (Mat<f64>, BatchNormCache) {
    let n = x.nrows() as f64;
    let column = |j: usize| (0..x.nrows()).map(move |i| x[(i, j)]);
    let mean: Vec<f64> =
        (0..x.ncols()).map(|j| column(j).sum::<f64>() / n).collect();
    let var: Vec<f64> = (0..x.ncols())
        .map(|j| column(j).map(|v| (v - mean[j]).powi(2)).sum::<f64>() / n)
        .collect();
    let x_hat = Mat::from_fn(x.nrows(), x.ncols(), |i, j| {
        (x[(i, j)] - mean[j]) / (var[j] + eps).sqrt()
    });
    let out = Mat::from_fn(x.nrows(), x.ncols(), |i, j| {
        gamma[j] * x_hat[(i, j)] + beta[j]
    });
    (out, BatchNormCache { x_hat, mean, var, eps })
}

/// Batch normalisation at inference: the same transformation with the running
/// mean and variance gathered in training instead of the batch's own, so that
/// one sample's output does not depend on the others in its batch.
///
/// ```text
/// x = [[2]], γ = [2], β = [0.5], running mean [1], running var [4], ε = 0
///   → [[1.5]]
/// ```
///
/// Book: `book/src/lab08-regularization.md#batch-normalisation`.
pub fn batchnorm_inference(
    x: &Mat<f64>,
    gamma: &[f64],
    beta: &[f64],
    running_mean: &[f64],
    running_var: &[f64],
    eps: f64,
) -> Mat<f64> {
    Mat::from_fn(x.nrows(), x.ncols(), |i, j| {
        gamma[j] * (x[(i, j)] - running_mean[j]) / (running_var[j] + eps).sqrt()
            + beta[j]
    })
}

/// One update of a running statistic:
/// `momentum·running + (1 − momentum)·batch`, element-wise (Keras' convention:
/// momentum 0.99 keeps 99 % of the old value).
///
/// ```text
/// running [0, 1], batch [2, 3], momentum 0.9 → [0.2, 1.2]
/// ```
///
/// Book: `book/src/lab08-regularization.md#batch-normalisation`.
pub fn update_running(
    running: &[f64],
    batch: &[f64],
    momentum: f64,
) -> Vec<f64> {
    running
        .iter()
        .zip(batch)
        .map(|(r, b)| momentum * r + (1.0 - momentum) * b)
        .collect()
}

/// The backward pass of batch normalisation in training, from the output's
/// gradient `dout` (n×d): `dβ = Σᵢ dout`, `dγ = Σᵢ dout ⊙ x̂`, and, because
/// every sample's x̂ depends on the whole batch through μ and σ²,
/// `dx = γ/(n·√(σ² + ε)) ⊙ (n·dout − Σᵢ dout − x̂ ⊙ Σᵢ (dout ⊙ x̂))`.
///
/// ```text
/// the forward example, dout = [[1], [0]]
///   → dx = [[0], [0]], dγ = [−1], dβ = [1]   (ε = 0, so σ = 1)
/// ```
///
/// Book: `book/src/lab08-regularization.md#batch-normalisation`.
pub fn batchnorm_backward(
    dout: &Mat<f64>,
    cache: &BatchNormCache,
    gamma: &[f64],
) -> BatchNormGradients {
    let (n, d) = (dout.nrows(), dout.ncols());
    let x_hat = &cache.x_hat;
    let dbeta: Vec<f64> =
        (0..d).map(|j| (0..n).map(|i| dout[(i, j)]).sum()).collect();
    let dgamma: Vec<f64> = (0..d)
        .map(|j| (0..n).map(|i| dout[(i, j)] * x_hat[(i, j)]).sum())
        .collect();
    let dx = Mat::from_fn(n, d, |i, j| {
        let scale = gamma[j] / (n as f64 * (cache.var[j] + cache.eps).sqrt());
        scale * (n as f64 * dout[(i, j)] - dbeta[j] - x_hat[(i, j)] * dgamma[j])
    });
    BatchNormGradients { dx, dgamma, dbeta }
}

impl EarlyStopping {
    /// Takes the validation loss of `epoch`, with the network's weights then,
    /// and says whether to stop. A loss below `best_loss − min_delta` is an
    /// improvement: remember it, its epoch and a copy of `layers`, and reset
    /// `waited` to 0. Anything else adds 1 to `waited`. Stop when `waited`
    /// reaches `patience`.
    ///
    /// ```text
    /// patience 2, min_delta 0: losses 0.9, 0.7, 0.8, 0.75
    ///   → stop after the fourth; best epoch 1
    /// ```
    ///
    /// Book: `book/src/lab08-regularization.md#early-stopping`.
    pub fn update(
        &mut self,
        epoch: usize,
        val_loss: f64,
        layers: &[Layer],
    ) -> bool {
        if val_loss < self.best_loss - self.min_delta {
            self.best_loss = val_loss;
            self.best_epoch = epoch;
            self.best_layers = layers.to_vec();
            self.waited = 0;
        } else {
            self.waited += 1;
        }
        self.waited >= self.patience
    }
}

/// What [`train_with_early_stopping`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyStopped {
    /// The weights of the best epoch.
    pub layers: Vec<Layer>,
    /// The training loss of every epoch run.
    pub train_losses: Vec<f64>,
    /// The validation loss after every epoch run.
    pub val_losses: Vec<f64>,
    /// The epoch whose weights were kept.
    pub best_epoch: usize,
}

/// Lab 07's [`train`] with early stopping: after every epoch, the validation
/// loss of the current weights on `val` (a plain forward pass and
/// `config.loss`), fed to an [`EarlyStopping`] that stops training when it says
/// so. Returns the best epoch's weights — not the last ones — with both loss
/// curves.
///
/// Book: `book/src/lab08-regularization.md#early-stopping`.
pub fn train_with_early_stopping(
    layers: &[Layer],
    train_set: &Dataset,
    val: &Dataset,
    config: &TrainConfig,
    optimizer: &mut dyn Optimizer,
    patience: usize,
    min_delta: f64,
) -> EarlyStopped {
    let mut stopper = EarlyStopping::new(patience, min_delta);
    let mut val_losses = Vec::new();
    let mut current = layers.to_vec();
    let train_losses = train(
        &mut current,
        &train_set.x,
        &train_set.y,
        config,
        optimizer,
        &mut |epoch, _, now| {
            let out = forward(&val.x, now)
                .a
                .pop()
                .expect("the input is always there");
            let loss = loss_value(&out, &val.y, config.loss);
            val_losses.push(loss);
            stopper.update(epoch, loss, now)
        },
    );
    EarlyStopped {
        layers: stopper.best_layers,
        train_losses,
        val_losses,
        best_epoch: stopper.best_epoch,
    }
}

/// The size of each layer's weight gradient, first layer first: the Frobenius
/// norm √(Σ dW²) of lab 05's `backward` (λ = 0) on the batch `x`, `y`. In a
/// deep sigmoid network these shrink layer by layer towards the input — the
/// vanishing gradient.
///
/// Book: `book/src/lab08-regularization.md#vanishing-gradients`.
pub fn layer_gradient_norms(
    layers: &[Layer],
    x: &Mat<f64>,
    y: &Mat<f64>,
    loss: Loss,
) -> Vec<f64> {
    let cache = forward(x, layers);
    backward(layers, &cache, y, loss, 0.0)
        .iter()
        .map(|g| {
            (0..g.dw.nrows())
                .flat_map(|i| (0..g.dw.ncols()).map(move |j| (i, j)))
                .map(|ij| g.dw[ij].powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .collect()
}

/// The outcome of a hyper-parameter search.
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    /// Every setting tried, `(learning rate, hidden size, validation score)`,
    /// in the order tried.
    pub trials: Vec<(f64, usize, f64)>,
    /// The trial with the lowest score (the first one on a tie).
    pub best: (f64, usize, f64),
}

/// Grid search: every learning rate in `lrs` (outer loop) with every hidden
/// size in `hiddens` (inner loop), scored by `evaluate(lr, hidden)` — a
/// validation loss, lower is better.
///
/// ```text
/// lrs [0.1, 0.01], hiddens [4, 8]
///   → trials in the order (0.1, 4), (0.1, 8), (0.01, 4), (0.01, 8)
/// ```
///
/// Book: `book/src/lab08-regularization.md#searching-for-hyper-parameters`.
pub fn grid_search(
    lrs: &[f64],
    hiddens: &[usize],
    evaluate: &mut dyn FnMut(f64, usize) -> f64,
) -> Search {
    let trials: Vec<(f64, usize, f64)> = lrs
        .iter()
        .flat_map(|&lr| hiddens.iter().map(move |&h| (lr, h)))
        .map(|(lr, h)| (lr, h, evaluate(lr, h)))
        .collect();
    best_of(trials)
}

/// Random search: `n` trials; with `u = nnlab_data::uniform(n, 2, seed)`, trial
/// i takes the learning rate `lo·(hi/lo)^u[i][0]` (uniform on a log scale
/// between `lo` and `hi`) and the hidden size `hiddens[⌊u[i][1]·len⌋]`, and is
/// scored by `evaluate` as in [`grid_search`].
///
/// Book: `book/src/lab08-regularization.md#searching-for-hyper-parameters`.
pub fn random_search(
    n: usize,
    lr_range: (f64, f64),
    hiddens: &[usize],
    seed: u64,
    evaluate: &mut dyn FnMut(f64, usize) -> f64,
) -> Search {
    let u = nnlab_data::uniform(n, 2, seed);
    let (lo, hi) = lr_range;
    let trials = (0..n)
        .map(|i| {
            let lr = lo * (hi / lo).powf(u[(i, 0)]);
            let h = hiddens[((u[(i, 1)] * hiddens.len() as f64) as usize)
                .min(hiddens.len() - 1)];
            (lr, h, evaluate(lr, h))
        })
        .collect();
    best_of(trials)
}

/// The search with its lowest-scoring trial.
fn best_of(trials: Vec<(f64, usize, f64)>) -> Search {
    let best =
        trials.iter().copied().fold((f64::NAN, 0, f64::INFINITY), |b, t| {
            if t.2 < b.2 { t } else { b }
        });
    Search { trials, best }
}
