//! Properties of the reference that no single worked number shows: gradients agree with finite
//! differences, dropout keeps the expected value, and the two experiments of the chapter come out
//! the way the chapter says.

use faer::Mat;
use lab08_regularization_solution as lab;
use lab08_regularization_solution::{Activation, Layer, Loss, Regularization, TrainConfig};
use nnlab_data::experiment::{Experiment, Problem};

fn numeric(f: &dyn Fn(&Mat<f64>) -> f64, at: &Mat<f64>) -> Mat<f64> {
    let h = 1e-6;
    Mat::from_fn(at.nrows(), at.ncols(), |i, j| {
        let (mut up, mut down) = (at.clone(), at.clone());
        up[(i, j)] += h;
        down[(i, j)] -= h;
        (f(&up) - f(&down)) / (2.0 * h)
    })
}

#[test]
fn batchnorm_backward_matches_finite_differences() {
    let x = nnlab_data::gaussian(5, 3, 1.5, 4);
    let (gamma, beta, eps) = (vec![0.5, -1.2, 2.0], vec![0.1, 0.0, -0.3], 1e-5);
    let weights = nnlab_data::gaussian(5, 3, 1.0, 5);
    // L = Σ weights ⊙ BN(x): its gradient with respect to the output is `weights`.
    let loss = |x: &Mat<f64>, gamma: &[f64], beta: &[f64]| {
        let (out, _) = lab::batchnorm_forward(x, gamma, beta, eps);
        (0..5).flat_map(|i| (0..3).map(move |j| (i, j))).map(|ij| out[ij] * weights[ij]).sum::<f64>()
    };
    let (_, cache) = lab::batchnorm_forward(&x, &gamma, &beta, eps);
    let g = lab::batchnorm_backward(&weights, &cache, &gamma);
    let dx = numeric(&|x| loss(x, &gamma, &beta), &x);
    let row = |v: &[f64]| Mat::from_fn(1, v.len(), |_, j| v[j]);
    let dgamma = numeric(&|g| loss(&x, &[g[(0, 0)], g[(0, 1)], g[(0, 2)]], &beta), &row(&gamma));
    let dbeta = numeric(&|b| loss(&x, &gamma, &[b[(0, 0)], b[(0, 1)], b[(0, 2)]]), &row(&beta));
    for (got, want) in [(g.dx, dx), (row(&g.dgamma), dgamma), (row(&g.dbeta), dbeta)] {
        for i in 0..got.nrows() {
            for j in 0..got.ncols() {
                assert!((got[(i, j)] - want[(i, j)]).abs() < 1e-6, "{} vs {}", got[(i, j)], want[(i, j)]);
            }
        }
    }
}

#[test]
fn inverted_dropout_keeps_the_mean() {
    let a = Mat::from_fn(200, 50, |_, _| 1.0);
    let (out, mask) = lab::dropout_forward(&a, 0.3, 9, true);
    let mean = (0..200).flat_map(|i| (0..50).map(move |j| (i, j))).map(|ij| out[ij]).sum::<f64>() / 10_000.0;
    let kept = (0..200).flat_map(|i| (0..50).map(move |j| (i, j))).map(|ij| mask[ij]).sum::<f64>() / 10_000.0;
    assert!((mean - 1.0).abs() < 0.03 && (kept - 0.7).abs() < 0.02, "mean {mean}, kept {kept}");
    assert_eq!(lab::dropout_forward(&a, 0.3, 9, false).0, a);
}

/// The loss `train_regularized` records for one full batch without dropout is the loss whose
/// gradient it follows: one SGD step with lr h moves the loss by −h·‖g‖² to first order.
#[test]
fn regularized_gradient_is_the_gradient_of_the_recorded_loss() {
    let x = nnlab_data::gaussian(6, 2, 1.0, 1);
    let y = Mat::from_fn(6, 1, |i, _| f64::from(u8::from(i % 2 == 0)));
    let layers = lab::init_network(&[2, 3, 1], Activation::Tanh, Activation::Sigmoid, 3);
    let reg = Regularization { dropout: 0.0, l1: 0.01, l2: 0.05 };
    let config = TrainConfig { epochs: 1, batch_size: 0, loss: Loss::CrossEntropy, lambda: 0.0, seed: 0 };
    let loss_at = |layers: &[Layer]| {
        let out = lab::forward(&x, layers).a.pop().unwrap();
        let w: Vec<Mat<f64>> = layers.iter().map(|l| l.w.clone()).collect();
        lab::loss_value(&out, &y, Loss::CrossEntropy) + lab::penalty(&w, reg.l1, reg.l2)
    };
    // The gradient by finite differences over the flattened parameters.
    let params = lab::flatten(&layers);
    let numeric: Vec<f64> = (0..params.len())
        .map(|k| {
            let at = |d: f64| {
                let mut p = params.clone();
                p[k] += d;
                let mut l = layers.clone();
                lab::unflatten(&mut l, &p);
                loss_at(&l)
            };
            (at(1e-6) - at(-1e-6)) / 2e-6
        })
        .collect();
    // One SGD step of lr 1 moves the parameters by minus the gradient train_regularized used.
    let mut stepped = layers.clone();
    let recorded = lab::train_regularized(&mut stepped, &x, &y, reg, &config, &mut lab::Sgd { lr: 1.0 });
    assert!((recorded[0] - loss_at(&layers)).abs() < 1e-12);
    let used: Vec<f64> =
        params.iter().zip(lab::flatten(&stepped)).map(|(before, after)| before - after).collect();
    for (u, n) in used.iter().zip(&numeric) {
        assert!((u - n).abs() < 1e-6, "{u} vs {n}");
    }
}

