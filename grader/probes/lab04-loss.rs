//! How the probe and the public tests call lab 04: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use nnlab_check::{Args, InputError, Value};

use super::lab;

/// Calls exercise `name` of lab 04 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    let pred = || input.vec("pred");
    let target = || input.vec("target");
    let probs = || input.mat("probs");
    let onehot = || input.mat("onehot");
    Ok(match name {
        "mse" => lab::mse(&pred()?, &target()?).into(),
        "mse_grad" => lab::mse_grad(&pred()?, &target()?).into(),
        "bce" => lab::bce(&pred()?, &target()?).into(),
        "bce_grad" => lab::bce_grad(&pred()?, &target()?).into(),
        "one_hot" => lab::one_hot(&input.usizes("labels")?, input.usize("classes")?).into(),
        "categorical_ce" => lab::categorical_ce(&probs()?, &onehot()?).into(),
        "categorical_ce_grad" => lab::categorical_ce_grad(&probs()?, &onehot()?).into(),
        "sigmoid_bce_delta" => lab::sigmoid_bce_delta(&input.vec("a")?, &target()?).into(),
        "softmax_ce_delta" => lab::softmax_ce_delta(&probs()?, &onehot()?).into(),
        "l2_penalty" => lab::l2_penalty(&input.mats("weights")?, input.f64("lambda")?).into(),
        "l2_grad" => lab::l2_grad(&input.mat("w")?, input.f64("lambda")?).into(),
        "regularised_loss" => {
            lab::regularised_loss(input.f64("loss")?, &input.mats("weights")?, input.f64("lambda")?).into()
        }
        "accuracy" => lab::accuracy(&input.usizes("predicted")?, &input.usizes("labels")?).into(),
        _ => return Err(InputError(format!("lab04-loss has no exercise `{name}`"))),
    })
}
