//! Hidden cases of lab 03: random shapes for every matrix function, random depths and activations
//! for the forward pass (with large pre-activations now and then, where a naive softmax or
//! sigmoid breaks), and layers large enough for their weight statistics to be sharp.

use faer::Mat;
use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::{Input, input, matrix, pick, tied_rows, uniform};

const ACTIVATIONS: [&str; 5] = ["identity", "sigmoid", "tanh", "relu", "softmax"];
const INITS: [&str; 4] = ["small_random", "uniform", "xavier", "he"];

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    let (n, d, m) = (rng.random_range(1..=5), rng.random_range(1..=4), rng.random_range(1..=4));
    // The last cases push pre-activations into the hundreds.
    let scale = if i < 8 { 2.0 } else { 400.0 };
    Some(match exercise {
        "dense" => input([
            ("x", matrix(rng, n, d, 2.0).into()),
            ("w", matrix(rng, d, m, 2.0).into()),
            ("b", matrix(rng, 1, m, 1.0).into()),
        ]),
        "activate" => {
            let act = ACTIVATIONS[i % ACTIVATIONS.len()];
            let mut z = matrix(rng, n, m.max(2), scale);
            if act == "softmax" && i >= 8 {
                // The largest logit first, far above the rest: the shift must be by the row's
                // maximum, wherever it is.
                let top = (0..z.ncols()).map(|j| z[(0, j)]).fold(f64::NEG_INFINITY, f64::max);
                z[(0, 0)] = top + 800.0;
            }
            input([("z", z.into()), ("activation", act.into())])
        }
        "forward" => {
            let depth = rng.random_range(1..=3);
            let mut width = d;
            let mut layers = Vec::new();
            for _ in 0..depth {
                let next = rng.random_range(1..=4);
                layers.push(Value::record([
                    ("w", matrix(rng, width, next, scale / 2.0).into()),
                    ("b", matrix(rng, 1, next, 1.0).into()),
                    ("activation", pick(rng, &ACTIVATIONS).into()),
                ]));
                width = next;
            }
            input([("x", matrix(rng, n, d, 2.0).into()), ("layers", Value::List(layers))])
        }
        "init_layer" => input([
            ("n_in", Value::Int(rng.random_range(40..=80))),
            ("n_out", Value::Int(rng.random_range(50..=80))),
            ("init", INITS[i % INITS.len()].into()),
            ("seed", Value::Int(rng.random_range(0..i64::from(i32::MAX)))),
        ]),
        "predict_classes" => {
            let cols = if i < 4 { 1 } else { rng.random_range(2..=5) };
            // The last cases are ties for the largest score, where the first index wins.
            let output = if i >= 8 {
                tied_rows(rng, n + 1, cols)
            } else {
                let mut output = Mat::<f64>::from_fn(n + 2, cols, |_, _| uniform(rng, 0.0, 1.0));
                if (2..4).contains(&i) {
                    // Exactly on the threshold: 0.5 is class 1.
                    output[(0, 0)] = 0.5;
                }
                output
            };
            input([("output", output.into())])
        }
        _ => return None,
    })
}
