//! # Lab 07 — training on real data
//!
//! Labs 05 and 06 gave the pieces: a backward pass and optimizers. This lab
//! assembles them into what people mean by "training a network": load a data
//! set, scale its features, split it into training and test points, cut the
//! training points into shuffled mini-batches, and loop over epochs, letting an
//! optimizer follow the gradient and recording the loss. Then four experiments
//! show what the loop can do — XOR, two moons, a sine curve and handwritten
//! digits — and are graded by what they achieve on points they never saw.
//!
//! Read the chapter first: `book/src/lab07-training.md`. Fill in every function
//! whose body is `todo!`, then run `cargo test -p lab07-training` for the
//! public checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: samples are rows, as in labs 03–05. A network is a `Vec<Layer>`
//! of lab 05; its parameters, laid end to end for lab 06's optimizers, are
//! every layer's `w` row by row, then its `b` ([`flatten`]). All randomness
//! comes from seeds.

use faer::Mat;

pub use lab05_backprop::{
    Activation, Cache, Gradients, Layer, Loss, backward, forward, forward_into,
    loss_value,
};
pub use lab06_optimizers::{Adam, Momentum, Optimizer, Sgd};
pub use nnlab_data::{
    Dataset, digits, logic_gate, permutation, sine_wave, two_blobs,
    two_circles, two_moons,
};

// Code you are given (not graded, and not yours to change: the grader builds
// with its own copy).
mod given;
pub use given::*;

/// How to undo the scale of each feature: `(x − mean) / scale`, column by
/// column.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer {
    /// The mean of each column of the data it was fitted on.
    pub mean: Vec<f64>,
    /// The standard deviation of each column (1 where a column is constant).
    pub scale: Vec<f64>,
}

/// How [`train`] runs.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Samples per gradient step; 0 (or at least the number of samples) means
    /// the whole set.
    pub batch_size: usize,
    /// The loss the gradient is taken of.
    pub loss: Loss,
    /// L2 penalty λ of lab 05's `backward` (0 for none).
    pub lambda: f64,
    /// Seeds the order of the mini-batches.
    pub seed: u64,
}

/// A trained predictor: how to scale an input, then the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Applied to every input before the network sees it.
    pub standardizer: Standardizer,
    /// The trained layers.
    pub layers: Vec<Layer>,
}

/// The documents' `data.csv` pipeline, first step: CSV text with a header row →
/// features `x` (every column but `target`, in file order) and targets `y` (the
/// `target` column, n×1). Fields are separated by commas and may have spaces
/// around them; blank lines are skipped. An error — never a panic — when the
/// target column is missing, a row has the wrong number of fields, or a field
/// is not a number; the message names the line.
///
/// ```text
/// "a,b,label\n1,2,0\n3,4,1\n", "label" → x = [[1, 2], [3, 4]], y = [[0], [1]]
/// ```
///
/// Book: `book/src/lab07-training.md#loading-a-csv-file`.
pub fn parse_csv(text: &str, target: &str) -> Result<Dataset, String> {
    let mut lines =
        text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or("the file is empty")?;
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    let t = names
        .iter()
        .position(|n| *n == target)
        .ok_or(format!("no column `{target}` in the header"))?;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (i, line) in lines {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != names.len() {
            return Err(format!(
                "line {}: {} fields, the header has {}",
                i + 1,
                fields.len(),
                names.len()
            ));
        }
        let mut row = Vec::with_capacity(names.len() - 1);
        for (j, field) in fields.iter().enumerate() {
            let v: f64 = field.parse().map_err(|_| {
                format!("line {}: `{field}` is not a number", i + 1)
            })?;
            if j == t { ys.push(v) } else { row.push(v) }
        }
        xs.push(row);
    }
    let d = names.len() - 1;
    Ok(Dataset {
        x: Mat::from_fn(xs.len(), d, |i, j| xs[i][j]),
        y: Mat::from_fn(ys.len(), 1, |i, _| ys[i]),
    })
}

