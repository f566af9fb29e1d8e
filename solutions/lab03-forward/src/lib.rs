//! # Lab 03 — forward propagation
//!
//! A multilayer perceptron (MLP) stacks layers of neurons: every neuron of a
//! layer reads every output of the layer before. Computing the network's output
//! from its input — the forward pass — is one matrix product, one bias and one
//! activation per layer. This lab writes that pass on `faer` matrices, keeps
//! what backpropagation (lab 05) will need, and initialises the weights.
//!
//! Read the chapter first: `book/src/lab03-forward.md`. Fill in every function
//! whose body is `todo!`, then run `cargo test -p lab03-forward` for the public
//! checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: **samples are rows**. A batch `X` of n samples with d features
//! is n×d; a layer from d inputs to m neurons has weights `W` (d×m) and a bias
//! row `b` (1×m); it computes `Z = X·W + b`, adding `b` to every row.

use faer::Mat;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

// Code you are given (not graded, and not yours to change: the grader builds
// with its own copy).
mod given;
pub use given::*;

/// An activation function applied to a layer's pre-activations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `f(z) = z`: regression outputs.
    Identity,
    /// `1 / (1 + e^(−z))`, element-wise.
    Sigmoid,
    /// `tanh(z)`, element-wise.
    Tanh,
    /// `max(0, z)`, element-wise.
    Relu,
    /// Softmax of each **row**: one probability distribution per sample.
    Softmax,
}

/// One dense (fully connected) layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// Weights, inputs × neurons (d×m).
    pub w: Mat<f64>,
    /// Bias, one row of m numbers.
    pub b: Mat<f64>,
    /// The activation applied after `X·W + b`.
    pub activation: Activation,
}

/// The pre-activations of a dense layer for a batch: `Z = X·W + b`, where the
/// 1×m row `b` is added to every row of the n×m product.
///
/// Shapes: `x` n×d, `w` d×m, `b` 1×m → n×m.
///
/// ```text
/// X = [[0.5, 0.8]], W = [[0.1, 0.3, −0.2], [0.4, −0.5, 0.6]],
/// b = [[0.1, −0.1, 0.2]]
///   → Z = [[0.47, −0.35, 0.58]]
/// ```
///
/// Book: `book/src/lab03-forward.md#a-dense-layer`.
pub fn dense(x: &Mat<f64>, w: &Mat<f64>, b: &Mat<f64>) -> Mat<f64> {
    assert_eq!(x.ncols(), w.nrows(), "X is n×d and W must be d×m");
    assert_eq!(
        (b.nrows(), b.ncols()),
        (1, w.ncols()),
        "b must be one row with a number per neuron"
    );
    let xw = x * w;
    Mat::from_fn(xw.nrows(), xw.ncols(), |i, j| xw[(i, j)] + b[(0, j)])
}

