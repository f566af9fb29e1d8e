//! Hidden cases of lab 05: random networks of depth 1 to 3 with random widths, activations and
//! losses, random batches and targets; the pieces of the backward pass get matrices of matching
//! random shapes. The full backward pass is also judged against finite differences (see
//! the registry's `cross_check`), on networks without ReLU, whose kinks finite differences cannot see.

use faer::Mat;
use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::{Input, input, matrix, pick, uniform};

pub(super) const ACTIVATIONS: [&str; 4] = ["identity", "sigmoid", "tanh", "relu"];
const SMOOTH: [&str; 3] = ["identity", "sigmoid", "tanh"];

/// Targets for `loss`: labels 0/1 for cross-entropy, real numbers for squared error.
fn targets(rng: &mut Pcg64, n: usize, k: usize, loss: &str) -> Mat<f64> {
    Mat::from_fn(n, k, |_, _| {
        if loss == "cross_entropy" { f64::from(rng.random_range(0..2u8)) } else { uniform(rng, -1.0, 1.0) }
    })
}

/// A random network with its batch: `x`, `y`, `layers`, `loss`. Cross-entropy gets a sigmoid
/// output; hidden activations come from `hidden`.
pub(super) fn network(rng: &mut Pcg64, hidden: &[&str]) -> Input {
    let (n, d, depth) = (rng.random_range(1..=5), rng.random_range(1..=4), rng.random_range(1..=3));
    let loss = pick(rng, &["squared_error", "cross_entropy"]);
    let mut width = d;
    let mut layers = Vec::new();
    for l in 0..depth {
        let last = l + 1 == depth;
        let next = if last { rng.random_range(1..=2) } else { rng.random_range(1..=4) };
        let activation = match (last, loss) {
            (true, "cross_entropy") => "sigmoid",
            (true, _) => pick(rng, &SMOOTH),
            (false, _) => pick(rng, hidden),
        };
        layers.push(Value::record([
            ("w", matrix(rng, width, next, 1.5).into()),
            ("b", matrix(rng, 1, next, 0.5).into()),
            ("activation", activation.into()),
        ]));
        width = next;
    }
    let k = width;
    input([
        ("x", matrix(rng, n, d, 2.0).into()),
        ("y", targets(rng, n, k, loss).into()),
        ("layers", Value::List(layers)),
        ("loss", loss.into()),
    ])
}

