//! Hidden cases of lab 01. Every activation gets ordinary inputs and inputs far in the tails
//! (|z| up to 1000), where the textbook formulas overflow to `inf` and `NaN`.

use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::{Input, far, input, uniform, uniform_vec};

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    // Seven ordinary inputs, three far out where naive formulas break.
    let z = |rng: &mut Pcg64, i: usize| if i < 7 { uniform(rng, -8.0, 8.0) } else { far(rng, 30.0, 1000.0) };
    let alpha = |rng: &mut Pcg64| uniform(rng, 0.001, 0.3);
    let logits = |rng: &mut Pcg64, i: usize| {
        let n = rng.random_range(2..=6);
        let shift = if i < 7 { 0.0 } else { far(rng, 500.0, 1000.0) };
        uniform_vec(rng, n, -5.0, 5.0).into_iter().map(|v| v + shift).collect::<Vec<_>>()
    };
    Some(match exercise {
        "weighted_sum" => {
            let n = rng.random_range(1..=8);
            input([
                ("x", uniform_vec(rng, n, -3.0, 3.0).into()),
                ("w", uniform_vec(rng, n, -2.0, 2.0).into()),
                ("b", uniform(rng, -2.0, 2.0).into()),
            ])
        }
        // Two cases exactly at 0, where these take a side by convention (step(0) = 1, the left
        // derivative at 0 for ReLU and leaky ReLU).
        "step" | "relu_prime" if (5..7).contains(&i) => input([("z", Value::Num(0.0))]),
        "leaky_relu_prime" if (5..7).contains(&i) => input([("z", 0.0.into()), ("alpha", alpha(rng).into())]),
        "step" | "step_prime" | "relu" | "relu_prime" | "sigmoid" | "sigmoid_prime" | "tanh"
        | "tanh_prime" => input([("z", Value::Num(z(rng, i)))]),
        "leaky_relu" | "leaky_relu_prime" => input([("z", z(rng, i).into()), ("alpha", alpha(rng).into())]),
        "sigmoid_prime_from_output" => input([("a", uniform(rng, 0.0, 1.0).into())]),
        "softmax" => input([("z", logits(rng, i).into())]),
        "softmax_jacobian" => input([("z", logits(rng, i).into())]),
        _ => return None,
    })
}
