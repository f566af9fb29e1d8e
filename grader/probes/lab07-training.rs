//! How the probe and the public tests call lab 07: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.
//!
//! The experiments (`fit_*`) are graded by outcome: their data comes from `nnlab_data`, which the
//! student's code cannot change, and their predictions on the test points are computed here, from
//! the returned model, by code the student does not write either.

use faer::Mat;
use nnlab_check::{Args, InputError, Value};
use nnlab_data::experiment::{Experiment, Problem};

use super::lab;

#[path = "network.rs"]
mod network;
#[path = "training.rs"]
mod training;

use network::layers;

/// Calls exercise `name` of lab 07 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "parse_csv" => match lab::parse_csv(input.str("text")?, input.str("target")?) {
            Ok(d) => Value::record([("x", d.x.into()), ("y", d.y.into())]),
            // Error messages are the student's own words; that there is one is what is checked.
            Err(_) => "error".into(),
        },
        "fit_standardizer" => {
            let s = lab::fit_standardizer(&input.mat("x")?);
            Value::record([("mean", s.mean.into()), ("scale", s.scale.into())])
        }
        "standardize" => {
            let s = lab::Standardizer { mean: input.vec("mean")?, scale: input.vec("scale")? };
            lab::standardize(&input.mat("x")?, &s).into()
        }
        "min_max_scale" => lab::min_max_scale(&input.mat("x")?).into(),
        "divide_by_column_max" => lab::divide_by_column_max(&input.mat("x")?).into(),
        "one_hot" => lab::one_hot(&input.usizes("labels")?, input.usize("classes")?).into(),
        "train_test_split" => {
            let (train, test) =
                lab::train_test_split(input.usize("n")?, input.f64("test_fraction")?, seed(input)?);
            Value::record([("train", train.into()), ("test", test.into())])
        }
        "minibatches" => lab::minibatches(input.usize("n")?, input.usize("batch_size")?, seed(input)?).into(),
        "train" => train(input)?,
        "predict_classes" => lab::predict_classes(&input.mat("output")?).into(),
        "accuracy" => lab::accuracy(&input.usizes("predicted")?, &input.usizes("labels")?).into(),
        "fit_xor" => {
            let xor = nnlab_data::logic_gate("xor").expect("xor is a gate");
            classes(&predict(&lab::fit_xor(seed(input)?), &xor.x)).into()
        }
        "fit_moons" | "fit_sine" | "fit_digits" => {
            let split = experiment(name, input)?.split();
            let fit = match name {
                "fit_moons" => lab::fit_moons,
                "fit_sine" => lab::fit_sine,
                _ => lab::fit_digits,
            };
            let out = predict(&fit(&split.train, seed(input)?), &split.test.x);
            if name == "fit_sine" {
                out.col(0).iter().copied().collect::<Vec<f64>>().into()
            } else {
                classes(&out).into()
            }
        }
        _ => return Err(InputError(format!("lab07-training has no exercise `{name}`"))),
    })
}

fn seed(input: Args<'_>) -> Result<u64, InputError> {
    Ok(input.usize("seed")? as u64)
}

/// The experiment of `fit_<problem>`: sizes and seed from the input.
fn experiment(name: &str, input: Args<'_>) -> Result<Experiment, InputError> {
    let noise = || input.f64("noise");
    let problem = match name {
        "fit_moons" => Problem::Moons { noise: noise()? },
        "fit_sine" => Problem::Sine { noise: noise()? },
        _ => Problem::Digits,
    };
    Ok(Experiment {
        problem,
        n_train: input.usize("n_train")?,
        n_test: input.usize("n_test")?,
        seed: seed(input)?,
    })
}

/// The model's outputs on `x`: scaled by its standardizer, then a plain forward pass, written here
/// so that what is scored does not depend on the student's own forward pass.
fn predict(model: &lab::Model, x: &Mat<f64>) -> Mat<f64> {
    let s = &model.standardizer;
    assert!(
        s.mean.len() == x.ncols() && s.scale.len() == x.ncols(),
        "the model's standardizer has {} means and {} scales for {} features",
        s.mean.len(),
        s.scale.len(),
        x.ncols()
    );
    let mut a = Mat::from_fn(x.nrows(), x.ncols(), |i, j| (x[(i, j)] - s.mean[j]) / s.scale[j]);
    for (l, layer) in model.layers.iter().enumerate() {
        assert!(
            layer.w.nrows() == a.ncols() && layer.b.nrows() == 1 && layer.b.ncols() == layer.w.ncols(),
            "layer {l} of the model does not fit: w is {}×{}, b is {}×{}, its input has {} columns",
            layer.w.nrows(),
            layer.w.ncols(),
            layer.b.nrows(),
            layer.b.ncols(),
            a.ncols()
        );
        let z = &a * &layer.w;
        let f = |v: f64| match layer.activation {
            lab::Activation::Identity => v,
            lab::Activation::Sigmoid => 1.0 / (1.0 + (-v).exp()),
            lab::Activation::Tanh => v.tanh(),
            lab::Activation::Relu => v.max(0.0),
        };
        a = Mat::from_fn(z.nrows(), z.ncols(), |i, j| f(z[(i, j)] + layer.b[(0, j)]));
    }
    a
}

/// The predicted class of each row: threshold 0.5 for one output, the largest output otherwise.
fn classes(out: &Mat<f64>) -> Vec<usize> {
    (0..out.nrows())
        .map(|i| {
            if out.ncols() == 1 {
                usize::from(out[(i, 0)] >= 0.5)
            } else {
                (0..out.ncols()).fold(0, |best, k| if out[(i, k)] > out[(i, best)] { k } else { best })
            }
        })
        .collect()
}

/// Runs the student's training loop and reports the loss every `every` epochs and the trained
/// network's outputs; `stop_after` makes the callback ask to stop after that epoch.
fn train(input: Args<'_>) -> Result<Value, InputError> {
    let mut layers = layers(input)?;
    let (x, y) = (input.mat("x")?, input.mat("y")?);
    let config = training::config(input)?;
    let mut optimizer = training::optimizer(input, &layers)?;
    let stop_after = input.get("stop_after").ok().and_then(Value::as_f64).map(|e| e as usize);
    let mut calls = Vec::new();
    let losses = lab::train(&mut layers, &x, &y, &config, optimizer.as_mut(), &mut |epoch, loss, _| {
        calls.push(Value::record([("epoch", epoch.into()), ("loss", loss.into())]));
        stop_after == Some(epoch)
    });
    let every = input.usize("every")?.max(1);
    let reported: Vec<f64> = losses.iter().step_by(every).copied().collect();
    let output = lab::forward(&x, &layers).a.pop().expect("the input is always there");
    Ok(Value::record([
        ("epochs_run", losses.len().into()),
        ("losses", reported.into()),
        ("callbacks", if calls.len() <= 5 { Value::List(calls) } else { calls.len().into() }),
        ("output", output.into()),
    ]))
}
