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

/// One case of an exercise as the judge gets it: what came back and what it is judged against.
#[derive(Clone, Copy, Debug)]
pub struct CaseAnswer<'a> {
    /// What the function did; `None` when the probe gave no answer for the case.
    pub answer: Option<&'a Answer>,
    /// The expected value (for an experiment, the true targets of its test points).
    pub want: &'a Value,
    /// The tolerance of the comparison.
    pub tol: Tol,
    /// The bar of an experiment graded by outcome.
    pub outcome: Option<Outcome>,
}

/// How one exercise fared, case by case and as a whole. The grader and the public tests both
/// judge through [`Judgement::of`], so a case passes or fails, and an exercise gets its status,
/// by one rule in both places.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// One verdict per case, in the cases' order.
    pub verdicts: Vec<Verdict>,
    /// How many cases passed.
    pub passed: usize,
    /// The exercise's status.
    pub status: Status,
}

impl Judgement {
    /// Judges every case of an exercise; a case without an answer gets
    /// [`Verdict::NoAnswer`] with `no_answer` as the reason.
    pub fn of<'a>(cases: impl IntoIterator<Item = CaseAnswer<'a>>, no_answer: &str) -> Judgement {
        let verdicts: Vec<Verdict> = cases
            .into_iter()
            .map(|c| match c.answer {
                Some(answer) => Verdict::judge(answer, c.want, c.tol, c.outcome),
                None => Verdict::NoAnswer(no_answer.to_string()),
            })
            .collect();
        let passed = verdicts.iter().filter(|v| **v == Verdict::Pass).count();
        let status = Status::of(&verdicts);
        Judgement { verdicts, passed, status }
    }

    /// The judgement of a run that stopped at its time limit: unless every case passed anyway,
    /// the exercise timed out (which says more than the "no answer" of its last cases).
    pub fn timed_out(self) -> Judgement {
        if self.passed < self.verdicts.len() { Judgement { status: Status::TimedOut, ..self } } else { self }
    }

    /// The first case that did not pass: its index among the cases, and its verdict.
    pub fn first_failure(&self) -> Option<(usize, &Verdict)> {
        self.verdicts.iter().enumerate().find(|(_, v)| **v != Verdict::Pass)
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

    #[test]
    fn a_judgement_counts_passes_and_finds_the_first_failure() {
        let want = Value::Num(1.0);
        let tol = Tol { atol: 1e-9, rtol: 0.0 };
        let (right, wrong) = (Answer::Value(Value::Num(1.0)), Answer::Value(Value::Num(2.0)));
        let case = |answer| CaseAnswer { answer, want: &want, tol, outcome: None };
        let judged = Judgement::of([case(Some(&right)), case(None), case(Some(&wrong))], "crashed");
        assert_eq!(judged.passed, 1);
        assert_eq!(judged.status, Status::Failed);
        assert_eq!(judged.first_failure(), Some((1, &Verdict::NoAnswer("crashed".into()))));
        assert_eq!(judged.clone().timed_out().status, Status::TimedOut);
        let all = Judgement::of([case(Some(&right))], "");
        assert_eq!((all.status, all.first_failure()), (Status::Passed, None));
        assert_eq!(all.timed_out().status, Status::Passed);
    }
}
