//! Reading a training run from probe inputs, for the dispatches of labs 07 and 08.

use nnlab_check::{Args, InputError};

use super::lab;
use super::network::loss;

/// The input's `epochs`, `batch_size`, `loss`, `lambda` (0 when absent) and `seed`.
pub fn config(input: Args<'_>) -> Result<lab::TrainConfig, InputError> {
    Ok(lab::TrainConfig {
        epochs: input.usize("epochs")?,
        batch_size: input.usize("batch_size")?,
        loss: loss(input.str("loss")?)?,
        lambda: if input.get("lambda").is_ok() { input.f64("lambda")? } else { 0.0 },
        seed: input.usize("seed")? as u64,
    })
}

/// The optimizer of the record `optimizer` (`sgd` or `adam`) for the parameters of `layers`.
pub fn optimizer(input: Args<'_>, layers: &[lab::Layer]) -> Result<Box<dyn lab::Optimizer>, InputError> {
    let s = input.record("optimizer")?;
    let n = layers.iter().map(|l| l.w.nrows() * l.w.ncols() + l.b.ncols()).sum();
    Ok(match s.str("kind")? {
        "sgd" => Box::new(lab::Sgd { lr: s.f64("lr")? }),
        "adam" => Box::new(lab::Adam::new(s.f64("lr")?, s.f64("beta1")?, s.f64("beta2")?, s.f64("eps")?, n)),
        other => return Err(InputError(format!("unknown optimizer `{other}`"))),
    })
}
