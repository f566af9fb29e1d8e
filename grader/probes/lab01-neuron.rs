//! How the probe and the public tests call lab 01: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use nnlab_check::{Args, InputError, Value};

use super::lab;

/// Calls exercise `name` of lab 01 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    let z = || input.f64("z");
    Ok(match name {
        "weighted_sum" => lab::weighted_sum(&input.vec("x")?, &input.vec("w")?, input.f64("b")?).into(),
        "step" => lab::step(z()?).into(),
        "sigmoid" => lab::sigmoid(z()?).into(),
        "tanh" => lab::tanh(z()?).into(),
        "relu" => lab::relu(z()?).into(),
        "leaky_relu" => lab::leaky_relu(z()?, input.f64("alpha")?).into(),
        "softmax" => lab::softmax(&input.vec("z")?).into(),
        "step_prime" => lab::step_prime(z()?).into(),
        "sigmoid_prime" => lab::sigmoid_prime(z()?).into(),
        "sigmoid_prime_from_output" => lab::sigmoid_prime_from_output(input.f64("a")?).into(),
        "tanh_prime" => lab::tanh_prime(z()?).into(),
        "relu_prime" => lab::relu_prime(z()?).into(),
        "leaky_relu_prime" => lab::leaky_relu_prime(z()?, input.f64("alpha")?).into(),
        "softmax_jacobian" => lab::softmax_jacobian(&input.vec("z")?).into(),
        _ => return Err(InputError(format!("lab01-neuron has no exercise `{name}`"))),
    })
}
