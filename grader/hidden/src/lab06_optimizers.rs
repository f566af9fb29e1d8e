//! Hidden cases of lab 06: random hyper-parameters and random sequences of gradients (judged step by
//! step, state included), random quadratic bowls for the whole descent, random schedules at random
//! epochs, and gradient groups whose global norm falls on either side of the limit.

use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::{Input, input, pick, uniform, uniform_vec};

const OPTIMIZERS: [&str; 5] = ["sgd", "momentum", "nesterov", "rmsprop", "adam"];

/// The hyper-parameters of optimizer `kind`, as a list of fields.
fn settings(rng: &mut Pcg64, kind: &str) -> Vec<(&'static str, Value)> {
    let mut fields = vec![("lr", uniform(rng, 0.001, 0.3).into())];
    match kind {
        "momentum" | "nesterov" => fields.push(("beta", uniform(rng, 0.5, 0.99).into())),
        "rmsprop" => {
            fields.push(("rho", uniform(rng, 0.8, 0.99).into()));
            fields.push(("eps", 1e-8.into()));
        }
        "adam" => {
            fields.push(("beta1", uniform(rng, 0.8, 0.95).into()));
            fields.push(("beta2", uniform(rng, 0.99, 0.9999).into()));
            fields.push(("eps", 1e-8.into()));
        }
        _ => {}
    }
    fields
}

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    let n = rng.random_range(1..=6);
    Some(match exercise {
        "sgd" | "momentum" | "nesterov" | "rmsprop" | "adam" => {
            let steps = rng.random_range(1..=12);
            let mut case = input([
                ("params", uniform_vec(rng, n, -3.0, 3.0).into()),
                ("grads", (0..steps).map(|_| uniform_vec(rng, n, -5.0, 5.0)).collect::<Vec<_>>().into()),
            ]);
            case.extend(settings(rng, exercise).into_iter().map(|(k, v)| (k.to_string(), v)));
            case
        }
        "minimize" => {
            let kind = OPTIMIZERS[i % OPTIMIZERS.len()];
            let optimizer = Value::record(
                std::iter::once(("kind", kind.into())).chain(settings(rng, kind)).collect::<Vec<_>>(),
            );
            input([
                ("optimizer", optimizer),
                ("coeffs", uniform_vec(rng, n, 0.1, 5.0).into()),
                ("start", uniform_vec(rng, n, -5.0, 5.0).into()),
                ("steps", Value::Int(rng.random_range(1..=40))),
            ])
        }
        "learning_rate" if i >= 7 => {
            // Step decay at the epochs where it steps and just before: a schedule one epoch early
            // or late differs exactly there.
            let every = rng.random_range(2..=20);
            let epochs: Vec<usize> =
                (1..=4).flat_map(|k| [k * every - 1, k * every]).chain(std::iter::once(0)).collect();
            input([
                (
                    "schedule",
                    Value::record([
                        ("kind", "step_decay".into()),
                        ("factor", uniform(rng, 0.1, 0.9).into()),
                        ("every", Value::Int(every as i64)),
                    ]),
                ),
                ("lr0", uniform(rng, 0.001, 1.0).into()),
                ("epochs", epochs.into()),
            ])
        }
        "learning_rate" => {
            let schedule = match pick(rng, &["constant", "invscaling", "exponential"]) {
                "step_decay" => Value::record([
                    ("kind", "step_decay".into()),
                    ("factor", uniform(rng, 0.1, 0.9).into()),
                    ("every", Value::Int(rng.random_range(1..=20))),
                ]),
                "invscaling" => {
                    Value::record([("kind", "invscaling".into()), ("power", uniform(rng, 0.1, 1.0).into())])
                }
                "exponential" => Value::record([
                    ("kind", "exponential".into()),
                    ("gamma", uniform(rng, 0.8, 0.999).into()),
                ]),
                _ => Value::record([("kind", "constant".into())]),
            };
            let epochs: Vec<usize> =
                std::iter::once(0).chain((0..n).map(|_| rng.random_range(0..200))).collect();
            input([
                ("schedule", schedule),
                ("lr0", uniform(rng, 0.001, 1.0).into()),
                ("epochs", epochs.into()),
            ])
        }
        "clip_by_global_norm" => {
            let groups = rng.random_range(1..=4);
            let grads: Vec<Vec<f64>> = (0..groups)
                .map(|_| {
                    let len = rng.random_range(1..=4);
                    uniform_vec(rng, len, -3.0, 3.0)
                })
                .collect();
            let norm = grads.iter().flatten().map(|g| g * g).sum::<f64>().sqrt();
            // Half the cases need clipping, half do not.
            let max_norm = if i.is_multiple_of(2) {
                norm * uniform(rng, 0.1, 0.9)
            } else {
                norm * uniform(rng, 1.1, 3.0)
            };
            input([("grads", grads.into()), ("max_norm", max_norm.into())])
        }
        _ => return None,
    })
}
