//! How the probe and the public tests call lab 06: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use nnlab_check::{Args, InputError, Value};

use super::lab;

/// Calls exercise `name` of lab 06 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "sgd" | "momentum" | "nesterov" | "rmsprop" | "adam" => {
            let mut params = input.vec("params")?;
            let mut opt = optimizer(name, input, params.len())?;
            let mut states = Vec::new();
            for g in input.vecs("grads")? {
                if g.len() != params.len() {
                    return Err(InputError("every gradient needs one number per parameter".into()));
                }
                opt.step(&mut params, &g);
                states.push(opt.state(&params));
            }
            Value::List(states)
        }
        "learning_rate" => {
            let s = input.record("schedule")?;
            let schedule = match s.str("kind")? {
                "constant" => lab::Schedule::Constant,
                "step_decay" => {
                    lab::Schedule::StepDecay { factor: s.f64("factor")?, every: s.usize("every")? }
                }
                "invscaling" => lab::Schedule::InvScaling { power: s.f64("power")? },
                "exponential" => lab::Schedule::Exponential { gamma: s.f64("gamma")? },
                other => return Err(InputError(format!("unknown schedule `{other}`"))),
            };
            let lr0 = input.f64("lr0")?;
            input
                .usizes("epochs")?
                .into_iter()
                .map(|e| lab::learning_rate(schedule, lr0, e))
                .collect::<Vec<_>>()
                .into()
        }
        "clip_by_global_norm" => {
            lab::clip_by_global_norm(&input.vecs("grads")?, input.f64("max_norm")?).into()
        }
        "minimize" => {
            // f(θ) = Σ cᵢ·θᵢ², a quadratic bowl; the documents' example is c = [1, 3].
            let coeffs = input.vec("coeffs")?;
            let start = input.vec("start")?;
            if coeffs.len() != start.len() {
                return Err(InputError("one coefficient per coordinate".into()));
            }
            let settings = input.record("optimizer")?;
            let mut opt = optimizer(settings.str("kind")?, settings, start.len())?;
            let grad = |p: &[f64]| p.iter().zip(&coeffs).map(|(p, c)| 2.0 * c * p).collect::<Vec<f64>>();
            let path = lab::minimize(opt.as_dyn(), &grad, &start, input.usize("steps")?);
            let losses: Vec<f64> =
                path.iter().map(|p| p.iter().zip(&coeffs).map(|(p, c)| c * p * p).sum()).collect();
            Value::record([("path", path.into()), ("losses", losses.into())])
        }
        _ => return Err(InputError(format!("lab06-optimizers has no exercise `{name}`"))),
    })
}

/// Every optimizer of the lab, with its state readable for comparison.
enum Any {
    Sgd(lab::Sgd),
    Momentum(lab::Momentum),
    Nesterov(lab::Nesterov),
    RmsProp(lab::RmsProp),
    Adam(lab::Adam),
}

fn optimizer(kind: &str, s: Args<'_>, n: usize) -> Result<Any, InputError> {
    Ok(match kind {
        "sgd" => Any::Sgd(lab::Sgd { lr: s.f64("lr")? }),
        "momentum" => Any::Momentum(lab::Momentum::new(s.f64("lr")?, s.f64("beta")?, n)),
        "nesterov" => Any::Nesterov(lab::Nesterov::new(s.f64("lr")?, s.f64("beta")?, n)),
        "rmsprop" => Any::RmsProp(lab::RmsProp::new(s.f64("lr")?, s.f64("rho")?, s.f64("eps")?, n)),
        "adam" => Any::Adam(lab::Adam::new(s.f64("lr")?, s.f64("beta1")?, s.f64("beta2")?, s.f64("eps")?, n)),
        other => return Err(InputError(format!("unknown optimizer `{other}`"))),
    })
}

impl Any {
    fn as_dyn(&mut self) -> &mut dyn lab::Optimizer {
        match self {
            Any::Sgd(o) => o,
            Any::Momentum(o) => o,
            Any::Nesterov(o) => o,
            Any::RmsProp(o) => o,
            Any::Adam(o) => o,
        }
    }

    fn step(&mut self, params: &mut [f64], grads: &[f64]) {
        self.as_dyn().step(params, grads);
    }

    /// The parameters after a step, with the optimizer's state.
    fn state(&self, params: &[f64]) -> Value {
        let p = ("params", params.into());
        match self {
            Any::Sgd(_) => Value::record([p]),
            Any::Momentum(o) => Value::record([p, ("velocity", o.velocity.clone().into())]),
            Any::Nesterov(o) => Value::record([p, ("velocity", o.velocity.clone().into())]),
            Any::RmsProp(o) => Value::record([p, ("mean_square", o.mean_square.clone().into())]),
            Any::Adam(o) => Value::record([
                p,
                ("m", o.m.clone().into()),
                ("v", o.v.clone().into()),
                ("t", Value::Int(i64::from(o.t))),
            ]),
        }
    }
}
