//! Judging one answer against the expected value, and the failure message a student reads. The
//! grader's reports and the public tests print the same message for the same failure.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::compare::{Mismatch, Tol, compare};
use crate::outcome::{Metric, Outcome};
use crate::probe::Answer;
use crate::value::{Value, fmt_inputs};

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Within tolerance.
    Pass,
    /// The function still calls `todo!()` (or `unimplemented!()`).
    NotImplemented,
    /// A value came back, and it differs.
    Wrong {
        /// What the function returned.
        got: Value,
        /// The first difference.
        mismatch: Mismatch,
    },
    /// An experiment's predictions scored below the bar.
    Short {
        /// The metric.
        metric: Metric,
        /// What the predictions scored (NaN when they were not one number per test point).
        score: f64,
        /// How many test points were scored.
        points: usize,
    },
    /// The function panicked.
    Panicked(String),
    /// No answer: the probe timed out, crashed or exited; the text says which.
    NoAnswer(String),
    /// The case's inputs did not fit the function: a grader or fixture fault.
    BadInput(String),
}

impl Verdict {
    /// Judges an answer against the expected value: within `tol`, or, for an experiment, by the
    /// score of its predictions against the true targets `want`.
    pub fn judge(answer: &Answer, want: &Value, tol: Tol, outcome: Option<Outcome>) -> Verdict {
        match answer {
            Answer::Value(got) => match outcome {
                Some(outcome) => {
                    let score = outcome.metric.score(got, want);
                    if outcome.meets(score) {
                        Verdict::Pass
                    } else {
                        let points = want.as_vec().map_or(0, |w| w.len());
                        Verdict::Short { metric: outcome.metric, score, points }
                    }
                }
                None => match compare(got, want, tol) {
                    Ok(()) => Verdict::Pass,
                    Err(mismatch) => Verdict::Wrong { got: got.clone(), mismatch },
                },
            },
            Answer::Panic(msg) if is_todo(msg) => Verdict::NotImplemented,
            Answer::Panic(msg) => Verdict::Panicked(msg.clone()),
            Answer::BadInput(msg) => Verdict::BadInput(msg.clone()),
        }
    }
}

/// `todo!()` panics with "not yet implemented", `unimplemented!()` with "not implemented".
fn is_todo(msg: &str) -> bool {
    msg.starts_with("not yet implemented") || msg.starts_with("not implemented")
}

/// How an exercise fared over all its cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every case passed.
    Passed,
    /// At least one case failed.
    Failed,
    /// Every case hit `todo!()`.
    NotImplemented,
    /// The probe ran out of time on this exercise.
    TimedOut,
    /// The lab did not compile.
    DidNotCompile,
}

impl Status {
    /// The status of an exercise from its verdicts (compilation and time-outs are decided before).
    pub fn of(verdicts: &[Verdict]) -> Status {
        if verdicts.iter().all(|v| *v == Verdict::Pass) {
            Status::Passed
        } else if verdicts.iter().all(|v| *v == Verdict::NotImplemented) {
            Status::NotImplemented
        } else {
            Status::Failed
        }
    }

    /// The words a report prints.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotImplemented => "not implemented yet",
            Status::TimedOut => "timed out",
            Status::DidNotCompile => "did not compile",
        }
    }
}

/// Everything needed to explain one failed case.
#[derive(Clone, Debug)]
pub struct Failure<'a> {
    /// Which case: a fixture's id and source, or "hidden case N, seed S".
    pub case: String,
    /// The inputs.
    pub input: &'a BTreeMap<String, Value>,
    /// The expected value.
    pub want: &'a Value,
    /// The tolerance used.
    pub tol: Tol,
    /// The bar of an experiment graded by outcome; its `want` (the true targets) is then never shown.
    pub outcome: Option<Outcome>,
    /// What went wrong.
    pub verdict: &'a Verdict,
}

impl Failure<'_> {
    /// The failure as labelled lines, each starting with `indent`.
    pub fn render(&self, indent: &str) -> String {
        let mut out = String::new();
        let mut line = |label: &str, text: &dyn std::fmt::Display| {
            let _ = writeln!(out, "{indent}{label:<10} {text}");
        };
        line("case", &self.case);
        line("input", &fmt_inputs(self.input));
        // An experiment's `want` is its test targets, which are never shown: its bar stands in.
        let want: &dyn std::fmt::Display = match &self.outcome {
            Some(outcome) => outcome,
            None => self.want,
        };
        match self.verdict {
            Verdict::Wrong { got, mismatch } => {
                line("got", got);
                line("want", want);
                if !matches!(got, Value::Num(_) | Value::Int(_)) || got.as_f64().is_some_and(f64::is_nan) {
                    line("differs", mismatch);
                }
                line("tolerance", &self.tol);
            }
            Verdict::Short { metric, score, points } => {
                if score.is_nan() {
                    line(
                        "got",
                        &format!("no {metric}: the predictions are not one number per test point ({points})"),
                    );
                } else {
                    line("got", &format!("{metric} {score:.4} on {points} test points"));
                }
                line("want", want);
            }
            Verdict::Panicked(msg) => {
                line("panicked", msg);
                line("want", want);
            }
            Verdict::NoAnswer(why) => line("no answer", why),
            Verdict::BadInput(why) => {
                line("bad input", &format!("{why} (a fault of the grader, not yours: tell your instructor)"))
            }
            Verdict::NotImplemented => line("got", &"not implemented yet (todo!() is still there)"),
            Verdict::Pass => line("passed", &""),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_names_case_input_got_want_and_tolerance() {
        let input = BTreeMap::from([("z".to_string(), Value::Num(2.3))]);
        let want = Value::Num(0.9);
        let tol = Tol { atol: 1e-12, rtol: 1e-9 };
        let verdict = Verdict::judge(&Answer::Value(Value::Num(0.5)), &want, tol, None);
        let text =
            Failure { case: "c1".into(), input: &input, want: &want, tol, outcome: None, verdict: &verdict }
                .render("  ");
        assert_eq!(
            text,
            "  case       c1\n  input      z = 2.3\n  got        0.5\n  want       0.9\n  tolerance  |got − want| ≤ 1e-12 + 1e-9·|want|\n"
        );
    }

    #[test]
    fn todo_is_not_a_crash() {
        let want = Value::Num(1.0);
        let tol = Tol { atol: 0.0, rtol: 0.0 };
        assert_eq!(
            Verdict::judge(&Answer::Panic("not yet implemented".into()), &want, tol, None),
            Verdict::NotImplemented
        );
        assert!(matches!(
            Verdict::judge(&Answer::Panic("index out of bounds".into()), &want, tol, None),
            Verdict::Panicked(_)
        ));
        assert_eq!(Status::of(&[Verdict::NotImplemented, Verdict::Pass]), Status::Failed);
    }
}
