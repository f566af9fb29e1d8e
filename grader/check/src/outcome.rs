//! Grading by outcome: an experiment's answer is the model the student's code trained, and it
//! passes when the model's predictions on test points reach a bar. Used where the exact numbers of
//! a training run are not the point (lab 07): a different but correct training loop lands on
//! different weights, and both should pass.
//!
//! The student's code receives the training set only ([`prepare`]) and returns the model; its
//! predictions on test inputs the student's code never sees are computed outside it ([`evaluate`]:
//! by the reference, when the grader has one) — so it cannot answer for the model, and hidden
//! experiments draw their points from a seed that is never sent either.

use std::collections::BTreeMap;
use std::fmt;

use faer::Mat;
use nnlab_data::experiment::{Experiment, Problem};
use serde::{Deserialize, Serialize};

use crate::probe::Answer;
use crate::value::{Args, Value};

/// How predictions are scored against the true targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// The fraction of predicted class labels equal to the true ones; higher is better.
    Accuracy,
    /// The root of the mean squared difference from the true values; lower is better.
    Rmse,
}

/// A metric and the score that passes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// How predictions are scored.
    pub metric: Metric,
    /// The least accuracy, or the largest error, that passes.
    pub pass: f64,
}

impl Metric {
    /// The score of `got` against `want` (both lists of numbers of one length); NaN when the
    /// answer is not such a list.
    pub fn score(self, got: &Value, want: &Value) -> f64 {
        let (Some(got), Some(want)) = (got.as_vec(), want.as_vec()) else { return f64::NAN };
        if got.len() != want.len() || want.is_empty() {
            return f64::NAN;
        }
        let n = want.len() as f64;
        match self {
            Metric::Accuracy => got.iter().zip(&want).filter(|(g, w)| g == w).count() as f64 / n,
            Metric::Rmse => (got.iter().zip(&want).map(|(g, w)| (g - w).powi(2)).sum::<f64>() / n).sqrt(),
        }
    }
}

impl Outcome {
    /// Whether `score` passes (never when it is NaN).
    pub fn meets(self, score: f64) -> bool {
        match self.metric {
            Metric::Accuracy => score >= self.pass,
            Metric::Rmse => score <= self.pass,
        }
    }

    /// The bar for a case the reference itself scores `reference` on: no higher than the
    /// reference reaches, so that an unlucky draw of hidden points never fails a correct solution.
    pub fn at_most_as_hard_as(self, reference: f64) -> Outcome {
        let pass = match self.metric {
            Metric::Accuracy => self.pass.min(reference),
            Metric::Rmse => self.pass.max(reference),
        };
        Outcome { pass, ..self }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Accuracy => "test accuracy",
            Metric::Rmse => "test RMSE",
        })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let relation = if self.metric == Metric::Accuracy { "≥" } else { "≤" };
        write!(f, "{} {relation} {}", self.metric, self.pass)
    }
}

/// What an experiment learns (a data set of `nnlab-data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The XOR truth table: trained and tested on its four points.
    Xor,
    /// Two moons, with the case's `noise`.
    Moons,
    /// Two circles, with the case's `noise`.
    Circles,
    /// A sine curve, with the case's `noise`.
    Sine,
    /// The handwritten digits.
    Digits,
}

impl ProblemKind {
    /// Whether the problem's data take a `noise`.
    pub fn noisy(self) -> bool {
        matches!(self, ProblemKind::Moons | ProblemKind::Circles | ProblemKind::Sine)
    }
}

/// An experiment as the registry declares it: its problem, and the grader's hidden runs of it
/// (how many, the sizes of their splits and the noise of their data). A public case gives its
/// own `noise`, `n_train`, `n_test` and `seed` as inputs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    /// What is learned.
    pub problem: ProblemKind,
    /// How many hidden runs.
    pub hidden: usize,
    /// Training points of a hidden run (the XOR table's 4 for XOR).
    pub n_train: usize,
    /// Test points of a hidden run.
    pub n_test: usize,
    /// The noise of a hidden run's data, for a noisy problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
}

/// An experiment as it is run: what the learner is given, and the test inputs its model is
/// scored on, which it is not given.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The learner's input: the training set (`x`, `y`) and the seed of its own randomness.
    pub input: BTreeMap<String, Value>,
    /// The test inputs.
    pub test_x: Mat<f64>,
}

/// The experiment of exercise `ex` described by `input`: the problem's parameters (`noise`), the
/// sizes (`n_train`, `n_test`), the seed of the data (`seed`) and, for hidden experiments, a
/// separate seed for the learner (`train_seed`; public cases use `seed` for both).
pub fn prepare(ex: &crate::Exercise, input: &BTreeMap<String, Value>) -> Result<Prepared, String> {
    let spec = ex.experiment.ok_or_else(|| format!("{} is no experiment", ex.name))?;
    let args = Args(input);
    let err = |e: crate::InputError| e.0;
    let seed = args.usize("seed").map_err(err)? as u64;
    let train_seed = args.get("train_seed").ok().and_then(Value::as_f64).map_or(seed, |s| s as u64);
    let noise = || args.f64("noise").map_err(err);
    let problem = match spec.problem {
        ProblemKind::Xor => Problem::Xor,
        ProblemKind::Moons => Problem::Moons { noise: noise()? },
        ProblemKind::Circles => Problem::Circles { noise: noise()? },
        ProblemKind::Sine => Problem::Sine { noise: noise()? },
        ProblemKind::Digits => Problem::Digits,
    };
    let (n_train, n_test) = match problem {
        Problem::Xor => (4, 4),
        _ => (args.usize("n_train").map_err(err)?, args.usize("n_test").map_err(err)?),
    };
    let split = Experiment { problem, n_train, n_test, seed }.split();
    let input =
        [("x", split.train.x.into()), ("y", split.train.y.into()), ("seed", (train_seed as usize).into())];
    Ok(Prepared { input: input.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), test_x: split.test.x })
}

