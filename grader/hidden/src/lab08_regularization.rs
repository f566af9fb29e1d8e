//! Hidden cases of lab 08: random activations and masks for dropout, random weights for the
//! penalties, short regularized training runs of random small networks (with and without dropout),
//! random batches for batch normalisation, random validation-loss sequences for early stopping
//! (some with plateaus), random networks for the gradient norms, and random bowls for the searches.

use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::lab05_backprop::{ACTIVATIONS, network};
use super::{Input, input, matrix, pick, training_optimizer, uniform, uniform_vec};

/// Batch normalisation's cache of `x` (x̂, the column means and the biased variances), computed
/// here so that `batchnorm_backward` is judged on its own, whatever the student's forward pass does.
/// It repeats the reference's forward pass on purpose: the grader does not link the reference (it
/// runs it as a probe), and the probe may not compute it, since the student edition ships the
/// probes and must not hold the reference's code.
fn batchnorm_cache(x: &faer::Mat<f64>, eps: f64) -> (faer::Mat<f64>, Vec<f64>, Vec<f64>) {
    let n = x.nrows() as f64;
    let column = |j: usize| (0..x.nrows()).map(move |i| x[(i, j)]);
    let mean: Vec<f64> = (0..x.ncols()).map(|j| column(j).sum::<f64>() / n).collect();
    let var: Vec<f64> =
        (0..x.ncols()).map(|j| column(j).map(|v| (v - mean[j]).powi(2)).sum::<f64>() / n).collect();
    let x_hat =
        faer::Mat::from_fn(x.nrows(), x.ncols(), |i, j| (x[(i, j)] - mean[j]) / (var[j] + eps).sqrt());
    (x_hat, mean, var)
}

/// Dimensions of a small random matrix.
fn dims(rng: &mut Pcg64) -> (usize, usize) {
    (rng.random_range(1..=5), rng.random_range(1..=4))
}