/// The mean and standard deviation of each column of `x` (the population
/// deviation, dividing by n, as scikit-learn's `StandardScaler`); a constant
/// column (every value the same) gets scale 1 so that it becomes 0 rather than
/// NaN. Test for equal values, not for a deviation of 0: the mean of a constant
/// column can miss its value in the last bit, and leave a "deviation" of 1e-15.
/// Fit it on the **training** split only: the test split must not leak into it.
///
/// ```text
/// [[1, 10], [3, 10]] → mean = [2, 10], scale = [1, 1]
/// ```
///
/// Book: `book/src/lab07-training.md#scaling-the-features`.
pub fn fit_standardizer(x: &Mat<f64>) -> Standardizer {
    let n = x.nrows() as f64;
    let mean: Vec<f64> = (0..x.ncols())
        .map(|j| (0..x.nrows()).map(|i| x[(i, j)]).sum::<f64>() / n)
        .collect();
    let scale = (0..x.ncols())
        .map(|j| {
            let constant = (0..x.nrows()).all(|i| x[(i, j)] == x[(0, j)]);
            let var = (0..x.nrows())
                .map(|i| (x[(i, j)] - mean[j]).powi(2))
                .sum::<f64>()
                / n;
            if constant { 1.0 } else { var.sqrt() }
        })
        .collect();
    Standardizer { mean, scale }
}

/// `(x − mean) / scale`, column by column.
///
/// ```text
/// [[1, 10], [3, 10]] with mean [2, 10], scale [1, 1] → [[−1, 0], [1, 0]]
/// ```
///
/// Book: `book/src/lab07-training.md#scaling-the-features`.
pub fn standardize(x: &Mat<f64>, s: &Standardizer) -> Mat<f64> {
    Mat::from_fn(x.nrows(), x.ncols(), |i, j| {
        (x[(i, j)] - s.mean[j]) / s.scale[j]
    })
}

/// Each column mapped linearly onto [0, 1]: `(x − min) / (max − min)`; a
/// constant column becomes 0.
///
/// ```text
/// [[1, 5], [3, 5], [2, 5]] → [[0, 0], [1, 0], [0.5, 0]]
/// ```
///
/// Book: `book/src/lab07-training.md#scaling-the-features`.
pub fn min_max_scale(x: &Mat<f64>) -> Mat<f64> {
    let (lo, hi) = column_extremes(x);
    Mat::from_fn(x.nrows(), x.ncols(), |i, j| {
        let range = hi[j] - lo[j];
        if range > 0.0 { (x[(i, j)] - lo[j]) / range } else { 0.0 }
    })
}

/// The documents' normalisation `X / max(X, axis=0)`: each column divided by
/// its largest value. A column whose largest value is 0 is left as it is (numpy
/// would divide by zero and fill it with NaN).
///
/// ```text
/// [[1, 0], [4, 0]] → [[0.25, 0], [1, 0]]
/// ```
///
/// Book: `book/src/lab07-training.md#scaling-the-features`.
pub fn divide_by_column_max(x: &Mat<f64>) -> Mat<f64> {
    let (_, hi) = column_extremes(x);
    Mat::from_fn(x.nrows(), x.ncols(), |i, j| {
        if hi[j] == 0.0 { x[(i, j)] } else { x[(i, j)] / hi[j] }
    })
}

/// The smallest and the largest value of each column.
fn column_extremes(x: &Mat<f64>) -> (Vec<f64>, Vec<f64>) {
    let column = |j: usize| (0..x.nrows()).map(move |i| x[(i, j)]);
    (
        (0..x.ncols())
            .map(|j| column(j).fold(f64::INFINITY, f64::min))
            .collect(),
        (0..x.ncols())
            .map(|j| column(j).fold(f64::NEG_INFINITY, f64::max))
            .collect(),
    )
}

