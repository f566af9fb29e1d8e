//! Grading by outcome: an experiment's answer is its predictions on test points, and it passes
//! when a score computed from them — never sent to the student's code — reaches a bar. Used where
//! the exact numbers of a training run are not the point (labs 07–08): a different but correct
//! training loop lands on different weights, and both should pass.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::value::Value;

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
