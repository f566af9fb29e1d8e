//! Reading networks from probe inputs, for the dispatches of the labs that use lab 05's types
//! (05, 07, 08 all export `Activation`, `Layer` and `Loss` as lab 05 defines them).

use nnlab_check::{Args, InputError};

use super::lab;

pub fn activation(name: &str) -> Result<lab::Activation, InputError> {
    Ok(match name {
        "identity" => lab::Activation::Identity,
        "sigmoid" => lab::Activation::Sigmoid,
        "tanh" => lab::Activation::Tanh,
        "relu" => lab::Activation::Relu,
        other => return Err(InputError(format!("unknown activation `{other}`"))),
    })
}

pub fn loss(name: &str) -> Result<lab::Loss, InputError> {
    Ok(match name {
        "squared_error" => lab::Loss::SquaredError,
        "cross_entropy" => lab::Loss::CrossEntropy,
        other => return Err(InputError(format!("unknown loss `{other}`"))),
    })
}

/// The input `layers`: a list of records `{w, b, activation}`.
pub fn layers(input: Args<'_>) -> Result<Vec<lab::Layer>, InputError> {
    input
        .records("layers")?
        .into_iter()
        .map(|l| {
            Ok(lab::Layer { w: l.mat("w")?, b: l.mat("b")?, activation: activation(l.str("activation")?)? })
        })
        .collect()
}