/// The chapter's claim: a 10-layer sigmoid network with small weights hands its first layer a
/// gradient many orders of magnitude smaller than its last; ReLU with He initialisation does not.
#[test]
fn sigmoid_gradients_vanish_and_relu_gradients_do_not() {
    let x = nnlab_data::gaussian(32, 16, 1.0, 1);
    let y = Mat::from_fn(32, 1, |i, _| f64::from(u8::from(i % 2 == 0)));
    let sigmoid = lab::deep_network(16, Activation::Sigmoid, Some(0.01), 7);
    let relu = lab::deep_network(16, Activation::Relu, None, 7);
    let s = lab::layer_gradient_norms(&sigmoid, &x, &y, Loss::CrossEntropy);
    let r = lab::layer_gradient_norms(&relu, &x, &y, Loss::CrossEntropy);
    let span = |g: &[f64]| g[g.len() - 1] / g[0];
    assert!(span(&s) > 1e10, "sigmoid: {s:?}");
    assert!(span(&r) < 1e2, "relu: {r:?}");
}

/// On a small noisy training set a wide network overfits: its validation loss turns up while its
/// training loss keeps falling; early stopping keeps the weights from the turn.
#[test]
fn early_stopping_keeps_the_weights_from_before_overfitting() {
    let split =
        Experiment { problem: Problem::Moons { noise: 0.35 }, n_train: 40, n_test: 200, seed: 3 }.split();
    let layers = lab::init_network(&[2, 64, 64, 1], Activation::Relu, Activation::Sigmoid, 1);
    let config = TrainConfig { epochs: 400, batch_size: 0, loss: Loss::CrossEntropy, lambda: 0.0, seed: 1 };
    let mut adam = lab::Adam::new(0.01, 0.9, 0.999, 1e-8, lab::flatten(&layers).len());
    let run =
        lab::train_with_early_stopping(&layers, &split.train, &split.test, &config, &mut adam, 400, 0.0);
    let best = run.best_epoch;
    let last = run.val_losses.len() - 1;
    eprintln!(
        "best epoch {best}: val {} (last {}), train {} (last {})",
        run.val_losses[best], run.val_losses[last], run.train_losses[best], run.train_losses[last]
    );
    assert!(best < last / 2 && run.val_losses[last] > 1.5 * run.val_losses[best]);
    assert!(run.train_losses[last] < run.train_losses[best]);
}

/// Grid search as the chapter describes it: every setting trained on the training split and
/// scored on a validation split, never on the test points. On the moons a hidden layer of 16 beats
/// one of 1 (a line, in effect), and too small a learning rate loses too.
#[test]
fn grid_search_on_a_validation_split_finds_a_hidden_layer() {
    let split =
        Experiment { problem: Problem::Moons { noise: 0.2 }, n_train: 300, n_test: 100, seed: 5 }.split();
    let (train_idx, val_idx) = lab07_training::train_test_split(split.train.len(), 0.25, 5);
    let (train, val) = (split.train.select(&train_idx), split.train.select(&val_idx));
    let mut evaluate = |lr: f64, hidden: usize| {
        let mut layers = lab::init_network(&[2, hidden, 1], Activation::Tanh, Activation::Sigmoid, 5);
        let config =
            TrainConfig { epochs: 60, batch_size: 16, loss: Loss::CrossEntropy, lambda: 0.0, seed: 5 };
        let mut adam = lab::Adam::new(lr, 0.9, 0.999, 1e-8, lab::flatten(&layers).len());
        lab::train(&mut layers, &train.x, &train.y, &config, &mut adam, &mut |_, _, _| false);
        let out = lab::forward(&val.x, &layers).a.pop().unwrap();
        lab::loss_value(&out, &val.y, Loss::CrossEntropy)
    };
    let search = lab::grid_search(&[0.0003, 0.03], &[1, 16], &mut evaluate);
    assert_eq!(search.trials.len(), 4);
    let (lr, hidden, score) = search.best;
    assert_eq!((lr, hidden), (0.03, 16), "{:?}", search.trials);
    assert!(search.trials.iter().all(|t| t.2 >= score));
}
