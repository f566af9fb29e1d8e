//! How the probe and the public tests call lab 05: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use faer::Mat;
use nnlab_check::{Args, InputError, Value};

use super::lab;

#[path = "network.rs"]
mod network;

use network::{activation, layers, loss};

/// Calls exercise `name` of lab 05 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    let z = || input.mat("z");
    let act = || activation(input.str("activation")?);
    Ok(match name {
        "activation_derivative" => lab::activation_derivative(&z()?, act()?).into(),
        "output_delta" => {
            lab::output_delta(&z()?, &input.mat("a")?, &input.mat("y")?, act()?, loss(input.str("loss")?)?)
                .into()
        }
        "activation_grad" => lab::activation_grad(&input.mat("delta")?, &input.mat("w")?).into(),
        "hidden_delta" => {
            lab::hidden_delta(&input.mat("delta_next")?, &input.mat("w_next")?, &z()?, act()?).into()
        }
        "weight_gradient" => lab::weight_gradient(&input.mat("a_prev")?, &input.mat("delta")?).into(),
        "bias_gradient" => lab::bias_gradient(&input.mat("delta")?).into(),
        "backward" => {
            let Network { layers, x, y, loss } = network(input)?;
            let cache = lab::forward(&x, &layers);
            gradients(lab::backward(&layers, &cache, &y, loss, input.f64("lambda")?))
        }
        // Not an exercise: the grader asks the reference for it to judge `backward` against
        // finite differences of the regularised loss as well as against the reference's answer.
        "backward_by_finite_differences" => {
            let Network { layers, x, y, loss } = network(input)?;
            let lambda = input.f64("lambda")?;
            let h = 1e-5;
            let grads = (0..layers.len())
                .map(|l| {
                    let dw = lab::numerical_gradient(
                        &|w| objective(&with(&layers, l, Some(w), None), &x, &y, loss, lambda),
                        &layers[l].w,
                        h,
                    );
                    let db = lab::numerical_gradient(
                        &|b| objective(&with(&layers, l, None, Some(b)), &x, &y, loss, lambda),
                        &layers[l].b,
                        h,
                    );
                    lab::Gradients { dw, db }
                })
                .collect();
            gradients(grads)
        }
        "sgd_step" => {
            let layers = layers(input)?;
            let grads = input
                .records("grads")?
                .into_iter()
                .map(|g| Ok(lab::Gradients { dw: g.mat("dw")?, db: g.mat("db")? }))
                .collect::<Result<Vec<_>, InputError>>()?;
            let stepped = lab::sgd_step(&layers, &grads, input.f64("lr")?);
            Value::List(
                stepped.iter().map(|l| Value::record([("w", (&l.w).into()), ("b", (&l.b).into())])).collect(),
            )
        }
        "numerical_gradient" => {
            let Network { layers, x, y, loss } = network(input)?;
            let l = input.usize("layer")?;
            if l >= layers.len() {
                return Err(InputError(format!("there is no layer {l}")));
            }
            let f = |w: &Mat<f64>| objective(&with(&layers, l, Some(w), None), &x, &y, loss, 0.0);
            lab::numerical_gradient(&f, &layers[l].w, input.f64("h")?).into()
        }
        "relative_error" => lab::relative_error(&input.mat("a")?, &input.mat("b")?).into(),
        "homework_update" => {
            let layers = layers(input)?;
            let y = input.vec("y")?;
            lab::homework_update(&input.mat("x")?, &y, &layers, input.usize("feature")?, input.f64("alpha")?)
                .into()
        }
        _ => return Err(InputError(format!("lab05-backprop has no exercise `{name}`"))),
    })
}

/// The layers, the batch, its targets and the loss of a whole-network case.
struct Network {
    layers: Vec<lab::Layer>,
    x: Mat<f64>,
    y: Mat<f64>,
    loss: lab::Loss,
}

fn network(input: Args<'_>) -> Result<Network, InputError> {
    Ok(Network {
        layers: layers(input)?,
        x: input.mat("x")?,
        y: input.mat("y")?,
        loss: loss(input.str("loss")?)?,
    })
}

/// `layers` with the weights or the bias of layer `l` replaced.
fn with(layers: &[lab::Layer], l: usize, w: Option<&Mat<f64>>, b: Option<&Mat<f64>>) -> Vec<lab::Layer> {
    let mut out = layers.to_vec();
    if let Some(w) = w {
        out[l].w = w.clone();
    }
    if let Some(b) = b {
        out[l].b = b.clone();
    }
    out
}

/// `J = L + (λ/2)·Σ‖W‖²` of the network on the batch.
fn objective(layers: &[lab::Layer], x: &Mat<f64>, y: &Mat<f64>, loss: lab::Loss, lambda: f64) -> f64 {
    let cache = lab::forward(x, layers);
    let penalty: f64 = layers.iter().map(|l| l.w.norm_l2().powi(2)).sum();
    lab::loss_value(cache.a.last().expect("a starts with X"), y, loss) + lambda / 2.0 * penalty
}

fn gradients(grads: Vec<lab::Gradients>) -> Value {
    Value::List(
        grads.into_iter().map(|g| Value::record([("dw", g.dw.into()), ("db", g.db.into())])).collect(),
    )
}
