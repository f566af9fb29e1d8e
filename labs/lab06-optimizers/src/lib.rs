//! # Lab 06 — optimizers
//!
//! Backpropagation (lab 05) says which way is downhill; an optimizer decides
//! how far to go and how to use what earlier steps saw. This lab writes the
//! optimizers of the course as state objects behind one trait — plain gradient
//! descent, momentum, Nesterov momentum, RMSProp and Adam — together with
//! learning-rate schedules, gradient clipping, and a loop that runs any of
//! them. Labs 07 and 08 train networks with exactly these objects.
//!
//! Read the chapter first: `book/src/lab06-optimizers.md`. Fill in every
//! function whose body is `todo!`, then run `cargo test -p lab06-optimizers`
//! for the public checks and `cargo run -p grader` for the graded ones.
//!
//! Conventions: parameters and gradients are flat slices of the same length (a
//! network's weights and biases laid end to end). An optimizer's state has one
//! entry per parameter and starts at zero; `step` updates the parameters in
//! place and advances the state.

// The optimizers' constructors, which you are given (not graded: the grader
// builds with its own copy).
mod given;

/// Something that updates parameters from their gradient, one step at a time.
pub trait Optimizer {
    /// Moves `params` one step using their gradient `grads` (same length),
    /// updating the state.
    fn step(&mut self, params: &mut [f64], grads: &[f64]);
}

/// Plain gradient descent: `θ ← θ − lr·g`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    /// The learning rate.
    pub lr: f64,
}

impl Optimizer for Sgd {
    /// `θ ← θ − lr·g`, element by element.
    ///
    /// ```text
    /// lr = 0.1, θ = [4, 3], g = [8, 18] → θ = [3.2, 1.2]
    /// ```
    ///
    /// Book: `book/src/lab06-optimizers.md#gradient-descent`.
    fn step(&mut self, params: &mut [f64], grads: &[f64]) {
        let _ = (params, grads);
        todo!()
    }
}

/// Gradient descent with momentum, in the velocity form of the lecture: the
/// velocity remembers a decaying sum of past steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    /// The learning rate.
    pub lr: f64,
    /// How much of the last velocity survives a step (0.9 is usual).
    pub beta: f64,
    /// One velocity per parameter, starting at 0.
    pub velocity: Vec<f64>,
}

impl Optimizer for Momentum {
    /// `v ← β·v − lr·g`, then `θ ← θ + v`.
    ///
    /// ```text
    /// lr = 0.1, β = 0.9, θ = [4, 3], v = [0, 0], g = [8, 18]
    ///   → v = [−0.8, −1.8], θ = [3.2, 1.2]
    /// ```
    ///
    /// Book: `book/src/lab06-optimizers.md#momentum`.
    fn step(&mut self, params: &mut [f64], grads: &[f64]) {
        let _ = (params, grads);
        todo!()
    }
}

/// Nesterov momentum: momentum that corrects its step with where the velocity
/// is about to carry the parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Nesterov {
    /// The learning rate.
    pub lr: f64,
    /// How much of the last velocity survives a step.
    pub beta: f64,
    /// One velocity per parameter, starting at 0.
    pub velocity: Vec<f64>,
}

impl Optimizer for Nesterov {
    /// `v ← β·v − lr·g`, then `θ ← θ + β·v − lr·g` with the **new** `v` — the
    /// form scikit-learn and Keras use, which needs only the gradient at θ
    /// itself.
    ///
    /// ```text
    /// lr = 0.1, β = 0.9, θ = [4, 3], g = [8, 18]
    ///   → v = [−0.8, −1.8], θ = [2.48, −0.42]
    /// ```
    ///
    /// Book: `book/src/lab06-optimizers.md#nesterov-momentum`.
    fn step(&mut self, params: &mut [f64], grads: &[f64]) {
        let _ = (params, grads);
        todo!()
    }
}

/// RMSProp: each parameter's step is divided by a running root mean square of
/// its gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp {
    /// The learning rate.
    pub lr: f64,
    /// How much of the running average survives a step (0.9 is usual).
    pub rho: f64,
    /// Added to the root mean square so that a zero gradient history never
    /// divides by zero.
    pub eps: f64,
    /// One running mean of squared gradients per parameter, starting at 0.
    pub mean_square: Vec<f64>,
}

impl Optimizer for RmsProp {
    /// `s ← ρ·s + (1 − ρ)·g²`, then `θ ← θ − lr·g / (√s + ε)`.
    ///
    /// ```text
    /// lr = 0.1, ρ = 0.9, ε = 1e−8, θ = [4], g = [8]
    ///   → s = [6.4], θ = [4 − 0.8/2.5298] = [3.68377]
    /// ```
    ///
    /// Book: `book/src/lab06-optimizers.md#rmsprop`.
    fn step(&mut self, params: &mut [f64], grads: &[f64]) {
        let _ = (params, grads);
        todo!()
    }
}