/// Makes `case` (a network of [`network`]) one whose first layer is a hidden ReLU layer with
/// pre-activations of exactly 0 for the first sample (a zero input row, zero biases): its bias
/// gradient then depends on ReLU′(0). Networks of one layer get a ReLU layer in front.
fn relu_at_zero(rng: &mut Pcg64, case: &mut Input) {
    let Some(Value::List(layers)) = case.get_mut("layers") else { unreachable!("network has layers") };
    if layers.len() == 1 {
        let Value::Map(first) = &layers[0] else { unreachable!("a layer is a record") };
        let width = first["w"].as_mat().expect("w").nrows();
        layers.insert(
            0,
            Value::record([
                ("w", matrix(rng, width, width, 1.5).into()),
                ("b", matrix(rng, 1, width, 0.5).into()),
                ("activation", "relu".into()),
            ]),
        );
    }
    let Value::Map(first) = &mut layers[0] else { unreachable!("a layer is a record") };
    first.insert("activation".into(), "relu".into());
    let m = first["b"].as_mat().expect("b").ncols();
    first.insert("b".into(), faer::Mat::<f64>::zeros(1, m).into());
    let mut x = case["x"].as_mat().expect("x");
    for j in 0..x.ncols() {
        x[(0, j)] = 0.0;
    }
    case.insert("x".into(), x.into());
}

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    if exercise == "backward/cross-check" {
        return Some(smooth_network(i, rng));
    }
    let (n, d, m) = (rng.random_range(1..=5), rng.random_range(1..=4), rng.random_range(1..=4));
    Some(match exercise {
        "activation_derivative" => {
            let activation = ACTIVATIONS[i % ACTIVATIONS.len()];
            let mut z = matrix(rng, n, m, 4.0);
            if activation == "relu" {
                // ReLU′(0) = 0 is a convention (the left derivative): every ReLU case has zeros.
                z[(0, 0)] = 0.0;
                for k in 1..n * m {
                    if rng.random_bool(0.3) {
                        z[(k / m, k % m)] = 0.0;
                    }
                }
            }
            input([("z", z.into()), ("activation", activation.into())])
        }
        "output_delta" => {
            let (activation, loss) = match i % 4 {
                0 | 1 => ("sigmoid", "cross_entropy"),
                2 => ("sigmoid", "squared_error"),
                _ => (pick(rng, &["identity", "tanh"]), "squared_error"),
            };
            let z = matrix(rng, n, m, 3.0);
            let a = match activation {
                "sigmoid" => z.as_ref().map(|&v| 1.0 / (1.0 + (-v).exp())),
                "tanh" => z.as_ref().map(|&v| v.tanh()),
                _ => z.clone(),
            };
            input([
                ("z", z.into()),
                ("a", a.into()),
                ("y", targets(rng, n, m, loss).into()),
                ("activation", activation.into()),
                ("loss", loss.into()),
            ])
        }
        "activation_grad" => {
            input([("delta", matrix(rng, n, m, 1.0).into()), ("w", matrix(rng, d, m, 2.0).into())])
        }
        "hidden_delta" => input([
            ("delta_next", matrix(rng, n, m, 1.0).into()),
            ("w_next", matrix(rng, d, m, 2.0).into()),
            ("z", matrix(rng, n, d, 3.0).into()),
            ("activation", ACTIVATIONS[i % ACTIVATIONS.len()].into()),
        ]),
        "weight_gradient" => {
            input([("a_prev", matrix(rng, n, d, 2.0).into()), ("delta", matrix(rng, n, m, 1.0).into())])
        }
        "bias_gradient" => input([("delta", matrix(rng, n, m, 1.0).into())]),
        "backward" => {
            let mut case = network(rng, &ACTIVATIONS);
            if i == 9 {
                relu_at_zero(rng, &mut case);
            }
            let lambda = if i.is_multiple_of(2) { 0.0 } else { uniform(rng, 0.01, 0.5) };
            case.insert("lambda".into(), lambda.into());
            case
        }
        "sgd_step" => {
            let mut case = network(rng, &ACTIVATIONS);
            let Some(Value::List(layers)) = case.get("layers") else { unreachable!("network has layers") };
            let grads: Vec<Value> = layers
                .iter()
                .map(|l| {
                    let Value::Map(l) = l else { unreachable!("a layer is a record") };
                    let (w, b) = (l["w"].as_mat().expect("w"), l["b"].as_mat().expect("b"));
                    Value::record([
                        ("dw", matrix(rng, w.nrows(), w.ncols(), 1.0).into()),
                        ("db", matrix(rng, 1, b.ncols(), 1.0).into()),
                    ])
                })
                .collect();
            case.insert("grads".into(), Value::List(grads));
            case.insert("lr".into(), uniform(rng, 0.01, 1.0).into());
            // A step needs no data: the network's x, y and loss would only be noise in
            // the failure report.
            case.retain(|k, _| ["layers", "grads", "lr"].contains(&k.as_str()));
            case
        }
        "numerical_gradient" => {
            let mut case = network(rng, &SMOOTH);
            let Some(Value::List(layers)) = case.get("layers") else { unreachable!("network has layers") };
            let layer = rng.random_range(0..layers.len());
            case.insert("layer".into(), layer.into());
            case.insert("h".into(), [1e-5, 1e-4, 1e-3][rng.random_range(0..3)].into());
            case
        }
        "relative_error" => {
            let a = matrix(rng, n, m, 2.0);
            let b = if i.is_multiple_of(3) {
                a.clone()
            } else {
                let scale = 10f64.powi(-rng.random_range(1..=8));
                Mat::from_fn(n, m, |r, c| a[(r, c)] + uniform(rng, -scale, scale))
            };
            input([("a", a.into()), ("b", b.into())])
        }
        "homework_update" => {
            let rows = rng.random_range(1..=6);
            let layer = |rng: &mut Pcg64, d: usize, m: usize| {
                Value::record([
                    ("w", matrix(rng, d, m, 1.0).into()),
                    ("b", matrix(rng, 1, m, 0.5).into()),
                    ("activation", "sigmoid".into()),
                ])
            };
            let layers = Value::List(vec![layer(rng, 2, 3), layer(rng, 3, 1)]);
            let y: Vec<f64> = (0..rows).map(|_| f64::from(rng.random_range(0..2u8))).collect();
            input([
                ("x", matrix(rng, rows, 2, 2.0).into()),
                ("y", y.into()),
                ("layers", layers),
                ("feature", (i % 2).into()),
                ("alpha", uniform(rng, 0.1, 2.0).into()),
            ])
        }
        _ => return None,
    })
}

/// The registry's cross-check of `backward`: smooth networks (no ReLU, whose kink finite
/// differences cannot see), judged against the reference's finite differences of the regularised
/// loss; every other case has λ > 0.
fn smooth_network(i: usize, rng: &mut Pcg64) -> Input {
    let mut case = network(rng, &SMOOTH);
    let lambda = if i.is_multiple_of(2) { 0.0 } else { uniform(rng, 0.01, 0.5) };
    case.insert("lambda".into(), lambda.into());
    case
}