/// The probe entry that evaluates a model: given `{model, x, metric}`, it answers the model's
/// predictions for the rows of `x` — one number per row for RMSE, one class per row for accuracy
/// — computed with the lab's own `standardize`, `forward` and `predict_classes`. The grader asks
/// the reference's probe, so the test inputs never reach the student's code; the public checks,
/// and the student edition (which has no reference), ask the student's own.
pub const EVALUATE: &str = "evaluate_model";

/// The input of [`EVALUATE`].
pub fn evaluation_input(model: &Value, x: &Mat<f64>, metric: Metric) -> BTreeMap<String, Value> {
    let metric = match metric {
        Metric::Accuracy => "accuracy",
        Metric::Rmse => "rmse",
    };
    [("model", model.clone()), ("x", x.clone().into()), ("metric", metric.into())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Whether `model` is a model that can be evaluated on inputs of `features` columns: a record
/// `{mean, scale, layers: [{w, b, activation}]}` whose shapes fit. Checked before the model is
/// evaluated, so that a student reads what is wrong with it in their terms.
pub fn check_model(model: &Value, features: usize) -> Result<(), String> {
    let model = Args(match model {
        Value::Map(m) => m,
        _ => return Err("the answer is not a model".into()),
    });
    let err = |e: crate::InputError| e.0;
    let (mean, scale) = (model.vec("mean").map_err(err)?, model.vec("scale").map_err(err)?);
    if mean.len() != features || scale.len() != features {
        return Err(format!(
            "the model's standardizer has {} means and {} scales for {features} features",
            mean.len(),
            scale.len(),
        ));
    }
    let mut width = features;
    for (l, layer) in model.records("layers").map_err(err)?.iter().enumerate() {
        let (w, b) = (layer.mat("w").map_err(err)?, layer.mat("b").map_err(err)?);
        if w.nrows() != width || b.nrows() != 1 || b.ncols() != w.ncols() {
            return Err(format!(
                "layer {l} of the model does not fit: w is {}×{}, b is {}×{}, its input has {width} columns",
                w.nrows(),
                w.ncols(),
                b.nrows(),
                b.ncols(),
            ));
        }
        let activation = layer.str("activation").map_err(err)?;
        if !["identity", "sigmoid", "tanh", "relu"].contains(&activation) {
            return Err(format!("layer {l} has an unknown activation {activation:?}"));
        }
        width = w.ncols();
    }
    Ok(())
}

/// The answer of an experiment as it is judged: the model's predictions on `test_x` in place of
/// the model, from `predict` (which answers [`EVALUATE`]); a model that cannot be evaluated is
/// reported like a panic, in the student's terms. An error of `predict` itself (its probe could
/// not run) is passed on.
pub fn evaluate<E>(
    answer: Answer,
    test_x: &Mat<f64>,
    metric: Metric,
    predict: impl FnOnce(BTreeMap<String, Value>) -> Result<Answer, E>,
) -> Result<Answer, E> {
    let Answer::Value(model) = answer else { return Ok(answer) };
    if let Err(e) = check_model(&model, test_x.ncols()) {
        return Ok(Answer::Panic(format!("the model you returned cannot be evaluated: {e}")));
    }
    Ok(match predict(evaluation_input(&model, test_x, metric))? {
        Answer::Value(p) => Answer::Value(p),
        Answer::Panic(e) | Answer::BadInput(e) => {
            Answer::Panic(format!("the model you returned cannot be evaluated: {e}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_and_bars() {
        let want = Value::from(vec![0.0, 1.0, 1.0, 0.0]);
        let acc = Outcome { metric: Metric::Accuracy, pass: 0.75 };
        assert_eq!(Metric::Accuracy.score(&vec![0.0, 1.0, 0.0, 0.0].into(), &want), 0.75);
        assert!(acc.meets(0.75) && !acc.meets(0.7) && !acc.meets(f64::NAN));
        assert!(Metric::Accuracy.score(&vec![0.0].into(), &want).is_nan());
        let rmse = Outcome { metric: Metric::Rmse, pass: 0.5 };
        assert_eq!(Metric::Rmse.score(&vec![1.0, 1.0, 1.0, 0.0].into(), &want), 0.5);
        assert!(rmse.meets(0.5) && !rmse.meets(0.6));
        assert_eq!(acc.at_most_as_hard_as(0.5).pass, 0.5);
        assert_eq!(acc.at_most_as_hard_as(0.9).pass, 0.75);
        assert_eq!(rmse.at_most_as_hard_as(0.7).pass, 0.7);
    }
}