/// Class labels as rows of zeros with a single 1 in the label's column:
/// n×`classes`.
///
/// ```text
/// [2, 0], 3 classes → [[0, 0, 1], [1, 0, 0]]
/// ```
///
/// Book: `book/src/lab07-training.md#one-hot-targets`.
pub fn one_hot(labels: &[usize], classes: usize) -> Mat<f64> {
    Mat::from_fn(
        labels.len(),
        classes,
        |i, k| if labels[i] == k { 1.0 } else { 0.0 },
    )
}

/// A seeded train/test split of `n` samples, as indices `(train, test)`:
/// shuffle `0..n` with [`permutation`]`(n, seed)`, put the first
/// ⌈test_fraction·n⌉ in the test set (scikit-learn rounds the test size up too)
/// and the rest, in the same shuffled order, in the training set.
///
/// ```text
/// n = 5, test_fraction = 0.3, permutation(5, 0) = [2, 1, 3, 0, 4]
///   → train = [3, 0, 4], test = [2, 1]
/// ```
///
/// Book: `book/src/lab07-training.md#training-and-test-sets`.
pub fn train_test_split(
    n: usize,
    test_fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let order = permutation(n, seed);
    let n_test = ((test_fraction * n as f64).ceil() as usize).min(n);
    (order[n_test..].to_vec(), order[..n_test].to_vec())
}

/// The mini-batches of one epoch over `n` samples, as lists of row indices.
/// Batch gradient descent, stochastic gradient descent and mini-batch descent
/// are one function with a batch size: `batch_size` 0 or ≥ n gives one batch of
/// every sample in order; otherwise the samples are shuffled with
/// [`permutation`]`(n, seed)` and cut into batches of `batch_size`, the last
/// one smaller if n is not a multiple. Batch size 1 is stochastic gradient
/// descent.
///
/// ```text
/// n = 5, batch_size = 2, permutation(5, 0) = [2, 1, 3, 0, 4]
///   → [[2, 1], [3, 0], [4]]
/// ```
///
/// Book: `book/src/lab07-training.md#mini-batches`.
pub fn minibatches(n: usize, batch_size: usize, seed: u64) -> Vec<Vec<usize>> {
    if batch_size == 0 || batch_size >= n {
        return vec![(0..n).collect()];
    }
    permutation(n, seed).chunks(batch_size).map(<[usize]>::to_vec).collect()
}

