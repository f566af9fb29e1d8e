//! Hidden cases of lab 02. Training runs on random point clouds (two offset Gaussian blobs, so
//! some runs converge and some exhaust their epochs), visited in random order, with random
//! learning rates; cluster sampling is judged by statistics with enough samples per class.

use faer::Mat;
use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::{Input, input, normal, uniform, uniform_vec};

pub fn case(exercise: &str, _i: usize, rng: &mut Pcg64) -> Option<Input> {
    Some(match exercise {
        "predict" => {
            let d = rng.random_range(1..=5);
            input([
                ("w", uniform_vec(rng, d, -2.0, 2.0).into()),
                ("b", uniform(rng, -1.0, 1.0).into()),
                ("x", uniform_vec(rng, d, -2.0, 2.0).into()),
            ])
        }
        "update" => {
            let d = rng.random_range(1..=5);
            input([
                ("w", uniform_vec(rng, d, -2.0, 2.0).into()),
                ("b", uniform(rng, -1.0, 1.0).into()),
                ("x", uniform_vec(rng, d, -2.0, 2.0).into()),
                ("y", f64::from(rng.random_range(0..2u8)).into()),
                ("eta", uniform(rng, 0.05, 1.0).into()),
            ])
        }
        "train" => {
            let (n, d) = (rng.random_range(4..=12), rng.random_range(2..=3));
            let gap = uniform(rng, 0.0, 3.0);
            let labels: Vec<f64> = (0..n).map(|_| f64::from(rng.random_range(0..2u8))).collect();
            let mut x = Mat::zeros(n, d);
            for (i, &label) in labels.iter().enumerate() {
                let side = if label == 1.0 { gap } else { -gap };
                for j in 0..d {
                    x[(i, j)] = normal(rng) + side / (j + 1) as f64;
                }
            }
            input([
                ("x", x.into()),
                ("y", labels.into()),
                ("eta", uniform(rng, 0.05, 1.0).into()),
                ("max_epochs", Value::Int(rng.random_range(3..=25))),
            ])
        }
        "decision_boundary" => {
            let w2 = uniform(rng, 0.2, 2.0) * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            let k = rng.random_range(2..=6);
            input([
                ("w", vec![uniform(rng, -2.0, 2.0), w2].into()),
                ("b", uniform(rng, -2.0, 2.0).into()),
                ("x1", uniform_vec(rng, k, -4.0, 4.0).into()),
            ])
        }
        "gaussian_clusters" => input([
            ("n", Value::Int(rng.random_range(2000..=3000))),
            ("centre0", uniform_vec(rng, 2, -3.0, 3.0).into()),
            ("centre1", uniform_vec(rng, 2, -3.0, 3.0).into()),
            ("std", uniform(rng, 1.0, 2.0).into()),
            ("seed", Value::Int(rng.random_range(0..i64::from(i32::MAX)))),
        ]),
        _ => return None,
    })
}
