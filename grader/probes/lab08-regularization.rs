//! How the probe and the public tests call lab 08: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use faer::Mat;
use nnlab_check::{Args, InputError, Value};

use super::lab;

#[path = "network.rs"]
mod network;
#[path = "training.rs"]
mod training;

use network::{layers, loss};

/// Calls exercise `name` of lab 08 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "dropout_forward" => {
            let (out, mask) = lab::dropout_forward(
                &input.mat("a")?,
                input.f64("p")?,
                input.usize("seed")? as u64,
                input.bool("training")?,
            );
            Value::record([("output", out.into()), ("mask", mask.into())])
        }
        "train_regularized" => {
            let mut layers = layers(input)?;
            let x = input.mat("x")?;
            let reg = lab::Regularization {
                dropout: input.f64("dropout")?,
                l1: input.f64("l1")?,
                l2: input.f64("l2")?,
            };
            let config = training::config(input)?;
            let mut optimizer = training::optimizer(input, &layers)?;
            let losses =
                lab::train_regularized(&mut layers, &x, &input.mat("y")?, reg, &config, optimizer.as_mut());
            let output = lab::forward(&x, &layers).a.pop().expect("the input is always there");
            Value::record([("losses", losses.into()), ("output", output.into())])
        }
        "batchnorm_forward" => {
            let (out, cache) = lab::batchnorm_forward(
                &input.mat("x")?,
                &input.vec("gamma")?,
                &input.vec("beta")?,
                input.f64("eps")?,
            );
            Value::record([
                ("output", out.into()),
                ("x_hat", cache.x_hat.into()),
                ("mean", cache.mean.into()),
                ("var", cache.var.into()),
            ])
        }
        "batchnorm_backward" => {
            // The cache comes with the case (the grader computed it), not from the student's
            // forward pass, so that a mistake there is not counted twice.
            let cache = lab::BatchNormCache {
                x_hat: input.mat("x_hat")?,
                mean: input.vec("mean")?,
                var: input.vec("var")?,
                eps: input.f64("eps")?,
            };
            let g = lab::batchnorm_backward(&input.mat("dout")?, &cache, &input.vec("gamma")?);
            Value::record([("dx", g.dx.into()), ("dgamma", g.dgamma.into()), ("dbeta", g.dbeta.into())])
        }
        "early_stopping" => {
            let mut stopper = lab::EarlyStopping::new(input.usize("patience")?, input.f64("min_delta")?);
            let mut stopped_after = None;
            for (epoch, &loss) in input.vec("losses")?.iter().enumerate() {
                // A one-weight network whose weight is its epoch: which weights were kept shows.
                let marker = vec![lab::Layer {
                    w: Mat::from_fn(1, 1, |_, _| epoch as f64),
                    b: Mat::zeros(1, 1),
                    activation: lab::Activation::Identity,
                }];
                if stopper.update(epoch, loss, &marker) {
                    stopped_after = Some(epoch);
                    break;
                }
            }
            Value::record([
                ("stopped_after", stopped_after.map_or(Value::Str("never".into()), Value::from)),
                ("best_epoch", stopper.best_epoch.into()),
                ("best_loss", stopper.best_loss.into()),
                (
                    "kept_weights_of_epoch",
                    stopper.best_layers.first().map_or(Value::Str("none".into()), |l| l.w[(0, 0)].into()),
                ),
                ("waited", stopper.waited.into()),
            ])
        }
        "train_with_early_stopping" => {
            let layers = layers(input)?;
            let train_set = lab::Dataset { x: input.mat("x")?, y: input.mat("y")? };
            let val = lab::Dataset { x: input.mat("x_val")?, y: input.mat("y_val")? };
            let config = training::config(input)?;
            let mut optimizer = training::optimizer(input, &layers)?;
            let run = lab::train_with_early_stopping(
                &layers,
                &train_set,
                &val,
                &config,
                optimizer.as_mut(),
                input.usize("patience")?,
                input.f64("min_delta")?,
            );
            let kept = lab::forward(&val.x, &run.layers).a.pop().expect("the input is always there");
            Value::record([
                ("best_epoch", run.best_epoch.into()),
                ("train_losses", run.train_losses.into()),
                ("val_losses", run.val_losses.into()),
                ("kept_output", kept.into()),
            ])
        }
        "layer_gradient_norms" => lab::layer_gradient_norms(
            &layers(input)?,
            &input.mat("x")?,
            &input.mat("y")?,
            loss(input.str("loss")?)?,
        )
        .into(),
        "grid_search" | "random_search" => {
            // A stand-in for a validation loss: a bowl in log10(lr) and the hidden size.
            let bowl = input.record("bowl")?;
            let (lr0, h0, width) = (bowl.f64("log10_lr")?, bowl.f64("hidden")?, bowl.f64("width")?);
            let mut evaluate =
                |lr: f64, h: usize| (lr.log10() - lr0).powi(2) + ((h as f64 - h0) / width).powi(2);
            let hiddens = input.usizes("hiddens")?;
            let search = if name == "grid_search" {
                lab::grid_search(&input.vec("lrs")?, &hiddens, &mut evaluate)
            } else {
                lab::random_search(
                    input.usize("n")?,
                    (input.f64("lo")?, input.f64("hi")?),
                    &hiddens,
                    input.usize("seed")? as u64,
                    &mut evaluate,
                )
            };
            let trial =
                |(lr, h, score): (f64, usize, f64)| Value::List(vec![lr.into(), h.into(), score.into()]);
            Value::record([
                ("trials", Value::List(search.trials.into_iter().map(trial).collect())),
                ("best", trial(search.best)),
            ])
        }
        _ => return direct(name, input),
    })
}

// Generated by `cargo run -p grader -- generate` from the reference's signatures: do not edit below.

/// Calls exercise `name` of lab08-regularization whose inputs and output are plain values, reading each
/// parameter by its name in the reference's signature.
fn direct(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "dropout_backward" => {
            lab::dropout_backward(&input.mat("grad")?, &input.mat("mask")?, input.f64("p")?).into()
        }
        "penalty" => lab::penalty(&input.mats("weights")?, input.f64("l1")?, input.f64("l2")?).into(),
        "penalty_gradient" => {
            lab::penalty_gradient(&input.mat("w")?, input.f64("l1")?, input.f64("l2")?).into()
        }
        "batchnorm_inference" => lab::batchnorm_inference(
            &input.mat("x")?,
            &input.vec("gamma")?,
            &input.vec("beta")?,
            &input.vec("running_mean")?,
            &input.vec("running_var")?,
            input.f64("eps")?,
        )
        .into(),
        "update_running" => {
            lab::update_running(&input.vec("running")?, &input.vec("batch")?, input.f64("momentum")?).into()
        }
        _ => return Err(InputError(format!("lab08-regularization has no exercise `{name}`"))),
    })
}