/// A random network with its batch, training settings and optimizer.
fn run(rng: &mut Pcg64) -> Input {
    let mut case = network(rng, &ACTIVATIONS);
    case.insert("epochs".into(), rng.random_range(1..=8usize).into());
    case.insert("batch_size".into(), rng.random_range(0..=3usize).into());
    case.insert("seed".into(), rng.random_range(0..1000usize).into());
    case.insert("optimizer".into(), training_optimizer(rng));
    case
}

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    Some(match exercise {
        "dropout_forward" => {
            let (n, d) = dims(rng);
            input([
                ("a", matrix(rng, n, d, 3.0).into()),
                ("p", if i == 0 { 0.0 } else { uniform(rng, 0.05, 0.9) }.into()),
                ("seed", rng.random_range(0..1_000_000usize).into()),
                ("training", (i % 4 != 3).into()),
            ])
        }
        "dropout_backward" => {
            let (n, d) = dims(rng);
            let mask = faer::Mat::from_fn(n, d, |_, _| f64::from(u8::from(rng.random_bool(0.6))));
            input([
                ("grad", matrix(rng, n, d, 2.0).into()),
                ("mask", mask.into()),
                ("p", uniform(rng, 0.05, 0.9).into()),
            ])
        }
        "penalty" => {
            let count = rng.random_range(1..=3);
            let weights: Vec<Value> = (0..count)
                .map(|_| {
                    let (n, d) = dims(rng);
                    matrix(rng, n, d, 2.0).into()
                })
                .collect();
            input([
                ("weights", Value::List(weights)),
                ("l1", uniform(rng, 0.0, 0.2).into()),
                ("l2", uniform(rng, 0.0, 0.2).into()),
            ])
        }
        "penalty_gradient" => {
            let (n, d) = dims(rng);
            let mut w = matrix(rng, n, d, 2.0);
            w[(0, 0)] = 0.0;
            input([
                ("w", w.into()),
                ("l1", uniform(rng, 0.0, 0.2).into()),
                ("l2", uniform(rng, 0.0, 0.2).into()),
            ])
        }
        "train_regularized" => {
            let mut case = run(rng);
            case.insert(
                "dropout".into(),
                if i.is_multiple_of(3) { 0.0 } else { uniform(rng, 0.1, 0.6) }.into(),
            );
            case.insert("l1".into(), if i.is_multiple_of(2) { uniform(rng, 0.0, 0.05) } else { 0.0 }.into());
            case.insert("l2".into(), if i % 4 < 2 { uniform(rng, 0.0, 0.05) } else { 0.0 }.into());
            case
        }
        "batchnorm_forward" | "batchnorm_backward" | "batchnorm_inference" => {
            let (n, d) = (rng.random_range(2..=6), rng.random_range(1..=4));
            let mut case = input([
                ("x", matrix(rng, n, d, 5.0).into()),
                ("gamma", uniform_vec(rng, d, 0.2, 2.0).into()),
                ("eps", pick(rng, &["0.00001", "0.001"]).parse::<f64>().ok()?.into()),
            ]);
            match exercise {
                "batchnorm_forward" => {
                    case.insert("beta".into(), uniform_vec(rng, d, -1.0, 1.0).into());
                }
                "batchnorm_backward" => {
                    case.insert("dout".into(), matrix(rng, n, d, 1.0).into());
                    let x = case.remove("x")?.as_mat()?;
                    let eps = case.get("eps").and_then(Value::as_f64)?;
                    let (x_hat, mean, var) = batchnorm_cache(&x, eps);
                    case.insert("x_hat".into(), x_hat.into());
                    case.insert("mean".into(), mean.into());
                    case.insert("var".into(), var.into());
                }
                _ => {
                    case.insert("beta".into(), uniform_vec(rng, d, -1.0, 1.0).into());
                    case.insert("running_mean".into(), uniform_vec(rng, d, -2.0, 2.0).into());
                    case.insert("running_var".into(), uniform_vec(rng, d, 0.1, 4.0).into());
                }
            }
            case
        }
        "update_running" => {
            let d = rng.random_range(1..=5);
            input([
                ("running", uniform_vec(rng, d, -2.0, 2.0).into()),
                ("batch", uniform_vec(rng, d, -2.0, 2.0).into()),
                ("momentum", uniform(rng, 0.5, 0.999).into()),
            ])
        }
        "early_stopping" if i >= 8 => {
            // A loss that comes back to exactly its best, then rises: with min_delta 0 an equal
            // loss is no improvement, so the stop comes `patience` epochs after the best.
            let patience = rng.random_range(1..=3usize);
            let mut loss = uniform(rng, 0.5, 2.0);
            let mut losses: Vec<f64> = (0..rng.random_range(1..=4))
                .map(|_| {
                    loss *= uniform(rng, 0.8, 0.95);
                    loss
                })
                .collect();
            let best = loss;
            for _ in 0..patience + 2 {
                losses.push(best);
                losses.push(best * uniform(rng, 1.01, 1.1));
            }
            input([("patience", patience.into()), ("min_delta", 0.0.into()), ("losses", losses.into())])
        }
        "early_stopping" => {
            // A falling loss with noise and, half the time, a plateau or a rise at the end.
            let len = rng.random_range(3..=15);
            let turn = rng.random_range(1..=len);
            let mut loss = uniform(rng, 0.5, 2.0);
            let losses: Vec<f64> = (0..len)
                .map(|e| {
                    loss *= if e < turn || i.is_multiple_of(2) {
                        uniform(rng, 0.8, 1.02)
                    } else {
                        uniform(rng, 0.99, 1.1)
                    };
                    loss
                })
                .collect();
            input([
                ("patience", rng.random_range(1..=4usize).into()),
                ("min_delta", if i.is_multiple_of(3) { uniform(rng, 0.0, 0.05) } else { 0.0 }.into()),
                ("losses", losses.into()),
            ])
        }
        "train_with_early_stopping" => {
            let mut case = run(rng);
            let n_val = rng.random_range(1..=4);
            let d = case["x"].as_mat()?.ncols();
            let k = case["y"].as_mat()?.ncols();
            let loss = case["loss"].clone();
            case.insert("x_val".into(), matrix(rng, n_val, d, 2.0).into());
            let y_val = faer::Mat::from_fn(n_val, k, |_, _| {
                if loss == Value::Str("cross_entropy".into()) {
                    f64::from(rng.random_range(0..2u8))
                } else {
                    uniform(rng, -1.0, 1.0)
                }
            });
            case.insert("y_val".into(), y_val.into());
            case.insert("epochs".into(), rng.random_range(3..=30usize).into());
            case.insert("patience".into(), rng.random_range(1..=4usize).into());
            case.insert("min_delta".into(), 0.0.into());
            case
        }
        "layer_gradient_norms" => network(rng, &ACTIVATIONS),
        "grid_search" | "random_search" => {
            let hiddens: Vec<usize> =
                (0..rng.random_range(1..=4)).map(|_| rng.random_range(2..=128)).collect();
            let bowl = Value::record([
                ("log10_lr", uniform(rng, -4.0, 0.0).into()),
                ("hidden", uniform(rng, 2.0, 128.0).into()),
                ("width", uniform(rng, 4.0, 64.0).into()),
            ]);
            let mut case = input([("hiddens", hiddens.into()), ("bowl", bowl)]);
            if exercise == "grid_search" {
                let lrs: Vec<f64> =
                    (0..rng.random_range(1..=4)).map(|_| 10f64.powf(uniform(rng, -4.0, 0.0))).collect();
                case.insert("lrs".into(), lrs.into());
            } else {
                let lo = 10f64.powf(uniform(rng, -5.0, -2.0));
                case.insert("n".into(), rng.random_range(1..=12usize).into());
                case.insert("lo".into(), lo.into());
                case.insert("hi".into(), (lo * 10f64.powf(uniform(rng, 1.0, 4.0))).into());
                case.insert("seed".into(), rng.random_range(0..1_000_000usize).into());
            }
            case
        }
        _ => return None,
    })
}
