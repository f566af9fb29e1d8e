//! How the probe and the public tests call lab 03: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use faer::Mat;
use nnlab_check::{Args, InputError, Value};

use super::lab;

/// Calls exercise `name` of lab 03 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "dense" => lab::dense(&input.mat("x")?, &input.mat("w")?, &input.mat("b")?).into(),
        "activate" => lab::activate(&input.mat("z")?, activation(input.str("activation")?)?).into(),
        "forward" => {
            let layers = input.records("layers")?.into_iter().map(layer).collect::<Result<Vec<_>, _>>()?;
            let cache = lab::forward(&input.mat("x")?, &layers);
            Value::record([("z", cache.z.into()), ("a", cache.a.into())])
        }
        "init_layer" => {
            let (n_in, n_out) = (input.usize("n_in")?, input.usize("n_out")?);
            let scheme = input.str("init")?;
            let (init, variance) = match scheme {
                "small_random" => (lab::Init::SmallRandom, 1e-4),
                "uniform" => (lab::Init::Uniform, 1.0 / 3.0),
                "xavier" => (lab::Init::Xavier, 1.0 / n_in as f64),
                "he" => (lab::Init::He, 2.0 / n_in as f64),
                other => return Err(InputError(format!("unknown initialisation `{other}`"))),
            };
            let mut rng = lab::rng(input.usize("seed")? as u64);
            let layer = lab::init_layer(n_in, n_out, init, lab::Activation::Relu, &mut rng);
            weight_summary(&layer, variance)
        }
        "predict_classes" => lab::predict_classes(&input.mat("output")?).into(),
        _ => return Err(InputError(format!("lab03-forward has no exercise `{name}`"))),
    })
}

fn activation(name: &str) -> Result<lab::Activation, InputError> {
    Ok(match name {
        "identity" => lab::Activation::Identity,
        "sigmoid" => lab::Activation::Sigmoid,
        "tanh" => lab::Activation::Tanh,
        "relu" => lab::Activation::Relu,
        "softmax" => lab::Activation::Softmax,
        other => return Err(InputError(format!("unknown activation `{other}`"))),
    })
}

fn layer(args: Args<'_>) -> Result<lab::Layer, InputError> {
    Ok(lab::Layer { w: args.mat("w")?, b: args.mat("b")?, activation: activation(args.str("activation")?)? })
}

/// Random weights are judged by their statistics, so that any correct sampler passes: the shape,
/// whether the biases are zero, the mean in units of the scheme's standard deviation (about 0) and
/// the variance relative to the scheme's (about 1).
fn weight_summary(layer: &lab::Layer, variance: f64) -> Value {
    let w: &Mat<f64> = &layer.w;
    let values: Vec<f64> = (0..w.nrows()).flat_map(|i| (0..w.ncols()).map(move |j| w[(i, j)])).collect();
    let count = values.len() as f64;
    let mean = values.iter().sum::<f64>() / count;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (count - 1.0);
    let b_zero = layer.b.nrows() == 1
        && layer.b.ncols() == w.ncols()
        && (0..w.ncols()).all(|j| layer.b[(0, j)] == 0.0);
    Value::record([
        ("rows", w.nrows().into()),
        ("cols", w.ncols().into()),
        ("bias_is_a_zero_row", b_zero.into()),
        ("mean_in_stds", (mean / variance.sqrt()).into()),
        ("variance_ratio", (var / variance).into()),
    ])
}