/// Adam: momentum on the gradient (first moment) and RMSProp's scaling (second
/// moment), both corrected for starting at zero.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    /// The learning rate.
    pub lr: f64,
    /// Decay of the first moment (0.9 is usual).
    pub beta1: f64,
    /// Decay of the second moment (0.999 is usual).
    pub beta2: f64,
    /// Added to the root of the second moment (1e−8 is usual).
    pub eps: f64,
    /// The running mean of the gradients, one per parameter.
    pub m: Vec<f64>,
    /// The running mean of the squared gradients, one per parameter.
    pub v: Vec<f64>,
    /// How many steps have been taken: 0 before the first.
    pub t: u32,
}

impl Optimizer for Adam {
    /// First `t ← t + 1` (so the first step has t = 1), then for each parameter
    /// `m ← β₁·m + (1 − β₁)·g`, `v ← β₂·v + (1 − β₂)·g²`, the bias-corrected
    /// `m̂ = m/(1 − β₁ᵗ)`, `v̂ = v/(1 − β₂ᵗ)`, and `θ ← θ − lr·m̂/(√v̂ + ε)`.
    ///
    /// ```text
    /// lr = 0.1, θ = [4, 3], g = [8, 18], first step
    ///   → m̂ = g, v̂ = g², θ ≈ [3.9, 2.9]
    /// ```
    ///
    /// Book: `book/src/lab06-optimizers.md#adam`.
    fn step(&mut self, params: &mut [f64], grads: &[f64]) {
        let _ = (params, grads);
        todo!()
    }
}

/// How the learning rate changes over the epochs of training.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// The initial rate throughout.
    Constant,
    /// Multiplied by `factor` after every `every` epochs.
    StepDecay {
        /// The multiplier, e.g. 0.5.
        factor: f64,
        /// Epochs between two drops.
        every: usize,
    },
    /// scikit-learn's `'invscaling'`: `lr₀ / (epoch + 1)^power`.
    InvScaling {
        /// The exponent (`power_t`, 0.5 in scikit-learn).
        power: f64,
    },
    /// Multiplied by `gamma` every epoch.
    Exponential {
        /// The multiplier per epoch, e.g. 0.95.
        gamma: f64,
    },
}

/// The learning rate of epoch `epoch` (counted from 0) for a schedule starting
/// at `lr0`: constant `lr₀`; step decay `lr₀·factor^⌊epoch/every⌋`; inverse
/// scaling `lr₀/(epoch + 1)^power`; exponential `lr₀·γ^epoch`. Every schedule
/// gives `lr₀` at epoch 0.
///
/// ```text
/// StepDecay { factor: 0.5, every: 10 }, lr₀ = 0.1, epoch 25 → 0.025
/// InvScaling { power: 0.5 }, lr₀ = 0.1, epoch 3 → 0.05
/// ```
///
/// Book: `book/src/lab06-optimizers.md#learning-rate-schedules`.
pub fn learning_rate(schedule: Schedule, lr0: f64, epoch: usize) -> f64 {
    let _ = (schedule, lr0, epoch);
    todo!()
}

/// Gradient clipping by global norm: when the norm of all gradients together,
/// `‖g‖ = √(Σ over every group and element of g²)`, exceeds `max_norm`, every
/// gradient is scaled by `max_norm/‖g‖`; otherwise they are returned unchanged.
/// The direction never changes.
///
/// ```text
/// [[3], [4]], max_norm = 1 → [[0.6], [0.8]]
/// [[0.3], [0.4]], max_norm = 1 → unchanged
/// ```
///
/// Book: `book/src/lab06-optimizers.md#gradient-clipping`.
pub fn clip_by_global_norm(grads: &[Vec<f64>], max_norm: f64) -> Vec<Vec<f64>> {
    let _ = (grads, max_norm);
    todo!()
}

/// Runs `optimizer` for `steps` steps from `start` on a function whose gradient
/// is `grad`, and returns the path: the starting point, then the parameters
/// after every step (`steps + 1` points).
///
/// ```text
/// Sgd { lr: 0.1 } on x² + 3y² (gradient [2x, 6y]) from [4, 3], 1 step
///   → [[4, 3], [3.2, 1.2]]
/// ```
///
/// Book: `book/src/lab06-optimizers.md#three-optimizers-on-one-bowl`.
pub fn minimize(
    optimizer: &mut dyn Optimizer,
    grad: &dyn Fn(&[f64]) -> Vec<f64>,
    start: &[f64],
    steps: usize,
) -> Vec<Vec<f64>> {
    let _ = (optimizer, grad, start, steps);
    todo!()
}
