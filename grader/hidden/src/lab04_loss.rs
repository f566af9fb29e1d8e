//! Hidden cases of lab 04: random predictions (including exact 0 and 1, where only clipped
//! logarithms stay finite), random labels, softmax rows from random logits, random weight lists.

use faer::Mat;
use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::{Input, input, uniform, uniform_vec};

fn labels(rng: &mut Pcg64, n: usize, classes: usize) -> Vec<usize> {
    (0..n).map(|_| rng.random_range(0..classes)).collect()
}

fn binary(rng: &mut Pcg64, n: usize) -> Vec<f64> {
    (0..n).map(|_| f64::from(rng.random_range(0..2u8))).collect()
}

/// Probabilities, with an exact 0 or 1 in the last cases.
fn probabilities(rng: &mut Pcg64, n: usize, i: usize) -> Vec<f64> {
    let mut p = uniform_vec(rng, n, 0.001, 0.999);
    if i >= 8 {
        p[0] = if i == 8 { 0.0 } else { 1.0 };
    }
    p
}

fn softmax_rows(rng: &mut Pcg64, n: usize, k: usize) -> Mat<f64> {
    let z = Mat::from_fn(n, k, |_, _| uniform(rng, -4.0, 4.0));
    Mat::from_fn(n, k, |i, j| {
        let total: f64 = (0..k).map(|c| z[(i, c)].exp()).sum();
        z[(i, j)].exp() / total
    })
}

fn weights(rng: &mut Pcg64) -> Value {
    let layers = rng.random_range(1..=3);
    Value::List(
        (0..layers)
            .map(|_| {
                let (r, c) = (rng.random_range(1..=4), rng.random_range(1..=4));
                Mat::<f64>::from_fn(r, c, |_, _| uniform(rng, -2.0, 2.0)).into()
            })
            .collect(),
    )
}

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    let n = rng.random_range(1..=8);
    let k = rng.random_range(2..=5);
    Some(match exercise {
        "mse" | "mse_grad" => input([
            ("pred", uniform_vec(rng, n, -3.0, 3.0).into()),
            ("target", uniform_vec(rng, n, -3.0, 3.0).into()),
        ]),
        "bce" | "bce_grad" => {
            input([("pred", probabilities(rng, n, i).into()), ("target", binary(rng, n).into())])
        }
        "sigmoid_bce_delta" => {
            input([("a", uniform_vec(rng, n, 0.0, 1.0).into()), ("target", binary(rng, n).into())])
        }
        "one_hot" => input([("labels", labels(rng, n, k).into()), ("classes", k.into())]),
        "categorical_ce" | "categorical_ce_grad" | "softmax_ce_delta" => {
            let mut onehot = Mat::<f64>::zeros(n, k);
            for (row, class) in labels(rng, n, k).into_iter().enumerate() {
                onehot[(row, class)] = 1.0;
            }
            input([("probs", softmax_rows(rng, n, k).into()), ("onehot", onehot.into())])
        }
        "l2_penalty" => input([("weights", weights(rng)), ("lambda", uniform(rng, 0.0, 1.0).into())]),
        "l2_grad" => input([
            ("w", Mat::<f64>::from_fn(n, k, |_, _| uniform(rng, -2.0, 2.0)).into()),
            ("lambda", uniform(rng, 0.0, 1.0).into()),
        ]),
        "regularised_loss" => input([
            ("loss", uniform(rng, 0.0, 3.0).into()),
            ("weights", weights(rng)),
            ("lambda", uniform(rng, 0.0, 1.0).into()),
        ]),
        "accuracy" => {
            let labels_ = labels(rng, n + 3, k);
            let predicted = labels_
                .iter()
                .map(|&l| if rng.random_bool(0.7) { l } else { (l + 1) % k })
                .collect::<Vec<_>>();
            input([("predicted", predicted.into()), ("labels", labels_.into())])
        }
        _ => return None,
    })
}