/// Trains `layers` on inputs `x` and targets `y` and returns the loss of every
/// epoch.
///
/// Epoch `e` (from 0) walks the [`minibatches`] of seed `config.seed + e` (a
/// new order every epoch). For each batch: [`forward`] on its rows, the batch's
/// [`loss_value`], lab 05's [`backward`] (with `config.lambda`), then one
/// `optimizer.step` on the [`flatten`]ed parameters and gradients, written back
/// with [`unflatten`]. The epoch's loss is the mean of the batch losses
/// weighted by batch size, each measured before its batch's step (so with one
/// batch it is the loss of the network the epoch started with). After each
/// epoch, `on_epoch(e, loss, layers)` is called; when it returns `true`,
/// training stops there (early stopping, lab 08).
///
/// ```text
/// the documents' XOR network, full batch, squared error, Sgd lr 0.5,
/// 10 000 epochs → loss at epochs 0, 2000, …, 8000 =
///   0.255675, 0.202843, 0.005199, 0.001742, 0.001005
/// ```
///
/// Book: `book/src/lab07-training.md#the-training-loop`.
pub fn train(
    layers: &mut [Layer],
    x: &Mat<f64>,
    y: &Mat<f64>,
    config: &TrainConfig,
    optimizer: &mut dyn Optimizer,
    on_epoch: &mut dyn FnMut(usize, f64, &[Layer]) -> bool,
) -> Vec<f64> {
    let n = x.nrows();
    let mut losses = Vec::with_capacity(config.epochs);
    // Only the optimizer changes the parameters, so the flat copy stays in step
    // with `layers`.
    let mut params = flatten(layers);
    // One cache and one gradient vector for every batch: at XOR's size,
    // allocating them anew each step took longer than the arithmetic.
    let mut cache = Cache { z: Vec::new(), a: Vec::new() };
    let mut flat = Vec::new();
    for epoch in 0..config.epochs {
        let mut total = 0.0;
        for batch in minibatches(
            n,
            config.batch_size,
            config.seed.wrapping_add(epoch as u64),
        ) {
            // The whole set in order needs no copy (batch gradient descent).
            let whole = batch.len() == n
                && batch.iter().enumerate().all(|(i, &r)| i == r);
            let copied = (!whole).then(|| {
                (
                    nnlab_data::select_rows(x, &batch),
                    nnlab_data::select_rows(y, &batch),
                )
            });
            let (xb, yb) = copied.as_ref().map_or((x, y), |(xb, yb)| (xb, yb));
            forward_into(xb, layers, &mut cache);
            total += loss_value(
                cache.a.last().expect("a network has layers"),
                yb,
                config.loss,
            ) * batch.len() as f64;
            let grads =
                backward(layers, &cache, yb, config.loss, config.lambda);
            flatten_gradients_into(&grads, &mut flat);
            optimizer.step(&mut params, &flat);
            unflatten(layers, &params);
        }
        let loss = total / n as f64;
        losses.push(loss);
        if on_epoch(epoch, loss, layers) {
            break;
        }
    }
    losses
}

/// The class each row of a network's `output` predicts: with one output column,
/// 1 when the output is at least 0.5 and 0 otherwise; with several, the column
/// of the largest output (the first one on a tie).
///
/// ```text
/// [[0.2], [0.7]] → [0, 1]        [[0.1, 0.8, 0.1], [0.5, 0.2, 0.5]] → [1, 0]
/// ```
///
/// Book: `book/src/lab07-training.md#accuracy`.
pub fn predict_classes(output: &Mat<f64>) -> Vec<usize> {
    (0..output.nrows())
        .map(|i| {
            if output.ncols() == 1 {
                usize::from(output[(i, 0)] >= 0.5)
            } else {
                (0..output.ncols()).fold(0, |best, k| {
                    if output[(i, k)] > output[(i, best)] { k } else { best }
                })
            }
        })
        .collect()
}

/// The fraction of `predicted` labels equal to `labels` (0 for no samples).
///
/// ```text
/// [1, 0, 1, 1], [1, 1, 1, 0] → 0.5
/// ```
///
/// Book: `book/src/lab07-training.md#accuracy`.
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    if labels.is_empty() {
        return 0.0;
    }
    predicted.iter().zip(labels).filter(|(p, l)| p == l).count() as f64
        / labels.len() as f64
}

/// The documents' XOR experiment: a 2-4-1 network with sigmoid hidden and
/// output layers ([`init_network`] with `seed`), trained on
/// [`logic_gate`]`("xor")` with full-batch gradient descent for 10 000 epochs
/// on the squared error. The documents use learning rate 1.0 on a gradient that
/// lacks the squared error's factor 2; with the true gradient that is
/// `Sgd { lr: 0.5 }`. No scaling. Graded by whether it predicts all four cases.
///
/// Book: `book/src/lab07-training.md#experiment-xor`.
pub fn fit_xor(seed: u64) -> Model {
    let data = logic_gate("xor").expect("xor is a gate");
    let mut layers = init_network(
        &[2, 4, 1],
        Activation::Sigmoid,
        Activation::Sigmoid,
        seed,
    );
    let config = TrainConfig {
        epochs: 10_000,
        batch_size: 0,
        loss: Loss::SquaredError,
        lambda: 0.0,
        seed,
    };
    train(
        &mut layers,
        &data.x,
        &data.y,
        &config,
        &mut Sgd { lr: 0.5 },
        &mut |_, _, _| false,
    );
    Model { standardizer: identity_standardizer(2), layers }
}

