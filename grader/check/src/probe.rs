//! The probe protocol (ARCHITECTURE.md, invariant 3). A probe is a small program built from one lab
//! crate — a student's or the reference — that *only computes*: it reads a request file naming an
//! exercise and its cases' inputs (a case may name another exercise of the lab: the reference
//! answers a lab's hidden cases in one run), calls the lab's function on each, and appends one
//! JSON line per case to a reply file. It never sees an expected value and never judges.
//!
//! Replies go to a file named by the grader rather than to stdout, so that whatever the student's
//! code prints cannot be mistaken for an answer. A student's code could still write that file
//! itself, but all it could write there is an output, and an output is judged like any other.

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

pub use crate::error::InputError;
use crate::value::{Args, Value};

/// Calls exercise `name` of a lab on decoded inputs. Each lab has one, in `grader/probes/`.
pub type Dispatch = fn(name: &str, input: Args<'_>) -> Result<Value, InputError>;

/// What the grader asks a probe to compute.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Request {
    /// The exercise (function) to call.
    pub exercise: String,
    /// The cases, answered in this order.
    pub cases: Vec<RequestCase>,
}

/// One case of a request: an id to match the reply, and the inputs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestCase {
    /// Matches the reply to the case.
    pub id: String,
    /// The named inputs.
    pub input: BTreeMap<String, Value>,
    /// The exercise of this case when it is not the request's: the grader asks the reference for
    /// a whole lab's hidden answers in one run, because starting a confined process costs more than
    /// most of the answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<String>,
}

impl RequestCase {
    /// A case of the request's own exercise.
    pub fn new(id: impl Into<String>, input: BTreeMap<String, Value>) -> Self {
        RequestCase { id: id.into(), input, exercise: None }
    }
}

/// One line of the reply file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Reply {
    /// The case answered.
    pub id: String,
    /// What the function did.
    pub answer: Answer,
}

/// What calling the student's function did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// It returned this value.
    Value(Value),
    /// It panicked with this message (`todo!()` says "not yet implemented").
    Panic(String),
    /// The inputs did not fit the function: a fault of the grader or the fixture, not the student.
    BadInput(String),
}

/// Calls one exercise on one case, turning a panic into an [`Answer`] instead of a crash.
pub fn answer(dispatch: Dispatch, exercise: &str, input: &BTreeMap<String, Value>) -> Answer {
    silence_panics();
    match catch_unwind(AssertUnwindSafe(|| dispatch(exercise, Args(input)))) {
        Ok(Ok(value)) => Answer::Value(value),
        Ok(Err(InputError(e))) => Answer::BadInput(e),
        Err(payload) => Answer::Panic(
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with a non-text payload".into()),
        ),
    }
}

/// One row of a reference snapshot: the inputs and what `dispatch` returns for them, rounded to
/// ten significant digits so that the snapshot does not depend on the CPU's last bits.
pub fn snapshot_row(dispatch: Dispatch, exercise: &str, fields: Vec<(&str, Value)>) -> Value {
    let input: BTreeMap<String, Value> = fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let output = dispatch(exercise, Args(&input)).unwrap_or_else(|e| panic!("{exercise}: {e}"));
    Value::record([("input", Value::Map(input)), ("output", output.rounded(10))])
}

/// The default hook prints every panic with a backtrace hint; a stub panics in every exercise, and
/// the message is reported once, in context, by whoever reads the [`Answer`].
fn silence_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

/// The reply to one case of `request`: its own exercise, or the request's, called on its inputs.
pub fn reply(dispatch: Dispatch, request: &Request, case: &RequestCase) -> Reply {
    let exercise = case.exercise.as_deref().unwrap_or(&request.exercise);
    Reply { id: case.id.clone(), answer: answer(dispatch, exercise, &case.input) }
}

/// The probe's `main`: `probe <request.json> <replies.jsonl>`.
pub fn serve(dispatch: Dispatch) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, request, replies] = args.as_slice() else {
        eprintln!("usage: probe <request.json> <replies.jsonl>");
        return ExitCode::from(2);
    };
    let request: Request = match std::fs::read_to_string(request).map(|t| serde_json::from_str(&t)) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return fail(&format!("bad request: {e}")),
        Err(e) => return fail(&format!("cannot read the request: {e}")),
    };
    let mut out = match std::fs::OpenOptions::new().create(true).append(true).open(replies) {
        Ok(f) => f,
        Err(e) => return fail(&format!("cannot open the reply file: {e}")),
    };
    for case in &request.cases {
        let reply = reply(dispatch, &request, case);
        let mut line = serde_json::to_string(&reply).expect("a reply always serialises");
        line.push('\n');
        // One write per line, flushed at once: a case answered before a crash keeps its answer.
        if out.write_all(line.as_bytes()).and_then(|()| out.flush()).is_err() {
            return fail("cannot write the reply file");
        }
    }
    ExitCode::SUCCESS
}

/// The probe could not set itself up (its request, its reply file, its sandbox). The grader
/// reports this status as its own problem, not the student's.
pub const SETUP_FAILED: u8 = 3;

fn fail(msg: &str) -> ExitCode {
    eprintln!("probe: {msg}");
    ExitCode::from(SETUP_FAILED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_of_another_exercise_is_answered_by_that_exercise() {
        let dispatch: Dispatch = |name, _| Ok(Value::from(name));
        let request = Request {
            exercise: "forward".into(),
            cases: vec![
                RequestCase::new("a", BTreeMap::new()),
                RequestCase { exercise: Some("backward".into()), ..RequestCase::new("b", BTreeMap::new()) },
            ],
        };
        let answered = |request: &Request| -> Vec<(String, Answer)> {
            request.cases.iter().map(|c| reply(dispatch, request, c)).map(|r| (r.id, r.answer)).collect()
        };
        let want =
            [("a".into(), Answer::Value("forward".into())), ("b".into(), Answer::Value("backward".into()))];
        assert_eq!(answered(&request), want);
        // A case of the request's own exercise is written as before the field existed.
        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(json.matches("\"exercise\"").count(), 2, "{json}");
        assert_eq!(answered(&serde_json::from_str(&json).unwrap()), want);
    }
}
