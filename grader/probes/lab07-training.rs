//! How the probe and the public tests call lab 07: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.
//!
//! The experiments (`fit_*`) are graded by outcome: they are given a training set and answer with
//! the model they trained; the grader computes its predictions on test points
//! (`nnlab_check::outcome`), which never reach the student's code.

use nnlab_check::{Args, InputError, Value};
use nnlab_data::Dataset;

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
        "train_test_split" => {
            let (train, test) =
                lab::train_test_split(input.usize("n")?, input.f64("test_fraction")?, seed(input)?);
            Value::record([("train", train.into()), ("test", test.into())])
        }
        "train" => train(input)?,
        "fit_xor" => model(&lab::fit_xor(seed(input)?)),
        "fit_moons" | "fit_sine" | "fit_digits" => {
            let fit = match name {
                "fit_moons" => lab::fit_moons,
                "fit_sine" => lab::fit_sine,
                _ => lab::fit_digits,
            };
            let train = Dataset { x: input.mat("x")?, y: input.mat("y")? };
            model(&fit(&train, seed(input)?))
        }
        nnlab_check::outcome::EVALUATE => evaluate_model(input)?,
        _ => return direct(name, input),
    })
}

fn seed(input: Args<'_>) -> Result<u64, InputError> {
    Ok(input.usize("seed")? as u64)
}

/// A trained model as the grader reads it (see `nnlab_check::outcome::predictions`).
fn model(model: &lab::Model) -> Value {
    let layers = model.layers.iter().map(|l| {
        let activation = match l.activation {
            lab::Activation::Identity => "identity",
            lab::Activation::Sigmoid => "sigmoid",
            lab::Activation::Tanh => "tanh",
            lab::Activation::Relu => "relu",
        };
        Value::record([("w", (&l.w).into()), ("b", (&l.b).into()), ("activation", activation.into())])
    });
    Value::record([
        ("mean", model.standardizer.mean.clone().into()),
        ("scale", model.standardizer.scale.clone().into()),
        ("layers", Value::List(layers.collect())),
    ])
}

/// A model's predictions for `x`, with this lab's functions (see `nnlab_check::outcome::EVALUATE`).
fn evaluate_model(input: Args<'_>) -> Result<Value, InputError> {
    let model = input.record("model")?;
    let standardizer = lab::Standardizer { mean: model.vec("mean")?, scale: model.vec("scale")? };
    let x = lab::standardize(&input.mat("x")?, &standardizer);
    let output = lab::forward(&x, &layers(model)?).a.pop().expect("the input is always there");
    Ok(match input.str("metric")? {
        "rmse" => output.col(0).iter().copied().collect::<Vec<f64>>().into(),
        _ => lab::predict_classes(&output).into(),
    })
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
    // Optional, a grader-side setting: the documents' XOR run prints every 2000th loss.
    let every = input.get("every").ok().and_then(Value::as_f64).map_or(1, |e| (e as usize).max(1));
    let reported: Vec<f64> = losses.iter().step_by(every).copied().collect();
    let output = lab::forward(&x, &layers).a.pop().expect("the input is always there");
    Ok(Value::record([
        ("epochs_run", losses.len().into()),
        ("losses", reported.into()),
        ("callbacks", if calls.len() <= 5 { Value::List(calls) } else { calls.len().into() }),
        ("output", output.into()),
    ]))
}

// Generated by `cargo run -p grader -- generate` from the reference's signatures: do not edit below.

/// Calls exercise `name` of lab07-training whose inputs and output are plain values, reading each
/// parameter by its name in the reference's signature.
fn direct(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "min_max_scale" => lab::min_max_scale(&input.mat("x")?).into(),
        "divide_by_column_max" => lab::divide_by_column_max(&input.mat("x")?).into(),
        "one_hot" => lab::one_hot(&input.usizes("labels")?, input.usize("classes")?).into(),
        "minibatches" => {
            lab::minibatches(input.usize("n")?, input.usize("batch_size")?, input.u64("seed")?).into()
        }
        "predict_classes" => lab::predict_classes(&input.mat("output")?).into(),
        "accuracy" => lab::accuracy(&input.usizes("predicted")?, &input.usizes("labels")?).into(),
        _ => return Err(InputError(format!("lab07-training has no exercise `{name}`"))),
    })
}