/// Two moons: a 2-16-1 network (tanh hidden, sigmoid output) on `data` (labels
/// 0/1), standardized inputs, cross-entropy, Adam (lr 0.01, β₁ 0.9, β₂ 0.999, ε
/// 1e−8), mini-batches of 32, 200 epochs, `seed` for the initial weights and
/// the batches. Graded by test accuracy: at least 0.93, which no straight line
/// reaches.
///
/// Book: `book/src/lab07-training.md#experiment-two-moons`.
pub fn fit_moons(data: &Dataset, seed: u64) -> Model {
    fit_classifier(data, &[2, 16, 1], Activation::Tanh, 200, seed)
}

/// The sine curve: a 1-20-1 network (tanh hidden, identity output) on `data`,
/// standardized inputs, squared error, Adam (lr 0.01, β₁ 0.9, β₂ 0.999, ε
/// 1e−8), mini-batches of 16, 1000 epochs, `seed` for the initial weights and
/// the batches. One hidden layer approximates a smooth curve: graded by the
/// root-mean-square error against sin x on test points, at most 0.05.
///
/// Book: `book/src/lab07-training.md#experiment-a-sine-curve`.
pub fn fit_sine(data: &Dataset, seed: u64) -> Model {
    let standardizer = fit_standardizer(&data.x);
    let x = standardize(&data.x, &standardizer);
    let mut layers =
        init_network(&[1, 20, 1], Activation::Tanh, Activation::Identity, seed);
    let config = TrainConfig {
        epochs: 1000,
        batch_size: 16,
        loss: Loss::SquaredError,
        lambda: 0.0,
        seed,
    };
    let mut adam = Adam::new(0.01, 0.9, 0.999, 1e-8, flatten(&layers).len());
    train(&mut layers, &x, &data.y, &config, &mut adam, &mut |_, _, _| false);
    Model { standardizer, layers }
}

/// The handwritten digits: a 64-32-10 network (ReLU hidden, sigmoid outputs) on
/// `data` (labels 0–9), standardized inputs, [`one_hot`] targets, cross-entropy
/// on each of the ten outputs (lab 05 has no softmax; the largest output wins),
/// Adam (lr 0.01, β₁ 0.9, β₂ 0.999, ε 1e−8), mini-batches of 32, 15 epochs,
/// `seed` for the initial weights and the batches. Graded by test accuracy: at
/// least 0.95.
///
/// Book: `book/src/lab07-training.md#experiment-handwritten-digits`.
pub fn fit_digits(data: &Dataset, seed: u64) -> Model {
    fit_classifier(data, &[64, 32, 10], Activation::Relu, 15, seed)
}

/// Standardize, one-hot (for several outputs), and train with Adam and
/// cross-entropy.
fn fit_classifier(
    data: &Dataset,
    sizes: &[usize],
    hidden: Activation,
    epochs: usize,
    seed: u64,
) -> Model {
    let standardizer = fit_standardizer(&data.x);
    let x = standardize(&data.x, &standardizer);
    let classes = sizes[sizes.len() - 1];
    let y = if classes == 1 {
        data.y.clone()
    } else {
        one_hot(
            &(0..data.len())
                .map(|i| data.y[(i, 0)] as usize)
                .collect::<Vec<_>>(),
            classes,
        )
    };
    let mut layers = init_network(sizes, hidden, Activation::Sigmoid, seed);
    let config = TrainConfig {
        epochs,
        batch_size: 32,
        loss: Loss::CrossEntropy,
        lambda: 0.0,
        seed,
    };
    let mut adam = Adam::new(0.01, 0.9, 0.999, 1e-8, flatten(&layers).len());
    train(&mut layers, &x, &y, &config, &mut adam, &mut |_, _, _| false);
    Model { standardizer, layers }
}