/// `activation` applied to a matrix of pre-activations: element-wise, except
/// softmax, which normalises each row (subtract the row's maximum first, as in
/// lab 01).
///
/// ```text
/// Relu on [[0.47, −0.35, 0.58]] → [[0.47, 0, 0.58]]
/// Softmax on [[0, 0]] → [[0.5, 0.5]]
/// ```
///
/// Book: `book/src/lab03-forward.md#activations-on-matrices`.
pub fn activate(z: &Mat<f64>, activation: Activation) -> Mat<f64> {
    let element = |f: fn(f64) -> f64| {
        Mat::from_fn(z.nrows(), z.ncols(), |i, j| f(z[(i, j)]))
    };
    match activation {
        Activation::Identity => z.clone(),
        Activation::Sigmoid => element(sigmoid),
        Activation::Tanh => element(f64::tanh),
        Activation::Relu => element(|v| v.max(0.0)),
        Activation::Softmax => {
            let mut out = Mat::zeros(z.nrows(), z.ncols());
            for i in 0..z.nrows() {
                let max = (0..z.ncols())
                    .map(|j| z[(i, j)])
                    .fold(f64::NEG_INFINITY, f64::max);
                let total: f64 =
                    (0..z.ncols()).map(|j| (z[(i, j)] - max).exp()).sum();
                for j in 0..z.ncols() {
                    out[(i, j)] = (z[(i, j)] - max).exp() / total;
                }
            }
            out
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 { 1.0 / (1.0 + (-z).exp()) } else { z.exp() / (1.0 + z.exp()) }
}

/// What a forward pass keeps for backpropagation.
#[derive(Clone, Debug, PartialEq)]
pub struct Cache {
    /// The pre-activations `Z` of every layer, first layer first.
    pub z: Vec<Mat<f64>>,
    /// The activations: `a[0]` is the input `X`, `a[l]` the output of layer `l`
    /// (so `a` has one more entry than `z`, and the network's output is the
    /// last one).
    pub a: Vec<Mat<f64>>,
}

/// The forward pass of a network: for each layer in order, `Z = A·W + b` and
/// `A = f(Z)`, starting from `A = X`. Returns every `Z` and every `A` (see
/// [`Cache`]).
///
/// ```text
/// the 2-3-1 network of the chapter, X = [[0.5, 0.8]]:
///   z = [[[0.47, −0.35, 0.58]], [[0.719]]]     output a[2] = [[0.672387]]
/// ```
///
/// Book: `book/src/lab03-forward.md#the-forward-pass`.
pub fn forward(x: &Mat<f64>, layers: &[Layer]) -> Cache {
    let mut cache = Cache { z: Vec::new(), a: vec![x.clone()] };
    for layer in layers {
        let z =
            dense(cache.a.last().expect("a starts with X"), &layer.w, &layer.b);
        cache.a.push(activate(&z, layer.activation));
        cache.z.push(z);
    }
    cache
}

/// How to draw a layer's initial weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// Standard normal numbers times 0.01.
    SmallRandom,
    /// Uniform on (−1, 1).
    Uniform,
    /// What the documents call Xavier: normal with mean 0 and variance
    /// `1/n_in`, which is LeCun's rule (Glorot and Bengio's Xavier uses
    /// `2/(n_in + n_out)`); suits sigmoid and tanh.
    Xavier,
    /// He: normal with mean 0 and variance `2/n_in`; suits ReLU.
    He,
}

/// A new layer from `n_in` inputs to `n_out` neurons: weights drawn by `init`
/// from `rng`, biases zero. Uniform numbers come from
/// `rng.random_range(-1.0..1.0)`, normal ones from [`standard_normal`] scaled
/// by the standard deviation (`√(1/n_in)` for Xavier, `√(2/n_in)` for He).
///
/// The grader checks the statistics of what you draw (mean and variance against
/// the scheme's), not the individual numbers.
///
/// Book: `book/src/lab03-forward.md#initialising-the-weights`.
pub fn init_layer(
    n_in: usize,
    n_out: usize,
    init: Init,
    activation: Activation,
    rng: &mut Pcg64,
) -> Layer {
    let std = match init {
        Init::SmallRandom => 0.01,
        Init::Uniform => 0.0,
        Init::Xavier => (1.0 / n_in as f64).sqrt(),
        Init::He => (2.0 / n_in as f64).sqrt(),
    };
    let w = Mat::from_fn(n_in, n_out, |_, _| match init {
        Init::Uniform => rng.random_range(-1.0..1.0),
        _ => std * standard_normal(rng),
    });
    Layer { w, b: Mat::zeros(1, n_out), activation }
}

/// The predicted class of every row of a network's output: with one output
/// column, 1 when the output is at least 0.5 and 0 otherwise; with several
/// columns, the index of the largest (the first one on ties).
///
/// ```text
/// [[0.672], [0.31]] → [1, 0]
/// [[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]] → [1, 0]
/// ```
///
/// Book: `book/src/lab03-forward.md#from-outputs-to-predictions`.
pub fn predict_classes(output: &Mat<f64>) -> Vec<usize> {
    (0..output.nrows())
        .map(|i| {
            if output.ncols() == 1 {
                usize::from(output[(i, 0)] >= 0.5)
            } else {
                (0..output.ncols()).fold(0, |best, j| {
                    if output[(i, j)] > output[(i, best)] { j } else { best }
                })
            }
        })
        .collect()
}
