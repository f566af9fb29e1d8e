//! What lab 09's reference must satisfy beyond its worked cases: the negative log-likelihoods are
//! lab 04's cross-entropies, the residual block's backward pass is its derivative (checked with lab
//! 05's finite differences), the skip carries the gradient down, and the learning-rate search is
//! successive halving on the training curves.

use faer::Mat;
use lab09_deeper_solution::*;

/// A matrix of numbers in (−scale, scale), from `seed`.
fn random(rows: usize, cols: usize, scale: f64, seed: u64) -> Mat<f64> {
    let u = nnlab_data::uniform(rows, cols, seed);
    Mat::from_fn(rows, cols, |i, j| scale * (2.0 * u[(i, j)] - 1.0))
}

#[test]
fn the_negative_log_likelihoods_are_lab_04s_cross_entropies() {
    for seed in 0..20 {
        let p: Vec<f64> = random(1, 7, 0.5, seed).row(0).iter().map(|v| v + 0.5).collect();
        let mut y: Vec<f64> =
            random(1, 7, 1.0, seed + 100).row(0).iter().map(|v| f64::from(*v > 0.0)).collect();
        y[0] = 1.0;
        // Bit for bit: the same terms, added in the same order.
        assert_eq!(bernoulli_nll(&p, &y), lab04_loss::bce(&p, &y), "seed {seed}");

        let logits = random(5, 4, 3.0, seed);
        let probs = Mat::from_fn(5, 4, |i, k| {
            let total: f64 = (0..4).map(|j| logits[(i, j)].exp()).sum();
            logits[(i, k)].exp() / total
        });
        let labels: Vec<usize> = (0..5).map(|i| (seed as usize + i) % 4).collect();
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
            (0..5).all(|i| (0..4).all(|k| (gradient[(i, k)] - shortcut[(i, k)]).abs() < 1e-12)),
            "seed {seed}"
        );
    }
}

#[test]
fn the_residual_backward_pass_agrees_with_finite_differences() {
    let activations = [Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::Relu];
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
            (0..3).flat_map(|i| (0..4).map(move |j| (i, j))).map(|(i, j)| dy[(i, j)] * y[(i, j)]).sum::<f64>()
        };
        let got = residual_backward(&x, &w, &b, activation, &dy);
        let h = 1e-6;
        let dx = numerical_gradient(&|x| loss(x, &w, &b), &x, h);
        let dw = numerical_gradient(&|w| loss(&x, w, &b), &w, h);
        let db = numerical_gradient(&|b| loss(&x, &w, b), &b, h);
        for (name, exact, numeric) in [("dx", &got.dx, &dx), ("dw", &got.dw, &dw), ("db", &got.db, &db)] {
            let error = lab05_backprop::relative_error(exact, numeric);
            assert!(error < 1e-6, "{activation:?} {name}: relative error {error}");
        }
    }
}

#[test]
fn the_skip_carries_the_gradient_down_a_deep_sigmoid_network() {
    let x = random(8, 6, 1.0, 1);
    let weights: Vec<Mat<f64>> = (0..20).map(|l| random(6, 6, 0.8, 100 + l)).collect();
    let plain = gradient_norms(&x, &weights, Activation::Sigmoid, false);
    let small: Vec<Mat<f64>> = weights.iter().map(|w| Mat::from_fn(6, 6, |i, j| w[(i, j)] / 20.0)).collect();
    let residual = gradient_norms(&x, &small, Activation::Sigmoid, true);
    assert!(plain[0] < 1e-10 * plain[19], "the plain network's first layer gets almost nothing: {plain:?}");
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
            let mut layers = init_network(&[2, 4, 1], Activation::Sigmoid, Activation::Sigmoid, 3);
            let config =
                TrainConfig { epochs: 80, batch_size: 0, loss: Loss::SquaredError, lambda: 0.0, seed: 3 };
            train(&mut layers, &xor.x, &xor.y, &config, &mut Sgd { lr }, &mut |_, _, _| false)
        })
        .collect();
    let winner = successive_halving(&curves, 10, 2).last().unwrap()[0];
    assert_eq!(pick_learning_rate(&rates, 10, 80, 2, 3), rates[winner]);
}
