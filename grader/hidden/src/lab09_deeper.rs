//! Hidden cases of lab 09: threshold units with random binary inputs, weights and inhibitors (some
//! sums exactly on the threshold), random XOR inputs, likelihoods with certain and clipped
//! probabilities, logits far out, residual blocks of random widths and activations, deep networks
//! with and without skips, learning curves with ties for successive halving, and learning-rate
//! searches on lab 07's XOR network.

use faer::Mat;
use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::lab05_backprop::ACTIVATIONS;
use super::{Input, input, matrix, pick, uniform};

/// `n` random bits as numbers.
fn bits(rng: &mut Pcg64, n: usize) -> Vec<f64> {
    (0..n).map(|_| f64::from(rng.random_range(0..2u8))).collect()
}

/// Learning curves of `configs` configurations over `length` budgets: each a loss falling from a
/// random start at a random rate, with ties in the first budget when `ties`.
fn curves(rng: &mut Pcg64, configs: usize, length: usize, ties: bool) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = (0..configs)
        .map(|_| {
            let (start, rate) = (uniform(rng, 1.0, 5.0), uniform(rng, 0.05, 0.6));
            (0..length).map(|r| start * (1.0 - rate).powi(r as i32)).collect()
        })
        .collect();
    if ties && configs >= 2 {
        let first = out[0][0];
        out[1][0] = first;
    }
    out
}

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    Some(match exercise {
        "mcp_unit" => {
            let n = rng.random_range(1..=4);
            let x = bits(rng, n);
            let weights: Vec<f64> = (0..n).map(|_| f64::from(rng.random_range(0..=3u8))).collect();
            let inhibitors = rng.random_range(0..=2);
            let mut inhibitory = bits(rng, inhibitors);
            if i.is_multiple_of(3) {
                inhibitory = vec![0.0; inhibitory.len()];
            }
            let sum: f64 = x.iter().zip(&weights).map(|(x, w)| x * w).sum();
            // Every other case sits exactly on its threshold, where `≥` decides.
            let threshold = if i.is_multiple_of(2) { sum } else { f64::from(rng.random_range(0..=4u8)) };
            input([
                ("x", x.into()),
                ("weights", weights.into()),
                ("inhibitory", inhibitory.into()),
                ("threshold", threshold.into()),
            ])
        }
        "mcp_xor" => {
            let x = bits(rng, 2);
            input([("x1", x[0].into()), ("x2", x[1].into())])
        }
        "bernoulli_nll" => {
            let n = rng.random_range(1..=6);
            let mut p: Vec<f64> = (0..n).map(|_| uniform(rng, 0.0, 1.0)).collect();
            if i >= 8 {
                // Certain predictions, right and wrong: the clipping decides.
                p[0] = (i % 2) as f64;
            }
            input([("p", p.into()), ("y", bits(rng, n).into())])
        }
        "categorical_nll" => {
            let (n, k) = (rng.random_range(1..=5), rng.random_range(2..=4));
            let mut probs = Mat::from_fn(n, k, |_, _| uniform(rng, 0.0, 1.0));
            for r in 0..n {
                let total: f64 = (0..k).map(|c| probs[(r, c)]).sum();
                for c in 0..k {
                    probs[(r, c)] /= total;
                }
            }
            let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..k)).collect();
            if i >= 8 {
                probs[(0, labels[0])] = 0.0;
            } else if i == 7 {
                // Certain and right: clipped to 1 − ε, so the loss is not exactly 0.
                for c in 0..k {
                    probs[(0, c)] = f64::from(u8::from(c == labels[0]));
                }
            }
            input([("probs", probs.into()), ("labels", labels.into())])
        }
        "nll_logit_gradient" => {
            let (n, k) = (rng.random_range(1..=4), rng.random_range(2..=4));
            let scale = if i >= 8 { 1000.0 } else { 5.0 };
            let logits = matrix(rng, n, k, scale);
            let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..k)).collect();
            input([("logits", logits.into()), ("labels", labels.into())])
        }
        "residual_forward" | "residual_backward" => {
            let (n, d) = (rng.random_range(1..=4), rng.random_range(1..=4));
            let activation = ACTIVATIONS[i % ACTIVATIONS.len()];
            let mut case = input([
                ("x", matrix(rng, n, d, 2.0).into()),
                ("w", matrix(rng, d, d, 1.0).into()),
                ("b", matrix(rng, 1, d, 0.5).into()),
                ("activation", activation.into()),
            ]);
            if exercise == "residual_backward" {
                case.insert("dy".into(), matrix(rng, n, d, 1.0).into());
            }
            case
        }
        "gradient_norms" => {
            let (n, d, depth) = (rng.random_range(1..=3), rng.random_range(1..=3), rng.random_range(1..=6));
            let weights: Vec<Mat<f64>> = (0..depth).map(|_| matrix(rng, d, d, 1.5)).collect();
            input([
                ("x", matrix(rng, n, d, 2.0).into()),
                ("weights", weights.into()),
                ("activation", pick(rng, &ACTIVATIONS).into()),
                ("residual", Value::from(i % 2 == 1)),
            ])
        }
        "successive_halving" => {
            let eta: usize = rng.random_range(2..=3);
            let configs = rng.random_range(2..=9);
            let length = rng.random_range(1..=9);
            let min_resource = rng.random_range(1..=length.min(2));
            input([
                ("curves", curves(rng, configs, length, i >= 7).into()),
                ("min_resource", min_resource.into()),
                ("eta", eta.into()),
            ])
        }
        "pick_learning_rate" => {
            let count = rng.random_range(3..=5);
            let rates: Vec<f64> = (0..count).map(|_| 10f64.powf(uniform(rng, -2.0, 1.0))).collect();
            let min_epochs: usize = rng.random_range(10..=40);
            input([
                ("rates", rates.into()),
                ("min_epochs", min_epochs.into()),
                ("max_epochs", (min_epochs * 8).into()),
                ("eta", 2usize.into()),
                ("seed", rng.random_range(0..1000usize).into()),
            ])
        }
        _ => return None,
    })
}
